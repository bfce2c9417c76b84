// SPDX-License-Identifier: BSD-2-Clause
/*
 * The OP-TEE extensions test TA: one command per function of
 * <tee_internal_api_extensions.h>.  Written against the GP TEE Internal
 * Core API and OP-TEE's extensions only, so it builds with OP-TEE's dev kit
 * as well; built twice (csrc/ta/ext_test, csrc/ta/ext_test/nocache) with
 * and without TA_FLAG_CACHE_MAINTENANCE.  The commands are documented in
 * include/ext_test_ta.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <ext_test_ta.h>

#define PT_NONE	TEE_PARAM_TYPE_NONE
#define PT_VIN	TEE_PARAM_TYPE_VALUE_INPUT
#define PT_VOUT	TEE_PARAM_TYPE_VALUE_OUTPUT
#define PT_MIN	TEE_PARAM_TYPE_MEMREF_INPUT
#define PT_MOUT	TEE_PARAM_TYPE_MEMREF_OUTPUT
#define PT_MIO	TEE_PARAM_TYPE_MEMREF_INOUT

#define R_ANY	(TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_ANY_OWNER)
#define RW_ANY	(R_ANY | TEE_MEMORY_ACCESS_WRITE)

struct zi_slot {
	uint8_t *addr;
	size_t len;
};

/* Per instance, as globals are in OP-TEE: one instance per session. */
static struct zi_slot slots[TA_EXT_MAX_MAPS];
static uint8_t data_pages[2 * TA_EXT_PAGE_SIZE] __aligned(TA_EXT_PAGE_SIZE);

static size_t join_len(uint32_t lo, uint32_t hi)
{
	uint64_t len = (uint64_t)hi << 32 | lo;

	/* a 32-bit TA cannot ask for more than SIZE_MAX */
	return len > SIZE_MAX ? SIZE_MAX : (size_t)len;
}

static TEE_Result cache_call(uint32_t func, char *buf, size_t len)
{
	switch (func) {
	case TA_EXT_CACHE_CLEAN:
		return TEE_CacheClean(buf, len);
	case TA_EXT_CACHE_FLUSH:
		return TEE_CacheFlush(buf, len);
	case TA_EXT_CACHE_INVALIDATE:
		return TEE_CacheInvalidate(buf, len);
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
}

static TEE_Result cmd_cache(uint32_t pt, TEE_Param params[4])
{
	uint32_t func = params[0].value.a;
	uint32_t where = params[0].value.b;
	size_t offset = params[2].value.a;
	size_t len = params[2].value.b;
	char stack[TA_EXT_PRIVATE_SIZE];
	char *heap = NULL;
	char *zi = NULL;
	char *place = NULL;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MIO, PT_VIN, PT_VOUT))
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_MemFill(stack, 0, sizeof(stack));
	switch (where) {
	case TA_EXT_WHERE_MEMREF:
		place = params[1].memref.buffer;
		break;
	case TA_EXT_WHERE_NULL:
		offset = 0;
		break;
	case TA_EXT_WHERE_DATA:
		place = (char *)data_pages;
		break;
	case TA_EXT_WHERE_HEAP:
		heap = TEE_Malloc(TA_EXT_PRIVATE_SIZE, TEE_MALLOC_FILL_ZERO);
		if (!heap)
			return TEE_ERROR_OUT_OF_MEMORY;
		place = heap;
		break;
	case TA_EXT_WHERE_STACK:
		place = stack;
		break;
	case TA_EXT_WHERE_ZI:
	case TA_EXT_WHERE_ZI_SHARED:
	case TA_EXT_WHERE_ZI_UNMAPPED:
		zi = tee_map_zi(TA_EXT_ZI_SIZE, where == TA_EXT_WHERE_ZI ? 0 :
				TEE_MEMORY_ACCESS_ANY_OWNER);
		if (!zi)
			return TEE_ERROR_OUT_OF_MEMORY;
		place = zi;
		if (where == TA_EXT_WHERE_ZI_UNMAPPED) {
			res = tee_unmap(zi, TA_EXT_ZI_SIZE);
			zi = NULL;
			if (res)
				return res;
		}
		break;
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
	params[3].value.a = cache_call(func, place ? place + offset : NULL,
				       len);
	params[3].value.b = 0;
	TEE_Free(heap);
	if (zi)
		res = tee_unmap(zi, TA_EXT_ZI_SIZE);
	return res;
}

