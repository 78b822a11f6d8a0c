/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lib/fdt_write.c on the host. Every blob is read back by lib/fdt.c and the host libfdt
 * (fdtw_check.c); the QEMU DTBs of tests/unit/gen-dtbs.sh are rebuilt node by node and must
 * come out equal; every too-small buffer gets VIREO_ENOSPC with exactly-sized heap buffers
 * under ASan; misuse gets VIREO_EINVAL; dtc decompiles and recompiles a blob to the same tree.
 */
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
#include <vireo/fdt_write.h>

#include "fdt_builder.h"
#include "fdt_check.h"
#include "fdt_libfdt_ref.h"
#include "fdtw_check.h"

#define BIG 65536

static int build_root_only(void *buf, size_t size, const void *arg)
{
	struct fdtw w;

	(void)arg;
	fdtw_init(&w, buf, size, 0);
	fdtw_begin_node(&w, "");
	fdtw_end_node(&w);
	return fdtw_finish(&w);
}

/*
 * /memreserve/ 0x80000000 0x200000; /memreserve/ 0xffffffff00000000 0x1000; boot cpu 3
 * / { #address-cells = <2>; #size-cells = <1>; compatible = "vireo,test", "vireo,base";
 *     model = "Vireo writer test"; empty; u64 = <0x12345678 0x9abcdef0>;
 *     odd1 = [01]; odd2 = [01 02]; odd3 = [01 02 03]; odd5 = [01 02 03 04 05]; nolen; none;
 *     soc { #address-cells = <2>; #size-cells = <1>; ranges;
 *           serial@10000000 { compatible = "ns16550a"; reg = <0 0x10000000 0x100>;
 *                             status = "okay"; phandle = <1>; };
 *           deep { a { b { c { leaf = "x"; }; }; }; }; };
 *     chosen { bootargs = ""; stdout-path = "/soc/serial@10000000"; }; }
 */
static int build_full(void *buf, size_t size, const void *arg)
{
	static const char *const compat[] = {"vireo,test", "vireo,base"};
	static const uint8_t bytes[] = {1, 2, 3, 4, 5};
	static const uint32_t reg[] = {0, 0x10000000, 0x100};
	static const char *const names[] = {"a", "b", "c"};
	struct fdtw w;
	unsigned int i;

	(void)arg;
	fdtw_init(&w, buf, size, 3);
	fdtw_reserve(&w, 0x80000000, 0x200000);
	fdtw_reserve(&w, 0xffffffff00000000ull, 0x1000);
	fdtw_begin_node(&w, "");
	fdtw_prop_u32(&w, "#address-cells", 2);
	fdtw_prop_u32(&w, "#size-cells", 1);
	fdtw_prop_strings(&w, "compatible", compat, 2);
	fdtw_prop_string(&w, "model", "Vireo writer test");
	fdtw_prop_empty(&w, "empty");
	fdtw_prop_u64(&w, "u64", 0x123456789abcdef0ull);
	fdtw_prop(&w, "odd1", bytes, 1);
	fdtw_prop(&w, "odd2", bytes, 2);
	fdtw_prop(&w, "odd3", bytes, 3);
	fdtw_prop(&w, "odd5", bytes, 5);
	fdtw_prop(&w, "nolen", NULL, 0);
	fdtw_prop_strings(&w, "none", NULL, 0);
	fdtw_begin_node(&w, "soc");
	fdtw_prop_u32(&w, "#address-cells", 2);
	fdtw_prop_u32(&w, "#size-cells", 1);
	fdtw_prop_cells(&w, "ranges", NULL, 0);
	fdtw_begin_node(&w, "serial@10000000");
	fdtw_prop_string(&w, "compatible", "ns16550a");
	fdtw_prop_cells(&w, "reg", reg, 3);
	fdtw_prop_string(&w, "status", "okay");
	fdtw_prop_u32(&w, "phandle", 1);
	fdtw_end_node(&w);
	fdtw_begin_node(&w, "deep");
	for (i = 0; i < 3; i++) {
		fdtw_begin_node(&w, names[i]);
	}
	fdtw_prop_string(&w, "leaf", "x");
	for (i = 0; i < 3; i++) {
		fdtw_end_node(&w);
	}
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	fdtw_begin_node(&w, "chosen");
	fdtw_prop_string(&w, "bootargs", "");
	fdtw_prop_string(&w, "stdout-path", "/soc/serial@10000000");
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	return fdtw_finish(&w);
}

