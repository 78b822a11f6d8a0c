/* SPDX-License-Identifier: GPL-2.0-only */
/** SBI calls made by the test kit, written from the SBI specification v2.0. */
#ifndef TESTKIT_SBI_H
#define TESTKIT_SBI_H

#include <stdbool.h>
#include <stdint.h>

/* Extension IDs (SBI spec v2.0, chapters 4-12 and 5 for the legacy ones). */
#define SBI_EXT_LEGACY_SET_TIMER 0x00
#define SBI_EXT_LEGACY_PUTCHAR   0x01
#define SBI_EXT_LEGACY_SHUTDOWN  0x08
#define SBI_EXT_BASE             0x10
#define SBI_EXT_TIME             0x54494d45
#define SBI_EXT_IPI              0x735049
#define SBI_EXT_RFENCE           0x52464e43
#define SBI_EXT_HSM              0x48534d
#define SBI_EXT_SRST             0x53525354
#define SBI_EXT_DBCN             0x4442434e

/* Standard error codes (SBI spec v2.0, table 1). */
#define SBI_SUCCESS               0
#define SBI_ERR_FAILED            (-1)
#define SBI_ERR_NOT_SUPPORTED     (-2)
#define SBI_ERR_INVALID_PARAM     (-3)
#define SBI_ERR_DENIED            (-4)
#define SBI_ERR_INVALID_ADDRESS   (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_ERR_ALREADY_STARTED   (-7)
#define SBI_ERR_ALREADY_STOPPED   (-8)

/* HSM hart states (SBI spec v2.0, HSM chapter). */
#define SBI_HSM_STARTED       0
#define SBI_HSM_STOPPED       1
#define SBI_HSM_START_PENDING 2
#define SBI_HSM_STOP_PENDING  3
#define SBI_HSM_SUSPENDED     4

#define SBI_SRST_SHUTDOWN       0
#define SBI_SRST_COLD_REBOOT    1
#define SBI_SRST_REASON_NONE    0
#define SBI_SRST_REASON_FAILURE 1

/** hart_mask_base value meaning "every hart", ignoring hart_mask (SBI spec v2.0, 3.1). */
#define SBI_HART_MASK_ALL (~0UL)

/** What every SBI function returns in a0 (error) and a1 (value). */
struct sbiret {
	long error;
	long value;
};

/** One ecall with up to five arguments. */
struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
                        unsigned long a2, unsigned long a3, unsigned long a4);

/** BASE probe_extension: true if @ext is implemented. */
bool sbi_probe(unsigned long ext);

/** TIME set_timer when present, else the legacy call; returns the SBI error. */
long sbi_set_timer(uint64_t stime);

/** HSM calls. */
long sbi_hart_start(unsigned long hartid, unsigned long start, unsigned long opaque);
long sbi_hart_stop(void);
struct sbiret sbi_hart_get_status(unsigned long hartid);

/** SRST, then the legacy shutdown; never returns. */
void sbi_shutdown(bool failure) __attribute__((noreturn));

/** Text name of an SBI error code, for FAIL reasons. */
const char *sbi_strerror(long error);

#endif
