/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for lib/random.c: ChaCha20 (RFC 8439) and the fast-key-erasure generator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/random.h>

extern uint64_t host_timer_ticks;

static const uint8_t seed_a[32] = {0x77, 0xea, 0xc6, 0xab, 0x8c, 0x2c, 0xab, 0x12,
                                   0x2c, 0x7c, 0xf3, 0xcd, 0x2d, 0xbd, 0xa6, 0xee};
static const uint8_t seed_b[32] = {0x77, 0xea, 0xc6, 0xab, 0x8c, 0x2c, 0xab, 0x12,
                                   0x2c, 0x7c, 0xf3, 0xcd, 0x2d, 0xbd, 0xa6, 0xef};

/* RFC 8439 2.3.2: key 00..1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00, block count 1. */
static void test_rfc8439_block_vector(void **state)
{
	(void)state;
	static const uint8_t nonce[12] = {0, 0, 0, 0x09, 0, 0, 0, 0x4a, 0, 0, 0, 0};
	static const uint8_t expect[64] = {
	    0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3,
	    0x20, 0x71, 0xc4, 0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22,
	    0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e, 0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa,
	    0x09, 0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2, 0xb5, 0x12, 0x9c, 0xd1,
	    0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e,
	};
	uint8_t key[32], out[64];
	for (unsigned int i = 0; i < 32; i++) {
		key[i] = (uint8_t)i;
	}
	random_chacha20_block(key, 1, nonce, out);
	assert_memory_equal(out, expect, sizeof(expect));
}

/* RFC 8439 A.1, test vector #1: all-zero key and nonce, block counter 0. */
static void test_rfc8439_zero_key_vector(void **state)
{
	(void)state;
	static const uint8_t zero[32];
	static const uint8_t expect[64] = {
	    0x76, 0xb8, 0xe0, 0xad, 0xa0, 0xf1, 0x3d, 0x90, 0x40, 0x5d, 0x6a, 0xe5, 0x53,
	    0x86, 0xbd, 0x28, 0xbd, 0xd2, 0x19, 0xb8, 0xa0, 0x8d, 0xed, 0x1a, 0xa8, 0x36,
	    0xef, 0xcc, 0x8b, 0x77, 0x0d, 0xc7, 0xda, 0x41, 0x59, 0x7c, 0x51, 0x57, 0x48,
	    0x8d, 0x77, 0x24, 0xe0, 0x3f, 0xb8, 0xd8, 0x4a, 0x37, 0x6a, 0x43, 0xb8, 0xf4,
	    0x15, 0x18, 0xa1, 0x1c, 0xc3, 0x87, 0xb6, 0x69, 0xb2, 0xee, 0x65, 0x86,
	};
	uint8_t out[64];
	random_chacha20_block(zero, 0, zero, out);
	assert_memory_equal(out, expect, sizeof(expect));
}

static void fill_from(const uint8_t *seed, size_t len, uint8_t *out, size_t n)
{
	host_timer_ticks = 1000;
	random_init(seed, len);
	random_fill(out, n);
}

static void test_same_seed_same_output_other_seed_differs(void **state)
{
	(void)state;
	uint8_t a1[128], a2[128], b[128];
	fill_from(seed_a, sizeof(seed_a), a1, sizeof(a1));
	assert_true(random_seeded());
	fill_from(seed_a, sizeof(seed_a), a2, sizeof(a2));
	fill_from(seed_b, sizeof(seed_b), b, sizeof(b));
	/* Deterministic for equal inputs (the host timer is frozen)... */
	assert_memory_equal(a1, a2, sizeof(a1));
	/* ...and one flipped seed bit changes everything. */
	assert_memory_not_equal(a1, b, sizeof(a1));
	unsigned int same = 0;
	for (size_t i = 0; i < sizeof(a1); i++) {
		same += a1[i] == b[i];
	}
	assert_true(same < 8);
}

