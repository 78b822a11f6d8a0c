/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * G-stage page tables, Sv39x4 and Sv48x4 (Priv. spec v1.12 8.5.1). The G-stage formats are
 * Sv39 and Sv48 (4.4, 4.5) with the guest-physical address widened by 2 bits, which only the
 * root level sees: its index has 11 bits instead of 9, so the root table is 2048 entries
 * (16 KiB, 16 KiB aligned) and every other table is an ordinary 4 KiB page of 512 PTEs.
 *
 *   Sv39x4:  40      30 29    21 20    12 11        0
 *           | VPN[2]:11 | VPN[1] | VPN[0] |  offset   |      levels 2 (root), 1, 0
 *   Sv48x4:  49      39 38    30 29    21 20    12 11        0
 *           | VPN[3]:11 | VPN[2] | VPN[1] | VPN[0] |  offset   |  levels 3 (root), 2, 1, 0
 *
 * Levels are numbered as in the spec's walk (4.3.2): level 0 maps 4 KiB, level 1 2 MiB,
 * level 2 1 GiB. Leaves are made at levels 0..2 only; the walker also accepts larger ones.
 *
 * Invariants kept by every operation:
 *  - no table page below the root is ever left linked while empty (unmap frees it), so a table
 *    page exists exactly when something below it is mapped;
 *  - table_pages counts the root's 4 pages plus every linked table page; mapped_bytes is the sum
 *    of the sizes of all valid leaves; retired_pages counts the unlinked table pages not yet
 *    given back (table_free).
 */
#include <arch/gstage.h>
#include <vireo/compiler.h>
#include <vireo/errno.h>
#include <vireo/page_alloc.h>
#include <vireo/string.h>

typedef uint64_t pte_t;

/* PTE fields (Priv. spec 4.3.1 and 4.4.1, "Sv39 page table entry"). */
#define PTE_V         (UINT64_C(1) << 0)
#define PTE_R         (UINT64_C(1) << 1)
#define PTE_W         (UINT64_C(1) << 2)
#define PTE_X         (UINT64_C(1) << 3)
#define PTE_U         (UINT64_C(1) << 4)
#define PTE_G         (UINT64_C(1) << 5)
#define PTE_A         (UINT64_C(1) << 6)
#define PTE_D         (UINT64_C(1) << 7)
#define PTE_RWX       (PTE_R | PTE_W | PTE_X)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_BITS  44
#define PTE_PPN_MASK  (((UINT64_C(1) << PTE_PPN_BITS) - 1) << PTE_PPN_SHIFT)
/* Bits 63:54: reserved, or Svpbmt/Svnapot fields we do not use; software writes zeros. */
#define PTE_RESERVED_MASK (~UINT64_C(0) << 54)

_Static_assert(GSTAGE_READ << 1 == PTE_R && GSTAGE_WRITE << 1 == PTE_W && GSTAGE_EXEC << 1 == PTE_X,
               "GSTAGE_* are PTE.R/W/X shifted down by one");

#define PA_LIMIT (UINT64_C(1) << (PTE_PPN_BITS + PAGE_SHIFT)) /* 56-bit physical addresses */

#define LEVEL_BITS      9 /* index bits of every level but the root */
#define ROOT_EXTRA_BITS 2 /* 8.5.1: "widened by 2 bits", root level only */
#define TABLE_ENTRIES   (UINT64_C(1) << LEVEL_BITS)
#define ROOT_ENTRIES    (UINT64_C(1) << (LEVEL_BITS + ROOT_EXTRA_BITS))
#define ROOT_ORDER      2 /* 16 KiB = 2^2 pages, size-aligned by the buddy allocator */
#define MAX_LEVELS      4
#define MAX_LEAF_LEVEL  2 /* 1 GiB leaves; 512 GiB ones are never made */

/* hgatp for RV64 (Priv. spec 8.2.10): MODE 63:60, bits 59:58 zero, VMID 57:44, PPN 43:0. */
#define HGATP_MODE_SHIFT  60
#define HGATP_MODE_SV39X4 UINT64_C(8)
#define HGATP_MODE_SV48X4 UINT64_C(9)
#define HGATP_VMID_SHIFT  44
#define HGATP_VMID_MASK   UINT64_C(0x3fff)
#define HGATP_PPN_MASK    ((UINT64_C(1) << 44) - 1)

