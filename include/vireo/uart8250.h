/* SPDX-License-Identifier: GPL-2.0-only */
/** Host driver for 8250/16550-compatible UARTs (register logic only; binding in core/boot.c). */
#ifndef VIREO_UART8250_H
#define VIREO_UART8250_H

#include <vireo/console.h>
#include <vireo/types.h>

struct uart8250 {
	uintptr_t base;
	unsigned int reg_shift;
	unsigned int io_width; /**< 1 or 4 bytes per register access */
};

/** Prepares the device (firmware already set the line parameters) with receive interrupts. */
void uart8250_init(struct uart8250 *u, paddr_t base, unsigned int reg_shift, unsigned int io_width);

/** Console operations for a struct uart8250. */
extern const struct console_ops uart8250_console_ops;

#endif
