/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Damaged QEMU trees: every truncation, and one targeted corruption per rule fdt_open() enforces
 * (Devicetree Specification v0.4, 5.2-5.4), each in an exactly-sized copy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/fdt.h>

#include "fdt_builder.h"
#include "fdt_check.h"
#include "fdt_libfdt_ref.h"

/* Every proper prefix of a real blob is refused, with the buffer or totalsize cut to it. */
void test_truncation(void **state)
{
	unsigned int i;

	(void)state;
	need_dtbs();
	for (i = 0; i < dtb_count; i++) {
		const struct dtb *d = &dtbs[i];
		struct fdt f;
		uint32_t len;

		for (len = 0; len < d->total; len++) {
			uint8_t *buf = copy_exact(d->data, len);

			if (fdt_open(&f, buf, len) == 0) {
				fail_msg("%s: open succeeded with %u of %u bytes", d->name, len,
				         d->total);
			}
			/* Claim the cut size in the header too, so the block checks are reached. */
			if (len >= 40) {
				put_be32(buf, 4, len);
				if (fdt_open(&f, buf, len) == 0) {
					fail_msg("%s: totalsize %u accepted", d->name, len);
				}
			}
			free(buf);
		}
		open_ok(&f, d->data, d->total);
	}
}

/* Corruptions of the default tree, each patched into a fresh exact copy. */
struct corruption {
	const char *what;
	int expect;
	void (*apply)(uint8_t *b, const struct ref_header *h);
};

static size_t tag_at(const uint8_t *b, const struct ref_header *h, uint32_t tag, int nth)
{
	int off = ref_find_tag(b, tag, nth);

	assert_true(off >= 0);
	return h->off_struct + (size_t)off;
}

static void c_magic(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	b[3] ^= 1;
}

static void c_version15(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	put_be32(b, 20, 15);
}

static void c_last_comp18(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	put_be32(b, 24, 18);
}

static void c_totalsize_big(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 4, h->totalsize + 1);
}

static void c_totalsize_small(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	put_be32(b, 4, 39);
}

static void c_totalsize_huge(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	put_be32(b, 4, 0x80000000u);
}

static void c_struct_beyond(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 8, (h->totalsize + 4) & ~3u);
}

static void c_struct_misaligned(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 8, h->off_struct + 2);
}

static void c_struct_in_header(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	put_be32(b, 8, 36);
}

static void c_strings_beyond(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 12, h->totalsize + 1);
}

static void c_strings_size(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 32, h->size_strings + 1);
}

static void c_size_struct_wrap(uint8_t *b, const struct ref_header *h)
{
	/* off_dt_struct + size_dt_struct wraps to a small number in 32 bits. */
	put_be32(b, 36, 0xffffffffu - h->off_struct + 9);
}

static void c_size_struct_big(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 36, h->totalsize - h->off_struct + 4);
}

static void c_rsvmap_misaligned(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 16, h->off_rsvmap + 4);
}

static void c_rsvmap_in_header(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	put_be32(b, 16, 32);
}

static void c_rsvmap_beyond(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 16, (h->totalsize + 8) & ~7u);
}

static void c_rsvmap_unterminated(uint8_t *b, const struct ref_header *h)
{
	/* The terminator becomes an entry; what follows is the structure block, not a zero pair. */
	b[h->off_rsvmap + 7] = 1;
}

static void c_prop_len(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_PROP, 0) + 4, h->size_struct);
}

static void c_prop_len_huge(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_PROP, 3) + 4, 0xfffffffcu);
}

static void c_prop_len_wraps(uint8_t *b, const struct ref_header *h)
{
	/* value end + len wraps around 2^32 back onto this same property: a loop if unchecked. */
	put_be32(b, tag_at(b, h, TOK_PROP, 1) + 4, 0xfffffff4u);
}

static void c_nameoff(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_PROP, 0) + 8, h->size_strings);
}

static void c_nameoff_huge(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_PROP, 2) + 8, 0xffffffffu);
}

static void c_strings_unterminated(uint8_t *b, const struct ref_header *h)
{
	/* Drop the last string's NUL from the block; a property still names that string. */
	put_be32(b, 32, h->size_strings - 1);
}

static void c_name_unterminated(uint8_t *b, const struct ref_header *h)
{
	/* The structure block ends two bytes into the first child's name. */
	put_be32(b, 36, (uint32_t)(tag_at(b, h, TOK_BEGIN_NODE, 1) - h->off_struct) + 6);
}

