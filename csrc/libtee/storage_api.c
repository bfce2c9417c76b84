// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 5.7 (Persistent Object Functions),
 * over storage.c and storage_pobj.c; storage_stream.c has 5.9.
 *
 * Facts from OP-TEE (lib/libutee/tee_api_objects.c, core/tee/
 * tee_svc_storage.c, core/tee/tee_pobj.c) followed here:
 * - an unknown storage id gives TEE_ERROR_ITEM_NOT_FOUND; TEE_STORAGE_
 *   PRIVATE is the REE FS (TEE_STORAGE_PRIVATE_REE), TEE_STORAGE_PRIVATE_
 *   RPMB another space;
 * - flags outside those of open (create adds OVERWRITE), an id longer
 *   than TEE_OBJECT_ID_MAX_LEN, and initial data NULL with a length,
 *   panic (core code BAD_PARAMETERS);
 * - handleFlags of an open handle are PERSISTENT | INITIALIZED | the
 *   flags given; a data-only object has type TEE_TYPE_DATA, sizes 0 and
 *   usage 0xffffffff;
 * - sharing: ACCESS_WRITE_META is exclusive; the SHARE_READ and
 *   SHARE_WRITE bits of all handles must be equal; ACCESS_READ (WRITE)
 *   needs SHARE_READ (WRITE) on every handle; create of an object that is
 *   open needs OVERWRITE and compatible flags; rename needs a new id that
 *   nobody has open and that does not exist; all else is
 *   TEE_ERROR_ACCESS_CONFLICT;
 * - create with object NULL and a transient attributes object turns that
 *   object into the persistent one;
 * - rename without ACCESS_WRITE_META panics (BAD_STATE), close-and-
 *   delete without it panics (ACCESS_CONFLICT);
 * - each function panics with any result outside its GP list (for
 *   instance close-and-delete with anything but STORAGE_NOT_AVAILABLE);
 * - a corrupt object (TEE_ERROR_CORRUPT_OBJECT) found by open or rename
 *   is deleted (storage_pobj.c).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <tee_internal_api.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"
#include "storage_internal.h"

#define TEE_USAGE_DEFAULT	0xFFFFFFFFu

#define OPEN_FLAGS (TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE | \
		    TEE_DATA_FLAG_ACCESS_WRITE_META | \
		    TEE_DATA_FLAG_SHARE_READ | TEE_DATA_FLAG_SHARE_WRITE)
#define CREATE_FLAGS (OPEN_FLAGS | TEE_DATA_FLAG_OVERWRITE)

static void set_info(TEE_ObjectHandle h, const struct pobj *p)
{
	h->info.objectType = p->obj.type;
	h->info.objectSize = p->obj.object_size;
	h->info.maxObjectSize = p->obj.max_object_size;
	h->info.objectUsage = p->obj.usage;
	h->info.dataSize = p->obj.data_len;
	h->info.dataPosition = 0;
	h->info.handleFlags = TEE_HANDLE_FLAG_PERSISTENT |
			      TEE_HANDLE_FLAG_INITIALIZED | p->flags;
}

/* A handle for p's loaded object: type, attributes, info. */
static TEE_Result handle_for(struct pobj *p, TEE_ObjectHandle *out)
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	/* Authenticated, so a refusal means a file of another libtee. */
	if (obj_alloc(p->obj.type, p->obj.max_object_size, &h))
		return TEE_ERROR_CORRUPT_OBJECT;
	res = obj_attrs_decode(h, p->obj.attrs, p->obj.attrs_len);
	if (res) {
		obj_release(h);
		return res;
	}
	set_info(h, p);
	*out = h;
	return TEE_SUCCESS;
}

static TEE_Result open_object(struct pobj *p, TEE_ObjectHandle *object,
			      struct st_version *bad)
{
	struct st_txn t = { 0 };
	struct st_ta *ta = NULL;
	struct st_entry *e = NULL;
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res = st_pobj_tag(p);

	if (res)
		return res;
	res = st_begin(&t, true);
	if (res)
		return res;
	ta = t.ta;
	e = st_manifest_find(&t.m, p->tag);
	if (!e) {
		res = TEE_ERROR_ITEM_NOT_FOUND;
		goto out;
	}
	res = st_share_open(ta, &p->share_fd);
	if (!res)
		res = st_share_check(p->share_fd, p->tag, p->flags);
	if (res)
		goto out;
	res = st_obj_load(&t, e, &p->obj);
	if (res) {
		if (res == TEE_ERROR_CORRUPT_OBJECT)
			st_version_of(bad, e);
		goto out;
	}
	st_pobj_cache(p, e);
	res = handle_for(p, &h);
	if (res)
		goto out;
	res = st_share_mark(p->share_fd, p->tag, p->flags);
	if (res) {
		obj_release(h);
		goto out;
	}
	h->pobj = p;
	*object = h;
out:
	st_end(&t);
	return res;
}

