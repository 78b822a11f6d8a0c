/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpio "newc"/"crc" archive reader. Layout per cpio(5) "New ASCII Format" and the GNU cpio
 * manual ("newc", "crc"); see include/vireo/cpio.h. Every offset is checked against the buffer
 * size before the bytes behind it are read, with the arithmetic arranged so it cannot overflow.
 */
#include <vireo/cpio.h>
#include <vireo/errno.h>
#include <vireo/string.h>

#define CPIO_HEADER_SIZE 110
#define CPIO_MAGIC_LEN   6
#define CPIO_FIELD_LEN   8
#define CPIO_TRAILER     "TRAILER!!!"

/* cpio(5): the 13 eight-digit hex fields after the magic, in this order. */
enum cpio_field {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK,
	F_COUNT,
};

/* One decoded entry. */
struct cpio_entry {
	struct cpio_file file;
	uint32_t ino;
	uint32_t nlink;
	uint32_t devmajor;
	uint32_t devminor;
	uint32_t check; /* "crc" format: sum of the data bytes of a regular file */
	bool crc;
	bool trailer;
	size_t next; /* offset of the next header (may lie past the end: then it is missing) */
};

static size_t align4(size_t v)
{
	return (v + 3) & ~(size_t)3;
}

/* Exactly eight hex digits: no sign, no "0x", no spaces (GNU cpio writes "%08X"). */
static int parse_field(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < CPIO_FIELD_LEN; i++) {
		int d = hex_digit_value((char)p[i]);

		if (d < 0) {
			return VIREO_EINVAL;
		}
		v = (v << 4) | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* Archive names and looked-up paths alike lose any leading "./" and "/". */
static const char *strip_prefix(const char *s, size_t *len)
{
	for (;;) {
		if (*len >= 2 && s[0] == '.' && s[1] == '/') {
			s += 2;
			*len -= 2;
		} else if (*len >= 1 && s[0] == '/') {
			s++;
			*len -= 1;
		} else {
			return s;
		}
	}
}

/* Decodes the entry whose header starts at off; off itself is not trusted (a cursor). */
static int read_entry(const uint8_t *a, size_t size, size_t off, struct cpio_entry *e)
{
	uint32_t f[F_COUNT];
	const uint8_t *h;
	const char *name;
	size_t name_len;
	size_t data_off;

	/* A missing header (end of buffer before the trailer) is as malformed as a bad one. */
	if (off > size || size - off < CPIO_HEADER_SIZE) {
		return VIREO_EINVAL;
	}
	h = a + off;
	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2')) {
		return VIREO_EINVAL;
	}
	for (unsigned int i = 0; i < F_COUNT; i++) {
		if (parse_field(h + CPIO_MAGIC_LEN + i * CPIO_FIELD_LEN, &f[i]) != 0) {
			return VIREO_EINVAL;
		}
	}

	/* namesize counts the terminating NUL, which must be there and be the only NUL. */
	if (f[F_NAMESIZE] == 0 || f[F_NAMESIZE] > size - off - CPIO_HEADER_SIZE) {
		return VIREO_EINVAL;
	}
	name = (const char *)(h + CPIO_HEADER_SIZE);
	name_len = f[F_NAMESIZE] - 1;
	if (strnlen(name, f[F_NAMESIZE]) != name_len) {
		return VIREO_EINVAL;
	}

	memset(e, 0, sizeof(*e));
	e->trailer =
	    name_len == sizeof(CPIO_TRAILER) - 1 && memcmp(name, CPIO_TRAILER, name_len) == 0;
	if (e->trailer) {
		/* The trailer's own padding may be cut off: nothing after its name is read. */
		e->next = off;
		return 0;
	}

	/* Header plus name padded to 4 (every header starts 4-aligned, so the offset is too). */
	data_off = align4(off + CPIO_HEADER_SIZE + f[F_NAMESIZE]);
	if (data_off > size || f[F_FILESIZE] > size - data_off) {
		return VIREO_EINVAL;
	}

	e->file.name = strip_prefix(name, &name_len);
	e->file.name_len = name_len;
	e->file.data = a + data_off;
	e->file.size = f[F_FILESIZE];
	e->file.mode = f[F_MODE];
	e->ino = f[F_INO];
	e->nlink = f[F_NLINK];
	e->devmajor = f[F_DEVMAJOR];
	e->devminor = f[F_DEVMINOR];
	e->check = f[F_CHECK];
	e->crc = h[5] == '2';
	/* Data padded to 4; the result may exceed size by up to 3, caught at the next read. */
	e->next = align4(data_off + f[F_FILESIZE]);
	return 0;
}

