# SPDX-License-Identifier: GPL-2.0-only
# G-stage tables on real table pages: the page allocator is backed by host memory.
test_gstage_SRCS   := arch/riscv/gstage.c core/page_alloc.c arch/host/host_arch.c
test_gstage_CFLAGS := -Iarch/riscv/include
