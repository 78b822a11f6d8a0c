/* SPDX-License-Identifier: GPL-2.0-only */
/** Multi-hart SBI tests: sbi_hsm (hart state management) and sbi_ipi. */
#include "testkit.h"
#include "csr.h"
#include "sbi.h"

#define IPI_TIMEOUT_MS 5000

static int expect_status(struct tk_result *r, unsigned long hartid, long want, const char *when)
{
	struct sbiret st = sbi_hart_get_status(hartid);

	if (st.error != SBI_SUCCESS) {
		return tk_fail(r, "hart_get_status(%lu) %s returned %s", hartid, when,
		               sbi_strerror(st.error));
	}
	if (st.value != want) {
		return tk_fail(r, "hart %lu %s has status %ld, expected %ld", hartid, when,
		               st.value, want);
	}
	return TK_PASS;
}

/* Polls hart_get_status(hartid) until it answers want; false after the deadline. */
static bool await_status(unsigned long hartid, long want, uint64_t deadline, long *last)
{
	for (;;) {
		struct sbiret st = sbi_hart_get_status(hartid);
		*last = st.error != SBI_SUCCESS ? st.error : st.value;
		if (st.error == SBI_SUCCESS && st.value == want) {
			return true;
		}
		if (tk_expired(deadline)) {
			return false;
		}
	}
}

/*
 * SBI v2.0 9.4 and 9.3: a hart in a retentive hart_suspend is SUSPENDED to the other harts
 * until a wake-up interrupt, then STARTED again, and its hart_suspend returns 0. The type is
 * 32 bits: the secondary passes junk in a0's upper half.
 */
static int suspend_and_wake(struct tk_result *r, struct tk_hart *h)
{
	uint32_t done = h->suspends;
	long last;
	h->suspend_error = 1;
	__atomic_store_n(&h->cmd, TK_CMD_SUSPEND, __ATOMIC_RELEASE);
	if (!await_status(h->hartid, SBI_HSM_SUSPENDED, tk_deadline_ms(IPI_TIMEOUT_MS), &last)) {
		return tk_fail(r,
		               "hart %lu in hart_suspend has status %ld, expected SUSPENDED (%d)",
		               h->hartid, last, SBI_HSM_SUSPENDED);
	}
	if (h->suspends != done) {
		return tk_fail(r, "hart %lu returned from hart_suspend with %ld before its wake-up",
		               h->hartid, h->suspend_error);
	}
	long err = sbi_ecall(SBI_EXT_IPI, 0, 1, h->hartid, 0, 0, 0).error;
	if (err != SBI_SUCCESS) {
		return tk_fail(r, "send_ipi to the suspended hart returned %s", sbi_strerror(err));
	}
	uint64_t deadline = tk_deadline_ms(IPI_TIMEOUT_MS);
	while (__atomic_load_n(&h->suspends, __ATOMIC_ACQUIRE) == done) {
		if (tk_expired(deadline)) {
			return tk_fail(r, "hart %lu did not resume from hart_suspend on an IPI",
			               h->hartid);
		}
	}
	if (h->suspend_error != SBI_SUCCESS) {
		return tk_fail(r, "hart_suspend (retentive, upper bits set) returned %s",
		               sbi_strerror(h->suspend_error));
	}
	if (!await_status(h->hartid, SBI_HSM_STARTED, tk_deadline_ms(IPI_TIMEOUT_MS), &last)) {
		return tk_fail(r,
		               "hart %lu resumed from hart_suspend has status %ld, expected "
		               "STARTED",
		               h->hartid, last);
	}
	return TK_PASS;
}

int test_sbi_hsm(struct tk_result *r)
{
	const unsigned long entry = (unsigned long)(uintptr_t)tk_secondary_entry;
	const unsigned long boot = tk_harts[0].hartid, invalid = tk_invalid_hartid();
	uint32_t runs[TK_MAX_HARTS];
	char why[120];

	if (!sbi_probe(SBI_EXT_HSM)) {
		return tk_skip(r, "HSM extension not present");
	}
	if (expect_status(r, boot, SBI_HSM_STARTED, "(the boot hart)") != TK_PASS) {
		return TK_FAIL;
	}
	struct sbiret st = sbi_hart_get_status(invalid);

	if (st.error != SBI_ERR_INVALID_PARAM) {
		return tk_fail(r,
		               "hart_get_status(%lu) returned %s, expected SBI_ERR_INVALID_PARAM",
		               invalid, sbi_strerror(st.error));
	}
	long err = sbi_hart_start(invalid, entry, 0);

	if (err != SBI_ERR_INVALID_PARAM) {
		return tk_fail(r, "hart_start(%lu) returned %s, expected SBI_ERR_INVALID_PARAM",
		               invalid, sbi_strerror(err));
	}
	err = sbi_hart_start(boot, entry, (unsigned long)(uintptr_t)&tk_harts[0]);
	if (err != SBI_ERR_ALREADY_AVAILABLE) {
		return tk_fail(r,
		               "hart_start of the running boot hart returned %s, expected "
		               "SBI_ERR_ALREADY_AVAILABLE",
		               sbi_strerror(err));
	}
	if (tk_hart_slots == 1) {
		tk_printf("INFO sbi_hsm one hart: start/stop checks skipped\n");
		return TK_PASS;
	}
	for (unsigned int i = 1; i < tk_hart_slots; i++) {
		if (expect_status(r, tk_harts[i].hartid, SBI_HSM_STOPPED, "before hart_start") !=
		    TK_PASS) {
			return TK_FAIL;
		}
		runs[i] = tk_harts[i].runs;
	}
	if (tk_secondaries_start(why, sizeof(why)) < 0) {
		return tk_fail(r, "%s", why);
	}
	for (unsigned int i = 1; i < tk_hart_slots; i++) {
		const struct tk_hart *h = &tk_harts[i];

		if (h->runs != runs[i] + 1) {
			return tk_fail(r, "hart %lu entered %u times, expected once", h->hartid,
			               h->runs - runs[i]);
		}
		/* It is running our code, so it must be STARTED, not START_PENDING. */
		if (expect_status(r, h->hartid, SBI_HSM_STARTED, "while running") != TK_PASS) {
			return TK_FAIL;
		}
		err = sbi_hart_start(h->hartid, entry, (unsigned long)(uintptr_t)h);
		if (err != SBI_ERR_ALREADY_AVAILABLE) {
			return tk_fail(r,
			               "hart_start of running hart %lu returned %s, expected "
			               "SBI_ERR_ALREADY_AVAILABLE",
			               h->hartid, sbi_strerror(err));
		}
	}
	if (suspend_and_wake(r, &tk_harts[1]) != TK_PASS) {
		return TK_FAIL;
	}
	if (tk_secondaries_stop(why, sizeof(why)) < 0) {
		return tk_fail(r, "%s", why);
	}
	tk_printf("INFO sbi_hsm %u other harts started, ran and stopped; hart %lu suspended and "
	          "woken\n",
	          tk_hart_slots - 1, tk_harts[1].hartid);
	return TK_PASS;
}

