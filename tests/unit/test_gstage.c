/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of the G-stage tables (arch/riscv/gstage.c). The page allocator is backed by host
 * memory, so table pages are real and are read back here through a reference walker written
 * from the Priv. spec (4.3-4.5, 8.5.1), independently of the code under test. Mapped host
 * addresses are plain numbers: the memory behind them is never touched.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/page_alloc.h>
#include <arch/gstage.h>

#define KIB       (1024ULL)
#define MIB       (1024ULL * KIB)
#define GIB       (1024ULL * MIB)
#define BIG_ALIGN (4 * MIB)
#define BIG_SIZE  (64 * MIB)
#define RW        (GSTAGE_READ | GSTAGE_WRITE)
#define RWX       (GSTAGE_READ | GSTAGE_WRITE | GSTAGE_EXEC)

/* Reference PTE layout (Priv. spec 4.4.1): V R W X U G A D, RSW, PPN[53:10], reserved 63:54. */
static const uint64_t RV = 1, RR = 2, RW_ = 4, RX = 8, RU = 16, RG = 32, RA = 64, RD = 128;

static void *big_buf;
static uint64_t region_lo, region_hi; /* where table pages may come from */
static paddr_t *held;                 /* pages drain_to() keeps out of the allocator */
static size_t held_count;

static uint64_t free_pages(void)
{
	struct page_alloc_stats s;

	page_alloc_get_stats(&s);
	return s.free_pages;
}

/* Leaves exactly n pages free in the allocator (fewer if it has fewer). */
static void drain_to(uint64_t n)
{
	paddr_t pa;

	held = calloc(BIG_SIZE / PAGE_SIZE, sizeof(*held));
	assert_non_null(held);
	held_count = 0;
	while (page_alloc_get(0, &pa) == 0) {
		held[held_count++] = pa;
	}
	for (; n > 0 && held_count > 0; n--) {
		assert_int_equal(page_alloc_free(held[--held_count], 0), 0);
	}
}

static void undrain(void)
{
	while (held_count > 0) {
		assert_int_equal(page_alloc_free(held[--held_count], 0), 0);
	}
	free(held);
	held = NULL;
}

static void use_region(uint64_t size)
{
	page_alloc_reset();
	assert_non_null(big_buf);
	region_lo = (uint64_t)(uintptr_t)big_buf;
	region_hi = region_lo + size;
	assert_int_equal(page_alloc_add_region(region_lo, size), 0);
	/* Dirty every free page so that a table page used without zeroing shows up as garbage. */
	drain_to(0);
	for (size_t i = 0; i < held_count; i++) {
		memset((void *)(uintptr_t)held[i], 0xa5, PAGE_SIZE);
	}
	undrain();
}

static int setup(void **state)
{
	(void)state;
	big_buf = aligned_alloc(BIG_ALIGN, BIG_SIZE);
	use_region(BIG_SIZE);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	page_alloc_reset();
	free(held);
	held = NULL;
	held_count = 0;
	free(big_buf);
	big_buf = NULL;
	return 0;
}

/* ---- reference walker ---------------------------------------------------------------------- */

static uint64_t ref_limit(unsigned int levels)
{
	return levels == 3 ? 1ULL << 41 : 1ULL << 50;
}

static uint64_t ref_pa(uint64_t pte)
{
	return ((pte >> 10) & ((1ULL << 44) - 1)) << 12;
}

static uint64_t ref_size(int level)
{
	return 1ULL << (12 + 9 * level);
}

/* VPN[level]: 9 bits, or 11 at the root of an x4 mode (8.5.1). */
static uint64_t ref_vpn(unsigned int levels, uint64_t gpa, int level)
{
	uint64_t mask = level == (int)levels - 1 ? 0x7ff : 0x1ff;

	return (gpa >> (12 + 9 * level)) & mask;
}

/* Walks to the leaf mapping gpa: its level, or -1 if none. */
static int ref_walk(const struct gstage *g, uint64_t gpa, uint64_t *leaf)
{
	const uint64_t *t = (const uint64_t *)(uintptr_t)g->root;

	for (int level = (int)g->levels - 1; level >= 0; level--) {
		uint64_t pte = t[ref_vpn(g->levels, gpa, level)];

		if (!(pte & RV)) {
			return -1;
		}
		if (pte & (RR | RW_ | RX)) {
			*leaf = pte;
			return level;
		}
		t = (const uint64_t *)(uintptr_t)ref_pa(pte);
	}
	fail_msg("pointer PTE at level 0");
	return -1;
}

struct tree {
	uint64_t tables; /* below the root */
	uint64_t bytes;
	uint64_t hash; /* over every valid entry: where it is and what it holds */
};

static void mix(uint64_t *h, uint64_t v)
{
	*h = (*h ^ v) * 0x100000001b3ULL;
}

/* Checks every entry of the tree against the spec and our conventions, and sums it up. */
static void ref_scan(const struct gstage *g, uint64_t table, int level, uint64_t base,
                     struct tree *tr)
{
	const uint64_t *t = (const uint64_t *)(uintptr_t)table;
	bool root = level == (int)g->levels - 1, any = false;
	size_t entries = root ? 2048 : 512;

	for (size_t i = 0; i < entries; i++) {
		uint64_t pte = t[i], gpa = base + i * ref_size(level), pa = ref_pa(pte);

		if (!(pte & RV)) {
			assert_int_equal(pte, 0); /* zeroed tables, cleared entries */
			continue;
		}
		any = true;
		mix(&tr->hash, gpa);
		mix(&tr->hash, pte);
		assert_int_equal(pte >> 54, 0);
		if (pte & (RR | RW_ | RX)) {
			assert_true(level <= 2);
			assert_int_equal(pte & (RU | RA | RD | RG), RU | RA | RD);
			assert_false((pte & RW_) && !(pte & RR));
			assert_int_equal(pa % ref_size(level), 0);
			tr->bytes += ref_size(level);
		} else {
			/* Non-leaf: V only, D/A/U/G clear (4.4.1, 8.5.1). */
			assert_true(level > 0);
			assert_int_equal(pte & 0x3ff, RV);
			assert_true(pa % PAGE_SIZE == 0 && pa >= region_lo && pa < region_hi);
			tr->tables++;
			ref_scan(g, pa, level - 1, gpa, tr);
		}
	}
	assert_true(root || any); /* no empty table is left linked */
}

