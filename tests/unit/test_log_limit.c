/* SPDX-License-Identifier: GPL-2.0-only */
/** Host tests for core/log_limit.c: bursts, windows, the suppressed count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <vireo/log_limit.h>

static void test_burst_then_drop(void **state)
{
	(void)state;
	struct log_limit l = {0};
	nsec_t t = 5 * NSEC_PER_SEC;

	for (unsigned int i = 0; i < LOG_LIMIT_BURST; i++) {
		assert_int_equal(log_limit_check(&l, t + i), 0);
	}
	for (unsigned int i = 0; i < 1000; i++) {
		assert_int_equal(log_limit_check(&l, t + LOG_LIMIT_BURST + i), -1);
	}
	/* Still inside the window: dropped. */
	assert_int_equal(log_limit_check(&l, t + LOG_LIMIT_WINDOW_NS - 1), -1);
	/* The next window lets one through and reports what was dropped, once. */
	assert_int_equal(log_limit_check(&l, t + LOG_LIMIT_WINDOW_NS), 1001);
	assert_int_equal(log_limit_check(&l, t + LOG_LIMIT_WINDOW_NS + 1), 0);
}

static void test_fresh_limit_at_time_zero(void **state)
{
	(void)state;
	struct log_limit l = {0};

	/* A limit first used at boot (time 0 or close to it) still allows a burst. */
	for (unsigned int i = 0; i < LOG_LIMIT_BURST; i++) {
		assert_int_equal(log_limit_check(&l, 0), 0);
	}
	assert_int_equal(log_limit_check(&l, 0), -1);
}

static void test_slow_messages_never_dropped(void **state)
{
	(void)state;
	struct log_limit l = {0};

	/* One message per window forever: none dropped, none reported as suppressed. */
	for (unsigned int i = 0; i < 100; i++) {
		assert_int_equal(log_limit_check(&l, (nsec_t)i * LOG_LIMIT_WINDOW_NS), 0);
	}
}

static void test_window_counts_from_its_start(void **state)
{
	(void)state;
	struct log_limit l = {0};
	nsec_t t = NSEC_PER_SEC;

	/* A burst spread over the window: the window does not slide with each message. */
	for (unsigned int i = 0; i < LOG_LIMIT_BURST; i++) {
		assert_int_equal(log_limit_check(&l, t + i * (LOG_LIMIT_WINDOW_NS / 10)), 0);
	}
	assert_int_equal(log_limit_check(&l, t + LOG_LIMIT_WINDOW_NS - 1), -1);
	assert_int_equal(log_limit_check(&l, t + LOG_LIMIT_WINDOW_NS), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_burst_then_drop),
	    cmocka_unit_test(test_fresh_limit_at_time_zero),
	    cmocka_unit_test(test_slow_messages_never_dropped),
	    cmocka_unit_test(test_window_counts_from_its_start),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
