/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests for shell/line_edit.c: each key's effect on the line and the exact bytes sent to the
 * terminal, plus a small VT100 model that replays the output of long random key sequences and
 * checks that the visible row always equals prompt + line with the cursor in the right column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/line_edit.h>

#define PROMPT "> "

#define UP     "\x1b[A"
#define DOWN   "\x1b[B"
#define RIGHT  "\x1b[C"
#define LEFT   "\x1b[D"
#define HOME   "\x1b[H"
#define END    "\x1b[F"
#define DEL    "\x1b[3~"
#define EL     "\x1b[K"
#define BS     "\x7f"
#define CTRL_C "\x03"

/* ---- output capture ------------------------------------------------------------------------ */

struct capture {
	char bytes[1 << 16];
	size_t len;
};

static struct capture cap;
static struct line_edit le;

static void capture_out(void *ctx, const char *s, size_t len)
{
	struct capture *c = ctx;

	assert_true(c->len + len <= sizeof(c->bytes));
	memcpy(c->bytes + c->len, s, len);
	c->len += len;
}

/* Renders control bytes visibly so that a failed comparison is readable. */
static void escape_bytes(const char *s, size_t len, char *dst, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0x1b) {
			o += (size_t)snprintf(dst + o, size - o, "\\e");
		} else if (c == '\r') {
			o += (size_t)snprintf(dst + o, size - o, "\\r");
		} else if (c == '\n') {
			o += (size_t)snprintf(dst + o, size - o, "\\n");
		} else if (c < 0x20 || c >= 0x7f) {
			o += (size_t)snprintf(dst + o, size - o, "\\x%02x", c);
		} else {
			dst[o++] = (char)c;
		}
	}
	dst[o] = '\0';
}

static void check_out_at(const char *expected, const char *file, int line)
{
	static char got[4 * sizeof(cap.bytes) + 1];
	static char want[4 * sizeof(cap.bytes) + 1];

	escape_bytes(cap.bytes, cap.len, got, sizeof(got));
	escape_bytes(expected, strlen(expected), want, sizeof(want));
	_assert_string_equal(got, want, file, line);
	cap.len = 0;
}

/* Asserts the terminal output since the last check, then forgets it. */
#define CHECK_OUT(expected) check_out_at(expected, __FILE__, __LINE__)

static enum line_edit_result feed(const char *s)
{
	enum line_edit_result r = LINE_EDIT_CONTINUE;

	for (; *s != '\0'; s++) {
		r = line_edit_feed(&le, *s);
	}
	return r;
}

static int start(void **state)
{
	(void)state;
	cap.len = 0;
	line_edit_init(&le, PROMPT, capture_out, &cap);
	line_edit_begin(&le);
	CHECK_OUT(PROMPT);
	return 0;
}

/* ---- keys ---------------------------------------------------------------------------------- */

static void test_typing_echoes_each_byte(void **state)
{
	(void)state;
	assert_int_equal(feed("ab c"), LINE_EDIT_CONTINUE);
	CHECK_OUT("ab c");
	assert_string_equal(line_edit_line(&le), "ab c");
	assert_int_equal(le.cursor, 4);
	assert_int_equal(feed("\r"), LINE_EDIT_DONE);
	CHECK_OUT("\r\n");
	assert_string_equal(line_edit_line(&le), "ab c");
}

static void test_insert_mid_line(void **state)
{
	(void)state;
	feed("abd" LEFT);
	CHECK_OUT("abd\x1b[1D");
	feed("c");
	/* Reprint from the new byte, then back over the shifted tail. */
	CHECK_OUT("cd\x1b[1D");
	assert_string_equal(line_edit_line(&le), "abcd");
	assert_int_equal(le.cursor, 3);
	feed(HOME "X");
	CHECK_OUT("\x1b[3DXabcd\x1b[4D");
	assert_string_equal(line_edit_line(&le), "Xabcd");
}

static void test_backspace(void **state)
{
	(void)state;
	feed(BS "\x08");
	CHECK_OUT(""); /* empty line: nothing to delete, nothing sent */
	feed("abcd" BS);
	CHECK_OUT("abcd\x1b[1D" EL);
	assert_string_equal(line_edit_line(&le), "abc");
	feed(LEFT "\x08");
	CHECK_OUT("\x1b[1D\x1b[1Dc" EL "\x1b[1D");
	assert_string_equal(line_edit_line(&le), "ac");
	assert_int_equal(le.cursor, 1);
	feed(HOME);
	CHECK_OUT("\x1b[1D");
	feed(BS BS);
	CHECK_OUT(""); /* at the start of the line */
	assert_string_equal(line_edit_line(&le), "ac");
	assert_int_equal(le.cursor, 0);
}

