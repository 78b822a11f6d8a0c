# SPDX-License-Identifier: GPL-2.0-only
# ChaCha20 against RFC 8439 vectors and the generator on top of it, with the host timer stub.
test_random_SRCS := lib/random.c arch/host/host_timer.c arch/host/host_arch.c
