/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * ChaCha20 (RFC 8439 section 2.3) and a generator on top of it.
 *
 * Generator: the state is one 256-bit ChaCha20 key. Output follows D. J. Bernstein's "fast-key-
 * erasure random-number generators" (2017): each request is served in chunks of at most
 * CHUNK_SIZE bytes; for each chunk, block 0 of the key stream becomes the next key and blocks
 * 1.. are the output, and the old key is overwritten before the lock is dropped. So a later
 * compromise of the state reveals nothing about bytes already handed out. The nonce of each
 * chunk holds a 64-bit generation count and the low word of the timer counter.
 *
 * Absorbing material (seed, timer readings, random_add_entropy): each 32-byte piece is XORed
 * into the key and the key is replaced by the first half of the ChaCha20 block under that key
 * with counter ABSORB_COUNTER, which output never uses. This is a plain keyed-permutation mix,
 * not a proven extractor: it relies on the seed being random already (QEMU fills rng-seed from
 * the host's getrandom()); the timer readings mostly make two boots with the same seed differ.
 */
#include <vireo/arch/timer.h>
#include <vireo/random.h>
#include <vireo/spinlock.h>
#include <vireo/string.h>

#define KEY_SIZE       RANDOM_CHACHA20_KEY_SIZE
#define BLOCK_SIZE     RANDOM_CHACHA20_BLOCK_SIZE
#define CHUNK_BLOCKS   4U
#define CHUNK_SIZE     (CHUNK_BLOCKS * BLOCK_SIZE)
#define ABSORB_COUNTER 0xffffffffU
#define TIMER_READINGS 8

static struct {
	spinlock_t lock;
	uint8_t key[KEY_SIZE];
	uint64_t generation;
	bool seeded;
} rng = {.lock = SPINLOCK_INIT};

/* A wipe the compiler may not drop as a dead store. */
static void wipe(void *p, size_t n)
{
	volatile uint8_t *b = p;
	for (size_t i = 0; i < n; i++) {
		b[i] = 0;
	}
}

static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t rotl32(uint32_t v, unsigned int n)
{
	return v << n | v >> (32 - n);
}

/* RFC 8439 2.1: the quarter round on four words of the state. */
static inline void quarter_round(uint32_t *x, unsigned int a, unsigned int b, unsigned int c,
                                 unsigned int d)
{
	x[a] += x[b];
	x[d] = rotl32(x[d] ^ x[a], 16);
	x[c] += x[d];
	x[b] = rotl32(x[b] ^ x[c], 12);
	x[a] += x[b];
	x[d] = rotl32(x[d] ^ x[a], 8);
	x[c] += x[d];
	x[b] = rotl32(x[b] ^ x[c], 7);
}

void random_chacha20_block(const uint8_t key[RANDOM_CHACHA20_KEY_SIZE], uint32_t counter,
                           const uint8_t nonce[RANDOM_CHACHA20_NONCE_SIZE],
                           uint8_t out[RANDOM_CHACHA20_BLOCK_SIZE])
{
	uint32_t in[16], x[16];

	/* 2.3: words 0-3 the constant "expand 32-byte k", 4-11 the key, 12 the block counter,
	 * 13-15 the nonce; key and nonce read as little-endian words. */
	in[0] = 0x61707865U;
	in[1] = 0x3320646eU;
	in[2] = 0x79622d32U;
	in[3] = 0x6b206574U;
	for (unsigned int i = 0; i < 8; i++) {
		in[4 + i] = load_le32(key + 4 * i);
	}
	in[12] = counter;
	for (unsigned int i = 0; i < 3; i++) {
		in[13 + i] = load_le32(nonce + 4 * i);
	}
	for (unsigned int i = 0; i < 16; i++) {
		x[i] = in[i];
	}
	/* 20 rounds: ten times a column round then a diagonal round. */
	for (unsigned int i = 0; i < 10; i++) {
		quarter_round(x, 0, 4, 8, 12);
		quarter_round(x, 1, 5, 9, 13);
		quarter_round(x, 2, 6, 10, 14);
		quarter_round(x, 3, 7, 11, 15);
		quarter_round(x, 0, 5, 10, 15);
		quarter_round(x, 1, 6, 11, 12);
		quarter_round(x, 2, 7, 8, 13);
		quarter_round(x, 3, 4, 9, 14);
	}
	/* Add the input state back in, then serialise little-endian. */
	for (unsigned int i = 0; i < 16; i++) {
		store_le32(out + 4 * i, x[i] + in[i]);
	}
	wipe(x, sizeof(x));
	wipe(in, sizeof(in));
}

/* The nonce of the next use of the key: generation count and the timer's low word. */
static void next_nonce(uint8_t nonce[RANDOM_CHACHA20_NONCE_SIZE])
{
	uint64_t gen = rng.generation++;
	store_le32(nonce, (uint32_t)gen);
	store_le32(nonce + 4, (uint32_t)(gen >> 32));
	store_le32(nonce + 8, (uint32_t)arch_timer_ticks());
}

/* Caller holds rng.lock. */
static void absorb_locked(const uint8_t *data, size_t len)
{
	uint8_t nonce[RANDOM_CHACHA20_NONCE_SIZE];
	uint8_t block[BLOCK_SIZE];

	while (len > 0) {
		size_t n = len < KEY_SIZE ? len : KEY_SIZE;
		for (size_t i = 0; i < n; i++) {
			rng.key[i] ^= data[i];
		}
		next_nonce(nonce);
		random_chacha20_block(rng.key, ABSORB_COUNTER, nonce, block);
		memcpy(rng.key, block, KEY_SIZE);
		data += n;
		len -= n;
	}
	wipe(block, sizeof(block));
}

void random_init(const void *seed, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&rng.lock);
	wipe(rng.key, sizeof(rng.key));
	rng.generation = 0;
	absorb_locked(seed, len);
	/* Each absorb runs a ChaCha20 block between the readings, so their low bits vary with
	 * how long that took. */
	for (unsigned int i = 0; i < TIMER_READINGS; i++) {
		uint64_t t = arch_timer_ticks();
		absorb_locked((const uint8_t *)&t, sizeof(t));
	}
	rng.seeded = len > 0;
	spin_unlock_irqrestore(&rng.lock, flags);
}

