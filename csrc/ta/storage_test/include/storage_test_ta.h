/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pytee storage test TAs: UUIDs, command ids and constants, shared by
 * the TA source (csrc/ta/storage_test/storage_test_ta.c) and by clients.
 * Plain #defines only; tests/storage_ta.py mirrors every #define and
 * tests/test_storage_ids_match.py checks that it does.
 *
 * Two TAs run the same code (TA_FLAGS 0: one instance, i.e. one process,
 * per session), each with its own storage:
 *
 *   STORAGE_TEST_UUID   csrc/ta/storage_test
 *   STORAGE_TEST2_UUID  csrc/ta/storage_test2, which also has
 *                       TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT
 *
 * An instance keeps up to STORAGE_TEST_SLOTS object handles in a table;
 * commands name them by slot.  Every command checks its parameter types
 * (TEE_ERROR_BAD_PARAMETERS) and its slot (TEE_ERROR_BAD_PARAMETERS when
 * empty or out of range), then returns what the GP function returned, so
 * the client sees the TEE's own result code.  A storage function that
 * closes a handle (close-and-delete; any function finding the object
 * corrupt, unless the TA has TA_FLAG_DONT_CLOSE_HANDLE_ON_CORRUPT_OBJECT)
 * empties its slot.  "none" means TEE_PARAM_TYPE_NONE.
 */
#ifndef STORAGE_TEST_TA_H
#define STORAGE_TEST_TA_H

/* 6b171deb-19c1-4d63-9532-22938a4b4db0 */
#define STORAGE_TEST_UUID \
	{ 0x6b171deb, 0x19c1, 0x4d63, \
		{ 0x95, 0x32, 0x22, 0x93, 0x8a, 0x4b, 0x4d, 0xb0 } }
/* d5d5f822-70db-41b1-8791-ab157f7bfcef */
#define STORAGE_TEST2_UUID \
	{ 0xd5d5f822, 0x70db, 0x41b1, \
		{ 0x87, 0x91, 0xab, 0x15, 0x7f, 0x7b, 0xfc, 0xef } }

#define STORAGE_TEST_DATA_SIZE		(64 * 1024)
#define STORAGE_TEST_STACK_SIZE		(8 * 1024)
#define STORAGE_TEST_SLOTS		16
#define STORAGE_TEST_NO_SLOT		0xffffffff
/* Largest chunk of STORAGE_TEST_CMD_WRITE_CHUNKS. */
#define STORAGE_TEST_CHUNK_MAX		4096
/*
 * The AES-256 key of STORAGE_TEST_OPT_AES_KEY: byte i (0..31) is
 * (i * STORAGE_TEST_KEY_MUL + STORAGE_TEST_KEY_ADD) & 0xff.
 */
#define STORAGE_TEST_KEY_LEN		32
#define STORAGE_TEST_KEY_MUL		7
#define STORAGE_TEST_KEY_ADD		1

/* Options of STORAGE_TEST_CMD_CREATE (p3 a, or'ed) */
#define STORAGE_TEST_OPT_NO_HANDLE	0x1	/* object argument NULL */
#define STORAGE_TEST_OPT_AES_KEY	0x2	/* attributes: a transient
						 * AES key (see above) */
#define STORAGE_TEST_OPT_SLOT_ATTRS	0x4	/* attributes: the handle in
						 * slot p3 b */

/*
 * CREATE (TEE_CreatePersistentObject)
 *   p0 VALUE_INPUT   a = storage id, b = flags
 *   p1 MEMREF_INPUT  object id (its size is passed as objectIDLen)
 *   p2 MEMREF_INPUT  initial data (NULL with size 0 passes NULL, 0)
 *   p3 VALUE_INOUT   in: a = STORAGE_TEST_OPT_*, b = with OPT_AES_KEY the
 *                    usage the key is restricted to before the call
 *                    (0xffffffff: none), with OPT_SLOT_ATTRS the slot;
 *                    out: a = slot of the new handle, or of the
 *                    attributes object when the TEE made it the
 *                    persistent object, else STORAGE_TEST_NO_SLOT;
 *                    b = handleFlags of the transient attributes
 *                    object after the call (0 without OPT_AES_KEY)
 */
#define STORAGE_TEST_CMD_CREATE		0

/*
 * OPEN (TEE_OpenPersistentObject)
 *   p0 VALUE_INPUT   a = storage id, b = flags
 *   p1 MEMREF_INPUT  object id
 *   p2 VALUE_OUTPUT  a = slot, b = 0
 */
#define STORAGE_TEST_CMD_OPEN		1

