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
#include "virtio_mmio.h"
#include "csr.h"

#define BLK_WARMUP     10
#define BLK_ITERS      200
#define BLK_BLOCKS_MAX 64 /* read blocks 0..63 in turn */
#define BLK_TIMEOUT_MS 2000

#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_S_OK 0
#define SECTOR_SIZE     512
#define BLOCK_SIZE      4096

#define QSIZE 8

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
	vmmio_write(mmio_base, VMMIO_STATUS, 0);
	while (vmmio_read(mmio_base, VMMIO_STATUS) != 0) {
	}
	vmmio_write(mmio_base, VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	vmmio_write(mmio_base, VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	vmmio_write(mmio_base, VMMIO_DEV_FEAT_SEL, 1);
	if ((vmmio_read(mmio_base, VMMIO_DEV_FEATURES) & (1U << (VIRTIO_F_VERSION_1 - 32))) == 0) {
		return "device does not offer VIRTIO_F_VERSION_1";
	}
	/* Only VERSION_1: no indirect descriptors, no event index, no block-specific extras. */
	vmmio_write(mmio_base, VMMIO_DRV_FEAT_SEL, 0);
	vmmio_write(mmio_base, VMMIO_DRV_FEATURES, 0);
	vmmio_write(mmio_base, VMMIO_DRV_FEAT_SEL, 1);
	vmmio_write(mmio_base, VMMIO_DRV_FEATURES, 1U << (VIRTIO_F_VERSION_1 - 32));
	vmmio_write(mmio_base, VMMIO_STATUS,
	            VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	if ((vmmio_read(mmio_base, VMMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) == 0) {
		vmmio_write(mmio_base, VMMIO_STATUS, VIRTIO_STATUS_FAILED);
		return "device refused FEATURES_OK";
	}
	vmmio_write(mmio_base, VMMIO_QUEUE_SEL, 0);
	if (vmmio_read(mmio_base, VMMIO_QUEUE_READY) != 0) {
		return "queue 0 already live after reset";
	}
	if (vmmio_read(mmio_base, VMMIO_QUEUE_NUM_MAX) < QSIZE) {
		return "queue 0 smaller than 8 entries";
	}
	memset(desc, 0, sizeof(desc));
	memset(&avail, 0, sizeof(avail));
	memset(&used, 0, sizeof(used));
	vmmio_write(mmio_base, VMMIO_QUEUE_NUM, QSIZE);
	vmmio_write64(mmio_base, VMMIO_QUEUE_DESC_LO, (uint64_t)(uintptr_t)desc);
	vmmio_write64(mmio_base, VMMIO_QUEUE_AVAIL_LO, (uint64_t)(uintptr_t)&avail);
	vmmio_write64(mmio_base, VMMIO_QUEUE_USED_LO, (uint64_t)(uintptr_t)&used);
	vmmio_write(mmio_base, VMMIO_QUEUE_READY, 1);
	vmmio_write(mmio_base, VMMIO_STATUS,
	            VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
	                VIRTIO_STATUS_DRIVER_OK);
	*capacity = (uint64_t)vmmio_read(mmio_base, VMMIO_CONFIG + 4) << 32 |
	            vmmio_read(mmio_base, VMMIO_CONFIG);

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
	vmmio_write(mmio_base, VMMIO_QUEUE_NOTIFY, 0);
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
		vmmio_write(mmio_base, VMMIO_STATUS, 0);
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
	vmmio_write(mmio_base, VMMIO_STATUS, 0);
	if (err != NULL) {
		tk_printf("BENCH blk_read fail %s\n", err);
		return;
	}
	total = bench_delta(&start, &end);
	tk_snprintf(extra, sizeof(extra), "device=0x%lx blocks=%lu", mmio_base, blocks);
	bench_report("blk_read", BLK_ITERS, &total, extra);
}
