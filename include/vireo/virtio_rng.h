/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * VirtIO entropy device model (emul/virtio_rng.c), VirtIO 1.2 section 5.4: one request queue;
 * each device-writable buffer is filled from a callback, at most VIRTIO_RNG_REQUEST_MAX bytes
 * per request. Served synchronously from the QueueNotify write; not locked (the glue's device
 * lock is held around virtio_mmio_access(), and fill() runs under it).
 */
#ifndef VIREO_VIRTIO_RNG_H
#define VIREO_VIRTIO_RNG_H

#include <vireo/types.h>
#include <vireo/virtio_mmio.h>

#define VIRTIO_RNG_REQUEST_MAX 4096U
#define VIRTIO_RNG_QUEUE_SIZE  64U

struct virtio_rng_stats {
	uint64_t requests, bytes;
	uint64_t errors; /**< malformed chains (read-only buffers, bad descriptors) */
};

/** One entropy device. The glue maps &rng->vm with virtio_mmio_ops. */
struct virtio_rng {
	struct virtio_mmio vm;
	void (*fill)(void *ctx, void *buf, size_t len);
	void *fill_ctx;
	struct virtio_rng_stats stats;
};

/** Sets r up; fill(ctx, buf, len) must write len random bytes to buf. irq: virtio_mmio_init(). */
void virtio_rng_init(struct virtio_rng *r, void (*fill)(void *ctx, void *buf, size_t len),
                     void *fill_ctx, const struct gmem *mem, void (*irq)(void *ctx, bool level),
                     void *irq_ctx);

#endif
