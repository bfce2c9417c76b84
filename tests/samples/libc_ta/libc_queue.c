// SPDX-License-Identifier: BSD-2-Clause
/*
 * TA_LIBC_CMD_QUEUE: runs the <sys/queue.h> lists and queues over the
 * input values v[0..n) (1 <= n <= MAX_VALUES) and writes seven sequences
 * to the output, each as its length then its values:
 *
 * 1. TAILQ: v inserted at the tail; those divisible by 3 removed while
 *    walking (FOREACH_SAFE); 1000 inserted at the head, 1001 after the
 *    first, 1002 before the last; the queue walked forward,
 * 2. then the same queue walked backward (FOREACH_REVERSE);
 * 3. LIST: v inserted at the head; the even ones removed while walking;
 * 4. SLIST: v inserted at the head; the element holding v[0] removed;
 * 5. STAILQ: v inserted at the tail; the head removed, then the element
 *    holding v[n-1] (if still there); 2000 and 2001 appended by CONCAT;
 * 6. SIMPLEQ: v inserted at the tail; the element holding v[n/2] removed;
 * 7. CIRCLEQ: v inserted at the head, walked backward (FOREACH_REVERSE),
 *    then CIRCLEQ_LOOP_NEXT of the last element (it wraps to the first).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/queue.h>

#include "libc_queue.h"

#define MAX_VALUES	256
#define EXTRA_ITEMS	5

struct item {
	uint32_t value;
	TAILQ_ENTRY(item) tq;
	LIST_ENTRY(item) li;
	SLIST_ENTRY(item) sl;
	STAILQ_ENTRY(item) st;
	SIMPLEQ_ENTRY(item) sq;
	CIRCLEQ_ENTRY(item) cq;
};

TAILQ_HEAD(tq_head, item);
LIST_HEAD(li_head, item);
SLIST_HEAD(sl_head, item);
STAILQ_HEAD(st_head, item);
SIMPLEQ_HEAD(sq_head, item);
CIRCLEQ_HEAD(cq_head, item);

struct out {
	uint32_t *buf;
	size_t cap;	/* in values */
	size_t len;	/* values written, or that would have been */
	size_t count_at; /* where the current sequence's length goes */
};

static void put(struct out *o, uint32_t v)
{
	if (o->len < o->cap)
		o->buf[o->len] = v;
	o->len++;
}

static void begin(struct out *o)
{
	o->count_at = o->len;
	put(o, 0);
}

static void end(struct out *o)
{
	if (o->count_at < o->cap)
		o->buf[o->count_at] = (uint32_t)(o->len - o->count_at - 1);
}

static void run_tailq(struct item *items, size_t n, struct item *extra,
		      struct out *o)
{
	struct tq_head head = TAILQ_HEAD_INITIALIZER(head);
	struct item *it = NULL;
	struct item *next = NULL;
	struct item *last = NULL;
	size_t i = 0;

	for (i = 0; i < n; i++)
		TAILQ_INSERT_TAIL(&head, &items[i], tq);
	TAILQ_FOREACH_SAFE(it, &head, tq, next)
		if (it->value % 3 == 0)
			TAILQ_REMOVE(&head, it, tq);
	extra[0].value = 1000;
	TAILQ_INSERT_HEAD(&head, &extra[0], tq);
	extra[1].value = 1001;
	it = TAILQ_FIRST(&head);
	TAILQ_INSERT_AFTER(&head, it, &extra[1], tq);
	extra[2].value = 1002;
	/* the macros evaluate their element more than once: no TAILQ_LAST() */
	last = TAILQ_LAST(&head, tq_head);
	TAILQ_INSERT_BEFORE(last, &extra[2], tq);
	begin(o);
	TAILQ_FOREACH(it, &head, tq)
		put(o, it->value);
	end(o);
	begin(o);
	TAILQ_FOREACH_REVERSE(it, &head, tq_head, tq)
		put(o, it->value);
	end(o);
}

