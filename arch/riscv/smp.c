/* SPDX-License-Identifier: GPL-2.0-only */
/** Hart start through SBI HSM (SBI spec 9) and IPIs through SBI IPI (SBI spec 7). */
#include <arch/csr.h>
#include <arch/sbi.h>
#include <vireo/arch/smp.h>
#include <vireo/errno.h>
#include <vireo/percpu.h>

extern char _secondary_start[];

int arch_smp_start_cpu(unsigned long hw_id, struct percpu *cpu)
{
	long err = sbi_hart_start(hw_id, (unsigned long)(uintptr_t)_secondary_start,
	                          (unsigned long)(uintptr_t)cpu);
	switch (err) {
	case SBI_SUCCESS:
		return 0;
	case SBI_ERR_ALREADY_AVAILABLE:
		return VIREO_EBUSY;
	case SBI_ERR_INVALID_PARAM:
		return VIREO_ENOENT;
	case SBI_ERR_NOT_SUPPORTED:
		return VIREO_ENOTSUP;
	default:
		return VIREO_EIO;
	}
}

void arch_smp_send_ipi(unsigned long hw_id)
{
	struct percpu *self = this_cpu();
	if (self && self->hw_id == hw_id) {
		/* To ourselves: sip.SSIP is writable from S-mode (Priv. spec 4.1.3), no ecall. */
		csr_set(CSR_SIP, SIP_SSIP);
		return;
	}
	/* hart_mask is relative to hart_mask_base: send to exactly this hart. */
	sbi_send_ipi(1UL, hw_id);
}

const char *arch_smp_cpu_status(unsigned long hw_id)
{
	switch (sbi_hart_get_status(hw_id)) {
	case SBI_HSM_STARTED:
		return "started";
	case SBI_HSM_STOPPED:
		return "stopped";
	case SBI_HSM_START_PENDING:
		return "start-pending";
	case SBI_HSM_STOP_PENDING:
		return "stop-pending";
	case SBI_HSM_SUSPENDED:
		return "suspended";
	default:
		return "unknown";
	}
}
