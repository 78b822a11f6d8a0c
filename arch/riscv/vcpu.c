/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * RISC-V vCPUs on the H extension (Priv. spec chapter 8): VS-level CSR switching, entering the
 * guest, and the exits the hypervisor handles itself. A hart keeps the VS CSRs of the vCPU it
 * ran last; another vCPU taking the hart saves them first (threads never migrate, so only the
 * hart's own threads ever touch them).
 */
#include <arch/csr.h>
#include <arch/guest_mem.h>
#include <arch/hext.h>
#include <arch/insn.h>
#include <arch/vcpu_mmio.h>
#include <arch/vsbi.h>
#include <vireo/arch/timer.h>
#include <vireo/clock.h>
#include <vireo/console.h>
#include <vireo/guest.h>
#include <vireo/errno.h>
#include <vireo/guest_ram.h>
#include <vireo/log.h>
#include <vireo/percpu.h>
#include <vireo/sched.h>
#include <vireo/string.h>
#include <vireo/timer.h>

#define INSN_WFI 0x10500073U

/* Exceptions the guest handles itself (hedeleg, Priv. spec 8.2.2): misaligned accesses,
 * illegal instructions, breakpoints, user ecalls and VS-stage page faults. */
#define HEDELEG_GUEST                                                                          \
	((1UL << EXC_INST_MISALIGNED) | (1UL << EXC_ILLEGAL_INST) | (1UL << EXC_BREAKPOINT) |  \
	 (1UL << EXC_LOAD_MISALIGNED) | (1UL << EXC_STORE_MISALIGNED) | (1UL << EXC_ECALL_U) | \
	 (1UL << EXC_INST_PAGE_FAULT) | (1UL << EXC_LOAD_PAGE_FAULT) |                         \
	 (1UL << EXC_STORE_PAGE_FAULT))
#define HIDELEG_GUEST (HVIP_VSSIP | HVIP_VSTIP | HVIP_VSEIP)

static struct vcpu *loaded[VIREO_MAX_CPUS];
static bool have_sstc;

static void csrs_save(struct vcpu *v)
{
	struct vs_csrs *c = &v->arch.csrs;
	c->vsstatus = csr_read(CSR_VSSTATUS);
	c->vsie = csr_read(CSR_VSIE);
	c->vstvec = csr_read(CSR_VSTVEC);
	c->vsscratch = csr_read(CSR_VSSCRATCH);
	c->vsepc = csr_read(CSR_VSEPC);
	c->vscause = csr_read(CSR_VSCAUSE);
	c->vstval = csr_read(CSR_VSTVAL);
	c->vsatp = csr_read(CSR_VSATP);
	c->hvip = csr_read(CSR_HVIP);
	if (have_sstc) {
		c->vstimecmp = csr_read(CSR_VSTIMECMP);
	}
	c->scounteren = csr_read(CSR_SCOUNTEREN);
	if (hext.senvcfg) {
		c->senvcfg = csr_read(CSR_SENVCFG);
	}
	if (hext.ssaia) {
		c->vsiselect = csr_read(CSR_VSISELECT);
	}
	v->arch.loaded = false;
}

static void csrs_load(struct vcpu *v)
{
	const struct vs_csrs *c = &v->arch.csrs;
	csr_write(CSR_VSSTATUS, c->vsstatus);
	csr_write(CSR_VSIE, c->vsie);
	csr_write(CSR_VSTVEC, c->vstvec);
	csr_write(CSR_VSSCRATCH, c->vsscratch);
	csr_write(CSR_VSEPC, c->vsepc);
	csr_write(CSR_VSCAUSE, c->vscause);
	csr_write(CSR_VSTVAL, c->vstval);
	csr_write(CSR_VSATP, c->vsatp);
	csr_write(CSR_HVIP, c->hvip);
	csr_write(CSR_HEDELEG, HEDELEG_GUEST);
	csr_write(CSR_HIDELEG, HIDELEG_GUEST);
	/* Guests read cycle, time and instret directly (Priv. spec 8.2.4). */
	csr_write(CSR_HCOUNTEREN, 0x7);
	csr_write(CSR_HTIMEDELTA, 0);
	csr_write(CSR_HENVCFG, have_sstc ? HENVCFG_STCE : 0);
	if (have_sstc) {
		csr_write(CSR_VSTIMECMP, c->vstimecmp);
	}
	csr_write(CSR_SCOUNTEREN, c->scounteren);
	if (hext.senvcfg) {
		csr_write(CSR_SENVCFG, c->senvcfg);
	}
	if (hext.ssaia) {
		csr_write(CSR_VSISELECT, c->vsiselect);
	}
	csr_write(CSR_HGATP, gstage_hgatp(&v->guest->arch.gstage, v->guest->arch.vmid));
	v->arch.loaded = true;
}

/* Makes this hart hold v's VS CSRs. Interrupts masked. */
static void take_hart(struct vcpu *v)
{
	unsigned int cpu = this_cpu_id();
	if (loaded[cpu] == v && !v->arch.reload) {
		return;
	}
	/* FP registers travel with the VS CSRs: only the hart's current vCPU uses them (the
	 * hypervisor never does), so they are switched only when another vCPU takes the hart. */
	csr_set(CSR_SSTATUS, SSTATUS_FS_DIRTY);
	if (loaded[cpu] && loaded[cpu] != v) {
		csrs_save(loaded[cpu]);
		arch_fp_save(&loaded[cpu]->arch.fp);
	}
	v->arch.reload = false;
	csrs_load(v);
	arch_fp_load(&v->arch.fp);
	loaded[cpu] = v;
	/* vCPUs of one guest share its VMID: drop what another vCPU cached in the VS-stage TLB
	 * (HFENCE.VVMA x0, x0 covers the current hgatp.VMID, Priv. spec 8.3.2). */
	__asm__ volatile(".insn r 0x73, 0x0, 0x11, x0, x0, x0" ::: "memory");
}

void arch_vcpu_release(struct vcpu *v)
{
	timer_event_stop(&v->arch.vtimer);
	arch_vcpu_sync(v);
}

void arch_vcpu_sync(struct vcpu *v)
{
	unsigned long flags = arch_irq_save();
	if (loaded[this_cpu_id()] == v) {
		csr_set(CSR_SSTATUS, SSTATUS_FS_DIRTY);
		csrs_save(v);
		arch_fp_save(&v->arch.fp);
		loaded[this_cpu_id()] = NULL;
		/* Nothing of the guest stays reachable from this hart: its tables may be freed
		 * once the vCPU threads are gone. */
		csr_write(CSR_HGATP, 0);
	}
	arch_irq_restore(flags);
}

static void vtimer_fired(struct timer_event *ev, void *arg)
{
	(void)ev;
	struct vcpu *v = arg;
	/* Runs on the vCPU's own hart. Only a vCPU waiting in WFI needs waking: one that runs
	 * (or is about to wait) sees the passed deadline at its next entry or its pending-
	 * interrupt check before sleeping. */
	if (v->state == VCPU_WFI) {
		thread_wake(v->thread);
	}
}

void arch_vcpu_reset(struct vcpu *v, unsigned long pc, unsigned long arg0, unsigned long arg1)
{
	struct arch_vcpu *a = &v->arch;

	have_sstc = strcmp(arch_timer_method(), "sstc") == 0;
	arch_vcpu_sync(v);
	memset(&a->regs, 0, sizeof(a->regs));
	memset(&a->csrs, 0, sizeof(a->csrs));
	memset(&a->fp, 0, sizeof(a->fp));
	/* If another hart still holds this vCPU's registers, it reloads them at the next entry. */
	a->reload = true;
	a->regs.sepc = pc;
	a->regs.sstatus = SSTATUS_SPP; /* boot in VS-mode */
	a->regs.x[10] = arg0;
	a->regs.x[11] = arg1;
	a->csrs.vstimecmp = UINT64_MAX;
	a->csrs.scounteren = hext.scounteren_reset;
	a->csrs.senvcfg = hext.senvcfg_reset;
	timer_event_stop(&a->vtimer);
	timer_event_init(&a->vtimer, vtimer_fired, v);
	a->timer_deadline = UINT64_MAX;
	a->pending_hvip = 0;
	/* a->external is the PLIC's output: a hart reset does not change it. */
}

/*
 * Delivers an exception to the guest as if the hardware had taken it in VS-mode (Priv. spec
 * 8.6.4 trap entry into VS-mode): vsepc/vscause/vstval, vsstatus SPP/SPIE/SIE, then resume at
 * vstvec. Only synchronous exceptions, so vstvec's vectored mode does not apply.
 */
static bool inject_exception(struct vcpu *v, unsigned long cause, unsigned long tval)
{
	struct arch_vcpu_regs *r = &v->arch.regs;
	unsigned long vsstatus = csr_read(CSR_VSSTATUS);

	/* A fault at the guest's own trap vector would only come back here: the guest can
	 * never make progress, so it is stopped instead of spinning. */
	if ((csr_read(CSR_VSTVEC) & ~3UL) == r->sepc) {
		log_err("guest %s/%u: exception %lu at its own trap vector 0x%lx (tval 0x%lx)",
		        v->guest->name, v->index, cause, r->sepc, tval);
		return false;
	}

	csr_write(CSR_VSEPC, r->sepc);
	csr_write(CSR_VSCAUSE, cause);
	csr_write(CSR_VSTVAL, tval);
	/* sstatus.SPP at the trap says whether the guest was in VS (1) or VU (0). */
	vsstatus &= ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE);
	vsstatus |= (r->sstatus & SSTATUS_SPP) ? SSTATUS_SPP : 0;
	vsstatus |= (csr_read(CSR_VSSTATUS) & SSTATUS_SIE) ? SSTATUS_SPIE : 0;
	csr_write(CSR_VSSTATUS, vsstatus);
	r->sepc = csr_read(CSR_VSTVEC) & ~3UL;
	r->sstatus |= SSTATUS_SPP; /* the handler runs in VS-mode */
	return true;
}

