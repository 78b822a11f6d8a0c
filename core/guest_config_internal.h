/* SPDX-License-Identifier: GPL-2.0-only */
/** Shared by the configuration parser's files (core/guest_config*.c). */
#ifndef VIREO_CORE_GUEST_CONFIG_INTERNAL_H
#define VIREO_CORE_GUEST_CONFIG_INTERNAL_H

#include <vireo/compiler.h>
#include <vireo/fdt.h>
#include <vireo/guest_config.h>

/* The guest properties, in the order they are checked after the name. */
enum guest_prop {
	P_VCPUS,
	P_MEMORY,
	P_KERNEL,
	P_INITRD,
	P_DTB,
	P_BOOTARGS,
	P_AUTOSTART,
	P_PRIO,
	P_SLICE,
	P_AFFINITY,
	P_COUNT
};

struct parse_ctx {
	const struct fdt *fdt;
	const void *bundle;
	size_t bundle_size;
	uint64_t free_ram;
	uint32_t host_cpus;
	guest_config_err_fn err_cb;
	void *arg;
	const char *node; /* name of the node being parsed, for err_cb */
	struct fdt_prop props[P_COUNT];
	bool have[P_COUNT];
};

/** Reports one refusal through err_cb and returns VIREO_EINVAL. */
__printf_like(3, 4) int guest_config_refuse(const struct parse_ctx *ctx, const char *property,
                                            const char *fmt, ...);

/** Spec 2.2.4.1 <string>: exactly one NUL-terminated string filling the value, or NULL. */
const char *guest_config_prop_string(const struct fdt_prop *p);

bool guest_config_is_letter(char c);

/** dtc adds phandle properties to nodes a label reference points at; they mean nothing here. */
bool guest_config_is_phandle(const char *name);

/**
 * Looks path up in the bundle for property prop: a non-empty regular file, else a refusal.
 * Without a bundle only the path is recorded.
 */
int guest_config_bundle_image(const struct parse_ctx *ctx, const char *prop, const char *path,
                              struct guest_image *img);

/** Parses the guest's devices { } node (core/guest_config_devices.c). */
int guest_config_parse_devices(const struct parse_ctx *ctx, struct guest_config *cfg);

#endif
