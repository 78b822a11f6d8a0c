# SPDX-License-Identifier: GPL-2.0-only
# Rate limits for guest-triggered log messages: pure, time passed in.
test_log_limit_SRCS := core/log_limit.c
