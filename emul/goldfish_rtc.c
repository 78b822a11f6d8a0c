/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest Goldfish RTC. The Android emulator's docs/GOLDFISH-VIRTUAL-HARDWARE.TXT ("Goldfish
 * real-time clock") describes the device: a 64-bit nanosecond clock since the Unix epoch read
 * as two 32-bit halves, the low half first (reading it captures the high half for the following
 * read), and a one-shot alarm written high half first, the low-half write arming it. That
 * document ends the map with CLEAR_INTERRUPT at 0x10; the layout QEMU virt exposes and Linux's
 * rtc-goldfish driver uses adds interrupt-enable, alarm-clear and alarm-status registers and
 * moves CLEAR_INTERRUPT to 0x1c (include/vireo/goldfish_rtc.h lists them).
 *
 * Choices where the document is silent:
 *  - Setting the time: a TIME_HIGH write is held and the TIME_LOW write that follows sets both
 *    halves at once (Linux writes high, then low), so no carry between the two writes can skew
 *    the result. A TIME_LOW write without a TIME_HIGH before it keeps the current high half.
 *    Only this guest's view moves (an offset against the host clock).
 *  - The interrupt is latched when the alarm fires and drives the line while IRQ_ENABLED is
 *    set; CLEAR_INTERRUPT drops the latch. A fired alarm disarms (ALARM_STATUS reads 0).
 *  - An alarm armed at or before the current time fires at once.
 *  - ALARM_LOW/ALARM_HIGH read back the halves of the alarm last armed.
 */
#include <vireo/errno.h>
#include <vireo/goldfish_rtc.h>

static uint64_t host_now(const struct goldfish_rtc *r)
{
	return r->ops->now_ns(r->ctx);
}

uint64_t goldfish_rtc_guest_ns(const struct goldfish_rtc *r)
{
	/* Unsigned wrap-around: offset is a signed difference held modulo 2^64. */
	return host_now(r) + r->offset;
}

bool goldfish_rtc_alarm_due(const struct goldfish_rtc *r, uint64_t *due_ns)
{
	if (!r->alarm_armed) {
		*due_ns = 0;
		return false;
	}
	uint64_t host = host_now(r);
	uint64_t guest = host + r->offset;
	/* Measured from now; a distance past the end of host time saturates (never), so a guest
	 * clock set behind the host's cannot wrap the answer into the past. */
	uint64_t ahead = r->alarm_ns > guest ? r->alarm_ns - guest : 0;
	*due_ns = ahead > UINT64_MAX - host ? UINT64_MAX : host + ahead;
	return true;
}

static void update_irq(struct goldfish_rtc *r)
{
	bool level = r->irq_pending && r->irq_enabled;
	if (level == r->irq_level) {
		return;
	}
	r->irq_level = level;
	if (r->ops->irq) {
		r->ops->irq(r->ctx, level);
	}
}

static void notify_alarm(struct goldfish_rtc *r)
{
	if (!r->ops->alarm) {
		return;
	}
	uint64_t due;
	bool armed = goldfish_rtc_alarm_due(r, &due);
	r->ops->alarm(r->ctx, armed, due);
}

/* Fires an armed alarm whose time has come; true if it fired. */
static bool check_alarm(struct goldfish_rtc *r)
{
	if (!r->alarm_armed || goldfish_rtc_guest_ns(r) < r->alarm_ns) {
		return false;
	}
	r->alarm_armed = false;
	r->irq_pending = true;
	r->alarms_fired++;
	return true;
}

/* After anything that moves the alarm or the guest's clock: fire it or re-announce it. */
static void alarm_changed(struct goldfish_rtc *r)
{
	(void)check_alarm(r);
	notify_alarm(r);
}

static uint32_t read_reg(struct goldfish_rtc *r, uint64_t off)
{
	switch (off) {
	case GOLDFISH_RTC_TIME_LOW: {
		uint64_t now = goldfish_rtc_guest_ns(r);
		r->time_high = (uint32_t)(now >> 32);
		return (uint32_t)now;
	}
	case GOLDFISH_RTC_TIME_HIGH:
		return r->time_high;
	case GOLDFISH_RTC_ALARM_LOW:
		return (uint32_t)r->alarm_ns;
	case GOLDFISH_RTC_ALARM_HIGH:
		return (uint32_t)(r->alarm_ns >> 32);
	case GOLDFISH_RTC_IRQ_ENABLED:
		return r->irq_enabled ? 1 : 0;
	case GOLDFISH_RTC_ALARM_STATUS:
		return r->alarm_armed ? 1 : 0;
	default: /* write-only registers and holes */
		return 0;
	}
}

static void write_reg(struct goldfish_rtc *r, uint64_t off, uint32_t v)
{
	switch (off) {
	case GOLDFISH_RTC_TIME_LOW: {
		uint64_t high = r->set_high_valid ? r->set_high : goldfish_rtc_guest_ns(r) >> 32;
		uint64_t want = high << 32 | v;
		r->offset = want - host_now(r);
		r->set_high_valid = false;
		if (r->alarm_armed) {
			alarm_changed(r);
		}
		break;
	}
	case GOLDFISH_RTC_TIME_HIGH:
		r->set_high = v;
		r->set_high_valid = true;
		break;
	case GOLDFISH_RTC_ALARM_LOW:
		r->alarm_ns = (uint64_t)r->alarm_high << 32 | v;
		r->alarm_armed = true;
		alarm_changed(r);
		break;
	case GOLDFISH_RTC_ALARM_HIGH:
		r->alarm_high = v;
		break;
	case GOLDFISH_RTC_IRQ_ENABLED:
		r->irq_enabled = (v & 1) != 0;
		break;
	case GOLDFISH_RTC_CLEAR_ALARM:
		if (r->alarm_armed) {
			r->alarm_armed = false;
			notify_alarm(r);
		}
		break;
	case GOLDFISH_RTC_CLEAR_INTERRUPT:
		r->irq_pending = false;
		break;
	default: /* ALARM_STATUS is read-only; holes ignore writes */
		break;
	}
}

void goldfish_rtc_init(struct goldfish_rtc *r, const struct goldfish_rtc_ops *ops, void *ctx)
{
	*r = (struct goldfish_rtc){
	    .ops = ops,
	    .ctx = ctx,
	};
}

int goldfish_rtc_access(void *dev, struct vmmio_access *a)
{
	struct goldfish_rtc *r = dev;
	if (a->width != 4 || (a->offset & 3) != 0 || a->offset >= GOLDFISH_RTC_MMIO_SIZE) {
		return VIREO_EFAULT;
	}
	/* A late host timer must not let the guest see its clock past an unfired alarm. */
	if (check_alarm(r)) {
		notify_alarm(r);
	}
	if (a->write) {
		write_reg(r, a->offset, (uint32_t)a->value);
	} else {
		a->value = read_reg(r, a->offset);
	}
	update_irq(r);
	return 0;
}

void goldfish_rtc_tick(struct goldfish_rtc *r)
{
	if (!r->alarm_armed) {
		return;
	}
	/* An early host timer (rounding between clocks) re-announces the deadline instead. */
	alarm_changed(r);
	update_irq(r);
}

const struct vmmio_ops goldfish_rtc_vmmio_ops = {
    .name = "goldfish-rtc",
    .access = goldfish_rtc_access,
};
