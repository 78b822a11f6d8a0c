/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Boot sequence on the boot hart (docs/architecture.md, "Boot flow"): device tree, H-extension
 * check, random seed, clock and wall clock, memory, console, interrupts, other harts, then the
 * shell thread.
 */
#include <vireo/arch/cpu_setup.h>
#include <vireo/arch/irq.h>
#include <vireo/arch/timer.h>
#include <vireo/boot.h>
#include <vireo/clock.h>
#include <vireo/console.h>
#include <vireo/errno.h>
#include <vireo/fdt.h>
#include <vireo/heap.h>
#include <vireo/irq.h>
#include <vireo/log.h>
#include <vireo/mem_layout.h>
#include <vireo/page_alloc.h>
#include <vireo/plic.h>
#include <vireo/power.h>
#include <vireo/random.h>
#include <vireo/sched.h>
#include <vireo/shell_parse.h>
#include <vireo/shell.h>
#include <vireo/smp.h>
#include <vireo/string.h>
#include <vireo/timer.h>
#include <vireo/uart8250.h>
#include <vireo/version.h>
#include <vireo/wallclock.h>

#define FDT_MAX_SIZE (16U << 20)
#define HEAP_ORDER   PAGE_ALLOC_MAX_ORDER
#define RX_POLL_NS   (20 * NSEC_PER_MSEC)

extern char __image_start[], __image_end[];

static struct boot_info info;
static struct platform plat;
static struct uart8250 uart;
static struct plic plic;
static struct timer_event rx_poll_event;

const struct boot_info *boot_info_get(void)
{
	return &info;
}

static __noreturn void fatal(const char *msg)
{
	console_printf("error: %s. Powering off.\n", msg);
	power_off();
}

static void setup_memory(void)
{
	struct mem_range holes[PLATFORM_MAX_RESERVED + 3];
	struct mem_range free_ranges[MEM_LAYOUT_MAX_FREE];
	unsigned int n = 0;

	for (unsigned int i = 0; i < plat.reserved_count; i++) {
		holes[n++] = plat.reserved[i];
	}
	holes[n++] =
	    (struct mem_range){.base = info.image_start, .size = info.image_end - info.image_start};
	holes[n++] = (struct mem_range){.base = plat.fdt_base, .size = plat.fdt_size};
	holes[n++] = (struct mem_range){.base = plat.initrd_start,
	                                .size = plat.initrd_end - plat.initrd_start};

	int count = mem_layout_subtract(plat.mem, plat.mem_count, holes, n, free_ranges,
	                                MEM_LAYOUT_MAX_FREE);
	if (count < 0) {
		fatal("memory map too fragmented");
	}
	for (unsigned int i = 0; i < plat.mem_count; i++) {
		info.ram_total += plat.mem[i].size;
	}
	for (int i = 0; i < count; i++) {
		if (page_alloc_add_region(free_ranges[i].base, free_ranges[i].size) == 0) {
			info.ram_free_at_boot += free_ranges[i].size;
		}
	}

	paddr_t heap;
	if (page_alloc_get(HEAP_ORDER, &heap) != 0) {
		fatal("not enough memory for the hypervisor heap");
	}
	info.heap_size = PAGE_SIZE << HEAP_ORDER;
	if (heap_init((void *)(uintptr_t)heap, info.heap_size) != 0) {
		fatal("heap setup failed");
	}
}

static void uart_rx_irq(unsigned int irq, void *arg)
{
	(void)irq;
	(void)arg;
	console_rx_poll();
}

static void rx_poll_tick(struct timer_event *ev, void *arg)
{
	(void)arg;
	console_rx_poll();
	timer_event_start(ev, clock_now() + RX_POLL_NS);
}

static void setup_console(void)
{
	if (!plat.uart.present) {
		log_warn(
		    "console: no ns16550a UART in the device tree, staying on the SBI console");
		return;
	}
	uart8250_init(&uart, plat.uart.base, plat.uart.reg_shift, plat.uart.reg_io_width);
	console_register(&uart8250_console_ops, &uart);
}

