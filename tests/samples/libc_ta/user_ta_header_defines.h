/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

#include <libc_ta.h>

#define TA_UUID			TA_LIBC_UUID
/* One instance per session: a command that panics ends only its own. */
#define TA_FLAGS		0
#define TA_STACK_SIZE		(8 * 1024)
#define TA_DATA_SIZE		(64 * 1024)
#define TA_VERSION		"1.0"
#define TA_DESCRIPTION		"pytee test: the TA libc subset"

#endif /* USER_TA_HEADER_DEFINES_H */
