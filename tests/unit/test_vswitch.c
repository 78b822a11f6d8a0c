/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for core/vswitch.c: learning Ethernet switches, their registry and the addresses
 * their ports own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/vswitch.h>

#define SEC 1000000000ULL

/* One guest NIC behind a port: records what it was given. */
struct nic {
	struct vswitch_port *port;
	unsigned int frames;
	size_t last_len;
	uint8_t last[64];
	bool refuse;
	struct vswitch_port *forward_to; /* re-enter the switch from deliver() */
};

static bool nic_deliver(void *ctx, const void *frame, size_t len)
{
	struct nic *n = ctx;
	struct vswitch *sw = n->port->sw;
	/* The switch lock is never held during delivery. */
	assert_int_equal(sw->lock.next, sw->lock.owner);
	n->frames++;
	n->last_len = len;
	memcpy(n->last, frame, len < sizeof(n->last) ? len : sizeof(n->last));
	if (n->forward_to) {
		struct vswitch_port *to = n->forward_to;
		n->forward_to = NULL;
		vswitch_forward(to, frame, len, 0);
	}
	return !n->refuse;
}

/* MAC 02:00:00:00:00:x, the addresses frame() writes. */
static const uint8_t *mac(uint8_t x)
{
	static uint8_t m[6];
	memcpy(m, "\x02\x00\x00\x00\x00", 5);
	m[5] = x;
	return m;
}

/* A switch with count ports p0, p1, ... for nics; with owned, port i owns MAC i + 1. */
static struct vswitch *sw_build(const char *name, struct nic *nics, unsigned int count, bool owned)
{
	struct vswitch *sw;
	assert_int_equal(vswitch_create(name, &sw), 0);
	for (unsigned int i = 0; i < count; i++) {
		char pname[8] = "p0";
		pname[1] = (char)('0' + i);
		memset(&nics[i], 0, sizeof(nics[i]));
		assert_int_equal(vswitch_port_add(sw, pname, owned ? mac((uint8_t)(i + 1)) : NULL,
		                                  nic_deliver, &nics[i], &nics[i].port),
		                 0);
	}
	return sw;
}

static struct vswitch *sw_new(const char *name, struct nic *nics, unsigned int count)
{
	return sw_build(name, nics, count, false);
}

static struct vswitch *sw_new_owned(const char *name, struct nic *nics, unsigned int count)
{
	return sw_build(name, nics, count, true);
}

/* Whether sw's table holds mac (02:00:00:00:00:x) as learned on port. */
static bool fdb_has(const struct vswitch *sw, uint8_t x, const struct vswitch_port *port)
{
	for (unsigned int i = 0; i < VSWITCH_FDB_SIZE; i++) {
		const struct vswitch_fdb_entry *e = &sw->fdb[i];
		if (e->valid && memcmp(e->mac, mac(x), 6) == 0 && &sw->port[e->port] == port) {
			return true;
		}
	}
	return false;
}

static uint64_t spoofed(struct vswitch *sw, unsigned int port)
{
	struct vswitch_port_info info;
	assert_int_equal(vswitch_port_info(sw, port, &info), 0);
	return info.stats.spoofed;
}

static void sw_free(struct vswitch *sw, struct nic *nics, unsigned int count)
{
	for (unsigned int i = 0; i < count; i++) {
		vswitch_port_remove(nics[i].port);
	}
	assert_int_equal(vswitch_destroy(sw), 0);
}

/* A frame from src to dst (MACs 02:00:00:00:00:xx; 0xff = broadcast). */
static void frame(uint8_t *f, uint8_t dst, uint8_t src)
{
	memset(f, 0, 60);
	uint8_t d[6] = {0x02, 0, 0, 0, 0, dst};
	if (dst == 0xff) {
		memset(d, 0xff, 6);
	}
	memcpy(f, d, 6);
	uint8_t s[6] = {0x02, 0, 0, 0, 0, src};
	memcpy(f + 6, s, 6);
	f[12] = 0x08;
}

