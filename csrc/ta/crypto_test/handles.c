// SPDX-License-Identifier: BSD-2-Clause
/*
 * The crypto test TA's handle tables and attribute parsing (formats in
 * include/crypto_test_ta.h).  One instance serves one session, so the
 * tables are plain globals.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>

#include "crypto_test.h"

static TEE_ObjectHandle objects[TA_CRYPTO_MAX_HANDLES];
static TEE_OperationHandle ops[TA_CRYPTO_MAX_HANDLES];

/* What TA_CRYPTO_ID_BOGUS hands out: memory that is no handle. */
static uint64_t not_a_handle[16];

static TEE_Result put(void **table, void *h, uint32_t *id)
{
	uint32_t n = 0;

	for (n = 0; n < TA_CRYPTO_MAX_HANDLES; n++) {
		if (!table[n]) {
			table[n] = h;
			*id = n + 1;
			return TEE_SUCCESS;
		}
	}
	return TEE_ERROR_OUT_OF_MEMORY;
}

static bool get(void *const *table, uint32_t id, void **h)
{
	if (id == TA_CRYPTO_ID_NULL) {
		*h = NULL;
		return true;
	}
	if (id == TA_CRYPTO_ID_BOGUS) {
		*h = not_a_handle;
		return true;
	}
	if (id > TA_CRYPTO_MAX_HANDLES || !table[id - 1])
		return false;
	*h = table[id - 1];
	return true;
}

static void drop(void **table, uint32_t id)
{
	if (id != TA_CRYPTO_ID_NULL && id <= TA_CRYPTO_MAX_HANDLES)
		table[id - 1] = NULL;
}

TEE_Result ids_put_object(TEE_ObjectHandle h, uint32_t *id)
{
	return put((void **)objects, h, id);
}

TEE_Result ids_put_op(TEE_OperationHandle h, uint32_t *id)
{
	return put((void **)ops, h, id);
}

bool ids_object(uint32_t id, TEE_ObjectHandle *h)
{
	void *p = NULL;
	bool ok = get((void *const *)objects, id, &p);

	*h = p;
	return ok;
}

bool ids_op(uint32_t id, TEE_OperationHandle *h)
{
	void *p = NULL;
	bool ok = get((void *const *)ops, id, &p);

	*h = p;
	return ok;
}

void ids_drop_object(uint32_t id)
{
	drop((void **)objects, id);
}

void ids_drop_op(uint32_t id)
{
	drop((void **)ops, id);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

TEE_Result attrs_parse(const void *buf, size_t size, struct attr_list *l)
{
	const uint8_t *p = NULL;
	size_t pos = 0;
	size_t len = 0;
	TEE_Attribute *a = NULL;

	l->count = 0;
	l->copy = NULL;
	if (!size)
		return TEE_SUCCESS;
	/* shared memory can change under us: parse a private copy */
	l->copy = TEE_Malloc(size, TEE_MALLOC_FILL_ZERO);
	if (!l->copy)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_MemMove(l->copy, buf, size);
	p = l->copy;
	while (pos < size) {
		if (l->count == TA_CRYPTO_MAX_ATTRS || size - pos < 8)
			goto bad;
		a = &l->attrs[l->count++];
		a->attributeID = get32(p + pos);
		if (a->attributeID & TEE_ATTR_FLAG_VALUE) {
			if (size - pos < 12)
				goto bad;
			a->content.value.a = get32(p + pos + 4);
			a->content.value.b = get32(p + pos + 8);
			pos += 12;
			continue;
		}
		len = get32(p + pos + 4);
		pos += 8;
		if (size - pos < len)
			goto bad;
		a->content.ref.buffer = (void *)(p + pos);
		a->content.ref.length = len;
		pos += len;
	}
	return TEE_SUCCESS;
bad:
	attrs_release(l);
	return TEE_ERROR_BAD_FORMAT;
}

void attrs_release(struct attr_list *l)
{
	TEE_Free(l->copy);
	l->copy = NULL;
	l->count = 0;
}
