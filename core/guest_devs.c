/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * A guest's platform devices (include/vireo/guest_devs.h): the PLIC, the UART wired to the
 * guest's virtual serial console, the RTC and the test device, with their device-tree nodes.
 * VirtIO devices live in core/guest_virtio.c.
 */
#include <vireo/emul_syscon_test.h>
#include <vireo/errno.h>
#include <vireo/guest.h>
#include <vireo/guest_devs.h>
#include <vireo/heap.h>
#include <vireo/printf.h>
#include <vireo/string.h>
#include <vireo/vcpu.h>

#include "guest_devs_internal.h"

/* PLIC output for context n = the S-mode external interrupt of vCPU n. Runs under plic_lock. */
static void plic_notify(void *ctx, unsigned int context, bool level)
{
	struct guest *g = ctx;
	if (context >= g->vcpu_count) {
		return;
	}
	struct vcpu *v = g->vcpus[context];
	arch_vcpu_set_external(v, level);
	if (level) {
		vcpu_kick(v);
	}
}

static int plic_access(void *dev, struct vmmio_access *a)
{
	struct guest_devs *d = dev;
	unsigned long flags = spin_lock_irqsave(&d->plic_lock);
	int err = vplic_access(&d->plic, a);
	spin_unlock_irqrestore(&d->plic_lock, flags);
	return err;
}

static const struct vmmio_ops plic_region_ops = {"plic", plic_access};

void guest_irq_set(struct guest *g, unsigned int irq, bool level)
{
	struct guest_devs *d = g->devs;
	unsigned long flags = spin_lock_irqsave(&d->plic_lock);
	vplic_set_level(&d->plic, irq, level);
	spin_unlock_irqrestore(&d->plic_lock, flags);
}

/* UART callbacks run under uart_lock. */
static void uart_tx(void *ctx, char c)
{
	struct guest *g = ctx;
	vserial_write(&g->vserial, &c, 1);
}

static void uart_irq(void *ctx, bool level)
{
	guest_irq_set(ctx, GUEST_UART_IRQ, level);
}

/*
 * Moves queued console input into the receiver FIFO while it has room. Only once the guest
 * drives the UART (receive interrupt enabled, or it polls the UART): a guest reading its
 * console through SBI must not have its input taken by a UART it never looks at.
 */
static void uart_refill(struct guest *g)
{
	struct vuart *u = &g->devs->uart;
	/* In loopback the serial input is disconnected (PC16550D): leave the bytes queued. */
	if (u->mcr & VUART_MCR_LOOP) {
		return;
	}
	while (g->devs->uart_in_use && u->rx_count < VUART_FIFO_SIZE &&
	       vserial_input_pending(&g->vserial)) {
		int c = vserial_read(&g->vserial);
		if (c < 0) {
			break;
		}
		vuart_rx_push(u, (char)c);
	}
}

static int uart_access(void *dev, struct vmmio_access *a)
{
	struct guest *g = dev;
	struct guest_devs *d = g->devs;
	unsigned long flags = spin_lock_irqsave(&d->uart_lock);
	int err = vuart_access(&d->uart, a);
	if (!err && !d->uart_in_use &&
	    ((!a->write && (a->offset == VUART_LSR || a->offset == VUART_RBR)) ||
	     (d->uart.ier & VUART_IER_ERBFI))) {
		d->uart_in_use = true;
	}
	/* Checked here first: a driver polling LSR with nothing typed is the hot case. */
	if (d->uart_in_use && d->uart.rx_count < VUART_FIFO_SIZE &&
	    vserial_input_pending(&g->vserial)) {
		uart_refill(g);
	}
	spin_unlock_irqrestore(&d->uart_lock, flags);
	return err;
}

static const struct vmmio_ops uart_region_ops = {"uart", uart_access};

static void uart_input_ready(void *ctx)
{
	struct guest *g = ctx;
	unsigned long flags = spin_lock_irqsave(&g->devs->uart_lock);
	uart_refill(g);
	spin_unlock_irqrestore(&g->devs->uart_lock, flags);
}

static void platform_reset(struct guest *g)
{
	struct guest_devs *d = g->devs;
	unsigned long flags = spin_lock_irqsave(&d->uart_lock);
	vuart_init(&d->uart, uart_tx, uart_irq, g);
	d->uart_in_use = false;
	spin_unlock_irqrestore(&d->uart_lock, flags);
	flags = spin_lock_irqsave(&d->plic_lock);
	vplic_init(&d->plic, g->vcpu_count, plic_notify, g);
	spin_unlock_irqrestore(&d->plic_lock, flags);
	for (unsigned int i = 0; i < g->vcpu_count; i++) {
		arch_vcpu_set_external(g->vcpus[i], false);
	}
	guest_rtc_reset(g);
}

int guest_devs_create(struct guest *g, const struct guest_device_config *devs, unsigned int count)
{
	struct guest_devs *d = heap_zalloc(sizeof(*d));
	if (!d) {
		return VIREO_ENOMEM;
	}
	g->devs = d;
	spin_lock_init(&d->plic_lock);
	spin_lock_init(&d->uart_lock);
	platform_reset(g);
	int err = vmmio_add(g, SYSCON_TEST_BASE, SYSCON_TEST_SIZE, &syscon_test_ops, NULL);
	if (!err) {
		err = vmmio_add(g, GUEST_PLIC_BASE, VPLIC_SIZE, &plic_region_ops, d);
	}
	if (!err) {
		err = vmmio_add(g, GUEST_UART_BASE, GUEST_UART_SIZE, &uart_region_ops, g);
	}
	if (!err) {
		err = guest_rtc_create(g);
	}
	if (!err) {
		err = guest_virtio_create(g, devs, count);
	}
	if (err) {
		guest_devs_destroy(g);
		return err;
	}
	vserial_set_input_ready(&g->vserial, uart_input_ready, g);
	return 0;
}

