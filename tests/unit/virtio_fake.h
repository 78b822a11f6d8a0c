/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test support for the VirtIO models: a fake guest RAM behind a struct gmem, made of
 * separately allocated 4 KiB chunks in scrambled host order (so ASan catches any access past
 * a chunk and any code assuming contiguity beyond GMEM_CHUNK), and a small driver that
 * programs a virtio-mmio device through its access callback the way Linux does.
 */
#ifndef TESTS_VIRTIO_FAKE_H
#define TESTS_VIRTIO_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vireo/gmem.h>
#include <vireo/virtio_mmio.h>

#include "fake_ram.h"

/* Driver-side layout: queue q rings at QUEUE_AREA(q), data buffers from BUF_AREA. */
#define QUEUE_AREA(q) (RAM_BASE + 0x1000ULL + 0x3000ULL * (q))
#define BUF_AREA      (RAM_BASE + 0x10000ULL)

void ram_init(struct fake_ram *r);
void ram_free(struct fake_ram *r);
void ram_write(struct fake_ram *r, uint64_t gpa, const void *buf, size_t len);
void ram_read(struct fake_ram *r, uint64_t gpa, void *buf, size_t len);
void ram_fill(struct fake_ram *r, uint64_t gpa, uint8_t v, size_t len);
uint16_t ram_u16(struct fake_ram *r, uint64_t gpa);
uint32_t ram_u32(struct fake_ram *r, uint64_t gpa);
void ram_put16(struct fake_ram *r, uint64_t gpa, uint16_t v);

/* Recorder for the irq line: asserts only changes are reported. */
struct irq_rec {
	bool level;
	unsigned int changes;
};
void irq_record(void *ctx, bool level);

int mmio_access(struct virtio_mmio *vm, uint64_t off, unsigned int width, bool write,
                uint64_t *value);
uint32_t mmio_rd(struct virtio_mmio *vm, uint64_t off);
void mmio_wr(struct virtio_mmio *vm, uint64_t off, uint32_t v);

struct drv_queue {
	uint64_t desc, avail, used;
	uint16_t size;
	uint16_t avail_idx;
	uint16_t used_seen;
	uint16_t next_desc; /* descriptors are handed out round robin */
};

struct drv {
	struct fake_ram *ram;
	struct virtio_mmio *vm;
	struct drv_queue q[VIRTIO_MMIO_QUEUES_MAX];
};

/* One buffer of a chain being built. */
struct drv_buf {
	uint64_t gpa;
	uint32_t len;
	bool write;
};

/*
 * 3.1.1 in full: reset, ACKNOWLEDGE, DRIVER, features (accepts features & offered, plus
 * VERSION_1), FEATURES_OK (asserted), every queue with size qsize, DRIVER_OK.
 */
void drv_init(struct drv *d, struct fake_ram *ram, struct virtio_mmio *vm, uint64_t features,
              uint16_t qsize);
/* Sets up queue q of size qsize at QUEUE_AREA(q) (status must allow it). */
void drv_queue_setup(struct drv *d, unsigned int q, uint16_t qsize);
/* Writes a descriptor. */
void drv_desc(struct drv *d, unsigned int q, uint16_t i, uint64_t addr, uint32_t len,
              uint16_t flags, uint16_t next);
/* Puts head in the avail ring and publishes the new idx (no notify). */
void drv_publish(struct drv *d, unsigned int q, uint16_t head);
/* Builds a chain of n buffers from fresh descriptors, publishes it; returns the head. */
uint16_t drv_chain(struct drv *d, unsigned int q, const struct drv_buf *b, unsigned int n);
void drv_notify(struct drv *d, unsigned int q);
/* Takes the next used element, false if none. */
bool drv_used(struct drv *d, unsigned int q, uint32_t *id, uint32_t *len);
uint16_t drv_used_idx(struct drv *d, unsigned int q);

/* xorshift64 with a fixed seed per test. */
uint64_t rnd_next(uint64_t *state);

#endif