static unsigned int fwd(struct nic *in, uint8_t dst, uint8_t src, nsec_t now)
{
	uint8_t f[60];
	frame(f, dst, src);
	return vswitch_forward(in->port, f, sizeof(f), now);
}

static void test_registry(void **state)
{
	(void)state;
	struct vswitch *a, *b, *x;
	assert_null(vswitch_at(0));
	assert_int_equal(vswitch_create("lan", &a), 0);
	assert_int_equal(vswitch_create("dmz", &b), 0);
	assert_int_equal(vswitch_create("lan", &x), VIREO_EEXIST);
	assert_ptr_equal(x, a);
	assert_ptr_equal(vswitch_find("lan"), a);
	assert_ptr_equal(vswitch_find("dmz"), b);
	assert_null(vswitch_find("wan"));
	assert_null(vswitch_find(""));
	assert_string_equal(a->name, "lan");
	assert_ptr_equal(vswitch_at(0), a);
	assert_ptr_equal(vswitch_at(1), b);
	assert_null(vswitch_at(2));
	assert_int_equal(vswitch_create("", &x), VIREO_EINVAL);
	assert_int_equal(vswitch_create(NULL, &x), VIREO_EINVAL);
	/* VSWITCH_NAME_MAX (47) characters fit, 48 do not. */
	assert_int_equal(vswitch_create("forty-eight-chars-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", &x),
	                 VIREO_EINVAL);
	assert_int_equal(vswitch_create("forty-seven-chars-xxxxxxxxxxxxxxxxxxxxxxxxxxxxx", &x), 0);
	assert_int_equal(vswitch_destroy(x), 0);
	/* Fill the registry. */
	struct vswitch *all[VSWITCH_MAX];
	char name[] = "s0";
	for (unsigned int i = 2; i < VSWITCH_MAX; i++) {
		name[1] = (char)('0' + i);
		assert_int_equal(vswitch_create(name, &all[i]), 0);
	}
	assert_int_equal(vswitch_create("one-more", &x), VIREO_ENOSPC);
	assert_ptr_equal(vswitch_at(VSWITCH_MAX - 1), all[VSWITCH_MAX - 1]);
	/* A switch with ports stays. */
	struct vswitch_port *p;
	struct nic n = {0};
	assert_int_equal(vswitch_port_add(a, "p", NULL, nic_deliver, &n, &p), 0);
	assert_int_equal(vswitch_destroy(a), VIREO_EBUSY);
	vswitch_port_remove(p);
	assert_int_equal(vswitch_destroy(a), 0);
	assert_null(vswitch_find("lan"));
	assert_ptr_equal(vswitch_at(0), b); /* iteration skips the free slot */
	assert_int_equal(vswitch_destroy(b), 0);
	for (unsigned int i = 2; i < VSWITCH_MAX; i++) {
		assert_int_equal(vswitch_destroy(all[i]), 0);
	}
	assert_null(vswitch_at(0));
}

static void test_ports(void **state)
{
	(void)state;
	struct vswitch *sw;
	struct vswitch_port *p[VSWITCH_PORTS_MAX], *x;
	struct nic n = {0};
	assert_int_equal(vswitch_create("ports", &sw), 0);
	char name[] = "pa";
	for (unsigned int i = 0; i < VSWITCH_PORTS_MAX; i++) {
		name[1] = (char)('a' + i);
		assert_int_equal(vswitch_port_add(sw, name, NULL, nic_deliver, &n, &p[i]), 0);
		assert_ptr_equal(p[i]->sw, sw);
	}
	assert_int_equal(vswitch_port_add(sw, "more", NULL, nic_deliver, &n, &x), VIREO_ENOSPC);
	assert_int_equal(vswitch_port_add(sw, "pc", NULL, nic_deliver, &n, &x), VIREO_EEXIST);
	vswitch_port_remove(p[3]);
	assert_int_equal(vswitch_port_add(sw, "pc", NULL, nic_deliver, &n, &x), VIREO_EEXIST);
	assert_int_equal(vswitch_port_add(sw, "", NULL, nic_deliver, &n, &x), VIREO_EINVAL);
	assert_int_equal(vswitch_port_add(sw, "nodeliver", NULL, NULL, &n, &x), VIREO_EINVAL);
	assert_int_equal(vswitch_port_add(sw, "new", NULL, nic_deliver, &n, &x), 0);
	assert_ptr_equal(x, p[3]); /* the freed slot */
	struct vswitch_port_info info;
	assert_int_equal(vswitch_port_info(sw, 3, &info), 0);
	assert_string_equal(info.name, "new");
	assert_int_equal(vswitch_port_info(sw, VSWITCH_PORTS_MAX - 1, &info), 0);
	assert_string_equal(info.name, "pp");
	assert_int_equal(vswitch_port_info(sw, VSWITCH_PORTS_MAX, &info), VIREO_ENOENT);
	for (unsigned int i = 0; i < VSWITCH_PORTS_MAX; i++) {
		vswitch_port_remove(p[i]);
	}
	vswitch_port_remove(p[0]); /* twice: harmless */
	assert_int_equal(sw->port_count, 0);
	assert_int_equal(vswitch_destroy(sw), 0);
}

