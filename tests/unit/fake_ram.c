/* SPDX-License-Identifier: GPL-2.0-only */
/* Fake guest RAM of scattered 4 KiB chunks (fake_ram.h). */
#include <stdlib.h>
#include <string.h>

#include "fake_ram.h"

/* Guest chunk i lives in host chunk RAM_CHUNKS - 1 - i: neighbours are never adjacent. */
static uint8_t *chunk_of(struct fake_ram *r, uint64_t gpa)
{
	return r->chunk[RAM_CHUNKS - 1U - (unsigned int)((gpa - RAM_BASE) / 4096U)];
}

static void *fake_map(void *ctx, gpaddr_t gpa, uint64_t len)
{
	struct fake_ram *r = ctx;
	r->maps++;
	if (gpa < RAM_BASE || gpa >= RAM_BASE + RAM_SIZE) {
		return NULL;
	}
	uint64_t off = (gpa - RAM_BASE) % 4096U;
	if (len > 4096U - off) {
		return NULL; /* not contiguous in the host */
	}
	return chunk_of(r, gpa) + off;
}

void fake_ram_init(struct fake_ram *r)
{
	memset(r, 0, sizeof(*r));
	for (unsigned int i = 0; i < RAM_CHUNKS; i++) {
		r->chunk[i] = calloc(1, 4096);
		if (r->chunk[i] == NULL) {
			abort();
		}
	}
	r->gmem.map = fake_map;
	r->gmem.ctx = r;
}

void fake_ram_free(struct fake_ram *r)
{
	for (unsigned int i = 0; i < RAM_CHUNKS; i++) {
		free(r->chunk[i]);
	}
}

bool fake_ram_copy(struct fake_ram *r, uint64_t gpa, void *buf, size_t len, bool write)
{
	uint8_t *p = buf;
	if (gpa < RAM_BASE || len > RAM_SIZE || gpa - RAM_BASE > RAM_SIZE - len) {
		return false;
	}
	while (len > 0) {
		size_t off = (size_t)((gpa - RAM_BASE) % 4096U);
		size_t n = 4096U - off < len ? 4096U - off : len;
		if (write) {
			memcpy(chunk_of(r, gpa) + off, p, n);
		} else {
			memcpy(p, chunk_of(r, gpa) + off, n);
		}
		gpa += n;
		p += n;
		len -= n;
	}
	return true;
}
