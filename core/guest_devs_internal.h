/* SPDX-License-Identifier: GPL-2.0-only */
/** State shared by the files that make up a guest's devices (core/guest_devs.c and friends). */
#ifndef VIREO_CORE_GUEST_DEVS_INTERNAL_H
#define VIREO_CORE_GUEST_DEVS_INTERNAL_H

#include <vireo/fdt_write.h>
#include <vireo/guest_devs.h>
#include <vireo/spinlock.h>
#include <vireo/vplic.h>
#include <vireo/vuart.h>

struct guest_rtc;
struct guest_virtio;

struct guest_devs {
	spinlock_t plic_lock;
	struct vplic plic;
	spinlock_t uart_lock;
	struct vuart uart;
	bool uart_in_use; /**< the guest drives the UART: console input goes to its FIFO */
	struct guest_rtc *rtc;
	unsigned int virtio_count;
	struct guest_virtio *virtio[GUEST_VIRTIO_MAX];
};

/** reg = <base size> in the soc node's 2 + 2 cells. */
void guest_devs_prop_reg(struct fdtw *w, uint64_t base, uint64_t size);

/* core/guest_rtc.c */
int guest_rtc_create(struct guest *g);
void guest_rtc_reset(struct guest *g);
void guest_rtc_destroy(struct guest *g);
void guest_rtc_write_dtb(struct guest *g, struct guest_dtb *t, uint32_t plic);

/* core/guest_virtio.c */
int guest_virtio_create(struct guest *g, const struct guest_device_config *devs,
                        unsigned int count);
void guest_virtio_reset(struct guest *g);
bool guest_virtio_service(struct vcpu *cur);
void guest_virtio_destroy(struct guest *g);
void guest_virtio_write_dtb(struct guest *g, struct guest_dtb *t, uint32_t plic);

#endif
