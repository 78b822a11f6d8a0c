/* SPDX-License-Identifier: GPL-2.0-only */
/** Creating the configured guests at boot from the bundle (core/guests_boot.c). */
#ifndef VIREO_GUESTS_BOOT_H
#define VIREO_GUESTS_BOOT_H

#include <vireo/types.h>

struct guest;

/**
 * Reads config.dtb from the bundle QEMU loaded as the initrd, creates every valid guest and
 * starts those marked autostart. Refused guests are reported one line each; nothing here stops
 * the hypervisor. Thread context (the shell thread, before its prompt).
 */
void guests_boot(void);

/**
 * Told of every guest that halted. With vireo.exit_with=<name> on the command line, the halt of
 * that guest powers the host off: cleanly after a clean guest shutdown, else with failure
 * status 1 (QEMU exits with it), so one-guest runs behave like a process.
 */
void guests_halted(struct guest *g, bool failure);

/**
 * Creates the configured guest `name` again (after `guest destroy`). Returns 0, VIREO_ENOENT
 * if the configuration has no guest of that name, VIREO_EINVAL if the configuration refuses it,
 * VIREO_ENOMEM if its RAM is no longer free, or the creation error; on failure `why` holds one line
 * saying why, starting with the guest's name.
 */
int guests_create_from_config(const char *name, char *why, size_t why_size);

#endif
