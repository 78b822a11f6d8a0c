/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for emul/virtqueue.c: the split virtqueue walker (VirtIO 1.2 section 2.7). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/virtqueue.h>

#include "virtio_fake.h"

struct env {
	struct fake_ram ram;
	struct drv d; /* only its queue 0 bookkeeping and the ring helpers are used */
	struct virtq q;
	struct virtq_chain c;
};

static struct env *env_new(uint16_t size)
{
	struct env *e = calloc(1, sizeof(*e));
	assert_non_null(e);
	ram_init(&e->ram);
	e->d.ram = &e->ram;
	struct drv_queue *dq = &e->d.q[0];
	dq->desc = QUEUE_AREA(0);
	dq->avail = dq->desc + 0x1000;
	dq->used = dq->desc + 0x2000;
	dq->size = size;
	assert_int_equal(virtq_check(&e->ram.gmem, dq->desc, dq->avail, dq->used, size), 0);
	virtq_init(&e->q, dq->desc, dq->avail, dq->used, size);
	return e;
}

static void env_free(struct env *e)
{
	ram_free(&e->ram);
	free(e);
}

static int pop(struct env *e)
{
	return virtq_pop(&e->q, &e->ram.gmem, &e->c);
}

static void test_check(void **state)
{
	(void)state;
	struct fake_ram r;
	ram_init(&r);
	const struct gmem *m = &r.gmem;
	uint64_t d = RAM_BASE, a = RAM_BASE + 0x1000, u = RAM_BASE + 0x2000;
	assert_int_equal(virtq_check(m, d, a, u, 256), 0);
	assert_int_equal(virtq_check(m, d, a, u, 1), 0);
	assert_int_equal(virtq_check(m, d, a, u, 0), VIREO_EINVAL);
	assert_int_equal(virtq_check(m, d, a, u, 24), VIREO_EINVAL);  /* not a power of two */
	assert_int_equal(virtq_check(m, d, a, u, 512), VIREO_EINVAL); /* over VIRTQ_SIZE_MAX */
	assert_int_equal(virtq_check(m, d + 8, a, u, 16), VIREO_EINVAL);
	assert_int_equal(virtq_check(m, d, a + 1, u, 16), VIREO_EINVAL);
	assert_int_equal(virtq_check(m, d, a, u + 2, 16), VIREO_EINVAL);
	assert_int_equal(virtq_check(m, d, a, u + 4, 16), 0);
	/* Areas outside RAM, or running off its end. */
	assert_int_equal(virtq_check(m, 0x1000, a, u, 16), VIREO_EFAULT);
	assert_int_equal(virtq_check(m, d, a, RAM_BASE + RAM_SIZE - 64, 16), VIREO_EFAULT);
	assert_int_equal(virtq_check(m, d, a, RAM_BASE + RAM_SIZE - (8 + 8 * 16), 16), 0);
	assert_int_equal(virtq_check(m, RAM_BASE + RAM_SIZE - 16 * 16, a, u, 16), 0);
	assert_int_equal(virtq_check(m, RAM_BASE + RAM_SIZE - 16 * 15, a, u, 16), VIREO_EFAULT);
	assert_int_equal(virtq_check(m, 0xfffffffffffffff0ULL, a, u, 16), VIREO_EFAULT);
	ram_free(&r);
}

