/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The SiFive test finisher at 0x100000 of QEMU's virt machine ("sifive,test0", used as the
 * regmap of syscon-poweroff and syscon-reboot): a write of 0x5555 powers the guest off, 0x3333
 * powers it off reporting failure (status in bits 31:16), 0x7777 reboots it. Everything else
 * is ignored and reads return 0, as on the real model.
 */
#include <vireo/emul_syscon_test.h>
#include <vireo/errno.h>
#include <vireo/guest_ops.h>

#define FINISHER_FAIL  0x3333
#define FINISHER_PASS  0x5555
#define FINISHER_RESET 0x7777

static int syscon_test_access(void *dev, struct vmmio_access *a)
{
	(void)dev;
	if (!a->write) {
		a->value = 0;
		return 0;
	}
	if (a->offset != 0) {
		return 0;
	}
	struct guest *g = a->vcpu->guest;
	switch (a->value & 0xffff) {
	case FINISHER_PASS:
		guest_stop(g, "guest powered off", false);
		break;
	case FINISHER_FAIL:
		guest_stop(g, "guest powered off (failure)", true);
		break;
	case FINISHER_RESET:
		guest_request_reboot(g);
		break;
	default:
		break;
	}
	return 0;
}

const struct vmmio_ops syscon_test_ops = {
    .name = "syscon-test",
    .access = syscon_test_access,
};
