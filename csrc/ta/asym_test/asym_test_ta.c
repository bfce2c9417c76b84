// SPDX-License-Identifier: BSD-2-Clause
/*
 * The asymmetric crypto test TA: makes or imports key objects and runs
 * one whole asymmetric operation per command (encrypt, decrypt, sign,
 * verify, derive), returning the result of the API function.  Commands,
 * parameters and byte formats are documented in include/asym_test_ta.h.
 * GP API only, so it builds with OP-TEE's dev kit as well.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>

#include <asym_test_ta.h>

#define PT_NONE	TEE_PARAM_TYPE_NONE
#define PT_VIN	TEE_PARAM_TYPE_VALUE_INPUT
#define PT_VOUT	TEE_PARAM_TYPE_VALUE_OUTPUT
#define PT_MIN	TEE_PARAM_TYPE_MEMREF_INPUT
#define PT_MOUT	TEE_PARAM_TYPE_MEMREF_OUTPUT

static TEE_ObjectHandle keys[TA_ASYM_MAX_KEYS];

/* The attributes of a command, in a private copy of the client's bytes. */
struct attrs {
	TEE_Attribute a[TA_ASYM_MAX_ATTRS];
	uint32_t count;
	uint8_t *copy;
	uint8_t *conf_out;	/* TEE_ATTR_SM2_KEP_CONFIRMATION_OUT's buffer */
	size_t conf_len;
};

static TEE_Result key_of(uint32_t id, TEE_ObjectHandle *h)
{
	if (!id || id > TA_ASYM_MAX_KEYS || !keys[id - 1])
		return TEE_ERROR_ITEM_NOT_FOUND;
	*h = keys[id - 1];
	return TEE_SUCCESS;
}