static void test_empty_and_simple_chain(void **state)
{
	(void)state;
	struct env *e = env_new(16);
	assert_int_equal(pop(e), VIREO_EAGAIN);
	struct drv_buf b[3] = {
	    {BUF_AREA, 10, false}, {BUF_AREA + 0x100, 6, false}, {BUF_AREA + 0x200, 20, true}};
	ram_write(&e->ram, BUF_AREA, "0123456789", 10);
	ram_write(&e->ram, BUF_AREA + 0x100, "abcdef", 6);
	uint16_t head = drv_chain(&e->d, 0, b, 3);
	assert_int_equal(pop(e), 0);
	assert_null(e->c.fault);
	assert_int_equal(e->c.head, head);
	assert_int_equal(e->c.seg_count, 3);
	assert_int_equal(e->c.read_count, 2);
	assert_int_equal(e->c.read_len, 16);
	assert_int_equal(e->c.write_len, 20);
	assert_int_equal(e->c.seg[2].gpa, BUF_AREA + 0x200);
	assert_true(e->c.seg[2].write);
	/* The readable part is one stream across descriptors. */
	char got[16] = {0};
	assert_int_equal(virtq_chain_read(&e->ram.gmem, &e->c, 7, got, 6), 0);
	assert_memory_equal(got, "789abc", 6);
	assert_int_equal(virtq_chain_read(&e->ram.gmem, &e->c, 0, got, 16), 0);
	assert_memory_equal(got, "0123456789abcdef", 16);
	assert_int_equal(virtq_chain_read(&e->ram.gmem, &e->c, 10, got, 7), VIREO_ERANGE);
	assert_int_equal(virtq_chain_read(&e->ram.gmem, &e->c, 17, got, 0), VIREO_ERANGE);
	assert_int_equal(virtq_chain_write(&e->ram.gmem, &e->c, 18, "xy", 2), 0);
	assert_int_equal(virtq_chain_write(&e->ram.gmem, &e->c, 19, "xy", 2), VIREO_ERANGE);
	char w[2];
	ram_read(&e->ram, BUF_AREA + 0x200 + 18, w, 2);
	assert_memory_equal(w, "xy", 2);
	/* Nothing more. */
	assert_int_equal(pop(e), VIREO_EAGAIN);
	/* Give it back. */
	assert_int_equal(virtq_push(&e->q, &e->ram.gmem, head, 20), 0);
	uint32_t id, len;
	assert_true(drv_used(&e->d, 0, &id, &len));
	assert_int_equal(id, head);
	assert_int_equal(len, 20);
	assert_false(drv_used(&e->d, 0, &id, &len));
	env_free(e);
}

static void test_index_wrap(void **state)
{
	(void)state;
	struct env *e = env_new(4);
	/* Start both sides just below the 16-bit wrap. */
	e->q.last_avail = 0xfffe;
	e->q.used_idx = 0xfffe;
	e->d.q[0].avail_idx = 0xfffe;
	e->d.q[0].used_seen = 0xfffe;
	ram_put16(&e->ram, e->d.q[0].used + 2, 0xfffe);
	for (unsigned int i = 0; i < 6; i++) {
		struct drv_buf b = {BUF_AREA, 8, true};
		uint16_t head = drv_chain(&e->d, 0, &b, 1);
		assert_int_equal(pop(e), 0);
		assert_int_equal(e->c.head, head);
		assert_int_equal(virtq_push(&e->q, &e->ram.gmem, head, i), 0);
		uint32_t id, len;
		assert_true(drv_used(&e->d, 0, &id, &len));
		assert_int_equal(id, head);
		assert_int_equal(len, i);
	}
	assert_int_equal(e->q.last_avail, 4);
	assert_int_equal(drv_used_idx(&e->d, 0), 4);
	env_free(e);
}

