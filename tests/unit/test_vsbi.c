/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests for the guest SBI (arch/riscv/vsbi*.c): dispatch by extension and function, probe
 * answers, and the error codes the SBI v2.0 spec names for bad arguments. The vCPU, guest and
 * console machinery is replaced by recording stubs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arch/vmem.h>
#include <arch/vsbi.h>
#include <vireo/errno.h>
#include <vireo/guest.h>
#include <vireo/vcpu.h>

#define NVCPU 3

static struct guest guest;
static struct vcpu vcpus[NVCPU];
static uint8_t ram[64 * 1024]; /* guest RAM at 0x80000000, only the first 64 KiB backed */
static unsigned int kicks[NVCPU], ipis[NVCPU], hsm_starts[NVCPU];
static uint64_t timer_value;
static char console_out[8192];
static size_t console_len;
const char vireo_version[] = "1.2.3";

/* ---- stubs for what the SBI code calls ---------------------------------------------------- */
struct vcpu *guest_vcpu(struct guest *g, unsigned long hartid)
{
	return hartid < g->vcpu_count ? g->vcpus[hartid] : NULL;
}

void vcpu_kick(struct vcpu *v)
{
	kicks[v->index]++;
}

int vcpu_hsm_start(struct vcpu *t, unsigned long pc, unsigned long opaque)
{
	(void)pc;
	(void)opaque;
	if (t->state != VCPU_OFF) {
		return VIREO_EBUSY;
	}
	hsm_starts[t->index]++;
	return 0;
}

void vcpu_hsm_suspend(struct vcpu *v)
{
	v->suspended = true;
}

void vcpu_suspend_non_retentive(struct vcpu *v, unsigned long pc, unsigned long opaque)
{
	v->start_pc = pc;
	v->start_arg = opaque;
}

void vcpu_timer_set(struct vcpu *v, uint64_t deadline)
{
	(void)v;
	timer_value = deadline;
}

void vcpu_clear_ipi(struct vcpu *v)
{
	(void)v;
}

void arch_vcpu_raise_ipi(struct vcpu *v)
{
	ipis[v->index]++;
}

int guest_read(struct guest *g, gpaddr_t gpa, void *buf, size_t len)
{
	(void)g;
	assert_true(gpa >= GUEST_RAM_BASE && gpa + len <= GUEST_RAM_BASE + sizeof(ram));
	memcpy(buf, ram + (gpa - GUEST_RAM_BASE), len);
	return 0;
}

int guest_write(struct guest *g, gpaddr_t gpa, const void *buf, size_t len)
{
	(void)g;
	assert_true(gpa >= GUEST_RAM_BASE && gpa + len <= GUEST_RAM_BASE + sizeof(ram));
	memcpy(ram + (gpa - GUEST_RAM_BASE), buf, len);
	return 0;
}

void vserial_write(struct vserial *vs, const char *buf, size_t len)
{
	(void)vs;
	assert_true(console_len + len <= sizeof(console_out));
	memcpy(console_out + console_len, buf, len);
	console_len += len;
}

int vserial_read(struct vserial *vs)
{
	(void)vs;
	return -1;
}

int vmem_read_guest_va(unsigned long va, unsigned long *value)
{
	if (va != 0x1000) {
		return VIREO_EFAULT;
	}
	*value = 0x5; /* harts 0 and 2 */
	return 0;
}

/* ---- helpers ----------------------------------------------------------------------------- */
static int setup(void **state)
{
	(void)state;
	memset(&guest, 0, sizeof(guest));
	memset(vcpus, 0, sizeof(vcpus));
	memset(kicks, 0, sizeof(kicks));
	memset(ipis, 0, sizeof(ipis));
	memset(hsm_starts, 0, sizeof(hsm_starts));
	console_len = 0;
	strcpy(guest.name, "g");
	guest.vcpu_count = NVCPU;
	guest.ram_size = 16ULL << 20; /* what the guest believes; only 64 KiB are backed */
	for (unsigned int i = 0; i < NVCPU; i++) {
		vcpus[i].guest = &guest;
		vcpus[i].index = i;
		vcpus[i].state = i == 0 ? VCPU_RUNNING : VCPU_OFF;
		guest.vcpus[i] = &vcpus[i];
	}
	return 0;
}

