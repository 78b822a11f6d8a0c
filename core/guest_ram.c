/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest RAM cleared on first use (include/vireo/guest_ram.h). Clearing a guest's whole RAM
 * up front was most of the cost of creating it (25 M instructions per 64 MiB under QEMU);
 * a booting Linux touches a fraction of its RAM, and untouched chunks cost nothing.
 */
#include <vireo/arch/vcpu.h>
#include <vireo/errno.h>
#include <vireo/guest.h>
#include <vireo/guest_ram.h>
#include <vireo/page_alloc.h>
#include <vireo/string.h>

#define BLOCK_SIZE (PAGE_SIZE << PAGE_ALLOC_MAX_ORDER) /* RAM blocks (core/guest.c alloc_ram) */

/* Host address of the chunk at offset off into RAM (off < ram_size, chunk aligned). */
static uint8_t *chunk_host(struct guest *g, uint64_t off)
{
	const struct ram_block *b = &g->ram_blocks[off / BLOCK_SIZE];
	return (uint8_t *)(uintptr_t)(b->hpa + off % BLOCK_SIZE);
}

static bool is_ready(const struct guest *g, uint64_t chunk)
{
	return (__atomic_load_n(&g->ram_ready[chunk / 64], __ATOMIC_ACQUIRE) >> (chunk % 64)) & 1;
}

int guest_ram_ready(struct guest *g, gpaddr_t gpa)
{
	if (gpa < GUEST_RAM_BASE || gpa - GUEST_RAM_BASE >= g->ram_size) {
		return VIREO_EFAULT;
	}
	uint64_t off = (gpa - GUEST_RAM_BASE) & ~(GUEST_RAM_CHUNK - 1);
	uint64_t chunk = off / GUEST_RAM_CHUNK;
	if (is_ready(g, chunk)) {
		return VIREO_EEXIST;
	}
	int err = 0;
	unsigned long flags = spin_lock_irqsave(&g->ram_lock);
	if (is_ready(g, chunk)) {
		err = VIREO_EEXIST;
	} else {
		uint8_t *host = chunk_host(g, off);
		memset(host, 0, GUEST_RAM_CHUNK);
		err = arch_guest_map_ram(g, GUEST_RAM_BASE + off, (paddr_t)(uintptr_t)host,
		                         GUEST_RAM_CHUNK);
		if (err == 0) {
			/* Published after the clear: a reader that sees the bit sees zeroes. */
			__atomic_fetch_or(&g->ram_ready[chunk / 64], 1ULL << (chunk % 64),
			                  __ATOMIC_RELEASE);
		}
	}
	spin_unlock_irqrestore(&g->ram_lock, flags);
	return err;
}

void *guest_ram_host(struct guest *g, gpaddr_t gpa, uint64_t len)
{
	if (gpa < GUEST_RAM_BASE || gpa - GUEST_RAM_BASE >= g->ram_size) {
		return NULL;
	}
	uint64_t off = gpa - GUEST_RAM_BASE;
	if (len > g->ram_size - off || (off % GUEST_RAM_CHUNK) + len > GUEST_RAM_CHUNK) {
		return NULL;
	}
	if (!is_ready(g, off / GUEST_RAM_CHUNK)) {
		int err = guest_ram_ready(g, gpa);
		if (err != 0 && err != VIREO_EEXIST) {
			return NULL;
		}
	}
	return chunk_host(g, off & ~(GUEST_RAM_CHUNK - 1)) + off % GUEST_RAM_CHUNK;
}

void guest_ram_forget(struct guest *g)
{
	bool mapped = false;
	unsigned long flags = spin_lock_irqsave(&g->ram_lock);
	for (uint64_t c = 0; c * GUEST_RAM_CHUNK < g->ram_size; c++) {
		if (is_ready(g, c)) {
			arch_guest_unmap_ram(g, GUEST_RAM_BASE + c * GUEST_RAM_CHUNK,
			                     GUEST_RAM_CHUNK);
			mapped = true;
		}
	}
	memset(g->ram_ready, 0, sizeof(g->ram_ready));
	spin_unlock_irqrestore(&g->ram_lock, flags);
	/* No hart may keep a translation of a chunk that will be cleared again (a guest just
	 * created has none to drop). */
	if (mapped) {
		arch_guest_flush(g);
	}
}
