/* SPDX-License-Identifier: GPL-2.0-only */
/** Checks for the hypervisor extension and names the architecture. */
#include <arch/csr.h>
#include <arch/hext.h>
#include <arch/trap.h>
#include <vireo/arch/cpu_setup.h>
#include <arch/sbi.h>
#include <vireo/errno.h>
#include <vireo/printf.h>

static void read_hstatus(void)
{
	/* Priv. spec 8.2.1: hstatus exists iff the H extension is implemented; without it the
	 * access raises an illegal-instruction exception, which arch_trap_probe() catches. */
	(void)csr_read(CSR_HSTATUS);
}

int arch_cpu_check_virt(const char **why)
{
	if (!arch_trap_probe(read_hstatus)) {
		*why = "Vireo needs the RISC-V H (hypervisor) extension, which this CPU lacks";
		return VIREO_ENOTSUP;
	}
	hext_probe();
	return 0;
}

extern char boot_stack[];

uintptr_t arch_boot_stack_base(void)
{
	return (uintptr_t)boot_stack;
}

const char *arch_name(void)
{
	return "riscv64";
}

static const char *sbi_impl_name(unsigned long id)
{
	/* SBI spec 4.9: implementation ids. */
	switch (id) {
	case 0:
		return "BBL";
	case 1:
		return "OpenSBI";
	case 2:
		return "Xvisor";
	case 3:
		return "KVM";
	case 4:
		return "RustSBI";
	case 5:
		return "Diosix";
	case 6:
		return "Coffer";
	default:
		return "unknown SBI";
	}
}

void arch_firmware_describe(char *buf, size_t size)
{
	unsigned long spec, impl, impl_ver;

	sbi_get_info(&spec, &impl, &impl_ver);
	/* Spec version: major in bits 30:24, minor in 23:0; OpenSBI packs major.minor as
	 * 16 bits each in its implementation version. */
	snprintf(buf, size, "SBI v%lu.%lu, %s v%lu.%lu", (spec >> 24) & 0x7f, spec & 0xffffff,
	         sbi_impl_name(impl), impl_ver >> 16, impl_ver & 0xffff);
}
