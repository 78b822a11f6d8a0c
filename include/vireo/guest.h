/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guests and their vCPUs (core/guest.c, core/vcpu.c). A guest owns its RAM (page-allocator
 * blocks mapped at gpa 0x80000000 by the arch's stage-2 tables), its vCPUs (one hypervisor
 * thread each) and its virtual serial console.
 *
 * Guest states:  RESET --kick--> RUNNING <--pause/resume--> PAUSED
 *                any --halt / guest shutdown / fatal error--> HALTED (with a reason)
 *                any --reset--> RESET (images reloaded)      any --destroy--> gone
 * Lock order: guest.lock before any percpu lock; never held while waiting for a vCPU.
 */
#ifndef VIREO_GUEST_H
#define VIREO_GUEST_H

#include <vireo/arch/vcpu.h>
#include <vireo/log_limit.h>
#include <vireo/sched.h>
#include <vireo/spinlock.h>
#include <vireo/types.h>
#include <vireo/vmmio.h>
#include <vireo/vserial.h>

/** Images a guest boots from; data pointers stay valid for the guest's lifetime. */
struct guest_images {
	const void *kernel;
	size_t kernel_size;
	const void *initrd; /**< NULL: none */
	size_t initrd_size;
	const void *dtb; /**< NULL: generate one */
	size_t dtb_size;
	const char *bootargs; /**< for a generated tree; NULL: none */
};

#define GUEST_NAME_MAX   32
#define GUEST_MAX_VCPUS  16
#define GUEST_MAX        64
#define GUEST_RAM_BASE   0x80000000ULL
#define GUEST_KERNEL_OFF 0x200000ULL /* kernel at RAM base + 2 MiB (Linux/OpenSBI payload) */
#define GUEST_REASON_MAX 96
#define GUEST_RAM_BLOCKS 512 /* 4 MiB blocks: up to 2 GiB of guest RAM */

enum guest_state {
	GUEST_RESET,
	GUEST_RUNNING,
	GUEST_PAUSED,
	GUEST_HALTED,
};

enum vcpu_state {
	VCPU_OFF,     /**< not started (SBI HSM stopped, or guest in reset) */
	VCPU_RUNNING, /**< runnable or in the guest */
	VCPU_WFI,     /**< waiting for a virtual interrupt */
};

/** Why a vCPU left the guest, counted per vCPU for `vcpu dumpstat`. */
enum vcpu_exit_kind {
	VCPU_EXITK_INTERRUPT,
	VCPU_EXITK_SBI,
	VCPU_EXITK_WFI,
	VCPU_EXITK_MMIO,
	VCPU_EXITK_GUEST_FAULT,
	VCPU_EXITK_VIRTUAL_INST,
	VCPU_EXITK_OTHER,
	VCPU_EXITK_COUNT,
};

struct guest;
struct guest_devs;

struct vcpu {
	struct guest *guest;
	unsigned int index; /**< hart id inside the guest */
	struct thread *thread;
	unsigned int thread_id; /**< its thread's id, to wait for the thread to be reaped */
	volatile enum vcpu_state state;
	volatile bool stop_request;   /**< leave the thread for good (destroy) */
	volatile bool parked;         /**< the thread is parked (guest not running, or vCPU off) */
	volatile bool exited;         /**< the thread has ended (set under exit_lock) */
	spinlock_t exit_lock;         /**< vcpu_kick() against the thread ending */
	volatile bool resume_pending; /**< non-retentive suspend: restart at start_pc on wake */
	bool suspended; /**< in an SBI HSM hart_suspend until its wake-up (atomic accesses) */
	/** VirtIO slots whose notified requests this vCPU's thread serves before it enters the
	 *  guest again (vcpu_defer_io), one bit each. */
	uint32_t io_slots;
	unsigned long start_pc;
	unsigned long start_arg;
	unsigned int prio;     /**< scheduling priority of its thread */
	nsec_t slice;          /**< time slice */
	unsigned int host_cpu; /**< hart it runs on (affinity) */
	uint64_t exits[VCPU_EXITK_COUNT];
	struct timer_event wake_timer;
	struct arch_vcpu arch;
};

struct ram_block {
	paddr_t hpa;
	unsigned int order;
};

struct guest {
	char name[GUEST_NAME_MAX];
	unsigned int id;
	spinlock_t lock;
	volatile enum guest_state state;
	char reason[GUEST_REASON_MAX];
	unsigned int vcpu_count;
	struct vcpu *vcpus[GUEST_MAX_VCPUS];
	/* Emulated regions first: every emulated access looks here (small offsets). */
	struct vmmio_region mmio[GUEST_MMIO_MAX];
	unsigned int mmio_count;
	const struct vmmio_region *mmio_hint; /**< the region found last (a lookup hint) */
	struct guest_devs *devs;              /**< emulated devices (core/guest_devs.c) */
	uint64_t ram_size;
	unsigned int ram_block_count;
	struct ram_block ram_blocks[GUEST_RAM_BLOCKS];
	spinlock_t ram_lock;                           /**< clearing and mapping chunks */
	uint64_t ram_ready[GUEST_RAM_BLOCKS * 2 / 64]; /**< 2 MiB chunks cleared and mapped */
	struct arch_guest arch;
	bool shutdown_failure; /**< the guest's last SRST named a system failure */
	volatile bool reboot_pending;
	/** Next destroyed guest whose memory waits for a G-stage flush (core/guest.c). */
	struct guest *retired_next;
	struct guest_images images;
	/** Rate limits for messages the guest can trigger in a loop (include/vireo/log_limit.h). */
	struct log_limit reboot_log;
	struct log_limit fault_log;
	/** Hypervisor memory the guest took at creation beyond its RAM (`guest info`). */
	size_t overhead_heap_bytes;
	uint64_t overhead_pages; /**< stage-2 tables, thread stacks, disk copies */
	struct vserial vserial;  /**< last: large buffers */
};

#endif
