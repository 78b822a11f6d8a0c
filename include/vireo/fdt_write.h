/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Flattened device tree writer (Devicetree Specification v0.4, chapter 5): builds a blob
 * depth-first into a caller-provided buffer and never writes past it.
 *
 *   fdtw_init(&w, buf, size, 0);
 *   fdtw_reserve(&w, addr, len);         optional, only before the first node (5.3)
 *   fdtw_begin_node(&w, "");             the root
 *     fdtw_prop_u32(&w, "#address-cells", 2);
 *     fdtw_begin_node(&w, "chosen"); ... fdtw_end_node(&w);
 *   fdtw_end_node(&w);
 *   n = fdtw_finish(&w);                 blob size, or a negative VIREO_E*
 *
 * Errors are sticky: the first one stops all further writing and fdtw_finish() reports it, so
 * callers check once at the end. VIREO_ENOSPC: the buffer is too small. VIREO_EINVAL: misuse
 * (unbalanced nodes, a second root, properties after a child node or outside any node, a
 * reservation after the first node, empty names).
 *
 * While building, the structure block grows up from the front of the buffer and the strings block
 * down from its end; fdtw_finish() moves the strings behind the structure block, so the blob is
 * contiguous and exactly fdtw_finish() bytes long. The blob should live at an 8-byte aligned
 * address when handed to a guest (5.1); the writer itself works on any alignment.
 */
#ifndef VIREO_FDT_WRITE_H
#define VIREO_FDT_WRITE_H

#include <vireo/types.h>

/** Writer state. Treat every field as private; only buf and size are the caller's values. */
struct fdtw {
	uint8_t *buf;
	size_t size;         /**< usable bytes: the buffer size, capped so offsets fit the header */
	size_t pos;          /**< end of header + reservation block + structure block so far */
	size_t strings_len;  /**< bytes of the strings block, kept at buf + size - strings_len */
	size_t off_struct;   /**< structure block offset, 0 until the first node */
	uint32_t rsv_count;  /**< memory reservation entries written */
	uint32_t boot_cpuid; /**< boot_cpuid_phys header field */
	uint32_t depth;      /**< open nodes */
	uint32_t last_token; /**< last structure token written (0: none yet) */
	bool root_done;      /**< the root node has been closed */
	bool finished;       /**< fdtw_finish() ran */
	int err;             /**< first error (sticky), or 0 */
};

/** Starts a blob in buf[0..size). boot_cpuid goes to the header's boot_cpuid_phys (5.2). */
void fdtw_init(struct fdtw *w, void *buf, size_t size, uint32_t boot_cpuid);
/** Adds a memory reservation entry (5.3). Only before the first node; size must not be 0. */
void fdtw_reserve(struct fdtw *w, uint64_t addr, uint64_t size);
/** Opens a node: "" for the root (exactly one), a non-empty name ("cpu@0") below it. */
void fdtw_begin_node(struct fdtw *w, const char *name);
/** Closes the innermost open node. */
void fdtw_end_node(struct fdtw *w);
/**
 * Adds a property to the innermost open node, before any of its child nodes (5.4.2). val may be
 * NULL only when len is 0.
 */
void fdtw_prop(struct fdtw *w, const char *name, const void *val, uint32_t len);
/** One big-endian cell. */
void fdtw_prop_u32(struct fdtw *w, const char *name, uint32_t v);
/** Two big-endian cells, most significant first. */
void fdtw_prop_u64(struct fdtw *w, const char *name, uint64_t v);
/** n big-endian cells (host-order values in cells). */
void fdtw_prop_cells(struct fdtw *w, const char *name, const uint32_t *cells, unsigned int n);
/** A NUL-terminated string. */
void fdtw_prop_string(struct fdtw *w, const char *name, const char *s);
/** A stringlist (2.2.4): the n strings, each NUL-terminated, back to back. */
void fdtw_prop_strings(struct fdtw *w, const char *name, const char *const *list, unsigned int n);
/** A property with no value (a boolean such as "interrupt-controller"). */
void fdtw_prop_empty(struct fdtw *w, const char *name);

/**
 * Finishes the blob: FDT_END token, strings block behind the structure block, header (version 17,
 * last_comp_version 16). Returns the blob's total size, or the sticky error: VIREO_ENOSPC if the
 * buffer was too small, VIREO_EINVAL for misuse (also: no root node, or nodes still open).
 * The writer is then frozen: other calls do nothing, fdtw_finish() returns the same result again.
 */
int fdtw_finish(struct fdtw *w);

/**
 * Records err (a negative VIREO_E*) as the sticky error unless one is already set: lets code that
 * adds nodes report its own failures (a value it cannot describe) through fdtw_finish().
 */
void fdtw_set_error(struct fdtw *w, int err);

/** The sticky error so far, or 0. */
static inline int fdtw_error(const struct fdtw *w)
{
	return w->err;
}

#endif
