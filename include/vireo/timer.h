/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Tickless timer events: each hart keeps its armed events sorted by deadline and programs its
 * one-shot timer for the earliest. Handlers run in interrupt context on the hart that armed the
 * event, with interrupts masked, and may re-arm their event.
 */
#ifndef VIREO_TIMER_H
#define VIREO_TIMER_H

#include <vireo/list.h>
#include <vireo/types.h>

struct timer_event;
typedef void (*timer_event_fn)(struct timer_event *ev, void *arg);

struct timer_event {
	struct list_head node;
	nsec_t deadline;
	timer_event_fn fn;
	void *arg;
	struct percpu *cpu;    /**< where it is armed, NULL when idle */
	volatile bool running; /**< its handler is running (set by the hart running it) */
};

void timer_event_init(struct timer_event *ev, timer_event_fn fn, void *arg);

/**
 * Arms (or re-arms) ev on this hart for absolute time deadline (clock_now() base). Only the
 * event's owner starts it; two harts must never start the same event at once.
 */
void timer_event_start(struct timer_event *ev, nsec_t deadline);

/**
 * Disarms ev if armed, from any hart. If its handler is already running on another hart it
 * still completes (and may re-arm): an event has one owner, which starts it and, to be sure it
 * is gone, stops it on its own hart.
 */
void timer_event_stop(struct timer_event *ev);

/**
 * Disarms ev and waits until its handler is not running on any hart, so ev (and what its
 * handler uses) may be freed. The caller must first make sure the handler will not re-arm ev
 * for good (it may still re-arm it once; that is stopped again). Thread context, not from ev's
 * own handler.
 */
void timer_event_stop_sync(struct timer_event *ev);

bool timer_event_armed(const struct timer_event *ev);

/** Sets up this hart's event list (before interrupts are enabled on it). */
void timer_cpu_init(void);

/** Timer interrupt: runs every expired event and programs the next deadline. */
void timer_handle_irq(void);

#endif
