/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests for emul/virtio_mmio.c: the virtio-mmio transport (VirtIO 1.2 section 4.2.2) with
 * a small echo device model, driven like Linux drives it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/virtio_mmio.h>

#include "virtio_fake.h"

#define ECHO_ID       42U
#define ECHO_FEATURES ((1ULL << 3) | (1ULL << 35))

/* The echo model: fills every writable byte with 0xee, counts what it saw. */
struct echo {
	struct virtio_mmio vm;
	uint8_t config[8];
	unsigned int notifies[2];
	unsigned int resets;
	unsigned int served, bad;
	int last_err;
};

static void echo_config_read(void *dev, uint32_t off, void *buf, unsigned int len)
{
	struct echo *e = dev;
	assert_true(off + len <= sizeof(e->config));
	memcpy(buf, e->config + off, len);
}

static void echo_config_write(void *dev, uint32_t off, const void *buf, unsigned int len)
{
	struct echo *e = dev;
	assert_true(off + len <= sizeof(e->config));
	memcpy(e->config + off, buf, len);
}

static void echo_notify(void *dev, unsigned int q)
{
	struct echo *e = dev;
	struct virtq_chain c;
	assert_true(q < 2);
	e->notifies[q]++;
	for (;;) {
		int err = virtio_mmio_pop(&e->vm, q, &c);
		e->last_err = err;
		if (err == VIREO_EINVAL) {
			e->bad++;
			continue;
		}
		if (err) {
			return;
		}
		uint8_t fill[64];
		memset(fill, 0xee, sizeof(fill));
		for (uint64_t off = 0; off < c.write_len; off += sizeof(fill)) {
			size_t n = c.write_len - off < sizeof(fill) ? (size_t)(c.write_len - off)
			                                            : sizeof(fill);
			assert_int_equal(virtq_chain_write(e->vm.mem, &c, off, fill, n), 0);
		}
		e->served++;
		assert_int_equal(virtio_mmio_push(&e->vm, q, c.head, (uint32_t)c.write_len), 0);
	}
}

static void echo_reset(void *dev)
{
	struct echo *e = dev;
	e->resets++;
}

static const struct virtio_dev_ops echo_ops = {
    .name = "echo",
    .device_id = ECHO_ID,
    .queue_count = 2,
    .queue_size_max = 16,
    .config_size = 6,
    .config_read = echo_config_read,
    .config_write = echo_config_write,
    .notify = echo_notify,
    .reset = echo_reset,
};

struct env {
	struct fake_ram ram;
	struct echo echo;
	struct irq_rec irq;
	struct drv d;
};

static struct env *env_new(void)
{
	struct env *e = calloc(1, sizeof(*e));
	assert_non_null(e);
	ram_init(&e->ram);
	virtio_mmio_init(&e->echo.vm, &echo_ops, &e->echo, ECHO_FEATURES, &e->ram.gmem, irq_record,
	                 &e->irq);
	memcpy(e->echo.config, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	e->d.ram = &e->ram;
	e->d.vm = &e->echo.vm;
	return e;
}

static void env_free(struct env *e)
{
	ram_free(&e->ram);
	free(e);
}

static struct virtio_mmio *vm_of(struct env *e)
{
	return &e->echo.vm;
}

static void set_status(struct env *e, uint32_t s)
{
	mmio_wr(vm_of(e), VIRTIO_MMIO_STATUS, s);
}

static void write_features(struct env *e, uint64_t f)
{
	for (uint32_t sel = 0; sel < 2; sel++) {
		mmio_wr(vm_of(e), VIRTIO_MMIO_DRIVER_FEATURES_SEL, sel);
		mmio_wr(vm_of(e), VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(f >> (32 * sel)));
	}
}

#define S_AD  (VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER)
#define S_FOK (S_AD | VIRTIO_STATUS_FEATURES_OK)
#define S_OK  (S_FOK | VIRTIO_STATUS_DRIVER_OK)
#define V1    (1ULL << VIRTIO_F_VERSION_1)

static void test_identity(void **state)
{
	(void)state;
	struct env *e = env_new();
	struct virtio_mmio *vm = vm_of(e);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_VERSION), 2);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_DEVICE_ID), ECHO_ID);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_VENDOR_ID), VIRTIO_MMIO_VENDOR);
	mmio_wr(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_DEVICE_FEATURES), 1U << 3);
	mmio_wr(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_DEVICE_FEATURES), (1U << 0) | (1U << 3));
	mmio_wr(vm, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 2);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_DEVICE_FEATURES), 0);
	for (uint32_t q = 0; q < 4; q++) {
		mmio_wr(vm, VIRTIO_MMIO_QUEUE_SEL, q);
		assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_QUEUE_NUM_MAX), q < 2 ? 16 : 0);
		assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_QUEUE_READY), 0);
	}
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), 0);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_CONFIG_GENERATION), 0);
	/* Write-only and undefined registers read 0; writes to read-only ones are ignored. */
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_QUEUE_NOTIFY), 0);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_QUEUE_DESC_LOW), 0);
	assert_int_equal(mmio_rd(vm, 0x0c), VIRTIO_MMIO_VENDOR);
	assert_int_equal(mmio_rd(vm, 0x018), 0);
	assert_int_equal(mmio_rd(vm, 0x0f8), 0);
	mmio_wr(vm, VIRTIO_MMIO_MAGIC_VALUE, 0);
	mmio_wr(vm, VIRTIO_MMIO_DEVICE_ID, 7);
	mmio_wr(vm, 0x0b0, 0xffffffff);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_MAGIC_VALUE), VIRTIO_MMIO_MAGIC);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_DEVICE_ID), ECHO_ID);
	assert_ptr_equal(virtio_mmio_ops.access, virtio_mmio_access);
	env_free(e);
}

