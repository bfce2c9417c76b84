// SPDX-License-Identifier: BSD-2-Clause
/*
 * The arith_test TA: the time commands (see include/arith_test_ta.h).
 */
#include <stdint.h>

#include <tee_internal_api.h>

#include <arith_test_ta.h>

#include "arith_test_internal.h"

#define PT_VIN	TEE_PARAM_TYPE_VALUE_INPUT
#define PT_VOUT	TEE_PARAM_TYPE_VALUE_OUTPUT
#define PT_NONE	TEE_PARAM_TYPE_NONE

static uint64_t ms_of(const TEE_Time *t)
{
	return (uint64_t)t->seconds * 1000 + t->millis;
}

static TEE_Result get_time(uint32_t cmd, uint32_t pt, TEE_Param params[4])
{
	TEE_Time t = { 0 };

	if (pt != TEE_PARAM_TYPES(PT_VOUT, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	if (cmd == TA_ARITH_CMD_SYSTEM_TIME)
		TEE_GetSystemTime(&t);
	else
		TEE_GetREETime(&t);
	params[0].value.a = t.seconds;
	params[0].value.b = t.millis;
	return TEE_SUCCESS;
}

static TEE_Result get_persistent(uint32_t pt, TEE_Param params[4])
{
	TEE_Time t = { 0 };

	if (pt != TEE_PARAM_TYPES(PT_VOUT, PT_VOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	params[1].value.a = TEE_GetTAPersistentTime(&t);
	params[0].value.a = t.seconds;
	params[0].value.b = t.millis;
	return TEE_SUCCESS;
}

static TEE_Result set_persistent(uint32_t pt, TEE_Param params[4])
{
	TEE_Time t = { 0 };

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	t.seconds = params[0].value.a;
	t.millis = params[0].value.b;
	return TEE_SetTAPersistentTime(&t);
}

static TEE_Result wait_elapsed(uint32_t pt, TEE_Param params[4])
{
	TEE_Time before = { 0 };
	TEE_Time after = { 0 };

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_VOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	TEE_GetSystemTime(&before);
	params[1].value.b = TEE_Wait(params[0].value.a);
	TEE_GetSystemTime(&after);
	params[1].value.a = (uint32_t)(ms_of(&after) - ms_of(&before));
	return TEE_SUCCESS;
}

TEE_Result time_command(uint32_t cmd, uint32_t pt, TEE_Param params[4])
{
	switch (cmd) {
	case TA_ARITH_CMD_SYSTEM_TIME:
	case TA_ARITH_CMD_REE_TIME:
		return get_time(cmd, pt, params);
	case TA_ARITH_CMD_GET_PERSISTENT_TIME:
		return get_persistent(pt, params);
	case TA_ARITH_CMD_SET_PERSISTENT_TIME:
		return set_persistent(pt, params);
	case TA_ARITH_CMD_WAIT_ELAPSED:
		return wait_elapsed(pt, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
