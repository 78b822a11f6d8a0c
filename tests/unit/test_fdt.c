/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lib/fdt.c on the host. Real trees come from QEMU (tests/unit/gen-dtbs.sh, read from
 * $VIREO_DTB_DIR, default build/host/dtb) and are walked side by side with the host libfdt
 * (fdt_libfdt_ref.c); hand-built blobs (fdt_builder.c) cover v16 headers, reservations and
 * malformed structure; truncations, targeted corruptions and a seeded fuzz loop run on
 * exactly-sized heap copies so ASan sees any read past the buffer.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/fdt.h>

#include "fdt_builder.h"
#include "fdt_libfdt_ref.h"

#define MAX_DTBS 64

struct dtb {
	char name[128];
	uint8_t *data; /* the whole file; QEMU pads the dump past totalsize */
	size_t file_size;
	uint32_t total; /* header totalsize */
};

static struct dtb dtbs[MAX_DTBS];
static unsigned int dtb_count;
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

/* Loads every *.dtb once; a test that needs real trees fails (not skips) when there are none. */
static void need_dtbs(void)
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

static const struct dtb *find_dtb(const char *name)
{
	unsigned int i;

	for (i = 0; i < dtb_count; i++) {
		if (strcmp(dtbs[i].name, name) == 0) {
			return &dtbs[i];
		}
	}
	return NULL;
}

/* An exactly-sized heap copy: one byte past len is an ASan error. */
static uint8_t *copy_exact(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len);

	assert_true(p != NULL || len == 0);
	if (len != 0) {
		memcpy(p, src, len);
	}
	return p;
}

static void open_ok(struct fdt *f, const void *blob, size_t size)
{
	int ret = fdt_open(f, blob, size);

	if (ret != 0) {
		fail_msg("fdt_open: %d (%s)", ret, vireo_strerror(ret));
	}
}

/* Document-order successor using only first_child / next_sibling / parent. */
static int our_next(const struct fdt *f, int node, int *depth)
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

/*
 * Walks the whole tree with Vireo's API and with libfdt in lockstep. strict: the blob is a sane
 * tree (unique paths), so path lookups and phandles must land on the node itself; fuzzed blobs
 * only need both readers to agree. Returns the node count.
 */
static unsigned int crosscheck(const struct fdt *f, bool strict)
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

/* Every match of compat, in order, must be the same with both readers. Returns the count. */
static unsigned int crosscheck_compatible(const struct fdt *f, const char *compat)
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

static unsigned int crosscheck_device_type(const struct fdt *f, const char *type)
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

static const char *const compat_list[] = {
	"ns16550a",	   "riscv,plic0",   "sifive,plic-1.0.0", "riscv,aplic",   "riscv,imsics",
	"syscon-poweroff", "syscon-reboot", "riscv",		 "riscv,cpu-intc", "virtio,mmio",
	"simple-bus",	   "riscv-virtio",  "sifive,clint0",	 "riscv,plic",	   "ns16550",
	"syscon",	   "no,such-device",
};

static void test_dtbs_present(void **state)
{
	unsigned int i;

	(void)state;
	need_dtbs();
	assert_non_null(find_dtb("virt"));
	for (i = 0; i < dtb_count; i++) {
		print_message("dtb %s: %u bytes\n", dtbs[i].name, dtbs[i].total);
	}
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(vireo_strerror(VIREO_EINVAL), "invalid argument");
	assert_string_equal(vireo_strerror(VIREO_ENOENT), "no such object");
	assert_string_equal(vireo_strerror(VIREO_ETRUNC), "data truncated");
	assert_string_equal(vireo_strerror(VIREO_ENOSPC), "no space left");
	assert_string_equal(vireo_strerror(0), "success");
	assert_string_equal(vireo_strerror(-99), "unknown error");
	assert_string_equal(vireo_strerror(1), "unknown error");
}

/* The parsed header matches libfdt's view; QEMU's trees have an empty reservation map. */
static void test_open_real(void **state)
{
	unsigned int i;

	(void)state;
	need_dtbs();
	for (i = 0; i < dtb_count; i++) {
		const struct dtb *d = &dtbs[i];
		struct ref_header h;
		struct fdt f;
		uint64_t a, s;
		int j;

		assert_int_equal(ref_check_full(d->data, d->file_size), 0);
		ref_header(d->data, &h);
		open_ok(&f, d->data, d->file_size);
		assert_ptr_equal(f.blob, d->data);
		assert_int_equal(f.size, h.totalsize);
		assert_int_equal(f.off_struct, h.off_struct);
		assert_int_equal(f.size_struct, h.size_struct);
		assert_int_equal(f.off_strings, h.off_strings);
		assert_int_equal(f.size_strings, h.size_strings);
		assert_int_equal(f.off_rsvmap, h.off_rsvmap);
		assert_int_equal(f.boot_cpuid, h.boot_cpuid);
		assert_int_equal(h.version, 17);
		assert_int_equal(f.rsvmap_count, ref_rsv_count(d->data));
		for (j = 0; j < ref_rsv_count(d->data); j++) {
			uint64_t ra, rs;

			assert_int_equal(ref_rsv(d->data, j, &ra, &rs), 0);
			assert_int_equal(fdt_rsvmap_entry(&f, (unsigned int)j, &a, &s), 0);
			assert_int_equal(a, ra);
			assert_int_equal(s, rs);
		}
		assert_int_equal(fdt_rsvmap_entry(&f, f.rsvmap_count, &a, &s), VIREO_ENOENT);
		/* Exactly totalsize bytes are enough. */
		open_ok(&f, d->data, d->total);
	}
}

static void test_crosscheck_real(void **state)
{
	unsigned int i, j;

	(void)state;
	need_dtbs();
	for (i = 0; i < dtb_count; i++) {
		struct fdt f;
		unsigned int nodes;

		open_ok(&f, dtbs[i].data, dtbs[i].total);
		nodes = crosscheck(&f, true);
		assert_true(nodes >= 20);
		for (j = 0; j < sizeof(compat_list) / sizeof(compat_list[0]); j++) {
			crosscheck_compatible(&f, compat_list[j]);
		}
		assert_true(crosscheck_device_type(&f, "cpu") >= 1);
		assert_int_equal(crosscheck_device_type(&f, "memory"), 1);
		assert_int_equal(crosscheck_device_type(&f, "pci"), 1);
		assert_int_equal(crosscheck_device_type(&f, "cp"), 0);
		assert_int_equal(crosscheck_device_type(&f, "no-such-type"), 0);
	}
}

