/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for shell/dispatch.c: choosing a command form and writing usage lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/compiler.h>
#include <vireo/shell_cmd.h>

static int run_stub(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static const struct shell_form host_forms[] = {
    {"info", "", 0, 0, run_stub},
    {"cpu info", "", 0, 0, run_stub},
    {"cpu", "<n>", 1, 1, run_stub},
    {"selftest", "[name]", 0, 1, run_stub},
};
static const struct shell_cmd host = {"host", "test", host_forms, ARRAY_SIZE(host_forms)};

static const struct shell_form echo_forms[] = {{"", "[text...]", 0, SHELL_ARGS_ANY, run_stub}};
static const struct shell_cmd echo = {"echo", "test", echo_forms, ARRAY_SIZE(echo_forms)};

static const struct shell_form version_forms[] = {{"", "", 0, 0, run_stub}};
static const struct shell_cmd version = {"version", "test", version_forms, 1};

/* Splits a writable copy of line at spaces (enough for these tests). */
static int split(char *line, char **argv)
{
	int argc = 0;
	for (char *tok = strtok(line, " "); tok; tok = strtok(NULL, " ")) {
		argv[argc++] = tok;
	}
	return argc;
}

static enum shell_match_result match(const struct shell_cmd *cmd, const char *text,
                                     const struct shell_form **form, int *first)
{
	static char buf[128];
	static char *argv[16];
	strcpy(buf, text);
	int argc = split(buf, argv);
	*form = NULL;
	*first = -1;
	return shell_match(cmd, argc, argv, form, first);
}

static void test_longest_words_win(void **state)
{
	const struct shell_form *f;
	int first;
	(void)state;
	assert_int_equal(match(&host, "host cpu info", &f, &first), SHELL_MATCH_OK);
	assert_ptr_equal(f, &host_forms[1]);
	assert_int_equal(first, 3);
	assert_int_equal(match(&host, "host cpu 3", &f, &first), SHELL_MATCH_OK);
	assert_ptr_equal(f, &host_forms[2]);
	assert_int_equal(first, 2);
	assert_int_equal(match(&host, "host info", &f, &first), SHELL_MATCH_OK);
	assert_ptr_equal(f, &host_forms[0]);
	assert_int_equal(match(&host, "host selftest timer", &f, &first), SHELL_MATCH_OK);
	assert_ptr_equal(f, &host_forms[3]);
	assert_int_equal(first, 2);
}

static void test_argument_counts(void **state)
{
	const struct shell_form *f;
	int first;
	(void)state;
	assert_int_equal(match(&host, "host info extra", &f, &first), SHELL_MATCH_BAD_ARGS);
	assert_ptr_equal(f, &host_forms[0]);
	assert_int_equal(match(&host, "host cpu", &f, &first), SHELL_MATCH_BAD_ARGS);
	assert_ptr_equal(f, &host_forms[2]);
	assert_int_equal(match(&host, "host selftest a b", &f, &first), SHELL_MATCH_BAD_ARGS);
	assert_int_equal(match(&version, "version 2", &f, &first), SHELL_MATCH_BAD_ARGS);
	assert_int_equal(match(&version, "version", &f, &first), SHELL_MATCH_OK);
	assert_int_equal(first, 1);
	assert_int_equal(match(&echo, "echo a b c d e f g h i j k l m n o", &f, &first),
	                 SHELL_MATCH_OK);
	assert_int_equal(match(&echo, "echo", &f, &first), SHELL_MATCH_OK);
}

static void test_missing_and_unknown_subcommands(void **state)
{
	const struct shell_form *f;
	int first;
	(void)state;
	assert_int_equal(match(&host, "host", &f, &first), SHELL_MATCH_NO_SUBCOMMAND);
	assert_int_equal(match(&host, "host bogus", &f, &first), SHELL_MATCH_UNKNOWN_SUBCOMMAND);
	/* A prefix of a word is not the word. */
	assert_int_equal(match(&host, "host inf", &f, &first), SHELL_MATCH_UNKNOWN_SUBCOMMAND);
	assert_int_equal(match(&host, "host infox", &f, &first), SHELL_MATCH_UNKNOWN_SUBCOMMAND);
}

static void test_usage_lines(void **state)
{
	char buf[64];
	(void)state;
	assert_int_equal(shell_form_usage(&host, &host_forms[1], buf, sizeof(buf)), 13);
	assert_string_equal(buf, "host cpu info");
	shell_form_usage(&host, &host_forms[3], buf, sizeof(buf));
	assert_string_equal(buf, "host selftest [name]");
	shell_form_usage(&echo, &echo_forms[0], buf, sizeof(buf));
	assert_string_equal(buf, "echo [text...]");
	shell_form_usage(&version, &version_forms[0], buf, sizeof(buf));
	assert_string_equal(buf, "version");
	/* Truncation keeps the terminator and reports the full length. */
	assert_int_equal(shell_form_usage(&host, &host_forms[3], buf, 8), 20);
	assert_string_equal(buf, "host se");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_longest_words_win),
	    cmocka_unit_test(test_argument_counts),
	    cmocka_unit_test(test_missing_and_unknown_subcommands),
	    cmocka_unit_test(test_usage_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
