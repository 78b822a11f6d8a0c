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
	/** Work to do after a guest register write, outside the lock (may be NULL). */
	void (*after_access)(struct guest_virtio *v);
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

/* Accessors for the shell listings (core/guest_virtio.c). */
struct virtio_net *guest_vnet_model(struct guest_virtio *v);
struct vserial *guest_vcon_vserial(struct guest_virtio *v);
void guest_vblk_info(struct guest_virtio *v, struct guest_disk_info *info);

#endif