static void test_root_only(void **state)
{
	uint8_t buf[BIG];
	int n;

	(void)state;
	n = build_root_only(buf, sizeof(buf), NULL);
	/* Header 40, rsvmap terminator 16, BEGIN_NODE + "" padded 8, END_NODE 4, END 4. */
	assert_int_equal(n, 40 + 16 + 8 + 4 + 4);
	tw_check_blob(buf, n);
	assert_int_equal(tw_check_every_size(build_root_only, NULL), n);
}

static void test_full_tree_values(void **state)
{
	static const uint8_t bytes[] = {1, 2, 3, 4, 5};
	uint8_t *buf = malloc(BIG);
	struct ref_header h;
	const uint8_t *v;
	struct fdt f;
	uint64_t a, s;
	uint32_t len;
	int n, root, serial, rlen;

	(void)state;
	assert_non_null(buf);
	n = build_full(buf, BIG, NULL);
	assert_true(n > 0);
	tw_check_blob(buf, n);
	ref_header(buf, &h);
	assert_int_equal(h.boot_cpuid, 3);
	assert_int_equal(ref_rsv_count(buf), 2);
	assert_int_equal(ref_rsv(buf, 1, &a, &s), 0);
	assert_int_equal(a, 0xffffffff00000000ull);
	assert_int_equal(s, 0x1000);

	/* Our reader. */
	open_ok(&f, buf, (size_t)n);
	assert_int_equal(f.boot_cpuid, 3);
	assert_int_equal(f.rsvmap_count, 2);
	assert_int_equal(fdt_rsvmap_entry(&f, 0, &a, &s), 0);
	assert_int_equal(a, 0x80000000);
	assert_int_equal(s, 0x200000);
	root = fdt_root(&f);
	assert_string_equal(fdt_node_name(&f, root), "");
	assert_true(fdt_prop_list_contains(&f, root, "compatible", "vireo,base"));
	assert_string_equal(fdt_prop_string(&f, root, "model"), "Vireo writer test");
	assert_int_equal(fdt_prop_u64(&f, root, "u64", &a), 0);
	assert_int_equal(a, 0x123456789abcdef0ull);
	for (unsigned int i = 1; i <= 5; i++) {
		char name[8];

		if (i == 4) {
			continue;
		}
		snprintf(name, sizeof(name), "odd%u", i);
		v = fdt_getprop(&f, root, name, &len);
		assert_non_null(v);
		assert_int_equal(len, i);
		assert_memory_equal(v, bytes, i);
	}
	assert_non_null(fdt_getprop(&f, root, "empty", &len));
	assert_int_equal(len, 0);
	assert_true(fdt_has_prop(&f, root, "nolen"));
	assert_true(fdt_has_prop(&f, root, "none"));
	serial = path_ok(&f, "/soc/serial@10000000");
	check_reg(&f, serial, 0, 0x10000000, 0x100);
	assert_int_equal(fdt_node_by_phandle(&f, 1), serial);
	assert_int_equal(fdt_next_compatible(&f, -1, "ns16550a"), serial);
	assert_string_equal(fdt_prop_string(&f, path_ok(&f, "/soc/deep/a/b/c"), "leaf"), "x");
	assert_string_equal(fdt_prop_string(&f, path_ok(&f, "/chosen"), "stdout-path"),
	                    "/soc/serial@10000000");

	/* libfdt. */
	assert_int_equal(ref_path_offset(buf, "/soc/serial@10000000"), serial);
	assert_int_equal(ref_node_by_phandle(buf, 1), serial);
	v = ref_getprop(buf, 0, "compatible", &rlen);
	assert_int_equal(rlen, sizeof("vireo,test") + sizeof("vireo,base"));
	assert_memory_equal(v, "vireo,test\0vireo,base", (size_t)rlen);
	v = ref_getprop(buf, 0, "none", &rlen);
	assert_non_null(v);
	assert_int_equal(rlen, 0);
	v = ref_getprop(buf, ref_path_offset(buf, "/chosen"), "bootargs", &rlen);
	assert_non_null(v);
	assert_int_equal(rlen, 1);
	assert_int_equal(v[0], 0);
	assert_true(ref_path_offset(buf, "/soc/deep/a/b/c") > 0);
	assert_int_equal(ref_reg(buf, serial, 0, &a, &s), 0);
	assert_int_equal(a, 0x10000000);
	assert_int_equal(s, 0x100);
	free(buf);
}

