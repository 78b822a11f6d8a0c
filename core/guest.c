/* SPDX-License-Identifier: GPL-2.0-only */
/** Guest objects and their lifecycle (state diagram in include/vireo/guest.h). */
#include <vireo/clock.h>
#include <vireo/errno.h>
#include <vireo/guest_devs.h>
#include <vireo/guest_load.h>
#include <vireo/guest_ram.h>
#include <vireo/guest_ops.h>
#include <vireo/guests_boot.h>
#include <vireo/heap.h>
#include <vireo/log.h>
#include <vireo/page_alloc.h>
#include <vireo/percpu.h>
#include <vireo/printf.h>
#include <vireo/smp.h>
#include <vireo/string.h>
#include <vireo/vcpu.h>

#define RAM_BLOCK_ORDER PAGE_ALLOC_MAX_ORDER /* 4 MiB */
#define STOP_TIMEOUT_NS (5 * NSEC_PER_SEC)

static spinlock_t guests_lock = SPINLOCK_INIT;
static struct guest *guests[GUEST_MAX];
static unsigned int next_guest_id;
static struct thread *reboot_worker;

/*
 * Serializes the lifecycle operations (shell commands and the reboot worker), which may wait
 * for milliseconds: a thread that finds it taken sleeps and retries. vCPU threads never take it
 * (guest_stop and guest_request_reboot only change state and kick).
 */
static unsigned int ops_busy;

static void ops_lock(void)
{
	while (__atomic_exchange_n(&ops_busy, 1U, __ATOMIC_ACQUIRE)) {
		thread_sleep_ns(NSEC_PER_MSEC);
	}
}

static void ops_unlock(void)
{
	__atomic_store_n(&ops_busy, 0U, __ATOMIC_RELEASE);
}

const char *guest_state_name(enum guest_state s)
{
	switch (s) {
	case GUEST_RESET:
		return "reset";
	case GUEST_RUNNING:
		return "running";
	case GUEST_PAUSED:
		return "paused";
	case GUEST_HALTED:
		return "halted";
	}
	return "?";
}

struct guest *guest_find(const char *name)
{
	struct guest *found = NULL;
	unsigned long flags = spin_lock_irqsave(&guests_lock);
	for (unsigned int i = 0; i < GUEST_MAX; i++) {
		if (guests[i] && strcmp(guests[i]->name, name) == 0) {
			found = guests[i];
		}
	}
	spin_unlock_irqrestore(&guests_lock, flags);
	return found;
}

struct guest *guest_at(unsigned int index)
{
	struct guest *found = NULL;
	unsigned long flags = spin_lock_irqsave(&guests_lock);
	for (unsigned int i = 0, n = 0; i < GUEST_MAX; i++) {
		if (guests[i] && n++ == index) {
			found = guests[i];
			break;
		}
	}
	spin_unlock_irqrestore(&guests_lock, flags);
	return found;
}

static void kick_all(struct guest *g)
{
	for (unsigned int i = 0; i < g->vcpu_count; i++) {
		struct vcpu *v = g->vcpus[i];
		/* A stopped hart that is already parked has nothing to look at: waking it would
		 * only queue its thread beside the running ones until it parks again (an SBI HSM
		 * start or a destroy kicks it itself). */
		if (v->state == VCPU_OFF && v->parked) {
			continue;
		}
		vcpu_kick(v);
	}
}

/* Waits (bounded) until no vCPU of g is in the guest. Not from one of g's vCPU threads. */
static bool wait_parked(struct guest *g)
{
	nsec_t deadline = clock_now() + STOP_TIMEOUT_NS;
	for (;;) {
		bool all = true;
		/* Pairs with the fence in park(): either we see the vCPU unparked, or it sees the
		 * state we set (store-buffer pattern: both sides need a full fence). */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		for (unsigned int i = 0; i < g->vcpu_count; i++) {
			struct vcpu *v = g->vcpus[i];
			if (v->thread && !v->parked && !v->exited) {
				all = false;
			}
		}
		if (all) {
			return true;
		}
		if (clock_now() > deadline) {
			return false;
		}
		kick_all(g);
		thread_sleep_ns(NSEC_PER_MSEC);
	}
}