/*
 * GNU cpio manual, "crc": the check field is the sum of the data bytes mod 2^32, for regular
 * files only (GNU cpio writes 0 for a symlink's target). Checked for the members handed out
 * only, so a lookup does not sum every image of the bundle.
 */
static int verify_crc(const struct cpio_entry *e)
{
	const uint8_t *d = e->file.data;
	uint32_t sum = 0;

	if (!e->crc || !cpio_is_reg(&e->file)) {
		return 0;
	}
	for (size_t i = 0; i < e->file.size; i++) {
		sum += d[i];
	}
	return sum == e->check ? 0 : VIREO_EINVAL;
}

static bool is_listed(const struct cpio_entry *e)
{
	return cpio_is_reg(&e->file) || cpio_is_dir(&e->file);
}

/*
 * Readies an entry for handing out: its checksum, then its data if it is a hard link. newc
 * stores the data of a hard-link group once, with its last member; the earlier members have
 * filesize 0 (GNU cpio manual, "newc"). Such an entry gets the data of the first later member
 * of its group (same ino and device) that has some.
 */
static int complete_entry(const uint8_t *a, size_t size, struct cpio_entry *e)
{
	size_t off = e->next;
	struct cpio_entry later;

	if (verify_crc(e) != 0) {
		return VIREO_EINVAL;
	}
	if (!cpio_is_reg(&e->file) || e->nlink < 2 || e->file.size != 0) {
		return 0;
	}
	for (;;) {
		int ret = read_entry(a, size, off, &later);

		if (ret != 0) {
			return ret;
		}
		if (later.trailer) {
			return 0;
		}
		if (cpio_is_reg(&later.file) && later.file.size != 0 && later.ino == e->ino &&
		    later.devmajor == e->devmajor && later.devminor == e->devminor) {
			if (verify_crc(&later) != 0) {
				return VIREO_EINVAL;
			}
			e->file.data = later.file.data;
			e->file.size = later.file.size;
			return 0;
		}
		off = later.next;
	}
}

int cpio_find(const void *archive, size_t size, const char *path, struct cpio_file *out)
{
	const uint8_t *a = archive;
	size_t path_len = strlen(path);
	struct cpio_entry e;
	struct cpio_entry match;
	bool found = false;
	size_t off = 0;
	int ret;

	path = strip_prefix(path, &path_len);
	/* Each entry takes at least 112 bytes, so the walk ends. */
	for (;;) {
		ret = read_entry(a, size, off, &e);
		if (ret != 0) {
			return ret;
		}
		if (e.trailer) {
			break;
		}
		if (e.file.name_len == path_len && memcmp(e.file.name, path, path_len) == 0) {
			/* A later entry of the same name replaces an earlier one, as on extraction. */
			found = is_listed(&e);
			match = e;
		}
		off = e.next;
	}
	if (!found) {
		return VIREO_ENOENT;
	}
	ret = complete_entry(a, size, &match);
	if (ret != 0) {
		return ret;
	}
	*out = match.file;
	return 0;
}

int cpio_next(const void *archive, size_t size, size_t *cursor, struct cpio_file *out)
{
	const uint8_t *a = archive;
	struct cpio_entry e;

	for (;;) {
		int ret = read_entry(a, size, *cursor, &e);

		if (ret != 0) {
			return ret;
		}
		if (e.trailer) {
			return 0;
		}
		*cursor = e.next;
		if (is_listed(&e)) {
			ret = complete_entry(a, size, &e);
			if (ret != 0) {
				return ret;
			}
			*out = e.file;
			return 1;
		}
	}
}
