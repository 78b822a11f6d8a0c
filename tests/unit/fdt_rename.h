/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Force-included (gcc -include) into test_fdt's own sources, lib/fdt.c among them: gives every
 * public Vireo FDT function a vfdt_ name, because the test also links the host libfdt, which
 * exports fdt_path_offset, fdt_getprop, fdt_address_cells and fdt_size_cells with other
 * signatures. Without this the linker would bind one side's calls to the other's code.
 * Only the test build sees it; the hypervisor keeps the plain names.
 */
#ifndef FDT_RENAME_H
#define FDT_RENAME_H

#define fdt_open               vfdt_open
#define fdt_header_totalsize   vfdt_header_totalsize
#define fdt_root               vfdt_root
#define fdt_first_child        vfdt_first_child
#define fdt_next_sibling       vfdt_next_sibling
#define fdt_parent             vfdt_parent
#define fdt_node_name          vfdt_node_name
#define fdt_path_offset        vfdt_path_offset
#define fdt_node_by_phandle    vfdt_node_by_phandle
#define fdt_next_compatible    vfdt_next_compatible
#define fdt_next_device_type   vfdt_next_device_type
#define fdt_prop_at            vfdt_prop_at
#define fdt_getprop            vfdt_getprop
#define fdt_has_prop           vfdt_has_prop
#define fdt_prop_u32           vfdt_prop_u32
#define fdt_prop_u64           vfdt_prop_u64
#define fdt_prop_string        vfdt_prop_string
#define fdt_prop_list_contains vfdt_prop_list_contains
#define fdt_node_is_enabled    vfdt_node_is_enabled
#define fdt_read_cells         vfdt_read_cells
#define fdt_address_cells      vfdt_address_cells
#define fdt_size_cells         vfdt_size_cells
#define fdt_reg                vfdt_reg
#define fdt_rsvmap_entry       vfdt_rsvmap_entry

#endif
