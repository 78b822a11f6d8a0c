/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * What the host device tree says about the machine, parsed once at boot by platform_parse()
 * (core/platform.c) with our own FDT reader. Everything else reads this, never the tree.
 */
#ifndef VIREO_PLATFORM_H
#define VIREO_PLATFORM_H

#include <vireo/fdt.h>
#include <vireo/percpu.h>
#include <vireo/types.h>

#define PLATFORM_MAX_MEM      8
#define PLATFORM_MAX_RESERVED 16
#define PLATFORM_ISA_MAX      128
#define PLATFORM_NAME_MAX     48
#define PLATFORM_RNG_SEED_MAX 64

struct mem_range {
	paddr_t base;
	uint64_t size;
	char name[PLATFORM_NAME_MAX]; /**< node name for reserved ranges */
};

enum irqchip_kind {
	IRQCHIP_NONE,
	IRQCHIP_PLIC,
	IRQCHIP_APLIC, /**< APLIC in direct delivery mode */
	IRQCHIP_APLIC_IMSIC,
};

struct platform_hart {
	unsigned long hw_id;
	bool enabled;
	char isa[PLATFORM_ISA_MAX]; /**< riscv,isa string as given */
	char mmu[16];               /**< "sv39", "sv48", ... or "" */
	uint32_t intc_phandle;      /**< the hart's local interrupt controller */
};

struct platform_syscon_action {
	bool present;
	paddr_t addr; /**< regmap base + offset */
	uint32_t value;
	uint32_t mask;
};

struct platform {
	char model[PLATFORM_NAME_MAX];
	unsigned int hart_count;
	struct platform_hart harts[VIREO_MAX_CPUS];
	unsigned int harts_ignored; /**< harts beyond VIREO_MAX_CPUS */
	uint64_t timebase_hz;

	unsigned int mem_count;
	struct mem_range mem[PLATFORM_MAX_MEM];
	unsigned int reserved_count;
	struct mem_range reserved[PLATFORM_MAX_RESERVED];

	char bootargs[512];
	char stdout_path[96];
	paddr_t initrd_start;
	paddr_t initrd_end;

	struct {
		bool present;
		paddr_t base;
		uint64_t size;
		unsigned int irq;
		unsigned int reg_shift;
		unsigned int reg_io_width;
		uint32_t clock_hz;
		char compatible[32];
	} uart;

	struct {
		enum irqchip_kind kind;
		paddr_t base; /**< PLIC or S-level APLIC */
		uint64_t size;
		unsigned int source_count;
		/** PLIC context index of each hart's S-mode external interrupt, -1 if none. */
		int s_context[VIREO_MAX_CPUS];
		bool aplic_present;
		bool imsic_present;
		paddr_t imsic_base;
		unsigned int
		    imsic_guest_bits; /**< riscv,guest-index-bits: VS files per hart < 2^n */
	} irqchip;

	/** Goldfish RTC ("google,goldfish-rtc"): the host's wall clock, read once at boot. */
	struct {
		bool present;
		paddr_t base;
		uint64_t size;
		unsigned int irq;
	} rtc;

	/**
	 * /chosen "rng-seed" (up to PLATFORM_RNG_SEED_MAX bytes; a longer seed is truncated).
	 * Boot wipes the bytes once the random generator has absorbed them; the length stays.
	 */
	uint8_t rng_seed[PLATFORM_RNG_SEED_MAX];
	unsigned int rng_seed_len;

	/** QEMU's SiFive test finisher ("sifive,test0"): powers off with an exit status. */
	paddr_t test_finisher;
	struct platform_syscon_action poweroff;
	struct platform_syscon_action reboot;

	paddr_t fdt_base;
	uint32_t fdt_size;
};

/** Parses the validated tree into *plat. Returns 0 or VIREO_E* with a log line saying why. */
int platform_parse(const struct fdt *fdt, struct platform *plat);

/**
 * Finds `ext` in a riscv,isa string: a single letter ("h") among the base letters, or a
 * multi-letter name ("sstc") among the '_'-separated extensions. Case-insensitive.
 */
bool platform_isa_has(const char *isa, const char *ext);

/** Installs a parsed platform as the global one (boot only). */
void platform_set(const struct platform *plat);

/** The parsed platform (valid after boot). */
const struct platform *platform_get(void);

/** Human name of an interrupt controller kind. */
const char *platform_irqchip_name(enum irqchip_kind kind);

#endif
