/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest configuration: the /guests node of Vireo's configuration device tree (docs/
 * configuration.md), turned into one struct guest_config per guest after validating every
 * property. The configuration travels as GUEST_CONFIG_BUNDLE_PATH inside the bundle, the cpio
 * archive that also holds the guest images (include/vireo/cpio.h).
 *
 * Strings: the guest name is copied into guest_config.name; image paths and bootargs point into
 * the FDT blob and image data into the bundle, so both must stay in memory as long as the
 * configuration is used (the bundle is never freed: guests are reloaded from it on restart).
 */
#ifndef VIREO_GUEST_CONFIG_H
#define VIREO_GUEST_CONFIG_H

#include <vireo/fdt.h>
#include <vireo/types.h>

#define GUEST_CONFIG_VERSION     1            /**< the vireo,config-version this parser reads */
#define GUEST_CONFIG_BUNDLE_PATH "config.dtb" /**< the configuration's name in the bundle */

#define GUEST_CONFIG_NAME_MAX         31 /**< characters, NUL not included */
#define GUEST_CONFIG_VCPU_MAX         16
#define GUEST_CONFIG_RAM_ALIGN        (2ULL << 20) /**< one G-stage megapage */
#define GUEST_CONFIG_RAM_MIN          GUEST_CONFIG_RAM_ALIGN
#define GUEST_CONFIG_BOOTARGS_MAX     1024 /**< bytes, NUL included */
#define GUEST_CONFIG_PRIO_MAX         7    /**< scheduler priorities 0 (lowest) .. 7 */
#define GUEST_CONFIG_PRIO_DEFAULT     3    /**< THREAD_PRIO_DEFAULT: same as the shell */
#define GUEST_CONFIG_SLICE_MIN_US     100
#define GUEST_CONFIG_SLICE_MAX_US     1000000
#define GUEST_CONFIG_SLICE_DEFAULT_US 10000       /**< the scheduler's 10 ms slice */
#define GUEST_CONFIG_AFFINITY_ANY     0xffffffffU /**< "(-1)" in the source: Vireo picks a cpu */

/** An image named by the configuration. */
struct guest_image {
	const char *path; /**< as written (points into the FDT blob); NULL if not configured */
	const void *data; /**< its contents in the bundle; NULL if absent or no bundle was given */
	size_t size;      /**< bytes (0 if data is NULL) */
};

#define GUEST_CONFIG_DEVICES_MAX  8  /**< VirtIO devices per guest (virtio-mmio slots) */
#define GUEST_CONFIG_DEV_NAME_MAX 15 /**< characters of a device node name */
#define GUEST_CONFIG_SWITCH_MAX   15 /**< characters of a switch name */

enum guest_device_type {
	GUEST_DEV_VIRTIO_BLK,
	GUEST_DEV_VIRTIO_NET,
	GUEST_DEV_VIRTIO_RNG,
	GUEST_DEV_VIRTIO_CONSOLE,
};

/** One validated device of devices { }, in the order written (= its virtio-mmio slot). */
struct guest_device_config {
	char name[GUEST_CONFIG_DEV_NAME_MAX + 1];      /**< the node name */
	enum guest_device_type type;                   /**< from type = "virtio-..." */
	struct guest_image image;                      /**< virtio-blk: the disk image */
	bool read_only;                                /**< virtio-blk: read-only; */
	char switch_name[GUEST_CONFIG_SWITCH_MAX + 1]; /**< virtio-net: switch = "..." */
	uint8_t mac[6]; /**< virtio-net: mac, or derived from the names */
};

/** The type = "..." string of a device type. */
const char *guest_device_type_name(enum guest_device_type t);

/** One validated guest. Per-vCPU arrays hold vcpu_count entries; the rest are zero. */
struct guest_config {
	char name[GUEST_CONFIG_NAME_MAX + 1]; /**< the node name, copied */
	int node;                             /**< offset of the guest node in the FDT */
	uint32_t vcpu_count;                  /**< 1 .. GUEST_CONFIG_VCPU_MAX */
	uint64_t ram_size;                    /**< bytes, a multiple of GUEST_CONFIG_RAM_ALIGN */
	struct guest_image kernel;            /**< always configured */
	struct guest_image initrd;
	struct guest_image dtb; /**< not configured: Vireo generates the guest device tree */
	const char *bootargs;   /**< points into the FDT blob; NULL if not configured */
	bool autostart;         /**< start the guest at boot */
	uint8_t vcpu_prio[GUEST_CONFIG_VCPU_MAX];      /**< 0 .. GUEST_CONFIG_PRIO_MAX */
	uint32_t vcpu_slice_us[GUEST_CONFIG_VCPU_MAX]; /**< microseconds */
	/** Logical host cpu of each vCPU, or GUEST_CONFIG_AFFINITY_ANY. */
	uint32_t vcpu_affinity[GUEST_CONFIG_VCPU_MAX];
	int devices_node; /**< offset of the devices node, or VIREO_ENOENT */
	unsigned int device_count;
	struct guest_device_config devices[GUEST_CONFIG_DEVICES_MAX];
};

/**
 * Called for each valid guest. cfg lives on the parser's stack: copy what must outlive the call.
 */
typedef void (*guest_config_fn)(const struct guest_config *cfg, void *arg);

/**
 * Called for each refusal. node is the guest's node name ("/" for the tree itself, "guests" for
 * the /guests node); property is the property (or child node) at fault, NULL when the node name
 * itself is refused or for a malformed bundle; reason is one line without a newline that starts
 * with the property name, e.g. "vcpus: 17 out of range 1..16". Names and strings quoted from the
 * file are printed with control characters replaced by '?' (node and property too, which are also
 * cut at 63 characters), so a file cannot break the line or send terminal sequences. All three
 * are only valid during the call.
 */
typedef void (*guest_config_err_fn)(const char *node, const char *property, const char *reason,
                                    void *arg);

/**
 * Parses /guests of a validated FDT. For each guest node calls cb(cfg, arg) for a valid one, or
 * err_cb(...) once for a refused one (the first problem found); the other guests carry on.
 * Either callback may be NULL.
 *
 * bundle/bundle_size (may be NULL/0) are used to check that kernel/initrd/dtb exist in the
 * bundle as non-empty regular files, that a dtb image is a device tree and that the images fit
 * in the guest's RAM; without a bundle only the paths are checked and image data stays NULL.
 * free_ram is the RAM available for guests: a guest whose memory exceeds it is refused (the sum
 * over all guests is the caller's check); host_cpus is the number of logical host cpus that
 * vcpu-affinity may name. UINT64_MAX / UINT32_MAX turn these two checks off (offline tools).
 *
 * Returns the number of valid guests, or VIREO_EINVAL (reported through err_cb too) if the
 * bundle is not a valid cpio archive, vireo,config-version is missing or not
 * GUEST_CONFIG_VERSION, or there is no /guests node.
 */
int guest_config_parse(const struct fdt *fdt, const void *bundle, size_t bundle_size,
                       uint64_t free_ram, uint32_t host_cpus, guest_config_fn cb,
                       guest_config_err_fn err_cb, void *arg);

/**
 * Finds GUEST_CONFIG_BUNDLE_PATH in the bundle and opens it. Returns 0, VIREO_ENOENT (no
 * configuration), or VIREO_EINVAL / VIREO_ETRUNC (malformed bundle or device tree).
 */
int guest_config_open(const void *bundle, size_t bundle_size, struct fdt *fdt);

#endif
