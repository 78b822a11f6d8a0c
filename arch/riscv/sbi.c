/* SPDX-License-Identifier: GPL-2.0-only */
/** SBI calls to the M-mode firmware (SBI spec v2.0, chapter 3 calling convention). */
#include <arch/sbi.h>

struct sbiret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
                       unsigned long a2)
{
	register unsigned long r_a0 __asm__("a0") = a0;
	register unsigned long r_a1 __asm__("a1") = a1;
	register unsigned long r_a2 __asm__("a2") = a2;
	register unsigned long r_a6 __asm__("a6") = fid;
	register unsigned long r_a7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
	                 : "+r"(r_a0), "+r"(r_a1)
	                 : "r"(r_a2), "r"(r_a6), "r"(r_a7)
	                 : "memory");
	return (struct sbiret){.error = (long)r_a0, .value = (long)r_a1};
}

bool sbi_has_extension(unsigned long ext)
{
	/* Base extension function 3: probe_extension returns a non-zero value if present. */
	struct sbiret ret = sbi_call(SBI_EXT_BASE, 3, ext, 0, 0);
	return ret.error == SBI_SUCCESS && ret.value != 0;
}

void sbi_get_info(unsigned long *spec, unsigned long *impl_id, unsigned long *impl_version)
{
	*spec = (unsigned long)sbi_call(SBI_EXT_BASE, 0, 0, 0, 0).value;
	*impl_id = (unsigned long)sbi_call(SBI_EXT_BASE, 1, 0, 0, 0).value;
	*impl_version = (unsigned long)sbi_call(SBI_EXT_BASE, 2, 0, 0, 0).value;
}

void sbi_legacy_putchar(char c)
{
	sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned long)(unsigned char)c, 0, 0);
}

long sbi_set_timer(uint64_t deadline)
{
	return sbi_call(SBI_EXT_TIME, 0, deadline, 0, 0).error;
}

long sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)
{
	return sbi_call(SBI_EXT_IPI, 0, hart_mask, hart_mask_base, 0).error;
}

long sbi_hart_start(unsigned long hartid, unsigned long start_addr, unsigned long opaque)
{
	return sbi_call(SBI_EXT_HSM, 0, hartid, start_addr, opaque).error;
}

long sbi_hart_get_status(unsigned long hartid)
{
	struct sbiret ret = sbi_call(SBI_EXT_HSM, 2, hartid, 0, 0);
	return ret.error != SBI_SUCCESS ? ret.error : ret.value;
}

long sbi_system_reset(unsigned long type, unsigned long reason)
{
	return sbi_call(SBI_EXT_SRST, 0, type, reason, 0).error;
}
