/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Typed property accessors of the FDT reader (Devicetree Specification v0.4, chapter 2): cells,
 * strings, string lists, status and reg. Built only on fdt_getprop() and fdt_parent() of
 * lib/fdt.c, so every bounds check stays there.
 */
#include <vireo/errno.h>
#include <vireo/fdt.h>
#include <vireo/string.h>

bool fdt_has_prop(const struct fdt *fdt, int node, const char *name)
{
	return fdt_getprop(fdt, node, name, NULL) != NULL;
}

/* A property of 1 cell, or of max_cells (1 or 2) cells. */
static int prop_cells(const struct fdt *fdt, int node, const char *name, uint32_t max_cells,
                      uint64_t *out)
{
	uint32_t len;
	const void *v = fdt_getprop(fdt, node, name, &len);

	if (v == NULL) {
		return VIREO_ENOENT;
	}
	if (len != 4 && len != 4 * max_cells) {
		return VIREO_EINVAL;
	}
	*out = fdt_read_cells(v, 0, len / 4);
	return 0;
}

int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, uint32_t *out)
{
	uint64_t v;
	int ret = prop_cells(fdt, node, name, 1, &v);

	if (ret == 0) {
		*out = (uint32_t)v;
	}
	return ret;
}

int fdt_prop_u64(const struct fdt *fdt, int node, const char *name, uint64_t *out)
{
	return prop_cells(fdt, node, name, 2, out);
}

const char *fdt_prop_string(const struct fdt *fdt, int node, const char *name)
{
	uint32_t len;
	const void *v = fdt_getprop(fdt, node, name, &len);

	if (v == NULL || len == 0 || memchr(v, 0, len) == NULL) {
		return NULL;
	}
	return v;
}

bool fdt_prop_list_contains(const struct fdt *fdt, int node, const char *name, const char *str)
{
	uint32_t len;
	const char *v = fdt_getprop(fdt, node, name, &len);
	size_t want = strlen(str);
	size_t pos = 0;

	if (v == NULL) {
		return false;
	}
	/* Spec 2.2.4.2 <stringlist>: NUL-terminated strings back to back; a torn tail ends it. */
	while (pos < len) {
		size_t n = strnlen(v + pos, len - pos);

		if (n == len - pos) {
			return false;
		}
		if (n == want && memcmp(v + pos, str, n) == 0) {
			return true;
		}
		pos += n + 1;
	}
	return false;
}

bool fdt_node_is_enabled(const struct fdt *fdt, int node)
{
	const char *status;

	/* Spec 2.3.4: no status means "okay"; "ok" is the historical spelling. */
	if (fdt_node_name(fdt, node) != NULL && !fdt_has_prop(fdt, node, "status")) {
		return true;
	}
	status = fdt_prop_string(fdt, node, "status");
	return status != NULL && (strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0);
}

uint64_t fdt_read_cells(const void *value, uint32_t cell, uint32_t cells)
{
	const uint8_t *p;

	if (cells != 1 && cells != 2) {
		return 0;
	}
	p = (const uint8_t *)value + (size_t)cell * cells * 4;
	return cells == 1 ? fdt_be32(p) : fdt_be64(p);
}

/* Spec 2.3.5: a node without #address-cells/#size-cells gives its children 2 and 1. */
uint32_t fdt_address_cells(const struct fdt *fdt, int node)
{
	uint32_t v = 2;

	fdt_prop_u32(fdt, node, "#address-cells", &v);
	return v;
}

uint32_t fdt_size_cells(const struct fdt *fdt, int node)
{
	uint32_t v = 1;

	fdt_prop_u32(fdt, node, "#size-cells", &v);
	return v;
}

int fdt_reg(const struct fdt *fdt, int node, unsigned int index, uint64_t *addr, uint64_t *size)
{
	const uint8_t *reg;
	uint32_t len;
	uint32_t ac = 2;
	uint32_t sc = 1;
	uint32_t entry;
	int parent;

	reg = fdt_getprop(fdt, node, "reg", &len);
	if (reg == NULL) {
		return VIREO_ENOENT;
	}
	/* Spec 2.3.6: reg is encoded with the parent's cell sizes (the root gets the defaults). */
	parent = fdt_parent(fdt, node);
	if (parent >= 0) {
		ac = fdt_address_cells(fdt, parent);
		sc = fdt_size_cells(fdt, parent);
	} else if (parent != VIREO_ENOENT) {
		return parent;
	}
	/* #size-cells 0 is legal (cpus); addresses wider than 64 bits (PCI) are not handled. */
	entry = (ac + sc) * 4;
	if (ac < 1 || ac > 2 || sc > 2 || len % entry != 0) {
		return VIREO_EINVAL;
	}
	if (index >= len / entry) {
		return VIREO_ENOENT;
	}
	reg += (size_t)index * entry;
	if (addr != NULL) {
		*addr = fdt_read_cells(reg, 0, ac);
	}
	if (size != NULL) {
		*size = sc != 0 ? fdt_read_cells(reg + ac * 4, 0, sc) : 0;
	}
	return 0;
}
