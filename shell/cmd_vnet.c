/* SPDX-License-Identifier: GPL-2.0-only */
/** Shell command `vnet`: virtual switches, their ports and the guests' network devices. */
#include <vireo/console.h>
#include <vireo/errno.h>
#include <vireo/guest_devs.h>
#include <vireo/guest_ops.h>
#include <vireo/shell.h>
#include <vireo/string.h>
#include <vireo/vswitch.h>

static void list_switches(void)
{
	for (unsigned int i = 0;; i++) {
		struct vswitch *sw = vswitch_at(i);
		if (!sw) {
			if (i == 0) {
				console_puts("no virtual switches\n");
			}
			break;
		}
		console_printf("switch %s: %u port%s, %llu flooded, %llu filtered, %llu spoofed\n",
		               sw->name, sw->port_count, sw->port_count == 1 ? "" : "s",
		               (unsigned long long)sw->flooded, (unsigned long long)sw->filtered,
		               (unsigned long long)sw->spoofed);
		console_printf("  %-20s %-17s %9s %11s %9s %11s %7s %7s\n", "PORT", "MAC",
		               "RX-PKTS", "RX-BYTES", "TX-PKTS", "TX-BYTES", "DROPS", "SPOOFED");
		struct vswitch_port_info p;
		for (unsigned int k = 0; vswitch_port_info(sw, k, &p) == 0; k++) {
			char mac[MAC_STR_SIZE];
			console_printf("  %-20s %-17s %9llu %11llu %9llu %11llu %7llu %7llu\n",
			               p.name, p.has_mac ? mac_to_str(p.mac, mac) : "-",
			               (unsigned long long)p.stats.rx_packets,
			               (unsigned long long)p.stats.rx_bytes,
			               (unsigned long long)p.stats.tx_packets,
			               (unsigned long long)p.stats.tx_bytes,
			               (unsigned long long)p.stats.drops,
			               (unsigned long long)p.stats.spoofed);
		}
	}
}

static void list_nics(void)
{
	bool header = false;
	for (unsigned int i = 0;; i++) {
		struct guest *g = guest_at(i);
		if (!g) {
			break;
		}
		struct guest_nic_info n;
		for (unsigned int k = 0; guest_nic_at(g, k, &n) == 0; k++) {
			if (!header) {
				console_printf("%-16s %-8s %-17s %-12s %9s %9s %9s %9s\n", "GUEST",
				               "DEVICE", "MAC", "STATE", "RX-PKTS", "RX-DROP",
				               "TX-PKTS", "TX-DROP");
				header = true;
			}
			char mac[MAC_STR_SIZE];
			console_printf("%-16s %-8s %-17s %-12s %9llu %9llu %9llu %9llu\n", g->name,
			               n.dev.device, mac_to_str(n.mac, mac), n.dev.state,
			               (unsigned long long)n.stats.rx_packets,
			               (unsigned long long)n.stats.rx_dropped,
			               (unsigned long long)n.stats.tx_packets,
			               (unsigned long long)n.stats.tx_dropped);
		}
	}
}

static int vnet_list(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	list_switches();
	list_nics();
	return 0;
}

static const struct shell_form vnet_forms[] = {
    {"list", "", 0, 0, vnet_list},
};

static const struct shell_cmd vnet_cmds[] = {
    {"vnet", "virtual switches and guest network devices", vnet_forms, ARRAY_SIZE(vnet_forms)},
};

const struct shell_group shell_group_vnet = {vnet_cmds, ARRAY_SIZE(vnet_cmds)};
