/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Emulating a guest load or store that hit an emulated region (Priv. spec 8.6.3): the access is
 * decoded from htinst when the hart provides the transformed instruction, otherwise from the
 * instruction itself, fetched with HLVX from the guest's pc through its own translation.
 */
#include <arch/csr.h>
#include <arch/insn.h>
#include <arch/vcpu_mmio.h>
#include <arch/vmem.h>
#include <vireo/errno.h>
#include <vireo/guest.h>
#include <vireo/log.h>
#include <vireo/page_alloc.h>

/*
 * The faulting access, or NULL if it is not a load or store that can be emulated. A fetched
 * instruction is decoded once per distinct encoding: the vCPU keeps the last one (a driver
 * polls one register with one instruction), keyed by the raw bits, so a changed instruction
 * at the same pc is decoded afresh.
 */
static const struct insn_mem *decode(struct vcpu *v, gpaddr_t gpa, struct insn_mem *scratch)
{
	struct arch_vcpu *a = &v->arch;
	const struct arch_vcpu_regs *r = &a->regs;

	if (r->htinst != 0) {
		int err = insn_decode_htinst(r->htinst, scratch);
		if (err == 0) {
			return scratch;
		}
		if (err != VIREO_ENOTSUP) {
			return NULL;
		}
		/* Values the spec lets us ignore: read the instruction instead. */
	}
	/*
	 * Without htinst, a fault of the guest's own page-table walk (a PTE read from an emulated
	 * region: htval holds the PTE's address, stval the virtual address of the original access,
	 * Priv. spec 8.6.3) would look like an access to the device. Translation keeps the page
	 * offset, so an explicit access has equal offsets in stval and the faulting address; a
	 * walk generally does not, and gets the access fault (Priv. spec 4.3.2: PTEs come only
	 * from memory that can hold them). QEMU 7.2 reports walks in htinst (0x3000 and kin).
	 * Only when hstatus.GVA says stval holds the guest virtual address (Priv. spec 8.2.1):
	 * a hart may leave stval 0.
	 */
	if ((r->hstatus & HSTATUS_GVA) && ((gpa ^ r->stval) & (PAGE_SIZE - 1)) != 0) {
		return NULL;
	}
	uint32_t insn;
	if (vmem_fetch_guest_insn32(r->sepc, &insn) != 0) {
		return NULL;
	}
	if (!a->mmio_cached || a->mmio_insn != insn) {
		/* insn_decode_mem() writes the decoded form only on success. */
		if (insn_decode_mem(insn, &a->mmio_decoded) != 0) {
			return NULL;
		}
		a->mmio_insn = insn;
		a->mmio_cached = true;
	}
	return &a->mmio_decoded;
}

int vcpu_mmio_emulate(struct vcpu *v, const struct vmmio_region *region, gpaddr_t gpa)
{
	struct arch_vcpu_regs *r = &v->arch.regs;
	struct insn_mem scratch;
	const struct insn_mem *m = decode(v, gpa, &scratch);

	if (m == NULL || m->fp) {
		/* Not a plain integer load/store (an AMO, an FP access, unreadable code): device
		 * registers do not support it, so the guest gets an access fault. */
		return VIREO_EFAULT;
	}
	bool store_fault = r->scause == EXC_STORE_GUEST_FAULT;
	uint64_t offset = gpa - region->base;
	/* The whole access must fall inside the region the first byte hit. */
	if (m->store != store_fault || (gpa & (m->width - 1)) != 0 ||
	    m->width > region->size - offset) {
		return VIREO_EFAULT;
	}
	struct vmmio_access a = {
	    .vcpu = v,
	    .offset = offset,
	    .width = m->width,
	    .write = m->store,
	    .value = 0,
	};
	if (m->store) {
		a.value = r->x[m->reg];
		if (m->width < 8) {
			a.value &= (1ULL << (m->width * 8)) - 1;
		}
	}
	int err = region->ops->access(region->dev, &a);
	if (err != 0) {
		/* Busy: the guest runs the instruction again (sepc unchanged). */
		return err == VIREO_EAGAIN ? VIREO_EAGAIN : VIREO_EFAULT;
	}
	if (!m->store && m->reg != 0) {
		r->x[m->reg] = insn_extend_load(m, a.value);
	}
	r->sepc += m->length;
	return 0;
}
