/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Flattened device tree writer (Devicetree Specification v0.4, chapter 5).
 *
 * Buffer while building (see include/vireo/fdt_write.h):
 *
 *   0        40             off_struct            pos                size-strings_len   size
 *   | header | rsvmap + end  | structure block ... | free ............ | strings block    |
 *
 * Every byte goes through claim() or string_ref(), which refuse to let the two growing ends
 * meet, so nothing is written past buf + size. A property's nameoff is not known while the
 * strings block still grows downwards: it is stored as the string's distance from the end of
 * the buffer and rewritten by fix_name_offsets() once the block's final size is known.
 */
#include <vireo/errno.h>
#include <vireo/fdt.h>
#include <vireo/fdt_write.h>
#include <vireo/string.h>

/* 5.2: header layout and the version we write. */
#define HDR_SIZE         40U
#define HDR_TOTALSIZE    4U
#define HDR_OFF_STRUCT   8U
#define HDR_OFF_STRINGS  12U
#define HDR_OFF_RSVMAP   16U
#define HDR_VERSION      20U
#define HDR_LAST_COMP    24U
#define HDR_BOOT_CPUID   28U
#define HDR_SIZE_STRINGS 32U
#define HDR_SIZE_STRUCT  36U
#define FDTW_VERSION     17U
#define FDTW_LAST_COMP   16U
/* 5.3: a reservation entry is two 64-bit big-endian values; an all-zero entry ends the list. */
#define RSV_ENTRY_SIZE 16U
/* 5.4.1: structure block tokens. */
#define TOKEN_BEGIN_NODE 0x1U
#define TOKEN_END_NODE   0x2U
#define TOKEN_PROP       0x3U
#define TOKEN_END        0x9U
#define PROP_HEADER_SIZE 12U /* token, len, nameoff */
/* Offsets must fit the header's 32-bit fields and the size the int returned by fdtw_finish(). */
#define FDTW_MAX_SIZE 0x7fffffffU

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}

/* 5.4.1: tokens and property values are padded to 4-byte boundaries. */
static size_t align4(size_t n)
{
	return (n + 3U) & ~(size_t)3U;
}

void fdtw_set_error(struct fdtw *w, int err)
{
	if (w->err == 0 && err < 0 && !w->finished) {
		w->err = err;
	}
}

static bool usable(const struct fdtw *w)
{
	return w->err == 0 && !w->finished;
}

static size_t free_bytes(const struct fdtw *w)
{
	return w->size - w->strings_len - w->pos;
}

/* Claims n bytes at the front, or records VIREO_ENOSPC and returns NULL. */
static uint8_t *claim(struct fdtw *w, size_t n)
{
	uint8_t *p;

	if (n > free_bytes(w)) {
		fdtw_set_error(w, VIREO_ENOSPC);
		return NULL;
	}
	p = w->buf + w->pos;
	w->pos += n;
	return p;
}

void fdtw_init(struct fdtw *w, void *buf, size_t size, uint32_t boot_cpuid)
{
	memset(w, 0, sizeof(*w));
	w->buf = buf;
	w->size = size > FDTW_MAX_SIZE ? FDTW_MAX_SIZE : size;
	w->boot_cpuid = boot_cpuid;
	if (buf == NULL && size != 0) {
		fdtw_set_error(w, VIREO_EINVAL);
		return;
	}
	/* A zeroed header: a half-built buffer never passes for a blob (no magic yet). */
	if (claim(w, HDR_SIZE) != NULL) {
		memset(w->buf, 0, HDR_SIZE);
	}
}

void fdtw_reserve(struct fdtw *w, uint64_t addr, uint64_t size)
{
	uint8_t *p;

	if (!usable(w)) {
		return;
	}
	/* 5.3: the block precedes the structure block; a size-0 entry would end the list early. */
	if (w->off_struct != 0 || size == 0) {
		fdtw_set_error(w, VIREO_EINVAL);
		return;
	}
	p = claim(w, RSV_ENTRY_SIZE);
	if (p != NULL) {
		put_be64(p, addr);
		put_be64(p + 8, size);
		w->rsv_count++;
	}
}

/* Ends the reservation block (5.3) and starts the structure block at an 8-aligned offset. */
static bool start_struct(struct fdtw *w)
{
	uint8_t *p = claim(w, RSV_ENTRY_SIZE);

	if (p == NULL) {
		return false;
	}
	memset(p, 0, RSV_ENTRY_SIZE);
	w->off_struct = w->pos;
	return true;
}

