/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * What the H extension of this machine implements beyond the base, probed on the boot hart at
 * boot (arch/riscv/hext.c) and the same on every hart (QEMU virt harts are identical).
 */
#ifndef ARCH_RISCV_HEXT_H
#define ARCH_RISCV_HEXT_H

#include <vireo/types.h>

struct hext_caps {
	/** VMIDLEN (Priv. spec 8.2.10): hgatp.VMID bits that hold a one after writing ones. */
	unsigned int vmid_bits;
	bool senvcfg;   /**< senvcfg exists (Priv. spec 1.12, 4.1.4) */
	bool smstateen; /**< hstateen0 exists (Smstateen) */
	bool ssaia;     /**< vsiselect exists (Ssaia), the one AIA CSR a guest can set and read */
	/** What the firmware left in scounteren and senvcfg: a guest hart starts with these, as
	 *  it would on the bare machine (OpenSBI lets S-mode give U-mode the counters). */
	unsigned long scounteren_reset;
	unsigned long senvcfg_reset;
};

extern struct hext_caps hext;

/** Fills hext; boot hart, before any guest exists. */
void hext_probe(void);
/** Per-hart H-extension state no guest may share: run on each hart before its first guest. */
void hext_hart_init(void);

#endif