static void set_state(struct guest *g, enum guest_state s, const char *reason)
{
	unsigned long flags = spin_lock_irqsave(&g->lock);
	g->state = s;
	strlcpy(g->reason, reason ? reason : "", sizeof(g->reason));
	spin_unlock_irqrestore(&g->lock, flags);
}

static void free_ram(struct guest *g)
{
	for (unsigned int i = 0; i < g->ram_block_count; i++) {
		page_alloc_free(g->ram_blocks[i].hpa, g->ram_blocks[i].order);
	}
	g->ram_block_count = 0;
}

static int alloc_ram(struct guest *g)
{
	uint64_t done = 0;
	while (done < g->ram_size) {
		uint64_t left = g->ram_size - done;
		unsigned int order =
		    left >= (PAGE_SIZE << RAM_BLOCK_ORDER) ? RAM_BLOCK_ORDER : RAM_BLOCK_ORDER - 1;
		uint64_t bytes = PAGE_SIZE << order;
		paddr_t hpa;
		if (g->ram_block_count == GUEST_RAM_BLOCKS || page_alloc_get(order, &hpa) != 0) {
			return VIREO_ENOMEM;
		}
		g->ram_blocks[g->ram_block_count++] = (struct ram_block){hpa, order};
		done += bytes;
	}
	return 0;
}

/*
 * Forgets RAM (no data may pass from one guest, or one boot, to the next: each chunk is
 * cleared again on its first use, core/guest_ram.c) and loads images.
 */
static int prepare_boot(struct guest *g)
{
	/* Devices first: a device still live could write into RAM being forgotten (a switch
	 * delivering a frame from another guest). */
	guest_devs_reset(g);
	guest_ram_forget(g);
	gpaddr_t dtb_gpa;
	int err = guest_load_images(g, &dtb_gpa);
	if (err) {
		return err;
	}
	for (unsigned int i = 0; i < g->vcpu_count; i++) {
		struct vcpu *v = g->vcpus[i];
		v->state = i == 0 ? VCPU_RUNNING : VCPU_OFF;
		v->resume_pending = i == 0;
		v->suspended = false;
		v->start_pc = GUEST_RAM_BASE + GUEST_KERNEL_OFF;
		v->start_arg = dtb_gpa;
		arch_vcpu_reset(v, v->start_pc, i, dtb_gpa);
	}
	return 0;
}

/* What the hardware may still reach through cached G-stage translations: freed only once
 * every hart has dropped them. */
static void free_memory(struct guest *g)
{
	free_ram(g);
	arch_guest_destroy(g);
	heap_free(g);
}

/*
 * Guests whose vCPUs and devices are gone but whose RAM, tables and VMID wait for a hart that
 * has not confirmed its G-stage flush (arch_guest_flush). Under ops_lock.
 */
static struct guest *retired;

static void retire(struct guest *g)
{
	log_err("guest %s: %llu MiB of RAM kept until every hart has dropped its translations",
	        g->name, (unsigned long long)(g->ram_size >> 20));
	g->retired_next = retired;
	retired = g;
}

/* Frees the retired guests whose flush every hart has now confirmed. Under ops_lock. */
static void reap_retired(void)
{
	for (struct guest **p = &retired; *p;) {
		struct guest *g = *p;
		/* The late hart confirms the pending fence when it next takes interrupts. */
		if (arch_guest_flush_done(g)) {
			*p = g->retired_next;
			log_info("guest %s: its kept RAM is free again", g->name);
			free_memory(g);
		} else {
			p = &g->retired_next;
		}
	}
}

static void release(struct guest *g)
{
	/* Devices first: a switch port or an RTC alarm may still raise an interrupt, which
	 * reaches the vCPUs, until its device is gone. */
	guest_devs_destroy(g);
	for (unsigned int i = 0; i < g->vcpu_count; i++) {
		heap_free(g->vcpus[i]);
		g->vcpus[i] = NULL;
	}
	/* Nothing is reused before every hart has dropped the guest's translations. */
	if (!arch_guest_flush(g)) {
		retire(g);
		return;
	}
	free_memory(g);
}

