/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests for core/guest_config.c on configurations compiled by dtc (tests/unit/configs/,
 * configs/riscv64/example.dts) and a bundle packed by GNU cpio (test_guest_config.mk). Good
 * configurations must parse to exact values; each bad-*.dts must be refused with its expected
 * property and reason while its sibling guest "ok" still parses.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/cpio.h>
#include <vireo/errno.h>
#include <vireo/fdt.h>
#include <vireo/guest_config.h>

#define FREE_RAM  (1ULL << 30)
#define HOST_CPUS 4
#define MAX_SEEN  8

struct seen {
	int guest_count;
	struct guest_config guests[MAX_SEEN];
	int err_count;
	char err_node[MAX_SEEN][64];
	char err_prop[MAX_SEEN][64]; /* "" for NULL */
	char err_reason[MAX_SEEN][256];
};

static void on_guest(const struct guest_config *cfg, void *arg)
{
	struct seen *s = arg;
	assert_true(s->guest_count < MAX_SEEN);
	s->guests[s->guest_count++] = *cfg;
}

static void on_error(const char *node, const char *property, const char *reason, void *arg)
{
	struct seen *s = arg;
	assert_true(s->err_count < MAX_SEEN);
	assert_non_null(node);
	assert_non_null(reason);
	/* One line, starting with the property it names. */
	assert_null(strchr(reason, '\n'));
	if (property != NULL) {
		assert_memory_equal(reason, property, strlen(property));
	}
	snprintf(s->err_node[s->err_count], 64, "%s", node);
	snprintf(s->err_prop[s->err_count], 64, "%s", property != NULL ? property : "");
	snprintf(s->err_reason[s->err_count], 256, "%s", reason);
	s->err_count++;
}

static const char *config_dir(void)
{
	const char *d = getenv("VIREO_CONFIG_DIR");
	return d != NULL ? d : "build/host/configs";
}

static uint8_t *read_file(const char *name, size_t *size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", config_dir(), name);
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		fail_msg("cannot open %s (build it with make build/host/test_guest_config)", path);
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return buf;
}

struct bundle {
	uint8_t *data;
	size_t size;
};

static struct bundle bundle;
static uint8_t *last_blob;

static int setup(void **state)
{
	(void)state;
	bundle.data = read_file("bundle.cpio", &bundle.size);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(bundle.data);
	free(last_blob);
	return 0;
}

/* Parses build/host/configs/<name>.dtb with the test bundle and limits. */
static int parse_full(const char *name, const void *b, size_t bsize, uint64_t free_ram,
                      uint32_t host_cpus, struct seen *s)
{
	char file[256];
	size_t size;
	struct fdt fdt;

	snprintf(file, sizeof(file), "%s.dtb", name);
	/* The results' strings point into the blob: it lives until the next parse. */
	free(last_blob);
	last_blob = read_file(file, &size);
	memset(s, 0, sizeof(*s));
	assert_int_equal(fdt_open(&fdt, last_blob, size), 0);
	return guest_config_parse(&fdt, b, bsize, free_ram, host_cpus, on_guest, on_error, s);
}

static int parse(const char *name, struct seen *s)
{
	return parse_full(name, bundle.data, bundle.size, FREE_RAM, HOST_CPUS, s);
}

static void assert_image(const struct guest_image *img, const char *path, const char *file)
{
	size_t size;
	assert_non_null(img->path);
	assert_string_equal(img->path, path);
	uint8_t *want = read_file(file, &size);
	assert_int_equal(img->size, size);
	assert_memory_equal(img->data, want, size);
	/* The data lies inside the bundle, not in a copy. */
	assert_true((const uint8_t *)img->data > bundle.data &&
	            (const uint8_t *)img->data + img->size <= bundle.data + bundle.size);
	free(want);
}

