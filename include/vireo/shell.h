/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The management shell on the host console. Commands live in a table per command group
 * (shell/cmd_*.c), listed in shell/cmd_table.c.
 */
#ifndef VIREO_SHELL_H
#define VIREO_SHELL_H

#include <vireo/compiler.h>
#include <vireo/shell_cmd.h>

#define SHELL_PROMPT "vireo> "

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

/** Longest error message: room for a whole command line (LINE_EDIT_MAX) quoted in it. */
#define SHELL_ERROR_MAX 448

/**
 * Prints "error: <cmd>: <msg>" (one line; a message is never cut shorter than
 * SHELL_ERROR_MAX). Returns VIREO_EINVAL for chaining.
 */
__printf_like(2, 3) int shell_error(const char *cmd, const char *fmt, ...);

/** Prints "error: usage: <form> (see 'help <cmd>')". Returns VIREO_EINVAL. */
int shell_usage_error(const struct shell_cmd *cmd, const struct shell_form *form);

/** Prints cmd's summary and every usage form (what `help <cmd>` shows). */
void shell_print_help(const struct shell_cmd *cmd);

#endif
