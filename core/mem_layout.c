/* SPDX-License-Identifier: GPL-2.0-only */
/** RAM minus reserved ranges, as a list of free pieces. */
#include <vireo/errno.h>
#include <vireo/mem_layout.h>
#include <vireo/string.h>

static uint64_t range_end(const struct mem_range *r)
{
	/* Saturate: a range reaching the top of the address space must not wrap. */
	return r->base + r->size < r->base ? UINT64_MAX : r->base + r->size;
}

/* Finds the lowest hole that intersects [lo, hi), or NULL. */
static const struct mem_range *lowest_hole(const struct mem_range *holes, unsigned int count,
                                           uint64_t lo, uint64_t hi)
{
	const struct mem_range *best = NULL;

	for (unsigned int i = 0; i < count; i++) {
		const struct mem_range *h = &holes[i];
		if (h->size == 0 || h->base >= hi || range_end(h) <= lo) {
			continue;
		}
		if (!best || h->base < best->base) {
			best = h;
		}
	}
	return best;
}

static int emit(struct mem_range *out, unsigned int out_max, unsigned int *n, uint64_t lo,
                uint64_t hi)
{
	if (hi <= lo) {
		return 0;
	}
	if (*n == out_max) {
		return VIREO_ENOSPC;
	}
	memset(&out[*n], 0, sizeof(out[*n]));
	out[*n].base = lo;
	out[*n].size = hi - lo;
	(*n)++;
	return 0;
}

int mem_layout_subtract(const struct mem_range *ram, unsigned int ram_count,
                        const struct mem_range *holes, unsigned int hole_count,
                        struct mem_range *out, unsigned int out_max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < ram_count; i++) {
		uint64_t lo = ram[i].base;
		uint64_t hi = range_end(&ram[i]);
		/* Walk the holes inside this RAM range from the bottom up; pieces between them
		 * are free. Each step moves lo past one hole, so the loop ends. */
		while (lo < hi) {
			const struct mem_range *h = lowest_hole(holes, hole_count, lo, hi);
			if (!h) {
				if (emit(out, out_max, &n, lo, hi)) {
					return VIREO_ENOSPC;
				}
				break;
			}
			if (emit(out, out_max, &n, lo, h->base > lo ? h->base : lo)) {
				return VIREO_ENOSPC;
			}
			lo = range_end(h);
		}
	}
	/* RAM ranges from the tree are not promised to be sorted: sort the (few) pieces. */
	for (unsigned int i = 1; i < n; i++) {
		struct mem_range tmp = out[i];
		unsigned int j = i;
		while (j > 0 && out[j - 1].base > tmp.base) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = tmp;
	}
	return (int)n;
}
