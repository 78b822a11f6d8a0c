# SPDX-License-Identifier: GPL-2.0-only
# Guest configuration parser tests. Every tests/unit/configs/*.dts and the shipped example are
# compiled with dtc into build/host/configs/*.dtb; a bundle of test images (and the example as
# config.dtb) is packed with GNU cpio. The test reads them from $VIREO_CONFIG_DIR (default
# build/host/configs). lib/printf.c defines vsnprintf/snprintf: renamed, as in test_lib.
test_guest_config_SRCS   := core/guest_config.c core/guest_config_devices.c lib/cpio.c lib/strutil.c lib/fdt.c lib/fdt_prop.c lib/errno.c \
	lib/printf.c
test_guest_config_CFLAGS := -fno-builtin -Dvsnprintf=vireo_vsnprintf -Dsnprintf=vireo_snprintf
test_guest_config_DIR    := $(HOST_BUILD)/configs
test_guest_config_DTBS   := $(patsubst tests/unit/configs/%.dts,$(test_guest_config_DIR)/%.dtb, \
	$(wildcard tests/unit/configs/*.dts)) $(test_guest_config_DIR)/example.dtb

$(HOST_BUILD)/test_guest_config: $(test_guest_config_DTBS) $(test_guest_config_DIR)/bundle.cpio

# -q: some bad inputs are meant to draw dtc warnings (a unit address without reg).
$(test_guest_config_DIR)/%.dtb: tests/unit/configs/%.dts
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  DTC     $@")
	$(Q)dtc -q -I dts -O dtb -o $@ $<

# The example is compiled without -q: it must stay free of dtc warnings.
$(test_guest_config_DIR)/example.dtb: configs/riscv64/example.dts
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  DTC     $@")
	$(Q)dtc -I dts -O dtb -o $@ $<

# Images: a 64 KiB "kernel", a 3 MiB one (too big for 2 MiB of RAM), an empty file, an initrd,
# a guest device tree; config.dtb is the example, for the bundle-to-guests path.
$(test_guest_config_DIR)/bundle.cpio: tests/unit/test_guest_config.mk $(test_guest_config_DIR)/example.dtb
	@$(if $(Q),echo "  CPIO    $@")
	$(Q)rm -rf $(test_guest_config_DIR)/bundle && mkdir -p $(test_guest_config_DIR)/bundle/images
	$(Q)cd $(test_guest_config_DIR)/bundle && \
		head -c 65536 /dev/zero | tr '\0' 'K' > images/Image && \
		head -c 3145728 /dev/zero | tr '\0' 'B' > images/big-Image && \
		: > images/empty && printf 'initrd\n' > images/rootfs.cpio && \
		head -c 65536 /dev/zero > images/disk.img && head -c 1000 /dev/zero > images/odd.img && \
		printf '/dts-v1/;\n/ { model = "guest"; };\n' | dtc -I dts -O dtb -o images/guest.dtb - && \
		cp ../example.dtb config.dtb
	$(Q)cd $(test_guest_config_DIR)/bundle && find . | LC_ALL=C sort | \
		cpio --quiet -o -H newc > ../bundle.cpio
