/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Per-hart scheduler: fixed priorities, round robin within a priority, time slices armed only
 * when a peer of the running thread's priority waits (tickless). Each thread is bound to one
 * hart, so a thread is only ever switched in by its own hart; other harts only enqueue it
 * (thread_wake) under its hart's rq_lock and send a resched IPI.
 *
 * schedule() runs with interrupts masked. It may be entered from an interrupt (sched_irq_exit)
 * with the interrupted thread's trap frame on that thread's stack: the frame is resumed when
 * the thread is switched back in.
 */
#include <vireo/arch/irq.h>
#include <vireo/clock.h>
#include <vireo/errno.h>
#include <vireo/log.h>
#include <vireo/percpu.h>
#include <vireo/printf.h>
#include <vireo/sched.h>
#include <vireo/smp.h>
#include <vireo/timer.h>

#include "sched_internal.h"

static struct thread idle_threads[VIREO_MAX_CPUS];

struct thread *thread_current(void)
{
	return this_cpu()->current;
}

/* Highest priority with a queued thread, or -1. Caller holds rq_lock. */
static int highest_queued_prio(const struct percpu *cpu)
{
	for (int p = THREAD_PRIO_COUNT - 1; p >= 0; p--) {
		if (!list_empty(&cpu->runq[p])) {
			return p;
		}
	}
	return -1;
}

static void enqueue(struct percpu *cpu, struct thread *t)
{
	list_add_tail(&cpu->runq[t->prio], &t->rq_node);
	cpu->runq_count++;
}

static struct thread *dequeue_highest(struct percpu *cpu)
{
	int p = highest_queued_prio(cpu);
	if (p < 0) {
		return NULL;
	}
	struct thread *t = list_entry(cpu->runq[p].next, struct thread, rq_node);
	list_del(&t->rq_node);
	cpu->runq_count--;
	return t;
}

static void slice_expired(struct timer_event *ev, void *arg)
{
	(void)ev;
	struct percpu *cpu = arg;
	cpu->need_resched = true;
}

/*
 * Arms the slice timer iff a peer of `running` waits at its priority; `fresh` starts a whole
 * new slice (a thread just switched in). Caller holds rq_lock.
 */
static void update_slice(struct percpu *cpu, const struct thread *running, nsec_t now, bool fresh)
{
	bool peer = running != cpu->idle && !list_empty(&cpu->runq[running->prio]);
	if (peer) {
		if (fresh || !timer_event_armed(&cpu->slice_timer)) {
			timer_event_start(&cpu->slice_timer, now + running->slice);
		}
	} else if (timer_event_armed(&cpu->slice_timer)) {
		timer_event_stop(&cpu->slice_timer);
	}
}

/* Decides whether the running thread must give way to what is queued. Caller holds rq_lock. */
static void check_preempt(struct percpu *cpu)
{
	int p = highest_queued_prio(cpu);
	struct thread *cur = cpu->current;

	if (p < 0) {
		return;
	}
	if (cur == cpu->idle || p > (int)cur->prio) {
		cpu->need_resched = true;
	} else if (p == (int)cur->prio) {
		update_slice(cpu, cur, clock_now(), false);
	}
}

static void schedule(void)
{
	struct percpu *cpu = this_cpu();

	spin_lock(&cpu->rq_lock);
	/* Read the clock under the lock: sched_cpu_load() samples idle time under it too. */
	nsec_t now = clock_now();
	struct thread *prev = cpu->current;
	if (prev->state == THREAD_RUNNING && prev != cpu->idle) {
		prev->state = THREAD_READY;
		enqueue(cpu, prev);
	}
	struct thread *next = dequeue_highest(cpu);
	if (!next) {
		next = cpu->idle;
	}
	cpu->need_resched = false;

	if (next != prev) {
		prev->runtime += now - prev->run_start;
		if (prev == cpu->idle) {
			cpu->idle_ns += now - cpu->idle_since;
			prev->state = THREAD_READY;
		}
		if (next == cpu->idle) {
			cpu->idle_since = now;
		}
		next->run_start = now;
		next->switches_in++;
		cpu->switches++;
	}
	next->state = THREAD_RUNNING;
	cpu->current = next;
	update_slice(cpu, next, now, next != prev);
	spin_unlock(&cpu->rq_lock);

	if (next != prev) {
		/* No guard pages (identity map, no HS paging): check the canary on every switch so
		 * an overflow is caught near where it happened. */
		if (prev->stack_guard && *prev->stack_guard != THREAD_STACK_GUARD) {
			panic("stack overflow in thread %s on cpu %u", prev->name, cpu->id);
		}
		arch_context_switch(&prev->ctx, &next->ctx);
		/* Back on prev's stack, possibly much later. */
		sched_finish_switch();
	}
}

