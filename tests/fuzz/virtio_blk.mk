# SPDX-License-Identifier: GPL-2.0-only
# virtio-blk requests over the virtio-mmio transport, from a fuzzer-driven driver.
fuzz_virtio_blk_SRCS := emul/virtio_blk.c emul/virtio_mmio.c emul/virtqueue.c lib/gmem.c \
	lib/strutil.c tests/fuzz/fuzz_virtio.c tests/unit/fake_ram.c
