/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of the buddy page allocator. "Physical memory" is host memory from aligned_alloc:
 * the allocator writes its metadata into the regions it is given, and the host build is
 * identity-mapped in the same sense (an address is a pointer).
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

#define MIB       (1024UL * 1024UL)
#define BIG_ALIGN (4 * MIB)
#define BIG_SIZE  (64 * MIB)
#define ORDERS    (PAGE_ALLOC_MAX_ORDER + 1)

static void *big_buf; /* BIG_SIZE bytes aligned to the largest block */

static paddr_t pa_of(void *p)
{
	return (paddr_t)(uintptr_t)p;
}

static int setup(void **state)
{
	(void)state;
	page_alloc_reset();
	big_buf = aligned_alloc(BIG_ALIGN, BIG_SIZE);
	return big_buf ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	page_alloc_reset();
	free(big_buf);
	big_buf = NULL;
	return 0;
}

static struct page_alloc_stats stats_now(void)
{
	struct page_alloc_stats s;

	memset(&s, 0, sizeof(s));
	page_alloc_get_stats(&s);
	return s;
}

static uint64_t histogram_pages(const struct page_alloc_stats *s)
{
	uint64_t pages = 0;

	for (unsigned int k = 0; k < ORDERS; k++) {
		pages += s->free_blocks[k] << k;
	}
	return pages;
}

/* The memory layout only: free pages and the per-order histogram. */
static void assert_layout_equal(const struct page_alloc_stats *a, const struct page_alloc_stats *b)
{
	assert_int_equal(a->free_pages, b->free_pages);
	for (unsigned int k = 0; k < ORDERS; k++) {
		assert_int_equal(a->free_blocks[k], b->free_blocks[k]);
	}
}

/* Every field, counters included: used where an operation must change nothing at all. */
static void assert_stats_equal(const struct page_alloc_stats *a, const struct page_alloc_stats *b)
{
	assert_layout_equal(a, b);
	assert_int_equal(a->total_pages, b->total_pages);
	assert_int_equal(a->meta_pages, b->meta_pages);
	assert_int_equal(a->alloc_calls, b->alloc_calls);
	assert_int_equal(a->free_calls, b->free_calls);
	assert_int_equal(a->failed_calls, b->failed_calls);
	assert_int_equal(a->region_count, b->region_count);
}

static void test_order_for(void **state)
{
	(void)state;
	assert_int_equal(page_alloc_order_for(0), 0);
	assert_int_equal(page_alloc_order_for(1), 0);
	assert_int_equal(page_alloc_order_for(PAGE_SIZE), 0);
	assert_int_equal(page_alloc_order_for(PAGE_SIZE + 1), 1);
	assert_int_equal(page_alloc_order_for(2 * PAGE_SIZE), 1);
	assert_int_equal(page_alloc_order_for(3 * PAGE_SIZE), 2);
	assert_int_equal(page_alloc_order_for(2 * MIB), 9);
	assert_int_equal(page_alloc_order_for(4 * MIB), 10);
	assert_int_equal(page_alloc_order_for(4 * MIB + 1), -1);
	assert_int_equal(page_alloc_order_for(UINT64_MAX), -1);
}

