/* SPDX-License-Identifier: GPL-2.0-only */
/** Shell commands about the host machine: host info, host cpu info, host latency. */
#include <vireo/arch/cpu_setup.h>
#include <vireo/arch/smp.h>
#include <vireo/arch/timer.h>
#include <vireo/boot.h>
#include <vireo/clock.h>
#include <vireo/console.h>
#include <vireo/errno.h>
#include <vireo/platform.h>
#include <vireo/power.h>
#include <vireo/sched.h>
#include <vireo/selftest.h>
#include <vireo/shell.h>
#include <vireo/smp.h>
#include <vireo/string.h>
#include <vireo/timer.h>

#define CPU_CALL_TIMEOUT_NS (200 * NSEC_PER_MSEC)

/* Prints a riscv,isa string as a list: base letters one by one, then the named extensions. */
static void print_isa_extensions(const char *isa)
{
	const char *p = isa;
	if (strncmp(p, "rv64", 4) == 0 || strncmp(p, "rv32", 4) == 0) {
		p += 4;
	}
	for (; *p && *p != '_'; p++) {
		console_printf(" %c", *p);
	}
	for (; *p; p++) {
		console_printf("%c", *p == '_' ? ' ' : *p);
	}
}

static int host_info(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	const struct platform *plat = platform_get();
	const struct boot_info *bi = boot_info_get();
	char fw[64];

	console_printf("machine     %s\n", plat->model[0] ? plat->model : "(unnamed)");
	console_printf("arch        %s\n", arch_name());
	console_printf("harts       %u online of %u (boot hart %lu)\n", smp_online_count(),
	               percpu_count(), bi->boot_hw_id);
	console_printf("isa         %s\n", plat->harts[0].isa);
	console_puts("extensions ");
	print_isa_extensions(plat->harts[0].isa);
	console_puts("\n");
	console_printf("mmu         %s\n", plat->harts[0].mmu[0] ? plat->harts[0].mmu : "none");
	console_printf("memory      %llu MiB", (unsigned long long)(bi->ram_total >> 20));
	for (unsigned int i = 0; i < plat->mem_count; i++) {
		console_printf("%s 0x%llx-0x%llx", i ? "," : " at",
		               (unsigned long long)plat->mem[i].base,
		               (unsigned long long)(plat->mem[i].base + plat->mem[i].size - 1));
	}
	console_printf(", %llu MiB for the hypervisor's allocators\n",
	               (unsigned long long)(bi->ram_free_at_boot >> 20));
	console_printf("timebase    %llu Hz (timer: %s)\n", (unsigned long long)plat->timebase_hz,
	               arch_timer_method());
	if (plat->irqchip.kind == IRQCHIP_PLIC) {
		console_printf("irqchip     PLIC at 0x%llx, %u sources\n",
		               (unsigned long long)plat->irqchip.base, plat->irqchip.source_count);
	} else {
		console_printf("irqchip     %s (APLIC %s, IMSIC %s, guest index bits %u)\n",
		               platform_irqchip_name(plat->irqchip.kind),
		               plat->irqchip.aplic_present ? "yes" : "no",
		               plat->irqchip.imsic_present ? "yes" : "no",
		               plat->irqchip.imsic_guest_bits);
	}
	uint64_t rx, dropped;
	console_rx_stats(&rx, &dropped);
	if (plat->uart.present) {
		console_printf("console     %s at 0x%llx, irq %u, %s input, %llu bytes in, %llu "
		               "dropped\n",
		               console_name(), (unsigned long long)plat->uart.base, plat->uart.irq,
		               console_input_mode(), (unsigned long long)rx,
		               (unsigned long long)dropped);
	} else {
		console_printf("console     %s\n", console_name());
	}
	arch_firmware_describe(fw, sizeof(fw));
	console_printf("firmware    %s\n", fw);
	console_printf("power       %s\n", power_method());
	return 0;
}

struct cpu_sample {
	char current[THREAD_NAME_MAX];
	uint64_t timer_irqs;
	uint64_t ipis;
	uint64_t ext_irqs;
	uint64_t switches;
};

/* Runs on the sampled hart itself (cross call): its own view of what it is doing. */
static void sample_cpu(void *arg)
{
	struct cpu_sample *s = arg;
	struct percpu *cpu = this_cpu();

	strlcpy(s->current, cpu->current ? cpu->current->name : "-", sizeof(s->current));
	s->timer_irqs = cpu->timer_irqs;
	s->ipis = cpu->ipi_count;
	s->ext_irqs = cpu->ext_irqs;
	s->switches = cpu->switches;
}

