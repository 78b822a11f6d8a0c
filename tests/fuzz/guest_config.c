/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest configuration parser (core/guest_config.c, core/guest_config_devices.c) with the
 * bundle reader under it (lib/cpio.c). The input is a configuration device tree followed by a
 * bundle: the tree's header totalsize says where the bundle starts (rounded up to 4 bytes).
 * Both are parsed as the hypervisor does at boot: guest_config_parse() with the bundle, and
 * guest_config_open() + guest_config_parse() on the bundle alone (its own config.dtb).
 *
 * Checked: every accepted guest is within the documented limits, its images lie inside the
 * bundle and are non-empty; every refusal is one line starting with the property it names.
 */
#include <vireo/errno.h>
#include <vireo/fdt.h>
#include <vireo/guest_config.h>

#include "fuzz.h"

#define FREE_RAM  (256ULL << 20)
#define HOST_CPUS 4U

struct span {
	const uint8_t *lo, *hi;
};

static bool in_span(const struct span *s, const void *p, size_t len)
{
	const uint8_t *b = p;

	return b >= s->lo && b <= s->hi && len <= (size_t)(s->hi - b);
}

static bool valid_name(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len == 0 || len > max ||
	    !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) {
		return false;
	}
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == len;
}

struct ctx {
	struct span dtb;    /* strings of the configuration point here */
	struct span bundle; /* image data points here */
	bool have_bundle;
	unsigned int guests;
	unsigned int errors;
};

static void check_image(const struct ctx *c, const struct guest_image *img, bool required)
{
	if (img->path == NULL) {
		FUZZ_CHECK(!required && img->data == NULL && img->size == 0);
		return;
	}
	FUZZ_CHECK(in_span(&c->dtb, img->path, strlen(img->path) + 1) && img->path[0] != '\0');
	if (c->have_bundle) {
		FUZZ_CHECK(img->data != NULL && img->size > 0 &&
		           in_span(&c->bundle, img->data, img->size));
	} else {
		FUZZ_CHECK(img->data == NULL);
	}
}

static void on_guest(const struct guest_config *cfg, void *arg)
{
	struct ctx *c = arg;

	c->guests++;
	FUZZ_CHECK(valid_name(cfg->name, GUEST_CONFIG_NAME_MAX));
	FUZZ_CHECK(cfg->vcpu_count >= 1 && cfg->vcpu_count <= GUEST_CONFIG_VCPU_MAX);
	FUZZ_CHECK(cfg->ram_size >= GUEST_CONFIG_RAM_MIN && cfg->ram_size <= FREE_RAM &&
	           cfg->ram_size % GUEST_CONFIG_RAM_ALIGN == 0);
	check_image(c, &cfg->kernel, true);
	check_image(c, &cfg->initrd, false);
	check_image(c, &cfg->dtb, false);
	FUZZ_CHECK((uint64_t)cfg->kernel.size + cfg->initrd.size + cfg->dtb.size <= cfg->ram_size);
	if (cfg->bootargs != NULL) {
		size_t n = strlen(cfg->bootargs);

		FUZZ_CHECK(in_span(&c->dtb, cfg->bootargs, n + 1) && n < GUEST_CONFIG_BOOTARGS_MAX);
	}
	for (uint32_t i = 0; i < cfg->vcpu_count; i++) {
		FUZZ_CHECK(cfg->vcpu_prio[i] <= GUEST_CONFIG_PRIO_MAX);
		FUZZ_CHECK(cfg->vcpu_slice_us[i] >= GUEST_CONFIG_SLICE_MIN_US &&
		           cfg->vcpu_slice_us[i] <= GUEST_CONFIG_SLICE_MAX_US);
		FUZZ_CHECK(cfg->vcpu_affinity[i] < HOST_CPUS ||
		           cfg->vcpu_affinity[i] == GUEST_CONFIG_AFFINITY_ANY);
	}
	FUZZ_CHECK(cfg->device_count <= GUEST_CONFIG_DEVICES_MAX);
	for (unsigned int i = 0; i < cfg->device_count; i++) {
		const struct guest_device_config *d = &cfg->devices[i];

		FUZZ_CHECK(valid_name(d->name, GUEST_CONFIG_DEV_NAME_MAX));
		for (unsigned int j = 0; j < i; j++) {
			FUZZ_CHECK(strcmp(d->name, cfg->devices[j].name) != 0);
		}
		FUZZ_CHECK(strcmp(guest_device_type_name(d->type), "?") != 0);
		if (d->type == GUEST_DEV_VIRTIO_BLK) {
			check_image(c, &d->image, true);
			FUZZ_CHECK(d->image.size % 512 == 0);
		}
		if (d->type == GUEST_DEV_VIRTIO_NET) {
			FUZZ_CHECK(valid_name(d->switch_name, GUEST_CONFIG_SWITCH_MAX));
			FUZZ_CHECK((d->mac[0] & 1) == 0);
			FUZZ_CHECK((d->mac[0] | d->mac[1] | d->mac[2] | d->mac[3] | d->mac[4] |
			            d->mac[5]) != 0);
		}
	}
}

static void on_error(const char *node, const char *property, const char *reason, void *arg)
{
	struct ctx *c = arg;

	c->errors++;
	FUZZ_CHECK(node != NULL && reason != NULL);
	/* include/vireo/guest_config.h: one line, starting with the property at fault. */
	FUZZ_CHECK(strchr(reason, '\n') == NULL && strchr(reason, '\r') == NULL);
	if (property != NULL) {
		FUZZ_CHECK(strncmp(reason, property, strlen(property)) == 0);
	}
}

static void parse(const struct fdt *fdt, const uint8_t *blob, size_t blob_size,
                  const uint8_t *bundle, size_t bundle_size)
{
	struct ctx c = {
	    .dtb = {blob, blob + blob_size},
	    .bundle = {bundle, bundle != NULL ? bundle + bundle_size : NULL},
	    .have_bundle = bundle != NULL,
	};
	int ret = guest_config_parse(fdt, bundle, bundle_size, FREE_RAM, HOST_CPUS, on_guest,
	                             on_error, &c);

	FUZZ_CHECK(ret == VIREO_EINVAL || (ret >= 0 && (unsigned int)ret == c.guests));
	FUZZ_CHECK(ret >= 0 || c.errors > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Copies of exactly the right sizes, so ASan sees a read past either end. */
	size_t dtb_size = size;
	size_t bundle_off;
	struct fdt fdt;

	if (size >= 8 && fdt_header_totalsize(data) < size) {
		dtb_size = fdt_header_totalsize(data);
	}
	bundle_off = (dtb_size + 3) & ~(size_t)3;
	if (bundle_off > size) {
		bundle_off = size;
	}
	uint8_t *dtb = malloc(dtb_size);
	uint8_t *bundle = malloc(size - bundle_off);
	memcpy(dtb, data, dtb_size);
	memcpy(bundle, data + bundle_off, size - bundle_off);
	if (fdt_open(&fdt, dtb, dtb_size) == 0) {
		parse(&fdt, dtb, dtb_size, bundle, size - bundle_off);
		parse(&fdt, dtb, dtb_size, NULL, 0);
	}
	if (guest_config_open(bundle, size - bundle_off, &fdt) == 0) {
		/* The configuration lives inside the bundle. */
		parse(&fdt, bundle, size - bundle_off, bundle, size - bundle_off);
	}
	free(dtb);
	free(bundle);
	return 0;
}
