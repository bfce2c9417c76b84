// SPDX-License-Identifier: BSD-2-Clause
/*
 * The attributes of objects: owned copies checked and stored as OP-TEE's
 * core stores them, and the obj_* helpers of libtee_internal.h that read,
 * set, encode and decode them.
 *
 * Facts from OP-TEE followed here:
 * - the object size comes from the length of the size attribute in bytes
 *   times eight (leading zeros count), or from TEE_ATTR_ECC_CURVE;
 *   a size above maxObjectSize, or a big number with more bits than it,
 *   is TEE_ERROR_BAD_STATE; a secret longer than the type's largest key
 *   is TEE_ERROR_SECURITY;
 * - big numbers are kept without leading zeros (they read back so); a
 *   value attribute keeps only its a (b reads back 0).
 *
 * Difference: types with no size attribute (SM2, Ed25519, X25519 keys)
 * get their type's only size, 256, when populated.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include <tee_internal_api.h>
#include <util.h>

#include "libtee_internal.h"
#include "object_rules.h"

static TEE_Result curve_bits(uint32_t curve, uint32_t *bits)
{
	switch (curve) {
	case TEE_ECC_CURVE_NIST_P192:
		*bits = 192;
		return TEE_SUCCESS;
	case TEE_ECC_CURVE_NIST_P224:
		*bits = 224;
		return TEE_SUCCESS;
	case TEE_ECC_CURVE_NIST_P256:
	case TEE_ECC_CURVE_SM2:
		*bits = 256;
		return TEE_SUCCESS;
	case TEE_ECC_CURVE_NIST_P384:
		*bits = 384;
		return TEE_SUCCESS;
	case TEE_ECC_CURVE_NIST_P521:
		*bits = 521;
		return TEE_SUCCESS;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}

/* Bits of a big-endian number once its leading zeros are dropped. */
static size_t used_bits(const uint8_t *p, size_t len)
{
	size_t n = 0;
	size_t bits = 0;
	uint8_t top = 0;

	while (n < len && !p[n])
		n++;
	if (n == len)
		return 0;
	bits = (len - n - 1) * 8;
	for (top = p[n]; top; top >>= 1)
		bits++;
	return bits;
}

/* ---- attribute storage -------------------------------------------------- */

static void attrs_free(TEE_Attribute *attrs, size_t count)
{
	size_t n = 0;

	for (n = 0; attrs && n < count; n++) {
		if (attrs[n].attributeID & TEE_ATTR_FLAG_VALUE)
			continue;
		OPENSSL_clear_free(attrs[n].content.ref.buffer,
				   attrs[n].content.ref.length);
	}
	free(attrs);
}

void obj_replace_attrs(struct __TEE_ObjectHandle *o, TEE_Attribute *attrs,
		       size_t count)
{
	attrs_free(o->attrs, o->nattrs);
	o->attrs = attrs;
	o->nattrs = count;
}

/* An owned copy of len bytes (a non-NULL pointer even for none). */
static void *dup_bytes(const void *p, size_t len)
{
	void *copy = malloc(len ? len : 1);

	if (copy && len)
		memcpy(copy, p, len);
	return copy;
}

/*
 * Stores one attribute in *dst as rule a says, setting *size to the object
 * size it gives if it gives one; limit is the largest size it may give
 * or big number it may hold.  Codes as OP-TEE's core.
 */
