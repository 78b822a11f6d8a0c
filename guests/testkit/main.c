/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The test kit's runner: banner, one line per test, a summary, then SBI shutdown.
 * The output format is described in README.md; the names in tests[] are stable.
 */
#include "testkit.h"
#include "csr.h"
#include "sbi.h"

struct tk_platform tk_plat;
bool tk_timer_works;

static uint8_t tk_stacks[TK_MAX_HARTS][TK_STACK_SIZE] __attribute__((aligned(16)));

struct test {
	const char *name;
	int (*run)(struct tk_result *r);
};

static const struct test tests[] = {
    {.name = "sbi_base", .run = test_sbi_base},
    {.name = "sbi_time", .run = test_sbi_time},
    {.name = "wfi_wakeup", .run = test_wfi_wakeup},
    {.name = "sbi_hsm", .run = test_sbi_hsm},
    {.name = "sbi_ipi", .run = test_sbi_ipi},
    {.name = "sbi_rfence", .run = test_sbi_rfence},
    {.name = "sbi_dbcn", .run = test_sbi_dbcn},
    {.name = "access_fault", .run = test_access_fault},
    {.name = "fp", .run = test_fp},
    {.name = "umode", .run = test_umode},
    {.name = "memory", .run = test_memory},
};

static int record(struct tk_result *r, enum tk_status status, const char *fmt, va_list ap)
{
	if (r->status != TK_FAIL) {
		r->status = status;
		tk_vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	}
	return (int)status;
}

int tk_fail(struct tk_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(r, TK_FAIL, fmt, ap);
	va_end(ap);
	return TK_FAIL;
}

int tk_skip(struct tk_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int status = record(r, TK_SKIP, fmt, ap);
	va_end(ap);
	return status;
}

/* Every test starts and ends with interrupts masked, no timer armed and no probe pending. */
static void quiesce(void)
{
	irq_disable();
	csr_write(CSR_SIE, 0);
	sbi_set_timer(UINT64_MAX);
	csr_clear(CSR_SIP, SIP_SSIP);
	tk_harts[0].fault_armed = false;
}

static bool secondaries_parked(void)
{
	for (unsigned int i = 1; i < tk_hart_slots; i++) {
		if (__atomic_load_n(&tk_harts[i].state, __ATOMIC_ACQUIRE) == TK_STATE_READY) {
			return true;
		}
	}
	return false;
}

static enum tk_status run_test(const struct test *t, struct tk_result *r)
{
	static struct tk_ctx ctx;
	enum tk_status status;

	r->status = TK_PASS;
	r->reason[0] = '\0';
	quiesce();
	if (tk_ctx_save(&ctx) == 0) {
		tk_harts[0].recover = &ctx;
		status = (enum tk_status)t->run(r);
		tk_harts[0].recover = NULL;
	} else {
		status = TK_FAIL;
		tk_fail(r, "unexpected exception scause=0x%lx sepc=0x%lx stval=0x%lx",
		        tk_unexpected.scause, tk_unexpected.sepc, tk_unexpected.stval);
	}
	quiesce();
	if (secondaries_parked()) {
		/* A test that failed half-way leaves its secondaries parked: stop them. */
		char why[96];

		tk_secondaries_stop(why, sizeof(why));
	}
	if (r->status == TK_FAIL || status == TK_FAIL) {
		return TK_FAIL;
	}
	return status == TK_SKIP || r->status == TK_SKIP ? TK_SKIP : TK_PASS;
}

static void setup_harts(uint64_t boot_hartid)
{
	tk_hart_slots = 1;
	tk_harts[0].hartid = boot_hartid;
	tk_harts[0].stack_top = 0; /* the boot hart runs on the boot stack */
	for (unsigned int i = 0; i < tk_plat.hart_count; i++) {
		if (tk_plat.hart_ids[i] == boot_hartid || tk_hart_slots == TK_MAX_HARTS) {
			continue;
		}
		struct tk_hart *h = &tk_harts[tk_hart_slots];

		h->index = tk_hart_slots;
		h->hartid = tk_plat.hart_ids[i];
		h->stack_top = (uint64_t)(uintptr_t)&tk_stacks[tk_hart_slots][TK_STACK_SIZE];
		tk_hart_slots++;
	}
}

