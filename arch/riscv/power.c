/* SPDX-License-Identifier: GPL-2.0-only */
/** Machine power control through SBI SRST (SBI spec 10). */
#include <arch/csr.h>
#include <arch/sbi.h>
#include <vireo/arch/cpu.h>
#include <vireo/arch/irq.h>
#include <vireo/arch/power.h>
#include <vireo/errno.h>

static bool has_srst(void)
{
	static int srst = -1;

	if (srst < 0) {
		srst = sbi_has_extension(SBI_EXT_SRST) ? 1 : 0;
	}
	return srst == 1;
}

const char *arch_power_firmware_name(void)
{
	return has_srst() ? "SBI SRST" : NULL;
}

int arch_power_firmware(enum arch_power_action action)
{
	if (!has_srst()) {
		return VIREO_ENOTSUP;
	}
	unsigned long type = action == ARCH_POWER_REBOOT ? SBI_SRST_COLD_REBOOT : SBI_SRST_SHUTDOWN;
	sbi_system_reset(type, 0);
	return VIREO_EIO;
}

void arch_cpu_halt(void)
{
	arch_irq_disable();
	/* With sie clear no interrupt is pending-and-enabled, so wfi stays asleep instead of
	 * returning at once for, say, an expired timer (Priv. spec 3.3.3). */
	csr_write(CSR_SIE, 0);
	for (;;) {
		arch_cpu_wait_for_interrupt();
	}
}
