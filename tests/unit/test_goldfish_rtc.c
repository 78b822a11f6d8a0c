/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for emul/goldfish_rtc.c (the guest RTC) and drivers/goldfish_rtc.c (host reads). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/goldfish_rtc.h>
#include <vireo/goldfish_rtc_host.h>

#define SEC 1000000000ULL
/* 2024-06-01T00:00:00Z */
#define T0 (1717200000ULL * SEC)

/* A fake host clock and what the callbacks saw. */
struct fake {
	uint64_t now;
	bool levels[64];
	unsigned int irq_count;
	bool armed;
	uint64_t due;
	unsigned int alarm_calls;
};

static uint64_t fake_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

static void fake_irq(void *ctx, bool level)
{
	struct fake *f = ctx;
	assert_true(f->irq_count < sizeof(f->levels) / sizeof(f->levels[0]));
	/* Only changes are reported, starting from low. */
	assert_true(f->irq_count > 0 ? f->levels[f->irq_count - 1] != level : level);
	f->levels[f->irq_count++] = level;
}

static void fake_alarm(void *ctx, bool armed, uint64_t due)
{
	struct fake *f = ctx;
	f->armed = armed;
	f->due = due;
	f->alarm_calls++;
}

static const struct goldfish_rtc_ops fake_ops = {
    .now_ns = fake_now,
    .irq = fake_irq,
    .alarm = fake_alarm,
};

static bool line(const struct fake *f)
{
	return f->irq_count > 0 && f->levels[f->irq_count - 1];
}

static uint32_t rd(struct goldfish_rtc *r, uint64_t off)
{
	struct vmmio_access a = {
	    .offset = off, .width = 4, .write = false, .value = 0xdeadbeefdead};
	assert_int_equal(goldfish_rtc_access(r, &a), 0);
	assert_true(a.value <= 0xffffffffULL);
	return (uint32_t)a.value;
}

static void wr(struct goldfish_rtc *r, uint64_t off, uint32_t v)
{
	struct vmmio_access a = {.offset = off, .width = 4, .write = true, .value = v};
	assert_int_equal(goldfish_rtc_access(r, &a), 0);
}

static uint64_t read_time(struct goldfish_rtc *r)
{
	uint32_t lo = rd(r, GOLDFISH_RTC_TIME_LOW);
	return (uint64_t)rd(r, GOLDFISH_RTC_TIME_HIGH) << 32 | lo;
}

static void set_alarm(struct goldfish_rtc *r, uint64_t t)
{
	wr(r, GOLDFISH_RTC_ALARM_HIGH, (uint32_t)(t >> 32));
	wr(r, GOLDFISH_RTC_ALARM_LOW, (uint32_t)t);
}

static void setup(struct goldfish_rtc *r, struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->now = T0;
	goldfish_rtc_init(r, &fake_ops, f);
}

static void test_reset_state(void **state)
{
	(void)state;
	struct goldfish_rtc r;
	struct fake f;
	setup(&r, &f);
	assert_int_equal(rd(&r, GOLDFISH_RTC_IRQ_ENABLED), 0);
	assert_int_equal(rd(&r, GOLDFISH_RTC_ALARM_STATUS), 0);
	assert_int_equal(rd(&r, GOLDFISH_RTC_TIME_HIGH), 0);
	uint64_t due = 1;
	assert_false(goldfish_rtc_alarm_due(&r, &due));
	assert_int_equal(due, 0);
	assert_int_equal(f.irq_count, 0);
	assert_ptr_equal(goldfish_rtc_vmmio_ops.access, goldfish_rtc_access);
}

static void test_time_read_latches_high_half(void **state)
{
	(void)state;
	struct goldfish_rtc r;
	struct fake f;
	setup(&r, &f);
	/* Just before the low half wraps: the high half must be the one from the low read. */
	f.now = (0x17ULL << 32) | 0xfffffff0U;
	uint32_t lo = rd(&r, GOLDFISH_RTC_TIME_LOW);
	f.now += 0x100; /* the low half wraps before the high half is read */
	uint32_t hi = rd(&r, GOLDFISH_RTC_TIME_HIGH);
	assert_int_equal(lo, 0xfffffff0U);
	assert_int_equal(hi, 0x17);
	/* The latch holds until the next TIME_LOW read. */
	assert_int_equal(rd(&r, GOLDFISH_RTC_TIME_HIGH), 0x17);
	(void)rd(&r, GOLDFISH_RTC_TIME_LOW);
	assert_int_equal(rd(&r, GOLDFISH_RTC_TIME_HIGH), 0x18);
	f.now = T0 + 12345;
	assert_int_equal(read_time(&r), T0 + 12345);
	assert_int_equal(goldfish_rtc_guest_ns(&r), T0 + 12345);
}

