/* SPDX-License-Identifier: GPL-2.0-only */
/** Shell command `vdisk`: the guests' virtio-blk disks. */
#include <vireo/console.h>
#include <vireo/errno.h>
#include <vireo/guest_devs.h>
#include <vireo/guest_ops.h>
#include <vireo/shell.h>
#include <vireo/string.h>

static const char *mode(const struct guest_disk_info *d)
{
	if (d->read_only) {
		return "ro";
	}
	return d->private_copy ? "rw-copy" : "rw";
}

static int vdisk_list(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_printf("%-16s %-8s %-12s %9s %-8s %10s %10s  %s\n", "GUEST", "DEVICE", "STATE",
	               "SIZE-KIB", "MODE", "READS", "WRITES", "IMAGE");
	for (unsigned int i = 0;; i++) {
		struct guest *g = guest_at(i);
		if (!g) {
			break;
		}
		struct guest_disk_info d;
		for (unsigned int k = 0; guest_disk_at(g, k, &d) == 0; k++) {
			console_printf("%-16s %-8s %-12s %9llu %-8s %10llu %10llu  %s\n", g->name,
			               d.dev.device, d.dev.state,
			               (unsigned long long)(d.sectors / 2), mode(&d),
			               (unsigned long long)d.stats.reads,
			               (unsigned long long)d.stats.writes, d.image ? d.image : "");
		}
	}
	return 0;
}

/* "guest.device" or "guest" (its only disk) */
static int vdisk_info(int argc, char **argv)
{
	(void)argc;
	char name[GUEST_NAME_MAX];
	const char *dot = strchr(argv[0], '.');
	size_t len = dot ? (size_t)(dot - argv[0]) : strlen(argv[0]);
	struct guest *g = NULL;
	if (len < sizeof(name)) {
		memcpy(name, argv[0], len);
		name[len] = '\0';
		g = guest_find(name);
	}
	if (!g) {
		shell_error("vdisk", "no guest '%.*s' (see 'guest list')", (int)len, argv[0]);
		return VIREO_ENOENT;
	}
	struct guest_disk_info d;
	bool found = false;
	for (unsigned int k = 0; !found && guest_disk_at(g, k, &d) == 0; k++) {
		found = !dot || strcmp(d.dev.device, dot + 1) == 0;
	}
	if (!found) {
		if (dot) {
			shell_error("vdisk", "guest %s has no disk '%s' (see 'vdisk list')",
			            g->name, dot + 1);
		} else {
			shell_error("vdisk", "guest %s has no disk (see 'vdisk list')", g->name);
		}
		return VIREO_ENOENT;
	}
	console_printf("disk      %s.%s (virtio-mmio slot %u)\n", g->name, d.dev.device,
	               d.dev.slot);
	console_printf("image     %s\n", d.image ? d.image : "");
	console_printf("size      %llu sectors of 512 bytes (%llu KiB)\n",
	               (unsigned long long)d.sectors, (unsigned long long)(d.sectors / 2));
	console_printf("mode      %s\n", d.read_only      ? "read-only, served from the bundle"
	                                 : d.private_copy ? "read-write, private copy"
	                                                  : "read-write");
	console_printf("state     %s%s%s\n", d.dev.state, d.dev.fault ? ": " : "",
	               d.dev.fault ? d.dev.fault : "");
	console_printf("reads     %llu (%llu bytes)\n", (unsigned long long)d.stats.reads,
	               (unsigned long long)d.stats.bytes_read);
	console_printf("writes    %llu (%llu bytes)\n", (unsigned long long)d.stats.writes,
	               (unsigned long long)d.stats.bytes_written);
	console_printf("flushes   %llu\n", (unsigned long long)d.stats.flushes);
	console_printf("errors    %llu\n", (unsigned long long)d.stats.errors);
	return 0;
}

static const struct shell_form vdisk_forms[] = {
    {"list", "", 0, 0, vdisk_list},
    {"info", "<guest>[.<disk>]", 1, 1, vdisk_info},
};

static const struct shell_cmd vdisk_cmds[] = {
    {"vdisk", "guest disks", vdisk_forms, ARRAY_SIZE(vdisk_forms)},
};

const struct shell_group shell_group_vdisk = {vdisk_cmds, ARRAY_SIZE(vdisk_cmds)};
