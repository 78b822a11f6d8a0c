# SPDX-License-Identifier: GPL-2.0-only
# virtio-net transmit and receive over the virtio-mmio transport, from a fuzzer-driven driver.
fuzz_virtio_net_SRCS := emul/virtio_net.c emul/virtio_mmio.c emul/virtqueue.c lib/gmem.c \
	tests/fuzz/fuzz_virtio.c tests/unit/fake_ram.c
