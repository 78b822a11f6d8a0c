/* SPDX-License-Identifier: GPL-2.0-only */
/** Probing the H extension's optional parts (arch/hext.h) and per-hart setup. */
#include <arch/csr.h>
#include <arch/guest_mem.h>
#include <arch/hext.h>
#include <arch/trap.h>

#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_MASK  0x3fffUL

struct hext_caps hext;

static void read_senvcfg(void)
{
	(void)csr_read(CSR_SENVCFG);
}

static void read_hstateen0(void)
{
	(void)csr_read(CSR_HSTATEEN0);
}

static void read_vsiselect(void)
{
	(void)csr_read(CSR_VSISELECT);
}

/* Priv. spec 8.2.10: write ones to every VMID bit (MODE Bare, so nothing is translated) and
 * count the bits that kept them; VMIDLEN may be zero. */
static unsigned int probe_vmid_bits(void)
{
	csr_write(CSR_HGATP, HGATP_VMID_MASK << HGATP_VMID_SHIFT);
	unsigned long vmid = (csr_read(CSR_HGATP) >> HGATP_VMID_SHIFT) & HGATP_VMID_MASK;
	csr_write(CSR_HGATP, 0);
	hfence_gvma_all(); /* nothing may stay cached from the probe */
	unsigned int bits = 0;
	while (vmid & 1) {
		bits++;
		vmid >>= 1;
	}
	return bits;
}

void hext_probe(void)
{
	hext.vmid_bits = probe_vmid_bits();
	hext.senvcfg = arch_trap_probe(read_senvcfg);
	hext.smstateen = arch_trap_probe(read_hstateen0);
	hext.ssaia = arch_trap_probe(read_vsiselect);
	hext.scounteren_reset = csr_read(CSR_SCOUNTEREN);
	hext.senvcfg_reset = hext.senvcfg ? csr_read(CSR_SENVCFG) : 0;
}

void hext_hart_init(void)
{
	/* The firmware may leave the vector unit on (sstatus.VS). Vireo never uses it and gives it
	 * to no guest: with VS Off here every V instruction and vector CSR is illegal in VS- and
	 * VU-mode too (Priv. spec 8.2.11: with V=1 both vsstatus.VS and sstatus.VS are in
	 * effect), so no guest reads the vector registers, vl, vtype or vcsr another left. */
	csr_clear(CSR_SSTATUS, SSTATUS_VS_MASK);
	/* Smstateen: VS-mode may reach senvcfg (switched per vCPU, arch/riscv/vcpu.c) but not
	 * sstateen0, which Vireo does not switch and no guest is told of (its accesses raise a
	 * virtual-instruction exception, given to the guest as an illegal instruction). */
	if (hext.smstateen) {
		csr_write(CSR_HSTATEEN0, HSTATEEN0_ENVCFG);
	}
	csr_write(CSR_HGATP, 0);
}
