/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtio-blk model (emul/virtio_blk.c) on its transport (emul/virtio_mmio.c,
 * emul/virtqueue.c) over a fake guest RAM. The first bytes choose the disk (size in sectors,
 * read-only); the rest is a sequence of driver operations (fuzz_virtio.h): register accesses,
 * RAM contents, descriptors, avail ring updates, notifications, resets.
 *
 * The disk image is allocated at its exact size, so ASan catches any access past it. Checked
 * besides the transport's invariants: every chain popped is given back before the notify
 * returns (the model completes requests synchronously), the statistics add up, the image is
 * never written when read-only.
 */
#include <vireo/virtio_blk.h>

#include "fuzz_virtio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	size_t sectors = fuzz_u8(&in) % 65u;
	bool read_only = (fuzz_u8(&in) & 1u) != 0;
	size_t image_size = sectors * VIRTIO_BLK_SECTOR;
	uint8_t *image = malloc(image_size);
	uint8_t *pristine = malloc(image_size);
	struct fake_ram ram;
	struct virtio_blk blk;
	struct fuzz_drv d = {.ram = &ram, .vm = &blk.vm};

	for (size_t i = 0; i < image_size; i++) {
		image[i] = (uint8_t)(i * 7u + 1u);
	}
	memcpy(pristine, image, image_size);
	fake_ram_init(&ram);
	virtio_blk_init(&blk, image, image_size, read_only, "fuzz-serial-0123456789", &ram.gmem,
	                fuzz_drv_irq, &d);
	FUZZ_CHECK(blk.capacity == sectors);
	while (fuzz_more(&in)) {
		(void)fuzz_drv_step(&d, &in);
		fuzz_drv_check(&d);
		if (virtio_mmio_live(&blk.vm) && blk.vm.queue[0].ready) {
			const struct virtq *vq = &blk.vm.queue[0].vq;

			FUZZ_CHECK(vq->used_idx == vq->last_avail);
		}
		FUZZ_CHECK(blk.stats.bytes_read <= (blk.stats.reads) * (4ULL << 20));
		FUZZ_CHECK(blk.stats.bytes_written <= (blk.stats.writes) * (4ULL << 20));
	}
	if (read_only) {
		FUZZ_CHECK(blk.stats.writes == 0 && memcmp(image, pristine, image_size) == 0);
	}
	fake_ram_free(&ram);
	free(pristine);
	free(image);
	return 0;
}
