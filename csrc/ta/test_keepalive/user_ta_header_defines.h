/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read by the dev kit's user_ta_header.c (OP-TEE's and pytee's alike).
 */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <test_ta.h>

#define TA_UUID			TA_TEST_KEEPALIVE_UUID

#define TA_FLAGS		(TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION | \
				 TA_FLAG_INSTANCE_KEEP_ALIVE)
#define TA_STACK_SIZE		TA_TEST_STACK_SIZE
#define TA_DATA_SIZE		TA_TEST_DATA_SIZE
#define TA_VERSION		TA_TEST_VERSION
#define TA_DESCRIPTION		"pytee test TA (single instance, multi-session, keep-alive)"

/*
 * Properties of our own, one of each type the typed getters need (see
 * test_ta.h); the trailing comma is allowed.
 */
#define TA_CURRENT_TA_EXT_PROPERTIES \
	{ "pytee.test.name", USER_TA_PROP_TYPE_STRING, \
	  TA_TEST_PROP_NAME_VALUE }, \
	{ "pytee.test.answer", USER_TA_PROP_TYPE_U32, \
	  &(const uint32_t){ TA_TEST_PROP_ANSWER_VALUE } }, \
	{ "pytee.test.u64", USER_TA_PROP_TYPE_U64, \
	  &(const uint64_t){ TA_TEST_PROP_U64_VALUE } }, \
	{ "pytee.test.u64.max32", USER_TA_PROP_TYPE_U64, \
	  &(const uint64_t){ TA_TEST_PROP_U64_MAX32_VALUE } }, \
	{ "pytee.test.uuid", USER_TA_PROP_TYPE_UUID, \
	  &(const TEE_UUID)TA_TEST_PROP_UUID_VALUE }, \
	{ "pytee.test.blob", USER_TA_PROP_TYPE_BINARY_BLOCK, \
	  TA_TEST_PROP_BLOB_VALUE },

#endif /* USER_TA_HEADER_DEFINES_H */
