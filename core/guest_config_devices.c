/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The devices { } node of a guest (docs/configuration.md, "Devices"): one child node per VirtIO
 * device, in slot order, each with type = "virtio-blk" | "virtio-net" | "virtio-rng" |
 * "virtio-console" and the properties of its type. Like the rest of the configuration, anything
 * unknown is refused with a line that names the device and the property.
 */
#include <vireo/errno.h>
#include <vireo/printf.h>
#include <vireo/string.h>

#include "guest_config_internal.h"

enum dev_prop {
	D_TYPE,
	D_IMAGE,
	D_READ_ONLY,
	D_SWITCH,
	D_MAC,
	D_COUNT,
};

static const char *const dev_prop_names[D_COUNT] = {
    [D_TYPE] = "type",     [D_IMAGE] = "image", [D_READ_ONLY] = "read-only",
    [D_SWITCH] = "switch", [D_MAC] = "mac",
};

static const struct {
	const char *name;
	enum guest_device_type type;
	unsigned int props; /* bit per enum dev_prop the type accepts (type itself always) */
} types[] = {
    {"virtio-blk", GUEST_DEV_VIRTIO_BLK, 1U << D_IMAGE | 1U << D_READ_ONLY},
    {"virtio-net", GUEST_DEV_VIRTIO_NET, 1U << D_SWITCH | 1U << D_MAC},
    {"virtio-rng", GUEST_DEV_VIRTIO_RNG, 0},
    {"virtio-console", GUEST_DEV_VIRTIO_CONSOLE, 0},
};

#define TYPE_COUNT (sizeof(types) / sizeof(types[0]))

const char *guest_device_type_name(enum guest_device_type t)
{
	for (unsigned int i = 0; i < TYPE_COUNT; i++) {
		if (types[i].type == t) {
			return types[i].name;
		}
	}
	return "?";
}

/* Device and switch names: a letter, then letters, digits, '-' and '_' (shell arguments). */
static bool valid_name(const char *s, size_t max)
{
	size_t len = strlen(s);
	if (len == 0 || len > max || !guest_config_is_letter(s[0])) {
		return false;
	}
	for (size_t i = 1; i < len; i++) {
		char c = s[i];
		if (!guest_config_is_letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_') {
			return false;
		}
	}
	return true;
}

/*
 * A stable locally administered unicast address (IEEE 802 U/L bit set, I/G bit clear): the
 * same guest and device always get the same MAC, and different ones almost surely differ.
 */
static void derive_mac(const char *guest, const char *dev, unsigned int slot, uint8_t mac[6])
{
	uint32_t h = 2166136261U; /* FNV-1a */
	for (const char *s = guest; *s; s++) {
		h = (h ^ (uint8_t)*s) * 16777619U;
	}
	h = (h ^ '/') * 16777619U;
	for (const char *s = dev; *s; s++) {
		h = (h ^ (uint8_t)*s) * 16777619U;
	}
	mac[0] = 0x02;
	mac[1] = (uint8_t)slot;
	mac[2] = (uint8_t)(h >> 24);
	mac[3] = (uint8_t)(h >> 16);
	mac[4] = (uint8_t)(h >> 8);
	mac[5] = (uint8_t)h;
}

struct dev_ctx {
	const struct parse_ctx *pc;
	const char *name; /* the device: refusals start with it, then the property */
	struct fdt_prop props[D_COUNT];
	bool have[D_COUNT];
};

static int collect(struct dev_ctx *d, int node)
{
	struct fdt_prop p;
	for (unsigned int i = 0; fdt_prop_at(d->pc->fdt, node, i, &p) == 0; i++) {
		unsigned int k;
		for (k = 0; k < D_COUNT && strcmp(p.name, dev_prop_names[k]) != 0; k++) {
		}
		if (k < D_COUNT) {
			d->props[k] = p;
			d->have[k] = true;
		} else if (!guest_config_is_phandle(p.name)) {
			return guest_config_refuse(d->pc, d->name, "%s: %s: unknown property",
			                           d->name, p.name);
		}
	}
	int child = fdt_first_child(d->pc->fdt, node);
	if (child >= 0) {
		const char *name = fdt_node_name(d->pc->fdt, child);
		return guest_config_refuse(d->pc, d->name,
		                           "%s: %s: unknown node (a device has no child nodes)",
		                           d->name, name ? name : "");
	}
	return 0;
}

