/* SPDX-License-Identifier: GPL-2.0-only */
/* Fake guest RAM and a virtio-mmio driver for the VirtIO model tests (virtio_fake.h). */
#include <assert.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/virtqueue.h>

#include "virtio_fake.h"

void ram_init(struct fake_ram *r)
{
	fake_ram_init(r);
}

void ram_free(struct fake_ram *r)
{
	fake_ram_free(r);
}

static void ram_copy(struct fake_ram *r, uint64_t gpa, void *buf, size_t len, bool write)
{
	assert_true(fake_ram_copy(r, gpa, buf, len, write));
}

void ram_write(struct fake_ram *r, uint64_t gpa, const void *buf, size_t len)
{
	ram_copy(r, gpa, (void *)(uintptr_t)buf, len, true);
}

void ram_read(struct fake_ram *r, uint64_t gpa, void *buf, size_t len)
{
	ram_copy(r, gpa, buf, len, false);
}

void ram_fill(struct fake_ram *r, uint64_t gpa, uint8_t v, size_t len)
{
	uint8_t b[256];
	memset(b, v, sizeof(b));
	while (len > 0) {
		size_t n = len < sizeof(b) ? len : sizeof(b);
		ram_write(r, gpa, b, n);
		gpa += n;
		len -= n;
	}
}

uint16_t ram_u16(struct fake_ram *r, uint64_t gpa)
{
	uint16_t v;
	ram_read(r, gpa, &v, 2);
	return v;
}

uint32_t ram_u32(struct fake_ram *r, uint64_t gpa)
{
	uint32_t v;
	ram_read(r, gpa, &v, 4);
	return v;
}

void ram_put16(struct fake_ram *r, uint64_t gpa, uint16_t v)
{
	ram_write(r, gpa, &v, 2);
}

void irq_record(void *ctx, bool level)
{
	struct irq_rec *r = ctx;
	assert_true(level != r->level); /* only changes */
	r->level = level;
	r->changes++;
}

int mmio_access(struct virtio_mmio *vm, uint64_t off, unsigned int width, bool write,
                uint64_t *value)
{
	struct vmmio_access a = {
	    .vcpu = NULL, .offset = off, .width = width, .write = write, .value = *value};
	if (!write) {
		a.value = 0xdeadbeefcafef00dULL;
	}
	int rc = virtio_mmio_ops.access(vm, &a);
	if (!write && rc == 0) {
		*value = a.value;
	}
	return rc;
}

uint32_t mmio_rd(struct virtio_mmio *vm, uint64_t off)
{
	uint64_t v = 0;
	assert_int_equal(mmio_access(vm, off, 4, false, &v), 0);
	assert_true(v <= 0xffffffffULL);
	return (uint32_t)v;
}

void mmio_wr(struct virtio_mmio *vm, uint64_t off, uint32_t v)
{
	uint64_t x = v;
	assert_int_equal(mmio_access(vm, off, 4, true, &x), 0);
}

void drv_queue_setup(struct drv *d, unsigned int q, uint16_t qsize)
{
	struct drv_queue *dq = &d->q[q];
	memset(dq, 0, sizeof(*dq));
	dq->desc = QUEUE_AREA(q);
	dq->avail = dq->desc + 0x1000;
	dq->used = dq->desc + 0x2000;
	dq->size = qsize;
	ram_fill(d->ram, dq->desc, 0, 0x3000);
	mmio_wr(d->vm, VIRTIO_MMIO_QUEUE_SEL, q);
	assert_int_equal(mmio_rd(d->vm, VIRTIO_MMIO_QUEUE_READY), 0);
	assert_true(mmio_rd(d->vm, VIRTIO_MMIO_QUEUE_NUM_MAX) >= qsize);
	mmio_wr(d->vm, VIRTIO_MMIO_QUEUE_NUM, qsize);
	mmio_wr(d->vm, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)dq->desc);
	mmio_wr(d->vm, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(dq->desc >> 32));
	mmio_wr(d->vm, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)dq->avail);
	mmio_wr(d->vm, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(dq->avail >> 32));
	mmio_wr(d->vm, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)dq->used);
	mmio_wr(d->vm, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(dq->used >> 32));
	mmio_wr(d->vm, VIRTIO_MMIO_QUEUE_READY, 1);
}