/* Keeps h in the table (frees it when the table is full). */
static TEE_Result key_put(TEE_ObjectHandle h, uint32_t *id)
{
	uint32_t n = 0;

	for (n = 0; n < TA_ASYM_MAX_KEYS; n++) {
		if (!keys[n]) {
			keys[n] = h;
			*id = n + 1;
			return TEE_SUCCESS;
		}
	}
	TEE_FreeTransientObject(h);
	return TEE_ERROR_OUT_OF_MEMORY;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void attrs_free(struct attrs *at)
{
	TEE_Free(at->copy);
	TEE_Free(at->conf_out);
}

/* One buffer attribute at *pos of the copy (its u32 length first). */
static TEE_Result parse_ref(struct attrs *at, size_t size, size_t *pos,
			    TEE_Attribute *a)
{
	size_t len = 0;

	if (size - *pos < 4)
		return TEE_ERROR_BAD_FORMAT;
	len = get32(at->copy + *pos);
	*pos += 4;
	if (len > size - *pos)
		return TEE_ERROR_BAD_FORMAT;
	a->content.ref.buffer = at->copy + *pos;
	a->content.ref.length = len;
	*pos += len;
	if (a->attributeID != TEE_ATTR_SM2_KEP_CONFIRMATION_OUT)
		return TEE_SUCCESS;
	/* an output: give the API a buffer of the TA's own */
	if (at->conf_out)
		return TEE_ERROR_BAD_FORMAT;
	at->conf_out = TEE_Malloc(len, TEE_MALLOC_FILL_ZERO);
	if (!at->conf_out)
		return TEE_ERROR_OUT_OF_MEMORY;
	at->conf_len = len;
	a->content.ref.buffer = at->conf_out;
	return TEE_SUCCESS;
}

/* The attributes of parameter i (MEMREF_INPUT or none). */
static TEE_Result parse_attrs(uint32_t pt, TEE_Param p[4], unsigned int i,
			      struct attrs *at)
{
	size_t size = 0;
	size_t pos = 0;
	TEE_Attribute *a = NULL;
	TEE_Result res = TEE_SUCCESS;

	if (TEE_PARAM_TYPE_GET(pt, i) == PT_NONE)
		return TEE_SUCCESS;
	size = p[i].memref.size;
	at->copy = TEE_Malloc(size, TEE_MALLOC_FILL_ZERO);
	if (!at->copy)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_MemMove(at->copy, p[i].memref.buffer, size);
	while (!res && pos < size) {
		if (size - pos < 4 || at->count == TA_ASYM_MAX_ATTRS)
			return TEE_ERROR_BAD_FORMAT;
		a = &at->a[at->count++];
		a->attributeID = get32(at->copy + pos);
		pos += 4;
		if (!(a->attributeID & TEE_ATTR_FLAG_VALUE)) {
			res = parse_ref(at, size, &pos, a);
		} else if (size - pos < 8) {
			res = TEE_ERROR_BAD_FORMAT;
		} else {
			a->content.value.a = get32(at->copy + pos);
			a->content.value.b = get32(at->copy + pos + 4);
			pos += 8;
		}
	}
	return res;
}

static bool types(uint32_t pt, uint32_t t0, uint32_t t1, uint32_t t2,
		  uint32_t t3)
{
	uint32_t want[4] = { t0, t1, t2, t3 };
	unsigned int i = 0;

	for (i = 0; i < 4; i++) {
		uint32_t t = TEE_PARAM_TYPE_GET(pt, i);

		/* PT_MIN stands for "MEMREF_INPUT or none" */
		if (t != want[i] && !(want[i] == PT_MIN && t == PT_NONE))
			return false;
	}
	return true;
}

static const void *in_buf(uint32_t pt, TEE_Param p[4], unsigned int i)
{
	return TEE_PARAM_TYPE_GET(pt, i) == PT_NONE ? NULL : p[i].memref.buffer;
}

static size_t in_len(uint32_t pt, TEE_Param p[4], unsigned int i)
{
	return TEE_PARAM_TYPE_GET(pt, i) == PT_NONE ? 0 : p[i].memref.size;
}

/* ---- keys ---------------------------------------------------------------- */

static TEE_Result make_key(uint32_t pt, TEE_Param p[4], bool generate)
{
	struct attrs at = { .count = 0 };
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	if (!types(pt, PT_VIN, PT_MIN, PT_VOUT, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = parse_attrs(pt, p, 1, &at);
	if (!res)
		res = TEE_AllocateTransientObject(p[0].value.a, p[0].value.b,
						  &h);
	if (!res && generate)
		res = TEE_GenerateKey(h, p[0].value.b, at.a, at.count);
	else if (!res)
		res = TEE_PopulateTransientObject(h, at.a, at.count);
	if (!res)
		res = key_put(h, &p[2].value.a);
	else
		TEE_FreeTransientObject(h);
	attrs_free(&at);
	return res;
}

static TEE_Result get_attr(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	uint32_t id = p[0].value.b;
	uint32_t a = 0;
	uint32_t b = 0;
	size_t size = p[1].memref.size;
	TEE_Result res = TEE_SUCCESS;

	if (!types(pt, PT_VIN, PT_MOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = key_of(p[0].value.a, &h);
	if (res)
		return res;
	if (!(id & TEE_ATTR_FLAG_VALUE)) {
		res = TEE_GetObjectBufferAttribute(h, id, p[1].memref.buffer,
						   &size);
		if (!res || res == TEE_ERROR_SHORT_BUFFER)
			p[1].memref.size = size;
		return res;
	}
	if (size < 8) {
		p[1].memref.size = 8;
		return TEE_ERROR_SHORT_BUFFER;
	}
	res = TEE_GetObjectValueAttribute(h, id, &a, &b);
	if (!res) {
		put32(p[1].memref.buffer, a);
		put32((uint8_t *)p[1].memref.buffer + 4, b);
		p[1].memref.size = 8;
	}
	return res;
}

static TEE_Result free_key(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	if (!types(pt, PT_VIN, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = key_of(p[0].value.a, &h);
	if (!res) {
		TEE_FreeTransientObject(h);
		keys[p[0].value.a - 1] = TEE_HANDLE_NULL;
	}
	return res;
}

/* ---- operations ---------------------------------------------------------- */

/*
 * The maxKeySize an operation on key h needs: its size, except for DSA
 * keys, whose size is that of q while operations count the bits of p.
 */
static uint32_t op_key_size(TEE_ObjectHandle h)
{
	TEE_ObjectInfo info = { 0 };
	uint8_t prime[3072 / 8] = { 0 };
	size_t len = sizeof(prime);
	uint32_t bits = 0;

	TEE_GetObjectInfo1(h, &info);
	if (info.objectType != TEE_TYPE_DSA_KEYPAIR &&
	    info.objectType != TEE_TYPE_DSA_PUBLIC_KEY)
		return info.objectSize;
	if (TEE_GetObjectBufferAttribute(h, TEE_ATTR_DSA_PRIME, prime, &len) ||
	    !len)
		return info.objectSize;
	/* the prime is stored without leading zeros */
	for (bits = (uint32_t)len * 8; prime[0] && !(prime[0] & 0x80);
	     prime[0] <<= 1)
		bits--;
	return bits;
}

/* An operation of alg in mode with key (and key2 when not 0) set. */
static TEE_Result op_with_keys(uint32_t alg, uint32_t mode, uint32_t key,
			       uint32_t key2, TEE_OperationHandle *op)
{
	TEE_ObjectHandle h1 = TEE_HANDLE_NULL;
	TEE_ObjectHandle h2 = TEE_HANDLE_NULL;
	TEE_Result res = key_of(key, &h1);

	if (!res && key2)
		res = key_of(key2, &h2);
	if (!res)
		res = TEE_AllocateOperation(op, alg, mode,
					    h2 ? 2 * op_key_size(h1) :
						 op_key_size(h1));
	if (res)
		return res;
	if (h2)
		res = TEE_SetOperationKey2(*op, h1, h2);
	else
		res = TEE_SetOperationKey(*op, h1);
	if (res)
		TEE_FreeOperation(*op);
	return res;
}

/* ENCRYPT, DECRYPT and SIGN: input p2, output p3. */
static TEE_Result transform(uint32_t pt, TEE_Param p[4], uint32_t mode)
{
	struct attrs at = { .count = 0 };
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	size_t size = p[3].memref.size;
	TEE_Result res = TEE_SUCCESS;

	if (!types(pt, PT_VIN, PT_MIN, PT_MIN, PT_MOUT))
		return TEE_ERROR_BAD_PARAMETERS;
	res = parse_attrs(pt, p, 1, &at);
	if (!res)
		res = op_with_keys(p[0].value.a, mode, p[0].value.b, 0, &op);
	if (res) {
		attrs_free(&at);
		return res;
	}
	if (mode == TEE_MODE_ENCRYPT)
		res = TEE_AsymmetricEncrypt(op, at.a, at.count,
					    in_buf(pt, p, 2), in_len(pt, p, 2),
					    p[3].memref.buffer, &size);
	else if (mode == TEE_MODE_DECRYPT)
		res = TEE_AsymmetricDecrypt(op, at.a, at.count,
					    in_buf(pt, p, 2), in_len(pt, p, 2),
					    p[3].memref.buffer, &size);
	else
		res = TEE_AsymmetricSignDigest(op, at.a, at.count,
					       in_buf(pt, p, 2),
					       in_len(pt, p, 2),
					       p[3].memref.buffer, &size);
	if (!res || res == TEE_ERROR_SHORT_BUFFER)
		p[3].memref.size = size;
	TEE_FreeOperation(op);
	attrs_free(&at);
	return res;
}

static TEE_Result verify(uint32_t pt, TEE_Param p[4])
{
	struct attrs at = { .count = 0 };
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	if (!types(pt, PT_VIN, PT_MIN, PT_MIN, PT_MIN))
		return TEE_ERROR_BAD_PARAMETERS;
	res = parse_attrs(pt, p, 1, &at);
	if (!res)
		res = op_with_keys(p[0].value.a, TEE_MODE_VERIFY, p[0].value.b,
				   0, &op);
	if (!res) {
		res = TEE_AsymmetricVerifyDigest(op, at.a, at.count,
						 in_buf(pt, p, 2),
						 in_len(pt, p, 2),
						 in_buf(pt, p, 3),
						 in_len(pt, p, 3));
		TEE_FreeOperation(op);
	}
	attrs_free(&at);
	return res;
}

/* The derived secret, then the confirmation the function wrote, in p3. */
static TEE_Result put_derived(TEE_ObjectHandle dk, const struct attrs *at,
			      TEE_Param *out)
{
	uint8_t *buf = out->memref.buffer;
	size_t room = out->memref.size;
	size_t len = room;
	TEE_Result res = TEE_GetObjectBufferAttribute(dk, TEE_ATTR_SECRET_VALUE,
						      buf, &len);

	if (res && res != TEE_ERROR_SHORT_BUFFER)
		return res;
	if (res || room - len < at->conf_len) {
		out->memref.size = len + at->conf_len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (at->conf_len)
		TEE_MemMove(buf + len, at->conf_out, at->conf_len);
	out->memref.size = len + at->conf_len;
	return TEE_SUCCESS;
}

static TEE_Result derive(uint32_t pt, TEE_Param p[4])
{
	struct attrs at = { .count = 0 };
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_ObjectHandle dk = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	if (!types(pt, PT_VIN, PT_MIN, PT_VIN, PT_MOUT))
		return TEE_ERROR_BAD_PARAMETERS;
	res = parse_attrs(pt, p, 1, &at);
	if (!res)
		res = TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET,
						  p[2].value.b, &dk);
	if (!res)
		res = op_with_keys(p[0].value.a, TEE_MODE_DERIVE, p[0].value.b,
				   p[2].value.a, &op);
	if (!res) {
		TEE_DeriveKey(op, at.a, at.count, dk);
		TEE_FreeOperation(op);
		res = put_derived(dk, &at, &p[3]);
	}
	TEE_FreeTransientObject(dk);
	attrs_free(&at);
	return res;
}

/* ---- entry points -------------------------------------------------------- */

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t pt __unused,
				    TEE_Param params[4] __unused,
				    void **session __unused)
{
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *session __unused)
{
}

TEE_Result TA_InvokeCommandEntryPoint(void *session __unused, uint32_t cmd,
				      uint32_t pt, TEE_Param p[4])
{
	switch (cmd) {
	case TA_ASYM_CMD_IMPORT_KEY:
		return make_key(pt, p, false);
	case TA_ASYM_CMD_GENERATE_KEY:
		return make_key(pt, p, true);
	case TA_ASYM_CMD_GET_ATTR:
		return get_attr(pt, p);
	case TA_ASYM_CMD_FREE_KEY:
		return free_key(pt, p);
	case TA_ASYM_CMD_ENCRYPT:
		return transform(pt, p, TEE_MODE_ENCRYPT);
	case TA_ASYM_CMD_DECRYPT:
		return transform(pt, p, TEE_MODE_DECRYPT);
	case TA_ASYM_CMD_SIGN:
		return transform(pt, p, TEE_MODE_SIGN);
	case TA_ASYM_CMD_VERIFY:
		return verify(pt, p);
	case TA_ASYM_CMD_DERIVE:
		return derive(pt, p);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
