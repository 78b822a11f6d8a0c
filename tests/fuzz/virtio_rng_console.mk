# SPDX-License-Identifier: GPL-2.0-only
# virtio-rng and virtio-console over the virtio-mmio transport, from a fuzzer-driven driver.
fuzz_virtio_rng_console_SRCS := emul/virtio_rng.c emul/virtio_console.c emul/virtio_mmio.c \
	emul/virtqueue.c lib/gmem.c tests/fuzz/fuzz_virtio.c tests/unit/fake_ram.c
