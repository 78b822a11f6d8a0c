/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * core/guest_dtb.c on the host: the guest's tree for 1, 2, 4 and 16 vCPUs, checked through the
 * host libfdt and lib/fdt.c for every property a guest relies on, compared with the /cpus and
 * /memory nodes QEMU generates for the same machine (tests/unit/gen-dtbs.sh), decompiled by dtc,
 * and built into every too-small buffer.
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
#include <vireo/guest_dtb.h>

#include "fdt_builder.h"
#include "fdt_check.h"
#include "fdt_libfdt_ref.h"
#include "fdtw_check.h"

#define BIG   65536
#define ISA   "rv64imafdc_zicsr_zifencei_sstc"
#define ARGS  "console=ttyS0 earlycon=sbi"
#define MB(x) ((uint64_t)(x) << 20)

static struct guest_dtb_params base_params(unsigned int vcpus)
{
	return (struct guest_dtb_params){
	    .vcpu_count = vcpus,
	    .ram_base = 0x80000000,
	    .ram_size = MB(256),
	    .timebase_hz = 10000000,
	    .isa = ISA,
	    .mmu_type = "riscv,sv39",
	    .bootargs = ARGS,
	    .initrd_start = 0x88000000,
	    .initrd_end = 0x88123456,
	    .model = "vireo,guest",
	    .stdout_path = "/soc/serial@10000000",
	};
}

static int build(void *buf, size_t size, const void *arg)
{
	return guest_dtb_build(arg, buf, size);
}

/* Every property a guest relies on, through libfdt; extra: phandles the caller added. */
static void check_libfdt(const void *blob, const struct guest_dtb_params *p, unsigned int extra)
{
	uint8_t seen[2 * 16 + 64] = {0};
	char path[64], target[64];
	unsigned int phandles = 0;
	uint64_t a, s;
	int depth = -1;
	int node;

	assert_int_equal(tw_u32(blob, "/", "#address-cells"), 2);
	assert_int_equal(tw_u32(blob, "/", "#size-cells"), 2);
	tw_str(blob, "/", "compatible", "riscv-virtio");
	tw_str(blob, "/", "model", p->model != NULL ? p->model : "vireo,guest");

	if (p->bootargs != NULL) {
		tw_str(blob, "/chosen", "bootargs", p->bootargs);
	}
	if (p->stdout_path != NULL) {
		tw_str(blob, "/chosen", "stdout-path", p->stdout_path);
	}
	if (p->initrd_start != 0) {
		assert_int_equal(tw_u64(blob, "/chosen", "linux,initrd-start"), p->initrd_start);
		assert_int_equal(tw_u64(blob, "/chosen", "linux,initrd-end"), p->initrd_end);
	}
	assert_int_equal(tw_prop_count(blob, "/chosen"), (p->bootargs != NULL ? 1 : 0) +
	                                                     (p->initrd_start != 0 ? 2 : 0) +
	                                                     (p->stdout_path != NULL ? 1 : 0));

	snprintf(path, sizeof(path), "/memory@%llx", (unsigned long long)p->ram_base);
	tw_str(blob, path, "device_type", "memory");
	assert_int_equal(ref_reg(blob, tw_node(blob, path), 0, &a, &s), 0);
	assert_int_equal(a, p->ram_base);
	assert_int_equal(s, p->ram_size);
	assert_int_equal(ref_reg(blob, tw_node(blob, path), 1, &a, &s) < 0, 1);
	assert_int_equal(ref_next_device_type(blob, tw_node(blob, path), "memory") < 0, 1);

	assert_int_equal(tw_u32(blob, "/cpus", "#address-cells"), 1);
	assert_int_equal(tw_u32(blob, "/cpus", "#size-cells"), 0);
	if (p->timebase_hz <= UINT32_MAX) {
		assert_int_equal(tw_u32(blob, "/cpus", "timebase-frequency"), p->timebase_hz);
	} else {
		assert_int_equal(tw_u64(blob, "/cpus", "timebase-frequency"), p->timebase_hz);
	}

	node = -1;
	for (unsigned int i = 0; i < p->vcpu_count; i++) {
		char intc[96];
		uint32_t ph;

		node = ref_next_device_type(blob, node, "cpu");
		assert_true(node >= 0);
		snprintf(path, sizeof(path), "/cpus/cpu@%x", i);
		assert_int_equal(tw_node(blob, path), node);
		assert_int_equal(tw_u32(blob, path, "reg"), i);
		assert_int_equal(ref_reg(blob, node, 0, &a, &s), 0);
		assert_int_equal(a, i);
		tw_str(blob, path, "status", "okay");
		tw_str(blob, path, "compatible", "riscv");
		tw_str(blob, path, "riscv,isa", p->isa);
		if (p->mmu_type != NULL) {
			tw_str(blob, path, "mmu-type", p->mmu_type);
		} else {
			assert_false(tw_has(blob, path, "mmu-type"));
		}
		assert_int_equal(ref_phandle(blob, node), guest_dtb_cpu_phandle(i));

		snprintf(intc, sizeof(intc), "%s/interrupt-controller", path);
		tw_str(blob, intc, "compatible", "riscv,cpu-intc");
		assert_int_equal(tw_u32(blob, intc, "#interrupt-cells"), 1);
		tw_prop(blob, intc, "interrupt-controller", 0);
		ph = ref_phandle(blob, tw_node(blob, intc));
		assert_int_equal(ph, guest_dtb_intc_phandle(i));
		assert_int_equal(ref_node_by_phandle(blob, ph), tw_node(blob, intc));

		/* cpu-map: coreN names vCPU N's node by phandle. */
		snprintf(path, sizeof(path), "/cpus/cpu-map/cluster0/core%u", i);
		ph = tw_u32(blob, path, "cpu");
		assert_int_equal(
		    ref_path(blob, ref_node_by_phandle(blob, ph), target, sizeof(target)), 0);
		snprintf(path, sizeof(path), "/cpus/cpu@%x", i);
		assert_string_equal(target, path);
	}
	assert_true(ref_next_device_type(blob, node, "cpu") < 0);
	snprintf(path, sizeof(path), "/cpus/cpu-map/cluster0/core%u", p->vcpu_count);
	assert_true(ref_path_offset(blob, path) < 0);

	/* Phandles: unique, and exactly the cpu and interrupt-controller nodes. */
	for (node = ref_next_node(blob, -1, &depth); node >= 0 && depth >= 0;
	     node = ref_next_node(blob, node, &depth)) {
		uint32_t ph = ref_phandle(blob, node);

		if (ph != 0) {
			assert_true(ph < sizeof(seen));
			assert_int_equal(seen[ph], 0);
			seen[ph] = 1;
			phandles++;
		}
	}
	assert_int_equal(phandles, 2 * p->vcpu_count + extra);
}

