/* SPDX-License-Identifier: GPL-2.0-only */
/** Basic fixed-width types and the address types Vireo keeps apart. */
#ifndef VIREO_TYPES_H
#define VIREO_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Host-physical address. The hypervisor runs identity-mapped (satp = Bare). */
typedef uint64_t paddr_t;
/** Guest-physical address (stage-2 input). */
typedef uint64_t gpaddr_t;
/** Hypervisor virtual address. */
typedef uintptr_t vaddr_t;

/** Nanoseconds on the monotonic clock. */
typedef uint64_t nsec_t;

#endif
