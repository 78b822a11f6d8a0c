/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shell's parsers (shell/parse.c) on arbitrary lines. The first byte chooses the output
 * buffer size (1..256) and the argument limit, the second a key for cmdline_get_value(); the
 * rest, up to its first NUL, is the line. The line is split into commands, each command into
 * arguments, and the key looked up as on the hypervisor command line.
 *
 * Checked: every buffer handed out is NUL-terminated inside its size (ASan checks the bounds,
 * every buffer is allocated at its exact size); commands are non-empty, start with no blank
 * and end with one only after a quote or escape; the cursor only moves forward inside the line; argc stays within the limit and
 * every argument lies inside the line; a value's length is what was copied.
 */
#include <vireo/errno.h>
#include <vireo/shell_parse.h>

#include "fuzz.h"

static const char *const keys[] = {"vireo.bootcmd", "console", "a", "=", "\"", ""};

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static void split(const char *cmd, int max_args)
{
	size_t n = strlen(cmd);
	char *line = malloc(n + 1);
	char *argv[SHELL_MAX_ARGS + 1];
	int argc;

	memcpy(line, cmd, n + 1);
	argc = shell_split_args(line, argv, max_args);
	if (argc >= 0) {
		FUZZ_CHECK(argc <= max_args);
		for (int i = 0; i < argc; i++) {
			FUZZ_CHECK(argv[i] >= line && argv[i] <= line + n);
			FUZZ_CHECK(argv[i] + strlen(argv[i]) <= line + n);
		}
	} else {
		FUZZ_CHECK(argc == VIREO_EINVAL || argc == VIREO_ENOSPC);
	}
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	size_t out_size = (size_t)fuzz_u8(&in) + 1u;
	int max_args = (int)(out_size % (SHELL_MAX_ARGS + 1u));
	const char *key = keys[fuzz_u8(&in) % (sizeof(keys) / sizeof(keys[0]))];
	size_t len = strnlen((const char *)in.p, in.left);
	char *line = malloc(len + 1);
	char *out = malloc(out_size);
	const char *cursor = line;
	int ret;

	memcpy(line, in.p, len);
	line[len] = '\0';
	for (;;) {
		const char *before = cursor;

		ret = shell_next_command(&cursor, out, out_size);
		FUZZ_CHECK(cursor >= before && cursor <= line + len);
		if (ret != 1) {
			FUZZ_CHECK(ret == 0 || ret == VIREO_ERANGE);
			break;
		}
		size_t n = strnlen(out, out_size);

		FUZZ_CHECK(n > 0 && n < out_size && cursor > before);
		/* Trailing blanks stay only when quoted or escaped ("a\\ ", "'a '"). */
		FUZZ_CHECK(!blank(out[0]));
		FUZZ_CHECK(!blank(out[n - 1]) || n == 1 || strpbrk(out, "\\'\"") != NULL);
		split(out, max_args);
	}
	split(line, max_args);
	ret = cmdline_get_value(line, key, out, out_size);
	if (ret >= 0) {
		FUZZ_CHECK((size_t)ret < out_size && strnlen(out, out_size) == (size_t)ret);
	} else {
		FUZZ_CHECK(ret == VIREO_ENOENT || ret == VIREO_ERANGE || ret == VIREO_EINVAL);
	}
	free(out);
	free(line);
	return 0;
}