void guest_devs_reset(struct guest *g)
{
	guest_virtio_reset(g);
	platform_reset(g);
}

bool guest_devs_service(struct vcpu *v)
{
	return guest_virtio_service(v);
}

void guest_devs_destroy(struct guest *g)
{
	if (!g->devs) {
		return;
	}
	vserial_set_input_ready(&g->vserial, NULL, NULL);
	guest_virtio_destroy(g);
	guest_rtc_destroy(g);
	heap_free(g->devs);
	g->devs = NULL;
}

void guest_devs_prop_reg(struct fdtw *w, uint64_t base, uint64_t size)
{
	const uint32_t reg[4] = {(uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32),
	                         (uint32_t)size};
	fdtw_prop_cells(w, "reg", reg, 4);
}

/* The test device and the poweroff/reboot nodes that use it, as QEMU's virt tree has them. */
static uint32_t write_syscon_actions(struct guest_dtb *t)
{
	uint32_t phandle = guest_dtb_alloc_phandle(t);
	static const struct {
		const char *node;
		const char *compatible;
		uint32_t value;
	} actions[] = {{"poweroff", "syscon-poweroff", 0x5555},
	               {"reboot", "syscon-reboot", 0x7777}};

	for (unsigned int i = 0; i < 2; i++) {
		fdtw_begin_node(&t->w, actions[i].node);
		fdtw_prop_u32(&t->w, "value", actions[i].value);
		fdtw_prop_u32(&t->w, "offset", 0);
		fdtw_prop_u32(&t->w, "regmap", phandle);
		fdtw_prop_string(&t->w, "compatible", actions[i].compatible);
		fdtw_end_node(&t->w);
	}
	return phandle;
}

/*
 * PLIC binding (sifive,plic-1.0.0.yaml): interrupts-extended lists the contexts in order; each
 * is vCPU n's external interrupt, cell 9 (supervisor external) of its cpu-intc.
 */
static void write_plic(struct guest *g, struct guest_dtb *t, uint32_t phandle)
{
	static const char *const compat[] = {"sifive,plic-1.0.0", "riscv,plic0"};
	uint32_t ext[2 * GUEST_MAX_VCPUS];
	char name[32];

	for (unsigned int i = 0; i < g->vcpu_count; i++) {
		ext[2 * i] = guest_dtb_intc_phandle(i);
		ext[2 * i + 1] = 9;
	}
	snprintf(name, sizeof(name), "plic@%llx", (unsigned long long)GUEST_PLIC_BASE);
	fdtw_begin_node(&t->w, name);
	fdtw_prop_u32(&t->w, "phandle", phandle);
	fdtw_prop_u32(&t->w, "riscv,ndev", VPLIC_SOURCES - 1);
	guest_devs_prop_reg(&t->w, GUEST_PLIC_BASE, VPLIC_SIZE);
	fdtw_prop_cells(&t->w, "interrupts-extended", ext, 2 * g->vcpu_count);
	fdtw_prop_empty(&t->w, "interrupt-controller");
	fdtw_prop_strings(&t->w, "compatible", compat, 2);
	fdtw_prop_u32(&t->w, "#address-cells", 0);
	fdtw_prop_u32(&t->w, "#interrupt-cells", 1);
	fdtw_end_node(&t->w);
}

void guest_devs_write_dtb(struct guest *g, struct guest_dtb *t)
{
	static const char *const test_compat[] = {"sifive,test1", "sifive,test0", "syscon"};
	struct fdtw *w = &t->w;
	uint32_t syscon = write_syscon_actions(t);
	uint32_t plic = guest_dtb_alloc_phandle(t);
	char name[32];

	fdtw_begin_node(w, "soc");
	fdtw_prop_u32(w, "#address-cells", 2);
	fdtw_prop_u32(w, "#size-cells", 2);
	fdtw_prop_string(w, "compatible", "simple-bus");
	fdtw_prop_empty(w, "ranges");

	snprintf(name, sizeof(name), "test@%llx", (unsigned long long)SYSCON_TEST_BASE);
	fdtw_begin_node(w, name);
	fdtw_prop_u32(w, "phandle", syscon);
	guest_devs_prop_reg(w, SYSCON_TEST_BASE, SYSCON_TEST_SIZE);
	fdtw_prop_strings(w, "compatible", test_compat, 3);
	fdtw_end_node(w);

	guest_rtc_write_dtb(g, t, plic);

	snprintf(name, sizeof(name), "serial@%llx", (unsigned long long)GUEST_UART_BASE);
	fdtw_begin_node(w, name);
	fdtw_prop_u32(w, "interrupts", GUEST_UART_IRQ);
	fdtw_prop_u32(w, "interrupt-parent", plic);
	fdtw_prop_u32(w, "clock-frequency", GUEST_UART_CLOCK_HZ);
	guest_devs_prop_reg(w, GUEST_UART_BASE, GUEST_UART_SIZE);
	fdtw_prop_string(w, "compatible", "ns16550a");
	fdtw_end_node(w);

	guest_virtio_write_dtb(g, t, plic);
	write_plic(g, t, plic);
	fdtw_end_node(w);
}
