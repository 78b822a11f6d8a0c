/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * virtio-net for a guest (emul/virtio_net.c) as a port of a virtual switch (core/vswitch.c).
 *
 * Transmit: the guest's QueueNotify only marks work; once the device lock is dropped, the
 * notifying vCPU drains the transmit queue frame by frame into the switch. Forwarding takes
 * the receiving devices' locks, so it must never run under our own (two guests sending to each
 * other at once would each hold the lock the other needs). One drainer at a time per device:
 * a notify that finds one running leaves it a note to go round again.
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
	volatile uint32_t tx_work;           /**< the guest notified the transmit queue */
	volatile uint32_t draining;          /**< a thread is draining the transmit queue */
	uint8_t frame[VIRTIO_NET_FRAME_MAX]; /**< the drainer's buffer */
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

/* Under the device lock. */
static void vnet_notify(void *ctx, unsigned int queue)
{
	struct guest_virtio *v = ctx;
	struct vnet *n = v->model;
	if (queue == VIRTIO_NET_TXQ) {
		__atomic_store_n(&n->tx_work, 1U, __ATOMIC_SEQ_CST);
	}
}

static void drain_tx(struct guest_virtio *v, struct vnet *n)
{
	for (;;) {
		unsigned long flags = spin_lock_irqsave(&v->lock);
		int len = virtio_net_tx_pop(&n->net, n->frame, sizeof(n->frame));
		spin_unlock_irqrestore(&v->lock, flags);
		if (len < 0) {
			return;
		}
		vswitch_forward(n->port, n->frame, (size_t)len, clock_now());
	}
}

static void vnet_after_access(struct guest_virtio *v)
{
	struct vnet *n = v->model;
	/* Whoever sees tx_work set either becomes the drainer or leaves it to the one running,
	 * which looks at tx_work again after it stops (all accesses sequentially consistent). */
	while (__atomic_load_n(&n->tx_work, __ATOMIC_SEQ_CST)) {
		if (__atomic_exchange_n(&n->draining, 1U, __ATOMIC_SEQ_CST)) {
			return;
		}
		__atomic_store_n(&n->tx_work, 0U, __ATOMIC_SEQ_CST);
		drain_tx(v, n);
		__atomic_store_n(&n->draining, 0U, __ATOMIC_SEQ_CST);
	}
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
	v->after_access = vnet_after_access;
	virtio_net_init(&n->net, cfg->mac, &v->mem, irq, v, vnet_notify, v);
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
