/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Hart bring-up and inter-hart messages. Logical cpu 0 is the boot hart; the others are started
 * through the firmware and each runs its own scheduler. Messages are bits in the target's
 * ipi_pending word plus one software interrupt; a cross call passes one function at a time.
 */
#include <vireo/arch/cpu_setup.h>
#include <vireo/arch/irq.h>
#include <vireo/arch/power.h>
#include <vireo/arch/smp.h>
#include <vireo/clock.h>
#include <vireo/errno.h>
#include <vireo/irq.h>
#include <vireo/log.h>
#include <vireo/page_alloc.h>
#include <vireo/sched.h>
#include <vireo/smp.h>
#include <vireo/timer.h>

#define SECONDARY_STACK_SIZE (16 * 1024)
#define BRINGUP_TIMEOUT_NS   (5 * NSEC_PER_SEC)

static struct percpu cpus[VIREO_MAX_CPUS];
static unsigned int cpu_count = 1;
static unsigned int online_count;
static spinlock_t call_lock = SPINLOCK_INIT;

struct percpu *percpu_get(unsigned int id)
{
	return &cpus[id < VIREO_MAX_CPUS ? id : 0];
}

unsigned int percpu_count(void)
{
	return cpu_count;
}

unsigned int smp_online_count(void)
{
	return __atomic_load_n(&online_count, __ATOMIC_ACQUIRE);
}

int smp_register_cpus(const unsigned long *hw_ids, unsigned int count, unsigned long boot_hw_id)
{
	unsigned int next = 1;
	bool boot_found = false;

	if (count == 0 || count > VIREO_MAX_CPUS) {
		return VIREO_EINVAL;
	}
	for (unsigned int i = 0; i < count; i++) {
		struct percpu *cpu;
		if (hw_ids[i] == boot_hw_id) {
			cpu = &cpus[0];
			boot_found = true;
		} else if (next < VIREO_MAX_CPUS) {
			cpu = &cpus[next++];
		} else {
			continue;
		}
		cpu->hw_id = hw_ids[i];
	}
	if (!boot_found) {
		return VIREO_ENOENT;
	}
	for (unsigned int i = 0; i < next; i++) {
		cpus[i].id = i;
		cpus[i].state = i == 0 ? CPU_ONLINE : CPU_OFFLINE;
	}
	cpu_count = next;
	online_count = 1;
	return 0;
}

struct percpu *smp_boot_cpu(unsigned long hw_id)
{
	cpus[0].hw_id = hw_id;
	cpus[0].id = 0;
	cpus[0].state = CPU_ONLINE;
	return &cpus[0];
}

static void cpu_local_init(void)
{
	timer_cpu_init();
	sched_cpu_init();
	irq_cpu_init();
	arch_cpu_init_traps(irq_has_chip());
}

void smp_secondary_main(struct percpu *cpu)
{
	cpu_local_init();
	__atomic_fetch_add(&online_count, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&cpu->state, CPU_ONLINE, __ATOMIC_RELEASE);
	sched_run_idle();
}