/* The same facts through our reader. */
static void check_reader(const void *blob, int size, const struct guest_dtb_params *p)
{
	char path[64];
	struct fdt f;
	uint64_t v;
	int node = -1;
	unsigned int cpus = 0;

	open_ok(&f, blob, (size_t)size);
	assert_int_equal(f.boot_cpuid, 0);
	assert_int_equal(f.rsvmap_count, 0);
	while ((node = fdt_next_device_type(&f, node, "cpu")) >= 0) {
		uint32_t reg;

		assert_int_equal(fdt_prop_u32(&f, node, "reg", &reg), 0);
		assert_int_equal(reg, cpus);
		assert_true(fdt_node_is_enabled(&f, node));
		assert_true(fdt_prop_list_contains(&f, node, "compatible", "riscv"));
		assert_string_equal(fdt_prop_string(&f, node, "riscv,isa"), p->isa);
		cpus++;
	}
	assert_int_equal(cpus, p->vcpu_count);
	node = fdt_next_device_type(&f, -1, "memory");
	assert_true(node >= 0);
	check_reg(&f, node, 0, p->ram_base, p->ram_size);
	node = path_ok(&f, "/chosen");
	if (p->initrd_start != 0) {
		assert_int_equal(fdt_prop_u64(&f, node, "linux,initrd-start", &v), 0);
		assert_int_equal(v, p->initrd_start);
		assert_int_equal(fdt_prop_u64(&f, node, "linux,initrd-end", &v), 0);
		assert_int_equal(v, p->initrd_end);
	}
	if (p->bootargs != NULL) {
		assert_string_equal(fdt_prop_string(&f, node, "bootargs"), p->bootargs);
	}
	assert_int_equal(fdt_prop_u64(&f, path_ok(&f, "/cpus"), "timebase-frequency", &v), 0);
	assert_int_equal(v, p->timebase_hz);
	for (unsigned int i = 0; i < p->vcpu_count; i++) {
		snprintf(path, sizeof(path), "/cpus/cpu@%x/interrupt-controller", i);
		assert_int_equal(fdt_node_by_phandle(&f, guest_dtb_intc_phandle(i)),
		                 path_ok(&f, path));
	}
}