static enum vcpu_exit guest_fault(struct vcpu *v)
{
	struct arch_vcpu_regs *r = &v->arch.regs;
	unsigned long cause;

	/* Priv. spec 8.6.3: htval holds the guest physical address shifted right by 2. */
	gpaddr_t gpa = (r->htval << 2) | (r->stval & 3);
	switch (r->scause) {
	case EXC_INST_GUEST_FAULT:
		cause = EXC_INST_ACCESS;
		break;
	case EXC_LOAD_GUEST_FAULT:
		cause = EXC_LOAD_ACCESS;
		break;
	default:
		cause = EXC_STORE_ACCESS;
		break;
	}
	/* Guest RAM is mapped chunk by chunk on first use (core/guest_ram.c): map it and retry.
	 * A chunk another vCPU mapped meanwhile may still be cached here as invalid. */
	int ram = guest_ram_ready(v->guest, gpa);
	if (ram == 0 || ram == VIREO_EEXIST) {
		arch_guest_flush_local(v->guest, gpa);
		return VCPU_EXIT_CONTINUE;
	}
	if (ram == VIREO_ENOMEM) {
		/* No page for its stage-2 tables: retrying would only pin more of them (a failed
		 * map retires what it took until the next flush), so the guest stops here. */
		log_err("guest %s/%u: no memory for the stage-2 tables of its RAM at 0x%llx",
		        v->guest->name, v->index, (unsigned long long)gpa);
		return VCPU_EXIT_FATAL;
	}
	/* A load or store in an emulated region goes to its device model. */
	const struct vmmio_region *region = vmmio_find(v->guest, gpa, 1);
	if (region && r->scause != EXC_INST_GUEST_FAULT) {
		v->exits[VCPU_EXITK_MMIO]++;
		int err = vcpu_mmio_emulate(v, region, gpa);
		if (err == 0) {
			return VCPU_EXIT_CONTINUE;
		}
		if (err == VIREO_EAGAIN) {
			return VCPU_EXIT_RETRY; /* the same instruction again, after a wait */
		}
	} else {
		v->exits[VCPU_EXITK_GUEST_FAULT]++;
	}
	/* Nothing (usable) is emulated there: the architectural access fault, with the
	 * guest-virtual address the guest used. */
	if (log_get_level() >= LOG_DEBUG) {
		log_limited(&v->guest->fault_log, LOG_DEBUG,
		            "guest %s/%u: access fault at gpa 0x%llx (pc 0x%lx)", v->guest->name,
		            v->index, (unsigned long long)gpa, r->sepc);
	}
	return inject_exception(v, cause, r->stval) ? VCPU_EXIT_CONTINUE : VCPU_EXIT_FATAL;
}

