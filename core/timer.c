/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Tickless per-hart timer events. The hart's one-shot timer is always programmed for the
 * earliest armed event, or disarmed when there is none: an idle hart takes no timer interrupts.
 */
#include <vireo/arch/cpu.h>
#include <vireo/arch/timer.h>
#include <vireo/clock.h>
#include <vireo/errno.h>
#include <vireo/percpu.h>
#include <vireo/smp.h>
#include <vireo/string.h>
#include <vireo/timer.h>

#define TIMER_EVENTS_PER_IRQ 64
/* When a hart ran TIMER_EVENTS_PER_IRQ handlers in one interrupt and more are due, the next
 * timer interrupt comes no sooner than this, so the interrupted thread makes progress. */
#define TIMER_STORM_GAP_NS (50 * NSEC_PER_USEC)

void timer_event_init(struct timer_event *ev, timer_event_fn fn, void *arg)
{
	list_init(&ev->node);
	ev->deadline = 0;
	ev->fn = fn;
	ev->arg = arg;
	ev->cpu = NULL;
	ev->running = false;
}

bool timer_event_armed(const struct timer_event *ev)
{
	return __atomic_load_n(&ev->cpu, __ATOMIC_ACQUIRE) != NULL;
}

/* Programs the hardware for the head of the list, not before not_before. Caller holds
 * cpu->timer_lock. */
static void reprogram_after(struct percpu *cpu, nsec_t not_before)
{
	if (list_empty(&cpu->timers)) {
		arch_timer_set_deadline(UINT64_MAX);
		return;
	}
	struct timer_event *first = list_entry(cpu->timers.next, struct timer_event, node);
	nsec_t when = first->deadline > not_before ? first->deadline : not_before;
	arch_timer_set_deadline(clock_ns_to_ticks(when));
}

static void reprogram(struct percpu *cpu)
{
	reprogram_after(cpu, 0);
}

/* Unlinks ev from its hart's list. Caller holds that hart's timer_lock. */
static void unlink_event(struct timer_event *ev)
{
	list_del(&ev->node);
	__atomic_store_n(&ev->cpu, NULL, __ATOMIC_RELEASE);
}

void timer_event_stop(struct timer_event *ev)
{
	for (;;) {
		struct percpu *cpu = __atomic_load_n(&ev->cpu, __ATOMIC_ACQUIRE);
		if (!cpu) {
			return;
		}
		unsigned long flags = spin_lock_irqsave(&cpu->timer_lock);
		/* Re-check under the lock: the event may have fired or moved meanwhile. */
		if (ev->cpu == cpu) {
			bool was_first = cpu->timers.next == &ev->node;
			unlink_event(ev);
			if (was_first && cpu == this_cpu()) {
				reprogram(cpu);
			}
			spin_unlock_irqrestore(&cpu->timer_lock, flags);
			return;
		}
		spin_unlock_irqrestore(&cpu->timer_lock, flags);
	}
}

void timer_event_stop_sync(struct timer_event *ev)
{
	/* A handler running elsewhere may re-arm the event: stop again until neither is true. */
	for (;;) {
		timer_event_stop(ev);
		if (!__atomic_load_n(&ev->running, __ATOMIC_ACQUIRE) && !timer_event_armed(ev)) {
			return;
		}
		arch_cpu_relax();
	}
}

void timer_event_start(struct timer_event *ev, nsec_t deadline)
{
	timer_event_stop(ev);

	struct percpu *cpu = this_cpu();
	unsigned long flags = spin_lock_irqsave(&cpu->timer_lock);
	struct list_head *pos;

	ev->deadline = deadline;
	/* Keep the list sorted; equal deadlines fire in arming order. */
	list_for_each (pos, &cpu->timers) {
		if (list_entry(pos, struct timer_event, node)->deadline > deadline) {
			break;
		}
	}
	list_add_tail(pos, &ev->node);
	__atomic_store_n(&ev->cpu, cpu, __ATOMIC_RELEASE);
	if (cpu->timers.next == &ev->node) {
		reprogram(cpu);
	}
	spin_unlock_irqrestore(&cpu->timer_lock, flags);
}

void timer_cpu_init(void)
{
	struct percpu *cpu = this_cpu();
	spin_lock_init(&cpu->timer_lock);
	list_init(&cpu->timers);
	memset(&cpu->timer_late, 0, sizeof(cpu->timer_late));
	arch_timer_set_deadline(UINT64_MAX);
}

