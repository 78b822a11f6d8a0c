/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The host console. Output: one lock for every hart, re-entrant on the owning hart (a panic or
 * a log line raised while printing must not deadlock). Before a UART is bound, output goes
 * through the SBI legacy console. Input: a byte ring filled in interrupt context and drained by
 * one reader thread.
 */
#include <stdarg.h>
#include <vireo/console.h>
#include <vireo/percpu.h>
#include <vireo/printf.h>
#include <vireo/sched.h>
#include <vireo/spinlock.h>
#include <vireo/string.h>
#include <arch/sbi.h>

#define RX_RING_SIZE 512

static const struct console_ops *dev_ops;
static void *dev_data;

static spinlock_t out_lock = SPINLOCK_INIT;
static volatile long out_owner = -1; /* logical cpu holding out_lock, -1: none */
static unsigned int out_depth;

static void (*redraw_fn)(void *ctx);
static void *redraw_ctx;

static spinlock_t rx_lock = SPINLOCK_INIT;
static char rx_ring[RX_RING_SIZE];
static unsigned int rx_head, rx_tail;
static struct thread *rx_waiter;
static uint64_t rx_received, rx_dropped;
static const char *input_mode = "no";

static unsigned long out_acquire(void)
{
	unsigned long flags = arch_irq_save();
	long me = (long)this_cpu_id();
	if (out_owner == me) {
		out_depth++;
		return flags;
	}
	spin_lock(&out_lock);
	out_owner = me;
	out_depth = 1;
	return flags;
}

static void out_release(unsigned long flags)
{
	if (--out_depth == 0) {
		out_owner = -1;
		spin_unlock(&out_lock);
	}
	arch_irq_restore(flags);
}

static void raw_putc(char c)
{
	if (dev_ops) {
		dev_ops->putc(dev_data, c);
	} else {
		sbi_legacy_putchar(c);
	}
}

static void raw_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			raw_putc('\r');
		}
		raw_putc(s[i]);
	}
}

unsigned long console_lock(void)
{
	return out_acquire();
}

void console_unlock(unsigned long flags)
{
	out_release(flags);
}

void console_register(const struct console_ops *ops, void *dev)
{
	unsigned long flags = out_acquire();
	dev_ops = ops;
	dev_data = dev;
	out_release(flags);
}

const char *console_name(void)
{
	return dev_ops ? dev_ops->name : "sbi";
}

void console_write(const char *s, size_t len)
{
	unsigned long flags = out_acquire();
	raw_write(s, len);
	out_release(flags);
}

void console_puts(const char *s)
{
	console_write(s, strlen(s));
}

int console_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	size_t len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
	console_write(buf, len);
	return (int)len;
}

void console_set_redraw(void (*redraw)(void *ctx), void *ctx)
{
	unsigned long flags = out_acquire();
	redraw_fn = redraw;
	redraw_ctx = ctx;
	out_release(flags);
}

void console_write_async(const char *s, size_t len)
{
	unsigned long flags = out_acquire();
	if (redraw_fn) {
		/* ECMA-48: CR then EL (ESC [ K) erases the prompt line before the message. */
		raw_write("\r\033[K", 4);
	}
	raw_write(s, len);
	if (redraw_fn) {
		redraw_fn(redraw_ctx);
	}
	out_release(flags);
}

void console_rx_poll(void)
{
	if (!dev_ops || !dev_ops->getc) {
		return;
	}
	unsigned long flags = spin_lock_irqsave(&rx_lock);
	bool got = false;
	int c;
	/* Bounded: a device whose data-ready bit is stuck must not hold this hart forever. */
	for (unsigned int n = 0; n < RX_RING_SIZE && (c = dev_ops->getc(dev_data)) >= 0; n++) {
		unsigned int next = (rx_head + 1) % RX_RING_SIZE;
		rx_received++;
		if (next == rx_tail) {
			rx_dropped++;
			continue;
		}
		rx_ring[rx_head] = (char)c;
		rx_head = next;
		got = true;
	}
	struct thread *waiter = got ? rx_waiter : NULL;
	spin_unlock_irqrestore(&rx_lock, flags);
	if (waiter) {
		thread_wake(waiter);
	}
}

int console_try_getc(void)
{
	int c = -1;
	unsigned long flags = spin_lock_irqsave(&rx_lock);
	if (rx_tail != rx_head) {
		c = (unsigned char)rx_ring[rx_tail];
		rx_tail = (rx_tail + 1) % RX_RING_SIZE;
	}
	spin_unlock_irqrestore(&rx_lock, flags);
	return c;
}

char console_getc(void)
{
	int c;

	for (;;) {
		unsigned long flags = spin_lock_irqsave(&rx_lock);
		rx_waiter = thread_current();
		spin_unlock_irqrestore(&rx_lock, flags);
		c = console_try_getc();
		if (c >= 0) {
			flags = spin_lock_irqsave(&rx_lock);
			rx_waiter = NULL;
			spin_unlock_irqrestore(&rx_lock, flags);
			return (char)c;
		}
		/* A byte arriving between the check and here leaves a pending wake: no loss. */
		thread_sleep();
	}
}

void console_rx_stats(uint64_t *received, uint64_t *dropped)
{
	unsigned long flags = spin_lock_irqsave(&rx_lock);
	*received = rx_received;
	*dropped = rx_dropped;
	spin_unlock_irqrestore(&rx_lock, flags);
}

void console_set_input_mode(const char *mode)
{
	input_mode = mode;
}

const char *console_input_mode(void)
{
	return input_mode;
}
