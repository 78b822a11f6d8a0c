/* SPDX-License-Identifier: GPL-2.0-only */
/** Shared between core/sched.c and core/thread.c only. */
#ifndef VIREO_CORE_SCHED_INTERNAL_H
#define VIREO_CORE_SCHED_INTERNAL_H

#include <vireo/sched.h>

/** Assigns an id and adds t to the global thread list. */
void thread_register(struct thread *t);

/** Frees an exited thread once its hart has switched away from its stack. */
void thread_reap(struct thread *t);

/** Work left over from a switch, done on the new thread's stack (reaping exited threads). */
void sched_finish_switch(void);

#endif
