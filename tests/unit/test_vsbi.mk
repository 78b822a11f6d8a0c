# SPDX-License-Identifier: GPL-2.0-only
# Guest SBI dispatch and argument checks, with the vCPU and guest machinery stubbed in the test.
test_vsbi_SRCS   := arch/riscv/vsbi.c arch/riscv/vsbi_base.c arch/riscv/vsbi_legacy.c \
	arch/riscv/vsbi_time.c arch/riscv/vsbi_ipi.c arch/riscv/vsbi_rfence.c \
	arch/riscv/vsbi_hsm.c arch/riscv/vsbi_srst.c arch/riscv/vsbi_dbcn.c core/clock.c \
	arch/host/host_timer.c
test_vsbi_CFLAGS := -Iarch/riscv/include
