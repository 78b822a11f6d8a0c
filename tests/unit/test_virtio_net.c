/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for emul/virtio_net.c: the VirtIO network device (VirtIO 1.2 section 5.1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/virtio_net.h>

#include "virtio_fake.h"

#define RXQ VIRTIO_NET_RXQ
#define TXQ VIRTIO_NET_TXQ

static const uint8_t MAC[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

struct env {
	struct fake_ram ram;
	struct virtio_net net;
	struct irq_rec irq;
	struct drv d;
	unsigned int notified[2];
};

static void on_notify(void *ctx, unsigned int q)
{
	struct env *e = ctx;
	assert_true(q < 2);
	e->notified[q]++;
}

static struct env *env_new(bool init)
{
	struct env *e = calloc(1, sizeof(*e));
	assert_non_null(e);
	ram_init(&e->ram);
	virtio_net_init(&e->net, MAC, &e->ram.gmem, irq_record, &e->irq, on_notify, e);
	if (init) {
		drv_init(&e->d, &e->ram, &e->net.vm, ~0ULL, 64);
	}
	return e;
}

static void env_free(struct env *e)
{
	ram_free(&e->ram);
	free(e);
}

static void make_frame(uint8_t *f, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++) {
		f[i] = (uint8_t)(seed + i * 13);
	}
}

/* Guest transmits: a zero header and the frame, in one or two descriptors. */
static void guest_tx(struct env *e, uint64_t at, const uint8_t *frame, size_t len, bool split)
{
	uint8_t hdr[12] = {0};
	ram_write(&e->ram, at, hdr, 12);
	ram_write(&e->ram, at + 12, frame, len);
	if (split) {
		struct drv_buf b[2] = {{at, 12, false}, {at + 12, (uint32_t)len, false}};
		drv_chain(&e->d, TXQ, b, 2);
	} else {
		struct drv_buf b = {at, (uint32_t)(12 + len), false};
		drv_chain(&e->d, TXQ, &b, 1);
	}
}

static uint16_t post_rx(struct env *e, uint64_t at, uint32_t len)
{
	struct drv_buf b = {at, len, true};
	return drv_chain(&e->d, RXQ, &b, 1);
}

static void test_config(void **state)
{
	(void)state;
	struct env *e = env_new(false);
	struct virtio_mmio *vm = &e->net.vm;
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_NET);
	mmio_wr(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_DEVICE_FEATURES),
	                 (1U << VIRTIO_NET_F_MAC) | (1U << VIRTIO_NET_F_STATUS));
	mmio_wr(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_DEVICE_FEATURES), 1);
	for (unsigned int i = 0; i < 6; i++) {
		uint64_t v;
		assert_int_equal(mmio_access(vm, 0x100 + i, 1, false, &v), 0);
		assert_int_equal(v, MAC[i]);
	}
	uint64_t v;
	assert_int_equal(mmio_access(vm, 0x106, 2, false, &v), 0);
	assert_int_equal(v, VIRTIO_NET_S_LINK_UP);
	drv_init(&e->d, &e->ram, vm, ~0ULL, 64);
	virtio_net_set_link(&e->net, false);
	assert_int_equal(mmio_access(vm, 0x106, 2, false, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_CONFIG);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_CONFIG_GENERATION), 1);
	virtio_net_set_link(&e->net, false); /* no change, no new generation */
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_CONFIG_GENERATION), 1);
	env_free(e);
}

