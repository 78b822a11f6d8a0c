# SPDX-License-Identifier: GPL-2.0-only
# The shell's line editor on arbitrary key streams.
fuzz_line_edit_SRCS := shell/line_edit.c
