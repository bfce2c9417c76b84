/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pytee test TAs: UUIDs, command ids and constants, shared by the TA
 * sources (csrc/ta/test/test_ta.c) and by C clients.  Plain #defines only,
 * so that any client can include it; tests/test_ta_ids.py mirrors every
 * #define and tests/test_ta_ids_match.py checks that it does.
 *
 * Four TAs run the same code and differ in their instance flags:
 *
 *   TA_TEST_UUID            csrc/ta/test            TA_FLAGS 0: one instance
 *                                                   per session
 *   TA_TEST_SINGLE_UUID     csrc/ta/test_single     SINGLE_INSTANCE
 *   TA_TEST_MULTI_UUID      csrc/ta/test_multi      SINGLE_INSTANCE |
 *                                                   MULTI_SESSION
 *   TA_TEST_KEEPALIVE_UUID  csrc/ta/test_keepalive  SINGLE_INSTANCE |
 *                                                   MULTI_SESSION |
 *                                                   INSTANCE_KEEP_ALIVE
 *
 * All have TA_DATA_SIZE 32 KiB and TA_STACK_SIZE 2 KiB.  test_single
 * leaves TA_VERSION undefined (gpd.ta.version is "Undefined version") and
 * is built at the dev kit's default log level 2 (EMSG and IMSG only); the
 * others set TA_VERSION TA_TEST_VERSION and log at level 4 (all four).
 * test_keepalive adds properties of its own, in this order:
 *   "pytee.test.name"       (string)       = TA_TEST_PROP_NAME_VALUE
 *   "pytee.test.answer"     (u32)          = TA_TEST_PROP_ANSWER_VALUE
 *   "pytee.test.u64"        (u64)          = TA_TEST_PROP_U64_VALUE
 *   "pytee.test.u64.max32"  (u64)          = TA_TEST_PROP_U64_MAX32_VALUE
 *   "pytee.test.uuid"       (uuid)         = TA_TEST_PROP_UUID_VALUE
 *   "pytee.test.blob"       (binary block) = the bytes whose base64 text
 *                                            is TA_TEST_PROP_BLOB_VALUE
 *
 * Every command checks its parameter types first and answers a mismatch
 * with TEE_ERROR_BAD_PARAMETERS; an unknown command gets
 * TEE_ERROR_NOT_SUPPORTED.  "none" below means TEE_PARAM_TYPE_NONE.
 *
 * Open session accepts either no parameters at all, or
 *   p0 VALUE_INPUT   a: 0 to accept, otherwise the TEE_Result to refuse
 *                       the session with
 *   p1 VALUE_OUTPUT  a: TA_TEST_OPEN_MAGIC (written even when refusing),
 *                    b: the client's login (TEE_LOGIN_*)
 *   p2, p3 none.
 * Any other parameter types: TEE_ERROR_BAD_PARAMETERS.  The session keeps
 * the client's login in its context (see TA_TEST_CMD_SESSION_INFO).
 *
 * Each create, destroy, open and close entry point logs, with IMSG, one
 * line that contains
 *   "lifecycle <event> create=<n> destroy=<n> open=<n> close=<n>"
 * where <event> is create, destroy, open or close and the counts are those
 * of this instance, this call included (a refused open counts too).
 */
#ifndef TEST_TA_H
#define TEST_TA_H

/* 25454e49-108c-41c6-b5de-a3727df251e3 */
#define TA_TEST_UUID \
	{ 0x25454e49, 0x108c, 0x41c6, \
		{ 0xb5, 0xde, 0xa3, 0x72, 0x7d, 0xf2, 0x51, 0xe3 } }
/* 95902e9a-1b9f-499c-a5d4-eb37175da8f7 */
#define TA_TEST_SINGLE_UUID \
	{ 0x95902e9a, 0x1b9f, 0x499c, \
		{ 0xa5, 0xd4, 0xeb, 0x37, 0x17, 0x5d, 0xa8, 0xf7 } }
