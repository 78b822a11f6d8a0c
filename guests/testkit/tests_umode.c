/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * umode: user code stays in U-mode across a trip through the hypervisor. It reads a device
 * register (under a hypervisor: an exit and an emulated access), then reads sstatus, which
 * U-mode may not: that must trap as an illegal instruction.
 */
#include "csr.h"
#include "testkit.h"

void tk_user_enter(void (*code)(void)) __attribute__((noreturn));
void tk_user_code(void);

int test_umode(struct tk_result *r)
{
	static struct tk_ctx ctx;
	struct tk_hart *h = tk_this_hart();
	struct tk_ctx *outer = h->recover;

	h->fault_cause = 0;
	if (tk_ctx_save(&ctx) == 0) {
		h->recover = &ctx;
		/* The first trap (the sstatus read, or the first ebreak if that read did not
		 * trap) is recorded and skipped; the next one comes back here. */
		h->fault_armed = true;
		tk_user_enter(tk_user_code);
	}
	h->recover = outer;
	h->fault_armed = false;
	if (h->fault_cause == EXC_ILLEGAL_INSN) {
		tk_printf("INFO umode sstatus read from U-mode trapped after an emulated access\n");
		return TK_PASS;
	}
	return tk_fail(r,
	               "reading sstatus in U-mode gave scause %lu, not an illegal-instruction "
	               "trap: the code ran with supervisor privilege",
	               (unsigned long)h->fault_cause);
}
