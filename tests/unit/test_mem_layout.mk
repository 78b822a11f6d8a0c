# SPDX-License-Identifier: GPL-2.0-only
test_mem_layout_SRCS := core/mem_layout.c