static int parse_type(struct dev_ctx *d, unsigned int *index)
{
	if (!d->have[D_TYPE]) {
		return guest_config_refuse(
		    d->pc, d->name,
		    "%s: type: missing (virtio-blk, virtio-net, virtio-rng or "
		    "virtio-console)",
		    d->name);
	}
	const char *s = guest_config_prop_string(&d->props[D_TYPE]);
	for (unsigned int i = 0; s && i < TYPE_COUNT; i++) {
		if (strcmp(s, types[i].name) == 0) {
			*index = i;
			return 0;
		}
	}
	return guest_config_refuse(
	    d->pc, d->name,
	    "%s: type: \"%s\" unknown (virtio-blk, virtio-net, virtio-rng or "
	    "virtio-console)",
	    d->name, s ? s : "?");
}

static int parse_blk(struct dev_ctx *d, struct guest_device_config *dev)
{
	if (!d->have[D_IMAGE]) {
		return guest_config_refuse(
		    d->pc, d->name, "%s: image: missing (required: the disk image in the bundle)",
		    d->name);
	}
	const char *path = guest_config_prop_string(&d->props[D_IMAGE]);
	if (path == NULL || path[0] == '\0') {
		return guest_config_refuse(
		    d->pc, d->name,
		    "%s: image: must be one non-empty string (a path in the bundle)", d->name);
	}
	if (d->have[D_READ_ONLY] && d->props[D_READ_ONLY].len != 0) {
		return guest_config_refuse(d->pc, d->name, "%s: read-only: takes no value",
		                           d->name);
	}
	dev->read_only = d->have[D_READ_ONLY];
	char prop[GUEST_CONFIG_DEV_NAME_MAX + 8];
	snprintf(prop, sizeof(prop), "%s: image", d->name);
	if (guest_config_bundle_image(d->pc, prop, path, &dev->image) != 0) {
		return VIREO_EINVAL;
	}
	/* virtio-blk counts 512-byte sectors (VirtIO 1.2, 5.2.4): a partial one cannot be used. */
	if (dev->image.data != NULL && dev->image.size % 512 != 0) {
		return guest_config_refuse(d->pc, d->name,
		                           "%s: image: \"%s\" is %llu bytes, not a multiple of 512",
		                           d->name, path, (unsigned long long)dev->image.size);
	}
	return 0;
}

/*
 * A switch port owns its MAC address (core/vswitch.c): two devices of the guest on one switch
 * cannot share one. Across guests the switch decides when the second guest is created.
 */
static int check_mac_unique(struct dev_ctx *d, const struct guest_config *cfg,
                            const struct guest_device_config *dev)
{
	for (unsigned int i = 0; i < cfg->device_count; i++) {
		const struct guest_device_config *o = &cfg->devices[i];
		if (o->type == GUEST_DEV_VIRTIO_NET &&
		    strcmp(o->switch_name, dev->switch_name) == 0 &&
		    memcmp(o->mac, dev->mac, sizeof(dev->mac)) == 0) {
			char mac[MAC_STR_SIZE];
			return guest_config_refuse(
			    d->pc, d->name, "%s: mac: %s is already %s's on switch %s", d->name,
			    mac_to_str(dev->mac, mac), o->name, dev->switch_name);
		}
	}
	return 0;
}

static int parse_mac(struct dev_ctx *d, struct guest_device_config *dev, const char *guest,
                     unsigned int slot)
{
	if (!d->have[D_MAC]) {
		derive_mac(guest, dev->name, slot, dev->mac);
		return 0;
	}
	const struct fdt_prop *p = &d->props[D_MAC];
	const uint8_t *m = p->value;
	if (p->len != 6) {
		return guest_config_refuse(
		    d->pc, d->name, "%s: mac: must be 6 bytes, e.g. [02 00 00 00 00 01]", d->name);
	}
	if (m[0] & 1) {
		return guest_config_refuse(
		    d->pc, d->name, "%s: mac: a multicast address (first byte odd)", d->name);
	}
	if ((m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) == 0) {
		return guest_config_refuse(d->pc, d->name, "%s: mac: all zero", d->name);
	}
	memcpy(dev->mac, m, 6);
	return 0;
}

