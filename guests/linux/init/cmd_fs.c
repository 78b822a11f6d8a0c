// SPDX-License-Identifier: GPL-2.0-only
/* File commands: ls, cat, echo. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "init.h"

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One entry per line, sorted; directories end in '/', symlinks in '@', devices show major:minor
 * so /dev can be checked from the console. */
static void print_entry(int dirfd, const char *name)
{
	struct stat st;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		printf("%s\n", name);
		return;
	}
	switch (st.st_mode & S_IFMT) {
	case S_IFDIR:
		printf("%s/\n", name);
		break;
	case S_IFLNK:
		printf("%s@\n", name);
		break;
	case S_IFBLK:
	case S_IFCHR:
		printf("%s (%c %u:%u)\n", name, S_ISBLK(st.st_mode) ? 'b' : 'c', major(st.st_rdev),
		       minor(st.st_rdev));
		break;
	default:
		printf("%s\n", name);
		break;
	}
}

static int ls_one(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0) {
		printf("ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		print_entry(AT_FDCWD, path);
		return 0;
	}
	DIR *d = opendir(path);
	if (!d) {
		printf("ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	char **names = NULL;
	size_t count = 0, cap = 0;
	int status = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
			continue;
		}
		if (count == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **n = realloc(names, ncap * sizeof(*names));
			if (!n) {
				printf("ls: %s: out of memory\n", path);
				status = 1;
				goto out;
			}
			names = n;
			cap = ncap;
		}
		names[count] = strdup(e->d_name);
		if (!names[count]) {
			printf("ls: %s: out of memory\n", path);
			status = 1;
			goto out;
		}
		count++;
	}
	qsort(names, count, sizeof(*names), compare_names);
	for (size_t i = 0; i < count; i++) {
		print_entry(dirfd(d), names[i]);
	}
out:
	for (size_t i = 0; i < count; i++) {
		free(names[i]);
	}
	free(names);
	closedir(d);
	return status;
}

int cmd_ls(int argc, char **argv)
{
	if (argc < 2) {
		return ls_one("/");
	}
	int status = 0;
	for (int i = 1; i < argc; i++) {
		if (argc > 2) {
			printf("%s:\n", argv[i]);
		}
		status |= ls_one(argv[i]);
	}
	return status;
}

int cmd_cat(int argc, char **argv)
{
	char buf[4096];
	int status = 0;
	char last = '\n';

	if (argc < 2) {
		printf("cat: usage: cat <file>...\n");
		return 2;
	}
	fflush(stdout);
	for (int i = 1; i < argc && !interrupted; i++) {
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			printf("cat: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		for (;;) {
			ssize_t n = read(fd, buf, sizeof(buf));
			if (n == 0) {
				break;
			}
			if (n < 0) {
				if (errno == EINTR && !interrupted) {
					continue;
				}
				printf("cat: %s: %s\n", argv[i], strerror(errno));
				status = 1;
				break;
			}
			if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n) {
				status = 1;
				break;
			}
			last = buf[n - 1];
		}
		close(fd);
	}
	/* Keep the prompt at the start of a line after a file without a final newline. */
	if (last != '\n') {
		printf("\n");
	}
	fflush(stdout);
	return status;
}

int cmd_echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	}
	printf("\n");
	return 0;
}

/* hexdump <file> [bytes]: the first bytes of a file in hex, 16 per line (e.g. /dev/hwrng). */
int cmd_hexdump(int argc, char **argv)
{
	unsigned long want = 64;
	unsigned char buf[4096];

	if (argc < 2 || argc > 3 || (argc == 3 && parse_uint(argv[2], sizeof(buf), &want) < 0)) {
		printf("hexdump: usage: hexdump <file> [bytes 1..%zu]\n", sizeof(buf));
		return 2;
	}
	int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("hexdump: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	size_t got = 0;
	while (got < want && !interrupted) {
		ssize_t n = read(fd, buf + got, want - got);
		if (n == 0) {
			break;
		}
		if (n < 0) {
			if (errno == EINTR && !interrupted) {
				continue;
			}
			printf("hexdump: %s: %s\n", argv[1], strerror(errno));
			close(fd);
			return 1;
		}
		got += (size_t)n;
	}
	close(fd);
	for (size_t i = 0; i < got; i++) {
		printf("%02x%s", buf[i], (i % 16 == 15 || i + 1 == got) ? "\n" : " ");
	}
	printf("hexdump: %zu bytes\n", got);
	return 0;
}
