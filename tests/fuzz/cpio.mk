# SPDX-License-Identifier: GPL-2.0-only
# The bundle's cpio reader on arbitrary archives.
fuzz_cpio_SRCS := lib/cpio.c lib/strutil.c
