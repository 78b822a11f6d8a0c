/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * A guest's Goldfish RTC (emul/goldfish_rtc.c) on the hypervisor's wall clock, its alarm on a
 * host timer event, and its device-tree node.
 */
#include <vireo/clock.h>
#include <vireo/errno.h>
#include <vireo/goldfish_rtc.h>
#include <vireo/guest.h>
#include <vireo/heap.h>
#include <vireo/printf.h>
#include <vireo/timer.h>
#include <vireo/wallclock.h>

#include "guest_devs_internal.h"

struct guest_rtc {
	spinlock_t lock;
	struct goldfish_rtc rtc;
	struct timer_event alarm;
	struct guest *guest;
	bool dead; /**< being destroyed: the alarm is not armed again (under lock) */
};

static uint64_t rtc_now(void *ctx)
{
	(void)ctx;
	return wallclock_now_ns();
}

static void rtc_irq(void *ctx, bool level)
{
	struct guest_rtc *r = ctx;
	guest_irq_set(r->guest, GUEST_RTC_IRQ, level);
}

/*
 * The model's alarm moved. Runs under r->lock on whichever hart the writing vCPU is on: the
 * event is stopped wherever it was armed and armed again here, so it has one owner at a time.
 */
static void rtc_alarm(void *ctx, bool armed, uint64_t due_ns)
{
	struct guest_rtc *r = ctx;
	timer_event_stop(&r->alarm);
	if (!armed || r->dead) {
		return;
	}
	uint64_t now = wallclock_now_ns();
	nsec_t in = due_ns > now ? due_ns - now : 0;
	nsec_t start = clock_now();
	/* An alarm beyond the monotonic clock's range never fires: no timer for it. */
	if (in > UINT64_MAX - start) {
		return;
	}
	timer_event_start(&r->alarm, start + in);
}

static const struct goldfish_rtc_ops rtc_ops = {
    .now_ns = rtc_now,
    .irq = rtc_irq,
    .alarm = rtc_alarm,
};

static void alarm_fired(struct timer_event *ev, void *arg)
{
	(void)ev;
	struct guest_rtc *r = arg;
	unsigned long flags = spin_lock_irqsave(&r->lock);
	goldfish_rtc_tick(&r->rtc);
	spin_unlock_irqrestore(&r->lock, flags);
}

static int rtc_access(void *dev, struct vmmio_access *a)
{
	struct guest_rtc *r = dev;
	unsigned long flags = spin_lock_irqsave(&r->lock);
	int err = goldfish_rtc_access(&r->rtc, a);
	spin_unlock_irqrestore(&r->lock, flags);
	return err;
}

static const struct vmmio_ops rtc_region_ops = {"rtc", rtc_access};

int guest_rtc_create(struct guest *g)
{
	struct guest_rtc *r = heap_zalloc(sizeof(*r));
	if (!r) {
		return VIREO_ENOMEM;
	}
	spin_lock_init(&r->lock);
	r->guest = g;
	timer_event_init(&r->alarm, alarm_fired, r);
	goldfish_rtc_init(&r->rtc, &rtc_ops, r);
	g->devs->rtc = r;
	return vmmio_add(g, GUEST_RTC_BASE, GUEST_RTC_SIZE, &rtc_region_ops, r);
}

void guest_rtc_reset(struct guest *g)
{
	struct guest_rtc *r = g->devs->rtc;
	if (!r) {
		return;
	}
	unsigned long flags = spin_lock_irqsave(&r->lock);
	timer_event_stop(&r->alarm);
	/* A reboot keeps the time the guest set, as a battery-backed clock would. */
	uint64_t offset = r->rtc.offset;
	goldfish_rtc_init(&r->rtc, &rtc_ops, r);
	r->rtc.offset = offset;
	spin_unlock_irqrestore(&r->lock, flags);
}

void guest_rtc_destroy(struct guest *g)
{
	struct guest_rtc *r = g->devs->rtc;
	if (!r) {
		return;
	}
	unsigned long flags = spin_lock_irqsave(&r->lock);
	r->dead = true;
	spin_unlock_irqrestore(&r->lock, flags);
	/* The alarm handler may be running on another hart: wait for it before freeing. */
	timer_event_stop_sync(&r->alarm);
	heap_free(r);
	g->devs->rtc = NULL;
}

void guest_rtc_write_dtb(struct guest *g, struct guest_dtb *t, uint32_t plic)
{
	char name[32];
	(void)g;
	snprintf(name, sizeof(name), "rtc@%llx", (unsigned long long)GUEST_RTC_BASE);
	fdtw_begin_node(&t->w, name);
	fdtw_prop_u32(&t->w, "interrupts", GUEST_RTC_IRQ);
	fdtw_prop_u32(&t->w, "interrupt-parent", plic);
	guest_devs_prop_reg(&t->w, GUEST_RTC_BASE, GUEST_RTC_SIZE);
	fdtw_prop_string(&t->w, "compatible", "google,goldfish-rtc");
	fdtw_end_node(&t->w);
}
