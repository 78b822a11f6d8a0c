/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * SBI RFENCE extension (SBI spec v2.0 chapter 8). Each target vCPU performs the fence before
 * it next runs guest code; a target running guest code on another hart is forced out of the
 * guest and waited for, so the fence is complete when the call returns. Ranges are not tracked: the whole VS-stage TLB of the guest is
 * flushed, which is what a range fence is allowed to do. The HFENCE functions are for guests
 * that are hypervisors themselves, which Vireo does not offer.
 */
#include <arch/vsbi.h>
#include <vireo/arch/cpu.h>
#include <vireo/clock.h>
#include <vireo/guest.h>
#include <vireo/vcpu.h>

#define RFENCE_EXT_ID 0x52464e43 /* "RFNC" */

#define WAIT_LIMIT_NS (100 * NSEC_PER_MSEC)

static void request(struct vcpu *t, unsigned long what)
{
	__atomic_fetch_or(&t->arch.flush_request, what, __ATOMIC_SEQ_CST);
	vcpu_kick(t);
}

/*
 * The fence must be done when the call returns (SBI spec 8: the caller relies on it). A target
 * that is not executing guest code will fence before it does; one that is (on another hart) is
 * waited for until it has left the guest or fenced. Bounded, because the caller runs with
 * interrupts masked: the kick's IPI makes the target exit within microseconds.
 */
static void wait_done(struct vcpu *v, struct vcpu *t)
{
	if (t == v) {
		return;
	}
	nsec_t deadline = clock_now() + WAIT_LIMIT_NS;
	while (__atomic_load_n(&t->arch.in_guest, __ATOMIC_SEQ_CST) &&
	       __atomic_load_n(&t->arch.flush_request, __ATOMIC_SEQ_CST) != 0 &&
	       clock_now() < deadline) {
		arch_cpu_relax();
	}
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
		for (unsigned int i = 0; i < g->vcpu_count; i++) {
			wait_done(v, g->vcpus[i]);
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
	for (unsigned int bit = 0; bit < 64; bit++) {
		if (hart_mask >> bit & 1) {
			wait_done(v, guest_vcpu(g, hart_mask_base + bit));
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