static void setup_interrupts(void)
{
	if (plat.irqchip.kind == IRQCHIP_PLIC) {
		plic.base = (uintptr_t)plat.irqchip.base;
		plic.source_count = plat.irqchip.source_count;
		/* The tree lists contexts per hart in tree order; the driver wants them per
		 * logical cpu (cpu 0 is whichever hart the firmware booted us on). */
		for (unsigned int i = 0; i < VIREO_MAX_CPUS; i++) {
			plic.context[i] = -1;
		}
		for (unsigned int h = 0; h < plat.hart_count; h++) {
			for (unsigned int i = 0; i < percpu_count(); i++) {
				if (percpu_get(i)->hw_id == plat.harts[h].hw_id) {
					plic.context[i] = plat.irqchip.s_context[h];
				}
			}
		}
		plic_init(&plic);
		irq_set_chip(&plic_irqchip, &plic);
	}
}

/* After the scheduler runs on this hart: console input by interrupt, or by polling. */
static void start_console_input(void)
{
	if (!plat.uart.present) {
		return;
	}
	int err = VIREO_ENOTSUP;
	if (irq_has_chip() && plat.uart.irq) {
		err = irq_attach(plat.uart.irq, 0, uart_rx_irq, NULL);
	}
	if (err) {
		/* No driven irqchip (AIA is detected but not driven yet): poll the UART. */
		timer_event_init(&rx_poll_event, rx_poll_tick, NULL);
		timer_event_start(&rx_poll_event, clock_now() + RX_POLL_NS);
		console_set_input_mode("polled");
	} else {
		console_set_input_mode("interrupt");
	}
}

static void print_boot_log(void)
{
	const struct platform_hart *h0 = &plat.harts[0];
	char fw[64];

	log_info("cpu: %u hart%s (boot hart %lu), isa %s, mmu %s", plat.hart_count,
	         plat.hart_count == 1 ? "" : "s", info.boot_hw_id, h0->isa,
	         h0->mmu[0] ? h0->mmu : "none");
	for (unsigned int i = 0; i < plat.mem_count; i++) {
		log_info("mem: %llu MiB at 0x%llx-0x%llx",
		         (unsigned long long)(plat.mem[i].size >> 20),
		         (unsigned long long)plat.mem[i].base,
		         (unsigned long long)(plat.mem[i].base + plat.mem[i].size - 1));
	}
	for (unsigned int i = 0; i < plat.reserved_count; i++) {
		log_info("mem: reserved 0x%llx-0x%llx (%s)",
		         (unsigned long long)plat.reserved[i].base,
		         (unsigned long long)(plat.reserved[i].base + plat.reserved[i].size - 1),
		         plat.reserved[i].name);
	}
	if (plat.initrd_end > plat.initrd_start) {
		log_info("mem: initrd 0x%llx-0x%llx (%llu KiB), kept out of the allocators",
		         (unsigned long long)plat.initrd_start,
		         (unsigned long long)(plat.initrd_end - 1),
		         (unsigned long long)((plat.initrd_end - plat.initrd_start) >> 10));
	}
	log_info("mem: image 0x%llx-0x%llx, %llu MiB free, heap %zu KiB",
	         (unsigned long long)info.image_start, (unsigned long long)(info.image_end - 1),
	         (unsigned long long)(info.ram_free_at_boot >> 20), info.heap_size >> 10);
	log_info("timer: timebase %llu Hz, %s", (unsigned long long)plat.timebase_hz,
	         arch_timer_method());
	if (plat.irqchip.kind == IRQCHIP_PLIC) {
		log_info("irq: PLIC at 0x%llx, %u sources", (unsigned long long)plat.irqchip.base,
		         plat.irqchip.source_count);
	} else if (plat.irqchip.kind != IRQCHIP_NONE) {
		log_info(
		    "irq: %s detected (APLIC at 0x%llx, %u sources; IMSIC guest index bits %u), "
		    "console input polled",
		    platform_irqchip_name(plat.irqchip.kind), (unsigned long long)plat.irqchip.base,
		    plat.irqchip.source_count, plat.irqchip.imsic_guest_bits);
	} else {
		log_warn("irq: no supported interrupt controller, console input polled");
	}
	if (plat.uart.present) {
		log_info("console: ns16550a at 0x%llx, irq %u", (unsigned long long)plat.uart.base,
		         plat.uart.irq);
	}
	if (plat.rtc.present) {
		log_info("rtc: goldfish at 0x%llx, irq %u", (unsigned long long)plat.rtc.base,
		         plat.rtc.irq);
	}
	char iso[WALLCLOCK_ISO_SIZE];
	if (wallclock_is_set()) {
		log_info("time: %s (host RTC at boot + monotonic clock)",
		         wallclock_format(wallclock_now_ns(), iso));
	} else {
		log_warn("time: no RTC, wall clock not set: counting from %s",
		         wallclock_format(WALLCLOCK_FALLBACK_NS, iso));
	}
	if (random_seeded()) {
		log_info("random: ChaCha20, seeded from the device tree's rng-seed (%u bytes) and "
		         "timer readings",
		         plat.rng_seed_len);
	} else {
		log_warn("random: no rng-seed in the device tree, seeded from timer readings only "
		         "(predictable)");
	}
	arch_firmware_describe(fw, sizeof(fw));
	log_info("firmware: %s; power: %s", fw, power_method());
}

