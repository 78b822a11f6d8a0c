/* SPDX-License-Identifier: GPL-2.0-only */
/** Shell command `thread list`: every hypervisor thread and where it runs. */
#include <vireo/clock.h>
#include <vireo/console.h>
#include <vireo/sched.h>
#include <vireo/shell.h>
#include <vireo/string.h>

#define THREAD_LIST_MAX 128

/* Only the shell thread runs commands, so one static snapshot buffer suffices. */
static struct thread_info snapshot[THREAD_LIST_MAX];

static int thread_list(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	unsigned int total = thread_snapshot(snapshot, THREAD_LIST_MAX);
	unsigned int shown = total < THREAD_LIST_MAX ? total : THREAD_LIST_MAX;

	console_printf("%-4s %-16s %-4s %-5s %-8s %12s %10s\n", "ID", "NAME", "CPU", "PRIO",
	               "STATE", "RUNTIME-US", "SWITCHES");
	for (unsigned int i = 0; i < shown; i++) {
		const struct thread_info *t = &snapshot[i];
		console_printf("%-4u %-16s %-4u %-5u %-8s %12llu %10llu\n", t->id, t->name, t->cpu,
		               t->prio, thread_state_name(t->state),
		               (unsigned long long)(t->runtime / NSEC_PER_USEC),
		               (unsigned long long)t->switches_in);
	}
	if (total > shown) {
		console_printf("(%u more threads not shown)\n", total - shown);
	}
	return 0;
}

static const struct shell_form thread_forms[] = {{"list", "", 0, 0, thread_list}};

static const struct shell_cmd thread_cmds[] = {
    {"thread", "hypervisor threads", thread_forms, ARRAY_SIZE(thread_forms)},
};

const struct shell_group shell_group_thread = {thread_cmds, ARRAY_SIZE(thread_cmds)};
