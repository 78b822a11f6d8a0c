/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest ns16550a UART, following the register descriptions of the PC16550D datasheet
 * (section 8, "Registers"; Table II register map, Table III reset values, Table IV interrupt
 * control). Simplifications, all invisible to a driver that polls LSR or takes interrupts:
 *  - Transmission is instant. THR never holds a byte, THRE and TEMT always read 1, and writing
 *    THR re-arms the THRE interrupt at once, as the chip would once the byte had left.
 *  - The receiver FIFO holds 16 bytes even with FIFOs disabled (the chip then holds one); the
 *    trigger level and the character timeout are not modelled: any received byte raises
 *    "received data available" (IIR 0x04), never "character timeout" (0x0c).
 *  - No parity, framing or break errors; only overrun (LSR.OE) can occur.
 *  - The interrupt output is the chip's INTR pin: pending interrupt, whatever MCR.OUT2 holds.
 *    OUT2 gates INTR only on PC-compatible boards; on a device-tree platform INTR is wired
 *    straight to the interrupt controller. (Linux sets OUT2 anyway.)
 *  - Out of loopback the modem inputs are those of an attached, ready terminal: CTS, DSR and
 *    DCD asserted, RI not.
 *  - Writes to LSR and MSR (factory test only, per the datasheet) are ignored.
 */
#include <vireo/errno.h>
#include <vireo/vuart.h>

/* MCR bits 7:5 and IER bits 7:4 are always 0 (PC16550D 8.5, 8.6). */
#define MCR_MASK 0x1f
#define IER_MASK 0x0f
/* FCR bits the model remembers: FIFO enable, DMA mode select, RX trigger (8.4). */
#define FCR_KEEP 0xc9

static bool loopback(const struct vuart *u)
{
	return (u->mcr & VUART_MCR_LOOP) != 0;
}

/*
 * Modem control inputs, bits 7:4 of MSR. In loopback (8.6, MCR bit 4) they are wired to the
 * outputs: CTS <- RTS, DSR <- DTR, RI <- OUT1, DCD <- OUT2.
 */
static uint8_t modem_inputs(const struct vuart *u)
{
	if (!loopback(u)) {
		return VUART_MSR_CTS | VUART_MSR_DSR | VUART_MSR_DCD;
	}
	uint8_t in = 0;
	if (u->mcr & VUART_MCR_RTS) {
		in |= VUART_MSR_CTS;
	}
	if (u->mcr & VUART_MCR_DTR) {
		in |= VUART_MSR_DSR;
	}
	if (u->mcr & VUART_MCR_OUT1) {
		in |= VUART_MSR_RI;
	}
	if (u->mcr & VUART_MCR_OUT2) {
		in |= VUART_MSR_DCD;
	}
	return in;
}

/*
 * Refreshes MSR bits 7:4 and latches the deltas (8.7): DCTS, DDSR, DDCD on any change; TERI
 * only when RI goes from on to off. Deltas stay until MSR is read.
 */
static void update_msr(struct vuart *u)
{
	uint8_t old = u->msr;
	uint8_t now = modem_inputs(u);
	uint8_t changed = (uint8_t)(old ^ now);
	uint8_t delta = (uint8_t)(old & VUART_MSR_DELTAS);
	if (changed & VUART_MSR_CTS) {
		delta |= VUART_MSR_DCTS;
	}
	if (changed & VUART_MSR_DSR) {
		delta |= VUART_MSR_DDSR;
	}
	if ((old & VUART_MSR_RI) && !(now & VUART_MSR_RI)) {
		delta |= VUART_MSR_TERI;
	}
	if (changed & VUART_MSR_DCD) {
		delta |= VUART_MSR_DDCD;
	}
	u->msr = (uint8_t)(now | delta);
}

