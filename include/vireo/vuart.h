/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * A guest-facing ns16550a UART (emul/vuart.c), modelled on the register semantics of the
 * TI/National PC16550D datasheet. Registers sit at stride 1 (reg-shift 0) and take 1-byte
 * accesses only. Transmission is instant: a byte written to THR goes straight to the tx
 * callback, so THRE and TEMT always read as set.
 *
 * The model does no locking: the caller serialises vuart_access() and vuart_rx_push() on one
 * device (both may call the tx and irq callbacks).
 */
#ifndef VIREO_VUART_H
#define VIREO_VUART_H

#include <vireo/types.h>
#include <vireo/vmmio.h>

/** Depth of the receiver FIFO (PC16550D: 16 bytes). */
#define VUART_FIFO_SIZE 16
/** Number of byte registers; offsets at or above it fault. */
#define VUART_REG_COUNT 8

/* Register offsets (PC16550D Table II). */
#define VUART_RBR 0 /**< read, DLAB = 0: receiver buffer */
#define VUART_THR 0 /**< write, DLAB = 0: transmitter holding */
#define VUART_DLL 0 /**< DLAB = 1: divisor latch, low byte */
#define VUART_IER 1 /**< DLAB = 0: interrupt enable */
#define VUART_DLM 1 /**< DLAB = 1: divisor latch, high byte */
#define VUART_IIR 2 /**< read: interrupt identification */
#define VUART_FCR 2 /**< write: FIFO control */
#define VUART_LCR 3 /**< line control */
#define VUART_MCR 4 /**< modem control */
#define VUART_LSR 5 /**< line status */
#define VUART_MSR 6 /**< modem status */
#define VUART_SCR 7 /**< scratch */

/* IER bits. */
#define VUART_IER_ERBFI 0x01 /**< received data available */
#define VUART_IER_ETBEI 0x02 /**< transmitter holding register empty */
#define VUART_IER_ELSI  0x04 /**< receiver line status */
#define VUART_IER_EDSSI 0x08 /**< modem status */

/* IIR values (bits 3:0) and the FIFO-enabled bits 7:6. */
#define VUART_IIR_NONE  0x01
#define VUART_IIR_RLS   0x06
#define VUART_IIR_RDA   0x04
#define VUART_IIR_THRE  0x02
#define VUART_IIR_MSI   0x00
#define VUART_IIR_FIFOS 0xc0

/* FCR bits. */
#define VUART_FCR_ENABLE   0x01
#define VUART_FCR_RX_RESET 0x02
#define VUART_FCR_TX_RESET 0x04

/* LCR and MCR bits. */
#define VUART_LCR_DLAB 0x80
#define VUART_MCR_DTR  0x01
#define VUART_MCR_RTS  0x02
#define VUART_MCR_OUT1 0x04
#define VUART_MCR_OUT2 0x08
#define VUART_MCR_LOOP 0x10

/* LSR bits. */
#define VUART_LSR_DR   0x01
#define VUART_LSR_OE   0x02
#define VUART_LSR_THRE 0x20
#define VUART_LSR_TEMT 0x40

/* MSR bits: deltas in 3:0, line states in 7:4. */
#define VUART_MSR_DCTS   0x01
#define VUART_MSR_DDSR   0x02
#define VUART_MSR_TERI   0x04
#define VUART_MSR_DDCD   0x08
#define VUART_MSR_DELTAS 0x0f
#define VUART_MSR_CTS    0x10
#define VUART_MSR_DSR    0x20
#define VUART_MSR_RI     0x40
#define VUART_MSR_DCD    0x80

/** One emulated UART. Fields are the model's state; users go through the functions below. */
struct vuart {
	uint8_t ier; /**< IER, bits 3:0 */
	uint8_t fcr; /**< FCR bits kept: enable, DMA mode, RX trigger */
	uint8_t lcr;
	uint8_t mcr; /**< MCR, bits 4:0 */
	uint8_t msr; /**< line states and the latched deltas */
	uint8_t scr;
	uint8_t dll;
	uint8_t dlm;
	bool overrun;      /**< LSR.OE, until LSR is read */
	bool thre_pending; /**< the THRE interrupt is latched (PC16550D Table IV) */
	bool irq_level;    /**< last level given to irq() */
	uint8_t rx_fifo[VUART_FIFO_SIZE];
	unsigned int rx_head;  /**< index of the oldest byte */
	unsigned int rx_count; /**< bytes held, <= VUART_FIFO_SIZE */
	uint64_t rx_dropped;   /**< input bytes lost to a full FIFO or to loopback */
	void (*tx)(void *ctx, char c);
	void (*irq)(void *ctx, bool level);
	void *ctx;
};

/**
 * Resets u to the PC16550D power-on state (Table III) and sets its callbacks: tx() receives
 * each transmitted byte, irq() each change of the interrupt output. Either may be NULL.
 */
void vuart_init(struct vuart *u, void (*tx)(void *ctx, char c), void (*irq)(void *ctx, bool level),
                void *ctx);

/** One guest register access (dev is the struct vuart). VIREO_EFAULT unless width 1, offset < 8. */
int vuart_access(void *dev, struct vmmio_access *a);

/**
 * Host input: queues c in the receiver FIFO. False when the byte is dropped (FIFO full, which
 * also sets LSR.OE, or loopback mode, where the serial input is disconnected); drops are counted.
 */
bool vuart_rx_push(struct vuart *u, char c);

/** The device model; .access = vuart_access. */
extern const struct vmmio_ops vuart_ops;

#endif
