/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest-physical memory on RISC-V: G-stage tables (arch/riscv/gstage.c) and VMIDs. The table
 * format follows the host: Sv48x4 when the host MMU does Sv48, else Sv39x4 (Priv. spec 8.5).
 * VMIDs are never reused while a guest has them; on release every hart drops the VMID's
 * translations (HFENCE.GVMA) so the next owner starts clean.
 */
#include <arch/csr.h>
#include <arch/gstage.h>
#include <vireo/clock.h>
#include <vireo/errno.h>
#include <vireo/guest.h>
#include <vireo/platform.h>
#include <vireo/smp.h>
#include <vireo/spinlock.h>
#include <vireo/string.h>

#define VMID_MAX 128 /* more than GUEST_MAX; hgatp.VMID has at least 7 bits on RV64 QEMU */

static spinlock_t vmid_lock = SPINLOCK_INIT;
static bool vmid_used[VMID_MAX];

static int vmid_alloc(void)
{
	int id = VIREO_ENOSPC;
	unsigned long flags = spin_lock_irqsave(&vmid_lock);
	/* VMID 0 is left to the hypervisor (hgatp = 0 outside guests). */
	for (int i = 1; i < VMID_MAX; i++) {
		if (!vmid_used[i]) {
			vmid_used[i] = true;
			id = i;
			break;
		}
	}
	spin_unlock_irqrestore(&vmid_lock, flags);
	return id;
}

static void flush_all_gvma(void *arg)
{
	(void)arg;
	/* HFENCE.GVMA x0, x0: all G-stage translations of every VMID on this hart. */
	__asm__ volatile(".insn r 0x73, 0x0, 0x31, x0, x0, x0" ::: "memory");
}

int arch_guest_init(struct guest *g)
{
	const struct platform *plat = platform_get();
	unsigned int levels =
	    strcmp(plat->harts[0].mmu, "sv48") == 0 || strcmp(plat->harts[0].mmu, "sv57") == 0
	        ? GSTAGE_LEVELS_SV48X4
	        : GSTAGE_LEVELS_SV39X4;
	int vmid = vmid_alloc();
	if (vmid < 0) {
		return vmid;
	}
	int err = gstage_init(&g->arch.gstage, levels);
	if (err) {
		vmid_used[vmid] = false;
		return err;
	}
	g->arch.vmid = (unsigned int)vmid;
	return 0;
}

void arch_guest_destroy(struct guest *g)
{
	for (unsigned int c = 0; c < percpu_count(); c++) {
		(void)smp_call(c, flush_all_gvma, NULL, NSEC_PER_SEC);
	}
	gstage_destroy(&g->arch.gstage);
	unsigned long flags = spin_lock_irqsave(&vmid_lock);
	if (g->arch.vmid < VMID_MAX) {
		vmid_used[g->arch.vmid] = false;
	}
	spin_unlock_irqrestore(&vmid_lock, flags);
}

int arch_guest_map_ram(struct guest *g, gpaddr_t gpa, paddr_t hpa, uint64_t size)
{
	return gstage_map(&g->arch.gstage, gpa, hpa, size,
	                  GSTAGE_READ | GSTAGE_WRITE | GSTAGE_EXEC);
}

int arch_guest_unmap_ram(struct guest *g, gpaddr_t gpa, uint64_t size)
{
	return gstage_unmap(&g->arch.gstage, gpa, size);
}

void arch_guest_flush(struct guest *g)
{
	/* Every hart: the guest's vCPUs may have run anywhere (Priv. spec 8.3.2). */
	(void)g;
	for (unsigned int c = 0; c < percpu_count(); c++) {
		(void)smp_call(c, flush_all_gvma, NULL, NSEC_PER_SEC);
	}
}

void arch_guest_flush_local(struct guest *g, gpaddr_t gpa)
{
	(void)g;
	/* HFENCE.GVMA rs1, x0: translations of guest-physical address rs1 (shifted right by 2). */
	__asm__ volatile(".insn r 0x73, 0x0, 0x31, x0, %0, x0" : : "r"(gpa >> 2) : "memory");
}

int arch_guest_translate(const struct guest *g, gpaddr_t gpa, paddr_t *hpa)
{
	unsigned int prot;
	return gstage_translate(&g->arch.gstage, gpa, hpa, &prot);
}
