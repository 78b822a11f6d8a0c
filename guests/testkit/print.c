/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Console output through the SBI: DBCN console_write when the implementation offers it
 * (SBI spec v2.0, chapter 12), otherwise the legacy console_putchar (extension 0x01).
 * Only the boot hart prints, so there is no lock.
 */
#include "testkit.h"
#include "sbi.h"

static int have_dbcn = -1;

void tk_console_init(void)
{
	have_dbcn = sbi_probe(SBI_EXT_DBCN) ? 1 : 0;
}

bool tk_console_has_dbcn(void)
{
	return have_dbcn == 1;
}

void tk_console_write(const char *s, size_t len)
{
	if (have_dbcn == 1) {
		/* console_write may write fewer bytes than asked; it returns how many it wrote. */
		while (len > 0) {
			struct sbiret ret =
			    sbi_ecall(SBI_EXT_DBCN, 0, len, (unsigned long)s, 0, 0, 0);

			if (ret.error != SBI_SUCCESS || ret.value <= 0 || (size_t)ret.value > len) {
				break;
			}
			s += ret.value;
			len -= (size_t)ret.value;
		}
		if (len == 0) {
			return;
		}
	}
	for (size_t i = 0; i < len; i++) {
		sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned long)(unsigned char)s[i], 0, 0, 0,
		          0);
	}
}

struct out {
	char *buf;
	size_t size;
	size_t len; /* would-be length, may exceed size */
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void out_pad(struct out *o, char c, int count)
{
	for (int i = 0; i < count; i++) {
		out_char(o, c);
	}
}

static void out_number(struct out *o, unsigned long long v, bool negative, unsigned int base,
                       bool upper, int width, bool zero, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v != 0);
	int len = n + (negative ? 1 : 0);

	if (!left && !zero) {
		out_pad(o, ' ', width - len);
	}
	if (negative) {
		out_char(o, '-');
	}
	if (!left && zero) {
		out_pad(o, '0', width - len);
	}
	while (n > 0) {
		out_char(o, tmp[--n]);
	}
	if (left) {
		out_pad(o, ' ', width - len);
	}
}

static void out_string(struct out *o, const char *s, int width, bool left)
{
	int len = (int)strlen(s);

	if (!left) {
		out_pad(o, ' ', width - len);
	}
	while (*s != '\0') {
		out_char(o, *s++);
	}
	if (left) {
		out_pad(o, ' ', width - len);
	}
}

/* Supports %d %i %u %x %X %p %s %c %% with flags '-' and '0', a width, and h/hh/l/ll/z. */
int tk_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = {.buf = buf, .size = size, .len = 0};

	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		fmt++;
		bool left = false, zero = false;

		for (;; fmt++) {
			if (*fmt == '-') {
				left = true;
			} else if (*fmt == '0') {
				zero = true;
			} else {
				break;
			}
		}
		int width = 0;

		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9') {
			width = width * 10 + (*fmt++ - '0');
		}
		int lng = 0;

		while (*fmt == 'l' || *fmt == 'z' || *fmt == 'h') {
			lng += (*fmt == 'h') ? 0 : 1;
			fmt++;
		}
		unsigned long long u;
		long long s;

		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng > 0 ? va_arg(ap, long) : va_arg(ap, int);
			u = s < 0 ? 0ULL - (unsigned long long)s : (unsigned long long)s;
			out_number(&o, u, s < 0, 10, false, width, zero, left);
			break;
		case 'u':
		case 'x':
		case 'X':
			u = lng > 0 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			out_number(&o, u, false, *fmt == 'u' ? 10 : 16, *fmt == 'X', width, zero,
			           left);
			break;
		case 'p':
			out_string(&o, "0x", 0, false);
			out_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, width, zero,
			           left);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);

			out_string(&o, str != NULL ? str : "(null)", width, left);
			break;
		}
		case 'c':
			out_char(&o, (char)va_arg(ap, int));
			break;
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			out_char(&o, '%');
			out_char(&o, *fmt);
			break;
		}
	}
	if (size > 0) {
		o.buf[o.len < size ? o.len : size - 1] = '\0';
	}
	return (int)o.len;
}

int tk_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = tk_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void tk_printf(const char *fmt, ...)
{
	static char line[256];
	va_list ap;

	va_start(ap, fmt);
	int n = tk_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	size_t len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;

	tk_console_write(line, len);
}
