/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * What the kit's polled virtio-mmio drivers share (bench_blk.c, hostile_virtio.c): the
 * registers of the virtio-mmio transport (VirtIO 1.2 4.2.2), device status bits (2.1), device
 * IDs (5), split-virtqueue descriptor and ring flags (2.7.5, 2.7.6) and register accessors.
 */
#ifndef TESTKIT_VIRTIO_MMIO_H
#define TESTKIT_VIRTIO_MMIO_H

#include "testkit.h"

#define VMMIO_MAGIC          0x000
#define VMMIO_VERSION        0x004
#define VMMIO_DEVICE_ID      0x008
#define VMMIO_DEV_FEATURES   0x010
#define VMMIO_DEV_FEAT_SEL   0x014
#define VMMIO_DRV_FEATURES   0x020
#define VMMIO_DRV_FEAT_SEL   0x024
#define VMMIO_QUEUE_SEL      0x030
#define VMMIO_QUEUE_NUM_MAX  0x034
#define VMMIO_QUEUE_NUM      0x038
#define VMMIO_QUEUE_READY    0x044
#define VMMIO_QUEUE_NOTIFY   0x050
#define VMMIO_INT_STATUS     0x060
#define VMMIO_INT_ACK        0x064
#define VMMIO_STATUS         0x070
#define VMMIO_QUEUE_DESC_LO  0x080
#define VMMIO_QUEUE_DESC_HI  0x084
#define VMMIO_QUEUE_AVAIL_LO 0x090
#define VMMIO_QUEUE_AVAIL_HI 0x094
#define VMMIO_QUEUE_USED_LO  0x0a0
#define VMMIO_QUEUE_USED_HI  0x0a4
#define VMMIO_CONFIG         0x100

#define VIRTIO_MAGIC 0x74726976 /* "virt" */

#define VIRTIO_STATUS_ACKNOWLEDGE 1U
#define VIRTIO_STATUS_DRIVER      2U
#define VIRTIO_STATUS_DRIVER_OK   4U
#define VIRTIO_STATUS_FEATURES_OK 8U
#define VIRTIO_STATUS_NEEDS_RESET 64U
#define VIRTIO_STATUS_FAILED      128U

#define VIRTIO_ID_NET     1U
#define VIRTIO_ID_BLOCK   2U
#define VIRTIO_ID_CONSOLE 3U
#define VIRTIO_ID_RNG     4U

#define VIRTIO_F_VERSION_1 32 /* feature bit number: word 1, bit 0 */

#define VIRTQ_DESC_F_NEXT          1U
#define VIRTQ_DESC_F_WRITE         2U
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1U

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

static inline uint32_t vmmio_read(uint64_t base, uint32_t off)
{
	return *(volatile const uint32_t *)(uintptr_t)(base + off);
}

static inline void vmmio_write(uint64_t base, uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(base + off) = v;
}

/** A 64-bit value into a register pair: the low half at lo, the high half at lo + 4. */
static inline void vmmio_write64(uint64_t base, uint32_t lo, uint64_t v)
{
	vmmio_write(base, lo, (uint32_t)v);
	vmmio_write(base, lo + 4, (uint32_t)(v >> 32));
}

#endif
