/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read by the dev kit's user_ta_header.c (OP-TEE's and pytee's alike).
 * Not single-instance: each session has an instance of its own, so two
 * sessions are two TA instances competing for the one TUI session.
 */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <tui_test_ta.h>

#define TA_UUID			TA_TUI_TEST_UUID

#define TA_FLAGS		0
#define TA_STACK_SIZE		(8 * 1024)
#define TA_DATA_SIZE		(64 * 1024)
#define TA_VERSION		"1.0"
#define TA_DESCRIPTION		"pytee Trusted UI test TA"

#endif /* USER_TA_HEADER_DEFINES_H */
