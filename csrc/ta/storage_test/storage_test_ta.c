// SPDX-License-Identifier: BSD-2-Clause
/*
 * The pytee storage test TA: one command per trusted-storage function, on
 * a table of object handles, so that a client can drive persistent
 * objects, data streams and enumerators step by step.  Written against
 * the GP TEE Internal Core API only, so it builds with OP-TEE's dev kit
 * as well.  Built twice (csrc/ta/storage_test, storage_test2); the
 * commands are documented in include/storage_test_ta.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>

#include <storage_test_ta.h>

#define PT_NONE	TEE_PARAM_TYPE_NONE
#define PT_VIN	TEE_PARAM_TYPE_VALUE_INPUT
#define PT_VOUT	TEE_PARAM_TYPE_VALUE_OUTPUT
#define PT_VIO	TEE_PARAM_TYPE_VALUE_INOUT
#define PT_MIN	TEE_PARAM_TYPE_MEMREF_INPUT
#define PT_MOUT	TEE_PARAM_TYPE_MEMREF_OUTPUT

/*
 * Set by storage_test2's sub.mk, whose TA has
 * TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT.
 */
#ifndef STORAGE_TEST_KEEPS_CORRUPT
#define STORAGE_TEST_KEEPS_CORRUPT 0
#endif

static TEE_ObjectHandle slots[STORAGE_TEST_SLOTS];

/* The handle in slot, or NULL when the slot is out of range or empty. */
static TEE_ObjectHandle slot_handle(uint32_t slot)
{
	if (slot >= STORAGE_TEST_SLOTS)
		return TEE_HANDLE_NULL;
	return slots[slot];
}

static uint32_t slot_put(TEE_ObjectHandle h)
{
	uint32_t i = 0;

	for (i = 0; i < STORAGE_TEST_SLOTS; i++) {
		if (!slots[i]) {
			slots[i] = h;
			return i;
		}
	}
	return STORAGE_TEST_NO_SLOT;
}

/* After a storage call on slot: forget a handle the TEE closed. */
static TEE_Result slot_after(uint32_t slot, TEE_Result res)
{
	if (res == TEE_ERROR_CORRUPT_OBJECT && !STORAGE_TEST_KEEPS_CORRUPT)
		slots[slot] = TEE_HANDLE_NULL;
	return res;
}

static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put_info(uint8_t *p, const TEE_ObjectInfo *info)
{
	put_u32(p, info->objectType);
	put_u32(p + 4, info->objectSize);
	put_u32(p + 8, info->maxObjectSize);
	put_u32(p + 12, info->objectUsage);
	put_u32(p + 16, (uint32_t)info->dataSize);
	put_u32(p + 20, (uint32_t)info->dataPosition);
	put_u32(p + 24, info->handleFlags);
}

/* A transient AES-256 key with the test key value, usage restricted. */
static TEE_Result make_key(uint32_t usage, TEE_ObjectHandle *key)
{
	uint8_t value[STORAGE_TEST_KEY_LEN] = { 0 };
	TEE_Attribute attr = { 0 };
	TEE_Result res = TEE_SUCCESS;
	size_t i = 0;

	for (i = 0; i < sizeof(value); i++)
		value[i] = (uint8_t)(i * STORAGE_TEST_KEY_MUL +
				     STORAGE_TEST_KEY_ADD);
	res = TEE_AllocateTransientObject(TEE_TYPE_AES, 256, key);
	if (res)
		return res;
	TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE, value,
			     sizeof(value));
	res = TEE_PopulateTransientObject(*key, &attr, 1);
	if (!res)
		res = TEE_RestrictObjectUsage1(*key, usage);
	if (res) {
		TEE_FreeTransientObject(*key);
		*key = TEE_HANDLE_NULL;
	}
	return res;
}

