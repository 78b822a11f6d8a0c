/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shell's line editor (shell/line_edit.c) fed arbitrary bytes: keys, escape sequences,
 * control characters, lines longer than the buffer. Finished lines go into the history as the
 * shell does.
 *
 * Checked after every byte: the line is NUL-terminated at its length, shorter than
 * LINE_EDIT_MAX, the cursor inside it, the history position inside the history; a finished line
 * holds only printable characters; terminal output comes in non-empty writes.
 */
#include <vireo/line_edit.h>

#include "fuzz.h"

static void on_out(void *ctx, const char *s, size_t len)
{
	size_t *total = ctx;

	FUZZ_CHECK(s != NULL && len > 0);
	/* Touch every byte, so ASan checks the whole range written. */
	for (size_t i = 0; i < len; i++) {
		*total += (unsigned char)s[i] != 0;
	}
}

static void check(const struct line_edit *le)
{
	FUZZ_CHECK(le->len < LINE_EDIT_MAX && le->cursor <= le->len);
	FUZZ_CHECK(le->buf[le->len] == '\0' && strlen(le->buf) == le->len);
	FUZZ_CHECK(le->history_count <= LINE_EDIT_HISTORY);
	FUZZ_CHECK(le->history_next < LINE_EDIT_HISTORY);
	FUZZ_CHECK(le->history_pos >= -1 && le->history_pos < (int)le->history_count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct line_edit le;
	size_t total = 0;

	line_edit_init(&le, "vireo> ", on_out, &total);
	line_edit_begin(&le);
	for (size_t i = 0; i < size; i++) {
		enum line_edit_result r = line_edit_feed(&le, (char)data[i]);

		check(&le);
		if (r == LINE_EDIT_DONE) {
			const char *line = line_edit_line(&le);
			size_t n = strlen(line);

			FUZZ_CHECK(n < LINE_EDIT_MAX);
			for (size_t k = 0; k < n; k++) {
				FUZZ_CHECK(line[k] >= 0x20 && line[k] < 0x7f);
			}
			line_edit_history_add(&le, line);
			line_edit_begin(&le);
		} else if (r == LINE_EDIT_CANCEL) {
			line_edit_begin(&le);
		} else {
			FUZZ_CHECK(r == LINE_EDIT_CONTINUE);
		}
		if (data[i] == 0x0c) {
			line_edit_redraw(&le);
		}
		check(&le);
	}
	return 0;
}
