/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read by the dev kit's user_ta_header.c (OP-TEE's and pytee's alike).
 */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <bench_crypto_ta.h>

#define TA_UUID			TA_BENCH_CRYPTO_UUID

#define TA_FLAGS		0
#define TA_STACK_SIZE		(8 * 1024)
/* the ciphertext buffer of a session, and room for the rest */
#define TA_DATA_SIZE		(TA_BENCH_CRYPTO_MAX_DATA + 256 * 1024)
#define TA_VERSION		"1.0"
#define TA_DESCRIPTION		"pytee crypto benchmark TA (GP crypto API)"

#endif /* USER_TA_HEADER_DEFINES_H */
