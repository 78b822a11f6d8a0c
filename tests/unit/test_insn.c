/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests for arch/riscv/insn.c, the guest load/store decoder.
 *
 * Expected encodings come from an encoder written here from the field layouts of the
 * Unprivileged spec 20191213 (2.2 and 2.3 base formats, 16.2 compressed formats, 16.3 offsets),
 * which is itself checked against the GNU assembler: tests/unit/gen-insn-vectors.sh assembles
 * every form into $VIREO_INSN_VECTORS (default build/host/insn-vectors.txt).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arch/insn.h>
#include <vireo/errno.h>

enum fmt { F_I, F_S, F_CL, F_CS, F_CI, F_CSS };

/* Offset bits off_hi..off_lo sit in instruction bits insn_hi..insn_lo. */
struct seg {
	unsigned int insn_hi, insn_lo, off_hi, off_lo;
};

#define SEGS(...) ((const struct seg[]){__VA_ARGS__, {0, 0, 0, 0}})

/* Compressed immediates, transcribed from the spec's CL/CS/CI/CSS figures (16.3). */
#define IMM_CLW  SEGS({12, 10, 5, 3}, {6, 6, 2, 2}, {5, 5, 6, 6})
#define IMM_CLD  SEGS({12, 10, 5, 3}, {6, 5, 7, 6})
#define IMM_LWSP SEGS({12, 12, 5, 5}, {6, 4, 4, 2}, {3, 2, 7, 6})
#define IMM_LDSP SEGS({12, 12, 5, 5}, {6, 5, 4, 3}, {4, 2, 8, 6})
#define IMM_SWSP SEGS({12, 9, 5, 2}, {8, 7, 7, 6})
#define IMM_SDSP SEGS({12, 10, 5, 3}, {9, 7, 8, 6})

struct form {
	const char *name; /* mnemonic as objdump -M no-aliases prints it */
	enum fmt fmt;
	unsigned int opcode; /* 32-bit: major opcode; compressed: quadrant */
	unsigned int funct3;
	unsigned int width;
	bool store, fp, sign;
	const struct seg *imm;  /* compressed only */
	unsigned int scale;     /* compressed only: offset unit; 32 or 64 offsets */
	bool rd_nonzero;        /* rd = x0 is a reserved encoding */
	const char *expands_to; /* compressed only: the 32-bit equivalent */
};

static const struct form forms[] = {
    {"lb", F_I, 0x03, 0, 1, false, false, true, NULL, 0, false, NULL},
    {"lh", F_I, 0x03, 1, 2, false, false, true, NULL, 0, false, NULL},
    {"lw", F_I, 0x03, 2, 4, false, false, true, NULL, 0, false, NULL},
    {"ld", F_I, 0x03, 3, 8, false, false, false, NULL, 0, false, NULL},
    {"lbu", F_I, 0x03, 4, 1, false, false, false, NULL, 0, false, NULL},
    {"lhu", F_I, 0x03, 5, 2, false, false, false, NULL, 0, false, NULL},
    {"lwu", F_I, 0x03, 6, 4, false, false, false, NULL, 0, false, NULL},
    {"sb", F_S, 0x23, 0, 1, true, false, false, NULL, 0, false, NULL},
    {"sh", F_S, 0x23, 1, 2, true, false, false, NULL, 0, false, NULL},
    {"sw", F_S, 0x23, 2, 4, true, false, false, NULL, 0, false, NULL},
    {"sd", F_S, 0x23, 3, 8, true, false, false, NULL, 0, false, NULL},
    {"flw", F_I, 0x07, 2, 4, false, true, false, NULL, 0, false, NULL},
    {"fld", F_I, 0x07, 3, 8, false, true, false, NULL, 0, false, NULL},
    {"fsw", F_S, 0x27, 2, 4, true, true, false, NULL, 0, false, NULL},
    {"fsd", F_S, 0x27, 3, 8, true, true, false, NULL, 0, false, NULL},
    {"c.lw", F_CL, 0, 2, 4, false, false, true, IMM_CLW, 4, false, "lw"},
    {"c.ld", F_CL, 0, 3, 8, false, false, false, IMM_CLD, 8, false, "ld"},
    {"c.fld", F_CL, 0, 1, 8, false, true, false, IMM_CLD, 8, false, "fld"},
    {"c.sw", F_CS, 0, 6, 4, true, false, false, IMM_CLW, 4, false, "sw"},
    {"c.sd", F_CS, 0, 7, 8, true, false, false, IMM_CLD, 8, false, "sd"},
    {"c.fsd", F_CS, 0, 5, 8, true, true, false, IMM_CLD, 8, false, "fsd"},
    {"c.lwsp", F_CI, 2, 2, 4, false, false, true, IMM_LWSP, 4, true, "lw"},
    {"c.ldsp", F_CI, 2, 3, 8, false, false, false, IMM_LDSP, 8, true, "ld"},
    {"c.fldsp", F_CI, 2, 1, 8, false, true, false, IMM_LDSP, 8, false, "fld"},
    {"c.swsp", F_CSS, 2, 6, 4, true, false, false, IMM_SWSP, 4, false, "sw"},
    {"c.sdsp", F_CSS, 2, 7, 8, true, false, false, IMM_SDSP, 8, false, "sd"},
    {"c.fsdsp", F_CSS, 2, 5, 8, true, true, false, IMM_SDSP, 8, false, "fsd"},
};
#define FORM_COUNT (sizeof(forms) / sizeof(forms[0]))