static void test_loop_and_long_chains(void **state)
{
	(void)state;
	struct env *e = env_new(4);
	/* 0 -> 1 -> 0 ... */
	drv_desc(&e->d, 0, 0, BUF_AREA, 8, VIRTQ_DESC_F_NEXT, 1);
	drv_desc(&e->d, 0, 1, BUF_AREA, 8, VIRTQ_DESC_F_NEXT, 0);
	drv_publish(&e->d, 0, 0);
	assert_int_equal(pop(e), VIREO_EINVAL);
	assert_string_equal(e->c.fault, "descriptor loop");
	assert_int_equal(e->c.head, 0);
	assert_int_equal(e->q.last_avail, 1); /* consumed */
	/* A self-loop. */
	drv_desc(&e->d, 0, 2, BUF_AREA, 8, VIRTQ_DESC_F_NEXT, 2);
	drv_publish(&e->d, 0, 2);
	assert_int_equal(pop(e), VIREO_EINVAL);
	assert_string_equal(e->c.fault, "descriptor loop");
	/* Exactly queue-size descriptors is allowed. */
	for (uint16_t i = 0; i < 4; i++) {
		drv_desc(&e->d, 0, i, BUF_AREA + 16U * i, 16, i < 3 ? VIRTQ_DESC_F_NEXT : 0,
		         (uint16_t)(i + 1));
	}
	drv_publish(&e->d, 0, 0);
	assert_int_equal(pop(e), 0);
	assert_int_equal(e->c.seg_count, 4);
	assert_int_equal(e->c.read_len, 64);
	/* Next index past the queue. */
	drv_desc(&e->d, 0, 3, BUF_AREA, 8, VIRTQ_DESC_F_NEXT, 4);
	drv_publish(&e->d, 0, 3);
	assert_int_equal(pop(e), VIREO_EINVAL);
	assert_string_equal(e->c.fault, "next index out of range");
	assert_int_equal(e->c.head, 3);
	env_free(e);
}

static void test_segment_limit(void **state)
{
	(void)state;
	struct env *e = env_new(64);
	struct drv_buf b[VIRTQ_SEG_MAX + 1];
	for (unsigned int i = 0; i <= VIRTQ_SEG_MAX; i++) {
		b[i] = (struct drv_buf){BUF_AREA + 8U * i, 8, i >= 4};
	}
	drv_chain(&e->d, 0, b, VIRTQ_SEG_MAX);
	assert_int_equal(pop(e), 0);
	assert_int_equal(e->c.seg_count, VIRTQ_SEG_MAX);
	assert_int_equal(e->c.read_count, 4);
	assert_int_equal(e->c.write_len, 8 * (VIRTQ_SEG_MAX - 4));
	drv_chain(&e->d, 0, b, VIRTQ_SEG_MAX + 1);
	assert_int_equal(pop(e), VIREO_EINVAL);
	assert_string_equal(e->c.fault, "too many segments");
	env_free(e);
}

static void test_bad_buffers(void **state)
{
	(void)state;
	struct env *e = env_new(16);
	const struct {
		uint64_t gpa;
		uint32_t len;
		int want;
		const char *fault;
	} cases[] = {
	    {0x1000, 16, VIREO_EINVAL, "buffer outside guest RAM"},
	    {RAM_BASE - 8, 16, VIREO_EINVAL, "buffer outside guest RAM"},
	    {RAM_BASE + RAM_SIZE, 1, VIREO_EINVAL, "buffer outside guest RAM"},
	    {RAM_BASE + RAM_SIZE - 8, 16, VIREO_EINVAL, "buffer outside guest RAM"}, /* straddles */
	    {RAM_BASE + RAM_SIZE - 16, 16, 0, NULL}, /* ends at it */
	    {0xfffffffffffffff0ULL, 0x100, VIREO_EINVAL, "buffer outside guest RAM"}, /* wraps */
	    {RAM_BASE, 0xffffffffU, VIREO_EINVAL, "chain too large"},
	    {RAM_BASE, (uint32_t)VIRTQ_CHAIN_BYTES_MAX + 1, VIREO_EINVAL, "chain too large"},
	    {RAM_BASE + 0x1000, 0x2000, 0, NULL}, /* across chunks */
	};
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct drv_buf b = {cases[i].gpa, cases[i].len, true};
		e->ram.maps = 0;
		uint16_t head = drv_chain(&e->d, 0, &b, 1);
		assert_int_equal(pop(e), cases[i].want);
		assert_int_equal(e->c.head, head);
		if (cases[i].fault) {
			assert_string_equal(e->c.fault, cases[i].fault);
		} else {
			assert_int_equal(e->c.write_len, cases[i].len);
		}
		/* A huge length never costs a walk over gigabytes of map() calls. */
		assert_true(e->ram.maps < 1100);
	}
	env_free(e);
	/* Descriptors each inside RAM, adding up past the byte limit. */
	e = env_new(32);
	struct drv_buf all[17];
	for (unsigned int i = 0; i < 17; i++) {
		all[i] = (struct drv_buf){RAM_BASE, (uint32_t)RAM_SIZE, i > 0};
	}
	assert_true(16 * RAM_SIZE == VIRTQ_CHAIN_BYTES_MAX);
	drv_chain(&e->d, 0, all, 16);
	assert_int_equal(pop(e), 0);
	assert_int_equal(e->c.read_len + e->c.write_len, VIRTQ_CHAIN_BYTES_MAX);
	drv_chain(&e->d, 0, all, 17);
	assert_int_equal(pop(e), VIREO_EINVAL);
	assert_string_equal(e->c.fault, "chain too large");
	env_free(e);
}

