/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * SBI attacks: every extension with functions it does not have, hart masks naming harts that
 * do not exist, addresses outside guest RAM or straddling its end, HSM misuse, absurd fence
 * ranges, legacy calls with hart-mask pointers into holes and device memory, and a call storm.
 * Expected answers are those of the SBI specification v2.0 (chapter 3 table 1 for the codes,
 * 3.1 for hart masks, and each extension's chapter).
 */
#include "hostile.h"
#include "csr.h"
#include "sbi.h"

#define EXT_PMU  0x504d55
#define EXT_SUSP 0x53555350
#define EXT_CPPC 0x43505043
#define EXT_NACL 0x4e41434c
#define EXT_STA  0x535441

#define STORM_CALLS 100000U

void hk_stop_entry(void);

static struct sbiret call(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
                          unsigned long a2, unsigned long a3, unsigned long a4)
{
	return sbi_ecall(ext, fid, a0, a1, a2, a3, a4);
}

/* One call whose error must be one of two codes (want2 = want when only one is right). */
static void expect(struct hk_group *g, const char *what, struct sbiret r, long want, long want2)
{
	hk_check(g, r.error == want || r.error == want2, "%s: error %ld (%s), want %ld", what,
	         r.error, sbi_strerror(r.error), want);
}

static void unknown_functions(struct hk_group *g)
{
	static const struct {
		unsigned long ext, fid;
	} bad[] = {
	    {SBI_EXT_BASE, 7},      {SBI_EXT_BASE, 0x7fffffff}, {SBI_EXT_BASE, ~0UL},
	    {SBI_EXT_TIME, 1},      {SBI_EXT_TIME, ~0UL},       {SBI_EXT_IPI, 1},
	    {SBI_EXT_IPI, ~0UL},    {SBI_EXT_RFENCE, 3},        {SBI_EXT_RFENCE, 4},
	    {SBI_EXT_RFENCE, 5},    {SBI_EXT_RFENCE, 6},        {SBI_EXT_RFENCE, 7},
	    {SBI_EXT_RFENCE, ~0UL}, {SBI_EXT_HSM, 4},           {SBI_EXT_HSM, ~0UL},
	    {SBI_EXT_SRST, 1},      {SBI_EXT_SRST, ~0UL},       {SBI_EXT_DBCN, 3},
	    {SBI_EXT_DBCN, ~0UL},
	};
	char what[64];

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tk_snprintf(what, sizeof(what), "ext 0x%lx fid 0x%lx", bad[i].ext, bad[i].fid);
		expect(g, what, call(bad[i].ext, bad[i].fid, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED,
		       SBI_ERR_NOT_SUPPORTED);
	}
	/* Extensions nobody implements here, each probed absent (4.4) and refused. */
	static const unsigned long absent[] = {
	    0x09,       0x0a,       0x0f,       0x11,       0x0badc0de, 0x08000000,
	    0x08ffffff, 0x09000000, 0x0a000000, 0x7fffffff, 0xffffffff, ~0UL,
	    EXT_PMU,    EXT_SUSP,   EXT_CPPC,   EXT_NACL,   EXT_STA,    SBI_EXT_DBCN + 1,
	    1UL << 32};
	for (unsigned int i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		struct sbiret p = call(SBI_EXT_BASE, 3, absent[i], 0, 0, 0, 0);
		hk_check(g, p.error == 0 && p.value == 0, "probe 0x%lx: %ld/%ld", absent[i],
		         p.error, p.value);
		tk_snprintf(what, sizeof(what), "absent ext 0x%lx", absent[i]);
		expect(g, what, call(absent[i], 0, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED,
		       SBI_ERR_NOT_SUPPORTED);
	}
}

static void hart_masks(struct hk_group *g)
{
	static const struct {
		unsigned long mask, base;
	} bad[] = {
	    {1, 1UL << 40}, {1, 2},         {1UL << 5, 0}, {3UL << 62, 0},  {4, ~0UL - 1},
	    {1, ~0UL - 1},  {1UL << 63, 1}, {~0UL, 0},     {1, 0x7fffffff}, {2, 1},
	};
	char what[80];

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tk_snprintf(what, sizeof(what), "send_ipi mask 0x%lx base 0x%lx", bad[i].mask,
		            bad[i].base);
		expect(g, what, call(SBI_EXT_IPI, 0, bad[i].mask, bad[i].base, 0, 0, 0),
		       SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_PARAM);
		tk_snprintf(what, sizeof(what), "remote_fence_i mask 0x%lx base 0x%lx", bad[i].mask,
		            bad[i].base);
		expect(g, what, call(SBI_EXT_RFENCE, 0, bad[i].mask, bad[i].base, 0, 0, 0),
		       SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_PARAM);
		expect(g, "remote_sfence_vma bad mask",
		       call(SBI_EXT_RFENCE, 1, bad[i].mask, bad[i].base, 0, ~0UL, 0),
		       SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_PARAM);
	}
	/* 3.1: base -1 means every hart whatever the mask holds; an empty mask names nobody. */
	expect(g, "send_ipi base -1 garbage mask",
	       call(SBI_EXT_IPI, 0, 0xdeadbeefcafef00dUL, ~0UL, 0, 0, 0), SBI_SUCCESS, SBI_SUCCESS);
	expect(g, "send_ipi empty mask", call(SBI_EXT_IPI, 0, 0, 12345, 0, 0, 0), SBI_SUCCESS,
	       SBI_SUCCESS);
	csr_clear(CSR_SIP, SIP_SSIP);
	/* Chapter 8: absurd ranges may be flushed whole (SUCCESS) or refused as
	 * SBI_ERR_INVALID_ADDRESS; never anything else. */
	static const struct {
		unsigned long start, size;
	} ranges[] = {{~0UL - 0xfff, 0x2000},
	              {0, ~0UL},
	              {~0UL, ~0UL},
	              {0x1000, 0},
	              {1, 3},
	              {0x8000000000000000UL, 0x8000000000000000UL}};
	for (unsigned int i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		tk_snprintf(what, sizeof(what), "sfence_vma start 0x%lx size 0x%lx",
		            ranges[i].start, ranges[i].size);
		expect(g, what,
		       call(SBI_EXT_RFENCE, 1, 0, ~0UL, ranges[i].start, ranges[i].size, 0),
		       SBI_SUCCESS, SBI_ERR_INVALID_ADDRESS);
		expect(g, what,
		       call(SBI_EXT_RFENCE, 2, 1, 0, ranges[i].start, ranges[i].size, ~0UL),
		       SBI_SUCCESS, SBI_ERR_INVALID_ADDRESS);
	}
}

static void system_reset(struct hk_group *g)
{
	/* 10.1: reserved types and reasons are invalid; vendor types are not supported here.
	 * A wrong SUCCESS would reset or power off this guest: the missing DONE line shows it. */
	expect(g, "srst type 3", call(SBI_EXT_SRST, 0, 3, 0, 0, 0, 0), SBI_ERR_INVALID_PARAM,
	       SBI_ERR_INVALID_PARAM);
	expect(g, "srst type 2^32", call(SBI_EXT_SRST, 0, 1UL << 32, 0, 0, 0, 0),
	       SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_PARAM);
	expect(g, "srst reason 2", call(SBI_EXT_SRST, 0, 0, 2, 0, 0, 0), SBI_ERR_INVALID_PARAM,
	       SBI_ERR_INVALID_PARAM);
	expect(g, "srst reason 2^32", call(SBI_EXT_SRST, 0, 0, 1UL << 32, 0, 0, 0),
	       SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_PARAM);
	expect(g, "srst vendor type", call(SBI_EXT_SRST, 0, 0xf0000000UL, 0, 0, 0, 0),
	       SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM);
}

static void debug_console(struct hk_group *g)
{
	uint64_t base = hk_ram_base(), end = hk_ram_end();
	static char buf[16];

	/* 12.1/12.2: memory that is not the guest's, or base_hi != 0 on RV64. */
	expect(g, "dbcn write base_hi", call(SBI_EXT_DBCN, 0, 4, (unsigned long)buf, 1, 0, 0),
	       SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_PARAM);
	static const struct {
		unsigned long len, addr;
	} bad[] = {{8, 0x1000},    {16, 0},      {4, HK_UART_BASE}, {16, 0},         {~0UL, 0},
	           {0x2000000, 0}, {8, HK_HOLE}, {8, ~0UL - 3},     {1UL << 63, 0x1}};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned long addr = bad[i].addr;
		unsigned long len = bad[i].len;

		if (i == 1) {
			addr = end - 4; /* straddles the end of RAM */
		} else if (i == 3) {
			addr = base - 8; /* straddles the start */
		} else if (i == 4 || i == 5) {
			addr = base + (i == 5 ? end - base - 0x1000000 : 0);
			len = i == 4 ? ~0UL : 0x2000000; /* past the end */
		}
		struct sbiret w = call(SBI_EXT_DBCN, 0, len, addr, 0, 0, 0);
		hk_check(g, w.error == SBI_ERR_INVALID_PARAM,
		         "dbcn write len 0x%lx at 0x%lx: %ld/%ld", len, addr, w.error, w.value);
		struct sbiret r = call(SBI_EXT_DBCN, 1, len, addr, 0, 0, 0);
		hk_check(g, r.error == SBI_ERR_INVALID_PARAM,
		         "dbcn read len 0x%lx at 0x%lx: %ld/%ld", len, addr, r.error, r.value);
	}
	struct sbiret z = call(SBI_EXT_DBCN, 0, 0, (unsigned long)buf, 0, 0, 0);
	hk_check(g, z.error == 0 && z.value == 0, "dbcn write of 0 bytes: %ld/%ld", z.error,
	         z.value);
	z = call(SBI_EXT_DBCN, 1, sizeof(buf), (unsigned long)buf, 0, 0, 0);
	hk_check(g, z.error == 0 && z.value == 0, "dbcn read with no input: %ld/%ld", z.error,
	         z.value);
}

