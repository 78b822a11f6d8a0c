/* SPDX-License-Identifier: GPL-2.0-only */
/** Monotonic clock: counter ticks since boot converted exactly to nanoseconds. */
#include <vireo/arch/timer.h>
#include <vireo/clock.h>

static uint64_t counter_hz = 1;
static uint64_t counter_base;

void clock_init(uint64_t hz)
{
	counter_hz = hz ? hz : 1;
	counter_base = arch_timer_ticks();
}

uint64_t clock_counter_hz(void)
{
	return counter_hz;
}

nsec_t clock_ticks_to_ns(uint64_t ticks)
{
	uint64_t delta = ticks > counter_base ? ticks - counter_base : 0;
	/* Split into whole seconds and a remainder so nothing overflows for centuries of uptime
	 * while staying exact (no accumulated rounding). */
	uint64_t sec = delta / counter_hz;
	uint64_t rem = delta % counter_hz;
	/* A deadline ~2^58 ticks away at 10 MHz (a guest's far-future set_timer) has more whole
	 * seconds than nanoseconds fit in 64 bits: saturate to "never" instead of wrapping into
	 * the past, which would fire at once, over and over. */
	if (sec > (UINT64_MAX - NSEC_PER_SEC) / NSEC_PER_SEC) {
		return UINT64_MAX;
	}
	return sec * NSEC_PER_SEC + rem * NSEC_PER_SEC / counter_hz;
}

uint64_t clock_ns_to_ticks(nsec_t ns)
{
	uint64_t sec = ns / NSEC_PER_SEC;
	uint64_t rem = ns % NSEC_PER_SEC;
	if (sec > UINT64_MAX / counter_hz) {
		return UINT64_MAX;
	}
	/* Round the sub-second part up so an event never fires before its deadline. */
	uint64_t ticks = sec * counter_hz + (rem * counter_hz + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
	if (ticks > UINT64_MAX - counter_base) {
		return UINT64_MAX;
	}
	return ticks + counter_base;
}

nsec_t clock_now(void)
{
	return clock_ticks_to_ns(arch_timer_ticks());
}
