/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * virtio-net for a guest (emul/virtio_net.c) as a port of a virtual switch (core/vswitch.c).
 *
 * Transmit: the guest's QueueNotify only marks work; the notifying vCPU's thread then serves
 * the transmit queue frame by frame into the switch with interrupts enabled (core/
 * guest_virtio.c, guest_virtio_service). Forwarding takes the receiving devices' locks, so it
 * never runs under our own.
 * Receive: the switch delivers into the next receive buffer under the device lock; with no
 * buffer posted the frame is dropped and counted, as a full NIC ring would.
 */
#include <vireo/clock.h>
#include <vireo/errno.h>
#include <vireo/guest.h>
#include <vireo/heap.h>
#include <vireo/log.h>
#include <vireo/printf.h>
#include <vireo/string.h>
#include <vireo/virtio_net.h>
#include <vireo/vswitch.h>

#include "guest_virtio_internal.h"

_Static_assert(GUEST_CONFIG_NAME_MAX + 1 + GUEST_CONFIG_DEV_NAME_MAX <= VSWITCH_NAME_MAX,
               "a port name \"<guest>.<device>\" must fit");

struct vnet {
	struct virtio_net net;
	struct vswitch_port *port;
	uint8_t frame[VIRTIO_NET_FRAME_MAX]; /**< the servicing thread's buffer */
};

static bool vnet_deliver(void *ctx, const void *frame, size_t len)
{
	struct guest_virtio *v = ctx;
	struct vnet *n = v->model;
	unsigned long flags = spin_lock_irqsave(&v->lock);
	bool ok = virtio_net_rx(&n->net, frame, len);
	spin_unlock_irqrestore(&v->lock, flags);
	return ok;
}

/*
 * One transmitted chain: popped under the device lock, forwarded after dropping it (deliveries
 * take the receivers' locks: two guests sending to each other must not each hold the lock the
 * other needs). A notify of the receive queue needs nothing: posted buffers are used as frames
 * arrive.
 */
static bool vnet_serve_one(struct guest_virtio *v)
{
	struct vnet *n = v->model;
	unsigned long flags = spin_lock_irqsave(&v->lock);
	virtio_mmio_idle(v->vm, VIRTIO_NET_RXQ);
	int len = virtio_mmio_kicked(v->vm, VIRTIO_NET_TXQ)
	              ? virtio_net_tx_pop(&n->net, n->frame, sizeof(n->frame))
	              : VIREO_EAGAIN;
	if (len == VIREO_EAGAIN) {
		virtio_mmio_idle(v->vm, VIRTIO_NET_TXQ);
	}
	spin_unlock_irqrestore(&v->lock, flags);
	if (len == VIREO_EAGAIN) {
		return false;
	}
	if (len >= 0) {
		vswitch_forward(n->port, n->frame, (size_t)len, clock_now());
	}
	return true;
}

static void vnet_destroy(struct guest_virtio *v)
{
	struct vnet *n = v->model;
	if (n->port) {
		/* Waits for deliveries in flight, so the model can go right after. */
		vswitch_port_remove(n->port);
	}
	heap_free(n);
	v->model = NULL;
}

/* The name of the port of sw that owns mac, for a refusal; "?" if it has just gone. */
static const char *mac_port_name(struct vswitch *sw, const uint8_t *mac, char *buf, size_t size)
{
	struct vswitch_port_info p;
	for (unsigned int i = 0; vswitch_port_info(sw, i, &p) == 0; i++) {
		if (p.has_mac && memcmp(p.mac, mac, VSWITCH_MAC_LEN) == 0) {
			strlcpy(buf, p.name, size);
			return buf;
		}
	}
	return "?";
}

int guest_vnet_create(struct guest_virtio *v, const struct guest_device_config *cfg,
                      guest_virtio_irq_fn irq)
{
	struct vnet *n = heap_zalloc(sizeof(*n));
	if (!n) {
		return VIREO_ENOMEM;
	}
	v->model = n;
	v->destroy = vnet_destroy;
	v->serve_one = vnet_serve_one;
	virtio_net_init(&n->net, cfg->mac, &v->mem, irq, v, NULL, NULL);
	v->vm = &n->net.vm;

	struct vswitch *sw;
	int err = vswitch_create(cfg->switch_name, &sw);
	if (err && err != VIREO_EEXIST) {
		return err;
	}
	/* Guest names (31) and device names (15) always fit: the port is named in full. */
	char port[VSWITCH_NAME_MAX + 1];
	snprintf(port, sizeof(port), "%s.%s", v->guest->name, v->name);
	err = vswitch_port_add(sw, port, cfg->mac, vnet_deliver, v, &n->port);
	if (err == VIREO_EEXIST) {
		log_err("guest %s: %s: switch %s already has a port named %s", v->guest->name,
		        v->name, cfg->switch_name, port);
	} else if (err == VIREO_EADDRINUSE) {
		char mac[MAC_STR_SIZE], owner[VSWITCH_NAME_MAX + 1];
		log_err("guest %s: %s: switch %s already has a port with MAC %s (%s)",
		        v->guest->name, v->name, cfg->switch_name, mac_to_str(cfg->mac, mac),
		        mac_port_name(sw, cfg->mac, owner, sizeof(owner)));
	}
	return err;
}

struct virtio_net *guest_vnet_model(struct guest_virtio *v)
{
	return v->type == GUEST_DEV_VIRTIO_NET ? &((struct vnet *)v->model)->net : NULL;
}
