/* SPDX-License-Identifier: GPL-2.0-only */
/** A guest's floating-point state (arch/riscv/fp.S). */
#ifndef ARCH_RISCV_FP_H
#define ARCH_RISCV_FP_H

#define FP_FCSR (32 * 8)

#ifndef __ASSEMBLY__
#include <vireo/types.h>

struct arch_fp {
	uint64_t f[32];
	uint64_t fcsr;
};

_Static_assert(__builtin_offsetof(struct arch_fp, fcsr) == FP_FCSR, "fp layout");

/** Stores f0-f31 and fcsr into fp. sstatus.FS must not be Off. */
void arch_fp_save(struct arch_fp *fp);
/** Loads f0-f31 and fcsr from fp. sstatus.FS must not be Off. */
void arch_fp_load(const struct arch_fp *fp);
#endif

#endif
