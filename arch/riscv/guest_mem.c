/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest-physical memory on RISC-V: G-stage tables (arch/riscv/gstage.c), VMIDs and the fences
 * that make unmapped memory safe to reuse. The table format follows the host: Sv48x4 when the
 * host MMU does Sv48, else Sv39x4 (Priv. spec 8.5).
 *
 * VMIDs: as many as hgatp.VMID holds (VMIDLEN, probed at boot, arch/riscv/hext.c), at most
 * VMID_MAX; a guest that finds none free shares VMID 0 with the others in that case, and a hart
 * then fences all G-stage translations whenever it enters such a guest after another one.
 *
 * Fences that cannot be lost: a flush is a generation. arch_guest_flush() takes the next one and
 * asks every hart to fence (HFENCE.GVMA) at its next interrupt (smp_post, so no requester waits
 * with interrupts masked), then sleeps until each hart has confirmed or a bound passes. A hart
 * that could not answer in time (busy with interrupts masked) still fences before it next
 * enters any guest, because every guest entry compares the hart's confirmed generation with the
 * newest one (guest_mem_enter). Tables unlinked meanwhile
 * stay retired, and a destroyed guest's RAM, tables and VMID stay allocated, until every hart has
 * confirmed (core/guest.c keeps such a guest until arch_guest_flush_done()).
 */
#include <arch/csr.h>
#include <arch/gstage.h>
#include <arch/guest_mem.h>
#include <arch/hext.h>
#include <vireo/clock.h>
#include <vireo/errno.h>
#include <vireo/guest.h>
#include <vireo/log.h>
#include <vireo/percpu.h>
#include <vireo/platform.h>
#include <vireo/sched.h>
#include <vireo/shell_parse.h>
#include <vireo/smp.h>
#include <vireo/spinlock.h>
#include <vireo/string.h>
#include <vireo/arch/irq.h>

#define VMID_MAX 128 /* more than GUEST_MAX */
/* How long a flush waits, sleeping, for every hart to confirm. */
#define FENCE_WAIT_NS NSEC_PER_SEC

static spinlock_t vmid_lock = SPINLOCK_INIT;
static bool vmid_used[VMID_MAX];
static unsigned int vmid_count; /* VMIDs 1 .. vmid_count-1 are handed out; 0 is shared */
static bool vmid_ready;

static uint64_t fence_requested;                 /* newest flush generation */
static uint64_t fence_done[VIREO_MAX_CPUS];      /* generation each hart has fenced for */
static unsigned int shared_last[VIREO_MAX_CPUS]; /* guest id + 1 that last ran on a shared VMID */

/* VMIDLEN bits, or fewer if vireo.vmid_bits= on the command line says so (to run with few
 * VMIDs on hardware that has many). */
static unsigned int vmid_bits(void)
{
	unsigned int bits = hext.vmid_bits;
	char value[8];
	uint64_t want;
	if (cmdline_get_value(platform_get()->bootargs, "vireo.vmid_bits", value, sizeof(value)) >
	        0 &&
	    str_to_u64(value, &want, false) == 0 && want < bits) {
		bits = (unsigned int)want;
	}
	return bits;
}

/* Under vmid_lock. */
static void vmid_setup(void)
{
	if (vmid_ready) {
		return;
	}
	unsigned int bits = vmid_bits();
	vmid_count = bits >= 7 ? VMID_MAX : 1U << bits;
	vmid_ready = true;
	log_info("gstage: %u VMID bits, %u VMIDs for guests%s", hext.vmid_bits,
	         vmid_count > 1 ? vmid_count - 1 : 0,
	         vmid_count > GUEST_MAX ? "" : " (guests beyond them share one, fenced on switch)");
}

/* A VMID of its own for g, or the shared VMID 0. */
static void vmid_alloc(struct guest *g)
{
	unsigned long flags = spin_lock_irqsave(&vmid_lock);
	vmid_setup();
	g->arch.vmid = 0;
	g->arch.vmid_shared = true;
	for (unsigned int i = 1; i < vmid_count; i++) {
		if (!vmid_used[i]) {
			vmid_used[i] = true;
			g->arch.vmid = i;
			g->arch.vmid_shared = false;
			break;
		}
	}
	spin_unlock_irqrestore(&vmid_lock, flags);
}

static void vmid_free(struct guest *g)
{
	unsigned long flags = spin_lock_irqsave(&vmid_lock);
	if (!g->arch.vmid_shared && g->arch.vmid < VMID_MAX) {
		vmid_used[g->arch.vmid] = false;
	}
	spin_unlock_irqrestore(&vmid_lock, flags);
}

