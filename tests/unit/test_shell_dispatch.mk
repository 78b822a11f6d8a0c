# SPDX-License-Identifier: GPL-2.0-only
test_shell_dispatch_SRCS := shell/dispatch.c
