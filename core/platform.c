/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Host device-tree parsing (Devicetree spec v0.4 chapters 2-3; RISC-V bindings for cpus, PLIC,
 * APLIC/IMSIC; syscon-poweroff/reboot; google,goldfish-rtc; dt-schema chosen.yaml for
 * rng-seed). Missing optional nodes leave the field empty; a tree without memory, cpus or
 * timebase is refused.
 */
#include <vireo/errno.h>
#include <vireo/log.h>
#include <vireo/platform.h>
#include <vireo/string.h>

static struct platform the_platform;

const struct platform *platform_get(void)
{
	return &the_platform;
}

static char to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool word_equal(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	if (alen != blen) {
		return false;
	}
	for (size_t i = 0; i < alen; i++) {
		if (to_lower(a[i]) != to_lower(b[i])) {
			return false;
		}
	}
	return true;
}

bool platform_isa_has(const char *isa, const char *ext)
{
	/* RISC-V unprivileged spec ch. 29 naming: "rv64" + single letters, then "_"-separated
	 * multi-letter extensions. */
	if (strncmp(isa, "rv64", 4) != 0 && strncmp(isa, "rv32", 4) != 0) {
		return false;
	}
	const char *p = isa + 4;
	size_t ext_len = strlen(ext);
	if (ext_len == 1) {
		for (; *p && *p != '_'; p++) {
			if (to_lower(*p) == to_lower(ext[0])) {
				return true;
			}
			/* A multi-letter name may follow the letters without '_' (z*, s*, x*). */
			if (to_lower(*p) == 'z' || to_lower(*p) == 's' || to_lower(*p) == 'x') {
				break;
			}
		}
		return false;
	}
	while (*p) {
		while (*p == '_') {
			p++;
		}
		const char *start = p;
		while (*p && *p != '_') {
			p++;
		}
		if (word_equal(start, (size_t)(p - start), ext)) {
			return true;
		}
	}
	return false;
}

static void copy_prop_string(const struct fdt *fdt, int node, const char *prop, char *out,
                             size_t size)
{
	const char *s = fdt_prop_string(fdt, node, prop);
	strlcpy(out, s ? s : "", size);
}

static int parse_memory(const struct fdt *fdt, struct platform *plat)
{
	for (int node = fdt_next_device_type(fdt, -1, "memory"); node >= 0;
	     node = fdt_next_device_type(fdt, node, "memory")) {
		if (!fdt_node_is_enabled(fdt, node)) {
			continue;
		}
		uint64_t base, size;
		for (unsigned int i = 0; fdt_reg(fdt, node, i, &base, &size) == 0; i++) {
			if (size == 0) {
				continue;
			}
			if (plat->mem_count == PLATFORM_MAX_MEM) {
				log_warn("platform: more than %d memory ranges, ignoring the rest",
				         PLATFORM_MAX_MEM);
				return 0;
			}
			struct mem_range *r = &plat->mem[plat->mem_count++];
			r->base = base;
			r->size = size;
			strlcpy(r->name, fdt_node_name(fdt, node), sizeof(r->name));
		}
	}
	if (plat->mem_count == 0) {
		log_err("platform: the device tree describes no memory");
		return VIREO_EINVAL;
	}
	return 0;
}

static void add_reserved(struct platform *plat, paddr_t base, uint64_t size, const char *name)
{
	if (size == 0) {
		return;
	}
	if (plat->reserved_count == PLATFORM_MAX_RESERVED) {
		log_warn("platform: too many reserved ranges, %s not recorded", name);
		return;
	}
	struct mem_range *r = &plat->reserved[plat->reserved_count++];
	r->base = base;
	r->size = size;
	strlcpy(r->name, name, sizeof(r->name));
}

static void parse_reserved(const struct fdt *fdt, struct platform *plat)
{
	uint64_t base, size;

	/* Memory reservation block (spec 5.3) and /reserved-memory children (spec 3.5). */
	for (unsigned int i = 0; fdt_rsvmap_entry(fdt, i, &base, &size) == 0; i++) {
		add_reserved(plat, base, size, "memreserve");
	}
	int rmem = fdt_path_offset(fdt, "/reserved-memory");
	if (rmem < 0) {
		return;
	}
	for (int child = fdt_first_child(fdt, rmem); child >= 0;
	     child = fdt_next_sibling(fdt, child)) {
		for (unsigned int i = 0; fdt_reg(fdt, child, i, &base, &size) == 0; i++) {
			add_reserved(plat, base, size, fdt_node_name(fdt, child));
		}
	}
}

