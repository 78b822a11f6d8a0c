/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Shared checks of test_fdt_write.c and test_guest_dtb.c: every blob the writer produces is read
 * back with both lib/fdt.c (through fdt_check.c's lockstep walk) and the host libfdt
 * (fdt_libfdt_ref.c), whose names would clash with ours; the .mk files force-include
 * fdt_rename.h as test_fdt does.
 */
#ifndef FDTW_CHECK_H
#define FDTW_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Builds a blob into buf[0..size); returns fdtw_finish()'s result. */
typedef int (*tw_build_fn)(void *buf, size_t size, const void *arg);

/**
 * A finished blob of size bytes must pass fdt_check_full(), have a v17 header with the layout
 * the writer promises (rsvmap at 40, blocks back to back, nothing after the strings), zeroed
 * padding, and agree node by node and property by property between lib/fdt.c and libfdt.
 */
void tw_check_blob(const void *blob, int size);
/**
 * Builds with fn into a large buffer (the expected blob), then into exactly-sized heap buffers:
 * every size below the blob's must give VIREO_ENOSPC (ASan catches any byte written past the
 * buffer), the exact size and a few larger ones the very same bytes. Returns the blob size.
 */
int tw_check_every_size(tw_build_fn fn, const void *arg);
/** Same nodes in the same order, same properties in the same order and bytes, same rsvmap. */
void tw_compare_trees(const void *a, const void *b);
/** Re-creates src node by node with the writer (libfdt walks it). Returns fdtw_finish(). */
int tw_copy_tree(const void *src, void *buf, size_t size);
/** libfdt lookups by path that fail the test when the node or property is missing. */
int tw_node(const void *blob, const char *path);
/** The property's value, which must be exactly len bytes long. */
const uint8_t *tw_prop(const void *blob, const char *path, const char *name, int len);
uint32_t tw_u32(const void *blob, const char *path, const char *name);
uint64_t tw_u64(const void *blob, const char *path, const char *name);
/** The property must be exactly the string want. */
void tw_str(const void *blob, const char *path, const char *name, const char *want);
/** Whether the node (which must exist) has the property. */
bool tw_has(const void *blob, const char *path, const char *name);
unsigned int tw_prop_count(const void *blob, const char *path);
/**
 * Runs `dtc -I dtb -O dts` (with extra dtc options) on the blob; fails the test if dtc is
 * missing, fails or warns. Returns the DTS text (free() it).
 */
char *tw_dtc_decompile(const void *blob, size_t size, const char *options);
/** Runs `dtc -I dts -O dtb` likewise; returns the blob (free() it) and its size in *size. */
uint8_t *tw_dtc_compile(const char *dts, const char *options, size_t *size);

#endif
