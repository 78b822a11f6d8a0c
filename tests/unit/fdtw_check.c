/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared checks of the FDT writer tests; see fdtw_check.h. */
#include <stdio.h>
#include <unistd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/fdt.h>
#include <vireo/fdt_write.h>

#include "fdt_builder.h"
#include "fdt_check.h"
#include "fdt_libfdt_ref.h"
#include "fdtw_check.h"

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static void check_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(p[i], 0);
	}
}

/* Walks the structure block token by token: only tokens we write, padding bytes all zero. */
static void check_struct_tokens(const uint8_t *blob, const struct ref_header *h)
{
	size_t off = h->off_struct;
	size_t end = (size_t)h->off_struct + h->size_struct;
	uint32_t token = 0;

	while (off < end) {
		token = get_be32(blob, off);
		off += 4;
		if (token == TOK_BEGIN_NODE) {
			size_t len = strnlen((const char *)blob + off, end - off) + 1;

			assert_true(off + align4(len) <= end);
			check_zero(blob + off + len, align4(len) - len);
			off += align4(len);
		} else if (token == TOK_PROP) {
			uint32_t len = get_be32(blob, off);

			assert_true(get_be32(blob, off + 4) < h->size_strings);
			off += 8;
			assert_true(off + align4(len) <= end);
			check_zero(blob + off + len, align4(len) - len);
			off += align4(len);
		} else {
			assert_true(token == TOK_END_NODE || token == TOK_END);
		}
	}
	assert_int_equal(off, end);
	assert_int_equal(token, TOK_END);
}

void tw_check_blob(const void *blob, int size)
{
	const uint8_t *b = blob;
	struct ref_header h;
	uint8_t *copy;
	struct fdt f;
	int i;

	assert_true(size >= 40);
	assert_int_equal(get_be32(b, 0), FDT_MAGIC);
	assert_int_equal(ref_check_full(blob, (size_t)size), 0);
	ref_header(blob, &h);
	assert_int_equal(h.version, 17);
	assert_int_equal(h.last_comp_version, 16);
	assert_int_equal(h.totalsize, size);
	/* 5.1: rsvmap 8-aligned right after the header, then the blocks back to back. */
	assert_int_equal(h.off_rsvmap, 40);
	assert_int_equal(h.off_struct, 40 + 16 * (ref_rsv_count(blob) + 1));
	assert_int_equal(h.off_struct % 8, 0);
	assert_int_equal(h.off_strings, h.off_struct + h.size_struct);
	assert_int_equal(h.off_strings + h.size_strings, h.totalsize);
	check_zero(b + h.off_struct - 16, 16);
	check_struct_tokens(b, &h);
	/* Every string in the strings block is NUL-terminated. */
	assert_true(h.size_strings == 0 || b[h.totalsize - 1] == 0);

	/* Our reader on an exactly-sized copy, walked in lockstep with libfdt. */
	copy = copy_exact(b, (size_t)size);
	open_ok(&f, copy, (size_t)size);
	assert_int_equal(f.rsvmap_count, ref_rsv_count(copy));
	for (i = 0; i < ref_rsv_count(copy); i++) {
		uint64_t a, s, ra, rs;

		assert_int_equal(fdt_rsvmap_entry(&f, (unsigned int)i, &a, &s), 0);
		assert_int_equal(ref_rsv(copy, i, &ra, &rs), 0);
		assert_int_equal(a, ra);
		assert_int_equal(s, rs);
	}
	crosscheck(&f, true);
	exercise(&f);
	free(copy);
}

