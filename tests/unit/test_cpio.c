/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests for lib/cpio.c. Archives written by GNU cpio at build time (tests/unit/test_cpio.mk)
 * are looked up and iterated against the tree on disk; damaged copies (every truncation, every
 * header byte, sizes past the end, a missing trailer, random flips) must be refused. Every
 * archive handed to the reader sits in an exactly-sized malloc block, so ASan reports any read
 * outside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/cpio.h>
#include <vireo/errno.h>

#define HDR 110

/* What cpio_next must list for tree.cpio, in archive order (the link and the FIFO are skipped). */
static const char *const tree_names[] = {
    ".",     "a",     "ab",    "abc",       "abcd", "dir", "dir/sub", "dir/sub/data.txt",
    "empty", "hard1", "hard2", "hello.txt",
};
#define TREE_COUNT (sizeof(tree_names) / sizeof(tree_names[0]))

static const char *cpio_dir(void)
{
	const char *d = getenv("VIREO_CPIO_DIR");
	return d != NULL ? d : "build/host/cpio";
}

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (f == NULL) {
		fail_msg("cannot open %s (build it with make build/host/test_cpio)", path);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	/* Exactly n bytes: ASan catches reads past the end. */
	buf = malloc(n > 0 ? (size_t)n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return buf;
}

static uint8_t *load(const char *name, size_t *size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", cpio_dir(), name);
	return read_file(path, size);
}

/* A copy of the first len bytes in a block of exactly len bytes. */
static uint8_t *exact_copy(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len);
	assert_true(p != NULL || len == 0);
	if (len != 0) {
		memcpy(p, src, len);
	}
	return p;
}

static void assert_inside(const uint8_t *buf, size_t len, const struct cpio_file *f)
{
	const uint8_t *name = (const uint8_t *)f->name;
	const uint8_t *data = f->data;
	assert_true(name >= buf && name + f->name_len < buf + len);
	assert_int_equal(f->name[f->name_len], '\0');
	assert_true(data >= buf && f->size <= (size_t)(buf + len - data));
}

/* Walks the archive with cpio_next; returns its final result (0 or negative), *count entries. */
static int walk(const uint8_t *buf, size_t len, size_t *count)
{
	size_t cursor = 0;
	struct cpio_file f;
	int ret;

	*count = 0;
	while ((ret = cpio_next(buf, len, &cursor, &f)) == 1) {
		assert_inside(buf, len, &f);
		(*count)++;
	}
	return ret;
}

/* Both the lookup of `name` and a full iteration must call the archive malformed. */
static void assert_malformed(const uint8_t *buf, size_t len, const char *name)
{
	struct cpio_file f;
	size_t count;

	assert_int_equal(cpio_find(buf, len, name, &f), VIREO_EINVAL);
	assert_int_equal(walk(buf, len, &count), VIREO_EINVAL);
}

/* ---- a small newc writer for archives GNU cpio will not produce ---- */

struct arc {
	uint8_t buf[4096];
	size_t len;
};

static void pad4(struct arc *a)
{
	while (a->len % 4 != 0) {
		a->buf[a->len++] = 0;
	}
}

static void put(struct arc *a, const char *name, const char *data, uint32_t mode)
{
	char hdr[HDR + 1];
	uint32_t size = data != NULL ? (uint32_t)strlen(data) : 0;
	uint32_t namesize = (uint32_t)strlen(name) + 1;

	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
	         (unsigned int)a->len, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, namesize, 0u);
	assert_true(a->len + HDR + namesize + size + 8 <= sizeof(a->buf));
	memcpy(a->buf + a->len, hdr, HDR);
	a->len += HDR;
	memcpy(a->buf + a->len, name, namesize);
	a->len += namesize;
	pad4(a);
	if (size != 0) {
		memcpy(a->buf + a->len, data, size);
		a->len += size;
	}
	pad4(a);
}

static void put_trailer(struct arc *a)
{
	put(a, "TRAILER!!!", NULL, 0);
}

/* Rewrites field i (0 = ino .. 12 = check) of the header at off. */
static void set_field(uint8_t *buf, size_t off, unsigned int i, uint32_t v)
{
	char tmp[9];
	snprintf(tmp, sizeof(tmp), "%08X", v);
	memcpy(buf + off + 6 + 8 * i, tmp, 8);
}

/* Offset of the header whose name is `name` (found by text search in a pristine archive). */
static size_t header_of(const uint8_t *buf, size_t len, const char *name)
{
	size_t n = strlen(name) + 1;
	for (size_t off = 0; off + HDR + n <= len; off += 4) {
		if (memcmp(buf + off, "07070", 5) == 0 && memcmp(buf + off + HDR, name, n) == 0) {
			return off;
		}
	}
	fail_msg("no header for %s", name);
	return 0;
}

