/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * VirtIO network device model (emul/virtio_net.c), VirtIO 1.2 section 5.1, on the virtio-mmio
 * transport: one queue pair (0 = receiveq1, 1 = transmitq1), VIRTIO_NET_F_MAC and
 * VIRTIO_NET_F_STATUS, no offloads, no mergeable receive buffers. Every buffer starts with the
 * 12-byte struct virtio_net_hdr of VERSION_1 (5.1.6).
 *
 * Not locked: the glue holds the device lock around virtio_mmio_access(), virtio_net_tx_pop()
 * and virtio_net_rx(). A QueueNotify only marks the queue (virtio_mmio_kicked()); the glue then
 * calls virtio_net_tx_pop() and hands each frame to the switch after dropping the lock.
 */
#ifndef VIREO_VIRTIO_NET_H
#define VIREO_VIRTIO_NET_H

#include <vireo/types.h>
#include <vireo/virtio_mmio.h>

/* Feature bits and status (5.1.3, 5.1.4). */
#define VIRTIO_NET_F_MAC     5U
#define VIRTIO_NET_F_STATUS  16U
#define VIRTIO_NET_S_LINK_UP 1U

#define VIRTIO_NET_RXQ 0U
#define VIRTIO_NET_TXQ 1U

#define VIRTIO_NET_HDR_LEN    12U   /**< struct virtio_net_hdr with num_buffers (5.1.6) */
#define VIRTIO_NET_FRAME_MAX  1514U /**< Ethernet frame without FCS, 1500-byte MTU */
#define VIRTIO_NET_QUEUE_SIZE 256U

/** Counters from the guest's point of view (rx = to the guest); they only ever increase. */
struct virtio_net_stats {
	uint64_t rx_packets, rx_bytes, rx_dropped, rx_errors;
	uint64_t tx_packets, tx_bytes, tx_dropped, tx_errors;
};

/** One network device. The glue maps &net->vm with virtio_mmio_ops. */
struct virtio_net {
	struct virtio_mmio vm;
	uint8_t mac[6];
	bool link_up;
	/** Called (under the device lock) when the driver notifies a queue; may be NULL. */
	void (*notify)(void *ctx, unsigned int queue);
	void *notify_ctx;
	struct virtio_net_stats stats;
};

/**
 * Sets n up with mac, link up. notify (may be NULL) is told of QueueNotify writes:
 * VIRTIO_NET_TXQ means frames to pop, VIRTIO_NET_RXQ new receive buffers. irq: see
 * virtio_mmio_init().
 */
void virtio_net_init(struct virtio_net *n, const uint8_t mac[6], const struct gmem *mem,
                     void (*irq)(void *ctx, bool level), void *irq_ctx,
                     void (*notify)(void *ctx, unsigned int queue), void *notify_ctx);

/**
 * Takes the next chain the guest transmitted and gives it back. Returns the frame length with
 * the frame (without the virtio header) copied into buf; VIREO_EINVAL when that chain carried
 * nothing to send: frames over VIRTIO_NET_FRAME_MAX or cap are dropped (tx_dropped), malformed
 * chains counted in tx_errors (call again for the next); VIREO_EAGAIN when there is none.
 * One chain per call: the caller bounds its work by the number of calls.
 */
int virtio_net_tx_pop(struct virtio_net *n, void *buf, size_t cap);

/**
 * Delivers one frame into the guest's next receive buffer. False when it was dropped: device
 * not live, no buffer (rx_dropped), frame over VIRTIO_NET_FRAME_MAX (rx_dropped) or buffer too
 * small or malformed (rx_errors; that buffer is given back empty, and a malformed chain also
 * drops the frame: at most one chain is walked per frame).
 */
bool virtio_net_rx(struct virtio_net *n, const void *frame, size_t len);

/** Changes the link state seen in config status; raises a config change interrupt. */
void virtio_net_set_link(struct virtio_net *n, bool up);

#endif
