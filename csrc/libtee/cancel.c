// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 4.10 (Cancellation Functions) and
 * TEE_Wait (7.2.2).
 *
 * The runtime owns the per-session mask (masked when an entry point
 * starts, as on OP-TEE) and the flag set by the client's
 * TEEC_RequestCancellation; these functions only read and write them.
 */
#include <stdbool.h>
#include <stdint.h>

#include <tee_internal_api.h>

#include "api.h"
#include "libtee_internal.h"

/* True only when the command is cancelled and cancellation is unmasked. */
TEE_API bool TEE_GetCancellationFlag(void)
{
	bool masked = rt_cancel_masked();

	return !masked && rt_cancel_flag();
}

/* Unmasks; returns true if cancellation was masked before the call. */
TEE_API bool TEE_UnmaskCancellation(void)
{
	bool was_masked = rt_cancel_masked();

	rt_cancel_set_masked(false);
	return was_masked;
}

/* Masks; returns true if cancellation was already masked. */
TEE_API bool TEE_MaskCancellation(void)
{
	bool was_masked = rt_cancel_masked();

	rt_cancel_set_masked(true);
	return was_masked;
}

/*
 * Waits timeout milliseconds (TEE_TIMEOUT_INFINITE: until cancelled).
 * Returns TEE_ERROR_CANCEL as soon as the running command is cancelled
 * while cancellation is unmasked, else TEE_SUCCESS once the time is up.
 */
TEE_API TEE_Result TEE_Wait(uint32_t timeout)
{
	bool cancelled = rt_wait(timeout);

	return cancelled ? TEE_ERROR_CANCEL : TEE_SUCCESS;
}
