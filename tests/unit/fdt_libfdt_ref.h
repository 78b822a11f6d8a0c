/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Reference answers from the host libfdt for test_fdt.c.
 *
 * libfdt exports names Vireo also uses (fdt_path_offset, fdt_getprop, fdt_address_cells, ...) and
 * its <fdt.h> defines FDT_MAGIC, so <libfdt.h> is included only by fdt_libfdt_ref.c, which is
 * compiled on its own without the fdt_rename.h renames. Node and property offsets are libfdt's
 * (relative to the structure block), the same convention as Vireo's node offsets. Every function
 * returns a negative libfdt error where libfdt does.
 */
#ifndef FDT_LIBFDT_REF_H
#define FDT_LIBFDT_REF_H

#include <stddef.h>
#include <stdint.h>

struct ref_header {
	uint32_t totalsize;
	uint32_t off_struct;
	uint32_t off_strings;
	uint32_t off_rsvmap;
	uint32_t version;
	uint32_t last_comp_version;
	uint32_t boot_cpuid;
	uint32_t size_strings;
	uint32_t size_struct;
};

/** fdt_check_full(): 0 if libfdt considers the whole blob sound. */
int ref_check_full(const void *blob, size_t buf_size);
void ref_header(const void *blob, struct ref_header *h);
/** fdt_next_node(); *depth is updated as libfdt does (root at depth 0). */
int ref_next_node(const void *blob, int node, int *depth);
const char *ref_node_name(const void *blob, int node);
int ref_path(const void *blob, int node, char *buf, int len);
int ref_parent(const void *blob, int node);
int ref_path_offset(const void *blob, const char *path);
/** Property offsets: first/next property of a node, then its name, value and length. */
int ref_first_prop(const void *blob, int node);
int ref_next_prop(const void *blob, int prop);
const void *ref_prop(const void *blob, int prop, const char **name, int *len);
const void *ref_getprop(const void *blob, int node, const char *name, int *len);
/** fdt_get_phandle(): 0 when the node has none. */
uint32_t ref_phandle(const void *blob, int node);
int ref_node_by_phandle(const void *blob, uint32_t phandle);
int ref_next_compatible(const void *blob, int from, const char *compat);
int ref_next_device_type(const void *blob, int from, const char *type);
int ref_address_cells(const void *blob, int node);
int ref_size_cells(const void *blob, int node);
/** Decodes reg entry index with the parent's cell counts as reported by libfdt. */
int ref_reg(const void *blob, int node, int index, uint64_t *addr, uint64_t *size);
int ref_rsv_count(const void *blob);
int ref_rsv(const void *blob, int index, uint64_t *addr, uint64_t *size);
/** Structure block offset of the nth (0-based) token with this tag, walking with fdt_next_tag. */
int ref_find_tag(const void *blob, uint32_t tag, int nth);

#endif
