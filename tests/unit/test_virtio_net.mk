# SPDX-License-Identifier: GPL-2.0-only
# The virtio-net model: transmit pops and receive deliveries against a fake guest RAM.
test_virtio_net_SRCS := emul/virtio_net.c emul/virtio_mmio.c emul/virtqueue.c lib/gmem.c \
	tests/unit/virtio_fake.c tests/unit/fake_ram.c