static void test_layout_and_alignment(void **state)
{
	paddr_t lo = pa_of(big_buf), hi = lo + BIG_SIZE, pa;
	struct page_alloc_stats s0, s1;

	(void)state;
	assert_int_equal(page_alloc_add_region(lo, BIG_SIZE), 0);
	s0 = stats_now();
	assert_int_equal(s0.region_count, 1);
	assert_int_equal(s0.total_pages + s0.meta_pages, BIG_SIZE / PAGE_SIZE);
	assert_true(s0.meta_pages >= 1 && s0.meta_pages < 64);
	assert_int_equal(s0.free_pages, s0.total_pages);
	assert_int_equal(histogram_pages(&s0), s0.free_pages);
	/* Metadata sits in the first 4 MiB block: the 15 blocks above it stay whole. */
	assert_int_equal(s0.free_blocks[PAGE_ALLOC_MAX_ORDER], 15);
	assert_int_equal(s0.alloc_calls + s0.free_calls + s0.failed_calls, 0);

	for (unsigned int order = 0; order < ORDERS; order++) {
		uint64_t bytes = PAGE_SIZE << order;

		assert_int_equal(page_alloc_get(order, &pa), 0);
		assert_int_equal(pa % bytes, 0);
		assert_true(pa >= lo + s0.meta_pages * PAGE_SIZE && pa + bytes <= hi);
		assert_int_equal(stats_now().free_pages, s0.free_pages - (1UL << order));
		assert_int_equal(page_alloc_free(pa, order), 0);
	}
	assert_int_equal(page_alloc_get(PAGE_ALLOC_MAX_ORDER + 1, &pa), VIREO_EINVAL);
	assert_int_equal(page_alloc_get(0, NULL), VIREO_EINVAL);
	s1 = stats_now();
	assert_layout_equal(&s0, &s1);
	assert_int_equal(s1.alloc_calls, ORDERS);
	assert_int_equal(s1.free_calls, ORDERS);
	assert_int_equal(s1.failed_calls, 0);
}

/* Drains the allocator at one order; returns how many blocks were obtained. */
static size_t drain(unsigned int order, paddr_t *out, size_t cap)
{
	size_t n = 0;
	paddr_t pa;

	while (n < cap && page_alloc_get(order, &pa) == 0) {
		out[n++] = pa;
	}
	return n;
}

static void test_invalid_frees(void **state)
{
	paddr_t lo = pa_of(big_buf), hi = lo + BIG_SIZE, a, b, top = hi - 4 * MIB;
	struct page_alloc_stats s0, snap, s;

	(void)state;
	assert_int_equal(page_alloc_add_region(lo, BIG_SIZE), 0);
	s0 = stats_now();
	assert_int_equal(page_alloc_get(3, &a), 0);
	assert_int_equal(page_alloc_get(0, &b), 0);
	snap = stats_now();

	assert_int_equal(page_alloc_free(a, 2), VIREO_EINVAL);              /* wrong order */
	assert_int_equal(page_alloc_free(a, 4), VIREO_EINVAL);              /* wrong order */
	assert_int_equal(page_alloc_free(a, 11), VIREO_EINVAL);             /* no such order */
	assert_int_equal(page_alloc_free(a + PAGE_SIZE, 3), VIREO_EINVAL);  /* not a block start */
	assert_int_equal(page_alloc_free(a + PAGE_SIZE, 0), VIREO_EINVAL);  /* tail page */
	assert_int_equal(page_alloc_free(a + 1, 3), VIREO_EINVAL);          /* misaligned */
	assert_int_equal(page_alloc_free(b + 8, 0), VIREO_EINVAL);          /* misaligned */
	assert_int_equal(page_alloc_free(lo, 0), VIREO_EINVAL);             /* metadata page */
	assert_int_equal(page_alloc_free(lo - PAGE_SIZE, 0), VIREO_EINVAL); /* below region */
	assert_int_equal(page_alloc_free(hi, 0), VIREO_EINVAL);             /* above region */
	assert_int_equal(page_alloc_free(0, 0), VIREO_EINVAL);
	assert_int_equal(page_alloc_free(top, PAGE_ALLOC_MAX_ORDER), VIREO_EINVAL); /* free */
	s = stats_now();
	assert_stats_equal(&snap, &s);

	assert_int_equal(page_alloc_free(b, 0), 0);
	snap = stats_now();
	assert_int_equal(page_alloc_free(b, 0), VIREO_EINVAL); /* double free */
	s = stats_now();
	assert_stats_equal(&snap, &s);

	/* The rejected calls left a's block intact: it still frees, and everything merges. */
	assert_int_equal(page_alloc_free(a, 3), 0);
	assert_int_equal(page_alloc_free(a, 3), VIREO_EINVAL);
	s = stats_now();
	assert_layout_equal(&s0, &s);
	assert_int_equal(s.free_calls, 2);
}

