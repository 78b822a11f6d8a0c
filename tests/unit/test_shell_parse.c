/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for shell/parse.c: command splitting, argument splitting, command-line values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/shell_parse.h>

/* ---- shell_next_command -------------------------------------------------------------------- */

/* Runs shell_next_command over line and checks the commands it yields, then the end. */
static void expect_commands(const char *line, const char *const *want, size_t count)
{
	const char *cursor = line;
	char out[64];

	for (size_t i = 0; i < count; i++) {
		assert_int_equal(shell_next_command(&cursor, out, sizeof(out)), 1);
		assert_string_equal(out, want[i]);
	}
	assert_int_equal(shell_next_command(&cursor, out, sizeof(out)), 0);
	assert_ptr_equal(cursor, line + strlen(line));
	/* Stays at the end. */
	assert_int_equal(shell_next_command(&cursor, out, sizeof(out)), 0);
}

static void test_commands_split_and_trimmed(void **state)
{
	static const char *const want[] = {"a", "b c", "d"};

	(void)state;
	expect_commands("a; b c ;d", want, 3);
	expect_commands("\t a\t;b c;\td \t", want, 3);
}

static void test_commands_empty_skipped(void **state)
{
	static const char *const want[] = {"a", "b"};

	(void)state;
	expect_commands("", NULL, 0);
	expect_commands("   \t ", NULL, 0);
	expect_commands(";;; ; ", NULL, 0);
	expect_commands("  ;; a  ;;; b;  ", want, 2);
}

static void test_commands_quotes_and_escapes(void **state)
{
	static const char *const quoted[] = {"echo \"a;b\"", "echo 'c;d'", "x"};
	static const char *const escaped[] = {"echo a\\;b", "x"};
	static const char *const dq_escape[] = {"echo \"a\\\";b\"", "y"};
	/* No escapes inside '...': the backslash is literal and the second ' closes the quote. */
	static const char *const sq_literal[] = {"echo 'a\\'", "b"};
	/* A blank that is escaped or quoted is part of the command, not trailing space. */
	static const char *const kept_blanks[] = {"echo a\\ ", "echo 'a '", "z"};
	static const char *const unterminated[] = {"echo \"a;b"};

	(void)state;
	expect_commands("echo \"a;b\" ; echo 'c;d';x", quoted, 3);
	expect_commands("echo a\\;b; x", escaped, 2);
	expect_commands("echo \"a\\\";b\"; y", dq_escape, 2);
	expect_commands("echo 'a\\';b", sq_literal, 2);
	expect_commands("echo a\\ ; echo 'a ' ; z", kept_blanks, 3);
	expect_commands("  echo \"a;b", unterminated, 1);
}

static void test_commands_out_too_small(void **state)
{
	const char *line = "hello; x";
	const char *cursor = line;
	char out[8];

	(void)state;
	memset(out, '#', sizeof(out));
	assert_int_equal(shell_next_command(&cursor, out, 5), VIREO_ERANGE);
	assert_int_equal(out[0], '\0');
	/* The cursor still moves past the command so that a caller cannot loop on it. */
	assert_ptr_equal(cursor, line + 6);
	assert_int_equal(shell_next_command(&cursor, out, 2), 1);
	assert_string_equal(out, "x");
	assert_int_equal(shell_next_command(&cursor, out, 2), 0);

	cursor = line;
	assert_int_equal(shell_next_command(&cursor, out, 6), 1); /* exactly fits with its NUL */
	assert_string_equal(out, "hello");
	cursor = line;
	assert_int_equal(shell_next_command(&cursor, out, 0), VIREO_ERANGE);
	assert_int_equal(shell_next_command(&cursor, NULL, 0), VIREO_ERANGE);
	assert_ptr_equal(cursor, line + strlen(line));

	assert_int_equal(shell_next_command(NULL, out, sizeof(out)), 0);
	cursor = NULL;
	assert_int_equal(shell_next_command(&cursor, out, sizeof(out)), 0);
}

/* ---- shell_split_args ---------------------------------------------------------------------- */

static void test_args_plain(void **state)
{
	char line[] = "  ls  -l\t/tmp  ";
	char *argv[SHELL_MAX_ARGS];

	(void)state;
	assert_int_equal(shell_split_args(line, argv, SHELL_MAX_ARGS), 3);
	assert_string_equal(argv[0], "ls");
	assert_string_equal(argv[1], "-l");
	assert_string_equal(argv[2], "/tmp");
	/* In place: every argument lives inside the line buffer. */
	for (int i = 0; i < 3; i++) {
		assert_true(argv[i] >= line && argv[i] < line + sizeof(line));
	}
}

static void test_args_empty(void **state)
{
	char empty[] = "";
	char blanks[] = " \t  \t";
	char *argv[2] = {NULL, NULL};

	(void)state;
	assert_int_equal(shell_split_args(empty, argv, 2), 0);
	assert_int_equal(shell_split_args(blanks, argv, 2), 0);
	assert_null(argv[0]);
	assert_int_equal(shell_split_args(NULL, argv, 2), VIREO_EINVAL);
}

