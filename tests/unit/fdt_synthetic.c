/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hand-built blobs (fdt_builder.c) for what QEMU never generates: v16 headers, reservations,
 * NOPs, every property shape, unit-address path rules, depth limits and malformed structure.
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

/*
 * A tree with every property shape the accessors distinguish:
 * / { #address-cells = <1>; #size-cells = <1>; compatible = "vireo,test", "vireo,base";
 *     reg = <0 0x10 0x20>;   (the root has no parent: default 2/1 cells)
 *     a@1000 { reg = <0x1000 0x100 0x2000 0x200>; status = "okay"; phandle = <5>; };
 *     b { status = ""; phandle = <0>; };  b@1 { status = "disabled"; linux,phandle = <6>; };
 *     b@2 { status = "ok"; reg = <2 0x10>; };
 *     c { #address-cells = <2>; #size-cells = <0>;
 *         d@1 { reg = <0 1>; u64 = <1 2>; short = [01 02 03]; empty; torn = [61 62 63];
 *               list = "x", "yz"; };
 *         e { #address-cells = <3>; f { reg = <1 2 3>; }; };
 *         g { reg = <1 2 3>; }; };
 *     h { #address-cells = <0>; phandle = <0xffffffff>; k { reg = <0x10>; }; }; }
 * with NOPs between properties and between nodes, and three reservations.
 */
static uint8_t *build_tree(uint32_t version, size_t *size)
{
	static struct fdtb b;

	fdtb_init(&b);
	fdtb_rsv(&b, 0x80000000, 0x200000);
	fdtb_rsv(&b, 0, 0x1000);
	fdtb_rsv(&b, 0xffffffff00000000ull, 0x1234);
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "#address-cells", 1);
	fdtb_prop_u32(&b, "#size-cells", 1);
	fdtb_token(&b, TOK_NOP);
	fdtb_prop(&b, "compatible", "vireo,test\0vireo,base", 22);
	fdtb_prop_cells(&b, "reg", 3, (const uint32_t[]){0, 0x10, 0x20});
	fdtb_begin(&b, "a@1000");
	fdtb_prop_cells(&b, "reg", 4, (const uint32_t[]){0x1000, 0x100, 0x2000, 0x200});
	fdtb_prop_str(&b, "status", "okay");
	fdtb_prop_u32(&b, "phandle", 5);
	fdtb_end(&b);
	fdtb_begin(&b, "b");
	fdtb_prop_str(&b, "status", "");
	fdtb_prop_u32(&b, "phandle", 0);
	fdtb_end(&b);
	fdtb_token(&b, TOK_NOP);
	fdtb_begin(&b, "b@1");
	fdtb_prop_str(&b, "status", "disabled");
	fdtb_prop_u32(&b, "linux,phandle", 6);
	fdtb_end(&b);
	fdtb_begin(&b, "b@2");
	fdtb_prop_str(&b, "status", "ok");
	fdtb_prop_cells(&b, "reg", 2, (const uint32_t[]){2, 0x10});
	fdtb_end(&b);
	fdtb_begin(&b, "c");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 0);
	fdtb_begin(&b, "d@1");
	fdtb_prop_cells(&b, "reg", 2, (const uint32_t[]){0, 1});
	fdtb_prop_cells(&b, "u64", 2, (const uint32_t[]){1, 2});
	fdtb_prop(&b, "short", "\x01\x02\x03", 3);
	fdtb_token(&b, TOK_NOP);
	fdtb_prop(&b, "empty", "", 0);
	fdtb_prop(&b, "torn", "abc", 3);
	fdtb_prop(&b, "list", "x\0yz", 5);
	fdtb_end(&b);
	fdtb_begin(&b, "e");
	fdtb_prop_u32(&b, "#address-cells", 3);
	fdtb_begin(&b, "f");
	fdtb_prop_cells(&b, "reg", 3, (const uint32_t[]){1, 2, 3});
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_begin(&b, "g");
	fdtb_prop_cells(&b, "reg", 3, (const uint32_t[]){1, 2, 3});
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_begin(&b, "h");
	fdtb_prop_u32(&b, "#address-cells", 0);
	fdtb_prop_u32(&b, "phandle", 0xffffffffu);
	fdtb_begin(&b, "k");
	fdtb_prop_u32(&b, "reg", 0x10);
	fdtb_end(&b);
	fdtb_end(&b);
	/* A node overwritten with NOPs (spec 5.4.1) at the end of the root. */
	fdtb_token(&b, TOK_NOP);
	fdtb_end(&b);
	fdtb_token(&b, TOK_END);
	return fdtb_finish(&b, version, size);
}