enum irqchip { PLIC, APLIC, APLIC_IMSIC };

/* What gen-dtbs.sh asked QEMU for, so each tree can be checked for concrete values. */
static const struct variant {
	const char *name;
	unsigned int cpus;
	uint64_t mem;
	enum irqchip irq;
	unsigned int guest_bits; /* riscv,guest-index-bits of the S-level IMSIC, 0 if absent */
	bool has_h;
} variants[] = {
	{ "virt", 1, 128ull << 20, PLIC, 0, true },
	{ "virt-smp1", 1, 128ull << 20, PLIC, 0, true },
	{ "virt-smp2", 2, 128ull << 20, PLIC, 0, true },
	{ "virt-smp4", 4, 128ull << 20, PLIC, 0, true },
	{ "virt-smp8", 8, 128ull << 20, PLIC, 0, true },
	{ "virt-m256M", 1, 256ull << 20, PLIC, 0, true },
	{ "virt-m1G", 1, 1ull << 30, PLIC, 0, true },
	{ "virt-m3G", 1, 3ull << 30, PLIC, 0, true },
	{ "virt-aplic", 2, 128ull << 20, APLIC, 0, true },
	{ "virt-aplic-imsic", 2, 128ull << 20, APLIC_IMSIC, 0, true },
	{ "virt-aplic-imsic-guests2", 4, 128ull << 20, APLIC_IMSIC, 2, true },
	{ "virt-noh", 1, 128ull << 20, PLIC, 0, false },
};

static int path_ok(const struct fdt *f, const char *path)
{
	int node = fdt_path_offset(f, path);

	if (node < 0) {
		fail_msg("%s: %d", path, node);
	}
	return node;
}

static void check_reg(const struct fdt *f, int node, unsigned int index, uint64_t addr,
		      uint64_t size)
{
	uint64_t a = ~0ull, s = ~0ull;

	assert_int_equal(fdt_reg(f, node, index, &a, &s), 0);
	assert_int_equal(a, addr);
	assert_int_equal(s, size);
}

static void check_cpus(const struct fdt *f, const struct variant *v)
{
	unsigned int n = 0;
	int cpus = path_ok(f, "/cpus");
	int node;
	uint32_t u;

	assert_int_equal(fdt_address_cells(f, cpus), 1);
	assert_int_equal(fdt_size_cells(f, cpus), 0);
	assert_int_equal(fdt_prop_u32(f, cpus, "timebase-frequency", &u), 0);
	assert_int_equal(u, 10000000);
	for (node = fdt_next_device_type(f, -1, "cpu"); node >= 0;
	     node = fdt_next_device_type(f, node, "cpu")) {
		const char *isa = fdt_prop_string(f, node, "riscv,isa");
		const char *ext_end;
		char expect[32];
		int intc;
		uint32_t ph;

		snprintf(expect, sizeof(expect), "cpu@%u", n);
		assert_string_equal(fdt_node_name(f, node), expect);
		assert_int_equal(fdt_parent(f, node), cpus);
		check_reg(f, node, 0, n, 0);
		assert_true(fdt_node_is_enabled(f, node));
		assert_true(fdt_prop_list_contains(f, node, "compatible", "riscv"));
		assert_non_null(isa);
		assert_memory_equal(isa, "rv64ima", 7);
		ext_end = strchr(isa, '_');
		assert_non_null(ext_end);
		assert_true((memchr(isa + 4, 'h', (size_t)(ext_end - isa - 4)) != NULL) == v->has_h);
		/* The per-hart interrupt controller is reachable through its phandle. */
		intc = fdt_first_child(f, node);
		assert_string_equal(fdt_node_name(f, intc), "interrupt-controller");
		assert_int_equal(fdt_prop_u32(f, intc, "phandle", &ph), 0);
		assert_int_equal(fdt_node_by_phandle(f, ph), intc);
		assert_true(fdt_prop_list_contains(f, intc, "compatible", "riscv,cpu-intc"));
		assert_true(fdt_has_prop(f, intc, "interrupt-controller"));
		n++;
	}
	assert_int_equal(n, v->cpus);
	assert_int_equal(fdt_path_offset(f, "/cpus/cpu"), v->cpus == 1 ? path_ok(f, "/cpus/cpu@0")
								       : VIREO_ENOENT);
}

static void check_irqchip(const struct fdt *f, const struct variant *v)
{
	unsigned int plic = crosscheck_compatible(f, "riscv,plic0");
	unsigned int aplic = crosscheck_compatible(f, "riscv,aplic");
	unsigned int imsic = crosscheck_compatible(f, "riscv,imsics");
	uint32_t u;
	int m, s;

	assert_int_equal(plic, v->irq == PLIC ? 1 : 0);
	assert_int_equal(aplic, v->irq == PLIC ? 0 : 2);
	assert_int_equal(imsic, v->irq == APLIC_IMSIC ? 2 : 0);
	if (v->irq == PLIC) {
		m = path_ok(f, "/soc/plic@c000000");
		assert_int_equal(fdt_next_compatible(f, -1, "sifive,plic-1.0.0"), m);
		check_reg(f, m, 0, 0xc000000, 0x600000);
		assert_int_equal(fdt_prop_u32(f, m, "riscv,ndev", &u), 0);
		assert_int_equal(u, 0x60);
		return;
	}
	/* Spec'd by QEMU: the M-level APLIC delegates to the S-level one named in riscv,children. */
	m = path_ok(f, "/soc/aplic@c000000");
	s = path_ok(f, "/soc/aplic@d000000");
	assert_int_equal(fdt_prop_u32(f, m, "riscv,children", &u), 0);
	assert_int_equal(fdt_node_by_phandle(f, u), s);
	check_reg(f, s, 0, 0xd000000, 0x8000);
	if (v->irq == APLIC_IMSIC) {
		int ms = path_ok(f, "/soc/imsics@24000000");
		int ss = path_ok(f, "/soc/imsics@28000000");

		assert_int_equal(fdt_prop_u32(f, m, "msi-parent", &u), 0);
		assert_int_equal(fdt_node_by_phandle(f, u), ms);
		assert_int_equal(fdt_prop_u32(f, s, "msi-parent", &u), 0);
		assert_int_equal(fdt_node_by_phandle(f, u), ss);
		assert_int_equal(fdt_prop_u32(f, ss, "riscv,guest-index-bits", &u),
				 v->guest_bits != 0 ? 0 : VIREO_ENOENT);
		if (v->guest_bits != 0) {
			assert_int_equal(u, v->guest_bits);
		}
	} else {
		assert_false(fdt_has_prop(f, m, "msi-parent"));
	}
}