static void test_set_time_moves_only_the_guest_view(void **state)
{
	(void)state;
	struct goldfish_rtc r;
	struct fake f;
	setup(&r, &f);
	uint64_t want = 946684800ULL * SEC + 7; /* 2000-01-01 */
	/* Linux's order: high half, then low half. */
	wr(&r, GOLDFISH_RTC_TIME_HIGH, (uint32_t)(want >> 32));
	f.now += 5; /* host time passing between the two writes does not skew the result */
	wr(&r, GOLDFISH_RTC_TIME_LOW, (uint32_t)want);
	assert_int_equal(read_time(&r), want);
	f.now += 3 * SEC;
	assert_int_equal(read_time(&r), want + 3 * SEC);
	assert_int_equal(f.now, T0 + 5 + 3 * SEC); /* the host clock is untouched */

	/* Forward past the host's time too, and a low-half-only write keeps the high half. */
	uint64_t later = T0 + 1000 * SEC;
	wr(&r, GOLDFISH_RTC_TIME_HIGH, (uint32_t)(later >> 32));
	wr(&r, GOLDFISH_RTC_TIME_LOW, (uint32_t)later);
	assert_int_equal(read_time(&r), later);
	wr(&r, GOLDFISH_RTC_TIME_LOW, 0x10);
	assert_int_equal(read_time(&r), (later & ~0xffffffffULL) | 0x10);
}

static void test_alarm_arm_fire_and_clear_interrupt(void **state)
{
	(void)state;
	struct goldfish_rtc r;
	struct fake f;
	setup(&r, &f);
	wr(&r, GOLDFISH_RTC_IRQ_ENABLED, 1);
	assert_int_equal(rd(&r, GOLDFISH_RTC_IRQ_ENABLED), 1);
	set_alarm(&r, T0 + 2 * SEC);
	assert_int_equal(rd(&r, GOLDFISH_RTC_ALARM_STATUS), 1);
	assert_int_equal(rd(&r, GOLDFISH_RTC_ALARM_LOW), (uint32_t)(T0 + 2 * SEC));
	assert_int_equal(rd(&r, GOLDFISH_RTC_ALARM_HIGH), (uint32_t)((T0 + 2 * SEC) >> 32));
	assert_true(f.armed);
	assert_int_equal(f.due, T0 + 2 * SEC);
	uint64_t due;
	assert_true(goldfish_rtc_alarm_due(&r, &due));
	assert_int_equal(due, T0 + 2 * SEC);

	/* A host timer firing early only re-announces the deadline. */
	f.now = T0 + SEC;
	goldfish_rtc_tick(&r);
	assert_false(line(&f));
	assert_true(f.armed);
	assert_int_equal(f.due, T0 + 2 * SEC);

	f.now = T0 + 2 * SEC;
	goldfish_rtc_tick(&r);
	assert_true(line(&f));
	assert_false(f.armed);
	assert_int_equal(r.alarms_fired, 1);
	assert_int_equal(rd(&r, GOLDFISH_RTC_ALARM_STATUS), 0);
	/* A second tick does nothing more. */
	goldfish_rtc_tick(&r);
	assert_int_equal(f.irq_count, 1);
	wr(&r, GOLDFISH_RTC_CLEAR_INTERRUPT, 1);
	assert_false(line(&f));
	assert_int_equal(f.irq_count, 2);
}

static void test_alarm_fires_on_access_without_tick(void **state)
{
	(void)state;
	struct goldfish_rtc r;
	struct fake f;
	setup(&r, &f);
	wr(&r, GOLDFISH_RTC_IRQ_ENABLED, 1);
	set_alarm(&r, T0 + 100);
	f.now = T0 + 200; /* the glue's timer is late: the guest must not see the clock pass */
	assert_int_equal(rd(&r, GOLDFISH_RTC_ALARM_STATUS), 0);
	assert_true(line(&f));
	assert_false(f.armed);
}

