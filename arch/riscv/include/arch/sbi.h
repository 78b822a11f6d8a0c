/* SPDX-License-Identifier: GPL-2.0-only */
/** Calls from HS-mode into the SBI firmware (SBI spec v2.0). */
#ifndef ARCH_RISCV_SBI_H
#define ARCH_RISCV_SBI_H

#include <vireo/types.h>

/* Extension ids (SBI spec chapters 4-10). */
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_BASE           0x10
#define SBI_EXT_TIME           0x54494d45
#define SBI_EXT_IPI            0x735049
#define SBI_EXT_HSM            0x48534d
#define SBI_EXT_SRST           0x53525354

/* Standard error codes (SBI spec 3.2). */
#define SBI_SUCCESS               0
#define SBI_ERR_FAILED            -1
#define SBI_ERR_NOT_SUPPORTED     -2
#define SBI_ERR_INVALID_PARAM     -3
#define SBI_ERR_DENIED            -4
#define SBI_ERR_INVALID_ADDRESS   -5
#define SBI_ERR_ALREADY_AVAILABLE -6

/* HSM hart states (SBI spec 9.1). */
#define SBI_HSM_STARTED         0
#define SBI_HSM_STOPPED         1
#define SBI_HSM_START_PENDING   2
#define SBI_HSM_STOP_PENDING    3
#define SBI_HSM_SUSPENDED       4
#define SBI_HSM_SUSPEND_PENDING 5
#define SBI_HSM_RESUME_PENDING  6

/* SRST reset types (SBI spec 10.1). */
#define SBI_SRST_SHUTDOWN    0
#define SBI_SRST_COLD_REBOOT 1

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
                       unsigned long a2);

/** True if the firmware implements extension ext (Base: probe_extension). */
bool sbi_has_extension(unsigned long ext);
/** Firmware spec version, implementation id and version (for `host info`). */
void sbi_get_info(unsigned long *spec, unsigned long *impl_id, unsigned long *impl_version);
/** Legacy console putchar (SBI v0.1), usable before the UART driver is bound. */
void sbi_legacy_putchar(char c);
long sbi_set_timer(uint64_t deadline);
long sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);
long sbi_hart_start(unsigned long hartid, unsigned long start_addr, unsigned long opaque);
long sbi_hart_get_status(unsigned long hartid);
long sbi_system_reset(unsigned long type, unsigned long reason);

#endif
