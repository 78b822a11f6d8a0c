/* SPDX-License-Identifier: GPL-2.0-only */
/** Freestanding basics and time conversions on the time CSR. */
#include "testkit.h"
#include "csr.h"

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n-- > 0) {
		*d++ = (unsigned char)c;
	}
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n-- > 0) {
		*d++ = *s++;
	}
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s) {
		while (n-- > 0) {
			*d++ = *s++;
		}
	} else {
		while (n-- > 0) {
			d[n] = s[n];
		}
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i]) {
			return x[i] < y[i] ? -1 : 1;
		}
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n] != '\0') {
		n++;
	}
	return n;
}

uint64_t tk_ticks_from_us(uint64_t us)
{
	/* Seconds and remainder apart, so large values neither overflow nor lose precision. */
	return us / 1000000 * tk_plat.timebase + us % 1000000 * tk_plat.timebase / 1000000;
}

uint64_t tk_us_from_ticks(uint64_t ticks)
{
	uint64_t tb = tk_plat.timebase;

	return ticks / tb * 1000000 + ticks % tb * 1000000 / tb;
}

uint64_t tk_deadline_ms(uint64_t ms)
{
	return rdtime() + tk_ticks_from_us(ms * 1000);
}

bool tk_expired(uint64_t deadline)
{
	return rdtime() >= deadline;
}