static void check_tree(const struct fdt *f)
{
	int root = fdt_root(f);
	int a = path_ok(f, "/a@1000"), b = path_ok(f, "/b"), b1 = path_ok(f, "/b@1");
	int b2 = path_ok(f, "/b@2"), c = path_ok(f, "/c"), d = path_ok(f, "/c/d@1");
	uint64_t addr, size, u64;
	uint32_t len, u32;
	const void *v;

	assert_int_equal(crosscheck(f, true), 12);
	assert_int_equal(root, 0);
	assert_int_equal(fdt_next_compatible(f, -1, "vireo,base"), root);
	assert_int_equal(fdt_next_compatible(f, root, "vireo,base"), VIREO_ENOENT);
	check_reg(f, root, 0, 0x10, 0x20);
	check_reg(f, a, 0, 0x1000, 0x100);
	check_reg(f, a, 1, 0x2000, 0x200);
	assert_int_equal(fdt_reg(f, a, 2, &addr, &size), VIREO_ENOENT);
	check_reg(f, b2, 0, 2, 0x10);
	check_reg(f, d, 0, 1, 0);
	assert_int_equal(fdt_reg(f, path_ok(f, "/c/e/f"), 0, &addr, &size), VIREO_EINVAL);
	assert_int_equal(fdt_reg(f, path_ok(f, "/c/g"), 0, &addr, &size), VIREO_EINVAL);
	assert_int_equal(fdt_reg(f, c, 0, &addr, &size), VIREO_ENOENT);
	assert_int_equal(fdt_reg(f, path_ok(f, "/h/k"), 0, &addr, &size), VIREO_EINVAL);
	assert_int_equal(fdt_address_cells(f, c), 2);
	assert_int_equal(fdt_size_cells(f, c), 0);
	assert_int_equal(fdt_address_cells(f, d), 2);
	assert_int_equal(fdt_size_cells(f, d), 1);

	assert_true(fdt_node_is_enabled(f, a));
	assert_false(fdt_node_is_enabled(f, b));
	assert_false(fdt_node_is_enabled(f, b1));
	assert_true(fdt_node_is_enabled(f, b2));
	assert_true(fdt_node_is_enabled(f, c));
	assert_int_equal(fdt_node_by_phandle(f, 5), a);
	assert_int_equal(fdt_node_by_phandle(f, 6), b1);
	assert_int_equal(fdt_node_by_phandle(f, 7), VIREO_ENOENT);
	/* Spec 2.3.3: 0 and 0xffffffff are not phandles, even where a node claims them. */
	assert_int_equal(fdt_node_by_phandle(f, 0), VIREO_ENOENT);
	assert_int_equal(fdt_node_by_phandle(f, 0xffffffffu), VIREO_ENOENT);

	assert_int_equal(fdt_prop_u64(f, d, "u64", &u64), 0);
	assert_int_equal(u64, 0x100000002ull);
	assert_int_equal(fdt_prop_u32(f, d, "u64", &u32), VIREO_EINVAL);
	assert_int_equal(fdt_prop_u32(f, d, "short", &u32), VIREO_EINVAL);
	assert_int_equal(fdt_prop_u64(f, d, "short", &u64), VIREO_EINVAL);
	assert_int_equal(fdt_prop_u32(f, d, "missing", &u32), VIREO_ENOENT);
	assert_int_equal(fdt_prop_u64(f, d, "missing", &u64), VIREO_ENOENT);
	v = fdt_getprop(f, d, "empty", &len);
	assert_non_null(v);
	assert_int_equal(len, 0);
	assert_true(fdt_has_prop(f, d, "empty"));
	assert_false(fdt_has_prop(f, d, "emptyx"));
	assert_false(fdt_has_prop(f, d, "empt"));
	assert_null(fdt_prop_string(f, d, "empty"));
	assert_null(fdt_prop_string(f, d, "torn"));
	assert_false(fdt_prop_list_contains(f, d, "torn", "abc"));
	assert_string_equal(fdt_prop_string(f, d, "list"), "x");
	assert_true(fdt_prop_list_contains(f, d, "list", "x"));
	assert_true(fdt_prop_list_contains(f, d, "list", "yz"));
	assert_false(fdt_prop_list_contains(f, d, "list", "y"));
	assert_false(fdt_prop_list_contains(f, d, "list", "z"));
	assert_false(fdt_prop_list_contains(f, d, "list", ""));
	assert_false(fdt_prop_list_contains(f, d, "missing", "x"));

	assert_int_equal(f->rsvmap_count, 3);
	assert_int_equal(fdt_rsvmap_entry(f, 0, &addr, &size), 0);
	assert_int_equal(addr, 0x80000000);
	assert_int_equal(size, 0x200000);
	assert_int_equal(fdt_rsvmap_entry(f, 1, &addr, &size), 0);
	assert_int_equal(addr, 0);
	assert_int_equal(size, 0x1000);
	assert_int_equal(fdt_rsvmap_entry(f, 2, &addr, &size), 0);
	assert_int_equal(addr, 0xffffffff00000000ull);
	assert_int_equal(size, 0x1234);
	assert_int_equal(fdt_rsvmap_entry(f, 3, &addr, &size), VIREO_ENOENT);
	assert_int_equal(ref_rsv_count(f->blob), 3);
}

