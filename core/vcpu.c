/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * vCPU threads. Each vCPU is a hypervisor thread that enters the guest through the arch code
 * and acts on what comes back: waiting for interrupts (WFI), hart stop/start (SBI HSM), and
 * guest-wide events it hands to core/guest.c. A vCPU parks (sleeps) while its guest is not
 * running or its hart is stopped; other threads change its state and kick it.
 */
#include <vireo/arch/irq.h>
#include <vireo/clock.h>
#include <vireo/errno.h>
#include <vireo/guest_devs.h>
#include <vireo/guest_ram.h>
#include <vireo/guest.h>
#include <vireo/guest_ops.h>
#include <vireo/heap.h>
#include <vireo/log.h>
#include <vireo/percpu.h>
#include <vireo/printf.h>
#include <vireo/smp.h>
#include <vireo/string.h>
#include <vireo/vcpu.h>

#define RETRY_WAIT_NS (50 * NSEC_PER_USEC)

struct vcpu *guest_vcpu(struct guest *g, unsigned long hartid)
{
	return hartid < g->vcpu_count ? g->vcpus[hartid] : NULL;
}

const char *vcpu_state_name(enum vcpu_state s)
{
	switch (s) {
	case VCPU_OFF:
		return "off";
	case VCPU_RUNNING:
		return "running";
	case VCPU_WFI:
		return "wfi";
	}
	return "?";
}

void vcpu_kick(struct vcpu *v)
{
	/* An ended thread may already be freed by its hart: exit_lock keeps the thread from
	 * ending (setting `exited`) while we look at it. */
	unsigned long flags = spin_lock_irqsave(&v->exit_lock);
	struct thread *t = v->thread;
	if (t && !v->exited) {
		thread_wake(t);
		/* If it is inside the guest on another hart, an IPI makes the guest exit there. */
		if (t->cpu != this_cpu()) {
			smp_send(t->cpu->id, IPI_RESCHED);
		}
	}
	spin_unlock_irqrestore(&v->exit_lock, flags);
}

int vcpu_hsm_start(struct vcpu *t, unsigned long pc, unsigned long opaque)
{
	struct guest *g = t->guest;
	unsigned long flags = spin_lock_irqsave(&g->lock);
	if (t->state != VCPU_OFF) {
		spin_unlock_irqrestore(&g->lock, flags);
		return VIREO_EBUSY;
	}
	t->start_pc = pc;
	t->start_arg = opaque;
	t->resume_pending = true;
	t->state = VCPU_RUNNING;
	spin_unlock_irqrestore(&g->lock, flags);
	vcpu_kick(t);
	return 0;
}

void vcpu_hsm_suspend(struct vcpu *v)
{
	__atomic_store_n(&v->suspended, true, __ATOMIC_RELEASE);
}

void vcpu_suspend_non_retentive(struct vcpu *v, unsigned long pc, unsigned long opaque)
{
	v->start_pc = pc;
	v->start_arg = opaque;
	v->resume_pending = true;
}

void vcpu_defer_io(struct vcpu *v, unsigned int slot)
{
	__atomic_fetch_or(&v->io_slots, 1U << slot, __ATOMIC_RELEASE);
}

static void wake_timer_fired(struct timer_event *ev, void *arg)
{
	(void)ev;
	struct vcpu *v = arg;
	thread_wake(v->thread);
}

static bool must_leave_wfi(struct vcpu *v)
{
	return v->stop_request || v->guest->state != GUEST_RUNNING || v->state == VCPU_OFF;
}

/* Sleeps until a virtual interrupt is pending for v (WFI, Priv. spec 3.3.3), bounded by its
 * virtual timer, or until the guest changes state. */
static void wait_for_interrupt(struct vcpu *v)
{
	v->state = VCPU_WFI;
	while (!arch_vcpu_irq_pending(v) && !must_leave_wfi(v)) {
		nsec_t deadline = arch_vcpu_timer_deadline(v);
		if (deadline != UINT64_MAX) {
			timer_event_start(&v->wake_timer, deadline);
		}
		thread_sleep();
	}
	timer_event_stop(&v->wake_timer);
	if (v->state == VCPU_WFI) {
		v->state = VCPU_RUNNING;
	}
	/* A hart_suspend ends with the wait (SBI spec 9.4): STARTED again. */
	__atomic_store_n(&v->suspended, false, __ATOMIC_RELEASE);
}

