/* SPDX-License-Identifier: GPL-2.0-only */
/** RISC-V CSR numbers, bit fields and accessors used by the hypervisor (Priv. spec v1.12). */
#ifndef ARCH_RISCV_CSR_H
#define ARCH_RISCV_CSR_H

/* Supervisor CSRs (Priv. spec 4.1). */
#define CSR_SSTATUS    0x100
#define CSR_SIE        0x104
#define CSR_STVEC      0x105
#define CSR_SCOUNTEREN 0x106
#define CSR_SENVCFG    0x10a
#define CSR_SSCRATCH   0x140
#define CSR_SEPC       0x141
#define CSR_SCAUSE     0x142
#define CSR_STVAL      0x143
#define CSR_SIP        0x144
#define CSR_STIMECMP   0x14d /* Sstc extension */
#define CSR_SATP       0x180
#define CSR_TIME       0xc01

/* Hypervisor and virtual-supervisor CSRs (Priv. spec 8.2, 8.3). */
#define CSR_HSTATUS    0x600
#define CSR_HEDELEG    0x602
#define CSR_HIDELEG    0x603
#define CSR_HIE        0x604
#define CSR_HTIMEDELTA 0x605
#define CSR_HCOUNTEREN 0x606
#define CSR_HGEIE      0x607
#define CSR_HENVCFG    0x60a
#define CSR_HSTATEEN0  0x60c /* Smstateen */
#define CSR_HTVAL      0x643
#define CSR_HIP        0x644
#define CSR_HVIP       0x645
#define CSR_HTINST     0x64a
#define CSR_HGATP      0x680
#define CSR_VSSTATUS   0x200
#define CSR_VSIE       0x204
#define CSR_VSTVEC     0x205
#define CSR_VSSCRATCH  0x240
#define CSR_VSEPC      0x241
#define CSR_VSCAUSE    0x242
#define CSR_VSTVAL     0x243
#define CSR_VSIP       0x244
#define CSR_VSISELECT  0x250 /* Ssaia */
#define CSR_VSTIMECMP  0x24d
#define CSR_VSATP      0x280

#define HSTATUS_VSBE (1UL << 5)
#define HSTATUS_GVA  (1UL << 6)
#define HSTATUS_SPV  (1UL << 7)
#define HSTATUS_SPVP (1UL << 8)
#define HSTATUS_HU   (1UL << 9)
#define HSTATUS_VTVM (1UL << 20)
#define HSTATUS_VTW  (1UL << 21)
#define HSTATUS_VTSR (1UL << 22)

/* VS-level interrupt bits in hvip/hideleg (Priv. spec 8.2.3). */
#define HVIP_VSSIP (1UL << 2)
#define HVIP_VSTIP (1UL << 6)
#define HVIP_VSEIP (1UL << 10)

#define HENVCFG_STCE (1UL << 63)
/* hstateen0 (Smstateen): ENVCFG lets VS-mode reach senvcfg, SE0 lets it reach sstateen0. */
#define HSTATEEN0_ENVCFG (1UL << 62)
#define HSTATEEN0_SE0    (1UL << 63)

#define SSTATUS_FS_MASK  (3UL << 13)
#define SSTATUS_FS_DIRTY (3UL << 13)
#define SSTATUS_VS_MASK  (3UL << 9) /* vector state; 0 (Off) makes every V instruction illegal */

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
