/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Shell command `vserial`: guests' consoles. "<guest>" is the guest's UART console,
 * "<guest>.<device>" one of its virtio-console devices.
 */
#include <vireo/console.h>
#include <vireo/errno.h>
#include <vireo/guest_devs.h>
#include <vireo/guest_ops.h>
#include <vireo/printf.h>
#include <vireo/shell.h>
#include <vireo/string.h>
#include <vireo/vserial.h>

#define ESCAPE_KEY 0x1d /* Ctrl-] as in telnet */

/* Resolves "guest" or "guest.device"; NULL after printing why. */
static struct vserial *lookup(const char *name, struct guest **out)
{
	char guest[GUEST_NAME_MAX];
	const char *dot = strchr(name, '.');
	size_t len = dot ? (size_t)(dot - name) : strlen(name);
	if (len >= sizeof(guest)) {
		shell_error("vserial", "no guest '%.*s' (see 'guest list')", (int)len, name);
		return NULL;
	}
	memcpy(guest, name, len);
	guest[len] = '\0';
	struct guest *g = guest_find(guest);
	if (!g) {
		shell_error("vserial", "no guest '%s' (see 'guest list')", guest);
		return NULL;
	}
	/* "guest." names no console: an empty device name is not the UART. */
	struct vserial *vs = dot && !dot[1] ? NULL : guest_console(g, dot ? dot + 1 : NULL);
	if (!vs) {
		shell_error("vserial", "guest %s has no console '%s' (see 'vserial list')", guest,
		            dot + 1);
		return NULL;
	}
	*out = g;
	return vs;
}

static void list_line(const char *guest, const char *device, const char *kind,
                      const struct vserial *vs)
{
	char name[GUEST_NAME_MAX + GUEST_DEVICE_NAME_MAX + 1];
	snprintf(name, sizeof(name), "%s%s%s", guest, device ? "." : "", device ? device : "");
	console_printf("%-24s %-14s %12llu %10llu\n", name, kind, (unsigned long long)vs->out_total,
	               (unsigned long long)vs->in_dropped);
}

static int vserial_list(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_printf("%-24s %-14s %12s %10s\n", "CONSOLE", "DEVICE", "OUTPUT", "IN-DROPPED");
	for (unsigned int i = 0;; i++) {
		struct guest *g = guest_at(i);
		if (!g) {
			break;
		}
		list_line(g->name, NULL, "uart", &g->vserial);
		const char *device;
		struct vserial *vs;
		for (unsigned int k = 0; (vs = guest_console_at(g, k, &device)) != NULL; k++) {
			list_line(g->name, device, "virtio-console", vs);
		}
	}
	return 0;
}

static int vserial_bind(int argc, char **argv)
{
	(void)argc;
	struct guest *g;
	struct vserial *vs = lookup(argv[0], &g);
	if (!vs) {
		return VIREO_ENOENT;
	}
	console_printf("[attached to %s; Ctrl-] returns to the shell]\n", argv[0]);
	/* The line the guest is in the middle of (typically its prompt), so there is something
	 * to type at; whole lines before it are in `vserial dump`. */
	static char tail[128];
	size_t n = vserial_snapshot(vs, tail, sizeof(tail));
	size_t start = n;
	while (start > 0 && tail[start - 1] != '\n') {
		start--;
	}
	if (start > 0 || n < sizeof(tail)) {
		console_write(tail + start, n - start);
	}
	vserial_set_bound(vs, true);
	for (;;) {
		char c = console_getc();
		if (c == ESCAPE_KEY) {
			break;
		}
		/* The guest may have been destroyed meanwhile (its consoles with it). */
		if (guest_find(g->name) != g) {
			break;
		}
		vserial_push_input(vs, c);
	}
	if (guest_find(g->name) == g) {
		vserial_set_bound(vs, false);
	}
	console_printf("\n[detached from %s]\n", argv[0]);
	return 0;
}

static int vserial_dump(int argc, char **argv)
{
	(void)argc;
	static char buf[VSERIAL_OUT_RING];
	struct guest *g;
	struct vserial *vs = lookup(argv[0], &g);
	if (!vs) {
		return VIREO_ENOENT;
	}
	size_t n = vserial_snapshot(vs, buf, sizeof(buf));
	console_write(buf, n);
	if (n && buf[n - 1] != '\n') {
		console_puts("\n");
	}
	return 0;
}

static const struct shell_form vserial_forms[] = {
    {"list", "", 0, 0, vserial_list},
    {"bind", "<guest>[.<console>]", 1, 1, vserial_bind},
    {"dump", "<guest>[.<console>]", 1, 1, vserial_dump},
};

static const struct shell_cmd vserial_cmds[] = {
    {"vserial", "guest consoles", vserial_forms, ARRAY_SIZE(vserial_forms)},
};

const struct shell_group shell_group_vserial = {vserial_cmds, ARRAY_SIZE(vserial_cmds)};