static const int offsets32[] = {0, 1, -1, 4, -4, 8, -8, 256, 1365, -1366, 2047, -2048};
#define OFFSET32_COUNT (sizeof(offsets32) / sizeof(offsets32[0]))

static bool compressed(const struct form *f)
{
	return f->fmt >= F_CL;
}

static const struct form *form_by_name(const char *name)
{
	for (size_t i = 0; i < FORM_COUNT; i++) {
		if (strcmp(forms[i].name, name) == 0) {
			return &forms[i];
		}
	}
	return NULL;
}

/* Number of distinct offsets of a compressed form: its immediate has 5 or 6 bits. */
static unsigned int c_offset_count(const struct form *f)
{
	unsigned int bits = 0;

	for (const struct seg *s = f->imm; s->insn_hi != 0; s++) {
		bits += s->insn_hi - s->insn_lo + 1;
	}
	return 1u << bits;
}

static uint32_t enc_i(unsigned int op, unsigned int f3, unsigned int rd, unsigned int rs1, int imm)
{
	return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t enc_s(unsigned int op, unsigned int f3, unsigned int rs1, unsigned int rs2, int imm)
{
	uint32_t u = (uint32_t)imm & 0xfff;

	return (u >> 5) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1f) << 7 | op;
}

/* The A-extension layout (funct5, aq, rl, rs2, rs1, funct3, rd, 0x2f). */
static uint32_t enc_amo(unsigned int funct5, unsigned int f3, unsigned int rd, unsigned int rs1,
                        unsigned int rs2)
{
	return funct5 << 27 | 3u << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | 0x2f;
}

static uint32_t scatter(const struct seg *s, unsigned int off)
{
	uint32_t v = 0;

	for (; s->insn_hi != 0; s++) {
		unsigned int n = s->insn_hi - s->insn_lo + 1;
		v |= ((off >> s->off_lo) & ((1u << n) - 1)) << s->insn_lo;
	}
	return v;
}

/* reg: rd or rs2 (x or f number); base: rs1 (x2 implied for CI/CSS). */
static uint32_t encode(const struct form *f, unsigned int reg, unsigned int base, int off)
{
	uint32_t c = f->funct3 << 13 | f->opcode;

	switch (f->fmt) {
	case F_I:
		return enc_i(f->opcode, f->funct3, reg, base, off);
	case F_S:
		return enc_s(f->opcode, f->funct3, base, reg, off);
	case F_CL:
	case F_CS:
		return c | scatter(f->imm, (unsigned int)off) | (base - 8) << 7 | (reg - 8) << 2;
	case F_CI:
		return c | scatter(f->imm, (unsigned int)off) | reg << 7;
	case F_CSS:
		return c | scatter(f->imm, (unsigned int)off) | reg << 2;
	}
	return 0;
}

