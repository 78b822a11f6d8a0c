/* SPDX-License-Identifier: GPL-2.0-only */
/* The host libfdt side of test_fdt.c; see fdt_libfdt_ref.h for why it is a separate unit. */
#include <libfdt.h>
#include <string.h>

#include "fdt_libfdt_ref.h"

int ref_check_full(const void *blob, size_t buf_size)
{
	return fdt_check_full(blob, buf_size);
}

void ref_header(const void *blob, struct ref_header *h)
{
	h->totalsize = fdt_totalsize(blob);
	h->off_struct = fdt_off_dt_struct(blob);
	h->off_strings = fdt_off_dt_strings(blob);
	h->off_rsvmap = fdt_off_mem_rsvmap(blob);
	h->version = fdt_version(blob);
	h->last_comp_version = fdt_last_comp_version(blob);
	h->boot_cpuid = fdt_boot_cpuid_phys(blob);
	h->size_strings = fdt_size_dt_strings(blob);
	h->size_struct = fdt_size_dt_struct(blob);
}

int ref_next_node(const void *blob, int node, int *depth)
{
	return fdt_next_node(blob, node, depth);
}

const char *ref_node_name(const void *blob, int node)
{
	return fdt_get_name(blob, node, NULL);
}

int ref_path(const void *blob, int node, char *buf, int len)
{
	return fdt_get_path(blob, node, buf, len);
}

int ref_parent(const void *blob, int node)
{
	return fdt_parent_offset(blob, node);
}

int ref_path_offset(const void *blob, const char *path)
{
	return fdt_path_offset(blob, path);
}

int ref_first_prop(const void *blob, int node)
{
	return fdt_first_property_offset(blob, node);
}

int ref_next_prop(const void *blob, int prop)
{
	return fdt_next_property_offset(blob, prop);
}

const void *ref_prop(const void *blob, int prop, const char **name, int *len)
{
	return fdt_getprop_by_offset(blob, prop, name, len);
}

const void *ref_getprop(const void *blob, int node, const char *name, int *len)
{
	return fdt_getprop(blob, node, name, len);
}

uint32_t ref_phandle(const void *blob, int node)
{
	return fdt_get_phandle(blob, node);
}

int ref_node_by_phandle(const void *blob, uint32_t phandle)
{
	return fdt_node_offset_by_phandle(blob, phandle);
}

int ref_next_compatible(const void *blob, int from, const char *compat)
{
	return fdt_node_offset_by_compatible(blob, from, compat);
}

int ref_next_device_type(const void *blob, int from, const char *type)
{
	return fdt_node_offset_by_prop_value(blob, from, "device_type", type,
	                                     (int)strlen(type) + 1);
}

int ref_address_cells(const void *blob, int node)
{
	return fdt_address_cells(blob, node);
}

int ref_size_cells(const void *blob, int node)
{
	return fdt_size_cells(blob, node);
}

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	return cells == 2 ? ((uint64_t)fdt32_ld(p) << 32) | fdt32_ld(p + 1) : fdt32_ld(p);
}

int ref_reg(const void *blob, int node, int index, uint64_t *addr, uint64_t *size)
{
	int parent = fdt_parent_offset(blob, node);
	int ac = parent >= 0 ? fdt_address_cells(blob, parent) : 2;
	int sc = parent >= 0 ? fdt_size_cells(blob, parent) : 1;
	const fdt32_t *reg;
	int len;

	if (ac < 1 || ac > 2 || sc < 0 || sc > 2) {
		return -FDT_ERR_BADNCELLS;
	}
	reg = fdt_getprop(blob, node, "reg", &len);
	if (reg == NULL) {
		return len;
	}
	if (len % ((ac + sc) * 4) != 0) {
		return -FDT_ERR_BADVALUE;
	}
	if (index >= len / ((ac + sc) * 4)) {
		return -FDT_ERR_NOTFOUND;
	}
	reg += index * (ac + sc);
	*addr = read_cells(reg, ac);
	*size = sc != 0 ? read_cells(reg + ac, sc) : 0;
	return 0;
}

int ref_rsv_count(const void *blob)
{
	return fdt_num_mem_rsv(blob);
}

int ref_rsv(const void *blob, int index, uint64_t *addr, uint64_t *size)
{
	return fdt_get_mem_rsv(blob, index, addr, size);
}

int ref_find_tag(const void *blob, uint32_t tag, int nth)
{
	int off = 0;
	int next;

	for (;;) {
		uint32_t t = fdt_next_tag(blob, off, &next);

		if (t == tag && nth-- == 0) {
			return off;
		}
		if (t == FDT_END || next < 0) {
			return -FDT_ERR_NOTFOUND;
		}
		off = next;
	}
}
