/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Memory attacks: every load/store form at region edges and across the whole 64-bit guest
 * physical space, checked against a model of what a guest must see (Priv. spec 3.5 and 8.5:
 * an access where nothing is emulated or mapped raises a load (5) or store/AMO (7) access
 * fault; a misaligned one may raise the misaligned exception (4/6) instead). Emulated devices
 * answer only the widths their specifications define; everything else faults too.
 */
#include "hostile.h"
#include "csr.h"

enum hk_region { R_NONE, R_RAM, R_SYSCON, R_RTC, R_PLIC, R_UART, R_VIRTIO };

static const char *const region_names[] = {"hole", "ram",  "syscon", "rtc",
                                           "plic", "uart", "virtio"};

static bool inside(uint64_t a, uint64_t base, uint64_t size)
{
	return a - base < size;
}

static enum hk_region region_of(uint64_t a, uint64_t *base, uint64_t *size)
{
	*base = 0;
	*size = 0;
	if (inside(a, hk_ram_base(), hk_ram_end() - hk_ram_base())) {
		*base = hk_ram_base();
		*size = hk_ram_end() - hk_ram_base();
		return R_RAM;
	}
	static const struct {
		enum hk_region r;
		uint64_t base, size;
	} fixed[] = {
	    {R_SYSCON, HK_SYSCON_BASE, HK_SYSCON_SIZE},
	    {R_RTC, HK_RTC_BASE, HK_RTC_SIZE},
	    {R_PLIC, HK_PLIC_BASE, HK_PLIC_SIZE},
	    {R_UART, HK_UART_BASE, HK_UART_SIZE},
	};
	for (unsigned int i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (inside(a, fixed[i].base, fixed[i].size)) {
			*base = fixed[i].base;
			*size = fixed[i].size;
			return fixed[i].r;
		}
	}
	for (unsigned int i = 0; i < tk_plat.virtio_count; i++) {
		if (inside(a, tk_plat.virtio_base[i], HK_VIRTIO_SIZE)) {
			*base = tk_plat.virtio_base[i];
			*size = HK_VIRTIO_SIZE;
			return R_VIRTIO;
		}
	}
	return R_NONE;
}

/* Whether a naturally aligned plain access of width w at offset off is one the device takes. */
static bool device_takes(enum hk_region r, uint64_t off, unsigned int w)
{
	switch (r) {
	case R_SYSCON:
		return true; /* sifive,test0: any width; only offset 0 acts */
	case R_RTC:
	case R_PLIC:
		return w == 4; /* 32-bit registers only (goldfish-rtc, PLIC spec) */
	case R_UART:
		return w == 1 && off < HK_UART_REGS; /* ns16550a: byte registers, reg-shift 0 */
	case R_VIRTIO:
		/* VirtIO 1.2 4.2.2: 32-bit registers; the config space takes 1/2/4/8 bytes. */
		return off < 0x100 ? w == 4 : true;
	case R_NONE:
	case R_RAM:
		break;
	}
	return false;
}

/* The expected outcome of an access: 0 = completes, else the set of acceptable causes. */
static unsigned long expected(enum hk_op op, uint64_t a)
{
	const struct hk_op_info *o = &hk_ops[op];
	unsigned long access = o->store ? 1UL << EXC_STORE_ACCESS : 1UL << EXC_LOAD_ACCESS;
	unsigned long misaligned = o->store ? 1UL << 6 : 1UL << 4;
	uint64_t base, size;
	enum hk_region r = region_of(a, &base, &size);
	bool aligned = (a & (o->width - 1)) == 0;
	bool fits = a - base <= size && o->width <= size - (a - base);

	if (r == R_RAM && fits && aligned) {
		return 0;
	}
	if (!aligned) {
		/* Priv. spec 3.6.3.3: either exception is allowed; a misaligned AMO may also
		 * report store/AMO (6/7) for lr.w. */
		return access | misaligned | (o->kind == HK_AMO ? (1UL << 6) | (1UL << 7) : 0);
	}
	if (r == R_NONE || r == R_RAM || !fits) {
		return access;
	}
	/* Device registers take plain integer loads and stores only. */
	if (o->kind != HK_PLAIN || !device_takes(r, a - base, o->width)) {
		return access;
	}
	return 0;
}

