/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shell command-line parsing (rules: include/vireo/shell_parse.h). Splitting a line into commands
 * only finds the boundaries and keeps the quoting as typed; shell_split_args then removes it, so
 * both passes must agree on where a quote or an escape starts and ends.
 */
#include <vireo/errno.h>
#include <vireo/shell_parse.h>
#include <vireo/string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Kernel command lines from the device tree may also carry line breaks between words. */
static bool is_cmdline_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Scans one command starting at a non-blank byte. On return *pos is at the terminating ';' or
 * NUL, and the result points just past the last byte that is not an unquoted, unescaped blank,
 * so trailing blanks go but "a\ " and "'a '" keep theirs. An unterminated quote runs to the end
 * of the line and is reported later by shell_split_args.
 */
static const char *scan_command(const char **pos)
{
	const char *p = *pos;
	const char *end = p;
	char quote = '\0';

	while (*p != '\0') {
		char c = *p;

		if (quote == '\0') {
			if (c == ';') {
				break;
			}
			if (c == '\\' && p[1] != '\0') {
				p += 2;
				end = p;
				continue;
			}
			if (c == '"' || c == '\'') {
				quote = c;
			}
			p++;
			if (!is_blank(c)) {
				end = p;
			}
		} else {
			if (quote == '"' && c == '\\' && (p[1] == '"' || p[1] == '\\')) {
				p += 2;
			} else {
				if (c == quote) {
					quote = '\0';
				}
				p++;
			}
			end = p;
		}
	}
	*pos = p;
	return end;
}

int shell_next_command(const char **cursor, char *out, size_t out_size)
{
	const char *p;

	if (cursor == NULL || *cursor == NULL) {
		return 0;
	}
	p = *cursor;
	for (;;) {
		const char *start;
		const char *end;
		size_t len;

		while (is_blank(*p)) {
			p++;
		}
		if (*p == '\0') {
			*cursor = p;
			return 0;
		}
		if (*p == ';') {
			p++; /* empty command */
			continue;
		}
		start = p;
		end = scan_command(&p);
		if (*p == ';') {
			p++;
		}
		/* Advance even on error so that a caller that reports and goes on cannot loop. */
		*cursor = p;
		len = (size_t)(end - start);
		if (out == NULL || len >= out_size) {
			if (out != NULL && out_size > 0) {
				out[0] = '\0';
			}
			return VIREO_ERANGE;
		}
		memcpy(out, start, len);
		out[len] = '\0';
		return 1;
	}
}

/*
 * Copies one word from *rd to *wr removing quotes and escapes. The write position never passes
 * the read position (every removed byte only shrinks the word), so this works in place. Leaves
 * *rd on the blank or NUL that ended the word.
 */
static int unquote_word(char **rd, char **wr)
{
	char *r = *rd;
	char *w = *wr;
	char quote = '\0';

	for (;;) {
		char c = *r;

		if (c == '\0') {
			if (quote != '\0') {
				return VIREO_EINVAL;
			}
			break;
		}
		if (quote == '\0') {
			if (is_blank(c)) {
				break;
			}
			if (c == '\\') {
				if (r[1] == '\0') {
					return VIREO_EINVAL;
				}
				*w++ = r[1];
				r += 2;
			} else if (c == '"' || c == '\'') {
				quote = c;
				r++;
			} else {
				*w++ = c;
				r++;
			}
		} else if (c == quote) {
			quote = '\0';
			r++;
		} else if (quote == '"' && c == '\\' && (r[1] == '"' || r[1] == '\\')) {
			*w++ = r[1];
			r += 2;
		} else {
			/* Inside '...', and after a backslash not escaping " or \ in "...": literal. */
			*w++ = c;
			r++;
		}
	}
	*rd = r;
	*wr = w;
	return 0;
}

int shell_split_args(char *line, char **argv, int max_args)
{
	char *r = line;
	char *w = line;
	int argc = 0;

	if (line == NULL) {
		return VIREO_EINVAL;
	}
	for (;;) {
		char terminator;
		int err;

		while (is_blank(*r)) {
			r++;
		}
		if (*r == '\0') {
			return argc;
		}
		if (argc >= max_args) {
			return VIREO_ENOSPC;
		}
		argv[argc++] = w;
		err = unquote_word(&r, &w);
		if (err != 0) {
			return err;
		}
		/* w may equal r here: read the terminator before the NUL overwrites it. */
		terminator = *r;
		*w++ = '\0';
		if (terminator == '\0') {
			return argc;
		}
		r++;
	}
}

/* Skips one command-line word; a double-quoted part may contain blanks (key="a b"). */
static const char *skip_cmdline_word(const char *p)
{
	bool quoted = false;

	while (*p != '\0' && (quoted || !is_cmdline_blank(*p))) {
		if (*p == '"') {
			quoted = !quoted;
		}
		p++;
	}
	return p;
}

int cmdline_get_value(const char *cmdline, const char *key, char *out, size_t out_size)
{
	const char *p = cmdline;
	const char *value = NULL;
	const char *start;
	const char *end;
	size_t key_len;
	size_t len;

	if (key == NULL || key[0] == '\0') {
		return VIREO_EINVAL;
	}
	if (cmdline == NULL) {
		return VIREO_ENOENT;
	}
	key_len = strlen(key);
	/*
	 * Whole words only, and a bare flag ("key" without '=') has no value. As with Linux
	 * parameters the last occurrence wins, so arguments appended by a boot loader override
	 * built-in ones.
	 */
	for (;;) {
		while (is_cmdline_blank(*p)) {
			p++;
		}
		if (*p == '\0') {
			break;
		}
		if (strncmp(p, key, key_len) == 0 && p[key_len] == '=') {
			value = p + key_len + 1;
		}
		p = skip_cmdline_word(p);
	}
	if (value == NULL) {
		return VIREO_ENOENT;
	}
	if (*value == '"') {
		start = value + 1;
		end = strchr(start, '"');
		if (end == NULL) {
			return VIREO_EINVAL;
		}
	} else {
		start = value;
		end = start;
		while (*end != '\0' && !is_cmdline_blank(*end)) {
			end++;
		}
	}
	len = (size_t)(end - start);
	if (out == NULL || len >= out_size || len > (size_t)INT32_MAX) {
		return VIREO_ERANGE;
	}
	memcpy(out, start, len);
	out[len] = '\0';
	return (int)len;
}
