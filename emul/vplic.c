/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest-facing PLIC, written from the RISC-V PLIC Specification v1.0.0. Every source sits
 * behind a level-triggered gateway; a context's output is high while it has an eligible source
 * (pending, enabled, priority above the threshold). State is a few bitmaps, so an access costs
 * at most one pass over the sources per context.
 */
#include <vireo/errno.h>
#include <vireo/vplic.h>

#define PRIORITY_BASE  0x0ULL
#define PENDING_BASE   0x1000ULL
#define ENABLE_BASE    0x2000ULL
#define ENABLE_STRIDE  0x80ULL
#define CONTEXT_BASE   0x200000ULL
#define CONTEXT_STRIDE 0x1000ULL
#define CTX_THRESHOLD  0x0ULL
#define CTX_CLAIM      0x4ULL

static inline uint32_t bit_of(unsigned int id)
{
	return 1U << (id % 32U);
}

static inline bool test(const uint32_t *map, unsigned int id)
{
	return (map[id / 32U] & bit_of(id)) != 0;
}

static inline void assign(uint32_t *map, unsigned int id, bool on)
{
	if (on) {
		map[id / 32U] |= bit_of(id);
	} else {
		map[id / 32U] &= ~bit_of(id);
	}
}

/*
 * Spec "Interrupt Claim Process": the highest-priority pending source enabled for the context,
 * ties broken towards the lowest id; "Priority Thresholds": only priorities strictly above the
 * threshold count, so priority 0 never interrupts. 0 when nothing is eligible.
 */
static unsigned int best_source(const struct vplic *p, unsigned int ctx)
{
	unsigned int best = 0;
	unsigned int best_prio = p->threshold[ctx];
	for (unsigned int w = 0; w < VPLIC_WORDS; w++) {
		uint32_t bits = p->pending[w] & p->enable[ctx][w];
		for (unsigned int b = 0; bits != 0; b++, bits >>= 1) {
			unsigned int id = w * 32U + b;
			if ((bits & 1U) != 0 && p->priority[id] > best_prio) {
				best = id;
				best_prio = p->priority[id];
			}
		}
	}
	return best;
}

/* Recomputes every context's output and reports the ones that changed. */
static void update(struct vplic *p)
{
	for (unsigned int ctx = 0; ctx < p->context_count; ctx++) {
		bool level = best_source(p, ctx) != 0;
		if (level != p->output[ctx]) {
			p->output[ctx] = level;
			if (p->notify != NULL) {
				p->notify(p->notify_ctx, ctx, level);
			}
		}
	}
}

void vplic_init(struct vplic *p, unsigned int contexts, vplic_notify_fn notify, void *ctx)
{
	*p = (struct vplic){0};
	if (contexts == 0) {
		contexts = 1;
	}
	p->context_count = contexts < VPLIC_CONTEXTS_MAX ? contexts : VPLIC_CONTEXTS_MAX;
	p->notify = notify;
	p->notify_ctx = ctx;
}

/*
 * Spec "Interrupt Gateways": a level-triggered gateway turns a high line into one request and
 * forwards no further request until the source's completion. The pending bit is not withdrawn
 * if the line drops before the claim; the claim then still returns the id.
 */
void vplic_set_level(struct vplic *p, unsigned int source, bool level)
{
	if (source == 0 || source >= VPLIC_SOURCES) {
		return;
	}
	assign(p->line, source, level);
	if (level && !test(p->in_service, source)) {
		assign(p->pending, source, true);
	}
	update(p);
}

static uint32_t claim(struct vplic *p, unsigned int ctx)
{
	unsigned int id = best_source(p, ctx);
	if (id != 0) {
		/* Spec "Interrupt Claim Process": a successful claim clears the pending bit. */
		assign(p->pending, id, false);
		assign(p->in_service, id, true);
		update(p);
	}
	return id;
}

/*
 * Spec "Interrupt Completion": the id is not checked against the last claim, but one that is
 * not enabled for the context is silently ignored. Completing a source not in service does
 * nothing either. A line still high makes the gateway send a new request.
 */
static void complete(struct vplic *p, unsigned int ctx, uint32_t id)
{
	if (id == 0 || id >= VPLIC_SOURCES || !test(p->enable[ctx], id) ||
	    !test(p->in_service, id)) {
		return;
	}
	assign(p->in_service, id, false);
	if (test(p->line, id)) {
		assign(p->pending, id, true);
	}
	update(p);
}

/* Spec "Memory Map", per-context block: threshold at +0, claim/complete at +4. */
static void context_access(struct vplic *p, uint64_t off, struct vmmio_access *a)
{
	uint64_t ctx = off / CONTEXT_STRIDE;
	uint64_t reg = off % CONTEXT_STRIDE;
	if (ctx >= p->context_count) {
		return;
	}
	unsigned int c = (unsigned int)ctx;
	if (reg == CTX_THRESHOLD) {
		if (a->write) {
			/* Spec "Priority Thresholds": WARL, as wide as the priorities. */
			p->threshold[c] = (uint8_t)(a->value & VPLIC_PRIO_MAX);
			update(p);
		} else {
			a->value = p->threshold[c];
		}
	} else if (reg == CTX_CLAIM) {
		if (a->write) {
			complete(p, c, (uint32_t)a->value);
		} else {
			a->value = claim(p, c);
		}
	}
}

/* Spec "Interrupt Enables": one word per 32 sources; bit 0 of word 0 (id 0) is hard-wired 0. */
static void enable_access(struct vplic *p, uint64_t off, struct vmmio_access *a)
{
	uint64_t ctx = off / ENABLE_STRIDE;
	uint64_t word = (off % ENABLE_STRIDE) / 4U;
	if (ctx >= p->context_count || word >= VPLIC_WORDS) {
		return;
	}
	uint32_t *e = &p->enable[ctx][word];
	if (a->write) {
		*e = (uint32_t)a->value & (word == 0 ? ~1U : ~0U);
		update(p);
	} else {
		a->value = *e;
	}
}

int vplic_access(void *dev, struct vmmio_access *a)
{
	struct vplic *p = dev;
	uint64_t off = a->offset;
	if (a->width != 4 || (off & 3U) != 0) {
		return VIREO_EFAULT;
	}
	if (!a->write) {
		a->value = 0; /* whatever is not decoded below reads 0 */
	}
	if (off >= VPLIC_SIZE) {
		return 0;
	}
	if (off >= CONTEXT_BASE) {
		context_access(p, off - CONTEXT_BASE, a);
	} else if (off >= ENABLE_BASE) {
		/* Contexts' enable blocks end at 0x1f2000 in the spec; past ours they read 0. */
		enable_access(p, off - ENABLE_BASE, a);
	} else if (off >= PENDING_BASE) {
		/* Spec "Interrupt Pending Bits": read-only here, set by gateways, cleared by claims. */
		uint64_t word = (off - PENDING_BASE) / 4U;
		if (!a->write && word < VPLIC_WORDS) {
			a->value = p->pending[word];
		}
	} else {
		/* Spec "Interrupt Priorities": WARL, 3 bits here; source 0 does not exist. */
		uint64_t id = (off - PRIORITY_BASE) / 4U;
		if (id == 0 || id >= VPLIC_SOURCES) {
			return 0;
		}
		if (a->write) {
			p->priority[id] = (uint8_t)(a->value & VPLIC_PRIO_MAX);
			update(p);
		} else {
			a->value = p->priority[id];
		}
	}
	return 0;
}

const struct vmmio_ops vplic_ops = {
    .name = "plic",
    .access = vplic_access,
};
