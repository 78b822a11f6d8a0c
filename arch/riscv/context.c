/* SPDX-License-Identifier: GPL-2.0-only */
/** Preparing a new thread's first switch (see context.S). */
#include <vireo/arch/context.h>
#include <vireo/string.h>

extern char arch_context_trampoline[];

void arch_context_init(struct arch_context *ctx, uintptr_t stack_top, void (*entry)(void))
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->ra = (unsigned long)(uintptr_t)arch_context_trampoline;
	ctx->sp = stack_top;
	ctx->s[0] = (unsigned long)(uintptr_t)entry;
}