static TEE_Result cmd_map_zi(uint32_t pt, TEE_Param params[4])
{
	size_t len = join_len(params[0].value.a, params[0].value.b);
	uint8_t *p = NULL;
	uint32_t slot = 0;
	uint32_t nonzero = 0;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_VIN, PT_VOUT, PT_VOUT))
		return TEE_ERROR_BAD_PARAMETERS;
	while (slot < TA_EXT_MAX_MAPS && slots[slot].addr)
		slot++;
	p = tee_map_zi(len, params[1].value.a);
	params[2].value.a = TA_EXT_NO_SLOT;
	params[2].value.b = 0;
	params[3].value.a = 0;
	params[3].value.b = 0;
	if (!p)
		return TEE_SUCCESS;
	if (slot == TA_EXT_MAX_MAPS) {
		tee_unmap(p, len);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	for (size_t i = 0; i < len; i++)
		nonzero += p[i] != 0;
	slots[slot].addr = p;
	slots[slot].len = len;
	params[2].value.a = slot;
	params[2].value.b = (uint32_t)((uintptr_t)p % TA_EXT_PAGE_SIZE);
	params[3].value.a = nonzero;
	params[3].value.b = TEE_CheckMemoryAccessRights(RW_ANY, p, len);
	return TEE_SUCCESS;
}

/* The address offset bytes into a slot, or NULL for a slot not filled. */
static uint8_t *slot_at(uint32_t slot, uint32_t offset)
{
	if (slot >= TA_EXT_MAX_MAPS || !slots[slot].addr)
		return NULL;
	return slots[slot].addr + offset;
}

