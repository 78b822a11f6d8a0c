# SPDX-License-Identifier: GPL-2.0-only
test_vplic_SRCS := emul/vplic.c
