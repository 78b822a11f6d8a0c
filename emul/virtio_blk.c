/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * VirtIO block device (VirtIO 1.2 section 5.2) on a memory-backed disk image. A request is a
 * 16-byte header (type, reserved, sector) in the device-readable part, then data, then one
 * status byte as the last device-writable byte (5.2.6). Descriptor boundaries are not assumed
 * (2.6.4): the chain is treated as a readable and a writable byte stream. Framing that does not
 * fit the type (extra readable bytes for IN, extra writable bytes for OUT, data not a multiple
 * of 512) fails the request with IOERR; a chain with no writable byte cannot carry a status and
 * is given back with length 0.
 */
#include <vireo/errno.h>
#include <vireo/string.h>
#include <vireo/virtio_blk.h>

#define HDR_LEN     16U
#define CONFIG_SIZE 16U /* capacity, size_max, seg_max (5.2.4) */

struct blk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

static void put_le(uint8_t *p, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++) {
		p[i] = (uint8_t)(v >> (8U * i));
	}
}

static void blk_config_read(void *dev, uint32_t off, void *buf, unsigned int len)
{
	const struct virtio_blk *b = dev;
	uint8_t cfg[CONFIG_SIZE];
	put_le(cfg, b->capacity, 8);
	put_le(cfg + 8, VIRTIO_BLK_SIZE_MAX, 4);
	put_le(cfg + 12, VIRTIO_BLK_SEG_MAX, 4);
	memcpy(buf, cfg + off, len);
}

/* Byte offset of [sector, sector + bytes/512) in the image, or false if out of range. */
static bool disk_range(const struct virtio_blk *b, uint64_t sector, uint64_t bytes, uint64_t *at)
{
	if (bytes % VIRTIO_BLK_SECTOR != 0 || sector > b->capacity ||
	    bytes / VIRTIO_BLK_SECTOR > b->capacity - sector) {
		return false;
	}
	*at = sector * VIRTIO_BLK_SECTOR;
	return true;
}

/* VirtIO 1.2 5.2.3: the device offers size_max (bytes per segment) and seg_max (data
 * segments per request); a request beyond them is a driver error. */
static bool within_limits(const struct virtq_chain *c)
{
	if (c->seg_count > VIRTIO_BLK_SEG_MAX + 2U) {
		return false;
	}
	for (unsigned int i = 0; i < c->seg_count; i++) {
		if (c->seg[i].len > VIRTIO_BLK_SIZE_MAX) {
			return false;
		}
	}
	return true;
}

/* Serves one request; data bytes written at the start of the writable part go to *data. */
static uint8_t serve(const struct virtio_blk *b, const struct virtq_chain *c, uint64_t data_len,
                     uint64_t *data, uint8_t *type)
{
	const struct gmem *m = b->vm.mem;
	struct blk_hdr h;
	uint64_t at;
	*data = 0;
	*type = 0xff;
	if (c->read_len < HDR_LEN || virtq_chain_read(m, c, 0, &h, sizeof(h)) != 0) {
		return VIRTIO_BLK_S_IOERR;
	}
	if (!within_limits(c)) {
		return VIRTIO_BLK_S_IOERR;
	}
	switch (h.type) {
	case VIRTIO_BLK_T_IN:
		if (c->read_len != HDR_LEN || !disk_range(b, h.sector, data_len, &at) ||
		    virtq_chain_write(m, c, 0, b->image + at, (size_t)data_len) != 0) {
			return VIRTIO_BLK_S_IOERR;
		}
		*data = data_len;
		*type = VIRTIO_BLK_T_IN;
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_OUT:
		data_len = c->read_len - HDR_LEN;
		if (b->read_only || c->write_len != 1 || !disk_range(b, h.sector, data_len, &at) ||
		    virtq_chain_read(m, c, HDR_LEN, b->image + at, (size_t)data_len) != 0) {
			return VIRTIO_BLK_S_IOERR;
		}
		*data = data_len;
		*type = VIRTIO_BLK_T_OUT;
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_FLUSH:
		if (c->read_len != HDR_LEN || c->write_len != 1) {
			return VIRTIO_BLK_S_IOERR;
		}
		*type = VIRTIO_BLK_T_FLUSH; /* memory-backed: nothing to write back */
		return VIRTIO_BLK_S_OK;
	case VIRTIO_BLK_T_GET_ID: {
		/* 20 bytes, NUL-padded only when the serial is shorter. */
		char id[VIRTIO_BLK_ID_LEN] = {0};
		size_t n = data_len < VIRTIO_BLK_ID_LEN ? (size_t)data_len : VIRTIO_BLK_ID_LEN;
		memcpy(id, b->serial, strnlen(b->serial, VIRTIO_BLK_ID_LEN));
		if (c->read_len != HDR_LEN || n == 0 || virtq_chain_write(m, c, 0, id, n) != 0) {
			return VIRTIO_BLK_S_IOERR;
		}
		*data = n;
		*type = VIRTIO_BLK_T_GET_ID;
		return VIRTIO_BLK_S_OK;
	}
	default:
		return VIRTIO_BLK_S_UNSUPP;
	}
}

