// SPDX-License-Identifier: BSD-2-Clause
/*
 * The persistent part of an object handle (storage_internal.h), shared by
 * storage_api.c and storage_stream.c.
 *
 * A persistent object handle is an object.c handle whose `pobj` names the
 * object (storage space, id, tag), keeps the flags it was opened with,
 * its sharing marks (storage_lock.c) and a copy of the object's last
 * version.  Each call checks the manifest again, so what another handle
 * or another instance wrote is seen; the copy is reused while the
 * manifest still names the same version.
 *
 * As on OP-TEE (remove_corrupt_obj in core/tee/tee_svc_storage.c), an
 * object found corrupt is deleted and the handle closed, unless the TA
 * has TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT; such a kept handle
 * answers TEE_ERROR_CORRUPT_OBJECT from then on.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include <tee_internal_api.h>
#include <user_ta_header.h>

#include "libtee_internal.h"
#include "storage_internal.h"

struct pobj *st_pobj_new(uint32_t space, const void *id, size_t id_len,
			 uint32_t flags)
{
	struct pobj *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->space = space;
	p->flags = flags;
	p->id_len = (uint32_t)id_len;
	if (id_len)
		memcpy(p->id, id, id_len);
	p->share_fd = -1;
	return p;
}

void st_pobj_free(struct pobj *p)
{
	if (!p)
		return;
	if (p->share_fd >= 0)
		close(p->share_fd);
	st_obj_free(&p->obj);
	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
}

void pobj_close(TEE_ObjectHandle h)
{
	st_pobj_free(h->pobj);
	h->pobj = NULL;
}

TEE_Result st_pobj_tag(struct pobj *p)
{
	struct st_ta *ta = NULL;
	TEE_Result res = st_ta_get(&ta);

	if (!res)
		res = st_tag(&ta->keys, p->space, p->id, p->id_len, p->tag);
	return res;
}

void st_pobj_cache(struct pobj *p, const struct st_entry *e)
{
	p->cached = true;
	p->gen = e->gen;
	memcpy(p->hash, e->hash, ST_HASH_LEN);
}

void st_version_of(struct st_version *v, const struct st_entry *e)
{
	v->set = true;
	memcpy(v->hash, e->hash, ST_HASH_LEN);
}

TEE_Result st_pobj_sync(struct st_txn *t, TEE_ObjectHandle h,
			struct st_entry **entry, struct st_version *bad)
{
	struct pobj *p = h->pobj;
	struct st_entry *e = st_manifest_find(&t->m, p->tag);
	TEE_Result res = TEE_SUCCESS;

	*bad = (struct st_version){ 0 };
	if (!e)
		return TEE_ERROR_CORRUPT_OBJECT;
	if (!p->cached || p->gen != e->gen ||
	    memcmp(p->hash, e->hash, ST_HASH_LEN)) {
		st_obj_free(&p->obj);
		p->cached = false;
		res = st_obj_load(t, e, &p->obj);
		if (res) {
			if (res == TEE_ERROR_CORRUPT_OBJECT)
				st_version_of(bad, e);
			return res;
		}
		st_pobj_cache(p, e);
	}
	h->info.dataSize = p->obj.data_len;
	*entry = e;
	return TEE_SUCCESS;
}

void st_drop_corrupt(const uint8_t tag[ST_TAG_LEN],
		     const struct st_version *bad)
{
	struct st_txn t = { 0 };
	struct st_entry *e = NULL;

	if (!bad->set || st_begin(&t, true))
		return;
	e = st_manifest_find(&t.m, tag);
	if (e && !memcmp(e->hash, bad->hash, ST_HASH_LEN)) {
		st_obj_drop(&t, e);
		(void)st_commit(&t);	/* else found corrupt again later */
	}
	st_end(&t);
}

/* OP-TEE's remove_corrupt_obj: delete, and close unless the TA says no. */
void st_corrupt(TEE_ObjectHandle h, const struct st_version *bad)
{
	st_drop_corrupt(h->pobj->tag, bad);
	if (!(rt_ta_head()->flags & TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT)) {
		pobj_close(h);
		obj_release(h);
	}
}

struct __TEE_ObjectHandle *st_persistent(TEE_ObjectHandle h)
{
	struct __TEE_ObjectHandle *o = obj_checked(h);

	if (!o->pobj)
		TEE_Panic(TEE_ERROR_BAD_STATE);
	return o;
}
