// SPDX-License-Identifier: BSD-2-Clause
/*
 * The crypto test TA: each command calls one function of the GP TEE
 * Internal Core API on objects and operations named by id, and returns
 * its result.  Commands, parameters and byte formats are documented in
 * include/crypto_test_ta.h.  GP API only, so it builds with OP-TEE's dev
 * kit as well.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>

#include "crypto_test.h"

#define PT_NONE	TEE_PARAM_TYPE_NONE
#define PT_VIN	TEE_PARAM_TYPE_VALUE_INPUT
#define PT_VOUT	TEE_PARAM_TYPE_VALUE_OUTPUT
#define PT_MIN	TEE_PARAM_TYPE_MEMREF_INPUT
#define PT_MOUT	TEE_PARAM_TYPE_MEMREF_OUTPUT
#define PT_MIO	TEE_PARAM_TYPE_MEMREF_INOUT

/* Allowed types of one parameter, as a bit set of TEE_PARAM_TYPE_*. */
#define ONLY(t)		(1u << (t))
#define NONE		ONLY(PT_NONE)
#define VIN		ONLY(PT_VIN)
#define VOUT		ONLY(PT_VOUT)
#define MOUT		ONLY(PT_MOUT)
#define IN		(ONLY(PT_MIN) | NONE)	/* "in": MIN or none */
#define IN_INPLACE	(IN | ONLY(PT_MIO))

static uint32_t ptype(uint32_t pt, unsigned int i)
{
	return TEE_PARAM_TYPE_GET(pt, i);
}

/* The buffer of an "in" parameter: (NULL, 0) when it is none. */
static const void *in_buf(uint32_t pt, TEE_Param *p, unsigned int i)
{
	return ptype(pt, i) == PT_NONE ? NULL : p[i].memref.buffer;
}

