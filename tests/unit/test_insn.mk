# SPDX-License-Identifier: GPL-2.0-only
# Load/store decoder tests: arch/riscv/insn.c, checked against an encoder in the test that is
# itself checked against the GNU assembler's encodings (gen-insn-vectors.sh).
test_insn_SRCS   := arch/riscv/insn.c
test_insn_CFLAGS := -Iarch/riscv/include

# The test reads $VIREO_INSN_VECTORS, default build/host/insn-vectors.txt.
$(HOST_BUILD)/test_insn: arch/riscv/include/arch/insn.h $(HOST_BUILD)/insn-vectors.txt

$(HOST_BUILD)/insn-vectors.txt: tests/unit/gen-insn-vectors.sh
	CROSS_COMPILE=$(CROSS_COMPILE) tests/unit/gen-insn-vectors.sh $@
