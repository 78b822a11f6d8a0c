/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The hostile mode's runner (README.md, "Hostile mode"). The boot hart runs the attack groups
 * in order and prints one result line each; meanwhile the second hart (when there is one)
 * keeps up a storm of its own: remote fences that force the boot hart out of the guest, IPIs,
 * virtual instructions and SBI calls. After "HOSTILE DONE" the kit keeps attacking at a low
 * rate until a byte arrives on its console, then faults at its own trap vector, which a
 * hypervisor can only answer by stopping it.
 */
#include "hostile.h"
#include "csr.h"
#include "sbi.h"

#define SSTATUS_FS_INITIAL (1UL << 13)
#define CSR_HGATP_INSN     0x68002573U /* csrrs a0, hgatp, x0 */

struct group {
	const char *name;
	void (*run)(struct hk_group *g);
	bool with_storm; /* the second hart storms meanwhile */
};

static const struct group groups[] = {
    {"hsm", hk_attack_hsm, false},      {"memory", hk_attack_memory, true},
    {"mmio", hk_attack_mmio, true},     {"sbi", hk_attack_sbi, true},
    {"virtio", hk_attack_virtio, true}, {"virtio_net", hk_attack_virtio_net, true},
    {"irq", hk_attack_irq, true},       {"traps", hk_attack_traps, true},
};

static volatile bool storm_stop;
static volatile uint64_t storm_rounds;
static volatile uint64_t storm_wrong;

bool hk_check(struct hk_group *g, bool ok, const char *fmt, ...)
{
	g->checks++;
	if (!ok) {
		if (g->failed == 0) {
			va_list ap;

			va_start(ap, fmt);
			tk_vsnprintf(g->first, sizeof(g->first), fmt, ap);
			va_end(ap);
		}
		g->failed++;
	}
	return ok;
}

void hk_secondary_main(struct tk_hart *h)
{
	unsigned long boot = tk_harts[0].hartid;

	__atomic_store_n(&h->state, TK_STATE_READY, __ATOMIC_RELEASE);
	while (!storm_stop) {
		/* RFENCE 8.2 to every hart: each one makes the boot hart leave the guest. */
		long e1 = sbi_ecall(SBI_EXT_RFENCE, 1, 0, SBI_HART_MASK_ALL, 0, ~0UL, 0).error;
		long e2 = sbi_ecall(SBI_EXT_IPI, 0, 1, boot, 0, 0, 0).error;
		long e3 = sbi_ecall(SBI_EXT_IPI, 0, 1, boot + 64, 0, 0, 0).error;
		struct hk_result v = hk_exec(CSR_HGATP_INSN, 0);
		bool ok = e1 == 0 && e2 == 0 && e3 == SBI_ERR_INVALID_PARAM && v.faulted &&
		          v.cause == EXC_ILLEGAL_INSN;
		storm_wrong += ok ? 0 : 1;
		storm_rounds++;
	}
	__atomic_store_n(&h->state, TK_STATE_LEAVING, __ATOMIC_RELEASE);
	sbi_hart_stop();
	for (;;) {
		wfi();
	}
}

static bool storm_start(void)
{
	if (tk_hart_slots < 2) {
		return false;
	}
	storm_stop = false;
	long e = sbi_hart_start(tk_harts[1].hartid, (unsigned long)(uintptr_t)hk_secondary_entry,
	                        (unsigned long)(uintptr_t)&tk_harts[1]);
	return e == 0;
}

static void storm_end(void)
{
	storm_stop = true;
	uint64_t deadline = tk_deadline_ms(5000);

	while (!tk_expired(deadline)) {
		struct sbiret s = sbi_hart_get_status(tk_harts[1].hartid);
		if (s.error == 0 && s.value == SBI_HSM_STOPPED) {
			break;
		}
	}
}

/*
 * A byte on the console: the memory attacks read the UART, which makes it the console's
 * receiver, so its LSR.DR (ns16550a) is checked besides the legacy console_getchar (SBI spec
 * 5.3: -1 while nothing is waiting).
 */
static bool console_byte(void)
{
	volatile uint8_t *uart = (volatile uint8_t *)(uintptr_t)HK_UART_BASE;

	if (uart[5] & 1) {
		(void)uart[0];
		return true;
	}
	return sbi_ecall(0x02, 0, 0, 0, 0, 0, 0).error >= 0;
}

/* Until a byte arrives on the console: SBI calls, virtual instructions, timer interrupts. */
static void keep_attacking(void)
{
	struct tk_hart *h = tk_this_hart();
	uint64_t rounds = 0;

	tk_printf("HOSTILE WAITING for a byte on the console\n");
	for (;;) {
		if (console_byte()) {
			break;
		}
		for (unsigned int i = 0; i < 200; i++) {
			sbi_ecall(0x0badc0de, i, 0, 0, 0, 0, 0);
			hk_exec(CSR_HGATP_INSN, 0);
		}
		uint32_t seen = h->timer_irqs;
		sbi_set_timer(0);
		csr_set(CSR_SIE, SIP_STIP);
		irq_enable();
		while (h->timer_irqs == seen) {
		}
		irq_disable();
		rounds++;
	}
	sbi_set_timer(UINT64_MAX);
	tk_printf("INFO hostile %lu rounds while waiting\n", rounds);
}

/*
 * The trap vector is moved to a hole, then an illegal instruction: the exception goes to the
 * vector (hedeleg), whose fetch faults, and that fault would be delivered to the same vector
 * again. Nothing the guest does can end the loop, so the hypervisor must stop the guest.
 */
static void __attribute__((noreturn)) fault_at_own_vector(void)
{
	tk_printf("HOSTILE FATAL exception at trap vector 0x%lx\n", HK_HOLE);
	csr_write(CSR_STVEC, HK_HOLE);
	__asm__ volatile(".word 0xc0001073" : : : "memory");
	/* Only reached if the exception came back here. */
	csr_write(CSR_STVEC, 0);
	tk_printf("HOSTILE FATAL survived\n");
	sbi_shutdown(true);
}

void tk_hostile_main(void)
{
	static struct hk_group g;
	unsigned int passed = 0, failed = 0;

	csr_set(CSR_SSTATUS, SSTATUS_FS_INITIAL);
	tk_printf("HOSTILE START harts=%u ram=0x%lx-0x%lx virtio=%u uart=0x%lx\n", tk_hart_slots,
	          hk_ram_base(), hk_ram_end() - 1, tk_plat.virtio_count, tk_plat.uart_base);
	for (unsigned int i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		const struct group *grp = &groups[i];
		bool storming = grp->with_storm && storm_start();

		memset(&g, 0, sizeof(g));
		g.name = grp->name;
		grp->run(&g);
		csr_write(CSR_SIE, 0);
		irq_disable();
		if (storming) {
			storm_end();
		}
		csr_clear(CSR_SIP, SIP_SSIP);
		if (g.failed == 0) {
			passed++;
			tk_printf("HOSTILE %s pass checks=%u%s\n", g.name, g.checks,
			          storming ? " storm=yes" : "");
		} else {
			failed++;
			tk_printf("HOSTILE %s fail %u of %u checks: %s\n", g.name, g.failed,
			          g.checks, g.first);
		}
	}
	tk_printf("INFO hostile second hart: %lu storm rounds, %lu wrong answers\n", storm_rounds,
	          storm_wrong);
	tk_printf("HOSTILE DONE passed=%u failed=%u storm_wrong=%lu\n", passed, failed,
	          storm_wrong);
	keep_attacking();
	fault_at_own_vector();
}
