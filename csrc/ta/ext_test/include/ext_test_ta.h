/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The OP-TEE extensions test TA: drives the functions of
 * <tee_internal_api_extensions.h>, one command per function.  Plain
 * #defines only, shared by the TA (csrc/ta/ext_test/ext_test_ta.c) and its
 * clients; tests/test_libtee_extensions.py mirrors them.
 *
 *   TA_EXT_TEST_UUID          csrc/ta/ext_test          TA_FLAGS is
 *                                             TA_FLAG_CACHE_MAINTENANCE
 *   TA_EXT_TEST_NOCACHE_UUID  csrc/ta/ext_test/nocache  the same code,
 *                                                       TA_FLAGS 0
 *
 * Every command checks its parameter types first (TEE_ERROR_BAD_PARAMETERS
 * on a mismatch) and, but for a panic, succeeds: the result of the function
 * it drives comes back in an output value.  An unknown command gets
 * TEE_ERROR_NOT_SUPPORTED.  Each instance (one per session) keeps up to
 * TA_EXT_MAX_MAPS mappings made by MAP_ZI in numbered slots, for the
 * commands that follow.
 */
#ifndef EXT_TEST_TA_H
#define EXT_TEST_TA_H

/* 5081dfbc-7482-496b-9145-432c92ca70fc */
#define TA_EXT_TEST_UUID \
	{ 0x5081dfbc, 0x7482, 0x496b, \
		{ 0x91, 0x45, 0x43, 0x2c, 0x92, 0xca, 0x70, 0xfc } }
/* 09d39b90-f551-4eed-bacb-9e5f6219de89 */
#define TA_EXT_TEST_NOCACHE_UUID \
	{ 0x09d39b90, 0xf551, 0x4eed, \
		{ 0xba, 0xcb, 0x9e, 0x5f, 0x62, 0x19, 0xde, 0x89 } }
/* c8d9e5c1-e96a-400e-932c-f3918ad44cba: a plugin no supplicant has */
#define TA_EXT_TEST_PLUGIN_UUID \
	{ 0xc8d9e5c1, 0xe96a, 0x400e, \
		{ 0x93, 0x2c, 0xf3, 0x91, 0x8a, 0xd4, 0x4c, 0xba } }

#define TA_EXT_TEST_DATA_SIZE		(32 * 1024)
#define TA_EXT_TEST_STACK_SIZE		(8 * 1024)
#define TA_EXT_TEST_VERSION		"1.0"

/* OP-TEE's SMALL_PAGE_SIZE, the granule of tee_map_zi and tee_unmap. */
#define TA_EXT_PAGE_SIZE		4096
#define TA_EXT_MAX_MAPS			8
/* Size of the TA private buffers CACHE works on (DATA, HEAP, STACK). */
#define TA_EXT_PRIVATE_SIZE		256
/* Size of the mapping CACHE makes for ZI, ZI_SHARED and ZI_UNMAPPED. */
#define TA_EXT_ZI_SIZE			(2 * TA_EXT_PAGE_SIZE)

/*
 * CACHE: p0 VALUE_INPUT a: the function (TA_EXT_CACHE_*), b: the place
 *   (TA_EXT_WHERE_*); p1 MEMREF_INOUT the client's buffer (the place
 *   MEMREF); p2 VALUE_INPUT a: offset of the range from the start of the
 *   place, b: its length; p3 VALUE_OUTPUT a: the function's result.
 * Places: MEMREF: p1's buffer; NULL: the address 0 (the offset is
 *   ignored); DATA, HEAP, STACK: TA_EXT_PRIVATE_SIZE bytes of the TA's
 *   .bss, TEE_Malloc heap and stack; ZI, ZI_SHARED: a fresh mapping of
 *   TA_EXT_ZI_SIZE bytes from tee_map_zi with flags 0 and
 *   TEE_MEMORY_ACCESS_ANY_OWNER, unmapped afterwards; ZI_UNMAPPED: such
 *   a ZI_SHARED mapping, unmapped before the call.
 */
#define TA_EXT_CMD_CACHE		0
#define TA_EXT_CACHE_CLEAN		0
#define TA_EXT_CACHE_FLUSH		1
#define TA_EXT_CACHE_INVALIDATE		2
#define TA_EXT_WHERE_MEMREF		0
#define TA_EXT_WHERE_NULL		1
#define TA_EXT_WHERE_DATA		2
#define TA_EXT_WHERE_HEAP		3
#define TA_EXT_WHERE_STACK		4
#define TA_EXT_WHERE_ZI			5
#define TA_EXT_WHERE_ZI_SHARED		6
#define TA_EXT_WHERE_ZI_UNMAPPED	7

