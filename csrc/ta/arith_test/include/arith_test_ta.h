/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The arithmetic and time test TA: drives the GP TEE Arithmetical API
 * (chapter 8) and the Time API (7.2), one function per command.  Plain
 * #defines only, shared by the TA (csrc/ta/arith_test/arith_test_ta.c)
 * and its clients; tests/arith_ta.py mirrors them.
 *
 *   TA_ARITH_TEST_UUID       csrc/ta/arith_test       TA_FLAGS 0
 *   TA_ARITH_TEST_PEER_UUID  csrc/ta/arith_test_peer  the same code under
 *                                                     another UUID (for
 *                                                     per-TA persistent time)
 *
 * Every command checks its parameter types first (TEE_ERROR_BAD_PARAMETERS
 * on a mismatch); an unknown command gets TEE_ERROR_NOT_SUPPORTED.
 *
 * Big integer commands (0 to 29) all take
 *   p0 MEMREF_INPUT   the operands, each encoded as 1 octet sign (0: >= 0,
 *                     1: < 0), 4 octets big-endian length L, then L octets
 *                     of big-endian magnitude; exactly the count the
 *                     command names, else TEE_ERROR_BAD_PARAMETERS
 *   p1 MEMREF_OUTPUT  the results, encoded the same way; when it is too
 *                     small, TEE_ERROR_SHORT_BUFFER with the size needed
 *   p2 VALUE_INPUT    a: size in bits of each result TEE_BigInt (at most
 *                     TA_ARITH_MAX_BITS); b: the argument named below
 *   p3 VALUE_INOUT    in a: the flags or second argument named below;
 *                     out a: the function's return value (TEE_Result,
 *                     int32_t or bool, as a uint32_t), b: as named below
 * Each operand is converted with TEE_BigIntConvertFromOctetString into a
 * TEE_BigInt of TEE_BigIntSizeInU32(8 * L) words (L at most
 * TA_ARITH_MAX_BYTES); each result is a TEE_BigInt of
 * TEE_BigIntSizeInU32(p2.a) words, encoded with TEE_BigIntCmpS32 (sign)
 * and TEE_BigIntConvertToOctetString (magnitude).  A GP function that
 * panics kills the instance: the client sees TEEC_ERROR_TARGET_DEAD.
 *
 * TA_ARITH_FLAG_ALIAS makes the first operand the destination (it is then
 * made big enough for p2.a bits too), so that dest == op1 is exercised.
 */
#ifndef ARITH_TEST_TA_H
#define ARITH_TEST_TA_H

/* 5b7256e3-5e20-43ee-a83a-a550a4735c34 */
#define TA_ARITH_TEST_UUID \
	{ 0x5b7256e3, 0x5e20, 0x43ee, \
		{ 0xa8, 0x3a, 0xa5, 0x50, 0xa4, 0x73, 0x5c, 0x34 } }
/* c3110537-2f00-454a-ad1b-beb952829472 */
#define TA_ARITH_TEST_PEER_UUID \
	{ 0xc3110537, 0x2f00, 0x454a, \
		{ 0xad, 0x1b, 0xbe, 0xb9, 0x52, 0x82, 0x94, 0x72 } }

#define TA_ARITH_TEST_DATA_SIZE		(64 * 1024)
#define TA_ARITH_TEST_STACK_SIZE	(4 * 1024)
#define TA_ARITH_TEST_VERSION		"1.0"

/* Largest operand (octets) and result (bits): 510 words of magnitude. */
#define TA_ARITH_MAX_BYTES		2040
#define TA_ARITH_MAX_BITS		16320

/*
 * Flags (p3 in a): ALIAS: the first operand is the destination; NULL_1,
 * NULL_2: DIV passes NULL as dest_q, dest_r, EXTENDED_GCD as u, v;
 * FMM_CONTEXT: EXP_MOD passes a context; OLD_CONTEXT: FMM makes its
 * context with the deprecated TEE_BigIntInitFMMContext.
 */
#define TA_ARITH_FLAG_ALIAS		0x1
#define TA_ARITH_FLAG_NULL_1		0x2
#define TA_ARITH_FLAG_NULL_2		0x4
#define TA_ARITH_FLAG_FMM_CONTEXT	0x8
#define TA_ARITH_FLAG_OLD_CONTEXT	0x10

/*
 * FROM_OCTETS: p0 holds raw octets (not encoded); p3 in a is the sign
 * argument (int32_t).  out a = TEE_BigIntConvertFromOctetString() into a
 * result TEE_BigInt; on success p1 holds that result.
 */
#define TA_ARITH_CMD_FROM_OCTETS	0
/*
 * TO_OCTETS (x): TEE_BigIntConvertToOctetString() into a buffer of p2.b
 * octets (NULL when 0): out a = result, b = the *bufferLen it reported;
 * on success p1 holds the octets written, raw.
 */
