/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Formatted output into buffers (lib/printf.c). Supports %d %i %u %x %X %o %c %s %p %% with the
 * flags '-', '0', ' ', '+', a width and precision (also '*'), and the length modifiers hh h l
 * ll z t j. Output is always NUL-terminated when size > 0; the return value is the length the
 * full output would have had.
 */
#ifndef VIREO_PRINTF_H
#define VIREO_PRINTF_H

#include <stdarg.h>
#include <vireo/compiler.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__printf_like(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);

#endif
