/* SPDX-License-Identifier: GPL-2.0-only */
/** String helpers beyond C11 (not in every libc): strlcpy, number parsing, MAC addresses. */
#include <vireo/errno.h>
#include <vireo/string.h>

int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

int str_to_u64(const char *s, uint64_t *out, bool allow_suffix)
{
	uint64_t base = 10;
	uint64_t v = 0;
	bool any = false;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++) {
		int d = hex_digit_value(*s);
		if (d < 0 || (uint64_t)d >= base) {
			break;
		}
		if (v > (UINT64_MAX - (uint64_t)d) / base) {
			return VIREO_ERANGE;
		}
		v = v * base + (uint64_t)d;
		any = true;
	}
	if (!any) {
		return VIREO_EINVAL;
	}
	if (*s && allow_suffix && !s[1]) {
		unsigned int shift;
		switch (*s) {
		case 'K':
		case 'k':
			shift = 10;
			break;
		case 'M':
		case 'm':
			shift = 20;
			break;
		case 'G':
		case 'g':
			shift = 30;
			break;
		default:
			return VIREO_EINVAL;
		}
		if (v > (UINT64_MAX >> shift)) {
			return VIREO_ERANGE;
		}
		v <<= shift;
		s++;
	}
	if (*s) {
		return VIREO_EINVAL;
	}
	*out = v;
	return 0;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

char *mac_to_str(const uint8_t mac[6], char buf[MAC_STR_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned int i = 0; i < 6; i++) {
		buf[3 * i] = digits[mac[i] >> 4];
		buf[3 * i + 1] = digits[mac[i] & 0xfU];
		buf[3 * i + 2] = i < 5 ? ':' : '\0';
	}
	return buf;
}
