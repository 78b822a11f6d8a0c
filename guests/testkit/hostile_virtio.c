/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * VirtIO attacks through a minimal polled virtio-mmio driver (VirtIO 1.2: 4.2.2 registers,
 * 3.1.1 initialisation, 2.7 split virtqueues, 5.2 block, 5.1 network, 5.4 entropy, 5.3
 * console). A device must either fail the one request (buffers returned, nothing written) or
 * set DEVICE_NEEDS_RESET (2.1.2); it must never write outside the buffers the driver gave it
 * nor stop answering, and a reset (status 0) must bring it back.
 */
#include "hostile.h"
#include "csr.h"
#include "virtio_mmio.h"

#define S_INIT  (VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER)
#define QMAX    16U
#define CANARY  0x5a5aa5a5c3c33c3cUL
#define WAIT_MS 2000

/* The rings, each followed by a canary the device must never touch. */
static struct {
	struct virtq_desc d[QMAX];
	uint64_t guard0;
	uint16_t avail_flags, avail_idx, avail_ring[QMAX], used_event;
	uint64_t guard1;
	uint16_t used_flags, used_idx;
	struct {
		uint32_t id, len;
	} used_ring[QMAX];
	uint16_t avail_event;
	uint64_t guard2;
} q __attribute__((aligned(4096)));

static struct {
	uint32_t type, reserved;
	uint64_t sector;
} hdr __attribute__((aligned(16)));
static uint8_t data[4096 + 16] __attribute__((aligned(4096)));
static volatile uint8_t blk_status;

static uint64_t dev;
static uint16_t qsize;

static uint64_t find(uint32_t id)
{
	for (unsigned int i = 0; i < tk_plat.virtio_count; i++) {
		dev = tk_plat.virtio_base[i];
		if (vmmio_read(dev, VMMIO_MAGIC) == VIRTIO_MAGIC &&
		    vmmio_read(dev, VMMIO_DEVICE_ID) == id) {
			return dev;
		}
	}
	return 0;
}

static bool guards_intact(void)
{
	for (unsigned int i = 4096; i < sizeof(data); i++) {
		if (data[i] != 0x5a) {
			return false;
		}
	}
	return q.guard0 == CANARY && q.guard1 == CANARY && q.guard2 == CANARY;
}

static void rings_clear(void)
{
	memset(&q, 0, sizeof(q));
	q.guard0 = q.guard1 = q.guard2 = CANARY;
	memset(data + 4096, 0x5a, 16);
	q.avail_flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
}

