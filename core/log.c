/* SPDX-License-Identifier: GPL-2.0-only */
/** Leveled log messages and panic. */
#include <stdarg.h>
#include <vireo/console.h>
#include <vireo/log.h>
#include <vireo/printf.h>
#include <vireo/smp.h>
#include <vireo/arch/irq.h>
#include <vireo/arch/power.h>

#define LOG_LINE_MAX 256

static enum log_level current_level = LOG_INFO;

static const char *const level_prefix[] = {
    [LOG_ERR] = "error: ",
    [LOG_WARN] = "warning: ",
    [LOG_INFO] = "",
    [LOG_DEBUG] = "debug: ",
};

void log_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level log_get_level(void)
{
	return current_level;
}

static void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int n = snprintf(line, sizeof(line), "%s", level_prefix[level]);
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	size_t len = (size_t)n + (size_t)m;

	if (len > sizeof(line) - 2) {
		/* Truncated: mark it so nobody mistakes it for the whole message. */
		len = sizeof(line) - 2;
		line[len - 1] = '~';
	}
	line[len++] = '\n';
	console_write_async(line, len);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level > current_level) {
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	static unsigned int panicking; /* word-sized: RISC-V AMOs have no byte form */

	arch_irq_disable();
	/* A panic while panicking (or on two harts at once) must not recurse: just stop. */
	if (__atomic_exchange_n(&panicking, 1U, __ATOMIC_ACQ_REL)) {
		arch_cpu_halt();
	}
	smp_stop_others();
	va_start(ap, fmt);
	char line[LOG_LINE_MAX];
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_printf("\nPANIC: %s\nVireo halted.\n", line);
	arch_cpu_halt();
}
