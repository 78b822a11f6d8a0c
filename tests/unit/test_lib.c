/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for lib/printf.c, lib/parse_num.c and the clock conversions of core/clock.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/clock.h>
#include <vireo/errno.h>
#include <vireo/printf.h>
#include <vireo/string.h>

extern uint64_t host_timer_ticks;

#define CHECK_FMT(want, ...)                                     \
	do {                                                     \
		char buf[128];                                   \
		int n = snprintf(buf, sizeof(buf), __VA_ARGS__); \
		assert_string_equal(buf, want);                  \
		assert_int_equal(n, (int)strlen(want));          \
	} while (0)

static void test_printf_conversions(void **state)
{
	(void)state;
	CHECK_FMT("42 -7 0", "%d %i %u", 42, -7, 0U);
	CHECK_FMT("ff FF 17", "%x %X %o", 255U, 255U, 15U);
	CHECK_FMT("18446744073709551615", "%llu", (unsigned long long)UINT64_MAX);
	CHECK_FMT("-9223372036854775808", "%lld", (long long)INT64_MIN);
	CHECK_FMT("0x1000", "%p", (void *)0x1000);
	const char *volatile nothing = NULL;
	CHECK_FMT("x (null) %", "%c %s %%", 'x', nothing);
	CHECK_FMT("12 34", "%zu %td", (size_t)12, (ptrdiff_t)34);
	CHECK_FMT("-1 255", "%hhd %hhu", (signed char)-1, (unsigned char)255);
}

static void test_printf_width_precision_flags(void **state)
{
	(void)state;
	CHECK_FMT("[   42][42   ][00042]", "[%5d][%-5d][%05d]", 42, 42, 42);
	CHECK_FMT("[-0042][  -42][+42][ 42]", "[%05d][%5d][%+d][% d]", -42, -42, 42, 42);
	CHECK_FMT("[00ab][  ab]", "[%04x][%*x]", 0xab, 4, 0xab);
	CHECK_FMT("[abc][ab][  ab][ab  ]", "[%s][%.2s][%4.2s][%-4.*s]", "abc", "abc", "abc", 2,
	          "abc");
	CHECK_FMT("[  007]", "[%5.3d]", 7);
	CHECK_FMT("[]", "[%.0d]", 0);
}

static void test_printf_truncates_and_terminates(void **state)
{
	char buf[8];
	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(snprintf(buf, sizeof(buf), "hello world"), 11);
	assert_string_equal(buf, "hello w");
	assert_int_equal(snprintf(buf, 1, "abc"), 3);
	assert_string_equal(buf, "");
	assert_int_equal(snprintf(NULL, 0, "%d", 12345), 5);
}

static void test_parse_numbers(void **state)
{
	uint64_t v;
	(void)state;
	assert_int_equal(str_to_u64("0", &v, false), 0);
	assert_int_equal(v, 0);
	assert_int_equal(str_to_u64("1234", &v, false), 0);
	assert_int_equal(v, 1234);
	assert_int_equal(str_to_u64("0x80000000", &v, false), 0);
	assert_int_equal(v, 0x80000000ULL);
	assert_int_equal(str_to_u64("512M", &v, true), 0);
	assert_int_equal(v, 512ULL << 20);
	assert_int_equal(str_to_u64("2g", &v, true), 0);
	assert_int_equal(v, 2ULL << 30);
	assert_int_equal(str_to_u64("18446744073709551615", &v, false), 0);
	assert_int_equal(v, UINT64_MAX);
	assert_int_equal(str_to_u64("18446744073709551616", &v, false), VIREO_ERANGE);
	assert_int_equal(str_to_u64("0xffffffffffffffff1", &v, false), VIREO_ERANGE);
	assert_int_equal(str_to_u64("16777216T", &v, true), VIREO_EINVAL);
	assert_int_equal(str_to_u64("17179869184G", &v, true), VIREO_ERANGE);
	assert_int_equal(str_to_u64("512M", &v, false), VIREO_EINVAL);
	assert_int_equal(str_to_u64("", &v, false), VIREO_EINVAL);
	assert_int_equal(str_to_u64("0x", &v, false), VIREO_EINVAL);
	assert_int_equal(str_to_u64("12a", &v, false), VIREO_EINVAL);
	assert_int_equal(str_to_u64("1MB", &v, true), VIREO_EINVAL);
	assert_int_equal(str_to_u64("-1", &v, false), VIREO_EINVAL);
}

