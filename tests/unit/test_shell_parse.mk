# SPDX-License-Identifier: GPL-2.0-only
test_shell_parse_SRCS := shell/parse.c