/* ---- archives from GNU cpio ---- */

static void check_tree_lookups(const char *archive)
{
	size_t len;
	uint8_t *buf = load(archive, &len);

	for (size_t i = 0; i < TREE_COUNT; i++) {
		struct cpio_file f;
		const char *name = tree_names[i];

		assert_int_equal(cpio_find(buf, len, name, &f), 0);
		assert_inside(buf, len, &f);
		assert_string_equal(f.name, name);
		assert_int_equal(f.name_len, strlen(name));
		if (strcmp(name, ".") == 0 || strcmp(name, "dir") == 0 ||
		    strcmp(name, "dir/sub") == 0) {
			assert_true(cpio_is_dir(&f));
			continue;
		}
		assert_true(cpio_is_reg(&f));
		char path[512];
		size_t want_len;
		snprintf(path, sizeof(path), "%s/tree/%s", cpio_dir(), name);
		uint8_t *want = read_file(path, &want_len);
		assert_int_equal(f.size, want_len);
		assert_memory_equal(f.data, want, want_len);
		free(want);
	}
	free(buf);
}

static void test_find_every_member(void **state)
{
	(void)state;
	check_tree_lookups("tree.cpio");
	check_tree_lookups("tree-crc.cpio");
}

static void test_find_prefixes_and_misses(void **state)
{
	size_t len;
	struct cpio_file f;
	uint8_t *buf = load("tree.cpio", &len);
	(void)state;

	/* Leading "./" and "/" of the looked-up path are ignored like those of archive names. */
	assert_int_equal(cpio_find(buf, len, "./hello.txt", &f), 0);
	assert_string_equal(f.name, "hello.txt");
	assert_int_equal(cpio_find(buf, len, "/dir/sub/data.txt", &f), 0);
	assert_int_equal(cpio_find(buf, len, ".//./dir", &f), 0);
	assert_true(cpio_is_dir(&f));
	/* Exact matches only. */
	const char *misses[] = {
	    "hello",    "hello.txt/", "Hello.txt", "dir/sub/",           "sub/data.txt",
	    "data.txt", "",           "nope",      "dir/sub/data.txt.x", "TRAILER!!!"};
	for (size_t i = 0; i < sizeof(misses) / sizeof(misses[0]); i++) {
		assert_int_equal(cpio_find(buf, len, misses[i], &f), VIREO_ENOENT);
	}
	/* Symbolic links are not followed; special files are not members. */
	assert_int_equal(cpio_find(buf, len, "link", &f), VIREO_ENOENT);
	assert_int_equal(cpio_find(buf, len, "fifo", &f), VIREO_ENOENT);
	free(buf);
}

static void test_iterate(void **state)
{
	const char *archives[] = {"tree.cpio", "tree-crc.cpio"};
	(void)state;

	for (size_t a = 0; a < 2; a++) {
		size_t len;
		size_t cursor = 0;
		struct cpio_file f;
		uint8_t *buf = load(archives[a], &len);

		for (size_t i = 0; i < TREE_COUNT; i++) {
			assert_int_equal(cpio_next(buf, len, &cursor, &f), 1);
			assert_string_equal(f.name, tree_names[i]);
		}
		assert_int_equal(cpio_next(buf, len, &cursor, &f), 0);
		/* The cursor stays on the trailer. */
		assert_int_equal(cpio_next(buf, len, &cursor, &f), 0);
		free(buf);
	}
}

static void test_hard_links_share_data(void **state)
{
	size_t len;
	struct cpio_file f1;
	struct cpio_file f2;
	uint8_t *buf = load("tree.cpio", &len);
	(void)state;

	/* newc keeps the data with the last link only; both names must still read it. */
	size_t off = header_of(buf, len, "hard1");
	assert_memory_equal(buf + off + 6 + 8 * 6, "00000000", 8);
	assert_int_equal(cpio_find(buf, len, "hard1", &f1), 0);
	assert_int_equal(cpio_find(buf, len, "hard2", &f2), 0);
	assert_int_equal(f1.size, 12);
	assert_ptr_equal(f1.data, f2.data);
	assert_memory_equal(f1.data, "linked data\n", 12);
	free(buf);
}

