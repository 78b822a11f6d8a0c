# SPDX-License-Identifier: GPL-2.0-only
# The virtio-rng and virtio-console models on their transports with a fake guest RAM.
test_virtio_rng_console_SRCS := emul/virtio_rng.c emul/virtio_console.c emul/virtio_mmio.c \
	emul/virtqueue.c lib/gmem.c tests/unit/virtio_fake.c tests/unit/fake_ram.c
