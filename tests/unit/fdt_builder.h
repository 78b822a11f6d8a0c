/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * A minimal flattened-device-tree writer for test_fdt.c: hand-made blobs with exactly the token
 * sequence a test wants, including malformed ones (raw tokens, missing FDT_END, deep nesting).
 * Layout (Devicetree Specification v0.4, 5.1): header, reservation block, structure block,
 * strings block, with no free space, so totalsize is the exact blob size.
 */
#ifndef FDT_BUILDER_H
#define FDT_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#define TOK_BEGIN_NODE 0x1u
#define TOK_END_NODE   0x2u
#define TOK_PROP       0x3u
#define TOK_NOP        0x4u
#define TOK_END        0x9u

struct fdtb {
	uint8_t strct[16384];
	uint32_t strct_len;
	char strings[4096];
	uint32_t strings_len;
	uint64_t rsv[8][2];
	unsigned int rsv_count;
};

void fdtb_init(struct fdtb *b);
/** Appends one raw 32-bit token (any value). */
void fdtb_token(struct fdtb *b, uint32_t token);
void fdtb_begin(struct fdtb *b, const char *name);
void fdtb_end(struct fdtb *b);
void fdtb_prop(struct fdtb *b, const char *name, const void *value, uint32_t len);
void fdtb_prop_u32(struct fdtb *b, const char *name, uint32_t value);
/** Appends big-endian cells: fdtb_prop_cells(b, "reg", 4, (uint32_t[]){...}). */
void fdtb_prop_cells(struct fdtb *b, const char *name, unsigned int count, const uint32_t *cells);
void fdtb_prop_str(struct fdtb *b, const char *name, const char *value);
void fdtb_rsv(struct fdtb *b, uint64_t addr, uint64_t size);
/**
 * Lays the blob out into an exactly-sized malloc buffer (the caller frees it). version 16 writes a
 * v16 header (last_comp_version 16, size_dt_struct left as garbage 0xdeadbeef, which a v16 reader
 * must ignore); 17 writes a normal v17 header.
 */
uint8_t *fdtb_finish(const struct fdtb *b, uint32_t version, size_t *size);
/** Writes a big-endian u32 at blob + off (to patch header fields and tokens). */
void put_be32(uint8_t *blob, size_t off, uint32_t v);
uint32_t get_be32(const uint8_t *blob, size_t off);

#endif
