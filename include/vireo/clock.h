/* SPDX-License-Identifier: GPL-2.0-only */
/** Monotonic nanosecond clock derived from the platform counter (arch_timer_ticks). */
#ifndef VIREO_CLOCK_H
#define VIREO_CLOCK_H

#include <vireo/types.h>

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC  1000000000ULL

/** Sets the counter frequency; the clock reads 0 at this call. */
void clock_init(uint64_t counter_hz);

uint64_t clock_counter_hz(void);

/** Nanoseconds since clock_init. */
nsec_t clock_now(void);

/** Converts between clock nanoseconds and absolute counter values (saturating). */
uint64_t clock_ns_to_ticks(nsec_t ns);
nsec_t clock_ticks_to_ns(uint64_t ticks);

#endif
