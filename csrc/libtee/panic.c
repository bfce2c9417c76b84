// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 7.3.1 (Panic Function).
 *
 * TEE_Panic ends the instance: the runtime logs the code and exits the
 * host process, and every session of the instance sees
 * TEEC_ERROR_TARGET_DEAD from then on, as on OP-TEE.
 */
#include <tee_internal_api.h>

#include "api.h"
#include "libtee_internal.h"

TEE_API void TEE_Panic(TEE_Result panicCode)
{
	rt_panic(panicCode);
}