static void describe(char *buf, size_t size, unsigned long want, const struct hk_result *res)
{
	if (res->faulted) {
		tk_snprintf(buf, size, "fault %lu (want %s0x%lx)", res->cause,
		            want ? "cause mask " : "no fault, mask ", want);
	} else {
		tk_snprintf(buf, size, "no fault, value 0x%lx (want cause mask 0x%lx)", res->value,
		            want);
	}
}

static bool outcome_ok(unsigned long want, const struct hk_result *res)
{
	if (want == 0) {
		return !res->faulted;
	}
	return res->faulted && res->cause < 64 && (want >> res->cause & 1);
}

/* Stores only where they are harmless: RAM (the old value written back), holes, and the
 * device offsets listed by safe_store(). */
static bool safe_store(uint64_t a)
{
	uint64_t base, size;
	enum hk_region r = region_of(a, &base, &size);
	uint64_t off = a - base;

	switch (r) {
	case R_NONE:
	case R_RAM:
		return true;
	case R_SYSCON:
		return true; /* value 0: neither pass (0x5555), fail (0x3333) nor reset (0x7777) */
	case R_RTC:
		return off >= 0x20; /* holes past the registers */
	case R_PLIC:
		return off < 0x200000; /* priorities, pending, enables: 0 is harmless */
	case R_UART:
		return off == 7 || off >= HK_UART_REGS; /* scratch register */
	case R_VIRTIO:
		return off == 0xfc || off >= 0xf00; /* undefined register, past the config */
	}
	return false;
}

static unsigned int probe_all_forms(struct hk_group *g, uint64_t a, bool stores)
{
	unsigned int done = 0;

	for (unsigned int op = 0; op < HK_OP_COUNT; op++) {
		const struct hk_op_info *o = &hk_ops[op];
		uint64_t value = 0;

		if (o->store) {
			if (!stores || !safe_store(a)) {
				continue;
			}
			/* In RAM, write back what is there. */
			unsigned long want_load = expected(HK_LD, a & ~7UL);
			if (want_load == 0) {
				value = hk_access(HK_LD, a & ~7UL, 0).value >> (8 * (a & 7));
			}
			if (o->kind == HK_AMO) {
				value = op == HK_AMOADD_W ? 0 : value;
			}
		}
		unsigned long want = expected((enum hk_op)op, a);
		struct hk_result res = hk_access((enum hk_op)op, a, value);
		char why[96];

		describe(why, sizeof(why), want, &res);
		hk_check(g, outcome_ok(want, &res), "%s 0x%lx: %s", o->name, a, why);
		done++;
	}
	return done;
}

/* Values devices must return (their specifications), where the value is fixed. */
static void check_values(struct hk_group *g)
{
	struct hk_result r = hk_access(HK_LD, HK_SYSCON_BASE + 8, 0);

	hk_check(g, !r.faulted && r.value == 0, "syscon +8 ld: 0x%lx", r.value);
	r = hk_access(HK_LW, HK_RTC_BASE + 0x800, 0);
	hk_check(g, !r.faulted && r.value == 0, "rtc hole reads 0x%lx", r.value);
	/* ns16550a LSR: THRE and TEMT set, the transmitter is always empty here. */
	r = hk_access(HK_LBU, HK_UART_BASE + 5, 0);
	hk_check(g, !r.faulted && (r.value & 0x60) == 0x60, "uart lsr 0x%lx", r.value);
	hk_access(HK_SB, HK_UART_BASE + 7, 0xa5);
	r = hk_access(HK_LBU, HK_UART_BASE + 7, 0);
	hk_check(g, !r.faulted && r.value == 0xa5, "uart scratch reads 0x%lx", r.value);
	for (unsigned int i = 0; i < tk_plat.virtio_count; i++) {
		uint64_t b = tk_plat.virtio_base[i];

		r = hk_access(HK_LWU, b, 0);
		hk_check(g, !r.faulted && r.value == 0x74726976, "virtio 0x%lx magic 0x%lx", b,
		         r.value);
		r = hk_access(HK_LWU, b + 0xfc, 0);
		hk_check(g, !r.faulted && r.value == 0, "virtio 0x%lx +0xfc reads 0x%lx", b,
		         r.value);
		r = hk_access(HK_LD, b + 0xff8, 0);
		hk_check(g, !r.faulted && r.value == 0, "virtio 0x%lx +0xff8 reads 0x%lx", b,
		         r.value);
	}
	/* PLIC priority of source 0 does not exist: reads 0, writes ignored (PLIC spec). */
	hk_access(HK_SW, HK_PLIC_BASE, 7);
	r = hk_access(HK_LWU, HK_PLIC_BASE, 0);
	hk_check(g, !r.faulted && r.value == 0, "plic priority 0 reads 0x%lx", r.value);
}