int arch_guest_init(struct guest *g)
{
	const struct platform *plat = platform_get();
	unsigned int levels =
	    strcmp(plat->harts[0].mmu, "sv48") == 0 || strcmp(plat->harts[0].mmu, "sv57") == 0
	        ? GSTAGE_LEVELS_SV48X4
	        : GSTAGE_LEVELS_SV39X4;
	int err = gstage_init(&g->arch.gstage, levels);
	if (err) {
		return err;
	}
	vmid_alloc(g);
	return 0;
}

void arch_guest_destroy(struct guest *g)
{
	/* The caller saw arch_guest_flush_done(g): no hart holds anything of the tables. */
	gstage_destroy(&g->arch.gstage);
	vmid_free(g);
}

int arch_guest_map_ram(struct guest *g, gpaddr_t gpa, paddr_t hpa, uint64_t size)
{
	return gstage_map(&g->arch.gstage, gpa, hpa, size,
	                  GSTAGE_READ | GSTAGE_WRITE | GSTAGE_EXEC);
}

int arch_guest_unmap_ram(struct guest *g, gpaddr_t gpa, uint64_t size)
{
	return gstage_unmap(&g->arch.gstage, gpa, size);
}

/* Records that this hart has fenced for every generation up to gen. Interrupts masked: the
 * posted call, the requester's own fence and the entry check, the only writers of this hart's
 * slot, all run on the hart itself and never interleave. */
static void fence_confirm(uint64_t gen)
{
	unsigned int cpu = this_cpu_id();
	if (gen > fence_done[cpu]) {
		__atomic_store_n(&fence_done[cpu], gen, __ATOMIC_RELEASE);
	}
}

/* On the target hart, at its next interrupt (smp_post). */
static void fence_here(void)
{
	uint64_t gen = __atomic_load_n(&fence_requested, __ATOMIC_ACQUIRE);
	hfence_gvma_all();
	fence_confirm(gen);
}

void guest_mem_enter(const struct guest *g)
{
	unsigned int cpu = this_cpu_id();
	uint64_t gen = __atomic_load_n(&fence_requested, __ATOMIC_ACQUIRE);
	bool fence = fence_done[cpu] != gen;
	/* A shared VMID holds whatever guest ran on it here last. */
	if (g->arch.vmid_shared && shared_last[cpu] != g->id + 1) {
		shared_last[cpu] = g->id + 1;
		fence = true;
	}
	if (fence) {
		hfence_gvma_all();
		fence_confirm(gen);
	}
}

static bool hart_owes(unsigned int c, uint64_t gen)
{
	return percpu_get(c)->state == CPU_ONLINE &&
	       __atomic_load_n(&fence_done[c], __ATOMIC_ACQUIRE) < gen;
}

bool arch_guest_flush_done(const struct guest *g)
{
	for (unsigned int c = 0; c < percpu_count(); c++) {
		if (hart_owes(c, g->arch.flush_gen)) {
			return false;
		}
	}
	return true;
}

bool arch_guest_flush(struct guest *g)
{
	/* Every hart: the guest's vCPUs may have run anywhere (Priv. spec 8.3.2). The tables were
	 * changed before this increment, so a hart that fences for this generation or a later one
	 * walks the new tables. */
	uint64_t gen = __atomic_add_fetch(&fence_requested, 1, __ATOMIC_SEQ_CST);
	g->arch.flush_gen = gen;
	nsec_t deadline = clock_now() + FENCE_WAIT_NS;
	for (;;) {
		bool all = true;
		for (unsigned int c = 0; c < percpu_count(); c++) {
			if (!hart_owes(c, gen)) {
				continue;
			}
			if (c == this_cpu_id()) {
				unsigned long flags = arch_irq_save();
				fence_here();
				arch_irq_restore(flags);
				continue;
			}
			/* Posted again each round: harmless if it is still pending. */
			(void)smp_post(c, fence_here);
			all = false;
		}
		if (all) {
			gstage_free_retired(&g->arch.gstage);
			return true;
		}
		if (clock_now() > deadline) {
			break;
		}
		thread_sleep_ns(NSEC_PER_MSEC);
	}
	for (unsigned int c = 0; c < percpu_count(); c++) {
		if (hart_owes(c, gen)) {
			log_err("guest %s: hart %lu has not confirmed its G-stage fence; it fences "
			        "before entering any guest, and the memory it may cache stays "
			        "reserved until then",
			        g->name, percpu_get(c)->hw_id);
		}
	}
	return false;
}

void arch_guest_flush_local(struct guest *g, gpaddr_t gpa)
{
	(void)g;
	/* HFENCE.GVMA rs1, x0: translations of guest-physical address rs1 (shifted right by 2). */
	__asm__ volatile(".insn r 0x73, 0x0, 0x31, x0, %0, x0" : : "r"(gpa >> 2) : "memory");
}

int arch_guest_translate(const struct guest *g, gpaddr_t gpa, paddr_t *hpa)
{
	unsigned int prot;
	return gstage_translate(&g->arch.gstage, gpa, hpa, &prot);
}