static void test_tx(void **state)
{
	(void)state;
	struct env *e = env_new(true);
	uint8_t f1[60], f2[1514], out[2048];
	make_frame(f1, sizeof(f1), 1);
	make_frame(f2, sizeof(f2), 2);
	assert_int_equal(virtio_net_tx_pop(&e->net, out, sizeof(out)), VIREO_EAGAIN);
	guest_tx(e, BUF_AREA, f1, sizeof(f1), true);
	guest_tx(e, BUF_AREA + 0x1000, f2, sizeof(f2), false);
	drv_notify(&e->d, TXQ);
	assert_int_equal(e->notified[TXQ], 1);
	assert_int_equal(drv_used_idx(&e->d, TXQ), 0); /* the glue pops, not the notify */
	assert_int_equal(virtio_net_tx_pop(&e->net, out, sizeof(out)), 60);
	assert_memory_equal(out, f1, 60);
	assert_int_equal(virtio_net_tx_pop(&e->net, out, sizeof(out)), 1514);
	assert_memory_equal(out, f2, 1514);
	assert_int_equal(virtio_net_tx_pop(&e->net, out, sizeof(out)), VIREO_EAGAIN);
	uint32_t id, len;
	assert_true(drv_used(&e->d, TXQ, &id, &len));
	assert_int_equal(len, 0);
	assert_true(drv_used(&e->d, TXQ, &id, &len));
	assert_int_equal(len, 0);
	assert_int_equal(e->net.stats.tx_packets, 2);
	assert_int_equal(e->net.stats.tx_bytes, 1574);
	assert_true(e->irq.level);
	/* One byte over 1514 is dropped even though the caller's buffer would hold it. */
	uint8_t big[1515];
	make_frame(big, sizeof(big), 3);
	guest_tx(e, BUF_AREA, big, sizeof(big), false);
	assert_int_equal(virtio_net_tx_pop(&e->net, out, sizeof(out)), VIREO_EINVAL);
	assert_int_equal(virtio_net_tx_pop(&e->net, out, sizeof(out)), VIREO_EAGAIN);
	assert_int_equal(e->net.stats.tx_dropped, 1);
	assert_true(drv_used(&e->d, TXQ, &id, &len));
	assert_int_equal(e->net.stats.tx_packets, 2);
	env_free(e);
}

static void test_tx_drops_and_errors(void **state)
{
	(void)state;
	struct env *e = env_new(true);
	uint8_t f[1600], out[2048];
	make_frame(f, sizeof(f), 3);
	guest_tx(e, BUF_AREA, f, 1515, false);         /* oversized: dropped */
	guest_tx(e, BUF_AREA + 0x1000, f, 200, false); /* larger than cap: dropped */
	guest_tx(e, BUF_AREA + 0x2000, f, 13, false);  /* runt: error */
	uint8_t gso[12] = {0, 1};                      /* gso_type TCPV4: not offered */
	ram_write(&e->ram, BUF_AREA + 0x3000, gso, 12);
	ram_write(&e->ram, BUF_AREA + 0x3000 + 12, f, 60);
	struct drv_buf b1 = {BUF_AREA + 0x3000, 72, false};
	drv_chain(&e->d, TXQ, &b1, 1);
	struct drv_buf b2[2] = {{BUF_AREA + 0x4000, 72, false}, {BUF_AREA + 0x5000, 4, true}};
	drv_chain(&e->d, TXQ, b2, 2); /* writable part: error */
	struct drv_buf b3[2] = {{BUF_AREA + 0x4000, 72, true}, {BUF_AREA, 4, false}};
	drv_chain(&e->d, TXQ, b3, 2);                 /* bad order: transport error */
	guest_tx(e, BUF_AREA + 0x6000, f, 100, true); /* the one good frame */
	/* One chain per call: each of the six that sends nothing says so. */
	for (unsigned int i = 0; i < 6; i++) {
		assert_int_equal(virtio_net_tx_pop(&e->net, out, 150), VIREO_EINVAL);
		assert_int_equal(drv_used_idx(&e->d, TXQ), i + 1);
	}
	assert_int_equal(virtio_net_tx_pop(&e->net, out, 150), 100);
	assert_memory_equal(out, f, 100);
	assert_int_equal(virtio_net_tx_pop(&e->net, out, 150), VIREO_EAGAIN);
	assert_int_equal(drv_used_idx(&e->d, TXQ), 7);
	assert_int_equal(e->net.stats.tx_dropped, 2);
	assert_int_equal(e->net.stats.tx_errors, 4);
	assert_int_equal(e->net.stats.tx_packets, 1);
	env_free(e);
}