static const struct insn_mem poison = {true, true, true, 77, 99, 55};

static void expect_same(const struct insn_mem *a, const struct insn_mem *b)
{
	assert_int_equal(a->store, b->store);
	assert_int_equal(a->fp, b->fp);
	assert_int_equal(a->sign_extend, b->sign_extend);
	assert_int_equal(a->width, b->width);
	assert_int_equal(a->reg, b->reg);
	assert_int_equal(a->length, b->length);
}

/* What decoding an instruction of form f with data register reg must give. */
static void expect_form(const struct insn_mem *m, const struct form *f, unsigned int reg,
                        unsigned int length)
{
	struct insn_mem want = {f->store, f->fp, f->sign, f->width, reg, length};

	expect_same(m, &want);
}

/* Decodes and expects rc; on failure *out must be untouched. */
static void decode_expect(uint32_t insn, int rc, struct insn_mem *m)
{
	*m = poison;
	if (insn_decode_mem(insn, m) != rc) {
		fail_msg("insn %08x: expected %d", insn, rc);
	}
	if (rc != 0) {
		expect_same(m, &poison);
	}
}

static void check_one(const struct form *f, unsigned int reg, unsigned int base, int off)
{
	uint32_t insn = encode(f, reg, base, off);
	struct insn_mem m;

	if (f->rd_nonzero && reg == 0) {
		decode_expect(insn, VIREO_ENOTSUP, &m);
		return;
	}
	decode_expect(insn, 0, &m);
	expect_form(&m, f, reg, compressed(f) ? 2 : 4);
	if (compressed(f)) {
		/* The upper half of a compressed instruction is ignored. */
		decode_expect(insn | 0xa5a50000u, 0, &m);
		expect_form(&m, f, reg, 2);
		decode_expect(insn | 0xffff0000u, 0, &m);
		expect_form(&m, f, reg, 2);
	}
}

static void test_every_form(void **state)
{
	(void)state;
	for (size_t i = 0; i < FORM_COUNT; i++) {
		const struct form *f = &forms[i];

		for (unsigned int reg = 0; reg < 32; reg++) {
			if (f->fmt == F_I || f->fmt == F_S) {
				for (size_t k = 0; k < OFFSET32_COUNT; k++) {
					check_one(f, reg, (reg * 7 + k) % 32, offsets32[k]);
				}
			} else if (f->fmt == F_CI || f->fmt == F_CSS) {
				for (unsigned int k = 0; k < c_offset_count(f); k++) {
					check_one(f, reg, 2, (int)(k * f->scale));
				}
			} else if (reg >= 8 && reg < 16) {
				for (unsigned int base = 8; base < 16; base++) {
					for (unsigned int k = 0; k < c_offset_count(f); k++) {
						check_one(f, reg, base, (int)(k * f->scale));
					}
				}
			}
		}
	}
}

