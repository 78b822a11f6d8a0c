/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Shell command-line parsing: splitting a line into commands at ';' and a command into
 * arguments. Quoting: "..." and '...' group words (no expansion inside '...'; inside "..." a
 * backslash escapes " and \); outside quotes a backslash escapes the next byte. Arguments are
 * separated by spaces and tabs.
 */
#ifndef VIREO_SHELL_PARSE_H
#define VIREO_SHELL_PARSE_H

#include <vireo/types.h>

#define SHELL_MAX_ARGS 16

/**
 * Copies the next ';'-separated command of *cursor (quotes respected, a ';' inside quotes is
 * not a separator) into out, without leading/trailing blanks, and advances *cursor past it.
 * Empty commands ("a;;b") are skipped. Returns 1 when a command was produced, 0 at the end,
 * VIREO_ERANGE if the command does not fit in out_size.
 */
int shell_next_command(const char **cursor, char *out, size_t out_size);

/**
 * Splits line in place into argv (NUL-terminated words, quotes removed). Returns argc (>= 0),
 * VIREO_EINVAL for an unterminated quote or trailing backslash, VIREO_ENOSPC for more than
 * max_args words.
 */
int shell_split_args(char *line, char **argv, int max_args);

/**
 * Finds key=value in a kernel-style command line (words separated by blanks, value optionally
 * double-quoted, e.g. vireo.bootcmd="host info; version"). Copies the unquoted value into out.
 * Returns the value length, VIREO_ENOENT if the key is absent, VIREO_ERANGE if it does not fit,
 * VIREO_EINVAL for an unterminated quote.
 */
int cmdline_get_value(const char *cmdline, const char *key, char *out, size_t out_size);

#endif
