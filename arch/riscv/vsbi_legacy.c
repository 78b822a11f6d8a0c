/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * SBI v0.1 legacy calls (SBI spec v2.0 chapter 5): extension ids 0x00-0x08, result in a0 only.
 * The hart masks of send_ipi and the remote fences are guest-virtual pointers, read with HLV.
 */
#include <arch/vsbi.h>
#include <arch/vmem.h>
#include <vireo/guest.h>
#include <vireo/vcpu.h>
#include <vireo/vserial.h>

static enum vcpu_exit legacy_handle(struct vcpu *v, unsigned long ext, unsigned long fid,
                                    const unsigned long *args, struct vsbi_ret *ret)
{
	(void)fid;
	ret->legacy = true;
	ret->error = SBI_OK;
	switch (ext) {
	case 0x00: /* set_timer */
		vcpu_timer_set(v, args[0]);
		break;
	case 0x01: { /* console_putchar */
		char c = (char)args[0];
		vserial_write(&v->guest->vserial, &c, 1);
		break;
	}
	case 0x02: /* console_getchar: -1 when nothing is waiting */
		ret->error = vserial_read(&v->guest->vserial);
		break;
	case 0x03: /* clear_ipi */
		vcpu_clear_ipi(v);
		break;
	case 0x04:   /* send_ipi */
	case 0x05:   /* remote_fence_i */
	case 0x06:   /* remote_sfence_vma */
	case 0x07: { /* remote_sfence_vma_asid */
		unsigned long mask = 0;
		/* A NULL mask pointer means every hart (SBI spec 5.x): base ~0UL says so. */
		unsigned long base = args[0] ? 0 : ~0UL;
		if (args[0] && vmem_read_guest_va(args[0], &mask) != 0) {
			ret->error = SBI_EINVALID_ADDRESS;
			break;
		}
		if (ext == 0x04) {
			ret->error = vsbi_send_ipi(v, mask, base);
		} else {
			ret->error = vsbi_remote_fence(v, mask, base, ext == 0x05);
		}
		break;
	}
	case 0x08: /* shutdown */
		return VCPU_EXIT_SHUTDOWN;
	default:
		ret->error = SBI_ENOT_SUPPORTED;
		break;
	}
	return VCPU_EXIT_CONTINUE;
}

const struct vsbi_ext vsbi_ext_legacy = {0x00, 0x08, "legacy", legacy_handle};