int virtio_blk_take(struct virtio_blk *b, struct virtio_blk_req *req)
{
	return virtio_mmio_take(&b->vm, 0, &req->chain, &b->stats.errors);
}

void virtio_blk_serve(const struct virtio_blk *b, struct virtio_blk_req *req)
{
	const struct virtq_chain *c = &req->chain;
	req->type = 0xff;
	req->data = 0;
	req->used = 0;
	if (c->write_len == 0) {
		req->status = VIRTIO_BLK_S_IOERR; /* nowhere to put a status */
		return;
	}
	uint64_t status_at = c->write_len - 1;
	req->status = serve(b, c, status_at, &req->data, &req->type);
	if (virtq_chain_write(b->vm.mem, c, status_at, &req->status, 1) != 0) {
		status_at = UINT64_MAX;
	}
	/* 2.7.8.1: len counts the bytes written from the start of the writable part: the data
	 * of a read (or GET_ID), then the status byte if it directly follows. */
	bool wrote_data = req->type == VIRTIO_BLK_T_IN || req->type == VIRTIO_BLK_T_GET_ID;
	uint64_t written = wrote_data && req->status == VIRTIO_BLK_S_OK ? req->data : 0;
	req->used = (uint32_t)(written == status_at ? written + 1 : written);
}

void virtio_blk_finish(struct virtio_blk *b, const struct virtio_blk_req *req)
{
	struct virtio_blk_stats *s = &b->stats;
	if (req->status != VIRTIO_BLK_S_OK) {
		s->errors++;
	} else if (req->type == VIRTIO_BLK_T_IN) {
		s->reads++;
		s->bytes_read += req->data;
	} else if (req->type == VIRTIO_BLK_T_OUT) {
		s->writes++;
		s->bytes_written += req->data;
	} else if (req->type == VIRTIO_BLK_T_FLUSH) {
		s->flushes++;
	} else if (req->type == VIRTIO_BLK_T_GET_ID) {
		s->get_ids++;
	}
	virtio_mmio_push(&b->vm, 0, req->chain.head, req->used);
}

/* One whole request under the device lock: for users that can hold it for the copy. */
static bool blk_serve(void *dev, unsigned int queue)
{
	struct virtio_blk *b = dev;
	struct virtio_blk_req req;
	(void)queue;
	int err = virtio_blk_take(b, &req);
	if (err == VIREO_EAGAIN) {
		return false;
	}
	if (err == 0) {
		virtio_blk_serve(b, &req);
		virtio_blk_finish(b, &req);
	}
	return true;
}

static const struct virtio_dev_ops blk_ops = {
    .name = "virtio-blk",
    .device_id = VIRTIO_ID_BLOCK,
    .queue_count = 1,
    .queue_size_max = VIRTIO_BLK_QUEUE_SIZE,
    .config_size = CONFIG_SIZE,
    .config_read = blk_config_read,
    .serve = blk_serve,
};

void virtio_blk_init(struct virtio_blk *b, void *image, uint64_t size, bool read_only,
                     const char *serial, const struct gmem *mem, void (*irq)(void *ctx, bool level),
                     void *irq_ctx)
{
	uint64_t features = (1ULL << VIRTIO_BLK_F_SIZE_MAX) | (1ULL << VIRTIO_BLK_F_SEG_MAX) |
	                    (1ULL << VIRTIO_BLK_F_FLUSH);
	if (read_only) {
		features |= 1ULL << VIRTIO_BLK_F_RO;
	}
	memset(b, 0, sizeof(*b));
	b->image = image;
	b->capacity = size / VIRTIO_BLK_SECTOR;
	b->read_only = read_only;
	if (serial) {
		strlcpy(b->serial, serial, sizeof(b->serial));
	}
	virtio_mmio_init(&b->vm, &blk_ops, b, features, mem, irq, irq_ctx);
}