/* Makes an SBI call from vCPU 0; returns the exit, leaves a0/a1 in *error and *value. */
static enum vcpu_exit call(unsigned long ext, unsigned long fid, unsigned long a0, unsigned long a1,
                           unsigned long a2, long *error, long *value)
{
	unsigned long *x = vcpus[0].arch.regs.x;
	x[17] = ext;
	x[16] = fid;
	x[10] = a0;
	x[11] = a1;
	x[12] = a2;
	enum vcpu_exit e = vsbi_handle(&vcpus[0]);
	*error = (long)x[10];
	*value = (long)x[11];
	return e;
}

#define EXT_BASE   0x10
#define EXT_TIME   0x54494d45
#define EXT_IPI    0x735049
#define EXT_RFENCE 0x52464e43
#define EXT_HSM    0x48534d
#define EXT_SRST   0x53525354
#define EXT_DBCN   0x4442434e

/* ---- tests ------------------------------------------------------------------------------- */
static void test_base_and_probe(void **state)
{
	long err, val;
	(void)state;
	call(EXT_BASE, 0, 0, 0, 0, &err, &val);
	assert_int_equal(err, SBI_OK);
	assert_int_equal(val, 2L << 24); /* spec v2.0 */
	call(EXT_BASE, 2, 0, 0, 0, &err, &val);
	assert_int_equal(val, (1 << 16) | (2 << 8) | 3);
	const unsigned long present[] = {EXT_BASE, EXT_TIME, EXT_IPI, EXT_RFENCE, EXT_HSM,
	                                 EXT_SRST, EXT_DBCN, 0x00,    0x08};
	for (unsigned int i = 0; i < sizeof(present) / sizeof(present[0]); i++) {
		call(EXT_BASE, 3, present[i], 0, 0, &err, &val);
		assert_int_equal(err, SBI_OK);
		assert_int_equal(val, 1);
	}
	const unsigned long absent[] = {0x09, 0x504d55 /* PMU */, 0x53555350 /* SUSP */,
	                                0x0badc0de};
	for (unsigned int i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		call(EXT_BASE, 3, absent[i], 0, 0, &err, &val);
		assert_int_equal(val, 0);
	}
	call(EXT_BASE, 0x7fff, 0, 0, 0, &err, &val);
	assert_int_equal(err, SBI_ENOT_SUPPORTED);
	call(0x0badc0de, 0, 0, 0, 0, &err, &val);
	assert_int_equal(err, SBI_ENOT_SUPPORTED);
}