/* Every vector from the GNU assembler: the encoder above agrees, and so does the decoder. */
static void test_gnu_as_vectors(void **state)
{
	const char *path = getenv("VIREO_INSN_VECTORS");
	unsigned int mem_count = 0, other_count = 0;
	bool seen[FORM_COUNT] = {false};
	char line[256];
	FILE *fp;

	(void)state;
	if (path == NULL || path[0] == '\0') {
		path = "build/host/insn-vectors.txt";
	}
	fp = fopen(path, "r");
	if (fp == NULL) {
		fail_msg("no %s (run tests/unit/gen-insn-vectors.sh)", path);
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char hex[16], mnemonic[32], ops[128] = "", rc;
		unsigned int reg, base, length;
		const struct form *f;
		struct insn_mem m;
		uint32_t insn;
		int off;

		if (sscanf(line, "%15s %31s %127s", hex, mnemonic, ops) < 2) {
			continue;
		}
		insn = (uint32_t)strtoul(hex, NULL, 16);
		length = (unsigned int)strlen(hex) / 2;
		f = form_by_name(mnemonic);
		if (f == NULL) {
			/* Anything the table does not list must be refused. */
			decode_expect(insn, VIREO_ENOTSUP, &m);
			other_count++;
			continue;
		}
		if (sscanf(ops, "%c%u,%d(x%u)", &rc, &reg, &off, &base) != 4) {
			fail_msg("cannot parse '%s'", line);
		}
		assert_int_equal(rc, f->fp ? 'f' : 'x');
		assert_int_equal(length, compressed(f) ? 2 : 4);
		if (encode(f, reg, base, off) != insn) {
			fail_msg("encoder: %s gives %08x, gas %08x", line,
			         encode(f, reg, base, off), insn);
		}
		decode_expect(insn, 0, &m);
		expect_form(&m, f, reg, length);
		seen[f - forms] = true;
		mem_count++;
	}
	fclose(fp);
	for (size_t i = 0; i < FORM_COUNT; i++) {
		if (!seen[i]) {
			fail_msg("no vector for %s", forms[i].name);
		}
	}
	assert_true(mem_count >= 30000);
	assert_true(other_count >= 50);
}

/* The form a 16-bit value is, by the spec's mask/match tables, or NULL. */
static const struct form *classify16(uint32_t v)
{
	for (size_t i = 0; i < FORM_COUNT; i++) {
		const struct form *f = &forms[i];

		if (compressed(f) && (v & 0xe003) == (f->funct3 << 13 | f->opcode)) {
			return f->rd_nonzero && ((v >> 7) & 31) == 0 ? NULL : f;
		}
	}
	return NULL;
}

static void test_sweep_16bit(void **state)
{
	unsigned int accepted = 0;

	(void)state;
	for (uint32_t v = 0; v < 0x10000; v++) {
		const struct form *f = classify16(v);
		struct insn_mem m;
		unsigned int reg;

		if ((v & 3) == 3) {
			continue;
		}
		if (f == NULL) {
			decode_expect(v, VIREO_ENOTSUP, &m);
			decode_expect(v | 0xffff0000u, VIREO_ENOTSUP, &m);
			continue;
		}
		reg = f->fmt == F_CL || f->fmt == F_CS ? 8 + ((v >> 2) & 7)
		      : f->fmt == F_CI                 ? (v >> 7) & 31
		                                       : (v >> 2) & 31;
		decode_expect(v | 0x12340000u, 0, &m);
		expect_form(&m, f, reg, 2);
		accepted++;
	}
	/* funct3 and quadrant fix 5 of 16 bits; C.LWSP/C.LDSP lose their 2^6 rd = 0 values. */
	assert_int_equal(accepted, 10 * 2048 + 2 * (2048 - 64));
}

/* Bits 14:0 (opcode, rd, funct3) exhaustively, under several patterns of bits 31:15. */
static void test_sweep_32bit(void **state)
{
	static const uint32_t uppers[] = {0,           0xffff8000u, 0x5555u << 15, 0xaaaa8000u,
	                                  0x00f08000u, 0x7ff00000u, 0x80000000u};

	(void)state;
	for (size_t u = 0; u < sizeof(uppers) / sizeof(uppers[0]); u++) {
		for (uint32_t low = 3; low < 0x8000; low += 4) {
			uint32_t v = uppers[u] | low;
			const struct form *f = NULL;
			struct insn_mem m;

			for (size_t i = 0; i < FORM_COUNT && f == NULL; i++) {
				if (!compressed(&forms[i]) &&
				    (v & 0x707f) == (forms[i].funct3 << 12 | forms[i].opcode)) {
					f = &forms[i];
				}
			}
			if (f == NULL) {
				decode_expect(v, VIREO_ENOTSUP, &m);
				continue;
			}
			decode_expect(v, 0, &m);
			expect_form(&m, f, f->store ? (v >> 20) & 31 : (v >> 7) & 31, 4);
		}
	}
}