void smp_boot_secondaries(void)
{
	cpu_local_init();

	for (unsigned int i = 1; i < cpu_count; i++) {
		struct percpu *cpu = &cpus[i];
		paddr_t stack;
		int err = page_alloc_get((unsigned int)page_alloc_order_for(SECONDARY_STACK_SIZE),
		                         &stack);
		if (err) {
			log_err("smp: no memory for hart %lu's stack", cpu->hw_id);
			continue;
		}
		cpu->boot_stack_base = (uintptr_t)stack;
		cpu->boot_stack_top = (uintptr_t)stack + SECONDARY_STACK_SIZE;
		cpu->state = CPU_STARTING;
		/* Make the block visible before the hart reads it. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		err = arch_smp_start_cpu(cpu->hw_id, cpu);
		if (err) {
			log_err("smp: firmware refused to start hart %lu: %s", cpu->hw_id,
			        vireo_strerror(err));
			cpu->state = CPU_OFFLINE;
			continue;
		}
		nsec_t deadline = clock_now() + BRINGUP_TIMEOUT_NS;
		while (__atomic_load_n(&cpu->state, __ATOMIC_ACQUIRE) != CPU_ONLINE &&
		       clock_now() < deadline) {
			arch_cpu_relax();
		}
		if (cpu->state != CPU_ONLINE) {
			log_err("smp: hart %lu did not come online (firmware says %s)", cpu->hw_id,
			        arch_smp_cpu_status(cpu->hw_id));
		}
	}
}

void smp_send(unsigned int id, enum ipi_msg msg)
{
	struct percpu *cpu = percpu_get(id);
	__atomic_fetch_or(&cpu->ipi_pending, 1UL << msg, __ATOMIC_RELEASE);
	arch_smp_send_ipi(cpu->hw_id);
}

void smp_handle_ipi(void)
{
	struct percpu *cpu = this_cpu();
	unsigned long pending = __atomic_exchange_n(&cpu->ipi_pending, 0, __ATOMIC_ACQUIRE);

	cpu->ipi_count++;
	if (pending & (1UL << IPI_STOP)) {
		cpu->state = CPU_STOPPED;
		arch_cpu_halt();
	}
	if (pending & (1UL << IPI_CALL)) {
		void (*fn)(void *) = __atomic_exchange_n(&cpu->call_fn, NULL, __ATOMIC_ACQUIRE);
		if (fn) {
			fn(cpu->call_arg);
			__atomic_store_n(&cpu->call_done, 1, __ATOMIC_RELEASE);
		}
	}
	if (pending & (1UL << IPI_POST)) {
		void (*post)(void) = __atomic_exchange_n(&cpu->post_fn, NULL, __ATOMIC_ACQ_REL);
		if (post) {
			post();
		}
	}
	if (pending & (1UL << IPI_RESCHED)) {
		sched_resched_local();
	}
}

int smp_post(unsigned int id, void (*fn)(void))
{
	struct percpu *cpu = percpu_get(id);
	if (id >= cpu_count || cpu->state != CPU_ONLINE) {
		return VIREO_ENOENT;
	}
	void (*expected)(void) = NULL;
	if (!__atomic_compare_exchange_n(&cpu->post_fn, &expected, fn, false, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_ACQUIRE) &&
	    expected != fn) {
		return VIREO_EBUSY;
	}
	smp_send(id, IPI_POST);
	return 0;
}

int smp_call(unsigned int id, void (*fn)(void *arg), void *arg, nsec_t timeout_ns)
{
	struct percpu *cpu = percpu_get(id);
	int ret = 0;

	if (id >= cpu_count || cpu->state != CPU_ONLINE) {
		return VIREO_ENOENT;
	}
	if (cpu == this_cpu()) {
		unsigned long flags = arch_irq_save();
		fn(arg);
		arch_irq_restore(flags);
		return 0;
	}
	/* Interrupts stay masked while we own the call slot, so we cannot be preempted holding
	 * it; a hart spinning for the lock meanwhile cannot answer us, but our bounded wait
	 * lets it through. */
	unsigned long flags = spin_lock_irqsave(&call_lock);
	cpu->call_arg = arg;
	cpu->call_done = 0;
	__atomic_store_n(&cpu->call_fn, fn, __ATOMIC_RELEASE);
	smp_send(id, IPI_CALL);

	nsec_t deadline = clock_now() + timeout_ns;
	while (!__atomic_load_n(&cpu->call_done, __ATOMIC_ACQUIRE)) {
		if (clock_now() >= deadline) {
			/* Withdraw the call if the target has not taken it; if it has, it is running
			 * it now and will finish, so wait for that (arg lives on our stack). */
			if (__atomic_exchange_n(&cpu->call_fn, NULL, __ATOMIC_ACQ_REL)) {
				ret = VIREO_EAGAIN;
				break;
			}
			deadline = UINT64_MAX;
		}
		arch_cpu_relax();
	}
	spin_unlock_irqrestore(&call_lock, flags);
	return ret;
}

void smp_stop_others(void)
{
	struct percpu *self = this_cpu();

	for (unsigned int i = 0; i < cpu_count; i++) {
		if (&cpus[i] != self && cpus[i].state == CPU_ONLINE) {
			smp_send(i, IPI_STOP);
		}
	}
	/* Bounded wait: a hart stuck with interrupts masked must not stop us from halting. */
	for (unsigned long spin = 0; spin < 10000000UL; spin++) {
		bool all = true;
		for (unsigned int i = 0; i < cpu_count; i++) {
			if (&cpus[i] != self && cpus[i].state == CPU_ONLINE) {
				all = false;
			}
		}
		if (all) {
			break;
		}
		arch_cpu_relax();
	}
}