static void test_flood_and_learn(void **state)
{
	(void)state;
	struct nic n[4];
	struct vswitch *sw = sw_new("learn", n, 4);
	/* Unknown unicast floods to everyone but the sender. */
	assert_int_equal(fwd(&n[0], 2, 1, 0), 3);
	assert_int_equal(n[0].frames, 0);
	assert_int_equal(n[1].frames + n[2].frames + n[3].frames, 3);
	assert_int_equal(sw->flooded, 1);
	/* MAC 1 is now known on port 0: the answer goes there only. */
	assert_int_equal(fwd(&n[2], 1, 2, 0), 1);
	assert_int_equal(n[0].frames, 1);
	assert_int_equal(n[0].last_len, 60);
	assert_int_equal(n[0].last[5], 1);
	assert_int_equal(n[0].last[11], 2);
	assert_int_equal(n[1].frames, 1);
	assert_int_equal(n[3].frames, 1);
	/* And MAC 2 on port 2. */
	assert_int_equal(fwd(&n[0], 2, 1, 0), 1);
	assert_int_equal(n[2].frames, 2);
	/* Broadcast and multicast always flood. */
	assert_int_equal(fwd(&n[1], 0xff, 3, 0), 3);
	assert_int_equal(n[1].frames, 1);
	uint8_t f[60];
	frame(f, 0, 3);
	f[0] = 0x01; /* 01:00:5e:... style group address */
	assert_int_equal(vswitch_forward(n[1].port, f, 60, 0), 3);
	assert_int_equal(sw->flooded, 3);
	/* A group source address is never learned. */
	frame(f, 9, 0);
	memcpy(f + 6, "\x01\x00\x5e\x00\x00\x01", 6);
	vswitch_forward(n[3].port, f, 60, 0);
	frame(f, 0, 3);
	memcpy(f, "\x01\x00\x5e\x00\x00\x01", 6);
	assert_int_equal(vswitch_forward(n[0].port, f, 60, 0), 3);
	/* Destination on the ingress port: filtered, delivered nowhere. */
	assert_int_equal(fwd(&n[0], 1, 7, 0), 0);
	assert_int_equal(sw->filtered, 1);
	/* Counters. */
	struct vswitch_port_info info;
	assert_int_equal(vswitch_port_info(sw, 0, &info), 0);
	assert_int_equal(info.stats.rx_packets, 4);
	assert_int_equal(info.stats.rx_bytes, 240);
	assert_int_equal(info.stats.tx_packets, 4); /* reply, broadcast, 2 group floods */
	assert_int_equal(info.stats.tx_bytes, 240);
	assert_int_equal(info.stats.drops, 0);
	sw_free(sw, n, 4);
}

