/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Per-hart data. Each hart reaches its own block through arch_cpu_this(); other harts index
 * percpu_get(). Fields written by other harts are atomics or protected by the named lock.
 */
#ifndef VIREO_PERCPU_H
#define VIREO_PERCPU_H

#include <vireo/types.h>
#include <vireo/list.h>
#include <vireo/spinlock.h>
#include <vireo/timer.h>
#include <vireo/arch/cpu.h>

#define VIREO_MAX_CPUS 16

struct thread;

enum cpu_state {
	CPU_OFFLINE,  /**< not started (or failed to start) */
	CPU_STARTING, /**< firmware asked to start it, not yet in the scheduler */
	CPU_ONLINE,   /**< running its scheduler */
	CPU_STOPPED,  /**< halted for shutdown */
};

struct percpu {
	/* Read by the secondary entry code at offset 0: keep first. */
	uintptr_t boot_stack_top;
	uintptr_t boot_stack_base; /**< lowest address of the boot/idle stack */
	unsigned int id;           /**< logical cpu number, 0..cpu_count-1 */
	unsigned long hw_id;       /**< hart id */
	volatile enum cpu_state state;

	/* Scheduler (core/sched.c); rq_lock protects the run queues and current. */
	spinlock_t rq_lock;
	struct list_head runq[8];
	unsigned int runq_count;
	struct thread *current;
	struct thread *idle;
	struct thread *zombie; /**< exited thread whose stack is freed after the switch */
	struct timer_event slice_timer;
	bool need_resched;
	unsigned int irq_depth; /**< > 0 while handling an interrupt */
	nsec_t idle_ns;         /**< total time spent in the idle thread */
	nsec_t idle_since;      /**< when the idle thread last started running */
	nsec_t load_mark_time;  /**< start of the current load window */
	nsec_t load_mark_idle;  /**< idle_ns at load_mark_time */
	unsigned int load_pct;  /**< busy percent over the last full window */
	uint64_t switches;

	/* Timer events (core/timer.c), protected by timer_lock. */
	spinlock_t timer_lock;
	struct list_head timers;
	uint64_t timer_irqs;
	struct timer_lateness timer_late; /**< written by this hart with interrupts masked */
	struct timer_event timer_probe;

	/* Inter-processor messages (core/smp.c). */
	unsigned long ipi_pending; /**< atomic bit set of IPI_* */
	uint64_t ipi_count;
	void (*call_fn)(void *arg);
	void *call_arg;
	volatile unsigned long call_done;
	void (*post_fn)(void); /**< smp_post(): run at the next IPI, then cleared */

	uint64_t ext_irqs;
};

/** This hart's block. */
static inline struct percpu *this_cpu(void)
{
	return arch_cpu_this();
}

/** This hart's logical cpu number; 0 before per-cpu data is installed (early boot). */
static inline unsigned int this_cpu_id(void)
{
	struct percpu *cpu = arch_cpu_this();
	return cpu ? cpu->id : 0;
}

/** The block of logical cpu `id` (id < percpu_count()). */
struct percpu *percpu_get(unsigned int id);

/** Number of cpus the platform has (online or not). */
unsigned int percpu_count(void);

#endif
