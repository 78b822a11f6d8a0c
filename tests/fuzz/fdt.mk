# SPDX-License-Identifier: GPL-2.0-only
# The FDT reader on arbitrary blobs.
fuzz_fdt_SRCS := lib/fdt.c lib/fdt_prop.c lib/errno.c