TEE_API TEE_Result TEE_OpenPersistentObject(uint32_t storageID,
					    const void *objectID,
					    size_t objectIDLen, uint32_t flags,
					    TEE_ObjectHandle *object)
{
	static const TEE_Result ok[] = {
		TEE_ERROR_ITEM_NOT_FOUND, TEE_ERROR_ACCESS_CONFLICT,
		TEE_ERROR_OUT_OF_MEMORY, TEE_ERROR_CORRUPT_OBJECT,
		TEE_ERROR_STORAGE_NOT_AVAILABLE,
	};
	uint32_t space = st_space_of(storageID);
	struct pobj *p = NULL;
	struct st_version bad = { 0 };
	TEE_Result res = TEE_ERROR_ITEM_NOT_FOUND;

	if (!object || (flags & ~OPEN_FLAGS))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	*object = TEE_HANDLE_NULL;
	if (!space)
		goto out;
	if (objectIDLen > TEE_OBJECT_ID_MAX_LEN || (!objectID && objectIDLen))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	res = TEE_ERROR_OUT_OF_MEMORY;
	p = st_pobj_new(space, objectID, objectIDLen, flags);
	if (!p)
		goto out;
	res = open_object(p, object, &bad);
	if (res == TEE_ERROR_CORRUPT_OBJECT)
		st_drop_corrupt(p->tag, &bad);
	if (res)
		st_pobj_free(p);
out:
	return st_allowed(res, ok, ARRAY_SIZE(ok));
}

/*
 * The handle create gives back: of the attributes object's type, with
 * its attributes (copied through their stored form, so the handle holds
 * exactly what the file will), or a data object.
 */
static TEE_Result new_handle(TEE_ObjectHandle attributes,
			     TEE_ObjectHandle *out)
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	uint8_t *blob = NULL;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!attributes)
		return obj_alloc(TEE_TYPE_DATA, 0, out);
	res = obj_alloc(attributes->info.objectType,
			attributes->info.maxObjectSize, &h);
	if (!res)
		res = obj_attrs_encode(attributes, &blob, &len);
	if (!res)
		res = obj_attrs_decode(h, blob, len);
	st_free_secret(blob, len);
	if (res)
		obj_release(h);
	else
		*out = h;
	return res == TEE_ERROR_OVERFLOW ? TEE_ERROR_OUT_OF_MEMORY : res;
}

/* What create stores: type, sizes and usage of attributes, h's attributes. */
static TEE_Result fill_header(struct st_obj *o, TEE_ObjectHandle attributes,
			      TEE_ObjectHandle h)
{
	o->type = h->info.objectType;
	o->max_object_size = h->info.maxObjectSize;
	o->object_size = attributes ? attributes->info.objectSize : 0;
	o->usage = attributes ? attributes->info.objectUsage :
				TEE_USAGE_DEFAULT;
	return obj_attrs_encode(h, &o->attrs, &o->attrs_len);
}

/*
 * Create under the exclusive lock: the sharing rules, OVERWRITE, then
 * the object's first (or next) version.  When keep is set, p ends up
 * with the sharing marks and a copy of what was written.
 */
