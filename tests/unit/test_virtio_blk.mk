# SPDX-License-Identifier: GPL-2.0-only
# The virtio-blk model on its transport, with a driver writing requests into a fake guest RAM.
test_virtio_blk_SRCS := emul/virtio_blk.c emul/virtio_mmio.c emul/virtqueue.c lib/gmem.c \
	lib/strutil.c tests/unit/virtio_fake.c tests/unit/fake_ram.c