static void test_time_and_legacy(void **state)
{
	long err, val;
	(void)state;
	vcpus[0].arch.regs.x[11] = 0x1111;
	call(EXT_TIME, 0, 12345, 0, 0, &err, &val);
	assert_int_equal(err, SBI_OK);
	assert_int_equal(timer_value, 12345);
	call(EXT_TIME, 1, 0, 0, 0, &err, &val);
	assert_int_equal(err, SBI_ENOT_SUPPORTED);
	/* Legacy calls write a0 only (SBI spec 5). */
	vcpus[0].arch.regs.x[11] = 0xabcd;
	call(0x01, 0, 'V', 0xabcd, 0, &err, &val);
	assert_int_equal(err, 0);
	assert_int_equal(val, 0xabcd);
	assert_memory_equal(console_out, "V", 1);
	call(0x02, 0, 0, 0xabcd, 0, &err, &val);
	assert_int_equal(err, -1); /* nothing to read */
	call(0x00, 0, 777, 0xabcd, 0, &err, &val);
	assert_int_equal(timer_value, 777);
	/* send_ipi with a mask pointer the guest can read (0x1000 -> harts 0 and 2). */
	call(0x04, 0, 0x1000, 0xabcd, 0, &err, &val);
	assert_int_equal(err, 0);
	assert_int_equal(ipis[0], 1);
	assert_int_equal(ipis[1], 0);
	assert_int_equal(ipis[2], 1);
	call(0x04, 0, 0x2000, 0xabcd, 0, &err, &val);
	assert_int_equal(err, SBI_EINVALID_ADDRESS);
	/* A NULL mask pointer means every hart. */
	call(0x04, 0, 0, 0xabcd, 0, &err, &val);
	assert_int_equal(err, 0);
	assert_int_equal(ipis[0], 2);
	assert_int_equal(ipis[1], 1);
	assert_int_equal(ipis[2], 2);
	call(0x05, 0, 0, 0xabcd, 0, &err, &val);
	assert_int_equal(err, 0);
	assert_int_equal(vcpus[1].arch.flush_request, VCPU_FLUSH_FENCEI);
	assert_int_equal(call(0x08, 0, 0, 0, 0, &err, &val), VCPU_EXIT_SHUTDOWN);
}

static void test_ipi_hart_masks(void **state)
{
	long err, val;
	(void)state;
	call(EXT_IPI, 0, 0x6, 0, 0, &err, &val); /* harts 1, 2 */
	assert_int_equal(err, SBI_OK);
	assert_int_equal(ipis[1], 1);
	assert_int_equal(ipis[2], 1);
	assert_int_equal(kicks[1], 1);
	call(EXT_IPI, 0, 0x1, 2, 0, &err, &val); /* hart 2 through the base */
	assert_int_equal(ipis[2], 2);
	call(EXT_IPI, 0, 0, ~0UL, 0, &err, &val); /* base -1: every hart */
	assert_int_equal(ipis[0], 1);
	/* Any named hart that does not exist: SBI_ERR_INVALID_PARAM and nobody interrupted. */
	memset(ipis, 0, sizeof(ipis));
	call(EXT_IPI, 0, 0x9, 0, 0, &err, &val); /* harts 0 and 3 */
	assert_int_equal(err, SBI_EINVALID_PARAM);
	assert_int_equal(ipis[0], 0);
	call(EXT_IPI, 0, 0x1, 3, 0, &err, &val);
	assert_int_equal(err, SBI_EINVALID_PARAM);
	call(EXT_IPI, 0, 0x3, ~0UL - 1, 0, &err, &val); /* base + bit wraps */
	assert_int_equal(err, SBI_EINVALID_PARAM);
}

static void test_rfence(void **state)
{
	long err, val;
	(void)state;
	call(EXT_RFENCE, 0, 0x2, 0, 0, &err, &val);
	assert_int_equal(err, SBI_OK);
	assert_int_equal(vcpus[1].arch.flush_request, VCPU_FLUSH_FENCEI);
	assert_int_equal(kicks[1], 1);
	call(EXT_RFENCE, 1, 0x4, 0, 0, &err, &val);
	assert_int_equal(vcpus[2].arch.flush_request, VCPU_FLUSH_VVMA);
	call(EXT_RFENCE, 2, 0, ~0UL, 0, &err, &val);
	assert_int_equal(vcpus[0].arch.flush_request, VCPU_FLUSH_VVMA);
	call(EXT_RFENCE, 1, 0x10, 0, 0, &err, &val);
	assert_int_equal(err, SBI_EINVALID_PARAM);
	for (unsigned long fid = 3; fid <= 6; fid++) {
		call(EXT_RFENCE, fid, 0x1, 0, 0, &err, &val);
		assert_int_equal(err, SBI_ENOT_SUPPORTED);
	}
}

