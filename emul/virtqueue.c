/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Split virtqueue, device side (VirtIO 1.2 section 2.7). The driver runs on other harts, so
 * the 16-bit ring indexes are read and written as single aligned halfword accesses with
 * acquire/release fences (no 16-bit atomics: RISC-V AMOs are 32/64-bit only).
 *
 * Everything read from guest memory is untrusted: a descriptor is copied out once, then
 * checked; a chain is bounded by the queue size (2.7.5.3.1 loops), VIRTQ_SEG_MAX segments and
 * VIRTQ_CHAIN_BYTES_MAX bytes, and every buffer must lie in guest RAM.
 */
#include <vireo/errno.h>
#include <vireo/string.h>
#include <vireo/virtqueue.h>

/* VirtIO structures are little-endian (1.4); so are RISC-V and the unit-test hosts. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "little-endian host expected");

/* 2.7.5 The Virtqueue Descriptor Table. */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/* 2.7.6 and 2.7.8: offsets inside the avail and used rings. */
#define AVAIL_FLAGS   0U
#define AVAIL_IDX     2U
#define AVAIL_RING    4U
#define USED_IDX      2U
#define USED_RING     4U
#define USED_ELEM_LEN 8U

static uint64_t avail_bytes(uint32_t size)
{
	return 6ULL + 2ULL * size; /* flags, idx, ring[size], used_event */
}

static uint64_t used_bytes(uint32_t size)
{
	return 6ULL + 8ULL * size; /* flags, idx, ring[size] of {id, len}, avail_event */
}

int virtq_check(const struct gmem *m, gpaddr_t desc, gpaddr_t avail, gpaddr_t used, uint32_t size)
{
	/* 2.7: split queue sizes are powers of two; alignment table of 2.7. */
	if (size == 0 || size > VIRTQ_SIZE_MAX || (size & (size - 1)) != 0) {
		return VIREO_EINVAL;
	}
	if ((desc & 15U) != 0 || (avail & 1U) != 0 || (used & 3U) != 0) {
		return VIREO_EINVAL;
	}
	if (!gmem_valid(m, desc, 16ULL * size) || !gmem_valid(m, avail, avail_bytes(size)) ||
	    !gmem_valid(m, used, used_bytes(size))) {
		return VIREO_EFAULT;
	}
	return 0;
}

void virtq_init(struct virtq *q, gpaddr_t desc, gpaddr_t avail, gpaddr_t used, uint16_t size)
{
	q->desc = desc;
	q->avail = avail;
	q->used = used;
	q->size = size;
	q->last_avail = 0;
	q->used_idx = 0;
}

/* A halfword of a ring; aligned, so never across a GMEM_CHUNK boundary. */
static volatile uint16_t *ring_u16(const struct gmem *m, gpaddr_t gpa)
{
	return gmem_map(m, gpa, 2);
}

static int fail(struct virtq_chain *c, int err, const char *why)
{
	c->fault = why;
	return err;
}

/* Appends one descriptor's buffer to the chain, enforcing 2.7.4.2 and the limits. */
static int add_seg(const struct gmem *m, struct virtq_chain *c, const struct virtq_desc *d)
{
	bool write = (d->flags & VIRTQ_DESC_F_WRITE) != 0;
	if (!write && c->read_count != c->seg_count) {
		return fail(c, VIREO_EINVAL, "readable descriptor after a writable one");
	}
	if (d->len == 0) {
		return 0; /* describes nothing; harmless, so skipped */
	}
	if (c->seg_count == VIRTQ_SEG_MAX) {
		return fail(c, VIREO_EINVAL, "too many segments");
	}
	if (c->read_len + c->write_len + d->len > VIRTQ_CHAIN_BYTES_MAX) {
		return fail(c, VIREO_EINVAL, "chain too large");
	}
	if (!gmem_valid(m, d->addr, d->len)) {
		return fail(c, VIREO_EINVAL, "buffer outside guest RAM");
	}
	struct virtq_seg *s = &c->seg[c->seg_count++];
	s->gpa = d->addr;
	s->len = d->len;
	s->write = write;
	if (write) {
		c->write_len += d->len;
	} else {
		c->read_count++;
		c->read_len += d->len;
	}
	return 0;
}

