/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake guest RAM behind a struct gmem for the VirtIO unit tests and fuzzers: separately
 * allocated 4 KiB chunks in scrambled host order, so ASan catches any access past a chunk and
 * any code assuming contiguity beyond GMEM_CHUNK. Plain C, no test framework.
 */
#ifndef TESTS_FAKE_RAM_H
#define TESTS_FAKE_RAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vireo/gmem.h>

#define RAM_BASE   0x80000000ULL
#define RAM_CHUNKS 64U
#define RAM_SIZE   (RAM_CHUNKS * 4096ULL)

struct fake_ram {
	uint8_t *chunk[RAM_CHUNKS];
	struct gmem gmem;
	unsigned long maps; /* map() calls, to bound work in tests */
};

/* All chunks zeroed; aborts if the host is out of memory. */
void fake_ram_init(struct fake_ram *r);
void fake_ram_free(struct fake_ram *r);
/* Copies to (write) or from guest RAM; false, nothing copied, if any byte is outside it. */
bool fake_ram_copy(struct fake_ram *r, uint64_t gpa, void *buf, size_t len, bool write);

#endif