static TEE_Result cmd_create(uint32_t pt, TEE_Param params[4])
{
	uint32_t opts = 0;
	TEE_ObjectHandle attrs = TEE_HANDLE_NULL;
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_ObjectInfo info = { 0 };
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MIN, PT_MIN, PT_VIO))
		return TEE_ERROR_BAD_PARAMETERS;
	opts = params[3].value.a;
	if (opts & STORAGE_TEST_OPT_AES_KEY) {
		res = make_key(params[3].value.b, &attrs);
		if (res)
			return res;
	} else if (opts & STORAGE_TEST_OPT_SLOT_ATTRS) {
		attrs = slot_handle(params[3].value.b);
		if (!attrs)
			return TEE_ERROR_BAD_PARAMETERS;
	}
	res = TEE_CreatePersistentObject(params[0].value.a,
					 params[1].memref.buffer,
					 params[1].memref.size,
					 params[0].value.b, attrs,
					 params[2].memref.buffer,
					 params[2].memref.size,
					 (opts & STORAGE_TEST_OPT_NO_HANDLE) ?
						 NULL : &h);
	params[3].value.a = STORAGE_TEST_NO_SLOT;
	params[3].value.b = 0;
	if (opts & STORAGE_TEST_OPT_AES_KEY) {
		TEE_GetObjectInfo1(attrs, &info);
		params[3].value.b = info.handleFlags;
		if (info.handleFlags & TEE_HANDLE_FLAG_PERSISTENT)
			h = attrs;	/* the TEE made it the object */
		else
			TEE_FreeTransientObject(attrs);
	}
	if (h) {
		params[3].value.a = slot_put(h);
		if (params[3].value.a == STORAGE_TEST_NO_SLOT) {
			TEE_CloseObject(h);
			return TEE_ERROR_OUT_OF_MEMORY;
		}
	}
	return res;
}

static TEE_Result cmd_open(uint32_t pt, TEE_Param params[4])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MIN, PT_VOUT, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_OpenPersistentObject(params[0].value.a,
				       params[1].memref.buffer,
				       params[1].memref.size,
				       params[0].value.b, &h);
	params[2].value.a = STORAGE_TEST_NO_SLOT;
	params[2].value.b = 0;
	if (res)
		return res;
	params[2].value.a = slot_put(h);
	if (params[2].value.a == STORAGE_TEST_NO_SLOT) {
		TEE_CloseObject(h);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	return TEE_SUCCESS;
}

static TEE_Result cmd_close(uint32_t pt, TEE_Param params[4])
{
	uint32_t slot = params[0].value.a;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_NONE, PT_NONE, PT_NONE) ||
	    !slot_handle(slot))
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_CloseObject(slots[slot]);
	slots[slot] = TEE_HANDLE_NULL;
	return TEE_SUCCESS;
}

static TEE_Result cmd_read(uint32_t pt, TEE_Param params[4])
{
	uint32_t slot = params[0].value.a;
	size_t count = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MOUT, PT_NONE, PT_NONE) ||
	    !slot_handle(slot))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_ReadObjectData(slots[slot], params[1].memref.buffer,
				 params[1].memref.size, &count);
	if (!res)
		params[1].memref.size = count;
	return slot_after(slot, res);
}

static TEE_Result cmd_write(uint32_t pt, TEE_Param params[4])
{
	uint32_t slot = params[0].value.a;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MIN, PT_NONE, PT_NONE) ||
	    !slot_handle(slot))
		return TEE_ERROR_BAD_PARAMETERS;
	return slot_after(slot, TEE_WriteObjectData(slots[slot],
						    params[1].memref.buffer,
						    params[1].memref.size));
}

static TEE_Result cmd_seek(uint32_t pt, TEE_Param params[4])
{
	uint32_t slot = params[0].value.a;
	uint64_t bits = 0;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_VIN, PT_NONE, PT_NONE) ||
	    !slot_handle(slot))
		return TEE_ERROR_BAD_PARAMETERS;
	bits = (uint64_t)params[1].value.b << 32 | params[1].value.a;
	return TEE_SeekObjectData(slots[slot], (intmax_t)(int64_t)bits,
				  params[0].value.b);
}

static TEE_Result cmd_truncate(uint32_t pt, TEE_Param params[4])
{
	uint32_t slot = params[0].value.a;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_NONE, PT_NONE, PT_NONE) ||
	    !slot_handle(slot))
		return TEE_ERROR_BAD_PARAMETERS;
	return slot_after(slot, TEE_TruncateObjectData(slots[slot],
						       params[0].value.b));
}

static TEE_Result cmd_rename(uint32_t pt, TEE_Param params[4])
{
	uint32_t slot = params[0].value.a;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MIN, PT_NONE, PT_NONE) ||
	    !slot_handle(slot))
		return TEE_ERROR_BAD_PARAMETERS;
	return slot_after(slot, TEE_RenamePersistentObject(
					slots[slot], params[1].memref.buffer,
					params[1].memref.size));
}