static void test_qemu_values(void **state)
{
	unsigned int i, matched = 0;

	(void)state;
	need_dtbs();
	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		const struct variant *v = &variants[i];
		const struct dtb *d = find_dtb(v->name);
		struct fdt f;
		int root, mem, uart, chosen, poweroff, test;
		uint32_t u;
		uint64_t u64;

		if (d == NULL) {
			continue;
		}
		matched++;
		open_ok(&f, d->data, d->total);
		root = fdt_root(&f);
		assert_int_equal(root, 0);
		assert_string_equal(fdt_node_name(&f, root), "");
		assert_int_equal(path_ok(&f, "/"), root);
		assert_int_equal(fdt_address_cells(&f, root), 2);
		assert_int_equal(fdt_size_cells(&f, root), 2);
		assert_string_equal(fdt_prop_string(&f, root, "compatible"), "riscv-virtio");
		assert_string_equal(fdt_prop_string(&f, root, "model"), "riscv-virtio,qemu");

		mem = path_ok(&f, "/memory@80000000");
		assert_int_equal(path_ok(&f, "/memory"), mem);
		assert_int_equal(fdt_next_device_type(&f, -1, "memory"), mem);
		check_reg(&f, mem, 0, 0x80000000, v->mem);
		assert_int_equal(fdt_reg(&f, mem, 1, NULL, NULL), VIREO_ENOENT);

		uart = path_ok(&f, "/soc/serial@10000000");
		assert_int_equal(fdt_next_compatible(&f, -1, "ns16550a"), uart);
		assert_int_equal(fdt_next_compatible(&f, uart, "ns16550a"), VIREO_ENOENT);
		check_reg(&f, uart, 0, 0x10000000, 0x100);
		assert_int_equal(fdt_prop_u32(&f, uart, "clock-frequency", &u), 0);
		assert_int_equal(u, 3686400);
		assert_true(fdt_node_is_enabled(&f, uart));

		chosen = path_ok(&f, "/chosen");
		assert_string_equal(fdt_prop_string(&f, chosen, "stdout-path"),
				    "/soc/serial@10000000");
		assert_int_equal(fdt_path_offset(&f, fdt_prop_string(&f, chosen, "stdout-path")),
				 uart);
		assert_int_equal(fdt_prop_u64(&f, chosen, "rng-seed", &u64), VIREO_EINVAL);

		/* /poweroff writes 0x5555 through the syscon that regmap points at. */
		poweroff = fdt_next_compatible(&f, -1, "syscon-poweroff");
		assert_int_equal(poweroff, path_ok(&f, "/poweroff"));
		test = path_ok(&f, "/soc/test@100000");
		assert_int_equal(fdt_prop_u32(&f, poweroff, "regmap", &u), 0);
		assert_int_equal(fdt_node_by_phandle(&f, u), test);
		assert_int_equal(fdt_prop_u32(&f, poweroff, "value", &u), 0);
		assert_int_equal(u, 0x5555);
		assert_true(fdt_prop_list_contains(&f, test, "compatible", "sifive,test0"));
		assert_true(fdt_prop_list_contains(&f, test, "compatible", "syscon"));
		assert_false(fdt_prop_list_contains(&f, test, "compatible", "sifive,test"));
		assert_int_equal(fdt_next_compatible(&f, -1, "syscon"), test);

		/* PCI has three address cells: reg decoding of its children would be refused. */
		assert_int_equal(fdt_address_cells(&f, path_ok(&f, "/soc/pci@30000000")), 3);
		assert_true(fdt_has_prop(&f, path_ok(&f, "/soc/pci@30000000"), "dma-coherent"));

		check_cpus(&f, v);
		check_irqchip(&f, v);
	}
	assert_true(matched >= 1);
}

static void test_path_lookup(void **state)
{
	const struct dtb *d;
	struct fdt f;
	int soc, virtio;

	(void)state;
	need_dtbs();
	d = find_dtb("virt");
	assert_non_null(d);
	open_ok(&f, d->data, d->total);
	soc = path_ok(&f, "/soc");
	assert_int_equal(path_ok(&f, "//soc//"), soc);
	assert_int_equal(path_ok(&f, "/soc/"), soc);
	assert_int_equal(path_ok(&f, "/soc/serial"), path_ok(&f, "/soc/serial@10000000"));
	assert_int_equal(path_ok(&f, "/soc/plic"), path_ok(&f, "/soc/plic@c000000"));
	/* Eight virtio_mmio@ nodes: the bare name is ambiguous. */
	assert_int_equal(fdt_path_offset(&f, "/soc/virtio_mmio"), VIREO_ENOENT);
	virtio = path_ok(&f, "/soc/virtio_mmio@10001000");
	assert_int_equal(fdt_parent(&f, virtio), soc);
	assert_int_equal(fdt_path_offset(&f, "/soc/virtio_mmio@1000100"), VIREO_ENOENT);
	assert_int_equal(fdt_path_offset(&f, "/soc/serial@"), VIREO_ENOENT);
	assert_int_equal(fdt_path_offset(&f, "/so"), VIREO_ENOENT);
	assert_int_equal(fdt_path_offset(&f, "/socx"), VIREO_ENOENT);
	assert_int_equal(fdt_path_offset(&f, "/chosen/x"), VIREO_ENOENT);
	assert_int_equal(fdt_path_offset(&f, "soc"), VIREO_ENOENT);
	assert_int_equal(fdt_path_offset(&f, ""), VIREO_ENOENT);
	assert_int_equal(fdt_path_offset(&f, NULL), VIREO_ENOENT);
	assert_int_equal(path_ok(&f, "/cpus/cpu-map/cluster0/core0"),
			 fdt_first_child(&f, path_ok(&f, "/cpus/cpu-map/cluster0")));
}

