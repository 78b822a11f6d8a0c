/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Physical page allocator: a binary buddy allocator over the RAM regions left free after boot
 * (hypervisor image, firmware, device tree and initrd removed). A block of order k is 2^k pages
 * and is aligned to 2^k pages in physical memory, so order 9 gives 2 MiB-aligned blocks for
 * large stage-2 mappings. Each region keeps its own metadata in its first pages. Thread-safe.
 */
#ifndef VIREO_PAGE_ALLOC_H
#define VIREO_PAGE_ALLOC_H

#include <vireo/types.h>

#define PAGE_SHIFT             12
#define PAGE_SIZE              (1UL << PAGE_SHIFT)
#define PAGE_ALLOC_MAX_ORDER   10 /**< largest block: 2^10 pages = 4 MiB */
#define PAGE_ALLOC_MAX_REGIONS 8

struct page_alloc_stats {
	uint64_t total_pages;  /**< pages managed (excluding metadata pages) */
	uint64_t free_pages;   /**< pages currently free */
	uint64_t meta_pages;   /**< pages used by the allocator's own metadata */
	uint64_t alloc_calls;  /**< successful allocations */
	uint64_t free_calls;   /**< successful frees */
	uint64_t failed_calls; /**< allocations that returned VIREO_ENOMEM */
	uint64_t free_blocks[PAGE_ALLOC_MAX_ORDER + 1]; /**< free blocks per order */
	unsigned int region_count;
};

/**
 * Hands a free RAM range to the allocator. base and size need not be page-aligned: the range
 * is trimmed inwards. Returns 0, VIREO_ENOSPC (too many regions), VIREO_EINVAL (range too small
 * to hold its metadata plus one page, or overlapping a region already added).
 */
int page_alloc_add_region(paddr_t base, uint64_t size);

/**
 * Allocates 2^order contiguous pages aligned to their size. Returns 0 and *pa, VIREO_EINVAL
 * (order > PAGE_ALLOC_MAX_ORDER) or VIREO_ENOMEM. The pages are not zeroed.
 */
int page_alloc_get(unsigned int order, paddr_t *pa);

/**
 * Returns a block obtained from page_alloc_get with the same order. Returns 0, or VIREO_EINVAL
 * if pa is not the start of an allocated block of that order (bad address, wrong order, double
 * free); the allocator's state is unchanged on error.
 */
int page_alloc_free(paddr_t pa, unsigned int order);

/** Smallest order whose block holds `bytes`, or -1 if larger than the largest order. */
int page_alloc_order_for(uint64_t bytes);

void page_alloc_get_stats(struct page_alloc_stats *stats);

/** Forgets every region (host unit tests only; never called by the hypervisor). */
void page_alloc_reset(void);

#endif
