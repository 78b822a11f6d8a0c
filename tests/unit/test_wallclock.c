/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for core/wallclock.c: RTC at boot + monotonic clock, fallback, date formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/clock.h>
#include <vireo/wallclock.h>

extern uint64_t host_timer_ticks;

#define HZ 10000000ULL /* QEMU virt's timebase */

static void boot_clock(void)
{
	host_timer_ticks = 123456789;
	clock_init(HZ);
}

static void test_time_comes_from_one_rtc_read_plus_monotonic(void **state)
{
	(void)state;
	/* The "RTC registers": TIME_LOW, TIME_HIGH, as plain memory. */
	static uint32_t regs[8];
	uint64_t rtc = 1717243200ULL * NSEC_PER_SEC + 5; /* 2024-06-01T12:00:00Z */
	regs[0] = (uint32_t)rtc;
	regs[1] = (uint32_t)(rtc >> 32);
	struct platform plat;
	memset(&plat, 0, sizeof(plat));
	plat.rtc.present = true;
	plat.rtc.base = (paddr_t)(uintptr_t)regs;

	boot_clock();
	host_timer_ticks += HZ / 2; /* the RTC is read 0.5 s into the monotonic clock */
	assert_true(wallclock_init(&plat));
	assert_true(wallclock_is_set());
	assert_int_equal(wallclock_now_ns(), rtc);
	/* Later changes of the RTC are not seen: it is read once. */
	regs[1] = 0;
	host_timer_ticks += 90 * HZ;
	assert_int_equal(wallclock_now_ns(), rtc + 90 * NSEC_PER_SEC);
	char buf[WALLCLOCK_ISO_SIZE];
	assert_string_equal(wallclock_format(wallclock_now_ns(), buf), "2024-06-01T12:01:30Z");
	/* A deadline in wall-clock time converts back to the monotonic clock. */
	assert_int_equal(wallclock_to_monotonic(rtc + 10 * NSEC_PER_SEC),
	                 NSEC_PER_SEC / 2 + 10 * NSEC_PER_SEC);
	assert_int_equal(wallclock_to_monotonic(0), 0);
}

static void test_without_rtc_the_fallback_epoch(void **state)
{
	(void)state;
	struct platform plat;
	memset(&plat, 0, sizeof(plat));
	boot_clock();
	assert_false(wallclock_init(&plat));
	assert_false(wallclock_is_set());
	assert_int_equal(wallclock_now_ns(), WALLCLOCK_FALLBACK_NS);
	char buf[WALLCLOCK_ISO_SIZE];
	assert_string_equal(wallclock_format(WALLCLOCK_FALLBACK_NS, buf), "2020-01-01T00:00:00Z");
	host_timer_ticks += 3 * HZ;
	assert_int_equal(wallclock_now_ns(), WALLCLOCK_FALLBACK_NS + 3 * NSEC_PER_SEC);
}

static void test_rtc_before_boot_moment_clamps(void **state)
{
	(void)state;
	boot_clock();
	host_timer_ticks += 10 * HZ;
	wallclock_set(NSEC_PER_SEC); /* 1 s after the epoch, but 10 s have passed since boot */
	assert_int_equal(wallclock_now_ns(), 10 * NSEC_PER_SEC);
}

/* Expected strings from Python's datetime (UTC). */
static void test_dates(void **state)
{
	(void)state;
	static const struct {
		uint64_t secs;
		const char *iso;
	} cases[] = {
	    {0, "1970-01-01T00:00:00Z"},           {951782400, "2000-02-29T00:00:00Z"},
	    {1709164800, "2024-02-29T00:00:00Z"},  {1735689599, "2024-12-31T23:59:59Z"},
	    {4107456000, "2100-02-28T00:00:00Z"},  {4107542400, "2100-03-01T00:00:00Z"},
	    {18446744073, "2554-07-21T23:34:33Z"}, {13532794167, "2398-11-02T13:29:27Z"},
	    {2795742288, "2058-08-05T03:04:48Z"},  {2301595691, "2042-12-07T20:08:11Z"},
	    {6474387189, "2175-03-02T00:53:09Z"},  {161042648, "1975-02-07T22:04:08Z"},
	    {14747395930, "2437-04-29T10:52:10Z"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[WALLCLOCK_ISO_SIZE];
		assert_string_equal(wallclock_format(cases[i].secs * NSEC_PER_SEC, buf),
		                    cases[i].iso);
	}
	struct wallclock_date d;
	wallclock_to_date(UINT64_MAX, &d);
	assert_int_equal(d.year, 2554);
	assert_int_equal(d.nsec, UINT64_MAX % NSEC_PER_SEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_time_comes_from_one_rtc_read_plus_monotonic),
	    cmocka_unit_test(test_without_rtc_the_fallback_epoch),
	    cmocka_unit_test(test_rtc_before_boot_moment_clamps),
	    cmocka_unit_test(test_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
