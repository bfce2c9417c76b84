// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 6.8 (Random Data Generation Function),
 * on OpenSSL's DRBG.  As in OP-TEE, a failure to generate panics.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/rand.h>

#include <tee_internal_api.h>
#include <util.h>

#include "api.h"

TEE_API void TEE_GenerateRandom(void *randomBuffer, size_t randomBufferLen)
{
	uint8_t *p = randomBuffer;
	size_t step = 0;

	if (!p && randomBufferLen)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	/* RAND_bytes counts in int */
	while (randomBufferLen) {
		step = MIN(randomBufferLen, (size_t)INT_MAX);
		if (RAND_bytes(p, (int)step) != 1)
			TEE_Panic(TEE_ERROR_GENERIC);
		p += step;
		randomBufferLen -= step;
	}
}
