/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Ticket spinlocks (fair between harts). The _irqsave variants also mask this hart's
 * interrupts, and must be used for any lock an interrupt handler can take.
 */
#ifndef VIREO_SPINLOCK_H
#define VIREO_SPINLOCK_H

#include <vireo/types.h>
#include <vireo/arch/irq.h>
#include <vireo/arch/cpu.h>

typedef struct {
	uint32_t next; /* 32-bit: RISC-V AMOs work on words and doublewords only */
	uint32_t owner;
} spinlock_t;

#define SPINLOCK_INIT \
	{             \
		0, 0  \
	}

static inline void spin_lock_init(spinlock_t *lock)
{
	lock->next = 0;
	lock->owner = 0;
}

static inline void spin_lock(spinlock_t *lock)
{
	uint32_t ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);
	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket) {
		arch_cpu_relax();
	}
}

static inline void spin_unlock(spinlock_t *lock)
{
	uint32_t owner = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
	__atomic_store_n(&lock->owner, owner + 1, __ATOMIC_RELEASE);
}

static inline unsigned long spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags = arch_irq_save();
	spin_lock(lock);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	spin_unlock(lock);
	arch_irq_restore(flags);
}

#endif
