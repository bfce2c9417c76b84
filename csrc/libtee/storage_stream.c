// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 5.9 (Data Stream Access Functions),
 * over storage.c and storage_pobj.c.
 *
 * Facts from OP-TEE (lib/libutee/tee_api_objects.c, core/tee/
 * tee_svc_storage.c) followed here:
 * - read, write and truncate without ACCESS_READ (WRITE) panic (core
 *   code ACCESS_CONFLICT); any of them on a transient object panics
 *   (BAD_STATE), with a NULL handle too (BAD_PARAMETERS);
 * - each function panics with any result outside its GP list;
 * - a write of 0 bytes changes nothing; writing after the end fills the
 *   gap with zeros; truncate keeps the position;
 * - seek clamps a negative position to 0 and answers TEE_ERROR_OVERFLOW
 *   past TEE_DATA_MAX_POSITION; an unknown whence panics
 *   (ITEM_NOT_FOUND); SEEK_END counts from the handle's dataSize;
 * - a corrupt object found by read, write or truncate is deleted
 *   (storage_pobj.c).
 *
 * Differences, on purpose: truncate to more than TEE_DATA_MAX_POSITION,
 * and a write or truncate that cannot get memory, answer
 * TEE_ERROR_STORAGE_NO_SPACE (OP-TEE answers TEE_ERROR_GENERIC from
 * truncate, which panics).
 */
#include <stdint.h>
#include <string.h>

#include <tee_internal_api.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"
#include "storage_internal.h"

TEE_API TEE_Result TEE_ReadObjectData(TEE_ObjectHandle object, void *buffer,
				      size_t size, size_t *count)
{
	static const TEE_Result ok[] = {
		TEE_ERROR_CORRUPT_OBJECT, TEE_ERROR_STORAGE_NOT_AVAILABLE,
	};
	struct __TEE_ObjectHandle *o = NULL;
	struct st_txn t = { 0 };
	struct st_entry *e = NULL;
	size_t pos = 0;
	size_t end = 0;
	size_t n = 0;
	struct st_version bad = { 0 };
	TEE_Result res = TEE_SUCCESS;

	if (object == TEE_HANDLE_NULL || !count)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	o = st_persistent(object);
	if (!(o->info.handleFlags & TEE_DATA_FLAG_ACCESS_READ))
		TEE_Panic(TEE_ERROR_ACCESS_CONFLICT);
	pos = o->info.dataPosition;
	if (ADD_OVERFLOW(pos, size, &end))
		TEE_Panic(TEE_ERROR_OVERFLOW);
	if (!buffer && size)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	res = st_begin(&t, false);
	if (!res)
		res = st_pobj_sync(&t, o, &e, &bad);
	if (!res) {
		if (pos < o->pobj->obj.data_len) {
			n = o->pobj->obj.data_len - pos;
			if (n > size)
				n = size;
			memcpy(buffer, o->pobj->obj.data + pos, n);
		}
		o->info.dataPosition = pos + n;
		*count = n;
	}
	st_end(&t);
	if (res == TEE_ERROR_CORRUPT_OBJECT)
		st_corrupt(o, &bad);
	return st_allowed(res, ok, ARRAY_SIZE(ok));
}

/*
 * The common part of write and truncate, under the exclusive lock:
 * bring the copy up to date, let change() alter it, store it as the next
 * version and commit.
 */
static TEE_Result change_data(TEE_ObjectHandle h,
			      TEE_Result (*change)(struct st_obj *o,
						   const void *arg),
			      const void *arg, struct st_version *bad)
{
	struct pobj *p = h->pobj;
	struct st_txn t = { 0 };
	struct st_entry *e = NULL;
	TEE_Result res = st_begin(&t, true);

	if (!res)
		res = st_pobj_sync(&t, h, &e, bad);
	if (res)
		goto out;
	/* Changed in place: no longer a stored version until committed. */
	p->cached = false;
	res = change(&p->obj, arg);
	if (!res)
		res = st_obj_store(&t, e, &p->obj);
	if (!res)
		res = st_commit(&t);
	if (!res) {
		st_pobj_cache(p, e);
		h->info.dataSize = p->obj.data_len;
	}
out:
	st_end(&t);
	return res;
}

struct write_arg {
	const void *buf;
	size_t pos;
	size_t len;
};

