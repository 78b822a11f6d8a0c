/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Terminal line editor for the management shell (keys and semantics: include/vireo/line_edit.h).
 *
 * Screen model: the prompt and the line sit on one terminal row and the editor only ever moves
 * the cursor relative to where it left it, so it needs no knowledge of the prompt width or of
 * the terminal size. Sequences used (ECMA-48, as implemented by the VT100 and xterm):
 *   CUB  ESC [ n D   cursor back n columns          (ECMA-48 8.3.18)
 *   CUF  ESC [ n C   cursor forward n columns       (ECMA-48 8.3.20)
 *   EL   ESC [ K     erase from cursor to line end  (ECMA-48 8.3.41, parameter 0 = default)
 *   CR, LF, BEL      C0 controls                    (ECMA-48 8.3.15, 8.3.74, 8.3.6)
 * After every key the visible row is prompt + buf and the terminal cursor sits at prompt + cursor.
 */
#include <vireo/line_edit.h>
#include <vireo/string.h>

/* Input decoder states, kept in le->esc_state. */
enum esc_state {
	ESC_NONE,     /* plain input */
	ESC_START,    /* got ESC */
	ESC_CSI,      /* got ESC [ and possibly decimal digits (le->esc_param) */
	ESC_CSI_SKIP, /* a CSI with parameters we do not decode: swallow it up to its final byte */
	ESC_SS3,      /* got ESC O: one final byte follows */
};

/* EL with the default parameter 0: erase from the cursor to the end of the line. */
#define EL_SEQ "\x1b[K"

/* Larger than any key code; stops the parameter accumulator before it could overflow. */
#define ESC_PARAM_LIMIT 1000u

/* Editing actions shared by control bytes and escape sequences. */
enum key {
	KEY_NONE,
	KEY_LEFT,
	KEY_RIGHT,
	KEY_HOME,
	KEY_END,
	KEY_UP,
	KEY_DOWN,
	KEY_DELETE,
};

/* C0 control bytes (Ctrl-<letter> is the letter's code & 0x1f). */
enum {
	CTRL_A = 0x01,
	CTRL_B = 0x02,
	CTRL_C = 0x03,
	CTRL_D = 0x04,
	CTRL_E = 0x05,
	CTRL_F = 0x06,
	CTRL_H = 0x08, /* BS, sent by some terminals for Backspace */
	CTRL_K = 0x0b,
	CTRL_L = 0x0c,
	CTRL_N = 0x0e,
	CTRL_P = 0x10,
	CTRL_U = 0x15,
	CTRL_W = 0x17,
	ASCII_ESC = 0x1b,
	ASCII_DEL = 0x7f, /* sent by most terminals for Backspace */
};

static void emit(struct line_edit *le, const char *s, size_t len)
{
	if (len != 0 && le->out != NULL) {
		le->out(le->out_ctx, s, len);
	}
}

/* Emits CUB (final 'D') or CUF (final 'C') with an explicit count; nothing for a zero move. */
static void emit_move(struct line_edit *le, size_t count, char final)
{
	char seq[24];
	char digits[20];
	size_t digit_count = 0;
	size_t len = 0;

	if (count == 0) {
		return;
	}
	do {
		digits[digit_count++] = (char)('0' + count % 10);
		count /= 10;
	} while (count != 0);
	seq[len++] = ASCII_ESC;
	seq[len++] = '[';
	while (digit_count > 0) {
		seq[len++] = digits[--digit_count];
	}
	seq[len++] = final;
	emit(le, seq, len);
}

/*
 * The terminal cursor is at column `from` of the line: reprint buf[from..len), erase what a
 * longer previous line left behind if asked, then walk back to the editing cursor.
 */
static void refresh_tail(struct line_edit *le, size_t from, bool erase)
{
	emit(le, le->buf + from, le->len - from);
	if (erase) {
		emit(le, EL_SEQ, sizeof(EL_SEQ) - 1);
	}
	emit_move(le, le->len - le->cursor, 'D');
}

static void move_cursor(struct line_edit *le, size_t pos)
{
	if (pos < le->cursor) {
		emit_move(le, le->cursor - pos, 'D');
	} else {
		emit_move(le, pos - le->cursor, 'C');
	}
	le->cursor = pos;
}

static void insert_char(struct line_edit *le, char c)
{
	if (le->len >= LINE_EDIT_MAX - 1) {
		emit(le, "\a", 1); /* BEL: the line is full */
		return;
	}
	/* Move the tail including its NUL one byte right. */
	memmove(le->buf + le->cursor + 1, le->buf + le->cursor, le->len - le->cursor + 1);
	le->buf[le->cursor] = c;
	le->len++;
	le->cursor++;
	if (le->cursor == le->len) {
		/* Appending: the terminal's own cursor advance is all that is needed. */
		emit(le, &le->buf[le->cursor - 1], 1);
	} else {
		/* The tail shifted right: reprint it from the new byte on, nothing to erase. */
		refresh_tail(le, le->cursor - 1, false);
	}
}

/* Removes buf[from..to) and leaves the cursor at `from`. */
static void delete_range(struct line_edit *le, size_t from, size_t to)
{
	if (from >= to) {
		return;
	}
	move_cursor(le, from);
	memmove(le->buf + from, le->buf + to, le->len - to + 1);
	le->len -= to - from;
	/* The line got shorter: its old last columns must be erased. */
	refresh_tail(le, from, true);
}

/* Replaces the whole line (history recall): CR, prompt, line, EL; cursor at the end. */
static void set_line(struct line_edit *le, const char *text)
{
	le->len = strnlen(text, LINE_EDIT_MAX - 1);
	memmove(le->buf, text, le->len);
	le->buf[le->len] = '\0';
	le->cursor = le->len;
	line_edit_redraw(le);
}

/* `back` steps from the newest entry; the caller guarantees back < history_count. */
static const char *history_entry(const struct line_edit *le, unsigned int back)
{
	return le->history[(le->history_next + LINE_EDIT_HISTORY - 1u - back) % LINE_EDIT_HISTORY];
}

static void history_up(struct line_edit *le)
{
	if (le->history_count == 0) {
		return;
	}
	if (le->history_pos < 0) {
		/* Leaving the new line: keep it so that Down past the newest entry restores it. */
		memcpy(le->saved, le->buf, le->len + 1);
		le->history_pos = 0;
	} else if ((unsigned int)le->history_pos + 1u < le->history_count) {
		le->history_pos++;
	} else {
		return; /* already at the oldest entry */
	}
	set_line(le, history_entry(le, (unsigned int)le->history_pos));
}

static void history_down(struct line_edit *le)
{
	if (le->history_pos < 0) {
		return;
	}
	le->history_pos--;
	if (le->history_pos < 0) {
		set_line(le, le->saved);
	} else {
		set_line(le, history_entry(le, (unsigned int)le->history_pos));
	}
}

static void do_key(struct line_edit *le, enum key key)
{
	switch (key) {
	case KEY_LEFT:
		if (le->cursor > 0) {
			move_cursor(le, le->cursor - 1);
		}
		break;
	case KEY_RIGHT:
		if (le->cursor < le->len) {
			move_cursor(le, le->cursor + 1);
		}
		break;
	case KEY_HOME:
		move_cursor(le, 0);
		break;
	case KEY_END:
		move_cursor(le, le->len);
		break;
	case KEY_UP:
		history_up(le);
		break;
	case KEY_DOWN:
		history_down(le);
		break;
	case KEY_DELETE:
		if (le->cursor < le->len) {
			delete_range(le, le->cursor, le->cursor + 1);
		}
		break;
	case KEY_NONE:
		break;
	}
}

/*
 * The final byte of a cursor or Home/End key: after CSI in VT100 normal cursor mode, after
 * ESC O (SS3) in application cursor mode and for xterm's Home/End.
 */
static enum key letter_key(unsigned char final)
{
	switch (final) {
	case 'A':
		return KEY_UP;
	case 'B':
		return KEY_DOWN;
	case 'C':
		return KEY_RIGHT;
	case 'D':
		return KEY_LEFT;
	case 'H':
		return KEY_HOME;
	case 'F':
		return KEY_END;
	default:
		return KEY_NONE;
	}
}

/* Keys sent as CSI sequences by VT100/xterm (normal cursor mode) and VT220-style editing keys. */
static enum key csi_key(unsigned char final, unsigned int param)
{
	if (final == '~') {
		switch (param) {
		case 1:
			return KEY_HOME;
		case 3:
			return KEY_DELETE;
		case 4:
			return KEY_END;
		default:
			return KEY_NONE;
		}
	}
	/* Cursor keys carry no parameter; 0 is the ECMA-48 default value, so accept it too. */
	return param == 0 ? letter_key(final) : KEY_NONE;
}

/*
 * Advances the escape decoder. Returns true when the byte belonged to the sequence; false when
 * it cannot (the sequence is dropped) and the byte must be handled as plain input.
 * ECMA-48 5.4: a control sequence is CSI, parameter bytes 0x30-0x3f, intermediate bytes
 * 0x20-0x2f, one final byte 0x40-0x7e.
 */
static bool escape_feed(struct line_edit *le, unsigned char b)
{
	switch ((enum esc_state)le->esc_state) {
	case ESC_START:
		if (b == '[') {
			le->esc_state = ESC_CSI;
			le->esc_param = 0;
			return true;
		}
		if (b == 'O') {
			le->esc_state = ESC_SS3;
			return true;
		}
		break; /* a lone ESC: forget it */
	case ESC_CSI:
	case ESC_CSI_SKIP:
		if (b >= '0' && b <= '9' && le->esc_state == ESC_CSI) {
			if (le->esc_param >= ESC_PARAM_LIMIT) {
				le->esc_state = ESC_CSI_SKIP;
			} else {
				le->esc_param = le->esc_param * 10u + (unsigned int)(b - '0');
			}
			return true;
		}
		if (b >= 0x20 && b <= 0x3f) {
			/* ';', '?', intermediates...: modified or private keys we do not map. */
			le->esc_state = ESC_CSI_SKIP;
			return true;
		}
		if (b >= 0x40 && b <= 0x7e) {
			bool decode = le->esc_state == ESC_CSI;

			le->esc_state = ESC_NONE;
			if (decode) {
				do_key(le, csi_key(b, le->esc_param));
			}
			return true;
		}
		break;
	case ESC_SS3:
		if (b >= 0x40 && b <= 0x7e) {
			le->esc_state = ESC_NONE;
			do_key(le, letter_key(b));
			return true;
		}
		break;
	case ESC_NONE:
		break;
	}
	le->esc_state = ESC_NONE;
	return false;
}

static void clear_line(struct line_edit *le)
{
	le->len = 0;
	le->cursor = 0;
	le->buf[0] = '\0';
	le->history_pos = -1;
}

static enum line_edit_result end_of_line(struct line_edit *le, char c)
{
	/* The second half of a CR LF or LF CR pair belongs to the line that already ended. */
	if (le->last_eol != '\0' && le->last_eol != c) {
		le->last_eol = '\0';
		return LINE_EDIT_CONTINUE;
	}
	le->last_eol = c;
	emit(le, "\r\n", 2);
	return LINE_EDIT_DONE;
}

static enum line_edit_result plain_feed(struct line_edit *le, unsigned char b)
{
	switch (b) {
	case CTRL_A:
		do_key(le, KEY_HOME);
		break;
	case CTRL_B:
		do_key(le, KEY_LEFT);
		break;
	case CTRL_C:
		clear_line(le);
		emit(le, "^C\r\n", 4);
		return LINE_EDIT_CANCEL;
	case CTRL_D:
		/* On an empty line Ctrl-D would mean end-of-input, which a console shell ignores. */
		if (le->len > 0) {
			do_key(le, KEY_DELETE);
		}
		break;
	case CTRL_E:
		do_key(le, KEY_END);
		break;
	case CTRL_F:
		do_key(le, KEY_RIGHT);
		break;
	case CTRL_H:
	case ASCII_DEL:
		if (le->cursor > 0) {
			delete_range(le, le->cursor - 1, le->cursor);
		}
		break;
	case CTRL_K:
		delete_range(le, le->cursor, le->len);
		break;
	case CTRL_L:
		line_edit_redraw(le);
		break;
	case CTRL_N:
		do_key(le, KEY_DOWN);
		break;
	case CTRL_P:
		do_key(le, KEY_UP);
		break;
	case CTRL_U:
		delete_range(le, 0, le->cursor);
		break;
	case CTRL_W: {
		/* Readline's unix-word-rubout: blanks before the cursor, then the word before them. */
		size_t start = le->cursor;

		while (start > 0 && le->buf[start - 1] == ' ') {
			start--;
		}
		while (start > 0 && le->buf[start - 1] != ' ') {
			start--;
		}
		delete_range(le, start, le->cursor);
		break;
	}
	case ASCII_ESC:
		le->esc_state = ESC_START;
		break;
	default:
		if (b >= 0x20 && b < 0x7f) {
			insert_char(le, (char)b);
		}
		break;
	}
	return LINE_EDIT_CONTINUE;
}

void line_edit_init(struct line_edit *le, const char *prompt, line_edit_out_fn out, void *ctx)
{
	memset(le, 0, sizeof(*le));
	le->prompt = prompt != NULL ? prompt : "";
	le->out = out;
	le->out_ctx = ctx;
	le->history_pos = -1;
	le->esc_state = ESC_NONE;
}

void line_edit_begin(struct line_edit *le)
{
	clear_line(le);
	le->saved[0] = '\0';
	le->esc_state = ESC_NONE;
	le->esc_param = 0;
	/* last_eol survives on purpose: the LF of a CR LF may arrive after the new prompt. */
	emit(le, le->prompt, strlen(le->prompt));
}

enum line_edit_result line_edit_feed(struct line_edit *le, char c)
{
	unsigned char b = (unsigned char)c;

	if (le->esc_state != ESC_NONE && escape_feed(le, b)) {
		le->last_eol = '\0';
		return LINE_EDIT_CONTINUE;
	}
	if (b == '\r' || b == '\n') {
		return end_of_line(le, c);
	}
	le->last_eol = '\0';
	return plain_feed(le, b);
}

const char *line_edit_line(const struct line_edit *le)
{
	return le->buf;
}

void line_edit_history_add(struct line_edit *le, const char *line)
{
	size_t len;
	size_t i = 0;
	char *slot;

	if (line == NULL) {
		return;
	}
	len = strnlen(line, LINE_EDIT_MAX - 1);
	while (i < len && (line[i] == ' ' || line[i] == '\t')) {
		i++;
	}
	if (i == len) {
		return; /* empty or only blanks */
	}
	if (le->history_count > 0) {
		const char *newest = history_entry(le, 0);

		if (strlen(newest) == len && memcmp(newest, line, len) == 0) {
			return;
		}
	}
	slot = le->history[le->history_next];
	memcpy(slot, line, len);
	slot[len] = '\0';
	le->history_next = (le->history_next + 1u) % LINE_EDIT_HISTORY;
	if (le->history_count < LINE_EDIT_HISTORY) {
		le->history_count++;
	}
	/* Positions count back from the newest entry, which just changed. */
	le->history_pos = -1;
}

void line_edit_redraw(struct line_edit *le)
{
	emit(le, "\r", 1);
	emit(le, le->prompt, strlen(le->prompt));
	emit(le, le->buf, le->len);
	emit(le, EL_SEQ, sizeof(EL_SEQ) - 1);
	emit_move(le, le->len - le->cursor, 'D');
}
