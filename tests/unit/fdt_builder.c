/* SPDX-License-Identifier: GPL-2.0-only */
/* Test-only FDT writer; see fdt_builder.h. Aborts on overflow: a test bug, not a result. */
#include <stdlib.h>
#include <string.h>

#include "fdt_builder.h"

void put_be32(uint8_t *blob, size_t off, uint32_t v)
{
	blob[off] = (uint8_t)(v >> 24);
	blob[off + 1] = (uint8_t)(v >> 16);
	blob[off + 2] = (uint8_t)(v >> 8);
	blob[off + 3] = (uint8_t)v;
}

uint32_t get_be32(const uint8_t *blob, size_t off)
{
	return ((uint32_t)blob[off] << 24) | ((uint32_t)blob[off + 1] << 16) |
	       ((uint32_t)blob[off + 2] << 8) | blob[off + 3];
}

static void put_be64(uint8_t *blob, size_t off, uint64_t v)
{
	put_be32(blob, off, (uint32_t)(v >> 32));
	put_be32(blob, off + 4, (uint32_t)v);
}

static void append(struct fdtb *b, const void *data, size_t len)
{
	if (b->strct_len + len + 3 > sizeof(b->strct)) {
		abort();
	}
	memcpy(b->strct + b->strct_len, data, len);
	b->strct_len += (uint32_t)len;
	/* Spec 5.4.1: pad with zeros to the next 4-byte boundary. */
	while (b->strct_len % 4 != 0) {
		b->strct[b->strct_len++] = 0;
	}
}

void fdtb_init(struct fdtb *b)
{
	memset(b, 0, sizeof(*b));
}

void fdtb_token(struct fdtb *b, uint32_t token)
{
	uint8_t t[4];

	put_be32(t, 0, token);
	append(b, t, 4);
}

void fdtb_begin(struct fdtb *b, const char *name)
{
	fdtb_token(b, TOK_BEGIN_NODE);
	append(b, name, strlen(name) + 1);
}

void fdtb_end(struct fdtb *b)
{
	fdtb_token(b, TOK_END_NODE);
}

static uint32_t string_offset(struct fdtb *b, const char *name)
{
	size_t len = strlen(name) + 1;
	uint32_t off;

	for (off = 0; off < b->strings_len; off += (uint32_t)strlen(b->strings + off) + 1) {
		if (strcmp(b->strings + off, name) == 0) {
			return off;
		}
	}
	if (b->strings_len + len > sizeof(b->strings)) {
		abort();
	}
	memcpy(b->strings + off, name, len);
	b->strings_len += (uint32_t)len;
	return off;
}

void fdtb_prop(struct fdtb *b, const char *name, const void *value, uint32_t len)
{
	uint8_t hdr[8];

	fdtb_token(b, TOK_PROP);
	put_be32(hdr, 0, len);
	put_be32(hdr, 4, string_offset(b, name));
	append(b, hdr, 8);
	append(b, value, len);
}

void fdtb_prop_u32(struct fdtb *b, const char *name, uint32_t value)
{
	fdtb_prop_cells(b, name, 1, &value);
}

void fdtb_prop_cells(struct fdtb *b, const char *name, unsigned int count, const uint32_t *cells)
{
	uint8_t buf[64];
	unsigned int i;

	if (count * 4 > sizeof(buf)) {
		abort();
	}
	for (i = 0; i < count; i++) {
		put_be32(buf, i * 4, cells[i]);
	}
	fdtb_prop(b, name, buf, count * 4);
}

void fdtb_prop_str(struct fdtb *b, const char *name, const char *value)
{
	fdtb_prop(b, name, value, (uint32_t)strlen(value) + 1);
}

void fdtb_rsv(struct fdtb *b, uint64_t addr, uint64_t size)
{
	if (b->rsv_count == 8) {
		abort();
	}
	b->rsv[b->rsv_count][0] = addr;
	b->rsv[b->rsv_count][1] = size;
	b->rsv_count++;
}

uint8_t *fdtb_finish(const struct fdtb *b, uint32_t version, size_t *size)
{
	uint32_t off_rsv = 40;
	uint32_t off_struct = off_rsv + (b->rsv_count + 1) * 16;
	uint32_t off_strings = off_struct + b->strct_len;
	uint32_t total = off_strings + b->strings_len;
	uint8_t *blob = calloc(1, total);
	unsigned int i;

	if (blob == NULL) {
		abort();
	}
	put_be32(blob, 0, 0xd00dfeedu);
	put_be32(blob, 4, total);
	put_be32(blob, 8, off_struct);
	put_be32(blob, 12, off_strings);
	put_be32(blob, 16, off_rsv);
	put_be32(blob, 20, version);
	put_be32(blob, 24, 16);
	put_be32(blob, 28, 0);
	put_be32(blob, 32, b->strings_len);
	put_be32(blob, 36, version >= 17 ? b->strct_len : 0xdeadbeefu);
	for (i = 0; i < b->rsv_count; i++) {
		put_be64(blob, off_rsv + i * 16, b->rsv[i][0]);
		put_be64(blob, off_rsv + i * 16 + 8, b->rsv[i][1]);
	}
	memcpy(blob + off_struct, b->strct, b->strct_len);
	memcpy(blob + off_strings, b->strings, b->strings_len);
	*size = total;
	return blob;
}
