/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef USER_TA_HEADER_DEFINES_H
#define USER_TA_HEADER_DEFINES_H

/* 3a6b0d6e-5c1f-4b8e-9f3a-2d7c4e1b8a90 */
#define TA_UUID \
	{ 0x3a6b0d6e, 0x5c1f, 0x4b8e, \
		{ 0x9f, 0x3a, 0x2d, 0x7c, 0x4e, 0x1b, 0x8a, 0x90 } }
#define TA_FLAGS		0
#define TA_STACK_SIZE		(2 * 1024)
#define TA_DATA_SIZE		(32 * 1024)

#endif /* USER_TA_HEADER_DEFINES_H */