static unsigned int pick_cpu(unsigned int id, unsigned int i, unsigned int affinity)
{
	if (affinity != VCPU_AFFINITY_ANY) {
		return affinity;
	}
	/* Spread vCPUs over the online harts, starting at a different one for each guest. */
	unsigned int online = smp_online_count();
	return (id + i) % (online ? online : 1);
}

static int register_guest(struct guest *g)
{
	int err = VIREO_ENOSPC;
	unsigned long flags = spin_lock_irqsave(&guests_lock);
	bool taken = false;
	for (unsigned int i = 0; i < GUEST_MAX; i++) {
		taken = taken || (guests[i] && strcmp(guests[i]->name, g->name) == 0);
	}
	for (unsigned int i = 0; i < GUEST_MAX && !taken; i++) {
		if (!guests[i]) {
			guests[i] = g;
			g->id = next_guest_id++;
			err = 0;
			break;
		}
	}
	spin_unlock_irqrestore(&guests_lock, flags);
	return taken ? VIREO_EEXIST : err;
}

static void unregister_guest(struct guest *g)
{
	unsigned long flags = spin_lock_irqsave(&guests_lock);
	for (unsigned int i = 0; i < GUEST_MAX; i++) {
		if (guests[i] == g) {
			guests[i] = NULL;
		}
	}
	spin_unlock_irqrestore(&guests_lock, flags);
}

static void reboot_worker_main(void *arg);

/*
 * Ends every vCPU thread that was started and waits until each has been reaped. A thread's last
 * touch of its struct vcpu (unlocking exit_lock after setting `exited`) comes after `exited`,
 * and its stack goes back to the page allocator only when its host cpu reaps it: once the
 * thread id is gone, nothing of the thread is left. Reaping happens at the cpu's next switch,
 * right after the thread's last one. Bounded by STOP_TIMEOUT_NS: false if a thread is still
 * there, and then nothing of the guest may be freed.
 */
static bool end_vcpu_threads(struct guest *g)
{
	for (unsigned int i = 0; i < g->vcpu_count; i++) {
		if (g->vcpus[i] && g->vcpus[i]->thread) {
			g->vcpus[i]->stop_request = true;
		}
	}
	nsec_t deadline = clock_now() + STOP_TIMEOUT_NS;
	for (unsigned int i = 0; i < g->vcpu_count; i++) {
		struct vcpu *v = g->vcpus[i];
		while (v && v->thread && thread_id_exists(v->thread_id)) {
			if (clock_now() > deadline) {
				return false;
			}
			vcpu_kick(v); /* nothing once the thread has exited */
			thread_sleep_ns(NSEC_PER_MSEC);
		}
	}
	return true;
}

