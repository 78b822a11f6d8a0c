/* SPDX-License-Identifier: GPL-2.0-only */
/** RISC-V CSR numbers, bit fields and accessors used by the hypervisor (Priv. spec v1.12). */
#ifndef ARCH_RISCV_CSR_H
#define ARCH_RISCV_CSR_H

/* Supervisor CSRs (Priv. spec 4.1). */
#define CSR_SSTATUS  0x100
#define CSR_SIE      0x104
#define CSR_STVEC    0x105
#define CSR_SSCRATCH 0x140
#define CSR_SEPC     0x141
#define CSR_SCAUSE   0x142
#define CSR_STVAL    0x143
#define CSR_SIP      0x144
#define CSR_STIMECMP 0x14d /* Sstc extension */
#define CSR_SATP     0x180
#define CSR_TIME     0xc01

/* Hypervisor CSRs (Priv. spec 8.2). */
#define CSR_HSTATUS 0x600

#define SSTATUS_SIE  (1UL << 1)
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP  (1UL << 8)

/* Interrupt numbers (scause with the interrupt bit set; sie/sip bits). */
#define IRQ_S_SOFT  1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT   9
#define SIE_SSIE    (1UL << IRQ_S_SOFT)
#define SIE_STIE    (1UL << IRQ_S_TIMER)
#define SIE_SEIE    (1UL << IRQ_S_EXT)
#define SIP_SSIP    SIE_SSIE

#define SCAUSE_INTERRUPT (1UL << 63)

/* Exception codes (Priv. spec table 8.6 with the H extension). */
#define EXC_INST_MISALIGNED   0
#define EXC_INST_ACCESS       1
#define EXC_ILLEGAL_INST      2
#define EXC_BREAKPOINT        3
#define EXC_LOAD_MISALIGNED   4
#define EXC_LOAD_ACCESS       5
#define EXC_STORE_MISALIGNED  6
#define EXC_STORE_ACCESS      7
#define EXC_ECALL_U           8
#define EXC_ECALL_S           9
#define EXC_ECALL_VS          10
#define EXC_ECALL_M           11
#define EXC_INST_PAGE_FAULT   12
#define EXC_LOAD_PAGE_FAULT   13
#define EXC_STORE_PAGE_FAULT  15
#define EXC_INST_GUEST_FAULT  20
#define EXC_LOAD_GUEST_FAULT  21
#define EXC_VIRTUAL_INST      22
#define EXC_STORE_GUEST_FAULT 23

#ifndef __ASSEMBLY__

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

#define csr_read_clear(csr, val)                                                                   \
	({                                                                                         \
		unsigned long __v = (unsigned long)(val);                                          \
		__asm__ volatile("csrrc %0, %1, %2" : "=r"(__v) : "i"(csr), "rK"(__v) : "memory"); \
		__v;                                                                               \
	})

#endif /* __ASSEMBLY__ */
#endif
