/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The hypervisor heap: one contiguous arena taken from the page allocator at boot, managed as
 * an address-ordered free list with boundary tags and coalescing. Blocks are 16-byte aligned and
 * carry a header with a magic value, so frees of foreign pointers and double frees are caught.
 * Thread-safe.
 */
#ifndef VIREO_HEAP_H
#define VIREO_HEAP_H

#include <vireo/types.h>

#define HEAP_ALIGN 16

struct heap_stats {
	size_t arena_size;      /**< bytes in the arena */
	size_t used_bytes;      /**< bytes handed out, including block headers */
	size_t free_bytes;      /**< arena_size - used_bytes */
	size_t peak_used_bytes; /**< high-water mark of used_bytes */
	size_t largest_free;    /**< largest single allocation that would succeed now */
	size_t live_blocks;     /**< allocations not yet freed */
	uint64_t alloc_count;   /**< successful allocations since init */
	uint64_t free_count;    /**< successful frees since init */
	uint64_t fail_count;    /**< allocations that returned NULL */
};

/** Sets up the arena [base, base+size). base must be HEAP_ALIGN-aligned. 0 or VIREO_EINVAL. */
int heap_init(void *base, size_t size);

/** Returns a HEAP_ALIGN-aligned block of at least size bytes, or NULL (size 0 or no memory). */
void *heap_alloc(size_t size);

/** heap_alloc, zero-filled. */
void *heap_zalloc(size_t size);

/**
 * Frees a block from heap_alloc. NULL is accepted. Returns 0, or VIREO_EINVAL for a pointer the
 * heap did not hand out or already freed (the heap is left unchanged).
 */
int heap_free(void *ptr);

void heap_get_stats(struct heap_stats *stats);

#endif
