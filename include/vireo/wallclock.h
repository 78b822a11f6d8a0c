/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Wall-clock time (core/wallclock.c): nanoseconds since the Unix epoch (1970-01-01T00:00:00Z,
 * UTC, no leap seconds), derived from one read of the host RTC at boot plus the monotonic clock
 * (core/clock.c) since then. Without an RTC it starts at WALLCLOCK_FALLBACK_NS. Nothing writes
 * the host RTC; guests keep their own offsets in their RTC models.
 */
#ifndef VIREO_WALLCLOCK_H
#define VIREO_WALLCLOCK_H

#include <vireo/platform.h>
#include <vireo/types.h>

/** 2020-01-01T00:00:00Z: the wall clock's start when the machine has no RTC. */
#define WALLCLOCK_FALLBACK_NS (1577836800ULL * 1000000000ULL)

/** Room for "YYYY-MM-DDTHH:MM:SSZ" and its NUL. */
#define WALLCLOCK_ISO_SIZE 24

/** A broken-down UTC time. */
struct wallclock_date {
	unsigned int year;  /**< e.g. 2024 */
	unsigned int month; /**< 1..12 */
	unsigned int day;   /**< 1..31 */
	unsigned int hour;
	unsigned int minute;
	unsigned int second;
	uint32_t nsec;
};

/**
 * Starts the wall clock: one read of plat's RTC if it has one, else WALLCLOCK_FALLBACK_NS.
 * Boot, after clock_init(). Returns true when the time came from an RTC.
 */
bool wallclock_init(const struct platform *plat);

/** Makes the wall clock read unix_ns now (boot; unit tests). */
void wallclock_set(uint64_t unix_ns);

/** Nanoseconds since the Unix epoch. Any context, any hart. */
uint64_t wallclock_now_ns(void);

/** True when the time came from an RTC rather than the fallback epoch. */
bool wallclock_is_set(void);

/** The monotonic clock_now() value at which the wall clock reads unix_ns (0 if before boot). */
nsec_t wallclock_to_monotonic(uint64_t unix_ns);

/** Converts unix_ns to a UTC calendar date (proleptic Gregorian). */
void wallclock_to_date(uint64_t unix_ns, struct wallclock_date *d);

/** Writes unix_ns as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" into buf; returns buf. */
char *wallclock_format(uint64_t unix_ns, char buf[WALLCLOCK_ISO_SIZE]);

#endif
