/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest load/store decoder (arch/riscv/insn.c, insn_extend_load() in arch/insn.h). The
 * input is a sequence of 20-byte records: a 32-bit instruction word, a 64-bit htinst value and
 * a 64-bit loaded value, all little-endian.
 *
 * Checked for each decode: width 1, 2, 4 or 8; length 2 for a compressed word, 4 otherwise;
 * reg < 32; stores never sign-extend; FP accesses are 4 or 8 bytes; the same bits decode the
 * same way again; a compressed word ignores its upper half; *out is untouched on failure. An
 * htinst value decodes like the 32-bit word it holds, with the original's length. Extending a
 * load keeps the low width bytes and fills the rest with zeros, the sign or the NaN box.
 */
#include <arch/insn.h>
#include <vireo/errno.h>

#include "fuzz.h"

static bool same(const struct insn_mem *a, const struct insn_mem *b)
{
	return a->store == b->store && a->fp == b->fp && a->sign_extend == b->sign_extend &&
	       a->width == b->width && a->reg == b->reg && a->length == b->length;
}

static void check_mem(const struct insn_mem *m)
{
	FUZZ_CHECK(m->width == 1 || m->width == 2 || m->width == 4 || m->width == 8);
	FUZZ_CHECK(m->length == 2 || m->length == 4);
	FUZZ_CHECK(m->reg < 32);
	FUZZ_CHECK(!m->store || !m->sign_extend);
	FUZZ_CHECK(!m->sign_extend || m->width < 8);
	FUZZ_CHECK(!m->fp || m->width == 4 || m->width == 8);
	FUZZ_CHECK(!m->fp || !m->sign_extend);
}

static void check_extend(const struct insn_mem *m, uint64_t value)
{
	uint64_t r = insn_extend_load(m, value);
	unsigned int bits = m->width * 8;

	if (m->width == 8 || m->store) {
		FUZZ_CHECK(m->width != 8 || r == value);
		return;
	}
	uint64_t mask = (UINT64_C(1) << bits) - 1;
	uint64_t upper = r & ~mask;

	FUZZ_CHECK((r & mask) == (value & mask));
	if (m->fp) {
		FUZZ_CHECK(upper == ~mask);
	} else if (m->sign_extend && ((value >> (bits - 1)) & 1) != 0) {
		FUZZ_CHECK(upper == ~mask);
	} else {
		FUZZ_CHECK(upper == 0);
	}
}

static void check_insn(uint32_t insn, uint64_t value)
{
	const struct insn_mem poison = {true, true, true, 99, 99, 99};
	struct insn_mem m = poison;
	struct insn_mem again = poison;
	int ret = insn_decode_mem(insn, &m);

	FUZZ_CHECK(ret == 0 || ret == VIREO_ENOTSUP);
	FUZZ_CHECK(insn_decode_mem(insn, &again) == ret);
	if (ret != 0) {
		FUZZ_CHECK(same(&m, &poison));
		/* Instructions longer than 32 bits (bits 4:2 = 111) are never loads or stores. */
		return;
	}
	FUZZ_CHECK(same(&m, &again));
	check_mem(&m);
	FUZZ_CHECK(m.length == ((insn & 3u) == 3u ? 4u : 2u));
	FUZZ_CHECK((insn & 3u) != 3u || (insn & 0x1cu) != 0x1cu);
	if (m.length == 2) {
		struct insn_mem upper = poison;

		FUZZ_CHECK(insn_decode_mem((insn & 0xffffu) | (~insn & 0xffff0000u), &upper) == 0);
		FUZZ_CHECK(same(&m, &upper));
	}
	check_extend(&m, value);
}

static void check_htinst(uint64_t htinst, uint64_t value)
{
	const struct insn_mem poison = {true, true, true, 99, 99, 99};
	struct insn_mem m = poison;
	struct insn_mem word = poison;
	int ret = insn_decode_htinst(htinst, &m);

	if (htinst == 0) {
		FUZZ_CHECK(ret == VIREO_ENOENT);
	}
	if (ret != 0) {
		FUZZ_CHECK(ret == VIREO_ENOENT || ret == VIREO_EINVAL || ret == VIREO_ENOTSUP);
		FUZZ_CHECK(same(&m, &poison));
		return;
	}
	check_mem(&m);
	FUZZ_CHECK((htinst >> 32) == 0 && (htinst & 1u) != 0);
	FUZZ_CHECK(m.length == ((htinst & 2u) != 0 ? 4u : 2u));
	/* The transformed value is the 32-bit form of the access, whatever the original. */
	FUZZ_CHECK(insn_decode_mem((uint32_t)htinst | 2u, &word) == 0);
	word.length = m.length;
	FUZZ_CHECK(same(&m, &word));
	check_extend(&m, value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};

	while (fuzz_more(&in)) {
		uint32_t insn = fuzz_u32(&in);
		uint64_t htinst = fuzz_u64(&in);
		uint64_t value = fuzz_u64(&in);

		check_insn(insn, value);
		check_htinst(htinst, value);
		/* The word itself as an htinst value too: most inputs are plain instructions. */
		check_htinst(insn, value);
	}
	return 0;
}