static void test_access_widths(void **state)
{
	(void)state;
	struct env *e = env_new();
	struct virtio_mmio *vm = vm_of(e);
	uint64_t v = 0;
	/* Registers: aligned 32-bit only. */
	for (unsigned int w = 1; w <= 8; w *= 2) {
		int want = w == 4 ? 0 : VIREO_EFAULT;
		assert_int_equal(mmio_access(vm, VIRTIO_MMIO_MAGIC_VALUE, w, false, &v), want);
		v = 0;
		assert_int_equal(mmio_access(vm, VIRTIO_MMIO_STATUS, w, true, &v), want);
	}
	assert_int_equal(mmio_access(vm, 0x72, 4, false, &v), VIREO_EFAULT);
	assert_int_equal(mmio_access(vm, 0x71, 1, true, &v), VIREO_EFAULT);
	assert_int_equal(mmio_access(vm, 0xfe, 2, false, &v), VIREO_EFAULT);
	/* A wrong-width status write must not have acted. */
	v = VIRTIO_STATUS_ACKNOWLEDGE;
	assert_int_equal(mmio_access(vm, VIRTIO_MMIO_STATUS, 1, true, &v), VIREO_EFAULT);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), 0);
	/* Config space: 1, 2, 4, 8 bytes, naturally aligned, little-endian. */
	assert_int_equal(mmio_access(vm, 0x100, 1, false, &v), 0);
	assert_int_equal(v, 0x11);
	assert_int_equal(mmio_access(vm, 0x102, 2, false, &v), 0);
	assert_int_equal(v, 0x4433);
	assert_int_equal(mmio_access(vm, 0x100, 4, false, &v), 0);
	assert_int_equal(v, 0x44332211);
	/* 8 bytes with only 6 of config: the rest reads 0. */
	assert_int_equal(mmio_access(vm, 0x100, 8, false, &v), 0);
	assert_int_equal(v, 0x665544332211ULL);
	assert_int_equal(mmio_access(vm, 0x104, 4, false, &v), 0);
	assert_int_equal(v, 0x6655);
	assert_int_equal(mmio_access(vm, 0x108, 4, false, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(mmio_access(vm, 0x1fc, 4, false, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(mmio_access(vm, 0x101, 2, false, &v), VIREO_EFAULT);
	assert_int_equal(mmio_access(vm, 0x102, 4, false, &v), VIREO_EFAULT);
	assert_int_equal(mmio_access(vm, 0x100, 3, false, &v), VIREO_EFAULT);
	assert_int_equal(mmio_access(vm, 0x100, 16, false, &v), VIREO_EFAULT);
	/* Writes inside config reach the model; partly outside are dropped. */
	v = 0xabcd;
	assert_int_equal(mmio_access(vm, 0x102, 2, true, &v), 0);
	assert_memory_equal(e->echo.config, "\x11\x22\xcd\xab\x55\x66\x77\x88", 8);
	v = 0xffffffff;
	assert_int_equal(mmio_access(vm, 0x104, 4, true, &v), 0);
	assert_memory_equal(e->echo.config, "\x11\x22\xcd\xab\x55\x66\x77\x88", 8);
	env_free(e);
}

static void test_full_init_and_request(void **state)
{
	(void)state;
	struct env *e = env_new();
	drv_init(&e->d, &e->ram, vm_of(e), ECHO_FEATURES, 16);
	assert_true(virtio_mmio_live(vm_of(e)));
	assert_true(virtio_mmio_has_feature(vm_of(e), 3));
	assert_true(virtio_mmio_has_feature(vm_of(e), 35));
	assert_true(virtio_mmio_has_feature(vm_of(e), VIRTIO_F_VERSION_1));
	assert_false(virtio_mmio_has_feature(vm_of(e), 4));
	assert_int_equal(e->echo.resets, 1);
	struct drv_buf b[2] = {{BUF_AREA, 4, false}, {BUF_AREA + 0x100, 10, true}};
	uint16_t head = drv_chain(&e->d, 1, b, 2);
	assert_int_equal(e->irq.changes, 0);
	drv_notify(&e->d, 1);
	assert_int_equal(e->echo.notifies[1], 1);
	assert_int_equal(e->echo.served, 1);
	uint32_t id, len;
	assert_true(drv_used(&e->d, 1, &id, &len));
	assert_int_equal(id, head);
	assert_int_equal(len, 10);
	uint8_t got[11];
	ram_read(&e->ram, BUF_AREA + 0x100, got, 11);
	assert_memory_equal(got, "\xee\xee\xee\xee\xee\xee\xee\xee\xee\xee\x00", 11);
	/* Used buffer interrupt until acknowledged. */
	assert_true(e->irq.level);
	assert_int_equal(e->irq.changes, 1);
	assert_int_equal(mmio_rd(vm_of(e), VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_VRING);
	mmio_wr(vm_of(e), VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
	assert_false(e->irq.level);
	assert_int_equal(e->irq.changes, 2);
	assert_int_equal(mmio_rd(vm_of(e), VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	/* Driver suppresses interrupts: the buffer is used, the line stays low. */
	ram_put16(&e->ram, e->d.q[0].avail, 1);
	drv_chain(&e->d, 0, b, 2);
	drv_notify(&e->d, 0);
	assert_true(drv_used(&e->d, 0, &id, &len));
	assert_int_equal(e->irq.changes, 2);
	assert_int_equal(mmio_rd(vm_of(e), VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	env_free(e);
}

static void test_features_ok_rules(void **state)
{
	(void)state;
	struct env *e = env_new();
	struct virtio_mmio *vm = vm_of(e);
	/* VERSION_1 missing: FEATURES_OK does not stick, DRIVER_OK neither. */
	set_status(e, S_AD);
	write_features(e, 1ULL << 3);
	set_status(e, S_FOK);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), S_AD);
	set_status(e, S_OK);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), S_AD);
	/* A bit that was never offered. */
	write_features(e, V1 | (1ULL << 4));
	set_status(e, S_FOK);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), S_AD);
	/* Bits above 63. */
	write_features(e, V1);
	mmio_wr(vm, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 2);
	mmio_wr(vm, VIRTIO_MMIO_DRIVER_FEATURES, 1);
	set_status(e, S_FOK);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), S_AD);
	/* After a reset, a proper subset is accepted. */
	set_status(e, 0);
	assert_int_equal(e->echo.resets, 1);
	set_status(e, S_AD);
	write_features(e, V1 | (1ULL << 35));
	set_status(e, S_FOK);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), S_FOK);
	/* Feature writes after FEATURES_OK are ignored. */
	write_features(e, V1 | (1ULL << 3));
	assert_true(virtio_mmio_has_feature(vm, 35));
	assert_false(virtio_mmio_has_feature(vm, 3));
	/* The driver cannot set DEVICE_NEEDS_RESET nor clear bits it set. */
	set_status(e, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), S_FOK);
	set_status(e, S_OK | VIRTIO_STATUS_FAILED);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), S_OK | VIRTIO_STATUS_FAILED);
	env_free(e);
}

