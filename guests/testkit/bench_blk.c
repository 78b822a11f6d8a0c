/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * blk_read: a minimal polled virtio-blk driver over virtio-mmio (VirtIO 1.2: 4.2.2 registers,
 * 4.2.3.1 device initialisation, 2.7 split virtqueues, 5.2 block device). It finds the first
 * virtio,mmio node whose DeviceID is 2 (block), sets up queue 0 with 8 entries and reads
 * 4 KiB blocks one at a time: each request is a three-descriptor chain (header, data, status)
 * put in the avail ring, a QueueNotify write, then polling the used ring. Interrupts are
 * suppressed (VIRTQ_AVAIL_F_NO_INTERRUPT). One operation is one request, from filling the
 * avail ring to seeing it used. bench/bench.py gives the disk a pattern: each 512-byte sector
 * starts with its own number (64-bit little-endian), which every read checks.
 */
#include "bench.h"
#include "csr.h"

#define BLK_WARMUP     10
#define BLK_ITERS      200
#define BLK_BLOCKS_MAX 64 /* read blocks 0..63 in turn */
#define BLK_TIMEOUT_MS 2000

/* virtio-mmio registers (4.2.2). */
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
#define VMMIO_STATUS         0x070
#define VMMIO_QUEUE_DESC_LO  0x080
#define VMMIO_QUEUE_DESC_HI  0x084
#define VMMIO_QUEUE_AVAIL_LO 0x090
#define VMMIO_QUEUE_AVAIL_HI 0x094
#define VMMIO_QUEUE_USED_LO  0x0a0
#define VMMIO_QUEUE_USED_HI  0x0a4
#define VMMIO_CONFIG         0x100

#define VIRTIO_MAGIC       0x74726976 /* "virt" */
#define VIRTIO_ID_BLOCK    2
#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER      2
#define STATUS_DRIVER_OK   4
#define STATUS_FEATURES_OK 8
#define STATUS_FAILED      128
#define VIRTIO_F_VERSION_1 32 /* feature bit number: word 1, bit 0 */

#define VIRTQ_DESC_F_NEXT          1
#define VIRTQ_DESC_F_WRITE         2
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_S_OK 0
#define SECTOR_SIZE     512
#define BLOCK_SIZE      4096

#define QSIZE 8

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[QSIZE];
	uint16_t used_event;
};

struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[QSIZE];
	uint16_t avail_event;
};

struct blk_req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* Guest RAM the device reads and writes (RISC-V is little-endian, as VirtIO 1.x is). */
static struct virtq_desc desc[QSIZE] __attribute__((aligned(16)));
static struct virtq_avail avail __attribute__((aligned(2)));
static struct virtq_used used __attribute__((aligned(4)));
static struct blk_req_hdr hdr __attribute__((aligned(16)));
static uint8_t data[BLOCK_SIZE] __attribute__((aligned(BLOCK_SIZE)));
static volatile uint8_t status;

static uint64_t mmio_base;

static uint32_t rd(uint32_t off)
{
	return *(volatile const uint32_t *)(uintptr_t)(mmio_base + off);
}

static void wr(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(mmio_base + off) = v;
}

static void wr64(uint32_t lo, uint64_t v)
{
	wr(lo, (uint32_t)v);
	wr(lo + 4, (uint32_t)(v >> 32));
}

static uint64_t find_block_device(void)
{
	for (unsigned int i = 0; i < tk_plat.virtio_count; i++) {
		volatile const uint32_t *r =
		    (volatile const uint32_t *)(uintptr_t)tk_plat.virtio_base[i];

		if (r[VMMIO_MAGIC / 4] == VIRTIO_MAGIC && r[VMMIO_VERSION / 4] == 2 &&
		    r[VMMIO_DEVICE_ID / 4] == VIRTIO_ID_BLOCK) {
			return tk_plat.virtio_base[i];
		}
	}
	return 0;
}

/* True if some slot holds a legacy (Version 1) block device: QEMU's default for virtio-mmio. */
static bool legacy_block_device(void)
{
	for (unsigned int i = 0; i < tk_plat.virtio_count; i++) {
		volatile const uint32_t *r =
		    (volatile const uint32_t *)(uintptr_t)tk_plat.virtio_base[i];

		if (r[VMMIO_MAGIC / 4] == VIRTIO_MAGIC && r[VMMIO_VERSION / 4] == 1 &&
		    r[VMMIO_DEVICE_ID / 4] == VIRTIO_ID_BLOCK) {
			return true;
		}
	}
	return false;
}

