/* SPDX-License-Identifier: GPL-2.0-only */
/** Supervisor CSRs the test kit uses (RISC-V privileged spec v1.12, chapter 4). */
#ifndef TESTKIT_CSR_H
#define TESTKIT_CSR_H

#define CSR_SSTATUS  0x100
#define CSR_SIE      0x104
#define CSR_STVEC    0x105
#define CSR_SSCRATCH 0x140
#define CSR_SEPC     0x141
#define CSR_SCAUSE   0x142
#define CSR_STVAL    0x143
#define CSR_SIP      0x144
#define CSR_SATP     0x180
#define CSR_TIME     0xc01

#define SSTATUS_SIE  (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP  (1UL << 8)

/* Interrupt numbers (scause with the top bit set) and their sie/sip bits. */
#define IRQ_S_SOFT  1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT   9
#define SIP_SSIP    (1UL << IRQ_S_SOFT)
#define SIP_STIP    (1UL << IRQ_S_TIMER)
#define SIP_SEIP    (1UL << IRQ_S_EXT)

#define SCAUSE_INTERRUPT (1UL << 63)

/* Exception codes (scause, priv. spec 4.1.8). */
#define EXC_INSN_MISALIGNED 0
#define EXC_INSN_ACCESS     1
#define EXC_ILLEGAL_INSN    2
#define EXC_LOAD_ACCESS     5
#define EXC_STORE_ACCESS    7
#define EXC_INSN_PAGE       12
#define EXC_LOAD_PAGE       13
#define EXC_STORE_PAGE      15

#ifndef __ASSEMBLY__

/* CSR numbers must be immediates, so these stay macros. */
#define csr_read(csr)                                                              \
	({                                                                         \
		unsigned long __v;                                                 \
		__asm__ volatile("csrr %0, %1" : "=r"(__v) : "i"(csr) : "memory"); \
		__v;                                                               \
	})

#define csr_write(csr, val)                                                         \
	do {                                                                        \
		unsigned long __v = (unsigned long)(val);                           \
		__asm__ volatile("csrw %0, %1" : : "i"(csr), "rK"(__v) : "memory"); \
	} while (0)

#define csr_set(csr, val)                                                           \
	do {                                                                        \
		unsigned long __v = (unsigned long)(val);                           \
		__asm__ volatile("csrs %0, %1" : : "i"(csr), "rK"(__v) : "memory"); \
	} while (0)

#define csr_clear(csr, val)                                                         \
	do {                                                                        \
		unsigned long __v = (unsigned long)(val);                           \
		__asm__ volatile("csrc %0, %1" : : "i"(csr), "rK"(__v) : "memory"); \
	} while (0)

static inline unsigned long rdtime(void)
{
	unsigned long t;

	__asm__ volatile("rdtime %0" : "=r"(t) : : "memory");
	return t;
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" : : : "memory");
}

static inline void irq_enable(void)
{
	csr_set(CSR_SSTATUS, SSTATUS_SIE);
}

static inline void irq_disable(void)
{
	csr_clear(CSR_SSTATUS, SSTATUS_SIE);
}

#endif /* !__ASSEMBLY__ */
#endif