static void test_hsm(void **state)
{
	long err, val;
	(void)state;
	call(EXT_HSM, 2, 0, 0, 0, &err, &val);
	assert_int_equal(err, SBI_OK);
	assert_int_equal(val, 0); /* STARTED */
	call(EXT_HSM, 2, 1, 0, 0, &err, &val);
	assert_int_equal(val, 1); /* STOPPED */
	call(EXT_HSM, 2, 7, 0, 0, &err, &val);
	assert_int_equal(err, SBI_EINVALID_PARAM);
	call(EXT_HSM, 0, 1, 0x80200000, 42, &err, &val);
	assert_int_equal(err, SBI_OK);
	assert_int_equal(hsm_starts[1], 1);
	call(EXT_HSM, 0, 0, 0x80200000, 0, &err, &val); /* hart 0 runs */
	assert_int_equal(err, SBI_EALREADY_AVAILABLE);
	call(EXT_HSM, 0, 9, 0x80200000, 0, &err, &val);
	assert_int_equal(err, SBI_EINVALID_PARAM);
	call(EXT_HSM, 0, 2, 0x1000, 0, &err, &val); /* outside guest RAM */
	assert_int_equal(err, SBI_EINVALID_ADDRESS);
	call(EXT_HSM, 0, 2, GUEST_RAM_BASE + (16ULL << 20), 0, &err, &val); /* just past the end */
	assert_int_equal(err, SBI_EINVALID_ADDRESS);
	assert_int_equal(call(EXT_HSM, 1, 0, 0, 0, &err, &val), VCPU_EXIT_HSM_STOP);
	assert_int_equal(call(EXT_HSM, 3, 0, 0, 0, &err, &val), VCPU_EXIT_WFI);
	assert_int_equal(call(EXT_HSM, 3, 0x80000000UL, 0x80200000, 9, &err, &val), VCPU_EXIT_WFI);
	assert_int_equal(vcpus[0].start_pc, 0x80200000);
	assert_int_equal(call(EXT_HSM, 3, 1, 0, 0, &err, &val), VCPU_EXIT_CONTINUE);
	assert_int_equal(err, SBI_EINVALID_PARAM);
}

/* SBI v2.0 9.4: suspend_type is 32 bits (a0's upper half ignored on RV64); a suspended hart
 * reads SUSPENDED in hart_get_status (9.3) until its wait ends. */
static void test_hsm_suspend(void **state)
{
	long err, val;
	(void)state;
	assert_int_equal(call(EXT_HSM, 3, 1UL << 63, 0, 0, &err, &val), VCPU_EXIT_WFI);
	assert_int_equal(err, SBI_OK);
	assert_true(vcpus[0].suspended);
	call(EXT_HSM, 2, 0, 0, 0, &err, &val);
	assert_int_equal(val, 4);   /* SUSPENDED */
	vcpus[0].suspended = false; /* the wait ended (core/vcpu.c) */
	call(EXT_HSM, 2, 0, 0, 0, &err, &val);
	assert_int_equal(val, 0); /* STARTED */
	assert_int_equal(call(EXT_HSM, 3, (1UL << 63) | 0x80000000UL, 0x80200000, 5, &err, &val),
	                 VCPU_EXIT_WFI);
	assert_int_equal(err, SBI_OK);
	assert_int_equal(vcpus[0].start_arg, 5);
	vcpus[0].suspended = false;
	/* Reserved types stay reserved whatever the upper half holds. */
	static const unsigned long reserved[] = {(1UL << 32) | 1, (1UL << 63) | 0x80000001UL,
	                                         0x8fffffffUL | (0xffUL << 40)};
	for (unsigned int i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		assert_int_equal(call(EXT_HSM, 3, reserved[i], 0x80200000, 0, &err, &val),
		                 VCPU_EXIT_CONTINUE);
		assert_int_equal(err, SBI_EINVALID_PARAM);
		assert_false(vcpus[0].suspended);
	}
}