static void test_left_right_bounds(void **state)
{
	(void)state;
	feed("ab" RIGHT "\x06");
	CHECK_OUT("ab");
	assert_int_equal(le.cursor, 2);
	feed(LEFT "\x02" LEFT "\x02");
	CHECK_OUT("\x1b[1D\x1b[1D");
	assert_int_equal(le.cursor, 0);
	feed(RIGHT "\x06" RIGHT);
	CHECK_OUT("\x1b[1C\x1b[1C");
	assert_int_equal(le.cursor, 2);
	assert_string_equal(line_edit_line(&le), "ab");
}

static void test_home_end_variants(void **state)
{
	static const char *const homes[] = {HOME, "\x1b[1~", "\x1bOH", "\x01"};
	static const char *const ends[] = {END, "\x1b[4~", "\x1bOF", "\x05"};

	(void)state;
	feed("abc");
	CHECK_OUT("abc");
	for (size_t i = 0; i < 4; i++) {
		feed(homes[i]);
		CHECK_OUT("\x1b[3D");
		assert_int_equal(le.cursor, 0);
		feed(homes[i]);
		CHECK_OUT("");
		feed(ends[i]);
		CHECK_OUT("\x1b[3C");
		assert_int_equal(le.cursor, 3);
		feed(ends[i]);
		CHECK_OUT("");
	}
	assert_string_equal(line_edit_line(&le), "abc");
}

static void test_delete_under_cursor(void **state)
{
	(void)state;
	feed("\x04"); /* Ctrl-D on an empty line: ignored */
	CHECK_OUT("");
	feed("abcd" DEL);
	CHECK_OUT("abcd"); /* at the end: nothing under the cursor */
	feed(HOME DEL);
	CHECK_OUT("\x1b[4Dbcd" EL "\x1b[3D");
	assert_string_equal(line_edit_line(&le), "bcd");
	feed(RIGHT "\x04");
	CHECK_OUT("\x1b[1Cd" EL "\x1b[1D");
	assert_string_equal(line_edit_line(&le), "bd");
	assert_int_equal(le.cursor, 1);
	feed("\x04");
	CHECK_OUT(EL);
	assert_string_equal(line_edit_line(&le), "b");
	feed("\x04");
	CHECK_OUT("");
	assert_int_equal(le.len, 1);
}

static void test_kill_start_end(void **state)
{
	(void)state;
	feed("hello world" LEFT LEFT LEFT LEFT LEFT);
	CHECK_OUT("hello world\x1b[1D\x1b[1D\x1b[1D\x1b[1D\x1b[1D");
	feed("\x0b"); /* Ctrl-K */
	CHECK_OUT(EL);
	assert_string_equal(line_edit_line(&le), "hello ");
	assert_int_equal(le.cursor, 6);
	feed("\x0b");
	CHECK_OUT("");
	feed("xy" LEFT LEFT LEFT);
	CHECK_OUT("xy\x1b[1D\x1b[1D\x1b[1D");
	feed("\x15"); /* Ctrl-U */
	CHECK_OUT("\x1b[5D xy" EL "\x1b[3D");
	assert_string_equal(line_edit_line(&le), " xy");
	assert_int_equal(le.cursor, 0);
	feed("\x15");
	CHECK_OUT("");
	feed(END "\x15");
	CHECK_OUT("\x1b[3C\x1b[3D" EL);
	assert_string_equal(line_edit_line(&le), "");
}

static void test_delete_word(void **state)
{
	(void)state;
	feed("set  foo bar  ");
	cap.len = 0;
	feed("\x17"); /* Ctrl-W: trailing blanks and "bar" */
	CHECK_OUT("\x1b[5D" EL);
	assert_string_equal(line_edit_line(&le), "set  foo ");
	feed(LEFT LEFT LEFT "\x17"); /* cursor inside "foo": deletes "f" only */
	CHECK_OUT("\x1b[1D\x1b[1D\x1b[1D\x1b[1Doo " EL "\x1b[3D");
	assert_string_equal(line_edit_line(&le), "set  oo ");
	assert_int_equal(le.cursor, 5);
	feed("\x17");
	CHECK_OUT("\x1b[5Doo " EL "\x1b[3D");
	assert_string_equal(line_edit_line(&le), "oo ");
	feed("\x17");
	CHECK_OUT("");
}

