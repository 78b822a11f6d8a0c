/* SPDX-License-Identifier: GPL-2.0-only */
/** Shell command `vserial`: guests' virtual serial consoles. */
#include <vireo/console.h>
#include <vireo/errno.h>
#include <vireo/guest_ops.h>
#include <vireo/shell.h>
#include <vireo/vserial.h>

#define ESCAPE_KEY 0x1d /* Ctrl-] as in telnet */

static struct guest *lookup(const char *name)
{
	struct guest *g = guest_find(name);
	if (!g) {
		shell_error("vserial", "no guest '%s' (see 'guest list')", name);
	}
	return g;
}

static int vserial_list(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_printf("%-16s %12s %10s\n", "GUEST", "OUTPUT", "IN-DROPPED");
	for (unsigned int i = 0;; i++) {
		struct guest *g = guest_at(i);
		if (!g) {
			break;
		}
		console_printf("%-16s %12llu %10llu\n", g->name,
		               (unsigned long long)g->vserial.out_total,
		               (unsigned long long)g->vserial.in_dropped);
	}
	return 0;
}

static int vserial_bind(int argc, char **argv)
{
	(void)argc;
	struct guest *g = lookup(argv[0]);
	if (!g) {
		return VIREO_ENOENT;
	}
	console_printf("[attached to %s's console; Ctrl-] returns to the shell]\n", g->name);
	vserial_set_bound(&g->vserial, true);
	for (;;) {
		char c = console_getc();
		if (c == ESCAPE_KEY) {
			break;
		}
		/* The guest may have been destroyed meanwhile: look it up again. */
		if (guest_find(argv[0]) != g) {
			break;
		}
		vserial_push_input(&g->vserial, c);
	}
	if (guest_find(argv[0]) == g) {
		vserial_set_bound(&g->vserial, false);
	}
	console_printf("\n[detached from %s]\n", argv[0]);
	return 0;
}

static int vserial_dump(int argc, char **argv)
{
	(void)argc;
	static char buf[VSERIAL_OUT_RING];
	struct guest *g = lookup(argv[0]);
	if (!g) {
		return VIREO_ENOENT;
	}
	size_t n = vserial_snapshot(&g->vserial, buf, sizeof(buf));
	console_write(buf, n);
	if (n && buf[n - 1] != '\n') {
		console_puts("\n");
	}
	return 0;
}

static const struct shell_form vserial_forms[] = {
    {"list", "", 0, 0, vserial_list},
    {"bind", "<guest>", 1, 1, vserial_bind},
    {"dump", "<guest>", 1, 1, vserial_dump},
};

static const struct shell_cmd vserial_cmds[] = {
    {"vserial", "guest consoles", vserial_forms, ARRAY_SIZE(vserial_forms)},
};

const struct shell_group shell_group_vserial = {vserial_cmds, ARRAY_SIZE(vserial_cmds)};
