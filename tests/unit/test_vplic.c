/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for emul/vplic.c: the guest-facing PLIC (RISC-V PLIC spec v1.0.0). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/vplic.h>

#include "vplic_ref.h"

#define PRIO(id)     (4ULL * (id))
#define PENDING(w)   (0x1000ULL + 4ULL * (w))
#define ENABLE(c, w) (0x2000ULL + 0x80ULL * (c) + 4ULL * (w))
#define THRESHOLD(c) (0x200000ULL + 0x1000ULL * (c))
#define CLAIM(c)     (0x200004ULL + 0x1000ULL * (c))
#define MAX_EVENTS   64

struct recorder {
	unsigned int count; /* all events, even past MAX_EVENTS */
	unsigned int ctx[MAX_EVENTS];
	bool level[MAX_EVENTS];
	bool now[VPLIC_CONTEXTS_MAX]; /* level from the last event per context */
};

static void record(void *ctx, unsigned int context, bool level)
{
	struct recorder *r = ctx;
	assert_true(context < VPLIC_CONTEXTS_MAX);
	/* A notification is a change: never the level the context already had. */
	assert_int_not_equal(r->now[context], level);
	if (r->count < MAX_EVENTS) {
		r->ctx[r->count] = context;
		r->level[r->count] = level;
	}
	r->count++;
	r->now[context] = level;
}

static int acc(struct vplic *p, uint64_t off, unsigned int width, bool write, uint64_t *value)
{
	struct vmmio_access a = {.vcpu = NULL,
	                         .offset = off,
	                         .width = width,
	                         .write = write,
	                         .value = write ? *value : 0xdeadbeefULL};
	int rc = vplic_ops.access(p, &a);
	if (!write) {
		*value = a.value;
	}
	return rc;
}

static uint64_t rd(struct vplic *p, uint64_t off)
{
	uint64_t v;
	assert_int_equal(acc(p, off, 4, false, &v), 0);
	return v;
}

static void wr(struct vplic *p, uint64_t off, uint64_t v)
{
	assert_int_equal(acc(p, off, 4, true, &v), 0);
}

static void setup_plic(struct vplic *p, struct recorder *r, unsigned int contexts)
{
	memset(r, 0, sizeof(*r));
	vplic_init(p, contexts, record, r);
}

static void test_priority_regs(void **state)
{
	(void)state;
	struct vplic p;
	struct recorder r;
	setup_plic(&p, &r, 2);
	wr(&p, PRIO(1), 0xffffffffffffffffULL);
	assert_int_equal(rd(&p, PRIO(1)), 7);
	wr(&p, PRIO(95), 0x13);
	assert_int_equal(rd(&p, PRIO(95)), 3);
	wr(&p, PRIO(0), 5);
	assert_int_equal(rd(&p, PRIO(0)), 0);
	wr(&p, PRIO(96), 5);
	assert_int_equal(rd(&p, PRIO(96)), 0);
	assert_int_equal(rd(&p, PRIO(1023)), 0);
	wr(&p, THRESHOLD(1), 0xfff9);
	assert_int_equal(rd(&p, THRESHOLD(1)), 1);
	assert_int_equal(rd(&p, THRESHOLD(0)), 0);
	assert_int_equal(r.count, 0);
}