static struct tree check_tree(const struct gstage *g)
{
	struct tree tr = {0, 0, 0xcbf29ce484222325ULL};

	assert_int_equal(g->root % (16 * KIB), 0);
	ref_scan(g, g->root, (int)g->levels - 1, 0, &tr);
	assert_int_equal(g->table_pages, 4 + tr.tables);
	assert_int_equal(g->mapped_bytes, tr.bytes);
	return tr;
}

struct snap {
	struct tree tree;
	uint64_t free_pages;
};

static struct snap snap_take(const struct gstage *g)
{
	struct snap s = {check_tree(g), free_pages() + g->retired_pages};

	return s;
}

static void tree_equal(const struct gstage *g, const struct tree *a)
{
	struct tree b = check_tree(g);

	assert_int_equal(a->tables, b.tables);
	assert_int_equal(a->bytes, b.bytes);
	assert_int_equal(a->hash, b.hash);
}

/* The tree is as in the snapshot, and so are the free pages once the tables the operation
 * unlinked, retired until every hart has fenced, are given back. */
static void snap_equal(struct gstage *g, const struct snap *a)
{
	tree_equal(g, &a->tree);
	assert_int_equal(a->free_pages, free_pages() + g->retired_pages);
	gstage_free_retired(g);
	assert_int_equal(g->retired_pages, 0);
	assert_int_equal(a->free_pages, free_pages());
}

static uint64_t leaf_bits(unsigned int prot)
{
	return RV | RU | RA | RD | ((prot & GSTAGE_READ) ? RR : 0) |
	       ((prot & GSTAGE_WRITE) ? RW_ : 0) | ((prot & GSTAGE_EXEC) ? RX : 0);
}

/* The leaf for gpa is at `level` and is exactly the PTE the spec gives for leaf_hpa and prot. */
static void expect_leaf(const struct gstage *g, uint64_t gpa, int level, uint64_t leaf_hpa,
                        unsigned int prot)
{
	uint64_t pte = 0;

	assert_int_equal(ref_walk(g, gpa, &pte), level);
	assert_int_equal(pte, leaf_bits(prot) | (leaf_hpa >> 12) << 10);
}

static void expect_xlate(const struct gstage *g, uint64_t gpa, uint64_t hpa, unsigned int prot)
{
	paddr_t h = 0;
	unsigned int p = 0;

	assert_int_equal(gstage_translate(g, gpa, &h, &p), 0);
	assert_int_equal(h, hpa);
	assert_int_equal(p, prot);
	assert_int_equal(gstage_translate(g, gpa + 0xff8, &h, NULL), 0);
	assert_int_equal(h, hpa + 0xff8);
}

static void expect_none(const struct gstage *g, uint64_t gpa)
{
	uint64_t pte;

	assert_int_equal(gstage_translate(g, gpa, NULL, NULL), VIREO_ENOENT);
	if (gpa < ref_limit(g->levels)) {
		assert_int_equal(ref_walk(g, gpa, &pte), -1);
	}
}

static void new_gstage(struct gstage *g, unsigned int levels)
{
	memset(g, 0xee, sizeof(*g));
	assert_int_equal(gstage_init(g, levels), 0);
	assert_int_equal(g->levels, levels);
	assert_int_equal(g->table_pages, 4);
	assert_int_equal(g->mapped_bytes, 0);
	check_tree(g);
}

static void map_ok(struct gstage *g, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned int prot)
{
	assert_int_equal(gstage_map(g, gpa, hpa, size, prot), 0);
}

/* 10 MiB - 8 KiB: 2 x 4K, 2 MiB leaves at 10 and 12 MiB, 3 x 4K from 14 MiB. */
static const uint64_t mixed_gpa = 10 * MIB - 8 * KIB;
#define MIXED_SIZE (8 * KIB + 4 * MIB + 12 * KIB)

/* ---- tests --------------------------------------------------------------------------------- */

static void test_init_hgatp_destroy(void **state)
{
	uint64_t before = free_pages();
	struct gstage g;
	static const unsigned int vmids[] = {0, 1, 0x155, 0x3fff};

	(void)state;
	memset(&g, 0, sizeof(g));
	assert_int_equal(gstage_hgatp(&g, 1), 0);
	gstage_destroy(&g); /* a zeroed table: nothing to do */
	assert_int_equal(gstage_init(NULL, 3), VIREO_EINVAL);
	for (unsigned int levels = 0; levels < 8; levels++) {
		assert_int_equal(gstage_init(&g, levels),
		                 levels == 3 || levels == 4 ? 0 : VIREO_EINVAL);
		gstage_destroy(&g);
	}
	assert_int_equal(free_pages(), before);
	drain_to(3); /* three single pages: no 16 KiB block */
	assert_int_equal(gstage_init(&g, 3), VIREO_ENOMEM);
	assert_int_equal(free_pages(), 3);
	undrain();
	for (unsigned int levels = 3; levels <= 4; levels++) {
		uint64_t mode = levels == 3 ? 8 : 9;

		new_gstage(&g, levels);
		assert_int_equal(free_pages(), before - 4);
		for (size_t i = 0; i < sizeof(vmids) / sizeof(vmids[0]); i++) {
			/* 8.2.10: MODE 63:60, zeros 59:58, VMID 57:44, PPN 43:0. */
			uint64_t want = mode << 60 | (uint64_t)vmids[i] << 44 | g.root >> 12;

			assert_int_equal(gstage_hgatp(&g, vmids[i]), want);
			assert_int_equal(want & 3, 0); /* 16 KiB root: PPN[1:0] = 0 */
		}
		assert_int_equal(gstage_hgatp(&g, 0x4000 | 7),
		                 mode << 60 | 7ULL << 44 | g.root >> 12);
		gstage_destroy(&g);
		assert_int_equal(free_pages(), before);
		assert_true(g.root == 0 && g.levels == 0 && g.table_pages == 0);
		gstage_destroy(&g);
		assert_int_equal(gstage_translate(&g, 0, NULL, NULL), VIREO_EINVAL);
		assert_int_equal(gstage_map(&g, 0, 0, PAGE_SIZE, RW), VIREO_EINVAL);
		assert_int_equal(gstage_unmap(&g, 0, PAGE_SIZE), VIREO_EINVAL);
	}
	assert_int_equal(gstage_translate(NULL, 0, NULL, NULL), VIREO_EINVAL);
}