static TEE_Result cmd_delete(uint32_t pt, TEE_Param params[4])
{
	uint32_t slot = params[0].value.a;
	TEE_ObjectHandle h = TEE_HANDLE_NULL;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_NONE, PT_NONE, PT_NONE) ||
	    !slot_handle(slot))
		return TEE_ERROR_BAD_PARAMETERS;
	h = slots[slot];
	slots[slot] = TEE_HANDLE_NULL;	/* closed whatever the result */
	if (!params[0].value.b)
		return TEE_CloseAndDeletePersistentObject1(h);
	TEE_CloseAndDeletePersistentObject(h);
	return TEE_SUCCESS;
}

static TEE_Result cmd_info(uint32_t pt, TEE_Param params[4])
{
	uint32_t slot = params[0].value.a;
	TEE_ObjectInfo info = { 0 };
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MOUT, PT_NONE, PT_NONE) ||
	    !slot_handle(slot))
		return TEE_ERROR_BAD_PARAMETERS;
	if (params[1].memref.size < STORAGE_TEST_INFO_LEN) {
		params[1].memref.size = STORAGE_TEST_INFO_LEN;
		return TEE_ERROR_SHORT_BUFFER;
	}
	res = TEE_GetObjectInfo1(slots[slot], &info);
	if (res)
		return res;
	put_info(params[1].memref.buffer, &info);
	params[1].memref.size = STORAGE_TEST_INFO_LEN;
	return TEE_SUCCESS;
}

static TEE_Result cmd_enum(uint32_t pt, TEE_Param params[4])
{
	TEE_ObjectEnumHandle e = TEE_HANDLE_NULL;
	TEE_ObjectInfo info = { 0 };
	uint8_t id[TEE_OBJECT_ID_MAX_LEN] = { 0 };
	uint8_t *out = NULL;
	size_t id_len = 0;
	size_t need = 0;
	size_t room = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MOUT, PT_VOUT, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	out = params[1].memref.buffer;
	room = params[1].memref.size;
	params[2].value.a = 0;
	params[2].value.b = 0;
	res = TEE_AllocatePersistentObjectEnumerator(&e);
	if (res)
		return res;
	res = TEE_StartPersistentObjectEnumerator(e, params[0].value.a);
	while (!res) {
		res = TEE_GetNextPersistentObject(e, &info, id, &id_len);
		if (res == TEE_ERROR_CORRUPT_OBJECT) {
			params[2].value.b++;
			res = TEE_SUCCESS;	/* the next call moves on */
			continue;
		}
		if (res == TEE_ERROR_ITEM_NOT_FOUND) {
			res = TEE_SUCCESS;	/* the normal end */
			break;
		}
		if (res)
			break;
		params[2].value.a++;
		if (need + 4 + id_len + STORAGE_TEST_INFO_LEN <= room) {
			put_u32(out + need, (uint32_t)id_len);
			TEE_MemMove(out + need + 4, id, id_len);
			put_info(out + need + 4 + id_len, &info);
		}
		need += 4 + id_len + STORAGE_TEST_INFO_LEN;
	}
	TEE_FreePersistentObjectEnumerator(e);
	if (!res) {
		params[1].memref.size = need;
		if (need > room)
			res = TEE_ERROR_SHORT_BUFFER;
	}
	return res;
}

static TEE_Result cmd_enum_edges(uint32_t pt, TEE_Param params[4])
{
	TEE_ObjectEnumHandle e = TEE_HANDLE_NULL;
	TEE_ObjectInfo info = { 0 };
	uint8_t id[TEE_OBJECT_ID_MAX_LEN] = { 0 };
	size_t id_len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_VOUT, PT_VOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_AllocatePersistentObjectEnumerator(&e);
	if (res)
		return res;
	params[0].value.a = TEE_GetNextPersistentObject(e, &info, id, &id_len);
	(void)TEE_StartPersistentObjectEnumerator(e, TEE_STORAGE_PRIVATE);
	TEE_ResetPersistentObjectEnumerator(e);
	params[0].value.b = TEE_GetNextPersistentObject(e, NULL, id, &id_len);
	params[1].value.a = TEE_StartPersistentObjectEnumerator(
					e, STORAGE_TEST_BAD_STORAGE);
	params[1].value.b = TEE_GetNextPersistentObject(e, &info, id, &id_len);
	TEE_FreePersistentObjectEnumerator(e);
	return TEE_SUCCESS;
}