static void legacy(struct hk_group *g)
{
	uint64_t end = hk_ram_end();
	static unsigned long mask;
	const unsigned long ptrs[] = {
	    HK_HOLE, HK_UART_BASE, HK_SYSCON_BASE,       HK_VIRTIO_BASE,
	    end - 4, end,          0xfffffffffffff000UL, (unsigned long)&mask};

	mask = 1UL << 9; /* a hart this guest does not have */
	for (unsigned int i = 0; i < sizeof(ptrs) / sizeof(ptrs[0]); i++) {
		for (unsigned long ext = 0x04; ext <= 0x07; ext++) {
			/* Chapter 5: failures are implementation-defined negative values. */
			long e = call(ext, 0, ptrs[i], 0, 0x1000, 0, 0).error;
			hk_check(g, e < 0, "legacy 0x%lx hart_mask pointer 0x%lx: %ld", ext,
			         ptrs[i], e);
		}
	}
	for (unsigned long ext = 0x09; ext <= 0x0f; ext++) {
		expect(g, "legacy range +1", call(ext, 0, 0, 0, 0, 0, 0), SBI_ERR_NOT_SUPPORTED,
		       SBI_ERR_NOT_SUPPORTED);
	}
	expect(g, "legacy clear_ipi", call(0x03, 0, 0, 0, 0, 0, 0), SBI_SUCCESS, SBI_SUCCESS);
	mask = 1;
	expect(g, "legacy remote_fence_i self", call(0x05, 0, (unsigned long)&mask, 0, 0, 0, 0),
	       SBI_SUCCESS, SBI_SUCCESS);
}

