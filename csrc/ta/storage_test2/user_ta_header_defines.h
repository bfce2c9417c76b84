/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read by the dev kit's user_ta_header.c (OP-TEE's and pytee's alike).
 */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <storage_test_ta.h>

#define TA_UUID			STORAGE_TEST2_UUID

/* sub.mk tells the code with -DSTORAGE_TEST_KEEPS_CORRUPT=1 */
#define TA_FLAGS		TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT
#define TA_STACK_SIZE		STORAGE_TEST_STACK_SIZE
#define TA_DATA_SIZE		STORAGE_TEST_DATA_SIZE
#define TA_VERSION		"1.0"
#define TA_DESCRIPTION		"pytee storage test TA (second UUID)"

#endif /* USER_TA_HEADER_DEFINES_H */
