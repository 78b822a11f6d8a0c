/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests for emul/vuart.c: the guest ns16550a, register by register. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vireo/errno.h>
#include <vireo/vuart.h>

/* What the callbacks saw. */
struct rec {
	char tx[256];
	unsigned int tx_count;
	bool irq_levels[256];
	unsigned int irq_count;
};

static void rec_tx(void *ctx, char c)
{
	struct rec *r = ctx;
	assert_true(r->tx_count < sizeof(r->tx));
	r->tx[r->tx_count++] = c;
}

static void rec_irq(void *ctx, bool level)
{
	struct rec *r = ctx;
	assert_true(r->irq_count < sizeof(r->irq_levels));
	/* Only changes are reported. */
	if (r->irq_count > 0) {
		assert_true(r->irq_levels[r->irq_count - 1] != level);
	} else {
		assert_true(level);
	}
	r->irq_levels[r->irq_count++] = level;
}

static uint8_t rd(struct vuart *u, unsigned int off)
{
	struct vmmio_access a = {.offset = off, .width = 1, .write = false, .value = 0xdead};
	assert_int_equal(vuart_access(u, &a), 0);
	assert_true(a.value <= 0xff);
	return (uint8_t)a.value;
}

static void wr(struct vuart *u, unsigned int off, uint8_t v)
{
	struct vmmio_access a = {.offset = off, .width = 1, .write = true, .value = v};
	assert_int_equal(vuart_access(u, &a), 0);
}

static void setup(struct vuart *u, struct rec *r)
{
	memset(r, 0, sizeof(*r));
	vuart_init(u, rec_tx, rec_irq, r);
}

static void test_reset_values(void **state)
{
	(void)state;
	struct vuart u;
	struct rec r;
	setup(&u, &r);
	assert_int_equal(rd(&u, VUART_IER), 0);
	assert_int_equal(rd(&u, VUART_IIR), 0x01);
	assert_int_equal(rd(&u, VUART_LCR), 0);
	assert_int_equal(rd(&u, VUART_MCR), 0);
	assert_int_equal(rd(&u, VUART_LSR), 0x60);
	assert_int_equal(rd(&u, VUART_MSR), 0xb0);
	assert_int_equal(rd(&u, VUART_RBR), 0);
	assert_int_equal(r.irq_count, 0);
	assert_ptr_equal(vuart_ops.access, vuart_access);
}

static void test_dlab_switching(void **state)
{
	(void)state;
	struct vuart u;
	struct rec r;
	setup(&u, &r);
	wr(&u, VUART_IER, 0x05);
	wr(&u, VUART_LCR, 0x83); /* DLAB, 8N1 */
	wr(&u, VUART_DLL, 0x01);
	wr(&u, VUART_DLM, 0x02);
	assert_int_equal(rd(&u, VUART_DLL), 0x01);
	assert_int_equal(rd(&u, VUART_DLM), 0x02);
	assert_int_equal(r.tx_count, 0); /* offset 0 wrote the divisor, not THR */
	wr(&u, VUART_LCR, 0x03);
	assert_int_equal(rd(&u, VUART_LCR), 0x03);
	assert_int_equal(rd(&u, VUART_IER), 0x05);
	wr(&u, VUART_THR, 'x');
	assert_int_equal(r.tx_count, 1);
	wr(&u, VUART_LCR, 0x83);
	assert_int_equal(rd(&u, VUART_DLL), 0x01); /* THR write left DLL alone */
	assert_int_equal(rd(&u, VUART_DLM), 0x02);
	/* IER only keeps bits 3:0. */
	wr(&u, VUART_LCR, 0x03);
	wr(&u, VUART_IER, 0xff);
	assert_int_equal(rd(&u, VUART_IER), 0x0f);
}

static void test_tx_and_scratch(void **state)
{
	(void)state;
	struct vuart u;
	struct rec r;
	setup(&u, &r);
	const char *msg = "hello\n";
	for (const char *p = msg; *p; p++) {
		wr(&u, VUART_THR, (uint8_t)*p);
		assert_int_equal(rd(&u, VUART_LSR) & 0x60, 0x60);
	}
	assert_int_equal(r.tx_count, strlen(msg));
	assert_memory_equal(r.tx, msg, strlen(msg));
	wr(&u, VUART_SCR, 0xa5);
	assert_int_equal(rd(&u, VUART_SCR), 0xa5);
	assert_int_equal(r.irq_count, 0); /* IER = 0: no interrupt ever */
}