/* 35b6334d-dfca-4e6e-9c3e-e8cf10b7ae0a */
#define TA_TEST_MULTI_UUID \
	{ 0x35b6334d, 0xdfca, 0x4e6e, \
		{ 0x9c, 0x3e, 0xe8, 0xcf, 0x10, 0xb7, 0xae, 0x0a } }
/* 98ec2d8b-ed7d-45e2-8c5a-910abc1d67fa */
#define TA_TEST_KEEPALIVE_UUID \
	{ 0x98ec2d8b, 0xed7d, 0x45e2, \
		{ 0x8c, 0x5a, 0x91, 0x0a, 0xbc, 0x1d, 0x67, 0xfa } }

/* Sizes and fixed values */
#define TA_TEST_DATA_SIZE		(32 * 1024)
#define TA_TEST_STACK_SIZE		(2 * 1024)
#define TA_TEST_VERSION			"1.0"
#define TA_TEST_OPEN_MAGIC		0x5a5a
#define TA_TEST_PROP_NAME_VALUE		"keepalive"
#define TA_TEST_PROP_ANSWER_VALUE	42
/* does not fit a uint32_t; all its bytes differ */
#define TA_TEST_PROP_U64_VALUE		0x0123456789abcdefULL
/* the largest u64 that TEE_GetPropertyAsU32 accepts */
#define TA_TEST_PROP_U64_MAX32_VALUE	0xffffffffULL
/* 6f7c2b1e-3d4a-4e5f-8a9b-0c1d2e3f4a5b */
#define TA_TEST_PROP_UUID_VALUE \
	{ 0x6f7c2b1e, 0x3d4a, 0x4e5f, \
		{ 0x8a, 0x9b, 0x0c, 0x1d, 0x2e, 0x3f, 0x4a, 0x5b } }
/* 00 01 fe ff "pytee!": 10 bytes, so the text ends in "==" padding */
#define TA_TEST_PROP_BLOB_VALUE		"AAH+/3B5dGVlIQ=="

/*
 * NULL: no parameters; returns TEE_SUCCESS.
 */
#define TA_TEST_CMD_NULL		0

/*
 * VALUE_ADD
 *   p0 VALUE_INPUT   a, b
 *   p1 VALUE_OUTPUT  a = a + b (mod 2^32), b = a ^ b
 */
#define TA_TEST_CMD_VALUE_ADD		1

/*
 * VALUE_INC
 *   p0 VALUE_INOUT   a += 1, b += 2 (mod 2^32)
 */
#define TA_TEST_CMD_VALUE_INC		2

/*
 * MEMREF_SUM
 *   p0 MEMREF_INPUT  any bytes (may be empty)
 *   p1 VALUE_OUTPUT  a = sum of the bytes mod 2^32, b = size of p0
 */
#define TA_TEST_CMD_MEMREF_SUM		3

/*
 * MEMREF_FILL
 *   p0 VALUE_INPUT   a = byte value (low 8 bits used)
 *   p1 MEMREF_OUTPUT every byte set to that value; size unchanged
 */
#define TA_TEST_CMD_MEMREF_FILL		4

/*
 * MEMREF_REVERSE
 *   p0 MEMREF_INOUT  bytes reversed in place; size unchanged
 */
#define TA_TEST_CMD_MEMREF_REVERSE	5

/*
 * SHORT_BUFFER
 *   p0 VALUE_INPUT   a = needed size
 *   p1 MEMREF_OUTPUT if its size < needed: size = needed and
 *                    TEE_ERROR_SHORT_BUFFER; otherwise byte i = i & 0xff
 *                    for i < needed, size = needed, TEE_SUCCESS
 */
#define TA_TEST_CMD_SHORT_BUFFER	6

/*
 * ALL_TYPES
 *   p0 VALUE_INOUT   a = size of p1, b = input a + input b (mod 2^32)
 *   p1 MEMREF_INPUT  source bytes
 *   p2 MEMREF_OUTPUT gets the first min(size p1, size p2) bytes of p1;
 *                    size = that number
 *   p3 MEMREF_INOUT  each byte XORed with 0xff; size unchanged
 */
