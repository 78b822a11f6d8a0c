/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Learning Ethernet switches (include/vireo/vswitch.h), forwarding as an IEEE 802.1D bridge:
 * learn the source address on the ingress port, send known unicast to its port, flood group
 * addresses (I/G bit set: broadcast and multicast) and unknown unicast, never reflect a frame
 * to its ingress port.
 *
 * Ingress filtering: a port that owns a MAC address accepts only frames with that source
 * address, and no port accepts a source address another port owns; the rest are dropped and
 * counted as spoofed before anything is learned. A guest therefore cannot move another
 * guest's address to its own port and receive its traffic.
 *
 * Lock order: registry_lock, then a switch's lock. vswitch_forward() collects its target ports
 * under the switch lock, marks each busy, and calls deliver() with no lock held; removing a
 * port waits until it is no longer busy. Counters are updated with atomic adds so delivery
 * results can be counted without the lock.
 */
#include <vireo/arch/irq.h>
#include <vireo/errno.h>
#include <vireo/string.h>
#include <vireo/vswitch.h>

static spinlock_t registry_lock = SPINLOCK_INIT;
static struct vswitch switches[VSWITCH_MAX];

static bool name_ok(const char *name)
{
	size_t n = name ? strnlen(name, VSWITCH_NAME_MAX + 1) : 0;
	return n > 0 && n <= VSWITCH_NAME_MAX;
}