static void test_queue_setup_rules(void **state)
{
	(void)state;
	struct env *e = env_new();
	struct virtio_mmio *vm = vm_of(e);
	/* QueueReady before FEATURES_OK is ignored. */
	set_status(e, S_AD);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_SEL, 0);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_NUM, 8);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)QUEUE_AREA(0));
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)QUEUE_AREA(0) + 0x1000);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)QUEUE_AREA(0) + 0x2000);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_READY, 1);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_QUEUE_READY), 0);
	assert_int_equal(vm->queue[0].num, 8);
	assert_int_equal(vm->queue[0].desc, QUEUE_AREA(0));
	/* Writes to an absent queue go nowhere. */
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_SEL, 3);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_NUM, 4);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_READY, 1);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_QUEUE_READY), 0);
	/* Once ready, the queue's registers are frozen. */
	write_features(e, V1);
	set_status(e, S_FOK);
	drv_queue_setup(&e->d, 0, 8);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_QUEUE_READY), 1);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_NUM, 4);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_DESC_LOW, 0x1234);
	assert_int_equal(vm->queue[0].num, 8);
	assert_int_equal(vm->queue[0].desc, QUEUE_AREA(0));
	assert_int_equal(vm->queue[0].vq.size, 8);
	/* After DRIVER_OK, a queue that is not ready cannot be set up. */
	set_status(e, S_OK);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_SEL, 1);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_NUM, 8);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)QUEUE_AREA(1));
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)QUEUE_AREA(1) + 0x1000);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)QUEUE_AREA(1) + 0x2000);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_READY, 1);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_QUEUE_READY), 0);
	assert_int_equal(vm->queue[1].num, 0);
	assert_int_equal(vm->queue[1].desc, 0);
	/* QueueReady = 0 stops a queue at any time. */
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_SEL, 0);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_READY, 0);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_QUEUE_READY), 0);
	drv_notify(&e->d, 0);
	assert_int_equal(e->echo.notifies[0], 0);
	assert_int_equal(vm->notifies_ignored, 1);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), S_OK);
	env_free(e);
}

