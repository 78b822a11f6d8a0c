/* SPDX-License-Identifier: GPL-2.0-only */
/** Guest RAM access for device models (include/vireo/gmem.h). */
#include <vireo/errno.h>
#include <vireo/gmem.h>
#include <vireo/string.h>

static uint64_t chunk_left(gpaddr_t gpa)
{
	return GMEM_CHUNK - (gpa & (GMEM_CHUNK - 1));
}

void *gmem_map(const struct gmem *m, gpaddr_t gpa, uint64_t len)
{
	if (gpa + len < gpa || len > chunk_left(gpa)) {
		return NULL;
	}
	return m->map(m->ctx, gpa, len);
}

bool gmem_valid(const struct gmem *m, gpaddr_t gpa, uint64_t len)
{
	if (gpa + len < gpa) {
		return false;
	}
	do {
		uint64_t n = chunk_left(gpa) < len ? chunk_left(gpa) : len;
		if (!m->map(m->ctx, gpa, n)) {
			return false;
		}
		gpa += n;
		len -= n;
	} while (len);
	return true;
}

int gmem_read(const struct gmem *m, gpaddr_t gpa, void *buf, size_t len)
{
	uint8_t *p = buf;
	if (len <= chunk_left(gpa)) {
		/* Within one chunk (rings, headers, most buffers): one lookup does. */
		const void *src = m->map(m->ctx, gpa, len);
		if (src == NULL) {
			return VIREO_EFAULT;
		}
		memcpy(p, src, len);
		return 0;
	}
	if (!gmem_valid(m, gpa, len)) {
		return VIREO_EFAULT;
	}
	while (len) {
		size_t n = (size_t)(chunk_left(gpa) < len ? chunk_left(gpa) : len);
		/* Checked again: a chunk valid a moment ago may fail to map now (its guest was
		 * reset meanwhile and the tables ran out of memory). */
		const void *src = m->map(m->ctx, gpa, n);
		if (src == NULL) {
			return VIREO_EFAULT;
		}
		memcpy(p, src, n);
		gpa += n;
		p += n;
		len -= n;
	}
	return 0;
}

int gmem_write(const struct gmem *m, gpaddr_t gpa, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	if (len <= chunk_left(gpa)) {
		void *dst = m->map(m->ctx, gpa, len);
		if (dst == NULL) {
			return VIREO_EFAULT;
		}
		memcpy(dst, p, len);
		return 0;
	}
	if (!gmem_valid(m, gpa, len)) {
		return VIREO_EFAULT;
	}
	while (len) {
		size_t n = (size_t)(chunk_left(gpa) < len ? chunk_left(gpa) : len);
		void *dst = m->map(m->ctx, gpa, n);
		if (dst == NULL) {
			return VIREO_EFAULT; /* as in gmem_read */
		}
		memcpy(dst, p, n);
		gpa += n;
		p += n;
		len -= n;
	}
	return 0;
}