const nsec_t timer_late_bounds[TIMER_LATE_BUCKETS - 1] = {
    10 * NSEC_PER_USEC, 100 * NSEC_PER_USEC, NSEC_PER_MSEC, 10 * NSEC_PER_MSEC, 100 * NSEC_PER_MSEC,
};

/* Interrupts masked, on the event's hart. */
static void record_lateness(struct percpu *cpu, nsec_t late)
{
	struct timer_lateness *l = &cpu->timer_late;
	unsigned int b = 0;
	while (b < TIMER_LATE_BUCKETS - 1 && late >= timer_late_bounds[b]) {
		b++;
	}
	l->bucket[b]++;
	l->events++;
	if (late > l->max_ns) {
		l->max_ns = late;
	}
}

static void probe_fired(struct timer_event *ev, void *arg)
{
	(void)arg;
	nsec_t period = this_cpu()->timer_late.probe_ns;
	if (period == 0) {
		return;
	}
	/* Periodic from its first deadline; after a long stall, from now. */
	nsec_t next = ev->deadline + period;
	nsec_t now = clock_now();
	timer_event_start(ev, next > now ? next : now + period);
}

static void lateness_get_here(void *arg)
{
	*(struct timer_lateness *)arg = this_cpu()->timer_late;
}

int timer_lateness_get(unsigned int cpu, struct timer_lateness *out)
{
	memset(out, 0, sizeof(*out));
	return smp_call(cpu, lateness_get_here, out, NSEC_PER_SEC / 10);
}

static void lateness_reset_here(void *arg)
{
	(void)arg;
	struct timer_lateness *l = &this_cpu()->timer_late;
	nsec_t probe = l->probe_ns;
	memset(l, 0, sizeof(*l));
	l->probe_ns = probe;
}

void timer_lateness_reset(void)
{
	for (unsigned int c = 0; c < percpu_count(); c++) {
		(void)smp_call(c, lateness_reset_here, NULL, NSEC_PER_SEC / 10);
	}
}

static void probe_set_here(void *arg)
{
	struct percpu *cpu = this_cpu();
	nsec_t period = *(const nsec_t *)arg;
	cpu->timer_late.probe_ns = period;
	if (period == 0) {
		timer_event_stop(&cpu->timer_probe);
		return;
	}
	if (!timer_event_armed(&cpu->timer_probe)) {
		timer_event_init(&cpu->timer_probe, probe_fired, NULL);
		timer_event_start(&cpu->timer_probe, clock_now() + period);
	}
}

int timer_probe_set(uint64_t period_us)
{
	if (period_us != 0 && (period_us < TIMER_PROBE_MIN_US || period_us > TIMER_PROBE_MAX_US)) {
		return VIREO_EINVAL;
	}
	nsec_t period_ns = period_us * NSEC_PER_USEC;
	for (unsigned int c = 0; c < percpu_count(); c++) {
		(void)smp_call(c, probe_set_here, &period_ns, NSEC_PER_SEC / 10);
	}
	return 0;
}

void timer_handle_irq(void)
{
	struct percpu *cpu = this_cpu();
	unsigned long flags = spin_lock_irqsave(&cpu->timer_lock);

	cpu->timer_irqs++;
	/* Bounded, so a handler that keeps re-arming in the past cannot hold the hart here; the
	 * next interrupt then waits TIMER_STORM_GAP_NS so the hart also runs its threads. */
	nsec_t not_before = 0;
	for (unsigned int n = 0;; n++) {
		if (list_empty(&cpu->timers)) {
			break;
		}
		struct timer_event *ev = list_entry(cpu->timers.next, struct timer_event, node);
		nsec_t now = clock_now();
		if (ev->deadline > now) {
			break;
		}
		if (n == TIMER_EVENTS_PER_IRQ) {
			not_before = now + TIMER_STORM_GAP_NS;
			break;
		}
		record_lateness(cpu, now - ev->deadline);
		unlink_event(ev);
		/* Run the handler unlocked so it may re-arm this or another event; `running`
		 * tells timer_event_stop_sync() to wait for it. */
		__atomic_store_n(&ev->running, true, __ATOMIC_RELAXED);
		spin_unlock(&cpu->timer_lock);
		ev->fn(ev, ev->arg);
		spin_lock(&cpu->timer_lock);
		__atomic_store_n(&ev->running, false, __ATOMIC_RELEASE);
	}
	reprogram_after(cpu, not_before);
	spin_unlock_irqrestore(&cpu->timer_lock, flags);
}
