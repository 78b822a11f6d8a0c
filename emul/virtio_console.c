/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * VirtIO console device (VirtIO 1.2 section 5.3), single port. Transmit buffers are
 * device-readable only and receive buffers device-writable only (5.3.6); a chain breaking that
 * is given back with length 0 and counted. Config space (5.3.4): cols, rows, max_nr_ports (0,
 * no multiport) and the write-only emerg_wr register.
 */
#include <vireo/errno.h>
#include <vireo/string.h>
#include <vireo/virtio_console.h>

#define CONFIG_SIZE 12U
#define EMERG_WR    8U
#define OUT_CHUNK   256U

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void con_config_read(void *dev, uint32_t off, void *buf, unsigned int len)
{
	const struct virtio_console *c = dev;
	uint8_t cfg[CONFIG_SIZE] = {0};
	put_le16(cfg, c->cols);
	put_le16(cfg + 2, c->rows);
	memcpy(buf, cfg + off, len); /* emerg_wr reads 0 */
}

/* 5.3.4: a write to emerg_wr outputs its low byte, even before DRIVER_OK. */
static void con_config_write(void *dev, uint32_t off, const void *buf, unsigned int len)
{
	struct virtio_console *c = dev;
	if (off == EMERG_WR && len == 4 && c->out) {
		c->out(c->ctx, buf, 1);
		c->stats.tx_bytes++;
	}
}

static void transmit(struct virtio_console *c, const struct virtq_chain *ch)
{
	char buf[OUT_CHUNK];
	if (ch->write_len != 0) {
		c->stats.errors++;
	} else {
		uint64_t n =
		    ch->read_len < VIRTIO_CONSOLE_TX_MAX ? ch->read_len : VIRTIO_CONSOLE_TX_MAX;
		uint64_t done = 0;
		while (done < n) {
			size_t k = n - done < OUT_CHUNK ? (size_t)(n - done) : OUT_CHUNK;
			if (virtq_chain_read(c->vm.mem, ch, done, buf, k) != 0) {
				break;
			}
			if (c->out) {
				c->out(c->ctx, buf, k);
			}
			done += k;
		}
		c->stats.tx_bytes += done;
		c->stats.tx_dropped += ch->read_len - done;
	}
	virtio_mmio_push(&c->vm, VIRTIO_CONSOLE_TXQ, ch->head, 0);
}

static void con_notify(void *dev, unsigned int queue)
{
	struct virtio_console *c = dev;
	if (queue == VIRTIO_CONSOLE_RXQ && c->notify) {
		c->notify(c->ctx, queue);
	}
}

/* One transmit buffer per call (VIRTIO_CONSOLE_TX_MAX bytes at most); the receive queue is
 * fed by virtio_console_input() when the host has input. */
static bool con_serve(void *dev, unsigned int queue)
{
	struct virtio_console *c = dev;
	struct virtq_chain ch;
	if (queue != VIRTIO_CONSOLE_TXQ) {
		return false;
	}
	int err = virtio_mmio_take(&c->vm, VIRTIO_CONSOLE_TXQ, &ch, &c->stats.errors);
	if (err) {
		return err == VIREO_EINVAL; /* a malformed one was given back: go on */
	}
	transmit(c, &ch);
	return true;
}

size_t virtio_console_input(struct virtio_console *c, const char *buf, size_t len)
{
	struct virtq_chain ch;
	size_t done = 0;
	for (unsigned int i = 0; i < VIRTIO_CONSOLE_QUEUE_SIZE && done < len; i++) {
		int err = virtio_mmio_take(&c->vm, VIRTIO_CONSOLE_RXQ, &ch, &c->stats.errors);
		if (err == VIREO_EINVAL) {
			continue;
		}
		if (err) {
			break;
		}
		size_t n = len - done < ch.write_len ? len - done : (size_t)ch.write_len;
		if (ch.read_len != 0 || virtq_chain_write(c->vm.mem, &ch, 0, buf + done, n) != 0) {
			c->stats.errors++;
			n = 0;
		}
		virtio_mmio_push(&c->vm, VIRTIO_CONSOLE_RXQ, ch.head, (uint32_t)n);
		done += n;
	}
	c->stats.rx_bytes += done;
	return done;
}

static const struct virtio_dev_ops con_ops = {
    .name = "virtio-console",
    .device_id = VIRTIO_ID_CONSOLE,
    .queue_count = 2,
    .queue_size_max = VIRTIO_CONSOLE_QUEUE_SIZE,
    .config_size = CONFIG_SIZE,
    .config_read = con_config_read,
    .config_write = con_config_write,
    .notify = con_notify,
    .serve = con_serve,
};

void virtio_console_init(struct virtio_console *c, uint16_t cols, uint16_t rows,
                         void (*out)(void *ctx, const char *buf, size_t len),
                         void (*notify)(void *ctx, unsigned int queue), void *ctx,
                         const struct gmem *mem, void (*irq)(void *ctx, bool level), void *irq_ctx)
{
	uint64_t features = 1ULL << VIRTIO_CONSOLE_F_EMERG_WRITE;
	if (cols != 0 && rows != 0) {
		features |= 1ULL << VIRTIO_CONSOLE_F_SIZE;
	}
	memset(c, 0, sizeof(*c));
	c->cols = cols;
	c->rows = rows;
	c->out = out;
	c->notify = notify;
	c->ctx = ctx;
	virtio_mmio_init(&c->vm, &con_ops, c, features, mem, irq, irq_ctx);
}
