# SPDX-License-Identifier: GPL-2.0-only
# The test kit (guests/testkit/README.md): a bare-metal RV64 S-mode program that checks the
# platform's SBI and CPU behaviour, run on QEMU + OpenSBI and as a Vireo guest. A separate
# program: it shares no sources with the hypervisor. Included from the top-level Makefile.

TESTKIT_DIR   := guests/testkit
TESTKIT_BUILD := build/testkit
TESTKIT_ELF   := $(TESTKIT_BUILD)/testkit.elf
TESTKIT_BIN   := $(TESTKIT_BUILD)/testkit.bin
TESTKIT_LD    := $(TESTKIT_DIR)/testkit.ld
TESTKIT_SRCS  := $(wildcard $(TESTKIT_DIR)/*.c $(TESTKIT_DIR)/*.S)
TESTKIT_OBJS  := $(patsubst $(TESTKIT_DIR)/%,$(TESTKIT_BUILD)/obj/%.o,$(TESTKIT_SRCS))

# The hypervisor's warning set; integer-only code model, no FP anywhere.
TESTKIT_CFLAGS = -std=c11 -ffreestanding -fno-builtin -fno-common -fno-pie \
	-fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing \
	-fno-tree-loop-distribute-patterns -O2 -g \
	-march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax \
	-I$(TESTKIT_DIR) $(WARNINGS) -MMD -MP
TESTKIT_LDFLAGS = -nostdlib -static -no-pie -Wl,--gc-sections -Wl,-T,$(TESTKIT_LD) \
	-Wl,--no-relax -Wl,-z,noexecstack -Wl,--build-id=none

.PHONY: testkit
testkit: $(TESTKIT_BIN)

# The system tests boot the test kit too.
test-system: $(TESTKIT_BIN)

$(TESTKIT_BUILD)/obj/%.c.o: $(TESTKIT_DIR)/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(TESTKIT_CFLAGS) -c $< -o $@

$(TESTKIT_BUILD)/obj/%.S.o: $(TESTKIT_DIR)/%.S
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(TESTKIT_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(TESTKIT_ELF): $(TESTKIT_OBJS) $(TESTKIT_LD)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(TESTKIT_CFLAGS) $(TESTKIT_LDFLAGS) $(TESTKIT_OBJS) -o $@ -lgcc

$(TESTKIT_BIN): $(TESTKIT_ELF)
	@$(if $(Q),echo "  OBJCOPY $@")
	$(Q)$(OBJCOPY) -O binary $< $@

-include $(TESTKIT_OBJS:.o=.d)
