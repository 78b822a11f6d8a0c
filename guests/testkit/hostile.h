/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The hostile mode (testkit.hostile on the kernel command line, README.md): a guest that
 * attacks the hypervisor under it and checks every answer against the architecture, the SBI
 * specification v2.0 and VirtIO 1.2. One "HOSTILE <group> pass|fail ..." line per attack group,
 * then "HOSTILE DONE"; the last attack gets the guest stopped on purpose.
 */
#ifndef TESTKIT_HOSTILE_H
#define TESTKIT_HOSTILE_H

#include "testkit.h"

/* Vireo's guest physical map (include/vireo/guest_devs.h, QEMU virt's addresses). */
#define HK_SYSCON_BASE 0x100000UL
#define HK_SYSCON_SIZE 0x1000UL
#define HK_RTC_BASE    0x101000UL
#define HK_RTC_SIZE    0x1000UL
#define HK_PLIC_BASE   0x0c000000UL
#define HK_PLIC_SIZE   0x4000000UL
#define HK_UART_BASE   0x10000000UL
#define HK_UART_SIZE   0x100UL
#define HK_UART_REGS   8UL
#define HK_VIRTIO_BASE 0x10001000UL
#define HK_VIRTIO_SIZE 0x1000UL
/* Unassigned on Vireo and on QEMU virt alike. */
#define HK_HOLE 0x11000000UL

/** One attack group's tally: the first failure is kept for the result line. */
struct hk_group {
	const char *name;
	unsigned int checks;
	unsigned int failed;
	char first[200];
};

/** Counts one check; records the reason of the first one that is false. Returns ok. */
bool hk_check(struct hk_group *g, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- single accesses that may fault (hostile_probe.c) ---------------------------------- */

enum hk_kind { HK_PLAIN, HK_AMO, HK_FP };

enum hk_op {
	HK_LB,
	HK_LH,
	HK_LW,
	HK_LD,
	HK_LBU,
	HK_LHU,
	HK_LWU,
	HK_SB,
	HK_SH,
	HK_SW,
	HK_SD,
	HK_C_LW,
	HK_C_LD,
	HK_C_SW,
	HK_C_SD,
	HK_LR_W,
	HK_AMOADD_W,
	HK_AMOSWAP_D,
	HK_FLW,
	HK_FLD,
	HK_FSW,
	HK_FSD,
	HK_OP_COUNT
};

struct hk_op_info {
	const char *name;
	unsigned int width;
	bool store;
	enum hk_kind kind;
};

extern const struct hk_op_info hk_ops[HK_OP_COUNT];

/** What one access did: faulted with scause/stval, or completed (value for a load). */
struct hk_result {
	bool faulted;
	unsigned long cause;
	unsigned long tval;
	uint64_t value;
};

/** Performs @op at @addr (a store writes @value) with the fault probe armed. */
struct hk_result hk_access(enum hk_op op, uint64_t addr, uint64_t value);

/** Runs one 32-bit instruction with the probe armed (a0 = @arg in, value = a0 out). */
struct hk_result hk_exec(uint32_t insn, unsigned long arg);
/** A CSR read of @csr (0..0xfff) through hk_exec(). */
struct hk_result hk_csr_read(unsigned int csr);

/** The RAM range the image lives in. */
uint64_t hk_ram_base(void);
uint64_t hk_ram_end(void);

/* ---- the groups ------------------------------------------------------------------------ */

void hk_attack_memory(struct hk_group *g);
void hk_attack_mmio(struct hk_group *g);
void hk_attack_sbi(struct hk_group *g);
void hk_attack_hsm(struct hk_group *g);
void hk_attack_virtio(struct hk_group *g);
void hk_attack_virtio_net(struct hk_group *g);
void hk_attack_irq(struct hk_group *g);
void hk_attack_traps(struct hk_group *g);

/* Second hart (hostile_entry.S, hostile.c). */
void hk_secondary_entry(void);
void hk_secondary_main(struct tk_hart *h) __attribute__((noreturn));

#endif