/* Node offsets that are not nodes are refused, never dereferenced past the blob. */
static void test_bad_node_offsets(void **state)
{
	const int bad[] = { -1, -100, 1, 2, 3, 4, 8, 0x7ffffffc, 0x7fffffff };
	const struct dtb *d;
	struct fdt_prop p;
	struct fdt f;
	uint64_t a, s;
	uint32_t u;
	unsigned int i;

	(void)state;
	need_dtbs();
	d = find_dtb("virt");
	assert_non_null(d);
	open_ok(&f, d->data, d->total);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int n = bad[i];

		assert_int_equal(fdt_first_child(&f, n), VIREO_EINVAL);
		assert_int_equal(fdt_next_sibling(&f, n), VIREO_EINVAL);
		assert_int_equal(fdt_parent(&f, n), VIREO_EINVAL);
		assert_null(fdt_node_name(&f, n));
		assert_int_equal(fdt_prop_at(&f, n, 0, &p), VIREO_EINVAL);
		assert_null(fdt_getprop(&f, n, "reg", NULL));
		assert_int_equal(fdt_prop_u32(&f, n, "phandle", &u), VIREO_ENOENT);
		assert_false(fdt_node_is_enabled(&f, n));
		assert_int_equal(fdt_reg(&f, n, 0, &a, &s), VIREO_ENOENT);
		if (n != -1) {
			assert_int_equal(fdt_next_compatible(&f, n, "ns16550a"), VIREO_EINVAL);
		}
	}
	assert_int_equal(fdt_node_by_phandle(&f, 0), VIREO_ENOENT);
	assert_int_equal(fdt_node_by_phandle(&f, 0xffffffffu), VIREO_ENOENT);
	assert_int_equal(fdt_node_by_phandle(&f, 0x12345), VIREO_ENOENT);
	assert_int_equal(fdt_read_cells("\x01\x02\x03\x04\x05\x06\x07\x08", 0, 3), 0);
	assert_int_equal(fdt_read_cells("\x01\x02\x03\x04\x05\x06\x07\x08", 1, 1), 0x05060708);
	assert_int_equal(fdt_read_cells("\x01\x02\x03\x04\x05\x06\x07\x08", 0, 2),
			 0x0102030405060708ull);
}

/* Every proper prefix of a real blob is refused, with the buffer or totalsize cut to it. */
static void test_truncation(void **state)
{
	unsigned int i;

	(void)state;
	need_dtbs();
	for (i = 0; i < dtb_count; i++) {
		const struct dtb *d = &dtbs[i];
		struct fdt f;
		uint32_t len;

		for (len = 0; len < d->total; len++) {
			uint8_t *buf = copy_exact(d->data, len);

			if (fdt_open(&f, buf, len) == 0) {
				fail_msg("%s: open succeeded with %u of %u bytes", d->name, len,
					 d->total);
			}
			/* Claim the cut size in the header too, so the block checks are reached. */
			if (len >= 40) {
				put_be32(buf, 4, len);
				if (fdt_open(&f, buf, len) == 0) {
					fail_msg("%s: totalsize %u accepted", d->name, len);
				}
			}
			free(buf);
		}
		open_ok(&f, d->data, d->total);
	}
}

/* Corruptions of the default tree, each patched into a fresh exact copy. */
struct corruption {
	const char *what;
	int expect;
	void (*apply)(uint8_t *b, const struct ref_header *h);
};

static size_t tag_at(const uint8_t *b, const struct ref_header *h, uint32_t tag, int nth)
{
	int off = ref_find_tag(b, tag, nth);

	assert_true(off >= 0);
	return h->off_struct + (size_t)off;
}

static void c_magic(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	b[3] ^= 1;
}

static void c_version15(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	put_be32(b, 20, 15);
}

static void c_last_comp18(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	put_be32(b, 24, 18);
}

static void c_totalsize_big(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 4, h->totalsize + 1);
}

static void c_totalsize_small(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	put_be32(b, 4, 39);
}

static void c_totalsize_huge(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	put_be32(b, 4, 0x80000000u);
}

static void c_struct_beyond(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 8, (h->totalsize + 4) & ~3u);
}

static void c_struct_misaligned(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 8, h->off_struct + 2);
}

static void c_struct_in_header(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	put_be32(b, 8, 36);
}

static void c_strings_beyond(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 12, h->totalsize + 1);
}

static void c_strings_size(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 32, h->size_strings + 1);
}

static void c_size_struct_wrap(uint8_t *b, const struct ref_header *h)
{
	/* off_dt_struct + size_dt_struct wraps to a small number in 32 bits. */
	put_be32(b, 36, 0xffffffffu - h->off_struct + 9);
}

static void c_size_struct_big(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 36, h->totalsize - h->off_struct + 4);
}

static void c_rsvmap_misaligned(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 16, h->off_rsvmap + 4);
}

static void c_rsvmap_in_header(uint8_t *b, const struct ref_header *h)
{
	(void)h;
	put_be32(b, 16, 32);
}

static void c_rsvmap_beyond(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, 16, (h->totalsize + 8) & ~7u);
}

static void c_rsvmap_unterminated(uint8_t *b, const struct ref_header *h)
{
	/* The terminator becomes an entry; what follows is the structure block, not a zero pair. */
	b[h->off_rsvmap + 7] = 1;
}

static void c_prop_len(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_PROP, 0) + 4, h->size_struct);
}

static void c_prop_len_huge(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_PROP, 3) + 4, 0xfffffffcu);
}

static void c_prop_len_wraps(uint8_t *b, const struct ref_header *h)
{
	/* value end + len wraps around 2^32 back onto this same property: a loop if unchecked. */
	put_be32(b, tag_at(b, h, TOK_PROP, 1) + 4, 0xfffffff4u);
}

static void c_nameoff(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_PROP, 0) + 8, h->size_strings);
}

static void c_nameoff_huge(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_PROP, 2) + 8, 0xffffffffu);
}

static void c_strings_unterminated(uint8_t *b, const struct ref_header *h)
{
	/* Drop the last string's NUL from the block; a property still names that string. */
	put_be32(b, 32, h->size_strings - 1);
}

static void c_name_unterminated(uint8_t *b, const struct ref_header *h)
{
	/* The structure block ends two bytes into the first child's name. */
	put_be32(b, 36, (uint32_t)(tag_at(b, h, TOK_BEGIN_NODE, 1) - h->off_struct) + 6);
}

static void c_no_end(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, h->off_struct + h->size_struct - 4, TOK_NOP);
}

