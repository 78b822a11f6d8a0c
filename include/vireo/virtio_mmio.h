/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The virtio-mmio transport, modern interface only (Version 2; VirtIO 1.2 section 4.2.2), in
 * emul/virtio_mmio.c. It owns the register file, feature negotiation, the status state machine
 * (3.1.1), the queues and the interrupt line; a device model (virtio_blk, virtio_net, ...)
 * supplies a struct virtio_dev_ops and uses the helpers below to take requests and return
 * buffers.
 *
 * No locking: the glue serialises virtio_mmio_access() and every call into the device model of
 * one instance with one lock per device. The irq callback and the model's ops run under it.
 *
 * A QueueNotify only records the queue (kicked); the glue serves the requests afterwards with
 * virtio_mmio_serve(), one bounded request per call, so that a guest access never does work
 * that depends on what the guest put in its rings.
 *
 * Accesses: offsets below VIRTIO_MMIO_CONFIG take aligned 32-bit accesses only (others are an
 * access fault, VIREO_EFAULT); undefined registers read 0 and ignore writes. The config space
 * takes naturally aligned 1, 2, 4 and 8-byte accesses; bytes past the device's config read 0.
 */
#ifndef VIREO_VIRTIO_MMIO_H
#define VIREO_VIRTIO_MMIO_H

#include <vireo/types.h>
#include <vireo/gmem.h>
#include <vireo/virtqueue.h>
#include <vireo/vmmio.h>

/* Register offsets (4.2.2). */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000
#define VIRTIO_MMIO_VERSION             0x004
#define VIRTIO_MMIO_DEVICE_ID           0x008
#define VIRTIO_MMIO_VENDOR_ID           0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_READY         0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH   0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH   0x0a4
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc
#define VIRTIO_MMIO_CONFIG              0x100

#define VIRTIO_MMIO_MAGIC  0x74726976U /**< "virt" */
#define VIRTIO_MMIO_VENDOR 0x45524956U /**< "VIRE" */
/** Size of the guest region to map for one device (config space up to 0x100 bytes). */
#define VIRTIO_MMIO_SIZE 0x200ULL
/** Most queues one device model may have. */
#define VIRTIO_MMIO_QUEUES_MAX 4U

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE        0x01U
#define VIRTIO_STATUS_DRIVER             0x02U
#define VIRTIO_STATUS_DRIVER_OK          0x04U
#define VIRTIO_STATUS_FEATURES_OK        0x08U
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 0x40U
#define VIRTIO_STATUS_FAILED             0x80U

/* InterruptStatus bits (4.2.2). */
#define VIRTIO_MMIO_INT_VRING  0x1U /**< used buffer notification */
#define VIRTIO_MMIO_INT_CONFIG 0x2U /**< configuration change notification */

/** Reserved feature bit every modern device offers and requires (6). */
#define VIRTIO_F_VERSION_1 32U

/** Device IDs (5). */
#define VIRTIO_ID_NET     1U
#define VIRTIO_ID_BLOCK   2U
#define VIRTIO_ID_CONSOLE 3U
#define VIRTIO_ID_RNG     4U

/**
 * What a device model supplies. Every callback gets the model's dev pointer and runs under the
 * caller's device lock, from inside virtio_mmio_access().
 */
struct virtio_dev_ops {
	const char *name;
	uint32_t device_id;
	unsigned int queue_count; /**< 1..VIRTIO_MMIO_QUEUES_MAX */
	uint16_t queue_size_max;  /**< QueueNumMax, a power of two <= VIRTQ_SIZE_MAX */
	uint32_t config_size;     /**< bytes of config space, <= 0x100 */
	/**
	 * Copies len bytes of config space at offset (in bounds) into buf, little-endian. May be
	 * NULL when config_size is 0.
	 */
	void (*config_read)(void *dev, uint32_t offset, void *buf, unsigned int len);
	/** A driver write to config space (in bounds). May be NULL: writes ignored. */
	void (*config_write)(void *dev, uint32_t offset, const void *buf, unsigned int len);
	/**
	 * The driver notified queue (ready, device live). Only cheap bookkeeping here: the
	 * requests are served later, outside the exit path, through serve. May be NULL.
	 */
	void (*notify)(void *dev, unsigned int queue);
	/**
	 * Serves at most one available chain of queue (a bounded amount of work, whatever the
	 * guest put in its ring). True if one was taken (more may wait), false when the queue
	 * has none. May be NULL: notifications need no work.
	 */
	bool (*serve)(void *dev, unsigned int queue);
	/** The device was reset (Status 0): drop per-session state, keep counters. May be NULL. */
	void (*reset)(void *dev);
};