static void test_full(void **state)
{
	struct seen s;
	(void)state;

	assert_int_equal(parse("good-full", &s), 3);
	assert_int_equal(s.err_count, 0);

	const struct guest_config *g = &s.guests[0];
	assert_string_equal(g->name, "linux0");
	assert_int_equal(g->vcpu_count, 4);
	assert_int_equal(g->ram_size, 256ULL << 20);
	assert_image(&g->kernel, "images/Image", "bundle/images/Image");
	assert_image(&g->initrd, "./images/rootfs.cpio", "bundle/images/rootfs.cpio");
	assert_image(&g->dtb, "/images/guest.dtb", "bundle/images/guest.dtb");
	assert_string_equal(g->bootargs, "console=hvc0 earlycon=sbi");
	assert_true(g->autostart);
	const uint8_t prio[] = {1, 2, 3, 7};
	const uint32_t slice[] = {100, 1000, 10000, 1000000};
	const uint32_t aff[] = {0, 3, GUEST_CONFIG_AFFINITY_ANY, 1};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(g->vcpu_prio[i], prio[i]);
		assert_int_equal(g->vcpu_slice_us[i], slice[i]);
		assert_int_equal(g->vcpu_affinity[i], aff[i]);
	}
	for (int i = 4; i < GUEST_CONFIG_VCPU_MAX; i++) {
		assert_int_equal(g->vcpu_prio[i], 0);
		assert_int_equal(g->vcpu_slice_us[i], 0);
		assert_int_equal(g->vcpu_affinity[i], 0);
	}
	assert_true(g->node > 0);
	assert_true(g->devices_node > g->node);
	/* Devices in slot order, with their properties and a MAC derived from the names. */
	assert_int_equal(g->device_count, 6);
	assert_string_equal(g->devices[0].name, "disk0");
	assert_int_equal(g->devices[0].type, GUEST_DEV_VIRTIO_BLK);
	assert_true(g->devices[0].read_only);
	assert_image(&g->devices[0].image, "images/disk.img", "bundle/images/disk.img");
	assert_int_equal(g->devices[1].type, GUEST_DEV_VIRTIO_NET);
	assert_string_equal(g->devices[1].switch_name, "lan0");
	assert_int_equal(g->devices[1].mac[0], 0x02); /* locally administered, unicast */
	assert_int_equal(g->devices[1].mac[1], 1);    /* its slot */
	assert_int_equal(g->devices[2].type, GUEST_DEV_VIRTIO_NET);
	const uint8_t mac[6] = {0x02, 0x12, 0x34, 0x56, 0x78, 0x9a};
	assert_memory_equal(g->devices[2].mac, mac, 6);
	assert_memory_not_equal(g->devices[1].mac, g->devices[2].mac, 6);
	assert_int_equal(g->devices[3].type, GUEST_DEV_VIRTIO_RNG);
	assert_string_equal(g->devices[4].name, "hvc");
	assert_int_equal(g->devices[4].type, GUEST_DEV_VIRTIO_CONSOLE);
	assert_string_equal(guest_device_type_name(GUEST_DEV_VIRTIO_CONSOLE), "virtio-console");
	/* One MAC on two switches is two ports' addresses, each unique on its switch. */
	assert_string_equal(g->devices[5].switch_name, "lan0");
	assert_memory_equal(g->devices[5].mac, mac, 6);

	g = &s.guests[1];
	assert_string_equal(g->name, "rtos_1");
	assert_int_equal(g->vcpu_count, 1);
	assert_int_equal(g->ram_size, 2ULL << 20); /* one cell */
	assert_null(g->initrd.path);
	assert_null(g->initrd.data);
	assert_null(g->dtb.path);
	assert_string_equal(g->bootargs, "");
	assert_false(g->autostart);
	assert_int_equal(g->vcpu_prio[0], 0);
	assert_int_equal(g->vcpu_slice_us[0], 500);
	assert_int_equal(g->vcpu_affinity[0], 2);
	assert_int_equal(g->devices_node, VIREO_ENOENT);

	/* One cell applies to every vCPU; the phandle dtc added for &peer is accepted. */
	g = &s.guests[2];
	assert_string_equal(g->name, "Small-2");
	assert_int_equal(g->vcpu_count, 16);
	assert_int_equal(g->ram_size, FREE_RAM); /* exactly the free RAM is allowed */
	for (int i = 0; i < 16; i++) {
		assert_int_equal(g->vcpu_prio[i], 6);
		assert_int_equal(g->vcpu_slice_us[i], GUEST_CONFIG_SLICE_DEFAULT_US);
		assert_int_equal(g->vcpu_affinity[i], 3);
	}
}