void fdtw_begin_node(struct fdtw *w, const char *name)
{
	size_t len;
	uint8_t *p;

	if (!usable(w)) {
		return;
	}
	/* 5.4.1: exactly one root, named ""; every other node has a name without '/' (2.2.1). */
	if (name == NULL || (w->depth == 0 && (w->root_done || name[0] != '\0')) ||
	    (w->depth != 0 && (name[0] == '\0' || strchr(name, '/') != NULL))) {
		fdtw_set_error(w, VIREO_EINVAL);
		return;
	}
	if (w->off_struct == 0 && !start_struct(w)) {
		return;
	}
	len = strlen(name) + 1;
	p = claim(w, 4U + align4(len));
	if (p == NULL) {
		return;
	}
	put_be32(p, TOKEN_BEGIN_NODE);
	memcpy(p + 4, name, len);
	memset(p + 4 + len, 0, align4(len) - len);
	w->depth++;
	w->last_token = TOKEN_BEGIN_NODE;
}

void fdtw_end_node(struct fdtw *w)
{
	uint8_t *p;

	if (!usable(w)) {
		return;
	}
	if (w->depth == 0) {
		fdtw_set_error(w, VIREO_EINVAL);
		return;
	}
	p = claim(w, 4);
	if (p == NULL) {
		return;
	}
	put_be32(p, TOKEN_END_NODE);
	w->depth--;
	w->root_done = w->depth == 0;
	w->last_token = TOKEN_END_NODE;
}

/*
 * 5.5: property names live once each in the strings block. An existing string, or the tail of
 * one ("phandle" inside "linux,phandle"), is reused. Returns the string's distance from the end
 * of the buffer (>= 1), or 0 with VIREO_ENOSPC recorded.
 */
static uint32_t string_ref(struct fdtw *w, const char *name)
{
	size_t len = strlen(name) + 1;
	const uint8_t *table = w->buf + w->size - w->strings_len;
	size_t i;

	for (i = 0; i + len <= w->strings_len; i++) {
		if (memcmp(table + i, name, len) == 0) {
			return (uint32_t)(w->strings_len - i);
		}
	}
	if (len > free_bytes(w)) {
		fdtw_set_error(w, VIREO_ENOSPC);
		return 0;
	}
	w->strings_len += len;
	memcpy(w->buf + w->size - w->strings_len, name, len);
	return (uint32_t)w->strings_len;
}

/*
 * Writes an FDT_PROP header (5.4.1: token, len, nameoff) and the value's zero padding; returns
 * where the len value bytes go, or NULL after recording an error.
 */
static uint8_t *prop_start(struct fdtw *w, const char *name, size_t len)
{
	uint32_t ref;
	uint8_t *p;

	if (!usable(w)) {
		return NULL;
	}
	/* 5.4.2: a node's properties precede its child nodes. */
	if (name == NULL || name[0] == '\0' || w->depth == 0 ||
	    (w->last_token != TOKEN_BEGIN_NODE && w->last_token != TOKEN_PROP)) {
		fdtw_set_error(w, VIREO_EINVAL);
		return NULL;
	}
	if (len > FDTW_MAX_SIZE) {
		fdtw_set_error(w, VIREO_ENOSPC);
		return NULL;
	}
	ref = string_ref(w, name);
	if (ref == 0) {
		return NULL;
	}
	p = claim(w, PROP_HEADER_SIZE + align4(len));
	if (p == NULL) {
		return NULL;
	}
	put_be32(p, TOKEN_PROP);
	put_be32(p + 4, (uint32_t)len);
	put_be32(p + 8, ref);
	memset(p + PROP_HEADER_SIZE + len, 0, align4(len) - len);
	w->last_token = TOKEN_PROP;
	return p + PROP_HEADER_SIZE;
}

void fdtw_prop(struct fdtw *w, const char *name, const void *val, uint32_t len)
{
	uint8_t *p;

	if (val == NULL && len != 0) {
		fdtw_set_error(w, VIREO_EINVAL);
		return;
	}
	p = prop_start(w, name, len);
	if (p != NULL && len != 0) {
		memcpy(p, val, len);
	}
}

