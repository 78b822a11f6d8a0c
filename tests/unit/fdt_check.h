/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Shared pieces of the FDT unit test (test_fdt.c, fdt_corrupt.c, fdt_synthetic.c): the QEMU DTBs
 * under test, exact-size copies, and the walks that compare lib/fdt.c with the host libfdt.
 */
#ifndef FDT_CHECK_H
#define FDT_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fdt;

#define MAX_DTBS 64

struct dtb {
	char name[128];
	uint8_t *data; /* the whole file; QEMU pads the dump past totalsize */
	size_t file_size;
	uint32_t total; /* header totalsize */
};

extern struct dtb dtbs[MAX_DTBS];
extern unsigned int dtb_count;

/** Loads $VIREO_DTB_DIR/\*.dtb (default build/host/dtb) once; fails the test if there are none. */
void need_dtbs(void);
const struct dtb *find_dtb(const char *name);
/** An exactly-sized heap copy: one byte read past len is an ASan error. */
uint8_t *copy_exact(const uint8_t *src, size_t len);
/** fdt_open() that must succeed. */
void open_ok(struct fdt *f, const void *blob, size_t size);
/** fdt_path_offset() that must succeed. */
int path_ok(const struct fdt *f, const char *path);
/** fdt_reg(node, index) must give exactly addr and size. */
void check_reg(const struct fdt *f, int node, unsigned int index, uint64_t addr, uint64_t size);
/** Document-order successor using only first_child / next_sibling / parent; tracks depth. */
int our_next(const struct fdt *f, int node, int *depth);
/**
 * Walks the whole tree with Vireo's API and with libfdt in lockstep. strict: the blob is a sane
 * tree (unique paths), so path lookups and phandles must land on the node itself; fuzzed blobs
 * only need both readers to agree. Returns the node count.
 */
unsigned int crosscheck(const struct fdt *f, bool strict);
/** Every match, in order, must be the same with both readers. Return the match count. */
unsigned int crosscheck_compatible(const struct fdt *f, const char *compat);
unsigned int crosscheck_device_type(const struct fdt *f, const char *type);
/** Uses every accessor on every node of an accepted blob; all answers must point into it. */
void exercise(const struct fdt *f);

/* Test cases outside test_fdt.c. */
void test_truncation(void **state);
void test_corruptions(void **state);
void test_synthetic_tree(void **state);
void test_misaligned_struct_block(void **state);
void test_synthetic_paths(void **state);
void test_rsvmap_bound(void **state);
void test_synthetic_malformed(void **state);

#endif
