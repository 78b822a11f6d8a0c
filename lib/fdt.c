/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Flattened device tree reader (Devicetree Specification v0.4, chapter 5). fdt_open() proves the
 * blob well formed once; accessors walk the structure block through the same bounds-checked
 * token reader, so even a bogus node offset never causes a read outside the blob.
 */
#include <vireo/errno.h>
#include <vireo/fdt.h>
#include <vireo/string.h>

/* Spec 5.4.1: structure block tokens. */
#define FDT_BEGIN_NODE 0x1u
#define FDT_END_NODE   0x2u
#define FDT_PROP       0x3u
#define FDT_NOP        0x4u
#define FDT_END        0x9u

/* Spec 5.2: ten 32-bit header fields in v17; v16 lacks the last one (size_dt_struct). */
#define FDT_HEADER_SIZE     40u
#define FDT_V16_HEADER_SIZE 36u
#define FDT_TOKEN_SIZE      4u
/* Spec 5.3.2: a reservation entry is a pair of big-endian u64 (address, size). */
#define FDT_RSV_ENTRY_SIZE 16u

/* Deepest nesting accepted (the root is depth 1); it bounds the stack of fdt_parent(). */
#define FDT_MAX_DEPTH 32u

/* scan() masks: token types to step over. */
#define SKIP(type)  (1u << (type))
#define SKIP_NOP    SKIP(FDT_NOP)
#define SKIP_PROPS  (SKIP(FDT_NOP) | SKIP(FDT_PROP))
#define SKIP_TO_BEG (SKIP(FDT_NOP) | SKIP(FDT_PROP) | SKIP(FDT_END_NODE))

/* One decoded structure block token; offsets are relative to the structure block. */
struct fdt_token {
	uint32_t type;
	uint32_t next;    /* offset of the following token */
	uint32_t data;    /* offset of the node name or of the property value */
	uint32_t len;     /* property value length */
	uint32_t nameoff; /* property name offset in the strings block */
};

/*
 * Decodes the token at off. Everything the token covers (name, property header and value) is
 * checked to lie inside the structure block before anything past the tag is read.
 */
static int read_token(const struct fdt *fdt, uint32_t off, struct fdt_token *t)
{
	const uint8_t *s = fdt->blob + fdt->off_struct;
	uint32_t end = fdt->size_struct;
	uint32_t p;
	uint32_t n;

	/* Spec 5.4.1: each token sits at a 4-byte aligned offset. */
	if ((off & 3u) != 0 || off > end || end - off < FDT_TOKEN_SIZE) {
		return VIREO_EINVAL;
	}
	p = off + FDT_TOKEN_SIZE;
	*t = (struct fdt_token){.type = fdt_be32(s + off), .data = p};
	switch (t->type) {
	case FDT_BEGIN_NODE:
		/* Spec 5.4.1: the NUL-terminated unit name follows the tag. */
		n = (uint32_t)strnlen((const char *)(s + p), end - p);
		if (n == end - p) {
			return VIREO_EINVAL;
		}
		p += n + 1;
		break;
	case FDT_PROP:
		/* Spec 5.4.1: struct { u32 len; u32 nameoff; } then len bytes of value. */
		if (end - p < 8) {
			return VIREO_EINVAL;
		}
		t->len = fdt_be32(s + p);
		t->nameoff = fdt_be32(s + p + 4);
		p += 8;
		t->data = p;
		if (t->len > end - p) {
			return VIREO_EINVAL;
		}
		p += t->len;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return VIREO_EINVAL;
	}
	/* p <= end <= INT32_MAX (checked by fdt_open), so padding to 4 bytes cannot wrap. */
	t->next = (p + 3u) & ~3u;
	return 0;
}

