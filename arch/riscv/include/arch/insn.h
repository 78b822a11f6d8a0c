/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest load/store instruction decoding, for emulating MMIO accesses that trap as load or
 * store/AMO guest-page faults.
 *
 * Covered (RV64, Unpriv. spec 20191213): LB LH LW LD LBU LHU LWU SB SH SW SD (2.6, 5.3),
 * FLW FSW (11.5), FLD FSD (12.3), and C.LW C.LD C.SW C.SD C.LWSP C.LDSP C.SWSP C.SDSP C.FLD
 * C.FSD C.FLDSP C.FSDSP (16.3). Everything else is not a plain load/store for this purpose and
 * is refused with VIREO_ENOTSUP: AMOs and LR/SC, Zfh FLH/FSH, Q FLQ/FSQ, vector loads/stores,
 * HLV/HSV, and compressed encodings from extensions other than C (Zcb).
 *
 * The decoders report neither the base register nor the immediate: on a guest-page fault the
 * faulting address comes from stval/htval, not from re-computing rs1 + offset.
 */
#ifndef ARCH_RISCV_INSN_H
#define ARCH_RISCV_INSN_H

#include <vireo/types.h>

/** One decoded load or store. */
struct insn_mem {
	bool store;          /**< true for stores */
	bool fp;             /**< FLW/FLD/FSW/FSD and compressed forms: reg is an f register */
	bool sign_extend;    /**< loads narrower than 64 bits that sign-extend (LB, LH, LW) */
	unsigned int width;  /**< access size in bytes: 1, 2, 4 or 8 */
	unsigned int reg;    /**< rd of a load, rs2 of a store (0..31) */
	unsigned int length; /**< length of the original instruction in bytes: 2 or 4 */
};

/**
 * Decodes a load or store as fetched from guest memory. For a compressed instruction (bits
 * 1:0 != 11) only the low 16 bits matter; the bits above are ignored.
 *
 * A load with rd = x0 is still a load (its side effects must happen; the value is dropped).
 *
 * Returns 0 and fills *out, or VIREO_ENOTSUP for anything that is not a plain load/store:
 * AMO, LR/SC, other opcodes, instructions longer than 32 bits, reserved encodings such as
 * C.LWSP/C.LDSP with rd = x0, and the all-zero (illegal) instruction. *out is written only on
 * success.
 */
int insn_decode_mem(uint32_t insn, struct insn_mem *out);

/**
 * Decodes the htinst value of a load or store/AMO guest-page fault (Priv. spec v1.12 8.6.3,
 * "Transformed Instruction or Pseudoinstruction for mtinst or htinst").
 *
 * - 0: the hardware gave no information; returns VIREO_ENOENT (read the instruction at sepc
 *   with HLVX and use insn_decode_mem()).
 * - A transformed load/store: bits 63:32 zero, bit 0 set, and with bit 1 set the value encodes
 *   a load/store covered by insn_decode_mem(). Bits 1:0 = 11 mean a 32-bit original, 01 a
 *   compressed original; out->length is the ORIGINAL instruction's length (4 or 2). The Addr.
 *   Offset field (bits 19:15, nonzero only when a misaligned access crossed into the faulting
 *   page) and the immediate fields are ignored, as the spec allows; a caller that wants the
 *   offset reads bits 19:15 itself. Returns 0.
 * - One of the pseudoinstructions for an implicit VS-stage page-table access (0x00002000,
 *   0x00002020, 0x00003000, 0x00003020): returns VIREO_EINVAL. Such a fault is never
 *   emulated; the guest's page tables point at something that is not RAM.
 * - Anything else (AMO, LR/SC, HLV/HSV, a custom value, bits 1:0 = 10, an undefined
 *   pseudoinstruction, nonzero bits 63:32): VIREO_ENOTSUP. The spec lets software treat an
 *   unrecognised value like zero, so a caller may fall back to reading the instruction.
 *
 * *out is written only on success.
 */
int insn_decode_htinst(uint64_t htinst, struct insn_mem *out);

/**
 * Turns the raw bytes of a load into the 64-bit register value the instruction writes: keeps
 * the low m->width bytes of value, then sign-extends (m->sign_extend) or zero-extends them.
 * For FLW (m->fp, width 4) the result is NaN-boxed, bits 63:32 all ones (Unpriv. spec 12.2),
 * ready for a 64-bit f register. Width 8, or a width that is not 1, 2 or 4, returns value
 * unchanged.
 */
static inline uint64_t insn_extend_load(const struct insn_mem *m, uint64_t value)
{
	if (m->width != 1 && m->width != 2 && m->width != 4) {
		return value;
	}
	unsigned int bit_count = m->width * 8;
	uint64_t mask = (UINT64_C(1) << bit_count) - 1;
	value &= mask;
	if (m->fp) {
		/* Unpriv. spec 12.2: a narrower FP value is NaN-boxed, the upper bits all ones. */
		return value | ~mask;
	}
	if (m->sign_extend && (value >> (bit_count - 1)) != 0) {
		value |= ~mask;
	}
	return value;
}

#endif
