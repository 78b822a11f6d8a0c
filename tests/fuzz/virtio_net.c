/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtio-net model (emul/virtio_net.c) on its transport over a fake guest RAM. The input is
 * a sequence of driver operations (fuzz_virtio.h) plus the host side's: deliver a frame to the
 * guest (virtio_net_rx), take a transmitted frame (virtio_net_tx_pop) into a buffer of some
 * capacity, change the link.
 *
 * Checked besides the transport's invariants: a transmitted frame fits the caller's buffer and
 * an Ethernet frame; a delivered frame is given back with its length plus the header's; the
 * counters move with the results; notifications name one of the two queues.
 */
#include <vireo/errno.h>
#include <vireo/virtio_net.h>

#include "fuzz_virtio.h"

#define FRAME_BUF 2048U

struct net_ctx {
	unsigned long notifies;
};

static void on_notify(void *ctx, unsigned int queue)
{
	struct net_ctx *c = ctx;

	FUZZ_CHECK(queue == VIRTIO_NET_RXQ || queue == VIRTIO_NET_TXQ);
	c->notifies++;
}

static void rx(struct virtio_net *n, struct fuzz_drv *d, struct fuzz_in *in)
{
	uint8_t frame[FRAME_BUF];
	size_t len = fuzz_u16(in) % 1600u;
	uint64_t packets = n->stats.rx_packets;
	uint16_t used = n->vm.queue[VIRTIO_NET_RXQ].vq.used_idx;

	for (size_t i = 0; i < len; i++) {
		frame[i] = (uint8_t)(i ^ 0x5a);
	}
	if (virtio_net_rx(n, frame, len)) {
		const struct virtq *vq = &n->vm.queue[VIRTIO_NET_RXQ].vq;
		uint32_t elem[2];

		FUZZ_CHECK(len <= VIRTIO_NET_FRAME_MAX && n->stats.rx_packets == packets + 1);
		uint16_t last = (uint16_t)(vq->used_idx - 1u);

		/* Malformed chains before it were given back too; this one is the last. */
		FUZZ_CHECK(vq->used_idx != used);
		FUZZ_CHECK(fake_ram_copy(d->ram, vq->used + 4 + 8ULL * (last & (vq->size - 1u)),
		                         elem, sizeof(elem), false));
		FUZZ_CHECK(elem[1] == VIRTIO_NET_HDR_LEN + len);
	} else {
		FUZZ_CHECK(n->stats.rx_packets == packets);
	}
}

static void tx(struct virtio_net *n, struct fuzz_in *in)
{
	uint8_t *buf;
	size_t cap = fuzz_u16(in) % FRAME_BUF;
	uint64_t packets = n->stats.tx_packets;
	int len;

	/* Exactly cap bytes, so ASan catches a frame copied past the caller's buffer. */
	buf = malloc(cap);
	len = virtio_net_tx_pop(n, buf, cap);
	if (len >= 0) {
		FUZZ_CHECK((size_t)len <= cap && len <= (int)VIRTIO_NET_FRAME_MAX);
		FUZZ_CHECK(n->stats.tx_packets == packets + 1);
	} else {
		/* Nothing sent: no chain (EAGAIN), or one chain that carried nothing (EINVAL). */
		FUZZ_CHECK((len == VIREO_EAGAIN || len == VIREO_EINVAL) &&
		           n->stats.tx_packets == packets);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 1};
	struct fuzz_in in = {data, size};
	struct fake_ram ram;
	struct virtio_net net;
	struct net_ctx nc = {0};
	struct fuzz_drv d = {.ram = &ram, .vm = &net.vm};

	fake_ram_init(&ram);
	virtio_net_init(&net, mac, &ram.gmem, fuzz_drv_irq, &d, on_notify, &nc);
	while (fuzz_more(&in)) {
		int op = fuzz_drv_step(&d, &in);

		switch (op < 0 ? -1 : op % 16) {
		case 12:
		case 13:
			rx(&net, &d, &in);
			break;
		case 14:
			tx(&net, &in);
			break;
		case 15:
			virtio_net_set_link(&net, (fuzz_u8(&in) & 1u) != 0);
			break;
		default:
			break;
		}
		fuzz_drv_check(&d);
	}
	fake_ram_free(&ram);
	return 0;
}
