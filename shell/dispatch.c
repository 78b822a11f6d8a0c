/* SPDX-License-Identifier: GPL-2.0-only */
/** Matching a split command line against a command's forms, and usage lines for them. */
#include <vireo/shell_cmd.h>
#include <vireo/string.h>

/*
 * Counts how many words of `words` (blank-separated) equal argv[1], argv[2], ...; returns that
 * count if all of them match, else -1.
 */
static int match_words(const char *words, int argc, char **argv)
{
	int n = 0;
	const char *p = words;

	while (*p) {
		while (*p == ' ') {
			p++;
		}
		if (!*p) {
			break;
		}
		const char *end = p;
		while (*end && *end != ' ') {
			end++;
		}
		size_t len = (size_t)(end - p);
		if (n + 1 >= argc || strlen(argv[n + 1]) != len ||
		    memcmp(argv[n + 1], p, len) != 0) {
			return -1;
		}
		n++;
		p = end;
	}
	return n;
}

enum shell_match_result shell_match(const struct shell_cmd *cmd, int argc, char **argv,
                                    const struct shell_form **form, int *first_arg)
{
	const struct shell_form *best = NULL;
	int best_words = -1;

	for (unsigned int i = 0; i < cmd->form_count; i++) {
		int n = match_words(cmd->forms[i].words, argc, argv);
		if (n > best_words) {
			best = &cmd->forms[i];
			best_words = n;
		}
	}
	if (!best) {
		return argc < 2 ? SHELL_MATCH_NO_SUBCOMMAND : SHELL_MATCH_UNKNOWN_SUBCOMMAND;
	}
	*form = best;
	*first_arg = 1 + best_words;
	unsigned int nargs = (unsigned int)(argc - *first_arg);
	if (nargs < best->min_args || nargs > best->max_args) {
		return SHELL_MATCH_BAD_ARGS;
	}
	return SHELL_MATCH_OK;
}

static size_t append(char *buf, size_t size, size_t pos, const char *s)
{
	if (!*s) {
		return pos;
	}
	if (pos) {
		if (pos + 1 < size) {
			buf[pos] = ' ';
		}
		pos++;
	}
	for (; *s; s++, pos++) {
		if (pos + 1 < size) {
			buf[pos] = *s;
		}
	}
	return pos;
}

size_t shell_form_usage(const struct shell_cmd *cmd, const struct shell_form *form, char *buf,
                        size_t size)
{
	size_t pos = append(buf, size, 0, cmd->name);
	pos = append(buf, size, pos, form->words);
	pos = append(buf, size, pos, form->args);
	if (size) {
		buf[pos < size ? pos : size - 1] = '\0';
	}
	return pos;
}
