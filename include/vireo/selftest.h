/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Built-in self tests of the host machinery (cross calls, timer events, the scheduler, console
 * output from every hart at once, thread teardown). Run from the shell with `host selftest`;
 * each test prints "selftest: <name> PASS|FAIL <details>".
 */
#ifndef VIREO_SELFTEST_H
#define VIREO_SELFTEST_H

/** Runs the named test, or all with "all". Returns 0 if all ran passed, else VIREO_E*. */
int selftest_run(const char *name);

/** Space-separated names of the tests, for help text. */
extern const char selftest_names[];

#endif
