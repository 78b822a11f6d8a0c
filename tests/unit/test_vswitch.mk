# SPDX-License-Identifier: GPL-2.0-only
# Learning switches: forwarding, ageing, the address table, the registry.
test_vswitch_SRCS := core/vswitch.c lib/strutil.c arch/host/host_arch.c