static void test_not_loads_or_stores(void **state)
{
	static const uint32_t insns[] = {
	    0x00000000,           /* all zero: illegal */
	    0xffffffff,           /* bits 4:2 = 111: longer than 32 bits */
	    0x0000001f,           /* 48-bit prefix */
	    0x0000003f,           /* 64-bit prefix */
	    0x0000007f,           /* >= 80-bit prefix */
	    0x4002,               /* C.LWSP x0, 0(sp): reserved */
	    0x7ffe & ~(31u << 7), /* C.LDSP x0, 504(sp): reserved */
	    0x8000,               /* quadrant 0 funct3 100: reserved in C (Zcb C.LBU) */
	    0x9c00,               /* quadrant 0 funct3 100 again (Zcb C.SB shape) */
	    0x0001,               /* C.NOP */
	};
	struct insn_mem m;

	(void)state;
	for (size_t i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		decode_expect(insns[i], VIREO_ENOTSUP, &m);
	}
	decode_expect(0xabcd0000u, VIREO_ENOTSUP, &m); /* low half zero: illegal */
	/* RV128 LDU and SQ, Zfh FLH/FSH, Q FLQ/FSQ, vector unit-stride (funct3 000, 101..111). */
	decode_expect(enc_i(0x03, 7, 5, 6, 8), VIREO_ENOTSUP, &m);
	for (unsigned int f3 = 4; f3 < 8; f3++) {
		decode_expect(enc_s(0x23, f3, 5, 6, 8), VIREO_ENOTSUP, &m);
	}
	for (unsigned int f3 = 0; f3 < 8; f3++) {
		if (f3 != 2 && f3 != 3) {
			decode_expect(enc_i(0x07, f3, 1, 2, 4), VIREO_ENOTSUP, &m);
			decode_expect(enc_s(0x27, f3, 1, 2, 4), VIREO_ENOTSUP, &m);
		}
	}
	/* LR/SC/AMOs of both widths, every register. */
	for (unsigned int r = 0; r < 32; r++) {
		decode_expect(enc_amo(0x02, 2, r, 31 - r, 0), VIREO_ENOTSUP, &m); /* LR.W */
		decode_expect(enc_amo(0x03, 3, r, 31 - r, r), VIREO_ENOTSUP, &m); /* SC.D */
		decode_expect(enc_amo(0x00, 2, r, 31 - r, r), VIREO_ENOTSUP, &m); /* AMOADD.W */
		decode_expect(enc_amo(0x01, 3, r, 31 - r, r), VIREO_ENOTSUP, &m); /* AMOSWAP.D */
	}
}

/*
 * The htinst a hart writes for a load/store whose 32-bit equivalent is expanded (Priv. spec
 * 8.6.3): rs1 replaced by the Addr. Offset, immediates zeroed (or, keep_imm, left as some QEMU
 * versions leave them), bit 1 cleared when the original was compressed.
 */
static uint32_t transform(const struct form *f, uint32_t expanded, unsigned int addr_offset,
                          bool keep_imm)
{
	uint32_t t = (expanded & ~(31u << 15)) | addr_offset << 15;

	if (!keep_imm) {
		t &= f->store ? ~(0x7fu << 25 | 31u << 7) : ~(0xfffu << 20);
	}
	return compressed(f) ? t & ~2u : t;
}

static void expect_htinst(uint64_t htinst, int rc)
{
	struct insn_mem m = poison;

	if (insn_decode_htinst(htinst, &m) != rc) {
		fail_msg("htinst %llx: expected %d", (unsigned long long)htinst, rc);
	}
	expect_same(&m, &poison);
}