/* Parks the thread while the guest is not running or this hart is stopped. */
static void park(struct vcpu *v)
{
	v->parked = true;
	thread_sleep();
	v->parked = false;
	/* Before the caller looks at the guest's state again: pairs with wait_parked(). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static void vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct guest *g = v->guest;

	timer_event_init(&v->wake_timer, wake_timer_fired, v);
	while (!v->stop_request) {
		if (g->state != GUEST_RUNNING || v->state == VCPU_OFF) {
			park(v);
			continue;
		}
		/* Device requests this vCPU notified: served here, interrupts enabled, so their
		 * length (the guest decides it) never keeps the hart masked. */
		if (__atomic_load_n(&v->io_slots, __ATOMIC_ACQUIRE)) {
			if (!guest_devs_service(v)) {
				/* Another thread serves the device: wait for it sleeping (it may be
				 * of lower priority on this very hart), not in the guest. */
				thread_sleep_ns(RETRY_WAIT_NS);
			}
			continue;
		}
		unsigned long flags = arch_irq_save();
		if (v->resume_pending) {
			v->resume_pending = false;
			arch_vcpu_reset(v, v->start_pc, v->index, v->start_arg);
		}
		enum vcpu_exit exit = arch_vcpu_run(v);
		/* Host interrupts that ended the run are taken here; this may switch threads. */
		arch_irq_restore(flags);

		switch (exit) {
		case VCPU_EXIT_CONTINUE:
			break;
		case VCPU_EXIT_WFI:
			wait_for_interrupt(v);
			break;
		case VCPU_EXIT_RETRY:
			/* A device is busy with this guest's earlier request: let whatever serves it
			 * run (sleeping, so a lower-priority thread can too), then try again. */
			thread_sleep_ns(RETRY_WAIT_NS);
			break;
		case VCPU_EXIT_HSM_STOP: {
			/* Under the guest lock, as hart_start's check-and-set of the same field. */
			unsigned long irq = spin_lock_irqsave(&g->lock);
			v->state = VCPU_OFF;
			spin_unlock_irqrestore(&g->lock, irq);
			break;
		}
		case VCPU_EXIT_SHUTDOWN:
			guest_stop(g,
			           g->shutdown_failure ? "guest shut down (system failure)"
			                               : "guest shut down",
			           g->shutdown_failure);
			break;
		case VCPU_EXIT_REBOOT:
			guest_request_reboot(g);
			break;
		case VCPU_EXIT_FATAL: {
			char reason[GUEST_REASON_MAX];
			snprintf(reason, sizeof(reason), "vcpu %u hit an unrecoverable exception",
			         v->index);
			guest_stop(g, reason, true);
			break;
		}
		}
	}
	timer_event_stop(&v->wake_timer);
	arch_vcpu_release(v);
	unsigned long flags = spin_lock_irqsave(&v->exit_lock);
	v->exited = true;
	spin_unlock_irqrestore(&v->exit_lock, flags);
}

int vcpu_create_all(struct guest *g)
{
	for (unsigned int i = 0; i < g->vcpu_count; i++) {
		struct vcpu *v = g->vcpus[i];
		char name[THREAD_NAME_MAX];
		int err;
		snprintf(name, sizeof(name), "%s/%u", g->name, i);
		v->thread = thread_create(name, vcpu_thread, v, v->prio, v->host_cpu, &err);
		if (!v->thread) {
			return err;
		}
		v->thread->slice = v->slice;
		v->thread_id = v->thread->id;
		thread_start(v->thread);
	}
	return 0;
}

/* Copies between hypervisor memory and guest RAM page by page (core/guest_ram.c). */
static int guest_copy(struct guest *g, gpaddr_t gpa, void *buf, size_t len, bool to_guest)
{
	uint8_t *p = buf;
	while (len) {
		size_t chunk = 4096 - (size_t)(gpa & 4095);
		chunk = chunk < len ? chunk : len;
		void *host = guest_ram_host(g, gpa, chunk);
		if (!host) {
			return VIREO_EFAULT;
		}
		if (to_guest) {
			memcpy(host, p, chunk);
		} else {
			memcpy(p, host, chunk);
		}
		gpa += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

int guest_read(struct guest *g, gpaddr_t gpa, void *buf, size_t len)
{
	return guest_copy(g, gpa, buf, len, false);
}

int guest_write(struct guest *g, gpaddr_t gpa, const void *buf, size_t len)
{
	return guest_copy(g, gpa, (void *)(uintptr_t)buf, len, true);
}
