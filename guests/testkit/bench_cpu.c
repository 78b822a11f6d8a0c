/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Single-hart benchmarks: the SBI round trip, an MMIO register read and the first touch of
 * fresh pages. docs/benchmarks.md says what each measures directly on QEMU and under Vireo.
 */
#include "bench.h"
#include "sbi.h"

#define PROBE_WARMUP 50
#define PROBE_ITERS  1000
#define MMIO_WARMUP  50
#define MMIO_ITERS   1000
#define TOUCH_PAGES  1024 /* 4 MiB */
#define PAGE_SIZE    4096UL
#define TOP_KEEP     (2UL << 20) /* the device tree lives in the top 2 MiB */

/* BASE probe_extension(TIME) (SBI spec v2.0, 4.8), inlined so only the ecall is measured. */
static inline long probe_time_extension(void)
{
	register unsigned long a0 __asm__("a0") = SBI_EXT_TIME;
	register unsigned long a1 __asm__("a1") = 0;
	register unsigned long a6 __asm__("a6") = 3;
	register unsigned long a7 __asm__("a7") = SBI_EXT_BASE;

	__asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
	return a0 == SBI_SUCCESS ? (long)a1 : 0;
}

void bench_sbi_probe(void)
{
	struct bench_counters start, end, total;
	long missing = 0;

	for (unsigned int i = 0; i < PROBE_WARMUP; i++) {
		missing += probe_time_extension() == 0;
	}
	bench_read(&start);
	for (unsigned int i = 0; i < PROBE_ITERS; i++) {
		missing += probe_time_extension() == 0;
	}
	bench_read(&end);
	if (missing != 0) {
		tk_printf("BENCH sbi_probe fail probe_extension(TIME) answered 0 %ld times\n",
		          missing);
		return;
	}
	total = bench_delta(&start, &end);
	bench_report("sbi_probe", PROBE_ITERS, &total, NULL);
}

/* ns16550a line status register (register 5), a byte wide, spaced by reg-shift. */
void bench_mmio_read(void)
{
	struct bench_counters start, end, total;
	unsigned int sum = 0;
	char extra[48];

	if (tk_plat.uart_base == 0) {
		bench_skip("mmio_read", "no ns16550a in the device tree");
		return;
	}
	volatile const uint8_t *lsr =
	    (volatile const uint8_t *)(uintptr_t)(tk_plat.uart_base +
	                                          (5UL << tk_plat.uart_reg_shift));

	for (unsigned int i = 0; i < MMIO_WARMUP; i++) {
		sum += *lsr;
	}
	bench_read(&start);
	for (unsigned int i = 0; i < MMIO_ITERS; i++) {
		sum += *lsr;
	}
	bench_read(&end);
	total = bench_delta(&start, &end);
	/* THRE (bit 5) is set on an idle transmitter: a sanity check that we read the LSR. */
	tk_snprintf(extra, sizeof(extra), "addr=0x%lx lsr=0x%x",
	            tk_plat.uart_base + (5UL << tk_plat.uart_reg_shift), *lsr);
	(void)sum;
	bench_report("mmio_read", MMIO_ITERS, &total, extra);
}

static bool overlaps(uint64_t base, uint64_t end, const struct tk_range *r)
{
	return base < r->base + r->size && r->base < end;
}

/*
 * The first store to each of TOUCH_PAGES pages that nothing in this run touched before
 * (the kit's memory test does not run in bench mode), then the same stores again. Natively
 * the first touch is QEMU's TLB fill plus the host kernel's page fault on QEMU's fresh guest
 * RAM; under Vireo guest RAM is mapped and zeroed up front, so it is a two-stage TLB fill.
 */
void bench_stage2_fault(void)
{
	const struct tk_range *r = tk_image_region();
	struct bench_counters start, end, first, again;
	char extra[96], instret[32], ns[32];

	if (r == NULL) {
		bench_skip("stage2_fault", "no /memory range holds the image");
		return;
	}
	uint64_t base = ((uint64_t)(uintptr_t)__image_end + TOP_KEEP - 1) & ~(TOP_KEEP - 1);
	uint64_t limit = base + TOUCH_PAGES * PAGE_SIZE;

	if (limit > r->base + r->size - TOP_KEEP) {
		bench_skip("stage2_fault", "less than %lu KiB of RAM above the image",
		           TOUCH_PAGES * PAGE_SIZE >> 10);
		return;
	}
	for (unsigned int i = 0; i < tk_plat.resv_count; i++) {
		if (overlaps(base, limit, &tk_plat.resv[i])) {
			bench_skip("stage2_fault", "a reserved range overlaps 0x%lx-0x%lx", base,
			           limit - 1);
			return;
		}
	}
	if (overlaps(base, limit, &(struct tk_range){tk_plat.dtb_base, tk_plat.dtb_size})) {
		bench_skip("stage2_fault", "the device tree lies in 0x%lx-0x%lx", base, limit - 1);
		return;
	}
	bench_read(&start);
	for (uint64_t a = base; a < limit; a += PAGE_SIZE) {
		*(volatile uint64_t *)(uintptr_t)a = a;
	}
	bench_read(&end);
	first = bench_delta(&start, &end);
	bench_read(&start);
	for (uint64_t a = base; a < limit; a += PAGE_SIZE) {
		*(volatile uint64_t *)(uintptr_t)a = a;
	}
	bench_read(&end);
	again = bench_delta(&start, &end);
	bench_fmt_div(instret, sizeof(instret), again.instret, TOUCH_PAGES);
	bench_fmt_div(ns, sizeof(ns), bench_ns10_from_ticks(again.time), TOUCH_PAGES * 10);
	tk_snprintf(extra, sizeof(extra), "retouch_instret=%s retouch_time_ns=%s", instret, ns);
	bench_report("stage2_fault", TOUCH_PAGES, &first, extra);
}
