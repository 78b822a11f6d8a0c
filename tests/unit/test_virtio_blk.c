/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for emul/virtio_blk.c: the VirtIO block device (VirtIO 1.2 section 5.2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/virtio_blk.h>

#include "virtio_fake.h"

#define SECTORS 64U
#define HDR     (BUF_AREA)
#define DATA    (BUF_AREA + 0x1000)
#define STATUS  (BUF_AREA + 0x8000)

struct env {
	struct fake_ram ram;
	struct virtio_blk blk;
	struct irq_rec irq;
	struct drv d;
	uint8_t *disk;
	uint8_t *orig;
};

static struct env *env_new(bool ro, const char *serial)
{
	struct env *e = calloc(1, sizeof(*e));
	assert_non_null(e);
	ram_init(&e->ram);
	e->disk = malloc(SECTORS * 512 + 100); /* a partial sector at the end is ignored */
	e->orig = malloc(SECTORS * 512 + 100);
	assert_non_null(e->disk);
	assert_non_null(e->orig);
	for (unsigned int i = 0; i < SECTORS * 512 + 100; i++) {
		e->disk[i] = (uint8_t)(i * 7 + i / 512);
	}
	memcpy(e->orig, e->disk, SECTORS * 512 + 100);
	virtio_blk_init(&e->blk, e->disk, SECTORS * 512 + 100, ro, serial, &e->ram.gmem, irq_record,
	                &e->irq);
	drv_init(&e->d, &e->ram, &e->blk.vm, ~0ULL, 128);
	return e;
}

static void env_free(struct env *e)
{
	free(e->disk);
	free(e->orig);
	ram_free(&e->ram);
	free(e);
}

static void put_hdr(struct env *e, uint32_t type, uint64_t sector)
{
	uint8_t h[16] = {0};
	memcpy(h, &type, 4);
	memcpy(h + 8, &sector, 8);
	ram_write(&e->ram, HDR, h, 16);
}

/* Publishes b, notifies, returns the status byte at STATUS and the used length. */
static uint8_t run(struct env *e, const struct drv_buf *b, unsigned int n, uint32_t *used_len)
{
	ram_fill(&e->ram, STATUS, 0xaa, 1);
	uint16_t head = drv_chain(&e->d, 0, b, n);
	drv_notify(&e->d, 0);
	uint32_t id, len;
	assert_true(drv_used(&e->d, 0, &id, &len));
	assert_int_equal(id, head);
	assert_false(drv_used(&e->d, 0, &id, &len));
	if (used_len) {
		*used_len = len;
	}
	uint8_t s;
	ram_read(&e->ram, STATUS, &s, 1);
	return s;
}

/* The usual Linux layout: header, data, status in separate descriptors. */
static uint8_t request(struct env *e, uint32_t type, uint64_t sector, uint32_t data_len,
                       bool data_write, uint32_t *used_len)
{
	put_hdr(e, type, sector);
	struct drv_buf b[3] = {{HDR, 16, false}, {DATA, data_len, data_write}, {STATUS, 1, true}};
	if (data_len == 0) {
		b[1] = b[2];
		return run(e, b, 2, used_len);
	}
	return run(e, b, 3, used_len);
}

static void test_config_and_features(void **state)
{
	(void)state;
	struct env *e = env_new(false, "disk0");
	struct virtio_mmio *vm = &e->blk.vm;
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_BLOCK);
	uint64_t v;
	assert_int_equal(mmio_access(vm, 0x100, 8, false, &v), 0);
	assert_int_equal(v, SECTORS);
	assert_int_equal(mmio_rd(vm, 0x100), SECTORS);
	assert_int_equal(mmio_rd(vm, 0x104), 0);
	assert_int_equal(mmio_rd(vm, 0x108), VIRTIO_BLK_SIZE_MAX);
	assert_int_equal(mmio_rd(vm, 0x10c), VIRTIO_BLK_SEG_MAX);
	assert_int_equal(mmio_rd(vm, 0x110), 0);
	mmio_wr(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_DEVICE_FEATURES),
	                 (1U << VIRTIO_BLK_F_SIZE_MAX) | (1U << VIRTIO_BLK_F_SEG_MAX) |
	                     (1U << VIRTIO_BLK_F_FLUSH));
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_SEL, 0);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_QUEUE_NUM_MAX), VIRTIO_BLK_QUEUE_SIZE);
	env_free(e);
	e = env_new(true, NULL);
	mmio_wr(&e->blk.vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	assert_true(mmio_rd(&e->blk.vm, VIRTIO_MMIO_DEVICE_FEATURES) & (1U << VIRTIO_BLK_F_RO));
	env_free(e);
}

