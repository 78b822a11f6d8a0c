/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest load/store decoding for MMIO emulation (see arch/insn.h).
 *
 * References: RISC-V Unprivileged ISA 20191213 -- 1.5 "Base Instruction-Length Encoding",
 * 2.6 and 5.3 (integer loads and stores), 11.5 and 12.3 (FP loads and stores), 12.2 "NaN
 * Boxing of Narrower Values", 16.3 "Load and Store Instructions" and 16.8 "RVC Instruction Set
 * Listings" (C extension); RISC-V Privileged ISA v1.12, 8.6.3 "Transformed Instruction or
 * Pseudoinstruction for mtinst or htinst".
 */
#include <arch/insn.h>
#include <vireo/errno.h>

/* Major opcodes, bits 6:0 (Unpriv. spec 24.1, "RISC-V base opcode map"). */
#define OP_LOAD     0x03u
#define OP_LOAD_FP  0x07u
#define OP_STORE    0x23u
#define OP_STORE_FP 0x27u

/* The special pseudoinstructions of Priv. spec 8.6.3. */
#define HTINST_PSEUDO_R32 0x00002000u /* 32-bit read for VS-stage translation (RV32) */
#define HTINST_PSEUDO_W32 0x00002020u /* 32-bit write (A/D update) (RV32) */
#define HTINST_PSEUDO_R64 0x00003000u /* 64-bit read for VS-stage translation (RV64) */
#define HTINST_PSEUDO_W64 0x00003020u /* 64-bit write (A/D update) (RV64) */

/** Bits hi..lo of v, shifted down (hi - lo < 31). */
static inline unsigned int field(uint32_t v, unsigned int hi, unsigned int lo)
{
	return (v >> lo) & ((1u << (hi - lo + 1u)) - 1u);
}

/*
 * 32-bit loads and stores (Unpriv. spec 2.6, 5.3, 11.5, 12.3). I-type loads carry rd in bits
 * 11:7, S-type stores rs2 in bits 24:20. For integer loads funct3[1:0] is log2 of the width and
 * funct3[2] selects zero extension; funct3 = 111 is LDU, which exists only on RV128, and stores
 * with funct3[2] set (SQ) likewise. rs1 and the immediate are not looked at, so the same code
 * serves transformed htinst values whose rs1 holds the Addr. Offset.
 */
static int decode_32(uint32_t insn, struct insn_mem *m)
{
	unsigned int funct3 = field(insn, 14, 12);

	*m = (struct insn_mem){.length = 4};
	switch (field(insn, 6, 0)) {
	case OP_LOAD:
		if (funct3 == 7) {
			return VIREO_ENOTSUP;
		}
		m->width = 1u << (funct3 & 3u);
		m->sign_extend = (funct3 & 4u) == 0 && m->width < 8;
		m->reg = field(insn, 11, 7);
		return 0;
	case OP_STORE:
		if (funct3 > 3) {
			return VIREO_ENOTSUP;
		}
		m->store = true;
		m->width = 1u << funct3;
		m->reg = field(insn, 24, 20);
		return 0;
	case OP_LOAD_FP:
	case OP_STORE_FP:
		/*
		 * Only FLW/FSW (010) and FLD/FSD (011). The other funct3 values of these opcodes
		 * are Zfh (001), Q (100) and the vector loads/stores (000, 101, 110, 111).
		 */
		if (funct3 != 2 && funct3 != 3) {
			return VIREO_ENOTSUP;
		}
		m->fp = true;
		m->width = 1u << funct3;
		m->store = field(insn, 6, 0) == OP_STORE_FP;
		m->reg = m->store ? field(insn, 24, 20) : field(insn, 11, 7);
		return 0;
	default:
		/* Includes AMO/LR/SC (0x2f) and every instruction longer than 32 bits. */
		return VIREO_ENOTSUP;
	}
}

/* Where a compressed load/store keeps its data register (Unpriv. spec 16.2, formats). */
enum c_reg {
	C_NONE,  /* not a load/store */
	C_RD_P,  /* CL: rd' in bits 4:2, x8..x15 */
	C_RS2_P, /* CS: rs2' in bits 4:2, x8..x15 */
	C_RD,    /* CI: rd in bits 11:7 */
	C_RD_NZ, /* CI: rd in bits 11:7, rd = 0 reserved */
	C_RS2,   /* CSS: rs2 in bits 6:2 */
};

struct c_form {
	enum c_reg reg;
	unsigned int width;
	bool store;
	bool fp;
	bool sign_extend;
};

