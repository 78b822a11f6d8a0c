/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * VirtIO network device (VirtIO 1.2 section 5.1): one queue pair, MAC and link status in the
 * config space, nothing else negotiated. Without VIRTIO_NET_F_MRG_RXBUF each received frame
 * takes exactly one receive chain, header included (5.1.6.3.1 asks drivers for buffers of at
 * least 1526 bytes), and num_buffers is 1 (5.1.6.4). Without checksum or segmentation offloads
 * a transmitted header must have flags 0 and gso_type NONE (5.1.6.2.1); anything else is a
 * driver error and the frame is not sent.
 */
#include <vireo/errno.h>
#include <vireo/string.h>
#include <vireo/virtio_net.h>

#define CONFIG_SIZE         8U /* mac[6], status (5.1.4) */
#define ETH_HLEN            14U
#define HDR_FLAGS           0U
#define HDR_GSO_TYPE        1U
#define HDR_NUM_BUFFERS     10U
#define VIRTIO_NET_GSO_NONE 0U

static void net_config_read(void *dev, uint32_t off, void *buf, unsigned int len)
{
	const struct virtio_net *n = dev;
	uint8_t cfg[CONFIG_SIZE];
	memcpy(cfg, n->mac, 6);
	cfg[6] = n->link_up ? VIRTIO_NET_S_LINK_UP : 0;
	cfg[7] = 0;
	memcpy(buf, cfg + off, len);
}

static void net_notify(void *dev, unsigned int queue)
{
	struct virtio_net *n = dev;
	if (n->notify) {
		n->notify(n->notify_ctx, queue);
	}
}

static const struct virtio_dev_ops net_ops = {
    .name = "virtio-net",
    .device_id = VIRTIO_ID_NET,
    .queue_count = 2,
    .queue_size_max = VIRTIO_NET_QUEUE_SIZE,
    .config_size = CONFIG_SIZE,
    .config_read = net_config_read,
    .notify = net_notify,
};

void virtio_net_init(struct virtio_net *n, const uint8_t mac[6], const struct gmem *mem,
                     void (*irq)(void *ctx, bool level), void *irq_ctx,
                     void (*notify)(void *ctx, unsigned int queue), void *notify_ctx)
{
	memset(n, 0, sizeof(*n));
	memcpy(n->mac, mac, 6);
	n->link_up = true;
	n->notify = notify;
	n->notify_ctx = notify_ctx;
	virtio_mmio_init(&n->vm, &net_ops, n,
	                 (1ULL << VIRTIO_NET_F_MAC) | (1ULL << VIRTIO_NET_F_STATUS), mem, irq,
	                 irq_ctx);
}

void virtio_net_set_link(struct virtio_net *n, bool up)
{
	if (n->link_up != up) {
		n->link_up = up;
		virtio_mmio_config_changed(&n->vm);
	}
}

/* Copies one transmit chain's frame into buf: its length, or -1 when it is not sent. */
static int tx_take(struct virtio_net *n, const struct virtq_chain *c, void *buf, size_t cap)
{
	uint8_t hdr[VIRTIO_NET_HDR_LEN];
	if (c->write_len != 0 || c->read_len < VIRTIO_NET_HDR_LEN + ETH_HLEN ||
	    virtq_chain_read(n->vm.mem, c, 0, hdr, sizeof(hdr)) != 0 || hdr[HDR_FLAGS] != 0 ||
	    hdr[HDR_GSO_TYPE] != VIRTIO_NET_GSO_NONE) {
		n->stats.tx_errors++;
		return -1;
	}
	uint64_t len = c->read_len - VIRTIO_NET_HDR_LEN;
	if (len > VIRTIO_NET_FRAME_MAX || len > cap) {
		n->stats.tx_dropped++;
		return -1;
	}
	if (virtq_chain_read(n->vm.mem, c, VIRTIO_NET_HDR_LEN, buf, (size_t)len) != 0) {
		n->stats.tx_errors++;
		return -1;
	}
	n->stats.tx_packets++;
	n->stats.tx_bytes += len;
	return (int)len;
}

int virtio_net_tx_pop(struct virtio_net *n, void *buf, size_t cap)
{
	struct virtq_chain c;
	/* One chain per call, whatever it holds: the caller's loop decides how many. */
	int err = virtio_mmio_take(&n->vm, VIRTIO_NET_TXQ, &c, &n->stats.tx_errors);
	if (err) {
		return err;
	}
	int len = tx_take(n, &c, buf, cap);
	/* 5.1.6.2: transmit buffers are only read; nothing written. */
	virtio_mmio_push(&n->vm, VIRTIO_NET_TXQ, c.head, 0);
	return len >= 0 ? len : VIREO_EINVAL;
}

bool virtio_net_rx(struct virtio_net *n, const void *frame, size_t len)
{
	struct virtq_chain c;
	int err = VIREO_EAGAIN;
	/* One chain per frame: a receiver that fills its ring with malformed chains (descriptor
	 * loops) costs each sender one bounded walk per frame, not a walk of every chain. */
	if (len <= VIRTIO_NET_FRAME_MAX) {
		err = virtio_mmio_take(&n->vm, VIRTIO_NET_RXQ, &c, &n->stats.rx_errors);
	}
	if (err) {
		n->stats.rx_dropped++;
		return false;
	}
	/* 5.1.6.4: a header with no offload flags and num_buffers = 1, then the frame. */
	uint8_t hdr[VIRTIO_NET_HDR_LEN] = {0};
	hdr[HDR_NUM_BUFFERS] = 1;
	if (c.read_len != 0 || c.write_len < VIRTIO_NET_HDR_LEN + len ||
	    virtq_chain_write(n->vm.mem, &c, 0, hdr, sizeof(hdr)) != 0 ||
	    virtq_chain_write(n->vm.mem, &c, VIRTIO_NET_HDR_LEN, frame, len) != 0) {
		n->stats.rx_errors++;
		virtio_mmio_push(&n->vm, VIRTIO_NET_RXQ, c.head, 0);
		return false;
	}
	virtio_mmio_push(&n->vm, VIRTIO_NET_RXQ, c.head, (uint32_t)(VIRTIO_NET_HDR_LEN + len));
	n->stats.rx_packets++;
	n->stats.rx_bytes += len;
	return true;
}
