/* SPDX-License-Identifier: GPL-2.0-only */
/** Working out which RAM the hypervisor may hand to its allocators. */
#ifndef VIREO_MEM_LAYOUT_H
#define VIREO_MEM_LAYOUT_H

#include <vireo/platform.h>

#define MEM_LAYOUT_MAX_FREE 32

/**
 * Subtracts every range of `holes` from the RAM ranges `ram`, writing the remaining pieces, in
 * address order, to out. Holes may overlap each other, RAM edges or nothing at all; zero-sized
 * entries are ignored. Returns the number of pieces, or VIREO_ENOSPC if more than out_max.
 */
int mem_layout_subtract(const struct mem_range *ram, unsigned int ram_count,
                        const struct mem_range *holes, unsigned int hole_count,
                        struct mem_range *out, unsigned int out_max);

#endif