/* 3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queue setup, DRIVER_OK. */
static const char *init_device(uint64_t *capacity)
{
	wr(VMMIO_STATUS, 0);
	while (rd(VMMIO_STATUS) != 0) {
	}
	wr(VMMIO_STATUS, STATUS_ACKNOWLEDGE);
	wr(VMMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
	wr(VMMIO_DEV_FEAT_SEL, 1);
	if ((rd(VMMIO_DEV_FEATURES) & (1U << (VIRTIO_F_VERSION_1 - 32))) == 0) {
		return "device does not offer VIRTIO_F_VERSION_1";
	}
	/* Only VERSION_1: no indirect descriptors, no event index, no block-specific extras. */
	wr(VMMIO_DRV_FEAT_SEL, 0);
	wr(VMMIO_DRV_FEATURES, 0);
	wr(VMMIO_DRV_FEAT_SEL, 1);
	wr(VMMIO_DRV_FEATURES, 1U << (VIRTIO_F_VERSION_1 - 32));
	wr(VMMIO_STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
	if ((rd(VMMIO_STATUS) & STATUS_FEATURES_OK) == 0) {
		wr(VMMIO_STATUS, STATUS_FAILED);
		return "device refused FEATURES_OK";
	}
	wr(VMMIO_QUEUE_SEL, 0);
	if (rd(VMMIO_QUEUE_READY) != 0) {
		return "queue 0 already live after reset";
	}
	if (rd(VMMIO_QUEUE_NUM_MAX) < QSIZE) {
		return "queue 0 smaller than 8 entries";
	}
	memset(desc, 0, sizeof(desc));
	memset(&avail, 0, sizeof(avail));
	memset(&used, 0, sizeof(used));
	wr(VMMIO_QUEUE_NUM, QSIZE);
	wr64(VMMIO_QUEUE_DESC_LO, (uint64_t)(uintptr_t)desc);
	wr64(VMMIO_QUEUE_AVAIL_LO, (uint64_t)(uintptr_t)&avail);
	wr64(VMMIO_QUEUE_USED_LO, (uint64_t)(uintptr_t)&used);
	wr(VMMIO_QUEUE_READY, 1);
	wr(VMMIO_STATUS,
	   STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
	*capacity = (uint64_t)rd(VMMIO_CONFIG + 4) << 32 | rd(VMMIO_CONFIG);

	/* One chain, reused by every request: header (read), data (write), status (write). */
	desc[0] = (struct virtq_desc){(uint64_t)(uintptr_t)&hdr, sizeof(hdr), VIRTQ_DESC_F_NEXT, 1};
	desc[1] = (struct virtq_desc){(uint64_t)(uintptr_t)data, BLOCK_SIZE,
	                              VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2};
	desc[2] = (struct virtq_desc){(uint64_t)(uintptr_t)&status, 1, VIRTQ_DESC_F_WRITE, 0};
	avail.flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	return NULL;
}

/* One request; NULL or why it failed. */
static const char *read_block(uint64_t sector)
{
	volatile uint16_t *used_idx = &used.idx;
	uint16_t next = (uint16_t)(avail.idx + 1);

	hdr.type = VIRTIO_BLK_T_IN;
	hdr.reserved = 0;
	hdr.sector = sector;
	status = 0xff;
	avail.ring[avail.idx % QSIZE] = 0;
	/* 2.7.13: the ring entry and the buffers before the index, the index before the notify. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*(volatile uint16_t *)&avail.idx = next;
	__asm__ volatile("fence iorw, iorw" : : : "memory");
	wr(VMMIO_QUEUE_NOTIFY, 0);
	uint64_t deadline = 0;

	while (*used_idx != next) {
		if (deadline == 0) {
			deadline = tk_deadline_ms(BLK_TIMEOUT_MS);
		} else if (tk_expired(deadline)) {
			return "request not completed within 2 s";
		}
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (status != VIRTIO_BLK_S_OK) {
		return "request status not VIRTIO_BLK_S_OK";
	}
	if (*(volatile const uint64_t *)data != sector) {
		return "block does not hold the expected pattern";
	}
	return NULL;
}

void bench_blk_read(void)
{
	struct bench_counters start = {0, 0, 0}, end, total;
	uint64_t capacity = 0;
	const char *err;
	char extra[64];

	mmio_base = find_block_device();
	if (mmio_base == 0) {
		bench_skip("blk_read", "%s",
		           legacy_block_device()
		               ? "only a legacy (Version 1) virtio-mmio block device"
		               : "no virtio-mmio block device");
		return;
	}
	err = init_device(&capacity);
	if (err != NULL) {
		tk_printf("BENCH blk_read fail %s\n", err);
		return;
	}
	uint64_t blocks = capacity / (BLOCK_SIZE / SECTOR_SIZE);

	if (blocks == 0) {
		wr(VMMIO_STATUS, 0);
		bench_skip("blk_read", "disk smaller than 4 KiB");
		return;
	}
	if (blocks > BLK_BLOCKS_MAX) {
		blocks = BLK_BLOCKS_MAX;
	}
	for (unsigned int i = 0; i < BLK_WARMUP + BLK_ITERS; i++) {
		if (i == BLK_WARMUP) {
			bench_read(&start);
		}
		err = read_block(i % blocks * (BLOCK_SIZE / SECTOR_SIZE));
		if (err != NULL) {
			break;
		}
	}
	bench_read(&end);
	wr(VMMIO_STATUS, 0);
	if (err != NULL) {
		tk_printf("BENCH blk_read fail %s\n", err);
		return;
	}
	total = bench_delta(&start, &end);
	tk_snprintf(extra, sizeof(extra), "device=0x%lx blocks=%lu", mmio_base, blocks);
	bench_report("blk_read", BLK_ITERS, &total, extra);
}