static const char *cpu_state_name(enum cpu_state state)
{
	switch (state) {
	case CPU_OFFLINE:
		return "offline";
	case CPU_STARTING:
		return "starting";
	case CPU_ONLINE:
		return "online";
	case CPU_STOPPED:
		return "stopped";
	}
	return "?";
}

static int host_cpu_info(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_printf("%-4s %-5s %-9s %-12s %5s %10s %8s %8s %10s\n", "CPU", "HART", "STATE",
	               "CURRENT", "LOAD", "TIMER-IRQ", "IPI", "EXT-IRQ", "SWITCHES");
	for (unsigned int i = 0; i < percpu_count(); i++) {
		struct percpu *cpu = percpu_get(i);
		struct cpu_sample s;
		memset(&s, 0, sizeof(s));
		int err = smp_call(i, sample_cpu, &s, CPU_CALL_TIMEOUT_NS);
		const char *state = cpu_state_name(cpu->state);
		if (err == VIREO_EAGAIN) {
			state = "no-answer";
		}
		if (err) {
			strlcpy(s.current, "-", sizeof(s.current));
		}
		console_printf("%-4u %-5lu %-9s %-12s %4u%% %10llu %8llu %8llu %10llu\n", i,
		               cpu->hw_id, state, s.current, err ? 0 : sched_cpu_load(i),
		               (unsigned long long)s.timer_irqs, (unsigned long long)s.ipis,
		               (unsigned long long)s.ext_irqs, (unsigned long long)s.switches);
	}
	return 0;
}

#define PROBE_DEFAULT_US 100 /* the probe period when none is given */

static void print_lateness_us(nsec_t ns)
{
	console_printf(" %9llu", (unsigned long long)(ns / NSEC_PER_USEC));
}

static int host_latency(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_printf("%-4s %10s %10s %8s %8s %8s %8s %8s %8s %9s\n", "CPU", "EVENTS", "MAX-US",
	               "<10us", "<100us", "<1ms", "<10ms", "<100ms", "LATER", "PROBE-US");
	for (unsigned int i = 0; i < percpu_count(); i++) {
		struct timer_lateness l;
		if (percpu_get(i)->state != CPU_ONLINE) {
			continue;
		}
		if (timer_lateness_get(i, &l) != 0) {
			console_printf("%-4u no answer\n", i);
			continue;
		}
		console_printf("%-4u %10llu %10llu", i, (unsigned long long)l.events,
		               (unsigned long long)(l.max_ns / NSEC_PER_USEC));
		for (unsigned int b = 0; b < TIMER_LATE_BUCKETS; b++) {
			console_printf(" %8llu", (unsigned long long)l.bucket[b]);
		}
		if (l.probe_ns) {
			print_lateness_us(l.probe_ns);
			console_printf("\n");
		} else {
			console_printf(" %9s\n", "off");
		}
	}
	return 0;
}

static int host_latency_reset(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	timer_lateness_reset();
	console_printf("latency: records cleared\n");
	return 0;
}

static int host_latency_probe(int argc, char **argv)
{
	uint64_t us = PROBE_DEFAULT_US;
	if (argc == 1 && strcmp(argv[0], "off") == 0) {
		(void)timer_probe_set(0);
		console_printf("latency: probe off\n");
		return 0;
	}
	if (argc == 1 &&
	    (str_to_u64(argv[0], &us, false) != 0 || us == 0 || timer_probe_set(us) != 0)) {
		return shell_error("host", "probe period '%s': give %u to %u microseconds, or off",
		                   argv[0], TIMER_PROBE_MIN_US, TIMER_PROBE_MAX_US);
	}
	if (argc == 0) {
		(void)timer_probe_set(us);
	}
	console_printf("latency: probe every %llu us on every cpu\n", (unsigned long long)us);
	return 0;
}

static int host_selftest(int argc, char **argv)
{
	const char *name = argc == 1 ? argv[0] : "all";
	int err = selftest_run(name);
	if (err == VIREO_ENOENT) {
		return shell_error("host", "no self test '%s' (tests: %s)", name, selftest_names);
	}
	return err;
}

static const struct shell_form host_forms[] = {
    {"info", "", 0, 0, host_info},
    {"cpu info", "", 0, 0, host_cpu_info},
    {"latency", "", 0, 0, host_latency},
    {"latency reset", "", 0, 0, host_latency_reset},
    {"latency probe", "[<us>|off]", 0, 1, host_latency_probe},
    {"selftest", "[ipi|timer|sched|wake|console|fence|all]", 0, 1, host_selftest},
};

static const struct shell_cmd host_cmds[] = {
    {"host", "show and check the host machine", host_forms, ARRAY_SIZE(host_forms)},
};

const struct shell_group shell_group_host = {host_cmds, ARRAY_SIZE(host_cmds)};