static enum vcpu_exit virtual_instruction(struct vcpu *v)
{
	struct arch_vcpu_regs *r = &v->arch.regs;

	/* Priv. spec 8.6.1: stval holds the trapping instruction's bits. hstatus.VTW makes a
	 * VS-mode WFI trap here, so the hart can run something else. */
	if ((uint32_t)r->stval == INSN_WFI) {
		v->exits[VCPU_EXITK_WFI]++;
		r->sepc += 4;
		return VCPU_EXIT_WFI;
	}
	v->exits[VCPU_EXITK_VIRTUAL_INST]++;
	return inject_exception(v, EXC_ILLEGAL_INST, r->stval) ? VCPU_EXIT_CONTINUE
	                                                       : VCPU_EXIT_FATAL;
}

/*
 * The trap CSRs the exit path leaves in the hart for the exits that need them. Valid until
 * the next trap: nothing between the exit and its handling traps (interrupts are masked).
 */
static void fault_csrs(struct arch_vcpu_regs *r)
{
	r->stval = csr_read(CSR_STVAL);
	r->htval = csr_read(CSR_HTVAL);
	r->htinst = csr_read(CSR_HTINST);
}

static enum vcpu_exit handle_exit(struct vcpu *v)
{
	struct arch_vcpu_regs *r = &v->arch.regs;