static void test_args_quotes(void **state)
{
	char line[] = "echo \"a b\" 'c d' e\"f g\"h \"\" '' a;b";
	char *argv[SHELL_MAX_ARGS];

	(void)state;
	assert_int_equal(shell_split_args(line, argv, SHELL_MAX_ARGS), 7);
	assert_string_equal(argv[0], "echo");
	assert_string_equal(argv[1], "a b");
	assert_string_equal(argv[2], "c d");
	assert_string_equal(argv[3], "ef gh");
	assert_string_equal(argv[4], "");
	assert_string_equal(argv[5], "");
	assert_string_equal(argv[6], "a;b");
}

static void test_args_escapes(void **state)
{
	char outside[] = "a\\ b c\\\\d \\\"e \\'f\\'";
	char in_double[] = "\"x\\\"y\\\\z\\n\" '\\a\"b'";
	char *argv[SHELL_MAX_ARGS];

	(void)state;
	assert_int_equal(shell_split_args(outside, argv, SHELL_MAX_ARGS), 4);
	assert_string_equal(argv[0], "a b");
	assert_string_equal(argv[1], "c\\d");
	assert_string_equal(argv[2], "\"e");
	assert_string_equal(argv[3], "'f'");

	/* Inside "..." only \" and \\ are escapes; inside '...' nothing is. */
	assert_int_equal(shell_split_args(in_double, argv, SHELL_MAX_ARGS), 2);
	assert_string_equal(argv[0], "x\"y\\z\\n");
	assert_string_equal(argv[1], "\\a\"b");
}

static void test_args_malformed(void **state)
{
	char dq[] = "echo \"abc";
	char sq[] = "echo 'abc";
	char bs[] = "echo abc\\";
	char dq_bs[] = "echo \"abc\\\"";
	char *argv[SHELL_MAX_ARGS];

	(void)state;
	assert_int_equal(shell_split_args(dq, argv, SHELL_MAX_ARGS), VIREO_EINVAL);
	assert_int_equal(shell_split_args(sq, argv, SHELL_MAX_ARGS), VIREO_EINVAL);
	assert_int_equal(shell_split_args(bs, argv, SHELL_MAX_ARGS), VIREO_EINVAL);
	assert_int_equal(shell_split_args(dq_bs, argv, SHELL_MAX_ARGS), VIREO_EINVAL);
}

static void test_args_too_many(void **state)
{
	char exact[] = "0 1 2 3 4 5 6 7 8 9 a b c d e f";
	char over[] = "0 1 2 3 4 5 6 7 8 9 a b c d e f g";
	char one[] = "x";
	char *argv[SHELL_MAX_ARGS];

	(void)state;
	assert_int_equal(shell_split_args(exact, argv, SHELL_MAX_ARGS), SHELL_MAX_ARGS);
	assert_string_equal(argv[0], "0");
	assert_string_equal(argv[SHELL_MAX_ARGS - 1], "f");
	assert_int_equal(shell_split_args(over, argv, SHELL_MAX_ARGS), VIREO_ENOSPC);
	assert_int_equal(shell_split_args(one, argv, 0), VIREO_ENOSPC);
}

static void test_commands_then_args(void **state)
{
	const char *cursor = "set x \"1; 2\" ; echo done\\;";
	char cmd[64];
	char *argv[SHELL_MAX_ARGS];

	(void)state;
	assert_int_equal(shell_next_command(&cursor, cmd, sizeof(cmd)), 1);
	assert_int_equal(shell_split_args(cmd, argv, SHELL_MAX_ARGS), 3);
	assert_string_equal(argv[0], "set");
	assert_string_equal(argv[1], "x");
	assert_string_equal(argv[2], "1; 2");
	assert_int_equal(shell_next_command(&cursor, cmd, sizeof(cmd)), 1);
	assert_int_equal(shell_split_args(cmd, argv, SHELL_MAX_ARGS), 2);
	assert_string_equal(argv[0], "echo");
	assert_string_equal(argv[1], "done;");
	assert_int_equal(shell_next_command(&cursor, cmd, sizeof(cmd)), 0);
}

/* ---- cmdline_get_value --------------------------------------------------------------------- */

static void test_cmdline_values(void **state)
{
	const char *cmdline = "console=ttyS0 vireo.bootcmd=\"host info; version\" vireo.n=2 quiet";
	char out[64];

	(void)state;
	assert_int_equal(cmdline_get_value(cmdline, "vireo.bootcmd", out, sizeof(out)), 18);
	assert_string_equal(out, "host info; version");
	assert_int_equal(cmdline_get_value(cmdline, "vireo.n", out, sizeof(out)), 1);
	assert_string_equal(out, "2");
	assert_int_equal(cmdline_get_value(cmdline, "console", out, sizeof(out)), 5);
	assert_string_equal(out, "ttyS0");
	/* Tabs and line breaks separate words too. */
	assert_int_equal(cmdline_get_value("a=1\tk=v\nz=3", "k", out, sizeof(out)), 1);
	assert_string_equal(out, "v");
	/* A quoted value ends at its closing quote. */
	assert_int_equal(cmdline_get_value("k=\"a b\"c d", "k", out, sizeof(out)), 3);
	assert_string_equal(out, "a b");
	/* An unquoted value ends at the next blank, quotes inside it are kept. */
	assert_int_equal(cmdline_get_value("k=a\"b c", "k", out, sizeof(out)), 3);
	assert_string_equal(out, "a\"b");
}

