# SPDX-License-Identifier: GPL-2.0-only
test_heap_SRCS := core/heap.c arch/host/host_arch.c