static void c_extra_end_node(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, h->off_struct + h->size_struct - 4, TOK_END_NODE);
}

static void c_missing_end_node(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_END_NODE, 0), TOK_NOP);
}

static void c_unknown_token(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_END_NODE, 2), 0x5);
}

static void c_zero_token(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_PROP, 5), 0);
}

static void c_end_early(uint8_t *b, const struct ref_header *h)
{
	put_be32(b, tag_at(b, h, TOK_END_NODE, 4), TOK_END);
}

static void c_prop_before_root(uint8_t *b, const struct ref_header *h)
{
	/* The root's tag becomes a property tag: a property outside any node. */
	size_t root = h->off_struct;

	assert_int_equal(get_be32(b, root), TOK_BEGIN_NODE);
	put_be32(b, root, TOK_PROP);
}

static const struct corruption corruptions[] = {
	{ "bad magic", VIREO_EINVAL, c_magic },
	{ "version 15", VIREO_EINVAL, c_version15 },
	{ "last_comp_version 18", VIREO_EINVAL, c_last_comp18 },
	{ "totalsize > buffer", VIREO_ETRUNC, c_totalsize_big },
	{ "totalsize < header", VIREO_EINVAL, c_totalsize_small },
	{ "totalsize >= 2 GiB", VIREO_EINVAL, c_totalsize_huge },
	{ "off_dt_struct beyond end", VIREO_ETRUNC, c_struct_beyond },
	{ "off_dt_struct misaligned", VIREO_EINVAL, c_struct_misaligned },
	{ "off_dt_struct inside header", VIREO_EINVAL, c_struct_in_header },
	{ "off_dt_strings beyond end", VIREO_ETRUNC, c_strings_beyond },
	{ "size_dt_strings past end", VIREO_ETRUNC, c_strings_size },
	{ "size_dt_struct wraps", VIREO_ETRUNC, c_size_struct_wrap },
	{ "size_dt_struct past end", VIREO_ETRUNC, c_size_struct_big },
	{ "off_mem_rsvmap misaligned", VIREO_EINVAL, c_rsvmap_misaligned },
	{ "off_mem_rsvmap inside header", VIREO_EINVAL, c_rsvmap_in_header },
	{ "off_mem_rsvmap beyond end", VIREO_ETRUNC, c_rsvmap_beyond },
	{ "rsvmap unterminated", VIREO_ETRUNC, c_rsvmap_unterminated },
	{ "prop len past struct block", VIREO_EINVAL, c_prop_len },
	{ "prop len 0xfffffffc", VIREO_EINVAL, c_prop_len_huge },
	{ "prop len wraps back", VIREO_EINVAL, c_prop_len_wraps },
	{ "nameoff = size_dt_strings", VIREO_EINVAL, c_nameoff },
	{ "nameoff 0xffffffff", VIREO_EINVAL, c_nameoff_huge },
	{ "last string unterminated", VIREO_EINVAL, c_strings_unterminated },
	{ "node name unterminated", VIREO_EINVAL, c_name_unterminated },
	{ "no FDT_END", VIREO_EINVAL, c_no_end },
	{ "extra FDT_END_NODE", VIREO_EINVAL, c_extra_end_node },
	{ "missing FDT_END_NODE", VIREO_EINVAL, c_missing_end_node },
	{ "unknown token 5", VIREO_EINVAL, c_unknown_token },
	{ "token 0", VIREO_EINVAL, c_zero_token },
	{ "FDT_END inside the tree", VIREO_EINVAL, c_end_early },
	{ "property before the root", VIREO_EINVAL, c_prop_before_root },
};

static void test_corruptions(void **state)
{
	const struct dtb *d;
	struct ref_header h;
	unsigned int i;

	(void)state;
	need_dtbs();
	d = find_dtb("virt");
	assert_non_null(d);
	ref_header(d->data, &h);
	for (i = 0; i < sizeof(corruptions) / sizeof(corruptions[0]); i++) {
		uint8_t *b = copy_exact(d->data, d->total);
		struct fdt f;
		int ret;

		corruptions[i].apply(b, &h);
		memset(&f, 0x5a, sizeof(f));
		ret = fdt_open(&f, b, d->total);
		if (ret != corruptions[i].expect) {
			fail_msg("%s: fdt_open %d, want %d", corruptions[i].what, ret,
				 corruptions[i].expect);
		}
		/* A failed open leaves *fdt alone. */
		assert_ptr_equal(f.blob, (const uint8_t *)(uintptr_t)0x5a5a5a5a5a5a5a5aull);
		free(b);
	}
}

/*
 * A tree with every property shape the accessors distinguish:
 * / { #address-cells = <1>; #size-cells = <1>; compatible = "vireo,test", "vireo,base";
 *     reg = <0 0x10 0x20>;   (the root has no parent: default 2/1 cells)
 *     a@1000 { reg = <0x1000 0x100 0x2000 0x200>; status = "okay"; phandle = <5>; };
 *     b { status = ""; };  b@1 { status = "disabled"; linux,phandle = <6>; };
 *     b@2 { status = "ok"; reg = <2 0x10>; };
 *     c { #address-cells = <2>; #size-cells = <0>;
 *         d@1 { reg = <0 1>; u64 = <1 2>; short = [01 02 03]; empty; torn = [61 62 63];
 *               list = "x", "yz"; };
 *         e { #address-cells = <3>; f { reg = <1 2 3>; }; };
 *         g { reg = <1 2 3>; }; }; }
 * with NOPs between properties and between nodes, and three reservations.
 */