static struct guest *guest_create_locked(const struct guest_params *p, int *err)
{
	if (!p->name[0] || strlen(p->name) >= GUEST_NAME_MAX || p->vcpu_count == 0 ||
	    p->vcpu_count > GUEST_MAX_VCPUS || p->ram_size == 0 || p->ram_size % (2ULL << 20)) {
		*err = VIREO_EINVAL;
		return NULL;
	}
	/* Before any device is made: a second guest of the same name would otherwise first
	 * collide on its switch ports' names. register_guest() decides. */
	if (guest_find(p->name)) {
		*err = VIREO_EEXIST;
		return NULL;
	}
	if (!reboot_worker) {
		reboot_worker = thread_create("guest-reboot", reboot_worker_main, NULL,
		                              THREAD_PRIO_DEFAULT, 0, err);
		if (!reboot_worker) {
			return NULL;
		}
		thread_start(reboot_worker);
	}
	/* Measured around the creation: other allocations meanwhile would count too, but guests
	 * are created by one thread at a time. */
	struct heap_stats heap_before;
	struct page_alloc_stats pages_before;
	heap_get_stats(&heap_before);
	page_alloc_get_stats(&pages_before);
	struct guest *g = heap_zalloc(sizeof(*g));
	if (!g) {
		*err = VIREO_ENOMEM;
		return NULL;
	}
	strlcpy(g->name, p->name, sizeof(g->name));
	spin_lock_init(&g->lock);
	spin_lock_init(&g->ram_lock);
	g->state = GUEST_RESET;
	g->vcpu_count = p->vcpu_count;
	g->ram_size = p->ram_size;
	g->images = p->images;
	vserial_init(&g->vserial);
	*err = arch_guest_init(g);
	if (*err) {
		heap_free(g);
		return NULL;
	}
	for (unsigned int i = 0; i < g->vcpu_count; i++) {
		struct vcpu *v = heap_zalloc(sizeof(*v));
		if (!v) {
			*err = VIREO_ENOMEM;
			goto fail;
		}
		v->guest = g;
		v->index = i;
		spin_lock_init(&v->exit_lock);
		v->prio = p->prio[i];
		v->slice = p->slice[i];
		g->vcpus[i] = v;
	}
	*err = guest_devs_create(g, p->devices, p->device_count);
	if (!*err) {
		*err = register_guest(g);
	}
	if (*err) {
		goto fail;
	}
	for (unsigned int i = 0; i < g->vcpu_count; i++) {
		g->vcpus[i]->host_cpu = pick_cpu(g->id, i, p->affinity[i]);
	}
	*err = alloc_ram(g);
	if (!*err) {
		*err = prepare_boot(g);
	}
	if (!*err) {
		*err = vcpu_create_all(g);
	}
	if (*err) {
		unregister_guest(g);
		goto fail;
	}
	/* Let the new vCPU threads park before the guest can start: a thread still queued when
	 * its sibling enters the guest would share that hart's time slices until it first runs. */
	(void)wait_parked(g);
	struct heap_stats heap_after;
	struct page_alloc_stats pages_after;
	heap_get_stats(&heap_after);
	page_alloc_get_stats(&pages_after);
	uint64_t pages = pages_before.free_pages - pages_after.free_pages;
	uint64_t ram_pages = g->ram_size / PAGE_SIZE;
	g->overhead_heap_bytes = heap_after.used_bytes - heap_before.used_bytes;
	g->overhead_pages = pages > ram_pages ? pages - ram_pages : 0;
	return g;

fail:
	/* vCPU threads that did start are parked (guest in RESET): end them first. */
	if (!end_vcpu_threads(g)) {
		log_err(
		    "guest %s: creation failed and a vCPU thread did not end: its memory is kept",
		    g->name);
		return NULL;
	}
	release(g);
	return NULL;
}

struct guest *guest_create(const struct guest_params *p, int *err)
{
	ops_lock();
	reap_retired();
	struct guest *g = guest_create_locked(p, err);
	ops_unlock();
	return g;
}

static int guest_destroy_locked(struct guest *g)
{
	/* First out of the guest, all of them: a vCPU still running guest code could kick (IPI,
	 * fence, HSM) a sibling whose thread has already ended and been freed. */
	set_state(g, GUEST_HALTED, "being destroyed");
	kick_all(g);
	if (!wait_parked(g)) {
		return VIREO_EBUSY;
	}
	if (!end_vcpu_threads(g)) {
		return VIREO_EBUSY;
	}
	unregister_guest(g);
	release(g);
	reap_retired();
	return 0;
}

static int guest_kick_locked(struct guest *g)
{
	if (g->state != GUEST_RESET) {
		return VIREO_EBUSY;
	}
	set_state(g, GUEST_RUNNING, NULL);
	kick_all(g);
	return 0;
}

static int guest_pause_locked(struct guest *g)
{
	if (g->state != GUEST_RUNNING) {
		return VIREO_EBUSY;
	}
	set_state(g, GUEST_PAUSED, "paused from the shell");
	kick_all(g);
	return wait_parked(g) ? 0 : VIREO_EAGAIN;
}

static int guest_resume_locked(struct guest *g)
{
	if (g->state != GUEST_PAUSED) {
		return VIREO_EBUSY;
	}
	set_state(g, GUEST_RUNNING, NULL);
	kick_all(g);
	return 0;
}

