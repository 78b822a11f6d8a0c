/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Arch contract: the current hart. Static inlines from <arch/cpu_impl.h>:
 *   void arch_cpu_relax(void);                  spin-wait hint
 *   void arch_cpu_wait_for_interrupt(void);     sleep until an interrupt is pending
 *   struct percpu *arch_cpu_this(void);         this hart's per-cpu block (see vireo/percpu.h)
 *   void arch_cpu_set_this(struct percpu *);    installed once per hart at bring-up
 */
#ifndef VIREO_ARCH_CPU_H
#define VIREO_ARCH_CPU_H

#include <vireo/types.h>

struct percpu;
#include <arch/cpu_impl.h>

#endif