static void test_every_truncation(void **state)
{
	size_t len;
	uint8_t *full = load("tree.cpio", &len);
	(void)state;

	/* Valid exactly when the trailer's name is complete; the tool's 512-byte padding after
	 * it may be cut. */
	size_t end = header_of(full, len, "TRAILER!!!") + HDR + sizeof("TRAILER!!!");
	assert_true(end < len);
	for (size_t n = 0; n <= len; n++) {
		uint8_t *buf = exact_copy(full, n);
		struct cpio_file f;
		size_t count;
		int want = n >= end ? 0 : VIREO_EINVAL;

		assert_int_equal(cpio_find(buf, n, "hello.txt", &f), want);
		assert_int_equal(cpio_find(buf, n, "a", &f), want);
		assert_int_equal(walk(buf, n, &count), want);
		if (want == 0) {
			assert_int_equal(count, TREE_COUNT);
		}
		free(buf);
	}
	free(full);
}

static void test_corrupt_headers(void **state)
{
	const char bad_chars[] = {'g', 'G', ' ', 'x', '-', '+', '\0', '\n'};
	size_t len;
	uint8_t *full = load("tree.cpio", &len);
	size_t offs[] = {0, header_of(full, len, "abc"), header_of(full, len, "TRAILER!!!")};
	(void)state;

	for (size_t h = 0; h < 3; h++) {
		/* Any byte of the magic. */
		for (size_t i = 0; i < 6; i++) {
			uint8_t *buf = exact_copy(full, len);
			buf[offs[h] + i] = i == 5 ? '7' : 'X';
			assert_malformed(buf, len, "hello.txt");
			free(buf);
		}
		/* Any digit of any of the 13 hex fields. */
		for (size_t i = 6; i < HDR; i++) {
			for (size_t c = 0; c < sizeof(bad_chars); c++) {
				uint8_t *buf = exact_copy(full, len);
				buf[offs[h] + i] = (uint8_t)bad_chars[c];
				assert_malformed(buf, len, "hello.txt");
				free(buf);
			}
		}
	}
	free(full);
}

static void test_sizes_past_the_end(void **state)
{
	size_t len;
	uint8_t *full = load("tree.cpio", &len);
	size_t off = header_of(full, len, "hello.txt");
	size_t room = len - off - HDR; /* bytes after this header */
	/* namesize: 0, too short for the NUL, swallowing padding NULs, past the end, huge. */
	uint32_t names[] = {0, 5, 13, (uint32_t)room + 1, 0x7fffffff, 0xffffffff};
	/* filesize: past the end by one, huge. */
	uint32_t sizes[] = {(uint32_t)room, 0x80000000, 0xffffffff};
	(void)state;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint8_t *buf = exact_copy(full, len);
		set_field(buf, off, 11, names[i]);
		assert_malformed(buf, len, "a");
		free(buf);
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		uint8_t *buf = exact_copy(full, len);
		set_field(buf, off, 6, sizes[i]);
		assert_malformed(buf, len, "a");
		free(buf);
	}
	free(full);
}

static void test_missing_trailer(void **state)
{
	struct arc a = {.len = 0};
	(void)state;

	put(&a, "x", "data", 0100644);
	put(&a, "y", "more", 0100644);
	/* Ends right after the last member, then with zero padding (no trailer either way). */
	uint8_t *buf = exact_copy(a.buf, a.len);
	assert_malformed(buf, a.len, "x");
	free(buf);
	memset(a.buf + a.len, 0, 512);
	buf = exact_copy(a.buf, a.len + 512);
	assert_malformed(buf, a.len + 512, "x");
	free(buf);

	/* A damaged trailer name is an ordinary member; what follows is not a header. */
	size_t len;
	uint8_t *full = load("tree.cpio", &len);
	size_t off = header_of(full, len, "TRAILER!!!");
	full[off + HDR + 9] = '?';
	assert_malformed(full, len, "hello.txt");
	free(full);

	/* Empty buffer. */
	buf = exact_copy(a.buf, 0);
	assert_malformed(buf, 0, "x");
	free(buf);
}

static void test_crc_checksum(void **state)
{
	size_t len;
	struct cpio_file f;
	uint8_t *crc = load("tree-crc.cpio", &len);
	size_t off = header_of(crc, len, "hello.txt");
	(void)state;

	/* Header plus name padded to 4, then the data. */
	size_t data = off + ((HDR + sizeof("hello.txt") + 3) & ~(size_t)3);
	assert_memory_equal(crc + data, "hello, bundle\n", 14);
	assert_int_equal(cpio_find(crc, len, "a", &f), 0);
	/* One data byte changed: the check field (sum of the data bytes) no longer matches.
	 * Only the member handed out is summed: other lookups still work. */
	crc[data] ^= 1;
	assert_int_equal(cpio_find(crc, len, "hello.txt", &f), VIREO_EINVAL);
	assert_int_equal(cpio_find(crc, len, "a", &f), 0);
	size_t count;
	assert_int_equal(walk(crc, len, &count), VIREO_EINVAL);
	assert_int_equal(count, TREE_COUNT - 1);
	free(crc);

	/* The checksum of a hard link's data is checked whichever name reads it. */
	crc = load("tree-crc.cpio", &len);
	off = header_of(crc, len, "hard2");
	crc[off + ((HDR + sizeof("hard2") + 3) & ~(size_t)3)] ^= 1;
	assert_int_equal(cpio_find(crc, len, "hard1", &f), VIREO_EINVAL);
	assert_int_equal(cpio_find(crc, len, "hard2", &f), VIREO_EINVAL);
	free(crc);

	/* The same change in a newc archive (no checksum) goes unnoticed. */
	uint8_t *newc = load("tree.cpio", &len);
	off = header_of(newc, len, "hello.txt");
	newc[off + ((HDR + sizeof("hello.txt") + 3) & ~(size_t)3)] ^= 1;
	assert_int_equal(cpio_find(newc, len, "hello.txt", &f), 0);
	assert_memory_equal(f.data, "iello, bundle\n", 14);
	free(newc);
}