static int parse_net(struct dev_ctx *d, struct guest_device_config *dev,
                     const struct guest_config *cfg)
{
	if (!d->have[D_SWITCH]) {
		return guest_config_refuse(
		    d->pc, d->name, "%s: switch: missing (required: the name of a virtual switch)",
		    d->name);
	}
	const char *sw = guest_config_prop_string(&d->props[D_SWITCH]);
	if (sw == NULL || !valid_name(sw, GUEST_CONFIG_SWITCH_MAX)) {
		return guest_config_refuse(
		    d->pc, d->name,
		    "%s: switch: must be a name of 1..%d letters, digits, '-', '_' "
		    "starting with a letter",
		    d->name, GUEST_CONFIG_SWITCH_MAX);
	}
	strlcpy(dev->switch_name, sw, sizeof(dev->switch_name));
	if (parse_mac(d, dev, cfg->name, cfg->device_count) != 0) {
		return VIREO_EINVAL;
	}
	return check_mac_unique(d, cfg, dev);
}

static int parse_device(const struct parse_ctx *ctx, int node, const char *name,
                        struct guest_config *cfg)
{
	struct dev_ctx d;
	struct guest_device_config *dev;
	unsigned int t = 0;

	memset(&d, 0, sizeof(d));
	d.pc = ctx;
	d.name = name;
	/* Refusals name the guest; the property names the device. */
	if (!valid_name(name, GUEST_CONFIG_DEV_NAME_MAX)) {
		return guest_config_refuse(
		    ctx, "devices",
		    "devices: device name \"%s\" invalid (1..%d letters, digits, "
		    "'-', '_', starting with a letter)",
		    name, GUEST_CONFIG_DEV_NAME_MAX);
	}
	for (unsigned int i = 0; i < cfg->device_count; i++) {
		if (strcmp(cfg->devices[i].name, name) == 0) {
			return guest_config_refuse(ctx, "devices", "devices: two devices named %s",
			                           name);
		}
	}
	if (cfg->device_count == GUEST_CONFIG_DEVICES_MAX) {
		return guest_config_refuse(ctx, "devices", "devices: more than %d devices",
		                           GUEST_CONFIG_DEVICES_MAX);
	}
	dev = &cfg->devices[cfg->device_count];
	memset(dev, 0, sizeof(*dev));
	strlcpy(dev->name, name, sizeof(dev->name));
	if (collect(&d, node) != 0 || parse_type(&d, &t) != 0) {
		return VIREO_EINVAL;
	}
	dev->type = types[t].type;
	for (unsigned int k = D_TYPE + 1; k < D_COUNT; k++) {
		if (d.have[k] && !(types[t].props & (1U << k))) {
			return guest_config_refuse(d.pc, d.name, "%s: %s: not a %s property",
			                           d.name, dev_prop_names[k], types[t].name);
		}
	}
	int err = 0;
	switch (dev->type) {
	case GUEST_DEV_VIRTIO_BLK:
		err = parse_blk(&d, dev);
		break;
	case GUEST_DEV_VIRTIO_NET:
		err = parse_net(&d, dev, cfg);
		break;
	case GUEST_DEV_VIRTIO_RNG:
	case GUEST_DEV_VIRTIO_CONSOLE:
		break;
	}
	if (!err) {
		cfg->device_count++;
	}
	return err;
}

int guest_config_parse_devices(const struct parse_ctx *ctx, struct guest_config *cfg)
{
	struct fdt_prop p;
	int node = cfg->devices_node;

	if (node < 0) {
		return 0;
	}
	for (unsigned int i = 0; fdt_prop_at(ctx->fdt, node, i, &p) == 0; i++) {
		if (!guest_config_is_phandle(p.name)) {
			return guest_config_refuse(
			    ctx, p.name,
			    "%s: unknown property (devices { } holds device nodes only)", p.name);
		}
	}
	for (int child = fdt_first_child(ctx->fdt, node); child >= 0;
	     child = fdt_next_sibling(ctx->fdt, child)) {
		const char *name = fdt_node_name(ctx->fdt, child);
		if (parse_device(ctx, child, name ? name : "", cfg) != 0) {
			return VIREO_EINVAL;
		}
	}
	return 0;
}
