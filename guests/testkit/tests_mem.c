/* SPDX-License-Identifier: GPL-2.0-only */
/** Memory tests: access_fault (loads, stores and fetches outside RAM) and memory (all RAM). */
#include "testkit.h"
#include "csr.h"

/* QEMU virt leaves this physical range unassigned (hw/riscv/virt.c memory map). */
#define UNASSIGNED_PA 0x11000000UL
#define TOP_SKIP      (2UL << 20)
#define MAX_PIECES    (TK_MAX_RESV + 2)

const struct tk_range *tk_image_region(void)
{
	uint64_t image = (uint64_t)(uintptr_t)__image_start;

	for (unsigned int i = 0; i < tk_plat.mem_count; i++) {
		const struct tk_range *m = &tk_plat.mem[i];

		if (image >= m->base && image - m->base < m->size) {
			return m;
		}
	}
	return NULL;
}

/* One probe: arm, access, and check that the expected fault was recorded. */
static int probe(struct tk_result *r, const char *what, unsigned long want_cause)
{
	struct tk_hart *h = tk_this_hart();

	h->fault_cause = ~0UL;
	h->fault_tval = 0;
	h->fault_armed = true;
	if (want_cause == EXC_LOAD_ACCESS) {
		uint64_t v = tk_probe_load(UNASSIGNED_PA);

		if (h->fault_armed) {
			h->fault_armed = false;
			return tk_fail(r, "load from 0x%lx did not fault (read 0x%lx)",
			               UNASSIGNED_PA, v);
		}
	} else if (want_cause == EXC_STORE_ACCESS) {
		tk_probe_store(UNASSIGNED_PA, 0x5a5a5a5a5a5a5a5aUL);
	} else {
		tk_probe_fetch(UNASSIGNED_PA);
	}
	if (h->fault_armed) {
		h->fault_armed = false;
		return tk_fail(r, "%s 0x%lx did not fault", what, UNASSIGNED_PA);
	}
	if (h->fault_cause != want_cause) {
		return tk_fail(r, "%s 0x%lx raised scause %lu, expected %lu", what, UNASSIGNED_PA,
		               h->fault_cause, want_cause);
	}
	/* stval holds the faulting address, or 0 where it is not reported (priv. 4.1.9). */
	if (h->fault_tval != UNASSIGNED_PA && h->fault_tval != 0) {
		return tk_fail(r, "%s 0x%lx: stval 0x%lx", what, UNASSIGNED_PA, h->fault_tval);
	}
	return TK_PASS;
}

int test_access_fault(struct tk_result *r)
{
	if (probe(r, "load from", EXC_LOAD_ACCESS) != TK_PASS ||
	    probe(r, "store to", EXC_STORE_ACCESS) != TK_PASS ||
	    probe(r, "instruction fetch from", EXC_INSN_ACCESS) != TK_PASS) {
		return TK_FAIL;
	}
	return TK_PASS;
}

