// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 5.5 (Generic Object Functions) and 5.6
 * (Transient Object Functions), and the object handles (obj_checked,
 * obj_alloc, obj_release of libtee_internal.h).  The rules of each type
 * are in object_rules.c, the storage of attributes in object_attrs.c.
 *
 * Facts from OP-TEE followed here:
 * - TEE_AllocateTransientObject returns TEE_ERROR_NOT_SUPPORTED for an
 *   unknown type, a size outside the type's rule, and TEE_TYPE_DATA;
 * - populate panics (core code ITEM_NOT_FOUND) for an attribute foreign
 *   to the type, a repeated one, a missing required one or a partial
 *   optional group (the RSA CRT values), and for sizes beyond the object
 *   (see object_attrs.c); it returns only TEE_ERROR_BAD_PARAMETERS;
 * - TEE_GetObjectBufferAttribute and ..ValueAttribute panic for an
 *   uninitialised object, for an attribute of the other kind, and for a
 *   secret attribute of an object without TEE_USAGE_EXTRACTABLE;
 * - TEE_GenerateKey checks the size against the type (NOT_SUPPORTED) and
 *   panics for a type that cannot be generated (public keys, KDF inputs);
 * - TEE_CopyObjectAttributes1 copies between objects of the same type, or
 *   the public part of a key pair into a public-key object, with its size
 *   and usage; anything else panics;
 * - the Free, Reset and Populate functions panic on a persistent object.
 *
 * Differences, on purpose:
 * - TEE_GenerateKey refuses a keySize above maxObjectSize with
 *   TEE_ERROR_NOT_SUPPORTED (GP: "too large");
 * - a handle that is not a live object panics instead of faulting.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include <tee_internal_api.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"
#include "object_rules.h"

/* ---- live handles ------------------------------------------------------- */

/*
 * Every handle obj_alloc() gave out and obj_release() has not taken back,
 * so that a stale or made-up handle panics instead of being dereferenced.
 */
static struct __TEE_ObjectHandle **live;
static size_t nlive;
static size_t live_cap;

static bool live_add(struct __TEE_ObjectHandle *o)
{
	struct __TEE_ObjectHandle **grown = NULL;
	size_t cap = 0;

	if (nlive == live_cap) {
		cap = live_cap ? live_cap * 2 : 16;
		grown = realloc(live, cap * sizeof(*live));
		if (!grown)
			return false;
		live = grown;
		live_cap = cap;
	}
	live[nlive++] = o;
	return true;
}

static size_t live_index(const struct __TEE_ObjectHandle *o)
{
	size_t n = 0;

	for (n = 0; n < nlive; n++)
		if (live[n] == o)
			return n;
	return SIZE_MAX;
}

struct __TEE_ObjectHandle *obj_checked(TEE_ObjectHandle h)
{
	if (!h || live_index(h) == SIZE_MAX || h->magic != OBJ_MAGIC)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return h;
}

/* ---- obj_* for the other files of libtee -------------------------------- */

TEE_Result obj_alloc(uint32_t type, uint32_t max_size, TEE_ObjectHandle *out)
{
	const struct type_rule *r = obj_rule_of(type);
	struct __TEE_ObjectHandle *o = NULL;
	TEE_Result res = TEE_SUCCESS;

	/* TEE_TYPE_DATA's rule takes size 0 only */
	if (!r || obj_rule_size_ok(r, max_size))
		return TEE_ERROR_NOT_SUPPORTED;
	o = calloc(1, sizeof(*o));
	if (!o)
		return TEE_ERROR_OUT_OF_MEMORY;
	o->magic = OBJ_MAGIC;
	o->info.objectType = type;
	o->info.maxObjectSize = max_size;
	o->info.objectUsage = TEE_USAGE_DEFAULT;
	if (!live_add(o)) {
		free(o);
		res = TEE_ERROR_OUT_OF_MEMORY;
	} else {
		*out = o;
	}
	return res;
}

void obj_release(TEE_ObjectHandle h)
{
	size_t idx = live_index(h);

	if (!h || idx == SIZE_MAX)
		return;
	live[idx] = live[--nlive];
	obj_replace_attrs(h, NULL, 0);
	OPENSSL_cleanse(h, sizeof(*h));
	free(h);
}

/* ---- GP 5.5: generic object functions ----------------------------------- */

TEE_API TEE_Result TEE_GetObjectInfo1(TEE_ObjectHandle object,
				      TEE_ObjectInfo *objectInfo)
{
	struct __TEE_ObjectHandle *o = obj_checked(object);

	if (!objectInfo)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	*objectInfo = o->info;
	return TEE_SUCCESS;
}

TEE_API void TEE_GetObjectInfo(TEE_ObjectHandle object,
			       TEE_ObjectInfo *objectInfo)
{
	TEE_GetObjectInfo1(object, objectInfo);
}