static void print_platform(void)
{
	if (!tk_plat.dtb_valid) {
		tk_printf(
		    "INFO platform no valid device tree at 0x%lx: assuming one hart, %lu Hz\n",
		    tk_plat.dtb_base, tk_plat.timebase);
	}
	tk_printf("INFO platform dtb=0x%lx size=0x%lx timebase=%lu Hz%s harts=%u:",
	          tk_plat.dtb_base, tk_plat.dtb_size, tk_plat.timebase,
	          tk_plat.timebase_from_dtb ? "" : " (default)", tk_hart_slots);
	for (unsigned int i = 0; i < tk_hart_slots; i++) {
		tk_printf(" %lu", tk_harts[i].hartid);
	}
	tk_printf("%s\n", tk_plat.harts_ignored > 0 ? " (more not tested)" : "");
	for (unsigned int i = 0; i < tk_plat.mem_count; i++) {
		tk_printf("INFO platform memory 0x%lx-0x%lx (%lu MiB)\n", tk_plat.mem[i].base,
		          tk_plat.mem[i].base + tk_plat.mem[i].size - 1, tk_plat.mem[i].size >> 20);
	}
	tk_printf("INFO platform image 0x%lx-0x%lx, console %s\n",
	          (uint64_t)(uintptr_t)__image_start, (uint64_t)(uintptr_t)__image_end - 1,
	          tk_console_has_dbcn() ? "SBI DBCN" : "SBI legacy putchar");
}

/*
 * testkit.hold on the kernel command line: instead of powering off, stay up for the
 * hypervisor's lifecycle and console tests. Prints "TESTKIT ALIVE <n>" every 200 ms (timer
 * interrupt, WFI in between) and echoes console input as "TESTKIT GOT <hex>". "q" powers off
 * through SBI SRST, "p" and "r" power off and reboot through the syscon test device.
 */
static void __attribute__((noreturn)) hold(void)
{
	struct tk_hart *h = tk_this_hart();
	unsigned long beat = 0;

	for (;;) {
		unsigned int seen = h->timer_irqs;
		sbi_set_timer(rdtime() + tk_ticks_from_us(200000));
		/* The trap handler masks STIE after each timer interrupt: unmask it again. */
		csr_set(CSR_SIE, SIP_STIP);
		while (h->timer_irqs == seen) {
			/* Legacy console_getchar (SBI spec 5.3): -1 when nothing is waiting. */
			long c = sbi_ecall(0x02, 0, 0, 0, 0, 0, 0).error;
			if (c >= 0) {
				tk_printf("TESTKIT GOT %02lx\n", (unsigned long)c & 0xff);
				if (c == 'q') {
					sbi_shutdown(false);
				}
				/* 'p' and 'r' go through QEMU virt's test device (0x100000, the
				 * syscon-poweroff/-reboot regmap), exercising emulated MMIO. */
				if (c == 'p' || c == 'r') {
					*(volatile uint32_t *)0x100000UL =
					    c == 'p' ? 0x5555 : 0x7777;
				}
				continue;
			}
			wfi();
			irq_enable();
			irq_disable();
		}
		tk_printf("TESTKIT ALIVE %lu\n", beat++);
	}
}

void tk_main(uint64_t hartid, uint64_t dtb)
{
	static struct tk_result result;
	unsigned int passed = 0, failed = 0, skipped = 0;

	tk_console_init();
	tk_printf("TESTKIT START hart=%lu\n", hartid);
	tk_plat.dtb_base = dtb;
	fdt_parse(dtb, &tk_plat);
	setup_harts(hartid);
	print_platform();
	if (tk_plat.bench) {
		tk_bench_main();
	}
	if (tk_plat.hostile) {
		tk_hostile_main();
	}
	if (tk_plat.storm) {
		tk_storm_main();
	}
	if (tk_plat.leak) {
		tk_leak_main();
	}
	if (tk_plat.reboot) {
		/* testkit.reboot: a cold reboot at once, every boot (SBI SRST, spec chapter 10).
		 * A guest the hypervisor must keep rebooting without logging without bound. */
		tk_printf("TESTKIT REBOOT\n");
		sbi_ecall(SBI_EXT_SRST, 0, SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE, 0, 0, 0);
		tk_printf("TESTKIT REBOOT refused\n");
		sbi_shutdown(true);
	}

	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		enum tk_status status = run_test(&tests[i], &result);

		switch (status) {
		case TK_PASS:
			passed++;
			tk_printf("TEST %s PASS\n", tests[i].name);
			break;
		case TK_FAIL:
			failed++;
			tk_printf("TEST %s FAIL %s\n", tests[i].name, result.reason);
			break;
		case TK_SKIP:
			skipped++;
			tk_printf("TEST %s SKIP %s\n", tests[i].name, result.reason);
			break;
		}
	}
	tk_printf("TESTKIT DONE passed=%u failed=%u skipped=%u\n", passed, failed, skipped);
	if (tk_plat.hold) {
		hold();
	}
	sbi_shutdown(failed > 0);
}
