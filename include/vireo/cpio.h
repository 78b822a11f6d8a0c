/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Reader for cpio archives in the "newc" format (SVR4 portable ASCII, magic "070701"), as written
 * by `cpio -o -H newc`, and its checksummed variant "crc" (magic "070702", `-H crc`). Vireo's
 * bundle (guest configuration plus images, loaded by QEMU with -initrd) is such an archive.
 *
 * Format (cpio(5) "New ASCII Format"; GNU cpio manual, "newc" and "crc"): each entry is a
 * 110-byte header of ASCII text (6-byte magic, then 13 fields of 8 hexadecimal digits: ino, mode,
 * uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check),
 * the NUL-terminated name (namesize bytes, NUL included) padded with NULs so that header plus
 * name is a multiple of 4 bytes, then filesize bytes of data padded to a multiple of 4. The
 * entry named "TRAILER!!!" ends the archive; anything after it (the tool pads to 512-byte
 * blocks) is ignored.
 *
 * The reader never writes, never allocates and never reads outside [archive, archive+size). It
 * walks the archive from the start on every call; bundles hold a handful of entries.
 */
#ifndef VIREO_CPIO_H
#define VIREO_CPIO_H

#include <vireo/types.h>

/** File type bits of cpio_file.mode (the st_mode encoding, cpio(5)). */
#define CPIO_MODE_TYPE 0170000U
#define CPIO_MODE_DIR  0040000U
#define CPIO_MODE_REG  0100000U
#define CPIO_MODE_LNK  0120000U

/** One archive member. Every pointer points into the archive buffer. */
struct cpio_file {
	const char *name; /**< NUL-terminated, leading "./" and "/" removed */
	size_t name_len;  /**< strlen(name) */
	const void *data; /**< file contents (size bytes); not aligned beyond 4 bytes */
	size_t size;
	uint32_t mode; /**< type and permission bits */
};

/**
 * Looks up path (exact match after removing any leading "./" and "/" from both path and
 * archive names; no other normalisation) among the regular files and directories of the archive
 * [archive, archive+size). Symbolic links are not followed and special files are not returned:
 * such a name gives VIREO_ENOENT (create bundles with `cpio -L` to store link targets).
 *
 * The whole archive up to its trailer is checked on every call, so a damaged archive is refused
 * whichever member is asked for. If a name occurs twice the last entry wins, as when the archive
 * is extracted. A hard-linked file whose data the tool stored with a later link (newc stores it
 * once, with the last link of the group) gets that data.
 *
 * Returns 0 and *out, VIREO_ENOENT, or VIREO_EINVAL for a malformed archive: bad magic, a
 * non-hex header field, a name without its NUL or with an embedded NUL, a name or data running
 * past the end, a missing trailer, or (format "crc") a wrong checksum of the member returned; other
 * members' checksums are not computed.
 */
int cpio_find(const void *archive, size_t size, const char *path, struct cpio_file *out);

/**
 * Iterates over the regular files and directories of the archive (other entry types are
 * skipped): *cursor starts at 0. Returns 1 with *out and *cursor advanced, 0 at the trailer
 * (*cursor then stays there), or VIREO_EINVAL as cpio_find() for a malformed entry (checksums
 * of the members returned). Hard links get their data as in cpio_find().
 */
int cpio_next(const void *archive, size_t size, size_t *cursor, struct cpio_file *out);

static inline bool cpio_is_reg(const struct cpio_file *f)
{
	return (f->mode & CPIO_MODE_TYPE) == CPIO_MODE_REG;
}

static inline bool cpio_is_dir(const struct cpio_file *f)
{
	return (f->mode & CPIO_MODE_TYPE) == CPIO_MODE_DIR;
}

#endif
