/* SPDX-License-Identifier: GPL-2.0-only */
/** Bringing up every hart and passing messages between them. */
#ifndef VIREO_SMP_H
#define VIREO_SMP_H

#include <vireo/compiler.h>
#include <vireo/percpu.h>

enum ipi_msg {
	IPI_RESCHED = 0, /**< re-run the scheduler */
	IPI_CALL = 1,    /**< run percpu.call_fn */
	IPI_STOP = 2,    /**< halt (shutdown, panic) */
	IPI_POST = 3,    /**< run percpu.post_fn (smp_post) */
};

/** The boot hart's per-cpu block (logical cpu 0), usable before anything else is set up. */
struct percpu *smp_boot_cpu(unsigned long hw_id);

/** Registers the platform's harts; hart `boot_hw_id` becomes logical cpu 0. */
int smp_register_cpus(const unsigned long *hw_ids, unsigned int count, unsigned long boot_hw_id);

/** Starts every other hart and waits (bounded) for each to come online. */
void smp_boot_secondaries(void);

/** Number of harts online. */
unsigned int smp_online_count(void);

void smp_send(unsigned int cpu, enum ipi_msg msg);

/**
 * Runs fn(arg) on logical cpu `cpu` in interrupt context and waits for it. If the target has
 * not taken the call within timeout_ns the call is withdrawn and VIREO_EAGAIN returned; a call
 * the target has taken is always waited for (fn must be short). VIREO_ENOENT if cpu is not
 * online. Masks the caller's interrupts while it owns the (single, global) call slot.
 */
int smp_call(unsigned int cpu, void (*fn)(void *arg), void *arg, nsec_t timeout_ns);

/**
 * Asks logical cpu `cpu` to run fn() in interrupt context as soon as it takes interrupts, and
 * returns at once: nobody waits with interrupts masked for a cpu that is slow to answer. fn
 * reports its own completion (the caller polls for it). One function per cpu is pending at a
 * time: posting the one already pending just sends the interrupt again; another one while it
 * is pending returns VIREO_EBUSY. VIREO_ENOENT if cpu is not online.
 */
int smp_post(unsigned int cpu, void (*fn)(void));

/** Halts every other hart (best effort, bounded wait). */
void smp_stop_others(void);

/** Software interrupt entry. */
void smp_handle_ipi(void);

/** Entry for secondary harts (called by the arch entry code). */
__noreturn void smp_secondary_main(struct percpu *cpu);

#endif
