/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The split virtqueue walker (emul/virtqueue.c) driven directly over a fake guest RAM: the
 * input chooses a queue size and ring addresses (checked by virtq_check(), anything goes), then
 * a sequence of RAM stores, descriptor writes, avail ring updates, pops, pushes and chain
 * copies.
 *
 * Checked for each chain popped: at most VIRTQ_SEG_MAX segments, readable ones first, none
 * empty, each inside guest RAM, lengths adding up to read_len/write_len within
 * VIRTQ_CHAIN_BYTES_MAX, the head inside the table; the whole readable part can be copied out
 * and one byte more is VIREO_ERANGE. A failed pop names its fault; the ring indexes move only
 * as documented.
 */
#include <vireo/errno.h>
#include <vireo/virtqueue.h>

#include "fuzz_virtio.h"

static void check_chain(struct fake_ram *ram, const struct virtq *q, const struct virtq_chain *c)
{
	uint64_t rd = 0;
	uint64_t wr = 0;
	uint8_t buf[512];

	FUZZ_CHECK(c->head < q->size);
	FUZZ_CHECK(c->seg_count <= VIRTQ_SEG_MAX && c->read_count <= c->seg_count);
	for (unsigned int i = 0; i < c->seg_count; i++) {
		const struct virtq_seg *s = &c->seg[i];

		FUZZ_CHECK(s->len > 0 && s->write == (i >= c->read_count));
		FUZZ_CHECK(gmem_valid(&ram->gmem, s->gpa, s->len));
		if (s->write) {
			wr += s->len;
		} else {
			rd += s->len;
		}
	}
	FUZZ_CHECK(rd == c->read_len && wr == c->write_len);
	FUZZ_CHECK(rd + wr <= VIRTQ_CHAIN_BYTES_MAX);
	/* Both parts copy end to end in pieces; a byte past either end is refused. */
	for (uint64_t off = 0; off < rd; off += sizeof(buf)) {
		size_t n = rd - off < sizeof(buf) ? (size_t)(rd - off) : sizeof(buf);

		FUZZ_CHECK(virtq_chain_read(&ram->gmem, c, off, buf, n) == 0);
	}
	FUZZ_CHECK(virtq_chain_read(&ram->gmem, c, rd, buf, 1) == VIREO_ERANGE);
	FUZZ_CHECK(virtq_chain_write(&ram->gmem, c, wr, buf, 1) == VIREO_ERANGE);
	FUZZ_CHECK(virtq_chain_read(&ram->gmem, c, UINT64_MAX, buf, 1) == VIREO_ERANGE);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct fake_ram ram;
	struct virtq q;
	struct virtq_chain c;
	uint32_t qsize = fuzz_u8(&in) & 1u ? 1u << (fuzz_u8(&in) % 9u) : fuzz_u16(&in);
	uint64_t desc = fuzz_gpa(&in);
	uint64_t avail = fuzz_gpa(&in);
	uint64_t used = fuzz_gpa(&in);
	uint16_t avail_idx = 0;
	uint16_t last_head = 0;
	bool have_chain = false; /* c holds the chain of the last successful pop */
	int ret;

	fake_ram_init(&ram);
	ret = virtq_check(&ram.gmem, desc, avail, used, qsize);
	FUZZ_CHECK(ret == 0 || ret == VIREO_EINVAL || ret == VIREO_EFAULT);
	if (ret != 0) {
		goto out;
	}
	virtq_init(&q, desc, avail, used, (uint16_t)qsize);
	while (fuzz_more(&in)) {
		uint8_t op = fuzz_u8(&in);

		switch (op % 8u) {
		case 0: { /* bytes into RAM */
			uint64_t gpa = fuzz_gpa(&in);
			uint8_t buf[256];
			size_t len = fuzz_u8(&in);

			for (size_t i = 0; i < len; i++) {
				buf[i] = fuzz_u8(&in);
			}
			(void)fake_ram_copy(&ram, gpa, buf, len, true);
			break;
		}
		case 1: { /* a descriptor */
			uint16_t i = (uint16_t)(fuzz_u16(&in) & (q.size - 1u));
			uint8_t d[16];
			uint64_t addr = fuzz_gpa(&in);
			uint32_t len = fuzz_u8(&in) & 1u ? fuzz_u32(&in) : fuzz_u16(&in) % 0x1100u;
			uint16_t flags = fuzz_u8(&in) & 0x7u;
			uint16_t next = fuzz_u16(&in);

			memcpy(d, &addr, 8);
			memcpy(d + 8, &len, 4);
			memcpy(d + 12, &flags, 2);
			memcpy(d + 14, &next, 2);
			FUZZ_CHECK(fake_ram_copy(&ram, desc + 16ULL * i, d, sizeof(d), true));
			break;
		}
		case 2: { /* publish a head */
			uint16_t head = fuzz_u16(&in);

			FUZZ_CHECK(fake_ram_copy(
			    &ram, avail + 4 + 2ULL * (avail_idx & (q.size - 1u)), &head, 2, true));
			avail_idx++;
			FUZZ_CHECK(fake_ram_copy(&ram, avail + 2, &avail_idx, 2, true));
			break;
		}
		case 3: { /* pop */
			struct virtq before = q;

			ret = virtq_pop(&q, &ram.gmem, &c);
			if (ret == 0 || ret == VIREO_EINVAL) {
				FUZZ_CHECK(q.last_avail == (uint16_t)(before.last_avail + 1));
				FUZZ_CHECK(c.head < q.size);
				last_head = c.head;
			} else {
				FUZZ_CHECK(ret == VIREO_EAGAIN || ret == VIREO_EIO);
				FUZZ_CHECK(q.last_avail == before.last_avail);
			}
			have_chain = ret == 0;
			if (ret == 0) {
				FUZZ_CHECK(c.fault == NULL);
				check_chain(&ram, &q, &c);
			} else if (ret != VIREO_EAGAIN) {
				FUZZ_CHECK(c.fault != NULL);
			}
			break;
		}
		case 4: { /* push */
			uint16_t used_before = q.used_idx;

			FUZZ_CHECK(virtq_push(&q, &ram.gmem, last_head, fuzz_u32(&in)) == 0);
			FUZZ_CHECK(q.used_idx == (uint16_t)(used_before + 1));
			break;
		}
		case 5: { /* avail idx and flags set to anything */
			uint16_t v[2] = {fuzz_u16(&in), fuzz_u16(&in)};

			avail_idx = v[1];
			FUZZ_CHECK(fake_ram_copy(&ram, avail, v, sizeof(v), true));
			(void)virtq_want_interrupt(&q, &ram.gmem);
			break;
		}
		case 6: /* a copy at any offset of the last chain */
			if (have_chain) {
				uint8_t buf[64] = {0};
				uint64_t off = fuzz_u32(&in);
				size_t len = fuzz_u8(&in) % sizeof(buf);

				if (fuzz_u8(&in) & 1u) {
					(void)virtq_chain_write(&ram.gmem, &c, off, buf, len);
				} else {
					(void)virtq_chain_read(&ram.gmem, &c, off, buf, len);
				}
			}
			break;
		default: /* the driver's own idea of its index */
			avail_idx = fuzz_u16(&in);
			break;
		}
	}
out:
	fake_ram_free(&ram);
	return 0;
}