#define TA_TEST_CMD_ALL_TYPES		7

/*
 * PANIC
 *   p0 VALUE_INPUT   a = code: TEE_Panic(a); the instance dies
 */
#define TA_TEST_CMD_PANIC		8

/*
 * SEGFAULT: no parameters; writes through a NULL pointer.
 */
#define TA_TEST_CMD_SEGFAULT		9

/*
 * ABORT: no parameters; executes a trap instruction (__builtin_trap).
 */
#define TA_TEST_CMD_ABORT		10

/*
 * STACK_OVERFLOW: no parameters; recurses without end.
 */
#define TA_TEST_CMD_STACK_OVERFLOW	11

/*
 * HEAP_EXHAUST
 *   p0 VALUE_OUTPUT  a = number of 1 KiB blocks TEE_Malloc gave before
 *                    returning NULL (all freed again afterwards),
 *                    b = 1 if TEE_Malloc(2 * TA_DATA_SIZE) returned NULL,
 *                    else 0
 */
#define TA_TEST_CMD_HEAP_EXHAUST	12

/*
 * WAIT
 *   p0 VALUE_INPUT   a = milliseconds for TEE_Wait, b = 1 to unmask
 *                    cancellation for the wait (it is masked again after)
 *   p1 VALUE_OUTPUT  a = TEE_GetCancellationFlag() right after the wait
 *                    (read before masking again), b = 0
 *   Returns what TEE_Wait returned (TEE_ERROR_CANCEL when cancelled).
 */
#define TA_TEST_CMD_WAIT		13

/*
 * CLIENT_IDENTITY (from gpd.client.identity)
 *   p0 VALUE_OUTPUT  a = login (TEE_LOGIN_*), b = 0
 *   p1 MEMREF_OUTPUT the client UUID, 16 octets in RFC 4122 (big-endian)
 *                    order; size = 16; a smaller buffer gets size = 16 and
 *                    TEE_ERROR_SHORT_BUFFER
 */
#define TA_TEST_CMD_CLIENT_IDENTITY	14

/*
 * GET_PROPERTY (TEE_GetPropertyAsString)
 *   p0 VALUE_INPUT   a = property set: TA_TEST_PROPSET_*
 *   p1 MEMREF_INPUT  property name (a terminating NUL is optional)
 *   p2 MEMREF_OUTPUT the value as a NUL-terminated string; size = its
 *                    length including the NUL.  TEE_ERROR_SHORT_BUFFER
 *                    (with the needed size) and TEE_ERROR_ITEM_NOT_FOUND
 *                    pass through from TEE_GetPropertyAsString.
 */
#define TA_TEST_CMD_GET_PROPERTY	15

/*
 * COUNTER
 *   p0 VALUE_OUTPUT  a = value of a counter global to the instance,
 *                    incremented by this call (first call gives 1), b = 0
 */
#define TA_TEST_CMD_COUNTER		16

/*
 * LOG
 *   p0 MEMREF_INPUT  text (a terminating NUL is optional); logged four
 *                    times, as "log-error: <text>" with EMSG,
 *                    "log-info: <text>" with IMSG, "log-debug: <text>"
 *                    with DMSG and "log-flow: <text>" with FMSG
 */
#define TA_TEST_CMD_LOG			17

/*
 * INSTANCE_DATA
 *   p0 VALUE_INOUT   if TEE_GetInstanceData() is NULL: stores input a in
 *                    a static of the TA, sets the instance data to it and
 *                    answers a = 0, b = 1; else answers a = the stored
 *                    value, b = 0
 */
#define TA_TEST_CMD_INSTANCE_DATA	18