static void test_rx_order_and_overrun(void **state)
{
	(void)state;
	struct vuart u;
	struct rec r;
	setup(&u, &r);
	wr(&u, VUART_FCR, 0x07);
	for (int i = 0; i < VUART_FIFO_SIZE; i++) {
		assert_true(vuart_rx_push(&u, (char)('a' + i)));
	}
	assert_int_equal(rd(&u, VUART_LSR), 0x61);
	assert_false(vuart_rx_push(&u, 'Z'));
	assert_false(vuart_rx_push(&u, 'Y'));
	assert_int_equal(u.rx_dropped, 2);
	assert_int_equal(rd(&u, VUART_LSR), 0x63); /* DR | OE */
	assert_int_equal(rd(&u, VUART_LSR), 0x61); /* OE cleared by the read */
	for (int i = 0; i < VUART_FIFO_SIZE; i++) {
		assert_int_equal(rd(&u, VUART_LSR) & VUART_LSR_DR, VUART_LSR_DR);
		assert_int_equal(rd(&u, VUART_RBR), 'a' + i);
	}
	assert_int_equal(rd(&u, VUART_LSR), 0x60);
	/* Wrap around the ring. */
	for (int round = 0; round < 5; round++) {
		for (int i = 0; i < 7; i++) {
			assert_true(vuart_rx_push(&u, (char)(round * 7 + i)));
		}
		for (int i = 0; i < 7; i++) {
			assert_int_equal(rd(&u, VUART_RBR), round * 7 + i);
		}
	}
	/* FCR bit 1 empties the FIFO. */
	assert_true(vuart_rx_push(&u, 'q'));
	wr(&u, VUART_FCR, 0x03);
	assert_int_equal(rd(&u, VUART_LSR), 0x60);
	/* Turning the FIFOs off empties it too. */
	assert_true(vuart_rx_push(&u, 'q'));
	wr(&u, VUART_FCR, 0x00);
	assert_int_equal(rd(&u, VUART_LSR), 0x60);
	assert_int_equal(rd(&u, VUART_IIR), 0x01);
}

static void test_iir_priorities(void **state)
{
	(void)state;
	struct vuart u;
	struct rec r;
	setup(&u, &r);
	wr(&u, VUART_FCR, 0x01);
	assert_int_equal(rd(&u, VUART_IIR), 0xc1);
	wr(&u, VUART_IER, 0x0f); /* everything; ETBEI 0 -> 1 arms THRE */
	assert_int_equal(r.irq_count, 1);
	assert_true(r.irq_levels[0]);
	/* Fill and overflow: line status first, then data, then THRE, then modem status. */
	for (int i = 0; i <= VUART_FIFO_SIZE; i++) {
		(void)vuart_rx_push(&u, 'x');
	}
	wr(&u, VUART_MCR, VUART_MCR_LOOP); /* CTS, DSR, DCD drop: modem deltas */
	assert_int_equal(rd(&u, VUART_IIR), 0xc6);
	assert_int_equal(rd(&u, VUART_IIR), 0xc6); /* IIR read does not clear RLS */
	assert_int_equal(rd(&u, VUART_LSR), 0x63);
	assert_int_equal(rd(&u, VUART_IIR), 0xc4);
	wr(&u, VUART_FCR, 0x03);
	assert_int_equal(rd(&u, VUART_IIR), 0xc2);
	assert_int_equal(rd(&u, VUART_IIR), 0xc0); /* THRE cleared by the IIR read */
	assert_int_equal(rd(&u, VUART_MSR), 0x0b); /* DCTS, DDSR, DDCD; all lines low */
	assert_int_equal(rd(&u, VUART_IIR), 0xc1);
	assert_int_equal(r.irq_count, 2);
	assert_false(r.irq_levels[1]);
	/* A disabled source is not reported. */
	wr(&u, VUART_MCR, 0);
	wr(&u, VUART_IER, 0x00);
	assert_true(vuart_rx_push(&u, 'x'));
	assert_int_equal(rd(&u, VUART_IIR), 0xc1);
	wr(&u, VUART_IER, VUART_IER_ERBFI);
	assert_int_equal(rd(&u, VUART_IIR), 0xc4);
	(void)rd(&u, VUART_RBR);
	assert_int_equal(rd(&u, VUART_IIR), 0xc1);
}

