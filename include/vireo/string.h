/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The freestanding string and memory routines (lib/string.c). They keep the standard C names
 * because the compiler emits calls to memcpy/memset itself; host unit tests link libc's instead.
 */
#ifndef VIREO_STRING_H
#define VIREO_STRING_H

#include <vireo/types.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);

/** Copies at most size-1 bytes of src into dst and always NUL-terminates; returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/** Value of a hexadecimal digit (0-9, a-f, A-F), or -1. */
int hex_digit_value(char c);

/**
 * Parses an unsigned integer in base 10, or base 16 with a 0x prefix, optionally followed by a
 * K/M/G suffix when allow_suffix is set. Returns 0, or VIREO_EINVAL / VIREO_ERANGE.
 */
int str_to_u64(const char *s, uint64_t *out, bool allow_suffix);

#define MAC_STR_SIZE 18U /**< "xx:xx:xx:xx:xx:xx" and its NUL */

/** Writes the 6-byte MAC address mac as lower-case "xx:xx:xx:xx:xx:xx" into buf; returns buf. */
char *mac_to_str(const uint8_t mac[6], char buf[MAC_STR_SIZE]);

#endif
