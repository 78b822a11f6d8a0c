/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Shell command descriptions and matching (shell/dispatch.c, no I/O). A command has one or more
 * forms: subcommand words after its name ("info", "cpu info", or none) and how many arguments
 * follow them. Usage lines and errors are derived from the forms, so every command reports
 * mistakes the same way.
 */
#ifndef VIREO_SHELL_CMD_H
#define VIREO_SHELL_CMD_H

#include <vireo/types.h>

#define SHELL_ARGS_ANY 0xffffU

struct shell_form {
	const char *words;     /**< subcommand words, "" for none */
	const char *args;      /**< argument synopsis for usage ("<name>", "[text...]"), or "" */
	unsigned int min_args; /**< arguments after the words */
	unsigned int max_args; /**< SHELL_ARGS_ANY for no limit */
	/** Runs with the arguments after the words. 0, or VIREO_E* after printing why. */
	int (*run)(int argc, char **argv);
};

struct shell_cmd {
	const char *name;
	const char *summary; /**< one line for `help` */
	const struct shell_form *forms;
	unsigned int form_count;
};

enum shell_match_result {
	SHELL_MATCH_OK,
	SHELL_MATCH_NO_SUBCOMMAND,      /**< the command needs a subcommand and got none */
	SHELL_MATCH_UNKNOWN_SUBCOMMAND, /**< argv[1] starts no form */
	SHELL_MATCH_BAD_ARGS,           /**< *form matched but the argument count is wrong */
};

/**
 * Finds the form of cmd that argv (argv[0] = the command name) selects: the form whose words
 * match the most leading arguments. On SHELL_MATCH_OK and SHELL_MATCH_BAD_ARGS, *form is that
 * form and *first_arg the index of its first argument in argv.
 */
enum shell_match_result shell_match(const struct shell_cmd *cmd, int argc, char **argv,
                                    const struct shell_form **form, int *first_arg);

/**
 * Writes "name words args" (single spaces, empty parts left out) into buf. Returns the length
 * it needed, like snprintf.
 */
size_t shell_form_usage(const struct shell_cmd *cmd, const struct shell_form *form, char *buf,
                        size_t size);

#endif