static void test_threshold_filtering(void **state)
{
	(void)state;
	struct vplic p;
	struct recorder r;
	setup_plic(&p, &r, 1);
	wr(&p, PRIO(5), 3);
	wr(&p, ENABLE(0, 0), 1U << 5);
	wr(&p, THRESHOLD(0), 3);
	vplic_set_level(&p, 5, true);
	/* Priority must be strictly above the threshold. */
	assert_int_equal(r.count, 0);
	assert_int_equal(rd(&p, CLAIM(0)), 0);
	assert_int_equal(rd(&p, PENDING(0)), 1U << 5);
	wr(&p, THRESHOLD(0), 2);
	assert_int_equal(r.count, 1);
	assert_true(r.now[0]);
	/* Raising the threshold masks it again; priority 0 never interrupts. */
	wr(&p, THRESHOLD(0), 7);
	assert_false(r.now[0]);
	wr(&p, THRESHOLD(0), 0);
	assert_true(r.now[0]);
	wr(&p, PRIO(5), 0);
	assert_false(r.now[0]);
	assert_int_equal(rd(&p, CLAIM(0)), 0);
	wr(&p, PRIO(5), 1);
	assert_int_equal(rd(&p, CLAIM(0)), 5);
	assert_false(r.now[0]);
}

static void test_claim_order(void **state)
{
	(void)state;
	struct vplic p;
	struct recorder r;
	setup_plic(&p, &r, 1);
	const unsigned int ids[] = {3, 7, 9, 40, 95, 64};
	const unsigned int prios[] = {2, 5, 5, 1, 6, 0};
	for (unsigned int i = 0; i < 6; i++) {
		wr(&p, PRIO(ids[i]), prios[i]);
		vplic_set_level(&p, ids[i], true);
	}
	wr(&p, ENABLE(0, 0), 0xffffffffU);
	wr(&p, ENABLE(0, 1), 0xffffffffU);
	wr(&p, ENABLE(0, 2), 0xffffffffU);
	assert_int_equal(rd(&p, ENABLE(0, 0)), 0xfffffffeU);
	assert_int_equal(rd(&p, CLAIM(0)), 95);
	assert_int_equal(rd(&p, CLAIM(0)), 7);
	assert_int_equal(rd(&p, CLAIM(0)), 9);
	assert_int_equal(rd(&p, CLAIM(0)), 3);
	assert_true(r.now[0]);
	assert_int_equal(rd(&p, CLAIM(0)), 40);
	assert_false(r.now[0]);
	assert_int_equal(rd(&p, CLAIM(0)), 0);
	/* 64 has priority 0: still pending, never claimed. */
	assert_int_equal(rd(&p, PENDING(2)), 1U);
}

static void test_claim_complete_cycle(void **state)
{
	(void)state;
	struct vplic p;
	struct recorder r;
	setup_plic(&p, &r, 1);
	wr(&p, PRIO(33), 4);
	wr(&p, ENABLE(0, 1), 1U << 1);
	vplic_set_level(&p, 33, true);
	assert_int_equal(rd(&p, PENDING(1)), 1U << 1);
	assert_int_equal(rd(&p, CLAIM(0)), 33);
	assert_int_equal(rd(&p, PENDING(1)), 0);
	assert_false(r.now[0]);
	/* In service: the gateway forwards nothing more. */
	vplic_set_level(&p, 33, false);
	vplic_set_level(&p, 33, true);
	assert_int_equal(rd(&p, PENDING(1)), 0);
	assert_int_equal(rd(&p, CLAIM(0)), 0);
	/* Completion with the line still high makes it pending again. */
	wr(&p, CLAIM(0), 33);
	assert_int_equal(rd(&p, PENDING(1)), 1U << 1);
	assert_true(r.now[0]);
	assert_int_equal(rd(&p, CLAIM(0)), 33);
	vplic_set_level(&p, 33, false);
	wr(&p, CLAIM(0), 33);
	assert_int_equal(rd(&p, PENDING(1)), 0);
	assert_false(r.now[0]);
	/* A line that drops before the claim leaves its request pending (gateway semantics). */
	vplic_set_level(&p, 33, true);
	vplic_set_level(&p, 33, false);
	assert_true(r.now[0]);
	assert_int_equal(rd(&p, CLAIM(0)), 33);
	wr(&p, CLAIM(0), 33);
	assert_false(r.now[0]);
	assert_int_equal(rd(&p, PENDING(1)), 0);
}

