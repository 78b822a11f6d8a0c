/* SPDX-License-Identifier: GPL-2.0-only */
/** Arch contract: this hart's free-running counter and one-shot timer. */
#ifndef VIREO_ARCH_TIMER_H
#define VIREO_ARCH_TIMER_H

#include <vireo/types.h>

/** The platform counter (RISC-V: the time CSR), constant rate, shared by all harts. */
uint64_t arch_timer_ticks(void);

/**
 * Programs this hart's one-shot timer interrupt for counter value `deadline`; UINT64_MAX
 * cancels and clears a pending timer interrupt. Call with interrupts masked.
 */
void arch_timer_set_deadline(uint64_t deadline);

/**
 * Probes the timer method once on the boot hart (before other harts start). Returns 0, or
 * VIREO_ENOTSUP when the hart has no usable one-shot timer.
 */
int arch_timer_probe(void);

/** Short name of the method in use ("sstc", "sbi"), for the boot log and `host info`. */
const char *arch_timer_method(void);

#endif
