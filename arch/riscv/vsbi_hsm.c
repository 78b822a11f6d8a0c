/* SPDX-License-Identifier: GPL-2.0-only */
/** SBI Hart State Management extension (SBI spec v2.0 chapter 9). */
#include <arch/vsbi.h>
#include <vireo/errno.h>
#include <vireo/guest.h>
#include <vireo/vcpu.h>

#define HSM_EXT_ID 0x48534d /* "HSM" */

#define HSM_STARTED   0
#define HSM_STOPPED   1
#define HSM_SUSPENDED 4

#define SUSPEND_RETENTIVE     0x00000000UL
#define SUSPEND_NON_RETENTIVE 0x80000000UL

static long hart_start(struct vcpu *v, const unsigned long *args)
{
	struct vcpu *t = guest_vcpu(v->guest, args[0]);

	if (!t) {
		return SBI_EINVALID_PARAM;
	}
	/* The start address must be something the guest could execute: inside its RAM. */
	if (!vsbi_gpa_range_ok(v, args[1], 4)) {
		return SBI_EINVALID_ADDRESS;
	}
	return vcpu_hsm_start(t, args[1], args[2]) == 0 ? SBI_OK : SBI_EALREADY_AVAILABLE;
}

static enum vcpu_exit hsm_handle(struct vcpu *v, unsigned long ext, unsigned long fid,
                                 const unsigned long *args, struct vsbi_ret *ret)
{
	(void)ext;
	switch (fid) {
	case 0:
		ret->error = hart_start(v, args);
		break;
	case 1: /* hart_stop: does not return on success */
		ret->error = SBI_OK;
		return VCPU_EXIT_HSM_STOP;
	case 2: { /* hart_get_status */
		struct vcpu *t = guest_vcpu(v->guest, args[0]);
		if (!t) {
			ret->error = SBI_EINVALID_PARAM;
			break;
		}
		ret->error = SBI_OK;
		/* Spec 9.3: a hart in hart_suspend is SUSPENDED until its wake-up. */
		ret->value = t->state == VCPU_OFF                               ? HSM_STOPPED
		             : __atomic_load_n(&t->suspended, __ATOMIC_ACQUIRE) ? HSM_SUSPENDED
		                                                                : HSM_STARTED;
		break;
	}
	case 3: { /* hart_suspend */
		/* Spec 9.4: suspend_type is a uint32_t, so a0's upper half is ignored on RV64. */
		uint32_t type = (uint32_t)args[0];
		if (type == SUSPEND_RETENTIVE) {
			/* Like WFI: returns (SBI_OK) once an interrupt is pending (spec 9.4). */
			ret->error = SBI_OK;
			vcpu_hsm_suspend(v);
			return VCPU_EXIT_WFI;
		}
		if (type == SUSPEND_NON_RETENTIVE) {
			if (!vsbi_gpa_range_ok(v, args[1], 4)) {
				ret->error = SBI_EINVALID_ADDRESS;
				break;
			}
			/* Resume at resume_addr with a0 = hart id, a1 = opaque after a wake-up. */
			ret->error = SBI_OK;
			vcpu_suspend_non_retentive(v, args[1], args[2]);
			vcpu_hsm_suspend(v);
			return VCPU_EXIT_WFI;
		}
		ret->error = SBI_EINVALID_PARAM;
		break;
	}
	default:
		break;
	}
	return VCPU_EXIT_CONTINUE;
}

const struct vsbi_ext vsbi_ext_hsm = {HSM_EXT_ID, HSM_EXT_ID, "hsm", hsm_handle};
