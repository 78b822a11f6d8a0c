/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * G-stage (guest-physical to host-physical) page tables of the RISC-V H extension, Sv39x4 and
 * Sv48x4 (Priv. spec v1.12 8.5.1 "Guest Physical Address Translation"). Pure data-structure
 * code: it builds and edits the tables in memory and never touches a CSR, so it also runs in
 * the host unit tests. Table pages come from the page allocator and are reached through the
 * hypervisor's identity mapping.
 *
 * Not thread-safe: the owner of a table (its guest) serializes map, unmap and destroy; translate
 * may run concurrently with nothing but other translates. PTEs are written with single 64-bit
 * release stores, so a hart walking the table meanwhile sees either the old or the new entry,
 * and a new table page is zeroed before it is linked. The caller issues HFENCE.GVMA after
 * unmapping (or changing) anything a hart may have cached.
 */
#ifndef ARCH_RISCV_GSTAGE_H
#define ARCH_RISCV_GSTAGE_H

#include <vireo/types.h>

#define GSTAGE_READ  1u /**< guest may read (PTE.R) */
#define GSTAGE_WRITE 2u /**< guest may write (PTE.W); requires GSTAGE_READ */
#define GSTAGE_EXEC  4u /**< guest may execute (PTE.X) */

#define GSTAGE_LEVELS_SV39X4 3u /**< 41-bit guest-physical space, hgatp.MODE 8 */
#define GSTAGE_LEVELS_SV48X4 4u /**< 50-bit guest-physical space, hgatp.MODE 9 */

/** One guest's G-stage table. All fields are read-only outside arch/riscv/gstage.c. */
struct gstage {
	paddr_t root;           /**< 16 KiB root table, 16 KiB aligned (page_alloc order 2) */
	unsigned int levels;    /**< 3 = Sv39x4, 4 = Sv48x4; 0 before init and after destroy */
	uint64_t table_pages;   /**< page-table pages in use, including the root's 4 */
	uint64_t mapped_bytes;  /**< bytes currently mapped */
	paddr_t retired;        /**< unlinked table pages awaiting the fences (a list), or 0 */
	uint64_t retired_pages; /**< pages on that list */
};

/**
 * Allocates and zeroes the root table for a G-stage of `levels` levels (3 or 4). Returns 0,
 * VIREO_EINVAL (NULL g or another level count) or VIREO_ENOMEM.
 */
int gstage_init(struct gstage *g, unsigned int levels);

/**
 * Maps [gpa, gpa+size) to [hpa, hpa+size) with prot (GSTAGE_* bits: not 0, and not WRITE
 * without READ, which the PTE encoding reserves). gpa, hpa and size are 4 KiB aligned, size > 0,
 * the GPA range lies inside this mode's guest-physical space (2^41 or 2^50 bytes) and the HPA
 * range inside the 56-bit physical space: otherwise VIREO_EINVAL. A range overlapping an
 * existing mapping is refused with VIREO_EEXIST and nothing changed.
 *
 * Uses 1 GiB leaves wherever gpa and hpa are both 1 GiB aligned for a whole 1 GiB chunk, 2 MiB
 * leaves likewise, 4 KiB leaves elsewhere. On VIREO_ENOMEM everything this call mapped is
 * undone and every table page it took is unlinked and retired (gstage_free_retired). Without Svvptc a hart may keep faulting on
 * the new range until an HFENCE.GVMA, so map before the guest runs or fence afterwards.
 */
int gstage_map(struct gstage *g, gpaddr_t gpa, paddr_t hpa, uint64_t size, unsigned int prot);

/**
 * Unmaps [gpa, gpa+size) (4 KiB aligned, size > 0, inside the guest-physical space, otherwise
 * VIREO_EINVAL). Unmapped holes in the range are fine. A large leaf only partly inside the
 * range is first split into smaller leaves; if a split cannot get a table page the call
 * returns VIREO_ENOMEM and nothing is changed. Table pages left empty are freed. Returns 0 or
 * VIREO_E*. The caller issues HFENCE.GVMA for the range (and VMID) afterwards.
 *
 * Table pages left empty are unlinked but not given back: a hart may still hold them in its
 * address-translation caches until that fence, so they wait on the retired list until the
 * caller, once every hart has fenced, calls gstage_free_retired(). The same holds for the
 * tables an undone split or a failed map unlinks. No vCPU of this guest may run between the
 * unmap and the completed fence on every hart that ran it: pause, unmap, fence, resume.
 */
int gstage_unmap(struct gstage *g, gpaddr_t gpa, uint64_t size);

/** Gives the retired table pages back to the page allocator: every hart has fenced since. */
void gstage_free_retired(struct gstage *g);

/**
 * Walks the table as the hardware would (Priv. spec 4.3.2 with the 8.5.1 changes). Returns 0
 * with *hpa (the host-physical address of gpa itself, not just its page) and *prot (GSTAGE_*),
 * either of which may be NULL, or VIREO_ENOENT if the access would take a guest-page fault
 * whatever its type (unmapped, or gpa outside the guest-physical space). VIREO_EINVAL if g is
 * NULL or not initialized.
 */
int gstage_translate(const struct gstage *g, gpaddr_t gpa, paddr_t *hpa, unsigned int *prot);

/**
 * Frees every table page, root and retired ones included (not the mapped memory), and leaves *g
 * zeroed. Safe on a zeroed or already destroyed struct gstage. No hart may use the table any
 * more: every hart has fenced since the last vCPU of its guest left it.
 */
void gstage_destroy(struct gstage *g);

/**
 * The hgatp value for this table (Priv. spec 8.2.10): MODE 8 (Sv39x4) or 9 (Sv48x4) in bits
 * 63:60, vmid in the VMID field, bits 57:44 (vmid is truncated to those 14 bits; the hart may
 * implement fewer, see VMIDLEN), root PPN in bits 43:0. 0 (Bare) for an uninitialized table.
 */
uint64_t gstage_hgatp(const struct gstage *g, unsigned int vmid);

#endif
