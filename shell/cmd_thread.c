/* SPDX-License-Identifier: GPL-2.0-only */
/** Shell command `thread list`: every hypervisor thread and where it runs. */
#include <vireo/clock.h>
#include <vireo/console.h>
#include <vireo/percpu.h>
#include <vireo/sched.h>
#include <vireo/shell.h>
#include <vireo/string.h>

static const struct shell_cmd thread_cmds[];

static void print_thread(const struct thread *t, void *arg)
{
	(void)arg;
	nsec_t runtime = t->runtime;
	if (t->state == THREAD_RUNNING) {
		/* Include the slice in progress so a busy thread does not look idle. */
		runtime += clock_now() - t->run_start;
	}
	console_printf("%-4u %-16s %-4u %-5u %-8s %12llu %10llu\n", t->id, t->name, t->cpu->id,
	               t->prio, thread_state_name(t->state),
	               (unsigned long long)(runtime / NSEC_PER_USEC),
	               (unsigned long long)t->switches_in);
}

static int cmd_thread(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		console_printf("%-4s %-16s %-4s %-5s %-8s %12s %10s\n", "ID", "NAME", "CPU", "PRIO",
		               "STATE", "RUNTIME-US", "SWITCHES");
		thread_for_each(print_thread, NULL);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "list") != 0) {
		return shell_error("thread", "unknown subcommand '%s' (see 'help thread')",
		                   argv[1]);
	}
	return shell_usage_error(&thread_cmds[0]);
}

static const struct shell_cmd thread_cmds[] = {
    {"thread", "hypervisor threads", "thread list", cmd_thread},
};

const struct shell_group shell_group_thread = {thread_cmds, ARRAY_SIZE(thread_cmds)};