	if (r->scause != EXC_ECALL_VS && !(r->scause & SCAUSE_INTERRUPT)) {
		fault_csrs(r);
	}
	if (r->scause & SCAUSE_INTERRUPT) {
		v->exits[VCPU_EXITK_INTERRUPT]++;
		return VCPU_EXIT_CONTINUE;
	}
	switch (r->scause) {
	case EXC_ECALL_VS:
		v->exits[VCPU_EXITK_SBI]++;
		r->sepc += 4;
		return vsbi_handle(v);
	case EXC_VIRTUAL_INST:
		return virtual_instruction(v);
	case EXC_INST_GUEST_FAULT:
	case EXC_LOAD_GUEST_FAULT:
	case EXC_STORE_GUEST_FAULT:
		return guest_fault(v);
	default:
		v->exits[VCPU_EXITK_OTHER]++;
		log_err("guest %s/%u: unexpected exception %lu at pc 0x%lx, tval 0x%lx",
		        v->guest->name, v->index, r->scause, r->sepc, r->stval);
		return VCPU_EXIT_FATAL;
	}
}

/* Everything the hart needs before entering v's guest: interrupt levels, fences, modes. */
static void prepare_entry(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	/* Raised interrupts are rare: a plain load first spares the atomic swap. */
	if (__atomic_load_n(&a->pending_hvip, __ATOMIC_RELAXED) != 0) {
		csr_set(CSR_HVIP, __atomic_exchange_n(&a->pending_hvip, 0, __ATOMIC_ACQ_REL));
	}
	/* VSEIP follows the guest interrupt controller's output for this vCPU (a level). */
	if (__atomic_load_n(&a->external, __ATOMIC_ACQUIRE)) {
		csr_set(CSR_HVIP, HVIP_VSEIP);
	} else {
		csr_clear(CSR_HVIP, HVIP_VSEIP);
	}
	if (!have_sstc && a->timer_deadline <= arch_timer_ticks()) {
		csr_set(CSR_HVIP, HVIP_VSTIP);
	}
	/* Mark "in the guest" before taking the fence requests: a requester that still sees a
	 * request pending while we are in the guest waits for our exit (vsbi_rfence.c). */
	__atomic_store_n(&a->in_guest, true, __ATOMIC_SEQ_CST);
	unsigned long flush = __atomic_exchange_n(&a->flush_request, 0, __ATOMIC_SEQ_CST);
	if (flush & VCPU_FLUSH_VVMA) {
		/* HFENCE.VVMA x0, x0: every VS-stage entry of the current hgatp.VMID. */
		__asm__ volatile(".insn r 0x73, 0x0, 0x11, x0, x0, x0" ::: "memory");
	}
	if (flush & VCPU_FLUSH_FENCEI) {
		__asm__ volatile("fence.i" ::: "memory");
	}
}

