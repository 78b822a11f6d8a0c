# SPDX-License-Identifier: GPL-2.0-only
# The guest Goldfish RTC model against a fake clock, and the host driver's read order.
test_goldfish_rtc_SRCS := emul/goldfish_rtc.c drivers/goldfish_rtc.c
