/* SPDX-License-Identifier: GPL-2.0-only */
/** Shell command `vcpu`: vCPU states, registers and exit statistics. */
#include <vireo/console.h>
#include <vireo/errno.h>
#include <vireo/guest_ops.h>
#include <vireo/printf.h>
#include <vireo/shell.h>
#include <vireo/smp.h>
#include <vireo/string.h>
#include <vireo/vcpu.h>

static const char *const exit_names[VCPU_EXITK_COUNT] = {
    [VCPU_EXITK_INTERRUPT] = "host interrupt",
    [VCPU_EXITK_SBI] = "sbi call",
    [VCPU_EXITK_WFI] = "wfi",
    [VCPU_EXITK_MMIO] = "emulated access",
    [VCPU_EXITK_GUEST_FAULT] = "guest page fault",
    [VCPU_EXITK_VIRTUAL_INST] = "virtual instruction",
    [VCPU_EXITK_OTHER] = "other",
};

/* Parses "<guest>/<n>". */
static struct vcpu *lookup(const char *spec)
{
	char name[GUEST_NAME_MAX];
	const char *slash = strchr(spec, '/');
	uint64_t n;

	if (!slash || (size_t)(slash - spec) >= sizeof(name) ||
	    str_to_u64(slash + 1, &n, false) != 0) {
		shell_error("vcpu", "name a vCPU as <guest>/<n>, e.g. linux0/0");
		return NULL;
	}
	memcpy(name, spec, (size_t)(slash - spec));
	name[slash - spec] = '\0';
	struct guest *g = guest_find(name);
	if (!g) {
		shell_error("vcpu", "no guest '%s' (see 'guest list')", name);
		return NULL;
	}
	if (n >= g->vcpu_count) {
		shell_error("vcpu", "%s has vCPUs 0..%u", g->name, g->vcpu_count - 1);
		return NULL;
	}
	return g->vcpus[n];
}

static int vcpu_list(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_printf("%-20s %-8s %-4s %-4s %12s\n", "VCPU", "STATE", "CPU", "PRIO", "EXITS");
	for (unsigned int i = 0;; i++) {
		struct guest *g = guest_at(i);
		if (!g) {
			break;
		}
		for (unsigned int n = 0; n < g->vcpu_count; n++) {
			struct vcpu *v = g->vcpus[n];
			uint64_t exits = 0;
			char id[GUEST_NAME_MAX + 8];
			for (unsigned int k = 0; k < VCPU_EXITK_COUNT; k++) {
				exits += v->exits[k];
			}
			snprintf(id, sizeof(id), "%s/%u", g->name, n);
			/* A vCPU of a guest that is not running is parked whatever its own state. */
			const char *state = g->state == GUEST_RUNNING ? vcpu_state_name(v->state)
			                                              : guest_state_name(g->state);
			console_printf("%-20s %-8s %-4u %-4u %12llu\n", id, state, v->host_cpu,
			               v->prio, (unsigned long long)exits);
		}
	}
	return 0;
}

static void sync_on_hart(void *arg)
{
	arch_vcpu_sync(arg);
}

static int vcpu_dumpreg(int argc, char **argv)
{
	(void)argc;
	struct vcpu *v = lookup(argv[0]);
	if (!v) {
		return VIREO_ENOENT;
	}
	/* The VS CSRs may still be in its hart's registers: have that hart save them. */
	if (v->thread) {
		(void)smp_call(v->thread->cpu->id, sync_on_hart, v, 200 * 1000 * 1000ULL);
	}
	console_printf("%s/%u: %s\n", v->guest->name, v->index, vcpu_state_name(v->state));
	arch_vcpu_dump(v);
	return 0;
}

static int vcpu_dumpstat(int argc, char **argv)
{
	(void)argc;
	struct vcpu *v = lookup(argv[0]);
	if (!v) {
		return VIREO_ENOENT;
	}
	console_printf("%s/%u: %s on cpu %u\n", v->guest->name, v->index, vcpu_state_name(v->state),
	               v->host_cpu);
	for (unsigned int k = 0; k < VCPU_EXITK_COUNT; k++) {
		console_printf("  %-20s %12llu\n", exit_names[k], (unsigned long long)v->exits[k]);
	}
	return 0;
}

static const struct shell_form vcpu_forms[] = {
    {"list", "", 0, 0, vcpu_list},
    {"dumpreg", "<guest>/<n>", 1, 1, vcpu_dumpreg},
    {"dumpstat", "<guest>/<n>", 1, 1, vcpu_dumpstat},
};

static const struct shell_cmd vcpu_cmds[] = {
    {"vcpu", "guest vCPU state and statistics", vcpu_forms, ARRAY_SIZE(vcpu_forms)},
};

const struct shell_group shell_group_vcpu = {vcpu_cmds, ARRAY_SIZE(vcpu_cmds)};