static void test_map_4k(void **state)
{
	(void)state;
	for (unsigned int levels = 3; levels <= 4; levels++) {
		uint64_t top = ref_limit(levels) - PAGE_SIZE, before = free_pages();
		const uint64_t gpas[] = {0, 511 * PAGE_SIZE, 2 * MIB, GIB + PAGE_SIZE, top};
		struct gstage g;

		new_gstage(&g, levels);
		for (size_t i = 0; i < 5; i++) {
			map_ok(&g, gpas[i], 0x80000000ULL + i * 0x5000, PAGE_SIZE, RW);
			expect_xlate(&g, gpas[i], 0x80000000ULL + i * 0x5000, RW);
			expect_leaf(&g, gpas[i], 0, 0x80000000ULL + i * 0x5000, RW);
		}
		expect_none(&g, PAGE_SIZE);
		expect_none(&g, 510 * PAGE_SIZE);
		expect_none(&g, GIB);
		expect_none(&g, top - PAGE_SIZE);
		/* L1 + L0 for 0 and 511, L0 for 2M, L1 + L0 for 1G+4K, L1 + L0 at the top; Sv48x4
		 * adds an L2 below 512 GiB and one at the top. */
		assert_int_equal(g.table_pages, 4 + 7 + (levels == 4 ? 2 : 0));
		assert_int_equal(g.mapped_bytes, 5 * PAGE_SIZE);
		check_tree(&g);
		gstage_destroy(&g);
		assert_int_equal(free_pages(), before);
	}
}

static void test_map_2m_and_mixed(void **state)
{
	(void)state;
	for (unsigned int levels = 3; levels <= 4; levels++) {
		uint64_t up = levels - 3, h = 0x800000000ULL; /* 32 GiB: 1 GiB aligned */
		struct gstage g;

		/* Aligned gpa and hpa: 2 MiB leaves in one L1 table. */
		new_gstage(&g, levels);
		map_ok(&g, 4 * MIB, h + 6 * MIB, 8 * MIB, RWX);
		assert_int_equal(g.table_pages, 4 + 1 + up);
		for (uint64_t off = 0; off < 8 * MIB; off += 2 * MIB) {
			expect_leaf(&g, 4 * MIB + off, 1, h + 6 * MIB + off, RWX);
			expect_xlate(&g, 4 * MIB + off + 0x1000 * 77,
			             h + 6 * MIB + off + 0x1000 * 77, RWX);
		}
		/* hpa 4 KiB off: 4 KiB leaves, two L0 tables in the same L1. */
		map_ok(&g, 64 * MIB, h + PAGE_SIZE, 4 * MIB, GSTAGE_READ);
		assert_int_equal(g.table_pages, 4 + 1 + up + 2);
		expect_leaf(&g, 64 * MIB, 0, h + PAGE_SIZE, GSTAGE_READ);
		expect_leaf(&g, 68 * MIB - PAGE_SIZE, 0, h + 4 * MIB, GSTAGE_READ);
		/* Aligned but one page short of 2 MiB: 4 KiB leaves. */
		map_ok(&g, 128 * MIB, h, 2 * MIB - PAGE_SIZE, RW);
		expect_leaf(&g, 128 * MIB, 0, h, RW);
		expect_none(&g, 130 * MIB - PAGE_SIZE);
		assert_int_equal(g.table_pages, 4 + 1 + up + 3);
		assert_int_equal(g.mapped_bytes, 14 * MIB - PAGE_SIZE);
		check_tree(&g);
		gstage_destroy(&g);

		/* Congruent mod 2 MiB: 2 x 4K, 2 x 2M, 3 x 4K; an L1 and two L0 tables. */
		new_gstage(&g, levels);
		map_ok(&g, mixed_gpa, h + mixed_gpa, MIXED_SIZE, RW);
		for (uint64_t a = mixed_gpa; a < mixed_gpa + MIXED_SIZE; a += PAGE_SIZE) {
			int level = a >= 10 * MIB && a < 14 * MIB;

			expect_xlate(&g, a, h + a, RW);
			expect_leaf(&g, a, level, h + (level ? a & ~(2 * MIB - 1) : a), RW);
		}
		expect_none(&g, mixed_gpa - PAGE_SIZE);
		expect_none(&g, mixed_gpa + MIXED_SIZE);
		assert_int_equal(g.table_pages, 4 + up + 3);
		assert_int_equal(g.mapped_bytes, MIXED_SIZE);
		gstage_destroy(&g);

		/* 1 GiB + 2 MiB + 4 KiB, all aligned: one leaf of each size. */
		new_gstage(&g, levels);
		map_ok(&g, 2 * GIB, 4 * GIB, GIB + 2 * MIB + PAGE_SIZE, GSTAGE_EXEC);
		expect_leaf(&g, 2 * GIB + 123 * MIB, 2, 4 * GIB, GSTAGE_EXEC);
		expect_xlate(&g, 2 * GIB + 123 * MIB, 4 * GIB + 123 * MIB, GSTAGE_EXEC);
		expect_leaf(&g, 3 * GIB + MIB, 1, 5 * GIB, GSTAGE_EXEC);
		expect_leaf(&g, 3 * GIB + 2 * MIB, 0, 5 * GIB + 2 * MIB, GSTAGE_EXEC);
		expect_none(&g, 3 * GIB + 2 * MIB + PAGE_SIZE);
		assert_int_equal(g.table_pages, 4 + up + 2);
		assert_int_equal(g.mapped_bytes, GIB + 2 * MIB + PAGE_SIZE);
		check_tree(&g);
		gstage_destroy(&g);
	}
}

