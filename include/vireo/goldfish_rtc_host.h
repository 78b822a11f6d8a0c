/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Host driver for a Goldfish RTC (drivers/goldfish_rtc.c): register logic only; the address
 * comes from struct platform. The hypervisor reads it once, at boot (core/wallclock.c).
 */
#ifndef VIREO_GOLDFISH_RTC_HOST_H
#define VIREO_GOLDFISH_RTC_HOST_H

#include <vireo/types.h>

/** Reads the RTC at base: nanoseconds since the Unix epoch. */
uint64_t goldfish_rtc_host_read_ns(paddr_t base);

#endif