void random_add_entropy(const void *data, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&rng.lock);
	absorb_locked(data, len);
	spin_unlock_irqrestore(&rng.lock, flags);
}

/* One chunk of at most CHUNK_SIZE bytes, then the key is replaced. */
static void fill_chunk(uint8_t *out, size_t len)
{
	uint8_t nonce[RANDOM_CHACHA20_NONCE_SIZE];
	uint8_t block[BLOCK_SIZE];

	unsigned long flags = spin_lock_irqsave(&rng.lock);
	next_nonce(nonce);
	for (uint32_t ctr = 1; len > 0; ctr++) {
		size_t n = len < BLOCK_SIZE ? len : BLOCK_SIZE;
		random_chacha20_block(rng.key, ctr, nonce, block);
		memcpy(out, block, n);
		out += n;
		len -= n;
	}
	random_chacha20_block(rng.key, 0, nonce, block);
	memcpy(rng.key, block, KEY_SIZE);
	spin_unlock_irqrestore(&rng.lock, flags);
	wipe(block, sizeof(block));
}

void random_fill(void *buf, size_t len)
{
	uint8_t *out = buf;
	/* Chunked so the lock is held for at most five blocks and each chunk erases its key. */
	while (len > 0) {
		size_t n = len < CHUNK_SIZE ? len : CHUNK_SIZE;
		fill_chunk(out, n);
		out += n;
		len -= n;
	}
}

uint64_t random_u64(void)
{
	uint8_t b[8];
	random_fill(b, sizeof(b));
	uint64_t v = (uint64_t)load_le32(b) | (uint64_t)load_le32(b + 4) << 32;
	wipe(b, sizeof(b));
	return v;
}

bool random_seeded(void)
{
	/* Written only by random_init(), at boot before the other harts start. */
	return rng.seeded;
}