/*
 * MAP_ZI: p0 VALUE_INPUT a, b: len (low, high 32 bits); p1 VALUE_INPUT a:
 *   flags; p2 VALUE_OUTPUT a: the slot now holding the mapping, or
 *   TA_EXT_NO_SLOT when tee_map_zi returned NULL, b: the address modulo
 *   TA_EXT_PAGE_SIZE; p3 VALUE_OUTPUT a: how many of its len bytes are
 *   not zero, b: TEE_CheckMemoryAccessRights(READ | WRITE | ANY_OWNER)
 *   on them.  TEE_ERROR_OUT_OF_MEMORY (the command's result, with the
 *   mapping unmapped) when every slot is taken.
 */
#define TA_EXT_CMD_MAP_ZI		1
#define TA_EXT_NO_SLOT			0xffffffff

/*
 * ZI_WRITE: p0 VALUE_INPUT a: slot, b: offset; p1 MEMREF_INPUT bytes
 *   copied there.  ZI_READ: the same with p1 MEMREF_OUTPUT, filled from
 *   there.  TOUCH: p0 VALUE_INPUT a: slot, b: offset; p1 VALUE_OUTPUT a:
 *   the byte read there (an unmapped one kills the instance).  A slot
 *   that MAP_ZI did not fill: TEE_ERROR_BAD_PARAMETERS.
 */
#define TA_EXT_CMD_ZI_WRITE		2
#define TA_EXT_CMD_ZI_READ		3
#define TA_EXT_CMD_TOUCH		4

/*
 * UNMAP: p0 VALUE_INPUT a: slot, or a base named below, b: offset from
 *   it; p1 VALUE_INPUT a, b: len (low, high 32 bits); p2 VALUE_OUTPUT a:
 *   the tee_unmap result, b: TEE_CheckMemoryAccessRights(READ |
 *   ANY_OWNER) on the first byte afterwards.  The slot keeps its address,
 *   so that it can be unmapped again.  Bases: NULL: the address 0; DATA:
 *   two pages of the TA's .bss, page aligned.
 */
#define TA_EXT_CMD_UNMAP		5
#define TA_EXT_BASE_NULL		0xffffffff
#define TA_EXT_BASE_DATA		0xfffffffe

/*
 * UUID_FROM_STR: p0 MEMREF_INPUT the text (a NUL is added after it);
 *   p1 VALUE_INPUT a: TA_EXT_UUID_* flags; p2 MEMREF_OUTPUT (16 bytes)
 *   the TEE_UUID afterwards as 16 RFC 4122 octets (it starts as
 *   TA_EXT_UUID_FILL octets); p3 VALUE_OUTPUT a: tee_uuid_from_str's
 *   result.  NULL_STR passes NULL as the text, NULL_UUID as the uuid.
 */
#define TA_EXT_CMD_UUID_FROM_STR	6
#define TA_EXT_UUID_NULL_STR		0x1
#define TA_EXT_UUID_NULL_UUID		0x2
#define TA_EXT_UUID_FILL		0xa5

/*
 * SUPP_PLUGIN: tee_invoke_supp_plugin(TA_EXT_TEST_PLUGIN_UUID, ...):
 *   p0 VALUE_INPUT a: cmd, b: sub_cmd; p1 MEMREF_INOUT buf and len;
 *   p2 VALUE_INPUT a: TA_EXT_PLUGIN_* flags; p3 VALUE_OUTPUT a: the
 *   result, b: *outlen afterwards (it starts as TA_EXT_OUTLEN_UNSET).
 *   NULL_UUID, NULL_BUF and NULL_OUTLEN pass NULL for those, ZERO_LEN
 *   passes 0 as len.
 */
#define TA_EXT_CMD_SUPP_PLUGIN		7
#define TA_EXT_PLUGIN_NULL_UUID		0x1
#define TA_EXT_PLUGIN_NULL_BUF		0x2
#define TA_EXT_PLUGIN_ZERO_LEN		0x4
#define TA_EXT_PLUGIN_NULL_OUTLEN	0x8
#define TA_EXT_OUTLEN_UNSET		0xdeadbeef

/*
 * HEAP_CHECK: tee_user_mem_mark_heap(), then p0 VALUE_INPUT a bytes are
 *   TEE_Malloc'd (and kept), then tee_user_mem_check_heap(); p1
 *   VALUE_OUTPUT a: what the check returned, b: 1 if the block was
 *   allocated.  The block is freed afterwards.
 */
#define TA_EXT_CMD_HEAP_CHECK		8

#endif /* EXT_TEST_TA_H */