void sched_finish_switch(void)
{
	struct percpu *cpu = this_cpu();
	/* The thread that exited has been switched away from: its stack is free to go. */
	if (cpu->zombie) {
		struct thread *z = cpu->zombie;
		cpu->zombie = NULL;
		thread_reap(z);
	}
}

void thread_yield(void)
{
	unsigned long flags = arch_irq_save();
	schedule();
	arch_irq_restore(flags);
}

void thread_sleep(void)
{
	unsigned long flags = arch_irq_save();
	struct percpu *cpu = this_cpu();
	struct thread *self = cpu->current;

	spin_lock(&cpu->rq_lock);
	if (self->wake_pending) {
		self->wake_pending = false;
		spin_unlock(&cpu->rq_lock);
		arch_irq_restore(flags);
		return;
	}
	self->state = THREAD_BLOCKED;
	spin_unlock(&cpu->rq_lock);
	schedule();
	arch_irq_restore(flags);
}

static void sleep_timer_fired(struct timer_event *ev, void *arg)
{
	(void)ev;
	thread_wake(arg);
}

void thread_sleep_ns(nsec_t ns)
{
	struct thread *self = thread_current();
	nsec_t deadline = clock_now() + ns;

	timer_event_init(&self->sleep_timer, sleep_timer_fired, self);
	while (clock_now() < deadline) {
		timer_event_start(&self->sleep_timer, deadline);
		thread_sleep();
	}
	timer_event_stop(&self->sleep_timer);
}

void thread_wake(struct thread *t)
{
	struct percpu *cpu = t->cpu;
	struct percpu *self = this_cpu();
	unsigned long flags = spin_lock_irqsave(&cpu->rq_lock);
	bool ipi = false;

	if (t->state == THREAD_BLOCKED) {
		t->state = THREAD_READY;
		enqueue(cpu, t);
		if (cpu == self) {
			check_preempt(cpu);
		} else {
			ipi = true;
		}
	} else if (t->state == THREAD_RUNNING || t->state == THREAD_READY) {
		/* Not asleep yet (or preempted on its way to sleep): its next thread_sleep()
		 * returns at once instead of missing this wake. */
		t->wake_pending = true;
	}
	bool switch_now = cpu == self && cpu->need_resched;
	spin_unlock_irqrestore(&cpu->rq_lock, flags);

	if (ipi) {
		smp_send(cpu->id, IPI_RESCHED);
	} else if (switch_now && !self->irq_depth) {
		/* In interrupt context sched_irq_exit() switches. In thread context switch now, or,
		 * with interrupts masked, raise a resched IPI on ourselves: it is taken the moment
		 * the caller unmasks, so the woken thread does not wait for some later interrupt. */
		if (arch_irq_enabled()) {
			thread_yield();
		} else {
			smp_send(self->id, IPI_RESCHED);
		}
	}
}

int thread_start(struct thread *t)
{
	unsigned long flags = spin_lock_irqsave(&t->cpu->rq_lock);
	bool fresh = t->state == THREAD_NEW;
	if (fresh) {
		t->state = THREAD_BLOCKED;
	}
	spin_unlock_irqrestore(&t->cpu->rq_lock, flags);
	if (!fresh) {
		return VIREO_EBUSY;
	}
	thread_wake(t);
	return 0;
}

