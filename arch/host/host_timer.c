/* SPDX-License-Identifier: GPL-2.0-only */
/** Host (unit test) build of the timer contract: a counter the test sets by hand. */
#include <vireo/arch/timer.h>

uint64_t host_timer_ticks;
uint64_t host_timer_deadline = UINT64_MAX;

uint64_t arch_timer_ticks(void)
{
	return host_timer_ticks;
}

void arch_timer_set_deadline(uint64_t deadline)
{
	host_timer_deadline = deadline;
}

int arch_timer_probe(void)
{
	return 0;
}

const char *arch_timer_method(void)
{
	return "host";
}
