// SPDX-License-Identifier: GPL-2.0-only
/* System commands: the clock (and setting it from the RTC at boot), uname, dmesg, sleep, and
 * poweroff/reboot. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/rtc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "init.h"

static void format_utc(time_t t, char *buf, size_t size)
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0) {
		snprintf(buf, size, "@%lld", (long long)t);
	}
}

/*
 * RTC_HCTOSYS normally sets the clock before we run; reading the RTC again costs nothing and
 * keeps the clock right on a kernel built without it. The RTC keeps UTC (QEMU's goldfish RTC
 * starts at the host's UTC time).
 */
void clock_from_rtc(void)
{
	char text[64];
	struct rtc_time rt;
	int fd = open("/dev/rtc0", O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		format_utc(time(NULL), text, sizeof(text));
		printf("clock: no /dev/rtc0 (%s), system time %s\n", strerror(errno), text);
		return;
	}
	memset(&rt, 0, sizeof(rt));
	int r = ioctl(fd, RTC_RD_TIME, &rt);
	int err = errno;
	close(fd);
	if (r < 0) {
		printf("clock: RTC_RD_TIME: %s\n", strerror(err));
		return;
	}
	struct tm tm = {
	    .tm_sec = rt.tm_sec,
	    .tm_min = rt.tm_min,
	    .tm_hour = rt.tm_hour,
	    .tm_mday = rt.tm_mday,
	    .tm_mon = rt.tm_mon,
	    .tm_year = rt.tm_year,
	};
	struct timespec ts = {.tv_sec = timegm(&tm), .tv_nsec = 0};
	if (clock_settime(CLOCK_REALTIME, &ts) < 0) {
		printf("clock: clock_settime: %s\n", strerror(errno));
		return;
	}
	format_utc(ts.tv_sec, text, sizeof(text));
	printf("clock: %s from /dev/rtc0\n", text);
}

int cmd_date(int argc, char **argv)
{
	char text[64];
	(void)argc;
	(void)argv;
	format_utc(time(NULL), text, sizeof(text));
	printf("%s\n", text);
	return 0;
}

int cmd_uname(int argc, char **argv)
{
	struct utsname u;
	(void)argc;
	(void)argv;
	if (uname(&u) < 0) {
		printf("uname: %s\n", strerror(errno));
		return 1;
	}
	printf("%s %s %s %s %s\n", u.sysname, u.nodename, u.release, u.version, u.machine);
	return 0;
}

int cmd_dmesg(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int size = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	if (size <= 0) {
		size = 1 << 17;
	}
	char *buf = malloc((size_t)size);
	if (!buf) {
		printf("dmesg: out of memory\n");
		return 1;
	}
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, size);
	if (n < 0) {
		printf("dmesg: %s\n", strerror(errno));
		free(buf);
		return 1;
	}
	/* Drop the "<level>" prefix of each record; the rest is what the console showed. */
	int start_of_line = 1;
	for (int i = 0; i < n; i++) {
		if (start_of_line && buf[i] == '<') {
			int j = i + 1;
			while (j < n && buf[j] >= '0' && buf[j] <= '9') {
				j++;
			}
			if (j < n && buf[j] == '>') {
				i = j;
				start_of_line = 0;
				continue;
			}
		}
		putchar(buf[i]);
		start_of_line = (buf[i] == '\n');
	}
	free(buf);
	return 0;
}

int cmd_sleep(int argc, char **argv)
{
	unsigned long secs;
	if (argc != 2 || parse_uint(argv[1], 86400, &secs) < 0) {
		printf("sleep: usage: sleep <seconds 0..86400>\n");
		return 2;
	}
	struct timespec left = {.tv_sec = (time_t)secs, .tv_nsec = 0};
	while (nanosleep(&left, &left) < 0) {
		if (errno != EINTR || interrupted) {
			printf("sleep: interrupted\n");
			return 1;
		}
	}
	return 0;
}

static int power(const char *what, int how)
{
	printf("%s: syncing\n", what);
	fflush(stdout);
	sync();
	reboot(how);
	/* Only reached when the kernel has no way to do it (no syscon/SBI reset driver). */
	printf("%s: %s\n", what, strerror(errno));
	return 1;
}

int cmd_poweroff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return power("poweroff", RB_POWER_OFF);
}

int cmd_reboot(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return power("reboot", RB_AUTOBOOT);
}
