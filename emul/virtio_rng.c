/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * VirtIO entropy device (VirtIO 1.2 section 5.4). Every request is one device-writable buffer
 * (5.4.6.1: the driver places no device-readable ones); it is filled with up to
 * VIRTIO_RNG_REQUEST_MAX bytes, and used len says how many (5.4.6.2: the device may write
 * fewer than asked). A chain with readable buffers fails with length 0.
 */
#include <vireo/errno.h>
#include <vireo/string.h>
#include <vireo/virtio_rng.h>

#define FILL_CHUNK 256U

static void serve(struct virtio_rng *r, const struct virtq_chain *c)
{
	uint8_t buf[FILL_CHUNK];
	uint64_t want =
	    c->write_len < VIRTIO_RNG_REQUEST_MAX ? c->write_len : VIRTIO_RNG_REQUEST_MAX;
	uint64_t done = 0;
	if (c->read_len != 0) {
		r->stats.errors++;
		virtio_mmio_push(&r->vm, 0, c->head, 0);
		return;
	}
	while (done < want) {
		size_t n = want - done < FILL_CHUNK ? (size_t)(want - done) : FILL_CHUNK;
		r->fill(r->fill_ctx, buf, n);
		if (virtq_chain_write(r->vm.mem, c, done, buf, n) != 0) {
			break;
		}
		done += n;
	}
	memset(buf, 0, sizeof(buf)); /* no entropy left behind on the stack */
	r->stats.requests++;
	r->stats.bytes += done;
	virtio_mmio_push(&r->vm, 0, c->head, (uint32_t)done);
}

/* One request per call (VIRTIO_RNG_REQUEST_MAX bytes at most). */
static bool rng_serve(void *dev, unsigned int queue)
{
	struct virtio_rng *r = dev;
	struct virtq_chain c;
	int err = virtio_mmio_take(&r->vm, queue, &c, &r->stats.errors);
	if (err) {
		return err == VIREO_EINVAL; /* a malformed one was given back: go on */
	}
	serve(r, &c);
	return true;
}

static const struct virtio_dev_ops rng_ops = {
    .name = "virtio-rng",
    .device_id = VIRTIO_ID_RNG,
    .queue_count = 1,
    .queue_size_max = VIRTIO_RNG_QUEUE_SIZE,
    .config_size = 0, /* none (5.4.4) */
    .serve = rng_serve,
};

void virtio_rng_init(struct virtio_rng *r, void (*fill)(void *ctx, void *buf, size_t len),
                     void *fill_ctx, const struct gmem *mem, void (*irq)(void *ctx, bool level),
                     void *irq_ctx)
{
	memset(r, 0, sizeof(*r));
	r->fill = fill;
	r->fill_ctx = fill_ctx;
	virtio_mmio_init(&r->vm, &rng_ops, r, 0, mem, irq, irq_ctx);
}
