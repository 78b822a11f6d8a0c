/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest RAM as device models see it (lib/gmem.c). A device model (virtqueues, DMA-style
 * buffers) never dereferences a guest-physical address itself: it asks the guest's struct gmem
 * for a host pointer to a range, which exists only when the whole range is guest RAM. The
 * guest-side backing (core/) maps ranges through the guest's RAM blocks; host unit tests back it
 * with a plain buffer.
 *
 * Guest RAM is made of host blocks that need not be contiguous, so gmem_map() only answers for
 * ranges that do not cross a GMEM_CHUNK boundary; gmem_read()/gmem_write() split larger copies.
 */
#ifndef VIREO_GMEM_H
#define VIREO_GMEM_H

#include <vireo/types.h>

/** Ranges inside one naturally aligned chunk of this size are always contiguous in the host. */
#define GMEM_CHUNK 4096ULL

struct gmem {
	/**
	 * Host address of [gpa, gpa + len) if the range is guest RAM and lies in one contiguous
	 * host block, else NULL. len may be 0 (then gpa itself must be RAM). Any context.
	 */
	void *(*map)(void *ctx, gpaddr_t gpa, uint64_t len);
	void *ctx;
};

/**
 * Host pointer to [gpa, gpa + len), which must not cross a GMEM_CHUNK boundary and must lie in
 * guest RAM; NULL otherwise (also on address overflow).
 */
void *gmem_map(const struct gmem *m, gpaddr_t gpa, uint64_t len);

/** Copies guest RAM into buf. 0, or VIREO_EFAULT if any byte is outside guest RAM. */
int gmem_read(const struct gmem *m, gpaddr_t gpa, void *buf, size_t len);

/** Copies buf into guest RAM. 0, or VIREO_EFAULT (nothing is written then). */
int gmem_write(const struct gmem *m, gpaddr_t gpa, const void *buf, size_t len);

/** True if every byte of [gpa, gpa + len) is guest RAM. */
bool gmem_valid(const struct gmem *m, gpaddr_t gpa, uint64_t len);

#endif
