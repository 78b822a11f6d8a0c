/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Host self tests, run on demand from the shell. They use the real scheduler, timers and cross
 * calls on every online hart, bound every wait, and clean up after themselves.
 */
#include <vireo/arch/irq.h>
#include <vireo/arch/vcpu.h>
#include <vireo/clock.h>
#include <vireo/console.h>
#include <vireo/errno.h>
#include <vireo/guest.h>
#include <vireo/heap.h>
#include <vireo/page_alloc.h>
#include <vireo/printf.h>
#include <vireo/sched.h>
#include <vireo/selftest.h>
#include <vireo/smp.h>
#include <vireo/string.h>

#define WAIT_LIMIT_NS    (10 * NSEC_PER_SEC)
#define IPI_ROUNDS       50
#define TIMER_ROUNDS     5
#define TIMER_SLEEP_NS   (2 * NSEC_PER_MSEC)
#define SCHED_RUN_NS     (40 * NSEC_PER_MSEC)
#define SCHED_GIVE_UP_NS (2 * NSEC_PER_SEC)
#define CONSOLE_LINES    16
#define FENCE_MASK_NS    (3 * NSEC_PER_SEC / 2) /* longer than arch_guest_flush() waits */

const char selftest_names[] = "ipi timer sched wake console fence";

struct worker {
	struct thread *thread;
	unsigned int cpu;
	volatile uint64_t counter;
	volatile uint64_t other_seen; /* peer's counter when this worker finished */
	struct worker *peer;
	nsec_t max_late;
	bool early; /* a timer woke it before its deadline */
	volatile bool done;
};

static struct worker workers[2 * VIREO_MAX_CPUS];
/* Set when workers did not finish in time: they may still use workers[], so never reuse it. */
static bool workers_stuck;

/* Starts fn on per_cpu workers per hart (worker i on cpu i / per_cpu, its peer is i ^ 1);
 * false if any could not start. */
static bool start_workers(unsigned int per_cpu, thread_fn fn, const char *name)
{
	unsigned int count = per_cpu * percpu_count();
	bool ok = true;

	for (unsigned int i = 0; i < count; i++) {
		struct worker *w = &workers[i];
		int err;
		memset(w, 0, sizeof(*w));
		w->cpu = i / per_cpu;
		w->peer = &workers[i ^ 1U];
		if (percpu_get(w->cpu)->state != CPU_ONLINE) {
			w->done = true;
			continue;
		}
		w->thread = thread_create(name, fn, w, THREAD_PRIO_DEFAULT, w->cpu, &err);
		if (!w->thread) {
			console_printf("selftest: cannot create a thread on cpu %u: %s\n", w->cpu,
			               vireo_strerror(err));
			w->done = true;
			ok = false;
		}
	}
	for (unsigned int i = 0; i < count; i++) {
		if (workers[i].thread) {
			thread_start(workers[i].thread);
		}
	}
	return ok;
}

/* Waits (sleeping, bounded) until every worker is done. */
static bool wait_workers(unsigned int count)
{
	nsec_t deadline = clock_now() + WAIT_LIMIT_NS;

	for (;;) {
		bool all = true;
		for (unsigned int i = 0; i < count; i++) {
			all = all && workers[i].done;
		}
		if (all) {
			/* Let each hart switch once more so exited threads are reaped. */
			thread_sleep_ns(5 * NSEC_PER_MSEC);
			return true;
		}
		if (clock_now() > deadline) {
			workers_stuck = true;
			return false;
		}
		thread_sleep_ns(NSEC_PER_MSEC);
	}
}

static int report(const char *name, bool pass, const char *detail)
{
	console_printf("selftest: %s %s %s\n", name, pass ? "PASS" : "FAIL", detail);
	return pass ? 0 : VIREO_EIO;
}

static void ipi_probe(void *arg)
{
	unsigned int *hits = arg;
	(*hits)++;
}

