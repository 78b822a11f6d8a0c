/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The emulated devices of a guest (core/guest_devs.c and core/guest_virtio.c): the platform
 * every guest has, laid out as on QEMU's virt machine so the same kernels run unchanged, plus
 * the VirtIO devices its configuration declares.
 *
 *   guest physical                      interrupt (PLIC source)
 *   0x00100000  test / syscon            -        poweroff, reboot
 *   0x00101000  Goldfish RTC             11
 *   0x0c000000  PLIC (one S-mode context per vCPU)
 *   0x10000000  ns16550a UART            10       the guest's virtual serial console
 *   0x10001000  virtio-mmio slot 0       1
 *   ...         one 4 KiB slot each      ...
 *   0x10008000  virtio-mmio slot 7       8
 *   0x80000000  RAM
 *
 * Locking: each device has its own spinlock, taken around every guest access and host-side
 * event. A device raising its line takes the PLIC lock inside its own (order: device, then
 * PLIC); the PLIC's output only sets vCPU levels and kicks, never takes a device lock.
 */
#ifndef VIREO_GUEST_DEVS_H
#define VIREO_GUEST_DEVS_H

#include <vireo/guest_dtb.h>
#include <vireo/types.h>

#define GUEST_TEST_BASE       0x100000ULL /* SYSCON_TEST_BASE */
#define GUEST_PLIC_BASE       0x0c000000ULL
#define GUEST_UART_BASE       0x10000000ULL
#define GUEST_UART_SIZE       0x100ULL
#define GUEST_UART_IRQ        10U
#define GUEST_UART_DT_PATH    "/soc/serial@10000000"
#define GUEST_UART_CLOCK_HZ   3686400U /* what the guest's 8250 driver computes divisors from */
#define GUEST_RTC_BASE        0x101000ULL
#define GUEST_RTC_SIZE        0x1000ULL
#define GUEST_RTC_IRQ         11U
#define GUEST_VIRTIO_BASE     0x10001000ULL
#define GUEST_VIRTIO_SIZE     0x1000ULL
#define GUEST_VIRTIO_IRQ      1U /* slot n uses source GUEST_VIRTIO_IRQ + n */
#define GUEST_VIRTIO_MAX      8U
#define GUEST_DEVICE_NAME_MAX 16

#include <vireo/virtio_blk.h>
#include <vireo/virtio_net.h>

#include <vireo/guest_config.h>

struct guest;
struct vcpu;
struct vserial;

/** What every VirtIO device shows in the shell. */
struct guest_vdev_info {
	char device[GUEST_DEVICE_NAME_MAX];
	unsigned int slot; /**< virtio-mmio slot */
	const char *state; /**< "live", "reset" or "needs reset" */
	const char *fault; /**< why it needs a reset, or NULL */
};

/** One virtio-blk device, for `vdisk`. */
struct guest_disk_info {
	struct guest_vdev_info dev;
	const char *image; /**< path in the bundle */
	uint64_t sectors;  /**< capacity in 512-byte sectors */
	bool read_only;
	bool private_copy; /**< writes go to a private copy in hypervisor memory */
	struct virtio_blk_stats stats;
};

/** One virtio-net device, for `vnet`. */
struct guest_nic_info {
	struct guest_vdev_info dev;
	uint8_t mac[6];
	struct virtio_net_stats stats;
};

/**
 * Creates g's platform devices and the VirtIO devices of devs[0..count-1] (already validated
 * by the configuration parser) and registers their regions. On failure everything created is
 * freed again (guest_devs_destroy is safe after a failed create).
 */
int guest_devs_create(struct guest *g, const struct guest_device_config *devs, unsigned int count);

/** Puts every device back in its power-on state (guest reset or reboot; disk contents stay). */
void guest_devs_reset(struct guest *g);

/**
 * Serves the device requests v notified (vcpu_defer_io), on v's thread with interrupts
 * enabled, until they are done or v must look at a change of its guest's state. False when a
 * device was being served by another thread: v keeps the work and calls again shortly.
 */
bool guest_devs_service(struct vcpu *v);

/** Frees the devices. No vCPU of g may be running. */
void guest_devs_destroy(struct guest *g);

/** Writes the device nodes of g into its guest tree (inside the open root node). */
void guest_devs_write_dtb(struct guest *g, struct guest_dtb *t);

/**
 * The VirtIO device in slot of g into *info, its type in *type; VIREO_ENOENT for an empty or
 * nonexistent slot.
 */
int guest_vdev_at(struct guest *g, unsigned int slot, struct guest_vdev_info *info,
                  enum guest_device_type *type);

/** Disk index (0-based over g's virtio-blk devices) into *info; VIREO_ENOENT past the last. */
int guest_disk_at(struct guest *g, unsigned int index, struct guest_disk_info *info);

/** Network device index of g into *info; VIREO_ENOENT past the last. */
int guest_nic_at(struct guest *g, unsigned int index, struct guest_nic_info *info);

/**
 * A console of g: device NULL or "" is the UART's (g->vserial), otherwise the virtio-console
 * device of that name. NULL if there is none.
 */
struct vserial *guest_console(struct guest *g, const char *device);

/** The index-th virtio-console of g, its device name in *device; NULL past the last. */
struct vserial *guest_console_at(struct guest *g, unsigned int index, const char **device);

/** Drives PLIC source irq of g (device models' interrupt lines). Any context. */
void guest_irq_set(struct guest *g, unsigned int irq, bool level);

#endif
