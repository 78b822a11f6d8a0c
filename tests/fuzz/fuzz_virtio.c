/* SPDX-License-Identifier: GPL-2.0-only */
/* A fuzzer-driven virtio-mmio driver (fuzz_virtio.h). */
#include <vireo/errno.h>
#include <vireo/virtqueue.h>

#include "fuzz_virtio.h"

uint64_t fuzz_gpa(struct fuzz_in *in)
{
	uint8_t sel = fuzz_u8(in);

	switch (sel & 3u) {
	case 0:
		return fuzz_u64(in); /* anything: outside RAM, overflowing, unaligned */
	case 1:
		/* Near the end of RAM, to straddle it. */
		return RAM_BASE + RAM_SIZE - fuzz_u16(in) % 0x1000u;
	default:
		return RAM_BASE + (fuzz_u32(in) % RAM_SIZE);
	}
}

void fuzz_drv_irq(void *ctx, bool level)
{
	struct fuzz_drv *d = ctx;

	/* Only changes are reported. */
	FUZZ_CHECK(level != d->irq_level);
	d->irq_level = level;
	d->irq_changes++;
}

int fuzz_drv_access(struct fuzz_drv *d, uint64_t off, unsigned int width, bool write,
                    uint64_t *value)
{
	struct vmmio_access a = {.offset = off, .width = width, .write = write, .value = *value};
	int ret = virtio_mmio_access(d->vm, &a);

	FUZZ_CHECK(ret == 0 || ret == VIREO_EFAULT);
	if (ret == 0 && !write) {
		*value = a.value;
		/* A read returns width bytes, no more. */
		FUZZ_CHECK(width == 8 || (a.value >> (8 * width)) == 0);
	}
	return ret;
}

static void wr32(struct fuzz_drv *d, uint64_t off, uint32_t v)
{
	uint64_t value = v;

	FUZZ_CHECK(fuzz_drv_access(d, off, 4, true, &value) == 0);
}

static uint32_t rd32(struct fuzz_drv *d, uint64_t off)
{
	uint64_t value = 0;

	FUZZ_CHECK(fuzz_drv_access(d, off, 4, false, &value) == 0);
	return (uint32_t)value;
}

