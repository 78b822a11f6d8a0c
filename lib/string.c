/* SPDX-License-Identifier: GPL-2.0-only */
/** Freestanding memory and string routines (C11 7.24 semantics). */
#include <vireo/errno.h>
#include <vireo/string.h>

/*
 * Word copies, eight words per iteration: clearing or copying guest RAM and images is a large
 * part of creating a guest, and a loop of one word per iteration spends most of its time on
 * the loop. copy_words64 for buffers of the same alignment; copy_words32 for buffers 4 bytes
 * apart (a read-only disk image served from the bundle is only 4-byte aligned, so every block
 * read from it takes that path).
 */
#define DEFINE_COPY_WORDS(name, type)                                                              \
	static void name(type *d, const type *s, size_t words)                                     \
	{                                                                                          \
		for (; words >= 8; words -= 8, d += 8, s += 8) {                                   \
			type a = s[0], b = s[1], c = s[2], e = s[3], f = s[4], g = s[5], h = s[6], \
			     i = s[7];                                                             \
			d[0] = a;                                                                  \
			d[1] = b;                                                                  \
			d[2] = c;                                                                  \
			d[3] = e;                                                                  \
			d[4] = f;                                                                  \
			d[5] = g;                                                                  \
			d[6] = h;                                                                  \
			d[7] = i;                                                                  \
		}                                                                                  \
		for (; words; words--) {                                                           \
			*d++ = *s++;                                                               \
		}                                                                                  \
	}

DEFINE_COPY_WORDS(copy_words64, uint64_t)
DEFINE_COPY_WORDS(copy_words32, uint32_t)

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
		/* Same alignment: bytes up to a word boundary, then words. */
		for (; n && ((uintptr_t)d & 7); n--) {
			*d++ = *s++;
		}
		copy_words64((uint64_t *)(void *)d, (const uint64_t *)(const void *)s, n / 8);
		d += n & ~(size_t)7;
		s += n & ~(size_t)7;
		n &= 7;
	} else if ((((uintptr_t)d ^ (uintptr_t)s) & 3) == 0) {
		/* Half a word apart (files in a cpio bundle are 4-byte aligned): 32-bit copies. */
		for (; n && ((uintptr_t)d & 3); n--) {
			*d++ = *s++;
		}
		copy_words32((uint32_t *)(void *)d, (const uint32_t *)(const void *)s, n / 4);
		d += n & ~(size_t)3;
		s += n & ~(size_t)3;
		n &= 3;
	}
	while (n--) {
		*d++ = *s++;
	}
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d == s || n == 0) {
		return dst;
	}
	if (d < s || d >= s + n) {
		return memcpy(dst, src, n);
	}
	while (n--) {
		d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	uint8_t v = (uint8_t)c;

	for (; n && ((uintptr_t)d & 7); n--) {
		*d++ = v;
	}
	uint64_t w = v * 0x0101010101010101ULL;
	uint64_t *q = (uint64_t *)(void *)d;
	for (; n >= 64; n -= 64, q += 8) {
		q[0] = w;
		q[1] = w;
		q[2] = w;
		q[3] = w;
		q[4] = w;
		q[5] = w;
		q[6] = w;
		q[7] = w;
	}
	for (; n >= 8; n -= 8) {
		*q++ = w;
	}
	d = (uint8_t *)q;
	while (n--) {
		*d++ = v;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a;
	const uint8_t *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i]) {
			return x[i] < y[i] ? -1 : 1;
		}
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const uint8_t *p = s;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == (uint8_t)c) {
			return (void *)(uintptr_t)(p + i);
		}
	}
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n]) {
		n++;
	}
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n]) {
		n++;
	}
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || !a[i]) {
			return (unsigned char)a[i] - (unsigned char)b[i];
		}
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c) {
			return (char *)(uintptr_t)s;
		}
		if (!*s) {
			return NULL;
		}
	}
}