static void test_alarm_in_the_past_fires_at_once(void **state)
{
	(void)state;
	struct goldfish_rtc r;
	struct fake f;
	setup(&r, &f);
	wr(&r, GOLDFISH_RTC_IRQ_ENABLED, 1);
	set_alarm(&r, T0 - SEC);
	assert_true(line(&f));
	assert_int_equal(rd(&r, GOLDFISH_RTC_ALARM_STATUS), 0);
	assert_int_equal(r.alarms_fired, 1);
}

static void test_clear_alarm_disarms(void **state)
{
	(void)state;
	struct goldfish_rtc r;
	struct fake f;
	setup(&r, &f);
	wr(&r, GOLDFISH_RTC_IRQ_ENABLED, 1);
	set_alarm(&r, T0 + SEC);
	wr(&r, GOLDFISH_RTC_CLEAR_ALARM, 1);
	assert_int_equal(rd(&r, GOLDFISH_RTC_ALARM_STATUS), 0);
	assert_false(f.armed);
	uint64_t due;
	assert_false(goldfish_rtc_alarm_due(&r, &due));
	f.now = T0 + 10 * SEC;
	goldfish_rtc_tick(&r);
	(void)read_time(&r);
	assert_int_equal(f.irq_count, 0);
	assert_int_equal(r.alarms_fired, 0);
}

static void test_irq_enable_gates_the_line(void **state)
{
	(void)state;
	struct goldfish_rtc r;
	struct fake f;
	setup(&r, &f);
	set_alarm(&r, T0 + SEC);
	f.now = T0 + SEC;
	goldfish_rtc_tick(&r);
	/* Fired while disabled: latched, line low. */
	assert_int_equal(r.alarms_fired, 1);
	assert_int_equal(f.irq_count, 0);
	/* Enabling shows the latched interrupt, disabling hides it again. */
	wr(&r, GOLDFISH_RTC_IRQ_ENABLED, 1);
	assert_true(line(&f));
	wr(&r, GOLDFISH_RTC_IRQ_ENABLED, 0);
	assert_false(line(&f));
	wr(&r, GOLDFISH_RTC_CLEAR_INTERRUPT, 0);
	wr(&r, GOLDFISH_RTC_IRQ_ENABLED, 0xffffffffU);
	assert_int_equal(rd(&r, GOLDFISH_RTC_IRQ_ENABLED), 1);
	assert_false(line(&f));
	assert_int_equal(f.irq_count, 2);
}

static void test_setting_time_moves_the_alarm_deadline(void **state)
{
	(void)state;
	struct goldfish_rtc r;
	struct fake f;
	setup(&r, &f);
	wr(&r, GOLDFISH_RTC_IRQ_ENABLED, 1);
	set_alarm(&r, T0 + 60 * SEC);
	assert_int_equal(f.due, T0 + 60 * SEC);
	/* Guest clock back by 10 s: the alarm is 70 s of host time away. */
	uint64_t t = T0 - 10 * SEC;
	wr(&r, GOLDFISH_RTC_TIME_HIGH, (uint32_t)(t >> 32));
	wr(&r, GOLDFISH_RTC_TIME_LOW, (uint32_t)t);
	assert_true(f.armed);
	assert_int_equal(f.due, T0 + 70 * SEC);
	/* Guest clock forward past the alarm: it fires at once. */
	t = T0 + 61 * SEC;
	wr(&r, GOLDFISH_RTC_TIME_HIGH, (uint32_t)(t >> 32));
	wr(&r, GOLDFISH_RTC_TIME_LOW, (uint32_t)t);
	assert_true(line(&f));
	assert_false(f.armed);
}

static void test_far_future_guest_clock_does_not_wrap_deadline(void **state)
{
	(void)state;
	struct goldfish_rtc r;
	struct fake f;
	setup(&r, &f);
	/* Guest time near 2^64 - 1 s, alarm 1 s later: the host deadline is now + 0.5 s. */
	uint64_t t = UINT64_MAX - 2 * SEC;
	wr(&r, GOLDFISH_RTC_TIME_HIGH, (uint32_t)(t >> 32));
	wr(&r, GOLDFISH_RTC_TIME_LOW, (uint32_t)t);
	set_alarm(&r, t + SEC / 2);
	uint64_t due;
	assert_true(goldfish_rtc_alarm_due(&r, &due));
	assert_int_equal(due, T0 + SEC / 2);
}

/* A guest clock behind the host's and an alarm at the end of time: the deadline saturates to
 * "never" instead of wrapping into the past (which would re-arm a host timer forever). */