static void test_prot_and_pte_bits(void **state)
{
	static const unsigned int good[] = {GSTAGE_READ, RW, GSTAGE_EXEC, GSTAGE_READ | GSTAGE_EXEC,
	                                    RWX};
	static const unsigned int bad[] = {0, GSTAGE_WRITE, GSTAGE_WRITE | GSTAGE_EXEC,
	                                   8, RWX | 8,      0xffffffffu};
	struct gstage g;
	struct snap s;

	(void)state;
	new_gstage(&g, 3);
	for (uint64_t i = 0; i < 5; i++) {
		map_ok(&g, i * 2 * MIB, GIB + i * 2 * MIB, 2 * MIB, good[i]);
		map_ok(&g, 64 * MIB + i * PAGE_SIZE, 0x1234000 + i * PAGE_SIZE, PAGE_SIZE, good[i]);
		expect_leaf(&g, i * 2 * MIB, 1, GIB + i * 2 * MIB, good[i]);
		expect_xlate(&g, i * 2 * MIB + 5 * PAGE_SIZE, GIB + i * 2 * MIB + 5 * PAGE_SIZE,
		             good[i]);
		expect_leaf(&g, 64 * MIB + i * PAGE_SIZE, 0, 0x1234000 + i * PAGE_SIZE, good[i]);
		expect_xlate(&g, 64 * MIB + i * PAGE_SIZE, 0x1234000 + i * PAGE_SIZE, good[i]);
	}
	/* Pointer PTEs (V and the PPN only) are checked entry by entry in ref_scan(). */
	s = snap_take(&g);
	assert_int_equal(s.tree.tables, 2);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(gstage_map(&g, 128 * MIB, 0, PAGE_SIZE, bad[i]), VIREO_EINVAL);
		assert_int_equal(gstage_map(&g, 2 * GIB, 0, 2 * MIB, bad[i]), VIREO_EINVAL);
	}
	snap_equal(&g, &s);
	gstage_destroy(&g);
}

static void test_overlap(void **state)
{
	static const uint64_t bad[][2] = {
	    {3 * MIB, PAGE_SIZE},
	    {0, 4 * MIB},
	    {2 * MIB - PAGE_SIZE, 8 * KIB},
	    {4 * MIB - PAGE_SIZE, 8 * KIB},
	    {8 * MIB + 8 * KIB, PAGE_SIZE},
	    {8 * MIB, 2 * MIB},
	    {6 * MIB, 4 * MIB},
	    {0, GIB},
	    {2 * MIB, 2 * MIB},
	};

	(void)state;
	for (unsigned int levels = 3; levels <= 4; levels++) {
		struct gstage g;
		struct snap s;

		new_gstage(&g, levels);
		map_ok(&g, 2 * MIB, 4 * GIB + 2 * MIB, 2 * MIB, RW);
		map_ok(&g, 8 * MIB, 0x5000000, 16 * KIB, RW);
		s = snap_take(&g);
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			/* hpa congruent to gpa mod 1 GiB, so the largest leaves would be used. */
			assert_int_equal(
			    gstage_map(&g, bad[i][0], 4 * GIB + bad[i][0], bad[i][1], RWX),
			    VIREO_EEXIST);
			snap_equal(&g, &s);
		}
		expect_xlate(&g, 3 * MIB, 4 * GIB + 3 * MIB, RW);
		/* Right next to existing mappings is fine. */
		map_ok(&g, 4 * MIB, 0x7000000, PAGE_SIZE, RW);
		map_ok(&g, 2 * MIB - PAGE_SIZE, 0x7001000, PAGE_SIZE, RW);
		map_ok(&g, 8 * MIB + 16 * KIB, 0x7002000, PAGE_SIZE, RW);
		assert_int_equal(g.mapped_bytes, 2 * MIB + 7 * PAGE_SIZE);
		check_tree(&g);
		gstage_destroy(&g);
	}
}

static void test_range_limits(void **state)
{
	(void)state;
	for (unsigned int levels = 3; levels <= 4; levels++) {
		uint64_t limit = ref_limit(levels), pa_limit = 1ULL << 56, pg = PAGE_SIZE;
		/* {gpa, hpa, size}: beyond the space, wrapping, misaligned, empty, beyond 2^56. */
		const uint64_t bad[][3] = {{limit, 0, pg},     {limit - 2 * pg, 0, 3 * pg},
		                           {limit * 2, 0, pg}, {1ULL << 63, 0, pg},
		                           {~0xfffULL, 0, pg}, {pg, 0, ~0xfffULL},
		                           {pg + 1, 0, pg},    {pg, 0x800, pg},
		                           {pg, 0, pg + 8},    {pg, 0, 0},
		                           {pg, pa_limit, pg}, {pg, pa_limit - pg, 2 * pg},
		                           {pg, ~0xfffULL, pg}};
		struct gstage g;
		struct snap s0, s;

		new_gstage(&g, levels);
		s0 = snap_take(&g);
		map_ok(&g, limit - pg, 0x1000, pg, RW);
		map_ok(&g, limit - 4 * MIB, 2 * GIB, 2 * MIB, RW);
		expect_leaf(&g, limit - pg, 0, 0x1000, RW);
		expect_leaf(&g, limit - 4 * MIB, 1, 2 * GIB, RW);
		s = snap_take(&g);
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_int_equal(gstage_map(&g, bad[i][0], bad[i][1], bad[i][2], RW),
			                 VIREO_EINVAL);
			if (bad[i][1] == 0) {
				assert_int_equal(gstage_unmap(&g, bad[i][0], bad[i][2]),
				                 VIREO_EINVAL);
			}
		}
		assert_int_equal(gstage_unmap(NULL, pg, pg), VIREO_EINVAL);
		assert_int_equal(gstage_map(NULL, pg, 0, pg, RW), VIREO_EINVAL);
		/* GPAs at or beyond the limit fault, even when their low bits name a mapped page. */
		expect_none(&g, limit);
		expect_none(&g, limit | (limit - pg));
		expect_none(&g, (1ULL << 63) | (limit - pg));
		expect_none(&g, ~0ULL);
		snap_equal(&g, &s);
		expect_xlate(&g, limit - pg, 0x1000, RW);
		/* The last physical page is mappable. */
		map_ok(&g, pg, pa_limit - pg, pg, GSTAGE_READ);
		expect_xlate(&g, pg, pa_limit - pg, GSTAGE_READ);
		/* Unmapping up to the very end of the space. */
		assert_int_equal(gstage_unmap(&g, limit - pg, pg), 0);
		assert_int_equal(gstage_unmap(&g, limit - 8 * MIB, 8 * MIB), 0);
		assert_int_equal(gstage_unmap(&g, pg, pg), 0);
		snap_equal(&g, &s0);
		gstage_destroy(&g);
	}
}