static TEE_Result create_object(struct pobj *p, TEE_ObjectHandle attributes,
				TEE_ObjectHandle h, const void *data,
				size_t len, bool keep)
{
	struct st_txn t = { 0 };
	struct st_entry *e = NULL;
	bool overwrite = p->flags & TEE_DATA_FLAG_OVERWRITE;
	TEE_Result res = fill_header(&p->obj, attributes, h);

	if (!res)
		res = st_obj_resize(&p->obj, len);
	if (res)
		return res == TEE_ERROR_OVERFLOW ? TEE_ERROR_OUT_OF_MEMORY : res;
	if (len)
		memcpy(p->obj.data, data, len);
	p->obj.space = p->space;
	p->obj.id_len = p->id_len;
	memcpy(p->obj.id, p->id, p->id_len);
	res = st_pobj_tag(p);
	if (!res)
		res = st_begin(&t, true);
	if (res)
		return res;
	res = st_share_open(t.ta, &p->share_fd);
	if (!res && st_share_busy(p->share_fd, p->tag))
		res = overwrite ?
			st_share_check(p->share_fd, p->tag, p->flags) :
			TEE_ERROR_ACCESS_CONFLICT;
	if (res)
		goto out;
	e = st_manifest_find(&t.m, p->tag);
	if (e && !overwrite) {
		res = TEE_ERROR_ACCESS_CONFLICT;
		goto out;
	}
	if (!e) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		e = st_manifest_add(&t.m);
		if (!e)
			goto out;
		e->space = p->space;
		e->id_len = p->id_len;
		memcpy(e->id, p->id, p->id_len);
		memcpy(e->tag, p->tag, ST_TAG_LEN);
	}
	res = st_obj_store(&t, e, &p->obj);
	if (!res && keep)
		res = st_share_mark(p->share_fd, p->tag, p->flags);
	if (res)
		goto out;
	res = st_commit(&t);
	if (!res)
		st_pobj_cache(p, e);
	else if (keep)
		st_share_unmark(p->share_fd, p->tag);
out:
	st_end(&t);
	return res;
}

TEE_API TEE_Result TEE_CreatePersistentObject(uint32_t storageID,
					      const void *objectID,
					      size_t objectIDLen,
					      uint32_t flags,
					      TEE_ObjectHandle attributes,
					      const void *initialData,
					      size_t initialDataLen,
					      TEE_ObjectHandle *object)
{
	static const TEE_Result ok[] = {
		TEE_ERROR_ITEM_NOT_FOUND, TEE_ERROR_ACCESS_CONFLICT,
		TEE_ERROR_OUT_OF_MEMORY, TEE_ERROR_STORAGE_NO_SPACE,
		TEE_ERROR_CORRUPT_OBJECT, TEE_ERROR_STORAGE_NOT_AVAILABLE,
	};
	uint32_t space = st_space_of(storageID);
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_ObjectHandle target = TEE_HANDLE_NULL;
	struct pobj *p = NULL;
	bool convert = false;
	TEE_Result res = TEE_ERROR_ITEM_NOT_FOUND;

	if (object)
		*object = TEE_HANDLE_NULL;
	if (flags & ~CREATE_FLAGS)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (!space)
		goto out;
	if (objectIDLen > TEE_OBJECT_ID_MAX_LEN ||
	    (!objectID && objectIDLen) || (!initialData && initialDataLen))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (attributes &&
	    !(obj_checked(attributes)->info.handleFlags &
	      TEE_HANDLE_FLAG_INITIALIZED))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	res = TEE_ERROR_STORAGE_NO_SPACE;
	if (initialDataLen > TEE_DATA_MAX_POSITION)
		goto out;
	/* OP-TEE: no handle wanted turns a transient attributes object
	 * into the persistent object. */
	convert = !object && attributes &&
		  !(attributes->info.handleFlags & TEE_HANDLE_FLAG_PERSISTENT);
	res = new_handle(attributes, &h);
	if (res)
		goto out;
	res = TEE_ERROR_OUT_OF_MEMORY;
	p = st_pobj_new(space, objectID, objectIDLen, flags);
	if (!p)
		goto out;
	res = create_object(p, attributes, h, initialData, initialDataLen,
			    object || convert);
	if (res)
		goto out;
	if (object) {
		target = h;
		h = TEE_HANDLE_NULL;
		*object = target;
	} else if (convert) {
		target = attributes;
	}
	if (target) {
		set_info(target, p);
		target->pobj = p;
		p = NULL;
	}
out:
	st_pobj_free(p);
	obj_release(h);
	return st_allowed(res, ok, ARRAY_SIZE(ok));
}

TEE_API TEE_Result TEE_CloseAndDeletePersistentObject1(TEE_ObjectHandle object)
{
	static const TEE_Result ok[] = { TEE_ERROR_STORAGE_NOT_AVAILABLE };
	struct __TEE_ObjectHandle *o = NULL;
	struct st_txn t = { 0 };
	struct st_entry *e = NULL;
	TEE_Result res = TEE_SUCCESS;

	if (object == TEE_HANDLE_NULL)
		return TEE_SUCCESS;
	o = obj_checked(object);
	if (!(o->info.handleFlags & TEE_DATA_FLAG_ACCESS_WRITE_META))
		TEE_Panic(TEE_ERROR_ACCESS_CONFLICT);
	if (!o->pobj)
		TEE_Panic(TEE_ERROR_BAD_STATE);
	res = st_begin(&t, true);
	if (!res) {
		/* Gone already if it was deleted as corrupt. */
		e = st_manifest_find(&t.m, o->pobj->tag);
		if (e) {
			st_obj_drop(&t, e);
			res = st_commit(&t);
		}
		st_end(&t);
	}
	/* OP-TEE closes the handle whatever the result. */
	pobj_close(o);
	obj_release(o);
	return st_allowed(res, ok, ARRAY_SIZE(ok));
}

