/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest configuration parser: /guests of the configuration device tree into struct
 * guest_config, schema in docs/configuration.md. Value encodings follow the Devicetree
 * Specification v0.4, 2.2.4: <u32> cells are big-endian, a <string> is NUL-terminated, a
 * boolean property is <empty>. Images are looked up in the bundle with lib/cpio.c.
 *
 * Every refusal is one line that starts with the property name; a guest is refused at its first
 * problem, in a fixed order (name, unknown properties and nodes, vcpus, memory, images, bootargs,
 * autostart, per-vCPU arrays), so the same file always gives the same message.
 */
#include <vireo/cpio.h>
#include <vireo/errno.h>
#include <vireo/fdt.h>
#include <vireo/guest_config.h>
#include <vireo/printf.h>
#include <vireo/string.h>

#include "guest_config_internal.h"

#define REASON_MAX 192
/* Node and property names in refusals; the spec's names are at most 31 characters (2.2.1). */
#define NAME_COPY_MAX 64

static const char *const prop_names[P_COUNT] = {
    [P_VCPUS] = "vcpus",
    [P_MEMORY] = "memory",
    [P_KERNEL] = "kernel",
    [P_INITRD] = "initrd",
    [P_DTB] = "dtb",
    [P_BOOTARGS] = "bootargs",
    [P_AUTOSTART] = "autostart",
    [P_PRIO] = "vcpu-priority",
    [P_SLICE] = "vcpu-timeslice-us",
    [P_AFFINITY] = "vcpu-affinity",
};

/*
 * Copies s into buf as one line of text: control characters (a newline, the ESC or CSI of a
 * terminal sequence) become '?', since names and strings in the file may hold anything and the copy ends
 * up on the console. Truncated to the buffer like the reason itself.
 */
static const char *one_line(char *buf, size_t size, const char *s)
{
	size_t i;

	for (i = 0; i + 1 < size && s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		/* C0 and C1 controls and DEL (0x9b alone starts a terminal sequence). */
		buf[i] = c < 0x20 || (c >= 0x7f && c <= 0x9f) ? '?' : (char)c;
	}
	buf[i] = '\0';
	return buf;
}