static uint8_t *build_tree(uint32_t version, size_t *size)
{
	static struct fdtb b;

	fdtb_init(&b);
	fdtb_rsv(&b, 0x80000000, 0x200000);
	fdtb_rsv(&b, 0, 0x1000);
	fdtb_rsv(&b, 0xffffffff00000000ull, 0x1234);
	fdtb_begin(&b, "");
	fdtb_prop_u32(&b, "#address-cells", 1);
	fdtb_prop_u32(&b, "#size-cells", 1);
	fdtb_token(&b, TOK_NOP);
	fdtb_prop(&b, "compatible", "vireo,test\0vireo,base", 22);
	fdtb_prop_cells(&b, "reg", 3, (const uint32_t[]){ 0, 0x10, 0x20 });
	fdtb_begin(&b, "a@1000");
	fdtb_prop_cells(&b, "reg", 4, (const uint32_t[]){ 0x1000, 0x100, 0x2000, 0x200 });
	fdtb_prop_str(&b, "status", "okay");
	fdtb_prop_u32(&b, "phandle", 5);
	fdtb_end(&b);
	fdtb_begin(&b, "b");
	fdtb_prop_str(&b, "status", "");
	fdtb_end(&b);
	fdtb_token(&b, TOK_NOP);
	fdtb_begin(&b, "b@1");
	fdtb_prop_str(&b, "status", "disabled");
	fdtb_prop_u32(&b, "linux,phandle", 6);
	fdtb_end(&b);
	fdtb_begin(&b, "b@2");
	fdtb_prop_str(&b, "status", "ok");
	fdtb_prop_cells(&b, "reg", 2, (const uint32_t[]){ 2, 0x10 });
	fdtb_end(&b);
	fdtb_begin(&b, "c");
	fdtb_prop_u32(&b, "#address-cells", 2);
	fdtb_prop_u32(&b, "#size-cells", 0);
	fdtb_begin(&b, "d@1");
	fdtb_prop_cells(&b, "reg", 2, (const uint32_t[]){ 0, 1 });
	fdtb_prop_cells(&b, "u64", 2, (const uint32_t[]){ 1, 2 });
	fdtb_prop(&b, "short", "\x01\x02\x03", 3);
	fdtb_token(&b, TOK_NOP);
	fdtb_prop(&b, "empty", "", 0);
	fdtb_prop(&b, "torn", "abc", 3);
	fdtb_prop(&b, "list", "x\0yz", 5);
	fdtb_end(&b);
	fdtb_begin(&b, "e");
	fdtb_prop_u32(&b, "#address-cells", 3);
	fdtb_begin(&b, "f");
	fdtb_prop_cells(&b, "reg", 3, (const uint32_t[]){ 1, 2, 3 });
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_begin(&b, "g");
	fdtb_prop_cells(&b, "reg", 3, (const uint32_t[]){ 1, 2, 3 });
	fdtb_end(&b);
	fdtb_end(&b);
	/* A node overwritten with NOPs (spec 5.4.1) at the end of the root. */
	fdtb_token(&b, TOK_NOP);
	fdtb_end(&b);
	fdtb_token(&b, TOK_END);
	return fdtb_finish(&b, version, size);
}

static void check_tree(const struct fdt *f)
{
	int root = fdt_root(f);
	int a = path_ok(f, "/a@1000"), b = path_ok(f, "/b"), b1 = path_ok(f, "/b@1");
	int b2 = path_ok(f, "/b@2"), c = path_ok(f, "/c"), d = path_ok(f, "/c/d@1");
	uint64_t addr, size, u64;
	uint32_t len, u32;
	const void *v;

	assert_int_equal(crosscheck(f, true), 10);
	assert_int_equal(root, 0);
	assert_int_equal(fdt_next_compatible(f, -1, "vireo,base"), root);
	assert_int_equal(fdt_next_compatible(f, root, "vireo,base"), VIREO_ENOENT);
	check_reg(f, root, 0, 0x10, 0x20);
	check_reg(f, a, 0, 0x1000, 0x100);
	check_reg(f, a, 1, 0x2000, 0x200);
	assert_int_equal(fdt_reg(f, a, 2, &addr, &size), VIREO_ENOENT);
	check_reg(f, b2, 0, 2, 0x10);
	check_reg(f, d, 0, 1, 0);
	assert_int_equal(fdt_reg(f, path_ok(f, "/c/e/f"), 0, &addr, &size), VIREO_EINVAL);
	assert_int_equal(fdt_reg(f, path_ok(f, "/c/g"), 0, &addr, &size), VIREO_EINVAL);
	assert_int_equal(fdt_reg(f, c, 0, &addr, &size), VIREO_ENOENT);
	assert_int_equal(fdt_address_cells(f, c), 2);
	assert_int_equal(fdt_size_cells(f, c), 0);
	assert_int_equal(fdt_address_cells(f, d), 2);
	assert_int_equal(fdt_size_cells(f, d), 1);

	assert_true(fdt_node_is_enabled(f, a));
	assert_false(fdt_node_is_enabled(f, b));
	assert_false(fdt_node_is_enabled(f, b1));
	assert_true(fdt_node_is_enabled(f, b2));
	assert_true(fdt_node_is_enabled(f, c));
	assert_int_equal(fdt_node_by_phandle(f, 5), a);
	assert_int_equal(fdt_node_by_phandle(f, 6), b1);
	assert_int_equal(fdt_node_by_phandle(f, 7), VIREO_ENOENT);

	assert_int_equal(fdt_prop_u64(f, d, "u64", &u64), 0);
	assert_int_equal(u64, 0x100000002ull);
	assert_int_equal(fdt_prop_u32(f, d, "u64", &u32), VIREO_EINVAL);
	assert_int_equal(fdt_prop_u32(f, d, "short", &u32), VIREO_EINVAL);
	assert_int_equal(fdt_prop_u64(f, d, "short", &u64), VIREO_EINVAL);
	assert_int_equal(fdt_prop_u32(f, d, "missing", &u32), VIREO_ENOENT);
	assert_int_equal(fdt_prop_u64(f, d, "missing", &u64), VIREO_ENOENT);
	v = fdt_getprop(f, d, "empty", &len);
	assert_non_null(v);
	assert_int_equal(len, 0);
	assert_true(fdt_has_prop(f, d, "empty"));
	assert_false(fdt_has_prop(f, d, "emptyx"));
	assert_false(fdt_has_prop(f, d, "empt"));
	assert_null(fdt_prop_string(f, d, "empty"));
	assert_null(fdt_prop_string(f, d, "torn"));
	assert_false(fdt_prop_list_contains(f, d, "torn", "abc"));
	assert_string_equal(fdt_prop_string(f, d, "list"), "x");
	assert_true(fdt_prop_list_contains(f, d, "list", "x"));
	assert_true(fdt_prop_list_contains(f, d, "list", "yz"));
	assert_false(fdt_prop_list_contains(f, d, "list", "y"));
	assert_false(fdt_prop_list_contains(f, d, "list", "z"));
	assert_false(fdt_prop_list_contains(f, d, "list", ""));
	assert_false(fdt_prop_list_contains(f, d, "missing", "x"));

	assert_int_equal(f->rsvmap_count, 3);
	assert_int_equal(fdt_rsvmap_entry(f, 0, &addr, &size), 0);
	assert_int_equal(addr, 0x80000000);
	assert_int_equal(size, 0x200000);
	assert_int_equal(fdt_rsvmap_entry(f, 1, &addr, &size), 0);
	assert_int_equal(addr, 0);
	assert_int_equal(size, 0x1000);
	assert_int_equal(fdt_rsvmap_entry(f, 2, &addr, &size), 0);
	assert_int_equal(addr, 0xffffffff00000000ull);
	assert_int_equal(size, 0x1234);
	assert_int_equal(fdt_rsvmap_entry(f, 3, &addr, &size), VIREO_ENOENT);
	assert_int_equal(ref_rsv_count(f->blob), 3);
}

