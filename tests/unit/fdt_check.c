/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared helpers of the FDT unit test; see fdt_check.h. */
#include <dirent.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/fdt.h>

#include "fdt_builder.h"
#include "fdt_check.h"
#include "fdt_libfdt_ref.h"

struct dtb dtbs[MAX_DTBS];
unsigned int dtb_count;
static bool dtbs_loaded;

static int dtb_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dtb *)a)->name, ((const struct dtb *)b)->name);
}

static void load_one(const char *dir, const char *file)
{
	struct dtb *d = &dtbs[dtb_count];
	char path[512];
	FILE *fp;
	long len;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	assert_true(len >= 40);
	rewind(fp);
	d->data = malloc((size_t)len);
	assert_non_null(d->data);
	assert_int_equal(fread(d->data, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	d->file_size = (size_t)len;
	d->total = fdt_header_totalsize(d->data);
	assert_true(d->total <= d->file_size);
	snprintf(d->name, sizeof(d->name), "%.*s", (int)(strlen(file) - 4), file);
	dtb_count++;
}

void need_dtbs(void)
{
	const char *dir = getenv("VIREO_DTB_DIR");
	struct dirent *e;
	DIR *dp;

	if (!dtbs_loaded) {
		dtbs_loaded = true;
		if (dir == NULL || dir[0] == '\0') {
			dir = "build/host/dtb";
		}
		dp = opendir(dir);
		if (dp == NULL) {
			fail_msg("no DTB directory %s (run tests/unit/gen-dtbs.sh)", dir);
		}
		while ((e = readdir(dp)) != NULL && dtb_count < MAX_DTBS) {
			size_t n = strlen(e->d_name);

			if (n > 4 && strcmp(e->d_name + n - 4, ".dtb") == 0) {
				load_one(dir, e->d_name);
			}
		}
		closedir(dp);
		qsort(dtbs, dtb_count, sizeof(dtbs[0]), dtb_cmp);
	}
	if (dtb_count == 0) {
		fail_msg("no DTBs found (run tests/unit/gen-dtbs.sh)");
	}
}

const struct dtb *find_dtb(const char *name)
{
	unsigned int i;

	for (i = 0; i < dtb_count; i++) {
		if (strcmp(dtbs[i].name, name) == 0) {
			return &dtbs[i];
		}
	}
	return NULL;
}

uint8_t *copy_exact(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len);

	assert_true(p != NULL || len == 0);
	if (len != 0) {
		memcpy(p, src, len);
	}
	return p;
}

void open_ok(struct fdt *f, const void *blob, size_t size)
{
	int ret = fdt_open(f, blob, size);

	if (ret != 0) {
		fail_msg("fdt_open: %d (%s)", ret, vireo_strerror(ret));
	}
}

int our_next(const struct fdt *f, int node, int *depth)
{
	int next = fdt_first_child(f, node);

	if (next >= 0) {
		(*depth)++;
		return next;
	}
	while (node >= 0) {
		next = fdt_next_sibling(f, node);
		if (next >= 0) {
			return next;
		}
		node = fdt_parent(f, node);
		(*depth)--;
	}
	return node;
}

/* Checks every property of node against libfdt, plus the typed accessors against the bytes. */
static unsigned int crosscheck_props(const struct fdt *f, int node)
{
	const uint8_t *blob = f->blob;
	int rp = ref_first_prop(blob, node);
	unsigned int i;

	for (i = 0;; i++) {
		struct fdt_prop p;
		const char *rname;
		const void *rv;
		const uint8_t *v;
		int rlen;
		uint32_t len;
		uint32_t u32;
		uint64_t u64;
		int ret = fdt_prop_at(f, node, i, &p);

		if (rp < 0) {
			assert_int_equal(ret, VIREO_ENOENT);
			return i;
		}
		assert_int_equal(ret, 0);
		rv = ref_prop(blob, rp, &rname, &rlen);
		assert_non_null(rv);
		assert_string_equal(p.name, rname);
		assert_int_equal(p.len, rlen);
		assert_ptr_equal(p.value, rv);
		assert_memory_equal(p.value, rv, p.len);
		/* By name both return the first property of that name. */
		v = fdt_getprop(f, node, p.name, &len);
		assert_ptr_equal(v, ref_getprop(blob, node, p.name, &rlen));
		assert_int_equal(len, rlen);
		assert_true(fdt_has_prop(f, node, p.name));
		ret = fdt_prop_u32(f, node, p.name, &u32);
		assert_int_equal(ret, len == 4 ? 0 : VIREO_EINVAL);
		if (ret == 0) {
			assert_int_equal(u32, get_be32(v, 0));
		}
		ret = fdt_prop_u64(f, node, p.name, &u64);
		assert_int_equal(ret, len == 4 || len == 8 ? 0 : VIREO_EINVAL);
		if (len == 8) {
			assert_int_equal(u64, ((uint64_t)get_be32(v, 0) << 32) | get_be32(v, 4));
		} else if (len == 4) {
			assert_int_equal(u64, get_be32(v, 0));
		}
		if (len != 0 && memchr(v, 0, len) != NULL) {
			assert_ptr_equal(fdt_prop_string(f, node, p.name), v);
			assert_true(fdt_prop_list_contains(f, node, p.name, (const char *)v));
		} else {
			assert_null(fdt_prop_string(f, node, p.name));
		}
		rp = ref_next_prop(blob, rp);
	}
}

unsigned int crosscheck(const struct fdt *f, bool strict)
{
	const uint8_t *blob = f->blob;
	static char path[8192];
	size_t plen[64];
	char rpath[8192];
	unsigned int count = 0;
	int depth = 0;
	int rdepth = -1;
	int node = fdt_root(f);
	int rnode = ref_next_node(blob, -1, &rdepth);

	/* libfdt's walk ends when its depth drops below the root's (it starts at -1). */
	while (node >= 0) {
		const char *name = fdt_node_name(f, node);
		uint32_t ph = ref_phandle(blob, node);
		int ac = ref_address_cells(blob, node);
		int sc = ref_size_cells(blob, node);
		unsigned int i;

		assert_true(rdepth >= 0);
		assert_int_equal(node, rnode);
		assert_int_equal(depth, rdepth);
		assert_true(depth < 64);
		assert_non_null(name);
		assert_string_equal(name, ref_node_name(blob, rnode));
		if (depth == 0) {
			strcpy(path, "/");
			plen[0] = 1;
		} else {
			size_t at = plen[depth - 1];

			assert_true(at + strlen(name) + 2 < sizeof(path));
			at += (size_t)sprintf(path + at, "%s%s", depth > 1 ? "/" : "", name);
			plen[depth] = at;
		}
		/* fdt_get_path() unwinds on '/', so fuzzed names holding one confuse it. */
		if (strict) {
			assert_int_equal(ref_path(blob, node, rpath, sizeof(rpath)), 0);
			assert_string_equal(path, rpath);
		}
		if (depth == 0) {
			assert_int_equal(fdt_parent(f, node), VIREO_ENOENT);
		} else {
			assert_int_equal(fdt_parent(f, node), ref_parent(blob, node));
		}
		crosscheck_props(f, node);
		if (ph != 0 && ph != 0xffffffffu) {
			assert_int_equal(fdt_node_by_phandle(f, ph), ref_node_by_phandle(blob, ph));
		}
		if (ac >= 0) {
			assert_int_equal(fdt_address_cells(f, node), ac);
		}
		if (sc >= 0) {
			assert_int_equal(fdt_size_cells(f, node), sc);
		}
		for (i = 0; i < 4096; i++) {
			uint64_t a = 0, s = 0, ra = 0, rs = 0;
			int ret = fdt_reg(f, node, i, &a, &s);
			int rret = ref_reg(blob, node, (int)i, &ra, &rs);

			if (rret == 0) {
				assert_int_equal(ret, 0);
				assert_int_equal(a, ra);
				assert_int_equal(s, rs);
			} else {
				if (strict) {
					assert_true(ret < 0);
				}
				break;
			}
		}
		if (strict) {
			assert_int_equal(fdt_path_offset(f, path), node);
			assert_int_equal(ref_path_offset(blob, path), node);
			if (ph != 0 && ph != 0xffffffffu) {
				assert_int_equal(fdt_node_by_phandle(f, ph), node);
			}
			assert_true(fdt_node_is_enabled(f, node) ==
			            (!fdt_has_prop(f, node, "status") ||
			             fdt_prop_list_contains(f, node, "status", "okay") ||
			             fdt_prop_list_contains(f, node, "status", "ok")));
		}
		count++;
		assert_true(count <= f->size_struct / 12);
		node = our_next(f, node, &depth);
		rnode = ref_next_node(blob, rnode, &rdepth);
	}
	assert_int_equal(node, VIREO_ENOENT);
	assert_true(rnode < 0 || rdepth < 0);
	return count;
}

unsigned int crosscheck_compatible(const struct fdt *f, const char *compat)
{
	unsigned int n = 0;
	int a = -1;
	int b = -1;

	for (;;) {
		a = fdt_next_compatible(f, a, compat);
		b = ref_next_compatible(f->blob, b, compat);
		if (b < 0) {
			assert_int_equal(a, VIREO_ENOENT);
			return n;
		}
		assert_int_equal(a, b);
		n++;
	}
}

unsigned int crosscheck_device_type(const struct fdt *f, const char *type)
{
	unsigned int n = 0;
	int a = -1;
	int b = -1;

	for (;;) {
		a = fdt_next_device_type(f, a, type);
		b = ref_next_device_type(f->blob, b, type);
		if (b < 0) {
			assert_int_equal(a, VIREO_ENOENT);
			return n;
		}
		assert_int_equal(a, b);
		n++;
	}
}

int path_ok(const struct fdt *f, const char *path)
{
	int node = fdt_path_offset(f, path);

	if (node < 0) {
		fail_msg("%s: %d", path, node);
	}
	return node;
}

void check_reg(const struct fdt *f, int node, unsigned int index, uint64_t addr, uint64_t size)
{
	uint64_t a = ~0ull, s = ~0ull;

	assert_int_equal(fdt_reg(f, node, index, &a, &s), 0);
	assert_int_equal(a, addr);
	assert_int_equal(s, size);
}

static bool inside(const struct fdt *f, const void *p, size_t len, uint32_t off, uint32_t size)
{
	const uint8_t *lo = f->blob + off;

	return (const uint8_t *)p >= lo && (const uint8_t *)p + len <= lo + size;
}

void exercise(const struct fdt *f)
{
	unsigned int nodes = 0;
	int depth = 0;
	int node;
	uint64_t a, s;
	unsigned int i;

	for (node = fdt_root(f); node >= 0; node = our_next(f, node, &depth)) {
		const char *name = fdt_node_name(f, node);
		const char *compat = fdt_prop_string(f, node, "compatible");
		struct fdt_prop p;
		uint32_t u32;
		uint64_t u64;

		assert_non_null(name);
		assert_true(inside(f, name, strlen(name) + 1, f->off_struct, f->size_struct));
		for (i = 0; fdt_prop_at(f, node, i, &p) == 0; i++) {
			assert_true(
			    inside(f, p.name, strlen(p.name) + 1, f->off_strings, f->size_strings));
			assert_true(inside(f, p.value, p.len, f->off_struct, f->size_struct));
			assert_non_null(fdt_getprop(f, node, p.name, NULL));
			fdt_prop_u32(f, node, p.name, &u32);
			fdt_prop_u64(f, node, p.name, &u64);
			fdt_prop_string(f, node, p.name);
			fdt_prop_list_contains(f, node, p.name, "okay");
			assert_true(i < f->size_struct / 12);
		}
		fdt_node_is_enabled(f, node);
		fdt_address_cells(f, node);
		fdt_size_cells(f, node);
		for (i = 0; i < 64 && fdt_reg(f, node, i, &a, &s) == 0; i++) {
		}
		if (fdt_prop_u32(f, node, "phandle", &u32) == 0 && u32 != 0 && u32 != ~0u) {
			int found = fdt_node_by_phandle(f, u32);

			assert_true(found >= 0 && found <= node);
		}
		if (compat != NULL) {
			int found = fdt_next_compatible(f, -1, compat);

			assert_true(found >= 0 && found <= node);
		}
		nodes++;
		assert_true(nodes <= f->size_struct / 12);
	}
	assert_int_equal(node, VIREO_ENOENT);
	for (i = 0; fdt_rsvmap_entry(f, i, &a, &s) == 0; i++) {
	}
	assert_int_equal(i, f->rsvmap_count);
	fdt_path_offset(f, "/soc/serial@10000000");
	fdt_path_offset(f, "/cpus/cpu");
	fdt_next_device_type(f, -1, "memory");
}