TEE_API void TEE_CloseAndDeletePersistentObject(TEE_ObjectHandle object)
{
	if (object == TEE_HANDLE_NULL)
		return;
	if (TEE_CloseAndDeletePersistentObject1(object))
		TEE_Panic(0);
}

/*
 * Under the exclusive lock: the object, re-written under its new id,
 * replaces the entry of its old one in a single commit; the handle's
 * sharing marks move along.
 */
static TEE_Result rename_object(TEE_ObjectHandle h, struct pobj *to,
				struct st_version *bad)
{
	struct pobj *p = h->pobj;
	struct st_txn t = { 0 };
	struct st_entry *e = NULL;
	TEE_Result res = st_begin(&t, true);

	if (res)
		return res;
	/* The new name is taken if it is ours, open elsewhere, or exists. */
	if (!memcmp(to->tag, p->tag, ST_TAG_LEN) ||
	    st_share_busy(p->share_fd, to->tag) ||
	    st_manifest_find(&t.m, to->tag)) {
		res = TEE_ERROR_ACCESS_CONFLICT;
		goto out;
	}
	res = st_pobj_sync(&t, h, &e, bad);
	if (res)
		goto out;
	res = TEE_ERROR_OUT_OF_MEMORY;
	e = st_manifest_add(&t.m);
	if (!e)
		goto out;
	e->space = to->space;
	e->id_len = to->id_len;
	memcpy(e->id, to->id, to->id_len);
	memcpy(e->tag, to->tag, ST_TAG_LEN);
	/* The copy no longer matches a stored version, whatever happens. */
	p->cached = false;
	p->obj.id_len = to->id_len;
	memcpy(p->obj.id, to->id, to->id_len);
	res = st_obj_store(&t, e, &p->obj);
	if (res)
		goto out;
	st_obj_drop(&t, st_manifest_find(&t.m, p->tag));
	res = st_share_mark(p->share_fd, to->tag, p->flags);
	if (res)
		goto out;
	res = st_commit(&t);
	if (res) {
		st_share_unmark(p->share_fd, to->tag);
		goto out;
	}
	st_share_unmark(p->share_fd, p->tag);
	st_pobj_cache(p, st_manifest_find(&t.m, to->tag));
	p->id_len = to->id_len;
	memcpy(p->id, to->id, to->id_len);
	memcpy(p->tag, to->tag, ST_TAG_LEN);
out:
	st_end(&t);
	return res;
}

TEE_API TEE_Result TEE_RenamePersistentObject(TEE_ObjectHandle object,
					      const void *newObjectID,
					      size_t newObjectIDLen)
{
	static const TEE_Result ok[] = {
		TEE_ERROR_ACCESS_CONFLICT, TEE_ERROR_CORRUPT_OBJECT,
		TEE_ERROR_STORAGE_NOT_AVAILABLE,
	};
	struct __TEE_ObjectHandle *o = NULL;
	struct pobj *to = NULL;
	struct st_version bad = { 0 };
	TEE_Result res = TEE_SUCCESS;

	if (object == TEE_HANDLE_NULL)
		TEE_Panic(TEE_ERROR_ITEM_NOT_FOUND);
	if (newObjectIDLen > TEE_OBJECT_ID_MAX_LEN ||
	    (!newObjectID && newObjectIDLen))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	o = st_persistent(object);
	if (!(o->info.handleFlags & TEE_DATA_FLAG_ACCESS_WRITE_META))
		TEE_Panic(TEE_ERROR_BAD_STATE);
	res = TEE_ERROR_OUT_OF_MEMORY;
	to = st_pobj_new(o->pobj->space, newObjectID, newObjectIDLen, 0);
	if (to)
		res = st_pobj_tag(to);
	if (!res)
		res = rename_object(o, to, &bad);
	st_pobj_free(to);
	if (res == TEE_ERROR_CORRUPT_OBJECT)
		st_corrupt(o, &bad);
	return st_allowed(res, ok, ARRAY_SIZE(ok));
}