/* vireo.loglevel=err|warn|info|debug on the command line. */
static void set_log_level(const char *bootargs)
{
	static const char *const names[] = {"err", "warn", "info", "debug"};
	char level[8];

	if (cmdline_get_value(bootargs, "vireo.loglevel", level, sizeof(level)) < 0) {
		return;
	}
	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(level, names[i]) == 0) {
			log_set_level((enum log_level)i);
			return;
		}
	}
	log_warn("vireo.loglevel=%s: use err, warn, info or debug", level);
}

/* vireo.latency_probe=<us> on the command line: the lateness probe (host latency) from boot,
 * for measurements that cannot type at the shell first. */
static void start_latency_probe(const char *bootargs)
{
	char value[12];
	uint64_t us;
	if (cmdline_get_value(bootargs, "vireo.latency_probe", value, sizeof(value)) < 0) {
		return;
	}
	if (str_to_u64(value, &us, false) != 0 || us == 0 || timer_probe_set(us) != 0) {
		log_warn("vireo.latency_probe=%s: give %u to %u microseconds", value,
		         TIMER_PROBE_MIN_US, TIMER_PROBE_MAX_US);
		return;
	}
	log_info("latency: probe every %llu us on every cpu (host latency)",
	         (unsigned long long)us);
}

void boot_main(unsigned long hw_id, paddr_t fdt_pa)
{
	struct fdt fdt;
	const char *why;

	arch_cpu_set_this(smp_boot_cpu(hw_id));
	this_cpu()->boot_stack_base = arch_boot_stack_base();
	info.boot_hw_id = hw_id;
	info.image_start = (paddr_t)(uintptr_t)__image_start;
	info.image_end = (paddr_t)(uintptr_t)__image_end;
	console_printf("\nVireo %s (%s) %s type-1 hypervisor\n", vireo_version, vireo_git_rev,
	               arch_name());

	if (arch_cpu_check_virt(&why) != 0) {
		fatal(why);
	}
	const void *blob = (const void *)(uintptr_t)fdt_pa;
	uint32_t fdt_size = fdt_header_totalsize(blob);
	if (fdt_size > FDT_MAX_SIZE || fdt_open(&fdt, blob, fdt_size) != 0) {
		fatal("the firmware's device tree is missing or malformed");
	}
	if (platform_parse(&fdt, &plat) != 0) {
		fatal("the device tree does not describe a usable machine");
	}
	/* The seed's only copies are the tree (kept in place) and plat: drop plat's once used. */
	random_init(plat.rng_seed, plat.rng_seed_len);
	memset(plat.rng_seed, 0, sizeof(plat.rng_seed));
	platform_set(&plat);
	set_log_level(plat.bootargs);
	clock_init(plat.timebase_hz);
	if (arch_timer_probe() != 0) {
		fatal("no usable timer: neither Sstc nor the SBI TIME extension");
	}
	/* The one read of the host RTC; from here on wall-clock time is derived. */
	wallclock_init(&plat);
	uint64_t wall = wallclock_now_ns();
	random_add_entropy(&wall, sizeof(wall));

	unsigned long hw_ids[VIREO_MAX_CPUS];
	for (unsigned int i = 0; i < plat.hart_count; i++) {
		hw_ids[i] = plat.harts[i].hw_id;
	}
	if (smp_register_cpus(hw_ids, plat.hart_count, hw_id) != 0) {
		fatal("the boot hart is not listed in the device tree");
	}
	setup_memory();
	setup_console();
	setup_interrupts();
	print_boot_log();
	smp_boot_secondaries();
	arch_irq_enable();
	start_console_input();
	log_info("smp: %u of %u harts online", smp_online_count(), percpu_count());
	start_latency_probe(plat.bootargs);

	int err = shell_start(plat.bootargs);
	if (err) {
		log_err("shell: cannot start: %s", vireo_strerror(err));
	}
	sched_run_idle();
}
