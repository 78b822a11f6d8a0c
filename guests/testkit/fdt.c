/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * A minimal reader for the flattened device tree (Devicetree spec v0.4, chapter 5): one pass
 * over the structure block collecting the timebase, the available harts and their ISA string,
 * /memory, the reserved ranges and, for the bench mode, the ns16550a UART and the virtio-mmio
 * slots. Every offset is checked against the blob's size; a malformed tree leaves
 * whatever was read so far and dtb_valid false.
 */
#include "testkit.h"

#define FDT_MAGIC      0xd00dfeedU
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9
#define FDT_MAX_DEPTH  16
#define FDT_MAX_SIZE   (16U << 20)

enum node_kind { NODE_OTHER, NODE_ROOT, NODE_CPUS, NODE_RESERVED };

struct node {
	enum node_kind kind;
	const char *name;
	uint32_t addr_cells; /* for this node's children */
	uint32_t size_cells;
	const char *device_type;
	const uint8_t *reg;
	uint32_t reg_len;
	bool disabled;
	const uint8_t *timebase;
	uint32_t timebase_len;
	const char *bootargs;
	const char *compatible; /* a string list: several NUL-terminated strings */
	uint32_t compatible_len;
	const char *isa;
	uint32_t reg_shift;
};

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < cells; i++) {
		v = v << 32 | be32(p + 4 * i);
	}
	return v;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* "memory" matches "memory" and "memory@80000000". */
static bool name_is(const char *name, const char *base)
{
	while (*base != '\0' && *name == *base) {
		name++;
		base++;
	}
	return *base == '\0' && (*name == '\0' || *name == '@');
}

static void add_range(struct tk_range *ranges, unsigned int *count, unsigned int max, uint64_t base,
                      uint64_t size)
{
	if (size != 0 && *count < max) {
		ranges[*count].base = base;
		ranges[*count].size = size;
		(*count)++;
	}
}

static void add_reg_ranges(const struct node *n, const struct node *parent, struct tk_range *ranges,
                           unsigned int *count, unsigned int max)
{
	uint32_t ac = parent->addr_cells, sc = parent->size_cells;
	uint32_t entry = (ac + sc) * 4;

	if (n->reg == NULL || ac == 0 || ac > 2 || sc > 2) {
		return;
	}
	for (uint32_t off = 0; off + entry <= n->reg_len; off += entry) {
		add_range(ranges, count, max, read_cells(n->reg + off, ac),
		          read_cells(n->reg + off + 4 * ac, sc));
	}
}

/* /cpus/timebase-frequency wins over one in a cpu node (which some trees use instead). */
static void set_timebase(struct tk_platform *plat, const struct node *n, bool from_cpus)
{
	if (n->timebase == NULL || (plat->timebase_from_dtb && !from_cpus)) {
		return;
	}
	uint64_t tb = n->timebase_len == 8 ? be64(n->timebase) : be32(n->timebase);

	if (tb != 0) {
		plat->timebase = tb;
		plat->timebase_from_dtb = true;
	}
}

/* True if the blank-separated word list `s` contains `word`. */
static bool has_word(const char *s, const char *word)
{
	while (*s) {
		while (*s == ' ') {
			s++;
		}
		const char *w = word;
		const char *p = s;
		while (*w && *p == *w) {
			p++;
			w++;
		}
		if (!*w && (*p == ' ' || *p == '\0')) {
			return true;
		}
		while (*s && *s != ' ') {
			s++;
		}
	}
	return false;
}

/* True if the compatible string list of @n holds @compat. */
static bool is_compatible(const struct node *n, const char *compat)
{
	for (uint32_t off = 0; off < n->compatible_len;) {
		const char *s = n->compatible + off;

		if (str_eq(s, compat)) {
			return true;
		}
		off += (uint32_t)strlen(s) + 1;
	}
	return false;
}

/* The first reg entry's address, in the parent's address cells; 0 if there is none. */
static uint64_t first_reg(const struct node *n, const struct node *parent)
{
	uint32_t ac = parent->addr_cells;

	if (n->reg == NULL || ac == 0 || ac > 2 || n->reg_len < 4 * ac) {
		return 0;
	}
	return read_cells(n->reg, ac);
}