static void test_minimal_defaults(void **state)
{
	struct seen s;
	(void)state;

	assert_int_equal(parse("good-minimal", &s), 1);
	const struct guest_config *g = &s.guests[0];
	assert_string_equal(g->name, "minimal");
	assert_int_equal(g->vcpu_count, 1);
	assert_int_equal(g->ram_size, 32ULL << 20);
	assert_image(&g->kernel, "images/Image", "bundle/images/Image");
	assert_null(g->initrd.path);
	assert_null(g->dtb.path);
	assert_null(g->bootargs);
	assert_false(g->autostart);
	assert_int_equal(g->vcpu_prio[0], GUEST_CONFIG_PRIO_DEFAULT);
	assert_int_equal(g->vcpu_slice_us[0], GUEST_CONFIG_SLICE_DEFAULT_US);
	assert_int_equal(g->vcpu_affinity[0], GUEST_CONFIG_AFFINITY_ANY);
	assert_int_equal(g->devices_node, VIREO_ENOENT);

	/* No guests is a valid configuration; callbacks may be NULL. */
	assert_int_equal(parse("good-empty", &s), 0);
	assert_int_equal(s.err_count, 0);
	size_t size;
	struct fdt fdt;
	uint8_t *blob = read_file("good-minimal.dtb", &size);
	assert_int_equal(fdt_open(&fdt, blob, size), 0);
	assert_int_equal(guest_config_parse(&fdt, NULL, 0, FREE_RAM, 1, NULL, NULL, NULL), 1);
	free(blob);
}

