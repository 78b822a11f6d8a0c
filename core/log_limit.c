/* SPDX-License-Identifier: GPL-2.0-only */
/** Rate limits for guest-triggered log messages (include/vireo/log_limit.h). */
#include <vireo/log_limit.h>

int log_limit_check(struct log_limit *l, nsec_t now)
{
	/* A new window opens LOG_LIMIT_WINDOW_NS after the last one opened (or at once for a
	 * fresh limit, whose window_start of 0 lies in the past). */
	if (l->printed == 0 || now - l->window_start >= LOG_LIMIT_WINDOW_NS) {
		l->window_start = now;
		l->printed = 0;
	}
	if (l->printed >= LOG_LIMIT_BURST) {
		if (l->suppressed < INT32_MAX) {
			l->suppressed++;
		}
		return -1;
	}
	l->printed++;
	int dropped = (int)l->suppressed;
	l->suppressed = 0;
	return dropped;
}
