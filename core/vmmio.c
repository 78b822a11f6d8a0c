/* SPDX-License-Identifier: GPL-2.0-only */
/** The table of emulated regions of each guest (see include/vireo/vmmio.h). */
#include <vireo/errno.h>
#include <vireo/guest.h>
#include <vireo/vmmio.h>

int vmmio_add(struct guest *g, gpaddr_t base, uint64_t size, const struct vmmio_ops *ops, void *dev)
{
	if (size == 0 || base + size < base) {
		return VIREO_EINVAL;
	}
	for (unsigned int i = 0; i < g->mmio_count; i++) {
		const struct vmmio_region *r = &g->mmio[i];
		if (base < r->base + r->size && r->base < base + size) {
			return VIREO_EEXIST;
		}
	}
	if (g->mmio_count == GUEST_MMIO_MAX) {
		return VIREO_ENOSPC;
	}
	g->mmio[g->mmio_count++] = (struct vmmio_region){base, size, ops, dev};
	return 0;
}

static bool holds(const struct vmmio_region *r, gpaddr_t gpa, unsigned int width)
{
	/* The whole access must fall inside one region; a straddling one is a fault. An address
	 * below the base wraps to a huge offset. */
	uint64_t offset = gpa - r->base;
	return offset < r->size && width <= r->size - offset;
}

const struct vmmio_region *vmmio_find(struct guest *g, gpaddr_t gpa, unsigned int width)
{
	/* A driver polls one device at a time: try the region found last first. Regions never
	 * change once the guest runs, so a hint another vCPU left is merely a miss. */
	const struct vmmio_region *hint = __atomic_load_n(&g->mmio_hint, __ATOMIC_RELAXED);
	if (hint != NULL && holds(hint, gpa, width)) {
		return hint;
	}
	for (unsigned int i = 0; i < g->mmio_count; i++) {
		const struct vmmio_region *r = &g->mmio[i];
		if (holds(r, gpa, width)) {
			__atomic_store_n(&g->mmio_hint, r, __ATOMIC_RELAXED);
			return r;
		}
	}
	return NULL;
}
