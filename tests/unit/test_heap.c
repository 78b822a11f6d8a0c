/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of the heap. The per-block overhead is not part of the API, so the tests measure
 * it once (used_bytes of a 16-byte allocation minus 16) and then assert exact values with it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/heap.h>

#define ARENA_SIZE (1024UL * 1024UL)

static uint8_t *arena;

static int setup(void **state)
{
	(void)state;
	arena = aligned_alloc(4096, ARENA_SIZE);
	if (!arena) {
		return -1;
	}
	/* No stale headers from an earlier test may sit where a check expects garbage. */
	memset(arena, 0, ARENA_SIZE);
	if (heap_init(arena, ARENA_SIZE) != 0) {
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(arena);
	arena = NULL;
	return 0;
}

static struct heap_stats stats_now(void)
{
	struct heap_stats s;

	memset(&s, 0xa5, sizeof(s));
	heap_get_stats(&s);
	return s;
}

static void assert_stats_equal(const struct heap_stats *a, const struct heap_stats *b)
{
	assert_int_equal(a->arena_size, b->arena_size);
	assert_int_equal(a->used_bytes, b->used_bytes);
	assert_int_equal(a->free_bytes, b->free_bytes);
	assert_int_equal(a->peak_used_bytes, b->peak_used_bytes);
	assert_int_equal(a->largest_free, b->largest_free);
	assert_int_equal(a->live_blocks, b->live_blocks);
	assert_int_equal(a->alloc_count, b->alloc_count);
	assert_int_equal(a->free_count, b->free_count);
	assert_int_equal(a->fail_count, b->fail_count);
}

/* Bytes of bookkeeping per block, measured through the public statistics. */
static size_t overhead(void)
{
	size_t before = stats_now().used_bytes, o;
	void *p = heap_alloc(16);

	assert_non_null(p);
	o = stats_now().used_bytes - before - 16;
	assert_int_equal(heap_free(p), 0);
	return o;
}

static size_t round16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

static void test_init_rejects(void **state)
{
	(void)state;
	assert_int_equal(heap_init(NULL, ARENA_SIZE), VIREO_EINVAL);
	assert_int_equal(heap_init(arena + 8, ARENA_SIZE - 8), VIREO_EINVAL);
	assert_int_equal(heap_init(arena, 16), VIREO_EINVAL);
	assert_int_equal(heap_init(arena, 0), VIREO_EINVAL);
	/* A ragged size is trimmed down to the alignment. */
	assert_int_equal(heap_init(arena, 4096 + 15), 0);
	assert_int_equal(stats_now().arena_size, 4096);
}

static void test_initial_stats(void **state)
{
	struct heap_stats s = stats_now();
	size_t o = overhead();

	(void)state;
	assert_int_equal(s.arena_size, ARENA_SIZE);
	assert_int_equal(s.used_bytes, 0);
	assert_int_equal(s.free_bytes, ARENA_SIZE);
	assert_int_equal(s.peak_used_bytes, 0);
	assert_int_equal(s.largest_free, ARENA_SIZE - o);
	assert_int_equal(s.live_blocks, 0);
	assert_int_equal(s.alloc_count + s.free_count + s.fail_count, 0);
	assert_true(o >= 16 && o <= 64 && o % HEAP_ALIGN == 0);
}

static void test_alignment_and_sizes(void **state)
{
	size_t o = overhead(), used = 0;
	void *p[64];

	(void)state;
	for (size_t i = 0; i < 64; i++) {
		size_t n = i * 7 + 1;

		p[i] = heap_alloc(n);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % HEAP_ALIGN, 0);
		assert_true((uint8_t *)p[i] >= arena + o &&
		            (uint8_t *)p[i] + n <= arena + ARENA_SIZE);
		used += o + round16(n);
		assert_int_equal(stats_now().used_bytes, used);
		memset(p[i], (int)i, n);
	}
	assert_int_equal(stats_now().live_blocks, 64);
	for (size_t i = 0; i < 64; i++) {
		assert_int_equal(heap_free(p[i]), 0);
	}
	assert_int_equal(stats_now().used_bytes, 0);
}

static void test_zalloc_zeroes(void **state)
{
	uint8_t *p, *q;

	(void)state;
	p = heap_alloc(300);
	assert_non_null(p);
	memset(p, 0xaa, 300);
	assert_int_equal(heap_free(p), 0);
	/* First fit over an address-ordered list hands the same dirty block back. */
	q = heap_zalloc(300);
	assert_ptr_equal(q, p);
	for (size_t i = 0; i < 300; i++) {
		assert_int_equal(q[i], 0);
	}
	assert_null(heap_zalloc(0));
	assert_int_equal(heap_free(q), 0);
}