/* Table IV: the highest-priority enabled and pending interrupt; bits 7:6 set in FIFO mode. */
static uint8_t iir_value(const struct vuart *u)
{
	uint8_t id = VUART_IIR_NONE;
	if ((u->ier & VUART_IER_ELSI) && u->overrun) {
		id = VUART_IIR_RLS;
	} else if ((u->ier & VUART_IER_ERBFI) && u->rx_count > 0) {
		id = VUART_IIR_RDA;
	} else if ((u->ier & VUART_IER_ETBEI) && u->thre_pending) {
		id = VUART_IIR_THRE;
	} else if ((u->ier & VUART_IER_EDSSI) && (u->msr & VUART_MSR_DELTAS)) {
		id = VUART_IIR_MSI;
	}
	if (u->fcr & VUART_FCR_ENABLE) {
		id |= VUART_IIR_FIFOS;
	}
	return id;
}

/* Drives INTR from IIR bit 0 (0 = interrupt pending), telling irq() only about changes. */
static void update_irq(struct vuart *u)
{
	bool level = (iir_value(u) & VUART_IIR_NONE) == 0;
	if (level == u->irq_level) {
		return;
	}
	u->irq_level = level;
	if (u->irq) {
		u->irq(u->ctx, level);
	}
}

static void rx_clear(struct vuart *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
}

/*
 * A byte arriving at the receiver. With the FIFO full the new byte is lost and OE is set
 * (8.5, LSR bit 1: "the character in the shift register is overwritten").
 */
static bool rx_enqueue(struct vuart *u, uint8_t c)
{
	if (u->rx_count >= VUART_FIFO_SIZE) {
		u->overrun = true;
		u->rx_dropped++;
		return false;
	}
	u->rx_fifo[(u->rx_head + u->rx_count) % VUART_FIFO_SIZE] = c;
	u->rx_count++;
	return true;
}

