# SPDX-License-Identifier: GPL-2.0-only
# lib/printf.c defines vsnprintf/snprintf: rename ours so libc's stay untouched in the test.
test_lib_SRCS   := lib/printf.c lib/strutil.c core/clock.c arch/host/host_timer.c
test_lib_CFLAGS := -fno-builtin -Dvsnprintf=vireo_vsnprintf -Dsnprintf=vireo_snprintf
