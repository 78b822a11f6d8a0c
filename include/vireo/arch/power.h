/* SPDX-License-Identifier: GPL-2.0-only */
/** Arch contract: firmware power control and halting a hart. */
#ifndef VIREO_ARCH_POWER_H
#define VIREO_ARCH_POWER_H

#include <vireo/compiler.h>

enum arch_power_action {
	ARCH_POWER_OFF,
	ARCH_POWER_REBOOT,
};

/**
 * Asks the firmware to power off or reboot the machine (RISC-V: SBI SRST). Returns only on
 * failure, with VIREO_ENOTSUP when the firmware lacks the call.
 */
int arch_power_firmware(enum arch_power_action action);

/** Name of the firmware power interface, or NULL if the firmware has none. */
const char *arch_power_firmware_name(void);

/** Stops this hart for good: interrupts masked, sleeping. */
__noreturn void arch_cpu_halt(void);

#endif