static void test_alarm_at_end_of_time_is_never(void **state)
{
	(void)state;
	struct goldfish_rtc r;
	struct fake f;
	setup(&r, &f);
	uint64_t t = T0 - SEC;
	wr(&r, GOLDFISH_RTC_TIME_HIGH, (uint32_t)(t >> 32));
	wr(&r, GOLDFISH_RTC_TIME_LOW, (uint32_t)t);
	set_alarm(&r, UINT64_MAX);
	uint64_t due;
	assert_true(goldfish_rtc_alarm_due(&r, &due));
	assert_int_equal(due, UINT64_MAX);
	assert_true(f.armed);
	assert_int_equal(f.due, UINT64_MAX);
	f.now += 1000 * SEC;
	goldfish_rtc_tick(&r);
	assert_false(line(&f));
}

static void test_bad_accesses(void **state)
{
	(void)state;
	struct goldfish_rtc r;
	struct fake f;
	setup(&r, &f);
	static const struct {
		uint64_t offset;
		unsigned int width;
	} bad[] = {
	    {0x00, 1}, {0x00, 2}, {0x00, 8}, {0x02, 4}, {0x1d, 4}, {0x1000, 4}, {0x2000, 4},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int w = 0; w < 2; w++) {
			struct vmmio_access a = {.offset = bad[i].offset,
			                         .width = bad[i].width,
			                         .write = w != 0,
			                         .value = 0x1234};
			assert_int_equal(goldfish_rtc_access(&r, &a), VIREO_EFAULT);
			assert_int_equal(a.value, 0x1234);
		}
	}
	/* Holes inside the window and write-only registers read 0; writes there change nothing. */
	assert_int_equal(rd(&r, 0x20), 0);
	assert_int_equal(rd(&r, 0xffc), 0);
	assert_int_equal(rd(&r, GOLDFISH_RTC_CLEAR_ALARM), 0);
	assert_int_equal(rd(&r, GOLDFISH_RTC_CLEAR_INTERRUPT), 0);
	wr(&r, 0x20, 0xffffffffU);
	wr(&r, GOLDFISH_RTC_ALARM_STATUS, 1);
	assert_int_equal(rd(&r, GOLDFISH_RTC_ALARM_STATUS), 0);
	assert_int_equal(read_time(&r), T0);
	assert_int_equal(f.irq_count, 0);
	assert_int_equal(f.alarm_calls, 0);
}

static void test_optional_callbacks(void **state)
{
	(void)state;
	static const struct goldfish_rtc_ops only_clock = {.now_ns = fake_now};
	struct goldfish_rtc r;
	struct fake f = {.now = T0};
	goldfish_rtc_init(&r, &only_clock, &f);
	wr(&r, GOLDFISH_RTC_IRQ_ENABLED, 1);
	set_alarm(&r, T0 + 1);
	f.now++;
	goldfish_rtc_tick(&r);
	assert_int_equal(r.alarms_fired, 1);
	assert_true(r.irq_level);
}

/* drivers/goldfish_rtc.c reads TIME_LOW before TIME_HIGH; here the "registers" are memory. */
static void test_host_driver_reads_low_then_high(void **state)
{
	(void)state;
	uint32_t regs[8] = {0};
	regs[0] = 0x89abcdefU;
	regs[1] = 0x01234567U;
	assert_int_equal(goldfish_rtc_host_read_ns((paddr_t)(uintptr_t)regs),
	                 0x0123456789abcdefULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reset_state),
	    cmocka_unit_test(test_time_read_latches_high_half),
	    cmocka_unit_test(test_set_time_moves_only_the_guest_view),
	    cmocka_unit_test(test_alarm_arm_fire_and_clear_interrupt),
	    cmocka_unit_test(test_alarm_fires_on_access_without_tick),
	    cmocka_unit_test(test_alarm_in_the_past_fires_at_once),
	    cmocka_unit_test(test_clear_alarm_disarms),
	    cmocka_unit_test(test_irq_enable_gates_the_line),
	    cmocka_unit_test(test_setting_time_moves_the_alarm_deadline),
	    cmocka_unit_test(test_far_future_guest_clock_does_not_wrap_deadline),
	    cmocka_unit_test(test_alarm_at_end_of_time_is_never),
	    cmocka_unit_test(test_bad_accesses),
	    cmocka_unit_test(test_optional_callbacks),
	    cmocka_unit_test(test_host_driver_reads_low_then_high),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
