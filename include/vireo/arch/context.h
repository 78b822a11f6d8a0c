/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Arch contract: hypervisor thread contexts. struct arch_context comes from
 * <arch/context_impl.h> and holds the callee-saved state of a suspended thread.
 */
#ifndef VIREO_ARCH_CONTEXT_H
#define VIREO_ARCH_CONTEXT_H

#include <vireo/types.h>
#include <arch/context_impl.h>

/**
 * Prepares ctx so that the first switch to it runs entry() on the stack ending at stack_top
 * (16-byte aligned), with interrupts masked.
 */
void arch_context_init(struct arch_context *ctx, uintptr_t stack_top, void (*entry)(void));

/** Saves the current callee-saved state into from and resumes to. Interrupts masked. */
void arch_context_switch(struct arch_context *from, struct arch_context *to);

#endif