static void test_synthetic_tree(void **state)
{
	size_t size16, size17;
	uint8_t *v16 = build_tree(16, &size16);
	uint8_t *v17 = build_tree(17, &size17);
	struct fdt f16, f17;

	(void)state;
	assert_int_equal(ref_check_full(v17, size17), 0);
	open_ok(&f17, v17, size17);
	check_tree(&f17);
	/* v16: no size_dt_struct (the builder leaves garbage there); the walk finds the end. */
	assert_int_equal(ref_check_full(v16, size16), 0);
	open_ok(&f16, v16, size16);
	assert_int_equal(f16.size_struct, f17.size_struct);
	check_tree(&f16);
	/* A newer blob that is still readable as v17, and a v17-only one. */
	put_be32(v17, 20, 18);
	open_ok(&f17, v17, size17);
	put_be32(v17, 20, 17);
	put_be32(v17, 24, 17);
	open_ok(&f17, v17, size17);
	free(v16);
	free(v17);
}

/* Spec 5.4.1: the structure block must start 4-aligned even when everything else is consistent. */
static void test_misaligned_struct_block(void **state)
{
	size_t size;
	uint8_t *blob = build_tree(17, &size);
	uint32_t off_struct = get_be32(blob, 8);
	uint32_t shift;
	struct fdt f;

	(void)state;
	for (shift = 0; shift < 4; shift++) {
		/* Insert shift bytes in front of the structure block and fix up the header. */
		uint8_t *moved = calloc(1, size + shift);

		assert_non_null(moved);
		memcpy(moved, blob, off_struct);
		memcpy(moved + off_struct + shift, blob + off_struct, size - off_struct);
		put_be32(moved, 4, (uint32_t)(size + shift));
		put_be32(moved, 8, off_struct + shift);
		put_be32(moved, 12, get_be32(blob, 12) + shift);
		assert_int_equal(fdt_open(&f, moved, size + shift), shift == 0 ? 0 : VIREO_EINVAL);
		free(moved);
	}
	free(blob);
}

/* Bare names match a unit-addressed node only when that is unique; exact names always win. */
static void test_synthetic_paths(void **state)
{
	static struct fdtb b;
	uint8_t *blob;
	size_t size;
	struct fdt f;
	int x, w;

	(void)state;
	fdtb_init(&b);
	fdtb_token(&b, TOK_NOP);
	fdtb_begin(&b, "");
	fdtb_begin(&b, "x@1");
	fdtb_end(&b);
	fdtb_begin(&b, "x");
	fdtb_end(&b);
	fdtb_begin(&b, "y@1");
	fdtb_end(&b);
	fdtb_begin(&b, "y@2");
	fdtb_end(&b);
	fdtb_begin(&b, "z@5");
	fdtb_begin(&b, "w");
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_end(&b);
	fdtb_token(&b, TOK_END);
	blob = fdtb_finish(&b, 17, &size);
	open_ok(&f, blob, size);
	/* A NOP may precede the root (spec 5.4.2). */
	assert_int_equal(fdt_root(&f), 4);
	assert_int_equal(path_ok(&f, "/"), 4);
	x = path_ok(&f, "/x");
	assert_string_equal(fdt_node_name(&f, x), "x");
	assert_string_equal(fdt_node_name(&f, path_ok(&f, "/x@1")), "x@1");
	assert_int_equal(fdt_path_offset(&f, "/y"), VIREO_ENOENT);
	assert_string_equal(fdt_node_name(&f, path_ok(&f, "/y@2")), "y@2");
	w = path_ok(&f, "/z/w");
	assert_int_equal(path_ok(&f, "/z@5/w"), w);
	assert_int_equal(fdt_parent(&f, w), path_ok(&f, "/z"));
	assert_int_equal(fdt_parent(&f, fdt_parent(&f, w)), 4);
	assert_int_equal(fdt_parent(&f, 4), VIREO_ENOENT);
	assert_int_equal(fdt_path_offset(&f, "/w"), VIREO_ENOENT);
	assert_int_equal(fdt_path_offset(&f, "/z@"), VIREO_ENOENT);
	assert_int_equal(fdt_next_sibling(&f, w), VIREO_ENOENT);
	assert_int_equal(fdt_first_child(&f, w), VIREO_ENOENT);
	assert_int_equal(fdt_next_sibling(&f, 4), VIREO_ENOENT);
	free(blob);
}

static void nest(struct fdtb *b, unsigned int depth)
{
	unsigned int i;

	fdtb_begin(b, "");
	for (i = 1; i < depth; i++) {
		fdtb_begin(b, "n");
	}
	fdtb_prop_u32(b, "deepest", depth);
	for (i = 0; i < depth; i++) {
		fdtb_end(b);
	}
}

/* Builds the struct block given by fill, wraps it in a blob and opens it. */
static int open_built(void (*fill)(struct fdtb *b), uint32_t version)
{
	static struct fdtb b;
	struct fdt f;
	size_t size;
	uint8_t *blob;
	int ret;

	fdtb_init(&b);
	fill(&b);
	blob = fdtb_finish(&b, version, &size);
	ret = fdt_open(&f, blob, size);
	if (ret == 0) {
		crosscheck(&f, false);
	}
	free(blob);
	return ret;
}

static void s_depth32(struct fdtb *b)
{
	nest(b, 32);
	fdtb_token(b, TOK_END);
}

static void s_depth33(struct fdtb *b)
{
	nest(b, 33);
	fdtb_token(b, TOK_END);
}