static int test_ipi(void)
{
	char detail[96];
	unsigned int failures = 0, calls = 0, hits = 0;
	nsec_t start = clock_now();

	for (unsigned int r = 0; r < IPI_ROUNDS; r++) {
		for (unsigned int c = 0; c < percpu_count(); c++) {
			if (percpu_get(c)->state != CPU_ONLINE) {
				continue;
			}
			calls++;
			if (smp_call(c, ipi_probe, &hits, NSEC_PER_SEC) != 0) {
				failures++;
			}
		}
	}
	nsec_t per_call = calls ? (clock_now() - start) / calls : 0;
	snprintf(detail, sizeof(detail), "%u cross calls on %u harts, %u answered, %llu ns each",
	         calls, smp_online_count(), hits, (unsigned long long)per_call);
	return report("ipi", failures == 0 && hits == calls, detail);
}

static void timer_worker(void *arg)
{
	struct worker *w = arg;
	for (unsigned int i = 0; i < TIMER_ROUNDS; i++) {
		nsec_t deadline = clock_now() + TIMER_SLEEP_NS;
		thread_sleep_ns(TIMER_SLEEP_NS);
		nsec_t now = clock_now();
		if (now < deadline) {
			w->early = true;
		} else if (now - deadline > w->max_late) {
			w->max_late = now - deadline;
		}
		w->counter++;
	}
	w->done = true;
}

static int test_timer(void)
{
	char detail[96];
	unsigned int n = percpu_count();
	bool ok = start_workers(1, timer_worker, "selftest-timer") && wait_workers(n);
	nsec_t late = 0;
	bool early = false;
	uint64_t wakes = 0;

	for (unsigned int i = 0; i < n; i++) {
		early = early || workers[i].early;
		late = workers[i].max_late > late ? workers[i].max_late : late;
		wakes += workers[i].counter;
	}
	ok = ok && !early && wakes == (uint64_t)n * TIMER_ROUNDS;
	snprintf(detail, sizeof(detail),
	         "%llu sleeps on %u harts, none early: %s, max late %llu us",
	         (unsigned long long)wakes, n, early ? "no" : "yes",
	         (unsigned long long)(late / NSEC_PER_USEC));
	return report("timer", ok, detail);
}

/* Spins without yielding: only time slicing lets its peer on the same hart run meanwhile. */
static void spin_worker(void *arg)
{
	struct worker *w = arg;
	nsec_t start = clock_now();
	/* At least SCHED_RUN_NS, and on until the peer has run too (a late slice timer on a busy
	 * machine is not a failure), but never more than SCHED_GIVE_UP_NS: without time slicing
	 * the peer never runs. */
	for (;;) {
		nsec_t now = clock_now();
		if (now - start >= SCHED_GIVE_UP_NS ||
		    (now - start >= SCHED_RUN_NS && w->peer->counter > 0)) {
			break;
		}
		w->counter++;
	}
	w->other_seen = w->peer->counter;
	w->done = true;
}

static int test_sched(void)
{
	char detail[96];
	unsigned int n = 2 * percpu_count();
	bool ok = start_workers(2, spin_worker, "selftest-spin") && wait_workers(n);
	unsigned int interleaved = 0, pairs = 0;

	/* Workers 2c and 2c+1 spin on cpu c. */
	for (unsigned int i = 0; i + 1 < n; i += 2) {
		if (!workers[i].thread || !workers[i + 1].thread) {
			continue;
		}
		pairs++;
		/* Whichever finished first must have seen its peer make progress. */
		if (workers[i].other_seen > 0 && workers[i + 1].other_seen > 0) {
			interleaved++;
		}
	}
	ok = ok && pairs > 0 && interleaved == pairs;
	snprintf(detail, sizeof(detail), "%u of %u same-hart spinner pairs time-sliced",
	         interleaved, pairs);
	return report("sched", ok, detail);
}

static void wake_target(void *arg)
{
	struct worker *w = arg;
	w->counter = 1;
}