static void test_history_walk_restores_new_line(void **state)
{
	(void)state;
	line_edit_history_add(&le, "one");
	line_edit_history_add(&le, "two");
	feed(DOWN);
	CHECK_OUT(""); /* not browsing */
	feed("wip" LEFT);
	CHECK_OUT("wip\x1b[1D");
	feed(UP);
	CHECK_OUT("\r" PROMPT "two" EL);
	assert_string_equal(line_edit_line(&le), "two");
	assert_int_equal(le.cursor, 3);
	feed("\x10"); /* Ctrl-P */
	CHECK_OUT("\r" PROMPT "one" EL);
	feed("\x1bOA"); /* application-mode Up: oldest entry, stays */
	CHECK_OUT("");
	assert_string_equal(line_edit_line(&le), "one");
	feed(DOWN);
	CHECK_OUT("\r" PROMPT "two" EL);
	feed("\x0e"); /* Ctrl-N: past the newest, back to what was typed */
	CHECK_OUT("\r" PROMPT "wip" EL);
	assert_string_equal(line_edit_line(&le), "wip");
	assert_int_equal(le.cursor, 3);
	assert_int_equal(le.history_pos, -1);
	feed(DOWN);
	CHECK_OUT("");
	/* A recalled line is edited and submitted like a typed one. */
	feed(UP "!\r");
	CHECK_OUT("\r" PROMPT "two" EL "!\r\n");
	assert_string_equal(line_edit_line(&le), "two!");
	line_edit_begin(&le);
	CHECK_OUT(PROMPT);
	assert_int_equal(le.history_pos, -1);
	feed(UP);
	CHECK_OUT("\r" PROMPT "two" EL); /* the walk starts again at the newest entry */
}

static void test_history_without_entries(void **state)
{
	(void)state;
	feed("x" UP DOWN);
	CHECK_OUT("x");
	assert_string_equal(line_edit_line(&le), "x");
}

static void test_history_add_filters(void **state)
{
	(void)state;
	line_edit_history_add(&le, "");
	line_edit_history_add(&le, "   ");
	line_edit_history_add(&le, " \t ");
	assert_int_equal(le.history_count, 0);
	line_edit_history_add(&le, "ls");
	line_edit_history_add(&le, "ls");
	assert_int_equal(le.history_count, 1);
	line_edit_history_add(&le, "ps");
	line_edit_history_add(&le, "ls");  /* not the newest: kept */
	line_edit_history_add(&le, " ls"); /* different bytes: kept */
	assert_int_equal(le.history_count, 4);
	feed(UP);
	CHECK_OUT("\r" PROMPT " ls" EL);
	feed(UP);
	CHECK_OUT("\r" PROMPT "ls" EL);
	feed(UP);
	CHECK_OUT("\r" PROMPT "ps" EL);
	feed(UP);
	CHECK_OUT("\r" PROMPT "ls" EL);
	feed(UP);
	CHECK_OUT("");
}

static void test_history_ring_wraps(void **state)
{
	char text[16];

	(void)state;
	for (int i = 0; i < LINE_EDIT_HISTORY + 8; i++) {
		snprintf(text, sizeof(text), "cmd%d", i);
		line_edit_history_add(&le, text);
	}
	assert_int_equal(le.history_count, LINE_EDIT_HISTORY);
	for (int i = 0; i < LINE_EDIT_HISTORY; i++) {
		feed(UP);
		snprintf(text, sizeof(text), "cmd%d", LINE_EDIT_HISTORY + 7 - i);
		assert_string_equal(line_edit_line(&le), text);
	}
	cap.len = 0;
	feed(UP);
	CHECK_OUT("");
	assert_string_equal(line_edit_line(&le), "cmd8"); /* cmd0..cmd7 were overwritten */
	for (int i = 0; i < LINE_EDIT_HISTORY - 1; i++) {
		feed(DOWN);
	}
	assert_string_equal(line_edit_line(&le), "cmd39");
	feed(DOWN);
	assert_string_equal(line_edit_line(&le), "");
}

static void test_history_add_truncates_long_lines(void **state)
{
	char big[LINE_EDIT_MAX + 10];

	(void)state;
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	line_edit_history_add(&le, big);
	feed(UP);
	assert_int_equal(strlen(line_edit_line(&le)), LINE_EDIT_MAX - 1);
	assert_int_equal(le.cursor, LINE_EDIT_MAX - 1);
}