static void test_runts_and_refusals(void **state)
{
	(void)state;
	struct nic n[3];
	struct vswitch *sw = sw_new("drops", n, 3);
	uint8_t f[60];
	frame(f, 0xff, 9);
	assert_int_equal(vswitch_forward(n[0].port, f, 13, 0), 0);
	assert_int_equal(vswitch_forward(n[0].port, f, 0, 0), 0);
	/* A runt never taught the switch anything: MAC 9 is unknown. */
	assert_int_equal(fwd(&n[1], 9, 2, 0), 2);
	n[0].frames = n[2].frames = 0;
	frame(f, 0xff, 1);
	assert_int_equal(n[1].frames + n[2].frames, 0);
	n[2].refuse = true;
	assert_int_equal(vswitch_forward(n[0].port, f, 14, 0), 1);
	struct vswitch_port_info info;
	assert_int_equal(vswitch_port_info(sw, 0, &info), 0);
	assert_int_equal(info.stats.drops, 2);
	assert_int_equal(info.stats.rx_packets, 1);
	assert_int_equal(vswitch_port_info(sw, 2, &info), 0);
	assert_int_equal(info.stats.drops, 1);
	assert_int_equal(info.stats.tx_packets, 1); /* only the earlier flood */
	assert_int_equal(info.stats.tx_bytes, 60);
	assert_int_equal(vswitch_port_info(sw, 1, &info), 0);
	assert_int_equal(info.stats.tx_packets, 1);
	assert_int_equal(info.stats.tx_bytes, 14);
	sw_free(sw, n, 3);
}

static void test_ageing_and_moves(void **state)
{
	(void)state;
	struct nic n[3];
	struct vswitch *sw = sw_new("age", n, 3);
	nsec_t t0 = 1000 * SEC;
	fwd(&n[0], 0xff, 1, t0);
	assert_int_equal(fwd(&n[1], 1, 2, t0 + VSWITCH_AGEING_NS - 1), 1);
	/* Aged out: flooded again. */
	assert_int_equal(fwd(&n[1], 1, 2, t0 + VSWITCH_AGEING_NS), 2);
	/* Re-learned; then the station moves to port 2. */
	fwd(&n[0], 0xff, 1, t0 + 2 * VSWITCH_AGEING_NS);
	fwd(&n[2], 0xff, 1, t0 + 2 * VSWITCH_AGEING_NS + 1);
	unsigned int before = n[2].frames;
	assert_int_equal(fwd(&n[1], 1, 2, t0 + 2 * VSWITCH_AGEING_NS + 2), 1);
	assert_int_equal(n[2].frames, before + 1);
	/* A timestamp slightly in the past (another hart's clock) does not age anything. */
	assert_int_equal(fwd(&n[1], 1, 2, t0), 1);
	sw_free(sw, n, 3);
}

static void test_table_full(void **state)
{
	(void)state;
	struct nic n[3];
	struct vswitch *sw = sw_new("full", n, 3);
	/* MACs 1..64 on port 0, learned at times 1..64: the table is full. */
	for (unsigned int i = 1; i <= VSWITCH_FDB_SIZE; i++) {
		fwd(&n[0], 0xff, (uint8_t)i, i);
	}
	/* Learning MAC 200 pushes out the oldest entry (MAC 1); MAC 2 is still known. */
	assert_int_equal(fwd(&n[1], 2, 200, 100), 1);
	assert_int_equal(n[2].frames, VSWITCH_FDB_SIZE);
	assert_int_equal(fwd(&n[1], 1, 200, 101), 2);
	/* MAC 201 pushes out MAC 2; MAC 200 stays known on port 1. */
	assert_int_equal(fwd(&n[2], 200, 201, 102), 1);
	assert_int_equal(fwd(&n[1], 2, 200, 103), 2);
	assert_int_equal(fwd(&n[1], 3, 200, 104), 1);
	sw_free(sw, n, 3);
}