/*
 * CLOSE (TEE_CloseObject)
 *   p0 VALUE_INPUT   a = slot
 */
#define STORAGE_TEST_CMD_CLOSE		2

/*
 * READ (TEE_ReadObjectData)
 *   p0 VALUE_INPUT   a = slot
 *   p1 MEMREF_OUTPUT size = bytes asked for; out: size = bytes read
 */
#define STORAGE_TEST_CMD_READ		3

/*
 * WRITE (TEE_WriteObjectData)
 *   p0 VALUE_INPUT   a = slot
 *   p1 MEMREF_INPUT  the bytes
 */
#define STORAGE_TEST_CMD_WRITE		4

/*
 * SEEK (TEE_SeekObjectData)
 *   p0 VALUE_INPUT   a = slot, b = whence
 *   p1 VALUE_INPUT   offset, a signed 64-bit number: a = low 32 bits,
 *                    b = high 32 bits
 */
#define STORAGE_TEST_CMD_SEEK		5

/*
 * TRUNCATE (TEE_TruncateObjectData)
 *   p0 VALUE_INPUT   a = slot, b = size
 */
#define STORAGE_TEST_CMD_TRUNCATE	6

/*
 * RENAME (TEE_RenamePersistentObject)
 *   p0 VALUE_INPUT   a = slot
 *   p1 MEMREF_INPUT  new object id
 */
#define STORAGE_TEST_CMD_RENAME		7

/*
 * DELETE (TEE_CloseAndDeletePersistentObject1); the slot is emptied
 *   p0 VALUE_INPUT   a = slot, b = 1 to call the deprecated
 *                    TEE_CloseAndDeletePersistentObject instead
 */
#define STORAGE_TEST_CMD_DELETE		8

/*
 * INFO (TEE_GetObjectInfo1)
 *   p0 VALUE_INPUT   a = slot
 *   p1 MEMREF_OUTPUT 28 bytes: objectType, objectSize, maxObjectSize,
 *                    objectUsage, dataSize, dataPosition, handleFlags,
 *                    each a little-endian u32; smaller: SHORT_BUFFER
 */
#define STORAGE_TEST_CMD_INFO		9
#define STORAGE_TEST_INFO_LEN		28

/*
 * ENUM (allocate, start, get next until it fails, free)
 *   p0 VALUE_INPUT   a = storage id
 *   p1 MEMREF_OUTPUT per object found: id_len u32, the id, then the 28
 *                    bytes of INFO for it; if it does not fit: size =
 *                    what is needed and TEE_ERROR_SHORT_BUFFER
 *   p2 VALUE_OUTPUT  a = objects listed, b = TEE_ERROR_CORRUPT_OBJECT
 *                    results met (the enumeration goes on after one)
 *   Returns the result of start when it fails, else what ended the
 *   enumeration unless it was TEE_ERROR_ITEM_NOT_FOUND.
 */
#define STORAGE_TEST_CMD_ENUM		10

/*
 * ENUM_EDGES: results of the enumerator in corner cases
 *   p0 VALUE_OUTPUT  a = get next on a new enumerator,
 *                    b = get next after start (REE storage) and reset
 *   p1 VALUE_OUTPUT  a = start with storage id STORAGE_TEST_BAD_STORAGE,
 *                    b = get next after that start
 */
#define STORAGE_TEST_CMD_ENUM_EDGES	11
#define STORAGE_TEST_BAD_STORAGE	0x12345678

/*
 * GET_KEY (TEE_GetObjectBufferAttribute, TEE_ATTR_SECRET_VALUE)
 *   p0 VALUE_INPUT   a = slot
 *   p1 MEMREF_OUTPUT the key bytes; size = their number
 */
#define STORAGE_TEST_CMD_GET_KEY	12

/*
 * ENCRYPT: AES-ECB (TEE_ALG_AES_ECB_NOPAD) with the key in a slot
 *   p0 VALUE_INPUT   a = slot
 *   p1 MEMREF_INPUT  plaintext, a multiple of 16 bytes
 *   p2 MEMREF_OUTPUT ciphertext, as large as the plaintext
 */
#define STORAGE_TEST_CMD_ENCRYPT	13

/*
 * WRITE_CHUNKS: count writes of size bytes each through one handle; the
 * bytes of write i (from 0) are all (seed + i) & 0xff.  Returns the first
 * failing result.
 *   p0 VALUE_INPUT   a = slot, b = count
 *   p1 VALUE_INPUT   a = size (1..STORAGE_TEST_CHUNK_MAX), b = seed
 */
#define STORAGE_TEST_CMD_WRITE_CHUNKS	14

#endif /* STORAGE_TEST_TA_H */
