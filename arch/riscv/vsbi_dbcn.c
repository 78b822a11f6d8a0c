/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * SBI Debug Console extension (SBI spec v2.0 chapter 12) on the guest's virtual serial console.
 * Buffers are guest-physical (base_lo/base_hi) and must lie inside guest RAM.
 */
#include <arch/vsbi.h>
#include <vireo/guest.h>
#include <vireo/vcpu.h>
#include <vireo/vserial.h>

#define DBCN_EXT_ID 0x4442434e /* "DBCN" */
#define CHUNK       128
/* At most this much per call (SBI spec 12.2 lets a call write fewer bytes and return how
 * many): the call runs with host interrupts masked, so it must stay short. */
#define MAX_PER_CALL 4096UL

static long console_write(struct vcpu *v, unsigned long len, uint64_t gpa, long *done)
{
	char buf[CHUNK];

	if (!vsbi_gpa_range_ok(v, gpa, len)) {
		return SBI_EINVALID_PARAM;
	}
	len = len < MAX_PER_CALL ? len : MAX_PER_CALL;
	for (unsigned long off = 0; off < len; off += CHUNK) {
		size_t n = len - off < CHUNK ? len - off : CHUNK;
		if (guest_read(v->guest, gpa + off, buf, n) != 0) {
			return SBI_EFAILED;
		}
		vserial_write(&v->guest->vserial, buf, n);
	}
	*done = (long)len;
	return SBI_OK;
}

static long console_read(struct vcpu *v, unsigned long len, uint64_t gpa, long *done)
{
	unsigned long n = 0;
	int c;

	if (!vsbi_gpa_range_ok(v, gpa, len)) {
		return SBI_EINVALID_PARAM;
	}
	len = len < MAX_PER_CALL ? len : MAX_PER_CALL;
	while (n < len && (c = vserial_read(&v->guest->vserial)) >= 0) {
		char ch = (char)c;
		if (guest_write(v->guest, gpa + n, &ch, 1) != 0) {
			return SBI_EFAILED;
		}
		n++;
	}
	*done = (long)n;
	return SBI_OK;
}

static enum vcpu_exit dbcn_handle(struct vcpu *v, unsigned long ext, unsigned long fid,
                                  const unsigned long *args, struct vsbi_ret *ret)
{
	(void)ext;
	/* RV64: the address is base_lo; base_hi must be 0 (spec 12.1). */
	if (fid <= 1 && args[2] != 0) {
		ret->error = SBI_EINVALID_PARAM;
		return VCPU_EXIT_CONTINUE;
	}
	switch (fid) {
	case 0:
		ret->error = console_write(v, args[0], args[1], &ret->value);
		break;
	case 1:
		ret->error = console_read(v, args[0], args[1], &ret->value);
		break;
	case 2: {
		char c = (char)args[0];
		vserial_write(&v->guest->vserial, &c, 1);
		ret->error = SBI_OK;
		break;
	}
	default:
		break;
	}
	return VCPU_EXIT_CONTINUE;
}

const struct vsbi_ext vsbi_ext_dbcn = {DBCN_EXT_ID, DBCN_EXT_ID, "dbcn", dbcn_handle};