TEE_API TEE_Result TEE_RestrictObjectUsage1(TEE_ObjectHandle object,
					    uint32_t objectUsage)
{
	struct __TEE_ObjectHandle *o = obj_checked(object);

	o->info.objectUsage &= objectUsage;
	return TEE_SUCCESS;
}

TEE_API void TEE_RestrictObjectUsage(TEE_ObjectHandle object,
				     uint32_t objectUsage)
{
	TEE_RestrictObjectUsage1(object, objectUsage);
}

/*
 * The attribute id of object, checked as OP-TEE's core does before
 * reading it: panics unless the object is initialised and the attribute
 * public or the object extractable; NULL if the object has no such one.
 */
static const TEE_Attribute *readable_attr(struct __TEE_ObjectHandle *o,
					  uint32_t id)
{
	if (!(o->info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (!(id & TEE_ATTR_FLAG_PUBLIC) &&
	    !(o->info.objectUsage & TEE_USAGE_EXTRACTABLE))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return obj_attr(o, id);
}

TEE_API TEE_Result TEE_GetObjectBufferAttribute(TEE_ObjectHandle object,
						uint32_t attributeID,
						void *buffer, size_t *size)
{
	struct __TEE_ObjectHandle *o = obj_checked(object);
	const TEE_Attribute *a = NULL;
	size_t have = 0;

	if ((attributeID & TEE_ATTR_FLAG_VALUE) || !size)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	a = readable_attr(o, attributeID);
	if (!a)
		return TEE_ERROR_ITEM_NOT_FOUND;
	have = *size;
	*size = a->content.ref.length;
	if (!a->content.ref.length)
		return TEE_SUCCESS;
	if (!buffer || have < a->content.ref.length)
		return TEE_ERROR_SHORT_BUFFER;
	memcpy(buffer, a->content.ref.buffer, a->content.ref.length);
	return TEE_SUCCESS;
}

TEE_API TEE_Result TEE_GetObjectValueAttribute(TEE_ObjectHandle object,
					       uint32_t attributeID,
					       uint32_t *a, uint32_t *b)
{
	struct __TEE_ObjectHandle *o = obj_checked(object);
	const TEE_Attribute *attr = NULL;

	if (!(attributeID & TEE_ATTR_FLAG_VALUE))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	attr = readable_attr(o, attributeID);
	if (!attr)
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (a)
		*a = attr->content.value.a;
	if (b)
		*b = attr->content.value.b;
	return TEE_SUCCESS;
}

TEE_API void TEE_CloseObject(TEE_ObjectHandle object)
{
	struct __TEE_ObjectHandle *o = NULL;

	if (object == TEE_HANDLE_NULL)
		return;
	o = obj_checked(object);
	if (o->pobj)
		pobj_close(o);
	obj_release(o);
}

/* ---- GP 5.6: transient object functions --------------------------------- */

TEE_API TEE_Result TEE_AllocateTransientObject(TEE_ObjectType objectType,
					       uint32_t maxObjectSize,
					       TEE_ObjectHandle *object)
{
	if (!object)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (objectType == TEE_TYPE_DATA)
		return TEE_ERROR_NOT_SUPPORTED;
	return obj_alloc(objectType, maxObjectSize, object);
}

/* A live transient object (panics for a persistent one, as OP-TEE). */
static struct __TEE_ObjectHandle *transient(TEE_ObjectHandle h)
{
	struct __TEE_ObjectHandle *o = obj_checked(h);

	if (o->info.handleFlags & TEE_HANDLE_FLAG_PERSISTENT)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return o;
}

TEE_API void TEE_FreeTransientObject(TEE_ObjectHandle object)
{
	if (object == TEE_HANDLE_NULL)
		return;
	obj_release(transient(object));
}

TEE_API void TEE_ResetTransientObject(TEE_ObjectHandle object)
{
	struct __TEE_ObjectHandle *o = NULL;

	if (object == TEE_HANDLE_NULL)
		return;
	o = transient(object);
	obj_replace_attrs(o, NULL, 0);
	o->info.objectSize = 0;
	o->info.objectUsage = TEE_USAGE_DEFAULT;
	o->info.handleFlags &= ~TEE_HANDLE_FLAG_INITIALIZED;
}

/* A transient object not yet initialised, else a panic with code. */
static struct __TEE_ObjectHandle *blank(TEE_ObjectHandle h, TEE_Result code)
{
	struct __TEE_ObjectHandle *o = obj_checked(h);

	if (o->info.handleFlags &
	    (TEE_HANDLE_FLAG_PERSISTENT | TEE_HANDLE_FLAG_INITIALIZED))
		TEE_Panic(code);
	return o;
}

TEE_API TEE_Result TEE_PopulateTransientObject(TEE_ObjectHandle object,
					       const TEE_Attribute *attrs,
					       uint32_t attrCount)
{
	struct __TEE_ObjectHandle *o = blank(object, TEE_ERROR_BAD_PARAMETERS);
	TEE_Result res = obj_set_attrs(o, attrs, attrCount);

	if (res != TEE_SUCCESS && res != TEE_ERROR_BAD_PARAMETERS)
		TEE_Panic(res);
	return res;
}

TEE_API void TEE_InitRefAttribute(TEE_Attribute *attr, uint32_t attributeID,
				  const void *buffer, size_t length)
{
	if (!attr || (attributeID & TEE_ATTR_FLAG_VALUE))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	attr->attributeID = attributeID;
	attr->content.ref.buffer = (void *)buffer;
	attr->content.ref.length = length;
}

TEE_API void TEE_InitValueAttribute(TEE_Attribute *attr, uint32_t attributeID,
				    uint32_t a, uint32_t b)
{
	if (!attr || !(attributeID & TEE_ATTR_FLAG_VALUE))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	attr->attributeID = attributeID;
	attr->content.value.a = a;
	attr->content.value.b = b;
}

/*
 * Whether an object of type src may be copied into one of type dst: the
 * same type, or the key pair of dst's public-key type (bit 24 set).
 */
static bool copy_allowed(uint32_t dst, uint32_t src)
{
	return dst == src || src == (dst | 0x01000000u);
}

TEE_API TEE_Result TEE_CopyObjectAttributes1(TEE_ObjectHandle destObject,
					     TEE_ObjectHandle srcObject)
{
	struct __TEE_ObjectHandle *src = obj_checked(srcObject);
	struct __TEE_ObjectHandle *dst = blank(destObject,
					       TEE_ERROR_BAD_PARAMETERS);
	const struct type_rule *r = obj_rule_of(dst->info.objectType);
	TEE_Attribute *picked = NULL;
	const TEE_Attribute *a = NULL;
	uint32_t count = 0;
	size_t n = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!(src->info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED) ||
	    !copy_allowed(dst->info.objectType, src->info.objectType))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	/* the attributes of the destination's type that the source has */
	picked = calloc(r->nattrs ? r->nattrs : 1, sizeof(*picked));
	if (!picked)
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	for (n = 0; n < r->nattrs; n++) {
		a = obj_attr(src, r->attrs[n].id);
		if (a)
			picked[count++] = *a;
	}
	res = obj_store_attrs(dst, r, picked, count, true);
	free(picked);
	if (res)
		TEE_Panic(res);
	dst->info.objectSize = src->info.objectSize;
	dst->info.objectUsage = src->info.objectUsage;
	return TEE_SUCCESS;
}

TEE_API void TEE_CopyObjectAttributes(TEE_ObjectHandle destObject,
				      TEE_ObjectHandle srcObject)
{
	TEE_CopyObjectAttributes1(destObject, srcObject);
}

/* A random secret of key_size bits as the object's TEE_ATTR_SECRET_VALUE. */
static TEE_Result generate_secret(struct __TEE_ObjectHandle *o,
				  const struct type_rule *r, uint32_t key_size)
{
	uint8_t key[4096 / 8] = { 0 };
	TEE_Attribute attr = { 0 };
	TEE_Result res = TEE_SUCCESS;

	TEE_GenerateRandom(key, key_size / 8);
	attr.attributeID = r->attrs[0].id;
	attr.content.ref.buffer = key;
	attr.content.ref.length = key_size / 8;
	res = obj_store_attrs(o, r, &attr, 1, false);
	OPENSSL_cleanse(key, sizeof(key));
	return res;
}

TEE_API TEE_Result TEE_GenerateKey(TEE_ObjectHandle object, uint32_t keySize,
				   const TEE_Attribute *params,
				   uint32_t paramCount)
{
	struct __TEE_ObjectHandle *o = blank(object, TEE_ERROR_BAD_STATE);
	const struct type_rule *r = obj_rule_of(o->info.objectType);
	TEE_Result res = TEE_SUCCESS;

	if (paramCount && !params)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (o->info.objectType == TEE_TYPE_DATA)
		TEE_Panic(TEE_ERROR_BAD_FORMAT);
	if (obj_rule_size_ok(r, keySize) || keySize > o->info.maxObjectSize)
		return TEE_ERROR_NOT_SUPPORTED;
	res = obj_rule_check_set(r, params, paramCount, true);
	if (res)
		TEE_Panic(res);
	switch (r->gen) {
	case G_RANDOM:
		res = generate_secret(o, r, keySize);
		break;
	case G_ASYM:
		res = asym_generate_key(o, keySize, params, paramCount);
		break;
	default:
		res = TEE_ERROR_BAD_FORMAT;
		break;
	}
	if (res != TEE_SUCCESS && res != TEE_ERROR_NOT_SUPPORTED)
		TEE_Panic(res);
	if (res == TEE_SUCCESS) {
		o->info.objectSize = keySize;
		o->info.handleFlags |= TEE_HANDLE_FLAG_INITIALIZED;
	}
	return res;
}
