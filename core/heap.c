/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor heap: one arena cut into blocks that tile it without gaps.
 *
 *   arena_base                                                            arena_end
 *   | hdr | payload ...     | hdr | payload ... | hdr | payload ...          |
 *   |<----- size -------->|<--- size ------->|<------- size ----------->|
 *
 * Every block starts with a header holding its size, the size of the block just below it
 * (prev_size) and a magic value. size finds the next block and prev_size the previous one, so
 * a free block merges with both neighbours in O(1) without a footer. Free blocks are also kept
 * on a doubly linked list in address order, whose links live in the free block's payload;
 * first-fit over an address-ordered list tends to keep the low end of the arena packed and the
 * large free space at the top in one piece.
 *
 * Locking: one lock, taken with interrupts masked since interrupt handlers may allocate. No
 * other lock is taken while it is held.
 */
#include <vireo/heap.h>
#include <vireo/compiler.h>
#include <vireo/errno.h>
#include <vireo/spinlock.h>
#include <vireo/string.h>

#define HEAP_MAGIC 0x56524850U /* "VRHP" */
#define ALIGN_SZ   ((size_t)HEAP_ALIGN)

struct heap_hdr {
	size_t size;       /* whole block in bytes, header included; a multiple of HEAP_ALIGN */
	size_t prev_size;  /* size of the block just below, 0 for the block at arena_base */
	uint32_t magic;    /* HEAP_MAGIC in a live header, 0 once merged into a neighbour */
	uint32_t in_use;   /* exactly 1 when allocated, 0 when free */
	size_t size_check; /* ~size: catches a header overwritten by the block below it */
} __aligned(HEAP_ALIGN);

/* Stored at the start of a free block's payload. */
struct heap_links {
	struct heap_hdr *next;
	struct heap_hdr *prev;
};

#define HDR_SZ sizeof(struct heap_hdr)
/* Smallest block: a header plus one aligned payload unit, which must hold the list links. */
#define MIN_BLOCK (HDR_SZ + ALIGN_SZ)

_Static_assert(sizeof(struct heap_hdr) % HEAP_ALIGN == 0, "payloads must stay aligned");
_Static_assert(sizeof(struct heap_links) <= HEAP_ALIGN, "links must fit a minimal payload");

static spinlock_t heap_lock = SPINLOCK_INIT;
static uintptr_t arena_base;
static uintptr_t arena_end;
static struct heap_hdr *free_list;
static struct heap_stats heap_st;

static inline struct heap_links *links_of(struct heap_hdr *h)
{
	return (struct heap_links *)(void *)(h + 1);
}

static inline struct heap_hdr *next_block(struct heap_hdr *h)
{
	uintptr_t n = (uintptr_t)h + h->size;

	return n < arena_end ? (struct heap_hdr *)n : NULL;
}

static inline struct heap_hdr *prev_block(struct heap_hdr *h)
{
	return h->prev_size ? (struct heap_hdr *)((uintptr_t)h - h->prev_size) : NULL;
}

static inline void set_size(struct heap_hdr *h, size_t size)
{
	h->size = size;
	h->size_check = ~size;
}

static void write_header(struct heap_hdr *h, size_t size, size_t prev_size, uint32_t in_use)
{
	set_size(h, size);
	h->prev_size = prev_size;
	h->magic = HEAP_MAGIC;
	h->in_use = in_use;
}

/* A header swallowed by a merge must not pass validation if a stale pointer comes back. */
static inline void poison(struct heap_hdr *h)
{
	h->magic = 0;
	h->in_use = 0;
}

/* Tells the block above h (if any) how large h now is. */
static inline void fix_next_prev_size(struct heap_hdr *h)
{
	struct heap_hdr *n = next_block(h);

	if (n) {
		n->prev_size = h->size;
	}
}

