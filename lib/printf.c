/* SPDX-License-Identifier: GPL-2.0-only */
/** A small vsnprintf for the hypervisor (C11 7.21.6.1 subset, see vireo/printf.h). */
#include <vireo/printf.h>
#include <vireo/string.h>

struct out {
	char *buf;
	size_t size;
	size_t pos;
};

static void put(struct out *o, char c)
{
	if (o->pos + 1 < o->size) {
		o->buf[o->pos] = c;
	}
	o->pos++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0) {
		put(o, c);
	}
}

struct spec {
	bool left;
	bool zero;
	char sign; /* '+', ' ' or 0 */
	int width;
	int prec; /* -1: none */
};

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	size_t len = sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s);
	int fill = sp->width - (int)len;

	if (!sp->left) {
		pad(o, ' ', fill);
	}
	for (size_t i = 0; i < len; i++) {
		put(o, s[i]);
	}
	if (sp->left) {
		pad(o, ' ', fill);
	}
}

static void put_num(struct out *o, uint64_t v, bool negative, unsigned int base, bool upper,
                    const struct spec *sp, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->prec == 0 && n == 1 && tmp[0] == '0') {
		n = 0;
	}

	char sign = negative ? '-' : sp->sign;
	int plen = (int)strlen(prefix) + (sign ? 1 : 0);
	int zeros = sp->prec > n ? sp->prec - n : 0;
	int fill = sp->width - plen - zeros - n;

	if (sp->zero && !sp->left && sp->prec < 0 && fill > 0) {
		zeros += fill;
		fill = 0;
	}
	if (!sp->left) {
		pad(o, ' ', fill);
	}
	if (sign) {
		put(o, sign);
	}
	for (; *prefix; prefix++) {
		put(o, *prefix);
	}
	pad(o, '0', zeros);
	while (n) {
		put(o, tmp[--n]);
	}
	if (sp->left) {
		pad(o, ' ', fill);
	}
}

static int parse_int(const char **fmt)
{
	int v = 0;
	while (**fmt >= '0' && **fmt <= '9') {
		if (v < 100000) {
			v = v * 10 + (**fmt - '0');
		}
		(*fmt)++;
	}
	return v;
}

static uint64_t get_unsigned(va_list *ap, int lmod)
{
	switch (lmod) {
	case 'H':
		return (unsigned char)va_arg(*ap, unsigned int);
	case 'h':
		return (unsigned short)va_arg(*ap, unsigned int);
	case 'l':
		return va_arg(*ap, unsigned long);
	case 'q':
		return va_arg(*ap, unsigned long long);
	case 'z':
		return va_arg(*ap, size_t);
	case 't':
		return (uint64_t)va_arg(*ap, ptrdiff_t);
	case 'j':
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static int64_t get_signed(va_list *ap, int lmod)
{
	switch (lmod) {
	case 'H':
		return (signed char)va_arg(*ap, int);
	case 'h':
		return (short)va_arg(*ap, int);
	case 'l':
		return va_arg(*ap, long);
	case 'q':
		return va_arg(*ap, long long);
	case 'z':
		return (int64_t)va_arg(*ap, size_t);
	case 't':
		return va_arg(*ap, ptrdiff_t);
	case 'j':
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static int parse_length(const char **fmt)
{
	int lmod = 0;
	switch (**fmt) {
	case 'h':
		(*fmt)++;
		lmod = 'h';
		if (**fmt == 'h') {
			(*fmt)++;
			lmod = 'H';
		}
		break;
	case 'l':
		(*fmt)++;
		lmod = 'l';
		if (**fmt == 'l') {
			(*fmt)++;
			lmod = 'q';
		}
		break;
	case 'z':
	case 't':
	case 'j':
		lmod = **fmt;
		(*fmt)++;
		break;
	default:
		break;
	}
	return lmod;
}

static void parse_spec(const char **fmt, va_list *ap, struct spec *sp)
{
	*sp = (struct spec){.prec = -1};
	for (;; (*fmt)++) {
		if (**fmt == '-') {
			sp->left = true;
		} else if (**fmt == '0') {
			sp->zero = true;
		} else if (**fmt == '+' || (**fmt == ' ' && sp->sign != '+')) {
			sp->sign = **fmt;
		} else {
			break;
		}
	}
	if (**fmt == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		(*fmt)++;
	} else {
		sp->width = parse_int(fmt);
	}
	if (**fmt == '.') {
		(*fmt)++;
		if (**fmt == '*') {
			sp->prec = va_arg(*ap, int);
			(*fmt)++;
		} else {
			sp->prec = parse_int(fmt);
		}
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = {.buf = buf, .size = size, .pos = 0};
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;
		struct spec sp;
		parse_spec(&fmt, &ap, &sp);
		int lmod = parse_length(&fmt);
		char conv = *fmt;
		if (conv) {
			fmt++;
		}
		switch (conv) {
		case 'd':
		case 'i': {
			int64_t v = get_signed(&ap, lmod);
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			put_num(&o, mag, v < 0, 10, false, &sp, "");
			break;
		}
		case 'u':
			sp.sign = 0;
			put_num(&o, get_unsigned(&ap, lmod), false, 10, false, &sp, "");
			break;
		case 'x':
		case 'X':
			sp.sign = 0;
			put_num(&o, get_unsigned(&ap, lmod), false, 16, conv == 'X', &sp, "");
			break;
		case 'o':
			sp.sign = 0;
			put_num(&o, get_unsigned(&ap, lmod), false, 8, false, &sp, "");
			break;
		case 'p':
			sp.sign = 0;
			put_num(&o, (uintptr_t)va_arg(ap, void *), false, 16, false, &sp, "0x");
			break;
		case 'c': {
			char c[2] = {(char)va_arg(ap, int), 0};
			sp.prec = 1;
			put_str(&o, c, &sp);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			put_str(&o, s ? s : "(null)", &sp);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			/* Unknown conversion: print it verbatim so the mistake is visible. */
			put(&o, '%');
			if (conv) {
				put(&o, conv);
			}
			break;
		}
	}
	va_end(ap);
	if (size) {
		o.buf[o.pos < size ? o.pos : size - 1] = '\0';
	}
	return o.pos > INT32_MAX ? INT32_MAX : (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
