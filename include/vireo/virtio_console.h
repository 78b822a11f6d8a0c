/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * VirtIO console device model (emul/virtio_console.c), VirtIO 1.2 section 5.3: one port, no
 * VIRTIO_CONSOLE_F_MULTIPORT, so queues 0 = receiveq0 and 1 = transmitq0. Offers
 * VIRTIO_CONSOLE_F_SIZE when cols/rows are given and VIRTIO_CONSOLE_F_EMERG_WRITE.
 *
 * Not locked: the glue holds the device lock around virtio_mmio_access() and
 * virtio_console_input(). Transmitted bytes reach out() under that lock, from the QueueNotify
 * write (or an emerg_wr config write); out() must not block for long.
 */
#ifndef VIREO_VIRTIO_CONSOLE_H
#define VIREO_VIRTIO_CONSOLE_H

#include <vireo/types.h>
#include <vireo/virtio_mmio.h>

#define VIRTIO_CONSOLE_F_SIZE        0U
#define VIRTIO_CONSOLE_F_EMERG_WRITE 2U

#define VIRTIO_CONSOLE_RXQ 0U
#define VIRTIO_CONSOLE_TXQ 1U

#define VIRTIO_CONSOLE_QUEUE_SIZE 64U
/** Bytes passed to out() per transmit buffer; the rest of a larger buffer is dropped. */
#define VIRTIO_CONSOLE_TX_MAX 4096U

struct virtio_console_stats {
	uint64_t rx_bytes, tx_bytes;
	uint64_t tx_dropped; /**< bytes beyond VIRTIO_CONSOLE_TX_MAX in one buffer */
	uint64_t errors;     /**< malformed chains */
};

/** One console. The glue maps &con->vm with virtio_mmio_ops. */
struct virtio_console {
	struct virtio_mmio vm;
	uint16_t cols, rows;
	void (*out)(void *ctx, const char *buf, size_t len);
	void (*notify)(void *ctx, unsigned int queue);
	void *ctx;
	struct virtio_console_stats stats;
};

/**
 * Sets c up. out(ctx, buf, len) receives guest output (NULL: discarded, still counted).
 * notify(ctx, queue), may be NULL, is told when the driver adds receive buffers
 * (VIRTIO_CONSOLE_RXQ), so pending host input can be retried. cols/rows of 0 leave
 * VIRTIO_CONSOLE_F_SIZE out. irq: see virtio_mmio_init().
 */
void virtio_console_init(struct virtio_console *c, uint16_t cols, uint16_t rows,
                         void (*out)(void *ctx, const char *buf, size_t len),
                         void (*notify)(void *ctx, unsigned int queue), void *ctx,
                         const struct gmem *mem, void (*irq)(void *ctx, bool level), void *irq_ctx);

/**
 * Host input: fills the guest's receive buffers with up to len bytes of buf, one chain after
 * another. Returns how many bytes were taken (0 when no buffer is available or the device is
 * not live); the caller keeps the rest.
 */
size_t virtio_console_input(struct virtio_console *c, const char *buf, size_t len);

#endif
