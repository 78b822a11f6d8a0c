# SPDX-License-Identifier: GPL-2.0-only
# The guest PLIC model under fuzzed register accesses and interrupt line changes.
fuzz_vplic_SRCS := emul/vplic.c