/* A name in the strings block, or NULL if nameoff or its terminator lies outside the block. */
static const char *fdt_string(const struct fdt *fdt, uint32_t nameoff)
{
	const char *s;

	if (nameoff >= fdt->size_strings) {
		return NULL;
	}
	s = (const char *)(fdt->blob + fdt->off_strings + nameoff);
	if (memchr(s, 0, fdt->size_strings - nameoff) == NULL) {
		return NULL;
	}
	return s;
}

/* Decodes node's BEGIN_NODE token; anything else at that offset is not a node. */
static int node_token(const struct fdt *fdt, int node, struct fdt_token *t)
{
	if (node < 0 || read_token(fdt, (uint32_t)node, t) < 0 || t->type != FDT_BEGIN_NODE) {
		return VIREO_EINVAL;
	}
	return 0;
}

/* Steps over tokens whose type is in skip; returns the first other type and its offset. */
static int scan(const struct fdt *fdt, uint32_t off, uint32_t skip, uint32_t *at)
{
	struct fdt_token t;

	for (;; off = t.next) {
		if (read_token(fdt, off, &t) < 0) {
			return VIREO_EINVAL;
		}
		if ((SKIP(t.type) & skip) == 0) {
			*at = off;
			return (int)t.type;
		}
	}
}

/*
 * Spec 5.3: the reservation block has no size field. It ends with an all-zero entry, which must
 * come before the next block (or the end of the blob) so it cannot swallow another block.
 */
static int check_rsvmap(struct fdt *f)
{
	uint32_t off = f->off_rsvmap;
	uint32_t end = f->size;
	uint32_t count = 0;

	if (f->off_struct >= off && f->off_struct < end) {
		end = f->off_struct;
	}
	if (f->size_strings != 0 && f->off_strings >= off && f->off_strings < end) {
		end = f->off_strings;
	}
	for (;;) {
		if (end - off < FDT_RSV_ENTRY_SIZE) {
			return VIREO_ETRUNC;
		}
		if (fdt_be64(f->blob + off) == 0 && fdt_be64(f->blob + off + 8) == 0) {
			break;
		}
		off += FDT_RSV_ENTRY_SIZE;
		count++;
	}
	f->rsvmap_count = count;
	return 0;
}

/*
 * Spec 5.4.2: one root node, properties before children, balanced BEGIN/END_NODE, then FDT_END.
 * has_child keeps one bit per open level: set once that node has a child, after which a
 * property at that level is out of order.
 */
static int check_struct(struct fdt *f)
{
	struct fdt_token t;
	uint32_t off = 0;
	uint32_t depth = 0;
	uint32_t has_child = 0;
	bool root_seen = false;

	for (;;) {
		if (read_token(f, off, &t) < 0) {
			return VIREO_EINVAL;
		}
		switch (t.type) {
		case FDT_BEGIN_NODE:
			/* Spec 2.2.1: the root has no name; no second root, no deeper than we track. */
			if ((depth == 0 &&
			     (root_seen || f->blob[f->off_struct + t.data] != '\0')) ||
			    depth == FDT_MAX_DEPTH) {
				return VIREO_EINVAL;
			}
			if (depth > 0) {
				has_child |= 1u << (depth - 1);
			}
			has_child &= ~(1u << depth);
			depth++;
			root_seen = true;
			break;
		case FDT_PROP:
			if (depth == 0 || (has_child & (1u << (depth - 1))) != 0 ||
			    fdt_string(f, t.nameoff) == NULL) {
				return VIREO_EINVAL;
			}
			break;
		case FDT_END_NODE:
			if (depth == 0) {
				return VIREO_EINVAL;
			}
			depth--;
			break;
		case FDT_END:
			if (depth != 0 || !root_seen) {
				return VIREO_EINVAL;
			}
			/* The block ends at FDT_END (v16 headers do not say where). */
			f->size_struct = t.next;
			return 0;
		default:
			break;
		}
		off = t.next;
	}
}

