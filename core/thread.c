/* SPDX-License-Identifier: GPL-2.0-only */
/** Hypervisor thread lifecycle: creation, the global thread list, and reaping. */
#include <vireo/arch/irq.h>
#include <vireo/clock.h>
#include <vireo/errno.h>
#include <vireo/heap.h>
#include <vireo/page_alloc.h>
#include <vireo/percpu.h>
#include <vireo/sched.h>
#include <vireo/string.h>

#include "sched_internal.h"

/* Lock order: threads_lock is innermost (never take rq_lock while holding it). */
static spinlock_t threads_lock = SPINLOCK_INIT;
static struct list_head all_threads = {&all_threads, &all_threads};
static unsigned int next_thread_id;

void thread_register(struct thread *t)
{
	unsigned long flags = spin_lock_irqsave(&threads_lock);
	t->id = next_thread_id++;
	list_add_tail(&all_threads, &t->all_node);
	spin_unlock_irqrestore(&threads_lock, flags);
}

/* First code of every new thread (arch_context_init makes the first switch land here). */
static void thread_entry(void)
{
	struct thread *self = thread_current();
	/* A new thread skips the tail of schedule(): finish the switch here. */
	sched_finish_switch();
	arch_irq_enable();
	self->fn(self->arg);
	thread_exit();
}

struct thread *thread_create(const char *name, thread_fn fn, void *arg, unsigned int prio,
                             unsigned int cpu, int *err)
{
	struct thread *t;
	paddr_t stack;
	int order = page_alloc_order_for(THREAD_STACK_SIZE);

	if (prio >= THREAD_PRIO_COUNT || cpu >= percpu_count() || order < 0) {
		*err = VIREO_EINVAL;
		return NULL;
	}
	if (percpu_get(cpu)->state != CPU_ONLINE) {
		/* Its run queues were never set up. */
		*err = VIREO_ENOENT;
		return NULL;
	}
	t = heap_zalloc(sizeof(*t));
	if (!t) {
		*err = VIREO_ENOMEM;
		return NULL;
	}
	*err = page_alloc_get((unsigned int)order, &stack);
	if (*err) {
		heap_free(t);
		return NULL;
	}
	strlcpy(t->name, name, sizeof(t->name));
	t->fn = fn;
	t->arg = arg;
	t->prio = prio;
	t->slice = THREAD_SLICE_DEFAULT;
	t->cpu = percpu_get(cpu);
	t->state = THREAD_NEW;
	t->stack = (void *)(uintptr_t)stack;
	t->stack_top = (uintptr_t)stack + THREAD_STACK_SIZE;
	t->stack_guard = t->stack;
	*t->stack_guard = THREAD_STACK_GUARD;
	list_init(&t->rq_node);
	arch_context_init(&t->ctx, t->stack_top, thread_entry);
	thread_register(t);
	return t;
}

void thread_reap(struct thread *t)
{
	unsigned long flags = spin_lock_irqsave(&threads_lock);
	list_del(&t->all_node);
	spin_unlock_irqrestore(&threads_lock, flags);
	if (t->stack) {
		page_alloc_free((paddr_t)(uintptr_t)t->stack,
		                (unsigned int)page_alloc_order_for(THREAD_STACK_SIZE));
		heap_free(t);
	}
}

bool thread_id_exists(unsigned int id)
{
	struct list_head *pos;
	bool found = false;
	unsigned long flags = spin_lock_irqsave(&threads_lock);

	list_for_each (pos, &all_threads) {
		if (list_entry(pos, struct thread, all_node)->id == id) {
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&threads_lock, flags);
	return found;
}

unsigned int thread_snapshot(struct thread_info *out, unsigned int max)
{
	struct list_head *pos;
	unsigned int count = 0;
	nsec_t now = clock_now();
	unsigned long flags = spin_lock_irqsave(&threads_lock);

	list_for_each (pos, &all_threads) {
		const struct thread *t = list_entry(pos, struct thread, all_node);
		if (count < max) {
			struct thread_info *i = &out[count];
			i->id = t->id;
			strlcpy(i->name, t->name, sizeof(i->name));
			i->cpu = t->cpu->id;
			i->prio = t->prio;
			i->state = t->state;
			i->runtime = t->runtime;
			if (t->state == THREAD_RUNNING && now > t->run_start) {
				i->runtime += now - t->run_start;
			}
			i->switches_in = t->switches_in;
		}
		count++;
	}
	spin_unlock_irqrestore(&threads_lock, flags);
	return count;
}

const char *thread_state_name(enum thread_state state)
{
	switch (state) {
	case THREAD_NEW:
		return "new";
	case THREAD_READY:
		return "ready";
	case THREAD_RUNNING:
		return "running";
	case THREAD_BLOCKED:
		return "blocked";
	case THREAD_EXITED:
		return "exited";
	}
	return "?";
}
