/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The bench mode (testkit.bench on the kernel command line): runs each benchmark once, prints
 * one "BENCH <name> ..." line per benchmark and "BENCH DONE", then powers off. The same binary
 * runs directly on QEMU + OpenSBI and as a Vireo guest; bench/bench.py compares the two.
 * README.md describes the lines and docs/benchmarks.md what each number means.
 */
#include "bench.h"
#include "csr.h"
#include "sbi.h"

#define CSR_CYCLE    0xc00
#define CSR_INSTRET  0xc02
#define CSR_STIMECMP 0x14d

#define SECONDARY_TIMEOUT_MS 5000

static bool have_instret, have_cycle;
static volatile bench_secondary_fn secondary_fn;

struct bench {
	const char *name;
	void (*run)(void);
};

static const struct bench benches[] = {
    {.name = "sbi_probe", .run = bench_sbi_probe},
    {.name = "mmio_read", .run = bench_mmio_read},
    {.name = "timer_irq", .run = bench_timer_irq},
    {.name = "timer_irq_sbi", .run = bench_timer_irq_sbi},
    {.name = "ipi_rtt", .run = bench_ipi_rtt},
    {.name = "vcpu_switch", .run = bench_vcpu_switch},
    {.name = "stage2_fault", .run = bench_stage2_fault},
    {.name = "blk_read", .run = bench_blk_read},
};

/* Each probe reads one CSR with a fault probe armed: the trap handler skips a trapping read. */
static bool probe_instret(void)
{
	struct tk_hart *h = tk_this_hart();
	unsigned long v = 0;

	h->fault_armed = true;
	__asm__ volatile("csrr %0, %1" : "+r"(v) : "i"(CSR_INSTRET) : "memory");
	bool ok = h->fault_armed;
	h->fault_armed = false;
	return ok;
}

static bool probe_cycle(void)
{
	struct tk_hart *h = tk_this_hart();
	unsigned long v = 0;

	h->fault_armed = true;
	__asm__ volatile("csrr %0, %1" : "+r"(v) : "i"(CSR_CYCLE) : "memory");
	bool ok = h->fault_armed;
	h->fault_armed = false;
	return ok;
}

bool bench_can_read_stimecmp(void)
{
	struct tk_hart *h = tk_this_hart();
	unsigned long v = 0;

	h->fault_armed = true;
	__asm__ volatile("csrr %0, %1" : "+r"(v) : "i"(CSR_STIMECMP) : "memory");
	bool ok = h->fault_armed;
	h->fault_armed = false;
	return ok;
}

/* riscv,isa: "rv64imafdch_zicsr_..._sstc": multi-letter extensions follow underscores. */
bool bench_isa_has(const char *ext)
{
	const char *s = tk_plat.isa;

	if (s == NULL) {
		return false;
	}
	while (*s != '\0') {
		while (*s != '\0' && *s != '_') {
			s++;
		}
		if (*s == '\0') {
			return false;
		}
		s++;
		const char *e = ext;

		while (*e != '\0' && *s == *e) {
			s++;
			e++;
		}
		if (*e == '\0' && (*s == '_' || *s == '\0')) {
			return true;
		}
	}
	return false;
}

bool bench_counters_readable(void)
{
	return have_instret && have_cycle;
}

void bench_read(struct bench_counters *c)
{
	c->instret = have_instret ? rdinstret() : 0;
	c->cycles = have_cycle ? rdcycle() : 0;
	c->time = rdtime();
}

struct bench_counters bench_delta(const struct bench_counters *start,
                                  const struct bench_counters *end)
{
	return (struct bench_counters){
	    .instret = end->instret - start->instret,
	    .cycles = end->cycles - start->cycles,
	    .time = end->time - start->time,
	};
}

uint64_t bench_ns10_from_ticks(uint64_t ticks)
{
	uint64_t tb = tk_plat.timebase;

	return ticks / tb * 10000000000UL + ticks % tb * 10000000000UL / tb;
}

void bench_fmt_div(char *buf, size_t size, uint64_t value, uint64_t div)
{
	uint64_t tenths = div == 0 ? 0 : (value * 10 + div / 2) / div;

	tk_snprintf(buf, size, "%lu.%lu", tenths / 10, tenths % 10);
}

void bench_report(const char *name, uint64_t iters, const struct bench_counters *total,
                  const char *extra)
{
	char instret[32], cycles[32], ns[32];

	if (have_instret) {
		bench_fmt_div(instret, sizeof(instret), total->instret, iters);
	} else {
		tk_snprintf(instret, sizeof(instret), "na");
	}
	if (have_cycle) {
		bench_fmt_div(cycles, sizeof(cycles), total->cycles, iters);
	} else {
		tk_snprintf(cycles, sizeof(cycles), "na");
	}
	/* ns x 10 over iters, rounded: one decimal of nanoseconds per operation. */
	bench_fmt_div(ns, sizeof(ns), bench_ns10_from_ticks(total->time), iters * 10);
	tk_printf("BENCH %s iters=%lu instret=%s cycles=%s time_ns=%s%s%s\n", name, iters, instret,
	          cycles, ns, extra != NULL && extra[0] != '\0' ? " " : "",
	          extra != NULL ? extra : "");
}