int tw_check_every_size(tw_build_fn fn, const void *arg)
{
	size_t big = 1 << 20;
	uint8_t *ref = malloc(big);
	int n;

	assert_non_null(ref);
	memset(ref, 0xa5, big); /* stale bytes must not leak into padding */
	n = fn(ref, big, arg);
	assert_true(n > 0);
	tw_check_blob(ref, n);
	for (size_t size = 0; size < (size_t)n + 64; size++) {
		uint8_t *buf = malloc(size);
		int ret;

		assert_true(buf != NULL || size == 0);
		memset(buf, 0xa5, size);
		ret = fn(buf, size, arg);
		if (size < (size_t)n) {
			if (ret != VIREO_ENOSPC) {
				fail_msg("size %zu of %d: %d, not VIREO_ENOSPC", size, n, ret);
			}
		} else {
			assert_int_equal(ret, n);
			assert_memory_equal(buf, ref, (size_t)n);
		}
		free(buf);
	}
	free(ref);
	return n;
}

static void compare_props(const uint8_t *a, int na, const uint8_t *b, int nb)
{
	int pa = ref_first_prop(a, na);
	int pb = ref_first_prop(b, nb);

	while (pa >= 0) {
		const char *name_a, *name_b;
		int len_a, len_b;
		const void *va = ref_prop(a, pa, &name_a, &len_a);
		const void *vb;

		assert_true(pb >= 0);
		vb = ref_prop(b, pb, &name_b, &len_b);
		assert_non_null(va);
		assert_non_null(vb);
		assert_string_equal(name_a, name_b);
		assert_int_equal(len_a, len_b);
		assert_memory_equal(va, vb, (size_t)len_a);
		pa = ref_next_prop(a, pa);
		pb = ref_next_prop(b, pb);
	}
	assert_true(pb < 0);
}

void tw_compare_trees(const void *a, const void *b)
{
	struct ref_header ha, hb;
	int da = -1, db = -1;
	int na = ref_next_node(a, -1, &da);
	int nb = ref_next_node(b, -1, &db);
	int i;

	ref_header(a, &ha);
	ref_header(b, &hb);
	assert_int_equal(ha.boot_cpuid, hb.boot_cpuid);
	assert_int_equal(ref_rsv_count(a), ref_rsv_count(b));
	for (i = 0; i < ref_rsv_count(a); i++) {
		uint64_t aa, as, ba, bs;

		assert_int_equal(ref_rsv(a, i, &aa, &as), 0);
		assert_int_equal(ref_rsv(b, i, &ba, &bs), 0);
		assert_int_equal(aa, ba);
		assert_int_equal(as, bs);
	}
	while (na >= 0 && da >= 0) {
		assert_true(nb >= 0 && db >= 0);
		assert_int_equal(da, db);
		assert_string_equal(ref_node_name(a, na), ref_node_name(b, nb));
		compare_props(a, na, b, nb);
		na = ref_next_node(a, na, &da);
		nb = ref_next_node(b, nb, &db);
	}
	assert_true(nb < 0 || db < 0);
}

int tw_copy_tree(const void *src, void *buf, size_t size)
{
	struct ref_header h;
	struct fdtw w;
	int depth = -1;
	int open = 0;
	int node = ref_next_node(src, -1, &depth);
	int i;

	ref_header(src, &h);
	fdtw_init(&w, buf, size, h.boot_cpuid);
	for (i = 0; i < ref_rsv_count(src); i++) {
		uint64_t a, s;

		assert_int_equal(ref_rsv(src, i, &a, &s), 0);
		fdtw_reserve(&w, a, s);
	}
	while (node >= 0 && depth >= 0) {
		int prop;

		/* The next node is a sibling or an ancestor's sibling: close down to its parent. */
		for (; open > depth; open--) {
			fdtw_end_node(&w);
		}
		fdtw_begin_node(&w, ref_node_name(src, node));
		open++;
		for (prop = ref_first_prop(src, node); prop >= 0; prop = ref_next_prop(src, prop)) {
			const char *name;
			int len;
			const void *v = ref_prop(src, prop, &name, &len);

			assert_non_null(v);
			fdtw_prop(&w, name, v, (uint32_t)len);
		}
		node = ref_next_node(src, node, &depth);
	}
	for (; open > 0; open--) {
		fdtw_end_node(&w);
	}
	return fdtw_finish(&w);
}

