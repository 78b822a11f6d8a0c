/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The leak mode (testkit.leak=1 or testkit.leak=2 on the kernel command line, README.md): two
 * guests sharing a host cpu check that no per-hart CPU state passes between them. Each one
 * checks that the vector unit is out of its reach (not in its ISA string, every vector CSR and
 * instruction illegal: Priv. spec 8.2.11), prints the reset values of the HS-level CSRs VS-mode
 * reaches directly (scounteren, senvcfg: Priv. spec 8.2; "LEAK RESET", the same for both
 * guests, never the other guest's value), then writes its own value
 * to each and keeps checking, while sleeping in WFI so the other guest runs in between, that it
 * reads back exactly what it wrote. Prints "LEAK WROTE ..." once written and
 * "LEAK pass|fail checks=N failed=M [first failure]" at the end, then powers off.
 */
#include "hostile.h"
#include "csr.h"
#include "sbi.h"

#define CSR_SCOUNTEREN     0x106
#define CSR_SENVCFG        0x10a
#define CSR_SISELECT       0x150   /* Ssaia; vsiselect in VS-mode */
#define LEAK_RUN_US        3000000 /* long enough to overlap the other guest's whole run */
#define LEAK_NAP_US        20000
#define SSTATUS_VS_INITIAL (1UL << 9)

/* vsetvli a0, x0, e64, m1, ta, ma (unpriv. spec, V 1.0, 6.1): a0 = VLMAX. */
#define VSETVLI_A0 0x0d807557U

static const struct {
	unsigned int csr;
	const char *name;
} vector_csrs[] = {
    {0x008, "vstart"}, {0x009, "vxsat"}, {0x00a, "vxrm"},  {0x00f, "vcsr"},
    {0xc20, "vl"},     {0xc21, "vtype"}, {0xc22, "vlenb"},
};

static uint32_t csrw_a0(unsigned int csr)
{
	return (csr << 20) | (10U << 15) | (1U << 12) | 0x73; /* csrrw x0, csr, a0 */
}

/* Sleeps in WFI until a timer interrupt us microseconds from now. */
static void nap(uint64_t us)
{
	struct tk_hart *h = tk_this_hart();
	unsigned int seen = h->timer_irqs;
	sbi_set_timer(rdtime() + tk_ticks_from_us(us));
	csr_set(CSR_SIE, SIP_STIP);
	while (h->timer_irqs == seen) {
		wfi();
		irq_enable();
		irq_disable();
	}
}

/* The single-letter extensions of a riscv,isa string ("rv64imafdc_zicsr..." -> "imafdc"). */
static bool isa_has_letter(const char *isa, char letter)
{
	if (!isa) {
		return false;
	}
	for (const char *c = isa + 4; *c && *c != '_'; c++) {
		if (*c == letter) {
			return true;
		}
	}
	return false;
}

static void check_vector_off(struct hk_group *g)
{
	/* As a kernel using V would: turn its own vector state on first (sstatus.VS Initial). The
	 * hypervisor's sstatus.VS decides all the same. */
	csr_set(CSR_SSTATUS, SSTATUS_VS_INITIAL);
	hk_check(g, tk_plat.isa && !isa_has_letter(tk_plat.isa, 'v'), "ISA string %s offers V",
	         tk_plat.isa ? tk_plat.isa : "(none)");
	for (unsigned int i = 0; i < sizeof(vector_csrs) / sizeof(vector_csrs[0]); i++) {
		struct hk_result r = hk_csr_read(vector_csrs[i].csr);
		hk_check(g, r.faulted && r.cause == EXC_ILLEGAL_INSN,
		         "%s read gave 0x%lx instead of an illegal instruction (cause %lu)",
		         vector_csrs[i].name, (unsigned long)r.value, r.faulted ? r.cause : 0);
	}
	struct hk_result r = hk_exec(VSETVLI_A0, 0);
	hk_check(g, r.faulted && r.cause == EXC_ILLEGAL_INSN,
	         "vsetvli ran (vl 0x%lx) instead of an illegal instruction",
	         (unsigned long)r.value);
}

/* Reads csr; false if it does not exist here (illegal instruction). */
static bool read_csr(unsigned int csr, unsigned long *value)
{
	struct hk_result r = hk_csr_read(csr);
	*value = (unsigned long)r.value;
	return !r.faulted;
}

static unsigned long write_csr(unsigned int csr, unsigned long value)
{
	(void)hk_exec(csrw_a0(csr), value);
	unsigned long back = 0;
	(void)read_csr(csr, &back);
	return back;
}

void tk_leak_main(void)
{
	static struct hk_group g = {.name = "leak"};
	unsigned int id = tk_plat.leak;
	unsigned long sc, env;

	irq_disable();
	tk_printf("LEAK START id=%u isa=%s\n", id, tk_plat.isa ? tk_plat.isa : "(none)");
	check_vector_off(&g);

	/* Reset values (the platform's, printed for the caller to compare between guests), never
	 * what the other guest on this hart wrote. */
	bool have_sc = read_csr(CSR_SCOUNTEREN, &sc);
	hk_check(&g, have_sc && sc != 0x5 && sc != 0x2, "scounteren starts at 0x%lx", sc);
	bool have_env = read_csr(CSR_SENVCFG, &env);
	tk_printf("LEAK RESET id=%u scounteren=0x%lx senvcfg=0x%lx\n", id, sc, have_env ? env : 0);

	/* Our own values, different for the two guests: scounteren CY|IR or TM, senvcfg all its
	 * writable bits or only the lowest. */
	unsigned long want_sc = write_csr(CSR_SCOUNTEREN, id == 1 ? 0x5 : 0x2);
	hk_check(&g, want_sc == (id == 1 ? 0x5UL : 0x2UL), "scounteren kept 0x%lx", want_sc);
	unsigned long want_env = 0;
	if (have_env) {
		unsigned long mask = write_csr(CSR_SENVCFG, ~0UL);
		want_env = write_csr(CSR_SENVCFG, id == 1 ? mask : mask & (~mask + 1));
	}
	/* With AIA on the host: siselect, whose value the hypervisor must keep per guest. */
	unsigned long sel;
	bool have_sel = read_csr(CSR_SISELECT, &sel);
	unsigned long want_sel = have_sel ? write_csr(CSR_SISELECT, id == 1 ? 0x70 : 0x30) : 0;
	tk_printf("LEAK WROTE id=%u scounteren=0x%lx senvcfg=0x%lx%s siselect=0x%lx%s\n", id,
	          want_sc, want_env, have_env ? "" : " (no senvcfg)", want_sel,
	          have_sel ? "" : " (no siselect)");

	uint64_t end = rdtime() + tk_ticks_from_us(LEAK_RUN_US);
	unsigned int rounds = 0;
	while (rdtime() < end) {
		nap(LEAK_NAP_US);
		rounds++;
		hk_check(&g, read_csr(CSR_SCOUNTEREN, &sc) && sc == want_sc,
		         "round %u: scounteren reads 0x%lx, wrote 0x%lx", rounds, sc, want_sc);
		if (have_env) {
			(void)read_csr(CSR_SENVCFG, &env);
			hk_check(&g, env == want_env, "round %u: senvcfg reads 0x%lx, wrote 0x%lx",
			         rounds, env, want_env);
		}
		if (have_sel) {
			(void)read_csr(CSR_SISELECT, &sel);
			hk_check(&g, sel == want_sel, "round %u: siselect reads 0x%lx, wrote 0x%lx",
			         rounds, sel, want_sel);
		}
		check_vector_off(&g);
	}
	tk_printf("LEAK %s id=%u rounds=%u checks=%u failed=%u%s%s\n", g.failed ? "fail" : "pass",
	          id, rounds, g.checks, g.failed, g.failed ? " first: " : "",
	          g.failed ? g.first : "");
	sbi_shutdown(g.failed > 0);
}