static TEE_Result cmd_zi_copy(uint32_t cmd, uint32_t pt, TEE_Param params[4])
{
	uint8_t *at = NULL;

	if (pt != TEE_PARAM_TYPES(PT_VIN, cmd == TA_EXT_CMD_ZI_WRITE ?
				  PT_MIN : PT_MOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	at = slot_at(params[0].value.a, params[0].value.b);
	if (!at)
		return TEE_ERROR_BAD_PARAMETERS;
	if (cmd == TA_EXT_CMD_ZI_WRITE)
		TEE_MemMove(at, params[1].memref.buffer, params[1].memref.size);
	else
		TEE_MemMove(params[1].memref.buffer, at, params[1].memref.size);
	return TEE_SUCCESS;
}

static TEE_Result cmd_touch(uint32_t pt, TEE_Param params[4])
{
	volatile uint8_t *at = NULL;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_VOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	at = slot_at(params[0].value.a, params[0].value.b);
	if (!at)
		return TEE_ERROR_BAD_PARAMETERS;
	params[1].value.a = *at;
	params[1].value.b = 0;
	return TEE_SUCCESS;
}

static TEE_Result cmd_unmap(uint32_t pt, TEE_Param params[4])
{
	uint32_t base = params[0].value.a;
	uint32_t offset = params[0].value.b;
	size_t len = join_len(params[1].value.a, params[1].value.b);
	uint8_t *at = NULL;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_VIN, PT_VOUT, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (base == TA_EXT_BASE_NULL) {
		at = (uint8_t *)(uintptr_t)offset;
	} else if (base == TA_EXT_BASE_DATA) {
		at = data_pages + offset;
	} else {
		at = slot_at(base, offset);
		if (!at)
			return TEE_ERROR_BAD_PARAMETERS;
	}
	params[2].value.a = tee_unmap(at, len);
	params[2].value.b = TEE_CheckMemoryAccessRights(R_ANY, at, 1);
	return TEE_SUCCESS;
}

/* u as its 16 RFC 4122 octets. */
static void uuid_octets(const TEE_UUID *u, uint8_t *out)
{
	out[0] = (uint8_t)(u->timeLow >> 24);
	out[1] = (uint8_t)(u->timeLow >> 16);
	out[2] = (uint8_t)(u->timeLow >> 8);
	out[3] = (uint8_t)u->timeLow;
	out[4] = (uint8_t)(u->timeMid >> 8);
	out[5] = (uint8_t)u->timeMid;
	out[6] = (uint8_t)(u->timeHiAndVersion >> 8);
	out[7] = (uint8_t)u->timeHiAndVersion;
	TEE_MemMove(out + 8, u->clockSeqAndNode, 8);
}

static TEE_Result cmd_uuid_from_str(uint32_t pt, TEE_Param params[4])
{
	uint32_t flags = params[1].value.a;
	TEE_UUID uuid;
	char *text = NULL;

	if (pt != TEE_PARAM_TYPES(PT_MIN, PT_VIN, PT_MOUT, PT_VOUT))
		return TEE_ERROR_BAD_PARAMETERS;
	if (params[2].memref.size < 16) {
		params[2].memref.size = 16;
		return TEE_ERROR_SHORT_BUFFER;
	}
	text = TEE_Malloc(params[0].memref.size + 1, TEE_MALLOC_FILL_ZERO);
	if (!text)
		return TEE_ERROR_OUT_OF_MEMORY;
	TEE_MemMove(text, params[0].memref.buffer, params[0].memref.size);
	TEE_MemFill(&uuid, TA_EXT_UUID_FILL, sizeof(uuid));
	params[3].value.a = tee_uuid_from_str(
		flags & TA_EXT_UUID_NULL_UUID ? NULL : &uuid,
		flags & TA_EXT_UUID_NULL_STR ? NULL : text);
	params[3].value.b = 0;
	uuid_octets(&uuid, params[2].memref.buffer);
	params[2].memref.size = 16;
	TEE_Free(text);
	return TEE_SUCCESS;
}

static TEE_Result cmd_supp_plugin(uint32_t pt, TEE_Param params[4])
{
	static const TEE_UUID plugin = TA_EXT_TEST_PLUGIN_UUID;
	uint32_t flags = params[2].value.a;
	size_t outlen = TA_EXT_OUTLEN_UNSET;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MIO, PT_VIN, PT_VOUT))
		return TEE_ERROR_BAD_PARAMETERS;
	params[3].value.a = tee_invoke_supp_plugin(
		flags & TA_EXT_PLUGIN_NULL_UUID ? NULL : &plugin,
		params[0].value.a, params[0].value.b,
		flags & TA_EXT_PLUGIN_NULL_BUF ? NULL : params[1].memref.buffer,
		flags & TA_EXT_PLUGIN_ZERO_LEN ? 0 : params[1].memref.size,
		flags & TA_EXT_PLUGIN_NULL_OUTLEN ? NULL : &outlen);
	params[3].value.b = (uint32_t)outlen;
	return TEE_SUCCESS;
}

static TEE_Result cmd_heap_check(uint32_t pt, TEE_Param params[4])
{
	void *block = NULL;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_VOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	tee_user_mem_mark_heap();
	block = TEE_Malloc(params[0].value.a, TEE_MALLOC_FILL_ZERO);
	params[1].value.a = (uint32_t)tee_user_mem_check_heap();
	params[1].value.b = block != NULL;
	TEE_Free(block);
	return TEE_SUCCESS;
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
	case TA_EXT_CMD_CACHE:
		return cmd_cache(pt, params);
	case TA_EXT_CMD_MAP_ZI:
		return cmd_map_zi(pt, params);
	case TA_EXT_CMD_ZI_WRITE:
	case TA_EXT_CMD_ZI_READ:
		return cmd_zi_copy(cmd, pt, params);
	case TA_EXT_CMD_TOUCH:
		return cmd_touch(pt, params);
	case TA_EXT_CMD_UNMAP:
		return cmd_unmap(pt, params);
	case TA_EXT_CMD_UUID_FROM_STR:
		return cmd_uuid_from_str(pt, params);
	case TA_EXT_CMD_SUPP_PLUGIN:
		return cmd_supp_plugin(pt, params);
	case TA_EXT_CMD_HEAP_CHECK:
		return cmd_heap_check(pt, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
