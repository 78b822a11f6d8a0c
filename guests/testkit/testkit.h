/* SPDX-License-Identifier: GPL-2.0-only */
/** The test kit's shared declarations: platform facts, per-hart state, output, time. */
#ifndef TESTKIT_H
#define TESTKIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TK_MAX_HARTS  32
#define TK_MAX_MEM    8
#define TK_MAX_RESV   16
#define TK_STACK_SIZE 8192
#define TK_MAX_VIRTIO 8

/** Default when the device tree has no /cpus/timebase-frequency. */
#define TK_DEFAULT_TIMEBASE 10000000UL

/* ---- platform, from the device tree (fdt.c) ------------------------------------------- */

struct tk_range {
	uint64_t base;
	uint64_t size;
};

struct tk_platform {
	bool dtb_valid;
	uint64_t dtb_base;
	uint64_t dtb_size;
	uint64_t timebase;
	bool timebase_from_dtb;
	unsigned int hart_count;
	unsigned int harts_ignored; /* available cpu nodes beyond TK_MAX_HARTS */
	uint64_t hart_ids[TK_MAX_HARTS];
	unsigned int mem_count;
	struct tk_range mem[TK_MAX_MEM];
	unsigned int resv_count; /* memory reservation block and /reserved-memory children */
	struct tk_range resv[TK_MAX_RESV];
	bool hold;    /* bootargs has testkit.hold: stay up after the tests (main.c) */
	bool bench;   /* bootargs has testkit.bench: run the benchmarks instead (bench.c) */
	bool hostile; /* bootargs has testkit.hostile: attack the hypervisor (hostile.c) */
	bool reboot;  /* bootargs has testkit.reboot: reboot at once, every boot (main.c) */
	unsigned int
	    leak; /* testkit.leak=1 or =2: check for state left by another guest (leak.c) */
	unsigned int storm; /* testkit.storm=blk|net|timer: TK_STORM_*, or 0 (storm.c) */
	const char *isa;    /* riscv,isa of the first available cpu node, or NULL */
	uint64_t uart_base; /* first ns16550a, 0 if none */
	uint32_t uart_reg_shift;
	unsigned int virtio_count;
	uint64_t virtio_base[TK_MAX_VIRTIO]; /* virtio,mmio nodes, in tree order */
};

extern struct tk_platform tk_plat;

/** The /memory range holding the image, or NULL. */
const struct tk_range *tk_image_region(void);

/** Reads the few facts the tests need from the flattened device tree at @dtb. */
void fdt_parse(uint64_t dtb, struct tk_platform *plat);

/* ---- per-hart state (harts.c, trap.c) -------------------------------------------------- */

/** Saved callee-saved registers for tk_ctx_save()/tk_ctx_restore(). */
struct tk_ctx {
	uint64_t ra, sp, s[12];
};

enum tk_cmd {
	TK_CMD_PARK = 0, /* wait in WFI with SSIE enabled, count interrupts */
	TK_CMD_STOP = 1, /* leave the park loop and call hart_stop */
	/* HSM retentive hart_suspend (with junk in a0's upper half) until an IPI, then park */
	TK_CMD_SUSPEND = 2,
};

enum tk_state {
	TK_STATE_OFF = 0,
	TK_STATE_READY,   /* entered, interrupts set up, parked */
	TK_STATE_LEAVING, /* about to call hart_stop */
	TK_STATE_TIMEOUT, /* nobody told it to stop within its deadline */
	TK_STATE_ERROR,   /* unexpected trap or hart_stop returned */
};

/** One per hart; tp points at it. Slot 0 is the boot hart. */
struct tk_hart {
	uint64_t stack_top; /* read by the secondary entry code: keep first */
	uint64_t hartid;
	unsigned int index;
	unsigned int trap_depth;
	volatile uint32_t cmd;   /* enum tk_cmd, written by the boot hart */
	volatile uint32_t state; /* enum tk_state, written by the hart itself */
	volatile uint32_t runs;  /* incremented each time the hart enters */
	volatile uint32_t timer_irqs;
	volatile uint32_t soft_irqs;
	volatile uint32_t other_irqs;
	volatile uint64_t timer_irq_time;
	volatile uint64_t error_cause, error_epc, error_tval;
	volatile long suspend_error; /* what TK_CMD_SUSPEND's hart_suspend returned */
	volatile uint32_t suspends;  /* TK_CMD_SUSPEND rounds done */
	/* A fault probe in progress: the trap handler records the fault and skips it. */
	volatile bool fault_armed;
	volatile uint64_t fault_cause, fault_tval;
	/* Where an unexpected exception on this hart goes back to, if set. */
	struct tk_ctx *recover;
};

extern struct tk_hart tk_harts[TK_MAX_HARTS];
/** Slots in use: the boot hart and every other available hart from the device tree. */
extern unsigned int tk_hart_slots;

/** C entry of the boot hart (entry.S). */
void tk_main(uint64_t hartid, uint64_t dtb) __attribute__((noreturn));

