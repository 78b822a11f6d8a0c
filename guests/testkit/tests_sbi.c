/* SPDX-License-Identifier: GPL-2.0-only */
/** Single-hart SBI and CPU tests: sbi_base, sbi_time, wfi_wakeup, sbi_rfence, sbi_dbcn. */
#include "testkit.h"
#include "csr.h"
#include "sbi.h"

/* An extension ID outside every range the SBI spec v2.0 assigns (chapter 3). */
#define BOGUS_EXT 0x0badc0deUL
/* QEMU virt leaves this physical range unassigned (hw/riscv/virt.c memory map). */
#define UNASSIGNED_PA 0x11000000UL

#define TIMER_DELAY_US   10000
#define TIMER_TIMEOUT_MS 1000

static const char *impl_name(long id)
{
	static const char *const names[] = {
	    "BBL",    "OpenSBI", "Xvisor",        "KVM",      "RustSBI", "Diosix",
	    "Coffer", "Xen",     "PolarFire HSS", "coreboot", "oreboot", "bhyve",
	};

	if (id >= 0 && id < (long)(sizeof(names) / sizeof(names[0]))) {
		return names[id];
	}
	return "unknown";
}

int test_sbi_base(struct tk_result *r)
{
	struct sbiret spec = sbi_ecall(SBI_EXT_BASE, 0, 0, 0, 0, 0, 0);

	if (spec.error != SBI_SUCCESS) {
		return tk_fail(r, "get_spec_version returned %s", sbi_strerror(spec.error));
	}
	/* Spec version: bit 31 must be 0, major in bits 30:24, minor in bits 23:0 (4.1). */
	unsigned long major = ((unsigned long)spec.value >> 24) & 0x7f;
	unsigned long minor = (unsigned long)spec.value & 0xffffff;

	if (major == 0 && minor < 2) {
		return tk_fail(r, "spec version %lu.%lu is older than 0.2", major, minor);
	}
	struct sbiret id = sbi_ecall(SBI_EXT_BASE, 1, 0, 0, 0, 0, 0);
	struct sbiret version = sbi_ecall(SBI_EXT_BASE, 2, 0, 0, 0, 0, 0);

	if (id.error != SBI_SUCCESS || version.error != SBI_SUCCESS) {
		return tk_fail(r, "get_impl_id/get_impl_version returned %s/%s",
		               sbi_strerror(id.error), sbi_strerror(version.error));
	}
	for (unsigned long fid = 4; fid <= 6; fid++) {
		struct sbiret m = sbi_ecall(SBI_EXT_BASE, fid, 0, 0, 0, 0, 0);

		if (m.error != SBI_SUCCESS) {
			return tk_fail(r, "base function %lu (machine id) returned %s", fid,
			               sbi_strerror(m.error));
		}
	}
	struct sbiret probe = sbi_ecall(SBI_EXT_BASE, 3, SBI_EXT_BASE, 0, 0, 0, 0);

	if (probe.error != SBI_SUCCESS || probe.value == 0) {
		return tk_fail(r, "probe_extension(BASE) returned error %ld value %ld", probe.error,
		               probe.value);
	}
	probe = sbi_ecall(SBI_EXT_BASE, 3, BOGUS_EXT, 0, 0, 0, 0);
	if (probe.error != SBI_SUCCESS || probe.value != 0) {
		return tk_fail(r, "probe_extension(0x%lx) returned error %ld value %ld, expected 0",
		               BOGUS_EXT, probe.error, probe.value);
	}
	/* Unknown functions and extensions are SBI_ERR_NOT_SUPPORTED (SBI spec v2.0, chapter 3). */
	struct sbiret bad = sbi_ecall(SBI_EXT_BASE, 0x7fff, 0, 0, 0, 0, 0);

	if (bad.error != SBI_ERR_NOT_SUPPORTED) {
		return tk_fail(r,
		               "unknown BASE function returned %s, expected SBI_ERR_NOT_SUPPORTED",
		               sbi_strerror(bad.error));
	}
	bad = sbi_ecall(BOGUS_EXT, 0, 0, 0, 0, 0, 0);
	if (bad.error != SBI_ERR_NOT_SUPPORTED) {
		return tk_fail(r,
		               "call to an absent extension returned %s, expected "
		               "SBI_ERR_NOT_SUPPORTED",
		               sbi_strerror(bad.error));
	}
	tk_printf("INFO sbi_base spec %lu.%lu, %s (id %ld) version 0x%lx; TIME %d IPI %d RFENCE %d "
	          "HSM %d SRST %d DBCN %d\n",
	          major, minor, impl_name(id.value), id.value, (unsigned long)version.value,
	          sbi_probe(SBI_EXT_TIME), sbi_probe(SBI_EXT_IPI), sbi_probe(SBI_EXT_RFENCE),
	          sbi_probe(SBI_EXT_HSM), sbi_probe(SBI_EXT_SRST), sbi_probe(SBI_EXT_DBCN));
	return TK_PASS;
}