/* Devices only the bench mode uses (bench.c): the console UART and the virtio-mmio slots. */
static void device_node(struct tk_platform *plat, const struct node *n, const struct node *parent)
{
	uint64_t base = first_reg(n, parent);

	if (n->compatible == NULL || base == 0) {
		return;
	}
	if (plat->uart_base == 0 && is_compatible(n, "ns16550a")) {
		plat->uart_base = base;
		plat->uart_reg_shift = n->reg_shift;
	} else if (is_compatible(n, "virtio,mmio") && plat->virtio_count < TK_MAX_VIRTIO) {
		plat->virtio_base[plat->virtio_count++] = base;
	}
}

static void end_node(struct tk_platform *plat, const struct node *n, const struct node *parent)
{
	if (parent != NULL && parent->kind == NODE_ROOT && name_is(n->name, "chosen") &&
	    n->bootargs != NULL) {
		plat->hold = has_word(n->bootargs, "testkit.hold");
		plat->bench = has_word(n->bootargs, "testkit.bench");
		plat->hostile = has_word(n->bootargs, "testkit.hostile");
		plat->reboot = has_word(n->bootargs, "testkit.reboot");
		plat->leak = has_word(n->bootargs, "testkit.leak=1")   ? 1
		             : has_word(n->bootargs, "testkit.leak=2") ? 2
		                                                       : 0;
		plat->storm = has_word(n->bootargs, "testkit.storm=blk")     ? TK_STORM_BLK
		              : has_word(n->bootargs, "testkit.storm=net")   ? TK_STORM_NET
		              : has_word(n->bootargs, "testkit.storm=timer") ? TK_STORM_TIMER
		                                                             : 0;
	}
	if (n->kind == NODE_CPUS) {
		set_timebase(plat, n, true);
	}
	if (parent == NULL || n->disabled) {
		return;
	}
	if (parent->kind == NODE_CPUS && n->device_type != NULL && str_eq(n->device_type, "cpu")) {
		set_timebase(plat, n, false);
		if (plat->isa == NULL) {
			plat->isa = n->isa;
		}
		if (n->reg == NULL || parent->addr_cells == 0 || parent->addr_cells > 2 ||
		    n->reg_len < 4 * parent->addr_cells) {
			return;
		}
		if (plat->hart_count < TK_MAX_HARTS) {
			plat->hart_ids[plat->hart_count++] = read_cells(n->reg, parent->addr_cells);
		} else {
			plat->harts_ignored++;
		}
	} else if (parent->kind == NODE_ROOT &&
	           ((n->device_type != NULL && str_eq(n->device_type, "memory")) ||
	            (n->device_type == NULL && name_is(n->name, "memory")))) {
		add_reg_ranges(n, parent, plat->mem, &plat->mem_count, TK_MAX_MEM);
	} else if (parent->kind == NODE_RESERVED) {
		add_reg_ranges(n, parent, plat->resv, &plat->resv_count, TK_MAX_RESV);
	} else {
		device_node(plat, n, parent);
	}
}

static void node_prop(struct node *n, const char *name, const uint8_t *val, uint32_t len)
{
	if (str_eq(name, "#address-cells") && len == 4) {
		n->addr_cells = be32(val);
	} else if (str_eq(name, "#size-cells") && len == 4) {
		n->size_cells = be32(val);
	} else if (str_eq(name, "device_type") && len > 0 && val[len - 1] == '\0') {
		n->device_type = (const char *)val;
	} else if (str_eq(name, "reg")) {
		n->reg = val;
		n->reg_len = len;
	} else if (str_eq(name, "status") && len > 0 && val[len - 1] == '\0') {
		n->disabled =
		    !str_eq((const char *)val, "okay") && !str_eq((const char *)val, "ok");
	} else if (str_eq(name, "bootargs") && len > 0 && val[len - 1] == '\0') {
		n->bootargs = (const char *)val;
	} else if (str_eq(name, "timebase-frequency") && (len == 4 || len == 8)) {
		n->timebase = val;
		n->timebase_len = len;
	} else if (str_eq(name, "compatible") && len > 0 && val[len - 1] == '\0') {
		n->compatible = (const char *)val;
		n->compatible_len = len;
	} else if (str_eq(name, "riscv,isa") && len > 0 && val[len - 1] == '\0') {
		n->isa = (const char *)val;
	} else if (str_eq(name, "reg-shift") && len == 4) {
		n->reg_shift = be32(val);
	}
}