/* Reports one refusal through err_cb and returns VIREO_EINVAL. */
int guest_config_refuse(const struct parse_ctx *ctx, const char *property, const char *fmt, ...)
{
	char reason[REASON_MAX];
	char node[NAME_COPY_MAX];
	char prop[NAME_COPY_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (ctx->err_cb != NULL) {
		ctx->err_cb(one_line(node, sizeof(node), ctx->node),
		            property != NULL ? one_line(prop, sizeof(prop), property) : NULL,
		            one_line(reason, sizeof(reason), reason), ctx->arg);
	}
	return VIREO_EINVAL;
}

bool guest_config_is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Names are shell arguments and log prefixes: a letter, then letters, digits, '-' and '_'. */
static int check_name(const struct parse_ctx *ctx, struct guest_config *cfg)
{
	const char *name = ctx->node;
	size_t len = strlen(name);

	if (len > GUEST_CONFIG_NAME_MAX) {
		return guest_config_refuse(ctx, NULL, "guest name: longer than %d characters",
		                           GUEST_CONFIG_NAME_MAX);
	}
	if (!guest_config_is_letter(name[0])) {
		return guest_config_refuse(ctx, NULL, "guest name: must start with a letter");
	}
	for (size_t i = 1; i < len; i++) {
		char c = name[i];

		if (!guest_config_is_letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_') {
			return guest_config_refuse(ctx, NULL, "guest name: '%c' not allowed (%s)",
			                           c, "letters, digits, '-', '_' only");
		}
	}
	memcpy(cfg->name, name, len + 1);
	return 0;
}

/* dtc adds phandle properties to nodes that a label reference points at; they mean nothing here. */
bool guest_config_is_phandle(const char *name)
{
	return strcmp(name, "phandle") == 0 || strcmp(name, "linux,phandle") == 0;
}

/* Sorts the guest node's properties into ctx->props; anything unknown is a refusal. */
static int collect(struct parse_ctx *ctx, int node, struct guest_config *cfg)
{
	struct fdt_prop p;
	int child;

	/* fdt_open() validated the blob: fdt_prop_at() fails only past the last property. */
	for (unsigned int i = 0; fdt_prop_at(ctx->fdt, node, i, &p) == 0; i++) {
		unsigned int k;

		for (k = 0; k < P_COUNT; k++) {
			if (strcmp(p.name, prop_names[k]) == 0) {
				break;
			}
		}
		if (k < P_COUNT) {
			ctx->props[k] = p;
			ctx->have[k] = true;
		} else if (!guest_config_is_phandle(p.name)) {
			return guest_config_refuse(ctx, p.name, "%s: unknown property", p.name);
		}
	}
	/* Only devices { } may be a child (core/guest_config_devices.c parses it). */
	cfg->devices_node = VIREO_ENOENT;
	for (child = fdt_first_child(ctx->fdt, node); child >= 0;
	     child = fdt_next_sibling(ctx->fdt, child)) {
		const char *name = fdt_node_name(ctx->fdt, child);

		if (name != NULL && strcmp(name, "devices") == 0) {
			cfg->devices_node = child;
			continue;
		}
		name = name != NULL ? name : "";
		return guest_config_refuse(
		    ctx, name, "%s: unknown node (a guest may only contain devices { })", name);
	}
	return 0;
}

/* A value length for messages: in cells when it is whole cells, else in bytes. */
static uint32_t len_units(uint32_t len, const char **unit)
{
	*unit = len % 4 == 0 ? (len == 4 ? "cell" : "cells") : (len == 1 ? "byte" : "bytes");
	return len % 4 == 0 ? len / 4 : len;
}

const char *guest_config_prop_string(const struct fdt_prop *p)
{
	const char *s = p->value;

	if (p->len == 0 || strnlen(s, p->len) != p->len - 1) {
		return NULL;
	}
	return s;
}

static int parse_vcpus(const struct parse_ctx *ctx, struct guest_config *cfg)
{
	const struct fdt_prop *p = &ctx->props[P_VCPUS];
	uint32_t v;

	cfg->vcpu_count = 1;
	if (!ctx->have[P_VCPUS]) {
		return 0;
	}
	if (p->len != 4) {
		return guest_config_refuse(ctx, "vcpus", "vcpus: must be one cell, e.g. <2>");
	}
	v = fdt_be32(p->value);
	if (v < 1 || v > GUEST_CONFIG_VCPU_MAX) {
		return guest_config_refuse(ctx, "vcpus", "vcpus: %u out of range 1..%d", v,
		                           GUEST_CONFIG_VCPU_MAX);
	}
	cfg->vcpu_count = v;
	return 0;
}

static int parse_memory(const struct parse_ctx *ctx, struct guest_config *cfg)
{
	const struct fdt_prop *p = &ctx->props[P_MEMORY];
	uint64_t ram;

	if (!ctx->have[P_MEMORY]) {
		return guest_config_refuse(ctx, "memory",
		                           "memory: missing (required: RAM size in bytes)");
	}
	/* One cell for sizes below 4 GiB, or a 64-bit <hi lo> pair like a reg size. */
	if (p->len != 4 && p->len != 8) {
		const char *unit;
		uint32_t n = len_units(p->len, &unit);

		return guest_config_refuse(ctx, "memory", "memory: must be 1 or 2 cells, not %u %s",
		                           n, unit);
	}
	ram = fdt_read_cells(p->value, 0, p->len / 4);
	if (ram < GUEST_CONFIG_RAM_MIN) {
		return guest_config_refuse(ctx, "memory",
		                           "memory: 0x%llx bytes is below the 2 MiB minimum",
		                           (unsigned long long)ram);
	}
	if ((ram & (GUEST_CONFIG_RAM_ALIGN - 1)) != 0) {
		return guest_config_refuse(ctx, "memory",
		                           "memory: 0x%llx bytes is not a multiple of 2 MiB",
		                           (unsigned long long)ram);
	}
	if (ram > ctx->free_ram) {
		return guest_config_refuse(
		    ctx, "memory", "memory: RAM of %llu MiB larger than free memory (%llu MiB)",
		    (unsigned long long)(ram >> 20), (unsigned long long)(ctx->free_ram >> 20));
	}
	cfg->ram_size = ram;
	return 0;
}

int guest_config_bundle_image(const struct parse_ctx *ctx, const char *prop, const char *path,
                              struct guest_image *img)
{
	struct cpio_file f;
	int ret;

	img->path = path;
	if (ctx->bundle == NULL) {
		return 0;
	}
	ret = cpio_find(ctx->bundle, ctx->bundle_size, path, &f);
	if (ret == VIREO_ENOENT) {
		return guest_config_refuse(
		    ctx, prop, "%s: missing image \"%s\" (not in the bundle)", prop, path);
	}
	if (ret != 0) {
		return guest_config_refuse(ctx, prop, "%s: bundle unreadable (%s)", prop,
		                           vireo_strerror(ret));
	}
	if (!cpio_is_reg(&f)) {
		return guest_config_refuse(
		    ctx, prop, "%s: \"%s\" is not a regular file in the bundle", prop, path);
	}
	if (f.size == 0) {
		return guest_config_refuse(ctx, prop, "%s: image \"%s\" is empty", prop, path);
	}
	img->data = f.data;
	img->size = f.size;
	return 0;
}

/* A path property: a non-empty string naming a non-empty regular file of the bundle. */
static int parse_image(const struct parse_ctx *ctx, enum guest_prop k, bool required,
                       struct guest_image *img)
{
	const char *prop = prop_names[k];
	const char *path;

	if (!ctx->have[k]) {
		return required ? guest_config_refuse(ctx, prop, "%s: missing (required)", prop)
		                : 0;
	}
	path = guest_config_prop_string(&ctx->props[k]);
	if (path == NULL || path[0] == '\0') {
		return guest_config_refuse(
		    ctx, prop, "%s: must be one non-empty string (a path in the bundle)", prop);
	}
	return guest_config_bundle_image(ctx, prop, path, img);
}

static int parse_images(const struct parse_ctx *ctx, struct guest_config *cfg)
{
	struct fdt dtb;
	uint64_t total;

	if (parse_image(ctx, P_KERNEL, true, &cfg->kernel) != 0 ||
	    parse_image(ctx, P_INITRD, false, &cfg->initrd) != 0 ||
	    parse_image(ctx, P_DTB, false, &cfg->dtb) != 0) {
		return VIREO_EINVAL;
	}
	if (cfg->dtb.data != NULL && fdt_open(&dtb, cfg->dtb.data, cfg->dtb.size) != 0) {
		return guest_config_refuse(
		    ctx, "dtb", "dtb: \"%s\" is not a valid device tree blob", cfg->dtb.path);
	}
	/* A lower bound only: the kernel also needs room for its .bss and page tables. */
	total = (uint64_t)cfg->kernel.size + cfg->initrd.size + cfg->dtb.size;
	if (total > cfg->ram_size) {
		return guest_config_refuse(ctx, "memory",
		                           "memory: %llu MiB too small for the images (%llu KiB)",
		                           (unsigned long long)(cfg->ram_size >> 20),
		                           (unsigned long long)((total + 1023) >> 10));
	}
	return 0;
}

static int parse_flags(const struct parse_ctx *ctx, struct guest_config *cfg)
{
	if (ctx->have[P_BOOTARGS]) {
		const char *s = guest_config_prop_string(&ctx->props[P_BOOTARGS]);

		if (s == NULL) {
			return guest_config_refuse(ctx, "bootargs", "bootargs: must be one string");
		}
		if (ctx->props[P_BOOTARGS].len > GUEST_CONFIG_BOOTARGS_MAX) {
			return guest_config_refuse(ctx, "bootargs",
			                           "bootargs: longer than %d characters",
			                           GUEST_CONFIG_BOOTARGS_MAX - 1);
		}
		cfg->bootargs = s;
	}
	if (ctx->have[P_AUTOSTART]) {
		if (ctx->props[P_AUTOSTART].len != 0) {
			return guest_config_refuse(
			    ctx, "autostart",
			    "autostart: takes no value (write \"autostart;\" or leave it out)");
		}
		cfg->autostart = true;
	}
	return 0;
}

/*
 * A per-vCPU property: one cell for every vCPU, or one cell per vCPU. Values must lie in
 * [min, max]; for vcpu-affinity max is host_cpus (cpus 0 .. host_cpus - 1 exist) and
 * GUEST_CONFIG_AFFINITY_ANY is allowed.
 */
static int parse_per_vcpu(const struct parse_ctx *ctx, enum guest_prop k, uint32_t vcpus,
                          uint32_t def, uint32_t min, uint32_t max, uint32_t *out)
{
	const struct fdt_prop *p = &ctx->props[k];
	const char *prop = prop_names[k];
	uint32_t count;

	for (uint32_t i = 0; i < vcpus; i++) {
		out[i] = def;
	}
	if (!ctx->have[k]) {
		return 0;
	}
	count = p->len / 4;
	if (p->len % 4 != 0 || (count != 1 && count != vcpus)) {
		const char *unit;
		uint32_t n = len_units(p->len, &unit);

		if (vcpus == 1) {
			return guest_config_refuse(
			    ctx, prop, "%s: must be 1 cell (the guest has 1 vCPU), not %u %s", prop,
			    n, unit);
		}
		return guest_config_refuse(ctx, prop,
		                           "%s: must be 1 or %u cells (one per vCPU), not %u %s",
		                           prop, vcpus, n, unit);
	}
	for (uint32_t i = 0; i < vcpus; i++) {
		uint32_t cell = count == 1 ? 0 : i;
		uint32_t v = fdt_be32((const uint8_t *)p->value + 4 * cell);

		if (k == P_AFFINITY && v != GUEST_CONFIG_AFFINITY_ANY && v >= max) {
			return guest_config_refuse(
			    ctx, prop, "%s: cell %u: host cpu %u does not exist (host has %u cpus)",
			    prop, cell, v, max);
		}
		if (k != P_AFFINITY && (v < min || v > max)) {
			return guest_config_refuse(ctx, prop, "%s: cell %u: %u out of range %u..%u",
			                           prop, cell, v, min, max);
		}
		out[i] = v;
	}
	return 0;
}

static int parse_vcpu_arrays(const struct parse_ctx *ctx, struct guest_config *cfg)
{
	uint32_t prio[GUEST_CONFIG_VCPU_MAX];
	uint32_t n = cfg->vcpu_count;

	/* host_cpus == UINT32_MAX (no check): every number below GUEST_CONFIG_AFFINITY_ANY passes. */
	if (parse_per_vcpu(ctx, P_PRIO, n, GUEST_CONFIG_PRIO_DEFAULT, 0, GUEST_CONFIG_PRIO_MAX,
	                   prio) != 0 ||
	    parse_per_vcpu(ctx, P_SLICE, n, GUEST_CONFIG_SLICE_DEFAULT_US,
	                   GUEST_CONFIG_SLICE_MIN_US, GUEST_CONFIG_SLICE_MAX_US,
	                   cfg->vcpu_slice_us) != 0 ||
	    parse_per_vcpu(ctx, P_AFFINITY, n, GUEST_CONFIG_AFFINITY_ANY, 0, ctx->host_cpus,
	                   cfg->vcpu_affinity) != 0) {
		return VIREO_EINVAL;
	}
	for (uint32_t i = 0; i < n; i++) {
		cfg->vcpu_prio[i] = (uint8_t)prio[i];
	}
	return 0;
}

static int parse_guest(struct parse_ctx *ctx, int node, struct guest_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	memset(ctx->props, 0, sizeof(ctx->props));
	memset(ctx->have, 0, sizeof(ctx->have));
	cfg->node = node;
	/* Each step reports its own refusal; the first one ends this guest. */
	if (check_name(ctx, cfg) != 0 || collect(ctx, node, cfg) != 0 ||
	    parse_vcpus(ctx, cfg) != 0 || parse_memory(ctx, cfg) != 0 ||
	    parse_images(ctx, cfg) != 0 || parse_flags(ctx, cfg) != 0 ||
	    parse_vcpu_arrays(ctx, cfg) != 0 || guest_config_parse_devices(ctx, cfg) != 0) {
		return VIREO_EINVAL;
	}
	return 0;
}

/* The root: vireo,config-version, then the /guests node (other root content is ignored). */
static int find_guests(struct parse_ctx *ctx)
{
	const char *vp = "vireo,config-version";
	int root = fdt_root(ctx->fdt);
	uint32_t len;
	const void *v;
	int child;

	ctx->node = "/";
	v = fdt_getprop(ctx->fdt, root, vp, &len);
	if (v == NULL) {
		return guest_config_refuse(ctx, vp, "%s: missing (this Vireo reads version %d)", vp,
		                           GUEST_CONFIG_VERSION);
	}
	if (len != 4) {
		return guest_config_refuse(ctx, vp, "%s: must be one cell, e.g. <%d>", vp,
		                           GUEST_CONFIG_VERSION);
	}
	if (fdt_be32(v) != GUEST_CONFIG_VERSION) {
		return guest_config_refuse(
		    ctx, vp, "%s: version %u not supported (this Vireo reads version %d)", vp,
		    fdt_be32(v), GUEST_CONFIG_VERSION);
	}
	for (child = fdt_first_child(ctx->fdt, root); child >= 0;
	     child = fdt_next_sibling(ctx->fdt, child)) {
		const char *name = fdt_node_name(ctx->fdt, child);

		if (name != NULL && strcmp(name, "guests") == 0) {
			return child;
		}
	}
	return guest_config_refuse(ctx, "guests", "guests: no /guests node");
}

int guest_config_parse(const struct fdt *fdt, const void *bundle, size_t bundle_size,
                       uint64_t free_ram, uint32_t host_cpus, guest_config_fn cb,
                       guest_config_err_fn err_cb, void *arg)
{
	struct parse_ctx ctx = {
	    .fdt = fdt,
	    .bundle = bundle,
	    .bundle_size = bundle_size,
	    .free_ram = free_ram,
	    .host_cpus = host_cpus,
	    .err_cb = err_cb,
	    .arg = arg,
	    .node = "/",
	};
	struct guest_config cfg;
	struct fdt_prop p;
	int valid = 0;
	int guests;
	int node;

	if (bundle != NULL) {
		size_t cursor = 0;
		struct cpio_file f;
		int ret;

		/* Checked once here, so a damaged bundle is one message, not one per guest. */
		while ((ret = cpio_next(bundle, bundle_size, &cursor, &f)) > 0) {
		}
		if (ret < 0) {
			return guest_config_refuse(&ctx, NULL,
			                           "bundle: not a valid cpio newc archive");
		}
	}
	guests = find_guests(&ctx);
	if (guests < 0) {
		return guests;
	}
	ctx.node = "guests";
	for (unsigned int i = 0; fdt_prop_at(fdt, guests, i, &p) == 0; i++) {
		if (!guest_config_is_phandle(p.name)) {
			guest_config_refuse(&ctx, p.name, "%s: unknown property in /guests",
			                    p.name);
		}
	}
	for (node = fdt_first_child(fdt, guests); node >= 0; node = fdt_next_sibling(fdt, node)) {
		ctx.node = fdt_node_name(fdt, node);
		if (ctx.node == NULL) {
			continue;
		}
		if (parse_guest(&ctx, node, &cfg) == 0) {
			valid++;
			if (cb != NULL) {
				cb(&cfg, arg);
			}
		}
	}
	return valid;
}

int guest_config_open(const void *bundle, size_t bundle_size, struct fdt *fdt)
{
	struct cpio_file f;
	int ret = cpio_find(bundle, bundle_size, GUEST_CONFIG_BUNDLE_PATH, &f);

	if (ret != 0) {
		return ret;
	}
	if (!cpio_is_reg(&f)) {
		return VIREO_EINVAL;
	}
	return fdt_open(fdt, f.data, f.size);
}