static void map_assorted(struct gstage *g)
{
	map_ok(g, mixed_gpa, 4 * GIB + mixed_gpa, MIXED_SIZE, RW);
	map_ok(g, 2 * GIB, 4 * GIB, GIB + 2 * MIB + PAGE_SIZE, RWX);
	for (uint64_t i = 0; i < 10; i++) {
		map_ok(g, 100 * MIB + i * 3 * MIB, 0x9000000 + i * PAGE_SIZE, PAGE_SIZE, RW);
	}
	map_ok(g, ref_limit(g->levels) - 2 * MIB, 6 * GIB, 2 * MIB, GSTAGE_READ);
}

static void test_unmap_whole_and_holes(void **state)
{
	(void)state;
	for (unsigned int levels = 3; levels <= 4; levels++) {
		uint64_t before = free_pages();
		struct gstage g;
		struct snap s0, s;

		new_gstage(&g, levels);
		s0 = snap_take(&g);
		map_assorted(&g);
		/* Holes around the mixed range, then all of it. */
		assert_int_equal(gstage_unmap(&g, 0, 16 * MIB), 0);
		expect_none(&g, mixed_gpa);
		expect_none(&g, 12 * MIB);
		expect_xlate(&g, 100 * MIB, 0x9000000, RW);
		expect_xlate(&g, 3 * GIB + 2 * MIB, 5 * GIB + 2 * MIB, RWX);
		/* Nothing there at all: no change. */
		s = snap_take(&g);
		assert_int_equal(gstage_unmap(&g, 20 * MIB, PAGE_SIZE), 0);
		assert_int_equal(gstage_unmap(&g, 0, 16 * MIB), 0);
		assert_int_equal(gstage_unmap(&g, 200 * MIB, GIB), 0);
		snap_equal(&g, &s);
		/* Scattered pages with holes between them. */
		assert_int_equal(gstage_unmap(&g, 99 * MIB, 30 * MIB), 0);
		expect_none(&g, 127 * MIB);
		assert_int_equal(g.mapped_bytes, GIB + 4 * MIB + PAGE_SIZE);
		check_tree(&g);
		/* Everything, the whole space in one call. */
		assert_int_equal(gstage_unmap(&g, 0, ref_limit(levels)), 0);
		snap_equal(&g, &s0);
		assert_int_equal(g.table_pages, 4);
		assert_int_equal(g.mapped_bytes, 0);
		/* Destroy with everything still mapped returns every page. */
		map_assorted(&g);
		gstage_destroy(&g);
		assert_int_equal(free_pages(), before);
	}
}

static void expect_span(const struct gstage *g, uint64_t gpa, uint64_t size, uint64_t hpa,
                        unsigned int prot)
{
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		expect_xlate(g, gpa + off, hpa + off, prot);
	}
}

/* Tables an unmap leaves empty may still be cached by a hart until its HFENCE.GVMA: they are
 * unlinked at once but reach the page allocator only through gstage_free_retired() (after
 * every hart fenced) or gstage_destroy(); a hart still walking one reads invalid entries. */
static void test_unmap_retires_tables(void **state)
{
	struct gstage g;

	(void)state;
	for (int destroy = 0; destroy < 2; destroy++) {
		uint64_t before = free_pages();
		new_gstage(&g, 4);
		assert_int_equal(g.retired_pages, 0);
		map_ok(&g, 5 * GIB + 3 * PAGE_SIZE, 0x40000000, PAGE_SIZE, RW);
		uint64_t tables = g.table_pages - 4;
		assert_int_equal(tables, 3); /* L2, L1 and L0 below the root */
		assert_int_equal(free_pages(), before - 4 - tables);
		assert_int_equal(gstage_unmap(&g, 5 * GIB, 2 * MIB), 0);
		expect_none(&g, 5 * GIB + 3 * PAGE_SIZE);
		assert_int_equal(g.table_pages, 4);
		assert_int_equal(g.retired_pages, tables);
		assert_int_equal(free_pages(), before - 4 - tables);
		/* Every retired page reads as all-invalid entries to a hart still walking it. */
		for (paddr_t pa = g.retired; pa; pa = *(const uint64_t *)(uintptr_t)pa) {
			const uint64_t *t = (const uint64_t *)(uintptr_t)pa;
			for (unsigned int i = 0; i < 512; i++) {
				assert_int_equal(t[i] & 1, 0);
			}
		}
		if (destroy) {
			gstage_destroy(&g);
			assert_int_equal(free_pages(), before);
			continue;
		}
		gstage_free_retired(&g);
		assert_int_equal(g.retired_pages, 0);
		assert_int_equal(g.retired, 0);
		assert_int_equal(free_pages(), before - 4);
		gstage_free_retired(&g); /* nothing left: a no-op */
		gstage_destroy(&g);
		assert_int_equal(free_pages(), before);
	}
}