int test_sbi_time(struct tk_result *r)
{
	struct tk_hart *h = tk_this_hart();

	if (!sbi_probe(SBI_EXT_TIME)) {
		return tk_skip(r, "TIME extension not present");
	}
	h->timer_irqs = 0;
	csr_set(CSR_SIE, SIP_STIP);
	irq_enable();
	uint64_t deadline = rdtime() + tk_ticks_from_us(TIMER_DELAY_US);
	long err = sbi_set_timer(deadline);

	if (err != SBI_SUCCESS) {
		return tk_fail(r, "set_timer returned %s", sbi_strerror(err));
	}
	/* Poll rather than WFI: if the interrupt never comes, this still ends (wfi_wakeup
	 * sleeps in WFI once this test has shown the interrupt arrives). */
	uint64_t limit = tk_deadline_ms(TIMER_TIMEOUT_MS);

	while (h->timer_irqs == 0 && !tk_expired(limit)) {
	}
	irq_disable();
	if (h->timer_irqs == 0) {
		return tk_fail(r, "no timer interrupt within %d ms of a 10 ms deadline (sip=0x%lx)",
		               TIMER_TIMEOUT_MS, csr_read(CSR_SIP));
	}
	tk_timer_works = true;
	uint64_t taken = h->timer_irq_time;

	if (taken < deadline) {
		return tk_fail(r, "timer interrupt %lu us early",
		               tk_us_from_ticks(deadline - taken));
	}
	err = sbi_set_timer(UINT64_MAX);
	if (err != SBI_SUCCESS) {
		return tk_fail(r, "set_timer(UINT64_MAX) returned %s", sbi_strerror(err));
	}
	/* set_timer clears the pending timer interrupt (SBI spec v2.0, 6.1). */
	if (csr_read(CSR_SIP) & SIP_STIP) {
		return tk_fail(r, "STIP still pending after set_timer(UINT64_MAX)");
	}
	/* And nothing fires afterwards. */
	uint32_t count = h->timer_irqs;

	csr_set(CSR_SIE, SIP_STIP);
	irq_enable();
	uint64_t quiet = tk_deadline_ms(20);

	while (!tk_expired(quiet)) {
	}
	irq_disable();
	if (h->timer_irqs != count) {
		return tk_fail(r, "timer interrupt after set_timer(UINT64_MAX)");
	}
	tk_printf("INFO sbi_time interrupt %lu us after the deadline\n",
	          tk_us_from_ticks(taken - deadline));
	return TK_PASS;
}

int test_wfi_wakeup(struct tk_result *r)
{
	struct tk_hart *h = tk_this_hart();
	unsigned int wakes = 0;

	if (!sbi_probe(SBI_EXT_TIME)) {
		return tk_skip(r, "TIME extension not present");
	}
	if (!tk_timer_works) {
		/* WFI with no working wake-up source would never return. */
		return tk_fail(r, "not run: sbi_time saw no timer interrupt");
	}
	h->timer_irqs = 0;
	csr_set(CSR_SIE, SIP_STIP);
	uint64_t deadline = rdtime() + tk_ticks_from_us(TIMER_DELAY_US);
	uint64_t limit = tk_deadline_ms(TIMER_TIMEOUT_MS);

	sbi_set_timer(deadline);
	/* sstatus.SIE is clear: WFI still returns once STIP is pending and enabled in sie
	 * (priv. spec 3.3.3), and the interrupt is taken the moment SIE opens. WFI may also
	 * return early for no reason, hence the loop. The test looks for the interrupt being
	 * taken rather than reading sip.STIP: QEMU 7.2 does not show a pending VS timer
	 * interrupt in a VS-mode read of sip, though it delivers it. */
	uint64_t woke = 0;
	while (h->timer_irqs == 0 && !tk_expired(limit)) {
		wfi();
		wakes++;
		woke = rdtime();
		irq_enable();
		irq_disable();
	}
	if (h->timer_irqs == 0) {
		return tk_fail(r, "no timer interrupt %d ms after WFI (%u wake-ups)",
		               TIMER_TIMEOUT_MS, wakes);
	}
	/* The handler's timestamp, not `woke`: a WFI that returned early for another reason
	 * may be followed by the interrupt arriving on time just before SIE opens. */
	if (h->timer_irq_time < deadline) {
		return tk_fail(r, "timer interrupt taken %lu us before the deadline",
		               tk_us_from_ticks(deadline - h->timer_irq_time));
	}
	if (h->timer_irqs != 1) {
		return tk_fail(r, "pending timer interrupt taken %u times, expected once",
		               h->timer_irqs);
	}
	sbi_set_timer(UINT64_MAX);
	tk_printf("INFO wfi_wakeup woke %lu us after the deadline, %u WFI\n",
	          tk_us_from_ticks(woke - deadline), wakes);
	return TK_PASS;
}