static void test_line_endings(void **state)
{
	(void)state;
	assert_int_equal(feed("a\r"), LINE_EDIT_DONE);
	line_edit_begin(&le);
	assert_int_equal(line_edit_feed(&le, '\n'), LINE_EDIT_CONTINUE); /* the LF of CR LF */
	assert_int_equal(feed("b\n"), LINE_EDIT_DONE);
	assert_string_equal(line_edit_line(&le), "b");
	line_edit_begin(&le);
	assert_int_equal(line_edit_feed(&le, '\r'), LINE_EDIT_CONTINUE); /* the CR of LF CR */
	CHECK_OUT("a\r\n" PROMPT "b\r\n" PROMPT);
	/* Two CRs are two (empty) lines, and so are two CR LF pairs. */
	assert_int_equal(line_edit_feed(&le, '\r'), LINE_EDIT_DONE);
	line_edit_begin(&le);
	assert_int_equal(line_edit_feed(&le, '\r'), LINE_EDIT_DONE);
	assert_string_equal(line_edit_line(&le), "");
	line_edit_begin(&le);
	assert_int_equal(line_edit_feed(&le, '\n'), LINE_EDIT_CONTINUE);
	assert_int_equal(line_edit_feed(&le, '\r'), LINE_EDIT_DONE);
	line_edit_begin(&le);
	assert_int_equal(line_edit_feed(&le, '\n'), LINE_EDIT_CONTINUE);
	CHECK_OUT("\r\n" PROMPT "\r\n" PROMPT "\r\n" PROMPT);
	/* Any byte in between breaks a pair. */
	assert_int_equal(feed("\n"), LINE_EDIT_DONE);
	line_edit_begin(&le);
	assert_int_equal(feed("x" BS "\r"), LINE_EDIT_DONE);
}

static void test_overlong_input_refused(void **state)
{
	char text[LINE_EDIT_MAX];
	char expect[LINE_EDIT_MAX + 16];
	char expect2[LINE_EDIT_MAX + 16];

	(void)state;
	memset(text, 'a', LINE_EDIT_MAX - 1);
	text[LINE_EDIT_MAX - 1] = '\0';
	snprintf(expect, sizeof(expect), "%s" EL "\x1b[254D", text + 1);
	snprintf(expect2, sizeof(expect2), "d%s\x1b[254D", text + 1);
	feed(text);
	CHECK_OUT(text);
	assert_int_equal(le.len, LINE_EDIT_MAX - 1);
	feed("b");
	CHECK_OUT("\a");
	feed(HOME "c");
	CHECK_OUT("\x1b[255D\a");
	assert_int_equal(le.len, LINE_EDIT_MAX - 1);
	assert_string_equal(line_edit_line(&le), text);
	/* Delete at the start reprints the whole shorter tail; inserting reprints it again. */
	feed(DEL);
	CHECK_OUT(expect);
	feed("d");
	CHECK_OUT(expect2);
	assert_int_equal(le.len, LINE_EDIT_MAX - 1);
	assert_int_equal(line_edit_line(&le)[0], 'd');
	assert_int_equal(line_edit_line(&le)[LINE_EDIT_MAX - 1], '\0');
}

static void test_unknown_sequences_ignored(void **state)
{
	(void)state;
	feed("ab");
	CHECK_OUT("ab");
	/* back-tab, Ctrl-Right, F5, a private mode, F1, a huge parameter, 0~, CSI with intermediate */
	feed("\x1b[Z\x1b[1;5C\x1b[15~\x1b[?25h\x1bOP\x1b[99999999999A\x1b[0~\x1b[ q\x1b[2A");
	CHECK_OUT("");
	assert_string_equal(line_edit_line(&le), "ab");
	assert_int_equal(le.cursor, 2);
	/* Other control bytes and non-ASCII bytes. */
	feed("\t\x07\x0f\x1c\x80\xff\xc3\xa9");
	CHECK_OUT("");
	/* A lone ESC before an ordinary byte is dropped and the byte is typed. */
	feed("\x1bx");
	CHECK_OUT("x");
	/* ESC [ 0 D is the default parameter: still Left. */
	feed("\x1b[0D");
	CHECK_OUT("\x1b[1D");
	/* A control byte aborts a sequence and acts normally. */
	feed("\x1b[" BS);
	CHECK_OUT("\x1b[1Dx" EL "\x1b[1D");
	assert_string_equal(line_edit_line(&le), "ax");
	feed("\x1b\x1b[C");
	CHECK_OUT("\x1b[1C");
	assert_int_equal(feed("\x1bO\r"), LINE_EDIT_DONE);
	assert_string_equal(line_edit_line(&le), "ax");
}

