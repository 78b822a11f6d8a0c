/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Rate limits for log messages a guest can trigger at will (a guest rebooting in a loop, a
 * guest faulting in a loop): at most LOG_LIMIT_BURST messages per LOG_LIMIT_WINDOW_NS for one
 * limit; the rest are counted, and the first message let through after them says how many
 * were suppressed. Each guest (or vCPU) keeps its own limits, so one guest cannot silence the
 * messages of another.
 */
#ifndef VIREO_LOG_LIMIT_H
#define VIREO_LOG_LIMIT_H

#include <vireo/clock.h>
#include <vireo/log.h>
#include <vireo/types.h>

#define LOG_LIMIT_BURST     5
#define LOG_LIMIT_WINDOW_NS (10 * NSEC_PER_SEC)

/** One rate limit; all-zero is a fresh one. Not locked: callers serialize, or accept that
 * two harts racing may let a message more through. */
struct log_limit {
	nsec_t window_start;
	unsigned int printed;    /**< messages let through in the current window */
	unsigned int suppressed; /**< messages dropped since the last one let through */
};

/**
 * Decides about one message at time now: -1 drops it (counted); otherwise it may be printed,
 * and the value is how many were suppressed before it (to be reported once, now).
 */
int log_limit_check(struct log_limit *l, nsec_t now);

/** log_msg() under a rate limit, with a line about suppressed messages when there were any. */
#define log_limited(limit, level, ...)                                                  \
	do {                                                                            \
		int dropped_ = log_limit_check((limit), clock_now());                   \
		if (dropped_ > 0) {                                                     \
			log_msg((level), "(%d similar messages suppressed)", dropped_); \
		}                                                                       \
		if (dropped_ >= 0) {                                                    \
			log_msg((level), __VA_ARGS__);                                  \
		}                                                                       \
	} while (0)

#endif
