// SPDX-License-Identifier: GPL-2.0-only
/*
 * ping: ICMP echo (RFC 792) over a raw IPv4 socket. One probe a second (-i: another interval,
 * down to 0 for back-to-back probes); each waits up to a second for its reply. Exit status 0
 * when at least one reply came back.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/icmp.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "init.h"

#define PING_DATA_LEN      56
#define PING_TIMEOUT_US    1000000u
#define PING_INTERVAL_MS   1000u
#define PING_DEFAULT_COUNT 4
#define PING_MAX_COUNT     100000

struct echo_packet {
	struct icmphdr hdr;
	uint8_t data[PING_DATA_LEN];
};

/* RFC 1071: one's complement of the one's complement sum of 16-bit words. */
static uint16_t inet_checksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t sum = 0;
	for (; len > 1; p += 2, len -= 2) {
		sum += (uint32_t)(p[0] << 8 | p[1]);
	}
	if (len) {
		sum += (uint32_t)(p[0] << 8);
	}
	while (sum >> 16) {
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return htons((uint16_t)~sum);
}

/*
 * Wait until `deadline` for the echo reply to (id, seq). Returns 1 with ttl set on a reply,
 * 0 on timeout, -1 on interrupt or error.
 */
static int wait_reply(int s, uint16_t id, uint16_t seq, uint32_t from, uint64_t deadline, int *ttl)
{
	uint8_t buf[1500];
	for (;;) {
		uint64_t now = now_us();
		if (now >= deadline) {
			return 0;
		}
		struct pollfd pfd = {.fd = s, .events = POLLIN};
		int r = poll(&pfd, 1, (int)((deadline - now + 999) / 1000));
		if (r < 0) {
			if (errno == EINTR && !interrupted) {
				continue;
			}
			return -1;
		}
		if (r == 0) {
			continue;
		}
		struct sockaddr_in src;
		socklen_t srclen = sizeof(src);
		ssize_t n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&src, &srclen);
		if (n < 0) {
			if (errno == EINTR && !interrupted) {
				continue;
			}
			return -1;
		}
		/* Raw IPv4 sockets deliver the IP header too; skip it by its IHL. */
		if (n < 20) {
			continue;
		}
		size_t ihl = (size_t)(buf[0] & 0x0f) * 4;
		if ((size_t)n < ihl + sizeof(struct icmphdr)) {
			continue;
		}
		struct icmphdr h;
		memcpy(&h, buf + ihl, sizeof(h));
		if (h.type != ICMP_ECHOREPLY || ntohs(h.un.echo.id) != id ||
		    ntohs(h.un.echo.sequence) != seq || src.sin_addr.s_addr != from) {
			continue;
		}
		*ttl = buf[8];
		return 1;
	}
}

static int usage(void)
{
	printf("ping: usage: ping [-c N] [-i ms] <a.b.c.d>\n");
	return 2;
}

int cmd_ping(int argc, char **argv)
{
	unsigned long count = PING_DEFAULT_COUNT;
	unsigned long interval_ms = PING_INTERVAL_MS;
	const char *target = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0) {
			if (i + 1 >= argc || parse_uint(argv[i + 1], PING_MAX_COUNT, &count) < 0 ||
			    count == 0) {
				return usage();
			}
			i++;
		} else if (strcmp(argv[i], "-i") == 0) {
			if (i + 1 >= argc ||
			    parse_uint(argv[i + 1], PING_INTERVAL_MS, &interval_ms) < 0) {
				return usage();
			}
			i++;
		} else if (!target) {
			target = argv[i];
		} else {
			return usage();
		}
	}
	if (!target) {
		return usage();
	}
	struct sockaddr_in dst;
	memset(&dst, 0, sizeof(dst));
	dst.sin_family = AF_INET;
	if (inet_pton(AF_INET, target, &dst.sin_addr) != 1) {
		printf("ping: bad address '%s'\n", target);
		return 2;
	}

	int s = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (s < 0) {
		printf("ping: socket: %s\n", strerror(errno));
		return 1;
	}
	/* Only echo replies: a raw socket otherwise also sees our own requests to local
	 * addresses and every other ICMP message. */
	struct icmp_filter filter = {.data = ~(1u << ICMP_ECHOREPLY)};
	setsockopt(s, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));

	/* Distinguishes this run's replies from late replies to an earlier ping. */
	static uint16_t run;
	uint16_t id = (uint16_t)(0x5600 + ++run);
	unsigned long sent = 0, received = 0;
	uint64_t rtt_min = UINT64_MAX, rtt_max = 0, rtt_sum = 0;
	int status = 1;

	printf("PING %s: %d data bytes\n", target, PING_DATA_LEN);
	for (unsigned long seq = 1; seq <= count && !interrupted; seq++) {
		struct echo_packet pkt;
		memset(&pkt, 0, sizeof(pkt));
		pkt.hdr.type = ICMP_ECHO;
		pkt.hdr.un.echo.id = htons(id);
		pkt.hdr.un.echo.sequence = htons((uint16_t)seq);
		for (size_t i = 0; i < PING_DATA_LEN; i++) {
			pkt.data[i] = (uint8_t)(i + seq);
		}
		pkt.hdr.checksum = inet_checksum(&pkt, sizeof(pkt));

		uint64_t t0 = now_us();
		if (sendto(s, &pkt, sizeof(pkt), 0, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
			printf("ping: sendto %s: %s\n", target, strerror(errno));
		} else {
			sent++;
			int ttl = 0;
			int r = wait_reply(s, id, (uint16_t)seq, dst.sin_addr.s_addr,
			                   t0 + PING_TIMEOUT_US, &ttl);
			uint64_t rtt = now_us() - t0;
			if (r == 1) {
				received++;
				rtt_sum += rtt;
				rtt_min = rtt < rtt_min ? rtt : rtt_min;
				rtt_max = rtt > rtt_max ? rtt : rtt_max;
				printf(
				    "%zu bytes from %s: icmp_seq=%lu ttl=%d time=%llu.%03llu ms\n",
				    sizeof(pkt), target, seq, ttl, (unsigned long long)(rtt / 1000),
				    (unsigned long long)(rtt % 1000));
			} else if (r == 0) {
				printf("no reply from %s: icmp_seq=%lu timeout\n", target, seq);
			} else if (!interrupted) {
				printf("ping: receive: %s\n", strerror(errno));
			}
		}
		/* The next probe an interval after this one was sent. */
		if (seq < count && !interrupted) {
			uint64_t next = t0 + interval_ms * 1000u, now = now_us();
			if (next > now) {
				struct timespec ts = {.tv_sec = (time_t)((next - now) / 1000000u),
				                      .tv_nsec =
				                          (long)((next - now) % 1000000u) * 1000};
				nanosleep(&ts, NULL);
			}
		}
	}
	close(s);

	printf("--- %s ping statistics ---\n", target);
	printf("%lu packets transmitted, %lu received, %lu%% packet loss\n", sent, received,
	       sent ? (sent - received) * 100 / sent : 0);
	if (received) {
		printf("rtt min/avg/max = %llu.%03llu/%llu.%03llu/%llu.%03llu ms\n",
		       (unsigned long long)(rtt_min / 1000), (unsigned long long)(rtt_min % 1000),
		       (unsigned long long)(rtt_sum / received / 1000),
		       (unsigned long long)(rtt_sum / received % 1000),
		       (unsigned long long)(rtt_max / 1000), (unsigned long long)(rtt_max % 1000));
		status = 0;
	}
	return status;
}
