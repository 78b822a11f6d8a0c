/* SPDX-License-Identifier: GPL-2.0-only */
/** Emulating guest accesses to emulated regions (arch/riscv/vcpu_mmio.c). */
#ifndef ARCH_RISCV_VCPU_MMIO_H
#define ARCH_RISCV_VCPU_MMIO_H

#include <vireo/types.h>
#include <vireo/vmmio.h>

struct vcpu;

/**
 * Emulates the faulting access of v (its exit registers) at gpa inside region and steps the
 * guest past it. Returns 0, VIREO_EFAULT when the guest must get an access fault instead
 * (unsupported instruction, misaligned or straddling access, the device refused it), or
 * VIREO_EAGAIN when the device is busy and the guest must run the instruction again later.
 */
int vcpu_mmio_emulate(struct vcpu *v, const struct vmmio_region *region, gpaddr_t gpa);

#endif