static void free_list_insert_after(struct heap_hdr *pos, struct heap_hdr *h)
{
	struct heap_links *l = links_of(h);

	l->prev = pos;
	l->next = pos ? links_of(pos)->next : free_list;
	if (l->next) {
		links_of(l->next)->prev = h;
	}
	if (pos) {
		links_of(pos)->next = h;
	} else {
		free_list = h;
	}
}

static void free_list_unlink(struct heap_hdr *h)
{
	struct heap_links *l = links_of(h);

	if (l->prev) {
		links_of(l->prev)->next = l->next;
	} else {
		free_list = l->next;
	}
	if (l->next) {
		links_of(l->next)->prev = l->prev;
	}
}

/* Puts repl in old's list position; valid when no other free block lies between the two. */
static void free_list_replace(struct heap_hdr *old, struct heap_hdr *repl)
{
	struct heap_links lo = *links_of(old);

	*links_of(repl) = lo;
	if (lo.prev) {
		links_of(lo.prev)->next = repl;
	} else {
		free_list = repl;
	}
	if (lo.next) {
		links_of(lo.next)->prev = repl;
	}
}

int heap_init(void *base, size_t size)
{
	uintptr_t b = (uintptr_t)base;
	struct heap_hdr *h = base;
	unsigned long flags;

	size &= ~(ALIGN_SZ - 1);
	if (!base || !is_aligned(b, HEAP_ALIGN) || size < MIN_BLOCK || b > UINTPTR_MAX - size) {
		return VIREO_EINVAL;
	}

	/* heap_init comes before any other heap call (at boot, or at the start of a host test),
	 * so it starts from a fresh lock; a test that failed inside a locked section cannot then
	 * hang the next one. */
	spin_lock_init(&heap_lock);
	flags = spin_lock_irqsave(&heap_lock);
	arena_base = b;
	arena_end = b + size;
	write_header(h, size, 0, 0);
	links_of(h)->next = NULL;
	links_of(h)->prev = NULL;
	free_list = h;
	memset(&heap_st, 0, sizeof(heap_st));
	heap_st.arena_size = size;
	spin_unlock_irqrestore(&heap_lock, flags);
	return 0;
}

void *heap_alloc(size_t size)
{
	struct heap_hdr *h;
	size_t need, rest;
	unsigned long flags;

	/* Size 0 is a caller asking for nothing, not memory pressure: not counted as a failure. */
	if (size == 0) {
		return NULL;
	}

	flags = spin_lock_irqsave(&heap_lock);
	/* Rounding and adding the header must not wrap to a small size. */
	if (size > SIZE_MAX - HDR_SZ - (ALIGN_SZ - 1)) {
		goto fail;
	}
	need = ((size + ALIGN_SZ - 1) & ~(ALIGN_SZ - 1)) + HDR_SZ;

	for (h = free_list; h; h = links_of(h)->next) {
		if (h->size >= need) {
			break;
		}
	}
	if (!h) {
		goto fail;
	}

	rest = h->size - need;
	if (rest >= MIN_BLOCK) {
		/* Allocate from the low end; the remainder sits where h was in address order. */
		struct heap_hdr *r = (struct heap_hdr *)((uintptr_t)h + need);

		write_header(r, rest, need, 0);
		free_list_replace(h, r);
		set_size(h, need);
		fix_next_prev_size(r);
	} else {
		/* Too small a remainder to be a block of its own: hand out the whole block. */
		free_list_unlink(h);
	}
	h->in_use = 1;

	heap_st.used_bytes += h->size;
	if (heap_st.used_bytes > heap_st.peak_used_bytes) {
		heap_st.peak_used_bytes = heap_st.used_bytes;
	}
	heap_st.live_blocks++;
	heap_st.alloc_count++;
	spin_unlock_irqrestore(&heap_lock, flags);
	return h + 1;

fail:
	heap_st.fail_count++;
	spin_unlock_irqrestore(&heap_lock, flags);
	return NULL;
}

void *heap_zalloc(size_t size)
{
	void *p = heap_alloc(size);

	if (p) {
		memset(p, 0, size);
	}
	return p;
}

