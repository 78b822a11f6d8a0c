/* SPDX-License-Identifier: GPL-2.0-only */
/** Powering the host off or rebooting it: firmware first, then the syscon device. */
#ifndef VIREO_POWER_H
#define VIREO_POWER_H

#include <vireo/compiler.h>

__noreturn void power_off(void);
__noreturn void power_reboot(void);

/** Method that will be used, for the boot log ("SBI SRST", "syscon", "none"). */
const char *power_method(void);

#endif