static void test_complete_wrong_id(void **state)
{
	(void)state;
	struct vplic p;
	struct recorder r;
	setup_plic(&p, &r, 2);
	wr(&p, PRIO(5), 1);
	wr(&p, PRIO(6), 1);
	wr(&p, ENABLE(0, 0), (1U << 5) | (1U << 6));
	vplic_set_level(&p, 5, true);
	assert_int_equal(rd(&p, CLAIM(0)), 5);
	/* A 32-bit store carries only the low word: 0x100000060 is id 96, 1 << 63 is id 0. */
	const uint64_t bad[] = {0, 6, 96, 0xffffffffULL, 0x100000060ULL, 1ULL << 63};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wr(&p, CLAIM(0), bad[i]);
		assert_int_equal(p.in_service[0], 1U << 5);
	}
	/* Context 1 does not enable 5: its completion is ignored. */
	wr(&p, CLAIM(1), 5);
	wr(&p, CLAIM(1), 0x100000005ULL);
	assert_int_equal(p.in_service[0], 1U << 5);
	assert_int_equal(rd(&p, PENDING(0)), 0);
	/* Any context that enables the source may complete it (the id is not matched to a claim). */
	wr(&p, ENABLE(1, 0), 1U << 5);
	wr(&p, CLAIM(1), 5);
	assert_int_equal(p.in_service[0], 0);
	assert_int_equal(rd(&p, PENDING(0)), 1U << 5);
	/* Completing something not in service does nothing. */
	wr(&p, CLAIM(0), 5);
	assert_int_equal(rd(&p, PENDING(0)), 1U << 5);
}

static void test_enable_isolation(void **state)
{
	(void)state;
	struct vplic p;
	struct recorder r;
	setup_plic(&p, &r, 3);
	wr(&p, PRIO(10), 1);
	wr(&p, PRIO(11), 1);
	wr(&p, ENABLE(0, 0), 1U << 10);
	wr(&p, ENABLE(1, 0), 1U << 11);
	assert_int_equal(rd(&p, ENABLE(0, 0)), 1U << 10);
	assert_int_equal(rd(&p, ENABLE(1, 0)), 1U << 11);
	assert_int_equal(rd(&p, ENABLE(2, 0)), 0);
	vplic_set_level(&p, 10, true);
	assert_int_equal(r.count, 1);
	assert_int_equal(r.ctx[0], 0);
	assert_true(r.level[0]);
	assert_int_equal(rd(&p, CLAIM(1)), 0);
	assert_int_equal(rd(&p, CLAIM(2)), 0);
	vplic_set_level(&p, 11, true);
	assert_int_equal(r.count, 2);
	assert_int_equal(r.ctx[1], 1);
	assert_int_equal(rd(&p, CLAIM(0)), 10);
	assert_int_equal(rd(&p, CLAIM(1)), 11);
	/* Contexts past the configured count: reads 0, writes ignored, never notified. */
	wr(&p, ENABLE(3, 0), 0xffffffffU);
	wr(&p, THRESHOLD(3), 2);
	assert_int_equal(rd(&p, ENABLE(3, 0)), 0);
	assert_int_equal(rd(&p, THRESHOLD(3)), 0);
	assert_int_equal(rd(&p, CLAIM(15)), 0);
	wr(&p, CLAIM(15), 10);
	/* Enable words past source 95 read 0. */
	wr(&p, ENABLE(0, 3), 0xffffffffU);
	assert_int_equal(rd(&p, ENABLE(0, 3)), 0);
	assert_int_equal(rd(&p, ENABLE(0, 31)), 0);
}

