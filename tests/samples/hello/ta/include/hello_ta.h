/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pytee "hello" sample TA: its UUID, command ids and property names,
 * shared by the TA (../hello_ta.c) and its client (../../host/main.c).
 */
#ifndef HELLO_TA_H
#define HELLO_TA_H

/* ec097199-59e5-4bbf-8060-064e1e0b664a */
#define TA_HELLO_UUID \
	{ 0xec097199, 0x59e5, 0x4bbf, \
		{ 0x80, 0x60, 0x06, 0x4e, 0x1e, 0x0b, 0x66, 0x4a } }

/*
 * Commands.  Each takes one parameter:
 *   TA_HELLO_CMD_INC_VALUE  p0 VALUE_INOUT  a = a + 1
 *   TA_HELLO_CMD_DEC_VALUE  p0 VALUE_INOUT  a = a - 1
 *   TA_HELLO_CMD_GET_ANSWER p0 VALUE_OUTPUT a = the TA's property
 *                                           TA_HELLO_PROP_ANSWER (u32)
 */
#define TA_HELLO_CMD_INC_VALUE		0
#define TA_HELLO_CMD_DEC_VALUE		1
#define TA_HELLO_CMD_GET_ANSWER		2

/* Properties of its own the TA declares (user_ta_header_defines.h). */
#define TA_HELLO_PROP_GREETING		"org.pytee.hello.greeting"
#define TA_HELLO_PROP_ANSWER		"org.pytee.hello.answer"
#define TA_HELLO_GREETING		"hello from the pytee sample TA"
#define TA_HELLO_ANSWER			42

#endif /* HELLO_TA_H */