/* serial8250_do_startup()'s THRE test, then an interrupt-driven transmit. */
static void test_8250_thre_probe(void **state)
{
	(void)state;
	struct vuart u;
	struct rec r;
	setup(&u, &r);
	wr(&u, VUART_FCR, 0x07);
	wr(&u, VUART_MCR, VUART_MCR_OUT2 | VUART_MCR_RTS | VUART_MCR_DTR);
	assert_int_equal(rd(&u, VUART_LSR) & VUART_LSR_THRE, VUART_LSR_THRE);
	wr(&u, VUART_IER, VUART_IER_ETBEI);
	uint8_t iir1 = rd(&u, VUART_IIR);
	wr(&u, VUART_IER, 0);
	wr(&u, VUART_IER, VUART_IER_ETBEI);
	uint8_t iir = rd(&u, VUART_IIR);
	wr(&u, VUART_IER, 0);
	assert_int_equal(iir1, 0xc2);
	assert_int_equal(iir, 0xc2); /* re-asserted: no UART_BUG_THRE */
	uint8_t lsr = rd(&u, VUART_LSR);
	assert_true((lsr & VUART_LSR_TEMT) && !(iir & VUART_IIR_NONE));
	/* Interrupt line: up, down (IIR read), up, down (IIR read); IER = 0 keeps it down. */
	assert_int_equal(r.irq_count, 4);
	/* start_tx: enable THRI, handler writes bytes while THRE, IIR shows THRE again. */
	wr(&u, VUART_IER, VUART_IER_ETBEI | VUART_IER_ERBFI);
	assert_int_equal(r.irq_count, 5);
	assert_int_equal(rd(&u, VUART_IIR), 0xc2);
	assert_int_equal(r.irq_count, 6);
	for (int i = 0; i < 4; i++) {
		wr(&u, VUART_THR, (uint8_t)('0' + i));
	}
	assert_int_equal(r.irq_count, 7); /* THR write re-raised THRE */
	assert_int_equal(rd(&u, VUART_IIR), 0xc2);
	wr(&u, VUART_IER, VUART_IER_ERBFI); /* stop_tx */
	assert_int_equal(rd(&u, VUART_IIR), 0xc1);
	assert_int_equal(r.tx_count, 4);
	assert_memory_equal(r.tx, "0123", 4);
	/* Received data raises and reading it lowers the line. */
	unsigned int n = r.irq_count;
	assert_true(vuart_rx_push(&u, 'k'));
	assert_int_equal(r.irq_count, n + 1);
	assert_true(r.irq_levels[n]);
	assert_int_equal(rd(&u, VUART_IIR), 0xc4);
	assert_int_equal(rd(&u, VUART_RBR), 'k');
	assert_int_equal(r.irq_count, n + 2);
	assert_false(r.irq_levels[n + 1]);
}

/* The 8250 autoconfig loopback check and loopback data. */
static void test_loopback(void **state)
{
	(void)state;
	struct vuart u;
	struct rec r;
	setup(&u, &r);
	wr(&u, VUART_MCR, VUART_MCR_LOOP | VUART_MCR_OUT2 | VUART_MCR_RTS);
	assert_int_equal(rd(&u, VUART_MSR) & 0xf0, 0x90);
	wr(&u, VUART_MCR, VUART_MCR_LOOP | VUART_MCR_OUT1 | VUART_MCR_DTR);
	assert_int_equal(rd(&u, VUART_MSR), 0x60 | 0x0b);
	wr(&u, VUART_MCR, VUART_MCR_LOOP);
	assert_int_equal(rd(&u, VUART_MSR), VUART_MSR_DDSR | VUART_MSR_TERI);
	wr(&u, VUART_FCR, 0x07);
	wr(&u, VUART_THR, 'L');
	wr(&u, VUART_THR, 'B');
	assert_int_equal(r.tx_count, 0);
	assert_false(vuart_rx_push(&u, 'h')); /* serial input disconnected */
	assert_int_equal(u.rx_dropped, 1);
	assert_int_equal(rd(&u, VUART_LSR), 0x61);
	assert_int_equal(rd(&u, VUART_RBR), 'L');
	assert_int_equal(rd(&u, VUART_RBR), 'B');
	assert_int_equal(rd(&u, VUART_LSR), 0x60);
	wr(&u, VUART_MCR, VUART_MCR_OUT2);
	assert_int_equal(rd(&u, VUART_MCR), VUART_MCR_OUT2);
	assert_int_equal(rd(&u, VUART_MSR),
	                 0xb0 | VUART_MSR_DCTS | VUART_MSR_DDSR | VUART_MSR_DDCD);
	wr(&u, VUART_THR, 'o');
	assert_int_equal(r.tx_count, 1);
	assert_true(vuart_rx_push(&u, 'h'));
	/* MCR bits 7:5 read as 0; LSR and MSR ignore writes. */
	wr(&u, VUART_MCR, 0xe0);
	assert_int_equal(rd(&u, VUART_MCR), 0);
	wr(&u, VUART_LSR, 0);
	wr(&u, VUART_MSR, 0);
	assert_int_equal(rd(&u, VUART_LSR), 0x61);
	assert_int_equal(rd(&u, VUART_MSR), 0xb0);
}

