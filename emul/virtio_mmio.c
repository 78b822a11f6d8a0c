/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * virtio-mmio transport, modern register layout (VirtIO 1.2 section 4.2.2, Version 2). The
 * driver side of the initialisation sequence (3.1.1) is enforced here:
 *  - FEATURES_OK sticks only if the driver accepted a subset of the offered features including
 *    VIRTIO_F_VERSION_1 (3.1.1 step 5, 6.1); feature writes after FEATURES_OK are ignored;
 *  - queue registers are writable only before DRIVER_OK and while the selected queue is not
 *    ready; QueueReady = 1 needs FEATURES_OK and a valid ring layout (2.7), else the device
 *    needs a reset;
 *  - QueueNotify before DRIVER_OK, on an absent or non-ready queue, or once the device needs a
 *    reset is ignored (counted);
 *  - Status bits are sticky (2.1.2: the driver never clears one); writing 0 resets the device
 *    (4.2.2.1: InterruptStatus and every QueueReady cleared); DEVICE_NEEDS_RESET is owned by
 *    the device.
 */
#include <vireo/errno.h>
#include <vireo/string.h>
#include <vireo/virtio_mmio.h>

#define STATUS_DRIVER_BITS                                                              \
	(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK | \
	 VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FAILED)

const struct vmmio_ops virtio_mmio_ops = {
    .name = "virtio-mmio",
    .access = virtio_mmio_access,
};

static void update_irq(struct virtio_mmio *vm)
{
	bool level = vm->int_status != 0;
	if (level == vm->irq_level) {
		return;
	}
	vm->irq_level = level;
	if (vm->irq) {
		vm->irq(vm->irq_ctx, level);
	}
}

/* Interrupts reach the driver only once it is operational (3.1.1 step 8). */
static void raise(struct virtio_mmio *vm, uint32_t bits)
{
	if (!(vm->status & VIRTIO_STATUS_DRIVER_OK)) {
		return;
	}
	vm->int_status |= bits;
	update_irq(vm);
}

static void reset(struct virtio_mmio *vm)
{
	vm->driver_features = 0;
	vm->driver_features_bad = false;
	vm->device_features_sel = 0;
	vm->driver_features_sel = 0;
	vm->queue_sel = 0;
	vm->status = 0;
	vm->int_status = 0;
	vm->fault = NULL;
	__atomic_store_n(&vm->kicked, 0U, __ATOMIC_RELAXED);
	memset(vm->queue, 0, sizeof(vm->queue));
	update_irq(vm);
	if (vm->ops->reset) {
		vm->ops->reset(vm->dev);
	}
}

void virtio_mmio_init(struct virtio_mmio *vm, const struct virtio_dev_ops *ops, void *dev,
                      uint64_t device_features, const struct gmem *mem,
                      void (*irq)(void *ctx, bool level), void *irq_ctx)
{
	memset(vm, 0, sizeof(*vm));
	vm->ops = ops;
	vm->dev = dev;
	vm->mem = mem;
	vm->irq = irq;
	vm->irq_ctx = irq_ctx;
	vm->device_features = device_features | (1ULL << VIRTIO_F_VERSION_1);
}

bool virtio_mmio_live(const struct virtio_mmio *vm)
{
	return (vm->status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_DEVICE_NEEDS_RESET)) ==
	       VIRTIO_STATUS_DRIVER_OK;
}

bool virtio_mmio_has_feature(const struct virtio_mmio *vm, unsigned int bit)
{
	return bit < 64 && (vm->driver_features >> bit) & 1U;
}

void virtio_mmio_needs_reset(struct virtio_mmio *vm, const char *why)
{
	if (vm->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) {
		return;
	}
	vm->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	vm->fault = why;
	raise(vm, VIRTIO_MMIO_INT_CONFIG); /* 4.2.2.1 */
}

void virtio_mmio_config_changed(struct virtio_mmio *vm)
{
	vm->config_generation++;
	raise(vm, VIRTIO_MMIO_INT_CONFIG);
}

static struct virtio_mmio_queue *selected(struct virtio_mmio *vm)
{
	return vm->queue_sel < vm->ops->queue_count ? &vm->queue[vm->queue_sel] : NULL;
}

static bool queue_setup_allowed(const struct virtio_mmio *vm, const struct virtio_mmio_queue *q)
{
	return q && !q->ready && !(vm->status & VIRTIO_STATUS_DRIVER_OK);
}

static void set_low(uint64_t *r, uint32_t v)
{
	*r = (*r & ~0xffffffffULL) | v;
}

static void set_high(uint64_t *r, uint32_t v)
{
	*r = (*r & 0xffffffffULL) | ((uint64_t)v << 32);
}

