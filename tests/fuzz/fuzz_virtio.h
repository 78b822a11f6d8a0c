/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the VirtIO harnesses, over the fake guest RAM of tests/unit/fake_ram.h: a driver
 * that interprets fuzzer bytes as register accesses, RAM stores, descriptor and ring updates and
 * notifications on one virtio-mmio device, checking the transport's invariants after each.
 */
#ifndef TESTS_FUZZ_VIRTIO_H
#define TESTS_FUZZ_VIRTIO_H

#include <vireo/gmem.h>
#include <vireo/virtio_mmio.h>

#include "fake_ram.h"
#include "fuzz.h"

/* Queue q's rings as the setup step lays them out: desc, avail at +0x1000, used at +0x1400. */
#define FUZZ_QUEUE_AREA(q) (RAM_BASE + 0x2000ULL * (q))

/* A guest-physical address: usually inside RAM, sometimes any 64-bit value. */
uint64_t fuzz_gpa(struct fuzz_in *in);

struct fuzz_drv {
	struct fake_ram *ram;
	struct virtio_mmio *vm;
	uint16_t avail_idx[VIRTIO_MMIO_QUEUES_MAX];
	uint16_t used_seen[VIRTIO_MMIO_QUEUES_MAX]; /* used elements already checked */
	bool irq_level;
	unsigned long irq_changes;
};

/* irq callback for virtio_mmio_init(); ctx is the struct fuzz_drv. */
void fuzz_drv_irq(void *ctx, bool level);

/* One register access through virtio_mmio_access(); returns its result. */
int fuzz_drv_access(struct fuzz_drv *d, uint64_t off, unsigned int width, bool write,
                    uint64_t *value);

/*
 * Reads one operation from in and performs it. Operations the generic driver does not know
 * (opcode byte >= FUZZ_DRV_OPS) are returned for the device harness to interpret; -1 otherwise.
 */
#define FUZZ_DRV_OPS 12U
int fuzz_drv_step(struct fuzz_drv *d, struct fuzz_in *in);

/*
 * The transport's invariants, checked after every operation; new used elements too (a valid id,
 * a length within a chain's bounds). Devices must complete chains before returning.
 */
void fuzz_drv_check(struct fuzz_drv *d);

#endif
