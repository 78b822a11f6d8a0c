/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The hypervisor's random numbers (lib/random.c): a ChaCha20-based generator (RFC 8439 block
 * function) with fast key erasure, seeded at boot from the device tree's /chosen rng-seed and
 * timer readings. Backs virtio-rng for guests and anything else that needs unpredictable bytes.
 *
 * random_fill(), random_u64() and random_add_entropy() may be called from any hart, in thread
 * or interrupt context (one internal spinlock, taken with interrupts masked).
 */
#ifndef VIREO_RANDOM_H
#define VIREO_RANDOM_H

#include <vireo/types.h>

#define RANDOM_CHACHA20_KEY_SIZE   32
#define RANDOM_CHACHA20_NONCE_SIZE 12
#define RANDOM_CHACHA20_BLOCK_SIZE 64

/**
 * The ChaCha20 block function of RFC 8439 section 2.3: 64 bytes of key stream for a 256-bit
 * key, a 32-bit block counter and a 96-bit nonce (key and nonce as byte strings, as the RFC
 * writes them).
 */
void random_chacha20_block(const uint8_t key[RANDOM_CHACHA20_KEY_SIZE], uint32_t counter,
                           const uint8_t nonce[RANDOM_CHACHA20_NONCE_SIZE],
                           uint8_t out[RANDOM_CHACHA20_BLOCK_SIZE]);

/**
 * (Re)starts the generator from seed (len bytes, may be 0) mixed with timer-counter readings.
 * Boot, before other harts run. A generator started without a seed still works but is only as
 * unpredictable as the timer readings: random_seeded() tells.
 */
void random_init(const void *seed, size_t len);

/** Mixes more material (need not be secret or uniform) into the key. */
void random_add_entropy(const void *data, size_t len);

/** Fills buf with len random bytes. The key is replaced after every 256 bytes of output. */
void random_fill(void *buf, size_t len);

/** Eight random bytes as a number. */
uint64_t random_u64(void);

/** True once random_init() had a non-empty seed. */
bool random_seeded(void);

#endif
