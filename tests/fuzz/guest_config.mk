# SPDX-License-Identifier: GPL-2.0-only
# The guest configuration parser on a fuzzed configuration device tree and bundle. lib/printf.c
# defines vsnprintf/snprintf: renamed, as in tests/unit/test_guest_config.mk.
fuzz_guest_config_SRCS   := core/guest_config.c core/guest_config_devices.c lib/cpio.c \
	lib/strutil.c lib/fdt.c lib/fdt_prop.c lib/errno.c lib/printf.c
fuzz_guest_config_CFLAGS := -fno-builtin -Dvsnprintf=vireo_vsnprintf -Dsnprintf=vireo_snprintf
