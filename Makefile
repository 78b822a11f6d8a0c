# SPDX-License-Identifier: GPL-2.0-only
# Vireo build. `make` builds the hypervisor, `make run` boots it in QEMU, `make test` runs
# every test. See README.md and docs/testing.md.

ARCH          ?= riscv64
ARCH_DIR      := riscv
BUILD         := build/$(ARCH)
CROSS_COMPILE ?= riscv64-linux-gnu-
CC            := $(CROSS_COMPILE)gcc
OBJCOPY       := $(CROSS_COMPILE)objcopy
SIZE          := $(CROSS_COMPILE)size
HOSTCC        ?= gcc
PYTHON        ?= /usr/bin/python3
QEMU          ?= qemu-system-riscv64

VERSION       := 0.1.0
GIT_REV       := $(shell git describe --always --dirty --abbrev=7 --exclude='*' 2>/dev/null || echo unknown)

# `make run` knobs.
HOST_SMP      ?= 2
HOST_MEM      ?= 1G
QEMU_EXTRA    ?=
BOOTARGS      ?=

# Bao-strength warnings, all errors.
WARNINGS := -Wall -Wextra -Werror -Wconversion -Wsign-conversion -Wshadow -Wvla \
	-Wstrict-prototypes -Wmissing-prototypes -Wmissing-declarations -Wundef \
	-Wpointer-arith -Wcast-qual -Wwrite-strings -Wnull-dereference -Wswitch-enum \
	-Wimplicit-fallthrough -Wformat=2

CFLAGS := -std=c11 -ffreestanding -fno-builtin-printf -fno-common -fno-pie -fno-stack-protector \
	-fno-strict-aliasing -fno-tree-loop-distribute-patterns -O2 -g \
	-march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -mno-relax \
	-Iinclude -Iarch/$(ARCH_DIR)/include \
	$(WARNINGS) -MMD -MP
ASFLAGS := $(CFLAGS) -D__ASSEMBLY__
LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,-T,arch/$(ARCH_DIR)/vireo.ld \
	-Wl,--no-relax -Wl,-z,noexecstack -Wl,--build-id=none

.DEFAULT_GOAL := all

# Our own guest payloads.
include guests/testkit/testkit.mk
include guests/linux/linux.mk
include bench/bench.mk