static void test_ctrl_c_cancels(void **state)
{
	(void)state;
	line_edit_history_add(&le, "old");
	assert_int_equal(feed("abc" UP LEFT), LINE_EDIT_CONTINUE);
	cap.len = 0;
	assert_int_equal(feed(CTRL_C), LINE_EDIT_CANCEL);
	CHECK_OUT("^C\r\n");
	assert_string_equal(line_edit_line(&le), "");
	assert_int_equal(le.len, 0);
	assert_int_equal(le.cursor, 0);
	assert_int_equal(le.history_pos, -1);
	line_edit_begin(&le);
	assert_int_equal(feed("z\r"), LINE_EDIT_DONE);
	assert_string_equal(line_edit_line(&le), "z");
}

static void test_redraw(void **state)
{
	(void)state;
	feed("abc" LEFT);
	cap.len = 0;
	feed("\x0c"); /* Ctrl-L */
	CHECK_OUT("\r" PROMPT "abc" EL "\x1b[1D");
	line_edit_redraw(&le);
	CHECK_OUT("\r" PROMPT "abc" EL "\x1b[1D");
	assert_string_equal(line_edit_line(&le), "abc");
}

static void test_no_output_callback(void **state)
{
	(void)state;
	line_edit_init(&le, NULL, NULL, NULL);
	line_edit_begin(&le);
	assert_int_equal(feed("hi" LEFT "!" UP "\r"), LINE_EDIT_DONE);
	assert_string_equal(line_edit_line(&le), "h!i");
}

/* ---- terminal model ------------------------------------------------------------------------ */

/*
 * One VT100 row: printable bytes overwrite at the cursor, CR and BS move it, LF starts a fresh
 * row, BEL is counted, and the only sequences accepted are ESC [ K, ESC [ n D and ESC [ n C.
 * Anything else the editor sends fails the test. Cells never written (or erased) hold NUL.
 */
struct term {
	char row[1024];
	size_t col;
	int state;
	unsigned int param;
	unsigned int bells;
	unsigned int lines;
};

static struct term term;

static void term_byte(struct term *t, unsigned char c)
{
	if (t->state == 1) {
		assert_int_equal(c, '[');
		t->state = 2;
		t->param = 0;
		return;
	}
	if (t->state == 2) {
		if (c >= '0' && c <= '9') {
			t->param = t->param * 10 + (unsigned int)(c - '0');
			return;
		}
		unsigned int n = t->param != 0 ? t->param : 1;

		t->state = 0;
		if (c == 'K') {
			assert_int_equal(t->param, 0);
			memset(t->row + t->col, 0, sizeof(t->row) - t->col);
		} else if (c == 'D') {
			assert_true(t->col >= n);
			t->col -= n;
		} else if (c == 'C') {
			t->col += n;
			assert_true(t->col < sizeof(t->row));
		} else {
			fail_msg("unexpected CSI final 0x%02x", c);
		}
		return;
	}
	if (c >= 0x20 && c < 0x7f) {
		assert_true(t->col < sizeof(t->row));
		t->row[t->col++] = (char)c;
	} else if (c == '\r') {
		t->col = 0;
	} else if (c == '\n') {
		memset(t->row, 0, sizeof(t->row));
		t->lines++;
	} else if (c == '\b') {
		assert_true(t->col > 0);
		t->col--;
	} else if (c == '\a') {
		t->bells++;
	} else if (c == 0x1b) {
		t->state = 1;
	} else {
		fail_msg("unexpected output byte 0x%02x", c);
	}
}

static void term_out(void *ctx, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		term_byte(ctx, (unsigned char)s[i]);
	}
}

static void term_check(const struct line_edit *e, const char *prompt)
{
	size_t plen = strlen(prompt);

	assert_int_equal(term.state, 0);
	assert_true(e->len < LINE_EDIT_MAX);
	assert_true(e->cursor <= e->len);
	assert_int_equal(strlen(e->buf), e->len);
	assert_memory_equal(term.row, prompt, plen);
	assert_memory_equal(term.row + plen, e->buf, e->len);
	for (size_t i = plen + e->len; i < sizeof(term.row); i++) {
		assert_int_equal(term.row[i], '\0');
	}
	assert_int_equal(term.col, plen + e->cursor);
}

