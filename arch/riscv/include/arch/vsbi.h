/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The SBI a guest sees (SBI spec v2.0), one file per extension (arch/riscv/vsbi_*.c), found
 * through the table in vsbi.c. Handlers run on the vCPU's thread with its CSRs loaded.
 */
#ifndef ARCH_RISCV_VSBI_H
#define ARCH_RISCV_VSBI_H

#include <vireo/arch/vcpu.h>

struct vcpu;

struct vsbi_ret {
	long error;
	long value;
	bool legacy; /**< v0.1 call: only a0 (= error) is written back */
};

struct vsbi_ext {
	unsigned long ext_min; /**< first extension id served */
	unsigned long ext_max; /**< last extension id served */
	const char *name;
	/**
	 * Handles function fid with arguments a0..a5. Fills *ret; returns what the vCPU loop
	 * must do next (VCPU_EXIT_CONTINUE normally).
	 */
	enum vcpu_exit (*handle)(struct vcpu *v, unsigned long ext, unsigned long fid,
	                         const unsigned long *args, struct vsbi_ret *ret);
};

/** Handles the ecall in v's registers (a7 = extension, a6 = function) and writes results. */
enum vcpu_exit vsbi_handle(struct vcpu *v);

/** The extension serving ext, or NULL (used by BASE probe_extension). */
const struct vsbi_ext *vsbi_find(unsigned long ext);

/** Guest-physical range check for SBI memory arguments: inside guest RAM? */
bool vsbi_gpa_range_ok(struct vcpu *v, uint64_t gpa, uint64_t len);

/* SBI v2.0 error codes (chapter 3). */
#define SBI_OK                 0
#define SBI_EFAILED            -1
#define SBI_ENOT_SUPPORTED     -2
#define SBI_EINVALID_PARAM     -3
#define SBI_EDENIED            -4
#define SBI_EINVALID_ADDRESS   -5
#define SBI_EALREADY_AVAILABLE -6
#define SBI_EALREADY_STARTED   -7
#define SBI_EALREADY_STOPPED   -8

extern const struct vsbi_ext vsbi_ext_base;
extern const struct vsbi_ext vsbi_ext_legacy;
extern const struct vsbi_ext vsbi_ext_time;
extern const struct vsbi_ext vsbi_ext_ipi;
extern const struct vsbi_ext vsbi_ext_rfence;
extern const struct vsbi_ext vsbi_ext_hsm;
extern const struct vsbi_ext vsbi_ext_srst;
extern const struct vsbi_ext vsbi_ext_dbcn;

/** Clears the vCPU's virtual software interrupt (legacy clear_ipi). */
void vcpu_clear_ipi(struct vcpu *v);

/**
 * Sends a virtual IPI to the guest harts in hart_mask (relative to hart_mask_base; base
 * ~0UL means all harts, SBI spec 3.1). Returns an SBI error code.
 */
long vsbi_send_ipi(struct vcpu *v, unsigned long hart_mask, unsigned long hart_mask_base);

/**
 * Remote FENCE.I (fence_i) or SFENCE.VMA (whole address space) for the guest harts in the
 * mask: each target flushes before it next runs guest code. Returns an SBI error code.
 */
long vsbi_remote_fence(struct vcpu *v, unsigned long hart_mask, unsigned long hart_mask_base,
                       bool fence_i);

/** Programs the guest's timer (absolute counter value); used by TIME and legacy set_timer. */
void vcpu_timer_set(struct vcpu *v, uint64_t deadline);

#endif
