/* SPDX-License-Identifier: GPL-2.0-only */
/** virtio-rng for a guest (emul/virtio_rng.c), fed by the hypervisor's generator (lib/random.c). */
#include <vireo/errno.h>
#include <vireo/heap.h>
#include <vireo/random.h>
#include <vireo/virtio_rng.h>

#include "guest_virtio_internal.h"

static void rng_fill(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	random_fill(buf, len);
}

static void vrng_destroy(struct guest_virtio *v)
{
	heap_free(v->model);
	v->model = NULL;
}

int guest_vrng_create(struct guest_virtio *v, const struct guest_device_config *cfg,
                      guest_virtio_irq_fn irq)
{
	(void)cfg;
	struct virtio_rng *r = heap_zalloc(sizeof(*r));
	if (!r) {
		return VIREO_ENOMEM;
	}
	v->model = r;
	v->destroy = vrng_destroy;
	v->serve_one = guest_virtio_serve_locked; /* at most 4 KiB per request */
	virtio_rng_init(r, rng_fill, NULL, &v->mem, irq, v);
	v->vm = &r->vm;
	return 0;
}
