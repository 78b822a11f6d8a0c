# SPDX-License-Identifier: GPL-2.0-only
# Guest device tree (core/guest_dtb.c) checked through lib/fdt.c and the host libfdt, and
# compared with the QEMU DTBs of tests/unit/gen-dtbs.sh. Renames as in test_fdt.mk.
test_guest_dtb_SRCS   := core/guest_dtb.c lib/fdt_write.c lib/fdt.c lib/fdt_prop.c lib/errno.c \
	tests/unit/fdt_check.c tests/unit/fdt_builder.c tests/unit/fdtw_check.c \
	$(HOST_BUILD)/fdt_libfdt_ref.o
test_guest_dtb_LIBS   := -lfdt
test_guest_dtb_CFLAGS := -include tests/unit/fdt_rename.h
$(HOST_BUILD)/test_guest_dtb: $(HOST_BUILD)/dtb/.stamp
