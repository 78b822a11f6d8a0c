/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The device tree a guest boots with (core/guest_dtb.c), shaped like the one QEMU's `-M virt`
 * generates so the same guest kernels and firmware find what they expect:
 *
 *   / { #address-cells = 2; #size-cells = 2; compatible = "riscv-virtio"; model;
 *       chosen { linux,initrd-end; linux,initrd-start; bootargs; stdout-path; } (if given)
 *       memory@<ram_base> { device_type = "memory"; reg = <ram_base ram_size>; }
 *       cpus { #address-cells = 1; #size-cells = 0; timebase-frequency;
 *              cpu@<n> { phandle; device_type = "cpu"; reg = <n>; status = "okay";
 *                        compatible = "riscv"; riscv,isa; mmu-type;
 *                        interrupt-controller { #interrupt-cells = 1; interrupt-controller;
 *                                               compatible = "riscv,cpu-intc"; phandle; } }
 *              cpu-map { cluster0 { core<n> { cpu = <&cpu n>; } } } }
 *       ... device nodes added by the caller between guest_dtb_begin() and guest_dtb_end() }
 *
 * Phandles are fixed: vCPU n's node is 1 + 2n, its interrupt controller 2 + 2n, so device nodes
 * can name them (interrupts-extended) without looking anything up; further phandles come from
 * guest_dtb_alloc_phandle().
 */
#ifndef VIREO_GUEST_DTB_H
#define VIREO_GUEST_DTB_H

#include <vireo/fdt_write.h>
#include <vireo/types.h>

/** Far above any guest's vCPU count; keeps hart ids and phandles well inside 32 bits. */
#define GUEST_DTB_MAX_VCPUS 4096U

struct guest_dtb_params {
	unsigned int vcpu_count;           /**< harts 0..n-1, 1..GUEST_DTB_MAX_VCPUS */
	uint64_t ram_base, ram_size;       /**< 0x80000000 normally; size > 0 */
	uint64_t timebase_hz;              /**< host timebase (the guest reads the same time CSR) */
	const char *isa;                   /**< riscv,isa, e.g. "rv64imafdc_zicsr_zifencei_sstc" */
	const char *mmu_type;              /**< "riscv,sv39" or "riscv,sv48"; NULL: no mmu-type */
	const char *bootargs;              /**< NULL: none */
	uint64_t initrd_start, initrd_end; /**< 0/0: none; otherwise inside RAM, start < end */
	const char *model;                 /**< NULL: "vireo,guest" */
	const char *stdout_path;           /**< /chosen stdout-path; NULL: none */
};

/** A guest tree being built. w is the caller's to add nodes with, inside the open root. */
struct guest_dtb {
	struct fdtw w;
	unsigned int vcpu_count;
	uint32_t next_phandle;
};

/**
 * Starts the tree in buf: header, root properties, /chosen, /memory, /cpus, leaving the root node
 * open for the caller's device nodes. Returns 0, VIREO_EINVAL for bad parameters, or the writer's
 * error so far (VIREO_ENOSPC); guest_dtb_end() reports the same error again.
 */
int guest_dtb_begin(struct guest_dtb *g, const struct guest_dtb_params *p, void *buf, size_t size);
/** A phandle no other node of this tree uses. */
uint32_t guest_dtb_alloc_phandle(struct guest_dtb *g);
/** Phandle of vCPU n's cpu node. */
uint32_t guest_dtb_cpu_phandle(unsigned int n);
/** Phandle of vCPU n's "riscv,cpu-intc" node (for interrupts-extended of a PLIC or CLINT). */
uint32_t guest_dtb_intc_phandle(unsigned int n);
/** Closes the root and finishes the blob: its size, or a negative VIREO_E* (see fdtw_finish). */
int guest_dtb_end(struct guest_dtb *g);

/** Builds the tree with no device nodes into buf. Returns its size or a negative VIREO_E*. */
int guest_dtb_build(const struct guest_dtb_params *p, void *buf, size_t size);

#endif
