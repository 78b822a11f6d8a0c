/* SPDX-License-Identifier: GPL-2.0-only */
/** Every shell command group; `help` lists them in this order. */
#include <vireo/shell.h>

extern const struct shell_group shell_group_system;
extern const struct shell_group shell_group_host;
extern const struct shell_group shell_group_heap;
extern const struct shell_group shell_group_thread;
extern const struct shell_group shell_group_guest;
extern const struct shell_group shell_group_vcpu;
extern const struct shell_group shell_group_vserial;
extern const struct shell_group shell_group_vdisk;
extern const struct shell_group shell_group_vnet;

const struct shell_group *const shell_groups[] = {
    &shell_group_system,  &shell_group_host,
    &shell_group_heap,    &shell_group_thread,
    &shell_group_guest,   &shell_group_vcpu,
    &shell_group_vserial, &shell_group_vdisk,
    &shell_group_vnet,    NULL,
};