static int parse_cpus(const struct fdt *fdt, struct platform *plat)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0) {
		log_err("platform: the device tree has no /cpus node");
		return VIREO_EINVAL;
	}
	uint64_t tb;
	if (fdt_prop_u64(fdt, cpus, "timebase-frequency", &tb) != 0 || tb == 0) {
		log_err("platform: /cpus has no valid timebase-frequency");
		return VIREO_EINVAL;
	}
	plat->timebase_hz = tb;

	for (int node = fdt_first_child(fdt, cpus); node >= 0; node = fdt_next_sibling(fdt, node)) {
		const char *type = fdt_prop_string(fdt, node, "device_type");
		uint64_t hw_id, unused;
		if (!type || strcmp(type, "cpu") != 0 || !fdt_node_is_enabled(fdt, node)) {
			continue;
		}
		if (fdt_reg(fdt, node, 0, &hw_id, &unused) != 0) {
			log_warn("platform: %s has no hart id, skipped", fdt_node_name(fdt, node));
			continue;
		}
		if (plat->hart_count == VIREO_MAX_CPUS) {
			plat->harts_ignored++;
			continue;
		}
		struct platform_hart *h = &plat->harts[plat->hart_count++];
		h->hw_id = hw_id;
		h->enabled = true;
		copy_prop_string(fdt, node, "riscv,isa", h->isa, sizeof(h->isa));
		const char *mmu = fdt_prop_string(fdt, node, "mmu-type");
		if (mmu && strncmp(mmu, "riscv,", 6) == 0) {
			mmu += 6;
		}
		strlcpy(h->mmu, mmu ? mmu : "", sizeof(h->mmu));
		for (int c = fdt_first_child(fdt, node); c >= 0; c = fdt_next_sibling(fdt, c)) {
			uint32_t ph;
			if (fdt_prop_list_contains(fdt, c, "compatible", "riscv,cpu-intc") &&
			    fdt_prop_u32(fdt, c, "phandle", &ph) == 0) {
				h->intc_phandle = ph;
			}
		}
	}
	if (plat->hart_count == 0) {
		log_err("platform: the device tree lists no usable hart");
		return VIREO_EINVAL;
	}
	if (plat->harts_ignored) {
		log_warn("platform: %u harts beyond the supported %d are left offline",
		         plat->harts_ignored, VIREO_MAX_CPUS);
	}
	return 0;
}

static void parse_chosen(const struct fdt *fdt, struct platform *plat)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	uint64_t v;

	if (chosen < 0) {
		return;
	}
	copy_prop_string(fdt, chosen, "bootargs", plat->bootargs, sizeof(plat->bootargs));
	copy_prop_string(fdt, chosen, "stdout-path", plat->stdout_path, sizeof(plat->stdout_path));
	/* stdout-path may carry options after ':' (spec 3.6), e.g. "serial0:115200n8". */
	char *colon = strchr(plat->stdout_path, ':');
	if (colon) {
		*colon = '\0';
	}
	if (fdt_prop_u64(fdt, chosen, "linux,initrd-start", &v) == 0) {
		plat->initrd_start = v;
	}
	if (fdt_prop_u64(fdt, chosen, "linux,initrd-end", &v) == 0) {
		plat->initrd_end = v;
	}
	if (plat->initrd_end < plat->initrd_start) {
		log_warn("platform: initrd end below start, ignoring the initrd");
		plat->initrd_start = plat->initrd_end = 0;
	}
	/* rng-seed (dt-schema, schemas/chosen.yaml): random bytes from the loader for the OS to
	 * seed its generator with; QEMU virt gives 32. They seed lib/random.c. */
	uint32_t len;
	const uint8_t *seed = fdt_getprop(fdt, chosen, "rng-seed", &len);
	if (seed && len > 0) {
		plat->rng_seed_len = len < PLATFORM_RNG_SEED_MAX ? len : PLATFORM_RNG_SEED_MAX;
		memcpy(plat->rng_seed, seed, plat->rng_seed_len);
	}
}

/* The first cell of "interrupts" is the source number with both the PLIC (1 cell) and the
 * APLIC (2 cells: source, trigger type) bindings. */
static unsigned int first_irq(const struct fdt *fdt, int node)
{
	uint32_t len;
	const uint8_t *irqs = fdt_getprop(fdt, node, "interrupts", &len);
	return irqs && len >= 4 ? fdt_be32(irqs) : 0;
}

