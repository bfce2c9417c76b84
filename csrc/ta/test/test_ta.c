// SPDX-License-Identifier: BSD-2-Clause
/*
 * The pytee test TA: one command per behaviour the TEE must get right
 * (parameters, short buffers, crashes, heap limit, cancellation, identity,
 * properties and their enumerators, instance sharing, logging, the GP 1.1
 * object functions).  Written against the GP TEE
 * Internal Core API only, so it builds with OP-TEE's dev kit as well.
 * Built four times with different instance flags (csrc/ta/test*); the
 * commands and their parameters are documented in include/test_ta.h.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>

#include <test_ta.h>

#define PT_NONE	TEE_PARAM_TYPE_NONE
#define PT_VIN	TEE_PARAM_TYPE_VALUE_INPUT
#define PT_VOUT	TEE_PARAM_TYPE_VALUE_OUTPUT
#define PT_VIO	TEE_PARAM_TYPE_VALUE_INOUT
#define PT_MIN	TEE_PARAM_TYPE_MEMREF_INPUT
#define PT_MOUT	TEE_PARAM_TYPE_MEMREF_OUTPUT
#define PT_MIO	TEE_PARAM_TYPE_MEMREF_INOUT

/* Bytes of one TEE_ObjectInfo record of OBJECT_GP11. */
#define GP11_RECORD	(4 * TA_TEST_GP11_INFO_WORDS)
_Static_assert(TA_TEST_GP11_INFO_SIZE ==
	       TA_TEST_GP11_INFO_COUNT * GP11_RECORD,
	       "OBJECT_GP11 output size");

/* The largest fixed-size PROPERTY_TYPED value: an identity. */
#define TYPED_MAX	20

#define HEAP_BLOCK_SIZE	1024
/* HEAP_EXHAUST gives up here if TEE_Malloc never fails. */
#define HEAP_BLOCK_CAP	(4 * TA_TEST_DATA_SIZE / HEAP_BLOCK_SIZE)

struct test_session {
	uint32_t login;
	uint32_t invokes;
};

/* Per-instance state: globals are per instance, as in OP-TEE. */
static uint32_t create_count;
static uint32_t destroy_count;
static uint32_t open_count;
static uint32_t close_count;
static uint32_t command_counter;
static uint32_t instance_value;

/* Never equal to a reachable depth; volatile so the recursion stays. */
static volatile uint32_t recursion_limit = UINT32_MAX;

static void log_lifecycle(const char *event)
{
	IMSG("lifecycle %s create=%" PRIu32 " destroy=%" PRIu32
	     " open=%" PRIu32 " close=%" PRIu32,
	     event, create_count, destroy_count, open_count, close_count);
}

/* A NUL-terminated copy of a shared buffer, or NULL when out of memory. */
static char *copy_string(const TEE_Param *param)
{
	char *str = TEE_Malloc(param->memref.size + 1, TEE_MALLOC_FILL_ZERO);

	if (str && param->memref.size)
		TEE_MemMove(str, param->memref.buffer, param->memref.size);
	return str;
}

static void put_u32(uint8_t *out, uint32_t v)
{
	out[0] = (uint8_t)v;
	out[1] = (uint8_t)(v >> 8);
	out[2] = (uint8_t)(v >> 16);
	out[3] = (uint8_t)(v >> 24);
}

/* The 16 octets of u in RFC 4122 (big-endian) order. */
static void put_uuid(uint8_t *out, const TEE_UUID *u)
{
	size_t i = 0;

	out[0] = (uint8_t)(u->timeLow >> 24);
	out[1] = (uint8_t)(u->timeLow >> 16);
	out[2] = (uint8_t)(u->timeLow >> 8);
	out[3] = (uint8_t)u->timeLow;
	out[4] = (uint8_t)(u->timeMid >> 8);
	out[5] = (uint8_t)u->timeMid;
	out[6] = (uint8_t)(u->timeHiAndVersion >> 8);
	out[7] = (uint8_t)u->timeHiAndVersion;
	for (i = 0; i < 8; i++)
		out[8 + i] = u->clockSeqAndNode[i];
}

/* The property set a TA_TEST_PROPSET_* number names; false for others. */
static bool propset_of(uint32_t id, TEE_PropSetHandle *set)
{
	bool ok = true;

	if (id == TA_TEST_PROPSET_CURRENT_TA)
		*set = TEE_PROPSET_CURRENT_TA;
	else if (id == TA_TEST_PROPSET_CLIENT)
		*set = TEE_PROPSET_CURRENT_CLIENT;
	else if (id == TA_TEST_PROPSET_IMPLEMENTATION)
		*set = TEE_PROPSET_TEE_IMPLEMENTATION;
	else
		ok = false;
	return ok;
}