static void test_mac_to_str(void **state)
{
	char buf[MAC_STR_SIZE];
	const uint8_t mac[6] = {0x02, 0x00, 0xab, 0x0f, 0xf0, 0xff};
	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(mac_to_str(mac, buf), buf);
	assert_string_equal(buf, "02:00:ab:0f:f0:ff");
}

static void test_clock_conversions(void **state)
{
	(void)state;
	host_timer_ticks = 5000;
	clock_init(10000000); /* QEMU virt: 10 MHz */
	assert_int_equal(clock_now(), 0);
	host_timer_ticks = 5000 + 10000000ULL * 3 + 1;
	assert_int_equal(clock_now(), 3 * NSEC_PER_SEC + 100);
	/* Deadlines round up so an event never fires early. */
	assert_int_equal(clock_ns_to_ticks(150), 5000 + 2);
	assert_int_equal(clock_ns_to_ticks(NSEC_PER_SEC), 5000 + 10000000ULL);
	assert_int_equal(clock_ticks_to_ns(clock_ns_to_ticks(123456789)) >= 123456789, 1);
	/* Before the base reads as 0; the farthest deadline still converts exactly. */
	assert_int_equal(clock_ticks_to_ns(10), 0);
	assert_int_equal(clock_ns_to_ticks(UINT64_MAX), 5000 + UINT64_MAX / 100 + 1);
	/* Many years of uptime stay exact. */
	host_timer_ticks = 5000 + 10000000ULL * 86400 * 365 * 50;
	assert_int_equal(clock_now(), NSEC_PER_SEC * 86400ULL * 365 * 50);
	/* An odd frequency: 1 tick = 1e9/3 ns, truncated when reading, rounded up for deadlines. */
	host_timer_ticks = 0;
	clock_init(3);
	host_timer_ticks = 1;
	assert_int_equal(clock_now(), 333333333);
	assert_int_equal(clock_ns_to_ticks(333333334), 2);
	/* Guest deadlines far in the future saturate at UINT64_MAX ("never"), never wrap into
	 * the past: at 10 MHz, 2^58 ticks are more nanoseconds than 64 bits hold. */
	host_timer_ticks = 0;
	clock_init(10000000);
	uint64_t last = 0;
	for (unsigned int bit = 40; bit < 64; bit++) {
		nsec_t ns = clock_ticks_to_ns(UINT64_C(1) << bit);
		assert_true(ns >= last);
		last = ns;
	}
	assert_int_equal(clock_ticks_to_ns(UINT64_C(1) << 58), UINT64_MAX);
	assert_int_equal(clock_ticks_to_ns(UINT64_MAX - 1), UINT64_MAX);
	assert_int_equal(clock_ticks_to_ns(UINT64_MAX), UINT64_MAX);
	/* The last whole second that still fits converts exactly. */
	uint64_t max_sec = (UINT64_MAX - NSEC_PER_SEC) / NSEC_PER_SEC;
	assert_int_equal(clock_ticks_to_ns(max_sec * 10000000ULL), max_sec * NSEC_PER_SEC);
	host_timer_ticks = 1;
	/* A 4 GHz counter cannot express 584 years of nanoseconds: saturate, never wrap. */
	clock_init(4000000000ULL);
	assert_int_equal(clock_ns_to_ticks(UINT64_MAX), UINT64_MAX);
	assert_int_equal(clock_ns_to_ticks(NSEC_PER_SEC), 1 + 4000000000ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_printf_conversions),
	    cmocka_unit_test(test_printf_width_precision_flags),
	    cmocka_unit_test(test_printf_truncates_and_terminates),
	    cmocka_unit_test(test_parse_numbers),
	    cmocka_unit_test(test_mac_to_str),
	    cmocka_unit_test(test_clock_conversions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
