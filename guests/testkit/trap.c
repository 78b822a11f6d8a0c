/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The trap handler. Interrupts are counted per hart and silenced; an exception is either the
 * fault a probe asked for (recorded and skipped), or unexpected: the boot hart abandons the
 * running test through its recovery context, a secondary records it and stops itself.
 */
#include "testkit.h"
#include "csr.h"
#include "sbi.h"

struct tk_frame tk_unexpected;

static void handle_interrupt(struct tk_hart *h, unsigned long code)
{
	switch (code) {
	case IRQ_S_TIMER:
		/* STIP stays set until the next set_timer; masking STIE stops the re-entry. */
		h->timer_irq_time = rdtime();
		h->timer_irqs++;
		csr_clear(CSR_SIE, SIP_STIP);
		break;
	case IRQ_S_SOFT:
		csr_clear(CSR_SIP, SIP_SSIP);
		h->soft_irqs++;
		break;
	default:
		/* Nothing else is expected: mask it so it cannot storm. */
		h->other_irqs++;
		if (code < 64) {
			csr_clear(CSR_SIE, 1UL << code);
		}
		break;
	}
}

/* Instruction length from its lowest two bits (unpriv. spec 1.5): 3 means 32-bit. */
static uint64_t insn_length(uint64_t pc)
{
	uint16_t low = *(volatile const uint16_t *)(uintptr_t)pc;

	return (low & 3) == 3 ? 4 : 2;
}

static void __attribute__((noreturn)) panic(const struct tk_frame *f, const char *what)
{
	tk_printf("TESTKIT PANIC %s scause=0x%lx sepc=0x%lx stval=0x%lx\n", what, f->scause,
	          f->sepc, f->stval);
	sbi_shutdown(true);
}

void tk_trap(struct tk_frame *f)
{
	struct tk_hart *h = tk_this_hart();

	if (h->trap_depth != 0) {
		panic(f, "trap inside the trap handler");
	}
	h->trap_depth++;
	if (f->scause & SCAUSE_INTERRUPT) {
		handle_interrupt(h, f->scause & ~SCAUSE_INTERRUPT);
		h->trap_depth--;
		return;
	}
	if (h->fault_armed) {
		h->fault_armed = false;
		h->fault_cause = f->scause;
		h->fault_tval = f->stval;
		if (f->scause == EXC_INSN_ACCESS || f->scause == EXC_INSN_PAGE ||
		    f->scause == EXC_INSN_MISALIGNED) {
			/* The probe jumped with jalr ra: resume at its return address. */
			f->sepc = f->x[1];
		} else {
			f->sepc += insn_length(f->sepc);
		}
		h->trap_depth--;
		return;
	}
	if (h->index != 0) {
		h->error_cause = f->scause;
		h->error_epc = f->sepc;
		h->error_tval = f->stval;
		__atomic_store_n(&h->state, TK_STATE_ERROR, __ATOMIC_RELEASE);
		sbi_hart_stop();
		for (;;) {
			wfi();
		}
	}
	if (h->recover == NULL) {
		panic(f, "unexpected exception");
	}
	/* Abandon the test: the runner reports it as FAIL and goes on with the next one. */
	tk_unexpected = *f;
	struct tk_ctx *ctx = h->recover;

	h->recover = NULL;
	h->trap_depth = 0;
	tk_ctx_restore(ctx, 1);
}
