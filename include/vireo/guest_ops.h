/* SPDX-License-Identifier: GPL-2.0-only */
/** Creating, controlling and destroying guests (core/guest.c). Thread context only. */
#ifndef VIREO_GUEST_OPS_H
#define VIREO_GUEST_OPS_H

#include <vireo/guest.h>

#define VCPU_AFFINITY_ANY 0xffffffffU

struct guest_params {
	const char *name;
	unsigned int vcpu_count;
	uint64_t ram_size; /**< multiple of 2 MiB */
	unsigned int prio[GUEST_MAX_VCPUS];
	nsec_t slice[GUEST_MAX_VCPUS];
	unsigned int affinity[GUEST_MAX_VCPUS]; /**< host cpu, or VCPU_AFFINITY_ANY */
	struct guest_images images;
	const struct guest_device_config *devices; /**< VirtIO devices (validated configuration) */
	unsigned int device_count;
};

/**
 * Creates a guest in the RESET state: RAM allocated, zeroed and mapped, images loaded, vCPU
 * threads parked. Returns the guest, or NULL with *err (VIREO_EEXIST name taken, VIREO_ENOMEM,
 * VIREO_ENOSPC too many guests, VIREO_EINVAL bad parameters or images that do not fit).
 */
struct guest *guest_create(const struct guest_params *p, int *err);

/** Stops every vCPU, frees RAM, tables and threads. 0 or VIREO_EBUSY (vCPUs did not stop). */
int guest_destroy(struct guest *g);

/** RESET -> RUNNING: boot hart 0 starts at the kernel. VIREO_EBUSY in another state. */
int guest_kick(struct guest *g);
/** RUNNING -> PAUSED, returning once every vCPU has left the guest. */
int guest_pause(struct guest *g);
/** PAUSED -> RUNNING. */
int guest_resume(struct guest *g);
/** Any running state -> HALTED with reason "halted from the shell". */
int guest_halt(struct guest *g);
/** Any state -> RESET: vCPUs stopped, RAM cleared and images reloaded. */
int guest_reset(struct guest *g);

/**
 * Called by a vCPU thread: halts the guest with a reason (guest shutdown, fatal error);
 * failure marks an unclean end (for vireo.exit_with). Only a running or paused guest is
 * halted: a halt, reset or destroy from the shell that came first stays as it is.
 */
void guest_stop(struct guest *g, const char *reason, bool failure);
/**
 * Called by a vCPU thread: the guest asked to reboot; done asynchronously (reset + kick).
 * Ignored, like guest_stop(), unless the guest is running or paused.
 */
void guest_request_reboot(struct guest *g);

/** Looks a guest up by name, NULL if none. */
struct guest *guest_find(const char *name);
/** Guests in creation order: index 0.., NULL past the last. */
struct guest *guest_at(unsigned int index);
const char *guest_state_name(enum guest_state s);

#endif
