// SPDX-License-Identifier: GPL-2.0-only
/* Small helpers shared by the init's parts: kernel command line, sysfs files, number parsing. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "init.h"

volatile int interrupted;

int read_small_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -1;
	}
	size_t len = 0;
	while (len + 1 < size) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) {
		buf[--len] = '\0';
	}
	return 0;
}

int cmdline_get(const char *key, char *buf, size_t size)
{
	char line[4096];
	if (read_small_file("/proc/cmdline", line, sizeof(line)) < 0) {
		return -1;
	}
	size_t klen = strlen(key);
	/* Parameters are space separated; the last occurrence wins, as it does for the kernel. */
	int found = -1;
	for (char *p = line; *p;) {
		while (*p == ' ') {
			p++;
		}
		char *end = p;
		while (*end && *end != ' ') {
			end++;
		}
		size_t len = (size_t)(end - p);
		if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			size_t vlen = len - klen - 1;
			if (vlen + 1 > size) {
				found = -1;
			} else {
				memcpy(buf, p + klen + 1, vlen);
				buf[vlen] = '\0';
				found = 0;
			}
		}
		p = end;
	}
	return found;
}

int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	if (!*s) {
		return -1;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return -1;
		}
		unsigned long d = (unsigned long)(*s - '0');
		if (v > (max - d) / 10) {
			return -1;
		}
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int parse_ipv4_prefix(const char *s, uint32_t *addr, unsigned *prefix)
{
	char ip[16];
	const char *slash = strchr(s, '/');
	size_t iplen = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long p = 24;

	if (iplen == 0 || iplen >= sizeof(ip)) {
		return -1;
	}
	memcpy(ip, s, iplen);
	ip[iplen] = '\0';
	struct in_addr in;
	if (inet_pton(AF_INET, ip, &in) != 1) {
		return -1;
	}
	if (slash && parse_uint(slash + 1, 32, &p) < 0) {
		return -1;
	}
	*addr = in.s_addr;
	*prefix = (unsigned)p;
	return 0;
}

uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}
