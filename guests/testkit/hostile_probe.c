/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Single accesses of every width and form with the trap handler's fault probe armed (trap.c
 * records the exception and skips the instruction, compressed or not). The address is always
 * in a0 and the data in a1, so the compressed forms (registers x8-x15) can take them. FP forms
 * are written as raw words: the kit is built without F/D (unpriv. spec 13.5 and 14.4 for
 * FLW/FSW/FLD/FSD; rd/rs2 = f0, rs1 = a0, offset 0).
 */
#include "hostile.h"
#include "csr.h"

#define SSTATUS_FS_INITIAL (1UL << 13)

const struct hk_op_info hk_ops[HK_OP_COUNT] = {
    [HK_LB] = {"lb", 1, false, HK_PLAIN},
    [HK_LH] = {"lh", 2, false, HK_PLAIN},
    [HK_LW] = {"lw", 4, false, HK_PLAIN},
    [HK_LD] = {"ld", 8, false, HK_PLAIN},
    [HK_LBU] = {"lbu", 1, false, HK_PLAIN},
    [HK_LHU] = {"lhu", 2, false, HK_PLAIN},
    [HK_LWU] = {"lwu", 4, false, HK_PLAIN},
    [HK_SB] = {"sb", 1, true, HK_PLAIN},
    [HK_SH] = {"sh", 2, true, HK_PLAIN},
    [HK_SW] = {"sw", 4, true, HK_PLAIN},
    [HK_SD] = {"sd", 8, true, HK_PLAIN},
    [HK_C_LW] = {"c.lw", 4, false, HK_PLAIN},
    [HK_C_LD] = {"c.ld", 8, false, HK_PLAIN},
    [HK_C_SW] = {"c.sw", 4, true, HK_PLAIN},
    [HK_C_SD] = {"c.sd", 8, true, HK_PLAIN},
    [HK_LR_W] = {"lr.w", 4, false, HK_AMO},
    [HK_AMOADD_W] = {"amoadd.w", 4, true, HK_AMO},
    [HK_AMOSWAP_D] = {"amoswap.d", 8, true, HK_AMO},
    [HK_FLW] = {"flw", 4, false, HK_FP},
    [HK_FLD] = {"fld", 8, false, HK_FP},
    [HK_FSW] = {"fsw", 4, true, HK_FP},
    [HK_FSD] = {"fsd", 8, true, HK_FP},
};

#define ACCESS(text) __asm__ volatile(text : "+r"(a1) : "r"(a0) : "memory")

struct hk_result hk_access(enum hk_op op, uint64_t addr, uint64_t value)
{
	struct tk_hart *h = tk_this_hart();
	register uint64_t a0 __asm__("a0") = addr;
	register uint64_t a1 __asm__("a1") = value;
	struct hk_result r = {false, 0, 0, 0};

	if (hk_ops[op].kind == HK_FP) {
		csr_set(CSR_SSTATUS, SSTATUS_FS_INITIAL);
	}
	h->fault_armed = true;
	switch (op) {
	case HK_LB:
		ACCESS("lb a1, 0(a0)");
		break;
	case HK_LH:
		ACCESS("lh a1, 0(a0)");
		break;
	case HK_LW:
		ACCESS("lw a1, 0(a0)");
		break;
	case HK_LD:
		ACCESS("ld a1, 0(a0)");
		break;
	case HK_LBU:
		ACCESS("lbu a1, 0(a0)");
		break;
	case HK_LHU:
		ACCESS("lhu a1, 0(a0)");
		break;
	case HK_LWU:
		ACCESS("lwu a1, 0(a0)");
		break;
	case HK_SB:
		ACCESS(".option push\n.option norvc\nsb a1, 0(a0)\n.option pop");
		break;
	case HK_SH:
		ACCESS(".option push\n.option norvc\nsh a1, 0(a0)\n.option pop");
		break;
	case HK_SW:
		ACCESS(".option push\n.option norvc\nsw a1, 0(a0)\n.option pop");
		break;
	case HK_SD:
		ACCESS(".option push\n.option norvc\nsd a1, 0(a0)\n.option pop");
		break;
	case HK_C_LW:
		ACCESS("c.lw a1, 0(a0)");
		break;
	case HK_C_LD:
		ACCESS("c.ld a1, 0(a0)");
		break;
	case HK_C_SW:
		ACCESS("c.sw a1, 0(a0)");
		break;
	case HK_C_SD:
		ACCESS("c.sd a1, 0(a0)");
		break;
	case HK_LR_W:
		ACCESS("lr.w a1, (a0)");
		break;
	case HK_AMOADD_W:
		ACCESS("amoadd.w a1, a1, (a0)");
		break;
	case HK_AMOSWAP_D:
		ACCESS("amoswap.d a1, a1, (a0)");
		break;
	case HK_FLW:
		ACCESS(".word 0x00052007"); /* flw f0, 0(a0) */
		break;
	case HK_FLD:
		ACCESS(".word 0x00053007"); /* fld f0, 0(a0) */
		break;
	case HK_FSW:
		ACCESS(".word 0x00052027"); /* fsw f0, 0(a0) */
		break;
	case HK_FSD:
		ACCESS(".word 0x00053027"); /* fsd f0, 0(a0) */
		break;
	case HK_OP_COUNT:
		break;
	}
	r.faulted = !h->fault_armed;
	h->fault_armed = false;
	if (r.faulted) {
		r.cause = h->fault_cause;
		r.tval = h->fault_tval;
	} else {
		r.value = a1;
	}
	return r;
}

uint64_t hk_ram_base(void)
{
	const struct tk_range *m = tk_image_region();

	return m ? m->base : 0x80000000UL;
}

uint64_t hk_ram_end(void)
{
	const struct tk_range *m = tk_image_region();

	return m ? m->base + m->size : 0x80000000UL;
}
