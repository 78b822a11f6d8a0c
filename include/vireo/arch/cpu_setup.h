/* SPDX-License-Identifier: GPL-2.0-only */
/** Arch contract: checking and setting up the virtualization hardware of a hart. */
#ifndef VIREO_ARCH_CPU_SETUP_H
#define VIREO_ARCH_CPU_SETUP_H

#include <vireo/types.h>

/**
 * Checks that this hart can run Vireo. Returns 0, or VIREO_ENOTSUP with *why set to a one-line
 * explanation for the user (e.g. the RISC-V H extension is missing).
 */
int arch_cpu_check_virt(const char **why);

/**
 * Per-hart trap and interrupt setup, run on each hart before it enables interrupts. External
 * interrupts are enabled only when a driver will claim them (`external`).
 */
void arch_cpu_init_traps(bool external);

/** Describes the firmware below the hypervisor ("SBI v1.0, OpenSBI v1.1"). */
void arch_firmware_describe(char *buf, size_t size);

/** Lowest address of the boot hart's initial stack (its idle thread's stack). */
uintptr_t arch_boot_stack_base(void);

/** Name of the architecture ("riscv64"). */
const char *arch_name(void);

#endif
