/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Secondary harts. The boot hart starts each one with HSM hart_start at tk_secondary_entry
 * with its struct tk_hart as the opaque value; the hart parks in WFI with SSIE enabled,
 * counting interrupts, until told to stop, then calls hart_stop. A timer 20 ms ahead bounds
 * every WFI and a deadline bounds the whole park, so a lost IPI or a dead boot hart cannot
 * keep a secondary forever.
 */
#include "testkit.h"
#include "csr.h"
#include "sbi.h"

#define PARK_TIMEOUT_MS  20000
#define PARK_WAKE_US     20000
#define START_TIMEOUT_MS 5000
#define STOP_TIMEOUT_MS  5000

struct tk_hart tk_harts[TK_MAX_HARTS];
unsigned int tk_hart_slots;

void tk_secondary_main(struct tk_hart *h)
{
	enum tk_state end = TK_STATE_LEAVING;

	h->trap_depth = 0;
	__atomic_fetch_add(&h->runs, 1, __ATOMIC_ACQ_REL);
	/* An IPI left over from an earlier run would be counted now: drop it before arming. */
	csr_clear(CSR_SIP, SIP_SSIP);
	csr_write(CSR_SIE, SIP_SSIP | SIP_STIP);
	__atomic_store_n(&h->state, TK_STATE_READY, __ATOMIC_RELEASE);

	uint64_t deadline = tk_deadline_ms(PARK_TIMEOUT_MS);

	for (;;) {
		uint32_t cmd = __atomic_load_n(&h->cmd, __ATOMIC_ACQUIRE);
		if (cmd == TK_CMD_SUSPEND) {
			/* Only the IPI may end it: no timer, software interrupts alone. SBI v2.0
			 * 9.4: suspend_type is 32 bits, so the junk in a0's upper half must be
			 * ignored and this is a retentive suspend (type 0). */
			sbi_set_timer(UINT64_MAX);
			csr_write(CSR_SIE, SIP_SSIP);
			h->suspend_error =
			    sbi_ecall(SBI_EXT_HSM, 3, 0xa5UL << 56, 0, 0, 0, 0).error;
			csr_clear(CSR_SIP, SIP_SSIP);
			csr_write(CSR_SIE, SIP_SSIP | SIP_STIP);
			__atomic_store_n(&h->cmd, TK_CMD_PARK, __ATOMIC_RELEASE);
			__atomic_fetch_add(&h->suspends, 1, __ATOMIC_ACQ_REL);
			continue;
		}
		if (cmd != TK_CMD_PARK) {
			break;
		}
		if (tk_expired(deadline)) {
			end = TK_STATE_TIMEOUT;
			break;
		}
		csr_set(CSR_SIE, SIP_STIP);
		sbi_set_timer(rdtime() + tk_ticks_from_us(PARK_WAKE_US));
		/* WFI wakes on a pending enabled interrupt even with SIE clear (priv. spec 3.3.3);
		 * opening SIE afterwards takes it, with no window to lose a wake-up. */
		wfi();
		irq_enable();
		irq_disable();
	}
	sbi_set_timer(UINT64_MAX);
	csr_write(CSR_SIE, 0);
	__atomic_store_n(&h->state, end, __ATOMIC_RELEASE);
	long err = sbi_hart_stop();

	/* hart_stop only returns on failure (SBI spec v2.0, 9.2). */
	h->error_cause = (uint64_t)err;
	h->error_epc = 0;
	h->error_tval = 0;
	__atomic_store_n(&h->state, TK_STATE_ERROR, __ATOMIC_RELEASE);
	for (;;) {
		wfi();
	}
}

static void trap_reason(const struct tk_hart *h, char *why, size_t why_size)
{
	if (h->error_epc == 0) {
		tk_snprintf(why, why_size, "hart %lu: hart_stop returned %s", h->hartid,
		            sbi_strerror((long)h->error_cause));
	} else {
		tk_snprintf(why, why_size,
		            "hart %lu took an unexpected trap scause=0x%lx sepc=0x%lx stval=0x%lx",
		            h->hartid, h->error_cause, h->error_epc, h->error_tval);
	}
}

