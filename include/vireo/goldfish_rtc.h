/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * A guest-facing Goldfish real-time clock (emul/goldfish_rtc.c): the device QEMU virt places at
 * 0x101000 ("google,goldfish-rtc", Linux's rtc-goldfish driver). Time is a 64-bit count of
 * nanoseconds since the Unix epoch, read and written as two 32-bit halves; one alarm raises the
 * interrupt line when the guest's time reaches it.
 *
 * The model is pure: time comes from the now_ns() callback, the interrupt line goes out through
 * irq(), and the model never arms timers itself. Instead it tells the glue when the alarm is due
 * (alarm() callback, or goldfish_rtc_alarm_due()), in now_ns() time; the glue arms a host timer
 * for that moment and calls goldfish_rtc_tick() when it fires.
 *
 * No locking inside: the caller serialises goldfish_rtc_access() and goldfish_rtc_tick() on one
 * device. The callbacks run inside those calls, so they must not take the caller's lock.
 */
#ifndef VIREO_GOLDFISH_RTC_H
#define VIREO_GOLDFISH_RTC_H

#include <vireo/types.h>
#include <vireo/vmmio.h>

/** Size of the device window (the "reg" size QEMU virt gives it); offsets at or above fault. */
#define GOLDFISH_RTC_MMIO_SIZE 0x1000

/* Register offsets; every register is 32 bits wide. */
#define GOLDFISH_RTC_TIME_LOW        0x00 /**< R: time, low half; latches the high half. W: set */
#define GOLDFISH_RTC_TIME_HIGH       0x04 /**< R: high half latched by TIME_LOW. W: staged */
#define GOLDFISH_RTC_ALARM_LOW       0x08 /**< W: alarm low half, arms the alarm. R: armed value */
#define GOLDFISH_RTC_ALARM_HIGH      0x0c /**< W: alarm high half, used by the next ALARM_LOW */
#define GOLDFISH_RTC_IRQ_ENABLED     0x10 /**< RW: bit 0 lets a fired alarm drive the line */
#define GOLDFISH_RTC_CLEAR_ALARM     0x14 /**< W: disarm the alarm */
#define GOLDFISH_RTC_ALARM_STATUS    0x18 /**< R: 1 while an alarm is armed */
#define GOLDFISH_RTC_CLEAR_INTERRUPT 0x1c /**< W: drop the latched interrupt */

/** Callbacks into the glue; ctx is passed back to each. */
struct goldfish_rtc_ops {
	/** Host wall-clock time in ns since the Unix epoch. Required. */
	uint64_t (*now_ns)(void *ctx);
	/** The interrupt line changed to level. Optional. */
	void (*irq)(void *ctx, bool level);
	/**
	 * The alarm deadline changed: armed with due_ns in now_ns() time, or disarmed (due_ns 0).
	 * Optional; goldfish_rtc_alarm_due() gives the same answer on demand.
	 */
	void (*alarm)(void *ctx, bool armed, uint64_t due_ns);
};

/** One emulated RTC. Fields are the model's state; users go through the functions below. */
struct goldfish_rtc {
	uint64_t offset;       /**< guest time - host time, modulo 2^64 */
	uint64_t alarm_ns;     /**< armed alarm, in guest time */
	uint32_t time_high;    /**< high half latched by the last TIME_LOW read */
	uint32_t set_high;     /**< high half staged by a TIME_HIGH write */
	uint32_t alarm_high;   /**< last ALARM_HIGH write */
	bool set_high_valid;   /**< set_high was written since the last TIME_LOW write */
	bool alarm_armed;      /**< ALARM_STATUS */
	bool irq_enabled;      /**< IRQ_ENABLED bit 0 */
	bool irq_pending;      /**< an alarm fired and CLEAR_INTERRUPT has not been written */
	bool irq_level;        /**< last level given to irq() */
	uint64_t alarms_fired; /**< statistics */
	const struct goldfish_rtc_ops *ops;
	void *ctx;
};

/**
 * Resets r: guest time equals host time, no alarm, interrupt disabled and low. ops (with
 * ops->now_ns set) must outlive r.
 */
void goldfish_rtc_init(struct goldfish_rtc *r, const struct goldfish_rtc_ops *ops, void *ctx);

/**
 * One guest register access (dev is the struct goldfish_rtc). VIREO_EFAULT unless width 4,
 * 4-byte aligned and offset < GOLDFISH_RTC_MMIO_SIZE; offsets without a register read 0 and
 * ignore writes. An alarm that has come due fires before the access is performed.
 */
int goldfish_rtc_access(void *dev, struct vmmio_access *a);

/** The glue's host timer fired: fires the alarm if the guest's time has reached it. */
void goldfish_rtc_tick(struct goldfish_rtc *r);

/** True when an alarm is armed; *due_ns is when, in now_ns() time (saturating at 0). */
bool goldfish_rtc_alarm_due(const struct goldfish_rtc *r, uint64_t *due_ns);

/** The guest's current time (ns since the epoch, as the guest would read it). */
uint64_t goldfish_rtc_guest_ns(const struct goldfish_rtc *r);

/** The device model; .access = goldfish_rtc_access. */
extern const struct vmmio_ops goldfish_rtc_vmmio_ops;

#endif