static TEE_Result store_attr(uint32_t limit, const struct type_rule *r,
			     const struct attr_rule *a,
			     const TEE_Attribute *src, TEE_Attribute *dst,
			     uint32_t *size)
{
	const uint8_t *p = src->content.ref.buffer;
	size_t len = src->content.ref.length;
	uint32_t bits = 0;
	TEE_Result res = TEE_SUCCESS;

	dst->attributeID = src->attributeID;
	if (a->kind == K_VALUE) {
		dst->content.value.a = src->content.value.a;
		dst->content.value.b = 0;
		if (a->flags & A_SIZE) {
			res = curve_bits(src->content.value.a, &bits);
			if (res)
				return res;
		}
	} else {
		if (!p && len)
			return TEE_ERROR_BAD_PARAMETERS;
		if (a->kind == K_SECRET && len > r->max / 8u)
			return TEE_ERROR_SECURITY;
		if (a->kind == K_KEY32 && len != 32)
			return TEE_ERROR_BAD_PARAMETERS;
		if ((a->flags & A_MAXBITS) && used_bits(p, len) > limit)
			return TEE_ERROR_BAD_STATE;
		if (a->flags & A_SIZE) {
			if (len > UINT32_MAX / 8)
				return TEE_ERROR_BAD_STATE;
			bits = (uint32_t)len * 8;
		}
		if (a->kind == K_BIGNUM) {
			while (len && !*p) {
				p++;
				len--;
			}
		}
		dst->content.ref.buffer = dup_bytes(p, len);
		dst->content.ref.length = len;
		if (!dst->content.ref.buffer)
			return TEE_ERROR_OUT_OF_MEMORY;
	}
	if (a->flags & A_SIZE) {
		if (bits > limit)
			return TEE_ERROR_BAD_STATE;
		*size = bits;
	}
	return TEE_SUCCESS;
}

/* Whether the type of r has an attribute that gives the object size. */
static bool has_size_attr(const struct type_rule *r)
{
	size_t n = 0;

	for (n = 0; n < r->nattrs; n++)
		if (r->attrs[n].flags & A_SIZE)
			return true;
	return false;
}

/* When copying, only the type's largest key bounds a secret. */
TEE_Result obj_store_attrs(struct __TEE_ObjectHandle *o,
			   const struct type_rule *r,
			   const TEE_Attribute *attrs, uint32_t count,
			   bool copy)
{
	uint32_t limit = copy ? UINT32_MAX : o->info.maxObjectSize;
	TEE_Attribute *stored = NULL;
	uint32_t size = has_size_attr(r) ? 0 : r->max;
	uint32_t n = 0;
	int idx = 0;
	TEE_Result res = TEE_SUCCESS;

	stored = calloc(count ? count : 1, sizeof(*stored));
	if (!stored)
		return TEE_ERROR_OUT_OF_MEMORY;
	for (n = 0; n < count; n++) {
		idx = obj_rule_attr(r, attrs[n].attributeID);
		res = store_attr(limit, r, &r->attrs[idx], &attrs[n],
				 &stored[n], &size);
		if (res)
			break;
	}
	if (res) {
		/* attributes n.. hold no buffer: calloc and failed stores */
		attrs_free(stored, n);
		return res;
	}
	obj_replace_attrs(o, stored, count);
	o->info.objectSize = size;
	o->info.handleFlags |= TEE_HANDLE_FLAG_INITIALIZED;
	return TEE_SUCCESS;
}

const TEE_Attribute *obj_attr(TEE_ObjectHandle h, uint32_t id)
{
	size_t n = 0;

	for (n = 0; n < h->nattrs; n++)
		if (h->attrs[n].attributeID == id)
			return &h->attrs[n];
	return NULL;
}

TEE_Result obj_set_attrs(TEE_ObjectHandle h, const TEE_Attribute *attrs,
			 uint32_t count)
{
	const struct type_rule *r = obj_rule_of(h->info.objectType);
	TEE_Result res = TEE_SUCCESS;

	if (count && !attrs)
		return TEE_ERROR_BAD_PARAMETERS;
	res = obj_rule_check_set(r, attrs, count, false);
	if (!res)
		res = obj_store_attrs(h, r, attrs, count, false);
	return res;
}

/*
 * The byte string of obj_attrs_encode: a 32-bit count, then per attribute
 * its id, a 32-bit length and that many bytes (a value attribute: 8 bytes,
 * a then b); every integer little-endian.
 */
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static size_t attr_len(const TEE_Attribute *a)
{
	if (a->attributeID & TEE_ATTR_FLAG_VALUE)
		return 8;
	return a->content.ref.length;
}

