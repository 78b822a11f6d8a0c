/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for core/mem_layout.c: RAM minus reserved ranges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/mem_layout.h>

#define R(b, s)                          \
	{                                \
		.base = (b), .size = (s) \
	}

static void expect_pieces(const struct mem_range *ram, unsigned int nram,
                          const struct mem_range *holes, unsigned int nholes,
                          const struct mem_range *want, int nwant)
{
	struct mem_range out[MEM_LAYOUT_MAX_FREE];
	int n = mem_layout_subtract(ram, nram, holes, nholes, out, MEM_LAYOUT_MAX_FREE);
	assert_int_equal(n, nwant);
	for (int i = 0; i < n; i++) {
		assert_int_equal(out[i].base, want[i].base);
		assert_int_equal(out[i].size, want[i].size);
	}
}

static void test_qemu_virt_layout(void **state)
{
	(void)state;
	/* 1 GiB at 2 GiB; OpenSBI 512 KiB at the base; image at +2 MiB; tree near the top. */
	const struct mem_range ram[] = {R(0x80000000, 0x40000000)};
	const struct mem_range holes[] = {R(0x80000000, 0x80000), R(0x80200000, 0x1f000),
	                                  R(0xbfe00000, 0x2000), R(0, 0)};
	const struct mem_range want[] = {R(0x80080000, 0x180000), R(0x8021f000, 0x3fbe1000),
	                                 R(0xbfe02000, 0x1fe000)};
	expect_pieces(ram, 1, holes, 4, want, 3);
}

static void test_overlapping_and_outside_holes(void **state)
{
	(void)state;
	const struct mem_range ram[] = {R(0x1000, 0x9000)}; /* [0x1000, 0xa000) */
	const struct mem_range holes[] = {
	    R(0x0, 0x2000),    /* straddles the bottom */
	    R(0x3000, 0x2000), /* [0x3000, 0x5000) */
	    R(0x4000, 0x2000), /* overlaps the previous */
	    R(0x9000, 0x8000), /* straddles the top */
	    R(0x20000, 0x1000) /* outside RAM */
	};
	const struct mem_range want[] = {R(0x2000, 0x1000), R(0x6000, 0x3000)};
	expect_pieces(ram, 1, holes, 5, want, 2);
}

static void test_hole_covering_everything(void **state)
{
	(void)state;
	const struct mem_range ram[] = {R(0x1000, 0x1000)};
	const struct mem_range holes[] = {R(0, UINT64_MAX)};
	expect_pieces(ram, 1, holes, 1, NULL, 0);
}

static void test_unsorted_ram_gives_sorted_pieces(void **state)
{
	(void)state;
	const struct mem_range ram[] = {R(0x100000, 0x1000), R(0x1000, 0x1000)};
	const struct mem_range want[] = {R(0x1000, 0x1000), R(0x100000, 0x1000)};
	expect_pieces(ram, 2, NULL, 0, want, 2);
}

static void test_range_at_top_of_address_space(void **state)
{
	(void)state;
	/* base + size wraps: treated as reaching the top, never as a tiny range. */
	const struct mem_range ram[] = {R(UINT64_MAX - 0xfff, 0x2000)};
	const struct mem_range holes[] = {R(UINT64_MAX - 0x7ff, 0x800)};
	const struct mem_range want[] = {R(UINT64_MAX - 0xfff, 0x800)};
	expect_pieces(ram, 1, holes, 1, want, 1);
}

static void test_too_many_pieces(void **state)
{
	(void)state;
	struct mem_range ram[] = {R(0, 0x100000)};
	struct mem_range holes[40];
	struct mem_range out[4];
	for (unsigned int i = 0; i < 40; i++) {
		holes[i] = (struct mem_range)R(0x1000 + i * 0x2000, 0x1000);
	}
	assert_int_equal(mem_layout_subtract(ram, 1, holes, 40, out, 4), VIREO_ENOSPC);
}

static void test_random_against_bitmap(void **state)
{
	(void)state;
	/* Model: a page bitmap over 256 pages; holes clear bits; pieces must equal the set runs. */
	uint32_t seed = 12345;
	for (unsigned int iter = 0; iter < 2000; iter++) {
		bool map[256];
		struct mem_range ram[2], holes[6], out[MEM_LAYOUT_MAX_FREE];
		memset(map, 0, sizeof(map));
		for (unsigned int i = 0; i < 2; i++) {
			seed = seed * 1103515245 + 12345;
			unsigned int b = (seed >> 8) % 128 + i * 128, s = (seed >> 20) % 64;
			if (b + s > (i + 1) * 128) {
				s = (i + 1) * 128 - b;
			}
			ram[i] = (struct mem_range)R(b * 4096ULL, s * 4096ULL);
			for (unsigned int p = b; p < b + s; p++) {
				map[p] = true;
			}
		}
		for (unsigned int i = 0; i < 6; i++) {
			seed = seed * 1103515245 + 12345;
			unsigned int b = (seed >> 8) % 256, s = (seed >> 20) % 40;
			holes[i] = (struct mem_range)R(b * 4096ULL, s * 4096ULL);
			for (unsigned int p = b; p < b + s && p < 256; p++) {
				map[p] = false;
			}
		}
		int n = mem_layout_subtract(ram, 2, holes, 6, out, MEM_LAYOUT_MAX_FREE);
		assert_true(n >= 0);
		bool got[256];
		memset(got, 0, sizeof(got));
		for (int i = 0; i < n; i++) {
			assert_true(out[i].size > 0);
			if (i) {
				assert_true(out[i - 1].base + out[i - 1].size <= out[i].base);
			}
			for (uint64_t p = out[i].base / 4096;
			     p < (out[i].base + out[i].size) / 4096; p++) {
				got[p] = true;
			}
		}
		assert_memory_equal(got, map, sizeof(map));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_qemu_virt_layout),
	    cmocka_unit_test(test_overlapping_and_outside_holes),
	    cmocka_unit_test(test_hole_covering_everything),
	    cmocka_unit_test(test_unsorted_ram_gives_sorted_pieces),
	    cmocka_unit_test(test_range_at_top_of_address_space),
	    cmocka_unit_test(test_too_many_pieces),
	    cmocka_unit_test(test_random_against_bitmap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
