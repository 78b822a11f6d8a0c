/* SPDX-License-Identifier: GPL-2.0-only */
/** Shell command `heap info`: hypervisor heap and page allocator statistics. */
#include <vireo/console.h>
#include <vireo/heap.h>
#include <vireo/page_alloc.h>
#include <vireo/shell.h>
#include <vireo/string.h>

static int heap_info(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	struct heap_stats h;
	struct page_alloc_stats p;

	heap_get_stats(&h);
	page_alloc_get_stats(&p);
	console_printf("heap        %zu KiB arena\n", h.arena_size >> 10);
	console_printf("  used      %zu bytes in %zu blocks (peak %zu bytes)\n", h.used_bytes,
	               h.live_blocks, h.peak_used_bytes);
	console_printf("  free      %zu bytes, largest block %zu bytes\n", h.free_bytes,
	               h.largest_free);
	console_printf("  calls     %llu allocs, %llu frees, %llu failed\n",
	               (unsigned long long)h.alloc_count, (unsigned long long)h.free_count,
	               (unsigned long long)h.fail_count);
	console_printf("pages       %llu of %lu bytes in %u regions (%llu MiB)\n",
	               (unsigned long long)p.total_pages, PAGE_SIZE, p.region_count,
	               (unsigned long long)((p.total_pages * PAGE_SIZE) >> 20));
	console_printf("  free      %llu pages (%llu MiB), metadata %llu pages\n",
	               (unsigned long long)p.free_pages,
	               (unsigned long long)((p.free_pages * PAGE_SIZE) >> 20),
	               (unsigned long long)p.meta_pages);
	console_printf("  calls     %llu allocs, %llu frees, %llu failed\n",
	               (unsigned long long)p.alloc_calls, (unsigned long long)p.free_calls,
	               (unsigned long long)p.failed_calls);
	console_puts("  free blocks by order:");
	for (unsigned int o = 0; o <= PAGE_ALLOC_MAX_ORDER; o++) {
		console_printf(" %u:%llu", o, (unsigned long long)p.free_blocks[o]);
	}
	console_puts("\n");
	return 0;
}

static const struct shell_form heap_forms[] = {{"info", "", 0, 0, heap_info}};

static const struct shell_cmd heap_cmds[] = {
    {"heap", "memory allocator statistics", heap_forms, ARRAY_SIZE(heap_forms)},
};

const struct shell_group shell_group_heap = {heap_cmds, ARRAY_SIZE(heap_cmds)};
