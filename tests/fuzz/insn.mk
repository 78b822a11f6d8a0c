# SPDX-License-Identifier: GPL-2.0-only
# The guest load/store decoder on arbitrary instruction words and htinst values.
fuzz_insn_SRCS   := arch/riscv/insn.c
fuzz_insn_CFLAGS := -Iarch/riscv/include