static void test_every_size(void **state)
{
	(void)state;
	tw_check_every_size(build_full, NULL);
}

/*
 * Writer call sequences, one character per call: R begin "" (the root at depth 0, an unnamed
 * child below), C begin "child", N begin "root", / begin "a/b", 0 begin NULL, E end, P a u32
 * property, V reserve 4 KiB, Z reserve 0 bytes; bad property calls: 1 NULL name, 2 "" name,
 * 3 NULL value of 4 bytes, 4 a NULL string in a list, 5 a NULL list of 1, 6 NULL cells, 7 NULL
 * string.
 */
static int run_script(void *buf, size_t size, const char *ops)
{
	static const char *const with_null[] = {"a", NULL};
	struct fdtw w;

	fdtw_init(&w, buf, size, 0);
	for (; *ops != '\0'; ops++) {
		switch (*ops) {
		case 'R':
			fdtw_begin_node(&w, "");
			break;
		case 'C':
			fdtw_begin_node(&w, "child");
			break;
		case 'N':
			fdtw_begin_node(&w, "root");
			break;
		case '/':
			fdtw_begin_node(&w, "a/b");
			break;
		case '0':
			fdtw_begin_node(&w, NULL);
			break;
		case 'E':
			fdtw_end_node(&w);
			break;
		case 'P':
			fdtw_prop_u32(&w, "p", 1);
			break;
		case 'V':
			fdtw_reserve(&w, 0x1000, 0x1000);
			break;
		case 'Z':
			fdtw_reserve(&w, 0x1000, 0);
			break;
		case '1':
			fdtw_prop_u32(&w, NULL, 1);
			break;
		case '2':
			fdtw_prop_u32(&w, "", 1);
			break;
		case '3':
			fdtw_prop(&w, "v", NULL, 4);
			break;
		case '4':
			fdtw_prop_strings(&w, "s", with_null, 2);
			break;
		case '5':
			fdtw_prop_strings(&w, "s", NULL, 1);
			break;
		case '6':
			fdtw_prop_cells(&w, "c", NULL, 2);
			break;
		default:
			fdtw_prop_string(&w, "s", NULL);
			break;
		}
	}
	return fdtw_finish(&w);
}

