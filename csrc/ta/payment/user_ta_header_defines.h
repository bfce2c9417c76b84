/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Read by the dev kit's user_ta_header.c (OP-TEE's and pytee's alike).
 *
 * One instance serves every session: GP runs the entry points of an
 * instance one at a time, so the read-change-write of the stored state
 * (ATC, balance, counters) done by one command is never interleaved with
 * another session's.  The transaction itself lives in each session.
 */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <payment_ta.h>

#define TA_UUID			TA_PAYMENT_UUID

#define TA_FLAGS		(TA_FLAG_SINGLE_INSTANCE | TA_FLAG_MULTI_SESSION)
#define TA_STACK_SIZE		(16 * 1024)
#define TA_DATA_SIZE		(64 * 1024)
#define TA_VERSION		"1.0"
#define TA_DESCRIPTION		"pytee payment TA (CN103942678A)"

#endif /* USER_TA_HEADER_DEFINES_H */