static void check_tree(const struct guest_dtb_params *p)
{
	uint8_t *buf = malloc(BIG);
	int n;

	assert_non_null(buf);
	n = guest_dtb_build(p, buf, BIG);
	if (n < 0) {
		fail_msg("guest_dtb_build: %d", n);
	}
	tw_check_blob(buf, n);
	check_libfdt(buf, p, 0);
	check_reader(buf, n, p);
	free(buf);
}

static void test_vcpu_counts(void **state)
{
	static const unsigned int counts[] = {1, 2, 4, 16};

	(void)state;
	for (unsigned int i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		struct guest_dtb_params p = base_params(counts[i]);

		check_tree(&p);
		print_message("%2u vCPUs: %d bytes\n", counts[i], tw_check_every_size(build, &p));
	}
}

/* No bootargs, initrd, mmu-type or model: an empty /chosen, the default model. */
static void test_optional_absent(void **state)
{
	struct guest_dtb_params p = base_params(2);
	uint8_t buf[BIG];

	(void)state;
	p.bootargs = NULL;
	p.initrd_start = p.initrd_end = 0;
	p.mmu_type = NULL;
	p.model = NULL;
	p.stdout_path = NULL;
	check_tree(&p);
	assert_true(guest_dtb_build(&p, buf, sizeof(buf)) > 0);
	assert_int_equal(tw_prop_count(buf, "/chosen"), 0);
}

/* RAM, initrd and timebase beyond 32 bits. */
static void test_wide_values(void **state)
{
	struct guest_dtb_params p = base_params(4);
	uint8_t buf[BIG];

	(void)state;
	p.ram_base = 0x100000000ull;
	p.ram_size = 0x280000000ull;
	p.initrd_start = 0x300000000ull;
	p.initrd_end = 0x300400000ull;
	p.timebase_hz = 0x100000000ull;
	p.mmu_type = "riscv,sv48";
	check_tree(&p);
	assert_true(guest_dtb_build(&p, buf, sizeof(buf)) > 0);
	tw_node(buf, "/memory@100000000");
}

static void test_invalid_params(void **state)
{
	struct guest_dtb_params bad[12];
	uint8_t buf[BIG];
	unsigned int i;

	(void)state;
	for (i = 0; i < 12; i++) {
		bad[i] = base_params(2);
	}
	bad[0].vcpu_count = 0;
	bad[1].vcpu_count = GUEST_DTB_MAX_VCPUS + 1;
	bad[2].ram_size = 0;
	bad[3].ram_base = 0xfffffffff0000000ull; /* base + size wraps */
	bad[4].timebase_hz = 0;
	bad[5].isa = NULL;
	bad[6].isa = "";
	bad[7].initrd_end = bad[7].initrd_start; /* empty */
	bad[8].initrd_start = 0;                 /* only an end */
	bad[9].initrd_start = 0x7ff00000;        /* below RAM */
	bad[10].initrd_end = 0x90000001;         /* past RAM */
	bad[11].initrd_end = 0;                  /* only a start */
	for (i = 0; i < 12; i++) {
		struct guest_dtb g;

		memset(buf, 0, 64);
		if (guest_dtb_build(&bad[i], buf, sizeof(buf)) != VIREO_EINVAL) {
			fail_msg("bad params %u accepted", i);
		}
		assert_int_equal(get_be32(buf, 0), 0);
		assert_int_equal(guest_dtb_begin(&g, &bad[i], buf, sizeof(buf)), VIREO_EINVAL);
		assert_int_equal(guest_dtb_end(&g), VIREO_EINVAL);
	}
	/* The largest count passes the checks (then needs a bigger buffer); RAM may sit at the top. */
	bad[0] = base_params(GUEST_DTB_MAX_VCPUS);
	assert_int_equal(guest_dtb_build(&bad[0], buf, sizeof(buf)), VIREO_ENOSPC);
	bad[0] = base_params(1);
	bad[0].ram_base = 0xffffffff00000000ull;
	bad[0].ram_size = 0xfffff000ull;
	bad[0].initrd_start = bad[0].initrd_end = 0;
	assert_true(guest_dtb_build(&bad[0], buf, sizeof(buf)) > 0);
}