static void test_remove_forgets(void **state)
{
	(void)state;
	struct nic n[3];
	struct vswitch *sw = sw_new("rm", n, 3);
	fwd(&n[2], 0xff, 5, 0);
	assert_int_equal(fwd(&n[0], 5, 1, 0), 1);
	vswitch_port_remove(n[2].port);
	assert_int_equal(n[2].port->busy, 0);
	/* MAC 5 is forgotten: flooded to the one port left besides the sender. */
	assert_int_equal(fwd(&n[0], 5, 1, 0), 1);
	assert_int_equal(n[1].frames, 2);
	/* A new port in the old slot does not inherit MAC 5. */
	struct nic fresh = {0};
	assert_int_equal(vswitch_port_add(sw, "new", NULL, nic_deliver, &fresh, &fresh.port), 0);
	assert_ptr_equal(fresh.port, n[2].port);
	assert_int_equal(fwd(&n[0], 5, 1, 0), 2);
	assert_int_equal(fresh.frames, 1);
	n[2].port = fresh.port;
	sw_free(sw, n, 3);
}

static void test_reentrant_deliver(void **state)
{
	(void)state;
	struct nic n[3];
	struct vswitch *sw = sw_new("hairpin", n, 3);
	/* Port 1's owner answers from inside deliver(): no deadlock, both frames arrive. */
	n[1].forward_to = n[1].port;
	assert_int_equal(fwd(&n[0], 0xff, 1, 0), 2);
	assert_int_equal(n[0].frames, 1);
	assert_int_equal(n[2].frames, 2);
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(n[i].port->busy, 0);
	}
	sw_free(sw, n, 3);
}

static void test_port_addresses(void **state)
{
	(void)state;
	struct vswitch *sw, *other;
	struct vswitch_port *p0, *p1, *open, *x;
	struct nic n = {0};
	assert_int_equal(vswitch_create("owned", &sw), 0);
	assert_int_equal(vswitch_port_add(sw, "p0", mac(1), nic_deliver, &n, &p0), 0);
	struct vswitch_port_info info;
	assert_int_equal(vswitch_port_info(sw, 0, &info), 0);
	assert_true(info.has_mac);
	assert_memory_equal(info.mac, mac(1), 6);
	/* Another port with the same address: refused, with its own error. */
	assert_int_equal(vswitch_port_add(sw, "p1", mac(1), nic_deliver, &n, &x), VIREO_EADDRINUSE);
	assert_int_equal(sw->port_count, 1);
	/* Group addresses (I/G bit set) and all zeroes are no port's address. */
	const uint8_t *bad[] = {(const uint8_t *)"\xff\xff\xff\xff\xff\xff",
	                        (const uint8_t *)"\x01\x00\x5e\x00\x00\x01",
	                        (const uint8_t *)"\x03\x00\x00\x00\x00\x01",
	                        (const uint8_t *)"\x00\x00\x00\x00\x00\x00"};
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(vswitch_port_add(sw, "p1", bad[i], nic_deliver, &n, &x),
		                 VIREO_EINVAL);
	}
	assert_int_equal(sw->port_count, 1);
	/* A taken name is still VIREO_EEXIST, whatever the address. */
	assert_int_equal(vswitch_port_add(sw, "p0", mac(3), nic_deliver, &n, &x), VIREO_EEXIST);
	assert_int_equal(vswitch_port_add(sw, "p1", mac(2), nic_deliver, &n, &p1), 0);
	assert_int_equal(vswitch_port_add(sw, "open", NULL, nic_deliver, &n, &open), 0);
	assert_int_equal(vswitch_port_info(sw, 2, &info), 0);
	assert_false(info.has_mac);
	/* The same address on another switch is another port's. */
	assert_int_equal(vswitch_create("other", &other), 0);
	assert_int_equal(vswitch_port_add(other, "p0", mac(1), nic_deliver, &n, &x), 0);
	vswitch_port_remove(x);
	assert_int_equal(vswitch_destroy(other), 0);
	/* A removed port's address is free again. */
	vswitch_port_remove(p0);
	assert_int_equal(vswitch_port_add(sw, "p2", mac(1), nic_deliver, &n, &p0), 0);
	vswitch_port_remove(p0);
	vswitch_port_remove(p1);
	vswitch_port_remove(open);
	assert_int_equal(vswitch_destroy(sw), 0);
}

