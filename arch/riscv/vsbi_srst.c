/* SPDX-License-Identifier: GPL-2.0-only */
/** SBI System Reset extension (SBI spec v2.0 chapter 10): resets the guest, never the host. */
#include <arch/vsbi.h>
#include <vireo/guest.h>

#define SRST_EXT_ID 0x53525354 /* "SRST" */

static enum vcpu_exit srst_handle(struct vcpu *v, unsigned long ext, unsigned long fid,
                                  const unsigned long *args, struct vsbi_ret *ret)
{
	(void)ext;
	if (fid != 0) {
		return VCPU_EXIT_CONTINUE;
	}
	/* Types 0 shutdown, 1 cold reboot, 2 warm reboot; reasons 0 none, 1 system failure;
	 * 0xF0000000 and above are vendor or platform specific, the rest reserved. */
	unsigned long type = args[0];
	unsigned long reason = args[1];
	if ((type > 2 && type < 0xf0000000UL) || type > 0xffffffffUL ||
	    (reason > 1 && reason < 0xf0000000UL) || reason > 0xffffffffUL) {
		ret->error = SBI_EINVALID_PARAM;
		return VCPU_EXIT_CONTINUE;
	}
	if (type >= 0xf0000000UL) {
		ret->error = SBI_ENOT_SUPPORTED;
		return VCPU_EXIT_CONTINUE;
	}
	v->guest->shutdown_failure = reason == 1;
	ret->error = SBI_OK;
	return type == 0 ? VCPU_EXIT_SHUTDOWN : VCPU_EXIT_REBOOT;
}

const struct vsbi_ext vsbi_ext_srst = {SRST_EXT_ID, SRST_EXT_ID, "srst", srst_handle};