static uint8_t rx_dequeue(struct vuart *u)
{
	if (u->rx_count == 0) {
		return 0;
	}
	uint8_t c = u->rx_fifo[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VUART_FIFO_SIZE;
	u->rx_count--;
	return c;
}

static void write_thr(struct vuart *u, uint8_t c)
{
	/* 8.6: in loopback the transmitter output is looped back to the receiver input. */
	if (loopback(u)) {
		(void)rx_enqueue(u, c);
	} else if (u->tx) {
		u->tx(u->ctx, (char)c);
	}
	/* Writing THR clears the THRE interrupt (Table IV); the byte is gone at once, so it is
	 * empty again and the interrupt is re-armed. */
	u->thre_pending = true;
}

static void write_ier(struct vuart *u, uint8_t v)
{
	uint8_t old = u->ier;
	u->ier = (uint8_t)(v & IER_MASK);
	/* Enabling ETBEI while THR is empty raises THRE: the 8250 driver's THRE test toggles
	 * IER and expects it back each time. */
	if (!(old & VUART_IER_ETBEI) && (u->ier & VUART_IER_ETBEI)) {
		u->thre_pending = true;
	}
}

static void write_fcr(struct vuart *u, uint8_t v)
{
	/* 8.4: changing FCR0 clears both FIFOs; with FCR0 = 0 the other bits are not programmed. */
	if ((v ^ u->fcr) & VUART_FCR_ENABLE) {
		rx_clear(u);
	}
	if (!(v & VUART_FCR_ENABLE)) {
		u->fcr = 0;
		return;
	}
	u->fcr = (uint8_t)(v & FCR_KEEP);
	if (v & VUART_FCR_RX_RESET) {
		rx_clear(u);
	}
	/* FCR2 (transmitter FIFO reset): nothing to do, the transmitter is always empty. */
}

static uint8_t lsr_value(const struct vuart *u)
{
	uint8_t v = VUART_LSR_THRE | VUART_LSR_TEMT;
	if (u->rx_count > 0) {
		v |= VUART_LSR_DR;
	}
	if (u->overrun) {
		v |= VUART_LSR_OE;
	}
	return v;
}

static uint8_t read_reg(struct vuart *u, unsigned int reg)
{
	bool dlab = (u->lcr & VUART_LCR_DLAB) != 0;
	uint8_t v = 0;
	switch (reg) {
	case VUART_RBR:
		v = dlab ? u->dll : rx_dequeue(u);
		break;
	case VUART_IER:
		v = dlab ? u->dlm : u->ier;
		break;
	case VUART_IIR:
		v = iir_value(u);
		/* Table IV: reading IIR clears THRE when it is the source reported. */
		if ((v & 0x0f) == VUART_IIR_THRE) {
			u->thre_pending = false;
		}
		break;
	case VUART_LCR:
		v = u->lcr;
		break;
	case VUART_MCR:
		v = u->mcr;
		break;
	case VUART_LSR:
		v = lsr_value(u);
		/* 8.5: OE (and the line status interrupt) clear when LSR is read. */
		u->overrun = false;
		break;
	case VUART_MSR:
		v = u->msr;
		/* 8.7: the delta bits reset when MSR is read. */
		u->msr = (uint8_t)(u->msr & ~VUART_MSR_DELTAS);
		break;
	case VUART_SCR:
		v = u->scr;
		break;
	default:
		break;
	}
	return v;
}

static void write_reg(struct vuart *u, unsigned int reg, uint8_t v)
{
	bool dlab = (u->lcr & VUART_LCR_DLAB) != 0;
	switch (reg) {
	case VUART_THR:
		if (dlab) {
			u->dll = v;
		} else {
			write_thr(u, v);
		}
		break;
	case VUART_IER:
		if (dlab) {
			u->dlm = v;
		} else {
			write_ier(u, v);
		}
		break;
	case VUART_FCR:
		write_fcr(u, v);
		break;
	case VUART_LCR:
		u->lcr = v;
		break;
	case VUART_MCR:
		u->mcr = (uint8_t)(v & MCR_MASK);
		update_msr(u);
		break;
	case VUART_SCR:
		u->scr = v;
		break;
	default: /* LSR, MSR: read-only for software */
		break;
	}
}

void vuart_init(struct vuart *u, void (*tx)(void *ctx, char c), void (*irq)(void *ctx, bool level),
                void *ctx)
{
	/* Table III: IER, FCR, LCR, MCR 0; IIR 0x01; LSR 0x60; MSR deltas 0, states = inputs. */
	*u = (struct vuart){
	    .tx = tx,
	    .irq = irq,
	    .ctx = ctx,
	};
	u->msr = modem_inputs(u);
}

/* Every access but the polled LSR read: kept out of line so that one needs no stack frame. */
__attribute__((noinline)) static int access_reg(struct vuart *u, unsigned int reg,
                                                struct vmmio_access *a)
{
	if (a->write) {
		write_reg(u, reg, (uint8_t)a->value);
	} else {
		/* Reads that change no interrupt source leave the line alone. */
		bool quiet =
		    reg == VUART_SCR || reg == VUART_LCR || reg == VUART_MCR || reg == VUART_IER;
		a->value = read_reg(u, reg);
		if (quiet) {
			return 0;
		}
	}
	update_irq(u);
	return 0;
}

int vuart_access(void *dev, struct vmmio_access *a)
{
	struct vuart *u = dev;
	if (a->width != 1 || a->offset >= VUART_REG_COUNT) {
		return VIREO_EFAULT;
	}
	unsigned int reg = (unsigned int)a->offset;
	/* The register a polling driver reads in a loop: with no overrun to clear, reading it
	 * changes nothing, not even the interrupt line. */
	if (reg == VUART_LSR && !a->write && !u->overrun) {
		a->value = lsr_value(u);
		return 0;
	}
	return access_reg(u, reg, a);
}

bool vuart_rx_push(struct vuart *u, char c)
{
	/* 8.6: in loopback the serial input is disconnected from the receiver. */
	if (loopback(u)) {
		u->rx_dropped++;
		return false;
	}
	bool ok = rx_enqueue(u, (uint8_t)c);
	update_irq(u);
	return ok;
}

const struct vmmio_ops vuart_ops = {
    .name = "ns16550a",
    .access = vuart_access,
};