static void test_unmap_split(void **state)
{
	(void)state;
	for (unsigned int levels = 3; levels <= 4; levels++) {
		uint64_t h = GIB, t;
		struct gstage g;
		struct snap s0;

		new_gstage(&g, levels);
		s0 = snap_take(&g);
		/* A 4 KiB hole in a 2 MiB leaf: one L0 table, the rest still translating. */
		map_ok(&g, 2 * MIB, h + 2 * MIB, 2 * MIB, RW);
		t = g.table_pages;
		assert_int_equal(gstage_unmap(&g, 3 * MIB, PAGE_SIZE), 0);
		assert_int_equal(g.table_pages, t + 1);
		assert_int_equal(g.mapped_bytes, 2 * MIB - PAGE_SIZE);
		expect_span(&g, 2 * MIB, MIB, h + 2 * MIB, RW);
		expect_none(&g, 3 * MIB);
		expect_span(&g, 3 * MIB + PAGE_SIZE, MIB - PAGE_SIZE, h + 3 * MIB + PAGE_SIZE, RW);
		expect_leaf(&g, 2 * MIB, 0, h + 2 * MIB, RW);
		expect_leaf(&g, 4 * MIB - PAGE_SIZE, 0, h + 4 * MIB - PAGE_SIZE, RW);
		check_tree(&g);

		/* Across the boundary of two 2 MiB leaves: both split. */
		map_ok(&g, 16 * MIB, h + 16 * MIB, 4 * MIB, RWX);
		t = g.table_pages;
		assert_int_equal(gstage_unmap(&g, 17 * MIB, 2 * MIB), 0);
		assert_int_equal(g.table_pages, t + 2);
		expect_span(&g, 16 * MIB, MIB, h + 16 * MIB, RWX);
		expect_none(&g, 17 * MIB);
		expect_none(&g, 19 * MIB - PAGE_SIZE);
		expect_span(&g, 19 * MIB, MIB, h + 19 * MIB, RWX);

		/* A 4 KiB hole in a 1 GiB leaf: split to 2 MiB leaves, then one to 4 KiB. */
		map_ok(&g, GIB, 8 * GIB, GIB, RW);
		t = g.table_pages;
		assert_int_equal(gstage_unmap(&g, GIB + 5 * MIB + PAGE_SIZE, PAGE_SIZE), 0);
		assert_int_equal(g.table_pages, t + 2);
		expect_leaf(&g, GIB, 1, 8 * GIB, RW);
		expect_leaf(&g, GIB + 5 * MIB, 0, 8 * GIB + 5 * MIB, RW);
		expect_none(&g, GIB + 5 * MIB + PAGE_SIZE);
		expect_leaf(&g, GIB + 5 * MIB + 8 * KIB, 0, 8 * GIB + 5 * MIB + 8 * KIB, RW);
		expect_leaf(&g, 2 * GIB - 2 * MIB, 1, 9 * GIB - 2 * MIB, RW);
		expect_span(&g, GIB + 4 * MIB, MIB + PAGE_SIZE, 8 * GIB + 4 * MIB, RW);
		expect_span(&g, 2 * GIB - 8 * KIB, 8 * KIB, 9 * GIB - 8 * KIB, RW);
		/* 2 MiB aligned inside a 1 GiB leaf: one split only. */
		map_ok(&g, 4 * GIB, 16 * GIB, GIB, RW);
		t = g.table_pages;
		assert_int_equal(gstage_unmap(&g, 4 * GIB + 2 * MIB, 2 * MIB), 0);
		assert_int_equal(g.table_pages, t + 1);
		expect_leaf(&g, 4 * GIB, 1, 16 * GIB, RW);
		expect_none(&g, 4 * GIB + 2 * MIB);
		expect_leaf(&g, 4 * GIB + 4 * MIB, 1, 16 * GIB + 4 * MIB, RW);
		assert_int_equal(g.mapped_bytes, (2 * MIB - PAGE_SIZE) + 2 * MIB +
		                                     (GIB - PAGE_SIZE) + (GIB - 2 * MIB));
		check_tree(&g);
		/* The leftovers go range by range, tables and all. */
		assert_int_equal(gstage_unmap(&g, GIB, GIB), 0);
		assert_int_equal(gstage_unmap(&g, 4 * GIB, GIB), 0);
		assert_int_equal(gstage_unmap(&g, 0, 32 * MIB), 0);
		snap_equal(&g, &s0);
		gstage_destroy(&g);
	}
}

static void test_unmap_enomem(void **state)
{
	(void)state;
	for (unsigned int levels = 3; levels <= 4; levels++) {
		struct gstage g;
		struct tree tr;

		new_gstage(&g, levels);
		map_ok(&g, 2 * MIB, GIB + 2 * MIB, 2 * MIB, RW);
		map_ok(&g, 16 * MIB, GIB + 16 * MIB, 4 * MIB, RW);
		map_ok(&g, GIB, 8 * GIB, GIB, RW);
		tr = check_tree(&g);

		drain_to(0);
		assert_int_equal(gstage_unmap(&g, 3 * MIB, PAGE_SIZE), VIREO_ENOMEM);
		assert_int_equal(gstage_unmap(&g, 17 * MIB, 2 * MIB), VIREO_ENOMEM);
		assert_int_equal(gstage_unmap(&g, GIB + 5 * MIB + PAGE_SIZE, PAGE_SIZE),
		                 VIREO_ENOMEM);
		tree_equal(&g, &tr);
		/* Whole leaves need no page, neither to unmap nor to map into an existing table. */
		assert_int_equal(gstage_unmap(&g, 2 * MIB, 2 * MIB), 0);
		map_ok(&g, 2 * MIB, GIB + 2 * MIB, 2 * MIB, RW);
		tree_equal(&g, &tr);
		undrain();

		/* One page where two splits are needed: the first is undone. */
		drain_to(1);
		assert_int_equal(gstage_unmap(&g, GIB + 5 * MIB + PAGE_SIZE, PAGE_SIZE),
		                 VIREO_ENOMEM);
		assert_int_equal(gstage_unmap(&g, 17 * MIB, 2 * MIB), VIREO_ENOMEM);
		tree_equal(&g, &tr);
		/* The undone split's table may have been walked: retired, not free, until the
		 * fences are done. */
		assert_int_equal(free_pages(), 0);
		assert_int_equal(g.retired_pages, 1);
		gstage_free_retired(&g);
		assert_int_equal(free_pages(), 1);
		assert_int_equal(gstage_unmap(&g, 3 * MIB, PAGE_SIZE), 0);
		assert_int_equal(free_pages(), 0);
		expect_none(&g, 3 * MIB);
		expect_xlate(&g, 3 * MIB + PAGE_SIZE, GIB + 3 * MIB + PAGE_SIZE, RW);
		undrain();

		drain_to(2);
		assert_int_equal(gstage_unmap(&g, GIB + 5 * MIB + PAGE_SIZE, PAGE_SIZE), 0);
		assert_int_equal(free_pages(), 0);
		expect_none(&g, GIB + 5 * MIB + PAGE_SIZE);
		expect_xlate(&g, GIB + 5 * MIB, 8 * GIB + 5 * MIB, RW);
		undrain();
		check_tree(&g);
		gstage_destroy(&g);
	}
}

