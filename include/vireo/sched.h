/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Hypervisor threads and the per-hart scheduler: fixed-priority round robin with time slices,
 * each thread bound to one hart. The scheduler is tickless: a slice timer is armed only while
 * another thread of the running thread's priority is waiting. vCPUs will be threads.
 *
 * Lock order: percpu.rq_lock, then percpu.timer_lock; never take two harts' rq_locks at once.
 */
#ifndef VIREO_SCHED_H
#define VIREO_SCHED_H

#include <vireo/arch/context.h>
#include <vireo/list.h>
#include <vireo/timer.h>
#include <vireo/types.h>

#define THREAD_NAME_MAX      24
#define THREAD_PRIO_COUNT    8 /**< priorities 0 (lowest) .. 7 (highest) */
#define THREAD_PRIO_DEFAULT  3
#define THREAD_SLICE_DEFAULT (10 * 1000 * 1000ULL) /**< 10 ms */
#define THREAD_STACK_SIZE    (16 * 1024)
/** Kept in the lowest word of every stack; a thread switched out without it overflowed. */
#define THREAD_STACK_GUARD 0x5649524553544b21ULL

enum thread_state {
	THREAD_NEW, /**< created, not started yet */
	THREAD_READY,
	THREAD_RUNNING,
	THREAD_BLOCKED,
	THREAD_EXITED,
};

typedef void (*thread_fn)(void *arg);

struct thread {
	struct arch_context ctx;
	char name[THREAD_NAME_MAX];
	unsigned int id;
	volatile enum thread_state state;
	unsigned int prio;
	nsec_t slice;
	struct percpu *cpu; /**< the hart it runs on */
	struct list_head rq_node;
	struct list_head all_node;
	bool wake_pending; /**< a wake-up arrived while it was still running */
	thread_fn fn;
	void *arg;
	void *stack; /**< NULL for the boot-stack idle threads */
	uintptr_t stack_top;
	uint64_t *stack_guard; /**< lowest word of the stack */
	nsec_t run_start;
	nsec_t runtime;
	uint64_t switches_in;
	struct timer_event sleep_timer;
};

/** Creates a thread on logical cpu `cpu`, not yet started. NULL on error (*err set). */
struct thread *thread_create(const char *name, thread_fn fn, void *arg, unsigned int prio,
                             unsigned int cpu, int *err);

/** Makes a created thread runnable. VIREO_EBUSY if it was started before. */
int thread_start(struct thread *t);

/** The thread running on this hart. */
struct thread *thread_current(void);

/** Gives up the hart to another ready thread of the same or higher priority. */
void thread_yield(void);

/**
 * Blocks the calling thread until thread_wake(). A wake that arrives before the call is not
 * lost: the call then returns at once.
 */
void thread_sleep(void);

/** Blocks the calling thread for ns nanoseconds. */
void thread_sleep_ns(nsec_t ns);

/** Makes t runnable if it sleeps (any context, any hart). */
void thread_wake(struct thread *t);

/** Ends the calling thread. */
__attribute__((noreturn)) void thread_exit(void);

/** A copy of one thread's public state, for display. */
struct thread_info {
	unsigned int id;
	char name[THREAD_NAME_MAX];
	unsigned int cpu;
	unsigned int prio;
	enum thread_state state;
	nsec_t runtime; /**< including the slice in progress */
	uint64_t switches_in;
};

/**
 * Copies up to max threads' state into out, in creation order, and returns how many threads
 * exist (which may exceed max). Nothing is printed under the lock.
 */
unsigned int thread_snapshot(struct thread_info *out, unsigned int max);

/**
 * True while the thread with this id exists: from creation until it has exited and been
 * reaped (its stack and structure freed). Ids are never reused, so waiting for this to turn
 * false is a join that cannot confuse the thread with a later one.
 */
bool thread_id_exists(unsigned int id);

const char *thread_state_name(enum thread_state state);

/** Sets up this hart's scheduler with the current context as its idle thread. */
void sched_cpu_init(void);

/** Enters the scheduler on this hart for good (the caller becomes the idle loop). */
__attribute__((noreturn)) void sched_run_idle(void);

/** Called on the way into every interrupt. */
void sched_irq_enter(void);

/** Called on the way out of every interrupt: switches thread if one is due. */
void sched_irq_exit(void);

/**
 * The timer interrupt's work done in thread context with interrupts masked (a vCPU handling
 * the host timer interrupt that ended its guest run), as the interrupt path would do it: a
 * due thread switch happens when the caller unmasks, through a resched IPI to this hart.
 */
void sched_timer_irq_masked(void);

/** Called from the resched IPI: re-evaluates what this hart should run. */
void sched_resched_local(void);

/** Busy percentage of logical cpu `cpu` over the last completed ~1 s window. */
unsigned int sched_cpu_load(unsigned int cpu);

#endif