static void test_bad_accesses(void **state)
{
	(void)state;
	struct vuart u;
	struct rec r;
	setup(&u, &r);
	static const unsigned int widths[] = {0, 2, 3, 4, 8};
	for (unsigned int i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		struct vmmio_access a = {
		    .offset = 0, .width = widths[i], .write = true, .value = 'x'};
		assert_int_equal(vuart_access(&u, &a), VIREO_EFAULT);
		a.write = false;
		a.offset = VUART_LSR;
		assert_int_equal(vuart_access(&u, &a), VIREO_EFAULT);
	}
	static const uint64_t offs[] = {8, 9, 0xff, 0x100, UINT64_MAX};
	for (unsigned int i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		struct vmmio_access a = {
		    .offset = offs[i], .width = 1, .write = true, .value = 'x'};
		assert_int_equal(vuart_access(&u, &a), VIREO_EFAULT);
		a.write = false;
		assert_int_equal(vuart_access(&u, &a), VIREO_EFAULT);
	}
	assert_int_equal(r.tx_count, 0);
	/* High bits of a written value are ignored. */
	wr(&u, VUART_SCR, 0);
	struct vmmio_access a = {.offset = VUART_SCR, .width = 1, .write = true, .value = 0x1234};
	assert_int_equal(vuart_access(&u, &a), 0);
	assert_int_equal(rd(&u, VUART_SCR), 0x34);
	/* NULL callbacks are allowed. */
	vuart_init(&u, NULL, NULL, NULL);
	wr(&u, VUART_IER, 0x0f);
	wr(&u, VUART_THR, 'x');
	assert_true(vuart_rx_push(&u, 'y'));
	assert_int_equal(rd(&u, VUART_RBR), 'y');
}

/* Random accesses and input: no crash, and the model's invariants hold throughout. */
static void test_random_fuzz(void **state)
{
	(void)state;
	struct vuart u;
	struct rec r;
	srandom(0x16550);
	for (int run = 0; run < 20; run++) {
		setup(&u, &r);
		for (int step = 0; step < 5000; step++) {
			int what = (int)(random() % 8);
			if (what == 0) {
				(void)vuart_rx_push(&u, (char)random());
			} else {
				struct vmmio_access a = {
				    .offset = (uint64_t)(random() % 10),
				    .width = (random() % 16) == 0 ? 4u : 1u,
				    .write = (random() % 2) != 0,
				    .value = (uint64_t)random(),
				};
				int rc = vuart_access(&u, &a);
				bool ok = a.width == 1 && a.offset < 8;
				assert_int_equal(rc, ok ? 0 : VIREO_EFAULT);
				if (ok && !a.write) {
					assert_true(a.value <= 0xff);
				}
			}
			r.tx_count %= 128; /* keep the recorder bounded */
			if (r.irq_count > 200) {
				r.irq_levels[0] = r.irq_levels[r.irq_count - 1];
				r.irq_count = 1;
			}
			assert_true(u.rx_count <= VUART_FIFO_SIZE);
			assert_true(u.rx_head < VUART_FIFO_SIZE);
			assert_int_equal(u.ier & 0xf0, 0);
			assert_int_equal(u.mcr & 0xe0, 0);
			/* The line follows IIR bit 0, checked without disturbing state. */
			struct vuart copy = u;
			copy.irq = NULL;
			struct vmmio_access a = {.offset = VUART_IIR, .width = 1};
			copy.lcr = 0;
			assert_int_equal(vuart_access(&copy, &a), 0);
			assert_int_equal(u.irq_level, (a.value & 1) == 0);
			if (r.irq_count > 0) {
				assert_int_equal(r.irq_levels[r.irq_count - 1], u.irq_level);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reset_values),   cmocka_unit_test(test_dlab_switching),
	    cmocka_unit_test(test_tx_and_scratch), cmocka_unit_test(test_rx_order_and_overrun),
	    cmocka_unit_test(test_iir_priorities), cmocka_unit_test(test_8250_thre_probe),
	    cmocka_unit_test(test_loopback),       cmocka_unit_test(test_bad_accesses),
	    cmocka_unit_test(test_random_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