/* The shipped example, found as config.dtb inside the bundle like Vireo will find it. */
static void test_example_from_bundle(void **state)
{
	struct fdt fdt;
	struct seen s;
	(void)state;

	assert_int_equal(guest_config_open(bundle.data, bundle.size, &fdt), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(
	    guest_config_parse(&fdt, bundle.data, bundle.size, FREE_RAM, 2, on_guest, on_error, &s),
	    2);
	assert_int_equal(s.err_count, 0);
	assert_string_equal(s.guests[0].name, "linux0");
	assert_true(s.guests[0].autostart);
	assert_int_equal(s.guests[0].vcpu_affinity[1], 1);
	assert_string_equal(s.guests[1].name, "linux1");
	assert_int_equal(s.guests[1].ram_size, 128ULL << 20);
	assert_int_equal(s.guests[1].vcpu_prio[0], 2);
	assert_non_null(s.guests[1].dtb.data);

	/* No configuration in an archive, and a damaged archive. */
	char none[128];
	int n = snprintf(none, sizeof(none), "070701%08X%080X%08X%08X%s", 0u, 0u, 11u, 0u,
	                 "TRAILER!!!");
	assert_int_equal(n, 110 + 10);
	assert_int_equal(guest_config_open(none, (size_t)n + 1, &fdt), VIREO_ENOENT);
	assert_int_equal(guest_config_open(bundle.data, 300, &fdt), VIREO_EINVAL);
}

struct bad_case {
	const char *file;   /* tests/unit/configs/<file>.dts */
	int ret;            /* expected result: 1 (only "ok" parses) or VIREO_EINVAL */
	const char *node;   /* expected err_cb node */
	const char *prop;   /* expected err_cb property ("" for NULL) */
	const char *reason; /* substring of the reason */
};

static const struct bad_case bad_cases[] = {
    {"bad-version-missing", VIREO_EINVAL, "/", "vireo,config-version", "missing"},
    {"bad-version-2", VIREO_EINVAL, "/", "vireo,config-version", "version 2 not supported"},
    {"bad-no-guests", VIREO_EINVAL, "/", "guests", "no /guests node"},
    {"bad-guests-prop", 1, "guests", "#address-cells", "unknown property in /guests"},
    {"bad-name-dot", 1, "bad.vm", "", "'.' not allowed"},
    {"bad-name-at", 1, "bad@1", "", "'@' not allowed"},
    {"bad-name-long", 1, "a234567890123456789012345678901x", "", "longer than 31 characters"},
    {"bad-name-digit", 1, "9lives", "", "must start with a letter"},
    {"bad-unknown-prop", 1, "bad", "vcpu", "vcpu: unknown property"},
    {"bad-unknown-node", 1, "bad", "device", "device: unknown node"},
    {"bad-kernel-missing", 1, "bad", "kernel", "kernel: missing (required)"},
    {"bad-kernel-not-in-bundle", 1, "bad", "kernel", "missing image \"images/Imag\""},
    {"bad-kernel-cells", 1, "bad", "kernel", "must be one non-empty string"},
    {"bad-kernel-dir", 1, "bad", "kernel", "\"images\" is not a regular file"},
    {"bad-kernel-empty-file", 1, "bad", "kernel", "\"images/empty\" is empty"},
    {"bad-initrd-not-in-bundle", 1, "bad", "initrd", "missing image \"images/rootfs.cpio.gz\""},
    {"bad-dtb-not-fdt", 1, "bad", "dtb", "not a valid device tree blob"},
    {"bad-vcpus-zero", 1, "bad", "vcpus", "vcpus: 0 out of range 1..16"},
    {"bad-vcpus-17", 1, "bad", "vcpus", "vcpus: 17 out of range 1..16"},
    {"bad-vcpus-string", 1, "bad", "vcpus", "must be one cell"},
    {"bad-memory-missing", 1, "bad", "memory", "memory: missing"},
    {"bad-memory-string", 1, "bad", "memory", "must be 1 or 2 cells, not 5 bytes"},
    {"bad-memory-unaligned", 1, "bad", "memory", "0x300000 bytes is not a multiple of 2 MiB"},
    {"bad-memory-small", 1, "bad", "memory", "0x100000 bytes is below the 2 MiB minimum"},
    {"bad-memory-zero", 1, "bad", "memory", "0x0 bytes is below the 2 MiB minimum"},
    {"bad-memory-3cells", 1, "bad", "memory", "must be 1 or 2 cells, not 3 cells"},
    {"bad-memory-free", 1, "bad", "memory", "2048 MiB larger than free memory (1024 MiB)"},
    {"bad-memory-images", 1, "bad", "memory", "2 MiB too small for the images (3072 KiB)"},
    {"bad-prio-length", 1, "bad", "vcpu-priority", "must be 1 or 2 cells (one per vCPU)"},
    {"bad-prio-bytes", 1, "bad", "vcpu-priority",
     "must be 1 or 2 cells (one per vCPU), not 3 bytes"},
    {"bad-prio-range", 1, "bad", "vcpu-priority", "cell 1: 8 out of range 0..7"},
    {"bad-slice-low", 1, "bad", "vcpu-timeslice-us", "cell 0: 99 out of range 100..1000000"},
    {"bad-slice-length", 1, "bad", "vcpu-timeslice-us", "must be 1 or 3 cells"},
    {"bad-affinity-cpu", 1, "bad", "vcpu-affinity", "host cpu 4 does not exist (host has 4"},
    {"bad-affinity-length", 1, "bad", "vcpu-affinity",
     "must be 1 cell (the guest has 1 vCPU), not 2 cells"},
    {"bad-autostart-value", 1, "bad", "autostart", "takes no value"},
    {"bad-bootargs-list", 1, "bad", "bootargs", "must be one string"},
    {"bad-dev-type-missing", 1, "bad", "disk0", "disk0: type: missing"},
    {"bad-dev-type-unknown", 1, "bad", "gpu0", "type: \"virtio-gpu\" unknown"},
    {"bad-dev-type-control", 1, "bad", "dev0", "type: \"virtio??[2J\" unknown"},
    {"bad-dev-unknown-prop", 1, "bad", "disk0", "disk0: imag: unknown property"},
    {"bad-dev-wrong-type-prop", 1, "bad", "disk0", "switch: not a virtio-blk property"},
    {"bad-dev-blk-no-image", 1, "bad", "disk0", "disk0: image: missing (required"},
    {"bad-dev-blk-missing-image", 1, "bad", "disk0: image", "missing image \"images/nodisk.img\""},
    {"bad-dev-blk-odd-size", 1, "bad", "disk0", "is 1000 bytes, not a multiple of 512"},
    {"bad-dev-blk-ro-value", 1, "bad", "disk0", "read-only: takes no value"},
    {"bad-dev-net-no-switch", 1, "bad", "net0", "net0: switch: missing"},
    {"bad-dev-net-switch-name", 1, "bad", "net0", "switch: must be a name"},
    {"bad-dev-net-mac-length", 1, "bad", "net0", "mac: must be 6 bytes"},
    {"bad-dev-net-mac-multicast", 1, "bad", "net0", "mac: a multicast address"},
    {"bad-dev-net-mac-zero", 1, "bad", "net0", "net0: mac: all zero"},
    {"bad-dev-net-mac-twice", 1, "bad", "net1",
     "net1: mac: 02:00:00:00:00:01 is already net0's on switch lan"},
    {"bad-dev-name-at", 1, "bad", "devices", "device name \"rng0@1\" invalid"},
    {"bad-dev-too-many", 1, "bad", "devices", "more than 8 devices"},
    {"bad-dev-child", 1, "bad", "disk0", "disk0: part0: unknown node (a device has no child"},
    {"bad-dev-prop-in-devices", 1, "bad", "count", "count: unknown property (devices { }"},
};
#define BAD_COUNT (sizeof(bad_cases) / sizeof(bad_cases[0]))

static void test_bad_configs(void **state)
{
	(void)state;

	for (size_t i = 0; i < BAD_COUNT; i++) {
		const struct bad_case *c = &bad_cases[i];
		struct seen s;
		int ret = parse(c->file, &s);

		if (ret != c->ret || s.err_count != 1 || strcmp(s.err_node[0], c->node) != 0 ||
		    strcmp(s.err_prop[0], c->prop) != 0 ||
		    strstr(s.err_reason[0], c->reason) == NULL) {
			fail_msg("%s: got %d, %d errors, first: node '%s' property '%s': %s",
			         c->file, ret, s.err_count, s.err_node[0], s.err_prop[0],
			         s.err_reason[0]);
		}
		/* The sibling guest carries on. */
		if (ret == 1) {
			assert_string_equal(s.guests[0].name, "ok");
		}
	}
}

/* Every bad-*.dts in the source directory has its row in the table. */
static void test_bad_table_complete(void **state)
{
	DIR *d = opendir("tests/unit/configs");
	struct dirent *e;
	size_t files = 0;
	(void)state;

	if (d == NULL) {
		skip(); /* run from elsewhere than the source tree */
	}
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		bool listed = false;

		if (strncmp(e->d_name, "bad-", 4) != 0 || n < 5 ||
		    strcmp(e->d_name + n - 4, ".dts")) {
			continue;
		}
		files++;
		for (size_t i = 0; i < BAD_COUNT; i++) {
			listed |= strlen(bad_cases[i].file) == n - 4 &&
			          strncmp(bad_cases[i].file, e->d_name, n - 4) == 0;
		}
		if (!listed) {
			closedir(d);
			fail_msg("%s has no row in bad_cases[]", e->d_name);
		}
	}
	closedir(d);
	assert_int_equal(files, BAD_COUNT);
}