static void test_htinst_transformed(void **state)
{
	static const unsigned int addr_offsets[] = {0, 1, 2, 3, 7, 31};
	unsigned int count = 0;

	(void)state;
	for (size_t i = 0; i < FORM_COUNT; i++) {
		const struct form *f = &forms[i];
		const struct form *x = compressed(f) ? form_by_name(f->expands_to) : f;
		unsigned int lo = f->fmt == F_CL || f->fmt == F_CS ? 8 : f->rd_nonzero ? 1 : 0;
		unsigned int hi = f->fmt == F_CL || f->fmt == F_CS ? 16 : 32;

		assert_non_null(x);
		for (unsigned int reg = lo; reg < hi; reg++) {
			unsigned int base = compressed(f) && f->fmt >= F_CI ? 2 : 8 + reg % 8;
			int off =
			    compressed(f) ? (int)((reg * 3 % 32) * f->scale) : offsets32[reg % 12];
			uint32_t orig = encode(f, reg, base, off);
			uint32_t expanded = encode(x, reg, base, off);
			struct insn_mem want, got;

			/* The 32-bit equivalent decodes like the original but for its length. */
			decode_expect(orig, 0, &want);
			decode_expect(expanded, 0, &got);
			want.length = 4;
			expect_same(&got, &want);
			want.length = compressed(f) ? 2 : 4;
			for (size_t k = 0; k < 6; k++) {
				for (int keep = 0; keep < 2; keep++) {
					uint32_t t = transform(f, expanded, addr_offsets[k], keep);

					got = poison;
					assert_int_equal(insn_decode_htinst(t, &got), 0);
					expect_same(&got, &want);
					/* Bits 63:32 must be zero (Priv. spec 8.6.3). */
					expect_htinst((uint64_t)t | 1ull << 32, VIREO_ENOTSUP);
					expect_htinst((uint64_t)t | 1ull << 63, VIREO_ENOTSUP);
					count++;
				}
			}
		}
	}
	assert_true(count > 5000);
}

static void test_htinst_other_values(void **state)
{
	static const uint64_t pseudo[] = {0x00002000, 0x00002020, 0x00003000, 0x00003020};
	static const uint64_t notsup[] = {
	    0x00001000, 0x00002010, 0x00003040, 0x00004000, 0x00000004,     0x00003004,
	    0x00002002, 0x00003022, 0x00000002, 0xffffffff, 0x100003000ull, 0xffffffff00003000ull,
	    0x0000000b, /* custom-0 */
	    0x680040f3, /* HLV.W x1, (x0): a transformed HLV */
	    0x6e704073, /* HSV.D x7, (x0) */
	    0x00001087, /* FLH f1, 0(x0) */
	    0x00004087, /* FLQ f1, 0(x0) */
	    0x02006087, /* VLE32.V v1, (x0) */
	};

	(void)state;
	expect_htinst(0, VIREO_ENOENT);
	for (size_t i = 0; i < 4; i++) {
		expect_htinst(pseudo[i], VIREO_EINVAL);
		expect_htinst(pseudo[i] | 1ull << 32, VIREO_ENOTSUP);
	}
	for (size_t i = 0; i < sizeof(notsup) / sizeof(notsup[0]); i++) {
		expect_htinst(notsup[i], VIREO_ENOTSUP);
	}
	/* Transformed LR/SC/AMOs keep every field but rs1; bit 1 clear or set. */
	for (unsigned int r = 0; r < 32; r++) {
		uint32_t amos[] = {enc_amo(0x02, 2, r, r % 8, 0), enc_amo(0x03, 3, r, 0, 31 - r),
		                   enc_amo(0x00, 2, r, 0, r), enc_amo(0x1c, 3, r, 1, r)};

		for (size_t i = 0; i < 4; i++) {
			expect_htinst(amos[i], VIREO_ENOTSUP);
			expect_htinst(amos[i] & ~2u, VIREO_ENOTSUP);
		}
	}
}

