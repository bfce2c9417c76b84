/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read by the dev kit's user_ta_header.c, OP-TEE's or pytee's: the TA's
 * identity, flags, sizes and properties.
 */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <hello_ta.h>

#define TA_UUID				TA_HELLO_UUID

/* TA_FLAG_EXEC_DDR is 0: one instance per session, as in OP-TEE's samples. */
#define TA_FLAGS			TA_FLAG_EXEC_DDR
#define TA_STACK_SIZE			(2 * 1024)
#define TA_DATA_SIZE			(32 * 1024)

#define TA_VERSION			"1.0"
#define TA_DESCRIPTION			"pytee sample: increments a value"

#define TA_CURRENT_TA_EXT_PROPERTIES \
	{ TA_HELLO_PROP_GREETING, USER_TA_PROP_TYPE_STRING, \
	  TA_HELLO_GREETING }, \
	{ TA_HELLO_PROP_ANSWER, USER_TA_PROP_TYPE_U32, \
	  &(const uint32_t){ TA_HELLO_ANSWER } }

#endif /* USER_TA_HEADER_DEFINES_H */