static void test_pending_reads(void **state)
{
	(void)state;
	struct vplic p;
	struct recorder r;
	setup_plic(&p, &r, 1);
	vplic_set_level(&p, 1, true);
	vplic_set_level(&p, 33, true);
	vplic_set_level(&p, 95, true);
	vplic_set_level(&p, 0, true);
	vplic_set_level(&p, 96, true);
	vplic_set_level(&p, 0xffffffffU, true);
	assert_int_equal(rd(&p, PENDING(0)), 0x2U);
	assert_int_equal(rd(&p, PENDING(1)), 0x2U);
	assert_int_equal(rd(&p, PENDING(2)), 0x80000000U);
	assert_int_equal(rd(&p, PENDING(3)), 0);
	assert_int_equal(rd(&p, PENDING(31)), 0);
	wr(&p, PENDING(0), 0);
	wr(&p, PENDING(2), 0xffffffffU);
	assert_int_equal(rd(&p, PENDING(0)), 0x2U);
	assert_int_equal(rd(&p, PENDING(2)), 0x80000000U);
	assert_int_equal(r.count, 0);
}

static void test_notify_transitions(void **state)
{
	(void)state;
	struct vplic p;
	struct recorder r;
	setup_plic(&p, &r, 2);
	wr(&p, PRIO(2), 1);
	wr(&p, PRIO(3), 2);
	wr(&p, ENABLE(0, 0), (1U << 2) | (1U << 3));
	wr(&p, ENABLE(1, 0), 1U << 3);
	vplic_set_level(&p, 2, true);          /* ctx0 up */
	vplic_set_level(&p, 3, true);          /* ctx1 up, ctx0 unchanged */
	vplic_set_level(&p, 3, true);          /* nothing */
	assert_int_equal(rd(&p, CLAIM(1)), 3); /* ctx1 down, ctx0 keeps 2 */
	assert_int_equal(rd(&p, CLAIM(0)), 2); /* ctx0 down */
	wr(&p, CLAIM(0), 3);                   /* 3 still high: both up */
	const unsigned int ctx[] = {0, 1, 1, 0, 0, 1};
	const bool level[] = {true, true, false, false, true, true};
	assert_int_equal(r.count, 6);
	for (unsigned int i = 0; i < 6; i++) {
		assert_int_equal(r.ctx[i], ctx[i]);
		assert_int_equal(r.level[i], level[i]);
	}
	/* Without a callback nothing breaks. */
	vplic_init(&p, 1, NULL, NULL);
	wr(&p, PRIO(2), 1);
	wr(&p, ENABLE(0, 0), 1U << 2);
	vplic_set_level(&p, 2, true);
	assert_true(p.output[0]);
}

static void test_bad_accesses(void **state)
{
	(void)state;
	struct vplic p;
	struct recorder r;
	setup_plic(&p, &r, 1);
	uint64_t v = 7;
	const unsigned int widths[] = {0, 1, 2, 3, 8, 16};
	for (unsigned int i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		assert_int_equal(acc(&p, PRIO(1), widths[i], true, &v), VIREO_EFAULT);
		assert_int_equal(acc(&p, CLAIM(0), widths[i], false, &v), VIREO_EFAULT);
	}
	assert_int_equal(acc(&p, PRIO(1) + 2, 4, true, &v), VIREO_EFAULT);
	assert_int_equal(acc(&p, CLAIM(0) + 1, 4, false, &v), VIREO_EFAULT);
	assert_int_equal(rd(&p, PRIO(1)), 0);
	const uint64_t holes[] = {0x1080,   0x1ffc,   0x1f2000,  0x1ffffc,  0x200008,
	                          0x200ffc, 0x210000, 0x3fffffc, 0x4000000, 0xfffffffffffffffcULL};
	for (unsigned int i = 0; i < sizeof(holes) / sizeof(holes[0]); i++) {
		wr(&p, holes[i], 0xffffffffU);
		assert_int_equal(rd(&p, holes[i]), 0);
	}
	for (unsigned int id = 1; id < VPLIC_SOURCES; id++) {
		assert_int_equal(rd(&p, PRIO(id)), 0);
	}
	assert_int_equal(r.count, 0);
}

/* ---- seeded random fuzz --------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state; /* xorshift64 */
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x;
}

