/* SPDX-License-Identifier: GPL-2.0-only */
/** Shell commands about Vireo itself: help, version, echo, uptime, reboot, shutdown. */
#include <vireo/arch/cpu_setup.h>
#include <vireo/clock.h>
#include <vireo/console.h>
#include <vireo/errno.h>
#include <vireo/power.h>
#include <vireo/shell.h>
#include <vireo/string.h>
#include <vireo/version.h>

static const struct shell_cmd system_cmds[];

static void print_usage(const struct shell_cmd *cmd)
{
	console_printf("%s - %s\nusage:\n", cmd->name, cmd->summary);
	const char *u = cmd->usage;
	while (*u) {
		const char *nl = strchr(u, '\n');
		int len = nl ? (int)(nl - u) : (int)strlen(u);
		console_printf("  %.*s\n", len, u);
		u += len + (nl ? 1 : 0);
	}
}

static int cmd_help(int argc, char **argv)
{
	if (argc > 2) {
		return shell_usage_error(&system_cmds[0]);
	}
	if (argc == 2) {
		const struct shell_cmd *cmd = shell_find(argv[1]);
		if (!cmd) {
			return shell_error("help", "no command '%s' (type 'help' for a list)",
			                   argv[1]);
		}
		print_usage(cmd);
		return 0;
	}
	console_puts("Commands (help <command> for details):\n");
	for (unsigned int g = 0; shell_groups[g]; g++) {
		for (unsigned int i = 0; i < shell_groups[g]->count; i++) {
			const struct shell_cmd *c = &shell_groups[g]->cmds[i];
			console_printf("  %-10s %s\n", c->name, c->summary);
		}
	}
	console_puts("Line editing: arrows, Home/End, Backspace/Delete, Ctrl-A/E/U/K/W, "
	             "Up/Down for history, Ctrl-C cancels.\n");
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		return shell_usage_error(&system_cmds[1]);
	}
	console_printf("Vireo %s (%s) %s, built with %s\n", vireo_version, vireo_git_rev,
	               arch_name(), vireo_compiler);
	return 0;
}

static int cmd_echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		console_printf(i > 1 ? " %s" : "%s", argv[i]);
	}
	console_puts("\n");
	return 0;
}

static int cmd_uptime(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		return shell_usage_error(&system_cmds[3]);
	}
	nsec_t now = clock_now();
	uint64_t sec = now / NSEC_PER_SEC;
	console_printf("up %llu days, %02llu:%02llu:%02llu.%03llu (%llu ns)\n",
	               (unsigned long long)(sec / 86400), (unsigned long long)(sec / 3600 % 24),
	               (unsigned long long)(sec / 60 % 60), (unsigned long long)(sec % 60),
	               (unsigned long long)(now / NSEC_PER_MSEC % 1000), (unsigned long long)now);
	return 0;
}

static int cmd_reboot(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		return shell_usage_error(&system_cmds[4]);
	}
	console_puts("Rebooting the host.\n");
	power_reboot();
}

static int cmd_shutdown(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		return shell_usage_error(&system_cmds[5]);
	}
	console_puts("Powering off the host.\n");
	power_off();
}

static const struct shell_cmd system_cmds[] = {
    {"help", "list commands or describe one", "help\nhelp <command>", cmd_help},
    {"version", "show the Vireo version", "version", cmd_version},
    {"echo", "print the arguments", "echo [text...]", cmd_echo},
    {"uptime", "time since the host booted", "uptime", cmd_uptime},
    {"reboot", "reboot the host machine", "reboot", cmd_reboot},
    {"shutdown", "power the host machine off", "shutdown", cmd_shutdown},
};

const struct shell_group shell_group_system = {system_cmds, ARRAY_SIZE(system_cmds)};
