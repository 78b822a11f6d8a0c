# SPDX-License-Identifier: GPL-2.0-only
test_line_edit_SRCS := shell/line_edit.c