/* A block [off, off + size) must follow the header and end inside the blob. */
static int check_block(uint32_t off, uint64_t size, uint32_t header_size, uint32_t total)
{
	if (off < header_size) {
		return VIREO_EINVAL;
	}
	if ((uint64_t)off + size > total) {
		return VIREO_ETRUNC;
	}
	return 0;
}

int fdt_open(struct fdt *fdt, const void *blob, size_t buf_size)
{
	const uint8_t *b = blob;
	struct fdt f;
	uint32_t version;
	uint32_t header_size;
	int ret;

	if (fdt == NULL || blob == NULL) {
		return VIREO_EINVAL;
	}
	if (buf_size < FDT_HEADER_SIZE) {
		return VIREO_ETRUNC;
	}
	if (fdt_be32(b) != FDT_MAGIC) {
		return VIREO_EINVAL;
	}
	/*
	 * Spec 5.2: version 17 is current; last_comp_version is the oldest version that can still
	 * read the blob, so a newer blob is fine as long as a v17 reader is within its range.
	 */
	version = fdt_be32(b + 20);
	if (version < 16 || fdt_be32(b + 24) > 17) {
		return VIREO_EINVAL;
	}
	header_size = version >= 17 ? FDT_HEADER_SIZE : FDT_V16_HEADER_SIZE;

	f.blob = b;
	f.size = fdt_be32(b + 4);
	f.off_struct = fdt_be32(b + 8);
	f.off_strings = fdt_be32(b + 12);
	f.off_rsvmap = fdt_be32(b + 16);
	f.boot_cpuid = fdt_be32(b + 28);
	f.size_strings = fdt_be32(b + 32);
	/* Node offsets are returned as int, so the whole blob must fit in one. */
	if (f.size < FDT_HEADER_SIZE || f.size > INT32_MAX) {
		return VIREO_EINVAL;
	}
	if (f.size > buf_size) {
		return VIREO_ETRUNC;
	}
	if (version >= 17) {
		f.size_struct = fdt_be32(b + 36);
	} else {
		/* Bounded by the blob for now; check_struct() trims it at FDT_END. */
		f.size_struct = f.off_struct <= f.size ? f.size - f.off_struct : 0;
	}
	/* Spec 5.4.1 / 5.3.2: the structure block is 4-aligned, the reservation block 8-aligned. */
	if ((f.off_struct & 3u) != 0 || (f.off_rsvmap & 7u) != 0) {
		return VIREO_EINVAL;
	}
	if ((ret = check_block(f.off_struct, f.size_struct, header_size, f.size)) < 0 ||
	    (ret = check_block(f.off_strings, f.size_strings, header_size, f.size)) < 0 ||
	    (ret = check_block(f.off_rsvmap, 0, header_size, f.size)) < 0 ||
	    (ret = check_rsvmap(&f)) < 0 || (ret = check_struct(&f)) < 0) {
		return ret;
	}
	*fdt = f;
	return 0;
}

uint32_t fdt_header_totalsize(const void *blob)
{
	return fdt_be32((const uint8_t *)blob + 4);
}

int fdt_root(const struct fdt *fdt)
{
	uint32_t at;

	/* check_struct() guarantees the first token after any NOPs opens the root. */
	return scan(fdt, 0, SKIP_NOP, &at) == (int)FDT_BEGIN_NODE ? (int)at : VIREO_EINVAL;
}

/* Scans past the tokens in skip: a BEGIN_NODE there is the answer, END_NODE or END mean none. */
static int scan_node(const struct fdt *fdt, uint32_t off, uint32_t skip)
{
	uint32_t at = 0;
	int type = scan(fdt, off, skip, &at);

	if (type == (int)FDT_BEGIN_NODE) {
		return (int)at;
	}
	return type == (int)FDT_END_NODE || type == (int)FDT_END ? VIREO_ENOENT : VIREO_EINVAL;
}

