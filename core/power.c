/* SPDX-License-Identifier: GPL-2.0-only */
/** Host power-off and reboot: SBI SRST first, then the syscon registers from the tree. */
#include <vireo/arch/irq.h>
#include <vireo/arch/power.h>
#include <vireo/console.h>
#include <vireo/platform.h>
#include <vireo/power.h>
#include <vireo/smp.h>

static void syscon_write(const struct platform_syscon_action *act)
{
	volatile uint32_t *reg = (volatile uint32_t *)(uintptr_t)act->addr;
	*reg = (*reg & ~act->mask) | (act->value & act->mask);
}

static __noreturn void power_do(enum arch_power_action action)
{
	const struct platform *plat = platform_get();
	const struct platform_syscon_action *act =
	    action == ARCH_POWER_REBOOT ? &plat->reboot : &plat->poweroff;

	arch_irq_disable();
	arch_power_firmware(action);
	if (act->present) {
		syscon_write(act);
	}
	console_puts("power: no way to power off or reboot this machine; halting every hart\n");
	smp_stop_others();
	arch_cpu_halt();
}

void power_off(void)
{
	power_do(ARCH_POWER_OFF);
}

void power_off_failure(unsigned int status)
{
	paddr_t finisher = platform_get()->test_finisher;
	if (finisher) {
		/* SiFive test finisher: FAIL (0x3333) with the status in bits 31:16. */
		*(volatile uint32_t *)(uintptr_t)finisher = ((status & 0xffffU) << 16) | 0x3333U;
	}
	power_off();
}

void power_reboot(void)
{
	power_do(ARCH_POWER_REBOOT);
}

const char *power_method(void)
{
	const char *fw = arch_power_firmware_name();
	bool syscon = platform_get()->poweroff.present;

	if (fw) {
		return syscon ? "SBI SRST, syscon fallback" : fw;
	}
	return syscon ? "syscon" : "none";
}