int virtq_pop(struct virtq *q, const struct gmem *m, struct virtq_chain *c)
{
	c->fault = NULL;
	c->seg_count = 0;
	c->read_count = 0;
	c->read_len = 0;
	c->write_len = 0;
	c->head = 0;

	volatile uint16_t *avail_idx = ring_u16(m, q->avail + AVAIL_IDX);
	if (!avail_idx) {
		return fail(c, VIREO_EIO, "avail ring outside guest RAM");
	}
	uint16_t idx = *avail_idx;
	/* Pairs with the driver's release of avail->idx: ring entries are read after it. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	uint16_t pending = (uint16_t)(idx - q->last_avail);
	if (pending == 0) {
		return VIREO_EAGAIN;
	}
	if (pending > q->size) {
		/* 2.7.13.3: the driver never has more than size buffers outstanding. */
		return fail(c, VIREO_EIO, "avail idx more than queue size ahead");
	}
	gpaddr_t slot = q->avail + AVAIL_RING + 2ULL * (q->last_avail & (q->size - 1U));
	volatile uint16_t *ring = ring_u16(m, slot);
	if (!ring) {
		return fail(c, VIREO_EIO, "avail ring outside guest RAM");
	}
	uint16_t head = *ring;
	if (head >= q->size) {
		/* Nothing valid to give back in the used ring. */
		return fail(c, VIREO_EIO, "head index out of range");
	}
	q->last_avail++;
	c->head = head;

	uint16_t i = head;
	for (unsigned int walked = 0;; walked++) {
		struct virtq_desc d;
		if (walked == q->size) {
			/* 2.7.5.3.1 bounds a chain by the queue size: longer means a loop. */
			return fail(c, VIREO_EINVAL, "descriptor loop");
		}
		if (gmem_read(m, q->desc + 16ULL * i, &d, sizeof(d)) != 0) {
			return fail(c, VIREO_EIO, "descriptor table outside guest RAM");
		}
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			return fail(c, VIREO_EINVAL, "indirect descriptor (not offered)");
		}
		int err = add_seg(m, c, &d);
		if (err) {
			return err;
		}
		if (!(d.flags & VIRTQ_DESC_F_NEXT)) {
			return 0;
		}
		if (d.next >= q->size) {
			return fail(c, VIREO_EINVAL, "next index out of range");
		}
		i = d.next;
	}
}

int virtq_push(struct virtq *q, const struct gmem *m, uint16_t head, uint32_t len)
{
	uint32_t elem[2] = {head, len};
	gpaddr_t at = q->used + USED_RING + USED_ELEM_LEN * (q->used_idx & (q->size - 1U));
	volatile uint16_t *used_idx = ring_u16(m, q->used + USED_IDX);
	if (!used_idx || gmem_write(m, at, elem, sizeof(elem)) != 0) {
		return VIREO_EIO;
	}
	q->used_idx++;
	/* 2.7.8.2: the element (and the buffer contents) are visible before the new idx. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	*used_idx = q->used_idx;
	return 0;
}

bool virtq_want_interrupt(const struct virtq *q, const struct gmem *m)
{
	/* The used idx store must be globally visible before the flags are sampled, or a driver
	 * clearing NO_INTERRUPT after its last check could miss this buffer (2.7.7.2). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	volatile uint16_t *flags = ring_u16(m, q->avail + AVAIL_FLAGS);
	if (!flags) {
		return true;
	}
	return (*flags & VIRTQ_AVAIL_F_NO_INTERRUPT) == 0;
}

/* Copies between buf and the readable (write = false) or writable part of a chain. */
static int chain_copy(const struct gmem *m, const struct virtq_chain *c, bool write, uint64_t off,
                      void *buf, size_t len)
{
	uint64_t total = write ? c->write_len : c->read_len;
	if (off > total || len > total - off) {
		return VIREO_ERANGE;
	}
	unsigned int first = write ? c->read_count : 0;
	unsigned int end = write ? c->seg_count : c->read_count;
	uint8_t *p = buf;
	for (unsigned int s = first; s < end && len > 0; s++) {
		const struct virtq_seg *seg = &c->seg[s];
		if (off >= seg->len) {
			off -= seg->len;
			continue;
		}
		size_t n = (size_t)(seg->len - off) < len ? (size_t)(seg->len - off) : len;
		int err = write ? gmem_write(m, seg->gpa + off, p, n)
		                : gmem_read(m, seg->gpa + off, p, n);
		if (err) {
			return err;
		}
		p += n;
		len -= n;
		off = 0;
	}
	return 0;
}

int virtq_chain_read(const struct gmem *m, const struct virtq_chain *c, uint64_t off, void *buf,
                     size_t len)
{
	return chain_copy(m, c, false, off, buf, len);
}

int virtq_chain_write(const struct gmem *m, const struct virtq_chain *c, uint64_t off,
                      const void *buf, size_t len)
{
	/* gmem_write only reads buf; chain_copy takes one pointer type for both directions. */
	return chain_copy(m, c, true, off, (void *)(uintptr_t)buf, len);
}