static void count(uint64_t *c, uint64_t n)
{
	__atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

/*
 * An address a port can own: an individual one (IEEE 802.3 3.2.3: the first bit, bit 0 of the
 * first octet, is the I/G bit, 1 for a group address, and is 0 in every source address), not
 * all zero.
 */
static bool mac_ok(const uint8_t *mac)
{
	uint8_t any = 0;
	for (unsigned int i = 0; i < VSWITCH_MAC_LEN; i++) {
		any |= mac[i];
	}
	return (mac[0] & 1U) == 0 && any != 0;
}

/* The port in use that owns mac, or NULL. Switch lock held. */
static const struct vswitch_port *mac_owner(const struct vswitch *sw, const uint8_t *mac)
{
	for (unsigned int i = 0; i < VSWITCH_PORTS_MAX; i++) {
		const struct vswitch_port *p = &sw->port[i];
		if (p->used && p->has_mac && memcmp(p->mac, mac, VSWITCH_MAC_LEN) == 0) {
			return p;
		}
	}
	return NULL;
}

/* Drops what was learned about mac. Switch lock held. */
static void forget_mac(struct vswitch *sw, const uint8_t *mac)
{
	for (unsigned int i = 0; i < VSWITCH_FDB_SIZE; i++) {
		if (memcmp(sw->fdb[i].mac, mac, VSWITCH_MAC_LEN) == 0) {
			sw->fdb[i].valid = false;
		}
	}
}

static struct vswitch *find_locked(const char *name)
{
	for (unsigned int i = 0; i < VSWITCH_MAX; i++) {
		if (switches[i].used && strcmp(switches[i].name, name) == 0) {
			return &switches[i];
		}
	}
	return NULL;
}

int vswitch_create(const char *name, struct vswitch **out)
{
	if (!name_ok(name)) {
		return VIREO_EINVAL;
	}
	int err = VIREO_ENOSPC;
	unsigned long flags = spin_lock_irqsave(&registry_lock);
	struct vswitch *sw = find_locked(name);
	if (sw) {
		*out = sw;
		err = VIREO_EEXIST;
		goto out;
	}
	for (unsigned int i = 0; i < VSWITCH_MAX; i++) {
		if (!switches[i].used) {
			sw = &switches[i];
			memset(sw, 0, sizeof(*sw));
			spin_lock_init(&sw->lock);
			strlcpy(sw->name, name, sizeof(sw->name));
			sw->used = true;
			*out = sw;
			err = 0;
			break;
		}
	}
out:
	spin_unlock_irqrestore(&registry_lock, flags);
	return err;
}

struct vswitch *vswitch_find(const char *name)
{
	if (!name_ok(name)) {
		return NULL;
	}
	unsigned long flags = spin_lock_irqsave(&registry_lock);
	struct vswitch *sw = find_locked(name);
	spin_unlock_irqrestore(&registry_lock, flags);
	return sw;
}

int vswitch_destroy(struct vswitch *sw)
{
	int err = 0;
	unsigned long flags = spin_lock_irqsave(&registry_lock);
	spin_lock(&sw->lock);
	if (sw->port_count != 0) {
		err = VIREO_EBUSY;
	} else {
		sw->used = false;
	}
	spin_unlock(&sw->lock);
	spin_unlock_irqrestore(&registry_lock, flags);
	return err;
}

struct vswitch *vswitch_at(unsigned int i)
{
	struct vswitch *found = NULL;
	unsigned long flags = spin_lock_irqsave(&registry_lock);
	for (unsigned int s = 0; s < VSWITCH_MAX; s++) {
		if (switches[s].used && i-- == 0) {
			found = &switches[s];
			break;
		}
	}
	spin_unlock_irqrestore(&registry_lock, flags);
	return found;
}

int vswitch_port_add(struct vswitch *sw, const char *name, const uint8_t *mac,
                     vswitch_deliver_fn deliver, void *ctx, struct vswitch_port **out)
{
	if (!name_ok(name) || !deliver || (mac && !mac_ok(mac))) {
		return VIREO_EINVAL;
	}
	int err = VIREO_ENOSPC;
	struct vswitch_port *free_port = NULL;
	unsigned long flags = spin_lock_irqsave(&sw->lock);
	for (unsigned int i = 0; i < VSWITCH_PORTS_MAX; i++) {
		struct vswitch_port *p = &sw->port[i];
		if (p->used && strcmp(p->name, name) == 0) {
			err = VIREO_EEXIST;
			goto out;
		}
		/* A removed port still delivering keeps its slot until it is done. */
		if (!p->used && !free_port && __atomic_load_n(&p->busy, __ATOMIC_ACQUIRE) == 0) {
			free_port = p;
		}
	}
	if (mac && mac_owner(sw, mac)) {
		err = VIREO_EADDRINUSE;
		goto out;
	}
	if (free_port) {
		memset(free_port, 0, sizeof(*free_port));
		free_port->sw = sw;
		strlcpy(free_port->name, name, sizeof(free_port->name));
		free_port->deliver = deliver;
		free_port->ctx = ctx;
		if (mac) {
			free_port->has_mac = true;
			memcpy(free_port->mac, mac, VSWITCH_MAC_LEN);
			/* A port without an address may have used it so far: it is this port's now. */
			forget_mac(sw, mac);
		}
		free_port->used = true;
		sw->port_count++;
		*out = free_port;
		err = 0;
	}
out:
	spin_unlock_irqrestore(&sw->lock, flags);
	return err;
}

void vswitch_port_remove(struct vswitch_port *p)
{
	struct vswitch *sw = p->sw;
	uint8_t index = (uint8_t)(p - sw->port);
	unsigned long flags = spin_lock_irqsave(&sw->lock);
	if (p->used) {
		p->used = false;
		sw->port_count--;
		for (unsigned int i = 0; i < VSWITCH_FDB_SIZE; i++) {
			if (sw->fdb[i].port == index) {
				sw->fdb[i].valid = false;
			}
		}
	}
	spin_unlock_irqrestore(&sw->lock, flags);
	/* Deliveries collected before the port left may still be running on other harts. */
	while (__atomic_load_n(&p->busy, __ATOMIC_ACQUIRE) != 0) {
		arch_cpu_relax();
	}
}

int vswitch_port_info(struct vswitch *sw, unsigned int i, struct vswitch_port_info *info)
{
	int err = VIREO_ENOENT;
	unsigned long flags = spin_lock_irqsave(&sw->lock);
	for (unsigned int s = 0; s < VSWITCH_PORTS_MAX; s++) {
		const struct vswitch_port *p = &sw->port[s];
		if (p->used && i-- == 0) {
			strlcpy(info->name, p->name, sizeof(info->name));
			info->has_mac = p->has_mac;
			memcpy(info->mac, p->mac, VSWITCH_MAC_LEN);
			info->stats.rx_packets =
			    __atomic_load_n(&p->stats.rx_packets, __ATOMIC_RELAXED);
			info->stats.rx_bytes =
			    __atomic_load_n(&p->stats.rx_bytes, __ATOMIC_RELAXED);
			info->stats.tx_packets =
			    __atomic_load_n(&p->stats.tx_packets, __ATOMIC_RELAXED);
			info->stats.tx_bytes =
			    __atomic_load_n(&p->stats.tx_bytes, __ATOMIC_RELAXED);
			info->stats.drops = __atomic_load_n(&p->stats.drops, __ATOMIC_RELAXED);
			info->stats.spoofed = __atomic_load_n(&p->stats.spoofed, __ATOMIC_RELAXED);
			err = 0;
			break;
		}
	}
	spin_unlock_irqrestore(&sw->lock, flags);
	return err;
}

static bool aged(const struct vswitch_fdb_entry *e, nsec_t now)
{
	/* Timestamps from different harts may be slightly out of order: a "future" entry is fresh. */
	return now > e->seen && now - e->seen >= VSWITCH_AGEING_NS;
}

/* The live entry for mac, or NULL; aged entries are dropped on the way. Switch lock held. */
static struct vswitch_fdb_entry *lookup(struct vswitch *sw, const uint8_t *mac, nsec_t now)
{
	for (unsigned int i = 0; i < VSWITCH_FDB_SIZE; i++) {
		struct vswitch_fdb_entry *e = &sw->fdb[i];
		if (e->valid && memcmp(e->mac, mac, 6) == 0) {
			if (aged(e, now)) {
				e->valid = false;
				return NULL;
			}
			return e;
		}
	}
	return NULL;
}

/* Records that mac was seen on port; a full table gives up its oldest entry. Lock held. */
static void learn(struct vswitch *sw, const uint8_t *mac, uint8_t port, nsec_t now)
{
	if (mac[0] & 1U) {
		return; /* a group address is never a source */
	}
	struct vswitch_fdb_entry *e = lookup(sw, mac, now);
	if (!e) {
		struct vswitch_fdb_entry *oldest = &sw->fdb[0];
		for (unsigned int i = 0; i < VSWITCH_FDB_SIZE; i++) {
			struct vswitch_fdb_entry *c = &sw->fdb[i];
			if (!c->valid || aged(c, now)) {
				e = c;
				break;
			}
			if (c->seen < oldest->seen) {
				oldest = c;
			}
		}
		e = e ? e : oldest;
	}
	memcpy(e->mac, mac, 6);
	e->port = port;
	e->seen = now;
	e->valid = true;
}

/* Whether port in may send with source address src. Switch lock held. */
static bool source_ok(const struct vswitch *sw, const struct vswitch_port *in, const uint8_t *src)
{
	if (in->has_mac) {
		return memcmp(src, in->mac, VSWITCH_MAC_LEN) == 0;
	}
	return mac_owner(sw, src) == NULL;
}

unsigned int vswitch_forward(struct vswitch_port *in, const void *frame, size_t len, nsec_t now)
{
	struct vswitch *sw = in->sw;
	const uint8_t *f = frame;
	struct vswitch_port *to[VSWITCH_PORTS_MAX];
	unsigned int n = 0;
	uint8_t in_index = (uint8_t)(in - sw->port);
	if (len < VSWITCH_ETH_HLEN) {
		count(&in->stats.drops, 1);
		return 0;
	}
	unsigned long flags = spin_lock_irqsave(&sw->lock);
	if (!in->used) {
		spin_unlock_irqrestore(&sw->lock, flags);
		return 0;
	}
	if (!source_ok(sw, in, f + 6)) {
		count(&in->stats.spoofed, 1);
		sw->spoofed++;
		spin_unlock_irqrestore(&sw->lock, flags);
		return 0;
	}
	count(&in->stats.rx_packets, 1);
	count(&in->stats.rx_bytes, len);
	learn(sw, f + 6, in_index, now);
	const struct vswitch_fdb_entry *e = (f[0] & 1U) ? NULL : lookup(sw, f, now);
	if (e && e->port == in_index) {
		sw->filtered++;
	} else if (e) {
		to[n++] = &sw->port[e->port];
	} else {
		sw->flooded++;
		for (unsigned int i = 0; i < VSWITCH_PORTS_MAX; i++) {
			if (sw->port[i].used && i != in_index) {
				to[n++] = &sw->port[i];
			}
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		__atomic_fetch_add(&to[i]->busy, 1, __ATOMIC_RELAXED);
	}
	/* Interrupts stay masked until the deliveries are done (at most a port's worth of frame
	 * copies): a delivery preempted while it holds `busy` would leave vswitch_port_remove()
	 * spinning on a hart where the preempted thread may never run again. */
	spin_unlock(&sw->lock);

	unsigned int delivered = 0;
	for (unsigned int i = 0; i < n; i++) {
		struct vswitch_port *p = to[i];
		if (p->deliver(p->ctx, frame, len)) {
			count(&p->stats.tx_packets, 1);
			count(&p->stats.tx_bytes, len);
			delivered++;
		} else {
			count(&p->stats.drops, 1);
		}
		__atomic_fetch_sub(&p->busy, 1, __ATOMIC_RELEASE);
	}
	arch_irq_restore(flags);
	return delivered;
}
