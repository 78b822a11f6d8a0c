/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for core/platform.c on device trees dumped by QEMU (tests/unit/gen-dtbs.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/fdt.h>
#include <vireo/log.h>
#include <vireo/platform.h>

static char last_log[256];

/* The platform parser logs why it refuses a tree; keep the last message for assertions. */
void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	(void)level;
	va_start(ap, fmt);
	vsnprintf(last_log, sizeof(last_log), fmt, ap);
	va_end(ap);
}

static uint8_t *load_dtb(const char *name, size_t *size)
{
	const char *dir = getenv("VIREO_DTB_DIR") ? getenv("VIREO_DTB_DIR") : "build/host/dtb";
	char path[512];
	snprintf(path, sizeof(path), "%s/%s.dtb", dir, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	uint8_t *buf = malloc(1 << 20);
	assert_non_null(buf);
	*size = fread(buf, 1, 1 << 20, f);
	fclose(f);
	assert_true(*size > 64);
	return buf;
}

static void parse(const char *name, struct platform *plat)
{
	size_t size;
	struct fdt fdt;
	uint8_t *blob = load_dtb(name, &size);
	assert_int_equal(fdt_open(&fdt, blob, size), 0);
	if (platform_parse(&fdt, plat) != 0) {
		fail_msg("%s: %s", name, last_log);
	}
	free(blob);
}

static void test_default_machine(void **state)
{
	struct platform plat;
	(void)state;
	parse("virt", &plat);
	assert_string_equal(plat.model, "riscv-virtio,qemu");
	assert_int_equal(plat.hart_count, 1);
	assert_int_equal(plat.harts[0].hw_id, 0);
	assert_string_equal(plat.harts[0].mmu, "sv48");
	assert_true(platform_isa_has(plat.harts[0].isa, "h"));
	assert_true(platform_isa_has(plat.harts[0].isa, "sstc"));
	assert_int_equal(plat.timebase_hz, 10000000);
	assert_int_equal(plat.mem_count, 1);
	assert_int_equal(plat.mem[0].base, 0x80000000);
	assert_int_equal(plat.mem[0].size, 128ULL << 20);
	assert_true(plat.uart.present);
	assert_int_equal(plat.uart.base, 0x10000000);
	assert_int_equal(plat.uart.irq, 10);
	assert_string_equal(plat.stdout_path, "/soc/serial@10000000");
	assert_int_equal(plat.irqchip.kind, IRQCHIP_PLIC);
	assert_int_equal(plat.irqchip.base, 0x0c000000);
	assert_int_equal(plat.irqchip.source_count, 96);
	assert_int_equal(plat.irqchip.s_context[0], 1);
	assert_true(plat.poweroff.present);
	assert_int_equal(plat.poweroff.addr, 0x100000);
	assert_int_equal(plat.poweroff.value, 0x5555);
	assert_true(plat.reboot.present);
	assert_int_equal(plat.reboot.value, 0x7777);
}

static void test_eight_harts_get_their_plic_contexts(void **state)
{
	struct platform plat;
	(void)state;
	parse("virt-smp8", &plat);
	assert_int_equal(plat.hart_count, 8);
	for (unsigned int i = 0; i < 8; i++) {
		assert_int_equal(plat.harts[i].hw_id, i);
		/* QEMU orders PLIC contexts M, S per hart: S-mode of hart i is 2i+1. */
		assert_int_equal(plat.irqchip.s_context[i], (int)(2 * i + 1));
	}
}

static void test_memory_sizes(void **state)
{
	struct platform plat;
	(void)state;
	parse("virt-m3G", &plat);
	assert_int_equal(plat.mem[0].size, 3ULL << 30);
	parse("virt-m256M", &plat);
	assert_int_equal(plat.mem[0].size, 256ULL << 20);
}

static void test_aia_variants(void **state)
{
	struct platform plat;
	(void)state;
	parse("virt-aplic", &plat);
	assert_int_equal(plat.irqchip.kind, IRQCHIP_APLIC);
	assert_true(plat.irqchip.aplic_present);
	assert_false(plat.irqchip.imsic_present);
	/* The S-level domain is the child, not the M-level root at 0xc000000. */
	assert_int_equal(plat.irqchip.base, 0x0d000000);
	assert_int_equal(plat.irqchip.source_count, 96);
	assert_int_equal(plat.uart.irq, 10); /* APLIC "interrupts" has two cells */

	parse("virt-aplic-imsic-guests2", &plat);
	assert_int_equal(plat.irqchip.kind, IRQCHIP_APLIC_IMSIC);
	assert_true(plat.irqchip.imsic_present);
	assert_int_equal(plat.irqchip.imsic_base, 0x28000000);
	assert_int_equal(plat.irqchip.imsic_guest_bits, 2);
	assert_int_equal(plat.hart_count, 4);
}

static void test_no_h_extension_visible_in_isa(void **state)
{
	struct platform plat;
	(void)state;
	parse("virt-noh", &plat);
	assert_false(platform_isa_has(plat.harts[0].isa, "h"));
	assert_true(platform_isa_has(plat.harts[0].isa, "c"));
}

static void test_isa_string_matching(void **state)
{
	(void)state;
	const char *isa = "rv64imafdch_zicsr_zifencei_sstc_svpbmt";
	assert_true(platform_isa_has(isa, "h"));
	assert_true(platform_isa_has(isa, "H"));
	assert_false(platform_isa_has(isa, "v"));
	assert_true(platform_isa_has(isa, "zifencei"));
	assert_true(platform_isa_has(isa, "svpbmt"));
	assert_false(platform_isa_has(isa, "svpbm"));
	assert_false(platform_isa_has(isa, "sstcx"));
	/* The letters of a multi-letter name are not base extensions. */
	assert_false(platform_isa_has("rv64imaczicsr", "s"));
	assert_false(platform_isa_has("garbage", "i"));
}

static void test_tree_without_cpus_is_refused(void **state)
{
	/* A minimal valid tree: root with one empty node, no /cpus, no memory. */
	static const uint8_t blob[] = {
	    0xd0, 0x0d, 0xfe, 0xed, 0,   0, 0, 0x54, /* magic, totalsize 84 */
	    0,    0,    0,    0x38, 0,   0, 0, 0x54, /* off_struct 56, off_strings 84 */
	    0,    0,    0,    0x28, 0,   0, 0, 17,   /* off_rsvmap 40, version 17 */
	    0,    0,    0,    16,   0,   0, 0, 0,    /* last_comp 16, boot cpu 0 */
	    0,    0,    0,    0,    0,   0, 0, 0x1c, /* strings size 0, struct size 28 */
	    0,    0,    0,    0,    0,   0, 0, 0,    /* rsvmap terminator: address 0, */
	    0,    0,    0,    0,    0,   0, 0, 0,    /* size 0 */
	    0,    0,    0,    1,    0,   0, 0, 0,    /* BEGIN_NODE "" */
	    0,    0,    0,    1,    'x', 0, 0, 0,    /* BEGIN_NODE "x" */
	    0,    0,    0,    2,    0,   0, 0, 2,    /* END_NODE, END_NODE */
	    0,    0,    0,    9,                     /* END */
	};
	struct fdt fdt;
	struct platform plat;
	(void)state;
	uint8_t *copy = malloc(sizeof(blob));
	memcpy(copy, blob, sizeof(blob));
	assert_int_equal(sizeof(blob), 84);
	assert_int_equal(fdt_open(&fdt, copy, sizeof(blob)), 0);
	last_log[0] = '\0';
	assert_int_equal(platform_parse(&fdt, &plat), VIREO_EINVAL);
	assert_string_equal(last_log, "platform: the device tree has no /cpus node");
	free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_machine),
	    cmocka_unit_test(test_eight_harts_get_their_plic_contexts),
	    cmocka_unit_test(test_memory_sizes),
	    cmocka_unit_test(test_aia_variants),
	    cmocka_unit_test(test_no_h_extension_visible_in_isa),
	    cmocka_unit_test(test_isa_string_matching),
	    cmocka_unit_test(test_tree_without_cpus_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
