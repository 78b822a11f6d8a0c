/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * fp: the floating-point registers keep their values while the hart waits. Under a
 * hypervisor the hart is given to other vCPUs meanwhile, which may use FP themselves.
 */
#include "csr.h"
#include "sbi.h"
#include "testkit.h"

#define SSTATUS_FS_INITIAL (1UL << 13)
#define FP_ROUNDS          5
#define FP_WAIT_US         20000

uint64_t tk_fp_fill(uint64_t seed);
unsigned long tk_fp_check(uint64_t seed);

int test_fp(struct tk_result *r)
{
	struct tk_hart *h = tk_this_hart();
	/* A seed of our own (the time) so two guests never write the same patterns. */
	uint64_t seed = rdtime() * 0x9e3779b97f4a7c15ULL;
	unsigned long bad = 0;

	csr_set(CSR_SSTATUS, SSTATUS_FS_INITIAL);
	tk_fp_fill(seed);
	for (unsigned int i = 0; i < FP_ROUNDS && bad == 0; i++) {
		unsigned int seen = h->timer_irqs;
		uint64_t limit = tk_deadline_ms(1000);
		sbi_set_timer(rdtime() + tk_ticks_from_us(FP_WAIT_US));
		csr_set(CSR_SIE, SIP_STIP);
		while (h->timer_irqs == seen && !tk_expired(limit)) {
			wfi();
			irq_enable();
			irq_disable();
		}
		bad = tk_fp_check(seed);
	}
	sbi_set_timer(UINT64_MAX);
	if (bad) {
		return tk_fail(r, "%lu of 32 FP registers changed while the hart waited", bad);
	}
	tk_printf("INFO fp 32 registers kept across %d waits\n", FP_ROUNDS);
	return TK_PASS;
}