static void test_misuse(void **state)
{
	static const char *const good[] = {"RE", "VVRPCPCPEEE", "RPCCCCPEEEEE"};
	static const char *const bad[] = {
	    "E",     /* end without a node */
	    "REE",   /* one end too many */
	    "RCEPE", /* property after a child node */
	    "PRE",   /* property before the root */
	    "REP",   /* property after the root */
	    "RERE",  /* a second root */
	    "NE",    /* a named root */
	    "RREE",  /* an unnamed child */
	    "R/EE",  /* '/' in a name */
	    "0",     /* NULL name */
	    "RVE",   /* reservation after the first node */
	    "ZRE",   /* empty reservation */
	    "RCE",   /* unbalanced */
	    "",      /* no root at all */
	    "R1E",   "R2E", "R3E", "R4E", "R5E", "R6E", "R7E",
	};
	uint8_t buf[1024];
	struct fdtw w;

	(void)state;
	for (unsigned int i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int n = run_script(buf, sizeof(buf), good[i]);

		assert_true(n > 0);
		tw_check_blob(buf, n);
	}
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(buf, 0xa5, sizeof(buf));
		if (run_script(buf, sizeof(buf), bad[i]) != VIREO_EINVAL) {
			fail_msg("misuse \"%s\": not VIREO_EINVAL", bad[i]);
		}
		/* The header stays zeroed: a failed buffer never passes for a blob. */
		assert_int_equal(get_be32(buf, 0), 0);
	}
	/* A NULL buffer with a size is refused; NULL with size 0 is merely too small. */
	fdtw_init(&w, NULL, 100, 0);
	assert_int_equal(fdtw_finish(&w), VIREO_EINVAL);
	assert_int_equal(run_script(NULL, 0, "RE"), VIREO_ENOSPC);
}

/* The first error wins; fdtw_set_error() joins the same chain. */
static void test_sticky_error(void **state)
{
	uint8_t buf[256];
	struct fdtw w;

	(void)state;
	fdtw_init(&w, buf, 60, 0);
	fdtw_begin_node(&w, ""); /* needs 40 + 16 + 8 */
	assert_int_equal(fdtw_error(&w), VIREO_ENOSPC);
	fdtw_end_node(&w);
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w), VIREO_ENOSPC);

	fdtw_init(&w, buf, sizeof(buf), 0);
	fdtw_end_node(&w);
	for (unsigned int i = 0; i < 100; i++) {
		fdtw_prop_u32(&w, "fill", i);
	}
	assert_int_equal(fdtw_finish(&w), VIREO_EINVAL);

	fdtw_init(&w, buf, sizeof(buf), 0);
	fdtw_begin_node(&w, "");
	fdtw_set_error(&w, 1); /* not an error code: ignored */
	assert_int_equal(fdtw_error(&w), 0);
	fdtw_set_error(&w, VIREO_ERANGE);
	fdtw_set_error(&w, VIREO_ENOSPC);
	fdtw_end_node(&w);
	assert_int_equal(fdtw_finish(&w), VIREO_ERANGE);
}

/* After fdtw_finish() the writer is frozen and the blob untouched. */
static void test_frozen_after_finish(void **state)
{
	uint8_t buf[1024], saved[1024];
	struct fdtw w;
	int n;

	(void)state;
	memset(buf, 0, sizeof(buf));
	fdtw_init(&w, buf, sizeof(buf), 0);
	fdtw_begin_node(&w, "");
	fdtw_prop_u32(&w, "x", 1);
	fdtw_end_node(&w);
	n = fdtw_finish(&w);
	assert_true(n > 0);
	memcpy(saved, buf, sizeof(buf));
	fdtw_begin_node(&w, "");
	fdtw_prop_u32(&w, "y", 2);
	fdtw_end_node(&w);
	fdtw_set_error(&w, VIREO_EIO);
	assert_int_equal(fdtw_finish(&w), n);
	assert_memory_equal(buf, saved, sizeof(buf));
	tw_check_blob(buf, n);

	fdtw_init(&w, buf, sizeof(buf), 0);
	assert_int_equal(fdtw_finish(&w), VIREO_EINVAL);
	assert_int_equal(fdtw_finish(&w), VIREO_EINVAL);
}

/*
 * 5.5: each name is stored once; a name that is the tail of a stored one ("phandle" after
 * "linux,phandle") costs nothing, while the other way round both are stored.
 */
