/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's device tree (include/vireo/guest_dtb.h), written with lib/fdt_write.c. Node and
 * property order follow QEMU's virt tree so `dtc -I dtb -O dts` output diffs cleanly against it.
 * Sources: Devicetree Specification v0.4 chapter 3 (root, /memory, /chosen, /cpus, cpu nodes),
 * the RISC-V cpu bindings (dt-schema riscv/cpus.yaml: riscv,isa, mmu-type, the per-hart
 * "riscv,cpu-intc" child) and the cpu-map topology binding (cpu/cpu-topology).
 */
#include <vireo/errno.h>
#include <vireo/guest_dtb.h>
#include <vireo/printf.h>

#define DEFAULT_MODEL "vireo,guest"

/* Room for "cpu@" / "core" / "memory@" and 16 hex or 10 decimal digits. */
#define NODE_NAME_MAX 32

uint32_t guest_dtb_cpu_phandle(unsigned int n)
{
	return 1U + 2U * n;
}

uint32_t guest_dtb_intc_phandle(unsigned int n)
{
	return 2U + 2U * n;
}

uint32_t guest_dtb_alloc_phandle(struct guest_dtb *g)
{
	return g->next_phandle++;
}

static bool params_valid(const struct guest_dtb_params *p)
{
	bool has_initrd = p->initrd_start != 0 || p->initrd_end != 0;

	if (p->vcpu_count == 0 || p->vcpu_count > GUEST_DTB_MAX_VCPUS) {
		return false;
	}
	if (p->ram_size == 0 || p->ram_base > UINT64_MAX - p->ram_size || p->timebase_hz == 0) {
		return false;
	}
	if (p->isa == NULL || p->isa[0] == '\0') {
		return false;
	}
	/* The guest is told where its initrd is: the range must be real and inside its RAM. */
	if (has_initrd && (p->initrd_start >= p->initrd_end || p->initrd_start < p->ram_base ||
	                   p->initrd_end > p->ram_base + p->ram_size)) {
		return false;
	}
	return true;
}

/* DT spec 3.6. QEMU's order (initrd end, start, then bootargs) is kept for readable diffs. */
static void write_chosen(struct fdtw *w, const struct guest_dtb_params *p)
{
	fdtw_begin_node(w, "chosen");
	if (p->initrd_start != 0 || p->initrd_end != 0) {
		/* Linux reads these as one or two cells; two cover RAM above 4 GiB. */
		fdtw_prop_u64(w, "linux,initrd-end", p->initrd_end);
		fdtw_prop_u64(w, "linux,initrd-start", p->initrd_start);
	}
	if (p->bootargs != NULL) {
		fdtw_prop_string(w, "bootargs", p->bootargs);
	}
	/* DT spec 3.6: the console device, for earlycon and a console= less command line. */
	if (p->stdout_path != NULL) {
		fdtw_prop_string(w, "stdout-path", p->stdout_path);
	}
	fdtw_end_node(w);
}

/* DT spec 3.4: reg in the root's 2 + 2 cells. */
static void write_memory(struct fdtw *w, const struct guest_dtb_params *p)
{
	char name[NODE_NAME_MAX];
	const uint32_t reg[4] = {
	    (uint32_t)(p->ram_base >> 32),
	    (uint32_t)p->ram_base,
	    (uint32_t)(p->ram_size >> 32),
	    (uint32_t)p->ram_size,
	};

	snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)p->ram_base);
	fdtw_begin_node(w, name);
	fdtw_prop_string(w, "device_type", "memory");
	fdtw_prop_cells(w, "reg", reg, 4);
	fdtw_end_node(w);
}

/*
 * DT spec 3.8 and riscv/cpus.yaml. reg is the hart id (/cpus has #address-cells = 1), and the
 * unit address matches it (2.2.1), in hex by convention (QEMU writes decimal: cpu@10, not cpu@a).
 * The riscv,cpu-intc child is the hart's local interrupt controller: device nodes route
 * interrupts to it, cell 9 for supervisor external, 5 timer, 1 software.
 */
