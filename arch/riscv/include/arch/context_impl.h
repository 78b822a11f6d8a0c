/* SPDX-License-Identifier: GPL-2.0-only */
/** RISC-V thread context: what the psABI says a callee must preserve, plus ra and sp. */
#ifndef ARCH_RISCV_CONTEXT_IMPL_H
#define ARCH_RISCV_CONTEXT_IMPL_H

#ifndef __ASSEMBLY__
#include <vireo/types.h>

struct arch_context {
	unsigned long ra;
	unsigned long sp;
	unsigned long s[12];
};
#endif

#define CTX_RA 0
#define CTX_SP 8
#define CTX_S0 16

#endif
