/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The storm mode (testkit.storm=<kind> on the kernel command line, README.md): one attack on
 * the hypervisor's bounded-work promises, kept up for STORM_US, while other guests (a witness)
 * and the shell must keep going. Prints "STORM <kind> start", then
 * "STORM <kind> done <figures>" and powers off. Kinds:
 *  - blk: one notify with every avail entry naming the same 3.75 MiB read (30 segments of
 *    128 KiB, the device's seg_max and size_max), over and over: 480 MiB of copying per notify;
 *  - net: the second hart publishes transmit frames without end while the boot hart notified
 *    once, broadcasts flooding the switch, and the kit's second NIC keeps its receive ring full
 *    of zero-length descriptor loops that every delivery to it must walk (VirtIO 1.2 2.7.5.3.1);
 *  - timer: a deadline 2^62 ticks from now (SBI TIME set_timer), then WFI until the second hart's
 *    IPI: the hypervisor must not turn it into a timer-interrupt storm on its host cpu.
 */
#include "hostile.h"
#include "csr.h"
#include "sbi.h"
#include "virtio_mmio.h"

#define STORM_US      4000000
#define BLK_QSIZE     128U
#define BLK_SEGS      30U
#define BLK_SEG_LEN   (128U * 1024U)
#define NET_QSIZE     256U
#define NET_FRAME_LEN 60U
#define NET_HDR_LEN   12U

/* One split virtqueue (VirtIO 1.2 2.7), sized for the largest queue used here. */
struct ring {
	struct virtq_desc d[NET_QSIZE];
	uint16_t avail_flags, avail_idx, avail_ring[NET_QSIZE], used_event;
	uint16_t pad; /* the used ring is 4-byte aligned (2.7) */
	uint16_t used_flags, used_idx;
	struct {
		uint32_t id, len;
	} used_ring[NET_QSIZE];
	uint16_t avail_event;
};

static struct ring rings[3] __attribute__((aligned(4096)));
static uint8_t frame[NET_HDR_LEN + NET_FRAME_LEN] __attribute__((aligned(64)));
static volatile bool storm_stop;
static volatile uint64_t published;
static uint64_t storm_end; /* rdtime at which the second hart stops too */

static uint64_t device(uint32_t id, unsigned int nth)
{
	for (unsigned int i = 0; i < tk_plat.virtio_count; i++) {
		uint64_t base = tk_plat.virtio_base[i];
		if (vmmio_read(base, VMMIO_MAGIC) == VIRTIO_MAGIC &&
		    vmmio_read(base, VMMIO_DEVICE_ID) == id && nth-- == 0) {
			return base;
		}
	}
	return 0;
}

static uint64_t addr(const volatile void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* 3.1.1: reset, ACKNOWLEDGE, DRIVER, VERSION_1, FEATURES_OK, the queues, DRIVER_OK. */
static bool bring_up(uint64_t dev, struct ring *const *qs, const uint16_t *sizes, unsigned n)
{
	const uint32_t init = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
	vmmio_write(dev, VMMIO_STATUS, 0);
	vmmio_write(dev, VMMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	vmmio_write(dev, VMMIO_STATUS, init);
	vmmio_write(dev, VMMIO_DRV_FEAT_SEL, 0);
	vmmio_write(dev, VMMIO_DRV_FEATURES, 0);
	vmmio_write(dev, VMMIO_DRV_FEAT_SEL, 1);
	vmmio_write(dev, VMMIO_DRV_FEATURES, 1); /* VIRTIO_F_VERSION_1 */
	vmmio_write(dev, VMMIO_STATUS, init | VIRTIO_STATUS_FEATURES_OK);
	for (unsigned int i = 0; i < n; i++) {
		memset(qs[i], 0, sizeof(*qs[i]));
		qs[i]->avail_flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
		vmmio_write(dev, VMMIO_QUEUE_SEL, i);
		vmmio_write(dev, VMMIO_QUEUE_NUM, sizes[i]);
		vmmio_write64(dev, VMMIO_QUEUE_DESC_LO, addr(qs[i]->d));
		vmmio_write64(dev, VMMIO_QUEUE_AVAIL_LO, addr(&qs[i]->avail_flags));
		vmmio_write64(dev, VMMIO_QUEUE_USED_LO, addr(&qs[i]->used_flags));
		vmmio_write(dev, VMMIO_QUEUE_READY, 1);
	}
	vmmio_write(dev, VMMIO_STATUS, init | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	return vmmio_read(dev, VMMIO_STATUS) ==
	       (init | VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

static void publish(struct ring *r, uint16_t size, uint16_t head)
{
	r->avail_ring[r->avail_idx % size] = head;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*(volatile uint16_t *)&r->avail_idx = (uint16_t)(r->avail_idx + 1);
}

static uint16_t used_idx(const struct ring *r)
{
	return __atomic_load_n(&r->used_idx, __ATOMIC_ACQUIRE);
}

static void storm_blk(void)
{
	static struct {
		uint32_t type, reserved;
		uint64_t sector;
	} hdr __attribute__((aligned(16)));
	static volatile uint8_t status;
	uint64_t dev = device(VIRTIO_ID_BLOCK, 0);
	struct ring *r = &rings[0];
	uint16_t size = BLK_QSIZE;
	/* The data lands in RAM past the image: 3.75 MiB from 8 MiB into guest RAM. */
	uint64_t data = hk_ram_base() + (8UL << 20);
	if (!dev || hk_ram_end() < data + BLK_SEGS * BLK_SEG_LEN || !bring_up(dev, &r, &size, 1)) {
		tk_printf("STORM blk fail no usable disk or too little RAM\n");
		sbi_shutdown(true);
	}
	r->d[0] = (struct virtq_desc){addr(&hdr), sizeof(hdr), VIRTQ_DESC_F_NEXT, 1};
	for (uint16_t i = 0; i < BLK_SEGS; i++) {
		r->d[1 + i] =
		    (struct virtq_desc){data + i * BLK_SEG_LEN, BLK_SEG_LEN,
		                        VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, (uint16_t)(2 + i)};
	}
	r->d[1 + BLK_SEGS] = (struct virtq_desc){addr(&status), 1, VIRTQ_DESC_F_WRITE, 0};
	tk_printf("STORM blk start\n");
	uint64_t start = rdtime(), end = start + tk_ticks_from_us(STORM_US), longest = 0;
	uint64_t notifies = 0, served = 0, bad = 0;
	while (rdtime() < end) {
		uint16_t want = (uint16_t)(used_idx(r) + size);
		for (unsigned int i = 0; i < size; i++) {
			publish(r, size, 0); /* the same head, size times */
		}
		__asm__ volatile("fence iorw, iorw" ::: "memory");
		uint64_t t0 = rdtime();
		vmmio_write(dev, VMMIO_QUEUE_NOTIFY, 0);
		while (used_idx(r) != want && rdtime() < end + tk_ticks_from_us(STORM_US)) {
		}
		uint64_t took = rdtime() - t0;
		longest = took > longest ? took : longest;
		notifies++;
		served += (uint16_t)(used_idx(r) - (uint16_t)(want - size));
		bad += status != 0;
	}
	tk_printf("STORM blk done elapsed_us=%lu notifies=%lu requests=%lu mib=%lu failed=%lu "
	          "longest_us=%lu\n",
	          tk_us_from_ticks(rdtime() - start), notifies, served,
	          served * BLK_SEGS * BLK_SEG_LEN >> 20, bad, tk_us_from_ticks(longest));
	sbi_shutdown(false);
}

/* Both NICs: the second hart keeps the first one's transmit ring full and the second one's
 * receive ring full of descriptor loops, without ever notifying. */
static uint64_t nic[2];

/* The second hart: the timer storm's waking IPI, or the net storm's endless publishing. */
void tk_storm_secondary_main(struct tk_hart *h)
{
	struct ring *tx = &rings[1], *rx = &rings[2];
	__atomic_store_n(&h->state, TK_STATE_READY, __ATOMIC_RELEASE);
	if (tk_plat.storm == TK_STORM_TIMER) {
		while (rdtime() < storm_end) {
		}
		sbi_ecall(SBI_EXT_IPI, 0, 1, tk_harts[0].hartid, 0, 0, 0);
	}
	while (tk_plat.storm == TK_STORM_NET && !storm_stop && rdtime() < storm_end) {
		while ((uint16_t)(tx->avail_idx - used_idx(tx)) < NET_QSIZE) {
			publish(tx, NET_QSIZE, 0);
			published++;
		}
		while ((uint16_t)(rx->avail_idx - used_idx(rx)) < NET_QSIZE) {
			publish(rx, NET_QSIZE, (uint16_t)(2 * (rx->avail_idx % (NET_QSIZE / 2))));
		}
	}
	__atomic_store_n(&h->state, TK_STATE_LEAVING, __ATOMIC_RELEASE);
	sbi_hart_stop();
	for (;;) {
		wfi();
	}
}

void tk_storm_secondary_entry(void);

static bool start_second_hart(void)
{
	storm_end = rdtime() + tk_ticks_from_us(STORM_US);
	return tk_hart_slots >= 2 &&
	       sbi_hart_start(tk_harts[1].hartid,
	                      (unsigned long)(uintptr_t)tk_storm_secondary_entry,
	                      (unsigned long)(uintptr_t)&tk_harts[1]) == 0;
}

static void storm_net(void)
{
	struct ring *tx = &rings[1], *rx = &rings[2], *scratch = &rings[0];
	nic[0] = device(VIRTIO_ID_NET, 0);
	nic[1] = device(VIRTIO_ID_NET, 1);
	struct ring *q0[2] = {scratch, tx}, *q1[2] = {rx, scratch};
	const uint16_t sizes[2] = {NET_QSIZE, NET_QSIZE};
	if (!nic[0] || !nic[1] || !bring_up(nic[0], q0, sizes, 2) ||
	    !bring_up(nic[1], q1, sizes, 1)) {
		tk_printf("STORM net fail needs two virtio-net devices\n");
		sbi_shutdown(true);
	}
	/* A broadcast from the first NIC's own MAC (config space, 5.1.4). */
	memset(frame, 0, sizeof(frame));
	memset(frame + NET_HDR_LEN, 0xff, 6);
	for (unsigned int i = 0; i < 6; i++) {
		frame[NET_HDR_LEN + 6 + i] =
		    *(volatile const uint8_t *)(uintptr_t)(nic[0] + VMMIO_CONFIG + i);
	}
	frame[NET_HDR_LEN + 12] = 0x88;
	frame[NET_HDR_LEN + 13] = 0xb5; /* local experimental ethertype */
	tx->d[0] = (struct virtq_desc){addr(frame), sizeof(frame), 0, 0};
	for (uint16_t i = 0; i < NET_QSIZE; i += 2) {
		/* Zero-length writable pairs pointing at each other: a loop. */
		rx->d[i] = (struct virtq_desc){
		    addr(frame), 0, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, (uint16_t)(i + 1)};
		rx->d[i + 1] =
		    (struct virtq_desc){addr(frame), 0, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, i};
	}
	storm_stop = false;
	if (!start_second_hart()) {
		tk_printf("STORM net fail needs a second hart\n");
		sbi_shutdown(true);
	}
	while (__atomic_load_n(&tk_harts[1].state, __ATOMIC_ACQUIRE) != TK_STATE_READY) {
	}
	tk_printf("STORM net start\n");
	uint64_t start = rdtime(), longest = 0, notifies = 0;
	while (rdtime() < storm_end) {
		/* The second NIC's receive queue too, so deliveries find its looping chains. */
		vmmio_write(nic[1], VMMIO_QUEUE_NOTIFY, 0);
		uint64_t t0 = rdtime();
		vmmio_write(nic[0], VMMIO_QUEUE_NOTIFY, 1);
		uint64_t took = rdtime() - t0;
		longest = took > longest ? took : longest;
		notifies++;
	}
	storm_stop = true;
	vmmio_write(nic[0], VMMIO_QUEUE_NOTIFY, 1); /* what was published last */
	tk_printf("STORM net done elapsed_us=%lu notifies=%lu frames=%lu longest_us=%lu\n",
	          tk_us_from_ticks(rdtime() - start), notifies, published,
	          tk_us_from_ticks(longest));
	sbi_shutdown(false);
}

static void storm_timer(void)
{
	if (!start_second_hart()) {
		tk_printf("STORM timer fail needs a second hart\n");
		sbi_shutdown(true);
	}
	tk_printf("STORM timer start\n");
	/* 2^62 ticks from now: at 10 MHz that is 25 x 2^64 ns more than now, so a conversion to
	 * nanoseconds that wraps lands exactly on now, a deadline always due. */
	sbi_set_timer(rdtime() + (1UL << 62));
	csr_clear(CSR_SIP, SIP_SSIP);
	csr_set(CSR_SIE, SIP_STIP | SIP_SSIP);
	uint64_t t0 = rdtime();
	unsigned int wakes = 0;
	while (!(csr_read(CSR_SIP) & SIP_SSIP)) {
		wfi();
		wakes++;
	}
	uint64_t slept = rdtime() - t0;
	storm_stop = true;
	bool timer = (csr_read(CSR_SIP) & SIP_STIP) != 0;
	tk_printf("STORM timer done elapsed_us=%lu wakes=%u timer_pending=%d\n",
	          tk_us_from_ticks(slept), wakes, timer);
	sbi_shutdown(timer);
}

void tk_storm_main(void)
{
	irq_disable();
	switch (tk_plat.storm) {
	case TK_STORM_BLK:
		storm_blk();
		break;
	case TK_STORM_NET:
		storm_net();
		break;
	case TK_STORM_TIMER:
		storm_timer();
		break;
	default:
		break;
	}
	tk_printf("STORM fail unknown kind\n");
	sbi_shutdown(true);
}
