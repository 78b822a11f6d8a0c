# SPDX-License-Identifier: GPL-2.0-only
# Host device-tree parsing on the DTBs QEMU dumps (made for test_fdt).
test_platform_SRCS := core/platform.c lib/fdt.c lib/fdt_prop.c lib/errno.c lib/strutil.c
$(HOST_BUILD)/test_platform: $(HOST_BUILD)/dtb/.stamp
