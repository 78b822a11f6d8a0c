// SPDX-License-Identifier: GPL-2.0-only
/*
 * The console shell: line reading, splitting into words, the command table and `help`.
 *
 * The console is in canonical (cooked) mode, so the tty echoes and handles DEL as erase; we
 * still apply ^H/DEL found in a line (a terminal that sends ^H, or input that is not a tty)
 * and read in chunks, so several lines arriving at once are handled one by one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "init.h"

#define LINE_MAX_LEN 512
#define ARGS_MAX     32

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
	const char *help;
};

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
    {"help", cmd_help, "help", "this list"},
    {"ls", cmd_ls, "ls [path]...", "list a directory (default /)"},
    {"cat", cmd_cat, "cat <file>...", "print files"},
    {"echo", cmd_echo, "echo [word]...", "print the words; $? is the last exit status"},
    {"ip", cmd_ip, "ip [<if> <a.b.c.d/prefix>]",
     "show interfaces (address, MAC, counters), or configure one and bring it up"},
    {"ifconfig", cmd_ip, "ifconfig", "same as ip"},
    {"ping", cmd_ping, "ping [-c N] [-i ms] <a.b.c.d>",
     "ICMP echo, 1 s (or ms) apart, 1 s timeout (N=4)"},
    {"blkcheck", cmd_blkcheck, "blkcheck <dev> [rounds]",
     "write, read back and compare test sectors; DESTROYS data on <dev>"},
    {"hexdump", cmd_hexdump, "hexdump <file> [bytes]", "first bytes of a file in hex (64)"},
    {"date", cmd_date, "date", "system time (UTC), set from the RTC at boot"},
    {"uname", cmd_uname, "uname", "kernel name, host, release, version, machine"},
    {"dmesg", cmd_dmesg, "dmesg", "kernel log"},
    {"sleep", cmd_sleep, "sleep <seconds>", "wait (^C stops it)"},
    {"poweroff", cmd_poweroff, "poweroff", "sync and power the machine off"},
    {"reboot", cmd_reboot, "reboot", "sync and reboot"},
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < COMMAND_COUNT; i++) {
		printf("  %-28s %s\n", commands[i].usage, commands[i].help);
	}
	return 0;
}

/* ---- reading lines ----------------------------------------------------------------------- */

static char inbuf[LINE_MAX_LEN * 2];
static size_t inlen;
/* Set while skipping the rest of an over-long line, up to its newline. */
static int discarding;

/*
 * Next input line into `line` (NUL-terminated, without the newline, editing keys applied).
 * Returns 1 for a line, 0 when interrupted, at end of input or after a line too long to take
 * (the caller just prompts again).
 */
static int read_line(char *line, size_t size)
{
	for (;;) {
		char *nl = memchr(inbuf, '\n', inlen);
		if (!nl && inlen == sizeof(inbuf)) {
			/* Longer than the buffer: drop it rather than run its pieces as commands. */
			discarding = 1;
			inlen = 0;
		}
		if (nl) {
			size_t used = (size_t)(nl - inbuf) + 1;
			size_t out = 0;
			int too_long = discarding;
			for (size_t i = 0; i < used - 1; i++) {
				char c = inbuf[i];
				if (c == '\b' || c == 0x7f) {
					if (out > 0) {
						out--;
					}
				} else if (c == '\r') {
					continue;
				} else if (out + 1 < size) {
					line[out++] = c;
				} else {
					too_long = 1;
				}
			}
			line[out] = '\0';
			memmove(inbuf, inbuf + used, inlen - used);
			inlen -= used;
			discarding = 0;
			if (too_long) {
				printf("sh: line too long, ignored\n");
				return 0;
			}
			return 1;
		}
		ssize_t n = read(0, inbuf + inlen, sizeof(inbuf) - inlen);
		if (n > 0) {
			inlen += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR) {
			/* ^C: the tty already dropped the partial line; the handler ended it. */
			inlen = 0;
			discarding = 0;
			return 0;
		}
		if (n == 0 && inlen > 0) {
			/* ^D after some text: take the text as the line. */
			inbuf[inlen++] = '\n';
			continue;
		}
		/* ^D on an empty line, or a console error: do not spin on it. */
		if (n < 0) {
			sleep(1);
		}
		printf("\n");
		return 0;
	}
}

/* ---- words and dispatch ------------------------------------------------------------------ */

/*
 * Split in place on blanks; '...' and "..." group words. `$?` as a whole word becomes the last
 * exit status (status_buf holds its text). Returns the word count, or -1 on a missing quote.
 */
static int split_words(char *line, char **argv, int max, char *status_buf)
{
	int argc = 0;
	char *r = line;

	for (;;) {
		while (*r == ' ' || *r == '\t') {
			r++;
		}
		if (!*r) {
			break;
		}
		if (argc == max) {
			return -2;
		}
		char *w = r, *start = r;
		while (*r && *r != ' ' && *r != '\t') {
			if (*r == '\'' || *r == '"') {
				char q = *r++;
				while (*r && *r != q) {
					*w++ = *r++;
				}
				if (!*r) {
					return -1;
				}
				r++;
			} else {
				*w++ = *r++;
			}
		}
		int at_end = (*r == '\0');
		*w = '\0';
		argv[argc++] = strcmp(start, "$?") == 0 ? status_buf : start;
		if (at_end) {
			break;
		}
		r++;
	}
	argv[argc] = NULL;
	return argc;
}

/*
 * A fault in a command (a bug of ours) must not kill PID 1, which would panic the kernel:
 * report it and go back to the prompt.
 */
static sigjmp_buf command_jmp;
static volatile sig_atomic_t in_command;

static void on_fault(int sig)
{
	if (!in_command) {
		signal(sig, SIG_DFL);
		return;
	}
	siglongjmp(command_jmp, sig);
}

static void install_fault_handlers(void)
{
	static const int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sa.sa_flags = SA_NODEFER;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
	}
}

static int run_command(int argc, char **argv)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++) {
		if (strcmp(argv[0], commands[i].name) == 0) {
			return commands[i].run(argc, argv);
		}
	}
	printf("%s: command not found\n", argv[0]);
	return 127;
}

/* run_command, with a fault inside it turned into an error status (see on_fault). */
static int run_guarded(int argc, char **argv)
{
	int sig = sigsetjmp(command_jmp, 1);
	if (sig != 0) {
		in_command = 0;
		printf("\nsh: %s crashed (signal %d), back to the prompt\n", argv[0], sig);
		return 128 + sig;
	}
	in_command = 1;
	int status = run_command(argc, argv);
	in_command = 0;
	return status;
}

void shell_run(const char *hostname)
{
	char line[LINE_MAX_LEN];
	char *argv[ARGS_MAX + 1];
	char status_buf[16];
	int status = 0;

	install_fault_handlers();
	for (;;) {
		printf("%s# ", hostname);
		fflush(stdout);
		interrupted = 0;
		if (!read_line(line, sizeof(line))) {
			continue;
		}
		snprintf(status_buf, sizeof(status_buf), "%d", status);
		int argc = split_words(line, argv, ARGS_MAX, status_buf);
		if (argc == -1) {
			printf("sh: missing closing quote\n");
			status = 2;
			continue;
		}
		if (argc == -2) {
			printf("sh: too many words (at most %d)\n", ARGS_MAX);
			status = 2;
			continue;
		}
		if (argc == 0) {
			continue;
		}
		status = run_guarded(argc, argv);
		fflush(stdout);
	}
}