/* At most one split per level below the root at each end of an unmapped range. */
#define SPLIT_MAX (2 * (MAX_LEVELS - 1))

struct split {
	pte_t *pte;    /* the entry that held the large leaf */
	pte_t old;     /* the leaf itself, restored on undo */
	paddr_t table; /* the table page that replaced it */
};

struct split_log {
	unsigned int count;
	struct split entry[SPLIT_MAX];
};

static inline unsigned int level_shift(unsigned int level)
{
	return PAGE_SHIFT + LEVEL_BITS * level;
}

static inline uint64_t level_size(unsigned int level)
{
	return UINT64_C(1) << level_shift(level);
}

static inline unsigned int top_level(const struct gstage *g)
{
	return g->levels - 1;
}

/* First GPA beyond the guest-physical space: 2^41 (Sv39x4) or 2^50 (Sv48x4). */
static inline uint64_t gpa_limit(const struct gstage *g)
{
	return UINT64_C(1) << (level_shift(g->levels) + ROOT_EXTRA_BITS);
}

static inline bool gstage_ready(const struct gstage *g)
{
	return g && (g->levels == GSTAGE_LEVELS_SV39X4 || g->levels == GSTAGE_LEVELS_SV48X4) &&
	       g->root != 0;
}

static inline uint64_t level_entries(const struct gstage *g, unsigned int level)
{
	return level == top_level(g) ? ROOT_ENTRIES : TABLE_ENTRIES;
}

/* VPN[level] of gpa: the index into a table of that level. */
static inline size_t pte_index(const struct gstage *g, gpaddr_t gpa, unsigned int level)
{
	return (size_t)((gpa >> level_shift(level)) & (level_entries(g, level) - 1));
}

static inline pte_t *table_of(paddr_t pa)
{
	return (pte_t *)(uintptr_t)pa; /* identity-mapped hypervisor */
}

/* Single 64-bit accesses: a hart walking the table concurrently never sees a torn entry, and
 * the release store orders a new table's zeroing and filling before the entry linking it. */
static inline pte_t pte_read(const pte_t *pte)
{
	return __atomic_load_n(pte, __ATOMIC_RELAXED);
}

static inline void pte_write(pte_t *pte, pte_t val)
{
	__atomic_store_n(pte, val, __ATOMIC_RELEASE);
}

/* 4.3.1: a valid PTE with R, W and X all zero points to the next level. */
static inline bool pte_is_leaf(pte_t pte)
{
	return (pte & PTE_RWX) != 0;
}

static inline paddr_t pte_addr(pte_t pte)
{
	return ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << PAGE_SHIFT;
}

static inline pte_t pte_ppn(paddr_t pa)
{
	return ((pa >> PAGE_SHIFT) << PTE_PPN_SHIFT) & PTE_PPN_MASK;
}

/* 4.4.1: "For non-leaf PTEs, the D, A, and U bits are reserved" and cleared by software; 8.5.1:
 * the G bit of G-stage PTEs is unused and cleared by software. */
static inline pte_t make_table_pte(paddr_t table)
{
	return PTE_V | pte_ppn(table);
}

/* 8.5.1: G-stage accesses are checked as U-mode accesses, so leaves need U=1. A and D are set
 * up front so the hart never takes a fault (Svade) or does an update to mark them. */
static inline pte_t make_leaf_pte(paddr_t hpa, unsigned int prot)
{
	return PTE_V | PTE_U | PTE_A | PTE_D | (pte_t)prot << 1 | pte_ppn(hpa);
}

static int table_alloc(struct gstage *g, paddr_t *pa)
{
	int ret = page_alloc_get(0, pa);

	if (ret) {
		return ret;
	}
	memset(table_of(*pa), 0, PAGE_SIZE);
	g->table_pages++;
	return 0;
}

/*
 * A table page unlinked from the tree may still sit in a hart's address-translation caches
 * until every hart has done an HFENCE.GVMA: it is retired, not freed, until the owner says the
 * fences are done (gstage_free_retired). The list is linked through each page's first entry;
 * page addresses are 4 KiB aligned, so a hart that still walks the page reads it as invalid.
 */
static void table_free(struct gstage *g, paddr_t pa)
{
	pte_write(table_of(pa), (pte_t)g->retired);
	g->retired = pa;
	g->retired_pages++;
	g->table_pages--;
}

