/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read by the dev kit's user_ta_header.c (OP-TEE's and pytee's alike).
 */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <test_ta.h>

#define TA_UUID			TA_TEST_SINGLE_UUID

#define TA_FLAGS		TA_FLAG_SINGLE_INSTANCE
#define TA_STACK_SIZE		TA_TEST_STACK_SIZE
#define TA_DATA_SIZE		TA_TEST_DATA_SIZE
/* TA_VERSION left undefined: gpd.ta.version is the default. */
#define TA_DESCRIPTION		"pytee test TA (single instance, single session)"

#endif /* USER_TA_HEADER_DEFINES_H */
