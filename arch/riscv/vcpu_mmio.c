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

/* The faulting instruction, from htinst or fetched from guest memory. */
static int decode(struct vcpu *v, struct insn_mem *m)
{
	const struct arch_vcpu_regs *r = &v->arch.regs;
	int err = insn_decode_htinst(r->htinst, m);
	if (err != VIREO_ENOENT && err != VIREO_ENOTSUP) {
		return err;
	}
	uint32_t insn;
	if (vmem_fetch_guest_insn32(r->sepc, &insn) != 0) {
		return VIREO_EFAULT;
	}
	struct arch_vcpu *a = &v->arch;
	if (a->mmio_cached && a->mmio_insn == insn) {
		*m = a->mmio_decoded;
		return 0;
	}
	err = insn_decode_mem(insn, m);
	if (err == 0) {
		a->mmio_insn = insn;
		a->mmio_decoded = *m;
		a->mmio_cached = true;
	}
	return err;
}

int vcpu_mmio_emulate(struct vcpu *v, const struct vmmio_region *region, gpaddr_t gpa)
{
	struct arch_vcpu_regs *r = &v->arch.regs;
	struct insn_mem m;

	if (decode(v, &m) != 0 || m.fp) {
		/* Not a plain integer load/store (an AMO, an FP access, unreadable code): device
		 * registers do not support it, so the guest gets an access fault. */
		return VIREO_EFAULT;
	}
	bool store_fault = r->scause == EXC_STORE_GUEST_FAULT;
	/* The whole access must fall inside the region the first byte hit. */
	if (m.store != store_fault || (gpa & (m.width - 1)) != 0 ||
	    m.width > region->size - (gpa - region->base)) {
		return VIREO_EFAULT;
	}
	struct vmmio_access a = {
	    .vcpu = v,
	    .offset = gpa - region->base,
	    .width = m.width,
	    .write = m.store,
	    .value = m.store ? r->x[m.reg] : 0,
	};
	if (m.store && m.width < 8) {
		a.value &= (1ULL << (m.width * 8)) - 1;
	}
	if (region->ops->access(region->dev, &a) != 0) {
		return VIREO_EFAULT;
	}
	if (!m.store && m.reg != 0) {
		r->x[m.reg] = insn_extend_load(&m, a.value);
	}
	r->sepc += m.length;
	return 0;
}
