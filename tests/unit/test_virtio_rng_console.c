/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests for emul/virtio_rng.c (VirtIO 1.2 section 5.4) and emul/virtio_console.c
 * (section 5.3), each on its virtio-mmio transport with a fake guest RAM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/virtio_console.h>
#include <vireo/virtio_rng.h>

#include "virtio_fake.h"

/* ---- rng -------------------------------------------------------------------------------- */

struct rng_env {
	struct fake_ram ram;
	struct virtio_rng rng;
	struct irq_rec irq;
	struct drv d;
	uint8_t next; /* the "random" bytes are a counter */
	unsigned int calls;
};

static void counter_fill(void *ctx, void *buf, size_t len)
{
	struct rng_env *e = ctx;
	uint8_t *p = buf;
	assert_true(len > 0 && len <= 4096);
	for (size_t i = 0; i < len; i++) {
		p[i] = e->next++;
	}
	e->calls++;
}

static struct rng_env *rng_new(void)
{
	struct rng_env *e = calloc(1, sizeof(*e));
	assert_non_null(e);
	ram_init(&e->ram);
	virtio_rng_init(&e->rng, counter_fill, e, &e->ram.gmem, irq_record, &e->irq);
	drv_init(&e->d, &e->ram, &e->rng.vm, ~0ULL, 64);
	return e;
}

static void rng_free(struct rng_env *e)
{
	ram_free(&e->ram);
	free(e);
}

static void test_rng_fill(void **state)
{
	(void)state;
	struct rng_env *e = rng_new();
	struct virtio_mmio *vm = &e->rng.vm;
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_RNG);
	assert_int_equal(mmio_rd(vm, 0x100), 0); /* no config space */
	struct drv_buf b[2] = {{BUF_AREA, 40, true}, {BUF_AREA + 0x1000, 60, true}};
	uint16_t head = drv_chain(&e->d, 0, b, 2);
	drv_notify(&e->d, 0);
	uint32_t id, len;
	assert_true(drv_used(&e->d, 0, &id, &len));
	assert_int_equal(id, head);
	assert_int_equal(len, 100);
	uint8_t got[60];
	ram_read(&e->ram, BUF_AREA, got, 40);
	for (unsigned int i = 0; i < 40; i++) {
		assert_int_equal(got[i], i);
	}
	ram_read(&e->ram, BUF_AREA + 0x1000, got, 60);
	for (unsigned int i = 0; i < 60; i++) {
		assert_int_equal(got[i], 40 + i);
	}
	assert_true(e->irq.level);
	assert_int_equal(e->rng.stats.requests, 1);
	assert_int_equal(e->rng.stats.bytes, 100);
	rng_free(e);
}

static void test_rng_bounds(void **state)
{
	(void)state;
	struct rng_env *e = rng_new();
	/* A 10000-byte buffer gets 4 KiB; the rest is left alone. */
	ram_fill(&e->ram, BUF_AREA, 0xee, 10000);
	struct drv_buf big = {BUF_AREA, 10000, true};
	drv_chain(&e->d, 0, &big, 1);
	/* Device-readable buffers fail the request. */
	struct drv_buf ro[2] = {{BUF_AREA + 0x4000, 8, false}, {BUF_AREA + 0x5000, 8, true}};
	drv_chain(&e->d, 0, ro, 2);
	/* A zero-capacity request is answered with nothing. */
	struct drv_buf none = {BUF_AREA, 0, true};
	drv_chain(&e->d, 0, &none, 1);
	drv_notify(&e->d, 0);
	uint32_t id, len;
	assert_true(drv_used(&e->d, 0, &id, &len));
	assert_int_equal(len, VIRTIO_RNG_REQUEST_MAX);
	uint8_t after;
	ram_read(&e->ram, BUF_AREA + VIRTIO_RNG_REQUEST_MAX, &after, 1);
	assert_int_equal(after, 0xee);
	assert_true(drv_used(&e->d, 0, &id, &len));
	assert_int_equal(len, 0);
	assert_true(drv_used(&e->d, 0, &id, &len));
	assert_int_equal(len, 0);
	assert_int_equal(e->rng.stats.errors, 1);
	assert_int_equal(e->rng.stats.requests, 2);
	assert_int_equal(e->rng.stats.bytes, VIRTIO_RNG_REQUEST_MAX);
	assert_int_equal(e->calls, VIRTIO_RNG_REQUEST_MAX / 256);
	rng_free(e);
}

/* ---- console ---------------------------------------------------------------------------- */

struct con_env {
	struct fake_ram ram;
	struct virtio_console con;
	struct irq_rec irq;
	struct drv d;
	char out[8192];
	size_t out_len;
	unsigned int rx_notified;
};