static inline struct tk_hart *tk_this_hart(void)
{
	struct tk_hart *h;

	__asm__ volatile("mv %0, tp" : "=r"(h));
	return h;
}

/** Entry point for harts started with hart_start (entry.S); a1 = its struct tk_hart. */
void tk_secondary_entry(void);
/** C part of a secondary hart (harts.c). */
void tk_secondary_main(struct tk_hart *h) __attribute__((noreturn));

/** Starts every secondary in the park loop; returns how many reached it, or -1 with a reason. */
int tk_secondaries_start(char *why, size_t why_size);
/** Tells every parked secondary to stop and waits for STOPPED; 0 or -1 with a reason. */
int tk_secondaries_stop(char *why, size_t why_size);

/** A hart_mask/hart_mask_base pair (SBI spec v2.0, 3.1): bit i means hart base + i. */
struct tk_hart_mask {
	unsigned long mask;
	unsigned long base;
};

/** Masks covering the secondaries (and the boot hart if @with_boot); returns how many. */
unsigned int tk_hart_masks(bool with_boot, struct tk_hart_mask *out, unsigned int max);

/** A hart id that no hart has, for the invalid-parameter checks. */
unsigned long tk_invalid_hartid(void);

/** setjmp-like: returns 0, then the value passed to tk_ctx_restore(). */
int tk_ctx_save(struct tk_ctx *ctx) __attribute__((returns_twice));
void tk_ctx_restore(struct tk_ctx *ctx, int value) __attribute__((noreturn));

/** Fault probes (entry.S): one access or jump that the trap handler skips if it faults. */
uint64_t tk_probe_load(uint64_t addr);
void tk_probe_store(uint64_t addr, uint64_t value);
void tk_probe_fetch(uint64_t addr);

/** Trap handler, called by the vector in entry.S with the saved registers. */
struct tk_frame {
	uint64_t x[32]; /* x[0] unused */
	uint64_t sepc, sstatus, scause, stval;
};
void tk_trap(struct tk_frame *f);

/** The unexpected exception that sent a test back to the runner. */
extern struct tk_frame tk_unexpected;

/* ---- results and output (print.c, main.c) --------------------------------------------- */

enum tk_status { TK_PASS = 0, TK_FAIL, TK_SKIP };

struct tk_result {
	enum tk_status status;
	char reason[160];
};

/** Records a FAIL (the first reason wins) and returns TK_FAIL. */
int tk_fail(struct tk_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Records a SKIP and returns TK_SKIP. */
int tk_skip(struct tk_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void tk_console_init(void);
/** Formats one piece of output and writes it to the SBI console. */
void tk_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tk_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
int tk_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** Writes @len bytes through DBCN if present, else the legacy putchar. */
void tk_console_write(const char *s, size_t len);
/** True if the SBI implementation offers DBCN (probed once). */
bool tk_console_has_dbcn(void);

/* ---- time ------------------------------------------------------------------------------ */

uint64_t tk_ticks_from_us(uint64_t us);
uint64_t tk_us_from_ticks(uint64_t ticks);
/** A deadline @ms milliseconds from now, on the time CSR. */
uint64_t tk_deadline_ms(uint64_t ms);
bool tk_expired(uint64_t deadline);

/* ---- the tests ------------------------------------------------------------------------- */

int test_sbi_base(struct tk_result *r);
int test_sbi_time(struct tk_result *r);
int test_wfi_wakeup(struct tk_result *r);
int test_sbi_hsm(struct tk_result *r);
int test_sbi_ipi(struct tk_result *r);
int test_sbi_rfence(struct tk_result *r);
int test_sbi_dbcn(struct tk_result *r);
int test_access_fault(struct tk_result *r);
int test_fp(struct tk_result *r);
int test_umode(struct tk_result *r);
int test_memory(struct tk_result *r);

/** Bench mode (bench.c): runs every benchmark, prints BENCH lines, powers off. */
void tk_bench_main(void) __attribute__((noreturn));

/** Hostile mode (hostile.c): attacks the hypervisor, prints HOSTILE lines, never returns. */
void tk_hostile_main(void) __attribute__((noreturn));

enum { TK_STORM_BLK = 1, TK_STORM_NET, TK_STORM_TIMER };

/** Storm mode (storm.c): one denial-of-service attack for a few seconds, STORM lines. */
void tk_storm_main(void) __attribute__((noreturn));
void tk_storm_secondary_main(struct tk_hart *h) __attribute__((noreturn));

/** Leak mode (leak.c): checks no CPU state passes from another guest, prints LEAK lines. */
void tk_leak_main(void) __attribute__((noreturn));

/** Set by sbi_time once a timer interrupt has been seen, so wfi_wakeup never sleeps forever. */
extern bool tk_timer_works;

/** Linker symbols (testkit.ld). */
extern char __image_start[], __image_end[];

/* Freestanding C still needs these: the compiler may emit calls to them. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
