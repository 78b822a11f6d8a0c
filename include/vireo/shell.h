/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The management shell on the host console. Commands live in a table per command group
 * (shell/cmd_*.c), listed in shell/cmd_table.c.
 */
#ifndef VIREO_SHELL_H
#define VIREO_SHELL_H

#include <vireo/compiler.h>

#define SHELL_PROMPT "vireo> "

struct shell_cmd {
	const char *name;
	const char *summary; /**< one line for `help` */
	const char *usage;   /**< full usage for `help <cmd>`, one line per form */
	/** Runs with argv[0] = name. Returns 0, or a negative VIREO_E* after printing why. */
	int (*run)(int argc, char **argv);
};

struct shell_group {
	const struct shell_cmd *cmds;
	unsigned int count;
};

/** Every command group, NULL-terminated (shell/cmd_table.c). */
extern const struct shell_group *const shell_groups[];

/** Looks a command up by name, NULL if unknown. */
const struct shell_cmd *shell_find(const char *name);

/** Parses and runs one line (which may hold several ';'-separated commands). */
int shell_exec_line(const char *line);

/**
 * Starts the shell thread on cpu 0. Commands found in `bootargs` as vireo.bootcmd="a; b" run
 * first, each echoed after the prompt.
 */
int shell_start(const char *bootargs);

/** Prints "error: <cmd>: <msg>" (one line). Returns VIREO_EINVAL for chaining. */
__printf_like(2, 3) int shell_error(const char *cmd, const char *fmt, ...);

/** Prints the usage of cmd as a one-line error. Returns VIREO_EINVAL. */
int shell_usage_error(const struct shell_cmd *cmd);

#endif
