/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read by the dev kit's user_ta_header.c (OP-TEE's and pytee's alike).
 */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <crypto_test_ta.h>

#define TA_UUID			TA_CRYPTO_TEST_UUID

#define TA_FLAGS		0
#define TA_STACK_SIZE		(8 * 1024)
#define TA_DATA_SIZE		(256 * 1024)
#define TA_VERSION		"1.0"
#define TA_DESCRIPTION		"pytee crypto test TA (GP crypto API)"

#endif /* USER_TA_HEADER_DEFINES_H */