static void write_cpu(struct fdtw *w, const struct guest_dtb_params *p, unsigned int n)
{
	char name[NODE_NAME_MAX];

	snprintf(name, sizeof(name), "cpu@%x", n);
	fdtw_begin_node(w, name);
	fdtw_prop_u32(w, "phandle", guest_dtb_cpu_phandle(n));
	fdtw_prop_string(w, "device_type", "cpu");
	fdtw_prop_u32(w, "reg", n);
	fdtw_prop_string(w, "status", "okay");
	fdtw_prop_string(w, "compatible", "riscv");
	fdtw_prop_string(w, "riscv,isa", p->isa);
	if (p->mmu_type != NULL) {
		fdtw_prop_string(w, "mmu-type", p->mmu_type);
	}
	fdtw_begin_node(w, "interrupt-controller");
	fdtw_prop_u32(w, "#interrupt-cells", 1);
	fdtw_prop_empty(w, "interrupt-controller");
	fdtw_prop_string(w, "compatible", "riscv,cpu-intc");
	fdtw_prop_u32(w, "phandle", guest_dtb_intc_phandle(n));
	fdtw_end_node(w);
	fdtw_end_node(w);
}

/* cpu-topology binding: one socket, one cluster, one core per vCPU, no SMT (as QEMU). */
static void write_cpu_map(struct fdtw *w, unsigned int vcpu_count)
{
	char name[NODE_NAME_MAX];
	unsigned int n;

	fdtw_begin_node(w, "cpu-map");
	fdtw_begin_node(w, "cluster0");
	for (n = 0; n < vcpu_count; n++) {
		snprintf(name, sizeof(name), "core%u", n);
		fdtw_begin_node(w, name);
		fdtw_prop_u32(w, "cpu", guest_dtb_cpu_phandle(n));
		fdtw_end_node(w);
	}
	fdtw_end_node(w);
	fdtw_end_node(w);
}

/* DT spec 3.7: timebase-frequency is one cell when it fits (QEMU's form), else two. */
static void write_cpus(struct fdtw *w, const struct guest_dtb_params *p)
{
	unsigned int n;

	fdtw_begin_node(w, "cpus");
	fdtw_prop_u32(w, "#address-cells", 1);
	fdtw_prop_u32(w, "#size-cells", 0);
	if (p->timebase_hz <= UINT32_MAX) {
		fdtw_prop_u32(w, "timebase-frequency", (uint32_t)p->timebase_hz);
	} else {
		fdtw_prop_u64(w, "timebase-frequency", p->timebase_hz);
	}
	for (n = 0; n < p->vcpu_count; n++) {
		write_cpu(w, p, n);
	}
	write_cpu_map(w, p->vcpu_count);
	fdtw_end_node(w);
}

int guest_dtb_begin(struct guest_dtb *g, const struct guest_dtb_params *p, void *buf, size_t size)
{
	struct fdtw *w = &g->w;

	/* Hart 0 boots first, as on QEMU virt; the others start through SBI HSM. */
	fdtw_init(w, buf, size, 0);
	if (!params_valid(p)) {
		fdtw_set_error(w, VIREO_EINVAL);
		return VIREO_EINVAL;
	}
	g->vcpu_count = p->vcpu_count;
	g->next_phandle = guest_dtb_cpu_phandle(p->vcpu_count);

	/* DT spec 3.2: the root's cells, compatible and model. */
	fdtw_begin_node(w, "");
	fdtw_prop_u32(w, "#address-cells", 2);
	fdtw_prop_u32(w, "#size-cells", 2);
	fdtw_prop_string(w, "compatible", "riscv-virtio");
	fdtw_prop_string(w, "model", p->model != NULL ? p->model : DEFAULT_MODEL);
	write_chosen(w, p);
	write_memory(w, p);
	write_cpus(w, p);
	return fdtw_error(w);
}

int guest_dtb_end(struct guest_dtb *g)
{
	fdtw_end_node(&g->w);
	return fdtw_finish(&g->w);
}

int guest_dtb_build(const struct guest_dtb_params *p, void *buf, size_t size)
{
	struct guest_dtb g;

	guest_dtb_begin(&g, p, buf, size);
	return guest_dtb_end(&g);
}