static void test_zero_length_skipped(void **state)
{
	(void)state;
	struct env *e = env_new(16);
	struct drv_buf b[3] = {{BUF_AREA, 0, false}, {0x10, 0, false}, {BUF_AREA, 4, true}};
	drv_chain(&e->d, 0, b, 3);
	assert_int_equal(pop(e), 0);
	assert_int_equal(e->c.seg_count, 1);
	assert_int_equal(e->c.read_count, 0);
	assert_int_equal(e->c.read_len, 0);
	assert_int_equal(e->c.write_len, 4);
	env_free(e);
}

static void test_order_and_indirect(void **state)
{
	(void)state;
	struct env *e = env_new(16);
	/* 2.7.4.2: readable after writable. */
	struct drv_buf b[2] = {{BUF_AREA, 8, true}, {BUF_AREA + 8, 8, false}};
	drv_chain(&e->d, 0, b, 2);
	assert_int_equal(pop(e), VIREO_EINVAL);
	assert_string_equal(e->c.fault, "readable descriptor after a writable one");
	/* Even a zero-length readable one breaks the order. */
	struct drv_buf z[2] = {{BUF_AREA, 8, true}, {BUF_AREA + 8, 0, false}};
	drv_chain(&e->d, 0, z, 2);
	assert_int_equal(pop(e), VIREO_EINVAL);
	/* Indirect tables are not offered. */
	drv_desc(&e->d, 0, 9, BUF_AREA, 32, VIRTQ_DESC_F_INDIRECT, 0);
	drv_publish(&e->d, 0, 9);
	assert_int_equal(pop(e), VIREO_EINVAL);
	assert_string_equal(e->c.fault, "indirect descriptor (not offered)");
	assert_int_equal(e->c.head, 9);
	env_free(e);
}

static void test_broken_ring(void **state)
{
	(void)state;
	struct env *e = env_new(8);
	/* 2.7.13.3: idx more than size ahead of what we consumed. */
	ram_put16(&e->ram, e->d.q[0].avail + 2, 9);
	assert_int_equal(pop(e), VIREO_EIO);
	assert_string_equal(e->c.fault, "avail idx more than queue size ahead");
	assert_int_equal(e->q.last_avail, 0);
	ram_put16(&e->ram, e->d.q[0].avail + 2, 0x8000);
	assert_int_equal(pop(e), VIREO_EIO);
	/* Exactly size ahead is fine. */
	for (uint16_t i = 0; i < 8; i++) {
		drv_desc(&e->d, 0, i, BUF_AREA, 8, 0, 0);
		ram_put16(&e->ram, e->d.q[0].avail + 4 + 2U * i, i);
	}
	ram_put16(&e->ram, e->d.q[0].avail + 2, 8);
	for (uint16_t i = 0; i < 8; i++) {
		assert_int_equal(pop(e), 0);
		assert_int_equal(e->c.head, i);
	}
	assert_int_equal(pop(e), VIREO_EAGAIN);
	/* A head index past the table. */
	ram_put16(&e->ram, e->d.q[0].avail + 4, 8);
	ram_put16(&e->ram, e->d.q[0].avail + 2, 9);
	assert_int_equal(pop(e), VIREO_EIO);
	assert_string_equal(e->c.fault, "head index out of range");
	assert_int_equal(e->q.last_avail, 8);
	env_free(e);
}

