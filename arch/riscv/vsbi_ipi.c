/* SPDX-License-Identifier: GPL-2.0-only */
/** SBI IPI extension (SBI spec v2.0 chapter 7) and the hart-mask rules of chapter 3.1. */
#include <arch/vsbi.h>
#include <vireo/guest.h>
#include <vireo/vcpu.h>

#define IPI_EXT_ID 0x735049 /* "sPI" */

long vsbi_send_ipi(struct vcpu *v, unsigned long hart_mask, unsigned long hart_mask_base)
{
	struct guest *g = v->guest;

	if (hart_mask_base == ~0UL) {
		for (unsigned int i = 0; i < g->vcpu_count; i++) {
			arch_vcpu_raise_ipi(g->vcpus[i]);
			vcpu_kick(g->vcpus[i]);
		}
		return SBI_OK;
	}
	/* Every hart the mask names must exist, else SBI_ERR_INVALID_PARAM (spec 3.1). */
	for (unsigned int bit = 0; bit < 64; bit++) {
		if ((hart_mask >> bit & 1) && (hart_mask_base + bit < hart_mask_base ||
		                               !guest_vcpu(g, hart_mask_base + bit))) {
			return SBI_EINVALID_PARAM;
		}
	}
	for (unsigned int bit = 0; bit < 64; bit++) {
		if (hart_mask >> bit & 1) {
			struct vcpu *t = guest_vcpu(g, hart_mask_base + bit);
			arch_vcpu_raise_ipi(t);
			vcpu_kick(t);
		}
	}
	return SBI_OK;
}

static enum vcpu_exit ipi_handle(struct vcpu *v, unsigned long ext, unsigned long fid,
                                 const unsigned long *args, struct vsbi_ret *ret)
{
	(void)ext;
	if (fid == 0) {
		ret->error = vsbi_send_ipi(v, args[0], args[1]);
	}
	return VCPU_EXIT_CONTINUE;
}

const struct vsbi_ext vsbi_ext_ipi = {IPI_EXT_ID, IPI_EXT_ID, "ipi", ipi_handle};