static int guest_halt_locked(struct guest *g)
{
	if (g->state != GUEST_RUNNING && g->state != GUEST_PAUSED) {
		return VIREO_EBUSY;
	}
	set_state(g, GUEST_HALTED, "halted from the shell");
	kick_all(g);
	return wait_parked(g) ? 0 : VIREO_EAGAIN;
}

static int guest_reset_locked(struct guest *g)
{
	set_state(g, GUEST_RESET, NULL);
	kick_all(g);
	if (!wait_parked(g)) {
		return VIREO_EAGAIN;
	}
	int err = prepare_boot(g);
	if (err) {
		set_state(g, GUEST_HALTED, "reset failed: images do not fit");
	}
	return err;
}

/*
 * A guest's own power-off, failure or reboot takes effect only while it runs or is paused (a
 * pause that raced the request must not lose it: the guest would resume into its power-off
 * loop): a vCPU that exits with one just as the shell halts, resets or destroys the guest
 * must not undo that (a reboot turning a halt into a restart). False if it did not apply.
 */
static bool set_state_if_running(struct guest *g, enum guest_state s, const char *reason)
{
	unsigned long flags = spin_lock_irqsave(&g->lock);
	bool running = g->state == GUEST_RUNNING || g->state == GUEST_PAUSED;
	if (running) {
		g->state = s;
		strlcpy(g->reason, reason ? reason : "", sizeof(g->reason));
	}
	spin_unlock_irqrestore(&g->lock, flags);
	return running;
}

void guest_stop(struct guest *g, const char *reason, bool failure)
{
	if (!set_state_if_running(g, GUEST_HALTED, reason)) {
		return;
	}
	log_info("guest %s: %s", g->name, reason);
	kick_all(g);
	guests_halted(g, failure);
}

void guest_request_reboot(struct guest *g)
{
	/* Park the guest now; the worker reloads it once every vCPU has stopped. */
	if (!set_state_if_running(g, GUEST_RESET, "rebooting")) {
		return;
	}
	g->reboot_pending = true;
	kick_all(g);
	thread_wake(reboot_worker);
}

/* The reboot a vCPU asked for (guest_request_reboot): reset, then start again. */
static void reboot_now(struct guest *g)
{
	g->reboot_pending = false;
	log_limited(&g->reboot_log, LOG_INFO, "guest %s: rebooting", g->name);
	int err = guest_reset_locked(g);
	if (err == 0) {
		guest_kick_locked(g);
	} else {
		log_err("guest %s: reboot failed: %s", g->name, vireo_strerror(err));
	}
}

static void reboot_worker_main(void *arg)
{
	(void)arg;
	for (;;) {
		thread_sleep();
		/* Under the lock no guest can be destroyed while we look at it. A wake-up that
		 * came while a reset slept may have been used up by that sleep: scan again until
		 * a whole pass finds nothing to do. */
		ops_lock();
		bool again;
		do {
			again = false;
			for (unsigned int i = 0;; i++) {
				struct guest *g = guest_at(i);
				if (!g) {
					break;
				}
				if (g->reboot_pending) {
					again = true;
					reboot_now(g);
				}
			}
		} while (again);
		ops_unlock();
	}
}

int guest_kick(struct guest *g)
{
	ops_lock();
	int err = guest_kick_locked(g);
	ops_unlock();
	return err;
}

int guest_pause(struct guest *g)
{
	ops_lock();
	int err = guest_pause_locked(g);
	ops_unlock();
	return err;
}

int guest_resume(struct guest *g)
{
	ops_lock();
	int err = guest_resume_locked(g);
	ops_unlock();
	return err;
}

int guest_halt(struct guest *g)
{
	ops_lock();
	int err = guest_halt_locked(g);
	ops_unlock();
	return err;
}

int guest_reset(struct guest *g)
{
	ops_lock();
	int err = guest_reset_locked(g);
	ops_unlock();
	return err;
}

int guest_destroy(struct guest *g)
{
	ops_lock();
	int err = guest_destroy_locked(g);
	ops_unlock();
	return err;
}
