/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read by the dev kit's user_ta_header.c (OP-TEE's and pytee's alike).
 */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <arith_test_ta.h>

#define TA_UUID			TA_ARITH_TEST_PEER_UUID

#define TA_FLAGS		0
#define TA_STACK_SIZE		TA_ARITH_TEST_STACK_SIZE
#define TA_DATA_SIZE		TA_ARITH_TEST_DATA_SIZE
#define TA_VERSION		TA_ARITH_TEST_VERSION
#define TA_DESCRIPTION		"pytee arithmetic and time test TA (peer)"

#endif /* USER_TA_HEADER_DEFINES_H */