void drv_init(struct drv *d, struct fake_ram *ram, struct virtio_mmio *vm, uint64_t features,
              uint16_t qsize)
{
	memset(d, 0, sizeof(*d));
	d->ram = ram;
	d->vm = vm;
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_MAGIC_VALUE), VIRTIO_MMIO_MAGIC);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_VERSION), 2);
	mmio_wr(vm, VIRTIO_MMIO_STATUS, 0);
	mmio_wr(vm, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	mmio_wr(vm, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	uint64_t offered = 0;
	for (uint32_t sel = 0; sel < 2; sel++) {
		mmio_wr(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, sel);
		offered |= (uint64_t)mmio_rd(vm, VIRTIO_MMIO_DEVICE_FEATURES) << (32 * sel);
	}
	uint64_t accept = (features & offered) | (1ULL << VIRTIO_F_VERSION_1);
	for (uint32_t sel = 0; sel < 2; sel++) {
		mmio_wr(vm, VIRTIO_MMIO_DRIVER_FEATURES_SEL, sel);
		mmio_wr(vm, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(accept >> (32 * sel)));
	}
	uint32_t s = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK;
	mmio_wr(vm, VIRTIO_MMIO_STATUS, s);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), s);
	for (unsigned int q = 0; q < vm->ops->queue_count; q++) {
		drv_queue_setup(d, q, qsize);
		assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_QUEUE_READY), 1);
	}
	mmio_wr(vm, VIRTIO_MMIO_STATUS, s | VIRTIO_STATUS_DRIVER_OK);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), s | VIRTIO_STATUS_DRIVER_OK);
}

void drv_desc(struct drv *d, unsigned int q, uint16_t i, uint64_t addr, uint32_t len,
              uint16_t flags, uint16_t next)
{
	uint8_t desc[16];
	memcpy(desc, &addr, 8);
	memcpy(desc + 8, &len, 4);
	memcpy(desc + 12, &flags, 2);
	memcpy(desc + 14, &next, 2);
	ram_write(d->ram, d->q[q].desc + 16U * i, desc, 16);
}

void drv_publish(struct drv *d, unsigned int q, uint16_t head)
{
	struct drv_queue *dq = &d->q[q];
	ram_put16(d->ram, dq->avail + 4 + 2U * (dq->avail_idx % dq->size), head);
	dq->avail_idx++;
	ram_put16(d->ram, dq->avail + 2, dq->avail_idx);
}

uint16_t drv_chain(struct drv *d, unsigned int q, const struct drv_buf *b, unsigned int n)
{
	struct drv_queue *dq = &d->q[q];
	uint16_t head = dq->next_desc;
	for (unsigned int i = 0; i < n; i++) {
		uint16_t me = (uint16_t)((head + i) % dq->size);
		uint16_t next = (uint16_t)((head + i + 1) % dq->size);
		uint16_t flags = (uint16_t)((b[i].write ? VIRTQ_DESC_F_WRITE : 0) |
		                            (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		drv_desc(d, q, me, b[i].gpa, b[i].len, flags, i + 1 < n ? next : 0);
	}
	dq->next_desc = (uint16_t)((head + n) % dq->size);
	drv_publish(d, q, head);
	return head;
}

void drv_notify(struct drv *d, unsigned int q)
{
	mmio_wr(d->vm, VIRTIO_MMIO_QUEUE_NOTIFY, q);
	/* What the glue does on the notifying vCPU's thread: serve one request at a time until
	 * none is left. Bounded: every call takes one request off a ring of at most 256. */
	for (unsigned int n = 0; virtio_mmio_serve(d->vm); n++) {
		assert(n < 1024);
	}
}

uint16_t drv_used_idx(struct drv *d, unsigned int q)
{
	return ram_u16(d->ram, d->q[q].used + 2);
}

bool drv_used(struct drv *d, unsigned int q, uint32_t *id, uint32_t *len)
{
	struct drv_queue *dq = &d->q[q];
	if (drv_used_idx(d, q) == dq->used_seen) {
		return false;
	}
	uint64_t at = dq->used + 4 + 8U * (dq->used_seen % dq->size);
	*id = ram_u32(d->ram, at);
	*len = ram_u32(d->ram, at + 4);
	dq->used_seen++;
	return true;
}

uint64_t rnd_next(uint64_t *state)
{
	uint64_t x = *state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}