int fdt_first_child(const struct fdt *fdt, int node)
{
	struct fdt_token t;

	if (node_token(fdt, node, &t) < 0) {
		return VIREO_EINVAL;
	}
	/* Spec 5.4.2: properties (and NOPs) come first, then child nodes, then END_NODE. */
	return scan_node(fdt, t.next, SKIP_PROPS);
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
	struct fdt_token t;
	uint32_t off = (uint32_t)node;
	uint32_t depth = 0;

	if (node_token(fdt, node, &t) < 0) {
		return VIREO_EINVAL;
	}
	/* Skip node's whole subtree by counting nesting; no recursion needed. */
	do {
		if (read_token(fdt, off, &t) < 0 || t.type == FDT_END) {
			return VIREO_EINVAL;
		}
		if (t.type == FDT_BEGIN_NODE) {
			depth++;
		} else if (t.type == FDT_END_NODE) {
			depth--;
		}
		off = t.next;
	} while (depth != 0);
	return scan_node(fdt, off, SKIP_NOP);
}

int fdt_parent(const struct fdt *fdt, int node)
{
	struct fdt_token t;
	uint32_t stack[FDT_MAX_DEPTH];
	uint32_t depth = 0;
	uint32_t off = 0;

	if (node_token(fdt, node, &t) < 0) {
		return VIREO_EINVAL;
	}
	/* Nodes do not record their parent: walk from the start, keeping the open nodes. */
	while (off <= (uint32_t)node) {
		if (read_token(fdt, off, &t) < 0) {
			return VIREO_EINVAL;
		}
		if (t.type == FDT_BEGIN_NODE) {
			if (off == (uint32_t)node) {
				return depth > 0 ? (int)stack[depth - 1] : VIREO_ENOENT;
			}
			if (depth == FDT_MAX_DEPTH) {
				return VIREO_EINVAL;
			}
			stack[depth++] = off;
		} else if (t.type == FDT_END_NODE) {
			if (depth == 0) {
				return VIREO_EINVAL;
			}
			depth--;
		} else if (t.type == FDT_END) {
			break;
		}
		off = t.next;
	}
	return VIREO_EINVAL;
}

const char *fdt_node_name(const struct fdt *fdt, int node)
{
	struct fdt_token t;

	if (node_token(fdt, node, &t) < 0) {
		return NULL;
	}
	return (const char *)(fdt->blob + fdt->off_struct + t.data);
}

/* Spec 2.2.1: name@unit-address; a bare name matches a unit-addressed one only if unique. */
static int find_child(const struct fdt *fdt, int parent, const char *comp, size_t len)
{
	bool bare = memchr(comp, '@', len) == NULL;
	int match = VIREO_ENOENT;
	unsigned int count = 0;
	int child;

	for (child = fdt_first_child(fdt, parent); child >= 0;
	     child = fdt_next_sibling(fdt, child)) {
		const char *name = fdt_node_name(fdt, child);

		if (name == NULL || strncmp(name, comp, len) != 0) {
			continue;
		}
		if (name[len] == '\0') {
			return child;
		}
		if (bare && name[len] == '@') {
			match = child;
			count++;
		}
	}
	return count == 1 ? match : VIREO_ENOENT;
}

int fdt_path_offset(const struct fdt *fdt, const char *path)
{
	const char *p = path;
	int node;

	if (path == NULL || path[0] != '/') {
		return VIREO_ENOENT;
	}
	node = fdt_root(fdt);
	while (node >= 0) {
		const char *end;

		while (*p == '/') {
			p++;
		}
		if (*p == '\0') {
			return node;
		}
		end = strchr(p, '/');
		if (end == NULL) {
			end = p + strlen(p);
		}
		node = find_child(fdt, node, p, (size_t)(end - p));
		p = end;
	}
	return node == VIREO_EINVAL ? VIREO_EINVAL : VIREO_ENOENT;
}