/* Waits until every secondary counted @want IPIs and the boot hart @boot_want. */
static bool wait_ipis(uint32_t want, uint32_t boot_want, uint64_t deadline)
{
	struct tk_hart *boot = &tk_harts[0];

	for (;;) {
		bool done = true;

		/* The boot hart takes its own pending IPI the moment SIE opens. */
		irq_enable();
		irq_disable();
		for (unsigned int i = 1; i < tk_hart_slots; i++) {
			if (tk_harts[i].soft_irqs < want) {
				done = false;
			}
		}
		if (boot->soft_irqs < boot_want) {
			done = false;
		}
		if (done || tk_expired(deadline)) {
			return done;
		}
	}
}

static int ipi_missing(struct tk_result *r, const char *what, uint32_t want)
{
	for (unsigned int i = 1; i < tk_hart_slots; i++) {
		const struct tk_hart *h = &tk_harts[i];

		if (h->state == TK_STATE_ERROR) {
			return tk_fail(
			    r, "%s: hart %lu took an unexpected trap scause=0x%lx sepc=0x%lx", what,
			    h->hartid, h->error_cause, h->error_epc);
		}
		if (h->soft_irqs < want) {
			return tk_fail(r, "%s: hart %lu took %u software interrupts, expected %u",
			               what, h->hartid, h->soft_irqs, want);
		}
	}
	return tk_fail(r, "%s: the boot hart took no software interrupt", what);
}

int test_sbi_ipi(struct tk_result *r)
{
	struct tk_hart *boot = &tk_harts[0];
	struct tk_hart_mask masks[TK_MAX_HARTS];
	char why[120];

	if (!sbi_probe(SBI_EXT_IPI)) {
		return tk_skip(r, "IPI extension not present");
	}
	long err = sbi_ecall(SBI_EXT_IPI, 0, 1, tk_invalid_hartid(), 0, 0, 0).error;

	if (err != SBI_ERR_INVALID_PARAM) {
		return tk_fail(r,
		               "send_ipi to hart %lu returned %s, expected SBI_ERR_INVALID_PARAM",
		               tk_invalid_hartid(), sbi_strerror(err));
	}
	if (tk_hart_slots == 1) {
		return tk_skip(r, "one hart: no other hart to interrupt");
	}
	if (!sbi_probe(SBI_EXT_HSM)) {
		return tk_skip(r, "HSM extension not present: no other hart can be started");
	}
	if (tk_secondaries_start(why, sizeof(why)) < 0) {
		return tk_fail(r, "%s", why);
	}
	boot->soft_irqs = 0;
	csr_set(CSR_SIE, SIP_SSIP);

	/* Round 1: a hart mask naming every other hart, not this one. */
	unsigned int count = tk_hart_masks(false, masks, TK_MAX_HARTS);

	for (unsigned int i = 0; i < count; i++) {
		err = sbi_ecall(SBI_EXT_IPI, 0, masks[i].mask, masks[i].base, 0, 0, 0).error;
		if (err != SBI_SUCCESS) {
			return tk_fail(r, "send_ipi(0x%lx, %lu) returned %s", masks[i].mask,
			               masks[i].base, sbi_strerror(err));
		}
	}
	if (!wait_ipis(1, 0, tk_deadline_ms(IPI_TIMEOUT_MS))) {
		return ipi_missing(r, "hart mask", 1);
	}
	if (boot->soft_irqs != 0) {
		return tk_fail(r, "the boot hart got an IPI that was not addressed to it");
	}
	/* Round 2: hart_mask_base = -1 addresses every hart, this one included (3.1). */
	err = sbi_ecall(SBI_EXT_IPI, 0, 0, SBI_HART_MASK_ALL, 0, 0, 0).error;
	if (err != SBI_SUCCESS) {
		return tk_fail(r, "send_ipi(0, -1) returned %s", sbi_strerror(err));
	}
	if (!wait_ipis(2, 1, tk_deadline_ms(IPI_TIMEOUT_MS))) {
		return ipi_missing(r, "hart_mask_base -1", 2);
	}
	csr_clear(CSR_SIE, SIP_SSIP);
	if (tk_secondaries_stop(why, sizeof(why)) < 0) {
		return tk_fail(r, "%s", why);
	}
	tk_printf("INFO sbi_ipi %u other harts took IPIs by hart mask and by broadcast\n",
	          tk_hart_slots - 1);
	return TK_PASS;
}