static int rfence_all(struct tk_result *r, const struct tk_hart_mask *m, const char *target)
{
	struct sbiret ret;

	ret = sbi_ecall(SBI_EXT_RFENCE, 0, m->mask, m->base, 0, 0, 0);
	if (ret.error != SBI_SUCCESS) {
		return tk_fail(r, "remote_fence_i(%s) returned %s", target,
		               sbi_strerror(ret.error));
	}
	/* The whole address space: start 0 and size 0, or size 2^XLEN - 1 (8.2). */
	ret = sbi_ecall(SBI_EXT_RFENCE, 1, m->mask, m->base, 0, 0, 0);
	if (ret.error != SBI_SUCCESS) {
		return tk_fail(r, "remote_sfence_vma(%s, 0, 0) returned %s", target,
		               sbi_strerror(ret.error));
	}
	ret = sbi_ecall(SBI_EXT_RFENCE, 1, m->mask, m->base, 0, ~0UL, 0);
	if (ret.error != SBI_SUCCESS) {
		return tk_fail(r, "remote_sfence_vma(%s, 0, -1) returned %s", target,
		               sbi_strerror(ret.error));
	}
	ret = sbi_ecall(SBI_EXT_RFENCE, 2, m->mask, m->base, 0, ~0UL, 0);
	if (ret.error != SBI_SUCCESS) {
		return tk_fail(r, "remote_sfence_vma_asid(%s, 0, -1, asid 0) returned %s", target,
		               sbi_strerror(ret.error));
	}
	return TK_PASS;
}

int test_sbi_rfence(struct tk_result *r)
{
	struct tk_hart_mask masks[TK_MAX_HARTS];
	char why[120];

	if (!sbi_probe(SBI_EXT_RFENCE)) {
		return tk_skip(r, "RFENCE extension not present");
	}
	/* With the other harts running, the fences reach them rather than stopped harts. */
	bool others = tk_hart_slots > 1 && sbi_probe(SBI_EXT_HSM);

	if (others && tk_secondaries_start(why, sizeof(why)) < 0) {
		return tk_fail(r, "%s", why);
	}
	unsigned int count = tk_hart_masks(true, masks, TK_MAX_HARTS);

	for (unsigned int i = 0; i < count; i++) {
		if (rfence_all(r, &masks[i], "hart mask") != TK_PASS) {
			return TK_FAIL;
		}
	}
	const struct tk_hart_mask all = {.mask = 0, .base = SBI_HART_MASK_ALL};

	if (rfence_all(r, &all, "all harts") != TK_PASS) {
		return TK_FAIL;
	}
	struct sbiret ret = sbi_ecall(SBI_EXT_RFENCE, 0, 1, tk_invalid_hartid(), 0, 0, 0);

	if (ret.error != SBI_ERR_INVALID_PARAM) {
		return tk_fail(r,
		               "remote_fence_i to hart %lu returned %s, expected "
		               "SBI_ERR_INVALID_PARAM",
		               tk_invalid_hartid(), sbi_strerror(ret.error));
	}
	if (others && tk_secondaries_stop(why, sizeof(why)) < 0) {
		return tk_fail(r, "%s", why);
	}
	return TK_PASS;
}

int test_sbi_dbcn(struct tk_result *r)
{
	static const char line[] = "INFO sbi_dbcn console_write works\n";
	static const char bytes[] = "INFO sbi_dbcn console_write_byte works\n";
	const struct tk_range *ram = tk_image_region();
	const unsigned long bad[] = {UNASSIGNED_PA, ram != NULL ? ram->base + ram->size : 0};

	if (!tk_console_has_dbcn()) {
		return tk_skip(r, "DBCN extension not present");
	}
	/* console_write: a0 = length, a1/a2 = physical address low/high (12.1). */
	struct sbiret ret =
	    sbi_ecall(SBI_EXT_DBCN, 0, sizeof(line) - 1, (unsigned long)(uintptr_t)line, 0, 0, 0);

	if (ret.error != SBI_SUCCESS || ret.value != (long)sizeof(line) - 1) {
		return tk_fail(r, "console_write of %zu bytes returned %s, value %ld",
		               sizeof(line) - 1, sbi_strerror(ret.error), ret.value);
	}
	for (size_t i = 0; i < sizeof(bytes) - 1; i++) {
		ret = sbi_ecall(SBI_EXT_DBCN, 2, (unsigned char)bytes[i], 0, 0, 0, 0);
		if (ret.error != SBI_SUCCESS) {
			tk_printf("\n");
			return tk_fail(r, "console_write_byte returned %s",
			               sbi_strerror(ret.error));
		}
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (bad[i] == 0) {
			continue;
		}
		ret = sbi_ecall(SBI_EXT_DBCN, 0, 16, bad[i], 0, 0, 0);
		if (ret.error != SBI_ERR_INVALID_PARAM && ret.error != SBI_ERR_INVALID_ADDRESS) {
			return tk_fail(r,
			               "console_write from 0x%lx (not RAM) returned %s, value %ld",
			               bad[i], sbi_strerror(ret.error), ret.value);
		}
	}
	return TK_PASS;
}
