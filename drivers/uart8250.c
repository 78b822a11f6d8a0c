/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * 16550-compatible UART (register map per the TI/National PC16550D datasheet): polled
 * transmit, interrupt-driven receive. The firmware has already programmed baud and framing.
 */
#include <vireo/uart8250.h>

#define REG_RBR 0 /* receive buffer (read) */
#define REG_THR 0 /* transmit holding (write) */
#define REG_IER 1 /* interrupt enable */
#define REG_FCR 2 /* FIFO control (write) */
#define REG_MCR 4 /* modem control */
#define REG_LSR 5 /* line status */

#define IER_RX_AVAIL  0x01
#define FCR_ENABLE    0x01
#define FCR_CLEAR_RX  0x02
#define MCR_OUT2      0x08 /* gates the interrupt line on PC-style boards */
#define LSR_DATA      0x01
#define LSR_THR_EMPTY 0x20

#define TX_SPIN_LIMIT 1000000U

static uint32_t reg_read(const struct uart8250 *u, unsigned int reg)
{
	uintptr_t addr = u->base + ((uintptr_t)reg << u->reg_shift);
	if (u->io_width == 4) {
		return *(volatile uint32_t *)addr;
	}
	return *(volatile uint8_t *)addr;
}

static void reg_write(const struct uart8250 *u, unsigned int reg, uint32_t val)
{
	uintptr_t addr = u->base + ((uintptr_t)reg << u->reg_shift);
	if (u->io_width == 4) {
		*(volatile uint32_t *)addr = val;
	} else {
		*(volatile uint8_t *)addr = (uint8_t)val;
	}
}

void uart8250_init(struct uart8250 *u, paddr_t base, unsigned int reg_shift, unsigned int io_width)
{
	u->base = (uintptr_t)base;
	u->reg_shift = reg_shift;
	u->io_width = io_width == 4 ? 4 : 1;
	reg_write(u, REG_FCR, FCR_ENABLE | FCR_CLEAR_RX);
	reg_write(u, REG_MCR, reg_read(u, REG_MCR) | MCR_OUT2);
	reg_write(u, REG_IER, IER_RX_AVAIL);
}

static void uart_putc(void *dev, char c)
{
	struct uart8250 *u = dev;
	/* Bounded wait: a wedged UART must not hang the hypervisor, only lose output. */
	for (unsigned int i = 0; i < TX_SPIN_LIMIT; i++) {
		if (reg_read(u, REG_LSR) & LSR_THR_EMPTY) {
			break;
		}
	}
	reg_write(u, REG_THR, (uint8_t)c);
}

static int uart_getc(void *dev)
{
	struct uart8250 *u = dev;
	if (!(reg_read(u, REG_LSR) & LSR_DATA)) {
		return -1;
	}
	return (int)(reg_read(u, REG_RBR) & 0xff);
}

const struct console_ops uart8250_console_ops = {
    .name = "ns16550a",
    .putc = uart_putc,
    .getc = uart_getc,
};
