// SPDX-License-Identifier: GPL-2.0-only
/*
 * blkcheck <dev>: a destructive end-to-end check of a block device. Writes a pattern to a few
 * sectors spread over the device (first and last included), flushes, reads them back through a
 * fresh descriptor and compares. O_DIRECT keeps the page cache out of the way so the reads
 * really come from the device; where O_DIRECT is refused we fall back to buffered I/O with
 * fsync and BLKFLSBUF, which drops the cached blocks before reading back.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "init.h"

#define BLKCHECK_POINTS     8
#define BLKCHECK_ALIGN      4096
#define BLKCHECK_ROUNDS_MAX 1000000

/*
 * The pattern of one sector: a splitmix64 stream keyed by the run's seed and the sector number,
 * so a sector written to the wrong place, or stale data from an earlier run, does not match.
 */
static void fill_pattern(uint8_t *buf, size_t len, uint64_t seed, uint64_t sector)
{
	uint64_t x = seed ^ (sector * 0x9e3779b97f4a7c15ull);
	for (size_t i = 0; i < len; i += 8) {
		x += 0x9e3779b97f4a7c15ull;
		uint64_t z = x;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		z ^= z >> 31;
		for (size_t b = 0; b < 8 && i + b < len; b++) {
			buf[i + b] = (uint8_t)(z >> (8 * b));
		}
	}
}

static int full_io(int fd, uint8_t *buf, size_t len, off_t off, int do_write)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = do_write ? pwrite(fd, buf + done, len - done, off + (off_t)done)
		                     : pread(fd, buf + done, len - done, off + (off_t)done);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

/* Open for I/O that bypasses the cache if the device allows it; *direct says which. */
static int open_dev(const char *dev, int flags, int *direct)
{
	int fd = open(dev, flags | O_DIRECT | O_CLOEXEC);
	*direct = 1;
	if (fd < 0 && errno == EINVAL) {
		fd = open(dev, flags | O_CLOEXEC);
		*direct = 0;
	}
	return fd;
}

/* One round: write, read back, compare; prints its PASS or FAIL line. Status 0 on PASS. */
static int check_once(const char *dev)
{
	static unsigned run;
	uint8_t *wbuf = NULL, *rbuf = NULL;
	uint64_t points[BLKCHECK_POINTS];
	size_t point_count = 0;
	int fd = -1, direct = 0, status = 1;
	uint64_t bytes = 0;
	int lbs = 512;
	struct stat st;

	fd = open_dev(dev, O_RDWR | O_SYNC, &direct);
	if (fd < 0) {
		printf("blkcheck: FAIL %s: open: %s\n", dev, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0) {
		printf("blkcheck: FAIL %s: fstat: %s\n", dev, strerror(errno));
		goto out;
	}
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &bytes) < 0) {
			printf("blkcheck: FAIL %s: BLKGETSIZE64: %s\n", dev, strerror(errno));
			goto out;
		}
		if (ioctl(fd, BLKSSZGET, &lbs) < 0 || lbs < 512 || lbs > BLKCHECK_ALIGN) {
			lbs = 512;
		}
	} else if (S_ISREG(st.st_mode)) {
		/* A plain file works too, which makes the command testable on /tmp. */
		bytes = (uint64_t)st.st_size;
	} else {
		printf("blkcheck: FAIL %s: not a block device\n", dev);
		goto out;
	}
	uint64_t sectors = bytes / (uint64_t)lbs;
	if (sectors == 0) {
		printf("blkcheck: FAIL %s: device is empty (%llu bytes)\n", dev,
		       (unsigned long long)bytes);
		goto out;
	}
	/* Evenly spread, first and last sector included; small devices get fewer points. */
	for (size_t i = 0; i < BLKCHECK_POINTS; i++) {
		uint64_t s = (sectors - 1) * i / (BLKCHECK_POINTS - 1);
		if (point_count == 0 || points[point_count - 1] != s) {
			points[point_count++] = s;
		}
	}
	if (posix_memalign((void **)&wbuf, BLKCHECK_ALIGN, (size_t)lbs) != 0 ||
	    posix_memalign((void **)&rbuf, BLKCHECK_ALIGN, (size_t)lbs) != 0) {
		printf("blkcheck: FAIL %s: out of memory\n", dev);
		goto out;
	}
	uint64_t seed = ((uint64_t)time(NULL) << 16) ^ ++run;

	for (size_t i = 0; i < point_count; i++) {
		fill_pattern(wbuf, (size_t)lbs, seed, points[i]);
		if (full_io(fd, wbuf, (size_t)lbs, (off_t)(points[i] * (uint64_t)lbs), 1) < 0) {
			printf("blkcheck: FAIL %s: write sector %llu: %s\n", dev,
			       (unsigned long long)points[i], strerror(errno));
			goto out;
		}
	}
	if (fsync(fd) < 0) {
		printf("blkcheck: FAIL %s: fsync: %s\n", dev, strerror(errno));
		goto out;
	}
	close(fd);

	/* Read back through a new descriptor, with any cached copy of the device dropped. */
	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (S_ISBLK(st.st_mode)) {
			ioctl(fd, BLKFLSBUF, 0);
		}
		close(fd);
	}
	fd = open_dev(dev, O_RDONLY, &direct);
	if (fd < 0) {
		printf("blkcheck: FAIL %s: reopen: %s\n", dev, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < point_count; i++) {
		memset(rbuf, 0, (size_t)lbs);
		if (full_io(fd, rbuf, (size_t)lbs, (off_t)(points[i] * (uint64_t)lbs), 0) < 0) {
			printf("blkcheck: FAIL %s: read sector %llu: %s\n", dev,
			       (unsigned long long)points[i], strerror(errno));
			goto out;
		}
		fill_pattern(wbuf, (size_t)lbs, seed, points[i]);
		for (size_t b = 0; b < (size_t)lbs; b++) {
			if (rbuf[b] != wbuf[b]) {
				printf("blkcheck: FAIL %s: sector %llu differs at byte %zu "
				       "(wrote 0x%02x, read 0x%02x)\n",
				       dev, (unsigned long long)points[i], b, wbuf[b], rbuf[b]);
				goto out;
			}
		}
	}
	printf("blkcheck: PASS %s: %zu sectors of %d bytes verified, last sector %llu of "
	       "%llu bytes (%s)\n",
	       dev, point_count, lbs, (unsigned long long)(sectors - 1), (unsigned long long)bytes,
	       direct ? "O_DIRECT" : "buffered, BLKFLSBUF");
	status = 0;
out:
	if (fd >= 0) {
		close(fd);
	}
	free(wbuf);
	free(rbuf);
	return status;
}

/* blkcheck <dev> [rounds]: the check repeated (default once) until a FAIL or ^C. */
int cmd_blkcheck(int argc, char **argv)
{
	unsigned long rounds = 1;

	if (argc < 2 || argc > 3 ||
	    (argc == 3 && (parse_uint(argv[2], BLKCHECK_ROUNDS_MAX, &rounds) < 0 || rounds == 0))) {
		printf("blkcheck: usage: blkcheck <dev> [rounds] (overwrites test sectors: "
		       "destroys data)\n");
		return 2;
	}
	int status = 0;
	for (unsigned long r = 0; r < rounds && status == 0 && !interrupted; r++) {
		status = check_once(argv[1]);
	}
	return status;
}