static void run_list(struct item *items, size_t n, struct out *o)
{
	struct li_head head = LIST_HEAD_INITIALIZER(head);
	struct item *it = NULL;
	struct item *next = NULL;
	size_t i = 0;

	for (i = 0; i < n; i++)
		LIST_INSERT_HEAD(&head, &items[i], li);
	LIST_FOREACH_SAFE(it, &head, li, next)
		if (it->value % 2 == 0)
			LIST_REMOVE(it, li);
	begin(o);
	LIST_FOREACH(it, &head, li)
		put(o, it->value);
	end(o);
}

static void run_slist(struct item *items, size_t n, struct out *o)
{
	struct sl_head head = SLIST_HEAD_INITIALIZER(head);
	struct item *it = NULL;
	size_t i = 0;

	for (i = 0; i < n; i++)
		SLIST_INSERT_HEAD(&head, &items[i], sl);
	SLIST_REMOVE(&head, &items[0], item, sl);
	begin(o);
	SLIST_FOREACH(it, &head, sl)
		put(o, it->value);
	end(o);
}

static void run_stailq(struct item *items, size_t n, struct item *extra,
		       struct out *o)
{
	struct st_head head = STAILQ_HEAD_INITIALIZER(head);
	struct st_head more = STAILQ_HEAD_INITIALIZER(more);
	struct item *it = NULL;
	size_t i = 0;

	for (i = 0; i < n; i++)
		STAILQ_INSERT_TAIL(&head, &items[i], st);
	STAILQ_REMOVE_HEAD(&head, st);
	if (n > 1)
		STAILQ_REMOVE(&head, &items[n - 1], item, st);
	extra[3].value = 2000;
	extra[4].value = 2001;
	STAILQ_INSERT_TAIL(&more, &extra[3], st);
	STAILQ_INSERT_TAIL(&more, &extra[4], st);
	STAILQ_CONCAT(&head, &more);
	begin(o);
	STAILQ_FOREACH(it, &head, st)
		put(o, it->value);
	end(o);
}

static void run_simpleq(struct item *items, size_t n, struct out *o)
{
	struct sq_head head = SIMPLEQ_HEAD_INITIALIZER(head);
	struct item *it = NULL;
	size_t i = 0;

	for (i = 0; i < n; i++)
		SIMPLEQ_INSERT_TAIL(&head, &items[i], sq);
	SIMPLEQ_REMOVE(&head, &items[n / 2], item, sq);
	begin(o);
	SIMPLEQ_FOREACH(it, &head, sq)
		put(o, it->value);
	end(o);
}

static void run_circleq(struct item *items, size_t n, struct out *o)
{
	struct cq_head head = CIRCLEQ_HEAD_INITIALIZER(head);
	struct item *it = NULL;
	size_t i = 0;

	for (i = 0; i < n; i++)
		CIRCLEQ_INSERT_HEAD(&head, &items[i], cq);
	begin(o);
	CIRCLEQ_FOREACH_REVERSE(it, &head, cq)
		put(o, it->value);
	put(o, CIRCLEQ_LOOP_NEXT(&head, CIRCLEQ_LAST(&head), cq)->value);
	end(o);
}

TEE_Result libc_queue_cmd(uint32_t pt, TEE_Param params[4])
{
	const uint32_t *in = params[0].memref.buffer;
	size_t n = params[0].memref.size / sizeof(uint32_t);
	struct out o = { .buf = params[1].memref.buffer,
			 .cap = params[1].memref.size / sizeof(uint32_t) };
	struct item *items = NULL;
	size_t i = 0;

	if (pt != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				  TEE_PARAM_TYPE_MEMREF_OUTPUT,
				  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE) ||
	    !n || n > MAX_VALUES)
		return TEE_ERROR_BAD_PARAMETERS;
	items = calloc(n + EXTRA_ITEMS, sizeof(*items));
	if (!items)
		return TEE_ERROR_OUT_OF_MEMORY;
	for (i = 0; i < n; i++)
		items[i].value = in[i];
	run_tailq(items, n, items + n, &o);
	run_list(items, n, &o);
	run_slist(items, n, &o);
	run_stailq(items, n, items + n, &o);
	run_simpleq(items, n, &o);
	run_circleq(items, n, &o);
	free(items);
	params[1].memref.size = o.len * sizeof(uint32_t);
	return o.len <= o.cap ? TEE_SUCCESS : TEE_ERROR_SHORT_BUFFER;
}