/* A cheap address-derived pattern (xorshift): every word differs from its neighbours. */
static inline uint64_t pattern(uint64_t addr)
{
	uint64_t x = addr ^ 0x9e3779b97f4a7c15UL;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

static void fill(uint64_t *p, const uint64_t *end)
{
	for (; p < end; p++) {
		*p = pattern((uint64_t)(uintptr_t)p);
	}
}

struct mismatch {
	uint64_t count;
	uint64_t addr, want, got;
};

/* Fresh RAM reads zero: QEMU starts with it cleared, and a hypervisor must never show a guest
 * what an earlier guest (or an earlier boot of this one) left there. */
static void check_zero(const uint64_t *p, const uint64_t *end, struct mismatch *m)
{
	for (; p < end; p++) {
		if (*p != 0 && m->count++ == 0) {
			m->addr = (uint64_t)(uintptr_t)p;
			m->want = 0;
			m->got = *p;
		}
	}
}

static void verify(const uint64_t *p, const uint64_t *end, struct mismatch *m)
{
	for (; p < end; p++) {
		uint64_t want = pattern((uint64_t)(uintptr_t)p);

		if (*p != want) {
			if (m->count++ == 0) {
				m->addr = (uint64_t)(uintptr_t)p;
				m->want = want;
				m->got = *p;
			}
		}
	}
}

/* Splits [start, end) around every reserved range: the pieces that may be overwritten. */
static unsigned int free_pieces(uint64_t start, uint64_t end, struct tk_range *out)
{
	struct tk_range excl[TK_MAX_RESV + 1];
	unsigned int n_excl = 0, n = 0;

	if (tk_plat.dtb_size != 0) {
		excl[n_excl++] = (struct tk_range){tk_plat.dtb_base, tk_plat.dtb_size};
	}
	for (unsigned int i = 0; i < tk_plat.resv_count; i++) {
		excl[n_excl++] = tk_plat.resv[i];
	}
	out[n++] = (struct tk_range){start, end - start};
	for (unsigned int e = 0; e < n_excl; e++) {
		uint64_t eb = excl[e].base & ~7UL;
		uint64_t ee = (excl[e].base + excl[e].size + 7) & ~7UL;
		struct tk_range next[MAX_PIECES];
		unsigned int m = 0;

		/* Each exclusion splits at most one piece in two, so MAX_PIECES always holds. */
		for (unsigned int i = 0; i < n; i++) {
			uint64_t pb = out[i].base, pe = out[i].base + out[i].size;

			if (ee <= pb || eb >= pe) {
				next[m++] = out[i];
				continue;
			}
			if (eb > pb) {
				next[m++] = (struct tk_range){pb, eb - pb};
			}
			if (ee < pe) {
				next[m++] = (struct tk_range){ee, pe - ee};
			}
		}
		memcpy(out, next, m * sizeof(next[0]));
		n = m;
	}
	return n;
}

int test_memory(struct tk_result *r)
{
	const struct tk_range *ram = tk_image_region();
	struct tk_range pieces[MAX_PIECES];
	struct mismatch m = {0};
	uint64_t bytes = 0;

	if (ram == NULL) {
		return tk_fail(r, "no /memory node holds the image at 0x%lx",
		               (uint64_t)(uintptr_t)__image_start);
	}
	uint64_t start = (uint64_t)(uintptr_t)__image_end;
	uint64_t end = ram->base + ram->size - TOP_SKIP;

	if (ram->size < TOP_SKIP || end <= start) {
		return tk_fail(r, "no RAM above the image to test");
	}
	unsigned int n = free_pieces(start, end, pieces);
	uint64_t t0 = rdtime();

	for (unsigned int i = 0; i < n; i++) {
		check_zero((const uint64_t *)(uintptr_t)pieces[i].base,
		           (const uint64_t *)(uintptr_t)(pieces[i].base + pieces[i].size), &m);
	}
	if (m.count != 0) {
		return tk_fail(r, "%lu words of fresh RAM not zero, first at 0x%lx: 0x%lx", m.count,
		               m.addr, m.got);
	}
	for (unsigned int i = 0; i < n; i++) {
		fill((uint64_t *)(uintptr_t)pieces[i].base,
		     (const uint64_t *)(uintptr_t)(pieces[i].base + pieces[i].size));
		bytes += pieces[i].size;
	}
	/* Keep the compiler from pairing the stores with the loads below. */
	__asm__ volatile("" : : : "memory");
	for (unsigned int i = 0; i < n; i++) {
		verify((const uint64_t *)(uintptr_t)pieces[i].base,
		       (const uint64_t *)(uintptr_t)(pieces[i].base + pieces[i].size), &m);
	}
	uint64_t ms = tk_us_from_ticks(rdtime() - t0) / 1000;

	if (m.count != 0) {
		return tk_fail(r, "%lu words differ, first at 0x%lx: wrote 0x%lx read 0x%lx",
		               m.count, m.addr, m.want, m.got);
	}
	tk_printf("INFO memory checked %lu MiB (0x%lx-0x%lx, %u pieces) in %lu ms\n", bytes >> 20,
	          start, end - 1, n, ms);
	return TK_PASS;
}