/*
 * With interrupts masked, starts a higher-priority thread on its own hart, then unmasks: the
 * new thread must run at that very moment, before this one continues.
 */
static void wake_worker(void *arg)
{
	struct worker *w = arg;
	struct worker *target = w->peer;
	int err;

	struct thread *t = thread_create("selftest-wakee", wake_target, target,
	                                 THREAD_PRIO_DEFAULT + 1, w->cpu, &err);
	if (t) {
		unsigned long flags = arch_irq_save();
		thread_start(t);
		bool ran_while_masked = target->counter != 0;
		arch_irq_restore(flags);
		/* other_seen: 1 if the woken thread ran right at the unmask, not before. */
		w->other_seen = !ran_while_masked && target->counter != 0;
	}
	target->done = true;
	w->done = true;
}

static int test_wake(void)
{
	char detail[96];
	unsigned int n = 2 * percpu_count();
	unsigned int prompt = 0, started = 0;

	/* Worker 2c runs wake_worker; its peer 2c+1 is only the woken thread's record. */
	bool ok = true;
	for (unsigned int i = 0; i < n; i++) {
		memset(&workers[i], 0, sizeof(workers[i]));
	}
	for (unsigned int c = 0; c < percpu_count(); c++) {
		struct worker *w = &workers[2 * c];
		int err;
		w->cpu = c;
		w->peer = &workers[2 * c + 1];
		if (percpu_get(c)->state != CPU_ONLINE) {
			w->done = w->peer->done = true;
			continue;
		}
		w->thread =
		    thread_create("selftest-waker", wake_worker, w, THREAD_PRIO_DEFAULT, c, &err);
		if (!w->thread) {
			w->done = w->peer->done = true;
			ok = false;
			continue;
		}
		started++;
		thread_start(w->thread);
	}
	ok = wait_workers(n) && ok;
	for (unsigned int c = 0; c < percpu_count(); c++) {
		prompt += workers[2 * c].other_seen ? 1U : 0U;
	}
	ok = ok && started > 0 && prompt == started;
	snprintf(detail, sizeof(detail), "%u of %u wakes from masked code ran at the unmask",
	         prompt, started);
	return report("wake", ok, detail);
}

static void console_worker(void *arg)
{
	struct worker *w = arg;
	for (unsigned int i = 0; i < CONSOLE_LINES; i++) {
		console_printf("selftest: console cpu %u line %02u "
		               "0123456789abcdefghijklmnopqrstuvwxyz0123456789\n",
		               w->cpu, i);
		w->counter++;
	}
	w->done = true;
}

static int test_console(void)
{
	char detail[96];
	unsigned int n = percpu_count();
	bool ok = start_workers(1, console_worker, "selftest-console") && wait_workers(n);
	snprintf(detail, sizeof(detail), "%u harts printed %u lines each", n, CONSOLE_LINES);
	return report("console", ok, detail);
}

/* Keeps its hart masked for FENCE_MASK_NS, as a hart stuck in a long exit would. */
static void mask_worker(void *arg)
{
	struct worker *w = arg;
	unsigned long flags = arch_irq_save();
	__atomic_store_n(&w->counter, 1, __ATOMIC_RELEASE);
	nsec_t end = clock_now() + FENCE_MASK_NS;
	while (clock_now() < end) {
		arch_cpu_relax();
	}
	arch_irq_restore(flags);
	w->done = true;
}

/*
 * A G-stage flush while one hart cannot answer (interrupts masked longer than the flush waits):
 * arch_guest_flush() must say so, not claim success, and succeed once the hart is back, with
 * every page of the tables given back in the end (the cleanup check).
 */