int tw_node(const void *blob, const char *path)
{
	int node = ref_path_offset(blob, path);

	if (node < 0) {
		fail_msg("libfdt: no %s (%d)", path, node);
	}
	return node;
}

const uint8_t *tw_prop(const void *blob, const char *path, const char *name, int len)
{
	int got;
	const uint8_t *v = ref_getprop(blob, tw_node(blob, path), name, &got);

	if (v == NULL || got != len) {
		fail_msg("%s:%s: length %d, expected %d", path, name, v != NULL ? got : -1, len);
	}
	return v;
}

uint32_t tw_u32(const void *blob, const char *path, const char *name)
{
	return get_be32(tw_prop(blob, path, name, 4), 0);
}

uint64_t tw_u64(const void *blob, const char *path, const char *name)
{
	const uint8_t *v = tw_prop(blob, path, name, 8);

	return ((uint64_t)get_be32(v, 0) << 32) | get_be32(v, 4);
}

void tw_str(const void *blob, const char *path, const char *name, const char *want)
{
	assert_string_equal(tw_prop(blob, path, name, (int)strlen(want) + 1), want);
}

bool tw_has(const void *blob, const char *path, const char *name)
{
	int len;

	return ref_getprop(blob, tw_node(blob, path), name, &len) != NULL;
}

unsigned int tw_prop_count(const void *blob, const char *path)
{
	unsigned int n = 0;

	for (int p = ref_first_prop(blob, tw_node(blob, path)); p >= 0;
	     p = ref_next_prop(blob, p)) {
		n++;
	}
	return n;
}

/* Runs a shell command; returns its output (stdout and stderr) and its exit status. */
static char *run(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	size_t cap = 4096, len = 0;
	char *out = malloc(cap);
	size_t got;

	assert_non_null(p);
	assert_non_null(out);
	while ((got = fread(out + len, 1, cap - len - 1, p)) > 0) {
		len += got;
		if (cap - len < 2) {
			cap *= 2;
			out = realloc(out, cap);
			assert_non_null(out);
		}
	}
	out[len] = '\0';
	*status = pclose(p);
	return out;
}

static void write_file(const char *path, const void *data, size_t size)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, size, fp), size);
	assert_int_equal(fclose(fp), 0);
}

/* Reads a whole file into a NUL-terminated heap buffer. */
static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *data;
	long len;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	assert_true(len > 0);
	rewind(fp);
	data = malloc((size_t)len + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	data[len] = 0;
	*size = (size_t)len;
	return data;
}

/* Converts with dtc from one temporary file to another; any output (a warning) fails the test. */
static uint8_t *dtc_convert(const void *in_data, size_t in_size, const char *from, const char *to,
                            const char *options, size_t *out_size)
{
	char in[] = "/tmp/vireo-fdtw-XXXXXX";
	char out[64];
	char cmd[512];
	uint8_t *data;
	char *msg;
	int fd, status;

	if (system("command -v dtc >/dev/null 2>&1") != 0) {
		fail_msg("dtc not found (Debian package device-tree-compiler; make deps)");
	}
	fd = mkstemp(in);
	assert_true(fd >= 0);
	close(fd);
	write_file(in, in_data, in_size);
	snprintf(out, sizeof(out), "%s.out", in);
	snprintf(cmd, sizeof(cmd), "dtc -I %s -O %s %s -o %s %s 2>&1", from, to, options, out, in);
	msg = run(cmd, &status);
	if (status != 0 || msg[0] != '\0') {
		fail_msg("%s: status %d: %s", cmd, status, msg);
	}
	free(msg);
	data = read_file(out, out_size);
	unlink(in);
	unlink(out);
	return data;
}

char *tw_dtc_decompile(const void *blob, size_t size, const char *options)
{
	size_t len;

	return (char *)dtc_convert(blob, size, "dtb", "dts", options, &len);
}

uint8_t *tw_dtc_compile(const char *dts, const char *options, size_t *size)
{
	return dtc_convert(dts, strlen(dts), "dts", "dtb", options, size);
}