/** Per-queue transport state. */
struct virtio_mmio_queue {
	uint32_t num; /**< QueueNum as written */
	uint64_t desc, driver, device;
	bool ready;
	struct virtq vq; /**< valid while ready */
};

/** One virtio-mmio device. Fields are the transport's; models use the functions below. */
struct virtio_mmio {
	const struct virtio_dev_ops *ops;
	void *dev;
	const struct gmem *mem;
	void (*irq)(void *ctx, bool level);
	void *irq_ctx;
	uint64_t device_features; /**< offered, VERSION_1 included */
	uint64_t driver_features; /**< accepted by the driver */
	bool driver_features_bad; /**< the driver wrote bits in a selector above 1 */
	uint32_t device_features_sel;
	uint32_t driver_features_sel;
	uint32_t queue_sel;
	uint32_t status;
	uint32_t int_status;
	uint32_t config_generation;
	bool irq_level;            /**< last level given to irq() */
	const char *fault;         /**< why DEVICE_NEEDS_RESET was set, or NULL */
	uint64_t notifies_ignored; /**< QueueNotify writes that were not acted on */
	/** Queues notified and not yet found empty by virtio_mmio_serve(), one bit each. */
	uint32_t kicked;
	struct virtio_mmio_queue queue[VIRTIO_MMIO_QUEUES_MAX];
};

/**
 * Sets vm up in the reset state for the model (ops, dev) offering device_features (device
 * specific bits; VIRTIO_F_VERSION_1 is added). irq() is told every change of the interrupt
 * line (InterruptStatus != 0) and may be NULL. Guest memory goes through mem.
 */
void virtio_mmio_init(struct virtio_mmio *vm, const struct virtio_dev_ops *ops, void *dev,
                      uint64_t device_features, const struct gmem *mem,
                      void (*irq)(void *ctx, bool level), void *irq_ctx);

/** The vmmio access callback; dev is the struct virtio_mmio. */
int virtio_mmio_access(void *dev, struct vmmio_access *a);

/** The device model for vmmio_add(); .access = virtio_mmio_access. */
extern const struct vmmio_ops virtio_mmio_ops;

/** True while the driver has set DRIVER_OK and the device does not need a reset. */
bool virtio_mmio_live(const struct virtio_mmio *vm);

/** True if the driver accepted feature bit (valid once FEATURES_OK is set). */
bool virtio_mmio_has_feature(const struct virtio_mmio *vm, unsigned int bit);

/**
 * Pops the next chain of queue q into c. 0: a valid chain to complete with
 * virtio_mmio_push(). VIREO_EAGAIN: nothing to do (empty, queue not ready or device not live).
 * VIREO_EINVAL: a malformed chain was found and already given back with length 0 (the request
 * failed; c->fault says why); call again. VIREO_EIO: the ring is broken; the device now needs a
 * reset.
 */
int virtio_mmio_pop(struct virtio_mmio *vm, unsigned int q, struct virtq_chain *c);

/**
 * virtio_mmio_pop() for a model that serves one chain at a time: 0 with a valid chain in c;
 * VIREO_EINVAL when a malformed chain was given back failed (counted in *errors; the caller
 * may take again); VIREO_EAGAIN when there is nothing to take (or the ring is broken).
 */
int virtio_mmio_take(struct virtio_mmio *vm, unsigned int q, struct virtq_chain *c,
                     uint64_t *errors);

/**
 * Gives chain head of queue q back with written bytes and raises the used buffer interrupt
 * unless the driver suppressed it. 0, or VIREO_EIO (the device now needs a reset).
 */
int virtio_mmio_push(struct virtio_mmio *vm, unsigned int q, uint16_t head, uint32_t written);

/**
 * Serves one request of the lowest notified queue that has one (ops->serve), forgetting the
 * notifications of queues found empty. True if a request was served (call again), false when
 * no notified queue has work left. Interleaving calls with guest accesses is safe: a notify
 * in between is served by a later call.
 */
bool virtio_mmio_serve(struct virtio_mmio *vm);

/** True if a notified queue may still have work for virtio_mmio_serve(). */
bool virtio_mmio_has_work(const struct virtio_mmio *vm);

/** True if queue q was notified and not yet found empty (for glue that serves it itself). */
bool virtio_mmio_kicked(const struct virtio_mmio *vm, unsigned int q);

/** Forgets queue q's notification: it was found empty (a later notify records it again). */
void virtio_mmio_idle(struct virtio_mmio *vm, unsigned int q);

/** A fatal device error: sets DEVICE_NEEDS_RESET and notifies a config change (4.2.2.1). */
void virtio_mmio_needs_reset(struct virtio_mmio *vm, const char *why);

/** The device changed its config space: bumps ConfigGeneration, config change interrupt. */
void virtio_mmio_config_changed(struct virtio_mmio *vm);

#endif