static bool table_is_empty(paddr_t table)
{
	const pte_t *t = table_of(table);

	for (size_t i = 0; i < TABLE_ENTRIES; i++) {
		if (pte_read(&t[i]) & PTE_V) {
			return false;
		}
	}
	return true;
}

/* End of the entry of size `size` holding `a`, clipped to `end`. Never wraps: a < 2^50. */
static inline gpaddr_t entry_end(gpaddr_t a, uint64_t size, gpaddr_t end)
{
	return min_u64(align_down(a, size) + size, end);
}

/* True if any valid leaf covers part of [start, end) below this table of the given level. */
static bool range_has_mapping(const struct gstage *g, paddr_t table, unsigned int level,
                              gpaddr_t start, gpaddr_t end)
{
	const pte_t *t = table_of(table);

	for (gpaddr_t a = start; a < end;) {
		gpaddr_t next = entry_end(a, level_size(level), end);
		pte_t pte = pte_read(&t[pte_index(g, a, level)]);

		if (pte & PTE_V) {
			/* A pointer at level 0 is malformed; count it as mapped, never descend. */
			if (pte_is_leaf(pte) || level == 0) {
				return true;
			}
			if (range_has_mapping(g, pte_addr(pte), level - 1, a, next)) {
				return true;
			}
		}
		a = next;
	}
	return false;
}

/*
 * Clears every leaf inside [start, end) below this table and frees the tables left empty.
 * Callers guarantee that no leaf straddles start or end (split_at() or an empty range before
 * the mapping), so each leaf met here lies wholly inside the range.
 */
static void unmap_walk(struct gstage *g, paddr_t table, unsigned int level, gpaddr_t start,
                       gpaddr_t end)
{
	pte_t *t = table_of(table);
	uint64_t size = level_size(level);

	for (gpaddr_t a = start; a < end;) {
		gpaddr_t next = entry_end(a, size, end);
		pte_t *pte = &t[pte_index(g, a, level)];
		pte_t val = pte_read(pte);

		if (!(val & PTE_V)) {
			a = next; /* a hole */
			continue;
		}
		if (pte_is_leaf(val)) {
			if (next - a == size) {
				pte_write(pte, 0);
				g->mapped_bytes -= size;
			}
		} else if (level > 0) {
			paddr_t child = pte_addr(val);

			unmap_walk(g, child, level - 1, a, next);
			if (table_is_empty(child)) {
				pte_write(pte, 0);
				table_free(g, child);
			}
		}
		a = next;
	}
}

/* Leaf level for the chunk at gpa/hpa with `left` bytes to go: the largest both are aligned to
 * and that fits. */
static unsigned int leaf_level_for(gpaddr_t gpa, paddr_t hpa, uint64_t left)
{
	for (unsigned int level = MAX_LEAF_LEVEL; level > 0; level--) {
		uint64_t size = level_size(level);

		if (is_aligned(gpa, size) && is_aligned(hpa, size) && left >= size) {
			return level;
		}
	}
	return 0;
}

/* Installs one leaf at leaf_level for gpa, creating the tables above it. The range was checked
 * empty, so every valid entry met on the way down is a pointer. */
static int install_leaf(struct gstage *g, gpaddr_t gpa, pte_t leaf, unsigned int leaf_level)
{
	pte_t *t = table_of(g->root);

	for (unsigned int level = top_level(g); level > leaf_level; level--) {
		pte_t *pte = &t[pte_index(g, gpa, level)];
		pte_t val = pte_read(pte);

		if (!(val & PTE_V)) {
			paddr_t table;
			int ret = table_alloc(g, &table);

			if (ret) {
				return ret;
			}
			val = make_table_pte(table);
			pte_write(pte, val);
		}
		t = table_of(pte_addr(val));
	}
	pte_write(&t[pte_index(g, gpa, leaf_level)], leaf);
	g->mapped_bytes += level_size(leaf_level);
	return 0;
}

static bool prot_valid(unsigned int prot)
{
	/* 4.3.1: R=0 with W=1 is reserved; no bits at all would make a pointer. */
	return prot != 0 && (prot & ~(GSTAGE_READ | GSTAGE_WRITE | GSTAGE_EXEC)) == 0 &&
	       !((prot & GSTAGE_WRITE) && !(prot & GSTAGE_READ));
}

