/* SPDX-License-Identifier: GPL-2.0-only */
/** The management shell thread: boot commands, then an interactive prompt on the console. */
#include <stdarg.h>
#include <vireo/console.h>
#include <vireo/errno.h>
#include <vireo/guests_boot.h>
#include <vireo/heap.h>
#include <vireo/line_edit.h>
#include <vireo/log.h>
#include <vireo/printf.h>
#include <vireo/sched.h>
#include <vireo/shell.h>
#include <vireo/shell_parse.h>
#include <vireo/string.h>

#define BOOTCMD_KEY "vireo.bootcmd"
#define BOOTCMD_MAX 512

static struct line_edit editor;
static char bootcmd[BOOTCMD_MAX];

const struct shell_cmd *shell_find(const char *name)
{
	for (unsigned int g = 0; shell_groups[g]; g++) {
		for (unsigned int i = 0; i < shell_groups[g]->count; i++) {
			if (strcmp(shell_groups[g]->cmds[i].name, name) == 0) {
				return &shell_groups[g]->cmds[i];
			}
		}
	}
	return NULL;
}

int shell_error(const char *cmd, const char *fmt, ...)
{
	char msg[SHELL_ERROR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cmd) {
		console_printf("error: %s: %s\n", cmd, msg);
	} else {
		console_printf("error: %s\n", msg);
	}
	return VIREO_EINVAL;
}

int shell_usage_error(const struct shell_cmd *cmd, const struct shell_form *form)
{
	char usage[128];
	shell_form_usage(cmd, form, usage, sizeof(usage));
	console_printf("error: usage: %s (see 'help %s')\n", usage, cmd->name);
	return VIREO_EINVAL;
}

void shell_print_help(const struct shell_cmd *cmd)
{
	char usage[128];
	console_printf("%s - %s\nusage:\n", cmd->name, cmd->summary);
	for (unsigned int i = 0; i < cmd->form_count; i++) {
		shell_form_usage(cmd, &cmd->forms[i], usage, sizeof(usage));
		console_printf("  %s\n", usage);
	}
}

static int exec_one(char *command)
{
	char *argv[SHELL_MAX_ARGS];
	int argc = shell_split_args(command, argv, SHELL_MAX_ARGS);

	if (argc == VIREO_ENOSPC) {
		return shell_error(NULL, "too many arguments (at most %d)", SHELL_MAX_ARGS - 1);
	}
	if (argc < 0) {
		return shell_error(NULL, "unterminated quote or trailing backslash");
	}
	if (argc == 0) {
		return 0;
	}
	const struct shell_cmd *cmd = shell_find(argv[0]);
	if (!cmd) {
		return shell_error(NULL, "unknown command '%s' (type 'help' for a list)", argv[0]);
	}
	const struct shell_form *form = &cmd->forms[0];
	int first = 1;
	switch (shell_match(cmd, argc, argv, &form, &first)) {
	case SHELL_MATCH_OK:
		return form->run(argc - first, argv + first);
	case SHELL_MATCH_UNKNOWN_SUBCOMMAND:
		return shell_error(cmd->name, "unknown subcommand '%s' (see 'help %s')", argv[1],
		                   cmd->name);
	case SHELL_MATCH_NO_SUBCOMMAND:
	case SHELL_MATCH_BAD_ARGS:
		break;
	}
	return shell_usage_error(cmd, form);
}

/* Runs each ';'-separated command of line; with echo, each is first shown after a prompt. */
static int exec_commands(const char *line, bool echo)
{
	char command[LINE_EDIT_MAX];
	const char *cursor = line;
	int ret = 0;
	int r;

	while ((r = shell_next_command(&cursor, command, sizeof(command))) != 0) {
		if (r < 0) {
			ret = shell_error(NULL, "command too long (at most %d characters)",
			                  LINE_EDIT_MAX - 1);
			continue;
		}
		if (echo) {
			console_printf(SHELL_PROMPT "%s\n", command);
		}
		int err = exec_one(command);
		if (err) {
			ret = err;
		}
	}
	return ret;
}

int shell_exec_line(const char *line)
{
	return exec_commands(line, false);
}

static void editor_out(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	console_write(s, len);
}

static void editor_redraw(void *ctx)
{
	line_edit_redraw(ctx);
}

static void shell_thread(void *arg)
{
	(void)arg;
	line_edit_init(&editor, SHELL_PROMPT, editor_out, NULL);
	guests_boot();
	exec_commands(bootcmd, true);

	for (;;) {
		enum line_edit_result r;
		unsigned long flags = console_lock();
		line_edit_begin(&editor);
		console_set_redraw(editor_redraw, &editor);
		console_unlock(flags);
		do {
			char c = console_getc();
			/* Edit under the console lock: an asynchronous log line redraws the editor's
			 * line and must never see it half-changed. */
			flags = console_lock();
			r = line_edit_feed(&editor, c);
			if (r != LINE_EDIT_CONTINUE) {
				console_set_redraw(NULL, NULL);
			}
			console_unlock(flags);
		} while (r == LINE_EDIT_CONTINUE);
		if (r == LINE_EDIT_DONE) {
			const char *line = line_edit_line(&editor);
			line_edit_history_add(&editor, line);
			shell_exec_line(line);
		}
	}
}

int shell_start(const char *bootargs)
{
	int err;
	int n = cmdline_get_value(bootargs, BOOTCMD_KEY, bootcmd, sizeof(bootcmd));

	if (n == VIREO_ERANGE) {
		log_err("shell: %s is longer than %d characters, ignored", BOOTCMD_KEY,
		        BOOTCMD_MAX - 1);
	} else if (n == VIREO_EINVAL) {
		log_err("shell: %s has an unterminated quote, ignored", BOOTCMD_KEY);
	}
	if (n < 0) {
		bootcmd[0] = '\0';
	}
	struct thread *t = thread_create("shell", shell_thread, NULL, THREAD_PRIO_DEFAULT, 0, &err);
	if (!t) {
		return err;
	}
	thread_start(t);
	return 0;
}
