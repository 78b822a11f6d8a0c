/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest PLIC model (emul/vplic.c). The first byte gives the number of contexts; then each
 * operation is an opcode byte: a register access somewhere in the decoded blocks (priority,
 * pending, enable, threshold, claim/complete) or anywhere in the region with any width, or an
 * interrupt line change.
 *
 * Checked after each (PLIC spec v1.0.0): a source is never both pending and in service; id 0
 * is never pending, enabled or in service; priorities and thresholds stay 3 bits; each
 * context's output is high exactly when an enabled pending source has a priority above its
 * threshold, and only changes are notified; a claim returns such a source of the highest
 * priority (lowest id among equals), or 0 when there is none.
 */
#include <vireo/errno.h>
#include <vireo/vplic.h>

#include "fuzz.h"
#include "vplic_ref.h"

struct ctx {
	struct vplic *p;
	bool output[VPLIC_CONTEXTS_MAX];
};

static void on_notify(void *arg, unsigned int context, bool level)
{
	struct ctx *c = arg;

	FUZZ_CHECK(context < c->p->context_count && level != c->output[context]);
	c->output[context] = level;
}

static void check(const struct ctx *c)
{
	const struct vplic *p = c->p;

	for (unsigned int w = 0; w < VPLIC_WORDS; w++) {
		FUZZ_CHECK((p->pending[w] & p->in_service[w]) == 0);
	}
	FUZZ_CHECK(!vplic_ref_bit(p->pending, 0) && !vplic_ref_bit(p->in_service, 0));
	for (unsigned int id = 0; id < VPLIC_SOURCES; id++) {
		FUZZ_CHECK(p->priority[id] <= VPLIC_PRIO_MAX);
	}
	for (unsigned int x = 0; x < p->context_count; x++) {
		FUZZ_CHECK(!vplic_ref_bit(p->enable[x], 0) && p->threshold[x] <= VPLIC_PRIO_MAX);
		FUZZ_CHECK(c->output[x] == (vplic_ref_claim(p, x) != 0));
		FUZZ_CHECK(p->output[x] == c->output[x]);
	}
}

static int access(struct vplic *p, uint64_t off, unsigned int width, bool write, uint64_t *value)
{
	struct vmmio_access a = {.offset = off, .width = width, .write = write, .value = *value};
	int ret = vplic_access(p, &a);

	FUZZ_CHECK(ret == ((width == 4 && (off & 3u) == 0) ? 0 : VIREO_EFAULT));
	if (ret == 0 && !write) {
		FUZZ_CHECK(a.value <= UINT32_MAX);
		*value = a.value;
	}
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct vplic p;
	struct ctx c = {.p = &p};

	vplic_init(&p, fuzz_u8(&in) % (VPLIC_CONTEXTS_MAX + 2u), on_notify, &c);
	FUZZ_CHECK(p.context_count >= 1 && p.context_count <= VPLIC_CONTEXTS_MAX);
	while (fuzz_more(&in)) {
		uint8_t op = fuzz_u8(&in);
		unsigned int x = fuzz_u8(&in) % (VPLIC_CONTEXTS_MAX + 1u); /* one past: ignored */
		uint64_t value = fuzz_u32(&in);
		uint64_t off;

		switch (op % 8u) {
		case 0: /* priority */
			off = 4ULL * (value >> 8 & 0x7f);
			(void)access(&p, off, 4, true, &value);
			break;
		case 1: /* enable word */
			off = 0x2000 + 0x80ULL * x + 4ULL * (op >> 3 & 3u);
			(void)access(&p, off, 4, (op & 0x80u) != 0, &value);
			break;
		case 2: /* threshold */
			off = 0x200000 + 0x1000ULL * x;
			(void)access(&p, off, 4, (op & 0x80u) != 0, &value);
			break;
		case 3: { /* claim */
			unsigned int want = x < p.context_count ? vplic_ref_claim(&p, x) : 0;

			value = 0;
			(void)access(&p, 0x200004 + 0x1000ULL * x, 4, false, &value);
			FUZZ_CHECK(value == want);
			if (want != 0) {
				FUZZ_CHECK(vplic_ref_bit(p.in_service, want) &&
				           !vplic_ref_bit(p.pending, want));
			}
			break;
		}
		case 4: /* complete */
			value %= VPLIC_SOURCES + 2u;
			(void)access(&p, 0x200004 + 0x1000ULL * x, 4, true, &value);
			break;
		case 5: /* pending (read-only) */
			off = 0x1000 + 4ULL * (op >> 3 & 3u);
			(void)access(&p, off, 4, (op & 0x80u) != 0, &value);
			break;
		case 6: /* anywhere, any width */
			off = (value * 4099u) % (VPLIC_SIZE + 0x10u);
			(void)access(&p, off, 1u << (op >> 3 & 3u), (op & 0x80u) != 0, &value);
			break;
		default: /* a device line */
			vplic_set_level(&p, (unsigned int)(value % (VPLIC_SOURCES + 2u)),
			                (op & 0x80u) != 0);
			break;
		}
		check(&c);
	}
	return 0;
}