/*
 * RV64C loads and stores by quadrant and funct3 (bits 15:13), Unpriv. spec 16.8, tables 16.5
 * and 16.7. On RV64 funct3 011/111 are C.LD/C.SD and C.LDSP/C.SDSP; C.FLW, C.FSW, C.FLWSP and
 * C.FSWSP exist only on RV32. Quadrant 0 funct3 100 is reserved in C. Quadrant 1 holds no
 * loads or stores. C.LWSP and C.LDSP with rd = x0 are reserved (16.3).
 */
static const struct c_form c_quadrant0[8] = {
    [1] = {C_RD_P, 8, false, true, false},  /* C.FLD */
    [2] = {C_RD_P, 4, false, false, true},  /* C.LW */
    [3] = {C_RD_P, 8, false, false, false}, /* C.LD */
    [5] = {C_RS2_P, 8, true, true, false},  /* C.FSD */
    [6] = {C_RS2_P, 4, true, false, false}, /* C.SW */
    [7] = {C_RS2_P, 8, true, false, false}, /* C.SD */
};

static const struct c_form c_quadrant2[8] = {
    [1] = {C_RD, 8, false, true, false},     /* C.FLDSP */
    [2] = {C_RD_NZ, 4, false, false, true},  /* C.LWSP */
    [3] = {C_RD_NZ, 8, false, false, false}, /* C.LDSP */
    [5] = {C_RS2, 8, true, true, false},     /* C.FSDSP */
    [6] = {C_RS2, 4, true, false, false},    /* C.SWSP */
    [7] = {C_RS2, 8, true, false, false},    /* C.SDSP */
};

static int decode_16(uint32_t insn, struct insn_mem *m)
{
	const struct c_form *f;
	unsigned int reg;

	switch (field(insn, 1, 0)) {
	case 0:
		f = &c_quadrant0[field(insn, 15, 13)];
		break;
	case 2:
		f = &c_quadrant2[field(insn, 15, 13)];
		break;
	default:
		return VIREO_ENOTSUP;
	}

	switch (f->reg) {
	case C_RD_P:
	case C_RS2_P:
		reg = 8 + field(insn, 4, 2);
		break;
	case C_RD:
	case C_RD_NZ:
		reg = field(insn, 11, 7);
		if (f->reg == C_RD_NZ && reg == 0) {
			return VIREO_ENOTSUP;
		}
		break;
	case C_RS2:
		reg = field(insn, 6, 2);
		break;
	case C_NONE:
	default:
		/* Also the all-zero instruction, which is C.ADDI4SPN's illegal code point. */
		return VIREO_ENOTSUP;
	}

	*m = (struct insn_mem){
	    .store = f->store,
	    .fp = f->fp,
	    .sign_extend = f->sign_extend,
	    .width = f->width,
	    .reg = reg,
	    .length = 2,
	};
	return 0;
}

int insn_decode_mem(uint32_t insn, struct insn_mem *out)
{
	struct insn_mem m;
	int err;

	/* Unpriv. spec 1.5: bits 1:0 != 11 is a 16-bit instruction, the upper half ignored. */
	if ((insn & 3u) != 3u) {
		err = decode_16(insn & 0xffffu, &m);
	} else {
		err = decode_32(insn, &m);
	}
	if (err == 0) {
		*out = m;
	}
	return err;
}

int insn_decode_htinst(uint64_t htinst, struct insn_mem *out)
{
	struct insn_mem m;
	uint32_t v;
	int err;

	if (htinst == 0) {
		return VIREO_ENOENT;
	}
	/*
	 * Priv. spec 8.6.3: software must confirm that bits 63:32 are zero; a future standard may
	 * define 64-bit values whose low half merely looks like a standard instruction.
	 */
	if ((htinst >> 32) != 0) {
		return VIREO_ENOTSUP;
	}
	v = (uint32_t)htinst;

	switch (v & 3u) {
	case 0:
		/* Pseudoinstructions have bits 1:0 = 00; only four are defined. */
		if (v == HTINST_PSEUDO_R32 || v == HTINST_PSEUDO_W32 || v == HTINST_PSEUDO_R64 ||
		    v == HTINST_PSEUDO_W64) {
			return VIREO_EINVAL;
		}
		return VIREO_ENOTSUP;
	case 1:
	case 3:
		/*
		 * A transformed instruction: with bit 1 set it is the (expanded) 32-bit load or
		 * store, rs1 replaced by the Addr. Offset and the immediates zeroed. The spec's note
		 * says the immediate fields need not be checked, and some QEMU versions leave them
		 * filled in, so decode_32() ignores both. Bit 1 tells the length of the original:
		 * set for 32 bits, clear for a compressed instruction.
		 */
		err = decode_32(v | 2u, &m);
		if (err != 0) {
			return err;
		}
		m.length = (v & 2u) != 0 ? 4 : 2;
		*out = m;
		return 0;
	default:
		/* Bits 1:0 = 10 is excluded by the spec. */
		return VIREO_ENOTSUP;
	}
}
