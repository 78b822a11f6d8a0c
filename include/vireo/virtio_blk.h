/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * VirtIO block device model (emul/virtio_blk.c), VirtIO 1.2 section 5.2, on the virtio-mmio
 * transport. The disk is a memory buffer owned by the caller, which must outlive the device.
 * Requests are served synchronously from the QueueNotify write. Not locked: the glue holds
 * the device lock around virtio_mmio_access() (struct virtio_blk.vm is the vmmio device).
 */
#ifndef VIREO_VIRTIO_BLK_H
#define VIREO_VIRTIO_BLK_H

#include <vireo/types.h>
#include <vireo/virtio_mmio.h>

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX 1U
#define VIRTIO_BLK_F_SEG_MAX  2U
#define VIRTIO_BLK_F_RO       5U
#define VIRTIO_BLK_F_FLUSH    9U

/* Request types and status values (5.2.6). */
#define VIRTIO_BLK_T_IN     0U
#define VIRTIO_BLK_T_OUT    1U
#define VIRTIO_BLK_T_FLUSH  4U
#define VIRTIO_BLK_T_GET_ID 8U
#define VIRTIO_BLK_S_OK     0U
#define VIRTIO_BLK_S_IOERR  1U
#define VIRTIO_BLK_S_UNSUPP 2U

#define VIRTIO_BLK_SECTOR     512U
#define VIRTIO_BLK_ID_LEN     20U                  /**< GET_ID answer length (5.2.6) */
#define VIRTIO_BLK_SEG_MAX    (VIRTQ_SEG_MAX - 2U) /**< data segments: header, status */
#define VIRTIO_BLK_SIZE_MAX   (128U * 1024U)       /**< bytes per data segment */
#define VIRTIO_BLK_QUEUE_SIZE 128U

/** Per-device counters (only ever increase; a device reset keeps them). */
struct virtio_blk_stats {
	uint64_t reads, writes, flushes, get_ids;
	uint64_t bytes_read, bytes_written;
	uint64_t errors; /**< requests answered IOERR/UNSUPP or dropped as malformed */
};

/** One block device. The glue maps &blk->vm with virtio_mmio_ops. */
struct virtio_blk {
	struct virtio_mmio vm;
	uint8_t *image;
	uint64_t capacity; /**< in 512-byte sectors */
	bool read_only;
	char serial[VIRTIO_BLK_ID_LEN + 1];
	struct virtio_blk_stats stats;
};

/**
 * One request between virtio_blk_take() and virtio_blk_finish(). Serving it touches only guest
 * memory and the image, so it runs with no lock held (the copy of a 4 MiB request is long);
 * taking and finishing touch the rings and run under the device lock.
 */
struct virtio_blk_req {
	struct virtq_chain chain;
	uint8_t type;   /**< VIRTIO_BLK_T_* for the counters, or 0xff (malformed header) */
	uint8_t status; /**< VIRTIO_BLK_S_* */
	uint64_t data;  /**< data bytes moved */
	uint32_t used;  /**< used length to give back (2.7.8.1) */
};

/**
 * Takes the next request of the queue. 0: req holds it, serve and finish it. VIREO_EAGAIN:
 * none. VIREO_EINVAL: a malformed chain was given back failed (counted); take again. Under the
 * device lock.
 */
int virtio_blk_take(struct virtio_blk *b, struct virtio_blk_req *req);
/** Serves a taken request: reads or writes the image and writes the status byte. No lock. */
void virtio_blk_serve(const struct virtio_blk *b, struct virtio_blk_req *req);
/** Gives a served request back in the used ring and counts it. Under the device lock. */
void virtio_blk_finish(struct virtio_blk *b, const struct virtio_blk_req *req);

/**
 * Sets b up on a disk image of size bytes (whole sectors are used; a trailing partial sector
 * is ignored). read_only offers VIRTIO_BLK_F_RO and fails writes. serial (may be NULL) is
 * answered to GET_ID, truncated to 20 bytes. irq/irq_ctx: see virtio_mmio_init().
 */
void virtio_blk_init(struct virtio_blk *b, void *image, uint64_t size, bool read_only,
                     const char *serial, const struct gmem *mem, void (*irq)(void *ctx, bool level),
                     void *irq_ctx);

#endif