static void parse_uart(const struct fdt *fdt, struct platform *plat)
{
	int node = -1;

	/* Prefer the node chosen/stdout-path names (it may be an alias: resolve /aliases). */
	if (plat->stdout_path[0] == '/') {
		node = fdt_path_offset(fdt, plat->stdout_path);
	} else if (plat->stdout_path[0]) {
		int aliases = fdt_path_offset(fdt, "/aliases");
		const char *path =
		    aliases >= 0 ? fdt_prop_string(fdt, aliases, plat->stdout_path) : NULL;
		node = path ? fdt_path_offset(fdt, path) : -1;
	}
	if (node < 0 || !fdt_prop_list_contains(fdt, node, "compatible", "ns16550a")) {
		node = fdt_next_compatible(fdt, -1, "ns16550a");
	}
	if (node < 0) {
		return;
	}
	uint64_t base, size;
	if (fdt_reg(fdt, node, 0, &base, &size) != 0) {
		return;
	}
	uint32_t v;
	plat->uart.present = true;
	plat->uart.base = base;
	plat->uart.size = size;
	strlcpy(plat->uart.compatible, "ns16550a", sizeof(plat->uart.compatible));
	plat->uart.irq = first_irq(fdt, node);
	plat->uart.reg_shift = fdt_prop_u32(fdt, node, "reg-shift", &v) == 0 ? v : 0;
	plat->uart.reg_io_width = fdt_prop_u32(fdt, node, "reg-io-width", &v) == 0 ? v : 1;
	plat->uart.clock_hz = fdt_prop_u32(fdt, node, "clock-frequency", &v) == 0 ? v : 0;
}

static void parse_rtc(const struct fdt *fdt, struct platform *plat)
{
	int node = fdt_next_compatible(fdt, -1, "google,goldfish-rtc");
	uint64_t base, size;

	if (node < 0 || !fdt_node_is_enabled(fdt, node) ||
	    fdt_reg(fdt, node, 0, &base, &size) != 0 || size < 8) {
		return;
	}
	plat->rtc.present = true;
	plat->rtc.base = base;
	plat->rtc.size = size;
	plat->rtc.irq = first_irq(fdt, node);
}

static int hart_by_intc(const struct platform *plat, uint32_t phandle)
{
	for (unsigned int i = 0; i < plat->hart_count; i++) {
		if (plat->harts[i].intc_phandle == phandle) {
			return (int)i;
		}
	}
	return -1;
}

static void parse_plic(const struct fdt *fdt, struct platform *plat, int node)
{
	uint64_t base, size;
	uint32_t ndev, len;

	if (fdt_reg(fdt, node, 0, &base, &size) != 0) {
		return;
	}
	plat->irqchip.kind = IRQCHIP_PLIC;
	plat->irqchip.base = base;
	plat->irqchip.size = size;
	plat->irqchip.source_count = fdt_prop_u32(fdt, node, "riscv,ndev", &ndev) == 0 ? ndev : 0;

	/* interrupts-extended lists (intc phandle, cause) per PLIC context; cause 9 is the
	 * supervisor external interrupt (Priv. spec 4.1.3), so that context is the hart's. */
	const uint8_t *ie = fdt_getprop(fdt, node, "interrupts-extended", &len);
	for (uint32_t i = 0; ie && (i + 1) * 8 <= len; i++) {
		uint32_t phandle = fdt_be32(ie + i * 8);
		uint32_t cause = fdt_be32(ie + i * 8 + 4);
		int hart = hart_by_intc(plat, phandle);
		if (hart >= 0 && cause == 9) {
			plat->irqchip.s_context[hart] = (int)i;
		}
	}
}