static void check_invariants(const struct vplic *p, const struct recorder *r)
{
	for (unsigned int w = 0; w < VPLIC_WORDS; w++) {
		assert_int_equal(p->pending[w] & p->in_service[w], 0);
	}
	assert_false(vplic_ref_bit(p->pending, 0));
	assert_false(vplic_ref_bit(p->in_service, 0));
	for (unsigned int c = 0; c < VPLIC_CONTEXTS_MAX; c++) {
		bool want = c < p->context_count && vplic_ref_claim(p, c) != 0;
		assert_int_equal(r->now[c], want);
		assert_true(p->threshold[c] <= VPLIC_PRIO_MAX);
		assert_false(vplic_ref_bit(p->enable[c], 0));
	}
	for (unsigned int id = 0; id < VPLIC_SOURCES; id++) {
		assert_true(p->priority[id] <= VPLIC_PRIO_MAX);
	}
}

static uint64_t fuzz_offset(void)
{
	unsigned int ctx = (unsigned int)(rnd() % 18);
	switch (rnd() % 6) {
	case 0:
		return 4 * (rnd() % 110);
	case 1:
		return PENDING(rnd() % 5);
	case 2:
		return ENABLE(ctx, rnd() % 5);
	case 3:
	case 4:
		return 0x200000ULL + 0x1000ULL * ctx + 4 * (rnd() % 3);
	default:
		return rnd();
	}
}

static uint64_t fuzz_value(void)
{
	switch (rnd() % 4) {
	case 0:
		return rnd() % VPLIC_SOURCES;
	case 1:
		return rnd() % 8;
	case 2:
		return rnd() & 0xffffffffU;
	default:
		return rnd();
	}
}

static void test_fuzz(void **state)
{
	(void)state;
	const uint64_t seeds[] = {1, 0x9e3779b97f4a7c15ULL, 0xdeadbeefcafef00dULL, 42};
	for (unsigned int s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		struct vplic p;
		struct recorder r;
		rng_state = seeds[s];
		setup_plic(&p, &r, 1 + (unsigned int)(rnd() % 17));
		unsigned int claims = 0;
		for (unsigned int step = 0; step < 50000; step++) {
			uint64_t op = rnd() % 10;
			if (op < 3) {
				vplic_set_level(&p, (unsigned int)(rnd() % 100), rnd() % 2 == 0);
			} else {
				uint64_t off = fuzz_offset();
				uint64_t v = fuzz_value();
				unsigned int width =
				    rnd() % 16 == 0 ? (unsigned int)(rnd() % 9) : 4;
				bool write = rnd() % 2 == 0;
				bool is_claim = !write && width == 4 && off >= 0x200000ULL &&
				                off < 0x200000ULL + 0x1000ULL * p.context_count &&
				                off % 0x1000ULL == 4;
				unsigned int want = 0;
				if (is_claim) {
					want = vplic_ref_claim(
					    &p, (unsigned int)((off - 0x200000ULL) / 0x1000ULL));
				}
				int rc = acc(&p, off, width, write, &v);
				if (width != 4 || off % 4 != 0) {
					assert_int_equal(rc, VIREO_EFAULT);
				} else {
					assert_int_equal(rc, 0);
					if (!write) {
						assert_true(v <= 0xffffffffU);
					}
				}
				if (is_claim) {
					assert_int_equal(v, want);
					claims += want != 0;
				}
			}
			check_invariants(&p, &r);
		}
		assert_true(claims > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_priority_regs),     cmocka_unit_test(test_threshold_filtering),
	    cmocka_unit_test(test_claim_order),       cmocka_unit_test(test_claim_complete_cycle),
	    cmocka_unit_test(test_complete_wrong_id), cmocka_unit_test(test_enable_isolation),
	    cmocka_unit_test(test_pending_reads),     cmocka_unit_test(test_notify_transitions),
	    cmocka_unit_test(test_bad_accesses),      cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