/*
 * MALLOC_REALLOC: checks TEE_Malloc, TEE_Realloc, TEE_Free, TEE_MemFill,
 * TEE_MemMove and TEE_MemCompare.
 *   p0 VALUE_OUTPUT  a = 0 when every check passed, else the number of the
 *                    first check that failed (see test_ta.c), b = 0
 *   Returns TEE_SUCCESS, or TEE_ERROR_GENERIC when a check failed.
 */
#define TA_TEST_CMD_MALLOC_REALLOC	19

/*
 * SESSION_INFO
 *   p0 VALUE_OUTPUT  a = login recorded by open session, b = number of
 *                    commands this session invoked, this one included
 */
#define TA_TEST_CMD_SESSION_INFO	20

/*
 * TOUCH (for benchmarks: costs the same whatever the buffer size)
 *   p0 MEMREF_INOUT  its first and last byte are incremented
 */
#define TA_TEST_CMD_TOUCH		21

/*
 * CALL_TA (the Internal Client API: this TA calls another)
 *   p0 MEMREF_INPUT  16 octets: the callee's UUID (big-endian, RFC 4122 order)
 *   p1 VALUE_INOUT   in:  a = the callee's command: MEMREF_REVERSE,
 *                         CLIENT_IDENTITY or WAIT (a cancellable wait of
 *                         TA_TEST_CALL_WAIT_MS), b = cancellation timeout
 *                         in ms (0 means TEE_TIMEOUT_INFINITE)
 *                    out: a = the callee's result, b = its return origin
 *   p2 MEMREF_INOUT  MEMREF_REVERSE: passed as the callee's p0 and reversed
 *                    there; CLIENT_IDENTITY: receives the callee's 16 octets
 *   p3 VALUE_OUTPUT  CLIENT_IDENTITY: a = the login the callee saw
 * The session to the callee is opened and closed within the command.
 */
#define TA_TEST_CMD_CALL_TA		22
#define TA_TEST_CALL_WAIT_MS		10000

/*
 * PROPERTY_TYPED (the typed getters TEE_GetPropertyAs*)
 *   p0 VALUE_INPUT   a = property set: TA_TEST_PROPSET_*,
 *                    b = getter: TA_TEST_*_GETTER
 *   p1 MEMREF_INPUT  property name (a terminating NUL is optional)
 *   p2 MEMREF_OUTPUT the value the getter gave, as bytes:
 *                      BOOL      1 byte, 0 or 1
 *                      U32       4 bytes, little-endian
 *                      U64       8 bytes, little-endian
 *                      UUID      16 octets in RFC 4122 (big-endian) order
 *                      IDENTITY  login as 4 bytes little-endian, then the
 *                                UUID as 16 octets as above
 *                      BINARY    the block (p2 goes to
 *                                TEE_GetPropertyAsBinaryBlock as it is)
 *                    size = that number of bytes.  When p2 is smaller:
 *                    size = the number needed and TEE_ERROR_SHORT_BUFFER.
 *   The getter's TEE_ERROR_ITEM_NOT_FOUND, TEE_ERROR_BAD_FORMAT (a property
 *   of another type) and TEE_ERROR_SHORT_BUFFER pass through.
 */
#define TA_TEST_CMD_PROPERTY_TYPED	23

/*
 * PROPERTY_ENUMERATE (the property enumerator functions)
 *   p0 VALUE_INPUT   a = property set: TA_TEST_PROPSET_*
 *   p1 MEMREF_OUTPUT one line "<name>=<value>\n" per property in
 *                    enumeration order: the name from TEE_GetPropertyName,
 *                    the value from TEE_GetPropertyAsString on the
 *                    enumerator (both asked for their size first), then
 *                    TEE_GetNextProperty until TEE_ERROR_ITEM_NOT_FOUND;
 *                    size = the length of all lines
 *   p2 VALUE_OUTPUT  a = what TEE_GetPropertyName returned on the freshly
 *                    allocated enumerator, b = what it returned after the
 *                    enumerator was started again and then reset with
 *                    TEE_ResetPropertyEnumerator (both
 *                    TEE_ERROR_ITEM_NOT_FOUND when GP is followed)
 *   p3 MEMREF_OUTPUT the name TEE_GetPropertyName gives (NUL included)
 *                    after that reset and one more start; size = its length
 *   The enumerator is freed with TEE_FreePropertyEnumerator.  A p1 or p3
 *   too small gets size = the size needed and TEE_ERROR_SHORT_BUFFER;
 *   any other failure of the enumeration is returned.
 */