/*
 * Returns the header of ptr if ptr is the payload of a live allocated block, else NULL.
 * Besides the block's own header, the neighbours must agree with it (the block below has
 * size == prev_size, the block above has prev_size == size): a pointer into the middle of a
 * payload, even one holding a copy of a real header, fails these cross-checks.
 */
static struct heap_hdr *validate(void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;
	struct heap_hdr *h, *prev, *next;
	uintptr_t hp;

	if (p < arena_base + HDR_SZ || p >= arena_end || !is_aligned(p, HEAP_ALIGN)) {
		return NULL;
	}
	hp = p - HDR_SZ;
	h = (struct heap_hdr *)hp;
	if (h->magic != HEAP_MAGIC || h->in_use != 1 || h->size_check != ~h->size) {
		return NULL;
	}
	if (h->size < MIN_BLOCK || !is_aligned(h->size, HEAP_ALIGN) || h->size > arena_end - hp) {
		return NULL;
	}
	if (hp == arena_base) {
		if (h->prev_size != 0) {
			return NULL;
		}
	} else {
		if (h->prev_size < MIN_BLOCK || !is_aligned(h->prev_size, HEAP_ALIGN) ||
		    h->prev_size > hp - arena_base) {
			return NULL;
		}
		prev = prev_block(h);
		if (prev->magic != HEAP_MAGIC || prev->size != h->prev_size) {
			return NULL;
		}
	}
	next = next_block(h);
	if (next && (next->magic != HEAP_MAGIC || next->prev_size != h->size)) {
		return NULL;
	}
	return h;
}

int heap_free(void *ptr)
{
	struct heap_hdr *h, *prev, *next, *pos;
	unsigned long flags;
	bool prev_free, next_free;

	if (!ptr) {
		return 0;
	}

	flags = spin_lock_irqsave(&heap_lock);
	h = validate(ptr);
	if (!h) {
		spin_unlock_irqrestore(&heap_lock, flags);
		return VIREO_EINVAL;
	}

	heap_st.used_bytes -= h->size;
	heap_st.live_blocks--;
	heap_st.free_count++;
	h->in_use = 0;

	prev = prev_block(h);
	next = next_block(h);
	prev_free = prev && !prev->in_use;
	next_free = next && !next->in_use;

	/* In every merge case the surviving free block keeps a list position that is already
	 * correct in address order, so only the no-merge case has to search the list. */
	if (prev_free && next_free) {
		free_list_unlink(next);
		set_size(prev, prev->size + h->size + next->size);
		poison(h);
		poison(next);
		fix_next_prev_size(prev);
	} else if (prev_free) {
		set_size(prev, prev->size + h->size);
		poison(h);
		fix_next_prev_size(prev);
	} else if (next_free) {
		free_list_replace(next, h);
		set_size(h, h->size + next->size);
		poison(next);
		fix_next_prev_size(h);
	} else {
		pos = NULL;
		for (struct heap_hdr *f = free_list; f && (uintptr_t)f < (uintptr_t)h;
		     f = links_of(f)->next) {
			pos = f;
		}
		free_list_insert_after(pos, h);
	}
	spin_unlock_irqrestore(&heap_lock, flags);
	return 0;
}

void heap_get_stats(struct heap_stats *stats)
{
	unsigned long flags;
	size_t largest = 0;

	if (!stats) {
		return;
	}
	flags = spin_lock_irqsave(&heap_lock);
	/* A walk of the free list: stats are read rarely (shell, tests), allocations often. */
	for (struct heap_hdr *f = free_list; f; f = links_of(f)->next) {
		if (f->size - HDR_SZ > largest) {
			largest = f->size - HDR_SZ;
		}
	}
	*stats = heap_st;
	stats->free_bytes = heap_st.arena_size - heap_st.used_bytes;
	stats->largest_free = largest;
	spin_unlock_irqrestore(&heap_lock, flags);
}