static bool gpa_range_valid(const struct gstage *g, gpaddr_t gpa, uint64_t size)
{
	uint64_t limit = gpa_limit(g);

	return size != 0 && is_aligned(gpa, PAGE_SIZE) && is_aligned(size, PAGE_SIZE) &&
	       gpa < limit && size <= limit - gpa;
}

int gstage_init(struct gstage *g, unsigned int levels)
{
	paddr_t root;
	int ret;

	if (!g || (levels != GSTAGE_LEVELS_SV39X4 && levels != GSTAGE_LEVELS_SV48X4)) {
		return VIREO_EINVAL;
	}
	ret = page_alloc_get(ROOT_ORDER, &root);
	if (ret) {
		return ret;
	}
	memset(table_of(root), 0, PAGE_SIZE << ROOT_ORDER);
	g->root = root;
	g->levels = levels;
	g->table_pages = 1U << ROOT_ORDER;
	g->mapped_bytes = 0;
	g->retired = 0;
	g->retired_pages = 0;
	return 0;
}

int gstage_map(struct gstage *g, gpaddr_t gpa, paddr_t hpa, uint64_t size, unsigned int prot)
{
	if (!gstage_ready(g) || !gpa_range_valid(g, gpa, size) || !is_aligned(hpa, PAGE_SIZE) ||
	    hpa >= PA_LIMIT || size > PA_LIMIT - hpa || !prot_valid(prot)) {
		return VIREO_EINVAL;
	}
	if (range_has_mapping(g, g->root, top_level(g), gpa, gpa + size)) {
		return VIREO_EEXIST;
	}
	for (uint64_t off = 0; off < size;) {
		unsigned int level = leaf_level_for(gpa + off, hpa + off, size - off);
		int ret = install_leaf(g, gpa + off, make_leaf_pte(hpa + off, prot), level);

		if (ret) {
			/* The range was empty, so clearing all of it removes exactly this call's
			 * leaves, and the tables left empty (the one just linked included) go too. */
			unmap_walk(g, g->root, top_level(g), gpa, gpa + size);
			return ret;
		}
		off += level_size(level);
	}
	return 0;
}

/* Replaces the large leaf at *pte (of the given level) by a table of leaves one level down
 * that map the same memory with the same bits: translations do not change. */
static int split_leaf(struct gstage *g, pte_t *pte, unsigned int level, struct split_log *log)
{
	pte_t old = pte_read(pte);
	pte_t bits = old & ~PTE_PPN_MASK;
	paddr_t hpa = pte_addr(old), table;
	uint64_t child_size = level_size(level - 1);
	pte_t *t;
	int ret;

	ret = table_alloc(g, &table);
	if (ret) {
		return ret;
	}
	t = table_of(table);
	for (size_t i = 0; i < TABLE_ENTRIES; i++) {
		t[i] = bits | pte_ppn(hpa + i * child_size);
	}
	pte_write(pte, make_table_pte(table));
	log->entry[log->count++] = (struct split){pte, old, table};
	return 0;
}

/* Splits leaves until none straddles gpa, i.e. until gpa starts an entry at every level. */
static int split_at(struct gstage *g, gpaddr_t gpa, struct split_log *log)
{
	pte_t *t = table_of(g->root);

	for (unsigned int level = top_level(g); level > 0; level--) {
		pte_t *pte = &t[pte_index(g, gpa, level)];
		pte_t val = pte_read(pte);

		if (!(val & PTE_V)) {
			return 0;
		}
		if (pte_is_leaf(val)) {
			int ret;

			if (is_aligned(gpa, level_size(level))) {
				return 0;
			}
			ret = split_leaf(g, pte, level, log);
			if (ret) {
				return ret;
			}
			val = pte_read(pte);
		}
		t = table_of(pte_addr(val));
	}
	return 0;
}

/* Puts back the large leaves, newest split first: a later split may sit in an earlier one's
 * table, which is freed only after it. */
static void split_undo(struct gstage *g, struct split_log *log)
{
	while (log->count > 0) {
		log->count--;
		pte_write(log->entry[log->count].pte, log->entry[log->count].old);
		table_free(g, log->entry[log->count].table);
	}
}

