/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtio-rng and virtio-console models (emul/virtio_rng.c, emul/virtio_console.c) on their
 * transport over a fake guest RAM. The first byte picks the device; the rest is a sequence of
 * driver operations (fuzz_virtio.h) plus, for the console, host input of some length.
 *
 * Checked besides the transport's invariants: entropy requests are filled in pieces of at most
 * VIRTIO_RNG_REQUEST_MAX bytes and counted; console output comes in non-empty writes that add up
 * to the transmit counter; host input is taken only as far as it was offered and counted.
 */
#include <vireo/virtio_console.h>
#include <vireo/virtio_rng.h>

#include "fuzz_virtio.h"

struct host {
	uint64_t filled;
	uint64_t written;
};

static void on_fill(void *ctx, void *buf, size_t len)
{
	struct host *h = ctx;

	FUZZ_CHECK(len > 0 && len <= VIRTIO_RNG_REQUEST_MAX);
	memset(buf, 0xa5, len);
	h->filled += len;
}

static void on_out(void *ctx, const char *buf, size_t len)
{
	struct host *h = ctx;
	volatile char sink = 0;

	FUZZ_CHECK(len > 0);
	for (size_t i = 0; i < len; i++) {
		sink ^= buf[i]; /* every byte read, for ASan */
	}
	(void)sink;
	h->written += len;
}

static void run_rng(struct fuzz_in *in, struct fuzz_drv *d, struct fake_ram *ram)
{
	struct virtio_rng rng;
	struct host h = {0};

	d->vm = &rng.vm;
	virtio_rng_init(&rng, on_fill, &h, &ram->gmem, fuzz_drv_irq, d);
	while (fuzz_more(in)) {
		(void)fuzz_drv_step(d, in);
		fuzz_drv_check(d);
		FUZZ_CHECK(rng.stats.bytes == h.filled);
		FUZZ_CHECK(rng.stats.bytes <= rng.stats.requests * VIRTIO_RNG_REQUEST_MAX);
	}
}

static void run_console(struct fuzz_in *in, struct fuzz_drv *d, struct fake_ram *ram)
{
	struct virtio_console con;
	struct host h = {0};

	d->vm = &con.vm;
	virtio_console_init(&con, 80, 24, on_out, NULL, &h, &ram->gmem, fuzz_drv_irq, d);
	while (fuzz_more(in)) {
		int op = fuzz_drv_step(d, in);

		if (op >= 0) {
			char buf[512];
			size_t len = fuzz_u16(in) % sizeof(buf);
			uint64_t before = con.stats.rx_bytes;

			memset(buf, 'i', len);
			size_t taken = virtio_console_input(&con, buf, len);

			FUZZ_CHECK(taken <= len && con.stats.rx_bytes == before + taken);
		}
		fuzz_drv_check(d);
		FUZZ_CHECK(con.stats.tx_bytes == h.written);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct fake_ram ram;
	struct fuzz_drv d = {.ram = &ram};

	fake_ram_init(&ram);
	if (fuzz_u8(&in) & 1u) {
		run_console(&in, &d, &ram);
	} else {
		run_rng(&in, &d, &ram);
	}
	fake_ram_free(&ram);
	return 0;
}
