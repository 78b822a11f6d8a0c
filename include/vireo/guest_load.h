/* SPDX-License-Identifier: GPL-2.0-only */
/** Placing a guest's boot images in its RAM (core/guest_load.c). */
#ifndef VIREO_GUEST_LOAD_H
#define VIREO_GUEST_LOAD_H

#include <vireo/guest.h>

/**
 * Copies the kernel to RAM base + 2 MiB, the device tree (given, or generated) to the last
 * 2 MiB of RAM and the initrd just below it, following the Linux/OpenSBI payload convention.
 * Returns 0 and the tree's guest-physical address, or VIREO_EINVAL if the images do not fit.
 */
int guest_load_images(struct guest *g, gpaddr_t *dtb_gpa);

/** The riscv,isa string advertised to guests: only what Vireo virtualizes (no H). */
const char *guest_isa_string(void);

#endif
