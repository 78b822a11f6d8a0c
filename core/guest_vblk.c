/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * virtio-blk for a guest (emul/virtio_blk.c) on a disk image from the bundle. A writable disk
 * is a private copy in hypervisor memory, made when the guest is created and kept until it is
 * destroyed, so data written survives guest reboots and resets but never reaches the bundle or
 * another guest. A read-only disk is served from the bundle in place.
 */
#include <vireo/errno.h>
#include <vireo/guest.h>
#include <vireo/heap.h>
#include <vireo/log.h>
#include <vireo/page_alloc.h>
#include <vireo/printf.h>
#include <vireo/string.h>
#include <vireo/virtio_blk.h>

#include "guest_virtio_internal.h"

struct vblk {
	struct virtio_blk blk;
	struct virtio_blk_req req; /**< the request being served (one at a time: servicing) */
	paddr_t copy;              /**< the private copy, or 0 for a read-only disk */
	unsigned int order;        /**< its page-allocator order */
	const char *path;          /**< the image in the bundle */
};

/*
 * One request: taken and finished under the lock, served (the copy, up to 4 MiB) without it
 * and with interrupts enabled, so neither this hart nor another vCPU of the guest touching the
 * device waits for it with interrupts masked. Meanwhile a reset of the device is retried.
 */
static bool vblk_serve_one(struct guest_virtio *v)
{
	struct vblk *b = v->model;
	unsigned long flags = spin_lock_irqsave(&v->lock);
	int err = virtio_mmio_kicked(v->vm, 0) ? virtio_blk_take(&b->blk, &b->req) : VIREO_EAGAIN;
	if (err == VIREO_EAGAIN) {
		virtio_mmio_idle(v->vm, 0);
	}
	v->inflight = err == 0;
	spin_unlock_irqrestore(&v->lock, flags);
	if (err) {
		return err != VIREO_EAGAIN; /* a malformed chain was given back: go on */
	}
	virtio_blk_serve(&b->blk, &b->req);
	flags = spin_lock_irqsave(&v->lock);
	virtio_blk_finish(&b->blk, &b->req);
	v->inflight = false;
	spin_unlock_irqrestore(&v->lock, flags);
	return true;
}

static void vblk_destroy(struct guest_virtio *v)
{
	struct vblk *b = v->model;
	if (b->copy) {
		page_alloc_free(b->copy, b->order);
	}
	heap_free(b);
	v->model = NULL;
}

int guest_vblk_create(struct guest_virtio *v, const struct guest_device_config *cfg,
                      guest_virtio_irq_fn irq)
{
	struct vblk *b = heap_zalloc(sizeof(*b));
	if (!b) {
		return VIREO_ENOMEM;
	}
	v->model = b;
	v->destroy = vblk_destroy;
	v->serve_one = vblk_serve_one;
	uint8_t *image = (uint8_t *)(uintptr_t)cfg->image.data;
	uint64_t size = cfg->image.size;
	if (!cfg->read_only) {
		unsigned int order = 0;
		while ((PAGE_SIZE << order) < size && order < PAGE_ALLOC_MAX_ORDER) {
			order++;
		}
		if ((PAGE_SIZE << order) < size) {
			log_err("guest %s: disk %s: a writable copy of %llu KiB is larger than the "
			        "%llu KiB limit (make it read-only;)",
			        v->guest->name, v->name, (unsigned long long)(size >> 10),
			        (unsigned long long)((PAGE_SIZE << PAGE_ALLOC_MAX_ORDER) >> 10));
			return VIREO_ENOMEM;
		}
		if (page_alloc_get(order, &b->copy) != 0) {
			b->copy = 0;
			return VIREO_ENOMEM;
		}
		b->order = order;
		image = (uint8_t *)(uintptr_t)b->copy;
		memcpy(image, cfg->image.data, (size_t)size);
	}
	/* GET_ID answers "<guest>/<device>", so a guest can tell its disks apart. */
	char serial[VIRTIO_BLK_ID_LEN + 1];
	snprintf(serial, sizeof(serial), "%s/%s", v->guest->name, v->name);
	virtio_blk_init(&b->blk, image, size, cfg->read_only, serial, &v->mem, irq, v);
	v->vm = &b->blk.vm;
	b->path = cfg->image.path;
	return 0;
}

void guest_vblk_info(struct guest_virtio *v, struct guest_disk_info *info)
{
	struct vblk *b = v->model;
	info->image = b->path;
	info->sectors = b->blk.capacity;
	info->read_only = b->blk.read_only;
	info->private_copy = b->copy != 0;
	info->stats = b->blk.stats;
}