static void test_timer_readings_are_mixed_in(void **state)
{
	(void)state;
	uint8_t a[64], b[64];
	host_timer_ticks = 1000;
	random_init(seed_a, sizeof(seed_a));
	random_fill(a, sizeof(a));
	host_timer_ticks = 1001;
	random_init(seed_a, sizeof(seed_a));
	random_fill(b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
}

static void test_unseeded_generator_says_so(void **state)
{
	(void)state;
	uint8_t a[32] = {0};
	static const uint8_t zero[32];
	host_timer_ticks = 5;
	random_init(NULL, 0);
	assert_false(random_seeded());
	random_fill(a, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
	random_init(seed_a, 1);
	assert_true(random_seeded());
}

static void test_odd_lengths_fill_exactly(void **state)
{
	(void)state;
	static const size_t lens[] = {0, 1, 3, 31, 63, 64, 65, 255, 256, 257, 1000, 4099};
	fill_from(seed_a, sizeof(seed_a), NULL, 0);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		size_t n = lens[i];
		uint8_t *buf = malloc(n + 32);
		assert_non_null(buf);
		memset(buf, 0xa5, n + 32);
		random_fill(buf + 16, n);
		for (size_t j = 0; j < 16; j++) {
			assert_int_equal(buf[j], 0xa5);
			assert_int_equal(buf[16 + n + j], 0xa5);
		}
		/* Written: a run of 0xa5 as long as 4 bytes is a one-in-4-billion event. */
		for (size_t j = 0; j + 4 <= n; j++) {
			assert_false(buf[16 + j] == 0xa5 && buf[17 + j] == 0xa5 &&
			             buf[18 + j] == 0xa5 && buf[19 + j] == 0xa5);
		}
		free(buf);
	}
}

static void test_key_is_replaced_after_each_request(void **state)
{
	(void)state;
	uint8_t whole[64], first[32], second[32];
	fill_from(seed_a, sizeof(seed_a), whole, sizeof(whole));
	fill_from(seed_a, sizeof(seed_a), first, sizeof(first));
	random_fill(second, sizeof(second));
	/* The same key and nonce start both requests... */
	assert_memory_equal(whole, first, sizeof(first));
	/* ...but the second request runs under a new key, not further along the old stream. */
	assert_memory_not_equal(whole + 32, second, sizeof(second));
	/* Long requests change keys every 256 bytes: no chunk repeats another. */
	uint8_t big[1024];
	random_fill(big, sizeof(big));
	for (unsigned int i = 0; i < 4; i++) {
		for (unsigned int j = i + 1; j < 4; j++) {
			assert_memory_not_equal(big + 256 * i, big + 256 * j, 256);
		}
	}
}

static void test_add_entropy_changes_the_stream(void **state)
{
	(void)state;
	uint8_t a[32], b[32];
	fill_from(seed_a, sizeof(seed_a), NULL, 0);
	random_fill(a, sizeof(a));
	fill_from(seed_a, sizeof(seed_a), NULL, 0);
	static const char extra[] = "one more input";
	random_add_entropy(extra, sizeof(extra));
	random_fill(b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
}

static void test_output_bits_are_balanced(void **state)
{
	(void)state;
	enum { N = 65536 };
	static uint8_t buf[N];
	fill_from(seed_a, sizeof(seed_a), buf, sizeof(buf));
	unsigned long ones = 0;
	unsigned long counts[256] = {0};
	for (size_t i = 0; i < N; i++) {
		ones += (unsigned long)__builtin_popcount(buf[i]);
		counts[buf[i]]++;
	}
	/* 524288 bits, standard deviation ~362: 1% is over 14 deviations. */
	assert_in_range(ones, N * 4 - N * 8 / 100, N * 4 + N * 8 / 100);
	/* Every byte value about 256 times (sd 16). */
	for (unsigned int v = 0; v < 256; v++) {
		assert_in_range(counts[v], 150, 362);
	}
	uint64_t x = random_u64(), y = random_u64();
	assert_true(x != y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc8439_block_vector),
	    cmocka_unit_test(test_rfc8439_zero_key_vector),
	    cmocka_unit_test(test_same_seed_same_output_other_seed_differs),
	    cmocka_unit_test(test_timer_readings_are_mixed_in),
	    cmocka_unit_test(test_unseeded_generator_says_so),
	    cmocka_unit_test(test_odd_lengths_fill_exactly),
	    cmocka_unit_test(test_key_is_replaced_after_each_request),
	    cmocka_unit_test(test_add_entropy_changes_the_stream),
	    cmocka_unit_test(test_output_bits_are_balanced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
