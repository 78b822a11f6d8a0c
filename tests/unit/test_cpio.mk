# SPDX-License-Identifier: GPL-2.0-only
# cpio newc reader tests on archives the real GNU cpio writes at build time: a small tree with
# every padding case (names and sizes 1..4 mod 4), an empty file, a hard-link pair, a symlink and
# a FIFO, archived as newc (070701) and crc (070702). The test compares against the tree on disk
# ($VIREO_CPIO_DIR, default build/host/cpio).
test_cpio_SRCS := lib/cpio.c lib/strutil.c
test_cpio_DIR  := $(HOST_BUILD)/cpio

$(HOST_BUILD)/test_cpio: $(test_cpio_DIR)/.stamp

$(test_cpio_DIR)/.stamp: tests/unit/test_cpio.mk
	@$(if $(Q),echo "  CPIO    $(test_cpio_DIR)")
	$(Q)rm -rf $(test_cpio_DIR) && mkdir -p $(test_cpio_DIR)/tree/dir/sub
	$(Q)cd $(test_cpio_DIR)/tree && printf 'hello, bundle\n' > hello.txt && : > empty && \
		printf 1 > a && printf 12 > ab && printf 123 > abc && printf 1234 > abcd && \
		seq 1 777 > dir/sub/data.txt && printf 'linked data\n' > hard1 && ln hard1 hard2 && \
		ln -s hello.txt link && mkfifo fifo
	$(Q)cd $(test_cpio_DIR)/tree && find . | LC_ALL=C sort | cpio --quiet -o -H newc > ../tree.cpio
	$(Q)cd $(test_cpio_DIR)/tree && find . | LC_ALL=C sort | cpio --quiet -o -H crc > ../tree-crc.cpio
	@touch $@