static void test_extend_load(void **state)
{
	static const struct {
		unsigned int width;
		bool sign, fp;
		uint64_t in, out;
	} cases[] = {
	    {1, true, false, 0x7f, 0x7f},
	    {1, true, false, 0x80, 0xffffffffffffff80},
	    {1, true, false, 0xff, 0xffffffffffffffff},
	    {1, true, false, 0xdeadbeef12345600, 0},
	    {1, true, false, 0x0123456789abcd80, 0xffffffffffffff80},
	    {1, false, false, 0x80, 0x80},
	    {1, false, false, 0xffffffffffffffff, 0xff},
	    {2, true, false, 0x7fff, 0x7fff},
	    {2, true, false, 0x8000, 0xffffffffffff8000},
	    {2, true, false, 0xabcd00000000ffff, 0xffffffffffffffff},
	    {2, false, false, 0x8000, 0x8000},
	    {2, false, false, 0xffffffffffff8001, 0x8001},
	    {4, true, false, 0x7fffffff, 0x7fffffff},
	    {4, true, false, 0x80000000, 0xffffffff80000000},
	    {4, true, false, 0x1234567880000001, 0xffffffff80000001},
	    {4, true, false, 0xffffffff7fffffff, 0x7fffffff},
	    {4, false, false, 0x80000000, 0x80000000},
	    {4, false, false, 0xffffffff80000000, 0x80000000},
	    {8, false, false, 0x8000000000000000, 0x8000000000000000},
	    {8, true, false, 0x8000000000000000, 0x8000000000000000},
	    {8, false, false, 0x0123456789abcdef, 0x0123456789abcdef},
	    {4, false, true, 0x3f800000, 0xffffffff3f800000}, /* FLW 1.0f: NaN-boxed */
	    {4, false, true, 0x12345678bf800000, 0xffffffffbf800000},
	    {8, false, true, 0x3ff0000000000000, 0x3ff0000000000000}, /* FLD 1.0 */
	    {3, true, false, 0x0123456789abcdef, 0x0123456789abcdef}, /* not a width */
	    {0, true, false, 0x80, 0x80},
	    {16, false, false, 0xffff, 0xffff},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct insn_mem m = {
		    .width = cases[i].width, .sign_extend = cases[i].sign, .fp = cases[i].fp};

		if (insn_extend_load(&m, cases[i].in) != cases[i].out) {
			fail_msg("case %zu: %llx", i,
			         (unsigned long long)insn_extend_load(&m, cases[i].in));
		}
	}
	/* Every top-byte value of every integer load, against C's own conversions. */
	for (uint64_t b = 0; b < 256; b++) {
		static const char *const names[] = {"lb", "lbu", "lh", "lhu", "lw", "lwu", "ld"};

		for (size_t i = 0; i < 7; i++) {
			const struct form *f = form_by_name(names[i]);
			unsigned int top = 8 * (f->width - 1);
			uint64_t raw = (0x5a5a5a5a5a5a5a5aull & ~(0xffull << top)) | b << top;
			struct insn_mem m;
			uint64_t want;

			decode_expect(encode(f, 5, 6, 0), 0, &m);
			switch (f->width) {
			case 1:
				want = f->sign ? (uint64_t)(int64_t)(int8_t)raw : (uint8_t)raw;
				break;
			case 2:
				want = f->sign ? (uint64_t)(int64_t)(int16_t)raw : (uint16_t)raw;
				break;
			case 4:
				want = f->sign ? (uint64_t)(int64_t)(int32_t)raw : (uint32_t)raw;
				break;
			default:
				want = raw;
				break;
			}
			assert_int_equal(insn_extend_load(&m, raw), want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_form),          cmocka_unit_test(test_gnu_as_vectors),
	    cmocka_unit_test(test_sweep_16bit),         cmocka_unit_test(test_sweep_32bit),
	    cmocka_unit_test(test_not_loads_or_stores), cmocka_unit_test(test_htinst_transformed),
	    cmocka_unit_test(test_htinst_other_values), cmocka_unit_test(test_extend_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
