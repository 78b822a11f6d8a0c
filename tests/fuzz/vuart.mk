# SPDX-License-Identifier: GPL-2.0-only
# The guest ns16550a model under fuzzed register accesses and input bytes.
fuzz_vuart_SRCS := emul/vuart.c