/* The node after `from` in document order (-1: the root). */
static int next_node(const struct fdt *fdt, int from)
{
	struct fdt_token t;

	if (from == -1) {
		return fdt_root(fdt);
	}
	if (node_token(fdt, from, &t) < 0) {
		return VIREO_EINVAL;
	}
	/* Document order is token order: the next BEGIN_NODE, at whatever depth. */
	return scan_node(fdt, t.next, SKIP_TO_BEG);
}

int fdt_node_by_phandle(const struct fdt *fdt, uint32_t phandle)
{
	int node;
	uint32_t value = 0;

	/* Spec 2.3.3: 0 and 0xffffffff are never valid phandles. */
	if (phandle == 0 || phandle == 0xffffffffu) {
		return VIREO_ENOENT;
	}
	for (node = next_node(fdt, -1); node >= 0; node = next_node(fdt, node)) {
		if (fdt_prop_u32(fdt, node, "phandle", &value) < 0 &&
		    fdt_prop_u32(fdt, node, "linux,phandle", &value) < 0) {
			continue;
		}
		if (value == phandle) {
			return node;
		}
	}
	return node == VIREO_EINVAL ? VIREO_EINVAL : VIREO_ENOENT;
}

/* The next node after `from` whose string (list) property name holds str. */
static int next_with(const struct fdt *fdt, int from, const char *name, const char *str)
{
	int node;

	for (node = next_node(fdt, from); node >= 0; node = next_node(fdt, node)) {
		if (fdt_prop_list_contains(fdt, node, name, str)) {
			return node;
		}
	}
	return node;
}

int fdt_next_compatible(const struct fdt *fdt, int from, const char *compat)
{
	return next_with(fdt, from, "compatible", compat);
}

int fdt_next_device_type(const struct fdt *fdt, int from, const char *type)
{
	/* device_type is a single string (spec 2.3.11), i.e. a one-element list. */
	return next_with(fdt, from, "device_type", type);
}

/* The property named name or, if name is NULL, the index-th one; VIREO_ENOENT if none. */
static int find_prop(const struct fdt *fdt, int node, const char *name, unsigned int index,
                     struct fdt_prop *prop)
{
	struct fdt_token t;
	uint32_t off;
	unsigned int i;

	if (node_token(fdt, node, &t) < 0) {
		return VIREO_EINVAL;
	}
	for (i = 0, off = t.next;; i++, off = t.next) {
		if (scan(fdt, off, SKIP_NOP, &off) != (int)FDT_PROP ||
		    read_token(fdt, off, &t) < 0) {
			return VIREO_ENOENT;
		}
		prop->name = fdt_string(fdt, t.nameoff);
		if (prop->name == NULL) {
			return VIREO_EINVAL;
		}
		if (name != NULL ? strcmp(prop->name, name) == 0 : i == index) {
			prop->value = fdt->blob + fdt->off_struct + t.data;
			prop->len = t.len;
			return 0;
		}
	}
}

int fdt_prop_at(const struct fdt *fdt, int node, unsigned int index, struct fdt_prop *prop)
{
	return find_prop(fdt, node, NULL, index, prop);
}

const void *fdt_getprop(const struct fdt *fdt, int node, const char *name, uint32_t *len)
{
	struct fdt_prop p;

	if (name == NULL || find_prop(fdt, node, name, 0, &p) < 0) {
		return NULL;
	}
	if (len != NULL) {
		*len = p.len;
	}
	return p.value;
}

int fdt_rsvmap_entry(const struct fdt *fdt, unsigned int index, uint64_t *addr, uint64_t *size)
{
	uint64_t off = fdt->off_rsvmap + (uint64_t)index * FDT_RSV_ENTRY_SIZE;

	if (index >= fdt->rsvmap_count) {
		return VIREO_ENOENT;
	}
	if (off + FDT_RSV_ENTRY_SIZE > fdt->size) {
		return VIREO_EINVAL;
	}
	*addr = fdt_be64(fdt->blob + off);
	*size = fdt_be64(fdt->blob + off + 8);
	return 0;
}
