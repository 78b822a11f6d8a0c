/* SPDX-License-Identifier: GPL-2.0-only */
/** SBI call wrapper (SBI spec v2.0, chapter 3: a7 = extension, a6 = function, a0-a5 args). */
#include "sbi.h"
#include "csr.h"

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
                        unsigned long a2, unsigned long a3, unsigned long a4)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r4 __asm__("a4") = a4;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
	                 : "+r"(r0), "+r"(r1)
	                 : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7)
	                 : "memory");
	return (struct sbiret){.error = (long)r0, .value = (long)r1};
}

bool sbi_probe(unsigned long ext)
{
	struct sbiret ret = sbi_ecall(SBI_EXT_BASE, 3, ext, 0, 0, 0, 0);

	return ret.error == SBI_SUCCESS && ret.value != 0;
}

long sbi_set_timer(uint64_t stime)
{
	static int have_time = -1;

	if (have_time < 0) {
		have_time = sbi_probe(SBI_EXT_TIME) ? 1 : 0;
	}
	if (have_time) {
		return sbi_ecall(SBI_EXT_TIME, 0, stime, 0, 0, 0, 0).error;
	}
	/* Legacy set_timer returns nothing meaningful in a0 (SBI spec v2.0, chapter 5). */
	sbi_ecall(SBI_EXT_LEGACY_SET_TIMER, 0, stime, 0, 0, 0, 0);
	return SBI_SUCCESS;
}

long sbi_hart_start(unsigned long hartid, unsigned long start, unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, 0, hartid, start, opaque, 0, 0).error;
}

long sbi_hart_stop(void)
{
	return sbi_ecall(SBI_EXT_HSM, 1, 0, 0, 0, 0, 0).error;
}

struct sbiret sbi_hart_get_status(unsigned long hartid)
{
	return sbi_ecall(SBI_EXT_HSM, 2, hartid, 0, 0, 0, 0);
}

void sbi_shutdown(bool failure)
{
	unsigned long reason = failure ? SBI_SRST_REASON_FAILURE : SBI_SRST_REASON_NONE;

	if (sbi_probe(SBI_EXT_SRST)) {
		sbi_ecall(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, reason, 0, 0, 0);
	}
	sbi_ecall(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0, 0, 0);
	for (;;) {
		csr_write(CSR_SIE, 0);
		wfi();
	}
}

const char *sbi_strerror(long error)
{
	static const char *const names[] = {
	    "SBI_SUCCESS",
	    "SBI_ERR_FAILED",
	    "SBI_ERR_NOT_SUPPORTED",
	    "SBI_ERR_INVALID_PARAM",
	    "SBI_ERR_DENIED",
	    "SBI_ERR_INVALID_ADDRESS",
	    "SBI_ERR_ALREADY_AVAILABLE",
	    "SBI_ERR_ALREADY_STARTED",
	    "SBI_ERR_ALREADY_STOPPED",
	};

	if (error <= 0 && -error < (long)(sizeof(names) / sizeof(names[0]))) {
		return names[-error];
	}
	return "unknown SBI error";
}
