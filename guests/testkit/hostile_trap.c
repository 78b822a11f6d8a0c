/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Interrupt and trap attacks: timer interrupts at zero delta (SBI set_timer and Sstc
 * stimecmp), a UART transmitter-empty interrupt re-armed endlessly through the PLIC, storms of
 * illegal and virtual instructions, every hypervisor and machine CSR and the hypervisor
 * instructions from VS-mode (Priv. spec 8.6.1: a virtual-instruction exception, which the
 * hypervisor must turn into the illegal-instruction exception a guest expects), and WFI loops.
 */
#include "hostile.h"
#include "csr.h"
#include "sbi.h"

#define CSR_STIMECMP 0x14d
#define STORM        5000U
#define INSN_STORM   20000U
#define WAIT_MS      2000

/* PLIC (riscv-plic spec): context 0 is vCPU 0's supervisor context in Vireo's tree. */
#define PLIC_PRIO(id)   (HK_PLIC_BASE + 4UL * (id))
#define PLIC_ENABLE0    (HK_PLIC_BASE + 0x2000UL)
#define PLIC_THRESHOLD0 (HK_PLIC_BASE + 0x200000UL)
#define PLIC_CLAIM0     (HK_PLIC_BASE + 0x200004UL)
#define UART_IRQ        10U
#define UART_IER        1UL
#define UART_IIR        2UL
#define IER_ETBEI       0x02U

#define INSN_ILLEGAL 0xc0001073U /* csrrw x0, cycle, x0: a write to a read-only CSR */

/* One instruction run from the hart's scratch slot with the fault probe armed: a0 in, a0 out. */
static uint32_t slots[TK_MAX_HARTS][2] __attribute__((aligned(8)));

struct hk_result hk_exec(uint32_t insn, unsigned long arg)
{
	struct tk_hart *h = tk_this_hart();
	struct hk_result r = {false, 0, 0, 0};
	uint32_t *slot = slots[h->index];
	unsigned long (*fn)(unsigned long) = (unsigned long (*)(unsigned long))(uintptr_t)slot;

	slot[0] = insn;
	slot[1] = 0x00008067; /* ret */
	__asm__ volatile("fence.i" : : : "memory");
	h->fault_armed = true;
	r.value = fn(arg);
	r.faulted = !h->fault_armed;
	h->fault_armed = false;
	r.cause = h->fault_cause;
	r.tval = h->fault_tval;
	return r;
}

static uint32_t csrr_a0(unsigned int csr)
{
	return (csr << 20) | (2U << 12) | (10U << 7) | 0x73; /* csrrs a0, csr, x0 */
}

static uint32_t csrw_a0(unsigned int csr)
{
	return (csr << 20) | (10U << 15) | (1U << 12) | 0x73; /* csrrw x0, csr, a0 */
}

struct hk_result hk_csr_read(unsigned int csr)
{
	return hk_exec(csrr_a0(csr), 0);
}

static volatile uint8_t *mmio8(uint64_t a)
{
	return (volatile uint8_t *)(uintptr_t)a;
}

static volatile uint32_t *mmio32(uint64_t a)
{
	return (volatile uint32_t *)(uintptr_t)a;
}

/* Waits for the count to move with interrupts open; the handler masks the source again. */
static bool take_one(volatile uint32_t *count, unsigned long sie_bit)
{
	uint32_t seen = *count;
	uint64_t deadline = tk_deadline_ms(WAIT_MS);

	csr_set(CSR_SIE, sie_bit);
	irq_enable();
	while (*count == seen && !tk_expired(deadline)) {
	}
	irq_disable();
	return *count != seen;
}

static void timer_storms(struct hk_group *g)
{
	struct tk_hart *h = tk_this_hart();
	unsigned int taken = 0;

	for (unsigned int i = 0; i < STORM; i++) {
		sbi_set_timer(0);
		if (!take_one(&h->timer_irqs, SIP_STIP)) {
			break;
		}
		taken++;
	}
	sbi_set_timer(UINT64_MAX);
	hk_check(g, taken == STORM, "set_timer(0) storm: %u of %u interrupts", taken, STORM);
	hk_check(g, (csr_read(CSR_SIP) & SIP_STIP) == 0, "STIP still pending after set_timer(-1)");

	if (hk_csr_read(CSR_STIMECMP).faulted) {
		tk_printf("INFO irq no Sstc: stimecmp storm skipped\n");
		return;
	}
	taken = 0;
	for (unsigned int i = 0; i < STORM; i++) {
		hk_exec(csrw_a0(CSR_STIMECMP), 0);
		if (!take_one(&h->timer_irqs, SIP_STIP)) {
			break;
		}
		taken++;
	}
	hk_exec(csrw_a0(CSR_STIMECMP), ~0UL);
	hk_check(g, taken == STORM, "stimecmp=0 storm: %u of %u interrupts", taken, STORM);
}