static bool in_data(paddr_t pa, uint64_t bytes, paddr_t first, paddr_t last)
{
	return pa >= first && pa + bytes <= last;
}

static void test_multiple_regions(void **state)
{
	uint8_t *buf2 = aligned_alloc(BIG_ALIGN, 8 * MIB);
	paddr_t b2 = pa_of(buf2) + 3 * PAGE_SIZE + 100, first2, last2, lo = pa_of(big_buf);
	uint64_t size2 = 8 * MIB - 5 * PAGE_SIZE - 7, total;
	size_t cap = (BIG_SIZE + 8 * MIB) / PAGE_SIZE, n;
	paddr_t *pages = calloc(cap, sizeof(*pages));
	struct page_alloc_stats s1, s2, s;

	(void)state;
	assert_non_null(buf2);
	assert_non_null(pages);
	assert_int_equal(page_alloc_add_region(lo, BIG_SIZE), 0);
	s1 = stats_now();
	assert_int_equal(page_alloc_add_region(b2, size2), 0);
	s2 = stats_now();
	assert_int_equal(s2.region_count, 2);
	first2 = (b2 + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	last2 = (b2 + size2) & ~(PAGE_SIZE - 1);
	assert_int_equal(s2.total_pages + s2.meta_pages - s1.total_pages - s1.meta_pages,
	                 (last2 - first2) / PAGE_SIZE);
	total = s2.total_pages;

	/* Overlaps with either region are refused and change nothing. */
	assert_int_equal(page_alloc_add_region(b2, size2), VIREO_EINVAL);
	assert_int_equal(page_alloc_add_region(last2 - PAGE_SIZE, 4 * PAGE_SIZE), VIREO_EINVAL);
	assert_int_equal(page_alloc_add_region(lo - 2 * PAGE_SIZE, 4 * PAGE_SIZE), VIREO_EINVAL);
	s = stats_now();
	assert_stats_equal(&s2, &s);

	n = drain(0, pages, cap);
	assert_int_equal(n, total);
	for (size_t i = 0; i < n; i++) {
		assert_true(
		    in_data(pages[i], PAGE_SIZE, lo + s1.meta_pages * PAGE_SIZE, lo + BIG_SIZE) ||
		    in_data(pages[i], PAGE_SIZE,
		            first2 + (s2.meta_pages - s1.meta_pages) * PAGE_SIZE, last2));
	}
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(page_alloc_free(pages[i], 0), 0);
	}
	s = stats_now();
	assert_layout_equal(&s2, &s);
	page_alloc_reset();
	free(pages);
	free(buf2);
}

static void test_region_limits(void **state)
{
	paddr_t lo = pa_of(big_buf);
	struct page_alloc_stats s;

	(void)state;
	assert_int_equal(page_alloc_add_region(lo, 0), VIREO_EINVAL);
	assert_int_equal(page_alloc_add_region(lo, PAGE_SIZE), VIREO_EINVAL);
	/* Two pages once trimmed inwards is only one: no room for metadata plus a page. */
	assert_int_equal(page_alloc_add_region(lo + 1, 2 * PAGE_SIZE), VIREO_EINVAL);
	assert_int_equal(page_alloc_add_region(UINT64_MAX - PAGE_SIZE, 2 * PAGE_SIZE),
	                 VIREO_EINVAL);
	/* Rounding this base up to a page would wrap to 0. */
	assert_int_equal(page_alloc_add_region(UINT64_MAX - 100, 50), VIREO_EINVAL);
	assert_int_equal(page_alloc_add_region(8 * PAGE_SIZE, UINT64_MAX), VIREO_EINVAL);
	assert_int_equal(stats_now().region_count, 0);

	/* The smallest usable region: one metadata page and one managed page. */
	assert_int_equal(page_alloc_add_region(lo, 2 * PAGE_SIZE), 0);
	s = stats_now();
	assert_int_equal(s.total_pages, 1);
	assert_int_equal(s.meta_pages, 1);
	assert_int_equal(s.free_blocks[0], 1);

	for (unsigned int i = 1; i < PAGE_ALLOC_MAX_REGIONS; i++) {
		assert_int_equal(page_alloc_add_region(lo + i * 16 * PAGE_SIZE, 16 * PAGE_SIZE), 0);
	}
	assert_int_equal(page_alloc_add_region(lo + 4 * MIB, 16 * PAGE_SIZE), VIREO_ENOSPC);
	s = stats_now();
	assert_int_equal(s.region_count, PAGE_ALLOC_MAX_REGIONS);
	assert_int_equal(s.total_pages, 1 + (PAGE_ALLOC_MAX_REGIONS - 1) * 15);
}

