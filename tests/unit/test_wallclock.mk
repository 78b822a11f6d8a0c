# SPDX-License-Identifier: GPL-2.0-only
# Wall clock from a fake host RTC (memory standing in for its registers) and the host timer stub.
test_wallclock_SRCS := core/wallclock.c core/clock.c drivers/goldfish_rtc.c arch/host/host_timer.c