static void test_rx(void **state)
{
	(void)state;
	struct env *e = env_new(true);
	uint8_t f[1514];
	make_frame(f, sizeof(f), 9);
	/* No buffers yet. */
	assert_false(virtio_net_rx(&e->net, f, 100));
	assert_int_equal(e->net.stats.rx_dropped, 1);
	ram_fill(&e->ram, BUF_AREA, 0xcc, 0x1000);
	uint16_t h0 = post_rx(e, BUF_AREA, 1526);
	uint16_t h1 = post_rx(e, BUF_AREA + 0x1000, 1526);
	drv_notify(&e->d, RXQ);
	assert_int_equal(e->notified[RXQ], 1);
	assert_true(virtio_net_rx(&e->net, f, 100));
	uint32_t id, len;
	assert_true(drv_used(&e->d, RXQ, &id, &len));
	assert_int_equal(id, h0);
	assert_int_equal(len, 112);
	uint8_t got[12 + 1514];
	ram_read(&e->ram, BUF_AREA, got, 113);
	assert_memory_equal(got, "\0\0\0\0\0\0\0\0\0\0\x01\0", 12);
	assert_memory_equal(got + 12, f, 100);
	assert_int_equal(got[112], 0xcc);
	assert_true(e->irq.level);
	/* A full-size frame fills a 1526-byte buffer exactly. */
	assert_true(virtio_net_rx(&e->net, f, 1514));
	assert_true(drv_used(&e->d, RXQ, &id, &len));
	assert_int_equal(id, h1);
	assert_int_equal(len, 1526);
	ram_read(&e->ram, BUF_AREA + 0x1000, got, 1526);
	assert_memory_equal(got + 12, f, 1514);
	assert_false(virtio_net_rx(&e->net, f, 60));
	assert_int_equal(e->net.stats.rx_packets, 2);
	assert_int_equal(e->net.stats.rx_bytes, 1614);
	assert_int_equal(e->net.stats.rx_dropped, 2);
	env_free(e);
}

static void test_rx_bad_buffers(void **state)
{
	(void)state;
	struct env *e = env_new(true);
	uint8_t f[1600];
	make_frame(f, sizeof(f), 4);
	/* Oversized frame: dropped before touching a buffer. */
	post_rx(e, BUF_AREA, 2000);
	assert_false(virtio_net_rx(&e->net, f, 1515));
	assert_int_equal(e->net.stats.rx_dropped, 1);
	assert_int_equal(drv_used_idx(&e->d, RXQ), 0);
	assert_true(virtio_net_rx(&e->net, f, 1514)); /* the buffer is still there */
	/* Too small a buffer: given back empty, the frame lost. */
	post_rx(e, BUF_AREA, 100);
	assert_false(virtio_net_rx(&e->net, f, 100));
	uint32_t id, len;
	assert_true(drv_used(&e->d, RXQ, &id, &len));
	assert_true(drv_used(&e->d, RXQ, &id, &len));
	assert_int_equal(len, 0);
	/* A readable descriptor in a receive buffer. */
	struct drv_buf b[2] = {{BUF_AREA, 16, false}, {BUF_AREA + 0x100, 1526, true}};
	drv_chain(&e->d, RXQ, b, 2);
	assert_false(virtio_net_rx(&e->net, f, 100));
	/* A malformed chain is given back and costs the frame (one chain walked per frame);
	 * the next frame takes the next good buffer. */
	struct drv_buf bad[2] = {{BUF_AREA, 16, true}, {BUF_AREA + 0x100, 16, false}};
	drv_chain(&e->d, RXQ, bad, 2);
	post_rx(e, BUF_AREA + 0x1000, 1526);
	uint64_t dropped = e->net.stats.rx_dropped;
	assert_false(virtio_net_rx(&e->net, f, 100));
	assert_int_equal(e->net.stats.rx_dropped, dropped + 1);
	assert_true(virtio_net_rx(&e->net, f, 100));
	assert_int_equal(e->net.stats.rx_errors, 3);
	assert_int_equal(e->net.stats.rx_packets, 2);
	assert_int_equal(drv_used_idx(&e->d, RXQ), 5);
	env_free(e);
}

/* A receiver whose ring is full of descriptor loops costs a sender one walk per frame. */
static void test_rx_poisoned_ring_bounded(void **state)
{
	(void)state;
	struct env *e = env_new(true);
	uint8_t f[100];
	make_frame(f, sizeof(f), 5);
	for (unsigned int i = 0; i < 8; i++) {
		/* Two descriptors pointing at each other, zero length: a loop (2.7.5.3.1). */
		uint16_t a = (uint16_t)(2 * i), b = (uint16_t)(2 * i + 1);
		drv_desc(&e->d, RXQ, a, BUF_AREA, 0, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, b);
		drv_desc(&e->d, RXQ, b, BUF_AREA, 0, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, a);
		drv_publish(&e->d, RXQ, a);
	}
	for (unsigned int i = 1; i <= 8; i++) {
		assert_false(virtio_net_rx(&e->net, f, sizeof(f)));
		assert_int_equal(drv_used_idx(&e->d, RXQ), i);
		assert_int_equal(e->net.stats.rx_errors, i);
	}
	post_rx(e, BUF_AREA + 0x1000, 1526);
	assert_true(virtio_net_rx(&e->net, f, sizeof(f)));
	env_free(e);
}