/* Maps a range that needs several table pages with every smaller number of pages available. */
static void map_enomem_sweep(unsigned int levels, bool shared)
{
	uint64_t gpa = GIB - 2 * MIB - 8 * KIB, size = 8 * KIB + 6 * MIB + 12 * KIB;
	uint64_t hpa = 4 * GIB + gpa, need;
	struct gstage g;
	struct snap s0;

	new_gstage(&g, levels);
	if (shared) {
		/* Shares the L1 and L0 tables with the head of the range: they must survive. */
		map_ok(&g, GIB - 4 * MIB, 0x1000, PAGE_SIZE, GSTAGE_READ);
	}
	s0 = snap_take(&g);
	map_ok(&g, gpa, hpa, size, RW);
	need = g.table_pages - 4 - s0.tree.tables;
	assert_int_equal(need, (shared ? 2 : 4) + (levels == 4 && !shared ? 1 : 0));
	assert_int_equal(gstage_unmap(&g, gpa, size), 0);
	snap_equal(&g, &s0);
	for (uint64_t n = 0; n <= need; n++) {
		drain_to(n);
		if (n < need) {
			assert_int_equal(gstage_map(&g, gpa, hpa, size, RW), VIREO_ENOMEM);
			tree_equal(&g, &s0.tree);
			/* The tables it linked may have been walked: retired until fenced. */
			assert_int_equal(free_pages() + g.retired_pages, n);
			gstage_free_retired(&g);
			assert_int_equal(free_pages(), n);
			expect_none(&g, gpa);
			expect_none(&g, gpa + size - PAGE_SIZE);
		} else {
			map_ok(&g, gpa, hpa, size, RW);
			assert_int_equal(free_pages(), 0);
			expect_span(&g, gpa, size, hpa, RW);
		}
		undrain();
	}
	if (shared) {
		expect_xlate(&g, GIB - 4 * MIB, 0x1000, GSTAGE_READ);
	}
	assert_int_equal(gstage_unmap(&g, gpa, size), 0);
	snap_equal(&g, &s0);
	gstage_destroy(&g);
}

static void test_map_enomem_sweep(void **state)
{
	(void)state;
	for (unsigned int levels = 3; levels <= 4; levels++) {
		map_enomem_sweep(levels, false);
		map_enomem_sweep(levels, true);
	}
}

/* A 256 KiB allocator runs dry in the middle of a 512 MiB map of 4 KiB pages. */
static void test_map_enomem_small(void **state)
{
	uint64_t before;
	struct gstage g;
	struct snap s;

	(void)state;
	use_region(256 * KIB);
	before = free_pages();
	new_gstage(&g, 3);
	map_ok(&g, GIB, 0x1000, PAGE_SIZE, RW);
	s = snap_take(&g);
	assert_int_equal(gstage_map(&g, 0, 0x10001000, 512 * MIB, RW), VIREO_ENOMEM);
	snap_equal(&g, &s);
	expect_none(&g, 0);
	expect_xlate(&g, GIB, 0x1000, RW);
	/* With 2 MiB leaves the same range needs one table page. */
	map_ok(&g, 0, 0x40000000, 512 * MIB, RW);
	assert_int_equal(g.table_pages, s.tree.tables + 4 + 1);
	gstage_destroy(&g);
	assert_int_equal(free_pages(), before);
}

/* Entries gstage.c never writes, planted by hand: the walk faults where the spec says. */
static void test_translate_malformed(void **state)
{
	const uint64_t bad_leaf[] = {RU, RA, RV, RR, RR | RW_ | RX};
	struct gstage g;
	uint64_t *l1, *l0, leaf, big;
	unsigned int prot;

	(void)state;
	new_gstage(&g, 3);
	map_ok(&g, PAGE_SIZE, 0x5000, PAGE_SIZE, RW);
	map_ok(&g, 2 * MIB, 4 * MIB, 2 * MIB, RW);
	l1 = (uint64_t *)(uintptr_t)ref_pa(((uint64_t *)(uintptr_t)g.root)[0]);
	l0 = (uint64_t *)(uintptr_t)ref_pa(l1[0]);
	leaf = l0[1];
	big = l1[1];
	/* U=0 (8.5.1), A=0, V=0, W without R, and a pointer at level 0 (4.3.2 steps 3, 4, 7). */
	for (size_t i = 0; i < sizeof(bad_leaf) / sizeof(bad_leaf[0]); i++) {
		l0[1] = leaf & ~bad_leaf[i];
		assert_int_equal(gstage_translate(&g, PAGE_SIZE, NULL, NULL), VIREO_ENOENT);
	}
	/* Reserved bits 63:54 set. */
	l0[1] = leaf | 1ULL << 54;
	assert_int_equal(gstage_translate(&g, PAGE_SIZE, NULL, NULL), VIREO_ENOENT);
	l0[1] = leaf | 1ULL << 63;
	assert_int_equal(gstage_translate(&g, PAGE_SIZE, NULL, NULL), VIREO_ENOENT);
	/* D=0 faults writes only; G is ignored by the walker. */
	l0[1] = leaf & ~RD;
	assert_int_equal(gstage_translate(&g, PAGE_SIZE, NULL, &prot), 0);
	assert_int_equal(prot, GSTAGE_READ);
	l0[1] = leaf | RG;
	expect_xlate(&g, PAGE_SIZE, 0x5000, RW);
	l0[1] = leaf;
	/* A 2 MiB leaf whose PPN is not 2 MiB aligned (step 6). */
	l1[1] = big + (1ULL << 10);
	assert_int_equal(gstage_translate(&g, 2 * MIB, NULL, NULL), VIREO_ENOENT);
	l1[1] = big;
	expect_xlate(&g, 3 * MIB, 5 * MIB, RW);
	check_tree(&g);
	gstage_destroy(&g);
}

