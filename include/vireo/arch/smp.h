/* SPDX-License-Identifier: GPL-2.0-only */
/** Arch contract: starting harts and sending them inter-processor interrupts. */
#ifndef VIREO_ARCH_SMP_H
#define VIREO_ARCH_SMP_H

#include <vireo/types.h>

struct percpu;

/**
 * Starts hart `hw_id` at the secondary entry point, which installs `cpu` as its per-cpu block,
 * switches to cpu->boot_stack_top and calls smp_secondary_main(). Returns 0 or VIREO_E*.
 */
int arch_smp_start_cpu(unsigned long hw_id, struct percpu *cpu);

/** Raises a software interrupt on hart `hw_id`; the target calls smp_handle_ipi(). */
void arch_smp_send_ipi(unsigned long hw_id);

/** Returns a short word for the firmware's view of a hart ("started", "stopped", ...). */
const char *arch_smp_cpu_status(unsigned long hw_id);

#endif
