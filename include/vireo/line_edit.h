/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Terminal line editor for the management shell: a byte-at-a-time state machine with no I/O of
 * its own. Keys: printable ASCII inserts at the cursor; Backspace (0x7f or 0x08) deletes left;
 * Delete (ESC [ 3 ~) or Ctrl-D on a non-empty line deletes under the cursor; Left/Right
 * (ESC [ D / ESC [ C, Ctrl-B / Ctrl-F); Home/End (ESC [ H, ESC [ F, ESC [ 1 ~, ESC [ 4 ~,
 * ESC O H, ESC O F, Ctrl-A / Ctrl-E); Up/Down (ESC [ A / ESC [ B, Ctrl-P / Ctrl-N) walk the
 * history; Ctrl-U deletes to the start of line, Ctrl-K to the end; Ctrl-W deletes the previous
 * word; Ctrl-C cancels the line; Ctrl-L redraws; Enter (CR or LF; a CR LF or LF CR pair counts
 * once) ends the line. Other control bytes and unknown escape sequences are ignored.
 * Terminal output (echo, redraws using CR, ESC [ K and ESC [ n D / C) goes to the out callback.
 */
#ifndef VIREO_LINE_EDIT_H
#define VIREO_LINE_EDIT_H

#include <vireo/types.h>

#define LINE_EDIT_MAX     256 /**< line capacity including the NUL; longer input is refused */
#define LINE_EDIT_HISTORY 32  /**< remembered lines */

enum line_edit_result {
	LINE_EDIT_CONTINUE, /**< keep feeding bytes */
	LINE_EDIT_DONE,     /**< a line is complete: line_edit_line() */
	LINE_EDIT_CANCEL,   /**< Ctrl-C: the line was discarded */
};

typedef void (*line_edit_out_fn)(void *ctx, const char *s, size_t len);

struct line_edit {
	char buf[LINE_EDIT_MAX];
	size_t len;
	size_t cursor;
	char history[LINE_EDIT_HISTORY][LINE_EDIT_MAX];
	unsigned int history_count; /**< valid entries, <= LINE_EDIT_HISTORY */
	unsigned int history_next;  /**< ring slot for the next entry */
	int history_pos;            /**< -1: editing a new line; else steps back from newest */
	char saved[LINE_EDIT_MAX];  /**< the new line being edited while browsing history */
	int esc_state;
	unsigned int esc_param;
	char last_eol; /**< CR or LF that ended the previous line, for CR LF pairs */
	const char *prompt;
	line_edit_out_fn out;
	void *out_ctx;
};

void line_edit_init(struct line_edit *le, const char *prompt, line_edit_out_fn out, void *ctx);

/** Starts a new empty line and prints the prompt. */
void line_edit_begin(struct line_edit *le);

/** Feeds one input byte. */
enum line_edit_result line_edit_feed(struct line_edit *le, char c);

/** The finished line (valid after LINE_EDIT_DONE until the next line_edit_begin). */
const char *line_edit_line(const struct line_edit *le);

/**
 * Appends a line to the history unless it is empty, only blanks, or equal to the newest entry.
 */
void line_edit_history_add(struct line_edit *le, const char *line);

/** Reprints prompt and current line with the cursor in place (after other console output). */
void line_edit_redraw(struct line_edit *le);

#endif
