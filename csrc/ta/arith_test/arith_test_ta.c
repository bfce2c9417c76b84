// SPDX-License-Identifier: BSD-2-Clause
/*
 * The arithmetic and time test TA: entry points.  Written against the GP
 * TEE Internal Core API only, so it builds with OP-TEE's dev kit as well;
 * the commands are documented in include/arith_test_ta.h.
 */
#include <tee_internal_api.h>

#include "arith_test_internal.h"

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
	if (pt != TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
				  TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx __unused)
{
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx __unused, uint32_t cmd,
				      uint32_t pt, TEE_Param params[4])
{
	if (bigint_operands(cmd) >= 0)
		return bigint_command(cmd, pt, params);
	return time_command(cmd, pt, params);
}
