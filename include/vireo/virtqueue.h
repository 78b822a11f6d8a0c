/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Split virtqueue walker, device side (emul/virtqueue.c), VirtIO 1.2 section 2.7. Pure code:
 * no locks, every guest access through a struct gmem. The caller serialises all calls on one
 * queue (the transport's device lock).
 *
 * Not offered: VIRTIO_F_EVENT_IDX (2.7.10), VIRTIO_F_INDIRECT_DESC (2.7.5.3), packed rings.
 * VIRTQ_AVAIL_F_NO_INTERRUPT is honoured as a hint (2.7.7).
 *
 * Fault classes (docs/virtio.md):
 *  - the chain is malformed but its head is valid: VIREO_EINVAL, the chain is consumed and the
 *    caller gives it back with used length 0 (the request fails, the queue keeps going);
 *  - the ring itself cannot be trusted (avail idx too far ahead, head index out of range, ring
 *    memory not RAM): VIREO_EIO, nothing consumed; the device needs a reset (2.1.2).
 */
#ifndef VIREO_VIRTQUEUE_H
#define VIREO_VIRTQUEUE_H

#include <vireo/types.h>
#include <vireo/gmem.h>

/* Descriptor flags (2.7.5). */
#define VIRTQ_DESC_F_NEXT     1U
#define VIRTQ_DESC_F_WRITE    2U
#define VIRTQ_DESC_F_INDIRECT 4U
/* Avail ring flags (2.7.6). */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1U

/** Largest queue size a device offers (QueueNumMax); sizes are powers of two (2.7). */
#define VIRTQ_SIZE_MAX 256U
/** Most segments one chain may have; longer chains fail the request. */
#define VIRTQ_SEG_MAX 32U
/** Most bytes one chain may describe (readable + writable); bounds the work per request. */
#define VIRTQ_CHAIN_BYTES_MAX (4ULL << 20)

/** One descriptor's buffer: guest-physical, inside guest RAM, len > 0. */
struct virtq_seg {
	gpaddr_t gpa;
	uint32_t len;
	bool write; /**< device-writable */
};

/** A chain popped from the avail ring, walked into segments. */
struct virtq_chain {
	uint16_t head;          /**< descriptor index to give back with virtq_push() */
	unsigned int seg_count; /**< segments in seg[] */
	unsigned int
	    read_count;     /**< seg[0 .. read_count-1] are device-readable, the rest writable */
	uint64_t read_len;  /**< total device-readable bytes */
	uint64_t write_len; /**< total device-writable bytes */
	const char *fault;  /**< why the last pop failed, or NULL */
	struct virtq_seg seg[VIRTQ_SEG_MAX];
};

/** Device-side state of one split virtqueue. */
struct virtq {
	gpaddr_t desc;       /**< descriptor table (16-byte aligned) */
	gpaddr_t avail;      /**< driver area: the avail ring (2-byte aligned) */
	gpaddr_t used;       /**< device area: the used ring (4-byte aligned) */
	uint16_t size;       /**< queue size, a power of two <= VIRTQ_SIZE_MAX */
	uint16_t last_avail; /**< next avail ring entry to consume (free-running) */
	uint16_t used_idx;   /**< our copy of used->idx (free-running) */
};

/**
 * Checks a queue configuration (2.7 alignment and size rules, the three areas in guest RAM).
 * 0, VIREO_EINVAL (size or alignment) or VIREO_EFAULT (an area is not RAM).
 */
int virtq_check(const struct gmem *m, gpaddr_t desc, gpaddr_t avail, gpaddr_t used, uint32_t size);

/** Sets q up for a checked configuration, indexes at 0 (a freshly enabled queue). */
void virtq_init(struct virtq *q, gpaddr_t desc, gpaddr_t avail, gpaddr_t used, uint16_t size);

/**
 * Pops the next available chain into c. 0: c holds a valid chain. VIREO_EAGAIN: nothing
 * available. VIREO_EINVAL: the chain at c->head is malformed (c->fault says why); it is consumed
 * and must be given back with virtq_push(q, m, c->head, 0). VIREO_EIO: the ring is broken,
 * nothing consumed (c->fault says why).
 */
int virtq_pop(struct virtq *q, const struct gmem *m, struct virtq_chain *c);

/**
 * Gives chain head back in the used ring with len bytes written (2.7.8), then publishes the new
 * used idx with release ordering. 0, or VIREO_EIO if the used ring is not RAM.
 */
int virtq_push(struct virtq *q, const struct gmem *m, uint16_t head, uint32_t len);

/**
 * After virtq_push(): whether the driver wants a used buffer notification (2.7.7: not when it
 * set VIRTQ_AVAIL_F_NO_INTERRUPT). Orders the used idx store before the flags load.
 */
bool virtq_want_interrupt(const struct virtq *q, const struct gmem *m);

/** Copies bytes [off, off+len) of the chain's device-readable part. VIREO_ERANGE past its end. */
int virtq_chain_read(const struct gmem *m, const struct virtq_chain *c, uint64_t off, void *buf,
                     size_t len);

/** Copies buf to bytes [off, off+len) of the chain's device-writable part. VIREO_ERANGE past it. */
int virtq_chain_write(const struct gmem *m, const struct virtq_chain *c, uint64_t off,
                      const void *buf, size_t len);

#endif
