# SPDX-License-Identifier: GPL-2.0-only
# The virtio-mmio transport with an echo device model, driven through its access callback.
test_virtio_mmio_SRCS := emul/virtio_mmio.c emul/virtqueue.c lib/gmem.c tests/unit/virtio_fake.c tests/unit/fake_ram.c
