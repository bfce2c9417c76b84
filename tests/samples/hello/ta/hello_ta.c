// SPDX-License-Identifier: BSD-2-Clause
/*
 * The pytee "hello" sample TA: written against the GP TEE Internal Core API
 * only, built unchanged by OP-TEE's TA dev kit and by pytee's.
 */
#include <inttypes.h>

#include <tee_internal_api.h>

#include <hello_ta.h>

TEE_Result TA_CreateEntryPoint(void)
{
	DMSG("hello TA: instance created");
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
	DMSG("hello TA: instance destroyed");
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types,
				    TEE_Param __maybe_unused params[4],
				    void __maybe_unused **sess_ctx)
{
	const uint32_t expected = TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE,
						  TEE_PARAM_TYPE_NONE,
						  TEE_PARAM_TYPE_NONE,
						  TEE_PARAM_TYPE_NONE);
	char greeting[64] = { 0 };
	size_t greeting_len = sizeof(greeting);
	TEE_Result res = TEE_ERROR_GENERIC;

	if (param_types != expected)
		return TEE_ERROR_BAD_PARAMETERS;

	/* One of the TA's own properties (TA_CURRENT_TA_EXT_PROPERTIES). */
	res = TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA,
				      TA_HELLO_PROP_GREETING, greeting,
				      &greeting_len);
	if (res != TEE_SUCCESS) {
		EMSG("hello TA: no property %s: 0x%" PRIx32,
		     TA_HELLO_PROP_GREETING, res);
		return res;
	}
	IMSG("%s", greeting);
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void __maybe_unused *sess_ctx)
{
	IMSG("hello TA: goodbye");
}

static TEE_Result add_to_value(uint32_t param_types, TEE_Param params[4],
			       int32_t delta)
{
	const uint32_t expected = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT,
						  TEE_PARAM_TYPE_NONE,
						  TEE_PARAM_TYPE_NONE,
						  TEE_PARAM_TYPE_NONE);
	uint32_t before = 0;

	if (param_types != expected)
		return TEE_ERROR_BAD_PARAMETERS;
	before = params[0].value.a;
	params[0].value.a = before + (uint32_t)delta;
	IMSG("hello TA: value %" PRIu32 " -> %" PRIu32, before,
	     params[0].value.a);
	return TEE_SUCCESS;
}

static TEE_Result get_answer(uint32_t param_types, TEE_Param params[4])
{
	const uint32_t expected = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT,
						  TEE_PARAM_TYPE_NONE,
						  TEE_PARAM_TYPE_NONE,
						  TEE_PARAM_TYPE_NONE);
	uint32_t answer = 0;
	TEE_Result res = TEE_ERROR_GENERIC;

	if (param_types != expected)
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA,
				   TA_HELLO_PROP_ANSWER, &answer);
	if (res != TEE_SUCCESS)
		return res;
	params[0].value.a = answer;
	params[0].value.b = 0;
	return TEE_SUCCESS;
}

TEE_Result TA_InvokeCommandEntryPoint(void __maybe_unused *sess_ctx,
				      uint32_t cmd_id, uint32_t param_types,
				      TEE_Param params[4])
{
	switch (cmd_id) {
	case TA_HELLO_CMD_INC_VALUE:
		return add_to_value(param_types, params, 1);
	case TA_HELLO_CMD_DEC_VALUE:
		return add_to_value(param_types, params, -1);
	case TA_HELLO_CMD_GET_ANSWER:
		return get_answer(param_types, params);
	default:
		EMSG("hello TA: unknown command %" PRIu32, cmd_id);
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