static void test_spoofed_sources_dropped(void **state)
{
	(void)state;
	struct nic n[3];
	struct vswitch *sw = sw_new_owned("spoof", n, 3);
	/* Port 1 sends as itself: flooded, and MAC 2 is learned on port 1. */
	assert_int_equal(fwd(&n[1], 0xff, 2, 0), 2);
	assert_true(fdb_has(sw, 2, n[1].port));
	/* Port 0 claims MAC 2 (port 1's), a made-up MAC 9 and the broadcast address. */
	assert_int_equal(fwd(&n[0], 0xff, 2, 1), 0);
	assert_int_equal(fwd(&n[0], 3, 9, 2), 0);
	uint8_t f[60];
	frame(f, 0xff, 0);
	memset(f + 6, 0xff, 6);
	assert_int_equal(vswitch_forward(n[0].port, f, sizeof(f), 3), 0);
	/* Nothing was delivered or learned; each was counted on port 0 and on the switch. */
	assert_int_equal(n[0].frames, 1);
	assert_int_equal(n[1].frames, 0);
	assert_int_equal(n[2].frames, 1);
	assert_int_equal(spoofed(sw, 0), 3);
	assert_int_equal(spoofed(sw, 1), 0);
	assert_int_equal(sw->spoofed, 3);
	assert_int_equal(sw->flooded, 1);
	struct vswitch_port_info info;
	assert_int_equal(vswitch_port_info(sw, 0, &info), 0);
	assert_int_equal(info.stats.rx_packets, 0);
	assert_int_equal(info.stats.drops, 0);
	assert_true(fdb_has(sw, 2, n[1].port));
	assert_false(fdb_has(sw, 2, n[0].port));
	assert_false(fdb_has(sw, 9, n[0].port));
	/* Port 1's traffic still reaches it alone; MAC 9 is unknown, so flooded. */
	assert_int_equal(fwd(&n[2], 2, 3, 4), 1);
	assert_int_equal(n[1].frames, 1);
	assert_int_equal(fwd(&n[2], 9, 3, 5), 2);
	/* Port 0's own traffic goes through and teaches the switch its address. */
	assert_int_equal(fwd(&n[0], 2, 1, 6), 1);
	assert_int_equal(n[1].frames, 3);
	assert_int_equal(n[1].last[11], 1);
	assert_true(fdb_has(sw, 1, n[0].port));
	assert_int_equal(fwd(&n[1], 1, 2, 7), 1);
	assert_int_equal(n[0].frames, 3);
	assert_int_equal(spoofed(sw, 0), 3);
	assert_int_equal(sw->spoofed, 3);
	sw_free(sw, n, 3);
}

static void test_open_port_cannot_claim_owned(void **state)
{
	(void)state;
	struct nic n[3];
	struct vswitch *sw = sw_new_owned("open", n, 2); /* MACs 1 and 2 */
	memset(&n[2], 0, sizeof(n[2]));
	assert_int_equal(vswitch_port_add(sw, "open", NULL, nic_deliver, &n[2], &n[2].port), 0);
	/* A port without an address sends from any address no port owns ... */
	assert_int_equal(fwd(&n[2], 0xff, 7, 0), 2);
	assert_true(fdb_has(sw, 7, n[2].port));
	/* ... but not from an owned one. */
	assert_int_equal(fwd(&n[2], 0xff, 1, 1), 0);
	assert_int_equal(spoofed(sw, 2), 1);
	assert_false(fdb_has(sw, 1, n[2].port));
	/* An address it has used becomes a new port's: the table forgets where it was. */
	assert_int_equal(fwd(&n[2], 0xff, 8, 2), 2);
	assert_int_equal(fwd(&n[1], 8, 2, 3), 1);
	struct nic late = {0};
	assert_int_equal(vswitch_port_add(sw, "late", mac(8), nic_deliver, &late, &late.port), 0);
	assert_false(fdb_has(sw, 8, n[2].port));
	assert_int_equal(fwd(&n[1], 8, 2, 4), 3);
	assert_int_equal(late.frames, 1);
	assert_int_equal(fwd(&n[2], 0xff, 8, 5), 0);
	assert_int_equal(spoofed(sw, 2), 2);
	assert_int_equal(sw->spoofed, 2);
	vswitch_port_remove(late.port);
	sw_free(sw, n, 3);
}