static TEE_Result do_write(struct st_obj *o, const void *arg)
{
	const struct write_arg *w = arg;
	TEE_Result res = TEE_SUCCESS;

	if (w->pos + w->len > o->data_len)
		res = st_obj_resize(o, w->pos + w->len);
	if (!res)
		memcpy(o->data + w->pos, w->buf, w->len);
	return res;
}

TEE_API TEE_Result TEE_WriteObjectData(TEE_ObjectHandle object,
				       const void *buffer, size_t size)
{
	static const TEE_Result ok[] = {
		TEE_ERROR_STORAGE_NO_SPACE, TEE_ERROR_OVERFLOW,
		TEE_ERROR_CORRUPT_OBJECT, TEE_ERROR_STORAGE_NOT_AVAILABLE,
	};
	struct __TEE_ObjectHandle *o = NULL;
	struct write_arg w = { .buf = buffer, .len = size };
	struct st_version bad = { 0 };
	TEE_Result res = TEE_ERROR_OVERFLOW;

	if (object == TEE_HANDLE_NULL)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (size > TEE_DATA_MAX_POSITION)
		goto out;
	o = st_persistent(object);
	if (!(o->info.handleFlags & TEE_DATA_FLAG_ACCESS_WRITE))
		TEE_Panic(TEE_ERROR_ACCESS_CONFLICT);
	if (!buffer && size)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	w.pos = o->info.dataPosition;
	if (size > TEE_DATA_MAX_POSITION - w.pos)
		goto out;
	res = TEE_SUCCESS;
	if (!size)
		goto out;
	res = change_data(o, do_write, &w, &bad);
	if (!res)
		o->info.dataPosition = w.pos + size;
	if (res == TEE_ERROR_CORRUPT_OBJECT)
		st_corrupt(o, &bad);
out:
	return st_allowed(res, ok, ARRAY_SIZE(ok));
}

static TEE_Result do_truncate(struct st_obj *o, const void *arg)
{
	return st_obj_resize(o, *(const size_t *)arg);
}

TEE_API TEE_Result TEE_TruncateObjectData(TEE_ObjectHandle object,
					  size_t size)
{
	static const TEE_Result ok[] = {
		TEE_ERROR_STORAGE_NO_SPACE, TEE_ERROR_CORRUPT_OBJECT,
		TEE_ERROR_STORAGE_NOT_AVAILABLE,
	};
	struct __TEE_ObjectHandle *o = NULL;
	struct st_version bad = { 0 };
	TEE_Result res = TEE_ERROR_STORAGE_NO_SPACE;

	if (object == TEE_HANDLE_NULL)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	o = st_persistent(object);
	if (!(o->info.handleFlags & TEE_DATA_FLAG_ACCESS_WRITE))
		TEE_Panic(TEE_ERROR_ACCESS_CONFLICT);
	if (size > TEE_DATA_MAX_POSITION)
		goto out;
	res = change_data(o, do_truncate, &size, &bad);
	if (res == TEE_ERROR_CORRUPT_OBJECT)
		st_corrupt(o, &bad);
out:
	return st_allowed(res, ok, ARRAY_SIZE(ok));
}

TEE_API TEE_Result TEE_SeekObjectData(TEE_ObjectHandle object,
				      intmax_t offset, TEE_Whence whence)
{
	struct __TEE_ObjectHandle *o = NULL;
	intmax_t base = 0;
	intmax_t pos = 0;

	if (object == TEE_HANDLE_NULL)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	o = obj_checked(object);
	switch (whence) {
	case TEE_DATA_SEEK_SET:
		base = 0;
		break;
	case TEE_DATA_SEEK_CUR:
		base = (intmax_t)o->info.dataPosition;
		break;
	case TEE_DATA_SEEK_END:
		base = (intmax_t)o->info.dataSize;
		break;
	default:
		TEE_Panic(TEE_ERROR_ITEM_NOT_FOUND);
	}
	o = st_persistent(object);
	if (offset > 0 && offset > (intmax_t)TEE_DATA_MAX_POSITION - base)
		return TEE_ERROR_OVERFLOW;
	/* base <= TEE_DATA_MAX_POSITION, so this cannot overflow. */
	pos = base + offset;
	o->info.dataPosition = pos < 0 ? 0 : (size_t)pos;
	return TEE_SUCCESS;
}