/* A base off the 4 MiB grid: the order-10 blocks are exactly the 4 MiB-aligned windows. */
static void test_misaligned_region(void **state)
{
	paddr_t base = pa_of(big_buf) + 5 * PAGE_SIZE + 123, first, last, data, lowest, highest;
	uint64_t size = 13 * MIB + 4567, windows;
	struct page_alloc_stats s0, s;
	paddr_t blocks[8], *pages;
	size_t n;

	(void)state;
	assert_int_equal(page_alloc_add_region(base, size), 0);
	s0 = stats_now();
	first = (base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	last = (base + size) & ~(PAGE_SIZE - 1);
	data = first + s0.meta_pages * PAGE_SIZE;
	assert_int_equal(s0.total_pages + s0.meta_pages, (last - first) / PAGE_SIZE);
	assert_int_equal(histogram_pages(&s0), s0.total_pages);
	windows = ((last & ~(4 * MIB - 1)) - ((data + 4 * MIB - 1) & ~(4 * MIB - 1))) / (4 * MIB);
	assert_int_equal(windows, 2);
	assert_int_equal(s0.free_blocks[PAGE_ALLOC_MAX_ORDER], windows);

	n = drain(PAGE_ALLOC_MAX_ORDER, blocks, 8);
	assert_int_equal(n, windows);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(blocks[i] % (4 * MIB), 0);
		assert_true(in_data(blocks[i], 4 * MIB, data, last));
		assert_int_equal(page_alloc_free(blocks[i], PAGE_ALLOC_MAX_ORDER), 0);
	}
	/* Trimming keeps every whole page: the first and last page of the range are handed out. */
	pages = calloc(s0.total_pages, sizeof(*pages));
	assert_non_null(pages);
	n = drain(0, pages, s0.total_pages);
	assert_int_equal(n, s0.total_pages);
	lowest = highest = pages[0];
	for (size_t i = 0; i < n; i++) {
		lowest = pages[i] < lowest ? pages[i] : lowest;
		highest = pages[i] > highest ? pages[i] : highest;
		assert_int_equal(page_alloc_free(pages[i], 0), 0);
	}
	assert_int_equal(lowest, data);
	assert_int_equal(highest, last - PAGE_SIZE);
	s = stats_now();
	assert_layout_equal(&s0, &s);
	free(pages);
}

/*
 * RAM holds garbage before a region is added, and the allocator must not trust any of it.
 * A fill of 0x01 makes every metadata entry it did not initialise read as "free head of
 * order 1", 0x02 as "allocated head of order 2", including entries past the region's end.
 * 258 pages leave an order-1 block at the end whose buddy lies past the end: freeing it must
 * not merge with that phantom.
 */