static void c_no_end(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, h->off_struct + h->size_struct - 4, TOK_NOP);
}

static void c_extra_end_node(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, h->off_struct + h->size_struct - 4, TOK_END_NODE);
}

static void c_missing_end_node(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_END_NODE, 0), TOK_NOP);
}

static void c_unknown_token(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_END_NODE, 2), 0x5);
}

static void c_zero_token(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_PROP, 5), 0);
}

static void c_end_early(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_END_NODE, 4), TOK_END);
}

static void c_prop_before_root(uint8_t *b, const struct ref_header *h)
{
	/* The root's tag becomes a property tag: a property outside any node. */
	size_t root = h->off_struct;

	assert_int_equal(get_be32(b, root), TOK_BEGIN_NODE);
	put_be32(b, root, TOK_PROP);
}

static const struct corruption corruptions[] = {
    {"bad magic", VIREO_EINVAL, c_magic},
    {"version 15", VIREO_EINVAL, c_version15},
    {"last_comp_version 18", VIREO_EINVAL, c_last_comp18},
    {"totalsize > buffer", VIREO_ETRUNC, c_totalsize_big},
    {"totalsize < header", VIREO_EINVAL, c_totalsize_small},
    {"totalsize >= 2 GiB", VIREO_EINVAL, c_totalsize_huge},
    {"off_dt_struct beyond end", VIREO_ETRUNC, c_struct_beyond},
    {"off_dt_struct misaligned", VIREO_EINVAL, c_struct_misaligned},
    {"off_dt_struct inside header", VIREO_EINVAL, c_struct_in_header},
    {"off_dt_strings beyond end", VIREO_ETRUNC, c_strings_beyond},
    {"size_dt_strings past end", VIREO_ETRUNC, c_strings_size},
    {"size_dt_struct wraps", VIREO_ETRUNC, c_size_struct_wrap},
    {"size_dt_struct past end", VIREO_ETRUNC, c_size_struct_big},
    {"off_mem_rsvmap misaligned", VIREO_EINVAL, c_rsvmap_misaligned},
    {"off_mem_rsvmap inside header", VIREO_EINVAL, c_rsvmap_in_header},
    {"off_mem_rsvmap beyond end", VIREO_ETRUNC, c_rsvmap_beyond},
    {"rsvmap unterminated", VIREO_ETRUNC, c_rsvmap_unterminated},
    {"prop len past struct block", VIREO_EINVAL, c_prop_len},
    {"prop len 0xfffffffc", VIREO_EINVAL, c_prop_len_huge},
    {"prop len wraps back", VIREO_EINVAL, c_prop_len_wraps},
    {"nameoff = size_dt_strings", VIREO_EINVAL, c_nameoff},
    {"nameoff 0xffffffff", VIREO_EINVAL, c_nameoff_huge},
    {"last string unterminated", VIREO_EINVAL, c_strings_unterminated},
    {"node name unterminated", VIREO_EINVAL, c_name_unterminated},
    {"no FDT_END", VIREO_EINVAL, c_no_end},
    {"extra FDT_END_NODE", VIREO_EINVAL, c_extra_end_node},
    {"missing FDT_END_NODE", VIREO_EINVAL, c_missing_end_node},
    {"unknown token 5", VIREO_EINVAL, c_unknown_token},
    {"token 0", VIREO_EINVAL, c_zero_token},
    {"FDT_END inside the tree", VIREO_EINVAL, c_end_early},
    {"property before the root", VIREO_EINVAL, c_prop_before_root},
};

void test_corruptions(void **state)
{
	const struct dtb *d;
	struct ref_header h;
	unsigned int i;

	(void)state;
	need_dtbs();
	d = find_dtb("virt");
	assert_non_null(d);
	ref_header(d->data, &h);
	for (i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++) {
		uint8_t *b = copy_exact(d->data, d->total);
		struct fdt f;
		int ret;

		corruptions[i].apply(b, &h);
		memset(&f, 0x5a, sizeof(f));
		ret = fdt_open(&f, b, d->total);
		if (ret != corruptions[i].expect) {
			fail_msg("%s: fdt_open %d, want %d", corruptions[i].what, ret,
			         corruptions[i].expect);
		}
		/* A failed open leaves *fdt alone. */
		assert_ptr_equal(f.blob, (const uint8_t *)(uintptr_t)0x5a5a5a5a5a5a5a5aull);
		free(b);
	}
}