static void test_cmdline_empty_values(void **state)
{
	char out[4] = "xyz";

	(void)state;
	assert_int_equal(cmdline_get_value("k= j=1", "k", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	memcpy(out, "xyz", 4);
	assert_int_equal(cmdline_get_value("k=\"\"", "k", out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

static void test_cmdline_whole_word(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(cmdline_get_value("xvireo.bootcmd=bad vireo.bootcmdx=bad", "vireo.bootcmd",
	                                   out, sizeof(out)),
	                 VIREO_ENOENT);
	assert_int_equal(
	    cmdline_get_value("xvireo.bootcmd=bad vireo.bootcmdx=bad vireo.bootcmd=good",
	                      "vireo.bootcmd", out, sizeof(out)),
	    4);
	assert_string_equal(out, "good");
	/* Text inside another parameter's quoted value is not a word of its own. */
	assert_int_equal(cmdline_get_value("a=\"x k=bad\"", "k", out, sizeof(out)), VIREO_ENOENT);
	assert_int_equal(cmdline_get_value("a=\"x k=bad\" k=ok", "k", out, sizeof(out)), 2);
	assert_string_equal(out, "ok");
	/* A key that is a prefix of a value is not a match either. */
	assert_int_equal(cmdline_get_value("a=k=bad", "k", out, sizeof(out)), VIREO_ENOENT);
}

static void test_cmdline_absent(void **state)
{
	char out[16] = "untouched";

	(void)state;
	assert_int_equal(cmdline_get_value("a=1 b=2", "c", out, sizeof(out)), VIREO_ENOENT);
	assert_int_equal(cmdline_get_value("", "c", out, sizeof(out)), VIREO_ENOENT);
	assert_int_equal(cmdline_get_value("   ", "c", out, sizeof(out)), VIREO_ENOENT);
	assert_int_equal(cmdline_get_value(NULL, "c", out, sizeof(out)), VIREO_ENOENT);
	/* A flag has no value. */
	assert_int_equal(cmdline_get_value("quiet vireo.debug", "vireo.debug", out, sizeof(out)),
	                 VIREO_ENOENT);
	assert_int_equal(cmdline_get_value("vireo.debug quiet", "vireo.debug", out, sizeof(out)),
	                 VIREO_ENOENT);
	assert_string_equal(out, "untouched");
	/* ... but a later key=value for the same key is found. */
	assert_int_equal(
	    cmdline_get_value("vireo.debug x vireo.debug=3", "vireo.debug", out, sizeof(out)), 1);
	assert_string_equal(out, "3");
	assert_int_equal(cmdline_get_value("a=1", "", out, sizeof(out)), VIREO_EINVAL);
	assert_int_equal(cmdline_get_value("a=1", NULL, out, sizeof(out)), VIREO_EINVAL);
}

static void test_cmdline_errors_and_repeats(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(cmdline_get_value("k=\"abc", "k", out, sizeof(out)), VIREO_EINVAL);
	assert_int_equal(cmdline_get_value("k=abcdefg", "k", out, 7), VIREO_ERANGE);
	assert_int_equal(cmdline_get_value("k=abcdefg", "k", out, 8), 7);
	assert_string_equal(out, "abcdefg");
	assert_int_equal(cmdline_get_value("k=\"a b c d\"", "k", out, 4), VIREO_ERANGE);
	assert_int_equal(cmdline_get_value("k=1", "k", NULL, 0), VIREO_ERANGE);
	/* The last occurrence wins, as for Linux parameters. */
	assert_int_equal(cmdline_get_value("k=1 j=0 k=22", "k", out, sizeof(out)), 2);
	assert_string_equal(out, "22");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_commands_split_and_trimmed),
	    cmocka_unit_test(test_commands_empty_skipped),
	    cmocka_unit_test(test_commands_quotes_and_escapes),
	    cmocka_unit_test(test_commands_out_too_small),
	    cmocka_unit_test(test_args_plain),
	    cmocka_unit_test(test_args_empty),
	    cmocka_unit_test(test_args_quotes),
	    cmocka_unit_test(test_args_escapes),
	    cmocka_unit_test(test_args_malformed),
	    cmocka_unit_test(test_args_too_many),
	    cmocka_unit_test(test_commands_then_args),
	    cmocka_unit_test(test_cmdline_values),
	    cmocka_unit_test(test_cmdline_empty_values),
	    cmocka_unit_test(test_cmdline_whole_word),
	    cmocka_unit_test(test_cmdline_absent),
	    cmocka_unit_test(test_cmdline_errors_and_repeats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