/* ---- random stress against a page-by-page model -------------------------------------------- */

#define STRESS_WINDOW (2 * GIB)
#define STRESS_PAGES  (STRESS_WINDOW / PAGE_SIZE)
#define STRESS_OPS    2500

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A page range in the window: single pages, 2 MiB runs (some a little off), 1 GiB, huge. */
static void pick_range(uint64_t *first, uint64_t *count)
{
	uint64_t kind = rng() % 100;

	if (kind < 50) {
		*first = rng() % STRESS_PAGES;
		*count = 1 + rng() % 600;
	} else if (kind < 85) {
		*first = rng() % (STRESS_PAGES / 512) * 512 + (rng() % 4 == 0 ? rng() % 3 : 0);
		*count = (1 + rng() % 6) * 512 + (rng() % 4 == 0 ? rng() % 5 : 0);
	} else if (kind < 95) {
		*first = rng() % 2 * (GIB / PAGE_SIZE);
		*count = GIB / PAGE_SIZE + (rng() % 3 == 0 ? 512 : 0);
	} else {
		*first = rng() % STRESS_PAGES;
		*count = 1 + rng() % STRESS_PAGES;
	}
	if (*first + *count > STRESS_PAGES) {
		*count = STRESS_PAGES - *first;
	}
}

static void model_check_page(const struct gstage *g, uint64_t base, const uint64_t *model,
                             uint64_t page)
{
	paddr_t hpa;
	unsigned int prot;
	int ret = gstage_translate(g, base + page * PAGE_SIZE, &hpa, &prot);

	if (model[page] == 0) {
		assert_int_equal(ret, VIREO_ENOENT);
	} else {
		assert_int_equal(ret, 0);
		assert_int_equal(hpa, model[page] & ~0xfffULL);
		assert_int_equal(prot, model[page] & 0xfff);
	}
}

static void stress(unsigned int levels, uint64_t base, uint64_t seed)
{
	static const unsigned int prots[] = {GSTAGE_READ, RW, GSTAGE_EXEC, RWX};
	uint64_t *model = calloc(STRESS_PAGES, sizeof(*model)); /* hpa | prot, 0 = unmapped */
	uint64_t mapped = 0, before = free_pages(), leaves[3] = {0};
	struct gstage g;

	assert_non_null(model);
	rng_state = seed;
	new_gstage(&g, levels);
	for (int op = 0; op < STRESS_OPS; op++) {
		uint64_t first, count, gpa;
		bool busy = false;

		pick_range(&first, &count);
		gpa = base + first * PAGE_SIZE;
		if (rng() % 100 < 55) {
			/* hpa congruent to gpa mod 1 GiB most of the time, so large leaves appear. */
			uint64_t hpa = (1 + rng() % 1000) * GIB + gpa % GIB;
			unsigned int prot = prots[rng() % 4];

			if (rng() % 5 == 0) {
				hpa += (1 + rng() % 3) * PAGE_SIZE;
			}
			for (uint64_t p = first; p < first + count && !busy; p++) {
				busy = model[p] != 0;
			}
			assert_int_equal(gstage_map(&g, gpa, hpa, count * PAGE_SIZE, prot),
			                 busy ? VIREO_EEXIST : 0);
			if (!busy) {
				uint64_t pte;

				for (uint64_t p = 0; p < count; p++) {
					model[first + p] = (hpa + p * PAGE_SIZE) | prot;
				}
				mapped += count;
				leaves[ref_walk(&g, gpa + count / 2 * PAGE_SIZE, &pte)]++;
			}
		} else {
			assert_int_equal(gstage_unmap(&g, gpa, count * PAGE_SIZE), 0);
			for (uint64_t p = first; p < first + count; p++) {
				mapped -= model[p] != 0;
				model[p] = 0;
			}
		}
		assert_int_equal(g.mapped_bytes, mapped * PAGE_SIZE);
		/* Around the edges of the range, and a few pages anywhere. */
		for (uint64_t p = first > 0 ? first - 1 : 0; p <= first + count; p++) {
			if (p < STRESS_PAGES) {
				model_check_page(&g, base, model, p);
			}
			if (p == first + 1 && count > 4) {
				p = first + count - 3;
			}
		}
		for (int i = 0; i < 8; i++) {
			model_check_page(&g, base, model, rng() % STRESS_PAGES);
		}
		if (op % 250 == 249) {
			for (uint64_t p = 0; p < STRESS_PAGES; p++) {
				model_check_page(&g, base, model, p);
			}
			check_tree(&g);
		}
	}
	/* The run went through 2 MiB and 1 GiB leaves, not just 4 KiB ones. */
	assert_true(leaves[0] > 0 && leaves[1] > 0 && leaves[2] > 0);
	assert_int_equal(gstage_unmap(&g, base, STRESS_WINDOW), 0);
	assert_true(g.table_pages == 4 && g.mapped_bytes == 0 && check_tree(&g).tables == 0);
	gstage_destroy(&g);
	assert_int_equal(free_pages(), before);
	free(model);
}

static void test_random_stress(void **state)
{
	(void)state;
	/* Sv39x4: the top 2 GiB (root entries 2046-2047, only reachable with the x4 bits).
	 * Sv48x4: 2 GiB across the 512 GiB boundary at 2^49 (two L2 tables). */
	stress(3, (1ULL << 41) - STRESS_WINDOW, 0x9e3779b97f4a7c15ULL);
	stress(4, (1ULL << 49) - GIB, 0x2545f4914f6cdd1dULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_init_hgatp_destroy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_map_4k, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_map_2m_and_mixed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_prot_and_pte_bits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_overlap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_range_limits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unmap_whole_and_holes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unmap_split, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unmap_retires_tables, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unmap_enomem, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_map_enomem_sweep, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_map_enomem_small, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_translate_malformed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_random_stress, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