static int build_many(void *buf, size_t size, const void *arg)
{
	bool linux_first = *(const bool *)arg;
	struct fdtw w;
	char name[16];

	fdtw_init(&w, buf, size, 0);
	fdtw_begin_node(&w, "");
	for (unsigned int i = 0; i < 32; i++) {
		snprintf(name, sizeof(name), "dev@%x", i);
		fdtw_begin_node(&w, name);
		fdtw_prop_string(&w, "compatible", "vireo,dev");
		fdtw_prop_u32(&w, "reg", i);
		fdtw_prop_string(&w, "status", "okay");
		fdtw_prop_u32(&w, linux_first ? "linux,phandle" : "phandle", i + 1);
		fdtw_prop_u32(&w, linux_first ? "phandle" : "linux,phandle", i + 1);
		fdtw_end_node(&w);
	}
	fdtw_end_node(&w);
	return fdtw_finish(&w);
}

static void test_string_dedup(void **state)
{
	static const char *const names[] = {"compatible", "reg", "status", "linux,phandle",
	                                    "phandle"};
	uint8_t *buf = malloc(BIG);
	struct ref_header h;
	size_t unique = 0;
	bool order;
	int n;

	(void)state;
	assert_non_null(buf);
	for (unsigned int i = 0; i < 5; i++) {
		unique += strlen(names[i]) + 1;
	}
	order = true;
	n = build_many(buf, BIG, &order);
	tw_check_blob(buf, n);
	ref_header(buf, &h);
	assert_int_equal(h.size_strings, unique - sizeof("phandle"));
	assert_true(h.size_strings * 32 / 2 > unique);
	print_message("strings block: %u bytes, %zu without dedup\n", h.size_strings, unique * 32);
	order = false;
	n = build_many(buf, BIG, &order);
	tw_check_blob(buf, n);
	ref_header(buf, &h);
	assert_int_equal(h.size_strings, unique);
	tw_check_every_size(build_many, &order);
	free(buf);
}

static int build_copy(void *buf, size_t size, const void *arg)
{
	return tw_copy_tree(arg, buf, size);
}

/* QEMU's trees, rebuilt with the writer, read back equal and no larger. */
static void test_copy_qemu_trees(void **state)
{
	uint8_t *buf = malloc(BIG);

	(void)state;
	assert_non_null(buf);
	need_dtbs();
	for (unsigned int i = 0; i < dtb_count; i++) {
		struct ref_header ours, theirs;
		int n = tw_copy_tree(dtbs[i].data, buf, BIG);

		assert_true(n > 0);
		tw_check_blob(buf, n);
		tw_compare_trees(dtbs[i].data, buf);
		ref_header(buf, &ours);
		ref_header(dtbs[i].data, &theirs);
		assert_true(ours.size_struct <= theirs.size_struct);
		assert_true(ours.size_strings <= theirs.size_strings);
	}
	tw_check_every_size(build_copy, find_dtb("virt-smp2")->data);
	free(buf);
}

/* dtc reads the blob without a warning and its own recompiled blob is the same tree. */
static void test_dtc_roundtrip(void **state)
{
	uint8_t *buf = malloc(BIG);
	uint8_t *again;
	size_t size;
	char *dts;
	int n;

	(void)state;
	assert_non_null(buf);
	n = build_full(buf, BIG, NULL);
	dts = tw_dtc_decompile(buf, (size_t)n, "");
	assert_non_null(strstr(dts, "/memreserve/\t0x0000000080000000 0x0000000000200000;"));
	assert_non_null(strstr(dts, "u64 = <0x12345678 0x9abcdef0>;"));
	assert_non_null(strstr(dts, "odd3 = [01 02 03];"));
	again = tw_dtc_compile(dts, "-b 3", &size);
	tw_check_blob(again, (int)fdt_header_totalsize(again));
	tw_compare_trees(buf, again);
	free(again);
	free(dts);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_root_only),     cmocka_unit_test(test_full_tree_values),
	    cmocka_unit_test(test_every_size),    cmocka_unit_test(test_misuse),
	    cmocka_unit_test(test_sticky_error),  cmocka_unit_test(test_frozen_after_finish),
	    cmocka_unit_test(test_string_dedup),  cmocka_unit_test(test_copy_qemu_trees),
	    cmocka_unit_test(test_dtc_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