SRCS := $(wildcard arch/$(ARCH_DIR)/*.c arch/$(ARCH_DIR)/*.S core/*.c lib/*.c drivers/*.c emul/*.c \
	shell/*.c)
OBJS := $(patsubst %,$(BUILD)/obj/%.o,$(SRCS))

.PHONY: all deps run test test-unit test-system test-fuzz-smoke fuzz format format-check clean size \
	help

all: deps $(BUILD)/vireo.bin

help:
	@echo "make               build $(BUILD)/vireo.elf and vireo.bin"
	@echo "make run           boot Vireo in QEMU on this terminal (HOST_SMP=, HOST_MEM=, QEMU_EXTRA=, BOOTARGS=, CONFIG=, BUNDLE_IMAGES=)"
	@echo "make bundle        pack CONFIG and its guest images into $(BUILD)/bundle.cpio"
	@echo "make testkit       build the test kit guest (build/testkit/testkit.bin)"
	@echo "make guest-linux   build the Linux guest kernel and initramfs (cached under ~/.cache/vireo)"
	@echo "make test          everything: format check, unit tests, fuzz smoke run, system tests"
	@echo "make test-unit     host unit tests (ASan + UBSan)"
	@echo "make test-system   QEMU system tests (pytest + pexpect)"
	@echo "make fuzz          libFuzzer on every parser of untrusted bytes, FUZZ_TIME= seconds each (default 60), FUZZ_TARGETS='fdt insn ...'"
	@echo "make test-fuzz-smoke  each fuzz harness on its committed corpus plus a fixed number of runs (part of make test)"
	@echo "make bench         benchmarks, directly on QEMU and under Vireo: microbenchmarks, Linux boot, footprint, scale (docs/benchmarks.md)"
	@echo "make bench-plot    draw build/bench/bench.png from the last make bench (gnuplot)"
	@echo "make bench-profile instructions per function of one microbenchmark under Vireo (PROFILE_ARGS='--bench mmio_read --path')"
	@echo "make format        reformat all C sources with clang-format"
	@echo "make size          section sizes of vireo.elf"

deps:
	@scripts/install-deps.sh

# V=1 shows full command lines.
Q := $(if $(V),,@)

# Objects depend on the compiler command line: changed flags rebuild everything.
$(BUILD)/cflags: FORCE
	@mkdir -p $(dir $@)
	@echo '$(CC) $(CFLAGS)' | cmp -s - $@ || echo '$(CC) $(CFLAGS)' > $@

$(BUILD)/obj/%.c.o: %.c $(BUILD)/cflags
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/%.S.o: %.S $(BUILD)/cflags
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

# Only core/version.c sees the version and revision; it is rebuilt when the revision changes.
$(BUILD)/git-rev: FORCE
	@mkdir -p $(dir $@)
	@echo '$(GIT_REV)' | cmp -s - $@ || echo '$(GIT_REV)' > $@
$(BUILD)/obj/core/version.c.o: $(BUILD)/git-rev
$(BUILD)/obj/core/version.c.o: CFLAGS += -DVIREO_VERSION='"$(VERSION)"' -DVIREO_GIT_REV='"$(GIT_REV)"'
FORCE:

$(BUILD)/vireo.elf: $(OBJS) arch/$(ARCH_DIR)/vireo.ld
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(OBJS) -o $@ -lgcc

$(BUILD)/vireo.bin: $(BUILD)/vireo.elf
	@$(if $(Q),echo "  OBJCOPY $@")
	$(Q)$(OBJCOPY) -O binary $< $@

size: $(BUILD)/vireo.elf
	$(SIZE) $<

# ---- the bundle: configuration + guest images, loaded by QEMU as the initrd -----------------
# CONFIG names the configuration source; every "images/<file>" it uses must be in BUNDLE_IMAGES.
CONFIG        ?= configs/riscv64/default.dts
BUNDLE_DIR    := $(BUILD)/bundle
BUNDLE        := $(BUILD)/bundle.cpio
# Blank 4 MiB disks for the default configuration's Linux guests.
DISKS         := $(BUILD)/disks/disk0.img $(BUILD)/disks/disk1.img
BUNDLE_IMAGES ?= $(TESTKIT_BIN) $(LINUX_IMAGE) $(LINUX_INITRAMFS) $(DISKS)

$(BUILD)/disks/%.img:
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  DISK    $@")
	$(Q)truncate -s 4M $@

$(BUNDLE): $(CONFIG) $(BUNDLE_IMAGES)
	@$(if $(Q),echo "  BUNDLE  $@")
	$(Q)rm -rf $(BUNDLE_DIR) && mkdir -p $(BUNDLE_DIR)/images
	$(Q)dtc -q -I dts -O dtb -o $(BUNDLE_DIR)/config.dtb $(CONFIG)
	$(Q)cp $(BUNDLE_IMAGES) $(BUNDLE_DIR)/images/
	$(Q)(cd $(BUNDLE_DIR) && find . -type f | LC_ALL=C sort | cpio --quiet -o -H newc) > $@

.PHONY: bundle
bundle: $(BUNDLE)

QEMU_CMD = $(QEMU) -M virt -smp $(HOST_SMP) -m $(HOST_MEM) -nographic -bios default \
	-kernel $(BUILD)/vireo.bin -initrd $(BUNDLE) $(if $(BOOTARGS),-append '$(BOOTARGS)') \
	$(QEMU_EXTRA)

run: all $(BUNDLE)
	@echo "Starting: $(QEMU_CMD)"
	@echo "(leave QEMU with Ctrl-A X, or type 'shutdown')"
	@$(QEMU_CMD)

# ---- host unit tests -------------------------------------------------------------------------
# Each tests/unit/test_<name>.mk sets test_<name>_SRCS (sources under test) and optionally
# test_<name>_LIBS and test_<name>_CFLAGS (extra flags for that test's compile).
HOST_BUILD  := build/host
HOST_CFLAGS := -std=c11 -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -D_DEFAULT_SOURCE -DVIREO_HOST_TEST \
	-Iinclude -Iarch/host/include -Itests/unit -Wall -Wextra -Werror -Wshadow -Wvla
include $(wildcard tests/unit/*.mk)
.SECONDEXPANSION:
UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
UNIT_BINS  := $(patsubst %,$(HOST_BUILD)/%,$(UNIT_TESTS))

$(HOST_BUILD)/test_%: tests/unit/test_%.c $$(test_%_SRCS) $(wildcard include/vireo/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $@")
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(test_$*_CFLAGS) $< $(test_$*_SRCS) -o $@ -lcmocka $(test_$*_LIBS)

test-unit: deps $(UNIT_BINS)
	@tests/unit/run-all.sh $(UNIT_BINS)

test-system: all $(BUNDLE)
	$(PYTHON) -m pytest -q tests/system $(PYTEST_ARGS)

# ---- libFuzzer harnesses (docs/testing.md, "Fuzzing") -----------------------------------------
# Each tests/fuzz/<name>.mk sets fuzz_<name>_SRCS (sources under test besides the harness
# tests/fuzz/<name>.c) and optionally fuzz_<name>_CFLAGS and fuzz_<name>_LIBS. Seeds: tests/fuzz/corpus/<name>/,
# dictionary: tests/fuzz/<name>.dict if present. Findings land in build/fuzz/<name>/.
FUZZ_CC      ?= clang-14
FUZZ_BUILD   := build/fuzz
FUZZ_CFLAGS  := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -D_DEFAULT_SOURCE -DVIREO_HOST_TEST \
	-Iinclude -Iarch/host/include -Itests/fuzz -Itests/unit -Wall -Wextra -Werror -Wshadow -Wvla
include $(wildcard tests/fuzz/*.mk)
FUZZ_ALL     := $(patsubst tests/fuzz/%.mk,%,$(wildcard tests/fuzz/*.mk))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_TIME    ?= 60
FUZZ_SMOKE_RUNS ?= 2000
FUZZ_BINS    := $(patsubst %,$(FUZZ_BUILD)/bin/%,$(FUZZ_TARGETS))

$(FUZZ_BUILD)/bin/%: tests/fuzz/%.c $$(fuzz_%_SRCS) $(wildcard include/vireo/*.h tests/fuzz/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(fuzz_$*_CFLAGS) $< $(fuzz_$*_SRCS) -o $@ $(fuzz_$*_LIBS)

fuzz: deps $(FUZZ_BINS)
	@FUZZ_BUILD=$(FUZZ_BUILD) tests/fuzz/run.sh fuzz $(FUZZ_TIME) $(FUZZ_TARGETS)

test-fuzz-smoke: deps $(FUZZ_BINS)
	@FUZZ_BUILD=$(FUZZ_BUILD) tests/fuzz/run.sh smoke $(FUZZ_SMOKE_RUNS) $(FUZZ_TARGETS)

test: deps format-check test-unit test-fuzz-smoke test-system

FORMAT_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null; git ls-files -o --exclude-standard '*.c' '*.h' 2>/dev/null)

format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run -Werror $(FORMAT_FILES) && echo "format-check: ok"

clean:
	rm -rf build

-include $(OBJS:.o=.d)