static void test_read(void **state)
{
	(void)state;
	struct env *e = env_new(false, NULL);
	uint32_t len;
	assert_int_equal(request(e, VIRTIO_BLK_T_IN, 3, 1024, true, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, 1025);
	uint8_t got[1024];
	ram_read(&e->ram, DATA, got, sizeof(got));
	assert_memory_equal(got, e->orig + 3 * 512, 1024);
	/* Last sector, data split over three descriptors and the status in the last data one. */
	put_hdr(e, VIRTIO_BLK_T_IN, SECTORS - 1);
	struct drv_buf b[4] = {
	    {HDR, 5, false}, {HDR + 5, 11, false}, {DATA, 100, true}, {STATUS - 412, 413, true}};
	assert_int_equal(run(e, b, 4, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, 513);
	ram_read(&e->ram, DATA, got, 100);
	assert_memory_equal(got, e->orig + (SECTORS - 1) * 512, 100);
	ram_read(&e->ram, STATUS - 412, got, 412);
	assert_memory_equal(got, e->orig + (SECTORS - 1) * 512 + 100, 412);
	assert_int_equal(e->blk.stats.reads, 2);
	assert_int_equal(e->blk.stats.bytes_read, 1536);
	assert_int_equal(e->blk.stats.errors, 0);
	assert_true(e->irq.level);
	env_free(e);
}

static void test_write_and_flush(void **state)
{
	(void)state;
	struct env *e = env_new(false, NULL);
	uint8_t data[1536];
	for (unsigned int i = 0; i < sizeof(data); i++) {
		data[i] = (uint8_t)(0x5a ^ i);
	}
	ram_write(&e->ram, DATA, data, sizeof(data));
	uint32_t len;
	assert_int_equal(request(e, VIRTIO_BLK_T_OUT, 10, 1536, false, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, 1);
	assert_memory_equal(e->disk + 10 * 512, data, sizeof(data));
	assert_memory_equal(e->disk, e->orig, 10 * 512);
	assert_memory_equal(e->disk + 13 * 512, e->orig + 13 * 512, (SECTORS - 13) * 512);
	assert_int_equal(e->blk.stats.writes, 1);
	assert_int_equal(e->blk.stats.bytes_written, 1536);
	assert_int_equal(request(e, VIRTIO_BLK_T_FLUSH, 0, 0, false, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, 1);
	assert_int_equal(request(e, VIRTIO_BLK_T_FLUSH, 0, 0, false, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(e->blk.stats.flushes, 2);
	/* A flush with a data buffer is malformed. */
	assert_int_equal(request(e, VIRTIO_BLK_T_FLUSH, 0, 512, true, &len), VIRTIO_BLK_S_IOERR);
	assert_int_equal(e->blk.stats.flushes, 2);
	assert_int_equal(e->blk.stats.errors, 1);
	env_free(e);
}

static void test_read_only(void **state)
{
	(void)state;
	struct env *e = env_new(true, NULL);
	ram_fill(&e->ram, DATA, 0x33, 512);
	uint32_t len;
	assert_int_equal(request(e, VIRTIO_BLK_T_OUT, 0, 512, false, &len), VIRTIO_BLK_S_IOERR);
	assert_int_equal(len, 1);
	assert_memory_equal(e->disk, e->orig, SECTORS * 512);
	assert_int_equal(e->blk.stats.writes, 0);
	assert_int_equal(e->blk.stats.errors, 1);
	/* Reads still work. */
	assert_int_equal(request(e, VIRTIO_BLK_T_IN, 0, 512, true, &len), VIRTIO_BLK_S_OK);
	env_free(e);
}

static void test_get_id(void **state)
{
	(void)state;
	struct env *e = env_new(false, "disk0");
	uint32_t len;
	ram_fill(&e->ram, DATA, 0xff, 20);
	assert_int_equal(request(e, VIRTIO_BLK_T_GET_ID, 0, 20, true, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, 21);
	uint8_t id[20];
	ram_read(&e->ram, DATA, id, 20);
	assert_memory_equal(id, "disk0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20);
	assert_int_equal(e->blk.stats.get_ids, 1);
	env_free(e);
	/* 20 characters or more: no NUL, cut at 20. */
	e = env_new(false, "abcdefghijklmnopqrstuvwxyz");
	assert_int_equal(request(e, VIRTIO_BLK_T_GET_ID, 0, 20, true, &len), VIRTIO_BLK_S_OK);
	ram_read(&e->ram, DATA, id, 20);
	assert_memory_equal(id, "abcdefghijklmnopqrst", 20);
	/* A longer buffer: 20 bytes written, len counts only them. */
	ram_fill(&e->ram, DATA, 0x77, 64);
	assert_int_equal(request(e, VIRTIO_BLK_T_GET_ID, 0, 64, true, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, 20);
	uint8_t rest[44];
	ram_read(&e->ram, DATA + 20, rest, 44);
	for (unsigned int i = 0; i < 44; i++) {
		assert_int_equal(rest[i], 0x77);
	}
	env_free(e);
}

static void test_unsupported(void **state)
{
	(void)state;
	struct env *e = env_new(false, NULL);
	uint32_t len;
	assert_int_equal(request(e, 99, 0, 0, false, &len), VIRTIO_BLK_S_UNSUPP);
	assert_int_equal(len, 1);
	assert_int_equal(request(e, 11 /* DISCARD */, 0, 0, false, &len), VIRTIO_BLK_S_UNSUPP);
	assert_int_equal(e->blk.stats.errors, 2);
	env_free(e);
}

static void test_sector_ranges(void **state)
{
	(void)state;
	struct env *e = env_new(false, NULL);
	uint32_t len;
	const struct {
		uint64_t sector;
		uint32_t bytes;
		uint8_t want;
	} cases[] = {
	    {0, 512 * SECTORS, VIRTIO_BLK_S_OK},
	    {SECTORS - 1, 512, VIRTIO_BLK_S_OK},
	    {SECTORS - 1, 1024, VIRTIO_BLK_S_IOERR},
	    {SECTORS, 512, VIRTIO_BLK_S_IOERR},
	    {SECTORS, 0, VIRTIO_BLK_S_OK}, /* empty, at the end */
	    {SECTORS + 1, 0, VIRTIO_BLK_S_IOERR},
	    {UINT64_MAX, 512, VIRTIO_BLK_S_IOERR},
	    {UINT64_MAX / 512 + 1, 512, VIRTIO_BLK_S_IOERR}, /* sector * 512 overflows */
	    {0x8000000000000000ULL, 512, VIRTIO_BLK_S_IOERR},
	    {0, 100, VIRTIO_BLK_S_IOERR}, /* not whole sectors */
	    {0, 513, VIRTIO_BLK_S_IOERR},
	};
	unsigned int errors = 0;
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (unsigned int dir = 0; dir < 2; dir++) {
			uint32_t type = dir ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN;
			uint8_t s =
			    request(e, type, cases[i].sector, cases[i].bytes, dir == 0, &len);
			assert_int_equal(s, cases[i].want);
			if (s != VIRTIO_BLK_S_OK) {
				errors++;
				/* An IN error wrote no data: len covers nothing but the status. */
				assert_int_equal(len, dir == 0 && cases[i].bytes ? 0 : 1);
			}
		}
	}
	assert_int_equal(e->blk.stats.errors, errors);
	assert_int_equal(errors, 16);
	env_free(e);
}

static void test_malformed_layouts(void **state)
{
	(void)state;
	struct env *e = env_new(false, NULL);
	uint32_t len;
	/* Header shorter than 16 bytes. */
	put_hdr(e, VIRTIO_BLK_T_IN, 0);
	struct drv_buf shorthdr[2] = {{HDR, 8, false}, {STATUS, 1, true}};
	assert_int_equal(run(e, shorthdr, 2, &len), VIRTIO_BLK_S_IOERR);
	/* No writable byte for the status: given back empty, nothing written. */
	struct drv_buf nostatus[1] = {{HDR, 16, false}};
	assert_int_equal(run(e, nostatus, 1, &len), 0xaa);
	assert_int_equal(len, 0);
	/* IN with extra readable data; OUT with extra writable bytes. */
	struct drv_buf in_extra[3] = {{HDR, 16, false}, {DATA, 512, false}, {STATUS, 1, true}};
	assert_int_equal(run(e, in_extra, 3, &len), VIRTIO_BLK_S_IOERR);
	put_hdr(e, VIRTIO_BLK_T_OUT, 0);
	struct drv_buf out_extra[3] = {{HDR, 16, false}, {DATA, 512, true}, {STATUS, 1, true}};
	assert_int_equal(run(e, out_extra, 3, &len), VIRTIO_BLK_S_IOERR);
	assert_memory_equal(e->disk, e->orig, SECTORS * 512);
	/* Writable before readable: the transport fails it, length 0, status untouched. */
	struct drv_buf order[2] = {{STATUS, 1, true}, {HDR, 16, false}};
	assert_int_equal(run(e, order, 2, &len), 0xaa);
	assert_int_equal(len, 0);
	/* Data buffer outside RAM. */
	struct drv_buf outside[3] = {{HDR, 16, false}, {0x1000, 512, true}, {STATUS, 1, true}};
	assert_int_equal(run(e, outside, 3, &len), 0xaa);
	assert_int_equal(e->blk.stats.errors, 6);
	assert_true(virtio_mmio_live(&e->blk.vm));
	env_free(e);
}

/* Publishes (no notify) count one-sector reads: request i reads sector i to DATA + 512 i. */
static void publish_reads(struct env *e, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++) {
		uint64_t hdr = BUF_AREA + 0x100 * i;
		uint8_t h[16] = {0};
		uint64_t sector = i;
		memcpy(h + 8, &sector, 8);
		ram_write(&e->ram, hdr, h, 16);
		struct drv_buf b[3] = {
		    {hdr, 16, false}, {DATA + 512 * i, 512, true}, {hdr + 0x80, 1, true}};
		drv_chain(&e->d, 0, b, 3);
	}
}

static void test_batch_one_interrupt(void **state)
{
	(void)state;
	struct env *e = env_new(false, NULL);
	publish_reads(e, 5);
	drv_notify(&e->d, 0);
	assert_int_equal(drv_used_idx(&e->d, 0), 5);
	assert_int_equal(e->irq.changes, 1);
	uint8_t got[512 * 5];
	ram_read(&e->ram, DATA, got, sizeof(got));
	assert_memory_equal(got, e->orig, sizeof(got));
	assert_int_equal(e->blk.stats.reads, 5);
	env_free(e);
}

/* A notify only records the queue; each serve call takes exactly one request, whatever the
 * guest queued, so the glue bounds the work it does at a time (docs/security.md). */
static void test_notify_defers_one_request_per_serve(void **state)
{
	(void)state;
	struct env *e = env_new(false, NULL);
	publish_reads(e, 4);
	assert_false(virtio_mmio_has_work(&e->blk.vm));
	mmio_wr(&e->blk.vm, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	assert_int_equal(drv_used_idx(&e->d, 0), 0);
	assert_true(virtio_mmio_kicked(&e->blk.vm, 0));
	for (unsigned int i = 1; i <= 4; i++) {
		assert_true(virtio_mmio_serve(&e->blk.vm));
		assert_int_equal(drv_used_idx(&e->d, 0), i);
	}
	assert_false(virtio_mmio_serve(&e->blk.vm));
	assert_false(virtio_mmio_has_work(&e->blk.vm));
	/* A notify of a queue that is not ready records nothing. */
	mmio_wr(&e->blk.vm, VIRTIO_MMIO_QUEUE_NOTIFY, 1);
	assert_false(virtio_mmio_has_work(&e->blk.vm));
	env_free(e);
}

/* The split the glue uses: take under the lock, serve without it, finish under it. */
static void test_take_serve_finish(void **state)
{
	(void)state;
	struct env *e = env_new(false, NULL);
	struct virtio_blk_req req;
	assert_int_equal(virtio_blk_take(&e->blk, &req), VIREO_EAGAIN);
	put_hdr(e, VIRTIO_BLK_T_IN, 3);
	struct drv_buf b[3] = {{HDR, 16, false}, {DATA, 1024, true}, {STATUS, 1, true}};
	uint16_t head = drv_chain(&e->d, 0, b, 3);
	assert_int_equal(virtio_blk_take(&e->blk, &req), 0);
	assert_int_equal(req.chain.head, head);
	virtio_blk_serve(&e->blk, &req);
	assert_int_equal(drv_used_idx(&e->d, 0), 0); /* nothing in the ring until finished */
	assert_int_equal(e->blk.stats.reads, 0);
	virtio_blk_finish(&e->blk, &req);
	uint32_t id, len;
	assert_true(drv_used(&e->d, 0, &id, &len));
	assert_int_equal(id, head);
	assert_int_equal(len, 1025);
	assert_int_equal(e->blk.stats.reads, 1);
	uint8_t got[1024];
	ram_read(&e->ram, DATA, got, sizeof(got));
	assert_memory_equal(got, e->orig + 3 * 512, sizeof(got));
	env_free(e);
}

/* 5.2.3: the device offers size_max per segment and seg_max data segments; more is refused
 * even when the disk could serve it. */
static void test_segment_limits(void **state)
{
	(void)state;
	struct env *e = env_new(false, NULL);
	static uint8_t big_disk[VIRTIO_BLK_SIZE_MAX * 2];
	virtio_blk_init(&e->blk, big_disk, sizeof(big_disk), false, NULL, &e->ram.gmem, irq_record,
	                &e->irq);
	drv_init(&e->d, &e->ram, &e->blk.vm, ~0ULL, 128);
	uint32_t len;
	put_hdr(e, VIRTIO_BLK_T_IN, 0);
	struct drv_buf one[3] = {
	    {HDR, 16, false}, {DATA, VIRTIO_BLK_SIZE_MAX + 512, true}, {STATUS, 1, true}};
	assert_int_equal(run(e, one, 3, &len), VIRTIO_BLK_S_IOERR);
	struct drv_buf two[4] = {{HDR, 16, false},
	                         {DATA, VIRTIO_BLK_SIZE_MAX, true},
	                         {DATA + VIRTIO_BLK_SIZE_MAX, 512, true},
	                         {STATUS, 1, true}};
	assert_int_equal(run(e, two, 4, &len), VIRTIO_BLK_S_OK);
	assert_int_equal(len, VIRTIO_BLK_SIZE_MAX + 512 + 1);
	env_free(e);
}

static void test_reset_mid_io(void **state)
{
	(void)state;
	struct env *e = env_new(false, NULL);
	put_hdr(e, VIRTIO_BLK_T_OUT, 0);
	ram_fill(&e->ram, DATA, 0x44, 512);
	struct drv_buf b[3] = {{HDR, 16, false}, {DATA, 512, false}, {STATUS, 1, true}};
	drv_chain(&e->d, 0, b, 3);
	mmio_wr(&e->blk.vm, VIRTIO_MMIO_STATUS, 0);
	drv_notify(&e->d, 0);
	assert_memory_equal(e->disk, e->orig, 512);
	assert_int_equal(drv_used_idx(&e->d, 0), 0);
	assert_int_equal(e->blk.stats.writes, 0);
	env_free(e);
}

/* Random headers and chains: every answer is a valid status and the disk is never overrun. */
static void test_fuzz(void **state)
{
	(void)state;
	uint64_t seed = 0xb10cULL;
	struct env *e = env_new(false, "fuzz");
	unsigned int ok = 0;
	for (unsigned int i = 0; i < 3000; i++) {
		uint64_t r = rnd_next(&seed);
		static const uint32_t types[] = {0, 1, 4, 8, 11, 99};
		uint64_t sector = r & 1 ? rnd_next(&seed) : rnd_next(&seed) % (SECTORS + 2);
		put_hdr(e, types[(r >> 4) % 6], sector);
		struct drv_buf b[6];
		unsigned int n = 1 + (unsigned int)((r >> 8) % 6);
		for (unsigned int k = 0; k < n; k++) {
			uint64_t x = rnd_next(&seed);
			b[k].gpa = x % 5 == 0 ? x : BUF_AREA + (x >> 8) % (RAM_SIZE - 0x10000);
			b[k].len = x % 7 == 0 ? (uint32_t)(x >> 32) : (uint32_t)((x >> 16) % 1600);
			b[k].write = k > 0 && ((x >> 40) & 1);
		}
		b[0] = (struct drv_buf){HDR, 16, false};
		if ((r >> 20) % 3) {
			b[n - 1] = (struct drv_buf){STATUS, 1, true};
		}
		drv_chain(&e->d, 0, b, n);
		drv_notify(&e->d, 0);
		uint32_t id, len;
		assert_true(drv_used(&e->d, 0, &id, &len));
		uint8_t s;
		ram_read(&e->ram, STATUS, &s, 1);
		assert_true(s <= VIRTIO_BLK_S_UNSUPP || s == 0xaa || len == 0 ||
		            b[n - 1].gpa != STATUS);
		ok += s == VIRTIO_BLK_S_OK;
		ram_fill(&e->ram, STATUS, 0xaa, 1);
		mmio_wr(&e->blk.vm, VIRTIO_MMIO_INTERRUPT_ACK, 1);
		assert_true(virtio_mmio_live(&e->blk.vm));
	}
	assert_true(ok > 100);
	assert_true(e->blk.stats.errors > 100);
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_config_and_features),
	    cmocka_unit_test(test_read),
	    cmocka_unit_test(test_write_and_flush),
	    cmocka_unit_test(test_read_only),
	    cmocka_unit_test(test_get_id),
	    cmocka_unit_test(test_unsupported),
	    cmocka_unit_test(test_sector_ranges),
	    cmocka_unit_test(test_malformed_layouts),
	    cmocka_unit_test(test_batch_one_interrupt),
	    cmocka_unit_test(test_notify_defers_one_request_per_serve),
	    cmocka_unit_test(test_take_serve_finish),
	    cmocka_unit_test(test_segment_limits),
	    cmocka_unit_test(test_reset_mid_io),
	    cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
