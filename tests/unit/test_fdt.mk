# SPDX-License-Identifier: GPL-2.0-only
# FDT reader tests: lib/fdt.c cross-checked against the host libfdt on QEMU-generated DTBs.
#
# libfdt exports fdt_path_offset, fdt_getprop, ... too, so test_fdt's own sources (lib/fdt.c
# included) get the vfdt_ renames of fdt_rename.h, while the libfdt side is compiled apart
# without them (fdt_libfdt_ref.o).
test_fdt_SRCS   := lib/fdt.c lib/fdt_prop.c lib/errno.c tests/unit/fdt_check.c tests/unit/fdt_corrupt.c \
	tests/unit/fdt_synthetic.c tests/unit/fdt_builder.c $(HOST_BUILD)/fdt_libfdt_ref.o
test_fdt_LIBS   := -lfdt
test_fdt_CFLAGS := -include tests/unit/fdt_rename.h

$(HOST_BUILD)/fdt_libfdt_ref.o: tests/unit/fdt_libfdt_ref.c tests/unit/fdt_libfdt_ref.h
	@mkdir -p $(dir $@)
	$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

# The test reads its DTBs from $VIREO_DTB_DIR, default build/host/dtb: dump them first.
$(HOST_BUILD)/test_fdt: $(HOST_BUILD)/dtb/.stamp

$(HOST_BUILD)/dtb/.stamp: tests/unit/gen-dtbs.sh
	QEMU=$(QEMU) tests/unit/gen-dtbs.sh $(HOST_BUILD)/dtb
	@touch $@
