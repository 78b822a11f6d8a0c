/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Binary buddy allocator over physical RAM regions.
 *
 * Each region is laid out as (the hypervisor is identity-mapped, so a physical address is
 * also a usable pointer):
 *
 *   base                        start                                         end
 *   | struct page_meta[pages]   | managed pages, carved into size-aligned blocks |
 *   |<---- meta_pages pages --->|<------------- page_count pages -------------->|
 *
 * All bookkeeping (block order, state and the free-list links) lives in the metadata array,
 * never inside the managed pages: the pages handed out need no header, and a guest or a device
 * writing into a page after it was freed cannot corrupt the free lists.
 *
 * A block of order k starts on a page frame number that is a multiple of 2^k, so its buddy is
 * found by flipping bit k of the frame number. A region's start need not be aligned to the
 * largest block: the initial carve takes, at each position, the largest block that is both
 * aligned there and fits before the end, which is also the shape a fully coalesced region
 * returns to.
 *
 * Locking: one lock for all regions, taken with interrupts masked since interrupt handlers may
 * allocate pages. No other lock is taken while it is held.
 */
#include <vireo/page_alloc.h>
#include <vireo/compiler.h>
#include <vireo/errno.h>
#include <vireo/spinlock.h>
#include <vireo/string.h>

#define ORDER_COUNT (PAGE_ALLOC_MAX_ORDER + 1)

/* Page indices are 32-bit to keep the metadata at 12 bytes a page (0.3% of the region); the
 * largest index value is the list terminator, so a region manages fewer than 2^32 pages
 * (16 TiB) and anything beyond that is left unused. */
#define NO_PAGE          UINT32_MAX
#define REGION_MAX_PAGES ((uint64_t)UINT32_MAX)

enum page_state {
	PAGE_TAIL = 0,  /* inside a block: never a valid argument to page_alloc_free */
	PAGE_FREE_HEAD, /* first page of a free block, linked in free_head[order] */
	PAGE_USED_HEAD, /* first page of an allocated block */
};

struct page_meta {
	uint32_t next; /* free-list links, meaningful only for PAGE_FREE_HEAD */
	uint32_t prev;
	uint8_t order; /* meaningful only for the two head states */
	uint8_t state;
	uint16_t reserved;
};

struct region {
	paddr_t base;        /* first byte of the region: the metadata array */
	paddr_t start;       /* first managed page */
	uint64_t page_count; /* managed pages */
	struct page_meta *meta;
	uint32_t free_head[ORDER_COUNT];
};

static spinlock_t pa_lock = SPINLOCK_INIT;
static struct region regions[PAGE_ALLOC_MAX_REGIONS];
static unsigned int region_count;
/* Kept up to date by every operation so reading them is O(1); region_count is filled on read. */
static struct page_alloc_stats pa_stats;

static inline uint64_t region_end(const struct region *r)
{
	return r->start + (r->page_count << PAGE_SHIFT);
}

static inline paddr_t page_addr(const struct region *r, uint32_t idx)
{
	return r->start + ((paddr_t)idx << PAGE_SHIFT);
}

static void free_list_push(struct region *r, uint32_t idx, unsigned int order)
{
	struct page_meta *m = &r->meta[idx];

	m->state = PAGE_FREE_HEAD;
	m->order = (uint8_t)order;
	m->prev = NO_PAGE;
	m->next = r->free_head[order];
	if (m->next != NO_PAGE) {
		r->meta[m->next].prev = idx;
	}
	r->free_head[order] = idx;
	pa_stats.free_blocks[order]++;
	pa_stats.free_pages += 1UL << order;
}

/* Doubly linked so that taking a buddy out of the middle of its list on merge is O(1). */
static void free_list_remove(struct region *r, uint32_t idx)
{
	struct page_meta *m = &r->meta[idx];
	unsigned int order = m->order;

	if (m->prev != NO_PAGE) {
		r->meta[m->prev].next = m->next;
	} else {
		r->free_head[order] = m->next;
	}
	if (m->next != NO_PAGE) {
		r->meta[m->next].prev = m->prev;
	}
	m->next = NO_PAGE;
	m->prev = NO_PAGE;
	m->state = PAGE_TAIL;
	pa_stats.free_blocks[order]--;
	pa_stats.free_pages -= 1UL << order;
}