static size_t in_len(uint32_t pt, TEE_Param *p, unsigned int i)
{
	return ptype(pt, i) == PT_NONE ? 0 : p[i].memref.size;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Writes count u32 to an output parameter, or answers a short buffer. */
static TEE_Result put_u32s(TEE_Param *out, const uint32_t *v, size_t count)
{
	size_t need = count * 4;
	size_t n = 0;

	if (out->memref.size < need) {
		out->memref.size = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	for (n = 0; n < count; n++)
		put32((uint8_t *)out->memref.buffer + 4 * n, v[n]);
	out->memref.size = need;
	return TEE_SUCCESS;
}

#define OBJ(id, h) \
	do { \
		if (!ids_object((id), &(h))) \
			return TEE_ERROR_ITEM_NOT_FOUND; \
	} while (0)
#define OP(id, h) \
	do { \
		if (!ids_op((id), &(h))) \
			return TEE_ERROR_ITEM_NOT_FOUND; \
	} while (0)

/* ---- objects ------------------------------------------------------------ */

static TEE_Result alloc_object(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res = TEE_AllocateTransientObject(p[0].value.a,
						     p[0].value.b, &h);

	if (res)
		return res;
	res = ids_put_object(h, &p[1].value.a);
	if (res)
		TEE_FreeTransientObject(h);
	return res;
}

static TEE_Result free_object(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;

	OBJ(p[0].value.a, h);
	TEE_FreeTransientObject(h);
	ids_drop_object(p[0].value.a);
	return TEE_SUCCESS;
}

static TEE_Result reset_object(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;

	OBJ(p[0].value.a, h);
	TEE_ResetTransientObject(h);
	return TEE_SUCCESS;
}

static TEE_Result close_object(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;

	OBJ(p[0].value.a, h);
	TEE_CloseObject(h);
	ids_drop_object(p[0].value.a);
	return TEE_SUCCESS;
}

static TEE_Result populate(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	struct attr_list l = { 0 };
	TEE_Result res = TEE_SUCCESS;

	OBJ(p[0].value.a, h);
	res = attrs_parse(in_buf(pt, p, 1), in_len(pt, p, 1), &l);
	if (!res)
		res = TEE_PopulateTransientObject(h, l.attrs, l.count);
	attrs_release(&l);
	return res;
}

static TEE_Result generate_key(uint32_t pt, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	struct attr_list l = { 0 };
	TEE_Result res = TEE_SUCCESS;

	OBJ(p[0].value.a, h);
	res = attrs_parse(in_buf(pt, p, 1), in_len(pt, p, 1), &l);
	if (!res)
		res = TEE_GenerateKey(h, p[0].value.b, l.attrs, l.count);
	attrs_release(&l);
	return res;
}

static TEE_Result get_buffer_attr(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	size_t size = p[1].memref.size;
	TEE_Result res = TEE_SUCCESS;

	OBJ(p[0].value.a, h);
	res = TEE_GetObjectBufferAttribute(h, p[0].value.b,
					   p[1].memref.buffer, &size);
	p[1].memref.size = size;
	return res;
}

static TEE_Result get_value_attr(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;

	OBJ(p[0].value.a, h);
	return TEE_GetObjectValueAttribute(h, p[0].value.b, &p[1].value.a,
					   &p[1].value.b);
}

static TEE_Result get_object_info(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_ObjectInfo info = { 0 };
	uint32_t v[7] = { 0 };
	TEE_Result res = TEE_SUCCESS;

	OBJ(p[0].value.a, h);
	res = TEE_GetObjectInfo1(h, &info);
	if (res)
		return res;
	v[0] = info.objectType;
	v[1] = info.objectSize;
	v[2] = info.maxObjectSize;
	v[3] = info.objectUsage;
	v[4] = (uint32_t)info.dataSize;
	v[5] = (uint32_t)info.dataPosition;
	v[6] = info.handleFlags;
	return put_u32s(&p[1], v, 7);
}

static TEE_Result restrict_usage(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;

	OBJ(p[0].value.a, h);
	return TEE_RestrictObjectUsage1(h, p[0].value.b);
}

static TEE_Result copy_attrs(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_ObjectHandle dst = TEE_HANDLE_NULL;
	TEE_ObjectHandle src = TEE_HANDLE_NULL;

	OBJ(p[0].value.a, dst);
	OBJ(p[0].value.b, src);
	return TEE_CopyObjectAttributes1(dst, src);
}

/* ---- operations --------------------------------------------------------- */

static TEE_Result alloc_op(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;
	TEE_Result res = TEE_AllocateOperation(&h, p[0].value.a, p[0].value.b,
					       p[1].value.a);

	if (res)
		return res;
	res = ids_put_op(h, &p[2].value.a);
	if (res)
		TEE_FreeOperation(h);
	return res;
}

static TEE_Result free_op(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;

	OP(p[0].value.a, h);
	TEE_FreeOperation(h);
	ids_drop_op(p[0].value.a);
	return TEE_SUCCESS;
}

static TEE_Result reset_op(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;

	OP(p[0].value.a, h);
	TEE_ResetOperation(h);
	return TEE_SUCCESS;
}

static TEE_Result copy_op(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_OperationHandle dst = TEE_HANDLE_NULL;
	TEE_OperationHandle src = TEE_HANDLE_NULL;

	OP(p[0].value.a, dst);
	OP(p[0].value.b, src);
	TEE_CopyOperation(dst, src);
	return TEE_SUCCESS;
}

static TEE_Result set_key(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;
	TEE_ObjectHandle key = TEE_HANDLE_NULL;

	OP(p[0].value.a, h);
	OBJ(p[0].value.b, key);
	return TEE_SetOperationKey(h, key);
}

static TEE_Result set_key2(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;
	TEE_ObjectHandle key1 = TEE_HANDLE_NULL;
	TEE_ObjectHandle key2 = TEE_HANDLE_NULL;

	OP(p[0].value.a, h);
	OBJ(p[1].value.a, key1);
	OBJ(p[1].value.b, key2);
	return TEE_SetOperationKey2(h, key1, key2);
}

static TEE_Result get_op_info(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;
	TEE_OperationInfo info = { 0 };
	uint32_t v[8] = { 0 };

	OP(p[0].value.a, h);
	TEE_GetOperationInfo(h, &info);
	v[0] = info.algorithm;
	v[1] = info.operationClass;
	v[2] = info.mode;
	v[3] = info.digestLength;
	v[4] = info.maxKeySize;
	v[5] = info.keySize;
	v[6] = info.requiredKeyUsage;
	v[7] = info.handleState;
	return put_u32s(&p[1], v, 8);
}

static TEE_Result get_op_info_multiple(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;
	TEE_OperationInfoMultiple *info = NULL;
	size_t size = p[1].memref.size;
	TEE_Result res = TEE_SUCCESS;

	OP(p[0].value.a, h);
	/* an aligned buffer of the client's size: the API fills it */
	info = TEE_Malloc(size ? size : 1, TEE_MALLOC_FILL_ZERO);
	if (!info)
		return TEE_ERROR_OUT_OF_MEMORY;
	res = TEE_GetOperationInfoMultiple(h, info, &size);
	if (!res) {
		/* all fields are uint32_t: as u32s, little-endian */
		res = put_u32s(&p[1], (const uint32_t *)info,
			       p[1].memref.size / 4);
	}
	TEE_Free(info);
	return res;
}

static TEE_Result is_supported(uint32_t pt __unused, TEE_Param p[4])
{
	return TEE_IsAlgorithmSupported(p[0].value.a, p[0].value.b);
}

/* ---- digests, ciphers, MACs, AE ----------------------------------------- */

static TEE_Result digest_update(uint32_t pt, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;

	OP(p[0].value.a, h);
	TEE_DigestUpdate(h, in_buf(pt, p, 1), in_len(pt, p, 1));
	return TEE_SUCCESS;
}

static TEE_Result digest_final(uint32_t pt, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;
	size_t size = p[2].memref.size;
	TEE_Result res = TEE_SUCCESS;

	OP(p[0].value.a, h);
	res = TEE_DigestDoFinal(h, in_buf(pt, p, 1), in_len(pt, p, 1),
				p[2].memref.buffer, &size);
	p[2].memref.size = size;
	return res;
}

static TEE_Result digest_extract(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;
	size_t size = p[1].memref.size;
	TEE_Result res = TEE_SUCCESS;

	OP(p[0].value.a, h);
	res = TEE_DigestExtract(h, p[1].memref.buffer, &size);
	p[1].memref.size = size;
	return res;
}

static TEE_Result cipher_init(uint32_t pt, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;

	OP(p[0].value.a, h);
	TEE_CipherInit(h, in_buf(pt, p, 1), in_len(pt, p, 1));
	return TEE_SUCCESS;
}

typedef TEE_Result (*stream_fn)(TEE_OperationHandle, const void *, size_t,
				void *, size_t *);

/*
 * p1 in, p2 out; or in place: p1 inout holding the source in its first
 * p2.value.a bytes and room for the output in all of it.
 */
static TEE_Result stream(stream_fn fn, uint32_t pt, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;
	bool in_place = ptype(pt, 1) == PT_MIO;
	TEE_Param *out = in_place ? &p[1] : &p[2];
	size_t src_len = in_place ? p[2].value.a : in_len(pt, p, 1);
	size_t size = out->memref.size;
	TEE_Result res = TEE_SUCCESS;

	if (in_place ? ptype(pt, 2) != PT_VIN || src_len > size :
		       ptype(pt, 2) != PT_MOUT)
		return TEE_ERROR_BAD_PARAMETERS;
	OP(p[0].value.a, h);
	res = fn(h, in_buf(pt, p, 1), src_len, out->memref.buffer, &size);
	out->memref.size = size;
	return res;
}

static TEE_Result cipher_update(uint32_t pt, TEE_Param p[4])
{
	return stream(TEE_CipherUpdate, pt, p);
}

static TEE_Result cipher_final(uint32_t pt, TEE_Param p[4])
{
	return stream(TEE_CipherDoFinal, pt, p);
}

static TEE_Result mac_init(uint32_t pt, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;

	OP(p[0].value.a, h);
	TEE_MACInit(h, in_buf(pt, p, 1), in_len(pt, p, 1));
	return TEE_SUCCESS;
}

static TEE_Result mac_update(uint32_t pt, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;

	OP(p[0].value.a, h);
	TEE_MACUpdate(h, in_buf(pt, p, 1), in_len(pt, p, 1));
	return TEE_SUCCESS;
}

static TEE_Result mac_compute(uint32_t pt, TEE_Param p[4])
{
	return stream(TEE_MACComputeFinal, pt, p);
}

static TEE_Result mac_compare(uint32_t pt, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;

	OP(p[0].value.a, h);
	return TEE_MACCompareFinal(h, in_buf(pt, p, 1), in_len(pt, p, 1),
				   p[2].memref.buffer, p[2].memref.size);
}

static TEE_Result ae_init(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;

	OP(p[0].value.a, h);
	return TEE_AEInit(h, p[1].memref.buffer, p[1].memref.size,
			  p[0].value.b, p[2].value.a, p[2].value.b);
}

static TEE_Result ae_update_aad(uint32_t pt, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;

	OP(p[0].value.a, h);
	TEE_AEUpdateAAD(h, in_buf(pt, p, 1), in_len(pt, p, 1));
	return TEE_SUCCESS;
}

static TEE_Result ae_update(uint32_t pt, TEE_Param p[4])
{
	return stream(TEE_AEUpdate, pt, p);
}

static TEE_Result ae_encrypt_final(uint32_t pt, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;
	size_t size = p[2].memref.size;
	size_t tag_size = p[3].memref.size;
	TEE_Result res = TEE_SUCCESS;

	OP(p[0].value.a, h);
	res = TEE_AEEncryptFinal(h, in_buf(pt, p, 1), in_len(pt, p, 1),
				 p[2].memref.buffer, &size, p[3].memref.buffer,
				 &tag_size);
	p[2].memref.size = size;
	p[3].memref.size = tag_size;
	return res;
}

static TEE_Result ae_decrypt_final(uint32_t pt, TEE_Param p[4])
{
	TEE_OperationHandle h = TEE_HANDLE_NULL;
	size_t size = p[2].memref.size;
	TEE_Result res = TEE_SUCCESS;

	OP(p[0].value.a, h);
	res = TEE_AEDecryptFinal(h, in_buf(pt, p, 1), in_len(pt, p, 1),
				 p[2].memref.buffer, &size, p[3].memref.buffer,
				 p[3].memref.size);
	p[2].memref.size = size;
	return res;
}

static TEE_Result random_fill(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_GenerateRandom(p[0].memref.buffer, p[0].memref.size);
	return TEE_SUCCESS;
}

/* ---- misuse ------------------------------------------------------------- */

static TEE_Result misuse(uint32_t pt __unused, TEE_Param p[4])
{
	TEE_Attribute attr = { 0 };
	TEE_OperationHandle h = TEE_HANDLE_NULL;
	uint8_t buf[16] = { 0 };

	switch (p[0].value.a) {
	case TA_CRYPTO_MISUSE_REF_ATTR_VALUE_ID:
		TEE_InitRefAttribute(&attr, TEE_ATTR_ECC_CURVE, buf,
				     sizeof(buf));
		break;
	case TA_CRYPTO_MISUSE_VALUE_ATTR_REF_ID:
		TEE_InitValueAttribute(&attr, TEE_ATTR_SECRET_VALUE, 1, 2);
		break;
	case TA_CRYPTO_MISUSE_DIGEST_NULL_LEN:
		OP(p[0].value.b, h);
		return TEE_DigestDoFinal(h, NULL, 0, buf, NULL);
	case TA_CRYPTO_MISUSE_RANDOM_NULL:
		TEE_GenerateRandom(NULL, sizeof(buf));
		break;
	case TA_CRYPTO_MISUSE_OP_INFO_NULL:
		OP(p[0].value.b, h);
		TEE_GetOperationInfo(h, NULL);
		break;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
	return TEE_SUCCESS;
}

/* ---- dispatch ----------------------------------------------------------- */

struct command {
	uint32_t id;
	uint16_t allow[4];	/* allowed types of each parameter */
	TEE_Result (*fn)(uint32_t pt, TEE_Param p[4]);
};

static const struct command commands[] = {
	{ TA_CRYPTO_CMD_ALLOC_OBJECT, { VIN, VOUT, NONE, NONE },
	  alloc_object },
	{ TA_CRYPTO_CMD_FREE_OBJECT, { VIN, NONE, NONE, NONE }, free_object },
	{ TA_CRYPTO_CMD_RESET_OBJECT, { VIN, NONE, NONE, NONE },
	  reset_object },
	{ TA_CRYPTO_CMD_CLOSE_OBJECT, { VIN, NONE, NONE, NONE },
	  close_object },
	{ TA_CRYPTO_CMD_POPULATE, { VIN, IN, NONE, NONE }, populate },
	{ TA_CRYPTO_CMD_GENERATE_KEY, { VIN, IN, NONE, NONE }, generate_key },
	{ TA_CRYPTO_CMD_GET_BUFFER_ATTR, { VIN, MOUT, NONE, NONE },
	  get_buffer_attr },
	{ TA_CRYPTO_CMD_GET_VALUE_ATTR, { VIN, VOUT, NONE, NONE },
	  get_value_attr },
	{ TA_CRYPTO_CMD_GET_OBJECT_INFO, { VIN, MOUT, NONE, NONE },
	  get_object_info },
	{ TA_CRYPTO_CMD_RESTRICT_USAGE, { VIN, NONE, NONE, NONE },
	  restrict_usage },
	{ TA_CRYPTO_CMD_COPY_ATTRS, { VIN, NONE, NONE, NONE }, copy_attrs },
	{ TA_CRYPTO_CMD_ALLOC_OP, { VIN, VIN, VOUT, NONE }, alloc_op },
	{ TA_CRYPTO_CMD_FREE_OP, { VIN, NONE, NONE, NONE }, free_op },
	{ TA_CRYPTO_CMD_RESET_OP, { VIN, NONE, NONE, NONE }, reset_op },
	{ TA_CRYPTO_CMD_COPY_OP, { VIN, NONE, NONE, NONE }, copy_op },
	{ TA_CRYPTO_CMD_SET_KEY, { VIN, NONE, NONE, NONE }, set_key },
	{ TA_CRYPTO_CMD_SET_KEY2, { VIN, VIN, NONE, NONE }, set_key2 },
	{ TA_CRYPTO_CMD_GET_OP_INFO, { VIN, MOUT, NONE, NONE }, get_op_info },
	{ TA_CRYPTO_CMD_GET_OP_INFO_MULTIPLE, { VIN, MOUT, NONE, NONE },
	  get_op_info_multiple },
	{ TA_CRYPTO_CMD_IS_SUPPORTED, { VIN, NONE, NONE, NONE },
	  is_supported },
	{ TA_CRYPTO_CMD_DIGEST_UPDATE, { VIN, IN, NONE, NONE },
	  digest_update },
	{ TA_CRYPTO_CMD_DIGEST_FINAL, { VIN, IN, MOUT, NONE }, digest_final },
	{ TA_CRYPTO_CMD_DIGEST_EXTRACT, { VIN, MOUT, NONE, NONE },
	  digest_extract },
	{ TA_CRYPTO_CMD_CIPHER_INIT, { VIN, IN, NONE, NONE }, cipher_init },
	{ TA_CRYPTO_CMD_CIPHER_UPDATE, { VIN, IN_INPLACE, MOUT | VIN, NONE },
	  cipher_update },
	{ TA_CRYPTO_CMD_CIPHER_FINAL, { VIN, IN_INPLACE, MOUT | VIN, NONE },
	  cipher_final },
	{ TA_CRYPTO_CMD_MAC_INIT, { VIN, IN, NONE, NONE }, mac_init },
	{ TA_CRYPTO_CMD_MAC_UPDATE, { VIN, IN, NONE, NONE }, mac_update },
	{ TA_CRYPTO_CMD_MAC_COMPUTE, { VIN, IN, MOUT, NONE }, mac_compute },
	{ TA_CRYPTO_CMD_MAC_COMPARE, { VIN, IN, ONLY(PT_MIN), NONE },
	  mac_compare },
	{ TA_CRYPTO_CMD_AE_INIT, { VIN, ONLY(PT_MIN), VIN, NONE }, ae_init },
	{ TA_CRYPTO_CMD_AE_UPDATE_AAD, { VIN, IN, NONE, NONE },
	  ae_update_aad },
	{ TA_CRYPTO_CMD_AE_UPDATE, { VIN, IN, MOUT, NONE }, ae_update },
	{ TA_CRYPTO_CMD_AE_ENCRYPT_FINAL, { VIN, IN, MOUT, MOUT },
	  ae_encrypt_final },
	{ TA_CRYPTO_CMD_AE_DECRYPT_FINAL, { VIN, IN, MOUT, ONLY(PT_MIN) },
	  ae_decrypt_final },
	{ TA_CRYPTO_CMD_RANDOM, { MOUT, NONE, NONE, NONE }, random_fill },
	{ TA_CRYPTO_CMD_MISUSE, { VIN, NONE, NONE, NONE }, misuse },
};

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t pt,
				    TEE_Param params[4] __unused,
				    void **session __unused)
{
	if (pt != TEE_PARAM_TYPES(PT_NONE, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *session __unused)
{
}

TEE_Result TA_InvokeCommandEntryPoint(void *session __unused, uint32_t cmd,
				      uint32_t pt, TEE_Param params[4])
{
	const struct command *c = NULL;
	size_t n = 0;
	unsigned int i = 0;

	for (n = 0; n < sizeof(commands) / sizeof(commands[0]); n++)
		if (commands[n].id == cmd)
			c = &commands[n];
	if (!c)
		return TEE_ERROR_NOT_SUPPORTED;
	for (i = 0; i < 4; i++)
		if (!(c->allow[i] & ONLY(ptype(pt, i))))
			return TEE_ERROR_BAD_PARAMETERS;
	return c->fn(pt, params);
}
