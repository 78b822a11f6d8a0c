# SPDX-License-Identifier: GPL-2.0-only
# FDT writer tests: lib/fdt_write.c output read back by lib/fdt.c and the host libfdt.
#
# Like test_fdt (see test_fdt.mk): our sources get the vfdt_ renames of fdt_rename.h so they do
# not clash with libfdt, which only fdt_libfdt_ref.o (built by test_fdt.mk's rule) sees.
test_fdt_write_SRCS   := lib/fdt_write.c lib/fdt.c lib/fdt_prop.c lib/errno.c \
	tests/unit/fdt_check.c tests/unit/fdt_builder.c tests/unit/fdtw_check.c \
	$(HOST_BUILD)/fdt_libfdt_ref.o
test_fdt_write_LIBS   := -lfdt
test_fdt_write_CFLAGS := -include tests/unit/fdt_rename.h

# The QEMU DTBs (tests/unit/gen-dtbs.sh) are rebuilt with the writer.
$(HOST_BUILD)/test_fdt_write: $(HOST_BUILD)/dtb/.stamp
