/* SPDX-License-Identifier: GPL-2.0-only */
/** One VirtIO device of a guest and the per-type glue (core/guest_v*.c). */
#ifndef VIREO_CORE_GUEST_VIRTIO_INTERNAL_H
#define VIREO_CORE_GUEST_VIRTIO_INTERNAL_H

#include <vireo/gmem.h>
#include <vireo/guest_config.h>
#include <vireo/guest_devs.h>
#include <vireo/spinlock.h>
#include <vireo/virtio_mmio.h>

struct guest;

typedef void (*guest_virtio_irq_fn)(void *ctx, bool level);

struct guest_virtio {
	spinlock_t lock; /**< serialises the model: guest accesses and host-side events */
	struct guest *guest;
	unsigned int slot;
	enum guest_device_type type;
	char name[GUEST_CONFIG_DEV_NAME_MAX + 1];
	struct gmem mem;
	struct virtio_mmio *vm; /**< the transport inside the model */
	void *model;            /**< struct virtio_blk, virtio_net, ... (heap) */
	/**
	 * Serves one request the guest notified (bounded work), taking the lock as it needs;
	 * true if one was served and more may wait. Runs on a vCPU thread with interrupts
	 * enabled, one thread per device at a time (servicing).
	 */
	bool (*serve_one)(struct guest_virtio *v);
	uint32_t servicing; /**< a thread is in serve_one() (atomic token) */
	/** A request is being served outside the lock: a device reset waits (under the lock). */
	bool inflight;
	/** Frees what the type allocated (model included); may be NULL. */
	void (*destroy)(struct guest_virtio *v);
	void *priv; /**< the type's own state */
};

/* One per device type; each fills v->vm, v->model and its hooks. */
int guest_vblk_create(struct guest_virtio *v, const struct guest_device_config *cfg,
                      guest_virtio_irq_fn irq);
int guest_vnet_create(struct guest_virtio *v, const struct guest_device_config *cfg,
                      guest_virtio_irq_fn irq);
int guest_vrng_create(struct guest_virtio *v, const struct guest_device_config *cfg,
                      guest_virtio_irq_fn irq);
int guest_vcon_create(struct guest_virtio *v, const struct guest_device_config *cfg,
                      guest_virtio_irq_fn irq);

/** serve_one for models whose ops->serve does one bounded request under the lock. */
bool guest_virtio_serve_locked(struct guest_virtio *v);

/* Accessors for the shell listings (core/guest_virtio.c). */
struct virtio_net *guest_vnet_model(struct guest_virtio *v);
struct vserial *guest_vcon_vserial(struct guest_virtio *v);
void guest_vblk_info(struct guest_virtio *v, struct guest_disk_info *info);

#endif
