/* SPDX-License-Identifier: GPL-2.0-only */
/** The boot sequence (core/boot.c) and facts it records for the shell. */
#ifndef VIREO_BOOT_H
#define VIREO_BOOT_H

#include <vireo/compiler.h>

/** Entry from the arch start code on the boot hart. */
__noreturn void boot_main(unsigned long hw_id, paddr_t fdt_pa);

/** Bytes of RAM handed to the allocators at boot, and the image bounds. */
struct boot_info {
	paddr_t image_start;
	paddr_t image_end;
	uint64_t ram_total;
	uint64_t ram_free_at_boot;
	size_t heap_size;
	unsigned long boot_hw_id;
};

const struct boot_info *boot_info_get(void);

#endif