/* Largest order whose block is aligned at page idx and ends inside the region. */
static unsigned int carve_order(const struct region *r, uint64_t idx)
{
	uint64_t pfn = (r->start >> PAGE_SHIFT) + idx;
	uint64_t left = r->page_count - idx;
	unsigned int order = PAGE_ALLOC_MAX_ORDER;

	while (order > 0 && (!is_aligned(pfn, 1UL << order) || (1UL << order) > left)) {
		order--;
	}
	return order;
}

static bool overlaps_existing(paddr_t first, paddr_t last)
{
	for (unsigned int i = 0; i < region_count; i++) {
		if (first < region_end(&regions[i]) && regions[i].base < last) {
			return true;
		}
	}
	return false;
}

int page_alloc_add_region(paddr_t base, uint64_t size)
{
	paddr_t first, last;
	uint64_t pages, meta_pages;
	struct region *r;
	unsigned long flags;
	int ret = 0;

	/* Reject wrap-around before trimming, so align_up cannot overflow either. */
	if (base > UINT64_MAX - PAGE_SIZE || size > UINT64_MAX - base) {
		return VIREO_EINVAL;
	}
	first = align_up(base, PAGE_SIZE);
	last = align_down(base + size, PAGE_SIZE);
	if (last <= first) {
		return VIREO_EINVAL;
	}
	pages = min_u64((last - first) >> PAGE_SHIFT, REGION_MAX_PAGES);
	last = first + (pages << PAGE_SHIFT);
	/* Sized for all pages of the range, slightly more than the managed ones need. */
	meta_pages = (pages * sizeof(struct page_meta) + PAGE_SIZE - 1) >> PAGE_SHIFT;
	if (meta_pages >= pages) {
		return VIREO_EINVAL;
	}

	flags = spin_lock_irqsave(&pa_lock);
	if (region_count == PAGE_ALLOC_MAX_REGIONS) {
		ret = VIREO_ENOSPC;
		goto out;
	}
	/* Checked before the metadata is written, which would clobber the other region. */
	if (overlaps_existing(first, last)) {
		ret = VIREO_EINVAL;
		goto out;
	}

	r = &regions[region_count];
	r->base = first;
	r->start = first + (meta_pages << PAGE_SHIFT);
	r->page_count = pages - meta_pages;
	r->meta = (struct page_meta *)(uintptr_t)first;
	/* All-zero entries are PAGE_TAIL: nothing is a block head until carved below. */
	memset(r->meta, 0, r->page_count * sizeof(struct page_meta));
	for (unsigned int k = 0; k < ORDER_COUNT; k++) {
		r->free_head[k] = NO_PAGE;
	}
	for (uint64_t idx = 0; idx < r->page_count;) {
		unsigned int order = carve_order(r, idx);

		free_list_push(r, (uint32_t)idx, order);
		idx += 1UL << order;
	}
	pa_stats.total_pages += r->page_count;
	pa_stats.meta_pages += meta_pages;
	region_count++;
out:
	spin_unlock_irqrestore(&pa_lock, flags);
	return ret;
}

int page_alloc_get(unsigned int order, paddr_t *pa)
{
	struct region *r = NULL;
	unsigned int k;
	uint32_t idx;
	unsigned long flags;

	if (order > PAGE_ALLOC_MAX_ORDER || !pa) {
		return VIREO_EINVAL;
	}

	flags = spin_lock_irqsave(&pa_lock);
	/* Smallest sufficient block across all regions first: splitting a large block in one
	 * region while a small one sits free in another would fragment memory needlessly. */
	for (k = order; k < ORDER_COUNT && !r; k++) {
		for (unsigned int i = 0; i < region_count; i++) {
			if (regions[i].free_head[k] != NO_PAGE) {
				r = &regions[i];
				break;
			}
		}
	}
	if (!r) {
		pa_stats.failed_calls++;
		spin_unlock_irqrestore(&pa_lock, flags);
		return VIREO_ENOMEM;
	}
	k--; /* the loop stepped once past the order found */

	idx = r->free_head[k];
	free_list_remove(r, idx);
	/* Keep the lower half each time; the upper halves go back as free buddies. */
	while (k > order) {
		k--;
		free_list_push(r, idx + (1U << k), k);
	}
	r->meta[idx].state = PAGE_USED_HEAD;
	r->meta[idx].order = (uint8_t)order;
	pa_stats.alloc_calls++;
	*pa = page_addr(r, idx);
	spin_unlock_irqrestore(&pa_lock, flags);
	return 0;
}