static TEE_Result cmd_get_key(uint32_t pt, TEE_Param params[4])
{
	uint32_t slot = params[0].value.a;
	size_t size = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MOUT, PT_NONE, PT_NONE) ||
	    !slot_handle(slot))
		return TEE_ERROR_BAD_PARAMETERS;
	size = params[1].memref.size;
	res = TEE_GetObjectBufferAttribute(slots[slot], TEE_ATTR_SECRET_VALUE,
					   params[1].memref.buffer, &size);
	params[1].memref.size = size;
	return res;
}

static TEE_Result cmd_encrypt(uint32_t pt, TEE_Param params[4])
{
	uint32_t slot = params[0].value.a;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_ObjectInfo info = { 0 };
	size_t out_len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MIN, PT_MOUT, PT_NONE) ||
	    !slot_handle(slot) || params[1].memref.size % 16 ||
	    params[2].memref.size < params[1].memref.size)
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_GetObjectInfo1(slots[slot], &info);
	if (!res)
		res = TEE_AllocateOperation(&op, TEE_ALG_AES_ECB_NOPAD,
					    TEE_MODE_ENCRYPT,
					    info.objectSize);
	if (!res)
		res = TEE_SetOperationKey(op, slots[slot]);
	if (res)
		goto out;
	TEE_CipherInit(op, NULL, 0);
	out_len = params[2].memref.size;
	res = TEE_CipherDoFinal(op, params[1].memref.buffer,
				params[1].memref.size,
				params[2].memref.buffer, &out_len);
	params[2].memref.size = out_len;
out:
	if (op)
		TEE_FreeOperation(op);
	return res;
}

static TEE_Result cmd_write_chunks(uint32_t pt, TEE_Param params[4])
{
	uint32_t slot = params[0].value.a;
	uint32_t count = params[0].value.b;
	uint32_t size = params[1].value.a;
	uint8_t *chunk = NULL;
	TEE_Result res = TEE_SUCCESS;
	uint32_t i = 0;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_VIN, PT_NONE, PT_NONE) ||
	    !slot_handle(slot) || !size || size > STORAGE_TEST_CHUNK_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	chunk = TEE_Malloc(size, TEE_MALLOC_FILL_ZERO);
	if (!chunk)
		return TEE_ERROR_OUT_OF_MEMORY;
	for (i = 0; i < count && !res; i++) {
		TEE_MemFill(chunk, (params[1].value.b + i) & 0xff, size);
		res = slot_after(slot, TEE_WriteObjectData(slots[slot], chunk,
							   size));
	}
	TEE_Free(chunk);
	return res;
}

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t pt, TEE_Param params[4] __unused,
				    void **sess_ctx __unused)
{
	if (pt != TEE_PARAM_TYPES(PT_NONE, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx __unused)
{
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx __unused, uint32_t cmd,
				      uint32_t pt, TEE_Param params[4])
{
	switch (cmd) {
	case STORAGE_TEST_CMD_CREATE:
		return cmd_create(pt, params);
	case STORAGE_TEST_CMD_OPEN:
		return cmd_open(pt, params);
	case STORAGE_TEST_CMD_CLOSE:
		return cmd_close(pt, params);
	case STORAGE_TEST_CMD_READ:
		return cmd_read(pt, params);
	case STORAGE_TEST_CMD_WRITE:
		return cmd_write(pt, params);
	case STORAGE_TEST_CMD_SEEK:
		return cmd_seek(pt, params);
	case STORAGE_TEST_CMD_TRUNCATE:
		return cmd_truncate(pt, params);
	case STORAGE_TEST_CMD_RENAME:
		return cmd_rename(pt, params);
	case STORAGE_TEST_CMD_DELETE:
		return cmd_delete(pt, params);
	case STORAGE_TEST_CMD_INFO:
		return cmd_info(pt, params);
	case STORAGE_TEST_CMD_ENUM:
		return cmd_enum(pt, params);
	case STORAGE_TEST_CMD_ENUM_EDGES:
		return cmd_enum_edges(pt, params);
	case STORAGE_TEST_CMD_GET_KEY:
		return cmd_get_key(pt, params);
	case STORAGE_TEST_CMD_ENCRYPT:
		return cmd_encrypt(pt, params);
	case STORAGE_TEST_CMD_WRITE_CHUNKS:
		return cmd_write_chunks(pt, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
