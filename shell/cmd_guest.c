/* SPDX-License-Identifier: GPL-2.0-only */
/** Shell command `guest`: listing guests and driving their lifecycle. */
#include <vireo/console.h>
#include <vireo/errno.h>
#include <vireo/guest_devs.h>
#include <vireo/guest_ops.h>
#include <vireo/printf.h>
#include <vireo/guests_boot.h>
#include <vireo/shell.h>
#include <vireo/string.h>
#include <vireo/vcpu.h>

#define DUMPMEM_DEFAULT 256
#define DUMPMEM_MAX     4096

static struct guest *lookup(const char *name)
{
	struct guest *g = guest_find(name);
	if (!g) {
		shell_error("guest", "no guest '%s' (see 'guest list')", name);
	}
	return g;
}

static int guest_list(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_printf("%-4s %-16s %-8s %5s %8s  %s\n", "ID", "NAME", "STATE", "VCPUS", "RAM-MIB",
	               "REASON");
	for (unsigned int i = 0;; i++) {
		struct guest *g = guest_at(i);
		if (!g) {
			break;
		}
		console_printf("%-4u %-16s %-8s %5u %8llu  %s\n", g->id, g->name,
		               guest_state_name(g->state), g->vcpu_count,
		               (unsigned long long)(g->ram_size >> 20), g->reason);
	}
	return 0;
}

static void print_device(const char *node, uint64_t base, unsigned int irq, const char *what)
{
	console_printf("  %-16s 0x%08llx  ", node, (unsigned long long)base);
	if (irq) {
		console_printf("irq %-3u ", irq);
	} else {
		console_printf("        ");
	}
	console_printf("%s\n", what);
}

static int guest_info(int argc, char **argv)
{
	(void)argc;
	struct guest *g = lookup(argv[0]);
	if (!g) {
		return VIREO_ENOENT;
	}
	console_printf("guest     %s (id %u), %s%s%s\n", g->name, g->id, guest_state_name(g->state),
	               g->reason[0] ? ": " : "", g->reason);
	console_printf("vcpus     %u, on host cpus", g->vcpu_count);
	for (unsigned int i = 0; i < g->vcpu_count; i++) {
		console_printf(" %u", g->vcpus[i]->host_cpu);
	}
	console_printf("\nmemory    %llu MiB RAM at 0x%llx\n",
	               (unsigned long long)(g->ram_size >> 20), (unsigned long long)GUEST_RAM_BASE);
	console_printf("overhead  %llu bytes of heap, %llu pages (%llu KiB): stage-2 tables, vCPU "
	               "stacks, devices, disk copies (at creation)\n",
	               (unsigned long long)g->overhead_heap_bytes,
	               (unsigned long long)g->overhead_pages,
	               (unsigned long long)(g->overhead_pages * 4));
	console_printf("devices\n");
	print_device("test", GUEST_TEST_BASE, 0, "poweroff/reboot (sifive,test0)");
	print_device("rtc", GUEST_RTC_BASE, GUEST_RTC_IRQ, "Goldfish RTC");
	print_device("plic", GUEST_PLIC_BASE, 0, "PLIC, one context per vCPU");
	print_device("serial", GUEST_UART_BASE, GUEST_UART_IRQ, "ns16550a, the guest's console");
	struct guest_vdev_info d;
	enum guest_device_type t;
	for (unsigned int i = 0; i < GUEST_VIRTIO_MAX; i++) {
		if (guest_vdev_at(g, i, &d, &t) == 0) {
			char what[64];
			snprintf(what, sizeof(what), "%s, %s", guest_device_type_name(t), d.state);
			print_device(d.device, GUEST_VIRTIO_BASE + i * GUEST_VIRTIO_SIZE,
			             GUEST_VIRTIO_IRQ + i, what);
		}
	}
	return 0;
}

static int report(const char *verb, const char *past, struct guest *g, int err)
{
	switch (err) {
	case 0:
		console_printf("guest %s: %s\n", g->name, past);
		return 0;
	case VIREO_EBUSY:
		return shell_error("guest", "%s is %s: cannot %s it", g->name,
		                   guest_state_name(g->state), verb);
	case VIREO_EAGAIN:
		return shell_error("guest", "%s: vCPUs did not stop in time", g->name);
	default:
		return shell_error("guest", "%s: %s", g->name, vireo_strerror(err));
	}
}

static int guest_create_cmd(int argc, char **argv)
{
	(void)argc;
	if (guest_find(argv[0])) {
		return shell_error("guest", "%s already exists", argv[0]);
	}
	char why[SHELL_ERROR_MAX];
	if (guests_create_from_config(argv[0], why, sizeof(why)) != 0) {
		return shell_error("guest", "%s", why);
	}
	return 0;
}

