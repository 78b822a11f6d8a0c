/* SPDX-License-Identifier: GPL-2.0-only */
/** Compiler helpers shared by every module. */
#ifndef VIREO_COMPILER_H
#define VIREO_COMPILER_H

#include <vireo/types.h>

#define ARRAY_SIZE(a)         (sizeof(a) / sizeof((a)[0]))
#define container_of(p, T, m) ((T *)(void *)((char *)(p)-offsetof(T, m)))
#define likely(x)             __builtin_expect(!!(x), 1)
#define unlikely(x)           __builtin_expect(!!(x), 0)
#define __unused              __attribute__((unused))
#define __noreturn            __attribute__((noreturn))
#define __aligned(n)          __attribute__((aligned(n)))
#define __section(s)          __attribute__((section(s)))
#define __printf_like(f, a)   __attribute__((format(printf, f, a)))
#define __packed              __attribute__((packed))

static inline uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static inline uint64_t align_down(uint64_t v, uint64_t a)
{
	return v & ~(a - 1);
}

static inline bool is_aligned(uint64_t v, uint64_t a)
{
	return (v & (a - 1)) == 0;
}

static inline uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

#endif