#define TA_ARITH_CMD_TO_OCTETS		1
/* FROM_S32 (): result = TEE_BigIntConvertFromS32(p2.b as int32_t). */
#define TA_ARITH_CMD_FROM_S32		2
/* TO_S32 (x): out a = TEE_BigIntConvertToS32() result, b = the value. */
#define TA_ARITH_CMD_TO_S32		3
/* CMP (x, y): out a = TEE_BigIntCmp(x, y). */
#define TA_ARITH_CMD_CMP		4
/* CMP_S32 (x): out a = TEE_BigIntCmpS32(x, p2.b as int32_t). */
#define TA_ARITH_CMD_CMP_S32		5
/* SHIFT_RIGHT (x): result = x >> p2.b.  Flags: ALIAS. */
#define TA_ARITH_CMD_SHIFT_RIGHT	6
/* GET_BIT (x): out a = TEE_BigIntGetBit(x, p2.b). */
#define TA_ARITH_CMD_GET_BIT		7
/* GET_BIT_COUNT (x): out a = TEE_BigIntGetBitCount(x). */
#define TA_ARITH_CMD_GET_BIT_COUNT	8
/*
 * SET_BIT (x): x, in a TEE_BigInt big enough for p2.a bits and for its
 * value, gets TEE_BigIntSetBit(x, p2.b, p3 in a != 0): out a = result;
 * p1 holds x afterwards.
 */
#define TA_ARITH_CMD_SET_BIT		9
/* ASSIGN (x), ABS (x): out a = result; on success p1 holds the copy. */
#define TA_ARITH_CMD_ASSIGN		10
#define TA_ARITH_CMD_ABS		11
/* NEG (x), ADD (x, y), SUB (x, y), MUL (x, y), SQUARE (x): the result. */
#define TA_ARITH_CMD_NEG		12
#define TA_ARITH_CMD_ADD		13
#define TA_ARITH_CMD_SUB		14
#define TA_ARITH_CMD_MUL		15
#define TA_ARITH_CMD_SQUARE		16
/*
 * DIV (x, y): the quotient then the remainder, each left out when its
 * flag NULL_1 (dest_q) or NULL_2 (dest_r) passes NULL.  ALIAS: the
 * quotient goes to x.
 */
#define TA_ARITH_CMD_DIV		17
/* MOD (x, n), ADD_MOD/SUB_MOD/MUL_MOD (x, y, n), SQUARE_MOD (x, n),
 * INV_MOD (x, n): the result. */
#define TA_ARITH_CMD_MOD		18
#define TA_ARITH_CMD_ADD_MOD		19
#define TA_ARITH_CMD_SUB_MOD		20
#define TA_ARITH_CMD_MUL_MOD		21
#define TA_ARITH_CMD_SQUARE_MOD		22
#define TA_ARITH_CMD_INV_MOD		23
/*
 * EXP_MOD (x, e, n): out a = TEE_BigIntExpMod() result, with a context
 * from TEE_BigIntInitFMMContext1 when FMM_CONTEXT is set (NULL
 * otherwise); on success p1 holds the result.
 */
#define TA_ARITH_CMD_EXP_MOD		24
/* RELATIVE_PRIME (x, y): out a = TEE_BigIntRelativePrime(x, y). */
#define TA_ARITH_CMD_RELATIVE_PRIME	25
/*
 * EXTENDED_GCD (x, y): gcd, then u and v (u * x + v * y = gcd), each of
 * u and v left out when its flag NULL_1 or NULL_2 passes NULL.
 */
#define TA_ARITH_CMD_EXTENDED_GCD	26
/* IS_PROBABLE_PRIME (x): out a = TEE_BigIntIsProbablePrime(x, p2.b). */
#define TA_ARITH_CMD_IS_PROBABLE_PRIME	27
/*
 * FMM (x, y, n): x and y go to the FMM representation
 * (TEE_BigIntConvertToFMM), are multiplied there (TEE_BigIntComputeFMM)
 * and come back (TEE_BigIntConvertFromFMM): p1 holds x mod n then
 * x * y mod n.  The FMM numbers have TEE_BigIntFMMSizeInU32(bits of n)
 * words, the context TEE_BigIntFMMContextSizeInU32(bits of n): out a and
 * b.  OLD_CONTEXT makes the context with the deprecated
 * TEE_BigIntInitFMMContext instead of TEE_BigIntInitFMMContext1.
 */
#define TA_ARITH_CMD_FMM		28
/*
 * INIT (): TEE_BigIntInit on an array of p2.b words (TEE_Malloc'd, at
 * least one): out a = TEE_BigIntCmpS32(it, 0), b = the TEE property
 * gpd.tee.arith.maxBigIntSize; p1 holds the value.
 */
#define TA_ARITH_CMD_INIT		29

/*
 * Time commands (no memrefs):
 * SYSTEM_TIME, REE_TIME: p0 VALUE_OUTPUT a seconds, b millis of
 *   TEE_GetSystemTime / TEE_GetREETime.
 * GET_PERSISTENT_TIME: p0 VALUE_OUTPUT a seconds, b millis; p1
 *   VALUE_OUTPUT a = the TEE_GetTAPersistentTime result.  The command
 *   itself succeeds, so that the time that comes with
 *   TEE_ERROR_OVERFLOW reaches the client.
 * SET_PERSISTENT_TIME: p0 VALUE_INPUT a seconds, b millis; the command
 *   returns the TEE_SetTAPersistentTime result.
 * WAIT_ELAPSED: p0 VALUE_INPUT a milliseconds; p1 VALUE_OUTPUT a = system
 *   time in milliseconds that passed around TEE_Wait(p0 a), b = its result.
 */
#define TA_ARITH_CMD_SYSTEM_TIME		100
#define TA_ARITH_CMD_REE_TIME			101
#define TA_ARITH_CMD_GET_PERSISTENT_TIME	102
#define TA_ARITH_CMD_SET_PERSISTENT_TIME	103
#define TA_ARITH_CMD_WAIT_ELAPSED		104

#endif /* ARITH_TEST_TA_H */
