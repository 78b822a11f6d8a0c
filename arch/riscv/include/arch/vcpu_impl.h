/* SPDX-License-Identifier: GPL-2.0-only */
/** RISC-V vCPU and guest state (H extension). */
#ifndef ARCH_RISCV_VCPU_IMPL_H
#define ARCH_RISCV_VCPU_IMPL_H

#include <arch/insn.h>
#include <arch/fp.h>
#include <arch/gstage.h>
#include <arch/vcpu_regs.h>
#include <vireo/timer.h>
#include <vireo/types.h>

/** VS-level CSRs, saved while another vCPU owns the hart (Priv. spec 8.2, 8.3). */
struct vs_csrs {
	unsigned long vsstatus;
	unsigned long vsie;
	unsigned long vstvec;
	unsigned long vsscratch;
	unsigned long vsepc;
	unsigned long vscause;
	unsigned long vstval;
	unsigned long vsatp;
	unsigned long hvip;
	uint64_t vstimecmp;
	/* HS-level CSRs that VS-mode reaches directly, with no VS copy (Priv. spec 8.2): they
	 * are switched with the rest, or one guest would read and set another's. */
	unsigned long scounteren;
	unsigned long senvcfg;
	/* Ssaia: VS-mode's siselect is vsiselect, a VS CSR like the others; without a guest
	 * interrupt file (hstatus.VGEIN 0) it is all of AIA a guest can set and read back. */
	unsigned long vsiselect;
};

#define VCPU_FLUSH_VVMA   1UL /* HFENCE.VVMA: the guest's VS-stage TLB entries */
#define VCPU_FLUSH_FENCEI 2UL /* FENCE.I */

struct arch_vcpu {
	struct arch_vcpu_regs regs;
	struct vs_csrs csrs;
	struct arch_fp fp; /**< saved while another vCPU owns the hart */
	/** Virtual interrupts raised by other threads, folded into hvip at the next entry. */
	unsigned long pending_hvip;
	volatile bool external; /**< level of the virtual external interrupt (hvip.VSEIP) */
	/** Guest timer without Sstc: absolute counter value, UINT64_MAX when not armed. */
	uint64_t timer_deadline;
	/** Fires at timer_deadline on the vCPU's hart: a running guest exits (the host timer
	 *  interrupt) and re-enters with hvip.VSTIP set; a waiting vCPU wakes. */
	struct timer_event vtimer;
	bool loaded; /**< its CSRs are in the hart's registers right now */
	/** Reset from another thread: the hart's copy of its CSRs is stale, load the saved one. */
	volatile bool reload;
	/** Fences requested by other harts (VCPU_FLUSH_*), done before the next guest entry. */
	unsigned long flush_request;
	/** Set while the vCPU executes guest code (between its fence point and its exit). */
	volatile bool in_guest;
	/** The last load/store decoded for an emulated access, by its raw bits: a driver polls
	 *  a register with the same instruction, and decoding is a pure function of the bits. */
	uint32_t mmio_insn;
	struct insn_mem mmio_decoded;
	bool mmio_cached;
};

struct arch_guest {
	struct gstage gstage;
	unsigned int vmid;
	bool vmid_shared;   /**< no VMID of its own: VMID 0, fenced when another guest used it */
	uint64_t flush_gen; /**< generation of its last G-stage flush (arch/riscv/guest_mem.c) */
};

#endif