static void queue_ready_write(struct virtio_mmio *vm, struct virtio_mmio_queue *q, uint32_t v)
{
	if (!q) {
		return;
	}
	if (v == 0) {
		q->ready = false; /* the driver stops using it (4.2.3.4 on removal) */
		return;
	}
	if (!queue_setup_allowed(vm, q) || !(vm->status & VIRTIO_STATUS_FEATURES_OK)) {
		return;
	}
	if (q->num > vm->ops->queue_size_max ||
	    virtq_check(vm->mem, q->desc, q->driver, q->device, q->num) != 0) {
		virtio_mmio_needs_reset(vm, "bad queue configuration");
		return;
	}
	virtq_init(&q->vq, q->desc, q->driver, q->device, (uint16_t)q->num);
	q->ready = true;
}

/* 3.1.1 step 5 and 6.1: a subset of what was offered, VERSION_1 included. */
static bool features_acceptable(const struct virtio_mmio *vm)
{
	return !vm->driver_features_bad && (vm->driver_features & ~vm->device_features) == 0 &&
	       virtio_mmio_has_feature(vm, VIRTIO_F_VERSION_1);
}

static void status_write(struct virtio_mmio *vm, uint32_t v)
{
	if (v == 0) {
		reset(vm);
		return;
	}
	uint32_t old = vm->status;
	uint32_t next = old | (v & STATUS_DRIVER_BITS);
	if ((next & ~old & VIRTIO_STATUS_FEATURES_OK) && !features_acceptable(vm)) {
		next &= ~VIRTIO_STATUS_FEATURES_OK;
	}
	if (!(next & VIRTIO_STATUS_FEATURES_OK)) {
		next &= ~VIRTIO_STATUS_DRIVER_OK;
	}
	vm->status = next;
}

static void driver_features_write(struct virtio_mmio *vm, uint32_t v)
{
	if (vm->status & VIRTIO_STATUS_FEATURES_OK) {
		return; /* 3.1.1: features are frozen once accepted */
	}
	if (vm->driver_features_sel == 0) {
		set_low(&vm->driver_features, v);
	} else if (vm->driver_features_sel == 1) {
		set_high(&vm->driver_features, v);
	} else if (v != 0) {
		vm->driver_features_bad = true; /* nothing is offered above bit 63 */
	}
}

static void notify_write(struct virtio_mmio *vm, uint32_t v)
{
	if (!virtio_mmio_live(vm) || v >= vm->ops->queue_count || !vm->queue[v].ready) {
		vm->notifies_ignored++;
		return;
	}
	/* Atomic: the glue looks for work without the lock (virtio_mmio_has_work). */
	__atomic_fetch_or(&vm->kicked, 1U << v, __ATOMIC_SEQ_CST);
	if (vm->ops->notify) {
		vm->ops->notify(vm->dev, v);
	}
}

bool virtio_mmio_has_work(const struct virtio_mmio *vm)
{
	return __atomic_load_n(&vm->kicked, __ATOMIC_SEQ_CST) != 0;
}

bool virtio_mmio_kicked(const struct virtio_mmio *vm, unsigned int q)
{
	return q < 32 && (__atomic_load_n(&vm->kicked, __ATOMIC_SEQ_CST) >> q) & 1U;
}

void virtio_mmio_idle(struct virtio_mmio *vm, unsigned int q)
{
	if (q < 32) {
		__atomic_fetch_and(&vm->kicked, ~(1U << q), __ATOMIC_SEQ_CST);
	}
}

bool virtio_mmio_serve(struct virtio_mmio *vm)
{
	for (unsigned int q = 0; q < vm->ops->queue_count; q++) {
		uint32_t bit = 1U << q;
		if (!(__atomic_load_n(&vm->kicked, __ATOMIC_RELAXED) & bit)) {
			continue;
		}
		if (vm->ops->serve && vm->ops->serve(vm->dev, q)) {
			return true;
		}
		/* Empty now; a later notify sets the bit again (both under the device lock). */
		virtio_mmio_idle(vm, q);
	}
	return false;
}

static void reg_write(struct virtio_mmio *vm, uint32_t off, uint32_t v)
{
	struct virtio_mmio_queue *q = selected(vm);
	bool setup = queue_setup_allowed(vm, q);
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		vm->device_features_sel = v;
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		driver_features_write(vm, v);
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		vm->driver_features_sel = v;
		break;
	case VIRTIO_MMIO_QUEUE_SEL:
		vm->queue_sel = v;
		break;
	case VIRTIO_MMIO_QUEUE_NUM:
		if (setup) {
			q->num = v;
		}
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		queue_ready_write(vm, q, v);
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		notify_write(vm, v);
		break;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		vm->int_status &= ~v;
		update_irq(vm);
		break;
	case VIRTIO_MMIO_STATUS:
		status_write(vm, v);
		break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		if (setup) {
			uint64_t *r = off < VIRTIO_MMIO_QUEUE_DRIVER_LOW   ? &q->desc
			              : off < VIRTIO_MMIO_QUEUE_DEVICE_LOW ? &q->driver
			                                                   : &q->device;
			if (off & 4U) {
				set_high(r, v);
			} else {
				set_low(r, v);
			}
		}
		break;
	default:
		break; /* read-only or undefined: ignored */
	}
}