static struct region *find_region(paddr_t pa)
{
	for (unsigned int i = 0; i < region_count; i++) {
		if (pa >= regions[i].start && pa < region_end(&regions[i])) {
			return &regions[i];
		}
	}
	return NULL;
}

int page_alloc_free(paddr_t pa, unsigned int order)
{
	struct region *r;
	struct page_meta *m;
	uint64_t start_pfn;
	uint32_t idx;
	unsigned long flags;

	if (order > PAGE_ALLOC_MAX_ORDER || !is_aligned(pa, PAGE_SIZE)) {
		return VIREO_EINVAL;
	}

	flags = spin_lock_irqsave(&pa_lock);
	/* Everything is validated before the first write, so a bad call changes nothing. */
	r = find_region(pa);
	if (!r) {
		goto invalid;
	}
	idx = (uint32_t)((pa - r->start) >> PAGE_SHIFT);
	m = &r->meta[idx];
	if (m->state != PAGE_USED_HEAD || m->order != order) {
		goto invalid;
	}

	m->state = PAGE_TAIL;
	start_pfn = r->start >> PAGE_SHIFT;
	while (order < PAGE_ALLOC_MAX_ORDER) {
		uint64_t buddy_pfn = (start_pfn + idx) ^ (1UL << order);
		uint64_t buddy;

		/* A buddy outside the region was never carved as a block. One unsigned compare
		 * covers both sides: below the start, the difference wraps to a huge value. */
		buddy = buddy_pfn - start_pfn;
		if (buddy >= r->page_count) {
			break;
		}
		if (r->meta[buddy].state != PAGE_FREE_HEAD || r->meta[buddy].order != order) {
			break;
		}
		free_list_remove(r, (uint32_t)buddy);
		if (buddy < idx) {
			idx = (uint32_t)buddy;
		}
		order++;
	}
	free_list_push(r, idx, order);
	pa_stats.free_calls++;
	spin_unlock_irqrestore(&pa_lock, flags);
	return 0;

invalid:
	spin_unlock_irqrestore(&pa_lock, flags);
	return VIREO_EINVAL;
}

int page_alloc_order_for(uint64_t bytes)
{
	/* Rounded up without computing bytes + PAGE_SIZE - 1, which could wrap. */
	uint64_t pages = (bytes >> PAGE_SHIFT) + ((bytes & (PAGE_SIZE - 1)) != 0);

	for (int order = 0; order <= PAGE_ALLOC_MAX_ORDER; order++) {
		if (pages <= (1UL << order)) {
			return order;
		}
	}
	return -1;
}

void page_alloc_get_stats(struct page_alloc_stats *stats)
{
	unsigned long flags;

	if (!stats) {
		return;
	}
	flags = spin_lock_irqsave(&pa_lock);
	*stats = pa_stats;
	stats->region_count = region_count;
	spin_unlock_irqrestore(&pa_lock, flags);
}

void page_alloc_reset(void)
{
	unsigned long flags;

	/* Tests call this between cases, never concurrently with other calls. Starting from a
	 * fresh lock lets the next case run even if a failed one left the lock held. */
	spin_lock_init(&pa_lock);
	flags = spin_lock_irqsave(&pa_lock);

	memset(regions, 0, sizeof(regions));
	memset(&pa_stats, 0, sizeof(pa_stats));
	region_count = 0;
	spin_unlock_irqrestore(&pa_lock, flags);
}