static void storm(struct hk_group *g)
{
	unsigned int wrong = 0;
	uint64_t start = rdtime();

	for (unsigned int i = 0; i < STORM_CALLS; i++) {
		struct sbiret r = (i & 1) ? call(0x0badc0de, i, i, i, i, i, i)
		                          : call(SBI_EXT_BASE, 3, SBI_EXT_TIME, 0, 0, 0, 0);
		bool ok = (i & 1) ? r.error == SBI_ERR_NOT_SUPPORTED : r.error == 0 && r.value == 1;
		wrong += ok ? 0 : 1;
	}
	hk_check(g, wrong == 0, "call storm: %u of %u answers wrong", wrong, STORM_CALLS);
	tk_printf("INFO sbi storm %u calls in %lu ms\n", STORM_CALLS,
	          tk_us_from_ticks(rdtime() - start) / 1000);
}

void hk_attack_sbi(struct hk_group *g)
{
	unknown_functions(g);
	hart_masks(g);
	system_reset(g);
	debug_console(g);
	legacy(g);
	storm(g);
}

static bool wait_status(unsigned long hart, long want)
{
	uint64_t deadline = tk_deadline_ms(5000);

	while (!tk_expired(deadline)) {
		struct sbiret s = sbi_hart_get_status(hart);
		if (s.error == 0 && s.value == want) {
			return true;
		}
	}
	return false;
}