void test_synthetic_tree(void **state)
{
	size_t size16, size17;
	uint8_t *v16 = build_tree(16, &size16);
	uint8_t *v17 = build_tree(17, &size17);
	struct fdt f16, f17;

	(void)state;
	assert_int_equal(ref_check_full(v17, size17), 0);
	open_ok(&f17, v17, size17);
	check_tree(&f17);
	/* v16: no size_dt_struct (the builder leaves garbage there); the walk finds the end. */
	assert_int_equal(ref_check_full(v16, size16), 0);
	open_ok(&f16, v16, size16);
	assert_int_equal(f16.size_struct, f17.size_struct);
	check_tree(&f16);
	/* A newer blob that is still readable as v17, and a v17-only one. */
	put_be32(v17, 20, 18);
	open_ok(&f17, v17, size17);
	put_be32(v17, 20, 17);
	put_be32(v17, 24, 17);
	open_ok(&f17, v17, size17);
	free(v16);
	free(v17);
}

/* Spec 5.4.1: the structure block must start 4-aligned even when everything else is consistent. */
void test_misaligned_struct_block(void **state)
{
	size_t size;
	uint8_t *blob = build_tree(17, &size);
	uint32_t off_struct = get_be32(blob, 8);
	uint32_t shift;
	struct fdt f;

	(void)state;
	for (shift = 0; shift < 4; shift++) {
		/* Insert shift bytes in front of the structure block and fix up the header. */
		uint8_t *moved = calloc(1, size + shift);

		assert_non_null(moved);
		memcpy(moved, blob, off_struct);
		memcpy(moved + off_struct + shift, blob + off_struct, size - off_struct);
		put_be32(moved, 4, (uint32_t)(size + shift));
		put_be32(moved, 8, off_struct + shift);
		put_be32(moved, 12, get_be32(blob, 12) + shift);
		assert_int_equal(fdt_open(&f, moved, size + shift), shift == 0 ? 0 : VIREO_EINVAL);
		free(moved);
	}
	free(blob);
}

