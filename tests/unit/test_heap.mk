test_heap_SRCS := core/heap.c arch/host/host_arch.c