int tk_secondaries_start(char *why, size_t why_size)
{
	for (unsigned int i = 1; i < tk_hart_slots; i++) {
		struct tk_hart *h = &tk_harts[i];

		h->cmd = TK_CMD_PARK;
		h->state = TK_STATE_OFF;
		h->timer_irqs = 0;
		h->soft_irqs = 0;
		h->other_irqs = 0;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		long err = sbi_hart_start(h->hartid, (unsigned long)(uintptr_t)tk_secondary_entry,
		                          (unsigned long)(uintptr_t)h);

		if (err != SBI_SUCCESS) {
			tk_snprintf(why, why_size, "hart_start(%lu) returned %s", h->hartid,
			            sbi_strerror(err));
			return -1;
		}
	}
	uint64_t deadline = tk_deadline_ms(START_TIMEOUT_MS);

	for (unsigned int i = 1; i < tk_hart_slots; i++) {
		struct tk_hart *h = &tk_harts[i];
		uint32_t state;

		while ((state = __atomic_load_n(&h->state, __ATOMIC_ACQUIRE)) == TK_STATE_OFF &&
		       !tk_expired(deadline)) {
		}
		if (state == TK_STATE_ERROR) {
			trap_reason(h, why, why_size);
			return -1;
		}
		if (state != TK_STATE_READY) {
			tk_snprintf(why, why_size, "hart %lu did not run within 5 s of hart_start",
			            h->hartid);
			return -1;
		}
	}
	return (int)tk_hart_slots - 1;
}

static const char *state_name(uint32_t state)
{
	switch (state) {
	case TK_STATE_OFF:
		return "never started";
	case TK_STATE_READY:
		return "still parked";
	case TK_STATE_LEAVING:
		return "stopping";
	case TK_STATE_TIMEOUT:
		return "gave up waiting for the boot hart";
	case TK_STATE_ERROR:
		return "took an unexpected trap";
	default:
		return "in an unknown state";
	}
}

int tk_secondaries_stop(char *why, size_t why_size)
{
	int rc = 0;

	for (unsigned int i = 1; i < tk_hart_slots; i++) {
		__atomic_store_n(&tk_harts[i].cmd, TK_CMD_STOP, __ATOMIC_RELEASE);
	}
	uint64_t deadline = tk_deadline_ms(STOP_TIMEOUT_MS);

	for (unsigned int i = 1; i < tk_hart_slots; i++) {
		struct tk_hart *h = &tk_harts[i];
		struct sbiret st;

		do {
			st = sbi_hart_get_status(h->hartid);
		} while (st.error == SBI_SUCCESS && st.value != SBI_HSM_STOPPED &&
		         !tk_expired(deadline));
		uint32_t state = __atomic_load_n(&h->state, __ATOMIC_ACQUIRE);

		if (rc == 0 && state == TK_STATE_ERROR) {
			trap_reason(h, why, why_size);
			rc = -1;
		} else if (rc == 0 && st.error != SBI_SUCCESS) {
			tk_snprintf(why, why_size, "hart_get_status(%lu) returned %s", h->hartid,
			            sbi_strerror(st.error));
			rc = -1;
		} else if (rc == 0 && st.value != SBI_HSM_STOPPED) {
			tk_snprintf(why, why_size,
			            "hart %lu not STOPPED within 5 s (status %ld, %s)", h->hartid,
			            st.value, state_name(state));
			rc = -1;
		} else if (rc == 0 && state != TK_STATE_LEAVING) {
			tk_snprintf(why, why_size, "hart %lu stopped but %s", h->hartid,
			            state_name(state));
			rc = -1;
		}
	}
	return rc;
}

unsigned int tk_hart_masks(bool with_boot, struct tk_hart_mask *out, unsigned int max)
{
	unsigned int count = 0;

	for (unsigned int i = with_boot ? 0 : 1; i < tk_hart_slots; i++) {
		unsigned long id = tk_harts[i].hartid;
		unsigned long base = id & ~63UL;
		unsigned int j;

		for (j = 0; j < count && out[j].base != base; j++) {
		}
		if (j == count) {
			if (count == max) {
				continue;
			}
			out[count].base = base;
			out[count].mask = 0;
			count++;
		}
		out[j].mask |= 1UL << (id - base);
	}
	return count;
}

unsigned long tk_invalid_hartid(void)
{
	unsigned long id = 0x10000;

	for (unsigned int i = 0; i < tk_hart_slots; i++) {
		if (tk_harts[i].hartid >= id) {
			id = tk_harts[i].hartid + 0x10000;
		}
	}
	return id;
}
