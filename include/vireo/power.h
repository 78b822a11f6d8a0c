/* SPDX-License-Identifier: GPL-2.0-only */
/** Powering the host off or rebooting it: firmware first, then the syscon device. */
#ifndef VIREO_POWER_H
#define VIREO_POWER_H

#include <vireo/compiler.h>

__noreturn void power_off(void);
__noreturn void power_reboot(void);

/**
 * Powers off reporting a failure: on QEMU's test finisher the emulator exits with `status`
 * (1..0xffff); elsewhere the same as power_off().
 */
__noreturn void power_off_failure(unsigned int status);

/** Method that will be used, for the boot log ("SBI SRST", "syscon", "none"). */
const char *power_method(void);

#endif