static void try_bad_queue(uint32_t num, uint64_t desc, uint64_t avail, uint64_t used)
{
	struct env *e = env_new();
	struct virtio_mmio *vm = vm_of(e);
	set_status(e, S_AD);
	write_features(e, V1);
	set_status(e, S_FOK);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_NUM, num);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)desc);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_DESC_HIGH, (uint32_t)(desc >> 32));
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)avail);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, (uint32_t)(avail >> 32));
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)used);
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, (uint32_t)(used >> 32));
	mmio_wr(vm, VIRTIO_MMIO_QUEUE_READY, 1);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_QUEUE_READY), 0);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), S_FOK | VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	assert_string_equal(vm->fault, "bad queue configuration");
	/* Not DRIVER_OK yet: no interrupt. */
	assert_int_equal(e->irq.changes, 0);
	/* DRIVER_OK is recorded but the device stays dead until reset. */
	set_status(e, S_OK);
	assert_false(virtio_mmio_live(vm));
	set_status(e, 0);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), 0);
	assert_null(vm->fault);
	env_free(e);
}

static void test_bad_queue_config(void **state)
{
	(void)state;
	uint64_t q = QUEUE_AREA(0);
	try_bad_queue(0, q, q + 0x1000, q + 0x2000);
	try_bad_queue(12, q, q + 0x1000, q + 0x2000);
	try_bad_queue(32, q, q + 0x1000, q + 0x2000); /* over QueueNumMax 16 */
	try_bad_queue(8, q + 8, q + 0x1000, q + 0x2000);
	try_bad_queue(8, q, q + 0x1001, q + 0x2000);
	try_bad_queue(8, q, q + 0x1000, q + 0x2002);
	try_bad_queue(8, 0x1000, q + 0x1000, q + 0x2000);
	try_bad_queue(8, q, RAM_BASE + RAM_SIZE - 8, q + 0x2000);
	try_bad_queue(8, q, q + 0x1000, 0x100000000000ULL | q);
}

