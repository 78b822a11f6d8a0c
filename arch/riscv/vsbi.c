/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest SBI dispatch (SBI spec v2.0 chapter 3: a7 = extension id, a6 = function id, a0-a5
 * arguments; a0 = error, a1 = value on return). Unknown extensions return
 * SBI_ERR_NOT_SUPPORTED, as do unknown functions inside each extension.
 */
#include <arch/vsbi.h>
#include <vireo/compiler.h>
#include <vireo/guest.h>

static const struct vsbi_ext *const extensions[] = {
    &vsbi_ext_base,   &vsbi_ext_legacy, &vsbi_ext_time, &vsbi_ext_ipi,
    &vsbi_ext_rfence, &vsbi_ext_hsm,    &vsbi_ext_srst, &vsbi_ext_dbcn,
};

const struct vsbi_ext *vsbi_find(unsigned long ext)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(extensions); i++) {
		if (ext >= extensions[i]->ext_min && ext <= extensions[i]->ext_max) {
			return extensions[i];
		}
	}
	return NULL;
}

bool vsbi_gpa_range_ok(struct vcpu *v, uint64_t gpa, uint64_t len)
{
	uint64_t end = GUEST_RAM_BASE + v->guest->ram_size;
	return gpa >= GUEST_RAM_BASE && gpa <= end && len <= end - gpa;
}

enum vcpu_exit vsbi_handle(struct vcpu *v)
{
	unsigned long *x = v->arch.regs.x;
	unsigned long ext = x[17];
	unsigned long fid = x[16];
	/* a0..a5 are x10..x15: handlers read them in place (they never write registers; the
	 * results are stored below, after the handler). */
	const unsigned long *args = &x[10];
	struct vsbi_ret ret = {.error = SBI_ENOT_SUPPORTED, .value = 0, .legacy = false};
	enum vcpu_exit exit = VCPU_EXIT_CONTINUE;

	const struct vsbi_ext *e = vsbi_find(ext);
	if (e) {
		exit = e->handle(v, ext, fid, args, &ret);
	}
	x[10] = (unsigned long)ret.error;
	if (!ret.legacy) {
		x[11] = (unsigned long)ret.value;
	}
	return exit;
}
