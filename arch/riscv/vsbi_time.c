/* SPDX-License-Identifier: GPL-2.0-only */
/** SBI Timer extension (SBI spec v2.0 chapter 6). */
#include <arch/vsbi.h>

#define TIME_EXT_ID 0x54494d45 /* "TIME" */

static enum vcpu_exit time_handle(struct vcpu *v, unsigned long ext, unsigned long fid,
                                  const unsigned long *args, struct vsbi_ret *ret)
{
	(void)ext;
	if (fid != 0) {
		return VCPU_EXIT_CONTINUE; /* SBI_ERR_NOT_SUPPORTED already set */
	}
	/* set_timer: also clears the pending timer interrupt (spec 6.1). */
	vcpu_timer_set(v, args[0]);
	ret->error = SBI_OK;
	return VCPU_EXIT_CONTINUE;
}

const struct vsbi_ext vsbi_ext_time = {TIME_EXT_ID, TIME_EXT_ID, "time", time_handle};