void sched_resched_local(void)
{
	struct percpu *cpu = this_cpu();
	spin_lock(&cpu->rq_lock);
	check_preempt(cpu);
	spin_unlock(&cpu->rq_lock);
}

void sched_irq_enter(void)
{
	this_cpu()->irq_depth++;
}

void sched_irq_exit(void)
{
	struct percpu *cpu = this_cpu();
	cpu->irq_depth--;
	if (cpu->need_resched) {
		schedule();
	}
}

void sched_timer_irq_masked(void)
{
	struct percpu *cpu = this_cpu();
	cpu->irq_depth++;
	timer_handle_irq();
	cpu->irq_depth--;
	/* The switch waits for the caller to unmask: a resched IPI to ourselves is taken then. */
	if (cpu->need_resched) {
		smp_send(cpu->id, IPI_RESCHED);
	}
}

void thread_exit(void)
{
	arch_irq_disable();
	struct percpu *cpu = this_cpu();
	struct thread *self = cpu->current;

	spin_lock(&cpu->rq_lock);
	self->state = THREAD_EXITED;
	cpu->zombie = self;
	spin_unlock(&cpu->rq_lock);
	schedule();
	panic("exited thread %s was scheduled again", self->name);
}

void sched_cpu_init(void)
{
	struct percpu *cpu = this_cpu();
	struct thread *idle = &idle_threads[cpu->id];

	spin_lock_init(&cpu->rq_lock);
	for (unsigned int p = 0; p < THREAD_PRIO_COUNT; p++) {
		list_init(&cpu->runq[p]);
	}
	timer_event_init(&cpu->slice_timer, slice_expired, cpu);

	/* The hart's boot context becomes its idle thread. */
	snprintf(idle->name, sizeof(idle->name), "idle/%u", cpu->id);
	idle->prio = 0;
	idle->slice = THREAD_SLICE_DEFAULT;
	idle->cpu = cpu;
	idle->state = THREAD_RUNNING;
	idle->run_start = clock_now();
	idle->stack_guard = (uint64_t *)cpu->boot_stack_base;
	if (idle->stack_guard) {
		*idle->stack_guard = THREAD_STACK_GUARD;
	}
	list_init(&idle->rq_node);
	cpu->idle = idle;
	cpu->current = idle;
	cpu->idle_since = idle->run_start;
	cpu->load_mark_time = idle->run_start;
	thread_register(idle);
}

void sched_run_idle(void)
{
	struct percpu *cpu = this_cpu();

	for (;;) {
		arch_irq_disable();
		if (cpu->need_resched || cpu->runq_count) {
			schedule();
		} else {
			/* WFI wakes on any interrupt enabled in sie even with sstatus.SIE clear
			 * (Priv. spec 3.3.3), so nothing is lost between the check and the wait. */
			arch_cpu_wait_for_interrupt();
		}
		arch_irq_enable();
	}
}

unsigned int sched_cpu_load(unsigned int id)
{
	struct percpu *cpu = percpu_get(id);
	unsigned long flags = spin_lock_irqsave(&cpu->rq_lock);
	nsec_t now = clock_now();
	nsec_t idle = cpu->idle_ns;

	if (cpu->current == cpu->idle) {
		idle += now - cpu->idle_since;
	}
	/* Busy share since the last mark; the mark moves once a window reaches one second, so a
	 * reading covers between the last second and the time since the previous reading. */
	nsec_t window = now - cpu->load_mark_time;
	if (window) {
		nsec_t idle_delta = idle - cpu->load_mark_idle;
		idle_delta = idle_delta > window ? window : idle_delta;
		cpu->load_pct = (unsigned int)(100 - idle_delta * 100 / window);
	}
	if (window >= NSEC_PER_SEC) {
		cpu->load_mark_time = now;
		cpu->load_mark_idle = idle;
	}
	unsigned int pct = cpu->load_pct;
	spin_unlock_irqrestore(&cpu->rq_lock, flags);
	return pct;
}