static void test_stats_return_to_initial(void **state)
{
	struct heap_stats s0 = stats_now(), s;
	void *a = heap_alloc(100), *b = heap_alloc(2000), *c = heap_alloc(1);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	s = stats_now();
	assert_int_equal(s.live_blocks, 3);
	assert_int_equal(s.used_bytes + s.free_bytes, ARENA_SIZE);
	assert_int_equal(heap_free(b), 0);
	assert_int_equal(heap_free(a), 0);
	assert_int_equal(heap_free(c), 0);
	s = stats_now();
	assert_int_equal(s.used_bytes, s0.used_bytes);
	assert_int_equal(s.free_bytes, s0.free_bytes);
	assert_int_equal(s.largest_free, s0.largest_free);
	assert_int_equal(s.live_blocks, 0);
	assert_int_equal(s.alloc_count, 3);
	assert_int_equal(s.free_count, 3);
	assert_int_equal(s.fail_count, 0);
	assert_int_equal(heap_free(NULL), 0);
	assert_int_equal(stats_now().free_count, 3);
}

/* The four merge cases on a small arena tiled exactly by five blocks a..e. */
static void test_coalesce_cases(void **state)
{
	size_t o = overhead(), blk = o + 64;
	uint8_t *p[5], *big;

	(void)state;
	assert_int_equal(heap_init(arena, 5 * blk), 0);
	for (int i = 0; i < 5; i++) {
		p[i] = heap_alloc(64);
		assert_ptr_equal(p[i], arena + (size_t)i * blk + o);
	}
	assert_int_equal(stats_now().largest_free, 0);
	assert_null(heap_alloc(1));

	/* Address order: the hole at b is found before the one at d, whatever the free order. */
	for (int round = 0; round < 2; round++) {
		assert_int_equal(heap_free(p[round ? 3 : 1]), 0);
		assert_int_equal(heap_free(p[round ? 1 : 3]), 0);
		assert_ptr_equal(heap_alloc(64), p[1]);
		assert_ptr_equal(heap_alloc(64), p[3]);
		assert_int_equal(stats_now().largest_free, 0);
	}

	assert_int_equal(heap_free(p[1]), 0); /* both neighbours in use */
	assert_int_equal(stats_now().largest_free, 64);
	assert_int_equal(heap_free(p[3]), 0); /* both neighbours in use */
	assert_int_equal(stats_now().largest_free, 64);
	assert_int_equal(heap_free(p[2]), 0); /* both neighbours free: b+c+d */
	assert_int_equal(stats_now().largest_free, 3 * blk - o);
	assert_int_equal(heap_free(p[4]), 0); /* previous free: b..e */
	assert_int_equal(stats_now().largest_free, 4 * blk - o);
	assert_int_equal(heap_free(p[0]), 0); /* next free: a..e */
	assert_int_equal(stats_now().largest_free, 5 * blk - o);
	assert_int_equal(stats_now().used_bytes, 0);

	big = heap_alloc(5 * blk - o);
	assert_ptr_equal(big, arena + o);
	assert_int_equal(heap_free(big), 0);
}

static void test_coalesce_mixed_order(void **state)
{
	enum { N = 200 };
	struct heap_stats s0 = stats_now(), s;
	void *p[N], *all;

	(void)state;
	for (size_t i = 0; i < N; i++) {
		p[i] = heap_alloc(1 + (i * 37) % 3000);
		assert_non_null(p[i]);
	}
	/* 7 is coprime to 200: visits every block once, in scattered address order. */
	for (size_t i = 0; i < N; i++) {
		size_t j = (i * 7) % N;

		assert_int_equal(heap_free(p[j]), 0);
		if (i == N / 2) {
			s = stats_now();
			assert_true(s.largest_free < s0.largest_free);
		}
	}
	s = stats_now();
	assert_int_equal(s.largest_free, s0.largest_free);
	assert_int_equal(s.used_bytes, 0);
	all = heap_alloc(s0.largest_free);
	assert_ptr_equal(all, arena + (ARENA_SIZE - s0.largest_free));
	assert_int_equal(stats_now().free_bytes, 0);
	assert_int_equal(heap_free(all), 0);
}

static void test_split_minimum(void **state)
{
	size_t o = overhead();
	struct heap_stats s;
	void *p;

	(void)state;
	assert_int_equal(heap_init(arena, 1024), 0);
	/* A 16-byte remainder cannot hold a header: the whole block is handed out. */
	p = heap_alloc(1024 - o - 16);
	s = stats_now();
	assert_int_equal(s.used_bytes, 1024);
	assert_int_equal(s.largest_free, 0);
	assert_int_equal(heap_free(p), 0);
	/* A remainder of exactly header + 16 bytes is split off. */
	p = heap_alloc(1024 - 2 * o - 16);
	s = stats_now();
	assert_int_equal(s.used_bytes, 1024 - o - 16);
	assert_int_equal(s.largest_free, 16);
	assert_non_null(heap_alloc(16));
	assert_int_equal(stats_now().free_bytes, 0);
}

