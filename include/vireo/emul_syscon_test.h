/* SPDX-License-Identifier: GPL-2.0-only */
/** The QEMU virt "test" device a guest powers off and reboots with (emul/syscon_test.c). */
#ifndef VIREO_EMUL_SYSCON_TEST_H
#define VIREO_EMUL_SYSCON_TEST_H

#include <vireo/vmmio.h>

#define SYSCON_TEST_BASE 0x100000ULL
#define SYSCON_TEST_SIZE 0x1000ULL

/** The device model; it keeps no state, so every guest shares dev = NULL. */
extern const struct vmmio_ops syscon_test_ops;

#endif
