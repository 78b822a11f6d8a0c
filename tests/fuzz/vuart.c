/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest ns16550a model (emul/vuart.c). The input is a sequence of operations, one opcode
 * byte each (bits 7:5 the kind, 2:0 the register): register writes and reads, host input bytes,
 * and accesses of other widths and offsets, which must fault.
 *
 * Checked after each: the interrupt line is high exactly when an enabled source is pending
 * (PC16550D Table IV) and only changes are reported; the FIFO indexes stay in range; THRE and
 * TEMT always read set and DR follows the FIFO; received bytes (host input and loopback) come
 * out of RBR in order, compared with a shadow FIFO; nothing is transmitted in loopback.
 */
#include <vireo/errno.h>
#include <vireo/vuart.h>

#include "fuzz.h"

struct shadow {
	struct vuart *u;
	bool irq_level;
	uint8_t fifo[VUART_FIFO_SIZE];
	unsigned int count;
};

static void on_tx(void *ctx, char c)
{
	struct shadow *s = ctx;

	(void)c;
	FUZZ_CHECK((s->u->mcr & VUART_MCR_LOOP) == 0);
}

static void on_irq(void *ctx, bool level)
{
	struct shadow *s = ctx;

	FUZZ_CHECK(level != s->irq_level);
	s->irq_level = level;
}

static void shadow_push(struct shadow *s, uint8_t c)
{
	if (s->count < VUART_FIFO_SIZE) {
		s->fifo[s->count++] = c;
	}
}

/* PC16550D Table IV: some enabled interrupt source is pending. */
static bool pending(const struct vuart *u)
{
	return ((u->ier & VUART_IER_ELSI) && u->overrun) ||
	       ((u->ier & VUART_IER_ERBFI) && u->rx_count > 0) ||
	       ((u->ier & VUART_IER_ETBEI) && u->thre_pending) ||
	       ((u->ier & VUART_IER_EDSSI) && (u->msr & VUART_MSR_DELTAS));
}

static int access(struct vuart *u, uint64_t off, unsigned int width, bool write, uint64_t *value)
{
	struct vmmio_access a = {.offset = off, .width = width, .write = write, .value = *value};
	int ret = vuart_access(u, &a);

	if (ret == 0 && !write) {
		FUZZ_CHECK(a.value <= 0xff);
		*value = a.value;
	}
	return ret;
}

static void reg_write(struct shadow *s, unsigned int reg, uint8_t v)
{
	struct vuart *u = s->u;
	bool dlab = (u->lcr & VUART_LCR_DLAB) != 0;
	uint8_t old_fcr = u->fcr;
	uint64_t value = v;

	if (reg == VUART_THR && !dlab && (u->mcr & VUART_MCR_LOOP)) {
		shadow_push(s, v);
	}
	/* 8.4: toggling FCR0 or FCR1 with the FIFO on clears the receiver FIFO. */
	if (reg == VUART_FCR && (((v ^ old_fcr) & VUART_FCR_ENABLE) ||
	                         ((v & VUART_FCR_ENABLE) && (v & VUART_FCR_RX_RESET)))) {
		s->count = 0;
	}
	FUZZ_CHECK(access(u, reg, 1, true, &value) == 0);
}

static void reg_read(struct shadow *s, unsigned int reg)
{
	struct vuart *u = s->u;
	bool dlab = (u->lcr & VUART_LCR_DLAB) != 0;
	unsigned int count = u->rx_count;
	uint64_t value = 0;

	FUZZ_CHECK(access(u, reg, 1, false, &value) == 0);
	if (reg == VUART_LSR) {
		FUZZ_CHECK((value & (VUART_LSR_THRE | VUART_LSR_TEMT)) ==
		           (VUART_LSR_THRE | VUART_LSR_TEMT));
		FUZZ_CHECK(((value & VUART_LSR_DR) != 0) == (count > 0));
	}
	if (reg == VUART_IIR) {
		FUZZ_CHECK(((value & VUART_IIR_FIFOS) != 0) == ((u->fcr & VUART_FCR_ENABLE) != 0));
	}
	if (reg == VUART_RBR && !dlab && count > 0) {
		FUZZ_CHECK(s->count > 0 && value == s->fifo[0]);
		memmove(s->fifo, s->fifo + 1, --s->count);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct vuart u;
	struct shadow s = {.u = &u};

	vuart_init(&u, on_tx, on_irq, &s);
	while (fuzz_more(&in)) {
		uint8_t op = fuzz_u8(&in);
		unsigned int reg = op & 7u;

		switch (op >> 5) {
		case 0:
		case 1:
		case 2:
			reg_write(&s, reg, fuzz_u8(&in));
			break;
		case 3:
		case 4:
			reg_read(&s, reg);
			break;
		case 5: {
			uint8_t c = fuzz_u8(&in);
			bool loop = (u.mcr & VUART_MCR_LOOP) != 0;
			bool room = u.rx_count < VUART_FIFO_SIZE;
			bool ok = vuart_rx_push(&u, (char)c);

			FUZZ_CHECK(ok == (!loop && room));
			if (ok) {
				shadow_push(&s, c);
			}
			break;
		}
		default: { /* any width at any offset: only 1-byte accesses below 8 work */
			unsigned int width = 1u << (op & 3u);
			uint64_t off = fuzz_u8(&in) & 0x0fu;
			uint64_t value = fuzz_u8(&in);
			bool write = (op & 4u) != 0;
			int ret;

			if (width == 1 && off < VUART_REG_COUNT) {
				break; /* covered above, with the shadow kept in step */
			}
			ret = access(&u, off, width, write, &value);
			FUZZ_CHECK(ret == VIREO_EFAULT);
			break;
		}
		}
		FUZZ_CHECK(u.rx_count <= VUART_FIFO_SIZE && u.rx_head < VUART_FIFO_SIZE);
		FUZZ_CHECK(u.rx_count == s.count);
		FUZZ_CHECK(u.irq_level == s.irq_level && s.irq_level == pending(&u));
	}
	return 0;
}
