/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Host Goldfish RTC, read only. Android emulator docs/GOLDFISH-VIRTUAL-HARDWARE.TXT ("Goldfish
 * real-time clock"): the 64-bit time in ns is read as two 32-bit registers, TIME_LOW at 0x00
 * first (the device captures the high half at that moment) and then TIME_HIGH at 0x04, so the
 * pair is consistent without a retry loop.
 */
#include <vireo/goldfish_rtc_host.h>

#define REG_TIME_LOW  0x00
#define REG_TIME_HIGH 0x04

static uint32_t reg_read(paddr_t base, unsigned int reg)
{
	return *(volatile const uint32_t *)(uintptr_t)(base + reg);
}

uint64_t goldfish_rtc_host_read_ns(paddr_t base)
{
	uint32_t low = reg_read(base, REG_TIME_LOW);
	uint32_t high = reg_read(base, REG_TIME_HIGH);
	return (uint64_t)high << 32 | low;
}
