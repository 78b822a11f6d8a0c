# SPDX-License-Identifier: GPL-2.0-only
# The riscv64 Linux guest (docs/linux-guest.md): Debian's linux-source-6.1 with the fragment
# guests/linux/linux.config (scripts/build-linux.sh), and an initramfs holding our own static
# init (guests/linux/init/, packed by scripts/build-initramfs.sh). Both are built and cached
# outside the tree, under ~/.cache/vireo, keyed by a hash of their inputs; the scripts copy the
# results to the two files below, which other rules may use as prerequisites. Included from the
# top-level Makefile.

LINUX_OUT       := build/linux
LINUX_IMAGE     := $(LINUX_OUT)/Image
LINUX_INITRAMFS := $(LINUX_OUT)/initramfs.cpio
LINUX_INIT_DEPS := $(wildcard guests/linux/init/*.c guests/linux/init/*.h) \
	guests/linux/initramfs.list guests/linux/motd scripts/build-initramfs.sh

.PHONY: guest-linux linux-kernel linux-initramfs
guest-linux: $(LINUX_IMAGE) $(LINUX_INITRAMFS)
	@echo "guest-linux: kernel    $(LINUX_IMAGE) ($$(stat -c %s $(LINUX_IMAGE)) bytes)"
	@echo "guest-linux: initramfs $(LINUX_INITRAMFS) ($$(stat -c %s $(LINUX_INITRAMFS)) bytes)"
linux-kernel: $(LINUX_IMAGE)
linux-initramfs: $(LINUX_INITRAMFS)

# The scripts run again only when their inputs change, and then decide themselves whether the
# cache already holds the result (switching the fragment back, for instance, builds nothing).
$(LINUX_IMAGE): guests/linux/linux.config scripts/build-linux.sh | deps
	@scripts/build-linux.sh

$(LINUX_INITRAMFS): $(LINUX_INIT_DEPS) | deps
	@scripts/build-initramfs.sh
