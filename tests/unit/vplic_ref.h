/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * An independent reference for the guest PLIC model (emul/vplic.c), shared by its unit test
 * and its fuzz harness: the claim rule of the PLIC spec v1.0.0 written out plainly.
 */
#ifndef TESTS_VPLIC_REF_H
#define TESTS_VPLIC_REF_H

#include <vireo/vplic.h>

/** Bit id of a per-source bitmap (pending, enable, in service). */
static inline bool vplic_ref_bit(const uint32_t *map, unsigned int id)
{
	return (map[id / 32U] >> (id % 32U)) & 1U;
}

/**
 * The source a claim by context ctx should return: an enabled pending source with a priority
 * above the context's threshold, the highest priority first, the lowest id among equals; 0
 * when there is none.
 */
static inline unsigned int vplic_ref_claim(const struct vplic *p, unsigned int ctx)
{
	unsigned int best = 0;

	for (unsigned int id = 1; id < VPLIC_SOURCES; id++) {
		if (vplic_ref_bit(p->pending, id) && vplic_ref_bit(p->enable[ctx], id) &&
		    p->priority[id] > p->threshold[ctx] &&
		    (best == 0 || p->priority[id] > p->priority[best])) {
			best = id;
		}
	}
	return best;
}

#endif