static void test_notify_rules(void **state)
{
	(void)state;
	struct env *e = env_new();
	struct virtio_mmio *vm = vm_of(e);
	set_status(e, S_AD);
	write_features(e, V1);
	set_status(e, S_FOK);
	drv_queue_setup(&e->d, 0, 8);
	struct drv_buf b = {BUF_AREA, 8, true};
	drv_chain(&e->d, 0, &b, 1);
	/* Before DRIVER_OK. */
	drv_notify(&e->d, 0);
	assert_int_equal(e->echo.notifies[0], 0);
	assert_int_equal(drv_used_idx(&e->d, 0), 0);
	set_status(e, S_OK);
	/* Queue 1 is not ready, queue 7 does not exist. */
	drv_notify(&e->d, 1);
	drv_notify(&e->d, 7);
	assert_int_equal(e->echo.notifies[1], 0);
	assert_int_equal(vm->notifies_ignored, 3);
	drv_notify(&e->d, 0);
	assert_int_equal(e->echo.notifies[0], 1);
	assert_int_equal(drv_used_idx(&e->d, 0), 1);
	/* Pop and push on an absent or stopped queue. */
	struct virtq_chain c;
	assert_int_equal(virtio_mmio_pop(vm, 1, &c), VIREO_EAGAIN);
	assert_int_equal(virtio_mmio_pop(vm, 9, &c), VIREO_EAGAIN);
	assert_int_equal(virtio_mmio_push(vm, 1, 0, 0), VIREO_EINVAL);
	env_free(e);
}

static void test_malformed_chain_fails_request(void **state)
{
	(void)state;
	struct env *e = env_new();
	drv_init(&e->d, &e->ram, vm_of(e), 0, 8);
	/* A loop: given back with length 0, the queue keeps working. */
	drv_desc(&e->d, 0, 0, BUF_AREA, 8, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 0);
	drv_publish(&e->d, 0, 0);
	e->d.q[0].next_desc = 1;
	struct drv_buf b = {BUF_AREA, 8, true};
	uint16_t good = drv_chain(&e->d, 0, &b, 1);
	drv_notify(&e->d, 0);
	assert_int_equal(e->echo.bad, 1);
	assert_int_equal(e->echo.served, 1);
	uint32_t id, len;
	assert_true(drv_used(&e->d, 0, &id, &len));
	assert_int_equal(id, 0);
	assert_int_equal(len, 0);
	assert_true(drv_used(&e->d, 0, &id, &len));
	assert_int_equal(id, good);
	assert_int_equal(len, 8);
	assert_true(virtio_mmio_live(vm_of(e)));
	assert_int_equal(mmio_rd(vm_of(e), VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_VRING);
	env_free(e);
}

static void test_broken_ring_needs_reset(void **state)
{
	(void)state;
	struct env *e = env_new();
	struct virtio_mmio *vm = vm_of(e);
	drv_init(&e->d, &e->ram, vm, 0, 8);
	/* avail idx jumps 9 ahead of a queue of 8 (2.7.13.3). */
	ram_put16(&e->ram, e->d.q[0].avail + 2, 9);
	drv_notify(&e->d, 0);
	assert_int_equal(e->echo.last_err, VIREO_EIO);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), S_OK | VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	assert_string_equal(vm->fault, "avail idx more than queue size ahead");
	assert_false(virtio_mmio_live(vm));
	/* 4.2.2.1: configuration change notification. */
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_CONFIG);
	assert_true(e->irq.level);
	/* Further notifies do nothing. */
	drv_notify(&e->d, 1);
	assert_int_equal(e->echo.notifies[1], 0);
	/* Reset lowers the line and revives the device. */
	set_status(e, 0);
	assert_false(e->irq.level);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_INTERRUPT_STATUS), 0);
	drv_init(&e->d, &e->ram, vm, 0, 8);
	struct drv_buf b = {BUF_AREA, 8, true};
	drv_chain(&e->d, 0, &b, 1);
	drv_notify(&e->d, 0);
	assert_int_equal(drv_used_idx(&e->d, 0), 1);
	/* A model-reported fatal error does the same. */
	virtio_mmio_needs_reset(vm, "model gave up");
	virtio_mmio_needs_reset(vm, "second reason ignored");
	assert_string_equal(vm->fault, "model gave up");
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET,
	                 VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_INTERRUPT_STATUS),
	                 VIRTIO_MMIO_INT_CONFIG | VIRTIO_MMIO_INT_VRING);
	env_free(e);
}