static void s_prop_after_child(struct fdtb *b)
{
	fdtb_begin(b, "");
	fdtb_begin(b, "child");
	fdtb_end(b);
	fdtb_prop_u32(b, "late", 1);
	fdtb_end(b);
	fdtb_token(b, TOK_END);
}

static void s_prop_after_root(struct fdtb *b)
{
	fdtb_begin(b, "");
	fdtb_end(b);
	fdtb_prop_u32(b, "outside", 1);
	fdtb_token(b, TOK_END);
}

static void s_two_roots(struct fdtb *b)
{
	fdtb_begin(b, "");
	fdtb_end(b);
	fdtb_begin(b, "");
	fdtb_end(b);
	fdtb_token(b, TOK_END);
}

static void s_no_root(struct fdtb *b)
{
	fdtb_token(b, TOK_NOP);
	fdtb_token(b, TOK_END);
}

static void s_empty(struct fdtb *b)
{
	(void)b;
}

static void s_end_node_first(struct fdtb *b)
{
	fdtb_end(b);
	fdtb_begin(b, "");
	fdtb_end(b);
	fdtb_token(b, TOK_END);
}

static void s_name_at_block_end(struct fdtb *b)
{
	/* BEGIN_NODE, then "abcd" with no NUL before the block ends. */
	fdtb_token(b, TOK_BEGIN_NODE);
	fdtb_token(b, 0x61626364);
}

static void s_tokens_after_end(struct fdtb *b)
{
	fdtb_begin(b, "");
	fdtb_end(b);
	fdtb_token(b, TOK_END);
	fdtb_token(b, TOK_NOP);
}

static void s_named_root(struct fdtb *b)
{
	fdtb_begin(b, "root");
	fdtb_end(b);
	fdtb_token(b, TOK_END);
}

static void s_unclosed(struct fdtb *b)
{
	fdtb_begin(b, "");
	fdtb_begin(b, "a");
	fdtb_end(b);
	fdtb_token(b, TOK_END);
}

static void test_synthetic_malformed(void **state)
{
	static struct fdtb b;
	struct fdt f;
	uint8_t *blob;
	size_t size;
	int node, depth = 0;

	(void)state;
	assert_int_equal(open_built(s_depth32, 17), 0);
	assert_int_equal(open_built(s_depth33, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_prop_after_child, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_prop_after_root, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_two_roots, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_no_root, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_empty, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_end_node_first, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_name_at_block_end, 17), VIREO_EINVAL);
	assert_int_equal(open_built(s_name_at_block_end, 16), VIREO_EINVAL);
	assert_int_equal(open_built(s_unclosed, 16), VIREO_EINVAL);
	assert_int_equal(open_built(s_named_root, 17), VIREO_EINVAL);
	/* Slack after FDT_END is tolerated and cut off: the block ends at FDT_END. */
	assert_int_equal(open_built(s_tokens_after_end, 17), 0);

	/* The deepest node of a 32-level tree: parent chain and reg defaults still work. */
	fdtb_init(&b);
	s_depth32(&b);
	blob = fdtb_finish(&b, 17, &size);
	open_ok(&f, blob, size);
	for (node = fdt_root(&f); fdt_first_child(&f, node) >= 0; depth++) {
		node = fdt_first_child(&f, node);
	}
	assert_int_equal(depth, 31);
	assert_true(fdt_has_prop(&f, node, "deepest"));
	for (; depth > 0; depth--) {
		node = fdt_parent(&f, node);
		assert_true(node >= 0);
	}
	assert_int_equal(node, fdt_root(&f));
	free(blob);
}

/* xorshift64 (Marsaglia 2003): a fixed seed makes every run flip the same bytes. */
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t rand64(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static bool inside(const struct fdt *f, const void *p, size_t len, uint32_t off, uint32_t size)
{
	const uint8_t *lo = f->blob + off;

	return (const uint8_t *)p >= lo && (const uint8_t *)p + len <= lo + size;
}

/* Uses every accessor on every node of an accepted blob; all answers must point into it. */
static void exercise(const struct fdt *f)
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
			assert_true(inside(f, p.name, strlen(p.name) + 1, f->off_strings,
					   f->size_strings));
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

#define FUZZ_ITERATIONS 20000

static void test_fuzz(void **state)
{
	unsigned int accepted = 0, rejected = 0, i;

	(void)state;
	need_dtbs();
	for (i = 0; i < FUZZ_ITERATIONS; i++) {
		const struct dtb *d = &dtbs[i % dtb_count];
		uint8_t *buf = copy_exact(d->data, d->total);
		unsigned int flips = 1 + (unsigned int)(rand64() % 8);
		struct fdt f;

		while (flips-- > 0) {
			/* A quarter of the flips hit the 40-byte header, the rest anywhere. */
			size_t pos = rand64() % 4 == 0 ? rand64() % 40 : rand64() % d->total;

			buf[pos] ^= (uint8_t)(1 + rand64() % 255);
		}
		if (fdt_open(&f, buf, d->total) != 0) {
			rejected++;
		} else {
			accepted++;
			exercise(&f);
			/*
			 * Vireo is the stricter reader (it also wants an aligned, terminated
			 * reservation block), so libfdt must accept the blob too, and both must
			 * read the same tree from it.
			 */
			if (ref_check_full(buf, d->total) != 0) {
				fail_msg("iteration %u: accepted a blob libfdt rejects", i);
			}
			crosscheck(&f, false);
		}
		free(buf);
	}
	print_message("fuzz: %u accepted, %u rejected\n", accepted, rejected);
	assert_int_equal(accepted + rejected, FUZZ_ITERATIONS);
	assert_true(accepted > FUZZ_ITERATIONS / 10);
	assert_true(rejected > FUZZ_ITERATIONS / 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dtbs_present),	 cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_open_real),	 cmocka_unit_test(test_crosscheck_real),
		cmocka_unit_test(test_qemu_values),	 cmocka_unit_test(test_path_lookup),
		cmocka_unit_test(test_bad_node_offsets), cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_corruptions),	 cmocka_unit_test(test_synthetic_tree),
		cmocka_unit_test(test_synthetic_paths),	 cmocka_unit_test(test_synthetic_malformed),
		cmocka_unit_test(test_misaligned_struct_block), cmocka_unit_test(test_fuzz),
	};

	/* A reader that loops forever on some blob must fail the run, not hang it. */
	alarm(300);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