/* Without a bundle only paths are checked; the two limits can be switched off. */
static void test_checks_that_depend_on_the_caller(void **state)
{
	struct seen s;
	(void)state;

	assert_int_equal(parse_full("bad-kernel-not-in-bundle", NULL, 0, FREE_RAM, HOST_CPUS, &s),
	                 2);
	assert_string_equal(s.guests[1].kernel.path, "images/Imag");
	assert_null(s.guests[1].kernel.data);
	assert_int_equal(parse_full("bad-memory-images", NULL, 0, FREE_RAM, HOST_CPUS, &s), 2);
	assert_int_equal(
	    parse_full("bad-memory-free", bundle.data, bundle.size, UINT64_MAX, HOST_CPUS, &s), 2);
	assert_int_equal(
	    parse_full("bad-affinity-cpu", bundle.data, bundle.size, FREE_RAM, UINT32_MAX, &s), 2);
	assert_int_equal(s.guests[1].vcpu_affinity[1], 4);

	/* Fewer host cpus than good-full's affinity names: only linux0 (cpu 3) and Small-2 go. */
	assert_int_equal(parse_full("good-full", bundle.data, bundle.size, FREE_RAM, 3, &s), 1);
	assert_int_equal(s.err_count, 2);
	assert_string_equal(s.err_node[0], "linux0");
	assert_string_equal(s.err_reason[0],
	                    "vcpu-affinity: cell 1: host cpu 3 does not exist (host has 3 cpus)");
	assert_string_equal(s.err_node[1], "Small-2");
	assert_string_equal(s.guests[0].name, "rtos_1");

	/* Less free RAM: Small-2 (1 GiB) no longer fits. */
	assert_int_equal(parse_full("good-full", bundle.data, bundle.size, FREE_RAM - 1, 4, &s), 2);
	assert_string_equal(s.err_reason[0],
	                    "memory: RAM of 1024 MiB larger than free memory (1023 MiB)");
}

/* A damaged bundle is one refusal for the whole configuration, not one per guest. */
static void test_damaged_bundle(void **state)
{
	struct seen s;
	(void)state;

	for (size_t cut = 0; cut < 1024; cut += 97) {
		uint8_t *copy = malloc(cut + 1);
		assert_non_null(copy);
		memcpy(copy, bundle.data, cut);
		assert_int_equal(parse_full("good-full", copy, cut, FREE_RAM, HOST_CPUS, &s),
		                 VIREO_EINVAL);
		assert_int_equal(s.err_count, 1);
		assert_string_equal(s.err_node[0], "/");
		assert_string_equal(s.err_prop[0], "");
		assert_string_equal(s.err_reason[0], "bundle: not a valid cpio newc archive");
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full),
	    cmocka_unit_test(test_minimal_defaults),
	    cmocka_unit_test(test_example_from_bundle),
	    cmocka_unit_test(test_bad_configs),
	    cmocka_unit_test(test_bad_table_complete),
	    cmocka_unit_test(test_checks_that_depend_on_the_caller),
	    cmocka_unit_test(test_damaged_bundle),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