static void parse_irqchip(const struct fdt *fdt, struct platform *plat)
{
	for (unsigned int i = 0; i < VIREO_MAX_CPUS; i++) {
		plat->irqchip.s_context[i] = -1;
	}
	int plic = fdt_next_compatible(fdt, -1, "riscv,plic0");
	if (plic < 0) {
		plic = fdt_next_compatible(fdt, -1, "sifive,plic-1.0.0");
	}
	if (plic >= 0) {
		parse_plic(fdt, plat, plic);
	}

	/* AIA (riscv,aplic / riscv,imsics bindings): QEMU's aia= option replaces the PLIC. The
	 * S-level APLIC is the one that is not the parent domain of another ("riscv,children"
	 * lives on the M-level one). */
	for (int n = fdt_next_compatible(fdt, -1, "riscv,aplic"); n >= 0;
	     n = fdt_next_compatible(fdt, n, "riscv,aplic")) {
		uint64_t base, size;
		plat->irqchip.aplic_present = true;
		if (!fdt_has_prop(fdt, n, "riscv,children") &&
		    fdt_reg(fdt, n, 0, &base, &size) == 0) {
			uint32_t ndev;
			plat->irqchip.base = base;
			plat->irqchip.size = size;
			if (fdt_prop_u32(fdt, n, "riscv,num-sources", &ndev) == 0) {
				plat->irqchip.source_count = ndev;
			}
		}
	}
	for (int n = fdt_next_compatible(fdt, -1, "riscv,imsics"); n >= 0;
	     n = fdt_next_compatible(fdt, n, "riscv,imsics")) {
		uint64_t base, size;
		uint32_t guests;
		/* The S-level IMSIC is the one whose interrupts-extended uses cause 9. */
		uint32_t len;
		const uint8_t *ie = fdt_getprop(fdt, n, "interrupts-extended", &len);
		if (!ie || len < 8 || fdt_be32(ie + 4) != 9) {
			continue;
		}
		plat->irqchip.imsic_present = true;
		if (fdt_reg(fdt, n, 0, &base, &size) == 0) {
			plat->irqchip.imsic_base = base;
		}
		if (fdt_prop_u32(fdt, n, "riscv,guest-index-bits", &guests) == 0 && guests < 8) {
			plat->irqchip.imsic_guest_bits = guests;
		}
	}
	if (plat->irqchip.kind == IRQCHIP_NONE && plat->irqchip.aplic_present) {
		plat->irqchip.kind =
		    plat->irqchip.imsic_present ? IRQCHIP_APLIC_IMSIC : IRQCHIP_APLIC;
	}
}

static void parse_syscon_action(const struct fdt *fdt, const char *compat,
                                struct platform_syscon_action *act)
{
	int node = fdt_next_compatible(fdt, -1, compat);
	uint32_t regmap, offset = 0, value, mask = 0xffffffffU;
	uint64_t base, size;

	if (node < 0 || fdt_prop_u32(fdt, node, "regmap", &regmap) != 0 ||
	    fdt_prop_u32(fdt, node, "value", &value) != 0) {
		return;
	}
	(void)fdt_prop_u32(fdt, node, "offset", &offset);
	(void)fdt_prop_u32(fdt, node, "mask", &mask);
	int syscon = fdt_node_by_phandle(fdt, regmap);
	if (syscon < 0 || fdt_reg(fdt, syscon, 0, &base, &size) != 0 || offset + 4 > size) {
		return;
	}
	act->present = true;
	act->addr = base + offset;
	act->value = value;
	act->mask = mask;
}

int platform_parse(const struct fdt *fdt, struct platform *plat)
{
	int err;

	memset(plat, 0, sizeof(*plat));
	copy_prop_string(fdt, fdt_root(fdt), "model", plat->model, sizeof(plat->model));
	err = parse_cpus(fdt, plat);
	if (err) {
		return err;
	}
	err = parse_memory(fdt, plat);
	if (err) {
		return err;
	}
	parse_reserved(fdt, plat);
	parse_chosen(fdt, plat);
	parse_uart(fdt, plat);
	parse_rtc(fdt, plat);
	parse_irqchip(fdt, plat);
	int finisher = fdt_next_compatible(fdt, -1, "sifive,test0");
	uint64_t base, size;
	if (finisher >= 0 && fdt_reg(fdt, finisher, 0, &base, &size) == 0) {
		plat->test_finisher = base;
	}
	parse_syscon_action(fdt, "syscon-poweroff", &plat->poweroff);
	parse_syscon_action(fdt, "syscon-reboot", &plat->reboot);
	plat->fdt_base = (paddr_t)(uintptr_t)fdt->blob;
	plat->fdt_size = fdt->size;
	return 0;
}

void platform_set(const struct platform *plat)
{
	the_platform = *plat;
}

const char *platform_irqchip_name(enum irqchip_kind kind)
{
	switch (kind) {
	case IRQCHIP_PLIC:
		return "PLIC";
	case IRQCHIP_APLIC:
		return "APLIC";
	case IRQCHIP_APLIC_IMSIC:
		return "APLIC+IMSIC";
	case IRQCHIP_NONE:
		break;
	}
	return "none";
}