int gstage_unmap(struct gstage *g, gpaddr_t gpa, uint64_t size)
{
	struct split_log log;
	gpaddr_t end;
	int ret;

	if (!gstage_ready(g) || !gpa_range_valid(g, gpa, size)) {
		return VIREO_EINVAL;
	}
	end = gpa + size;
	/* Phase 1 splits the (at most two) leaves that straddle an end of the range and can be
	 * undone exactly; phase 2 only clears and frees, and cannot fail. At the very end of the
	 * space nothing straddles `end`, and its index would wrap to entry 0. */
	log.count = 0;
	ret = split_at(g, gpa, &log);
	if (ret == 0 && end < gpa_limit(g)) {
		ret = split_at(g, end, &log);
	}
	if (ret) {
		split_undo(g, &log);
		return ret;
	}
	unmap_walk(g, g->root, top_level(g), gpa, end);
	return 0;
}

int gstage_translate(const struct gstage *g, gpaddr_t gpa, paddr_t *hpa, unsigned int *prot)
{
	const pte_t *t;
	unsigned int level;
	pte_t pte;
	uint64_t size;

	if (!gstage_ready(g)) {
		return VIREO_EINVAL;
	}
	/* 8.5.1: GPA bits above bit 40 (Sv39x4) or 49 (Sv48x4) must be zero, or the access takes
	 * a guest-page fault. */
	if (gpa >= gpa_limit(g)) {
		return VIREO_ENOENT;
	}
	/* 4.3.2, steps 2-5, with hgatp in place of satp. */
	t = table_of(g->root);
	for (level = top_level(g);; level--) {
		pte = pte_read(&t[pte_index(g, gpa, level)]);
		if (!(pte & PTE_V) || ((pte & PTE_W) && !(pte & PTE_R)) ||
		    (pte & PTE_RESERVED_MASK)) {
			return VIREO_ENOENT;
		}
		if (pte_is_leaf(pte)) {
			break;
		}
		if (level == 0) {
			return VIREO_ENOENT; /* step 4: a pointer at the last level */
		}
		t = table_of(pte_addr(pte));
	}
	size = level_size(level);
	/* 8.5.1: checked as a U-mode access, so U=0 faults. Step 6: a misaligned superpage
	 * faults. Step 7 with Svade: A=0 faults every access, D=0 every write. */
	if (!(pte & PTE_U) || !is_aligned(pte_addr(pte), size) || !(pte & PTE_A)) {
		return VIREO_ENOENT;
	}
	if (hpa) {
		*hpa = pte_addr(pte) | (gpa & (size - 1));
	}
	if (prot) {
		*prot =
		    (unsigned int)((pte & PTE_RWX) >> 1) & ((pte & PTE_D) ? ~0u : ~GSTAGE_WRITE);
	}
	return 0;
}

static void free_tables(struct gstage *g, paddr_t table, unsigned int level)
{
	const pte_t *t = table_of(table);

	for (size_t i = 0; i < level_entries(g, level); i++) {
		pte_t pte = pte_read(&t[i]);

		if ((pte & PTE_V) && !pte_is_leaf(pte) && level > 0) {
			free_tables(g, pte_addr(pte), level - 1);
			table_free(g, pte_addr(pte));
		}
	}
}

void gstage_free_retired(struct gstage *g)
{
	while (g->retired) {
		paddr_t pa = g->retired;
		g->retired = (paddr_t)pte_read(table_of(pa));
		(void)page_alloc_free(pa, 0);
		g->retired_pages--;
	}
}

void gstage_destroy(struct gstage *g)
{
	if (!gstage_ready(g)) {
		return;
	}
	free_tables(g, g->root, top_level(g));
	gstage_free_retired(g);
	(void)page_alloc_free(g->root, ROOT_ORDER);
	memset(g, 0, sizeof(*g));
}

uint64_t gstage_hgatp(const struct gstage *g, unsigned int vmid)
{
	uint64_t mode;

	if (!gstage_ready(g)) {
		return 0;
	}
	mode = g->levels == GSTAGE_LEVELS_SV39X4 ? HGATP_MODE_SV39X4 : HGATP_MODE_SV48X4;
	return (mode << HGATP_MODE_SHIFT) |
	       (((uint64_t)vmid & HGATP_VMID_MASK) << HGATP_VMID_SHIFT) |
	       ((g->root >> PAGE_SHIFT) & HGATP_PPN_MASK);
}