/*
 * Device nodes come after /cpus, added by the caller between begin and end, naming the harts'
 * interrupt controllers by phandle; guest_dtb_alloc_phandle() never repeats one.
 */
static void test_caller_adds_devices(void **state)
{
	struct guest_dtb_params p = base_params(2);
	uint32_t ie[8];
	struct guest_dtb g;
	uint8_t buf[BIG];
	uint32_t plic;
	char path[64];
	int n, depth = -1, node, last = -1;

	(void)state;
	assert_int_equal(guest_dtb_begin(&g, &p, buf, sizeof(buf)), 0);
	plic = guest_dtb_alloc_phandle(&g);
	assert_int_equal(plic, 5);
	assert_int_equal(guest_dtb_alloc_phandle(&g), 6);
	for (unsigned int i = 0; i < 2; i++) {
		ie[4 * i] = guest_dtb_intc_phandle(i);
		ie[4 * i + 1] = 11;
		ie[4 * i + 2] = guest_dtb_intc_phandle(i);
		ie[4 * i + 3] = 9;
	}
	fdtw_begin_node(&g.w, "soc");
	fdtw_prop_u32(&g.w, "#address-cells", 2);
	fdtw_prop_u32(&g.w, "#size-cells", 2);
	fdtw_prop_string(&g.w, "compatible", "simple-bus");
	fdtw_prop_empty(&g.w, "ranges");
	fdtw_begin_node(&g.w, "plic@c000000");
	fdtw_prop_u32(&g.w, "phandle", plic);
	fdtw_prop_cells(&g.w, "interrupts-extended", ie, 8);
	fdtw_end_node(&g.w);
	fdtw_end_node(&g.w);
	n = guest_dtb_end(&g);
	assert_true(n > 0);
	tw_check_blob(buf, n);
	check_libfdt(buf, &p, 1);
	node = tw_node(buf, "/soc/plic@c000000");
	assert_int_equal(ref_node_by_phandle(buf, plic), node);
	for (unsigned int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/cpus/cpu@%x/interrupt-controller", i);
		assert_int_equal(ref_node_by_phandle(buf, ie[4 * i]), tw_node(buf, path));
	}
	/* QEMU's order at depth 1: chosen, memory, cpus, then the devices. */
	for (int at = ref_next_node(buf, -1, &depth); at >= 0 && depth >= 0;
	     at = ref_next_node(buf, at, &depth)) {
		if (depth == 1) {
			static const char *const order[] = {"chosen", "memory@80000000", "cpus",
			                                    "soc"};

			last++;
			assert_true(last < 4);
			assert_string_equal(ref_node_name(buf, at), order[last]);
		}
	}
	assert_int_equal(last, 3);

	/* A too-small buffer shows up at begin already, and again at end. */
	assert_int_equal(guest_dtb_begin(&g, &p, buf, 200), VIREO_ENOSPC);
	assert_int_equal(guest_dtb_end(&g), VIREO_ENOSPC);
}

/*
 * What QEMU generates for the same machine (its riscv,isa, mmu-type, timebase and RAM): our
 * /cpus and /memory have the same nodes in the same order, and each of our properties is in
 * QEMU's node with the same value (phandles compared by the node they name), in QEMU's order.
 */
