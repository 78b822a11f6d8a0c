# SPDX-License-Identifier: GPL-2.0-only
# The shell's command splitting, argument parsing and kernel command line lookup.
fuzz_shell_parse_SRCS := shell/parse.c