static uint64_t rng_state;

static uint32_t rng(void)
{
	/* xorshift64*: deterministic, good enough to mix keys. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

/* clang-format off */
static const char *const random_keys[] = {
	"a", "b", "z", " ", "0", "~", "-", "[", "O", "x", "y", "w", "v", " ", "q", "Q",
	BS, "\x08", "\x17", "\x15", "\x0b", "\x04", DEL, "\x0c",
	LEFT, RIGHT, "\x02", "\x06", "\x1bOD", "\x1bOC",
	HOME, END, "\x01", "\x05", "\x1b[1~", "\x1b[4~", "\x1bOH", "\x1bOF",
	UP, DOWN, "\x10", "\x0e", UP, DOWN,
	"\x1b[1;5D", "\x1b[Z", "\x1bx", "\t", "\x1b", "\x1b[", "\x1bO", "\xc3",
	"abcdefghij klmnopqrstuvwxyz 0123456789 ABCDEFGHIJ KLMNOPQRSTUVWXYZ",
};
/* clang-format on */

static void test_random_keys_keep_screen_in_sync(void **state)
{
	static const char *const prompts[] = {"vireo> ", "", "$ "};
	char word[8];

	(void)state;
	for (unsigned int seed = 1; seed <= 60; seed++) {
		const char *prompt = prompts[seed % 3];
		unsigned int done = 0;

		rng_state = 0x9e3779b97f4a7c15ULL * seed;
		memset(&term, 0, sizeof(term));
		line_edit_init(&le, prompt, term_out, &term);
		for (unsigned int i = 0; i < rng() % 40; i++) {
			snprintf(word, sizeof(word), "h%u", rng() % 8);
			line_edit_history_add(&le, word);
		}
		line_edit_begin(&le);
		term_check(&le, prompt);
		for (unsigned int step = 0; step < 3000; step++) {
			uint32_t pick = rng() % 1000;
			enum line_edit_result r;

			if (pick < 6) {
				r = feed(pick < 3 ? "\r" : "\n");
			} else if (pick < 8) {
				r = feed(CTRL_C);
			} else {
				r = feed(random_keys[rng() % (sizeof(random_keys) /
				                              sizeof(random_keys[0]))]);
			}
			if (r == LINE_EDIT_CONTINUE) {
				term_check(&le, prompt);
				continue;
			}
			/* The row was finished with CR LF: the cursor is on a fresh, empty row. */
			assert_int_equal(term.col, 0);
			assert_int_equal(term.row[0], '\0');
			if (r == LINE_EDIT_DONE) {
				line_edit_history_add(&le, line_edit_line(&le));
				done++;
			}
			line_edit_begin(&le);
			term_check(&le, prompt);
		}
		assert_true(done > 0);
		assert_true(term.lines >= done);
	}
	/* The runs must have exercised the full-line refusal too. */
	assert_true(term.bells > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_typing_echoes_each_byte, start),
	    cmocka_unit_test_setup(test_insert_mid_line, start),
	    cmocka_unit_test_setup(test_backspace, start),
	    cmocka_unit_test_setup(test_left_right_bounds, start),
	    cmocka_unit_test_setup(test_home_end_variants, start),
	    cmocka_unit_test_setup(test_delete_under_cursor, start),
	    cmocka_unit_test_setup(test_kill_start_end, start),
	    cmocka_unit_test_setup(test_delete_word, start),
	    cmocka_unit_test_setup(test_history_walk_restores_new_line, start),
	    cmocka_unit_test_setup(test_history_without_entries, start),
	    cmocka_unit_test_setup(test_history_add_filters, start),
	    cmocka_unit_test_setup(test_history_ring_wraps, start),
	    cmocka_unit_test_setup(test_history_add_truncates_long_lines, start),
	    cmocka_unit_test_setup(test_line_endings, start),
	    cmocka_unit_test_setup(test_overlong_input_refused, start),
	    cmocka_unit_test_setup(test_unknown_sequences_ignored, start),
	    cmocka_unit_test_setup(test_ctrl_c_cancels, start),
	    cmocka_unit_test_setup(test_redraw, start),
	    cmocka_unit_test(test_no_output_callback),
	    cmocka_unit_test(test_random_keys_keep_screen_in_sync),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