static void compare_with_qemu(const void *ours, const void *qemu, const char *path)
{
	int on = tw_node(ours, path), qn = tw_node(qemu, path);
	int od = 0, qd = 0; /* depth relative to path */
	int oend = 0, qend = 0;

	while (on >= 0 && qn >= 0 && od >= 0 && qd >= 0) {
		int qp = ref_first_prop(qemu, qn);

		assert_int_equal(od, qd);
		assert_string_equal(ref_node_name(ours, on), ref_node_name(qemu, qn));
		for (int op = ref_first_prop(ours, on); op >= 0; op = ref_next_prop(ours, op)) {
			const char *oname, *qname = NULL;
			int olen, qlen = 0;
			const uint8_t *ov = ref_prop(ours, op, &oname, &olen);
			const uint8_t *qv = NULL;

			for (; qp >= 0; qp = ref_next_prop(qemu, qp)) {
				qv = ref_prop(qemu, qp, &qname, &qlen);
				if (strcmp(qname, oname) == 0) {
					break;
				}
			}
			if (qp < 0) {
				fail_msg("%s: %s missing in QEMU's tree or out of its order",
				         ref_node_name(ours, on), oname);
			}
			assert_int_equal(olen, qlen);
			if (strcmp(oname, "phandle") == 0) {
				continue; /* numbered differently; references checked below */
			}
			if (strcmp(oname, "cpu") == 0) {
				char a[64], b[64];

				ref_path(ours, ref_node_by_phandle(ours, get_be32(ov, 0)), a, 64);
				ref_path(qemu, ref_node_by_phandle(qemu, get_be32(qv, 0)), b, 64);
				assert_string_equal(a, b);
				continue;
			}
			assert_memory_equal(ov, qv, (size_t)olen);
		}
		on = ref_next_node(ours, on, &od);
		qn = ref_next_node(qemu, qn, &qd);
		oend = on < 0 || od <= 0;
		qend = qn < 0 || qd <= 0;
		if (oend || qend) {
			break;
		}
	}
	assert_int_equal(oend, qend);
}

static void test_matches_qemu(void **state)
{
	static const char *const names[] = {"virt-smp1", "virt-smp2", "virt-smp4", "virt-smp8"};
	uint8_t *buf = malloc(BIG);

	(void)state;
	assert_non_null(buf);
	need_dtbs();
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct dtb *d = find_dtb(names[i]);
		struct guest_dtb_params p = base_params(0);
		int node, len;
		char mem[64];

		assert_non_null(d);
		for (node = ref_next_device_type(d->data, -1, "cpu"); node >= 0;
		     node = ref_next_device_type(d->data, node, "cpu")) {
			p.vcpu_count++;
		}
		p.isa = ref_getprop(d->data, tw_node(d->data, "/cpus/cpu@0"), "riscv,isa", &len);
		p.mmu_type =
		    ref_getprop(d->data, tw_node(d->data, "/cpus/cpu@0"), "mmu-type", &len);
		p.timebase_hz = tw_u32(d->data, "/cpus", "timebase-frequency");
		node = ref_next_device_type(d->data, -1, "memory");
		assert_int_equal(ref_reg(d->data, node, 0, &p.ram_base, &p.ram_size), 0);
		p.initrd_start = p.initrd_end = 0;
		assert_true(guest_dtb_build(&p, buf, BIG) > 0);
		compare_with_qemu(buf, d->data, "/cpus");
		snprintf(mem, sizeof(mem), "/memory@%llx", (unsigned long long)p.ram_base);
		compare_with_qemu(buf, d->data, mem);
		assert_memory_equal(tw_prop(buf, "/", "compatible", 13),
		                    tw_prop(d->data, "/", "compatible", 13), 13);
	}
	free(buf);
}

/* dtc reads the 2-vCPU tree without a warning and recompiles it to the same tree. */
static void test_dtc(void **state)
{
	struct guest_dtb_params p = base_params(2);
	uint8_t *buf = malloc(BIG), *again;
	size_t size;
	char *dts;
	int n;

	(void)state;
	assert_non_null(buf);
	n = guest_dtb_build(&p, buf, BIG);
	assert_true(n > 0);
	/* Like QEMU's tree, and like Linux's own build, the cpu-intc nodes have no #address-cells. */
	dts = tw_dtc_decompile(buf, (size_t)n, "-Wno-interrupt_provider");
	assert_non_null(strstr(dts, "riscv,isa = \"" ISA "\";"));
	assert_non_null(strstr(dts, "bootargs = \"" ARGS "\";"));
	assert_non_null(strstr(dts, "linux,initrd-start = <0x00 0x88000000>;"));
	assert_non_null(strstr(dts, "reg = <0x00 0x80000000 0x00 0x10000000>;"));
	assert_non_null(strstr(dts, "cpu = <0x03>;"));
	again = tw_dtc_compile(dts, "-Wno-interrupt_provider", &size);
	tw_compare_trees(buf, again);
	free(again);
	free(dts);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vcpu_counts),
	    cmocka_unit_test(test_optional_absent),
	    cmocka_unit_test(test_wide_values),
	    cmocka_unit_test(test_invalid_params),
	    cmocka_unit_test(test_caller_adds_devices),
	    cmocka_unit_test(test_matches_qemu),
	    cmocka_unit_test(test_dtc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