static void test_rings_outside_ram(void **state)
{
	(void)state;
	struct env *e = env_new(8);
	struct virtq q;
	/* virtq_check refuses these; a queue set up anyway must still never escape. */
	virtq_init(&q, 0x1000, 0x2000, 0x3000, 8);
	assert_int_equal(virtq_pop(&q, &e->ram.gmem, &e->c), VIREO_EIO);
	assert_int_equal(virtq_push(&q, &e->ram.gmem, 0, 0), VIREO_EIO);
	assert_true(virtq_want_interrupt(&q, &e->ram.gmem));
	/* Descriptor table outside RAM, rings inside. */
	virtq_init(&q, 0x1000, e->d.q[0].avail, e->d.q[0].used, 8);
	drv_publish(&e->d, 0, 0);
	assert_int_equal(virtq_pop(&q, &e->ram.gmem, &e->c), VIREO_EIO);
	assert_string_equal(e->c.fault, "descriptor table outside guest RAM");
	env_free(e);
}

static void test_no_interrupt_hint(void **state)
{
	(void)state;
	struct env *e = env_new(8);
	assert_true(virtq_want_interrupt(&e->q, &e->ram.gmem));
	ram_put16(&e->ram, e->d.q[0].avail, VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_false(virtq_want_interrupt(&e->q, &e->ram.gmem));
	ram_put16(&e->ram, e->d.q[0].avail, 0);
	assert_true(virtq_want_interrupt(&e->q, &e->ram.gmem));
	env_free(e);
}

/* Random descriptor tables and rings: whatever pops must lie in RAM and obey the limits. */
static void test_fuzz(void **state)
{
	(void)state;
	uint64_t seed = 0x5eed0001ULL;
	unsigned int seen[4] = {0}; /* ok, EINVAL, EIO, EAGAIN */
	for (unsigned int round = 0; round < 300; round++) {
		uint16_t size = (uint16_t)(1U << (rnd_next(&seed) % 9));
		struct env *e = env_new(size);
		for (uint16_t i = 0; i < size; i++) {
			uint64_t r = rnd_next(&seed);
			uint64_t addr = (r & 3) == 0
			                    ? rnd_next(&seed)
			                    : RAM_BASE + rnd_next(&seed) % (RAM_SIZE + 0x100);
			uint32_t len = (r & 0x30) == 0 ? (uint32_t)rnd_next(&seed)
			                               : (uint32_t)(rnd_next(&seed) % 0x3000);
			uint16_t flags = (uint16_t)(rnd_next(&seed) & 7);
			uint16_t next = (uint16_t)(rnd_next(&seed) % (size + 2U));
			drv_desc(&e->d, 0, i, addr, len, flags, next);
			ram_put16(&e->ram, e->d.q[0].avail + 4 + 2U * i,
			          (uint16_t)(rnd_next(&seed) % (size + 1U)));
		}
		uint16_t idx = (uint16_t)(rnd_next(&seed) % (2U * size + 1U));
		ram_put16(&e->ram, e->d.q[0].avail + 2, idx);
		for (unsigned int n = 0; n < 2U * size + 2U; n++) {
			int err = pop(e);
			seen[err == 0 ? 0 : err == VIREO_EINVAL ? 1 : err == VIREO_EIO ? 2 : 3]++;
			if (err == VIREO_EAGAIN || err == VIREO_EIO) {
				assert_true(err == VIREO_EAGAIN || e->c.fault != NULL);
				break;
			}
			assert_true(e->c.head < size);
			if (err == VIREO_EINVAL) {
				assert_non_null(e->c.fault);
			} else {
				assert_int_equal(err, 0);
				assert_true(e->c.seg_count <= VIRTQ_SEG_MAX);
				assert_true(e->c.read_count <= e->c.seg_count);
				assert_true(e->c.read_len + e->c.write_len <=
				            VIRTQ_CHAIN_BYTES_MAX);
				uint64_t rl = 0, wl = 0;
				for (unsigned int s = 0; s < e->c.seg_count; s++) {
					const struct virtq_seg *g = &e->c.seg[s];
					assert_true(g->gpa >= RAM_BASE &&
					            g->gpa + g->len <= RAM_BASE + RAM_SIZE);
					assert_int_equal(g->write, s >= e->c.read_count);
					*(g->write ? &wl : &rl) += g->len;
				}
				assert_int_equal(rl, e->c.read_len);
				assert_int_equal(wl, e->c.write_len);
				/* Touch every byte: ASan would catch an escape. */
				uint8_t buf[512];
				memset(buf, 0xa5, sizeof(buf));
				for (uint64_t off = 0; off < e->c.write_len; off += sizeof(buf)) {
					size_t k = e->c.write_len - off < sizeof(buf)
					               ? (size_t)(e->c.write_len - off)
					               : sizeof(buf);
					assert_int_equal(
					    virtq_chain_write(&e->ram.gmem, &e->c, off, buf, k), 0);
				}
			}
			assert_int_equal(virtq_push(&e->q, &e->ram.gmem, e->c.head, 0), 0);
		}
		env_free(e);
	}
	/* The generator reaches every outcome, good chains included. */
	for (unsigned int i = 0; i < 4; i++) {
		assert_true(seen[i] >= 20);
	}
}

/* A map that answers the first `good` lookups and then fails: a chunk that was valid when a
 * multi-chunk copy checked it and no longer maps when the copy gets to it. */
struct flaky_map {
	uint8_t mem[3 * GMEM_CHUNK];
	unsigned int good;
};

static void *flaky(void *ctx, gpaddr_t gpa, uint64_t len)
{
	struct flaky_map *f = ctx;
	if (f->good == 0 || gpa + len > sizeof(f->mem)) {
		return NULL;
	}
	f->good--;
	return f->mem + gpa;
}

static void test_gmem_copy_rechecks_each_chunk(void **state)
{
	(void)state;
	static struct flaky_map f;
	struct gmem m = {flaky, &f};
	uint8_t buf[2 * GMEM_CHUNK];
	memset(buf, 0x77, sizeof(buf));
	/* 8 KiB from offset 100 spans three chunks: the check maps all three, the copy maps the
	 * first two and then finds the third gone. */
	for (int write = 0; write < 2; write++) {
		f.good = 5;
		int err = write ? gmem_write(&m, 100, buf, sizeof(buf))
		                : gmem_read(&m, 100, buf, sizeof(buf));
		assert_int_equal(err, VIREO_EFAULT);
		f.good = 6;
		err = write ? gmem_write(&m, 100, buf, sizeof(buf))
		            : gmem_read(&m, 100, buf, sizeof(buf));
		assert_int_equal(err, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_empty_and_simple_chain),
	    cmocka_unit_test(test_index_wrap),
	    cmocka_unit_test(test_loop_and_long_chains),
	    cmocka_unit_test(test_segment_limit),
	    cmocka_unit_test(test_bad_buffers),
	    cmocka_unit_test(test_zero_length_skipped),
	    cmocka_unit_test(test_order_and_indirect),
	    cmocka_unit_test(test_broken_ring),
	    cmocka_unit_test(test_rings_outside_ram),
	    cmocka_unit_test(test_no_interrupt_hint),
	    cmocka_unit_test(test_gmem_copy_rechecks_each_chunk),
	    cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