/* 3.1.1 in full with every queue at FUZZ_QUEUE_AREA(q), sizes and features from the input. */
static void drv_init(struct fuzz_drv *d, struct fuzz_in *in)
{
	uint64_t features;
	unsigned int q;

	wr32(d, VIRTIO_MMIO_STATUS, 0);
	wr32(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr32(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr32(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	features = rd32(d, VIRTIO_MMIO_DEVICE_FEATURES);
	wr32(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	features |= (uint64_t)rd32(d, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	features &= ~(uint64_t)fuzz_u8(in); /* the driver may decline some */
	wr32(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr32(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
	wr32(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr32(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
	wr32(d, VIRTIO_MMIO_STATUS,
	     VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	FUZZ_CHECK((rd32(d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) != 0);
	for (q = 0; q < d->vm->ops->queue_count; q++) {
		uint32_t max;
		uint32_t size = 1u << (fuzz_u8(in) % 9u);
		uint64_t area = FUZZ_QUEUE_AREA(q);

		wr32(d, VIRTIO_MMIO_QUEUE_SEL, q);
		max = rd32(d, VIRTIO_MMIO_QUEUE_NUM_MAX);
		FUZZ_CHECK(max == d->vm->ops->queue_size_max);
		size = size < max ? size : max;
		wr32(d, VIRTIO_MMIO_QUEUE_NUM, size);
		wr32(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)area);
		wr32(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(area >> 32));
		wr32(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)(area + 0x1000));
		wr32(d, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)((area + 0x1000) >> 32));
		wr32(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)(area + 0x1400));
		wr32(d, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)((area + 0x1400) >> 32));
		wr32(d, VIRTIO_MMIO_QUEUE_READY, 1);
		FUZZ_CHECK(rd32(d, VIRTIO_MMIO_QUEUE_READY) == 1);
		d->avail_idx[q] = 0;
		d->used_seen[q] = 0;
	}
	wr32(d, VIRTIO_MMIO_STATUS,
	     VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
	         VIRTIO_STATUS_DRIVER_OK);
	FUZZ_CHECK(virtio_mmio_live(d->vm));
}

/* The driver's view of queue q: its size and rings, or false if the device has none set up. */
static bool drv_queue(const struct fuzz_drv *d, unsigned int q, const struct virtq **vq)
{
	if (q >= d->vm->ops->queue_count || !d->vm->queue[q].ready) {
		return false;
	}
	*vq = &d->vm->queue[q].vq;
	return true;
}

static void put16(struct fuzz_drv *d, uint64_t gpa, uint16_t v)
{
	(void)fake_ram_copy(d->ram, gpa, &v, sizeof(v), true);
}

int fuzz_drv_step(struct fuzz_drv *d, struct fuzz_in *in)
{
	uint8_t op = fuzz_u8(in);
	unsigned int q = fuzz_u8(in) % VIRTIO_MMIO_QUEUES_MAX;
	const struct virtq *vq = NULL;
	uint64_t value;

	switch (op % 16u) {
	case 0:
		drv_init(d, in);
		break;
	case 1: { /* a register or config write of any width and offset */
		uint64_t off = fuzz_u16(in) % VIRTIO_MMIO_SIZE;
		unsigned int width = 1u << (fuzz_u8(in) % 4u);

		value = fuzz_u64(in);
		(void)fuzz_drv_access(d, off, width, true, &value);
		break;
	}
	case 2: { /* a read */
		uint64_t off = fuzz_u16(in) % VIRTIO_MMIO_SIZE;
		unsigned int width = 1u << (fuzz_u8(in) % 4u);

		value = 0;
		(void)fuzz_drv_access(d, off, width, false, &value);
		break;
	}
	case 3: { /* bytes into RAM */
		uint64_t gpa = fuzz_gpa(in);
		uint8_t buf[256];
		size_t len = fuzz_u8(in);

		for (size_t i = 0; i < len; i++) {
			buf[i] = fuzz_u8(in);
		}
		(void)fake_ram_copy(d->ram, gpa, buf, len, true);
		break;
	}
	case 4: /* a descriptor of the queue's table */
		if (drv_queue(d, q, &vq)) {
			uint16_t i = (uint16_t)(fuzz_u8(in) & (vq->size - 1u));
			uint8_t desc[16];
			uint64_t addr = fuzz_gpa(in);
			uint32_t len = fuzz_u8(in) & 1u ? fuzz_u32(in) : fuzz_u16(in) % 0x1100u;
			uint16_t flags = fuzz_u8(in) & 0x7u;
			uint16_t next = fuzz_u8(in);

			memcpy(desc, &addr, 8);
			memcpy(desc + 8, &len, 4);
			memcpy(desc + 12, &flags, 2);
			memcpy(desc + 14, &next, 2);
			(void)fake_ram_copy(d->ram, vq->desc + 16ULL * i, desc, sizeof(desc), true);
		}
		break;
	case 5: /* publish a head in the avail ring */
		if (drv_queue(d, q, &vq)) {
			uint16_t head = fuzz_u8(in);
			uint16_t slot = (uint16_t)(d->avail_idx[q] & (vq->size - 1u));

			put16(d, vq->avail + 4 + 2ULL * slot, head);
			d->avail_idx[q]++;
			put16(d, vq->avail + 2, d->avail_idx[q]);
		}
		break;
	case 6: /* avail idx set to anything */
		if (drv_queue(d, q, &vq)) {
			d->avail_idx[q] = fuzz_u16(in);
			put16(d, vq->avail + 2, d->avail_idx[q]);
		}
		break;
	case 7: /* avail flags (NO_INTERRUPT) */
		if (drv_queue(d, q, &vq)) {
			put16(d, vq->avail, fuzz_u8(in) & 1u);
		}
		break;
	case 8:
		wr32(d, VIRTIO_MMIO_QUEUE_NOTIFY, fuzz_u8(in) & 1u ? q : fuzz_u32(in));
		/* The glue serves one request per call until none is left: a bounded number. */
		for (unsigned int n = 0; virtio_mmio_serve(d->vm); n++) {
			FUZZ_CHECK(n < 4 * VIRTQ_SIZE_MAX);
		}
		break;
	case 9: /* the interrupt handler: read and acknowledge */
		wr32(d, VIRTIO_MMIO_INTERRUPT_ACK, rd32(d, VIRTIO_MMIO_INTERRUPT_STATUS));
		FUZZ_CHECK(!d->irq_level);
		break;
	case 10: /* a status write of any bits */
		wr32(d, VIRTIO_MMIO_STATUS, fuzz_u8(in));
		break;
	case 11: /* reset */
		wr32(d, VIRTIO_MMIO_STATUS, 0);
		FUZZ_CHECK(rd32(d, VIRTIO_MMIO_STATUS) == 0 && !d->irq_level);
		break;
	default:
		return op;
	}
	return -1;
}

void fuzz_drv_check(struct fuzz_drv *d)
{
	const struct virtio_mmio *vm = d->vm;

	FUZZ_CHECK(d->irq_level == (vm->int_status != 0) && vm->irq_level == d->irq_level);
	FUZZ_CHECK((vm->int_status & ~(VIRTIO_MMIO_INT_VRING | VIRTIO_MMIO_INT_CONFIG)) == 0);
	/* 3.1.1: DRIVER_OK only after FEATURES_OK, which only holds acceptable features. */
	if (vm->status & VIRTIO_STATUS_DRIVER_OK) {
		FUZZ_CHECK(vm->status & VIRTIO_STATUS_FEATURES_OK);
	}
	if (vm->status & VIRTIO_STATUS_FEATURES_OK) {
		FUZZ_CHECK((vm->driver_features & ~vm->device_features) == 0);
		FUZZ_CHECK(virtio_mmio_has_feature(vm, VIRTIO_F_VERSION_1));
	}
	FUZZ_CHECK(((vm->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) != 0) == (vm->fault != NULL));
	for (unsigned int q = 0; q < VIRTIO_MMIO_QUEUES_MAX; q++) {
		const struct virtq *vq = &vm->queue[q].vq;

		if (!vm->queue[q].ready) {
			d->used_seen[q] = 0;
			continue;
		}
		FUZZ_CHECK(q < vm->ops->queue_count);
		FUZZ_CHECK(vq->size != 0 && (vq->size & (vq->size - 1u)) == 0 &&
		           vq->size <= vm->ops->queue_size_max);
		FUZZ_CHECK(virtq_check(vm->mem, vq->desc, vq->avail, vq->used, vq->size) == 0);
		/* The device never gives back more chains than it took. */
		FUZZ_CHECK((uint16_t)(vq->last_avail - vq->used_idx) <= vq->size);
		/* Every element given back names a descriptor of the table, with a length that fits. */
		for (; d->used_seen[q] != vq->used_idx; d->used_seen[q]++) {
			uint32_t elem[2];
			uint64_t at = vq->used + 4 + 8ULL * (d->used_seen[q] & (vq->size - 1u));

			FUZZ_CHECK(fake_ram_copy(d->ram, at, elem, sizeof(elem), false));
			FUZZ_CHECK(elem[0] < vq->size);
			/*
			 * 2.7.8.1: len counts bytes written into the chain, so it is bounded like
			 * the chain. (Not by the table as it is now: the device may have written
			 * data over descriptors a careless driver pointed into the table.)
			 */
			FUZZ_CHECK(elem[1] <= VIRTQ_CHAIN_BYTES_MAX);
		}
	}
}
