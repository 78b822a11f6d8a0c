/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * A guest's VirtIO devices (include/vireo/guest_devs.h): one virtio-mmio slot each, in the
 * order of the configuration's devices { } node. This file owns what the pure device models in
 * emul/ leave to their user: the per-device lock, guest RAM access (struct gmem over the
 * guest's RAM blocks), the interrupt line into the guest's PLIC, disk copies, and the
 * connection of network ports to virtual switches and of consoles to the shell.
 */
#include <vireo/errno.h>
#include <vireo/guest.h>
#include <vireo/guest_config.h>
#include <vireo/guest_ram.h>
#include <vireo/heap.h>
#include <vireo/log.h>
#include <vireo/printf.h>
#include <vireo/string.h>
#include <vireo/vcpu.h>

#include "guest_devs_internal.h"
#include "guest_virtio_internal.h"

/* The guest's RAM comes in blocks of the page allocator's largest order (core/guest.c
 * alloc_ram), the last one possibly half that. */
#define RAM_BLOCK_SIZE (PAGE_SIZE << PAGE_ALLOC_MAX_ORDER)

/* Guest RAM for device models: whole ranges inside one chunk, cleared on first use. */
static void *ram_map(void *ctx, gpaddr_t gpa, uint64_t len)
{
	return guest_ram_host(ctx, gpa, len);
}

static void virtio_irq(void *ctx, bool level)
{
	struct guest_virtio *v = ctx;
	guest_irq_set(v->guest, GUEST_VIRTIO_IRQ + v->slot, level);
}

/*
 * A guest access to a device's registers, in the exit path with interrupts masked: only the
 * register itself is handled here. A QueueNotify leaves its requests to the notifying vCPU's
 * thread (guest_virtio_service), which serves them with interrupts enabled before it enters
 * the guest again; a reset while a request is being served outside the lock is retried by
 * the vCPU once that request is done (VIREO_EAGAIN), so no late write follows the reset.
 */
static int slot_access(void *dev, struct vmmio_access *a)
{
	struct guest_virtio *v = dev;
	unsigned long flags = spin_lock_irqsave(&v->lock);
	if (v->inflight && a->write && a->offset == VIRTIO_MMIO_STATUS && (uint32_t)a->value == 0) {
		spin_unlock_irqrestore(&v->lock, flags);
		return VIREO_EAGAIN;
	}
	int err = virtio_mmio_access(v->vm, a);
	bool work = a->write && a->offset == VIRTIO_MMIO_QUEUE_NOTIFY && v->serve_one &&
	            virtio_mmio_has_work(v->vm);
	spin_unlock_irqrestore(&v->lock, flags);
	if (!err && work && a->vcpu) {
		vcpu_defer_io(a->vcpu, v->slot);
	}
	return err;
}

bool guest_virtio_serve_locked(struct guest_virtio *v)
{
	unsigned long flags = spin_lock_irqsave(&v->lock);
	bool more = virtio_mmio_serve(v->vm);
	spin_unlock_irqrestore(&v->lock, flags);
	return more;
}

/* The vCPU must get back to its guest's state changes (pause, halt, reset, destroy). */
static bool must_stop(const struct vcpu *cur)
{
	return cur->stop_request || cur->guest->state != GUEST_RUNNING;
}

/* Serves v's notified requests until none is left, or until cur must stop (then cur comes
 * back to them when it runs again). One thread at a time: another one that finds the token
 * taken keeps the work and tries again shortly (false), so its requests never wait on a
 * holder that is preempted or about to let go. */
static bool service_device(struct vcpu *cur, struct guest_virtio *v)
{
	while (virtio_mmio_has_work(v->vm)) {
		if (__atomic_exchange_n(&v->servicing, 1U, __ATOMIC_SEQ_CST)) {
			vcpu_defer_io(cur, v->slot);
			return false;
		}
		bool stopped = false;
		for (;;) {
			if (must_stop(cur)) {
				stopped = true;
				break;
			}
			if (!v->serve_one(v)) {
				break;
			}
		}
		__atomic_store_n(&v->servicing, 0U, __ATOMIC_SEQ_CST);
		if (stopped) {
			vcpu_defer_io(cur, v->slot);
			return true;
		}
	}
	return true;
}

bool guest_virtio_service(struct vcpu *cur)
{
	struct guest *g = cur->guest;
	uint32_t slots = __atomic_exchange_n(&cur->io_slots, 0U, __ATOMIC_ACQ_REL);
	bool done = true;
	for (unsigned int i = 0; slots && i < g->devs->virtio_count; i++) {
		struct guest_virtio *v = g->devs->virtio[i];
		if ((slots >> i) & 1U && v && v->serve_one) {
			done = service_device(cur, v) && done;
		}
	}
	return done;
}

static const struct vmmio_ops slot_ops = {"virtio-mmio", slot_access};

static int create_one(struct guest *g, const struct guest_device_config *cfg, unsigned int slot)
{
	struct guest_virtio *v = heap_zalloc(sizeof(*v));
	if (!v) {
		return VIREO_ENOMEM;
	}
	spin_lock_init(&v->lock);
	v->guest = g;
	v->slot = slot;
	v->type = cfg->type;
	strlcpy(v->name, cfg->name, sizeof(v->name));
	v->mem.map = ram_map;
	v->mem.ctx = g;
	g->devs->virtio[slot] = v;
	g->devs->virtio_count = slot + 1;

	int err = VIREO_ENOTSUP;
	switch (cfg->type) {
	case GUEST_DEV_VIRTIO_BLK:
		err = guest_vblk_create(v, cfg, virtio_irq);
		break;
	case GUEST_DEV_VIRTIO_NET:
		err = guest_vnet_create(v, cfg, virtio_irq);
		break;
	case GUEST_DEV_VIRTIO_RNG:
		err = guest_vrng_create(v, cfg, virtio_irq);
		break;
	case GUEST_DEV_VIRTIO_CONSOLE:
		err = guest_vcon_create(v, cfg, virtio_irq);
		break;
	}
	if (err) {
		log_err("guest %s: device %s (%s): %s", g->name, cfg->name,
		        guest_device_type_name(cfg->type), vireo_strerror(err));
		return err;
	}
	return vmmio_add(g, GUEST_VIRTIO_BASE + slot * GUEST_VIRTIO_SIZE, GUEST_VIRTIO_SIZE,
	                 &slot_ops, v);
}

int guest_virtio_create(struct guest *g, const struct guest_device_config *devs, unsigned int count)
{
	if (count > GUEST_VIRTIO_MAX) {
		return VIREO_EINVAL;
	}
	for (unsigned int i = 0; i < count; i++) {
		int err = create_one(g, &devs[i], i);
		if (err) {
			return err;
		}
	}
	return 0;
}

void guest_virtio_reset(struct guest *g)
{
	for (unsigned int i = 0; i < g->devs->virtio_count; i++) {
		struct guest_virtio *v = g->devs->virtio[i];
		if (v && v->vm) {
			/* Status 0 is the transport's device reset (VirtIO 1.2, 4.2.2.1). */
			struct vmmio_access a = {
			    .offset = VIRTIO_MMIO_STATUS, .width = 4, .write = true};
			unsigned long flags = spin_lock_irqsave(&v->lock);
			virtio_mmio_access(v->vm, &a);
			spin_unlock_irqrestore(&v->lock, flags);
		}
	}
}

void guest_virtio_destroy(struct guest *g)
{
	for (unsigned int i = 0; i < g->devs->virtio_count; i++) {
		struct guest_virtio *v = g->devs->virtio[i];
		if (!v) {
			continue;
		}
		if (v->destroy) {
			v->destroy(v);
		}
		heap_free(v);
		g->devs->virtio[i] = NULL;
	}
	g->devs->virtio_count = 0;
}

/* virtio-mmio binding (virtio/mmio.yaml): compatible, reg, one interrupt. */
void guest_virtio_write_dtb(struct guest *g, struct guest_dtb *t, uint32_t plic)
{
	char name[32];
	for (unsigned int i = 0; i < g->devs->virtio_count; i++) {
		gpaddr_t base = GUEST_VIRTIO_BASE + i * GUEST_VIRTIO_SIZE;
		snprintf(name, sizeof(name), "virtio_mmio@%llx", (unsigned long long)base);
		fdtw_begin_node(&t->w, name);
		fdtw_prop_u32(&t->w, "interrupts", GUEST_VIRTIO_IRQ + i);
		fdtw_prop_u32(&t->w, "interrupt-parent", plic);
		guest_devs_prop_reg(&t->w, base, GUEST_VIRTIO_SIZE);
		fdtw_prop_string(&t->w, "compatible", "virtio,mmio");
		fdtw_end_node(&t->w);
	}
}

static const char *state_name(const struct virtio_mmio *vm)
{
	if (vm->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) {
		return "needs reset";
	}
	return virtio_mmio_live(vm) ? "live" : "reset";
}

/* The index-th device of type t, or NULL. */
static struct guest_virtio *nth_of(struct guest *g, enum guest_device_type t, unsigned int index)
{
	for (unsigned int i = 0; g->devs && i < g->devs->virtio_count; i++) {
		struct guest_virtio *v = g->devs->virtio[i];
		if (v && v->type == t && index-- == 0) {
			return v;
		}
	}
	return NULL;
}

/* Locks v and fills in what every device shows. */
static void lock_dev(struct guest_virtio *v, struct guest_vdev_info *info, unsigned long *flags)
{
	strlcpy(info->device, v->name, sizeof(info->device));
	info->slot = v->slot;
	*flags = spin_lock_irqsave(&v->lock);
	info->state = state_name(v->vm);
	info->fault = v->vm->fault;
}

int guest_vdev_at(struct guest *g, unsigned int slot, struct guest_vdev_info *info,
                  enum guest_device_type *type)
{
	struct guest_virtio *v =
	    g->devs && slot < g->devs->virtio_count ? g->devs->virtio[slot] : NULL;
	unsigned long flags;
	memset(info, 0, sizeof(*info));
	if (!v) {
		return VIREO_ENOENT;
	}
	lock_dev(v, info, &flags);
	spin_unlock_irqrestore(&v->lock, flags);
	*type = v->type;
	return 0;
}

int guest_disk_at(struct guest *g, unsigned int index, struct guest_disk_info *info)
{
	unsigned long flags;
	memset(info, 0, sizeof(*info));
	struct guest_virtio *v = nth_of(g, GUEST_DEV_VIRTIO_BLK, index);
	if (!v) {
		return VIREO_ENOENT;
	}
	lock_dev(v, &info->dev, &flags);
	guest_vblk_info(v, info);
	spin_unlock_irqrestore(&v->lock, flags);
	return 0;
}

int guest_nic_at(struct guest *g, unsigned int index, struct guest_nic_info *info)
{
	unsigned long flags;
	memset(info, 0, sizeof(*info));
	struct guest_virtio *v = nth_of(g, GUEST_DEV_VIRTIO_NET, index);
	if (!v) {
		return VIREO_ENOENT;
	}
	lock_dev(v, &info->dev, &flags);
	struct virtio_net *n = guest_vnet_model(v);
	memcpy(info->mac, n->mac, 6);
	info->stats = n->stats;
	spin_unlock_irqrestore(&v->lock, flags);
	return 0;
}

struct vserial *guest_console(struct guest *g, const char *device)
{
	if (!device || !device[0]) {
		return &g->vserial;
	}
	for (unsigned int i = 0;; i++) {
		struct guest_virtio *v = nth_of(g, GUEST_DEV_VIRTIO_CONSOLE, i);
		if (!v) {
			return NULL;
		}
		if (strcmp(v->name, device) == 0) {
			return guest_vcon_vserial(v);
		}
	}
}

struct vserial *guest_console_at(struct guest *g, unsigned int index, const char **device)
{
	struct guest_virtio *v = nth_of(g, GUEST_DEV_VIRTIO_CONSOLE, index);
	if (!v) {
		return NULL;
	}
	*device = v->name;
	return guest_vcon_vserial(v);
}