static void check_fetches(struct hk_group *g)
{
	static const uint64_t targets[] = {HK_HOLE, HK_UART_BASE, HK_SYSCON_BASE, 0,
	                                   0xfffffffffffff000UL};
	struct tk_hart *h = tk_this_hart();

	for (unsigned int i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		h->fault_armed = true;
		tk_probe_fetch(targets[i]);
		bool faulted = !h->fault_armed;
		h->fault_armed = false;
		hk_check(g, faulted && h->fault_cause == EXC_INSN_ACCESS,
		         "fetch 0x%lx: %s cause %lu", targets[i], faulted ? "fault" : "no fault",
		         faulted ? h->fault_cause : 0);
	}
	uint64_t end = hk_ram_end();
	h->fault_armed = true;
	tk_probe_fetch(end);
	bool faulted = !h->fault_armed;
	h->fault_armed = false;
	hk_check(g, faulted && h->fault_cause == EXC_INSN_ACCESS, "fetch at RAM end 0x%lx", end);
}

void hk_attack_mmio(struct hk_group *g)
{
	uint64_t list[96];
	unsigned int n = 0;
	static const uint64_t offsets[] = {0,    1,     2,     4,     5,     7,     8,
	                                   0xfc, 0x100, 0x101, 0xff8, 0xffc, 0xffe, 0xfff};

	for (unsigned int i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		list[n++] = HK_SYSCON_BASE + offsets[i];
		list[n++] = HK_RTC_BASE + offsets[i];
		list[n++] = HK_UART_BASE + offsets[i];
		if (tk_plat.virtio_count > 0) {
			list[n++] = tk_plat.virtio_base[0] + offsets[i];
		}
	}
	list[n++] = HK_PLIC_BASE + 4;
	list[n++] = HK_PLIC_BASE + 0x1000;
	list[n++] = HK_PLIC_BASE + 0x2000;
	list[n++] = HK_PLIC_BASE + HK_PLIC_SIZE - 4;
	list[n++] = HK_PLIC_BASE + HK_PLIC_SIZE - 2;
	list[n++] = HK_PLIC_BASE - 4;
	for (unsigned int i = 1; i < tk_plat.virtio_count; i++) {
		list[n++] = tk_plat.virtio_base[i] + 0x100;
		list[n++] = tk_plat.virtio_base[i] + 0xffc;
	}
	/* The slot after the last device: nothing there. */
	list[n++] = HK_VIRTIO_BASE + HK_VIRTIO_SIZE * tk_plat.virtio_count;
	unsigned int probes = 0;
	for (unsigned int i = 0; i < n; i++) {
		probes += probe_all_forms(g, list[i], true);
	}
	check_values(g);
	tk_printf("INFO mmio %u accesses at %u device addresses, every form\n", probes, n);
}

/*
 * The guest's own page-table walk reading an emulated device (Priv. spec 4.3.2: a PTE read
 * from a region that cannot hold page tables is an access fault for the original access, and
 * under the H extension the walk's G-stage fault reaches the hypervisor as a guest-page fault
 * for the PTE's address). Sv39 with three root entries: 0-1 GiB identity (the devices, for
 * the console), 1-2 GiB pointing at a "next-level table" that is the UART, and the GiB that
 * holds the image identity. A byte load at 1 GiB + 5 walks into UART register 0: it must
 * fault, not return a UART register as if the load itself had read the device.
 */
