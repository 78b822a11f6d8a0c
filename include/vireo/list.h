/* SPDX-License-Identifier: GPL-2.0-only */
/** Intrusive circular doubly linked lists. */
#ifndef VIREO_LIST_H
#define VIREO_LIST_H

#include <vireo/compiler.h>

struct list_head {
	struct list_head *next;
	struct list_head *prev;
};

static inline void list_init(struct list_head *head)
{
	head->next = head;
	head->prev = head;
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

static inline void list_insert_between(struct list_head *n, struct list_head *prev,
                                       struct list_head *next)
{
	n->prev = prev;
	n->next = next;
	prev->next = n;
	next->prev = n;
}

/** Inserts n right after head (stack order). */
static inline void list_add(struct list_head *head, struct list_head *n)
{
	list_insert_between(n, head, head->next);
}

/** Inserts n before head, i.e. at the tail (queue order). */
static inline void list_add_tail(struct list_head *head, struct list_head *n)
{
	list_insert_between(n, head->prev, head);
}

static inline void list_del(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n;
	n->prev = n;
}

#define list_entry(p, T, m) container_of(p, T, m)

#define list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#define list_for_each_safe(pos, tmp, head)                               \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
	     (pos) = (tmp), (tmp) = (pos)->next)

#endif
