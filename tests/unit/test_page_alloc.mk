# SPDX-License-Identifier: GPL-2.0-only
test_page_alloc_SRCS := core/page_alloc.c arch/host/host_arch.c