static uint32_t reg_read(struct virtio_mmio *vm, uint32_t off)
{
	const struct virtio_mmio_queue *q = selected(vm);
	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return 2;
	case VIRTIO_MMIO_DEVICE_ID:
		return vm->ops->device_id;
	case VIRTIO_MMIO_VENDOR_ID:
		return VIRTIO_MMIO_VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		if (vm->device_features_sel > 1) {
			return 0;
		}
		return (uint32_t)(vm->device_features >> (32U * vm->device_features_sel));
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return q ? vm->ops->queue_size_max : 0;
	case VIRTIO_MMIO_QUEUE_READY:
		return q && q->ready ? 1 : 0;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		return vm->int_status;
	case VIRTIO_MMIO_STATUS:
		return vm->status;
	case VIRTIO_MMIO_CONFIG_GENERATION:
		return vm->config_generation;
	default:
		return 0; /* write-only or undefined */
	}
}

/* 4.2.2.2: config space, little-endian, any naturally aligned width up to 8. */
static int config_access(struct virtio_mmio *vm, struct vmmio_access *a)
{
	unsigned int w = a->width;
	if ((w != 1 && w != 2 && w != 4 && w != 8) || (a->offset & (w - 1U)) != 0) {
		return VIREO_EFAULT;
	}
	uint64_t off = a->offset - VIRTIO_MMIO_CONFIG;
	uint32_t size = vm->ops->config_size;
	uint8_t buf[8] = {0};
	bool inside = off < size && w <= size - off;
	if (a->write) {
		for (unsigned int i = 0; i < w; i++) {
			buf[i] = (uint8_t)(a->value >> (8U * i));
		}
		if (inside && vm->ops->config_write) {
			vm->ops->config_write(vm->dev, (uint32_t)off, buf, w);
		}
		return 0;
	}
	if (off < size && vm->ops->config_read) {
		unsigned int n = inside ? w : (unsigned int)(size - off);
		vm->ops->config_read(vm->dev, (uint32_t)off, buf, n);
	}
	a->value = 0;
	for (unsigned int i = 0; i < w; i++) {
		a->value |= (uint64_t)buf[i] << (8U * i);
	}
	return 0;
}

int virtio_mmio_access(void *dev, struct vmmio_access *a)
{
	struct virtio_mmio *vm = dev;
	if (a->offset >= VIRTIO_MMIO_CONFIG) {
		return config_access(vm, a);
	}
	if (a->width != 4 || (a->offset & 3U) != 0) {
		return VIREO_EFAULT;
	}
	if (a->write) {
		reg_write(vm, (uint32_t)a->offset, (uint32_t)a->value);
	} else {
		a->value = reg_read(vm, (uint32_t)a->offset);
	}
	return 0;
}

int virtio_mmio_pop(struct virtio_mmio *vm, unsigned int q, struct virtq_chain *c)
{
	c->fault = NULL;
	if (!virtio_mmio_live(vm) || q >= vm->ops->queue_count || !vm->queue[q].ready) {
		return VIREO_EAGAIN;
	}
	int err = virtq_pop(&vm->queue[q].vq, vm->mem, c);
	if (err == VIREO_EINVAL) {
		/* The request fails; its buffers go back to the driver untouched. */
		return virtio_mmio_push(vm, q, c->head, 0) ? VIREO_EIO : VIREO_EINVAL;
	}
	if (err == VIREO_EIO) {
		virtio_mmio_needs_reset(vm, c->fault);
	}
	return err;
}

int virtio_mmio_take(struct virtio_mmio *vm, unsigned int q, struct virtq_chain *c,
                     uint64_t *errors)
{
	int err = virtio_mmio_pop(vm, q, c);
	if (err == VIREO_EINVAL) {
		(*errors)++;
		return VIREO_EINVAL;
	}
	return err ? VIREO_EAGAIN : 0;
}

int virtio_mmio_push(struct virtio_mmio *vm, unsigned int q, uint16_t head, uint32_t written)
{
	if (q >= vm->ops->queue_count || !vm->queue[q].ready) {
		return VIREO_EINVAL;
	}
	struct virtq *vq = &vm->queue[q].vq;
	if (virtq_push(vq, vm->mem, head, written) != 0) {
		virtio_mmio_needs_reset(vm, "used ring outside guest RAM");
		return VIREO_EIO;
	}
	if (virtq_want_interrupt(vq, vm->mem)) {
		raise(vm, VIRTIO_MMIO_INT_VRING);
	}
	return 0;
}