/* Bare names match a unit-addressed node only when that is unique; exact names always win. */
void test_synthetic_paths(void **state)
{
	static struct fdtb b;
	uint8_t *blob;
	size_t size;
	struct fdt f;
	int x, w;

	(void)state;
	fdtb_init(&b);
	fdtb_token(&b, TOK_NOP);
	fdtb_begin(&b, "");
	fdtb_begin(&b, "x@1");
	fdtb_end(&b);
	fdtb_begin(&b, "x");
	fdtb_end(&b);
	fdtb_begin(&b, "y@1");
	fdtb_end(&b);
	fdtb_begin(&b, "y@2");
	fdtb_end(&b);
	fdtb_begin(&b, "z@5");
	fdtb_begin(&b, "w");
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_token(&b, TOK_END);
	blob = fdtb_finish(&b, 17, &size);
	open_ok(&f, blob, size);
	/* A NOP may precede the root (spec 5.4.2). */
	assert_int_equal(fdt_root(&f), 4);
	assert_int_equal(path_ok(&f, "/"), 4);
	x = path_ok(&f, "/x");
	assert_string_equal(fdt_node_name(&f, x), "x");
	assert_string_equal(fdt_node_name(&f, path_ok(&f, "/x@1")), "x@1");
	assert_int_equal(fdt_path_offset(&f, "/y"), VIREO_ENOENT);
	assert_string_equal(fdt_node_name(&f, path_ok(&f, "/y@2")), "y@2");
	w = path_ok(&f, "/z/w");
	assert_int_equal(path_ok(&f, "/z@5/w"), w);
	assert_int_equal(fdt_parent(&f, w), path_ok(&f, "/z"));
	assert_int_equal(fdt_parent(&f, fdt_parent(&f, w)), 4);
	assert_int_equal(fdt_parent(&f, 4), VIREO_ENOENT);
	assert_int_equal(fdt_path_offset(&f, "/w"), VIREO_ENOENT);
	assert_int_equal(fdt_path_offset(&f, "/z@"), VIREO_ENOENT);
	assert_int_equal(fdt_next_sibling(&f, w), VIREO_ENOENT);
	assert_int_equal(fdt_first_child(&f, w), VIREO_ENOENT);
	assert_int_equal(fdt_next_sibling(&f, 4), VIREO_ENOENT);
	free(blob);
}

static void nest(struct fdtb *b, unsigned int depth)
{
	unsigned int i;

	fdtb_begin(b, "");
	for (i = 1; i < depth; i++) {
		fdtb_begin(b, "n");
	}
	fdtb_prop_u32(b, "deepest", depth);
	for (i = 0; i < depth; i++) {
		fdtb_end(b);
	}
}

/* Builds the struct block given by fill, wraps it in a blob and opens it. */
static int open_built(void (*fill)(struct fdtb *b), uint32_t version)
{
	static struct fdtb b;
	struct fdt f;
	size_t size;
	uint8_t *blob;
	int ret;

	fdtb_init(&b);
	fill(&b);
	blob = fdtb_finish(&b, version, &size);
	ret = fdt_open(&f, blob, size);
	if (ret == 0) {
		crosscheck(&f, false);
	}
	free(blob);
	return ret;
}

static void s_depth32(struct fdtb *b)
{
	nest(b, 32);
	fdtb_token(b, TOK_END);
}

static void s_depth33(struct fdtb *b)
{
	nest(b, 33);
	fdtb_token(b, TOK_END);
}

static void s_prop_after_child(struct fdtb *b)
{
	fdtb_begin(b, "");
	fdtb_begin(b, "child");
	fdtb_end(b);
	fdtb_prop_u32(b, "late", 1);
	fdtb_end(b);
	fdtb_token(b, TOK_END);
}

static void s_prop_after_root(struct fdtb *b)
{
	fdtb_begin(b, "");
	fdtb_end(b);
	fdtb_prop_u32(b, "outside", 1);
	fdtb_token(b, TOK_END);
}