/*
 * sstatus and hstatus for entering VS-mode (sstatus.SPP=1 with hstatus.SPV=1) with host
 * interrupts masked until the sret; FP state stays live (the hypervisor never uses FP). WFI
 * traps (VTW) so the hart can be given away. The guest returns to the mode it trapped from
 * (sstatus.SPP: VS or VU), saved at the exit; a reset or an injected exception sets it to VS.
 * Needed on the first entry of a run only: after an exit handled in arch_vcpu_run() the
 * values saved at the exit are exactly these (the trap cleared SIE/SPIE and set SPV, SPVP).
 */
static void entry_modes(struct arch_vcpu *a)
{
	a->regs.sstatus = ((csr_read(CSR_SSTATUS) | SSTATUS_FS_DIRTY) &
	                   ~(SSTATUS_SPIE | SSTATUS_SIE | SSTATUS_SPP | SSTATUS_VS_MASK)) |
	                  (a->regs.sstatus & SSTATUS_SPP);
	a->regs.hstatus =
	    (csr_read(CSR_HSTATUS) | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_VTW) & ~HSTATUS_VTSR;
}

/*
 * True when the vCPU thread must see this exit: a host interrupt is pending (a timer, a kick
 * from another hart, which every change of guest or vCPU state comes with), the guest is no
 * longer running, or the exit left device requests for the thread to serve (vcpu_defer_io).
 * Otherwise an exit handled here goes straight back into the guest.
 */
static bool must_return(struct vcpu *v)
{
	return (csr_read(CSR_SIP) & csr_read(CSR_SIE)) != 0 || v->guest->state != GUEST_RUNNING ||
	       v->stop_request || v->io_slots;
}

enum vcpu_exit arch_vcpu_run(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;

	take_hart(v);
	guest_mem_enter(v->guest);
	entry_modes(a);
	for (;;) {
		prepare_entry(v);
		arch_vcpu_run_regs(&a->regs);
		__atomic_store_n(&a->in_guest, false, __ATOMIC_RELEASE);
		enum vcpu_exit exit = handle_exit(v);
		if (exit != VCPU_EXIT_CONTINUE) {
			return exit;
		}
		if (!must_return(v)) {
			continue;
		}
		if (a->regs.scause == (SCAUSE_INTERRUPT | IRQ_S_TIMER)) {
			/* The host timer ended the run: do its work here, as the trap path would but
			 * without the trap frame, so a guest timer emulated with a host timer event
			 * (no Sstc) reaches the guest at once; a due thread switch is left to a
			 * resched IPI, which makes must_return() send us back to the thread. */
			sched_timer_irq_masked();
			/* Guest and vCPU state were checked just above; a change since would have
			 * come with a kick, an interrupt. */
			if (!(csr_read(CSR_SIP) & csr_read(CSR_SIE))) {
				continue;
			}
		}
		return exit;
	}
}