static void uart_storm(struct hk_group *g)
{
	struct tk_hart *h = tk_this_hart();
	uint64_t uart = tk_plat.uart_base ? tk_plat.uart_base : HK_UART_BASE;
	unsigned int taken = 0, wrong = 0;

	*mmio32(PLIC_PRIO(UART_IRQ)) = 1;
	*mmio32(PLIC_THRESHOLD0) = 0;
	*mmio32(PLIC_ENABLE0) = 1U << UART_IRQ;
	for (unsigned int i = 0; i < STORM; i++) {
		/* 16550: setting ETBEI with the transmitter empty raises THRE at once. */
		*mmio8(uart + UART_IER) = 0;
		*mmio8(uart + UART_IER) = IER_ETBEI;
		if (!take_one(&h->other_irqs, SIP_SEIP)) {
			break;
		}
		taken++;
		uint32_t id = *mmio32(PLIC_CLAIM0);
		uint8_t iir = *mmio8(uart + UART_IIR);
		wrong += (id != UART_IRQ || (iir & 0x0f) != 0x02) ? 1 : 0;
		*mmio32(PLIC_CLAIM0) = id;
	}
	*mmio8(uart + UART_IER) = 0;
	*mmio32(PLIC_ENABLE0) = 0;
	*mmio32(PLIC_PRIO(UART_IRQ)) = 0;
	hk_check(g, taken == STORM && wrong == 0,
	         "uart THRE storm: %u of %u interrupts, %u with a wrong claim or IIR", taken, STORM,
	         wrong);
	hk_check(g, *mmio32(PLIC_CLAIM0) == 0, "PLIC still has a claimable interrupt");
}

static void wfi_storm(struct hk_group *g)
{
	unsigned int returned = 0;

	/* WFI returns when an enabled interrupt is pending, even with sstatus.SIE clear
	 * (Priv. spec 3.3.3): a timer in the past keeps it pending. */
	sbi_set_timer(0);
	csr_write(CSR_SIE, SIP_STIP);
	for (unsigned int i = 0; i < INSN_STORM; i++) {
		wfi();
		returned++;
	}
	csr_write(CSR_SIE, 0);
	sbi_set_timer(UINT64_MAX);
	hk_check(g, returned == INSN_STORM, "wfi storm: %u returns", returned);
}

void hk_attack_irq(struct hk_group *g)
{
	timer_storms(g);
	uart_storm(g);
	wfi_storm(g);
	csr_write(CSR_SIE, 0);
}

void hk_attack_traps(struct hk_group *g)
{
	/* Hypervisor and VS CSRs (Priv. spec 8.2-8.3), machine CSRs, and unassigned ones. */
	static const unsigned int csrs[] = {
	    0x600, 0x602, 0x603, 0x604, 0x605, 0x606, 0x607, 0x60a, 0x61a, 0x643, 0x644, 0x645,
	    0x64a, 0x680, 0xe12, 0x200, 0x204, 0x205, 0x240, 0x241, 0x242, 0x243, 0x244, 0x280,
	    0x24d, 0x300, 0x301, 0x302, 0x303, 0x304, 0x305, 0x340, 0x341, 0x342, 0x344, 0x3a0,
	    0x3b0, 0x7a0, 0xf11, 0xf14, 0xb00, 0x015, 0x5ff, 0x8ff, 0xdff};
	unsigned int wrong = 0;

	for (unsigned int i = 0; i < sizeof(csrs) / sizeof(csrs[0]); i++) {
		struct hk_result r = hk_csr_read(csrs[i]);
		hk_check(g, r.faulted && r.cause == EXC_ILLEGAL_INSN, "csrr 0x%x: %s %lu", csrs[i],
		         r.faulted ? "cause" : "no fault, value", r.faulted ? r.cause : r.value);
		/* A write of garbage must trap the same way and change nothing. */
		r = hk_exec(csrw_a0(csrs[i]), 0xffffffffffffffffUL);
		hk_check(g, r.faulted && r.cause == EXC_ILLEGAL_INSN, "csrw 0x%x: %s", csrs[i],
		         r.faulted ? "wrong cause" : "no fault");
	}
	/* HFENCE.VVMA, HFENCE.GVMA, HLV.B a1,(a0), HSV.B a1,(a0), HLVX.HU (Priv. spec 8.3). */
	static const uint32_t insns[] = {0x22000073, 0x62000073, 0x600545f3, 0x62b54073,
	                                 0x643545f3};
	for (unsigned int i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		struct hk_result r = hk_exec(insns[i], hk_ram_base());
		hk_check(g, r.faulted && r.cause == EXC_ILLEGAL_INSN, "insn 0x%08x: %s %lu",
		         insns[i], r.faulted ? "cause" : "no fault", r.cause);
	}
	/* Storms: an illegal instruction (handled in the guest) and a virtual one (every
	 * one an exit to the hypervisor and an injected exception). */
	for (unsigned int i = 0; i < INSN_STORM; i++) {
		struct hk_result a = hk_exec(INSN_ILLEGAL, 0);
		struct hk_result b = hk_exec(csrr_a0(0x680), 0);
		wrong += (a.faulted && a.cause == EXC_ILLEGAL_INSN) ? 0 : 1;
		wrong += (b.faulted && b.cause == EXC_ILLEGAL_INSN) ? 0 : 1;
	}
	hk_check(g, wrong == 0, "instruction storm: %u of %u wrong", wrong, 2 * INSN_STORM);
}
