/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Flattened device tree reader (Devicetree Specification v0.4, chapter 5).
 *
 * fdt_open() validates the whole blob once: header, block bounds, every token of the
 * structure block, node nesting, NUL-terminated names, property lengths and string offsets.
 * After a successful open every accessor can trust the structure, yet each still bounds-checks
 * what it returns. Nodes are identified by their byte offset in the structure block (as an int,
 * >= 0); negative values are VIREO_E* errors.
 */
#ifndef VIREO_FDT_H
#define VIREO_FDT_H

#include <vireo/types.h>

#define FDT_MAGIC 0xd00dfeedU

struct fdt {
	const uint8_t *blob;
	uint32_t size;        /**< totalsize from the header (<= the buffer given to fdt_open) */
	uint32_t off_struct;  /**< structure block offset */
	uint32_t size_struct; /**< structure block size */
	uint32_t off_strings; /**< strings block offset */
	uint32_t size_strings;
	uint32_t off_rsvmap; /**< memory reservation block offset */
	uint32_t rsvmap_count;
	uint32_t boot_cpuid;
};

/** One property as found in the blob. value points into the blob, len is its byte length. */
struct fdt_prop {
	const char *name;
	const void *value;
	uint32_t len;
};

/**
 * Validates blob (at most buf_size readable bytes) and fills *fdt. Returns 0, or VIREO_EINVAL
 * (bad magic, version, offsets, tokens or nesting) / VIREO_ETRUNC (totalsize > buf_size or a
 * block runs past the end).
 */
int fdt_open(struct fdt *fdt, const void *blob, size_t buf_size);

/** Reads the totalsize field of a blob header (no validation beyond reading 8 bytes). */
uint32_t fdt_header_totalsize(const void *blob);

/** Offset of the root node. */
int fdt_root(const struct fdt *fdt);
/** First child of node, or VIREO_ENOENT. */
int fdt_first_child(const struct fdt *fdt, int node);
/** Next sibling of node, or VIREO_ENOENT. */
int fdt_next_sibling(const struct fdt *fdt, int node);
/** Parent of node (found by a walk from the root), or VIREO_ENOENT for the root. */
int fdt_parent(const struct fdt *fdt, int node);
/** Node name including any unit address ("serial@10000000"); "" for the root. */
const char *fdt_node_name(const struct fdt *fdt, int node);
/**
 * Finds a node by absolute path ("/soc/serial@10000000"). A path component without '@' also
 * matches a node name with a unit address if it is the only such match ("/cpus/cpu" is not
 * unique; "/chosen" works). Returns the node or VIREO_ENOENT.
 */
int fdt_path_offset(const struct fdt *fdt, const char *path);
/** Finds a node by its phandle (or linux,phandle) property, or VIREO_ENOENT. */
int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle);
/**
 * Next node in document order after `from` (pass -1 to start at the root) whose "compatible"
 * list contains compat. Returns the node or VIREO_ENOENT.
 */
int fdt_next_compatible(const struct fdt *fdt, int from, const char *compat);
/** Next node in document order after `from` (-1: start) whose device_type equals type. */
int fdt_next_device_type(const struct fdt *fdt, int from, const char *type);

/** Iterates a node's properties: index 0, 1, ... Returns 0, or VIREO_ENOENT past the last. */
int fdt_prop_at(const struct fdt *fdt, int node, unsigned int index, struct fdt_prop *prop);
/** Looks up a property by name. Returns a pointer to its value (and *len) or NULL. */
const void *fdt_getprop(const struct fdt *fdt, int node, const char *name, uint32_t *len);
/** True if the node has the property (even empty). */
bool fdt_has_prop(const struct fdt *fdt, int node, const char *name);
/** Reads a one-cell property. VIREO_ENOENT if absent, VIREO_EINVAL if not exactly 4 bytes. */
int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out);
/** Reads a property of 1 or 2 cells as u64. VIREO_ENOENT / VIREO_EINVAL as above. */
int fdt_prop_u64(const struct fdt *fdt, int node, const char *name, uint64_t *out);
/**
 * Returns the property as a NUL-terminated string (the first string of a string list), or
 * NULL if absent, empty or not NUL-terminated within its length.
 */
const char *fdt_prop_string(const struct fdt *fdt, int node, const char *name);
/** True if the string-list property contains str exactly. */
bool fdt_prop_list_contains(const struct fdt *fdt, int node, const char *name, const char *str);
/** True if the node's status is absent, "okay" or "ok". */
bool fdt_node_is_enabled(const struct fdt *fdt, int node);

/** Reads a big-endian cell array value at index `cell` of `cells` cells (1 or 2) as u64. */
uint64_t fdt_read_cells(const void *value, uint32_t cell, uint32_t cells);
/** #address-cells / #size-cells that apply to node's children (defaults 2 and 1). */
uint32_t fdt_address_cells(const struct fdt *fdt, int node);
uint32_t fdt_size_cells(const struct fdt *fdt, int node);
/**
 * Reads the index-th (address, size) pair of node's "reg", using its parent's cell sizes.
 * Addresses are not translated through "ranges" (QEMU virt's buses are identity-mapped).
 * Returns 0, VIREO_ENOENT (no reg or index past the end) or VIREO_EINVAL (bad cell sizes).
 */
int fdt_reg(const struct fdt *fdt, int node, unsigned int index, uint64_t *addr, uint64_t *size);

/** Reads the index-th entry of the memory reservation block; VIREO_ENOENT past the end. */
int fdt_rsvmap_entry(const struct fdt *fdt, unsigned int index, uint64_t *addr, uint64_t *size);

/** Big-endian helpers. */
static inline uint32_t fdt_be32(const void *p)
{
	const uint8_t *b = (const uint8_t *)p;
	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) |
	       (uint32_t)b[3];
}

static inline uint64_t fdt_be64(const void *p)
{
	const uint8_t *b = (const uint8_t *)p;
	return ((uint64_t)fdt_be32(b) << 32) | fdt_be32(b + 4);
}

#endif