void bench_skip(const char *name, const char *fmt, ...)
{
	char reason[160];
	va_list ap;

	va_start(ap, fmt);
	tk_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	tk_printf("BENCH %s skip %s\n", name, reason);
}

long bench_send_ipi(uint64_t hartid)
{
	/* SBI spec v2.0, 7.1: send_ipi(hart_mask, hart_mask_base). */
	return sbi_ecall(SBI_EXT_IPI, 0, 1, hartid, 0, 0, 0).error;
}

void bench_secondary_main(struct tk_hart *h)
{
	h->trap_depth = 0;
	__atomic_fetch_add(&h->runs, 1, __ATOMIC_ACQ_REL);
	csr_clear(CSR_SIP, SIP_SSIP);
	__atomic_store_n(&h->state, TK_STATE_READY, __ATOMIC_RELEASE);
	secondary_fn(h);
	sbi_set_timer(UINT64_MAX);
	csr_write(CSR_SIE, 0);
	if (__atomic_load_n(&h->state, __ATOMIC_ACQUIRE) == TK_STATE_READY) {
		__atomic_store_n(&h->state, TK_STATE_LEAVING, __ATOMIC_RELEASE);
	}
	sbi_hart_stop();
	__atomic_store_n(&h->state, TK_STATE_ERROR, __ATOMIC_RELEASE);
	for (;;) {
		wfi();
	}
}

bool bench_secondary_start(bench_secondary_fn fn, char *why, size_t why_size)
{
	struct tk_hart *h = &tk_harts[1];

	secondary_fn = fn;
	h->state = TK_STATE_OFF;
	h->soft_irqs = 0;
	h->timer_irqs = 0;
	h->other_irqs = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	long err = sbi_hart_start(h->hartid, (unsigned long)(uintptr_t)bench_secondary_entry,
	                          (unsigned long)(uintptr_t)h);
	if (err != SBI_SUCCESS) {
		tk_snprintf(why, why_size, "hart_start(%lu) returned %s", h->hartid,
		            sbi_strerror(err));
		return false;
	}
	uint64_t deadline = tk_deadline_ms(SECONDARY_TIMEOUT_MS);

	while (__atomic_load_n(&h->state, __ATOMIC_ACQUIRE) == TK_STATE_OFF) {
		if (tk_expired(deadline)) {
			tk_snprintf(why, why_size, "hart %lu did not run within 5 s", h->hartid);
			return false;
		}
	}
	return true;
}

bool bench_secondary_wait_stopped(char *why, size_t why_size)
{
	struct tk_hart *h = &tk_harts[1];
	uint64_t deadline = tk_deadline_ms(SECONDARY_TIMEOUT_MS);
	struct sbiret st;

	do {
		st = sbi_hart_get_status(h->hartid);
	} while (st.error == SBI_SUCCESS && st.value != SBI_HSM_STOPPED && !tk_expired(deadline));
	if (st.error != SBI_SUCCESS || st.value != SBI_HSM_STOPPED) {
		tk_snprintf(why, why_size, "hart %lu not STOPPED within 5 s", h->hartid);
		return false;
	}
	return true;
}

static void quiesce(void)
{
	irq_disable();
	csr_write(CSR_SIE, 0);
	sbi_set_timer(UINT64_MAX);
	csr_clear(CSR_SIP, SIP_SSIP);
	tk_harts[0].fault_armed = false;
}

void tk_bench_main(void)
{
	static struct tk_ctx ctx;

	have_instret = probe_instret();
	have_cycle = probe_cycle();
	tk_printf("INFO bench counters instret=%s cycle=%s, isa %s, uart 0x%lx, %u virtio-mmio "
	          "slots\n",
	          have_instret ? "yes" : "no", have_cycle ? "yes" : "no",
	          tk_plat.isa != NULL ? tk_plat.isa : "unknown", tk_plat.uart_base,
	          tk_plat.virtio_count);
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		quiesce();
		if (tk_ctx_save(&ctx) == 0) {
			tk_harts[0].recover = &ctx;
			benches[i].run();
		} else {
			tk_printf("BENCH %s fail unexpected exception scause=0x%lx sepc=0x%lx "
			          "stval=0x%lx\n",
			          benches[i].name, tk_unexpected.scause, tk_unexpected.sepc,
			          tk_unexpected.stval);
		}
		tk_harts[0].recover = NULL;
		csr_write(CSR_STVEC, (uintptr_t)tk_trap_vector);
		quiesce();
	}
	tk_printf("BENCH DONE\n");
	sbi_shutdown(false);
}
