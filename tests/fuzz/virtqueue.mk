# SPDX-License-Identifier: GPL-2.0-only
# The split virtqueue walker on a fuzzed ring layout and guest RAM.
fuzz_virtqueue_SRCS := emul/virtqueue.c lib/gmem.c tests/fuzz/fuzz_virtio.c tests/unit/fake_ram.c emul/virtio_mmio.c
