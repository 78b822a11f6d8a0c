/* SPDX-License-Identifier: GPL-2.0-only */
/** Virtual serial consoles: output ring, input ring and the host-terminal binding. */
#include <vireo/console.h>
#include <vireo/string.h>
#include <vireo/vserial.h>

void vserial_init(struct vserial *vs)
{
	memset(vs, 0, sizeof(*vs));
	spin_lock_init(&vs->lock);
}

void vserial_write(struct vserial *vs, const char *buf, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&vs->lock);
	for (size_t i = 0; i < len; i++) {
		vs->out[vs->out_total % VSERIAL_OUT_RING] = buf[i];
		vs->out_total++;
	}
	bool bound = vs->bound;
	spin_unlock_irqrestore(&vs->lock, flags);
	if (bound) {
		console_write(buf, len);
	}
}

int vserial_read(struct vserial *vs)
{
	int c = -1;
	unsigned long flags = spin_lock_irqsave(&vs->lock);
	if (vs->in_tail != vs->in_head) {
		c = (unsigned char)vs->in[vs->in_tail];
		vs->in_tail = (vs->in_tail + 1) % VSERIAL_IN_RING;
	}
	spin_unlock_irqrestore(&vs->lock, flags);
	return c;
}

bool vserial_push_input(struct vserial *vs, char c)
{
	bool ok = false;
	unsigned long flags = spin_lock_irqsave(&vs->lock);
	unsigned int next = (vs->in_head + 1) % VSERIAL_IN_RING;
	if (next != vs->in_tail) {
		vs->in[vs->in_head] = c;
		vs->in_head = next;
		ok = true;
	} else {
		vs->in_dropped++;
	}
	void (*ready)(void *) = vs->input_ready;
	void *ctx = vs->input_ctx;
	spin_unlock_irqrestore(&vs->lock, flags);
	if (ok && ready) {
		ready(ctx);
	}
	return ok;
}

size_t vserial_snapshot(struct vserial *vs, char *buf, size_t size)
{
	unsigned long flags = spin_lock_irqsave(&vs->lock);
	uint64_t held = vs->out_total < VSERIAL_OUT_RING ? vs->out_total : VSERIAL_OUT_RING;
	size_t n = held < size ? (size_t)held : size;
	uint64_t start = vs->out_total - n;
	for (size_t i = 0; i < n; i++) {
		buf[i] = vs->out[(start + i) % VSERIAL_OUT_RING];
	}
	spin_unlock_irqrestore(&vs->lock, flags);
	return n;
}

void vserial_set_bound(struct vserial *vs, bool bound)
{
	unsigned long flags = spin_lock_irqsave(&vs->lock);
	vs->bound = bound;
	spin_unlock_irqrestore(&vs->lock, flags);
}

void vserial_set_input_ready(struct vserial *vs, void (*fn)(void *ctx), void *ctx)
{
	unsigned long flags = spin_lock_irqsave(&vs->lock);
	vs->input_ready = fn;
	vs->input_ctx = ctx;
	spin_unlock_irqrestore(&vs->lock, flags);
}