static void test_not_live(void **state)
{
	(void)state;
	struct env *e = env_new(false);
	uint8_t f[64] = {0}, out[2048];
	assert_false(virtio_net_rx(&e->net, f, 64));
	assert_int_equal(virtio_net_tx_pop(&e->net, out, sizeof(out)), VIREO_EAGAIN);
	assert_int_equal(e->net.stats.rx_dropped, 1);
	/* Reset in the middle of traffic: posted buffers and queued frames are forgotten. */
	drv_init(&e->d, &e->ram, &e->net.vm, ~0ULL, 64);
	post_rx(e, BUF_AREA, 1526);
	guest_tx(e, BUF_AREA + 0x1000, f, 60, false);
	mmio_wr(&e->net.vm, VIRTIO_MMIO_STATUS, 0);
	assert_false(virtio_net_rx(&e->net, f, 64));
	assert_int_equal(virtio_net_tx_pop(&e->net, out, sizeof(out)), VIREO_EAGAIN);
	assert_int_equal(drv_used_idx(&e->d, RXQ), 0);
	assert_int_equal(drv_used_idx(&e->d, TXQ), 0);
	assert_int_equal(e->net.stats.rx_dropped, 2);
	env_free(e);
}

/* Random chains on both queues: counters add up, nothing escapes the fake RAM. */
static void test_fuzz(void **state)
{
	(void)state;
	uint64_t seed = 0x4e7ULL;
	struct env *e = env_new(true);
	uint8_t f[1600], out[1600];
	make_frame(f, sizeof(f), 5);
	unsigned int rx_ok = 0, tx_ok = 0, rx_calls = 0;
	for (unsigned int i = 0; i < 4000; i++) {
		uint64_t r = rnd_next(&seed);
		unsigned int q = r & 1;
		struct drv_buf b[4];
		unsigned int n = 1 + (unsigned int)((r >> 4) % 4);
		for (unsigned int k = 0; k < n; k++) {
			uint64_t x = rnd_next(&seed);
			b[k].gpa = x % 9 == 0 ? x : BUF_AREA + (x >> 8) % (RAM_SIZE - 0x10000);
			b[k].len = x % 11 == 0 ? (uint32_t)(x >> 32) : (uint32_t)((x >> 16) % 1700);
			b[k].write = q == RXQ ? (x >> 40) % 8 != 0 : (x >> 40) % 8 == 0;
		}
		drv_chain(&e->d, q, b, n);
		int len = virtio_net_tx_pop(&e->net, out, (size_t)(r >> 32) % 1600);
		if (len >= 0) {
			tx_ok++;
		}
		rx_calls++;
		rx_ok += virtio_net_rx(&e->net, f, (size_t)(r >> 20) % 1600);
		uint32_t id, ulen;
		while (drv_used(&e->d, RXQ, &id, &ulen)) {
			assert_true(ulen == 0 || (ulen >= 12 && ulen <= 12 + 1514));
		}
		while (drv_used(&e->d, TXQ, &id, &ulen)) {
			assert_int_equal(ulen, 0);
		}
		/* Chain-level faults never kill the device. */
		assert_true(virtio_mmio_live(&e->net.vm));
	}
	const struct virtio_net_stats *s = &e->net.stats;
	assert_int_equal(s->rx_packets, rx_ok);
	assert_int_equal(s->tx_packets, tx_ok);
	assert_true(rx_ok > 100 && tx_ok > 50 && s->rx_errors > 0 && s->tx_errors > 0);
	assert_true(s->rx_dropped > 0 && s->tx_dropped > 0);
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_config),
	    cmocka_unit_test(test_tx),
	    cmocka_unit_test(test_tx_drops_and_errors),
	    cmocka_unit_test(test_rx),
	    cmocka_unit_test(test_rx_bad_buffers),
	    cmocka_unit_test(test_rx_poisoned_ring_bounded),
	    cmocka_unit_test(test_not_live),
	    cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
