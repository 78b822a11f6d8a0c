/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The FDT reader (lib/fdt.c, lib/fdt_prop.c) on arbitrary blobs. Whatever fdt_open() accepts is
 * walked through the public API: every node (children, siblings, parents, document order), every
 * property by index and by name, the typed accessors, reg entries, the reservation block, path,
 * phandle and compatible lookups. Checked: everything returned points inside the blob, parents
 * and children agree, a node's name is found again by path from its parent, the walk ends.
 *
 * The host libfdt is the reference: when it accepts the blob too (fdt_check_full()), both must see
 * the same nodes in the same order at the same depths with the same names, and the same
 * properties and reservations. libfdt is not always the stricter reader (it refuses a NOP
 * between the root's END_NODE and FDT_END, which the spec does not forbid), so a blob only Vireo
 * accepts is no failure by itself.
 */
#include <vireo/errno.h>
#include <vireo/fdt.h>

#include "fdt_libfdt_ref.h"
#include "fuzz.h"

/* A walk visits at most this many nodes: far more than a blob of max_len can hold. */
#define NODE_LIMIT 100000
#define PATH_CAP   512

struct walk {
	const struct fdt *fdt;
	const uint8_t *lo, *hi; /* the blob as given */
	unsigned int nodes;
	bool ref;     /* libfdt accepts the blob: compare with it */
	int ref_node; /* libfdt's walk, one step per node of ours */
	int ref_depth;
};

static bool inside(const struct walk *w, const void *p, size_t len)
{
	const uint8_t *b = p;

	return b >= w->lo && b <= w->hi && len <= (size_t)(w->hi - b);
}

static void check_props(struct walk *w, int node)
{
	const struct fdt *fdt = w->fdt;
	struct fdt_prop p;
	unsigned int i;

	int ref = w->ref ? ref_first_prop(w->lo, node) : -1;

	for (i = 0; fdt_prop_at(fdt, node, i, &p) == 0;
	     i++, ref = w->ref ? ref_next_prop(w->lo, ref) : -1) {
		uint32_t len = 0;
		const void *v;
		const char *ref_name = NULL;
		int ref_len = -1;

		if (w->ref) {
			FUZZ_CHECK(ref >= 0);
			v = ref_prop(w->lo, ref, &ref_name, &ref_len);
			FUZZ_CHECK(v == p.value && ref_len >= 0 && (uint32_t)ref_len == p.len);
			FUZZ_CHECK(ref_name != NULL && strcmp(ref_name, p.name) == 0);
		}

		FUZZ_CHECK(p.name != NULL && inside(w, p.name, strlen(p.name) + 1));
		FUZZ_CHECK(inside(w, p.value, p.len));
		/* By name: the first property of that name, so at most this one's index. */
		v = fdt_getprop(fdt, node, p.name, &len);
		FUZZ_CHECK(v != NULL && inside(w, v, len));
		FUZZ_CHECK(fdt_has_prop(fdt, node, p.name));
		const char *s = fdt_prop_string(fdt, node, p.name);
		if (s != NULL) {
			FUZZ_CHECK(inside(w, s, strlen(s) + 1));
			FUZZ_CHECK(fdt_prop_list_contains(fdt, node, p.name, s));
		}
		uint32_t u32;
		uint64_t u64;
		int r32 = fdt_prop_u32(fdt, node, p.name, &u32);
		int r64 = fdt_prop_u64(fdt, node, p.name, &u64);
		FUZZ_CHECK(r32 == 0 ? len == 4 : r32 == VIREO_EINVAL);
		FUZZ_CHECK(r64 == 0 ? (len == 4 || len == 8) : r64 == VIREO_EINVAL);
		if (r32 == 0) {
			FUZZ_CHECK(r64 == 0 && u64 == u32);
		}
	}
	FUZZ_CHECK(fdt_prop_at(fdt, node, i, &p) == VIREO_ENOENT);
	FUZZ_CHECK(!w->ref || ref < 0);
	(void)fdt_node_is_enabled(fdt, node);
	(void)fdt_address_cells(fdt, node);
	(void)fdt_size_cells(fdt, node);
	for (unsigned int r = 0; r < 64; r++) {
		uint64_t addr;
		uint64_t size;
		int ret = fdt_reg(fdt, node, r, &addr, &size);

		if (ret != 0) {
			FUZZ_CHECK(ret == VIREO_ENOENT || ret == VIREO_EINVAL);
			break;
		}
	}
	uint32_t phandle;
	if (fdt_prop_u32(fdt, node, "phandle", &phandle) == 0) {
		int found = fdt_node_by_phandle(fdt, phandle);

		/* Another node may carry the same phandle first; either way one is found. */
		FUZZ_CHECK(phandle == 0 || phandle == 0xffffffffu || found >= 0);
	}
	const char *compat = fdt_prop_string(fdt, node, "compatible");
	if (compat != NULL) {
		FUZZ_CHECK(fdt_next_compatible(fdt, -1, compat) >= 0);
	}
}

/*
 * Walks node's subtree. path is node's absolute path, or NULL when a name on the way cannot be
 * written as a path component (empty, holds '/', too long); parent_found says the parent's path
 * led to the parent itself (not to an earlier sibling of the same name), so node's must lead to
 * a node of node's name.
 */
static void walk_node(struct walk *w, int node, int parent, char *path, size_t path_len,
                      bool parent_found, unsigned int depth)
{
	const struct fdt *fdt = w->fdt;
	const char *name = fdt_node_name(fdt, node);
	bool found_self = false;

	FUZZ_CHECK(name != NULL && inside(w, name, strlen(name) + 1));
	FUZZ_CHECK(depth < 64);
	FUZZ_CHECK(++w->nodes < NODE_LIMIT);
	FUZZ_CHECK(fdt_parent(fdt, node) == (parent >= 0 ? parent : VIREO_ENOENT));
	if (w->ref) {
		w->ref_node = ref_next_node(w->lo, w->ref_node, &w->ref_depth);
		FUZZ_CHECK(w->ref_node == node && w->ref_depth == (int)depth);
		FUZZ_CHECK(strcmp(ref_node_name(w->lo, node), name) == 0);
	}
	if (path != NULL) {
		int found = fdt_path_offset(fdt, path);

		if (parent_found) {
			FUZZ_CHECK(found >= 0 && strcmp(fdt_node_name(fdt, found), name) == 0);
		}
		found_self = found == node;
	}
	check_props(w, node);
	for (int child = fdt_first_child(fdt, node); child >= 0;
	     child = fdt_next_sibling(fdt, child)) {
		const char *cname = fdt_node_name(fdt, child);
		size_t n = cname != NULL ? strlen(cname) : 0;
		size_t clen = path_len > 1 ? path_len + 1 : 1;
		char *cpath = NULL;

		FUZZ_CHECK(child > node);
		if (path != NULL && n != 0 && strchr(cname, '/') == NULL && clen + n < PATH_CAP) {
			path[clen - 1] = '/';
			memcpy(path + clen, cname, n + 1);
			cpath = path;
		}
		walk_node(w, child, node, cpath, clen + n, found_self, depth + 1);
		if (path != NULL) {
			path[path_len] = '\0';
		}
	}
}

/* Every node fdt_next_compatible() returns holds compat; the scan ends with VIREO_ENOENT. */
static void check_compatible(const struct walk *w, const char *compat)
{
	unsigned int count = 0;
	int node;

	for (node = fdt_next_compatible(w->fdt, -1, compat); node >= 0;
	     node = fdt_next_compatible(w->fdt, node, compat)) {
		FUZZ_CHECK(fdt_prop_list_contains(w->fdt, node, "compatible", compat));
		FUZZ_CHECK(++count <= w->nodes);
	}
	FUZZ_CHECK(node == VIREO_ENOENT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly size bytes, so ASan sees any read past the end. */
	uint8_t *blob = malloc(size);
	struct fdt fdt;
	char path[PATH_CAP] = "/";

	memcpy(blob, data, size);
	if (fdt_open(&fdt, blob, size) == 0) {
		struct walk w = {
		    .fdt = &fdt, .lo = blob, .hi = blob + size, .ref_node = -1, .ref_depth = -1};
		uint64_t addr;
		uint64_t len;
		unsigned int i;
		int root = fdt_root(&fdt);

		FUZZ_CHECK(fdt.size <= size && root >= 0);
		FUZZ_CHECK(fdt_path_offset(&fdt, "/") == root);
		w.ref = ref_check_full(blob, size) == 0;
		walk_node(&w, root, -1, path, 1, true, 0);
		/* libfdt ends its walk with an error or by leaving the root (depth -1). */
		FUZZ_CHECK(!w.ref || ref_next_node(blob, w.ref_node, &w.ref_depth) < 0 ||
		           w.ref_depth < 0);
		check_compatible(&w, "virtio,mmio");
		check_compatible(&w, "riscv,plic0");
		check_compatible(&w, "");
		/*
		 * Spec 5.3.2 ends the reservation block at an entry with address and size 0; libfdt
		 * stops at the first size 0. Up to there both read the same entries.
		 */
		unsigned int sized = UINT32_MAX;
		for (i = 0; fdt_rsvmap_entry(&fdt, i, &addr, &len) == 0; i++) {
			uint64_t ref_addr;
			uint64_t ref_len;

			if (len == 0 && sized == UINT32_MAX) {
				sized = i;
			}
			if (w.ref && sized == UINT32_MAX) {
				FUZZ_CHECK(ref_rsv(blob, (int)i, &ref_addr, &ref_len) == 0);
				FUZZ_CHECK(ref_addr == addr && ref_len == len);
			}
		}
		FUZZ_CHECK(i == fdt.rsvmap_count);
		FUZZ_CHECK(!w.ref || ref_rsv_count(blob) == (int)(sized < i ? sized : i));
		(void)fdt_path_offset(&fdt, "/chosen");
		(void)fdt_path_offset(&fdt, "/soc/serial");
		(void)fdt_next_device_type(&fdt, -1, "cpu");
	}
	free(blob);
	return 0;
}
