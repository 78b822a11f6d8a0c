/* SPDX-License-Identifier: GPL-2.0-only */
/** vCPU threads and the operations other vCPUs and the shell perform on them (core/vcpu.c). */
#ifndef VIREO_VCPU_H
#define VIREO_VCPU_H

#include <vireo/guest.h>

/** The vCPU with guest hart id hartid, or NULL. */
struct vcpu *guest_vcpu(struct guest *g, unsigned long hartid);

/** Makes v look at its state again soon: wakes its thread and, if it is in the guest on
 *  another hart, forces an exit there. Any context. */
void vcpu_kick(struct vcpu *v);

/**
 * Leaves the requests notified on VirtIO slot to v's own thread: it serves them with interrupts
 * enabled before it next enters the guest (the exit that notified returns to the thread at
 * once). Called on v's thread: from its exit path, or while it serves (to come back to the
 * work later).
 */
void vcpu_defer_io(struct vcpu *v, unsigned int slot);

/** SBI HSM hart_start on target: 0, or VIREO_EBUSY if it is not stopped. */
int vcpu_hsm_start(struct vcpu *target, unsigned long pc, unsigned long opaque);

/** SBI HSM hart_suspend: v is SUSPENDED to the other harts until its wait ends. */
void vcpu_hsm_suspend(struct vcpu *v);

/** SBI HSM non-retentive suspend: after the next wake-up v restarts at pc (a1 = opaque). */
void vcpu_suspend_non_retentive(struct vcpu *v, unsigned long pc, unsigned long opaque);

/** Creates the vCPU threads of g (not started). */
int vcpu_create_all(struct guest *g);

/** Name of a vCPU state for the shell. */
const char *vcpu_state_name(enum vcpu_state s);

/** Copies len bytes between guest-physical memory and the hypervisor (guest RAM only). */
int guest_read(struct guest *g, gpaddr_t gpa, void *buf, size_t len);
int guest_write(struct guest *g, gpaddr_t gpa, const void *buf, size_t len);

#endif