static void test_reset_mid_io(void **state)
{
	(void)state;
	struct env *e = env_new();
	struct virtio_mmio *vm = vm_of(e);
	drv_init(&e->d, &e->ram, vm, 0, 8);
	struct drv_buf b = {BUF_AREA, 8, true};
	drv_chain(&e->d, 0, &b, 1);
	drv_notify(&e->d, 0);
	assert_true(e->irq.level);
	/* Two more published but not yet notified, then the driver resets. */
	drv_chain(&e->d, 0, &b, 1);
	drv_chain(&e->d, 0, &b, 1);
	set_status(e, 0);
	assert_int_equal(e->echo.resets, 2);
	assert_false(e->irq.level);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_STATUS), 0);
	for (uint32_t q = 0; q < 2; q++) {
		mmio_wr(vm, VIRTIO_MMIO_QUEUE_SEL, q);
		assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_QUEUE_READY), 0);
	}
	assert_false(virtio_mmio_has_feature(vm, VIRTIO_F_VERSION_1));
	drv_notify(&e->d, 0);
	assert_int_equal(e->echo.notifies[0], 1);
	struct virtq_chain c;
	assert_int_equal(virtio_mmio_pop(vm, 0, &c), VIREO_EAGAIN);
	assert_int_equal(drv_used_idx(&e->d, 0), 1);
	/* A fresh start on fresh rings: the old chains are gone. */
	drv_init(&e->d, &e->ram, vm, 0, 8);
	drv_notify(&e->d, 0);
	assert_int_equal(e->echo.served, 1);
	assert_int_equal(drv_used_idx(&e->d, 0), 0);
	env_free(e);
}

