// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 5.8 (Persistent Object Enumeration
 * Functions), over storage.c.
 *
 * Start takes a snapshot of the tags of the space's objects from the
 * manifest; each GetNext reads the next one that still exists, checked
 * like an open (so a corrupt one answers TEE_ERROR_CORRUPT_OBJECT, and
 * the next call moves on).  Enumerators are kept on a list that
 * validates handles.
 *
 * Facts from OP-TEE followed here:
 * - Start on an unknown storage id, or on a space with no objects, and
 *   GetNext before Start, after Reset or past the end, give
 *   TEE_ERROR_ITEM_NOT_FOUND;
 * - a NULL objectID or objectIDLen, and an unknown enumerator handle
 *   (NULL included, except for Free and Reset, which ignore it), panic;
 *   objectInfo may be NULL; the objectID buffer must hold
 *   TEE_OBJECT_ID_MAX_LEN bytes (*objectIDLen is only written);
 * - the info is that of the object opened with no flags: handleFlags
 *   PERSISTENT | INITIALIZED, dataPosition 0.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tee_internal_api.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"
#include "storage_internal.h"

#define ENUM_MAGIC	0x454e554du	/* "ENUM" */

struct __TEE_ObjectEnumHandle {
	uint32_t magic;
	bool started;
	uint8_t (*tags)[ST_TAG_LEN];
	size_t count;
	size_t next;
	struct __TEE_ObjectEnumHandle *link;
};

static struct __TEE_ObjectEnumHandle *enums;

static struct __TEE_ObjectEnumHandle *enum_checked(TEE_ObjectEnumHandle h)
{
	struct __TEE_ObjectEnumHandle *e = enums;

	while (e && e != h)
		e = e->link;
	if (!e || e->magic != ENUM_MAGIC)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return e;
}

static void enum_reset(struct __TEE_ObjectEnumHandle *e)
{
	free(e->tags);
	e->tags = NULL;
	e->count = 0;
	e->next = 0;
	e->started = false;
}

TEE_API TEE_Result
TEE_AllocatePersistentObjectEnumerator(TEE_ObjectEnumHandle *objectEnumerator)
{
	struct __TEE_ObjectEnumHandle *e = NULL;

	if (!objectEnumerator)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	*objectEnumerator = TEE_HANDLE_NULL;
	e = calloc(1, sizeof(*e));
	if (!e)
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);	/* as OP-TEE */
	e->magic = ENUM_MAGIC;
	e->link = enums;
	enums = e;
	*objectEnumerator = e;
	return TEE_SUCCESS;
}

TEE_API void
TEE_FreePersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator)
{
	struct __TEE_ObjectEnumHandle **pp = &enums;
	struct __TEE_ObjectEnumHandle *e = NULL;

	if (objectEnumerator == TEE_HANDLE_NULL)
		return;
	e = enum_checked(objectEnumerator);
	while (*pp != e)
		pp = &(*pp)->link;
	*pp = e->link;
	enum_reset(e);
	e->magic = 0;
	free(e);
}

TEE_API void
TEE_ResetPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator)
{
	if (objectEnumerator == TEE_HANDLE_NULL)
		return;
	enum_reset(enum_checked(objectEnumerator));
}

TEE_API TEE_Result
TEE_StartPersistentObjectEnumerator(TEE_ObjectEnumHandle objectEnumerator,
				    uint32_t storageID)
{
	static const TEE_Result ok[] = {
		TEE_ERROR_ITEM_NOT_FOUND, TEE_ERROR_CORRUPT_OBJECT,
		TEE_ERROR_STORAGE_NOT_AVAILABLE,
	};
	struct __TEE_ObjectEnumHandle *e = enum_checked(objectEnumerator);
	uint32_t space = st_space_of(storageID);
	struct st_txn t = { 0 };
	size_t i = 0;
	size_t n = 0;
	TEE_Result res = TEE_ERROR_ITEM_NOT_FOUND;

	enum_reset(e);
	if (!space)
		goto out;
	res = st_begin(&t, false);
	if (res)
		goto out;
	for (i = 0; i < t.m.count; i++)
		n += t.m.entries[i].space == space;
	res = TEE_ERROR_ITEM_NOT_FOUND;	/* OP-TEE: none is not found */
	if (!n)
		goto end;
	res = TEE_ERROR_OUT_OF_MEMORY;
	e->tags = calloc(n, sizeof(*e->tags));
	if (!e->tags)
		goto end;
	for (i = 0; i < t.m.count; i++) {
		if (t.m.entries[i].space == space)
			memcpy(e->tags[e->count++], t.m.entries[i].tag,
			       ST_TAG_LEN);
	}
	e->started = true;
	res = TEE_SUCCESS;
end:
	st_end(&t);
out:
	return st_allowed(res, ok, ARRAY_SIZE(ok));
}

static void fill_info(const struct st_obj *o, TEE_ObjectInfo *info)
{
	*info = (TEE_ObjectInfo){
		.objectType = o->type,
		.objectSize = o->object_size,
		.maxObjectSize = o->max_object_size,
		.objectUsage = o->usage,
		.dataSize = o->data_len,
		.dataPosition = 0,
		.handleFlags = TEE_HANDLE_FLAG_PERSISTENT |
			       TEE_HANDLE_FLAG_INITIALIZED,
	};
}

/* The next object of the snapshot that still exists, read and checked. */
static TEE_Result next_object(struct __TEE_ObjectEnumHandle *e,
			      struct st_obj *o)
{
	struct st_txn t = { 0 };
	const struct st_entry *entry = NULL;
	TEE_Result res = st_begin(&t, false);

	if (res)
		return res;
	res = TEE_ERROR_ITEM_NOT_FOUND;
	while (res == TEE_ERROR_ITEM_NOT_FOUND && e->next < e->count) {
		entry = st_manifest_find(&t.m, e->tags[e->next++]);
		if (entry)
			res = st_obj_load(&t, entry, o);
	}
	st_end(&t);
	return res;
}

TEE_API TEE_Result
TEE_GetNextPersistentObject(TEE_ObjectEnumHandle objectEnumerator,
			    TEE_ObjectInfo *objectInfo, void *objectID,
			    size_t *objectIDLen)
{
	static const TEE_Result ok[] = {
		TEE_ERROR_ITEM_NOT_FOUND, TEE_ERROR_CORRUPT_OBJECT,
		TEE_ERROR_STORAGE_NOT_AVAILABLE,
	};
	struct __TEE_ObjectEnumHandle *e = NULL;
	struct st_obj o = { 0 };
	TEE_Result res = TEE_ERROR_ITEM_NOT_FOUND;

	if (!objectIDLen || !objectID)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	e = enum_checked(objectEnumerator);
	if (e->started)
		res = next_object(e, &o);
	if (!res) {
		if (objectInfo)
			fill_info(&o, objectInfo);
		if (o.id_len)
			memcpy(objectID, o.id, o.id_len);
		*objectIDLen = o.id_len;
	}
	st_obj_free(&o);
	return st_allowed(res, ok, ARRAY_SIZE(ok));
}