#define TA_TEST_CMD_PROPERTY_ENUMERATE	24

/*
 * OBJECT_GP11 (the deprecated GP 1.1 object functions, on AES keys)
 *   p0 MEMREF_INPUT  an AES key of 16, 24 or 32 bytes
 *   p1 VALUE_INPUT   a, b = two usage masks
 *   p2 MEMREF_OUTPUT TA_TEST_GP11_INFO_SIZE bytes: four TEE_ObjectInfo
 *                    records from TEE_GetObjectInfo, each seven 4-byte
 *                    little-endian words (objectType, objectSize,
 *                    maxObjectSize, objectUsage, dataSize, dataPosition,
 *                    handleFlags) of:
 *                      0  the source, just allocated (TEE_TYPE_AES, 256)
 *                      1  the source, populated with the key
 *                      2  the source after TEE_RestrictObjectUsage(a)
 *                         then TEE_RestrictObjectUsage(b)
 *                      3  a second object (TEE_TYPE_AES, 256) after
 *                         TEE_CopyObjectAttributes from the source
 *                    A smaller p2 gets size = TA_TEST_GP11_INFO_SIZE and
 *                    TEE_ERROR_SHORT_BUFFER before anything is done.
 *   p3 MEMREF_OUTPUT the second object's TEE_ATTR_SECRET_VALUE, read with
 *                    TEE_GetObjectBufferAttribute (which panics, as GP
 *                    says, when the usage left lacks TEE_USAGE_EXTRACTABLE)
 *   Another key length: TEE_ERROR_BAD_PARAMETERS.
 */
#define TA_TEST_CMD_OBJECT_GP11		25
#define TA_TEST_GP11_INFO_WORDS		7
#define TA_TEST_GP11_INFO_COUNT		4
#define TA_TEST_GP11_INFO_SIZE		(4 * 7 * 4)

/*
 * CHECK_ACCESS (TEE_CheckMemoryAccessRights)
 *   p0 VALUE_INPUT   a = access flags, b = which memory (TA_TEST_MEM_*)
 *   p1 MEMREF_INOUT  the client's buffer (checked when b is MEM_PARAM)
 *   p2 VALUE_OUTPUT  a = what TEE_CheckMemoryAccessRights returned
 */
#define TA_TEST_CMD_CHECK_ACCESS	26
#define TA_TEST_MEM_PARAM		0 /* p1's buffer, shared with the client */
#define TA_TEST_MEM_HEAP		1 /* a TEE_Malloc block of the TA */
#define TA_TEST_MEM_RODATA		2 /* a constant: read-only */
#define TA_TEST_MEM_NULL		3 /* NULL, 16 bytes */
#define TA_TEST_MEM_EMPTY		4 /* the TA heap block, 0 bytes */

/* Property sets for TA_TEST_CMD_GET_PROPERTY and PROPERTY_* */
#define TA_TEST_PROPSET_CURRENT_TA	0
#define TA_TEST_PROPSET_CLIENT		1
#define TA_TEST_PROPSET_IMPLEMENTATION	2

/* Getters for TA_TEST_CMD_PROPERTY_TYPED */
#define TA_TEST_BOOL_GETTER		0
#define TA_TEST_U32_GETTER		1
#define TA_TEST_U64_GETTER		2
#define TA_TEST_UUID_GETTER		3
#define TA_TEST_IDENTITY_GETTER		4
#define TA_TEST_BINARY_GETTER		5

#endif /* TEST_TA_H */