static uint64_t rnd_next(uint64_t *state)
{
	uint64_t x = *state; /* xorshift64 */
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* Random traffic among 8 stations on 5 ports against a reference table. */
static void test_fuzz(void **state)
{
	(void)state;
	uint64_t seed = 0x5717c4ULL;
	struct nic n[5];
	struct vswitch *sw = sw_new("fuzz", n, 5);
	int where[9]; /* reference: port of MAC i, -1 unknown (no ageing in this run) */
	for (unsigned int i = 0; i < 9; i++) {
		where[i] = -1;
	}
	for (unsigned int i = 0; i < 5000; i++) {
		uint64_t x = rnd_next(&seed);
		unsigned int in = (unsigned int)(x % 5);
		uint8_t src = (uint8_t)(1 + (x >> 8) % 8);
		uint8_t dst = (x >> 16) % 9 == 0 ? 0xff : (uint8_t)(1 + (x >> 20) % 8);
		unsigned int before[5];
		for (unsigned int k = 0; k < 5; k++) {
			before[k] = n[k].frames;
		}
		unsigned int got = fwd(&n[in], dst, src, i);
		where[src] = (int)in;
		unsigned int want;
		if (dst == 0xff || where[dst] < 0) {
			want = 4;
		} else {
			want = where[dst] == (int)in ? 0 : 1;
		}
		assert_int_equal(got, want);
		assert_int_equal(n[in].frames, before[in]);
		if (want == 1) {
			assert_int_equal(n[where[dst]].frames, before[where[dst]] + 1);
		}
	}
	sw_free(sw, n, 5);
}

/* Random traffic with random sources on 5 ports owning MACs 1..5: only each port's own source
 * address goes through, and the table only ever places MAC i on port i - 1. */
static void test_fuzz_owned(void **state)
{
	(void)state;
	uint64_t seed = 0x0ddba11ULL;
	struct nic n[5];
	struct vswitch *sw = sw_new_owned("fuzzown", n, 5);
	bool known[6] = {false};
	uint64_t dropped = 0;
	for (unsigned int i = 0; i < 5000; i++) {
		uint64_t x = rnd_next(&seed);
		unsigned int in = (unsigned int)(x % 5);
		uint8_t src = (uint8_t)(1 + (x >> 8) % 8);
		uint8_t dst = (x >> 16) % 9 == 0 ? 0xff : (uint8_t)(1 + (x >> 20) % 8);
		unsigned int got = fwd(&n[in], dst, src, i);
		unsigned int want;
		if (src != in + 1) {
			want = 0;
			dropped++;
		} else {
			known[src] = true;
			if (dst != 0xff && dst <= 5 && known[dst]) {
				want = dst == src ? 0 : 1;
			} else {
				want = 4;
			}
		}
		assert_int_equal(got, want);
		for (unsigned int k = 0; k < VSWITCH_FDB_SIZE; k++) {
			const struct vswitch_fdb_entry *e = &sw->fdb[k];
			if (e->valid) {
				assert_int_equal(e->mac[5], e->port + 1);
			}
		}
	}
	assert_int_equal(sw->spoofed, dropped);
	assert_true(dropped > 0);
	sw_free(sw, n, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_registry),
	    cmocka_unit_test(test_ports),
	    cmocka_unit_test(test_flood_and_learn),
	    cmocka_unit_test(test_runts_and_refusals),
	    cmocka_unit_test(test_ageing_and_moves),
	    cmocka_unit_test(test_table_full),
	    cmocka_unit_test(test_remove_forgets),
	    cmocka_unit_test(test_reentrant_deliver),
	    cmocka_unit_test(test_fuzz),
	    cmocka_unit_test(test_port_addresses),
	    cmocka_unit_test(test_spoofed_sources_dropped),
	    cmocka_unit_test(test_open_port_cannot_claim_owned),
	    cmocka_unit_test(test_fuzz_owned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