void hk_attack_hsm(struct hk_group *g)
{
	uint64_t end = hk_ram_end();
	unsigned long self = tk_harts[0].hartid;
	unsigned long other = tk_hart_slots > 1 ? tk_harts[1].hartid : ~0UL;
	unsigned long entry = (unsigned long)(uintptr_t)hk_stop_entry;

	/* 9.1: a started hart is ALREADY_AVAILABLE; a hart id nobody has is INVALID_PARAM. */
	expect(g, "hart_start self", call(SBI_EXT_HSM, 0, self, entry, 0, 0, 0),
	       SBI_ERR_ALREADY_AVAILABLE, SBI_ERR_ALREADY_AVAILABLE);
	static const unsigned long nobody[] = {99, 32, ~0UL, 1UL << 32, 0x7fffffff};
	for (unsigned int i = 0; i < sizeof(nobody) / sizeof(nobody[0]); i++) {
		expect(g, "hart_start nobody", call(SBI_EXT_HSM, 0, nobody[i], entry, 0, 0, 0),
		       SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_PARAM);
		expect(g, "hart_get_status nobody", call(SBI_EXT_HSM, 2, nobody[i], 0, 0, 0, 0),
		       SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_PARAM);
	}
	/* 9.4: reserved suspend types are INVALID_PARAM; a platform-specific one this platform
	 * lacks may be NOT_SUPPORTED; a non-retentive resume address outside RAM is
	 * INVALID_ADDRESS. suspend_type is 32 bits: the upper half of a0 is ignored, so
	 * (2^32 | 1) is the reserved type 1 (and 2^32 alone would be a retentive suspend). */
	static const unsigned long reserved[] = {1,
	                                         0x0fffffff,
	                                         0x80000001,
	                                         0x8fffffff,
	                                         (1UL << 32) | 1,
	                                         (1UL << 63) | 0x80000001UL,
	                                         ~0UL & ~0x70000000UL};
	for (unsigned int i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		expect(g, "hart_suspend reserved type",
		       call(SBI_EXT_HSM, 3, reserved[i], entry, 0, 0, 0), SBI_ERR_INVALID_PARAM,
		       SBI_ERR_INVALID_PARAM);
	}
	expect(g, "hart_suspend platform type", call(SBI_EXT_HSM, 3, 0x10000000, entry, 0, 0, 0),
	       SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM);
	static const unsigned long bad_addr[] = {0x1000, HK_UART_BASE, HK_HOLE, ~0UL - 1, 0};
	for (unsigned int i = 0; i < sizeof(bad_addr) / sizeof(bad_addr[0]); i++) {
		unsigned long a = i == 4 ? end - 2 : bad_addr[i];
		expect(g, "hart_suspend non-retentive bad resume",
		       call(SBI_EXT_HSM, 3, 0x80000000UL, a, 0, 0, 0), SBI_ERR_INVALID_ADDRESS,
		       SBI_ERR_INVALID_ADDRESS);
		if (other != ~0UL) {
			expect(g, "hart_start bad address", call(SBI_EXT_HSM, 0, other, a, 0, 0, 0),
			       SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_ADDRESS);
		}
	}
	if (other == ~0UL) {
		tk_printf("INFO hsm one hart: no start/stop churn\n");
		return;
	}
	/* Start/stop churn: the other hart stops itself at once; a second start while it runs
	 * is ALREADY_AVAILABLE, one after it stopped succeeds again. */
	unsigned int cycles = 0;
	for (unsigned int i = 0; i < 50; i++) {
		struct sbiret s = call(SBI_EXT_HSM, 0, other, entry, 0, 0, 0);
		if (!hk_check(g, s.error == 0, "hart_start %lu: %ld", other, s.error)) {
			break;
		}
		struct sbiret again = call(SBI_EXT_HSM, 0, other, entry, 0, 0, 0);
		hk_check(g, again.error == SBI_ERR_ALREADY_AVAILABLE || again.error == 0,
		         "second hart_start: %ld", again.error);
		if (!hk_check(g, wait_status(other, SBI_HSM_STOPPED), "hart %lu never stopped",
		              other)) {
			break;
		}
		cycles++;
	}
	tk_printf("INFO hsm %u start/stop cycles of hart %lu\n", cycles, other);
}