static void test_invalid_frees(void **state)
{
	size_t o = overhead();
	uint8_t *p = heap_alloc(64), *q = heap_alloc(64), *r = heap_alloc(64), saved[64];
	struct heap_stats snap, s;
	int local;

	(void)state;
	assert_true(o <= sizeof(saved));
	snap = stats_now();
	assert_int_equal(heap_free(p + 16), VIREO_EINVAL); /* inside a payload */
	assert_int_equal(heap_free(p + 1), VIREO_EINVAL);  /* misaligned */
	assert_int_equal(heap_free(p - 16), VIREO_EINVAL); /* inside a header */
	assert_int_equal(heap_free(arena), VIREO_EINVAL);  /* no header room below */
	assert_int_equal(heap_free(arena + ARENA_SIZE), VIREO_EINVAL);
	assert_int_equal(heap_free(arena + ARENA_SIZE - 16), VIREO_EINVAL); /* free space */
	assert_int_equal(heap_free(&local), VIREO_EINVAL);
	/* Copies of real headers planted in a payload fail the neighbour cross-checks. */
	memcpy(r, p - o, o);
	assert_int_equal(heap_free(r + o), VIREO_EINVAL);
	memcpy(r, q - o, o);
	assert_int_equal(heap_free(r + o), VIREO_EINVAL);
	s = stats_now();
	assert_stats_equal(&snap, &s);

	/* An overrun of p into q's header is caught, and q frees once the header is restored. */
	memcpy(saved, q - o, o);
	memset(p, 0x5a, 64 + 8);
	assert_int_equal(heap_free(q), VIREO_EINVAL);
	memcpy(q - o, saved, o);
	s = stats_now();
	assert_stats_equal(&snap, &s);

	assert_int_equal(heap_free(q), 0);
	snap = stats_now();
	assert_int_equal(heap_free(q), VIREO_EINVAL); /* double free */
	assert_int_equal(heap_free(p), 0);            /* merges with q */
	assert_int_equal(heap_free(q), VIREO_EINVAL); /* stale header swallowed by the merge */
	assert_int_equal(heap_free(p), VIREO_EINVAL);
	s = stats_now();
	assert_int_equal(s.free_count, snap.free_count + 1);
	assert_int_equal(s.live_blocks, 1);
	assert_int_equal(heap_free(r), 0);
	assert_int_equal(stats_now().largest_free, ARENA_SIZE - o);
}

/*
 * Every bit of a live block's header is covered by some check: flipping any one of them makes
 * the free fail and changes nothing. Done for the first block (no lower neighbour), a middle
 * one and the last allocated one (a free block above it).
 */
static void test_header_bit_flips(void **state)
{
	size_t o = overhead();
	uint8_t *blk[3] = {heap_alloc(64), heap_alloc(64), heap_alloc(64)};
	struct heap_stats snap = stats_now(), s;

	(void)state;
	assert_ptr_equal(blk[0], arena + o);
	for (int b = 0; b < 3; b++) {
		uint8_t *hdr = blk[b] - o;

		for (size_t byte = 0; byte < o; byte++) {
			for (int bit = 0; bit < 8; bit++) {
				hdr[byte] ^= (uint8_t)(1U << bit);
				if (heap_free(blk[b]) != VIREO_EINVAL) {
					fail_msg("block %d: flip of byte %zu bit %d not caught", b,
					         byte, bit);
				}
				hdr[byte] ^= (uint8_t)(1U << bit);
			}
		}
	}
	s = stats_now();
	assert_stats_equal(&snap, &s);
	for (int b = 0; b < 3; b++) {
		assert_int_equal(heap_free(blk[b]), 0);
	}
	assert_int_equal(stats_now().largest_free, ARENA_SIZE - o);
}

static void test_failures_counted(void **state)
{
	struct heap_stats s0 = stats_now(), s;
	void *p;

	(void)state;
	assert_null(heap_alloc(0));
	assert_int_equal(stats_now().fail_count, 0); /* size 0 is not a failure */
	assert_null(heap_alloc(SIZE_MAX));
	assert_null(heap_alloc(SIZE_MAX - 15));
	assert_null(heap_alloc(SIZE_MAX / 2));
	assert_null(heap_alloc(ARENA_SIZE)); /* the header does not fit as well */
	assert_null(heap_alloc(s0.largest_free + 1));
	s = stats_now();
	assert_int_equal(s.fail_count, 5);
	assert_int_equal(s.alloc_count, 0);
	assert_int_equal(s.used_bytes, 0);

	p = heap_alloc(s0.largest_free);
	assert_non_null(p);
	assert_null(heap_alloc(1));
	s = stats_now();
	assert_int_equal(s.fail_count, 6);
	assert_int_equal(s.used_bytes, ARENA_SIZE);
	assert_int_equal(s.free_bytes, 0);
	assert_int_equal(s.largest_free, 0);
	assert_int_equal(heap_free(p), 0);
}

