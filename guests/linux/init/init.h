/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Vireo's Linux guest init (docs/linux-guest.md): a static PID 1 that mounts the basic file
 * systems, configures the network from the kernel command line, prints the boot marker and runs
 * a small shell on the console, and a second one on /dev/hvc0 when there is a virtio console
 * that is not the kernel console (a child process, so its failure cannot take PID 1 down).
 * PID 1 never exits: PID 1 returning or dying panics the kernel.
 */
#ifndef VIREO_INIT_H
#define VIREO_INIT_H

#include <stddef.h>
#include <stdint.h>

/** Largest hostname we accept from vireo.name= (the kernel's limit is 64 with the NUL). */
#define INIT_HOSTNAME_MAX 63

/* ---- util.c --------------------------------------------------------------------------- */

/**
 * Copy the value of `key=` from the kernel command line (/proc/cmdline) into buf.
 * Returns 0, or -1 when the parameter is absent or does not fit.
 */
int cmdline_get(const char *key, char *buf, size_t size);

/** Read at most size-1 bytes of a small file (sysfs/procfs) as a NUL-terminated string with
 *  trailing newlines removed. Returns 0 or -1 (errno set). */
int read_small_file(const char *path, char *buf, size_t size);

/** Parse a decimal unsigned integer that must fill the whole string. Returns 0 or -1. */
int parse_uint(const char *s, unsigned long max, unsigned long *out);

/** Parse "a.b.c.d/prefix" ("/prefix" optional, default 24) into network-order address and a
 *  prefix length. Returns 0 or -1. */
int parse_ipv4_prefix(const char *s, uint32_t *addr, unsigned *prefix);

/** Monotonic clock in microseconds. */
uint64_t now_us(void);

/** Set by the SIGINT handler (^C on the console); commands that loop or wait check it. */
extern volatile int interrupted;

/* ---- net.c ---------------------------------------------------------------------------- */

/** Give `ifname` the address and prefix and bring it up. Prints one line either way.
 *  Returns 0 or -1. */
int net_configure(const char *ifname, uint32_t addr, unsigned prefix);

/** Bring an interface up without touching its addresses (used for lo). Returns 0 or -1. */
int net_link_up(const char *ifname);

/* ---- cmd_sys.c ------------------------------------------------------------------------ */

/** Set the system clock from /dev/rtc0 and print one line saying what the time is. */
void clock_from_rtc(void);

/* ---- shell.c -------------------------------------------------------------------------- */

/** The interactive shell on fds 0/1. Never returns. */
void shell_run(const char *hostname) __attribute__((noreturn));

/* ---- commands: int cmd_<name>(argc, argv), 0 on success, non-zero on failure ------------- */

int cmd_ls(int argc, char **argv);
int cmd_cat(int argc, char **argv);
int cmd_echo(int argc, char **argv);
int cmd_date(int argc, char **argv);
int cmd_uname(int argc, char **argv);
int cmd_dmesg(int argc, char **argv);
int cmd_sleep(int argc, char **argv);
int cmd_poweroff(int argc, char **argv);
int cmd_reboot(int argc, char **argv);
int cmd_ip(int argc, char **argv);
int cmd_ping(int argc, char **argv);
int cmd_blkcheck(int argc, char **argv);
int cmd_hexdump(int argc, char **argv);

#endif
