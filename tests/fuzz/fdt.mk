# SPDX-License-Identifier: GPL-2.0-only
# The FDT reader on arbitrary blobs, cross-checked against the host libfdt. As in
# tests/unit/test_fdt.mk, our sources get the vfdt_ renames of fdt_rename.h so they do not clash
# with libfdt, which only fdt_libfdt_ref.o sees.
fuzz_fdt_SRCS   := lib/fdt.c lib/fdt_prop.c lib/errno.c $(FUZZ_BUILD)/fdt_libfdt_ref.o
fuzz_fdt_CFLAGS := -include tests/unit/fdt_rename.h
fuzz_fdt_LIBS   := -lfdt

$(FUZZ_BUILD)/fdt_libfdt_ref.o: tests/unit/fdt_libfdt_ref.c tests/unit/fdt_libfdt_ref.h
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@