static void garbage_case(uint8_t fill)
{
	paddr_t lo = pa_of(big_buf), data = lo + PAGE_SIZE, pages[300];
	struct page_alloc_stats s0, s;
	size_t n;

	page_alloc_reset();
	memset(big_buf, fill, 4 * MIB);
	assert_int_equal(page_alloc_add_region(lo, 258 * PAGE_SIZE), 0);
	s0 = stats_now();
	assert_int_equal(s0.meta_pages, 1);
	assert_int_equal(s0.total_pages, 257);
	/* pfn 1 | 2-3 | 4-7 | ... | 128-255 | 256-257 relative to the 4 MiB-aligned base. */
	assert_int_equal(s0.free_blocks[0], 1);
	assert_int_equal(s0.free_blocks[1], 2);
	for (unsigned int k = 2; k <= 7; k++) {
		assert_int_equal(s0.free_blocks[k], 1);
	}
	/* Nothing is allocated yet, so no page is the start of a block to free. */
	for (paddr_t pa = data; pa < data + 257 * PAGE_SIZE; pa += PAGE_SIZE) {
		for (unsigned int order = 0; order < ORDERS; order++) {
			assert_int_equal(page_alloc_free(pa, order), VIREO_EINVAL);
		}
	}
	s = stats_now();
	assert_stats_equal(&s0, &s);

	for (unsigned int order = 0; order <= 1; order++) {
		n = drain(order, pages, 300);
		/* At order 1 everything but the lone order-0 page at pfn 1. */
		assert_int_equal(n, order == 0 ? 257 : 128);
		for (size_t i = n; i-- > 0;) {
			assert_int_equal(page_alloc_free(pages[i], order), 0);
		}
		s = stats_now();
		assert_layout_equal(&s0, &s);
	}
}

static void test_garbage_in_region(void **state)
{
	(void)state;
	garbage_case(0x01);
	garbage_case(0x02);
}

static uint64_t pattern(paddr_t pa, size_t word)
{
	return (pa * 0x9e3779b97f4a7c15ULL) ^ (word * 0xff51afd7ed558ccdULL);
}

static void fill_block(paddr_t pa, unsigned int order)
{
	uint64_t *w = (uint64_t *)(uintptr_t)pa;

	for (size_t i = 0; i < (PAGE_SIZE << order) / sizeof(*w); i++) {
		w[i] = pattern(pa, i);
	}
}

static void check_block(paddr_t pa, unsigned int order)
{
	const uint64_t *w = (const uint64_t *)(uintptr_t)pa;

	for (size_t i = 0; i < (PAGE_SIZE << order) / sizeof(*w); i++) {
		if (w[i] != pattern(pa, i)) {
			fail_msg("block %#lx order %u word %zu corrupted", (unsigned long)pa, order,
			         i);
		}
	}
}

/*
 * Drains the allocator (mixed orders, then single pages), fills every page it handed out,
 * checks nothing was overwritten, then frees in an interleaved order so merges happen in both
 * directions. Users own every byte they get: the allocator must be untouched by that, and end
 * where it started.
 */
static void test_exhaust_fill_coalesce(void **state)
{
	size_t cap = BIG_SIZE / PAGE_SIZE, n;
	paddr_t *pa = calloc(cap, sizeof(*pa));
	unsigned int *order = calloc(cap, sizeof(*order));
	struct page_alloc_stats s0, s;

	(void)state;
	assert_non_null(pa);
	assert_non_null(order);
	/* One page short of 64 MiB: the metadata then ends partway into its last page. */
	assert_int_equal(page_alloc_add_region(pa_of(big_buf) + PAGE_SIZE, BIG_SIZE - PAGE_SIZE),
	                 0);
	s0 = stats_now();
	/* Small mixed orders split every large block, so all of the metadata gets used. */
	for (n = 0; page_alloc_get((unsigned int)(n % 6), &pa[n]) == 0; n++) {
		order[n] = (unsigned int)(n % 6);
	}
	assert_int_equal(stats_now().failed_calls, 1);
	while (page_alloc_get(0, &pa[n]) == 0) {
		order[n++] = 0;
	}
	s = stats_now();
	assert_int_equal(s.failed_calls, 2);
	assert_int_equal(s.free_pages, 0);
	assert_int_equal(histogram_pages(&s), 0);
	assert_int_equal(page_alloc_get(PAGE_ALLOC_MAX_ORDER, &pa[n]), VIREO_ENOMEM);
	assert_int_equal(stats_now().failed_calls, 3);

	for (size_t i = 0; i < n; i++) {
		fill_block(pa[i], order[i]);
	}
	for (size_t i = 0; i < n; i++) {
		check_block(pa[i], order[i]);
	}
	for (size_t i = 0; i < n; i += 2) {
		assert_int_equal(page_alloc_free(pa[i], order[i]), 0);
	}
	for (size_t i = n; i-- > 0;) {
		if (i % 2) {
			check_block(pa[i], order[i]);
			assert_int_equal(page_alloc_free(pa[i], order[i]), 0);
		}
	}
	s = stats_now();
	assert_layout_equal(&s0, &s);
	assert_int_equal(s.alloc_calls, n);
	assert_int_equal(s.free_calls, n);
	free(pa);
	free(order);
}

