/* SPDX-License-Identifier: GPL-2.0-only */
/** State behind the host build of the arch contract (unit tests). */
#include <vireo/arch/irq.h>
#include <vireo/arch/cpu.h>

bool host_irq_on = true;
struct percpu *host_this_cpu;