static int test_fence(void)
{
	char detail[128];
	unsigned int cpu = percpu_count() - 1;
	if (cpu == 0 || percpu_get(cpu)->state != CPU_ONLINE) {
		return report("fence", false, "needs a second online hart");
	}
	struct guest *g = heap_zalloc(sizeof(*g));
	paddr_t page;
	if (!g || page_alloc_get(0, &page) != 0) {
		heap_free(g);
		return report("fence", false, "no memory");
	}
	strlcpy(g->name, "selftest-fence", sizeof(g->name));
	bool ok = arch_guest_init(g) == 0;
	/* A mapping undone: its table pages are retired until every hart has fenced. */
	ok = ok && arch_guest_map_ram(g, GUEST_RAM_BASE, page, PAGE_SIZE) == 0 &&
	     arch_guest_unmap_ram(g, GUEST_RAM_BASE, PAGE_SIZE) == 0;
	struct worker *w = &workers[0];
	memset(w, 0, sizeof(*w));
	int err;
	w->thread =
	    ok ? thread_create("selftest-mask", mask_worker, w, THREAD_PRIO_DEFAULT, cpu, &err)
	       : NULL;
	bool unconfirmed = false, pending = false, confirmed = false;
	if (w->thread) {
		thread_start(w->thread);
		nsec_t deadline = clock_now() + WAIT_LIMIT_NS;
		while (!__atomic_load_n(&w->counter, __ATOMIC_ACQUIRE) && clock_now() < deadline) {
			thread_sleep_ns(NSEC_PER_MSEC);
		}
		unconfirmed = !arch_guest_flush(g);
		pending = !arch_guest_flush_done(g);
		ok = wait_workers(1);
		confirmed = ok && arch_guest_flush(g) && arch_guest_flush_done(g);
	}
	if (ok || !w->thread) {
		arch_guest_destroy(g);
		heap_free(g);
		page_alloc_free(page, 0);
	}
	ok = ok && unconfirmed && pending && confirmed;
	snprintf(detail, sizeof(detail),
	         "cpu %u (hart %lu) masked for 1.5 s: flush unconfirmed %s, pending %s, then "
	         "confirmed %s",
	         cpu, percpu_get(cpu)->hw_id, unconfirmed ? "yes" : "no", pending ? "yes" : "no",
	         confirmed ? "yes" : "no");
	return report("fence", ok, detail);
}

struct selftest {
	const char *name;
	int (*run)(void);
	bool in_all; /* part of "all" (fence is not: it masks a hart on purpose) */
};

static const struct selftest tests[] = {
    {"ipi", test_ipi, true},   {"timer", test_timer, true},     {"sched", test_sched, true},
    {"wake", test_wake, true}, {"console", test_console, true}, {"fence", test_fence, false},
};

int selftest_run(const char *name)
{
	struct heap_stats h0, h1;
	struct page_alloc_stats p0, p1;
	bool all = strcmp(name, "all") == 0;
	bool found = false;
	int ret = 0;

	if (workers_stuck) {
		console_puts("selftest: an earlier run did not finish; reboot to run again\n");
		return VIREO_EBUSY;
	}
	heap_get_stats(&h0);
	page_alloc_get_stats(&p0);
	for (unsigned int i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		if ((all && tests[i].in_all) || strcmp(name, tests[i].name) == 0) {
			found = true;
			if (tests[i].run() != 0) {
				ret = VIREO_EIO;
			}
		}
	}
	if (!found) {
		return VIREO_ENOENT;
	}
	/* Every thread the tests made is gone: memory must be back where it was. */
	heap_get_stats(&h1);
	page_alloc_get_stats(&p1);
	char detail[96];
	bool clean = h1.live_blocks == h0.live_blocks && p1.free_pages == p0.free_pages;
	snprintf(detail, sizeof(detail), "heap blocks %zu -> %zu, free pages %llu -> %llu",
	         h0.live_blocks, h1.live_blocks, (unsigned long long)p0.free_pages,
	         (unsigned long long)p1.free_pages);
	if (report("cleanup", clean, detail) != 0) {
		ret = VIREO_EIO;
	}
	return ret;
}
