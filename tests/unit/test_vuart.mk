# SPDX-License-Identifier: GPL-2.0-only
# The guest ns16550a model, driven through its access callback with recording callbacks.
test_vuart_SRCS := emul/vuart.c