static int guest_destroy_cmd(int argc, char **argv)
{
	(void)argc;
	struct guest *g = lookup(argv[0]);
	if (!g) {
		return VIREO_ENOENT;
	}
	char name[GUEST_NAME_MAX];
	strlcpy(name, g->name, sizeof(name));
	int err = guest_destroy(g);
	if (err) {
		return shell_error("guest", "%s: vCPUs did not stop in time", name);
	}
	console_printf("guest %s: destroyed\n", name);
	return 0;
}

static int lifecycle(const char *name, int (*op)(struct guest *g), const char *verb,
                     const char *past)
{
	struct guest *g = lookup(name);
	return g ? report(verb, past, g, op(g)) : VIREO_ENOENT;
}

static int guest_kick_cmd(int argc, char **argv)
{
	(void)argc;
	return lifecycle(argv[0], guest_kick, "start", "started");
}

static int guest_pause_cmd(int argc, char **argv)
{
	(void)argc;
	return lifecycle(argv[0], guest_pause, "pause", "paused");
}

static int guest_resume_cmd(int argc, char **argv)
{
	(void)argc;
	return lifecycle(argv[0], guest_resume, "resume", "resumed");
}

static int guest_reset_cmd(int argc, char **argv)
{
	(void)argc;
	return lifecycle(argv[0], guest_reset, "reset", "reset");
}

static int guest_halt_cmd(int argc, char **argv)
{
	(void)argc;
	return lifecycle(argv[0], guest_halt, "halt", "halted");
}

static int guest_dumpmem(int argc, char **argv)
{
	uint64_t gpa, len = DUMPMEM_DEFAULT;
	uint8_t buf[16];
	struct guest *g = lookup(argv[0]);

	if (!g) {
		return VIREO_ENOENT;
	}
	if (str_to_u64(argv[1], &gpa, false) != 0 ||
	    (argc == 3 && str_to_u64(argv[2], &len, true) != 0)) {
		return shell_error("guest", "dumpmem: addresses and lengths are numbers (0x... "
		                            "for hex)");
	}
	if (len == 0 || len > DUMPMEM_MAX) {
		return shell_error("guest", "dumpmem: length must be 1..%d bytes", DUMPMEM_MAX);
	}
	if (gpa < GUEST_RAM_BASE || gpa - GUEST_RAM_BASE >= g->ram_size ||
	    len > g->ram_size - (gpa - GUEST_RAM_BASE)) {
		return shell_error(
		    "guest", "dumpmem: 0x%llx+%llu is outside %s's RAM (0x%llx-0x%llx)",
		    (unsigned long long)gpa, (unsigned long long)len, g->name, GUEST_RAM_BASE,
		    (unsigned long long)(GUEST_RAM_BASE + g->ram_size - 1));
	}
	for (uint64_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? (size_t)(len - off) : 16;
		if (guest_read(g, gpa + off, buf, n) != 0) {
			return shell_error("guest", "dumpmem: 0x%llx is not mapped",
			                   (unsigned long long)(gpa + off));
		}
		console_printf("%010llx:", (unsigned long long)(gpa + off));
		for (size_t i = 0; i < n; i++) {
			console_printf(" %02x", buf[i]);
		}
		console_printf("%*s  |", (int)(16 - n) * 3, "");
		for (size_t i = 0; i < n; i++) {
			console_printf("%c", buf[i] >= 0x20 && buf[i] < 0x7f ? buf[i] : '.');
		}
		console_puts("|\n");
	}
	return 0;
}

static const struct shell_form guest_forms[] = {
    {"list", "", 0, 0, guest_list},
    {"info", "<name>", 1, 1, guest_info},
    {"create", "<name>", 1, 1, guest_create_cmd},
    {"destroy", "<name>", 1, 1, guest_destroy_cmd},
    {"kick", "<name>", 1, 1, guest_kick_cmd},
    {"pause", "<name>", 1, 1, guest_pause_cmd},
    {"resume", "<name>", 1, 1, guest_resume_cmd},
    {"reset", "<name>", 1, 1, guest_reset_cmd},
    {"halt", "<name>", 1, 1, guest_halt_cmd},
    {"dumpmem", "<name> <gpa> [len]", 2, 3, guest_dumpmem},
};

static const struct shell_cmd guest_cmds[] = {
    {"guest", "list and control guests", guest_forms, ARRAY_SIZE(guest_forms)},
};

const struct shell_group shell_group_guest = {guest_cmds, ARRAY_SIZE(guest_cmds)};