static void test_peak_tracking(void **state)
{
	size_t o = overhead();
	void *a, *b, *c, *d;
	size_t peak;

	(void)state;
	a = heap_alloc(1000);
	b = heap_alloc(5000);
	peak = 2 * o + round16(1000) + round16(5000);
	assert_int_equal(stats_now().peak_used_bytes, peak);
	assert_int_equal(heap_free(b), 0);
	assert_int_equal(stats_now().peak_used_bytes, peak);
	assert_int_equal(stats_now().used_bytes, o + round16(1000));
	c = heap_alloc(100);
	assert_int_equal(stats_now().peak_used_bytes, peak);
	d = heap_alloc(10000);
	peak = 3 * o + round16(1000) + round16(100) + round16(10000);
	assert_int_equal(stats_now().peak_used_bytes, peak);
	assert_int_equal(heap_free(a), 0);
	assert_int_equal(heap_free(c), 0);
	assert_int_equal(heap_free(d), 0);
	assert_int_equal(stats_now().peak_used_bytes, peak);
	/* heap_init starts a new arena, with new statistics. */
	assert_int_equal(heap_init(arena, ARENA_SIZE), 0);
	assert_int_equal(stats_now().peak_used_bytes, 0);
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
	uint8_t *p;
	size_t n;
	uint8_t tag;
};

#define STRESS_OPS   30000
#define STRESS_SLOTS 300

static void check_tag(const struct live *v)
{
	for (size_t i = 0; i < v->n; i++) {
		if (v->p[i] != (uint8_t)(v->tag + i)) {
			fail_msg("block %p byte %zu overwritten", (void *)v->p, i);
		}
	}
}

static void test_random_stress(void **state)
{
	static struct live live[STRESS_SLOTS];
	size_t o = overhead(), live_n = 0, min_used = 0, fails = 0;
	struct heap_stats s0 = stats_now(), s;

	(void)state;
	rng_state = 0xfeedbeef1234ULL;
	for (int op = 0; op < STRESS_OPS; op++) {
		uint64_t r = rng();

		if (live_n < STRESS_SLOTS && (live_n == 0 || r % 100 < 55)) {
			/* Mostly small, one in eight up to 32 KiB so the arena runs out at times. */
			size_t n = (size_t)((r >> 8) % 8 == 0 ? 1 + (r >> 16) % 32768
			                                      : 1 + (r >> 16) % 512);
			struct live v = {heap_alloc(n), n, (uint8_t)(r >> 40)};

			if (!v.p) {
				s = stats_now();
				assert_true(s.largest_free < n);
				assert_int_equal(s.fail_count, ++fails);
				continue;
			}
			assert_int_equal((uintptr_t)v.p % HEAP_ALIGN, 0);
			assert_true(v.p >= arena + o && v.p + n <= arena + ARENA_SIZE);
			for (size_t i = 0; i < live_n; i++) {
				assert_false(v.p < live[i].p + live[i].n && live[i].p < v.p + n);
			}
			for (size_t i = 0; i < n; i++) {
				v.p[i] = (uint8_t)(v.tag + i);
			}
			live[live_n++] = v;
			min_used += o + round16(n);
		} else {
			size_t i = (size_t)((r >> 8) % live_n);

			check_tag(&live[i]);
			assert_int_equal(heap_free(live[i].p), 0);
			min_used -= o + round16(live[i].n);
			live[i] = live[--live_n];
		}
		s = stats_now();
		assert_int_equal(s.live_blocks, live_n);
		assert_int_equal(s.alloc_count - s.free_count, live_n);
		assert_int_equal(s.used_bytes + s.free_bytes, ARENA_SIZE);
		/* Unsplit blocks may carry a remainder smaller than a minimal block. */
		assert_true(s.used_bytes >= min_used &&
		            s.used_bytes < min_used + live_n * (o + 16) + 1);
	}
	assert_true(fails > 0);
	while (live_n > 0) {
		check_tag(&live[--live_n]);
		assert_int_equal(heap_free(live[live_n].p), 0);
	}
	s = stats_now();
	assert_int_equal(s.used_bytes, 0);
	assert_int_equal(s.largest_free, s0.largest_free);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_init_rejects, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_initial_stats, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_alignment_and_sizes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_zalloc_zeroes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stats_return_to_initial, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_coalesce_cases, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_coalesce_mixed_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_split_minimum, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_invalid_frees, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_header_bit_flips, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failures_counted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_peak_tracking, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_random_stress, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
