// SPDX-License-Identifier: GPL-2.0-only
/*
 * PID 1 boot sequence: file systems, console, hostname, clock, network, then the boot marker
 * and the shell. Every step that can fail prints why and carries on: a guest with a missing
 * device should still reach the prompt, and PID 1 must never exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "init.h"

static void mount_one(const char *src, const char *dir, const char *type, unsigned long flags,
                      const char *data)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, flags, data) < 0 && errno != EBUSY) {
		printf("init: mount %s on %s: %s\n", type, dir, strerror(errno));
	}
}

/* A new session with path as controlling terminal and as fds 0-2. -1 if it cannot be opened. */
static int take_tty(const char *path)
{
	setsid();
	int fd = open(path, O_RDWR);
	if (fd < 0) {
		return -1;
	}
	if (ioctl(fd, TIOCSCTTY, 0) == 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	if (fd > 2) {
		close(fd);
	}
	return 0;
}

/*
 * Cooked mode with the usual editing keys, whatever the console driver started with: the line
 * reader relies on the tty for echo and for erasing with DEL (the key most terminals send for
 * backspace); ^H is handled by the line reader itself.
 */
static void cooked_mode(void)
{
	struct termios t;
	if (tcgetattr(0, &t) == 0) {
		t.c_iflag |= ICRNL;
		t.c_iflag &= ~(tcflag_t)(INLCR | IGNCR);
		t.c_oflag |= OPOST | ONLCR;
		t.c_lflag |= ICANON | ECHO | ECHOE | ECHOK | ISIG;
		t.c_cc[VERASE] = 0x7f;
		t.c_cc[VINTR] = 0x03;
		tcsetattr(0, TCSANOW, &t);
	}
}

/*
 * The kernel opens /dev/console for us, but /dev/console never becomes a controlling terminal,
 * so ^C would not reach us. Open the tty behind it (the last name in
 * /sys/class/tty/console/active) as our controlling terminal instead, so ^C can stop a ping or
 * a sleep. If anything here fails we keep /dev/console, which still works for I/O.
 */
static void console_setup(void)
{
	char active[128], path[160];

	if (fcntl(0, F_GETFD) < 0) {
		/* No /dev/console in the initramfs: the kernel gave us no fds at all. */
		int fd = open("/dev/console", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2) {
				close(fd);
			}
		}
	}
	if (read_small_file("/sys/class/tty/console/active", active, sizeof(active)) == 0) {
		char *name = strrchr(active, ' ');
		name = name ? name + 1 : active;
		snprintf(path, sizeof(path), "/dev/%s", name);
		take_tty(path);
	}
	cooked_mode();
}

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
	/* The tty has echoed "^C"; end that line so what follows starts on its own. */
	if (write(1, "\n", 1) < 0) {
		/* Nothing to do about a failed console write. */
	}
}

static void hostname_setup(char *name, size_t size)
{
	if (cmdline_get("vireo.name", name, size) < 0 || name[0] == '\0') {
		snprintf(name, size, "linux");
	}
	/* Only characters a hostname may hold; anything else falls back to the default. */
	for (const char *p = name; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.')) {
			printf("init: vireo.name=%s is not a valid hostname, using \"linux\"\n",
			       name);
			snprintf(name, size, "linux");
			break;
		}
	}
	if (sethostname(name, strlen(name)) < 0) {
		printf("init: sethostname: %s\n", strerror(errno));
	}
}

static void network_setup(void)
{
	char spec[64];
	uint32_t addr;
	unsigned prefix;

	if (net_link_up("lo") < 0) {
		printf("net: lo: %s\n", strerror(errno));
	}
	if (cmdline_get("vireo.ip", spec, sizeof(spec)) < 0) {
		return;
	}
	if (parse_ipv4_prefix(spec, &addr, &prefix) < 0) {
		printf("net: bad vireo.ip=%s (want a.b.c.d/prefix), eth0 not configured\n", spec);
		return;
	}
	net_configure("eth0", addr, prefix);
}

/*
 * A virtio console (/dev/hvc0) that is not the kernel console gets a shell of its own in a
 * child process: its own session with hvc0 as controlling terminal. PID 1 ignores SIGCHLD so a
 * child that ends is reaped by the kernel.
 */
static void second_console(const char *hostname)
{
	char active[128];
	if (access("/dev/hvc0", F_OK) != 0 ||
	    (read_small_file("/sys/class/tty/console/active", active, sizeof(active)) == 0 &&
	     strstr(active, "hvc0") != NULL)) {
		return;
	}
	signal(SIGCHLD, SIG_IGN);
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		printf("init: fork for /dev/hvc0: %s\n", strerror(errno));
		return;
	}
	if (pid > 0) {
		return;
	}
	if (take_tty("/dev/hvc0") < 0) {
		printf("init: /dev/hvc0: %s, no shell there\n", strerror(errno));
		fflush(stdout);
		_exit(1);
	}
	cooked_mode();
	printf("VIREO-LINUX HVC0 %s\n", hostname);
	shell_run(hostname);
}

/*
 * vireo.heartbeat=<seconds>: a child prints "VIREO-LINUX HEARTBEAT <n> <uptime ms>" on the
 * console every interval, so a test can see this guest keep running while others misbehave.
 */
static void heartbeat(void)
{
	char spec[16];
	unsigned long seconds;
	if (cmdline_get("vireo.heartbeat", spec, sizeof(spec)) < 0 ||
	    parse_uint(spec, 3600, &seconds) < 0 || seconds == 0) {
		return;
	}
	signal(SIGCHLD, SIG_IGN);
	fflush(stdout);
	pid_t pid = fork();
	if (pid != 0) {
		if (pid < 0) {
			printf("init: fork for the heartbeat: %s\n", strerror(errno));
		}
		return;
	}
	for (unsigned long n = 0;; n++) {
		char line[64];
		int len = snprintf(line, sizeof(line), "VIREO-LINUX HEARTBEAT %lu %llu\n", n,
		                   (unsigned long long)(now_us() / 1000));
		/* One write per line: it never lands inside another line of the console. */
		if (write(1, line, (size_t)len) < 0) {
			_exit(1);
		}
		sleep((unsigned int)seconds);
	}
}

int main(void)
{
	char hostname[INIT_HOSTNAME_MAX + 1];

	mount_one("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mount_one("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	/* DEVTMPFS_MOUNT does not apply to an initramfs root: mount /dev ourselves. */
	mount_one("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	mount_one("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");

	console_setup();
	/* Line-buffered output to the console; the shell flushes its prompt itself. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	/* No SA_RESTART: ^C must interrupt a blocking read, poll or nanosleep. */
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	hostname_setup(hostname, sizeof(hostname));
	clock_from_rtc();
	network_setup();

	/* One write, so a kernel message cannot land in the middle of the marker. */
	char marker[128];
	int len = snprintf(marker, sizeof(marker), "VIREO-LINUX READY %s\n", hostname);
	fflush(stdout);
	if (write(1, marker, (size_t)len) < 0) {
		/* Nothing useful to do without a console; the shell will retry writing. */
	}

	second_console(hostname);
	heartbeat();
	shell_run(hostname);
}
