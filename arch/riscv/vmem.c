/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest-virtual reads with HLV.D and HLVX.HU (Priv. spec 8.3: hypervisor virtual-machine
 * load instructions), run under arch_trap_probe() so a bad guest pointer is an error code.
 * The encodings are written with .insn so no assembler H-extension support is needed.
 */
#include <arch/csr.h>
#include <arch/trap.h>
#include <arch/vmem.h>
#include <vireo/arch/irq.h>
#include <vireo/errno.h>

#include <vireo/percpu.h>

/* Per hart: the probe function cannot take arguments, so they travel through these slots. */
static unsigned long probe_addr[VIREO_MAX_CPUS];
static unsigned long probe_value[VIREO_MAX_CPUS];

static void do_hlv_d(void)
{
	unsigned int cpu = this_cpu_id();
	unsigned long v = 0;
	/* HLV.D rd, (rs1): funct7 0110110, rs2 00000, funct3 100, opcode SYSTEM. */
	__asm__ volatile(".insn r 0x73, 0x4, 0x36, %0, %1, x0"
	                 : "=r"(v)
	                 : "r"(probe_addr[cpu])
	                 : "memory");
	probe_value[cpu] = v;
}

static int run(void (*fn)(void), unsigned long va, unsigned long *out)
{
	unsigned long flags = arch_irq_save();
	unsigned int cpu = this_cpu_id();
	probe_addr[cpu] = va;
	probe_value[cpu] = 0;
	bool ok = arch_trap_probe(fn);
	*out = probe_value[cpu];
	arch_irq_restore(flags);
	return ok ? 0 : VIREO_EFAULT;
}

int vmem_read_guest_va(unsigned long va, unsigned long *value)
{
	if (va & 7) {
		return VIREO_EFAULT;
	}
	return run(do_hlv_d, va, value);
}

/*
 * The whole instruction at va under one inline probe (this is the hot path of every emulated
 * access): a 4-byte-aligned address takes one HLVX.WU (the word cannot cross a page);
 * otherwise the first parcel tells whether a second, possibly on the next page, follows. A
 * compressed instruction keeps only its 16 bits.
 */
int vmem_fetch_guest_insn32(unsigned long va, uint32_t *insn)
{
	unsigned int slot = this_cpu_id();
	unsigned long lo = 0, hi = 0;

	arch_probe_faulted[slot] = false;
	arch_probe_active[slot] = true;
	if ((va & 3) == 0) {
		/* HLVX.WU rd, (rs1): funct7 0110100, rs2 00011. */
		__asm__ volatile(".insn r 0x73, 0x4, 0x34, %0, %1, x3"
		                 : "=r"(lo)
		                 : "r"(va)
		                 : "memory");
		if ((lo & 3) != 3) {
			lo &= 0xffff;
		}
	} else {
		/* HLVX.HU rd, (rs1): funct7 0110010, rs2 00011. */
		__asm__ volatile(".insn r 0x73, 0x4, 0x32, %0, %1, x3"
		                 : "=r"(lo)
		                 : "r"(va)
		                 : "memory");
		if ((lo & 3) == 3) {
			__asm__ volatile(".insn r 0x73, 0x4, 0x32, %0, %1, x3"
			                 : "=r"(hi)
			                 : "r"(va + 2)
			                 : "memory");
		}
		lo = (lo & 0xffff) | ((hi & 0xffff) << 16);
	}
	arch_probe_active[slot] = false;
	*insn = (uint32_t)lo;
	return arch_probe_faulted[slot] ? VIREO_EFAULT : 0;
}
