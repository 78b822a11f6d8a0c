# SPDX-License-Identifier: GPL-2.0-only
# The split virtqueue walker against a fake guest RAM of scattered 4 KiB chunks.
test_virtqueue_SRCS := emul/virtqueue.c emul/virtio_mmio.c lib/gmem.c tests/unit/virtio_fake.c tests/unit/fake_ram.c