static void test_config_change(void **state)
{
	(void)state;
	struct env *e = env_new();
	struct virtio_mmio *vm = vm_of(e);
	/* Before DRIVER_OK the generation moves but no interrupt is sent. */
	virtio_mmio_config_changed(vm);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_CONFIG_GENERATION), 1);
	assert_int_equal(e->irq.changes, 0);
	drv_init(&e->d, &e->ram, vm, 0, 8);
	virtio_mmio_config_changed(vm);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_CONFIG_GENERATION), 2);
	assert_int_equal(mmio_rd(vm, VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_CONFIG);
	assert_true(e->irq.level);
	/* Acknowledging another bit leaves it set. */
	mmio_wr(vm, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
	assert_true(e->irq.level);
	mmio_wr(vm, VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_CONFIG);
	assert_false(e->irq.level);
	assert_int_equal(e->irq.changes, 2);
	env_free(e);
}

/* Random register accesses mixed with random rings and notifies. */
static void test_fuzz(void **state)
{
	(void)state;
	uint64_t seed = 0x7a11ab1eULL;
	static const uint64_t regs[] = {
	    VIRTIO_MMIO_DEVICE_FEATURES_SEL,
	    VIRTIO_MMIO_DRIVER_FEATURES,
	    VIRTIO_MMIO_DRIVER_FEATURES_SEL,
	    VIRTIO_MMIO_QUEUE_SEL,
	    VIRTIO_MMIO_QUEUE_NUM,
	    VIRTIO_MMIO_QUEUE_READY,
	    VIRTIO_MMIO_QUEUE_NOTIFY,
	    VIRTIO_MMIO_INTERRUPT_ACK,
	    VIRTIO_MMIO_STATUS,
	    VIRTIO_MMIO_QUEUE_DESC_LOW,
	    VIRTIO_MMIO_QUEUE_DESC_HIGH,
	    VIRTIO_MMIO_QUEUE_DRIVER_LOW,
	    VIRTIO_MMIO_QUEUE_DRIVER_HIGH,
	    VIRTIO_MMIO_QUEUE_DEVICE_LOW,
	    VIRTIO_MMIO_QUEUE_DEVICE_HIGH,
	};
	unsigned int lives = 0, served = 0, bad = 0, needs_reset = 0;
	for (unsigned int round = 0; round < 40; round++) {
		struct env *e = env_new();
		struct virtio_mmio *vm = vm_of(e);
		if (round % 2 == 0) {
			drv_init(&e->d, &e->ram, vm, ECHO_FEATURES, 16);
		}
		for (unsigned int q = 0; q < 2; q++) {
			e->d.q[q].desc = QUEUE_AREA(q); /* where drv_desc() writes */
		}
		for (unsigned int i = 0; i < 2000; i++) {
			uint64_t r = rnd_next(&seed);
			uint64_t v = rnd_next(&seed);
			unsigned int w = 1U << (rnd_next(&seed) % 4);
			switch (r % 8) {
			case 0: /* random bytes into the rings, or a few chains published */
				if (r & 0x100) {
					ram_put16(&e->ram,
					          QUEUE_AREA(v % 2) +
					              (rnd_next(&seed) % 0x3000 & ~1ULL),
					          (uint16_t)rnd_next(&seed));
					break;
				}
				for (unsigned int k = 0; k < 16; k++) {
					ram_put16(&e->ram, QUEUE_AREA(v % 2) + 0x1004 + 2 * k,
					          (uint16_t)(rnd_next(&seed) % 17));
				}
				ram_put16(
				    &e->ram, QUEUE_AREA(v % 2) + 0x1002,
				    (uint16_t)(vm->queue[v % 2].vq.last_avail + (v >> 8) % 18));
				break;
			case 1: { /* a random descriptor */
				uint64_t addr = v & 1
				                    ? rnd_next(&seed)
				                    : RAM_BASE + rnd_next(&seed) % (RAM_SIZE + 64);
				drv_desc(&e->d, (unsigned int)(v >> 8) % 2,
				         (uint16_t)(v >> 16) % 16, addr,
				         (uint32_t)rnd_next(&seed) % 0x2400,
				         (uint16_t)(v >> 32) % 8, (uint16_t)((v >> 40) % 18));
				break;
			}
			case 2: /* a plausible register write */
				mmio_access(vm, regs[v % (sizeof(regs) / sizeof(regs[0]))], 4, true,
				            &v);
				break;
			case 3: /* a queue area register at a plausible address */
				v = (uint32_t)(QUEUE_AREA(v % 2) + (v >> 8) % 0x3000);
				mmio_access(vm, VIRTIO_MMIO_QUEUE_DESC_LOW + 0x10 * (r >> 8) % 3, 4,
				            true, &v);
				break;
			case 4:
				mmio_access(vm, VIRTIO_MMIO_QUEUE_NOTIFY, 4, true,
				            &(uint64_t){v % 3});
				break;
			case 5: /* now and then a full re-initialisation */
				if (v % 16 == 0) {
					drv_init(&e->d, &e->ram, vm, v >> 8, 16);
					break;
				}
				mmio_access(vm, rnd_next(&seed) % 0x200, w, r & 0x100, &v);
				break;
			default: /* anything at all */
				mmio_access(vm, rnd_next(&seed) % 0x200, w, r & 0x100, &v);
				break;
			}
			uint32_t st = vm->status;
			assert_true(!(st & VIRTIO_STATUS_DRIVER_OK) ||
			            (st & VIRTIO_STATUS_FEATURES_OK));
			assert_int_equal(e->irq.level, vm->int_status != 0);
			assert_true((vm->int_status & ~3U) == 0);
			lives += virtio_mmio_live(vm);
		}
		served += e->echo.served;
		bad += e->echo.bad;
		needs_reset += (vm->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) != 0;
		env_free(e);
	}
	assert_true(lives > 1000);
	assert_true(served > 0 && bad > 0 && needs_reset > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_identity),
	    cmocka_unit_test(test_access_widths),
	    cmocka_unit_test(test_full_init_and_request),
	    cmocka_unit_test(test_features_ok_rules),
	    cmocka_unit_test(test_queue_setup_rules),
	    cmocka_unit_test(test_bad_queue_config),
	    cmocka_unit_test(test_notify_rules),
	    cmocka_unit_test(test_malformed_chain_fails_request),
	    cmocka_unit_test(test_broken_ring_needs_reset),
	    cmocka_unit_test(test_reset_mid_io),
	    cmocka_unit_test(test_config_change),
	    cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