void fdtw_prop_u32(struct fdtw *w, const char *name, uint32_t v)
{
	uint8_t *p = prop_start(w, name, 4);

	if (p != NULL) {
		put_be32(p, v);
	}
}

void fdtw_prop_u64(struct fdtw *w, const char *name, uint64_t v)
{
	uint8_t *p = prop_start(w, name, 8);

	if (p != NULL) {
		put_be64(p, v);
	}
}

void fdtw_prop_cells(struct fdtw *w, const char *name, const uint32_t *cells, unsigned int n)
{
	uint8_t *p;
	unsigned int i;

	if (cells == NULL && n != 0) {
		fdtw_set_error(w, VIREO_EINVAL);
		return;
	}
	p = prop_start(w, name, (size_t)n * 4U);
	for (i = 0; p != NULL && i < n; i++) {
		put_be32(p + (size_t)i * 4U, cells[i]);
	}
}

void fdtw_prop_string(struct fdtw *w, const char *name, const char *s)
{
	if (s == NULL) {
		fdtw_set_error(w, VIREO_EINVAL);
		return;
	}
	fdtw_prop_strings(w, name, &s, 1);
}

void fdtw_prop_strings(struct fdtw *w, const char *name, const char *const *list, unsigned int n)
{
	size_t len = 0;
	unsigned int i;
	uint8_t *p;

	if (list == NULL && n != 0) {
		fdtw_set_error(w, VIREO_EINVAL);
		return;
	}
	for (i = 0; i < n; i++) {
		if (list[i] == NULL) {
			fdtw_set_error(w, VIREO_EINVAL);
			return;
		}
		len += strlen(list[i]) + 1;
	}
	p = prop_start(w, name, len);
	for (i = 0; p != NULL && i < n; i++) {
		size_t l = strlen(list[i]) + 1;

		memcpy(p, list[i], l);
		p += l;
	}
}

void fdtw_prop_empty(struct fdtw *w, const char *name)
{
	prop_start(w, name, 0);
}

/* Rewrites every nameoff from "distance from the buffer end" to its offset in the final block. */
static void fix_name_offsets(struct fdtw *w)
{
	size_t off = w->off_struct;

	while (off < w->pos) {
		uint32_t token = fdt_be32(w->buf + off);

		off += 4;
		if (token == TOKEN_BEGIN_NODE) {
			off += align4(strlen((const char *)(w->buf + off)) + 1);
		} else if (token == TOKEN_PROP) {
			uint32_t len = fdt_be32(w->buf + off);
			uint32_t dist = fdt_be32(w->buf + off + 4);

			put_be32(w->buf + off + 4, (uint32_t)w->strings_len - dist);
			off += 8U + align4(len);
		}
	}
}

int fdtw_finish(struct fdtw *w)
{
	uint8_t *p;
	size_t off_strings;

	if (w->finished) {
		return w->err != 0 ? w->err : (int)(w->pos + w->strings_len);
	}
	if (w->err == 0 && (!w->root_done || w->depth != 0)) {
		fdtw_set_error(w, VIREO_EINVAL);
	}
	p = w->err == 0 ? claim(w, 4) : NULL;
	w->finished = true;
	if (p == NULL) {
		return w->err;
	}
	put_be32(p, TOKEN_END);
	fix_name_offsets(w);
	/* 5.5: the strings block follows the structure block; it needs no alignment. */
	off_strings = w->pos;
	memmove(w->buf + off_strings, w->buf + w->size - w->strings_len, w->strings_len);

	p = w->buf;
	put_be32(p, FDT_MAGIC);
	put_be32(p + HDR_TOTALSIZE, (uint32_t)(off_strings + w->strings_len));
	put_be32(p + HDR_OFF_STRUCT, (uint32_t)w->off_struct);
	put_be32(p + HDR_OFF_STRINGS, (uint32_t)off_strings);
	put_be32(p + HDR_OFF_RSVMAP, HDR_SIZE);
	put_be32(p + HDR_VERSION, FDTW_VERSION);
	put_be32(p + HDR_LAST_COMP, FDTW_LAST_COMP);
	put_be32(p + HDR_BOOT_CPUID, w->boot_cpuid);
	put_be32(p + HDR_SIZE_STRINGS, (uint32_t)w->strings_len);
	put_be32(p + HDR_SIZE_STRUCT, (uint32_t)(off_strings - w->off_struct));
	return (int)(off_strings + w->strings_len);
}
