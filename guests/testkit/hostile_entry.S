/* SPDX-License-Identifier: GPL-2.0-only */
/* Second-hart entries of the hostile mode (SBI spec v2.0 9.1: a0 = hart id, a1 = opaque). */
#include "csr.h"
#include "secondary_entry.h"

#define SBI_EXT_HSM 0x48534d

	.text
	/* Stops at once: HSM hart_stop (9.2), for the start/stop churn. */
	.global hk_stop_entry
	.align 2
hk_stop_entry:
	li	a7, SBI_EXT_HSM
	li	a6, 1
	ecall
1:	wfi
	j	1b

	/* Runs hk_secondary_main with a1 = its struct tk_hart, like tk_secondary_entry. */
	TK_SECONDARY_ENTRY hk_secondary_entry, hk_secondary_main

	/* The storm mode's second hart (storm.c). */
	TK_SECONDARY_ENTRY tk_storm_secondary_entry, tk_storm_secondary_main
