/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Wall clock = RTC reading at boot + monotonic time since. The RTC is read exactly once: the
 * monotonic clock is exact (core/clock.c), and the host RTC belongs to whoever reads it later
 * (a guest, through pass-through, or nobody); one read also keeps boot cheap.
 *
 * The origin is stored as "Unix time at monotonic 0" and written with a 64-bit atomic store,
 * so readers on other harts see either the old or the new value, never a torn one.
 */
#include <vireo/clock.h>
#include <vireo/goldfish_rtc_host.h>
#include <vireo/printf.h>
#include <vireo/wallclock.h>

#define SEC_PER_DAY 86400U

static uint64_t origin_ns = WALLCLOCK_FALLBACK_NS; /* Unix time at clock_now() == 0 */
static uint32_t from_rtc;                          /* 32-bit: no 8-bit atomics */

void wallclock_set(uint64_t unix_ns)
{
	nsec_t mono = clock_now();
	/* An RTC reading before the boot moment (a broken RTC) pins the origin at the epoch. */
	uint64_t origin = unix_ns > mono ? unix_ns - mono : 0;
	__atomic_store_n(&origin_ns, origin, __ATOMIC_RELAXED);
}

bool wallclock_init(const struct platform *plat)
{
	if (plat->rtc.present) {
		wallclock_set(goldfish_rtc_host_read_ns(plat->rtc.base));
		__atomic_store_n(&from_rtc, 1, __ATOMIC_RELAXED);
		return true;
	}
	wallclock_set(WALLCLOCK_FALLBACK_NS);
	__atomic_store_n(&from_rtc, 0, __ATOMIC_RELAXED);
	return false;
}

uint64_t wallclock_now_ns(void)
{
	return __atomic_load_n(&origin_ns, __ATOMIC_RELAXED) + clock_now();
}

bool wallclock_is_set(void)
{
	return __atomic_load_n(&from_rtc, __ATOMIC_RELAXED) != 0;
}

nsec_t wallclock_to_monotonic(uint64_t unix_ns)
{
	uint64_t origin = __atomic_load_n(&origin_ns, __ATOMIC_RELAXED);
	return unix_ns > origin ? unix_ns - origin : 0;
}

void wallclock_to_date(uint64_t unix_ns, struct wallclock_date *d)
{
	uint64_t secs = unix_ns / NSEC_PER_SEC;
	uint64_t days = secs / SEC_PER_DAY;
	uint32_t tod = (uint32_t)(secs % SEC_PER_DAY);

	d->nsec = (uint32_t)(unix_ns % NSEC_PER_SEC);
	d->hour = tod / 3600;
	d->minute = tod / 60 % 60;
	d->second = tod % 60;

	/*
	 * Days to civil date, after H. Hinnant's "chrono-Compatible Low-Level Date Algorithms"
	 * (civil_from_days): count from 0000-03-01 so the leap day ends each year, split into
	 * 400-year eras of 146097 days, then the year of the era, the day of that March-based
	 * year, and the month by the 153-days-per-5-months rule.
	 */
	uint64_t z = days + 719468; /* days from 0000-03-01 to 1970-01-01 */
	uint64_t era = z / 146097;
	uint64_t doe = z - era * 146097;                                      /* [0, 146096] */
	uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
	uint64_t mp = (5 * doy + 2) / 153;                                    /* March = 0 */
	uint64_t year = yoe + era * 400;
	d->day = (unsigned int)(doy - (153 * mp + 2) / 5 + 1);
	d->month = (unsigned int)(mp < 10 ? mp + 3 : mp - 9);
	d->year = (unsigned int)(year + (d->month <= 2 ? 1 : 0));
}

char *wallclock_format(uint64_t unix_ns, char buf[WALLCLOCK_ISO_SIZE])
{
	struct wallclock_date d;
	wallclock_to_date(unix_ns, &d);
	snprintf(buf, WALLCLOCK_ISO_SIZE, "%04u-%02u-%02uT%02u:%02u:%02uZ", d.year, d.month, d.day,
	         d.hour, d.minute, d.second);
	return buf;
}
