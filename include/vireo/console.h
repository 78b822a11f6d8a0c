/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The host console: the management terminal's input and output. Output from every hart goes
 * through one lock (re-entrant on the same hart, so a panic can still print) and "\n" becomes
 * "\r\n". Input bytes arrive from the UART interrupt into a ring and wake the reading thread.
 */
#ifndef VIREO_CONSOLE_H
#define VIREO_CONSOLE_H

#include <vireo/compiler.h>

struct console_ops {
	const char *name;
	void (*putc)(void *dev, char c);
	/** Returns a received byte or -1. */
	int (*getc)(void *dev);
};

/** Switches output from the firmware console to a real device. */
void console_register(const struct console_ops *ops, void *dev);

/** Name of the active console device. */
const char *console_name(void);

/**
 * Holds console output for this hart (re-entrant; masks interrupts) so a multi-step update,
 * such as a line editor changing its line, cannot interleave with asynchronous output.
 */
unsigned long console_lock(void);
void console_unlock(unsigned long flags);

/** Writes len bytes atomically with respect to other harts. */
void console_write(const char *s, size_t len);

/** Writes a whole NUL-terminated string atomically. */
void console_puts(const char *s);

/** Formats and writes atomically. Returns the number of bytes written. */
__printf_like(1, 2) int console_printf(const char *fmt, ...);

/**
 * Writes an asynchronous message (a log line): if an input line is being edited, the prompt is
 * erased first and redrawn after, so log output never mixes with what the user types.
 */
void console_write_async(const char *s, size_t len);

/** Registers the redraw callback of the active line editor (NULL: none). */
void console_set_redraw(void (*redraw)(void *ctx), void *ctx);

/** Called from the device's receive interrupt (or poller): drains the device into the ring. */
void console_rx_poll(void);

/** Next input byte, or -1 if none is buffered. */
int console_try_getc(void);

/** Blocks the calling thread until an input byte arrives. */
char console_getc(void);

/** Records how input arrives ("interrupt", "polled"), for `host info`. */
void console_set_input_mode(const char *mode);
const char *console_input_mode(void);

/** Counts of bytes received and dropped because the ring was full. */
void console_rx_stats(uint64_t *received, uint64_t *dropped);

#endif
