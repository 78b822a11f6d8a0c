/* SPDX-License-Identifier: GPL-2.0-only */
/** Guests from the configuration in the bundle (docs/configuration.md). */
#include <vireo/clock.h>
#include <vireo/errno.h>
#include <vireo/guest_config.h>
#include <vireo/guest_ops.h>
#include <vireo/guests_boot.h>
#include <vireo/log.h>
#include <vireo/page_alloc.h>
#include <vireo/percpu.h>
#include <vireo/platform.h>
#include <vireo/power.h>
#include <vireo/printf.h>
#include <vireo/sched.h>
#include <vireo/shell_parse.h>
#include <vireo/string.h>

struct create_filter {
	const char *only; /* create just this guest (NULL: all) */
	bool boot;        /* at boot: honour autostart */
	int result;       /* VIREO_ENOENT until the guest was seen */
	char *why;        /* with `only`: why it was refused or not created, one line */
	size_t why_size;
};

/* At boot every refusal is logged; for one guest (`guest create`) its refusal is returned. */
static void config_error(const char *node, const char *property, const char *reason, void *arg)
{
	struct create_filter *f = arg;
	(void)property;
	if (f->only) {
		if (strcmp(node, f->only) == 0) {
			snprintf(f->why, f->why_size, "%s refused: %s", node, reason);
			f->result = VIREO_EINVAL;
		}
	} else if (strcmp(node, "/") == 0 || strcmp(node, "guests") == 0) {
		log_err("config: %s", reason);
	} else {
		log_err("config: guest %s refused: %s", node, reason);
	}
}

/* The reason a configured guest was not created: logged at boot, returned for one guest. */
static void not_created(struct create_filter *f, const char *name, int err)
{
	char why[128];
	if (err == VIREO_ENOSPC) {
		snprintf(why, sizeof(why), "not created: Vireo runs at most %d guests", GUEST_MAX);
	} else if (err == VIREO_EEXIST) {
		snprintf(why, sizeof(why), "not created: a guest named %s already exists", name);
	} else if (err == VIREO_EADDRINUSE) {
		snprintf(why, sizeof(why),
		         "not created: a network device's MAC address is in use on its switch");
	} else {
		snprintf(why, sizeof(why), "not created: %s", vireo_strerror(err));
	}
	if (f->only) {
		snprintf(f->why, f->why_size, "%s %s", name, why);
	} else {
		log_err("guest %s: %s", name, why);
	}
}

static char exit_with[GUEST_NAME_MAX];
static struct fdt config_fdt;
static const void *config_bundle;
static size_t config_bundle_size;
static bool config_ok;

static void config_guest(const struct guest_config *cfg, void *arg)
{
	struct create_filter *f = arg;
	if (f->only && strcmp(f->only, cfg->name) != 0) {
		return;
	}
	struct guest_params p = {
	    .name = cfg->name,
	    .vcpu_count = cfg->vcpu_count,
	    .ram_size = cfg->ram_size,
	    .images =
	        {
	            .kernel = cfg->kernel.data,
	            .kernel_size = cfg->kernel.size,
	            .initrd = cfg->initrd.data,
	            .initrd_size = cfg->initrd.size,
	            .dtb = cfg->dtb.data,
	            .dtb_size = cfg->dtb.size,
	            .bootargs = cfg->bootargs,
	        },
	    .devices = cfg->devices,
	    .device_count = cfg->device_count,
	};
	for (unsigned int i = 0; i < cfg->vcpu_count; i++) {
		p.prio[i] = cfg->vcpu_prio[i];
		p.slice[i] = (nsec_t)cfg->vcpu_slice_us[i] * NSEC_PER_USEC;
		p.affinity[i] = cfg->vcpu_affinity[i] == GUEST_CONFIG_AFFINITY_ANY
		                    ? VCPU_AFFINITY_ANY
		                    : cfg->vcpu_affinity[i];
	}
	/* The parser checked RAM against the memory free before the first guest was made. */
	struct page_alloc_stats stats;
	page_alloc_get_stats(&stats);
	if (cfg->ram_size > stats.free_pages * PAGE_SIZE) {
		char reason[96];
		snprintf(reason, sizeof(reason),
		         "memory: RAM of %llu MiB larger than free memory (%llu MiB)",
		         (unsigned long long)(cfg->ram_size >> 20),
		         (unsigned long long)((stats.free_pages * PAGE_SIZE) >> 20));
		config_error(cfg->name, "memory", reason, f);
		f->result = VIREO_ENOMEM;
		return;
	}
	int err;
	struct guest *g = guest_create(&p, &err);
	f->result = g ? 0 : err;
	if (!g) {
		not_created(f, cfg->name, err);
		return;
	}
	bool start = f->boot && cfg->autostart;
	log_info("guest %s: created, %u vCPU%s, %llu MiB%s", g->name, g->vcpu_count,
	         g->vcpu_count == 1 ? "" : "s", (unsigned long long)(g->ram_size >> 20),
	         start ? ", starting" : "");
	if (start) {
		guest_kick(g);
	}
}

static void parse(struct create_filter *f)
{
	struct page_alloc_stats stats;
	page_alloc_get_stats(&stats);
	guest_config_parse(&config_fdt, config_bundle, config_bundle_size,
	                   stats.free_pages * PAGE_SIZE, percpu_count(), config_guest, config_error,
	                   f);
}

int guests_create_from_config(const char *name, char *why, size_t why_size)
{
	struct create_filter f = {
	    .only = name, .boot = false, .result = VIREO_ENOENT, .why = why, .why_size = why_size};
	snprintf(why, why_size, "the configuration has no valid guest '%s'", name);
	if (!config_ok) {
		return VIREO_ENOENT;
	}
	parse(&f);
	return f.result;
}

void guests_boot(void)
{
	const struct platform *plat = platform_get();
	struct create_filter f = {.only = NULL, .boot = true, .result = VIREO_ENOENT};

	if (cmdline_get_value(plat->bootargs, "vireo.exit_with", exit_with, sizeof(exit_with)) <
	    0) {
		exit_with[0] = '\0';
	}
	if (plat->initrd_end <= plat->initrd_start) {
		log_info("guests: no bundle loaded (QEMU -initrd), no guests configured");
		return;
	}
	const void *bundle = (const void *)(uintptr_t)plat->initrd_start;
	size_t size = (size_t)(plat->initrd_end - plat->initrd_start);
	if (guest_config_open(bundle, size, &config_fdt) != 0) {
		log_err("guests: the initrd is not a bundle with a valid %s",
		        GUEST_CONFIG_BUNDLE_PATH);
		return;
	}
	config_bundle = bundle;
	config_bundle_size = size;
	config_ok = true;
	parse(&f);
}

void guests_halted(struct guest *g, bool failure)
{
	if (!exit_with[0] || strcmp(g->name, exit_with) != 0) {
		return;
	}
	log_info("guest %s halted: powering the host off (vireo.exit_with)", g->name);
	if (failure) {
		power_off_failure(1);
	}
	power_off();
}
