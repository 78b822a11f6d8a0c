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

/**
 * How late timer events ran on one cpu, from their deadline to their handler. A cpu that keeps
 * interrupts masked (an exit path, a lock) makes every event due meanwhile late by that long:
 * with the probe on, the maximum bounds the longest masked stretch to within one probe period.
 */
#define TIMER_LATE_BUCKETS 6
struct timer_lateness {
	uint64_t events; /**< events run since the last reset */
	nsec_t max_ns;   /**< the latest of them */
	/** < 10 us, < 100 us, < 1 ms, < 10 ms, < 100 ms, later */
	uint64_t bucket[TIMER_LATE_BUCKETS];
	nsec_t probe_ns; /**< probe period, 0 when off */
};

/** Upper bounds of the first TIMER_LATE_BUCKETS - 1 buckets. */
extern const nsec_t timer_late_bounds[TIMER_LATE_BUCKETS - 1];

/** Cpu's lateness record. 0, or VIREO_ENOENT/EAGAIN if it cannot be asked. Thread context. */
int timer_lateness_get(unsigned int cpu, struct timer_lateness *out);
/** Clears every online cpu's record. Thread context. */
void timer_lateness_reset(void);
/** Probe periods timer_probe_set() takes: each probe is a timer interrupt on every cpu. */
#define TIMER_PROBE_MIN_US 20
#define TIMER_PROBE_MAX_US 1000000

/**
 * Runs a probe event every period_us on every online cpu (0: stops it), so that lateness
 * measures the cpu's masked stretches even when nothing else is due. 0, or VIREO_EINVAL for a
 * period outside TIMER_PROBE_MIN_US..TIMER_PROBE_MAX_US. Thread context.
 */
int timer_probe_set(uint64_t period_us);

/** Sets up this hart's event list (before interrupts are enabled on it). */
void timer_cpu_init(void);

/** Timer interrupt: runs every expired event and programs the next deadline. */
void timer_handle_irq(void);

#endif
