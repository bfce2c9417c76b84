/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read by the dev kit's user_ta_header.c (OP-TEE's and pytee's alike).
 */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <ext_test_ta.h>

#define TA_UUID			TA_EXT_TEST_UUID

/* TEE_CacheClean/Flush/Invalidate need it */
#define TA_FLAGS		TA_FLAG_CACHE_MAINTENANCE
#define TA_STACK_SIZE		TA_EXT_TEST_STACK_SIZE
#define TA_DATA_SIZE		TA_EXT_TEST_DATA_SIZE
#define TA_VERSION		TA_EXT_TEST_VERSION
#define TA_DESCRIPTION		"pytee OP-TEE extensions test TA"

#endif /* USER_TA_HEADER_DEFINES_H */
