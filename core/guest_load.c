/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest boot images. Layout in guest RAM (the Linux and OpenSBI payload convention):
 *
 *   0x80000000            +-----------------------------+
 *                         | (free: firmware slot)       |
 *   0x80200000            | kernel image                |
 *                         | ... free ...                |
 *   dtb - initrd size     | initrd (4 KiB aligned)      |
 *   RAM end - 2 MiB       | device tree (<= 2 MiB)      |
 *   RAM end               +-----------------------------+
 */
#include <vireo/errno.h>
#include <vireo/fdt_write.h>
#include <vireo/guest_devs.h>
#include <vireo/guest_dtb.h>
#include <vireo/guest_load.h>
#include <vireo/heap.h>
#include <vireo/log.h>
#include <vireo/platform.h>
#include <vireo/string.h>
#include <vireo/vcpu.h>

#define DTB_SLOT     (2ULL << 20)
#define DTB_GEN_SIZE (64 * 1024)

/* Extensions a guest may use as they are: unprivileged ones the hardware runs natively, and
 * Sstc, whose VS-level timer Vireo hands over. */
static const char *const passthrough[] = {
    "zicsr", "zifencei", "zihintpause", "zba", "zbb", "zbc", "zbs", "sstc",
};

const char *guest_isa_string(void)
{
	static char isa[PLATFORM_ISA_MAX];
	const char *host = platform_get()->harts[0].isa;
	size_t n = 0;

	if (isa[0]) {
		return isa;
	}
	strlcpy(isa, "rv64", sizeof(isa));
	n = 4;
	for (const char *l = "imafdc"; *l; l++) {
		char s[2] = {*l, 0};
		if (platform_isa_has(host, s) && n + 1 < sizeof(isa)) {
			isa[n++] = *l;
		}
	}
	isa[n] = '\0';
	for (unsigned int i = 0; i < sizeof(passthrough) / sizeof(passthrough[0]); i++) {
		size_t len = strlen(passthrough[i]);
		if (platform_isa_has(host, passthrough[i]) && n + 1 + len < sizeof(isa)) {
			isa[n++] = '_';
			memcpy(isa + n, passthrough[i], len);
			n += len;
			isa[n] = '\0';
		}
	}
	return isa;
}

static int build_dtb(struct guest *g, uint64_t initrd_start, uint64_t initrd_end, void **out,
                     size_t *size)
{
	const struct platform *plat = platform_get();
	struct guest_dtb_params p = {
	    .vcpu_count = g->vcpu_count,
	    .ram_base = GUEST_RAM_BASE,
	    .ram_size = g->ram_size,
	    .timebase_hz = plat->timebase_hz,
	    .isa = guest_isa_string(),
	    .mmu_type = strcmp(plat->harts[0].mmu, "sv39") == 0 ? "riscv,sv39" : "riscv,sv48",
	    .bootargs = g->images.bootargs,
	    .initrd_start = initrd_start,
	    .initrd_end = initrd_end,
	    .model = NULL,
	    .stdout_path = GUEST_UART_DT_PATH,
	};
	void *buf = heap_alloc(DTB_GEN_SIZE);
	if (!buf) {
		return VIREO_ENOMEM;
	}
	struct guest_dtb t;
	int n = guest_dtb_begin(&t, &p, buf, DTB_GEN_SIZE);
	if (n >= 0) {
		guest_devs_write_dtb(g, &t);
		n = guest_dtb_end(&t);
	}
	if (n < 0) {
		heap_free(buf);
		return n;
	}
	*out = buf;
	*size = (size_t)n;
	return 0;
}

int guest_load_images(struct guest *g, gpaddr_t *dtb_gpa)
{
	const struct guest_images *im = &g->images;
	gpaddr_t ram_end = GUEST_RAM_BASE + g->ram_size;
	gpaddr_t kernel = GUEST_RAM_BASE + GUEST_KERNEL_OFF;
	gpaddr_t dtb = ram_end - DTB_SLOT;
	gpaddr_t initrd = dtb;

	if (g->ram_size < GUEST_KERNEL_OFF + DTB_SLOT || !im->kernel) {
		return VIREO_EINVAL;
	}
	if (im->initrd) {
		initrd = (dtb - im->initrd_size) & ~(gpaddr_t)4095;
	}
	if (im->initrd_size > dtb - kernel || kernel + im->kernel_size > initrd ||
	    (im->dtb && im->dtb_size > DTB_SLOT)) {
		log_err("guest %s: kernel, initrd and device tree do not fit in %llu MiB of RAM",
		        g->name, (unsigned long long)(g->ram_size >> 20));
		return VIREO_EINVAL;
	}
	int err = guest_write(g, kernel, im->kernel, im->kernel_size);
	if (!err && im->initrd) {
		err = guest_write(g, initrd, im->initrd, im->initrd_size);
	}
	if (err) {
		return err;
	}
	if (im->dtb) {
		err = guest_write(g, dtb, im->dtb, im->dtb_size);
	} else {
		void *buf;
		size_t size;
		err = build_dtb(g, im->initrd ? initrd : 0,
		                im->initrd ? initrd + im->initrd_size : 0, &buf, &size);
		if (!err) {
			err = guest_write(g, dtb, buf, size);
			heap_free(buf);
		}
	}
	*dtb_gpa = dtb;
	return err;
}
