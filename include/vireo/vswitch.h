/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Virtual Ethernet switches (core/vswitch.c): learning bridges between guest network devices
 * (IEEE 802.1D-style forwarding). Each switch has up to VSWITCH_PORTS_MAX ports; a port hands
 * frames to its owner through deliver(). Learned addresses age out after VSWITCH_AGEING_NS,
 * measured with the timestamps the callers pass in (clock_now() in the hypervisor).
 *
 * A port is normally added with the MAC address of the NIC behind it, which no other port of
 * the switch may have: frames from the port must carry it as their source address, anything
 * else is dropped and counted as spoofed, so only that address is ever learned there. A port
 * added without an address (host tests) accepts any source except the addresses other ports
 * own.
 *
 * Locking: a switch's lock protects its ports and address table; vswitch_forward() may run on
 * several harts at once and never holds it while calling deliver(). Switches live in a static
 * registry with its own lock, taken before a switch lock, never after. No lock may be held by
 * the caller of vswitch_port_remove() that a deliver() callback of that port takes: removal
 * waits for deliveries to that port in flight on other harts. All functions: thread context or
 * interrupt context, any hart.
 */
#ifndef VIREO_VSWITCH_H
#define VIREO_VSWITCH_H

#include <vireo/types.h>
#include <vireo/spinlock.h>

#define VSWITCH_MAX       8U  /**< switches in the registry */
#define VSWITCH_PORTS_MAX 16U /**< ports per switch */
#define VSWITCH_NAME_MAX  47U /**< characters in a switch or port name ("<guest>.<device>") */
#define VSWITCH_FDB_SIZE  64U /**< learned addresses per switch; the oldest is replaced */
#define VSWITCH_AGEING_NS (300ULL * 1000000000ULL) /**< 802.1D default ageing time */
#define VSWITCH_ETH_HLEN  14U                      /**< shorter frames are dropped */
#define VSWITCH_MAC_LEN   6U                       /**< an IEEE 802 MAC-48 address */

/** Hands one frame to a port's owner; false if it was dropped there. */
typedef bool (*vswitch_deliver_fn)(void *ctx, const void *frame, size_t len);

/** Port counters, from the switch's side: rx = frames from the port, tx = frames to it. */
struct vswitch_port_stats {
	uint64_t rx_packets, rx_bytes;
	uint64_t tx_packets, tx_bytes;
	uint64_t drops;   /**< runt frames from the port, frames deliver() refused */
	uint64_t spoofed; /**< frames from the port with a source address it may not use */
};

struct vswitch;

/** One port. Fields are the switch's; use the functions below. */
struct vswitch_port {
	struct vswitch *sw;
	bool used;
	char name[VSWITCH_NAME_MAX + 1];
	bool has_mac;                 /**< the port owns mac */
	uint8_t mac[VSWITCH_MAC_LEN]; /**< the only source address accepted from it */
	vswitch_deliver_fn deliver;
	void *ctx;
	uint32_t busy;                   /**< deliveries in flight (atomic) */
	struct vswitch_port_stats stats; /**< updated atomically */
};

/** A learned address. */
struct vswitch_fdb_entry {
	uint8_t mac[6];
	uint8_t port;
	bool valid;
	nsec_t seen;
};

struct vswitch {
	spinlock_t lock;
	bool used;
	char name[VSWITCH_NAME_MAX + 1];
	unsigned int port_count;
	uint64_t flooded;  /**< frames sent to every other port */
	uint64_t filtered; /**< unicast frames whose destination sits on the ingress port */
	uint64_t spoofed;  /**< frames dropped for their source address (all ports) */
	struct vswitch_port port[VSWITCH_PORTS_MAX];
	struct vswitch_fdb_entry fdb[VSWITCH_FDB_SIZE];
};

/** A consistent copy of one port, for listings. */
struct vswitch_port_info {
	char name[VSWITCH_NAME_MAX + 1];
	bool has_mac;
	uint8_t mac[VSWITCH_MAC_LEN];
	struct vswitch_port_stats stats;
};

/**
 * Creates switch name (1..VSWITCH_NAME_MAX characters). 0; VIREO_EEXIST with *out set to the
 * existing switch of that name; VIREO_EINVAL for a bad name; VIREO_ENOSPC when the registry is
 * full.
 */
int vswitch_create(const char *name, struct vswitch **out);

/** The switch called name, or NULL. */
struct vswitch *vswitch_find(const char *name);

/** Removes sw from the registry. VIREO_EBUSY while it has ports. */
int vswitch_destroy(struct vswitch *sw);

/** The i-th switch in the registry (0-based, skipping free slots), or NULL past the last. */
struct vswitch *vswitch_at(unsigned int i);

/**
 * Adds a port called name (unique in sw) owning the MAC address mac (unique in sw; NULL for a
 * port without one), delivering through deliver(ctx, ...). 0 with *out set; VIREO_EINVAL (bad
 * name, NULL deliver, or mac a group or all-zero address), VIREO_EEXIST (name taken),
 * VIREO_EADDRINUSE (another port owns mac), VIREO_ENOSPC.
 */
int vswitch_port_add(struct vswitch *sw, const char *name, const uint8_t *mac,
                     vswitch_deliver_fn deliver, void *ctx, struct vswitch_port **out);

/**
 * Removes p and forgets the addresses learned on it; returns once no delivery to p is in flight,
 * so its ctx may be freed then. Must not be called from p's deliver().
 */
void vswitch_port_remove(struct vswitch_port *p);

/**
 * Copies port i of sw (0-based over the ports in use) into *info. VIREO_ENOENT past the last.
 */
int vswitch_port_info(struct vswitch *sw, unsigned int i, struct vswitch_port_info *info);

/**
 * Switches one frame that arrived on port in at time now. A source address in may not use
 * (not its own, or owned by another port) drops the frame as spoofed. Otherwise it learns the
 * source address, then sends the frame to the learned port of its destination, or to every
 * other port for broadcast, multicast and unknown destinations; never back to in. Returns the
 * number of ports that took it.
 */
unsigned int vswitch_forward(struct vswitch_port *in, const void *frame, size_t len, nsec_t now);

#endif
