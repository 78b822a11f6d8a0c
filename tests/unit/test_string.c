/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests for lib/string.c's memcpy, memmove and memset: every combination of source and
 * destination alignment (0..15) and lengths around the word and unrolled-block sizes, checked
 * byte for byte against reference loops, including the guard bytes around the target.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <vireo/string.h>

#define AREA  512
#define GUARD 0xa5

static const size_t lengths[] = {0,  1,  2,  3,  4,  5,  7,   8,   9,   15,  16,  17,  31,
                                 32, 33, 63, 64, 65, 71, 127, 128, 129, 200, 255, 256, 300};

static void fill(uint8_t *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++) {
		p[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 3));
	}
}

static void test_memcpy_alignments(void **state)
{
	(void)state;
	uint64_t src_store[AREA / 8], dst_store[AREA / 8], ref_store[AREA / 8];
	uint8_t *src = (uint8_t *)src_store, *dst = (uint8_t *)dst_store,
	        *ref = (uint8_t *)ref_store;

	for (size_t so = 0; so < 16; so++) {
		for (size_t d = 0; d < 16; d++) {
			for (size_t k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
				size_t n = lengths[k];
				fill(src, AREA, (unsigned int)(so + d + n));
				for (size_t i = 0; i < AREA; i++) {
					dst[i] = ref[i] = GUARD;
				}
				for (size_t i = 0; i < n; i++) {
					ref[d + i] = src[so + i];
				}
				assert_ptr_equal(memcpy(dst + d, src + so, n), dst + d);
				assert_memory_equal(dst, ref, AREA);
			}
		}
	}
}

static void test_memset_alignments(void **state)
{
	(void)state;
	uint64_t dst_store[AREA / 8], ref_store[AREA / 8];
	uint8_t *dst = (uint8_t *)dst_store, *ref = (uint8_t *)ref_store;

	for (size_t d = 0; d < 16; d++) {
		for (size_t k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
			size_t n = lengths[k];
			for (size_t i = 0; i < AREA; i++) {
				dst[i] = ref[i] = GUARD;
			}
			for (size_t i = 0; i < n; i++) {
				ref[d + i] = 0x3c;
			}
			/* Only the low byte of c counts. */
			assert_ptr_equal(memset(dst + d, 0x1233c, n), dst + d);
			assert_memory_equal(dst, ref, AREA);
		}
	}
}

static void test_memmove_overlaps(void **state)
{
	(void)state;
	uint8_t buf[AREA], ref[AREA];

	for (size_t so = 0; so < 24; so++) {
		for (size_t d = 0; d < 24; d++) {
			for (size_t k = 0; k < sizeof(lengths) / sizeof(lengths[0]); k++) {
				size_t n = lengths[k];
				fill(buf, AREA, (unsigned int)(so * 3 + d + n));
				for (size_t i = 0; i < AREA; i++) {
					ref[i] = buf[i];
				}
				uint8_t tmp[AREA];
				for (size_t i = 0; i < n; i++) {
					tmp[i] = ref[so + i];
				}
				for (size_t i = 0; i < n; i++) {
					ref[d + i] = tmp[i];
				}
				memmove(buf + d, buf + so, n);
				assert_memory_equal(buf, ref, AREA);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memcpy_alignments),
	    cmocka_unit_test(test_memset_alignments),
	    cmocka_unit_test(test_memmove_overlaps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
