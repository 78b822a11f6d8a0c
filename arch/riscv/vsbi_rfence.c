/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * SBI RFENCE extension (SBI spec v2.0 chapter 8). Each target vCPU performs the fence before
 * it next runs guest code; a target running on another hart is forced out of the guest so
 * that happens promptly. Ranges are not tracked: the whole VS-stage TLB of the guest is
 * flushed, which is what a range fence is allowed to do. The HFENCE functions are for guests
 * that are hypervisors themselves, which Vireo does not offer.
 */
#include <arch/vsbi.h>
#include <vireo/guest.h>
#include <vireo/vcpu.h>

#define RFENCE_EXT_ID 0x52464e43 /* "RFNC" */

static void request(struct vcpu *t, unsigned long what)
{
	__atomic_fetch_or(&t->arch.flush_request, what, __ATOMIC_RELEASE);
	vcpu_kick(t);
}

long vsbi_remote_fence(struct vcpu *v, unsigned long hart_mask, unsigned long hart_mask_base,
                       bool fence_i)
{
	struct guest *g = v->guest;
	unsigned long what = fence_i ? VCPU_FLUSH_FENCEI : VCPU_FLUSH_VVMA;

	if (hart_mask_base == ~0UL) {
		for (unsigned int i = 0; i < g->vcpu_count; i++) {
			request(g->vcpus[i], what);
		}
		return SBI_OK;
	}
	for (unsigned int bit = 0; bit < 64; bit++) {
		if ((hart_mask >> bit & 1) && (hart_mask_base + bit < hart_mask_base ||
		                               !guest_vcpu(g, hart_mask_base + bit))) {
			return SBI_EINVALID_PARAM;
		}
	}
	for (unsigned int bit = 0; bit < 64; bit++) {
		if (hart_mask >> bit & 1) {
			request(guest_vcpu(g, hart_mask_base + bit), what);
		}
	}
	return SBI_OK;
}

static enum vcpu_exit rfence_handle(struct vcpu *v, unsigned long ext, unsigned long fid,
                                    const unsigned long *args, struct vsbi_ret *ret)
{
	(void)ext;
	switch (fid) {
	case 0: /* remote_fence_i */
		ret->error = vsbi_remote_fence(v, args[0], args[1], true);
		break;
	case 1: /* remote_sfence_vma */
	case 2: /* remote_sfence_vma_asid */
		ret->error = vsbi_remote_fence(v, args[0], args[1], false);
		break;
	default:
		break; /* remote_hfence_*: SBI_ERR_NOT_SUPPORTED */
	}
	return VCPU_EXIT_CONTINUE;
}

const struct vsbi_ext vsbi_ext_rfence = {RFENCE_EXT_ID, RFENCE_EXT_ID, "rfence", rfence_handle};