/* xorshift64*: deterministic, so a failure reproduces exactly. */
static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

struct live {
	paddr_t pa;
	unsigned int order;
};

#define STRESS_OPS  20000
#define STRESS_LIVE 400

static void test_random_stress(void **state)
{
	paddr_t base = pa_of(big_buf) + 7 * PAGE_SIZE + 1, first;
	uint64_t size = 40 * MIB + 12345, live_pages = 0, fails = 0;
	static struct live live[STRESS_LIVE];
	struct page_alloc_stats s0, s;
	size_t live_n = 0;

	(void)state;
	rng_state = 0x5eed1234abcdULL;
	assert_int_equal(page_alloc_add_region(base, size), 0);
	s0 = stats_now();
	first = ((base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) + s0.meta_pages * PAGE_SIZE;

	for (int op = 0; op < STRESS_OPS; op++) {
		uint64_t r = rng();

		if (live_n < STRESS_LIVE && (live_n == 0 || r % 100 < 55)) {
			/* Mostly small orders, one in four anything up to the largest. */
			unsigned int k =
			    (unsigned int)((r >> 8) % 4 == 0 ? (r >> 16) % 11 : (r >> 16) % 4);
			paddr_t pa;
			int ret = page_alloc_get(k, &pa);

			if (ret == VIREO_ENOMEM) {
				s = stats_now();
				for (unsigned int j = k; j < ORDERS; j++) {
					assert_int_equal(s.free_blocks[j], 0);
				}
				assert_int_equal(s.failed_calls, ++fails);
				continue;
			}
			assert_int_equal(ret, 0);
			assert_int_equal(pa % (PAGE_SIZE << k), 0);
			assert_true(in_data(pa, PAGE_SIZE << k, first, base + size));
			for (size_t i = 0; i < live_n; i++) {
				paddr_t o = live[i].pa;

				assert_false(pa < o + (PAGE_SIZE << live[i].order) &&
				             o < pa + (PAGE_SIZE << k));
			}
			for (size_t p = 0; p < (1UL << k); p++) {
				*(uint64_t *)(uintptr_t)(pa + p * PAGE_SIZE) = pattern(pa, p);
			}
			live[live_n++] = (struct live){pa, k};
			live_pages += 1UL << k;
		} else {
			size_t i = (size_t)((r >> 8) % live_n);
			struct live v = live[i];

			for (size_t p = 0; p < (1UL << v.order); p++) {
				assert_int_equal(*(uint64_t *)(uintptr_t)(v.pa + p * PAGE_SIZE),
				                 pattern(v.pa, p));
			}
			assert_int_equal(page_alloc_free(v.pa, v.order), 0);
			live[i] = live[--live_n];
			live_pages -= 1UL << v.order;
		}
		s = stats_now();
		assert_int_equal(s.free_pages + live_pages, s0.total_pages);
		assert_int_equal(histogram_pages(&s), s.free_pages);
		assert_int_equal(s.alloc_calls - s.free_calls, live_n);
	}
	assert_true(fails > 0); /* the run must have reached exhaustion at least once */
	while (live_n > 0) {
		struct live v = live[--live_n];

		assert_int_equal(page_alloc_free(v.pa, v.order), 0);
	}
	s = stats_now();
	assert_layout_equal(&s0, &s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_order_for, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_layout_and_alignment, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_invalid_frees, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_multiple_regions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_region_limits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_misaligned_region, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_garbage_in_region, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_exhaust_fill_coalesce, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_random_stress, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
