/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Virtual serial consoles, one per guest. Guest output is kept in a ring (`vserial dump`) and,
 * while the host terminal is bound to the guest (`vserial bind`), also written to it; input
 * typed while bound goes to the guest's input ring.
 */
#ifndef VIREO_VSERIAL_H
#define VIREO_VSERIAL_H

#include <vireo/spinlock.h>
#include <vireo/types.h>

#define VSERIAL_OUT_RING 8192
#define VSERIAL_IN_RING  256

struct vserial {
	spinlock_t lock;
	char out[VSERIAL_OUT_RING];
	uint64_t out_total; /**< bytes ever written; the ring holds the last VSERIAL_OUT_RING */
	char in[VSERIAL_IN_RING];
	unsigned int in_head, in_tail;
	uint64_t in_dropped;
	volatile bool bound; /**< the host terminal shows this console */
	/** Called (outside the lock) after host input was queued: the device can take it. */
	void (*input_ready)(void *ctx);
	void *input_ctx;
};

void vserial_init(struct vserial *vs);

/** Guest output (any context). */
void vserial_write(struct vserial *vs, const char *buf, size_t len);

/** Next input byte for the guest, or -1. */
int vserial_read(struct vserial *vs);

/** True if input is queued (a hint without the lock: vserial_read() decides). */
static inline bool vserial_input_pending(const struct vserial *vs)
{
	return __atomic_load_n(&vs->in_head, __ATOMIC_ACQUIRE) !=
	       __atomic_load_n(&vs->in_tail, __ATOMIC_RELAXED);
}

/** Host input for the guest; returns false if the ring is full (the byte is dropped). */
bool vserial_push_input(struct vserial *vs, char c);

/**
 * Copies up to size bytes of the most recent output into buf (oldest first) and returns how
 * many were copied.
 */
size_t vserial_snapshot(struct vserial *vs, char *buf, size_t size);

void vserial_set_bound(struct vserial *vs, bool bound);

/** Installs the device that consumes this console's input (NULL: SBI console reads only). */
void vserial_set_input_ready(struct vserial *vs, void (*fn)(void *ctx), void *ctx);

#endif
