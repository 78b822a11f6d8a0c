// SPDX-License-Identifier: GPL-2.0-only
/* Interface setup with the classic SIOCSIF* ioctls, and the `ip`/`ifconfig` command. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "init.h"

static int ifreq_socket(const char *ifname, struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	if (strlen(ifname) >= sizeof(ifr->ifr_name)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(ifr->ifr_name, ifname);
	return socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

int net_link_up(const char *ifname)
{
	struct ifreq ifr;
	int s = ifreq_socket(ifname, &ifr);
	if (s < 0) {
		return -1;
	}
	int r = ioctl(s, SIOCGIFFLAGS, &ifr);
	if (r == 0) {
		ifr.ifr_flags |= IFF_UP;
		r = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	int err = errno;
	close(s);
	errno = err;
	return r;
}

static void set_sin(struct sockaddr *sa, uint32_t addr)
{
	struct sockaddr_in sin;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = addr;
	memcpy(sa, &sin, sizeof(sin));
}

static uint32_t prefix_mask(unsigned prefix)
{
	return htonl(prefix == 0 ? 0 : 0xffffffffu << (32 - prefix));
}

int net_configure(const char *ifname, uint32_t addr, unsigned prefix)
{
	struct ifreq ifr;
	char text[INET_ADDRSTRLEN];
	const char *step = "socket";
	int s = ifreq_socket(ifname, &ifr);

	inet_ntop(AF_INET, &addr, text, sizeof(text));
	if (s < 0) {
		goto fail;
	}
	step = "SIOCGIFFLAGS";
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		if (errno == ENODEV) {
			printf("net: %s missing, %s/%u not configured\n", ifname, text, prefix);
			close(s);
			return -1;
		}
		goto fail;
	}
	/* The address first: setting it resets the netmask to the class default. */
	step = "SIOCSIFADDR";
	set_sin(&ifr.ifr_addr, addr);
	if (ioctl(s, SIOCSIFADDR, &ifr) < 0) {
		goto fail;
	}
	step = "SIOCSIFNETMASK";
	set_sin(&ifr.ifr_netmask, prefix_mask(prefix));
	if (ioctl(s, SIOCSIFNETMASK, &ifr) < 0) {
		goto fail;
	}
	step = "SIOCSIFFLAGS";
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		goto fail;
	}
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
		goto fail;
	}
	close(s);
	printf("net: %s up, address %s/%u\n", ifname, text, prefix);
	return 0;

fail:;
	int err = errno;
	if (s >= 0) {
		close(s);
	}
	printf("net: %s: %s: %s\n", ifname, step, strerror(err));
	return -1;
}

static unsigned mask_prefix(uint32_t mask_be)
{
	uint32_t m = ntohl(mask_be);
	unsigned n = 0;
	while (m & 0x80000000u) {
		n++;
		m <<= 1;
	}
	return n;
}

static void show_interface(int s, const char *name)
{
	struct ifreq ifr;
	char path[128], value[64];

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	int flags = ioctl(s, SIOCGIFFLAGS, &ifr) == 0 ? ifr.ifr_flags : 0;
	int mtu = ioctl(s, SIOCGIFMTU, &ifr) == 0 ? ifr.ifr_mtu : 0;
	printf("%s: %s%s mtu %d\n", name, flags & IFF_UP ? "UP" : "DOWN",
	       flags & IFF_RUNNING ? ",RUNNING" : "", mtu);

	snprintf(path, sizeof(path), "/sys/class/net/%s/address", name);
	if (read_small_file(path, value, sizeof(value)) == 0) {
		printf("    ether %s\n", value);
	}
	if (ioctl(s, SIOCGIFADDR, &ifr) == 0) {
		struct sockaddr_in a, m;
		memcpy(&a, &ifr.ifr_addr, sizeof(a));
		char text[INET_ADDRSTRLEN];
		inet_ntop(AF_INET, &a.sin_addr, text, sizeof(text));
		unsigned prefix = 32;
		if (ioctl(s, SIOCGIFNETMASK, &ifr) == 0) {
			memcpy(&m, &ifr.ifr_netmask, sizeof(m));
			prefix = mask_prefix(m.sin_addr.s_addr);
		}
		printf("    inet %s/%u\n", text, prefix);
	} else {
		printf("    inet none\n");
	}

	static const char *const counters[] = {"rx_packets", "rx_bytes",  "tx_packets",
	                                       "tx_bytes",   "rx_errors", "tx_errors"};
	printf("   ");
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", name, counters[i]);
		if (read_small_file(path, value, sizeof(value)) < 0) {
			snprintf(value, sizeof(value), "?");
		}
		printf(" %s %s", counters[i], value);
	}
	printf("\n");
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_ip(int argc, char **argv)
{
	if (argc == 3) {
		uint32_t addr;
		unsigned prefix;
		if (parse_ipv4_prefix(argv[2], &addr, &prefix) < 0) {
			printf("%s: bad address '%s' (want a.b.c.d/prefix)\n", argv[0], argv[2]);
			return 2;
		}
		return net_configure(argv[1], addr, prefix) == 0 ? 0 : 1;
	}
	if (argc != 1) {
		printf("%s: usage: %s [<if> <a.b.c.d/prefix>]\n", argv[0], argv[0]);
		return 2;
	}

	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0) {
		printf("%s: socket: %s\n", argv[0], strerror(errno));
		return 1;
	}
	DIR *d = opendir("/sys/class/net");
	if (!d) {
		printf("%s: /sys/class/net: %s\n", argv[0], strerror(errno));
		close(s);
		return 1;
	}
	/* Sorted, so the output is the same from boot to boot (eth0 before lo). */
	char *names[32];
	size_t count = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && count < sizeof(names) / sizeof(names[0])) {
		if (e->d_name[0] != '.') {
			names[count] = strdup(e->d_name);
			if (names[count]) {
				count++;
			}
		}
	}
	closedir(d);
	qsort(names, count, sizeof(names[0]), compare_names);
	for (size_t i = 0; i < count; i++) {
		show_interface(s, names[i]);
		free(names[i]);
	}
	close(s);
	return 0;
}