static void con_out(void *ctx, const char *buf, size_t len)
{
	struct con_env *e = ctx;
	assert_true(len > 0 && e->out_len + len <= sizeof(e->out));
	memcpy(e->out + e->out_len, buf, len);
	e->out_len += len;
}

static void con_notify(void *ctx, unsigned int q)
{
	struct con_env *e = ctx;
	assert_int_equal(q, VIRTIO_CONSOLE_RXQ);
	e->rx_notified++;
}

static struct con_env *con_new(uint16_t cols, uint16_t rows, bool init)
{
	struct con_env *e = calloc(1, sizeof(*e));
	assert_non_null(e);
	ram_init(&e->ram);
	virtio_console_init(&e->con, cols, rows, con_out, con_notify, e, &e->ram.gmem, irq_record,
	                    &e->irq);
	if (init) {
		drv_init(&e->d, &e->ram, &e->con.vm, ~0ULL, 64);
	}
	return e;
}

static void con_free(struct con_env *e)
{
	ram_free(&e->ram);
	free(e);
}

static void test_console_config(void **state)
{
	(void)state;
	struct con_env *e = con_new(80, 25, false);
	struct virtio_mmio *vm = &e->con.vm;
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_CONSOLE);
	mmio_wr(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_DEVICE_FEATURES),
	                 (1U << VIRTIO_CONSOLE_F_SIZE) | (1U << VIRTIO_CONSOLE_F_EMERG_WRITE));
	assert_int_equal(mmio_rd(vm, 0x100), 80 | (25 << 16));
	assert_int_equal(mmio_rd(vm, 0x104), 0); /* max_nr_ports: no multiport */
	assert_int_equal(mmio_rd(vm, 0x108), 0);
	/* emerg_wr works even before the driver is up (5.3.4). */
	mmio_wr(vm, 0x108, 'X');
	assert_int_equal(e->out_len, 1);
	assert_int_equal(e->out[0], 'X');
	/* Narrower writes there are not emerg_wr writes. */
	uint64_t v = 'Y';
	assert_int_equal(mmio_access(vm, 0x108, 1, true, &v), 0);
	assert_int_equal(e->out_len, 1);
	con_free(e);
	e = con_new(0, 0, false);
	mmio_wr(&e->con.vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	assert_int_equal(mmio_rd(&e->con.vm, VIRTIO_MMIO_DEVICE_FEATURES),
	                 1U << VIRTIO_CONSOLE_F_EMERG_WRITE);
	con_free(e);
}

static void test_console_tx(void **state)
{
	(void)state;
	struct con_env *e = con_new(0, 0, true);
	ram_write(&e->ram, BUF_AREA, "hel", 3);
	ram_write(&e->ram, BUF_AREA + 0x1000, "lo\n", 3);
	struct drv_buf b[2] = {{BUF_AREA, 3, false}, {BUF_AREA + 0x1000, 3, false}};
	drv_chain(&e->d, VIRTIO_CONSOLE_TXQ, b, 2);
	drv_notify(&e->d, VIRTIO_CONSOLE_TXQ);
	assert_int_equal(e->out_len, 6);
	assert_memory_equal(e->out, "hello\n", 6);
	uint32_t id, len;
	assert_true(drv_used(&e->d, VIRTIO_CONSOLE_TXQ, &id, &len));
	assert_int_equal(len, 0);
	assert_true(e->irq.level);
	/* Over VIRTIO_CONSOLE_TX_MAX: the excess is dropped and counted. */
	ram_fill(&e->ram, BUF_AREA, 'a', 5000);
	struct drv_buf big = {BUF_AREA, 5000, false};
	drv_chain(&e->d, VIRTIO_CONSOLE_TXQ, &big, 1);
	/* A writable buffer on the transmit queue is an error. */
	struct drv_buf w = {BUF_AREA, 4, true};
	drv_chain(&e->d, VIRTIO_CONSOLE_TXQ, &w, 1);
	drv_notify(&e->d, VIRTIO_CONSOLE_TXQ);
	assert_int_equal(e->out_len, 6 + VIRTIO_CONSOLE_TX_MAX);
	assert_int_equal(e->con.stats.tx_bytes, 6 + VIRTIO_CONSOLE_TX_MAX);
	assert_int_equal(e->con.stats.tx_dropped, 5000 - VIRTIO_CONSOLE_TX_MAX);
	assert_int_equal(e->con.stats.errors, 1);
	assert_int_equal(drv_used_idx(&e->d, VIRTIO_CONSOLE_TXQ), 3);
	con_free(e);
}