static void test_srst(void **state)
{
	long err, val;
	(void)state;
	assert_int_equal(call(EXT_SRST, 0, 0, 0, 0, &err, &val), VCPU_EXIT_SHUTDOWN);
	assert_false(guest.shutdown_failure);
	assert_int_equal(call(EXT_SRST, 0, 0, 1, 0, &err, &val), VCPU_EXIT_SHUTDOWN);
	assert_true(guest.shutdown_failure);
	assert_int_equal(call(EXT_SRST, 0, 1, 0, 0, &err, &val), VCPU_EXIT_REBOOT);
	assert_int_equal(call(EXT_SRST, 0, 2, 0, 0, &err, &val), VCPU_EXIT_REBOOT);
	assert_int_equal(call(EXT_SRST, 0, 3, 0, 0, &err, &val), VCPU_EXIT_CONTINUE);
	assert_int_equal(err, SBI_EINVALID_PARAM);
	call(EXT_SRST, 0, 0, 2, 0, &err, &val);
	assert_int_equal(err, SBI_EINVALID_PARAM);
	call(EXT_SRST, 0, 0xf0000000UL, 0, 0, &err, &val);
	assert_int_equal(err, SBI_ENOT_SUPPORTED);
	call(EXT_SRST, 1, 0, 0, 0, &err, &val);
	assert_int_equal(err, SBI_ENOT_SUPPORTED);
}

static void test_dbcn(void **state)
{
	long err, val;
	(void)state;
	memcpy(ram + 0x100, "hello", 5);
	call(EXT_DBCN, 0, 5, GUEST_RAM_BASE + 0x100, 0, &err, &val);
	assert_int_equal(err, SBI_OK);
	assert_int_equal(val, 5);
	assert_memory_equal(console_out, "hello", 5);
	/* Outside RAM, straddling its end, or with base_hi set: SBI_ERR_INVALID_PARAM. */
	call(EXT_DBCN, 0, 5, 0x1000, 0, &err, &val);
	assert_int_equal(err, SBI_EINVALID_PARAM);
	call(EXT_DBCN, 0, 16, GUEST_RAM_BASE + (16ULL << 20) - 8, 0, &err, &val);
	assert_int_equal(err, SBI_EINVALID_PARAM);
	call(EXT_DBCN, 0, ~0UL, GUEST_RAM_BASE, 0, &err, &val);
	assert_int_equal(err, SBI_EINVALID_PARAM);
	call(EXT_DBCN, 0, 5, GUEST_RAM_BASE + 0x100, 1, &err, &val);
	assert_int_equal(err, SBI_EINVALID_PARAM);
	/* A long write is cut to what one call may do, and says how much it wrote. */
	console_len = 0;
	memset(ram, 'x', sizeof(ram));
	call(EXT_DBCN, 0, 8000, GUEST_RAM_BASE, 0, &err, &val);
	assert_int_equal(err, SBI_OK);
	assert_int_equal(val, 4096);
	assert_int_equal(console_len, 4096);
	call(EXT_DBCN, 1, 8, GUEST_RAM_BASE, 0, &err, &val); /* read: nothing waiting */
	assert_int_equal(err, SBI_OK);
	assert_int_equal(val, 0);
	console_len = 0;
	call(EXT_DBCN, 2, '!', 0, 0, &err, &val);
	assert_int_equal(err, SBI_OK);
	assert_memory_equal(console_out, "!", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_base_and_probe, setup),
	    cmocka_unit_test_setup(test_time_and_legacy, setup),
	    cmocka_unit_test_setup(test_ipi_hart_masks, setup),
	    cmocka_unit_test_setup(test_rfence, setup),
	    cmocka_unit_test_setup(test_hsm, setup),
	    cmocka_unit_test_setup(test_hsm_suspend, setup),
	    cmocka_unit_test_setup(test_srst, setup),
	    cmocka_unit_test_setup(test_dbcn, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
