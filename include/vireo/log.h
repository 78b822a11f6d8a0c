/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Hypervisor log. Each message is formatted first and written to the console in one piece, so
 * lines from different harts never interleave. Messages above the current level are dropped.
 */
#ifndef VIREO_LOG_H
#define VIREO_LOG_H

#include <vireo/compiler.h>

enum log_level {
	LOG_ERR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

__printf_like(2, 3) void log_msg(enum log_level level, const char *fmt, ...);

#define log_err(...)   log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/** Reports a hypervisor bug and halts every hart. Never for guest- or user-caused errors. */
__noreturn __printf_like(1, 2) void panic(const char *fmt, ...);

/** For invariants the hypervisor owns (never guest, configuration or user input). */
#define BUG_ON(cond)                                                             \
	do {                                                                     \
		if (unlikely(cond)) {                                            \
			panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
		}                                                                \
	} while (0)

#endif