static TEE_Result cmd_null(uint32_t pt, TEE_Param params[4] __unused)
{
	if (pt != TEE_PARAM_TYPES(PT_NONE, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

static TEE_Result cmd_value_add(uint32_t pt, TEE_Param params[4])
{
	uint32_t a = 0;
	uint32_t b = 0;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_VOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	a = params[0].value.a;
	b = params[0].value.b;
	params[1].value.a = a + b;
	params[1].value.b = a ^ b;
	return TEE_SUCCESS;
}

static TEE_Result cmd_value_inc(uint32_t pt, TEE_Param params[4])
{
	if (pt != TEE_PARAM_TYPES(PT_VIO, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	params[0].value.a += 1;
	params[0].value.b += 2;
	return TEE_SUCCESS;
}

static TEE_Result cmd_memref_sum(uint32_t pt, TEE_Param params[4])
{
	const uint8_t *buf = NULL;
	uint32_t sum = 0;
	size_t i = 0;

	if (pt != TEE_PARAM_TYPES(PT_MIN, PT_VOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	buf = params[0].memref.buffer;
	for (i = 0; i < params[0].memref.size; i++)
		sum += buf[i];
	params[1].value.a = sum;
	params[1].value.b = (uint32_t)params[0].memref.size;
	return TEE_SUCCESS;
}

static TEE_Result cmd_memref_fill(uint32_t pt, TEE_Param params[4])
{
	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (params[1].memref.size)
		TEE_MemFill(params[1].memref.buffer, params[0].value.a & 0xff,
			    params[1].memref.size);
	return TEE_SUCCESS;
}

static TEE_Result cmd_memref_reverse(uint32_t pt, TEE_Param params[4])
{
	uint8_t *buf = NULL;
	size_t i = 0;
	size_t j = 0;
	uint8_t tmp = 0;

	if (pt != TEE_PARAM_TYPES(PT_MIO, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	buf = params[0].memref.buffer;
	j = params[0].memref.size;
	while (i + 1 < j) {
		j--;
		tmp = buf[i];
		buf[i] = buf[j];
		buf[j] = tmp;
		i++;
	}
	return TEE_SUCCESS;
}

static TEE_Result cmd_call_ta(uint32_t pt, TEE_Param params[4])
{
	const uint8_t *o = params[0].memref.buffer;
	TEE_TASessionHandle callee = TEE_HANDLE_NULL;
	TEE_Param cp[4];
	TEE_UUID uuid = { 0 };
	uint32_t cpt = 0;
	uint32_t origin = 0;
	uint32_t timeout = 0;
	uint32_t cmd = params[1].value.a;
	TEE_Result res = TEE_SUCCESS;
	size_t i = 0;

	if (pt != TEE_PARAM_TYPES(PT_MIN, PT_VIO, PT_MIO, PT_VOUT) ||
	    params[0].memref.size != 16)
		return TEE_ERROR_BAD_PARAMETERS;
	uuid.timeLow = (uint32_t)o[0] << 24 | (uint32_t)o[1] << 16 |
		       (uint32_t)o[2] << 8 | o[3];
	uuid.timeMid = (uint16_t)(o[4] << 8 | o[5]);
	uuid.timeHiAndVersion = (uint16_t)(o[6] << 8 | o[7]);
	for (i = 0; i < 8; i++)
		uuid.clockSeqAndNode[i] = o[8 + i];
	timeout = params[1].value.b ? params[1].value.b : TEE_TIMEOUT_INFINITE;

	TEE_MemFill(cp, 0, sizeof(cp));
	switch (cmd) {
	case TA_TEST_CMD_MEMREF_REVERSE:
		cpt = TEE_PARAM_TYPES(PT_MIO, PT_NONE, PT_NONE, PT_NONE);
		cp[0].memref.buffer = params[2].memref.buffer;
		cp[0].memref.size = params[2].memref.size;
		break;
	case TA_TEST_CMD_CLIENT_IDENTITY:
		cpt = TEE_PARAM_TYPES(PT_VOUT, PT_MOUT, PT_NONE, PT_NONE);
		cp[1].memref.buffer = params[2].memref.buffer;
		cp[1].memref.size = params[2].memref.size;
		break;
	case TA_TEST_CMD_WAIT:
		cpt = TEE_PARAM_TYPES(PT_VIN, PT_VOUT, PT_NONE, PT_NONE);
		cp[0].value.a = TA_TEST_CALL_WAIT_MS;
		cp[0].value.b = 1;
		break;
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
	res = TEE_OpenTASession(&uuid, TEE_TIMEOUT_INFINITE, 0, NULL, &callee,
				&origin);
	if (res == TEE_SUCCESS) {
		res = TEE_InvokeTACommand(callee, timeout, cmd, cpt, cp,
					  &origin);
		TEE_CloseTASession(callee);
	}
	params[1].value.a = res;
	params[1].value.b = origin;
	if (cmd == TA_TEST_CMD_MEMREF_REVERSE) {
		params[2].memref.size = cp[0].memref.size;
	} else if (cmd == TA_TEST_CMD_CLIENT_IDENTITY) {
		params[2].memref.size = cp[1].memref.size;
		params[3].value.a = cp[0].value.a;
	}
	return TEE_SUCCESS;
}

static const uint8_t test_rodata[64] = { 1, 2, 3 };

static TEE_Result cmd_check_access(uint32_t pt, TEE_Param params[4])
{
	uint8_t *heap = NULL;
	void *buf = NULL;
	size_t size = 0;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MIO, PT_VOUT, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	heap = TEE_Malloc(64, TEE_MALLOC_FILL_ZERO);
	if (!heap)
		return TEE_ERROR_OUT_OF_MEMORY;
	switch (params[0].value.b) {
	case TA_TEST_MEM_PARAM:
		buf = params[1].memref.buffer;
		size = params[1].memref.size;
		break;
	case TA_TEST_MEM_HEAP:
		buf = heap;
		size = 64;
		break;
	case TA_TEST_MEM_RODATA:
		buf = (void *)test_rodata;
		size = sizeof(test_rodata);
		break;
	case TA_TEST_MEM_NULL:
		size = 16;
		break;
	case TA_TEST_MEM_EMPTY:
		buf = heap;
		break;
	default:
		TEE_Free(heap);
		return TEE_ERROR_BAD_PARAMETERS;
	}
	params[2].value.a = TEE_CheckMemoryAccessRights(params[0].value.a,
							 buf, size);
	TEE_Free(heap);
	return TEE_SUCCESS;
}

static TEE_Result cmd_touch(uint32_t pt, TEE_Param params[4])
{
	uint8_t *buf = NULL;
	size_t size = 0;

	if (pt != TEE_PARAM_TYPES(PT_MIO, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	buf = params[0].memref.buffer;
	size = params[0].memref.size;
	if (size) {
		buf[0]++;
		buf[size - 1]++;
	}
	return TEE_SUCCESS;
}

static TEE_Result cmd_short_buffer(uint32_t pt, TEE_Param params[4])
{
	uint32_t needed = 0;
	uint8_t *buf = NULL;
	uint32_t i = 0;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	needed = params[0].value.a;
	if (params[1].memref.size < needed) {
		params[1].memref.size = needed;
		return TEE_ERROR_SHORT_BUFFER;
	}
	buf = params[1].memref.buffer;
	for (i = 0; i < needed; i++)
		buf[i] = (uint8_t)(i & 0xff);
	params[1].memref.size = needed;
	return TEE_SUCCESS;
}

static TEE_Result cmd_all_types(uint32_t pt, TEE_Param params[4])
{
	size_t n = 0;
	size_t i = 0;
	uint8_t *p3 = NULL;

	if (pt != TEE_PARAM_TYPES(PT_VIO, PT_MIN, PT_MOUT, PT_MIO))
		return TEE_ERROR_BAD_PARAMETERS;

	params[0].value.b = params[0].value.a + params[0].value.b;
	params[0].value.a = (uint32_t)params[1].memref.size;

	n = params[1].memref.size;
	if (params[2].memref.size < n)
		n = params[2].memref.size;
	if (n)
		TEE_MemMove(params[2].memref.buffer, params[1].memref.buffer,
			    n);
	params[2].memref.size = n;

	p3 = params[3].memref.buffer;
	for (i = 0; i < params[3].memref.size; i++)
		p3[i] ^= 0xff;
	return TEE_SUCCESS;
}

static TEE_Result cmd_panic(uint32_t pt, TEE_Param params[4])
{
	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_Panic(params[0].value.a);
	/* OP-TEE does not declare TEE_Panic noreturn: keep -Wreturn-type quiet. */
	return TEE_ERROR_GENERIC;
}

static TEE_Result cmd_segfault(uint32_t pt, TEE_Param params[4] __unused)
{
	/*
	 * Both volatile: the compiler may neither assume the pointer is NULL
	 * nor drop the store.
	 */
	volatile uint32_t *volatile ptr = NULL;

	if (pt != TEE_PARAM_TYPES(PT_NONE, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	*ptr = 0xdead;
	EMSG("write through NULL did not fault");
	return TEE_ERROR_GENERIC;
}

static TEE_Result cmd_abort(uint32_t pt, TEE_Param params[4] __unused)
{
	if (pt != TEE_PARAM_TYPES(PT_NONE, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	__builtin_trap();
}

/*
 * Each level keeps a volatile frame alive across the call below it (the
 * callee reads the caller's frame), so the recursion cannot become a loop.
 */
static uint32_t __noinline recurse(uint32_t depth, volatile uint8_t *up)
{
	volatile uint8_t frame[256];

	frame[0] = (uint8_t)depth;
	frame[sizeof(frame) - 1] = up[0];
	if (depth == recursion_limit)
		return frame[0];
	return recurse(depth + 1, frame) + frame[sizeof(frame) - 1];
}

static TEE_Result cmd_stack_overflow(uint32_t pt,
				     TEE_Param params[4] __unused)
{
	volatile uint8_t start[1] = { 0 };

	if (pt != TEE_PARAM_TYPES(PT_NONE, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	EMSG("recursion ended: %" PRIu32, recurse(0, start));
	return TEE_ERROR_GENERIC;
}

static TEE_Result cmd_heap_exhaust(uint32_t pt, TEE_Param params[4])
{
	void *head = NULL;
	void *next = NULL;
	void **block = NULL;
	void *big = NULL;
	uint32_t count = 0;

	if (pt != TEE_PARAM_TYPES(PT_VOUT, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;

	/* Chain the blocks through their first word. */
	while (count < HEAP_BLOCK_CAP) {
		block = TEE_Malloc(HEAP_BLOCK_SIZE, TEE_MALLOC_FILL_ZERO);
		if (!block)
			break;
		*block = head;
		head = block;
		count++;
	}
	while (head) {
		next = *(void **)head;
		TEE_Free(head);
		head = next;
	}

	big = TEE_Malloc(2 * TA_TEST_DATA_SIZE, TEE_MALLOC_FILL_ZERO);
	params[0].value.a = count;
	params[0].value.b = big == NULL;
	TEE_Free(big);
	return TEE_SUCCESS;
}

static TEE_Result cmd_wait(uint32_t pt, TEE_Param params[4])
{
	TEE_Result res = TEE_SUCCESS;
	bool unmask = false;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_VOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	unmask = params[0].value.b == 1;
	if (unmask)
		TEE_UnmaskCancellation();
	res = TEE_Wait(params[0].value.a);
	params[1].value.a = TEE_GetCancellationFlag();
	params[1].value.b = 0;
	if (unmask)
		TEE_MaskCancellation();
	return res;
}

static TEE_Result cmd_client_identity(uint32_t pt, TEE_Param params[4])
{
	TEE_Identity id = { 0 };
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_VOUT, PT_MOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_GetPropertyAsIdentity(TEE_PROPSET_CURRENT_CLIENT,
					"gpd.client.identity", &id);
	if (res != TEE_SUCCESS) {
		EMSG("gpd.client.identity: %#" PRIx32, res);
		return res;
	}
	params[0].value.a = id.login;
	params[0].value.b = 0;
	if (params[1].memref.size < 16) {
		params[1].memref.size = 16;
		return TEE_ERROR_SHORT_BUFFER;
	}
	put_uuid(params[1].memref.buffer, &id.uuid);
	params[1].memref.size = 16;
	return TEE_SUCCESS;
}

static TEE_Result cmd_get_property(uint32_t pt, TEE_Param params[4])
{
	TEE_PropSetHandle propset = TEE_PROPSET_CURRENT_TA;
	TEE_Result res = TEE_SUCCESS;
	char *name = NULL;
	size_t len = 0;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MIN, PT_MOUT, PT_NONE) ||
	    !propset_of(params[0].value.a, &propset))
		return TEE_ERROR_BAD_PARAMETERS;

	name = copy_string(&params[1]);
	if (!name)
		return TEE_ERROR_OUT_OF_MEMORY;
	len = params[2].memref.size;
	res = TEE_GetPropertyAsString(propset, name, params[2].memref.buffer,
				      &len);
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER)
		params[2].memref.size = len;
	TEE_Free(name);
	return res;
}

static TEE_Result cmd_property_typed(uint32_t pt, TEE_Param params[4])
{
	TEE_PropSetHandle set = TEE_PROPSET_CURRENT_TA;
	TEE_Identity id = { 0 };
	TEE_UUID uuid = { 0 };
	uint8_t value[TYPED_MAX] = { 0 };
	uint64_t u64 = 0;
	uint32_t u32 = 0;
	bool flag = false;
	char *name = NULL;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MIN, PT_MOUT, PT_NONE) ||
	    !propset_of(params[0].value.a, &set))
		return TEE_ERROR_BAD_PARAMETERS;
	name = copy_string(&params[1]);
	if (!name)
		return TEE_ERROR_OUT_OF_MEMORY;

	/* value is encoded whatever res is, and used only on success */
	switch (params[0].value.b) {
	case TA_TEST_BOOL_GETTER:
		res = TEE_GetPropertyAsBool(set, name, &flag);
		value[0] = flag ? 1 : 0;
		len = 1;
		break;
	case TA_TEST_U32_GETTER:
		res = TEE_GetPropertyAsU32(set, name, &u32);
		put_u32(value, u32);
		len = 4;
		break;
	case TA_TEST_U64_GETTER:
		res = TEE_GetPropertyAsU64(set, name, &u64);
		put_u32(value, (uint32_t)u64);
		put_u32(value + 4, (uint32_t)(u64 >> 32));
		len = 8;
		break;
	case TA_TEST_UUID_GETTER:
		res = TEE_GetPropertyAsUUID(set, name, &uuid);
		put_uuid(value, &uuid);
		len = 16;
		break;
	case TA_TEST_IDENTITY_GETTER:
		res = TEE_GetPropertyAsIdentity(set, name, &id);
		put_u32(value, id.login);
		put_uuid(value + 4, &id.uuid);
		len = TYPED_MAX;
		break;
	case TA_TEST_BINARY_GETTER:
		/* straight into p2: the getter's own size handling is tested */
		len = params[2].memref.size;
		res = TEE_GetPropertyAsBinaryBlock(set, name,
						   params[2].memref.buffer,
						   &len);
		if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER)
			params[2].memref.size = len;
		goto out;
	default:
		res = TEE_ERROR_BAD_PARAMETERS;
		goto out;
	}
	if (res != TEE_SUCCESS)
		goto out;
	if (params[2].memref.size < len)
		res = TEE_ERROR_SHORT_BUFFER;
	else
		TEE_MemMove(params[2].memref.buffer, value, len);
	params[2].memref.size = len;
out:
	TEE_Free(name);
	return res;
}

/*
 * The size a GP "outstring" function reported (NUL included) when asked
 * with an empty buffer: it must say TEE_ERROR_SHORT_BUFFER and ask for one
 * byte at least.
 */
static TEE_Result size_answer(TEE_Result res, size_t len, const char *what)
{
	if (res == TEE_ERROR_SHORT_BUFFER && len > 0)
		return TEE_SUCCESS;
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER) {
		EMSG("%s: an empty buffer gave %#" PRIx32 " and size %zu",
		     what, res, len);
		res = TEE_ERROR_GENERIC;
	}
	return res;
}

/*
 * Appends "<name>=<value>\n" of the enumerator's current property at
 * out + *off when the line fits in cap bytes, and adds the line's length
 * to *off whether it fits or not (so once a line does not fit, none after
 * it is written).  The sizes are asked first with a one-byte buffer of
 * size 0 rather than NULL: OP-TEE's older libutee panics on NULL.
 */
static TEE_Result append_line(TEE_PropSetHandle e, char *out, size_t cap,
			      size_t *off)
{
	char probe = 0;
	char *pos = NULL;
	size_t name_len = 0;
	size_t value_len = 0;
	size_t line = 0;
	TEE_Result res = TEE_SUCCESS;

	res = TEE_GetPropertyName(e, &probe, &name_len);
	res = size_answer(res, name_len, "TEE_GetPropertyName");
	if (res != TEE_SUCCESS)
		goto out;
	res = TEE_GetPropertyAsString(e, NULL, &probe, &value_len);
	res = size_answer(res, value_len, "TEE_GetPropertyAsString");
	if (res != TEE_SUCCESS)
		goto out;
	/* the two NULs become '=' and '\n' */
	if (name_len > SIZE_MAX - value_len ||
	    name_len + value_len > SIZE_MAX - *off) {
		res = TEE_ERROR_OVERFLOW;
		goto out;
	}
	line = name_len + value_len;
	if (*off <= cap && line <= cap - *off) {
		pos = out + *off;
		res = TEE_GetPropertyName(e, pos, &name_len);
		if (res == TEE_SUCCESS)
			res = TEE_GetPropertyAsString(e, NULL, pos + name_len,
						      &value_len);
		if (res != TEE_SUCCESS)
			goto out;
		pos[name_len - 1] = '=';
		pos[name_len + value_len - 1] = '\n';
	}
	*off += line;
out:
	return res;
}

static TEE_Result cmd_property_enumerate(uint32_t pt, TEE_Param params[4])
{
	TEE_PropSetHandle set = TEE_PROPSET_CURRENT_TA;
	TEE_PropSetHandle e = TEE_HANDLE_NULL;
	char probe = 0;
	size_t len = 0;
	size_t off = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MOUT, PT_VOUT, PT_MOUT) ||
	    !propset_of(params[0].value.a, &set))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_AllocatePropertyEnumerator(&e);
	if (res != TEE_SUCCESS)
		return res;
	params[2].value.a = TEE_GetPropertyName(e, &probe, &len);

	TEE_StartPropertyEnumerator(e, set);
	do {
		res = append_line(e, params[1].memref.buffer,
				  params[1].memref.size, &off);
		if (res == TEE_SUCCESS)
			res = TEE_GetNextProperty(e);
	} while (res == TEE_SUCCESS);
	if (res != TEE_ERROR_ITEM_NOT_FOUND)
		goto out;

	/* reset a started enumerator: it is as if just allocated */
	TEE_StartPropertyEnumerator(e, set);
	TEE_ResetPropertyEnumerator(e);
	len = 0;
	params[2].value.b = TEE_GetPropertyName(e, &probe, &len);

	TEE_StartPropertyEnumerator(e, set);
	len = params[3].memref.size;
	res = TEE_GetPropertyName(e, params[3].memref.buffer, &len);
	if (res != TEE_SUCCESS && res != TEE_ERROR_SHORT_BUFFER)
		goto out;
	params[3].memref.size = len;
	if (off > params[1].memref.size)
		res = TEE_ERROR_SHORT_BUFFER;
	params[1].memref.size = off;
out:
	TEE_FreePropertyEnumerator(e);
	return res;
}

/*
 * The seven words of info, little-endian.  A transient object has no data
 * stream, so dataSize and dataPosition (size_t) are 0 and fit a word.
 */
static void put_object_info(uint8_t *out, const TEE_ObjectInfo *info)
{
	const uint32_t words[TA_TEST_GP11_INFO_WORDS] = {
		info->objectType, info->objectSize, info->maxObjectSize,
		info->objectUsage, (uint32_t)info->dataSize,
		(uint32_t)info->dataPosition, info->handleFlags,
	};
	size_t i = 0;

	for (i = 0; i < TA_TEST_GP11_INFO_WORDS; i++)
		put_u32(out + 4 * i, words[i]);
}

static TEE_Result cmd_object_gp11(uint32_t pt, TEE_Param params[4])
{
	TEE_ObjectHandle src = TEE_HANDLE_NULL;
	TEE_ObjectHandle dst = TEE_HANDLE_NULL;
	TEE_ObjectInfo info = { 0 };
	TEE_Attribute attr = { 0 };
	uint8_t *infos = params[2].memref.buffer;
	size_t key_len = params[0].memref.size;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_MIN, PT_VIN, PT_MOUT, PT_MOUT) ||
	    (key_len != 16 && key_len != 24 && key_len != 32))
		return TEE_ERROR_BAD_PARAMETERS;
	if (params[2].memref.size < TA_TEST_GP11_INFO_SIZE) {
		params[2].memref.size = TA_TEST_GP11_INFO_SIZE;
		return TEE_ERROR_SHORT_BUFFER;
	}

	res = TEE_AllocateTransientObject(TEE_TYPE_AES, 256, &src);
	if (res != TEE_SUCCESS)
		goto out;
	TEE_GetObjectInfo(src, &info);
	put_object_info(infos, &info);

	TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE,
			     params[0].memref.buffer, key_len);
	res = TEE_PopulateTransientObject(src, &attr, 1);
	if (res != TEE_SUCCESS)
		goto out;
	TEE_GetObjectInfo(src, &info);
	put_object_info(infos + GP11_RECORD, &info);

	TEE_RestrictObjectUsage(src, params[1].value.a);
	TEE_RestrictObjectUsage(src, params[1].value.b);
	TEE_GetObjectInfo(src, &info);
	put_object_info(infos + 2 * GP11_RECORD, &info);

	res = TEE_AllocateTransientObject(TEE_TYPE_AES, 256, &dst);
	if (res != TEE_SUCCESS)
		goto out;
	TEE_CopyObjectAttributes(dst, src);
	TEE_GetObjectInfo(dst, &info);
	put_object_info(infos + 3 * GP11_RECORD, &info);
	params[2].memref.size = TA_TEST_GP11_INFO_SIZE;

	len = params[3].memref.size;
	res = TEE_GetObjectBufferAttribute(dst, TEE_ATTR_SECRET_VALUE,
					   params[3].memref.buffer, &len);
	if (res == TEE_SUCCESS || res == TEE_ERROR_SHORT_BUFFER)
		params[3].memref.size = len;
out:
	TEE_FreeTransientObject(dst);
	TEE_FreeTransientObject(src);
	return res;
}

static TEE_Result cmd_counter(uint32_t pt, TEE_Param params[4])
{
	if (pt != TEE_PARAM_TYPES(PT_VOUT, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	command_counter++;
	params[0].value.a = command_counter;
	params[0].value.b = 0;
	return TEE_SUCCESS;
}

static TEE_Result cmd_log(uint32_t pt, TEE_Param params[4])
{
	char *text = NULL;

	if (pt != TEE_PARAM_TYPES(PT_MIN, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	text = copy_string(&params[0]);
	if (!text)
		return TEE_ERROR_OUT_OF_MEMORY;
	EMSG("log-error: %s", text);
	IMSG("log-info: %s", text);
	DMSG("log-debug: %s", text);
	FMSG("log-flow: %s", text);
	TEE_Free(text);
	return TEE_SUCCESS;
}

static TEE_Result cmd_instance_data(uint32_t pt, TEE_Param params[4])
{
	const uint32_t *stored = NULL;

	if (pt != TEE_PARAM_TYPES(PT_VIO, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	stored = TEE_GetInstanceData();
	if (!stored) {
		instance_value = params[0].value.a;
		TEE_SetInstanceData(&instance_value);
		params[0].value.a = 0;
		params[0].value.b = 1;
	} else {
		params[0].value.a = *stored;
		params[0].value.b = 0;
	}
	return TEE_SUCCESS;
}

static bool all_bytes(const uint8_t *buf, size_t len, uint8_t val)
{
	size_t i = 0;

	for (i = 0; i < len; i++)
		if (buf[i] != val)
			return false;
	return true;
}

/*
 * The checks of MALLOC_REALLOC; returns 0 or the number of the first
 * check that failed.
 */
static uint32_t malloc_checks(void)
{
	uint8_t *p = NULL;
	uint8_t *q = NULL;
	uint8_t *r = NULL;
	uint8_t a[4] = { 1, 2, 3, 4 };
	uint8_t b[4] = { 1, 2, 3, 5 };
	uint32_t failed = 0;
	size_t i = 0;

	/* 1: TEE_Malloc gives memory; 2: zero-filled */
	p = TEE_Malloc(100, TEE_MALLOC_FILL_ZERO);
	if (!p) {
		failed = 1;
		goto out;
	}
	if (!all_bytes(p, 100, 0)) {
		failed = 2;
		goto out;
	}
	/* 3: TEE_MemFill writes the byte; 4: only the low 8 bits of x */
	TEE_MemFill(p, 0xab, 100);
	if (!all_bytes(p, 100, 0xab)) {
		failed = 3;
		goto out;
	}
	TEE_MemFill(p, 0x1cd, 10);
	if (!all_bytes(p, 10, 0xcd) || p[10] != 0xab) {
		failed = 4;
		goto out;
	}
	TEE_MemFill(p, 0xab, 100);
	/* 5: TEE_Realloc grows and keeps the contents */
	q = TEE_Realloc(p, 4000);
	if (!q) {
		failed = 5;
		goto out;
	}
	p = NULL;
	if (!all_bytes(q, 100, 0xab)) {
		failed = 5;
		goto out;
	}
	/* 6: TEE_MemMove with overlap, forward */
	for (i = 0; i < 256; i++)
		q[i] = (uint8_t)i;
	TEE_MemMove(q + 1, q, 255);
	for (i = 0; i < 255; i++) {
		if (q[i + 1] != (uint8_t)i) {
			failed = 6;
			goto out;
		}
	}
	/* 7: TEE_MemMove with overlap, backward */
	for (i = 0; i < 256; i++)
		q[i] = (uint8_t)i;
	TEE_MemMove(q, q + 1, 255);
	for (i = 0; i < 255; i++) {
		if (q[i] != (uint8_t)(i + 1)) {
			failed = 7;
			goto out;
		}
	}
	/* 8: TEE_MemCompare: equal, less, greater */
	if (TEE_MemCompare(a, a, sizeof(a)) != 0 ||
	    TEE_MemCompare(a, b, sizeof(a)) >= 0 ||
	    TEE_MemCompare(b, a, sizeof(a)) <= 0) {
		failed = 8;
		goto out;
	}
	/* 9: TEE_Realloc shrinks and keeps the head */
	for (i = 0; i < 10; i++)
		q[i] = (uint8_t)(0x40 + i);
	p = TEE_Realloc(q, 10);
	if (!p) {
		failed = 9;
		goto out;
	}
	q = NULL;
	for (i = 0; i < 10; i++) {
		if (p[i] != (uint8_t)(0x40 + i)) {
			failed = 9;
			goto out;
		}
	}
	/* 10: TEE_Realloc(NULL, n) allocates; TEE_Free(NULL) does nothing */
	r = TEE_Realloc(NULL, 16);
	if (!r) {
		failed = 10;
		goto out;
	}
	TEE_Free(NULL);
	/* 11: a TEE_Realloc beyond the heap fails and keeps the block */
	q = TEE_Realloc(p, 2 * TA_TEST_DATA_SIZE);
	if (q) {
		p = NULL;
		failed = 11;
		goto out;
	}
	for (i = 0; i < 10; i++) {
		if (p[i] != (uint8_t)(0x40 + i)) {
			failed = 11;
			goto out;
		}
	}
	/* 12: a TEE_Malloc beyond the heap fails */
	q = TEE_Malloc(2 * TA_TEST_DATA_SIZE, TEE_MALLOC_FILL_ZERO);
	if (q)
		failed = 12;
out:
	TEE_Free(p);
	TEE_Free(q);
	TEE_Free(r);
	return failed;
}

static TEE_Result cmd_malloc_realloc(uint32_t pt, TEE_Param params[4])
{
	uint32_t failed = 0;

	if (pt != TEE_PARAM_TYPES(PT_VOUT, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	failed = malloc_checks();
	params[0].value.a = failed;
	params[0].value.b = 0;
	if (failed) {
		EMSG("malloc check %" PRIu32 " failed", failed);
		return TEE_ERROR_GENERIC;
	}
	return TEE_SUCCESS;
}

static TEE_Result cmd_session_info(struct test_session *sess, uint32_t pt,
				   TEE_Param params[4])
{
	if (pt != TEE_PARAM_TYPES(PT_VOUT, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	params[0].value.a = sess->login;
	params[0].value.b = sess->invokes;
	return TEE_SUCCESS;
}

TEE_Result TA_CreateEntryPoint(void)
{
	create_count++;
	log_lifecycle("create");
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
	destroy_count++;
	log_lifecycle("destroy");
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t pt, TEE_Param params[4],
				    void **sess_ctx)
{
	const uint32_t pt_none = TEE_PARAM_TYPES(PT_NONE, PT_NONE, PT_NONE,
						 PT_NONE);
	const uint32_t pt_check = TEE_PARAM_TYPES(PT_VIN, PT_VOUT, PT_NONE,
						  PT_NONE);
	TEE_Identity id = { 0 };
	TEE_Result res = TEE_SUCCESS;
	struct test_session *sess = NULL;

	open_count++;
	log_lifecycle("open");
	if (pt != pt_none && pt != pt_check)
		return TEE_ERROR_BAD_PARAMETERS;

	res = TEE_GetPropertyAsIdentity(TEE_PROPSET_CURRENT_CLIENT,
					"gpd.client.identity", &id);
	if (res != TEE_SUCCESS) {
		EMSG("gpd.client.identity: %#" PRIx32, res);
		return res;
	}
	if (pt == pt_check) {
		params[1].value.a = TA_TEST_OPEN_MAGIC;
		params[1].value.b = id.login;
		if (params[0].value.a != 0)
			return params[0].value.a;
	}

	sess = TEE_Malloc(sizeof(*sess), TEE_MALLOC_FILL_ZERO);
	if (!sess)
		return TEE_ERROR_OUT_OF_MEMORY;
	sess->login = id.login;
	*sess_ctx = sess;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	close_count++;
	log_lifecycle("close");
	TEE_Free(sess_ctx);
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd,
				      uint32_t pt, TEE_Param params[4])
{
	struct test_session *sess = sess_ctx;

	sess->invokes++;
	switch (cmd) {
	case TA_TEST_CMD_NULL:
		return cmd_null(pt, params);
	case TA_TEST_CMD_VALUE_ADD:
		return cmd_value_add(pt, params);
	case TA_TEST_CMD_VALUE_INC:
		return cmd_value_inc(pt, params);
	case TA_TEST_CMD_MEMREF_SUM:
		return cmd_memref_sum(pt, params);
	case TA_TEST_CMD_MEMREF_FILL:
		return cmd_memref_fill(pt, params);
	case TA_TEST_CMD_MEMREF_REVERSE:
		return cmd_memref_reverse(pt, params);
	case TA_TEST_CMD_SHORT_BUFFER:
		return cmd_short_buffer(pt, params);
	case TA_TEST_CMD_ALL_TYPES:
		return cmd_all_types(pt, params);
	case TA_TEST_CMD_PANIC:
		return cmd_panic(pt, params);
	case TA_TEST_CMD_SEGFAULT:
		return cmd_segfault(pt, params);
	case TA_TEST_CMD_ABORT:
		return cmd_abort(pt, params);
	case TA_TEST_CMD_STACK_OVERFLOW:
		return cmd_stack_overflow(pt, params);
	case TA_TEST_CMD_HEAP_EXHAUST:
		return cmd_heap_exhaust(pt, params);
	case TA_TEST_CMD_WAIT:
		return cmd_wait(pt, params);
	case TA_TEST_CMD_CLIENT_IDENTITY:
		return cmd_client_identity(pt, params);
	case TA_TEST_CMD_GET_PROPERTY:
		return cmd_get_property(pt, params);
	case TA_TEST_CMD_COUNTER:
		return cmd_counter(pt, params);
	case TA_TEST_CMD_LOG:
		return cmd_log(pt, params);
	case TA_TEST_CMD_INSTANCE_DATA:
		return cmd_instance_data(pt, params);
	case TA_TEST_CMD_MALLOC_REALLOC:
		return cmd_malloc_realloc(pt, params);
	case TA_TEST_CMD_SESSION_INFO:
		return cmd_session_info(sess, pt, params);
	case TA_TEST_CMD_TOUCH:
		return cmd_touch(pt, params);
	case TA_TEST_CMD_CALL_TA:
		return cmd_call_ta(pt, params);
	case TA_TEST_CMD_PROPERTY_TYPED:
		return cmd_property_typed(pt, params);
	case TA_TEST_CMD_PROPERTY_ENUMERATE:
		return cmd_property_enumerate(pt, params);
	case TA_TEST_CMD_OBJECT_GP11:
		return cmd_object_gp11(pt, params);
	case TA_TEST_CMD_CHECK_ACCESS:
		return cmd_check_access(pt, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