bool arch_vcpu_irq_pending(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	/* Masked: another vCPU taking the hart between the `loaded` test and the CSR reads would
	 * make us read its registers. */
	unsigned long flags = arch_irq_save();
	unsigned long pending = __atomic_load_n(&a->pending_hvip, __ATOMIC_ACQUIRE);
	unsigned long vsie;

	if (a->loaded) {
		pending |= csr_read(CSR_HIP) & HIDELEG_GUEST;
		vsie = csr_read(CSR_VSIE);
	} else {
		pending |= a->csrs.hvip;
		if (have_sstc && a->csrs.vstimecmp <= arch_timer_ticks()) {
			pending |= HVIP_VSTIP;
		}
		vsie = a->csrs.vsie;
	}
	if (!have_sstc && a->timer_deadline <= arch_timer_ticks()) {
		pending |= HVIP_VSTIP;
	}
	/* The level decides, not a VSEIP left in hvip by an earlier entry. */
	pending &= ~HVIP_VSEIP;
	if (__atomic_load_n(&a->external, __ATOMIC_ACQUIRE)) {
		pending |= HVIP_VSEIP;
	}
	arch_irq_restore(flags);
	/* vsie bits sit one position below their hip/hvip counterparts (Priv. spec 8.2.3). */
	return (pending & (vsie << 1)) != 0;
}

nsec_t arch_vcpu_timer_deadline(struct vcpu *v)
{
	struct arch_vcpu *a = &v->arch;
	uint64_t ticks = a->timer_deadline;

	if (have_sstc) {
		ticks = a->loaded ? csr_read(CSR_VSTIMECMP) : a->csrs.vstimecmp;
	}
	return ticks == UINT64_MAX ? UINT64_MAX : clock_ticks_to_ns(ticks);
}

void vcpu_timer_set(struct vcpu *v, uint64_t deadline)
{
	if (have_sstc) {
		csr_write(CSR_VSTIMECMP, deadline);
		return;
	}
	v->arch.timer_deadline = deadline;
	csr_clear(CSR_HVIP, HVIP_VSTIP);
	if (deadline == UINT64_MAX) {
		timer_event_stop(&v->arch.vtimer);
	} else {
		timer_event_start(&v->arch.vtimer, clock_ticks_to_ns(deadline));
	}
}

void vcpu_clear_ipi(struct vcpu *v)
{
	__atomic_fetch_and(&v->arch.pending_hvip, ~HVIP_VSSIP, __ATOMIC_ACQ_REL);
	csr_clear(CSR_HVIP, HVIP_VSSIP);
}

void arch_vcpu_raise_ipi(struct vcpu *v)
{
	__atomic_fetch_or(&v->arch.pending_hvip, HVIP_VSSIP, __ATOMIC_RELEASE);
}

void arch_vcpu_set_external(struct vcpu *v, bool level)
{
	__atomic_store_n(&v->arch.external, level, __ATOMIC_RELEASE);
}

void arch_vcpu_dump(struct vcpu *v)
{
	static const char *const names[32] = {
	    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
	    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
	    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};
	const struct arch_vcpu_regs *r = &v->arch.regs;
	const struct vs_csrs *c = &v->arch.csrs;

	console_printf("pc        %016lx\n", r->sepc);
	for (unsigned int i = 1; i < 32; i += 2) {
		console_printf("%-4s %016lx   %-4s %016lx\n", names[i], r->x[i],
		               i + 1 < 32 ? names[i + 1] : "", i + 1 < 32 ? r->x[i + 1] : 0UL);
	}
	console_printf("vsstatus  %016lx   vsie     %016lx\n", c->vsstatus, c->vsie);
	console_printf("vstvec    %016lx   vsscratch %016lx\n", c->vstvec, c->vsscratch);
	console_printf("vsepc     %016lx   vscause  %016lx\n", c->vsepc, c->vscause);
	console_printf("vstval    %016lx   vsatp    %016lx\n", c->vstval, c->vsatp);
	console_printf("hvip      %016lx   vstimecmp %016llx\n", c->hvip,
	               (unsigned long long)c->vstimecmp);
}
