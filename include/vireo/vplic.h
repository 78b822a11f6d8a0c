/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest-facing PLIC (emul/vplic.c), modelled on the RISC-V Platform-Level Interrupt Controller
 * Specification v1.0.0 with the geometry of QEMU's virt machine (riscv,ndev = 95). One context
 * per vCPU: the S-mode external interrupt of that vCPU. Every source is level-triggered.
 *
 * Guest memory map (offsets from the region base; everything else reads 0, writes ignored):
 *
 *   0x000000 + 4 * id             priority of source id (3 bits, id 0 reads 0)
 *   0x001000 + 4 * word           pending bits, sources 32*word .. 32*word+31 (read-only)
 *   0x002000 + 0x80 * ctx + 4 * w enable bits of context ctx
 *   0x200000 + 0x1000 * ctx       priority threshold of context ctx (3 bits)
 *   0x200004 + 0x1000 * ctx       claim (read) / complete (write) of context ctx
 *
 * Only aligned 32-bit accesses are accepted; anything else is an access fault. Not locked:
 * the caller serialises accesses and line changes for one instance.
 */
#ifndef VIREO_VPLIC_H
#define VIREO_VPLIC_H

#include <vireo/types.h>
#include <vireo/vmmio.h>

#define VPLIC_SOURCES      96U /**< interrupt ids 0..95; id 0 means "no interrupt" */
#define VPLIC_CONTEXTS_MAX 16U
#define VPLIC_WORDS        (VPLIC_SOURCES / 32U)
#define VPLIC_PRIO_MAX     7U           /**< priorities and thresholds are 3 bits wide */
#define VPLIC_SIZE         0x4000000ULL /**< QEMU virt's PLIC region size */

/** Called with the new level whenever a context's external interrupt output changes. */
typedef void (*vplic_notify_fn)(void *ctx, unsigned int context, bool level);

struct vplic {
	unsigned int context_count;
	vplic_notify_fn notify;
	void *notify_ctx;
	uint8_t priority[VPLIC_SOURCES];
	uint32_t line[VPLIC_WORDS];       /**< device line levels */
	uint32_t pending[VPLIC_WORDS];    /**< gateway requests not yet claimed */
	uint32_t in_service[VPLIC_WORDS]; /**< claimed and not yet completed */
	uint32_t enable[VPLIC_CONTEXTS_MAX][VPLIC_WORDS];
	uint8_t threshold[VPLIC_CONTEXTS_MAX];
	bool output[VPLIC_CONTEXTS_MAX]; /**< last level passed to notify */
};

/**
 * Resets p: all priorities, thresholds, enables and lines 0. contexts is clamped to
 * 1..VPLIC_CONTEXTS_MAX. notify may be NULL.
 */
void vplic_init(struct vplic *p, unsigned int contexts, vplic_notify_fn notify, void *ctx);

/** The vmmio access callback; dev is a struct vplic. */
int vplic_access(void *dev, struct vmmio_access *a);

/** Drives the line of a level-triggered device; source 0 or >= VPLIC_SOURCES is ignored. */
void vplic_set_level(struct vplic *p, unsigned int source, bool level);

extern const struct vmmio_ops vplic_ops;

#endif
