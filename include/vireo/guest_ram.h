/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest RAM cleared on first use (core/guest_ram.c). A guest's RAM is allocated when it is
 * created, but each 2 MiB chunk is cleared and mapped in stage 2 only when something first
 * touches it: the guest (a stage-2 fault), the loader writing images, or a device model through
 * struct gmem. Until then the chunk is not mapped, so nothing of a previous owner can be read
 * through it. A reset forgets every chunk again.
 */
#ifndef VIREO_GUEST_RAM_H
#define VIREO_GUEST_RAM_H

#include <vireo/types.h>

#define GUEST_RAM_CHUNK (2ULL << 20) /**< one G-stage megapage */

struct guest;

/**
 * Makes the chunk holding gpa cleared and mapped. 0 if this call did it, VIREO_EEXIST if it
 * already was, VIREO_EFAULT if gpa is not guest RAM, VIREO_ENOMEM (or another VIREO_E*) if the
 * stage-2 tables could not take the mapping. Any thread; takes the
 * guest's RAM lock.
 */
int guest_ram_ready(struct guest *g, gpaddr_t gpa);

/**
 * Host address of [gpa, gpa + len), made ready, if the range is guest RAM inside one chunk;
 * else NULL.
 */
void *guest_ram_host(struct guest *g, gpaddr_t gpa, uint64_t len);

/** Unmaps every chunk and forgets it was cleared (reset; no vCPU of g may run). */
void guest_ram_forget(struct guest *g);

#endif