static void s_two_roots(struct fdtb *b)
{
	fdtb_begin(b, "");
	fdtb_end(b);
	fdtb_begin(b, "");
	fdtb_end(b);
	fdtb_token(b, TOK_END);
}

static void s_no_root(struct fdtb *b)
{
	fdtb_token(b, TOK_NOP);
	fdtb_token(b, TOK_END);
}

static void s_empty(struct fdtb *b)
{
	(void)b;
}

static void s_end_node_first(struct fdtb *b)
{
	fdtb_end(b);
	fdtb_begin(b, "");
	fdtb_end(b);
	fdtb_token(b, TOK_END);
}

static void s_name_at_block_end(struct fdtb *b)
{
	/* BEGIN_NODE, then "abcd" with no NUL before the block ends. */
	fdtb_token(b, TOK_BEGIN_NODE);
	fdtb_token(b, 0x61626364);
}

static void s_tokens_after_end(struct fdtb *b)
{
	fdtb_begin(b, "");
	fdtb_end(b);
	fdtb_token(b, TOK_END);
	fdtb_token(b, TOK_NOP);
}

static void s_named_root(struct fdtb *b)
{
	fdtb_begin(b, "root");
	fdtb_end(b);
	fdtb_token(b, TOK_END);
}

static void s_unclosed(struct fdtb *b)
{
	fdtb_begin(b, "");
	fdtb_begin(b, "a");
	fdtb_end(b);
	fdtb_token(b, TOK_END);
}

/*
 * A reservation block without its terminator must not run on into the structure block, even
 * where that holds 16 aligned zero bytes that would pass for one.
 */
void test_rsvmap_bound(void **state)
{
	static struct fdtb b;
	static const uint8_t zeros[40];
	uint8_t *blob;
	size_t size;
	struct fdt f;

	(void)state;
	fdtb_init(&b);
	fdtb_rsv(&b, 0x1000, 0x1000);
	fdtb_begin(&b, "");
	fdtb_prop(&b, "zeros", zeros, sizeof(zeros));
	fdtb_end(&b);
	fdtb_token(&b, TOK_END);
	blob = fdtb_finish(&b, 17, &size);
	open_ok(&f, blob, size);
	assert_int_equal(f.rsvmap_count, 1);
	/* Turn the terminator (second entry, at 40 + 16) into an entry. */
	blob[40 + 16 + 15] = 1;
	assert_int_equal(fdt_open(&f, blob, size), VIREO_ETRUNC);
	free(blob);
}

void test_synthetic_malformed(void **state)
{
	static struct fdtb b;
	struct fdt f;
	uint8_t *blob;
	size_t size;
	int node, depth = 0;

	(void)state;
	assert_int_equal(open_built(s_depth32, 17), 0);
	assert_int_equal(open_built(s_depth33, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_prop_after_child, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_prop_after_root, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_two_roots, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_no_root, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_empty, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_end_node_first, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_name_at_block_end, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_name_at_block_end, 16), VIREO_EINVAL);
	assert_int_equal(open_built(s_unclosed, 16), VIREO_EINVAL);
	assert_int_equal(open_built(s_named_root, 17), VIREO_EINVAL);
	/* Slack after FDT_END is tolerated and cut off: the block ends at FDT_END. */
	assert_int_equal(open_built(s_tokens_after_end, 17), 0);

	/* The deepest node of a 32-level tree: parent chain and reg defaults still work. */
	fdtb_init(&b);
	s_depth32(&b);
	blob = fdtb_finish(&b, 17, &size);
	open_ok(&f, blob, size);
	for (node = fdt_root(&f); fdt_first_child(&f, node) >= 0; depth++) {
		node = fdt_first_child(&f, node);
	}
	assert_int_equal(depth, 31);
	assert_true(fdt_has_prop(&f, node, "deepest"));
	for (; depth > 0; depth--) {
		node = fdt_parent(&f, node);
		assert_true(node >= 0);
	}
	assert_int_equal(node, fdt_root(&f));
	free(blob);
}