/* Reads the memory reservation block: (address, size) pairs up to an all-zero entry. */
static bool read_rsvmap(const uint8_t *blob, uint32_t size, uint32_t off, struct tk_platform *plat)
{
	for (; off + 16 <= size; off += 16) {
		uint64_t base = be64(blob + off), len = be64(blob + off + 8);

		if (base == 0 && len == 0) {
			return true;
		}
		add_range(plat->resv, &plat->resv_count, TK_MAX_RESV, base, len);
	}
	return false;
}

void fdt_parse(uint64_t dtb, struct tk_platform *plat)
{
	const uint8_t *blob = (const uint8_t *)(uintptr_t)dtb;
	struct node stack[FDT_MAX_DEPTH];
	int depth = -1;

	plat->timebase = TK_DEFAULT_TIMEBASE;
	if (dtb == 0 || dtb % 8 != 0 || be32(blob) != FDT_MAGIC) {
		return;
	}
	uint32_t size = be32(blob + 4);
	uint32_t s_off = be32(blob + 8), str_off = be32(blob + 12), rsv_off = be32(blob + 16);
	uint32_t str_size = be32(blob + 32), s_size = be32(blob + 36);

	if (size < 40 || size > FDT_MAX_SIZE || s_off > size || s_size > size - s_off ||
	    str_off > size || str_size > size - str_off || rsv_off > size || s_off % 4 != 0) {
		return;
	}
	plat->dtb_base = dtb;
	plat->dtb_size = size;
	if (!read_rsvmap(blob, size, rsv_off, plat)) {
		return;
	}
	for (uint32_t off = s_off; off + 4 <= s_off + s_size;) {
		uint32_t token = be32(blob + off);

		off += 4;
		if (token == FDT_BEGIN_NODE) {
			const char *name = (const char *)blob + off;
			uint32_t len = 0;

			while (off + len < s_off + s_size && blob[off + len] != '\0') {
				len++;
			}
			if (off + len >= s_off + s_size || depth + 1 >= FDT_MAX_DEPTH) {
				return;
			}
			off = (off + len + 1 + 3) & ~3U;
			depth++;
			struct node *n = &stack[depth];

			*n = (struct node){
			    .kind = NODE_OTHER, .name = name, .addr_cells = 2, .size_cells = 1};
			if (depth == 0) {
				n->kind = NODE_ROOT;
			} else if (depth == 1 && name_is(name, "cpus")) {
				n->kind = NODE_CPUS;
			} else if (depth == 1 && name_is(name, "reserved-memory")) {
				n->kind = NODE_RESERVED;
			}
		} else if (token == FDT_END_NODE) {
			if (depth < 0) {
				return;
			}
			end_node(plat, &stack[depth], depth > 0 ? &stack[depth - 1] : NULL);
			depth--;
		} else if (token == FDT_PROP) {
			if (depth < 0 || off + 8 > s_off + s_size) {
				return;
			}
			uint32_t len = be32(blob + off), name_off = be32(blob + off + 4);

			off += 8;
			if (len > s_off + s_size - off || name_off >= str_size) {
				return;
			}
			const char *name = (const char *)blob + str_off + name_off;
			bool terminated = false;

			for (uint32_t i = str_off + name_off; i < str_off + str_size; i++) {
				if (blob[i] == '\0') {
					terminated = true;
					break;
				}
			}
			if (!terminated) {
				return;
			}
			node_prop(&stack[depth], name, blob + off, len);
			off = (off + len + 3) & ~3U;
		} else if (token == FDT_END) {
			plat->dtb_valid = depth == -1;
			return;
		} else if (token != FDT_NOP) {
			return;
		}
	}
}