/* 3.1.1 steps 1-6: reset, ACKNOWLEDGE, DRIVER, VERSION_1 only, FEATURES_OK. */
static uint32_t begin(uint32_t feat_lo, uint32_t feat_hi)
{
	vmmio_write(dev, VMMIO_STATUS, 0);
	vmmio_write(dev, VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	vmmio_write(dev, VMMIO_STATUS, S_INIT);
	vmmio_write(dev, VMMIO_DRV_FEAT_SEL, 0);
	vmmio_write(dev, VMMIO_DRV_FEATURES, feat_lo);
	vmmio_write(dev, VMMIO_DRV_FEAT_SEL, 1);
	vmmio_write(dev, VMMIO_DRV_FEATURES, feat_hi);
	vmmio_write(dev, VMMIO_STATUS, S_INIT | VIRTIO_STATUS_FEATURES_OK);
	return vmmio_read(dev, VMMIO_STATUS);
}

static void queue(unsigned int sel, uint32_t num, uint64_t d, uint64_t a, uint64_t u)
{
	vmmio_write(dev, VMMIO_QUEUE_SEL, sel);
	vmmio_write(dev, VMMIO_QUEUE_NUM, num);
	vmmio_write64(dev, VMMIO_QUEUE_DESC_LO, d);
	vmmio_write64(dev, VMMIO_QUEUE_AVAIL_LO, a);
	vmmio_write64(dev, VMMIO_QUEUE_USED_LO, u);
	vmmio_write(dev, VMMIO_QUEUE_READY, 1);
}

/* A whole good initialisation with queue @sel (and, for net, every queue up to it). */
static bool bring_up(unsigned int sel, uint16_t size)
{
	rings_clear();
	qsize = size;
	if ((begin(0, 1) & VIRTIO_STATUS_FEATURES_OK) == 0) {
		return false;
	}
	queue(sel, size, (uint64_t)(uintptr_t)q.d, (uint64_t)(uintptr_t)&q.avail_flags,
	      (uint64_t)(uintptr_t)&q.used_flags);
	vmmio_write(dev, VMMIO_STATUS,
	            S_INIT | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	return vmmio_read(dev, VMMIO_QUEUE_READY) == 1 &&
	       vmmio_read(dev, VMMIO_STATUS) ==
	           (S_INIT | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

/* Offers head to the device on queue @sel and waits for the used index to reach @want. */
static bool submit(unsigned int sel, uint16_t head, uint16_t want, bool notify)
{
	q.avail_ring[q.avail_idx % qsize] = head;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*(volatile uint16_t *)&q.avail_idx = (uint16_t)(q.avail_idx + 1);
	__asm__ volatile("fence iorw, iorw" : : : "memory");
	if (notify) {
		vmmio_write(dev, VMMIO_QUEUE_NOTIFY, sel);
	}
	uint64_t deadline = tk_deadline_ms(WAIT_MS);
	while (*(volatile uint16_t *)&q.used_idx != want) {
		if (tk_expired(deadline)) {
			return false;
		}
	}
	return true;
}

static void blk_chain(uint64_t data_addr, uint32_t len, uint16_t data_flags, uint64_t sector)
{
	hdr.type = 0; /* VIRTIO_BLK_T_IN */
	hdr.reserved = 0;
	hdr.sector = sector;
	blk_status = 0xee;
	q.d[0] = (struct virtq_desc){(uint64_t)(uintptr_t)&hdr, sizeof(hdr), VIRTQ_DESC_F_NEXT, 1};
	q.d[1] = (struct virtq_desc){data_addr, len, (uint16_t)(VIRTQ_DESC_F_NEXT | data_flags), 2};
	q.d[2] = (struct virtq_desc){(uint64_t)(uintptr_t)&blk_status, 1, VIRTQ_DESC_F_WRITE, 0};
}

/* One malformed request: failed (len 0, nothing written) and the device still live. */
static void bad_request(struct hk_group *g, const char *what)
{
	uint16_t want = (uint16_t)(q.used_idx + 1);
	bool done = submit(0, 0, want, true);
	uint32_t st = vmmio_read(dev, VMMIO_STATUS);

	hk_check(g, done || (st & VIRTIO_STATUS_NEEDS_RESET), "%s: never answered (status 0x%x)",
	         what, st);
	if (done) {
		hk_check(g, q.used_ring[(want - 1) % qsize].len == 0 && blk_status == 0xee,
		         "%s: used len %u, status byte 0x%x", what,
		         q.used_ring[(want - 1) % qsize].len, blk_status);
	}
	hk_check(g, guards_intact(), "%s: memory next to the rings or buffers changed", what);
}

static bool good_read(struct hk_group *g, const char *after)
{
	blk_chain((uint64_t)(uintptr_t)data, 4096, VIRTQ_DESC_F_WRITE, 0);
	uint16_t want = (uint16_t)(q.used_idx + 1);
	bool ok = submit(0, 0, want, true) && blk_status == 0;
	return hk_check(g, ok, "read after %s: status 0x%x dev 0x%x", after, blk_status,
	                vmmio_read(dev, VMMIO_STATUS));
}

static void bad_setups(struct hk_group *g)
{
	uint64_t end = hk_ram_end();
	uint64_t d = (uint64_t)(uintptr_t)q.d, a = (uint64_t)(uintptr_t)&q.avail_flags;
	uint64_t u = (uint64_t)(uintptr_t)&q.used_flags;
	uint32_t max = (vmmio_write(dev, VMMIO_QUEUE_SEL, 0), vmmio_read(dev, VMMIO_QUEUE_NUM_MAX));
	const struct {
		const char *what;
		uint32_t num;
		uint64_t d, a, u;
	} bad[] = {
	    {"size 7", 7, d, a, u},
	    {"size 0", 0, d, a, u},
	    {"size max+1", max + 1, d, a, u},
	    {"size 2*max", max * 2, d, a, u},
	    {"size 65536", 65536, d, a, u},
	    {"desc outside RAM", 8, 0x1000, a, u},
	    {"desc straddling RAM end", 8, end - 64, a, u},
	    {"desc in device memory", 8, HK_UART_BASE, a, u},
	    {"desc misaligned", 8, d + 8, a, u},
	    {"avail at 2^64-256", 8, d, ~0UL - 0xff, u},
	    {"used straddling RAM end", 8, d, a, end - 32},
	    {"used above RAM", 8, d, a, end + 0x1000000},
	    {"avail below RAM", 8, d, hk_ram_base() - 16, u},
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rings_clear();
		if (!hk_check(g, begin(0, 1) & VIRTIO_STATUS_FEATURES_OK, "FEATURES_OK refused")) {
			return;
		}
		queue(0, bad[i].num, bad[i].d, bad[i].a, bad[i].u);
		uint32_t st = vmmio_read(dev, VMMIO_STATUS);
		hk_check(
		    g, (st & VIRTIO_STATUS_NEEDS_RESET) && vmmio_read(dev, VMMIO_QUEUE_READY) == 0,
		    "%s: status 0x%x ready %u", bad[i].what, st,
		    vmmio_read(dev, VMMIO_QUEUE_READY));
		vmmio_write(dev, VMMIO_STATUS,
		            S_INIT | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
		vmmio_write(dev, VMMIO_QUEUE_NOTIFY, 0);
		vmmio_write(dev, VMMIO_STATUS, 0);
		hk_check(g,
		         vmmio_read(dev, VMMIO_STATUS) == 0 &&
		             vmmio_read(dev, VMMIO_QUEUE_READY) == 0,
		         "%s: reset left 0x%x", bad[i].what, vmmio_read(dev, VMMIO_STATUS));
		hk_check(g, guards_intact(), "%s: memory next to the rings changed", bad[i].what);
	}
	/* 3.1.1 step 5 and 6.1: features not offered, or without VERSION_1, are refused. */
	hk_check(g, (begin(0xffffffff, 0xffffffff) & VIRTIO_STATUS_FEATURES_OK) == 0,
	         "all features kept");
	hk_check(g, (begin(0, 0) & VIRTIO_STATUS_FEATURES_OK) == 0,
	         "FEATURES_OK without VERSION_1");
	vmmio_write(dev, VMMIO_STATUS, 0);
	vmmio_write(dev, VMMIO_STATUS, S_INIT);
	vmmio_write(dev, VMMIO_DRV_FEAT_SEL, 7);
	vmmio_write(dev, VMMIO_DRV_FEATURES, 1);
	vmmio_write(dev, VMMIO_DRV_FEAT_SEL, 1);
	vmmio_write(dev, VMMIO_DRV_FEATURES, 1);
	vmmio_write(dev, VMMIO_STATUS, S_INIT | VIRTIO_STATUS_FEATURES_OK);
	hk_check(g, (vmmio_read(dev, VMMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK) == 0,
	         "feature bit 224 accepted");
	/* DRIVER_OK without FEATURES_OK does not make the device live. */
	vmmio_write(dev, VMMIO_STATUS, 0);
	vmmio_write(dev, VMMIO_STATUS, S_INIT | VIRTIO_STATUS_DRIVER_OK);
	hk_check(g, (vmmio_read(dev, VMMIO_STATUS) & VIRTIO_STATUS_DRIVER_OK) == 0,
	         "DRIVER_OK without FEATURES_OK: 0x%x", vmmio_read(dev, VMMIO_STATUS));
	/* Register widths: 4.2.2 registers are 32-bit only. */
	struct hk_result r = hk_access(HK_LB, dev + VMMIO_STATUS, 0);
	hk_check(g, r.faulted && r.cause == EXC_LOAD_ACCESS, "byte read of Status");
	r = hk_access(HK_SD, dev + VMMIO_STATUS, 0);
	hk_check(g, r.faulted && r.cause == EXC_STORE_ACCESS, "8-byte write of Status");
	vmmio_write(dev, VMMIO_STATUS, 0);
}

static void blk_attacks(struct hk_group *g)
{
	uint64_t end = hk_ram_end();

	bad_setups(g);
	/* Notify before DRIVER_OK: ignored; the request runs once the driver is ready. */
	rings_clear();
	qsize = 8;
	begin(0, 1);
	queue(0, 8, (uint64_t)(uintptr_t)q.d, (uint64_t)(uintptr_t)&q.avail_flags,
	      (uint64_t)(uintptr_t)&q.used_flags);
	blk_chain((uint64_t)(uintptr_t)data, 4096, VIRTQ_DESC_F_WRITE, 0);
	hk_check(g, !submit(0, 0, 1, true), "request served before DRIVER_OK");
	vmmio_write(dev, VMMIO_STATUS,
	            S_INIT | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	/* Features written after FEATURES_OK are ignored (3.1.1). */
	vmmio_write(dev, VMMIO_DRV_FEAT_SEL, 1);
	vmmio_write(dev, VMMIO_DRV_FEATURES, 0);
	vmmio_write(dev, VMMIO_QUEUE_NOTIFY, 0);
	uint64_t deadline = tk_deadline_ms(WAIT_MS);
	while (*(volatile uint16_t *)&q.used_idx != 1 && !tk_expired(deadline)) {
	}
	hk_check(g, q.used_idx == 1 && blk_status == 0, "request after DRIVER_OK: used %u st %u",
	         q.used_idx, blk_status);
	vmmio_write(dev, VMMIO_QUEUE_NOTIFY, 5);
	vmmio_write(dev, VMMIO_QUEUE_NOTIFY, 0xffff);
	hk_check(g,
	         vmmio_read(dev, VMMIO_STATUS) ==
	             (S_INIT | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK),
	         "notify of absent queues changed status to 0x%x", vmmio_read(dev, VMMIO_STATUS));

	if (!hk_check(g, bring_up(0, 8), "blk bring-up failed: 0x%x",
	              vmmio_read(dev, VMMIO_STATUS))) {
		return;
	}
	good_read(g, "bring-up");
	/* Descriptor loop (2.7.5.3.1), a chain as long as the queue that loops, next out of
	 * range, buffers outside RAM or straddling its end, zero and huge lengths. */
	blk_chain((uint64_t)(uintptr_t)data, 4096, VIRTQ_DESC_F_WRITE, 0);
	q.d[1].next = 0;
	q.d[2].flags |= VIRTQ_DESC_F_NEXT;
	q.d[2].next = 0;
	bad_request(g, "descriptor loop");
	for (uint16_t i = 0; i < 8; i++) {
		q.d[i] = (struct virtq_desc){(uint64_t)(uintptr_t)data, 16,
		                             VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE,
		                             (uint16_t)((i + 1) % 8)};
	}
	q.d[0] = (struct virtq_desc){(uint64_t)(uintptr_t)&hdr, sizeof(hdr), VIRTQ_DESC_F_NEXT, 1};
	bad_request(g, "chain as long as the queue, looping");
	blk_chain((uint64_t)(uintptr_t)data, 4096, VIRTQ_DESC_F_WRITE, 0);
	q.d[1].next = 9;
	bad_request(g, "next out of range");
	blk_chain(0x1000, 512, VIRTQ_DESC_F_WRITE, 0);
	bad_request(g, "data outside RAM");
	blk_chain(HK_UART_BASE, 512, VIRTQ_DESC_F_WRITE, 0);
	bad_request(g, "data in device memory");
	uint64_t *tail = (uint64_t *)(uintptr_t)(end - 16);
	tail[0] = CANARY;
	tail[1] = CANARY;
	blk_chain(end - 16, 512, VIRTQ_DESC_F_WRITE, 0);
	bad_request(g, "data straddling RAM end");
	hk_check(g, tail[0] == CANARY && tail[1] == CANARY, "last bytes of RAM written");
	blk_chain((uint64_t)(uintptr_t)data, 0xffffffffU, VIRTQ_DESC_F_WRITE, 0);
	bad_request(g, "length 2^32-1");
	blk_chain(~0UL - 0xfff, 0x2000, VIRTQ_DESC_F_WRITE, 0);
	bad_request(g, "address wrapping 2^64");
	blk_chain((uint64_t)(uintptr_t)data, 4096, VIRTQ_DESC_F_WRITE, 0);
	q.d[0].addr = HK_HOLE;
	bad_request(g, "header outside RAM");
	blk_chain((uint64_t)(uintptr_t)data, 4096, VIRTQ_DESC_F_WRITE, 0);
	q.d[2].addr = end;
	bad_request(g, "status byte past RAM");
	/* Readable after writable (2.7.4.2). */
	blk_chain((uint64_t)(uintptr_t)data, 4096, VIRTQ_DESC_F_WRITE, 0);
	q.d[2].flags = 0;
	bad_request(g, "readable after writable");
	/* A zero-length data buffer is answered one way or the other, never hangs. */
	blk_chain((uint64_t)(uintptr_t)data, 0, VIRTQ_DESC_F_WRITE, 0);
	uint16_t want = (uint16_t)(q.used_idx + 1);
	hk_check(g, submit(0, 0, want, true), "zero-length request never answered");
	/* 5.2.6: a sector past the end is VIRTIO_BLK_S_IOERR. */
	blk_chain((uint64_t)(uintptr_t)data, 4096, VIRTQ_DESC_F_WRITE, ~0UL - 3);
	want = (uint16_t)(q.used_idx + 1);
	hk_check(g, submit(0, 0, want, true) && blk_status == 1, "sector 2^64-4: status 0x%x",
	         blk_status);
	good_read(g, "malformed requests");

	/* Head index out of range, and avail idx jumping past the queue: needs reset. */
	blk_chain((uint64_t)(uintptr_t)data, 4096, VIRTQ_DESC_F_WRITE, 0);
	submit(0, 200, (uint16_t)(q.used_idx + 1), true);
	hk_check(g, vmmio_read(dev, VMMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET,
	         "head 200 of 8: status 0x%x", vmmio_read(dev, VMMIO_STATUS));
	bring_up(0, 8);
	q.avail_idx = 100;
	submit(0, 0, 1, true);
	hk_check(g, vmmio_read(dev, VMMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET,
	         "avail idx +101: status 0x%x", vmmio_read(dev, VMMIO_STATUS));
	/* Reset in the middle of I/O, then again before the notify. */
	bring_up(0, 8);
	blk_chain((uint64_t)(uintptr_t)data, 4096, VIRTQ_DESC_F_WRITE, 0);
	for (unsigned int i = 0; i < 4; i++) {
		q.avail_ring[i] = 0;
	}
	*(volatile uint16_t *)&q.avail_idx = 4;
	__asm__ volatile("fence iorw, iorw" : : : "memory");
	vmmio_write(dev, VMMIO_QUEUE_NOTIFY, 0);
	vmmio_write(dev, VMMIO_STATUS, 0);
	hk_check(g, vmmio_read(dev, VMMIO_STATUS) == 0 && vmmio_read(dev, VMMIO_QUEUE_READY) == 0,
	         "reset mid-I/O left 0x%x", vmmio_read(dev, VMMIO_STATUS));
	vmmio_write(dev, VMMIO_QUEUE_NOTIFY, 0);
	hk_check(g, guards_intact(), "memory next to the rings changed after reset");
	if (hk_check(g, bring_up(0, 8), "bring-up after reset: 0x%x",
	             vmmio_read(dev, VMMIO_STATUS))) {
		good_read(g, "reset mid-I/O");
	}
	vmmio_write(dev, VMMIO_STATUS, 0);
}

/* rng (queue 0, writable) and console (queue 1 transmit, readable) with bad buffers. */
static void other_device(struct hk_group *g, uint32_t id, unsigned int sel, uint16_t flags)
{
	if (find(id) == 0) {
		tk_printf("INFO virtio no device %u\n", id);
		return;
	}
	if (!hk_check(g, bring_up(sel, 8), "device %u bring-up: 0x%x", id,
	              vmmio_read(dev, VMMIO_STATUS))) {
		return;
	}
	const uint64_t addrs[] = {0x1000, HK_UART_BASE, hk_ram_end() - 8, ~0UL - 7};
	for (unsigned int i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		q.d[0] = (struct virtq_desc){addrs[i], 64, flags, 0};
		uint16_t want = (uint16_t)(q.used_idx + 1);
		bool done = submit(sel, 0, want, true);
		hk_check(g,
		         (done && q.used_ring[(want - 1) % 8].len == 0) ||
		             (vmmio_read(dev, VMMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET),
		         "device %u buffer at 0x%lx: answered %d len %u", id, addrs[i], done,
		         q.used_ring[(want - 1) % 8].len);
	}
	q.d[0] = (struct virtq_desc){(uint64_t)(uintptr_t)data, 16, flags, 0};
	memset(data, 0, 16);
	uint16_t want = (uint16_t)(q.used_idx + 1);
	bool done = submit(sel, 0, want, true);
	hk_check(g, done, "device %u good buffer not answered", id);
	hk_check(g, guards_intact(), "device %u: memory next to the rings changed", id);
	vmmio_write(dev, VMMIO_STATUS, 0);
}

void hk_attack_virtio(struct hk_group *g)
{
	if (find(VIRTIO_ID_BLOCK) == 0) {
		hk_check(g, false, "no virtio-blk device");
		return;
	}
	blk_attacks(g);
	other_device(g, VIRTIO_ID_RNG, 0, VIRTQ_DESC_F_WRITE);
	other_device(g, VIRTIO_ID_CONSOLE, 1, 0);
}

/*
 * The network device shares a switch with other guests; the switch port owns the MAC address in
 * the device's config space (5.1.4) and must drop any frame with another source (docs/virtio.md,
 * "Virtual switches"). Broadcast frames of an experimental ethertype (IEEE 802 local 0x88b5):
 * NET_OWN from the device's own MAC; NET_FORGED each claiming NET_VICTIM (the address the
 * system test gives the Linux guest beside the kit), a made-up address and the broadcast
 * address as source; then malformed ones (header only, oversized, outside RAM); then
 * NET_UNICAST frames from the own MAC to NET_VICTIM, which reach the victim's port only if the
 * switch never learned the forged address on ours. Each must be consumed and the device stay
 * live; the system test checks the switch's counters against the INFO line.
 */
#define NET_OWN     100U
#define NET_FORGED  292U
#define NET_TAIL    8U /* frames[]: one good, seven malformed */
#define NET_UNICAST 8U
#define NET_VICTIM  "\x02\x00\x00\x00\x00\x01" /* printed in the INFO line */

/* The 6 source-address bytes of forged frame i. */
static const uint8_t *forged_source(unsigned int i)
{
	static const char *const sources[] = {NET_VICTIM, "\x02\x00\x00\x00\x00\x66",
	                                      "\xff\xff\xff\xff\xff\xff"};
	return (const uint8_t *)sources[i % 3];
}

/* One chain of the frame in data; false if the device never answered. */
static bool net_send(uint64_t addr, uint32_t len)
{
	q.d[0] = (struct virtq_desc){addr, len, 0, 0};
	return submit(1, 0, (uint16_t)(q.used_idx + 1), true);
}

void hk_attack_virtio_net(struct hk_group *g)
{
	if (find(VIRTIO_ID_NET) == 0) {
		hk_check(g, false, "no virtio-net device");
		return;
	}
	/* Queue 0 (receive) is left unset; transmit is queue 1. */
	if (!hk_check(g, bring_up(1, 8), "net bring-up: 0x%x", vmmio_read(dev, VMMIO_STATUS))) {
		return;
	}
	/* 5.1.4: mac[6] at the start of the config space, little-endian words. */
	uint8_t own[6];
	uint32_t lo = vmmio_read(dev, VMMIO_CONFIG), hi = vmmio_read(dev, VMMIO_CONFIG + 4);
	for (unsigned int i = 0; i < 6; i++) {
		own[i] = (uint8_t)((i < 4 ? lo >> (8 * i) : hi >> (8 * (i - 4))) & 0xff);
	}
	hk_check(g, (own[0] & 1) == 0 && (lo | (hi & 0xffff)) != 0 && memcmp(own, NET_VICTIM, 6),
	         "net: config MAC %02x:%02x:%02x:%02x:%02x:%02x", own[0], own[1], own[2], own[3],
	         own[4], own[5]);
	/* 5.1.6: a 12-byte virtio_net_hdr (VERSION_1), then the frame. */
	memset(data, 0, 12);
	memset(data + 12, 0xff, 6);
	data[24] = 0x88;
	data[25] = 0xb5;
	memset(data + 26, 0x42, 64);
	const uint64_t buf = (uint64_t)(uintptr_t)data;
	const struct {
		uint64_t addr;
		uint32_t len;
	} frames[NET_TAIL] = {
	    {buf, 12 + 60},
	    {buf, 12},
	    {buf, 12 + 1},
	    {buf, 4096},
	    {buf, 0x100000},
	    {HK_HOLE, 100},
	    {hk_ram_end() - 40, 100},
	    {buf, 0},
	};
	unsigned int sent = 0, answered = 0;
	for (unsigned int i = 0; i < NET_OWN + NET_FORGED + NET_TAIL + NET_UNICAST; i++) {
		uint64_t addr = buf;
		uint32_t len = 12 + 60;
		memcpy(data + 18, own, 6);
		if (i >= NET_OWN && i < NET_OWN + NET_FORGED) {
			memcpy(data + 18, forged_source(i - NET_OWN), 6);
		} else if (i >= NET_OWN + NET_FORGED && i < NET_OWN + NET_FORGED + NET_TAIL) {
			addr = frames[i - NET_OWN - NET_FORGED].addr;
			len = frames[i - NET_OWN - NET_FORGED].len;
		} else if (i >= NET_OWN + NET_FORGED + NET_TAIL) {
			memcpy(data + 12, NET_VICTIM, 6);
		}
		sent++;
		if (!net_send(addr, len)) {
			break;
		}
		answered++;
	}
	hk_check(
	    g, answered == sent && (vmmio_read(dev, VMMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET) == 0,
	    "net: %u of %u frames answered, status 0x%x", answered, sent,
	    vmmio_read(dev, VMMIO_STATUS));
	hk_check(g, guards_intact(), "net: memory next to the rings changed");
	vmmio_write(dev, VMMIO_STATUS, 0);
	tk_printf(
	    "INFO virtio_net %u frames sent to the switch: %u from its own MAC (%u unicast to "
	    "02:00:00:00:00:01), %u with a forged source, %u malformed\n",
	    sent, NET_OWN + 1 + NET_UNICAST, NET_UNICAST, NET_FORGED, NET_TAIL - 1);
}