static void test_console_input(void **state)
{
	(void)state;
	struct con_env *e = con_new(0, 0, true);
	/* No buffers: nothing taken. */
	assert_int_equal(virtio_console_input(&e->con, "abc", 3), 0);
	struct drv_buf b0 = {BUF_AREA, 4, true};
	struct drv_buf b1[2] = {{BUF_AREA + 0x100, 2, true}, {BUF_AREA + 0x200, 2, true}};
	drv_chain(&e->d, VIRTIO_CONSOLE_RXQ, &b0, 1);
	drv_chain(&e->d, VIRTIO_CONSOLE_RXQ, b1, 2);
	drv_notify(&e->d, VIRTIO_CONSOLE_RXQ);
	assert_int_equal(e->rx_notified, 1);
	assert_int_equal(virtio_console_input(&e->con, "abcdefghij", 10), 8);
	uint32_t id, len;
	assert_true(drv_used(&e->d, VIRTIO_CONSOLE_RXQ, &id, &len));
	assert_int_equal(len, 4);
	assert_true(drv_used(&e->d, VIRTIO_CONSOLE_RXQ, &id, &len));
	assert_int_equal(len, 4);
	char got[4];
	ram_read(&e->ram, BUF_AREA, got, 4);
	assert_memory_equal(got, "abcd", 4);
	ram_read(&e->ram, BUF_AREA + 0x100, got, 2);
	assert_memory_equal(got, "ef", 2);
	ram_read(&e->ram, BUF_AREA + 0x200, got, 2);
	assert_memory_equal(got, "gh", 2);
	assert_int_equal(virtio_console_input(&e->con, "ij", 2), 0);
	/* A shorter input than the buffer: used len says how much. */
	drv_chain(&e->d, VIRTIO_CONSOLE_RXQ, &b0, 1);
	assert_int_equal(virtio_console_input(&e->con, "ij", 2), 2);
	assert_true(drv_used(&e->d, VIRTIO_CONSOLE_RXQ, &id, &len));
	assert_int_equal(len, 2);
	/* A readable buffer on the receive queue takes nothing. */
	struct drv_buf bad[2] = {{BUF_AREA, 4, false}, {BUF_AREA + 0x100, 4, true}};
	drv_chain(&e->d, VIRTIO_CONSOLE_RXQ, bad, 2);
	assert_int_equal(virtio_console_input(&e->con, "k", 1), 0);
	assert_true(drv_used(&e->d, VIRTIO_CONSOLE_RXQ, &id, &len));
	assert_int_equal(len, 0);
	assert_int_equal(e->con.stats.rx_bytes, 10);
	assert_int_equal(e->con.stats.errors, 1);
	/* After a reset nothing is taken. */
	drv_chain(&e->d, VIRTIO_CONSOLE_RXQ, &b0, 1);
	mmio_wr(&e->con.vm, VIRTIO_MMIO_STATUS, 0);
	assert_int_equal(virtio_console_input(&e->con, "k", 1), 0);
	con_free(e);
}

/* Random chains on every queue of both devices. */
static void test_fuzz(void **state)
{
	(void)state;
	uint64_t seed = 0xc0ffeeULL;
	struct rng_env *r = rng_new();
	struct con_env *c = con_new(80, 24, true);
	size_t in_total = 0;
	for (unsigned int i = 0; i < 3000; i++) {
		uint64_t x = rnd_next(&seed);
		struct drv_buf b[4];
		unsigned int n = 1 + (unsigned int)(x % 4);
		for (unsigned int k = 0; k < n; k++) {
			uint64_t y = rnd_next(&seed);
			b[k].gpa = y % 9 == 0 ? y : BUF_AREA + (y >> 8) % (RAM_SIZE - 0x10000);
			b[k].len = y % 13 == 0 ? (uint32_t)(y >> 32) : (uint32_t)((y >> 16) % 3000);
			b[k].write = (y >> 40) & 1;
		}
		switch ((x >> 8) % 3) {
		case 0:
			drv_chain(&r->d, 0, b, n);
			drv_notify(&r->d, 0);
			break;
		case 1:
			drv_chain(&c->d, VIRTIO_CONSOLE_TXQ, b, n);
			c->out_len = 0;
			drv_notify(&c->d, VIRTIO_CONSOLE_TXQ);
			break;
		default:
			drv_chain(&c->d, VIRTIO_CONSOLE_RXQ, b, n);
			in_total += virtio_console_input(&c->con, "0123456789abcdef", 16);
			break;
		}
		assert_true(virtio_mmio_live(&r->rng.vm));
		assert_true(virtio_mmio_live(&c->con.vm));
	}
	assert_int_equal(c->con.stats.rx_bytes, in_total);
	assert_true(in_total > 100);
	assert_true(r->rng.stats.bytes > 1000 && r->rng.stats.errors > 0);
	assert_true(c->con.stats.tx_bytes > 1000 && c->con.stats.errors > 0);
	rng_free(r);
	con_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rng_fill),       cmocka_unit_test(test_rng_bounds),
	    cmocka_unit_test(test_console_config), cmocka_unit_test(test_console_tx),
	    cmocka_unit_test(test_console_input),  cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