TEE_Result obj_attrs_encode(TEE_ObjectHandle h, uint8_t **out, size_t *len)
{
	size_t total = 4;
	size_t n = 0;
	uint8_t *buf = NULL;
	uint8_t *p = NULL;

	for (n = 0; n < h->nattrs; n++)
		if (ADD_OVERFLOW(total, 8 + attr_len(&h->attrs[n]), &total))
			return TEE_ERROR_OVERFLOW;
	buf = malloc(total);
	if (!buf)
		return TEE_ERROR_OUT_OF_MEMORY;
	put32(buf, (uint32_t)h->nattrs);
	p = buf + 4;
	for (n = 0; n < h->nattrs; n++) {
		const TEE_Attribute *a = &h->attrs[n];

		put32(p, a->attributeID);
		put32(p + 4, (uint32_t)attr_len(a));
		if (a->attributeID & TEE_ATTR_FLAG_VALUE) {
			put32(p + 8, a->content.value.a);
			put32(p + 12, a->content.value.b);
		} else if (a->content.ref.length) {
			memcpy(p + 8, a->content.ref.buffer,
			       a->content.ref.length);
		}
		p += 8 + attr_len(a);
	}
	*out = buf;
	*len = total;
	return TEE_SUCCESS;
}

/* One attribute of an encoded string into *a (buffer pointing into buf). */
static bool decode_one(const uint8_t *buf, size_t len, size_t *pos,
		       TEE_Attribute *a)
{
	size_t alen = 0;

	if (len - *pos < 8)
		return false;
	a->attributeID = get32(buf + *pos);
	alen = get32(buf + *pos + 4);
	*pos += 8;
	if (len - *pos < alen)
		return false;
	if (a->attributeID & TEE_ATTR_FLAG_VALUE) {
		if (alen != 8)
			return false;
		a->content.value.a = get32(buf + *pos);
		a->content.value.b = get32(buf + *pos + 4);
	} else {
		a->content.ref.buffer = (void *)(buf + *pos);
		a->content.ref.length = alen;
	}
	*pos += alen;
	return true;
}

TEE_Result obj_attrs_decode(TEE_ObjectHandle h, const uint8_t *buf,
			    size_t len)
{
	const struct type_rule *r = obj_rule_of(h->info.objectType);
	TEE_Attribute *view = NULL;
	TEE_Attribute *copy = NULL;
	uint32_t count = 0;
	uint32_t seen = 0;
	uint32_t n = 0;
	size_t pos = 4;
	int idx = 0;
	TEE_Result res = TEE_ERROR_CORRUPT_OBJECT;

	if (len < 4)
		return res;
	count = get32(buf);
	if (count > r->nattrs)
		return res;
	view = calloc(count ? count : 1, sizeof(*view));
	copy = calloc(count ? count : 1, sizeof(*copy));
	if (!view || !copy) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	for (n = 0; n < count; n++) {
		if (!decode_one(buf, len, &pos, &view[n]))
			goto out;
		idx = obj_rule_attr(r, view[n].attributeID);
		if (idx < 0 || (seen & (1u << idx)))
			goto out;
		seen |= 1u << idx;
	}
	if (pos != len)
		goto out;
	for (n = 0; n < count; n++) {
		copy[n] = view[n];
		if (view[n].attributeID & TEE_ATTR_FLAG_VALUE)
			continue;
		copy[n].content.ref.buffer =
			dup_bytes(view[n].content.ref.buffer,
				  view[n].content.ref.length);
		if (!copy[n].content.ref.buffer) {
			copy[n].content.ref.length = 0;
			attrs_free(copy, n + 1);
			copy = NULL;
			res = TEE_ERROR_OUT_OF_MEMORY;
			goto out;
		}
	}
	obj_replace_attrs(h, copy, count);
	copy = NULL;
	res = TEE_SUCCESS;
out:
	free(view);
	free(copy);
	return res;
}