static void test_synthetic_names(void **state)
{
	struct arc a = {.len = 0};
	struct cpio_file f;
	size_t count;
	(void)state;

	put(&a, "./dot", "1", 0100644);
	put(&a, "/abs/path", "22", 0100600);
	put(&a, "dup", "first", 0100644);
	put(&a, "dev", NULL, 0020644); /* character device: skipped */
	put(&a, "dup", "second", 0100644);
	put_trailer(&a);
	uint8_t *buf = exact_copy(a.buf, a.len);

	assert_int_equal(cpio_find(buf, a.len, "dot", &f), 0);
	assert_string_equal(f.name, "dot");
	assert_int_equal(cpio_find(buf, a.len, "abs/path", &f), 0);
	assert_int_equal(f.mode, 0100600);
	assert_memory_equal(f.data, "22", 2);
	/* The last of two same-named members wins, as when extracting. */
	assert_int_equal(cpio_find(buf, a.len, "dup", &f), 0);
	assert_int_equal(f.size, 6);
	assert_memory_equal(f.data, "second", 6);
	assert_int_equal(cpio_find(buf, a.len, "dev", &f), VIREO_ENOENT);
	assert_int_equal(walk(buf, a.len, &count), 0);
	assert_int_equal(count, 4);

	/* Cursors that do not point at a header are refused, not followed. */
	size_t cursors[] = {1, 2, a.len, a.len + 4, (size_t)-1, (size_t)-4};
	for (size_t i = 0; i < sizeof(cursors) / sizeof(cursors[0]); i++) {
		size_t c = cursors[i];
		assert_int_equal(cpio_next(buf, a.len, &c, &f), VIREO_EINVAL);
	}
	free(buf);

	/* A name with an embedded NUL is malformed. */
	struct arc b = {.len = 0};
	put(&b, "ab", "x", 0100644);
	b.buf[HDR + 1] = '\0';
	put_trailer(&b);
	buf = exact_copy(b.buf, b.len);
	assert_int_equal(cpio_find(buf, b.len, "a", &f), VIREO_EINVAL);
	free(buf);
}

/* Random byte flips in exact-size copies: any answer is fine, reading outside is not. */
static void test_random_damage(void **state)
{
	size_t len;
	uint8_t *full = load("tree-crc.cpio", &len);
	(void)state;

	srand(1234);
	for (int iter = 0; iter < 3000; iter++) {
		size_t n = (size_t)rand() % (len + 1);
		uint8_t *buf = exact_copy(full, n);
		struct cpio_file f;
		size_t count;
		int flips = 1 + rand() % 4;

		for (int k = 0; k < flips && n != 0; k++) {
			buf[(size_t)rand() % n] = (uint8_t)rand();
		}
		for (size_t i = 0; i < TREE_COUNT; i += 3) {
			int ret = cpio_find(buf, n, tree_names[i], &f);
			assert_true(ret == 0 || ret == VIREO_ENOENT || ret == VIREO_EINVAL);
			if (ret == 0) {
				assert_inside(buf, n, &f);
			}
		}
		int ret = walk(buf, n, &count);
		assert_true(ret == 0 || ret == VIREO_EINVAL);
		free(buf);
	}
	free(full);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_find_every_member),
	    cmocka_unit_test(test_find_prefixes_and_misses),
	    cmocka_unit_test(test_iterate),
	    cmocka_unit_test(test_hard_links_share_data),
	    cmocka_unit_test(test_every_truncation),
	    cmocka_unit_test(test_corrupt_headers),
	    cmocka_unit_test(test_sizes_past_the_end),
	    cmocka_unit_test(test_missing_trailer),
	    cmocka_unit_test(test_crc_checksum),
	    cmocka_unit_test(test_synthetic_names),
	    cmocka_unit_test(test_random_damage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
