/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Two-hart benchmarks between the boot hart (tk_harts[0]) and one other (tk_harts[1]).
 *
 * ipi_rtt: the boot hart sends an SBI IPI and waits in WFI; the other hart, waiting in WFI,
 * takes the software interrupt through the kit's trap vector and answers with an IPI, which
 * the boot hart takes the same way. One operation is the whole round trip.
 *
 * vcpu_switch: a baton passed through memory. The hart holding it hands it over (a store to
 * `turn`, then an IPI used only as a wake-up) and sleeps in WFI with sstatus.SIE clear, so no
 * trap is taken: it wakes, clears sip.SSIP and looks at `turn` again. One operation is one
 * hand-over, half a round. Under Vireo with both vCPUs on one host hart, each hand-over is a
 * vCPU switch (WFI exit, scheduler, entry of the other vCPU); on two real harts it is the
 * wake-up latency of a sleeping hart.
 *
 * Every wait is bounded: a timer WAIT_MS ahead wakes any WFI, and a hart that finds its
 * deadline passed gives up, so a lost IPI fails the benchmark instead of hanging it.
 */
#include "bench.h"
#include "csr.h"
#include "sbi.h"

#define IPI_WARMUP    20
#define IPI_ITERS     1000
#define SWITCH_WARMUP 20
#define SWITCH_ROUNDS 500
#define WAIT_MS       10000

static volatile uint32_t stop_flag;
static volatile uint32_t turn;
static volatile uint64_t wait_deadline;

static void ipi_responder(struct tk_hart *h)
{
	uint64_t boot = tk_harts[0].hartid;

	csr_write(CSR_SIE, SIP_SSIP | SIP_STIP);
	sbi_set_timer(wait_deadline);
	for (;;) {
		uint32_t seen = h->soft_irqs;

		while (h->soft_irqs == seen && !stop_flag && h->timer_irqs == 0) {
			wfi();
			irq_enable();
			irq_disable();
		}
		if (stop_flag) {
			return;
		}
		if (h->timer_irqs != 0) {
			__atomic_store_n(&h->state, TK_STATE_TIMEOUT, __ATOMIC_RELEASE);
			return;
		}
		bench_send_ipi(boot);
	}
}

static bool finish(const char *name, bool ok, const char *what)
{
	char why[96];

	stop_flag = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	bench_send_ipi(tk_harts[1].hartid);
	if (!bench_secondary_wait_stopped(why, sizeof(why))) {
		tk_printf("BENCH %s fail %s\n", name, why);
		return false;
	}
	if (!ok) {
		tk_printf("BENCH %s fail %s\n", name, what);
		return false;
	}
	if (tk_harts[1].state != TK_STATE_LEAVING) {
		tk_printf("BENCH %s fail hart %lu gave up waiting (state %u)\n", name,
		          tk_harts[1].hartid, tk_harts[1].state);
		return false;
	}
	return true;
}

void bench_ipi_rtt(void)
{
	struct tk_hart *h = &tk_harts[0];
	struct bench_counters start = {0, 0, 0}, end, total;
	char why[96];
	bool ok = true;

	if (tk_hart_slots < 2) {
		bench_skip("ipi_rtt", "one hart: no other hart to answer");
		return;
	}
	stop_flag = 0;
	wait_deadline = tk_deadline_ms(WAIT_MS);
	if (!bench_secondary_start(ipi_responder, why, sizeof(why))) {
		tk_printf("BENCH ipi_rtt fail %s\n", why);
		return;
	}
	uint64_t peer = tk_harts[1].hartid;
	uint32_t timer_irqs = h->timer_irqs;

	csr_write(CSR_SIE, SIP_SSIP | SIP_STIP);
	sbi_set_timer(wait_deadline);
	for (unsigned int i = 0; ok && i < IPI_WARMUP + IPI_ITERS; i++) {
		if (i == IPI_WARMUP) {
			bench_read(&start);
		}
		uint32_t seen = h->soft_irqs;

		bench_send_ipi(peer);
		while (h->soft_irqs == seen) {
			if (h->timer_irqs != timer_irqs) {
				ok = false;
				break;
			}
			wfi();
			irq_enable();
			irq_disable();
		}
	}
	bench_read(&end);
	csr_write(CSR_SIE, 0);
	if (!finish("ipi_rtt", ok, "no answer within 10 s")) {
		return;
	}
	total = bench_delta(&start, &end);
	bench_report("ipi_rtt", IPI_ITERS, &total, NULL);
}

/* Sleeps until `turn` is @me; false once the deadline passed. sstatus.SIE stays clear. */
static bool wait_turn(uint32_t me)
{
	while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != me) {
		if (tk_expired(wait_deadline)) {
			return false;
		}
		wfi();
		csr_clear(CSR_SIP, SIP_SSIP);
	}
	return true;
}

/* The store must be visible before the IPI that announces it. */
static void give(uint32_t to, uint64_t hartid)
{
	__atomic_store_n(&turn, to, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	bench_send_ipi(hartid);
}

static void switch_partner(struct tk_hart *h)
{
	uint64_t boot = tk_harts[0].hartid;

	csr_write(CSR_SIE, SIP_SSIP | SIP_STIP);
	sbi_set_timer(wait_deadline);
	for (;;) {
		if (!wait_turn(1)) {
			__atomic_store_n(&h->state, TK_STATE_TIMEOUT, __ATOMIC_RELEASE);
			return;
		}
		if (stop_flag) {
			return;
		}
		give(0, boot);
	}
}

void bench_vcpu_switch(void)
{
	struct bench_counters start = {0, 0, 0}, end, total;
	char why[96];
	bool ok = true;

	if (tk_hart_slots < 2) {
		bench_skip("vcpu_switch", "one hart: nobody to switch with");
		return;
	}
	stop_flag = 0;
	turn = 0;
	wait_deadline = tk_deadline_ms(WAIT_MS);
	if (!bench_secondary_start(switch_partner, why, sizeof(why))) {
		tk_printf("BENCH vcpu_switch fail %s\n", why);
		return;
	}
	uint64_t peer = tk_harts[1].hartid;

	csr_write(CSR_SIE, SIP_SSIP | SIP_STIP);
	sbi_set_timer(wait_deadline);
	for (unsigned int i = 0; ok && i < SWITCH_WARMUP + SWITCH_ROUNDS; i++) {
		if (i == SWITCH_WARMUP) {
			bench_read(&start);
		}
		give(1, peer);
		ok = wait_turn(0);
	}
	bench_read(&end);
	csr_write(CSR_SIE, 0);
	/* Hand the baton over once more with stop_flag already set, so the partner leaves. */
	stop_flag = 1;
	__atomic_store_n(&turn, 1, __ATOMIC_RELEASE);
	if (!finish("vcpu_switch", ok, "the baton did not come back within 10 s")) {
		return;
	}
	total = bench_delta(&start, &end);
	bench_report("vcpu_switch", 2 * SWITCH_ROUNDS, &total, NULL);
}
