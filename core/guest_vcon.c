/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * virtio-console for a guest (emul/virtio_console.c): a second virtual serial console, named
 * "<guest>.<device>" in the shell. Host input waits in the console's input ring until the
 * guest posts receive buffers; bytes a buffer could not take stay in a small carry-over.
 */
#include <vireo/errno.h>
#include <vireo/guest.h>
#include <vireo/heap.h>
#include <vireo/string.h>
#include <vireo/virtio_console.h>

#include "guest_virtio_internal.h"

#define CARRY_MAX 64

struct vcon {
	struct virtio_console con;
	struct vserial vserial;
	volatile uint32_t rx_work; /**< the guest posted receive buffers */
	char carry[CARRY_MAX];     /**< input read from the ring, not yet taken (under the lock) */
	size_t carry_len;
};

static void vcon_out(void *ctx, const char *buf, size_t len)
{
	struct guest_virtio *v = ctx;
	struct vcon *c = v->model;
	vserial_write(&c->vserial, buf, len);
}

static void vcon_notify(void *ctx, unsigned int queue)
{
	struct guest_virtio *v = ctx;
	struct vcon *c = v->model;
	if (queue == VIRTIO_CONSOLE_RXQ) {
		__atomic_store_n(&c->rx_work, 1U, __ATOMIC_RELEASE);
	}
}

/* Moves host input into the guest's receive buffers while both have some. */
static void feed(struct guest_virtio *v)
{
	struct vcon *c = v->model;
	unsigned long flags = spin_lock_irqsave(&v->lock);
	for (;;) {
		while (c->carry_len < CARRY_MAX) {
			int ch = vserial_read(&c->vserial);
			if (ch < 0) {
				break;
			}
			c->carry[c->carry_len++] = (char)ch;
		}
		if (c->carry_len == 0) {
			break;
		}
		size_t took = virtio_console_input(&c->con, c->carry, c->carry_len);
		if (took == 0) {
			break;
		}
		memmove(c->carry, c->carry + took, c->carry_len - took);
		c->carry_len -= took;
	}
	spin_unlock_irqrestore(&v->lock, flags);
}

static void vcon_input_ready(void *ctx)
{
	feed(ctx);
}

/* Receive buffers posted: fill them from the input waiting; then one transmit buffer (at most
 * VIRTIO_CONSOLE_TX_MAX bytes) per call. */
static bool vcon_serve_one(struct guest_virtio *v)
{
	struct vcon *c = v->model;
	if (__atomic_exchange_n(&c->rx_work, 0U, __ATOMIC_ACQ_REL)) {
		feed(v);
	}
	if (guest_virtio_serve_locked(v)) {
		return true;
	}
	/* Receive buffers posted while the transmit queue was looked at: their notification
	 * was just forgotten with the queue's, so feed them now. */
	if (__atomic_exchange_n(&c->rx_work, 0U, __ATOMIC_ACQ_REL)) {
		feed(v);
		return true;
	}
	return false;
}

static void vcon_destroy(struct guest_virtio *v)
{
	struct vcon *c = v->model;
	vserial_set_input_ready(&c->vserial, NULL, NULL);
	heap_free(c);
	v->model = NULL;
}

int guest_vcon_create(struct guest_virtio *v, const struct guest_device_config *cfg,
                      guest_virtio_irq_fn irq)
{
	(void)cfg;
	struct vcon *c = heap_zalloc(sizeof(*c));
	if (!c) {
		return VIREO_ENOMEM;
	}
	v->model = c;
	v->destroy = vcon_destroy;
	v->serve_one = vcon_serve_one;
	vserial_init(&c->vserial);
	virtio_console_init(&c->con, 80, 25, vcon_out, vcon_notify, v, &v->mem, irq, v);
	v->vm = &c->con.vm;
	vserial_set_input_ready(&c->vserial, vcon_input_ready, v);
	return 0;
}

struct vserial *guest_vcon_vserial(struct guest_virtio *v)
{
	return v->type == GUEST_DEV_VIRTIO_CONSOLE ? &((struct vcon *)v->model)->vserial : NULL;
}
