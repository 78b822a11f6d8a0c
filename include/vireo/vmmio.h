/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Emulated guest-physical regions (core/vmmio.c). A guest load or store that faults in stage 2
 * inside a region is decoded by the arch code and handed to the region's device model as one
 * access; anywhere else the guest gets the architectural access fault.
 */
#ifndef VIREO_VMMIO_H
#define VIREO_VMMIO_H

#include <vireo/types.h>

struct guest;
struct vcpu;

/** One guest access to a device register. */
struct vmmio_access {
	struct vcpu *vcpu;  /**< the vCPU doing it (device models may act on its guest) */
	uint64_t offset;    /**< from the region base */
	unsigned int width; /**< 1, 2, 4 or 8 bytes */
	bool write;
	uint64_t value; /**< written value, or the value to return for a read */
};

struct vmmio_ops {
	const char *name;
	/**
	 * Performs the access. 0, VIREO_EFAULT to give the guest an access fault, or VIREO_EAGAIN
	 * when the device cannot take it now without waiting: the vCPU leaves the exit path,
	 * sleeps briefly and the guest runs the instruction again. Called with interrupts masked:
	 * never waits for anything a guest controls.
	 */
	int (*access)(void *dev, struct vmmio_access *a);
};

struct vmmio_region {
	gpaddr_t base;
	uint64_t size;
	const struct vmmio_ops *ops;
	void *dev;
};

#define GUEST_MMIO_MAX 16

/** Adds a region to g (before it runs). VIREO_EEXIST on overlap, VIREO_ENOSPC when full. */
int vmmio_add(struct guest *g, gpaddr_t base, uint64_t size, const struct vmmio_ops *ops,
              void *dev);

/** The region holding [gpa, gpa+width), or NULL (remembers it as a hint for the next). */
const struct vmmio_region *vmmio_find(struct guest *g, gpaddr_t gpa, unsigned int width);

#endif
