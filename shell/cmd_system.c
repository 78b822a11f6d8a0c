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

static int cmd_help(int argc, char **argv)
{
	if (argc == 1) {
		const struct shell_cmd *cmd = shell_find(argv[0]);
		if (!cmd) {
			return shell_error("help", "no command '%s' (type 'help' for a list)",
			                   argv[0]);
		}
		shell_print_help(cmd);
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
	(void)argc;
	(void)argv;
	console_printf("Vireo %s (%s) %s, built with %s\n", vireo_version, vireo_git_rev,
	               arch_name(), vireo_compiler);
	return 0;
}

static int cmd_echo(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		console_printf(i > 0 ? " %s" : "%s", argv[i]);
	}
	console_puts("\n");
	return 0;
}

static int cmd_uptime(int argc, char **argv)
{
	(void)argc;
	(void)argv;
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
	(void)argc;
	(void)argv;
	console_puts("Rebooting the host.\n");
	power_reboot();
}

static int cmd_shutdown(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_puts("Powering off the host.\n");
	power_off();
}

static const struct shell_form help_forms[] = {{"", "[command]", 0, 1, cmd_help}};
static const struct shell_form version_forms[] = {{"", "", 0, 0, cmd_version}};
static const struct shell_form echo_forms[] = {{"", "[text...]", 0, SHELL_ARGS_ANY, cmd_echo}};
static const struct shell_form uptime_forms[] = {{"", "", 0, 0, cmd_uptime}};
static const struct shell_form reboot_forms[] = {{"", "", 0, 0, cmd_reboot}};
static const struct shell_form shutdown_forms[] = {{"", "", 0, 0, cmd_shutdown}};

static const struct shell_cmd system_cmds[] = {
    {"help", "list commands or describe one", help_forms, ARRAY_SIZE(help_forms)},
    {"version", "show the Vireo version", version_forms, ARRAY_SIZE(version_forms)},
    {"echo", "print the arguments", echo_forms, ARRAY_SIZE(echo_forms)},
    {"uptime", "time since the host booted", uptime_forms, ARRAY_SIZE(uptime_forms)},
    {"reboot", "reboot the host machine", reboot_forms, ARRAY_SIZE(reboot_forms)},
    {"shutdown", "power the host machine off", shutdown_forms, ARRAY_SIZE(shutdown_forms)},
};

const struct shell_group shell_group_system = {system_cmds, ARRAY_SIZE(system_cmds)};