static uint64_t walk_root[512] __attribute__((aligned(4096)));

static void check_walk_into_device(struct hk_group *g)
{
	uint64_t base = hk_ram_base() & ~((1UL << 30) - 1);
	/* PTE: PPN in bits 53:10, V R W X A D in bits 0-3, 6, 7 (Priv. spec 4.4.1). */
	const uint64_t leaf = 0x1 | 0x2 | 0x4 | 0x8 | 0x40 | 0x80;

	walk_root[0] = (0UL >> 12 << 10) | leaf;
	walk_root[1] = (HK_UART_BASE >> 12 << 10) | 0x1; /* non-leaf: next table = UART */
	walk_root[base >> 30] = (base >> 12 << 10) | leaf;
	__asm__ volatile("sfence.vma" ::: "memory");
	csr_write(CSR_SATP, (8UL << 60) | ((uint64_t)(uintptr_t)walk_root >> 12));
	__asm__ volatile("sfence.vma" ::: "memory");
	struct hk_result res = hk_access(HK_LB, (1UL << 30) + 5, 0);
	csr_write(CSR_SATP, 0);
	__asm__ volatile("sfence.vma" ::: "memory");
	hk_check(g, res.faulted && res.cause == EXC_LOAD_ACCESS && res.tval == (1UL << 30) + 5,
	         "lb through a page table in the UART: %s cause %lu tval 0x%lx value 0x%llx",
	         res.faulted ? "faulted" : "completed", res.cause, res.tval,
	         (unsigned long long)res.value);
}

void hk_attack_memory(struct hk_group *g)
{
	uint64_t base = hk_ram_base(), end = hk_ram_end();
	const uint64_t edges[] = {
	    0, 8, HK_SYSCON_BASE - 8, HK_RTC_BASE + HK_RTC_SIZE, 0x2000000, 0x2004000, 0x3000000,
	    HK_UART_BASE + HK_UART_SIZE, HK_UART_BASE + 0xff8, HK_HOLE, 0x20000000, 0x30000000,
	    0x40000000, base - 8, base - 1, base, end - 8, end - 1, end, end + 0x1000,
	    end + 0x200000, 0x100000000UL,
	    /* RAM's address with one high bit added: must not alias RAM. */
	    base | (1UL << 32), base | (1UL << 38), base | (1UL << 39), base | (1UL << 40),
	    base | (1UL << 41), base | (1UL << 47), base | (1UL << 48), base | (1UL << 56),
	    base | (1UL << 63), 0xffffffff80000000UL, 0xfffffffffffffff8UL, 0x1fffffffff8UL,
	    0x1fffffffffff8UL};
	unsigned int probes = 0;

	for (unsigned int i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		probes += probe_all_forms(g, edges[i], true);
	}
	/* A stride across the 64-bit space: every power of two and every all-ones prefix. */
	for (unsigned int k = 0; k < 64; k++) {
		uint64_t addrs[2] = {1UL << k, ~0UL << k};

		for (unsigned int j = 0; j < 2; j++) {
			uint64_t a = addrs[j];
			uint64_t rb, rs;
			enum hk_region r = region_of(a, &rb, &rs);
			enum hk_op ops[] = {HK_LB, HK_LD, HK_SB, HK_AMOSWAP_D};

			for (unsigned int o = 0; o < 4; o++) {
				if (hk_ops[ops[o]].store && r != R_NONE) {
					continue; /* devices and RAM: loads only */
				}
				unsigned long want = expected(ops[o], a);
				struct hk_result res = hk_access(ops[o], a, 0);
				char why[96];

				describe(why, sizeof(why), want, &res);
				hk_check(g, outcome_ok(want, &res), "%s 0x%lx (%s): %s",
				         hk_ops[ops[o]].name, a, region_names[r], why);
				probes++;
			}
		}
	}
	check_fetches(g);
	check_walk_into_device(g);
	tk_printf("INFO memory %u accesses at %u edges and 128 stride addresses\n", probes,
	          (unsigned int)(sizeof(edges) / sizeof(edges[0])));
}
