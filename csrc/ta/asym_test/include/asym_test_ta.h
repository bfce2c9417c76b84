/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The asymmetric crypto test TA (csrc/ta/asym_test): keys made or
 * imported by the GP TEE Internal Core API, and one command per
 * asymmetric function, each running one whole operation (allocate, set
 * the key, call the function, free).  Plain #defines only; tests/asym_ta.py
 * is its Python client.
 *
 * Keys.  The TA keeps the transient objects it made in a table of
 * TA_ASYM_MAX_KEYS; a key id is 1 + its index (0 is no key).  An id that
 * names no live key: TEE_ERROR_ITEM_NOT_FOUND, nothing called.
 *
 * Results.  A command returns the TEE_Result of the API function it is
 * about (TEE_AllocateOperation's if that one fails); a function that
 * panics ends the instance (TEEC_ERROR_TARGET_DEAD for the client).  An
 * output memory reference goes to the API with its size and comes back
 * with the size the API reports, also on TEE_ERROR_SHORT_BUFFER.  Wrong
 * parameter types: TEE_ERROR_BAD_PARAMETERS; unknown command:
 * TEE_ERROR_NOT_SUPPORTED.  "attributes" below is MEMREF_INPUT or none.
 *
 * Attributes are encoded as in crypto_test_ta.h: records of u32
 * attributeID, then u32 a and u32 b for a value attribute
 * (TEE_ATTR_FLAG_VALUE set), else u32 length and that many bytes; every
 * integer little-endian; at most TA_ASYM_MAX_ATTRS records, else
 * TEE_ERROR_BAD_FORMAT.  The TA copies them before use.
 *
 * Operations run with maxKeySize the size of the key (the bits of p for
 * DSA; twice the size with a second key) and with the mode the command
 * names.
 *
 * Commands (p0..p3; VIN/VOUT value input/output, MIN/MOUT memory
 * reference input/output, "-" none):
 *   IMPORT_KEY    p0 VIN a=object type b=maxObjectSize; p1 attributes;
 *                 p2 VOUT a=key id
 *                 TEE_AllocateTransientObject, TEE_PopulateTransientObject
 *   GENERATE_KEY  p0 VIN a=object type b=keySize (also maxObjectSize);
 *                 p1 attributes; p2 VOUT a=key id          TEE_GenerateKey
 *   GET_ATTR      p0 VIN a=key b=attributeID; p1 MOUT: the buffer, or for
 *                 a value attribute 8 bytes (a, b)
 *                 TEE_GetObjectBufferAttribute / ...ValueAttribute
 *   FREE_KEY      p0 VIN a=key                     TEE_FreeTransientObject
 *   ENCRYPT       p0 VIN a=algorithm b=key; p1 attributes; p2 MIN input
 *                 or none; p3 MOUT output           TEE_AsymmetricEncrypt
 *   DECRYPT       the same                          TEE_AsymmetricDecrypt
 *   SIGN          p0 VIN a=algorithm b=key; p1 attributes; p2 MIN digest
 *                 or none; p3 MOUT signature     TEE_AsymmetricSignDigest
 *   VERIFY        p0 VIN a=algorithm b=key; p1 attributes; p2 MIN digest
 *                 or none; p3 MIN signature or none
 *                                              TEE_AsymmetricVerifyDigest
 *   DERIVE        p0 VIN a=algorithm b=key; p1 attributes; p2 VIN a=second
 *                 key (0: none) b=maxObjectSize of the derived
 *                 TEE_TYPE_GENERIC_SECRET; p3 MOUT: its
 *                 TEE_ATTR_SECRET_VALUE, followed, when the attributes
 *                 hold TEE_ATTR_SM2_KEP_CONFIRMATION_OUT, by what the
 *                 function wrote there (the record's length; its bytes
 *                 are not used)                            TEE_DeriveKey
 */
#ifndef ASYM_TEST_TA_H
#define ASYM_TEST_TA_H

/* 205c402b-a5b5-4893-8a65-4fbbf96bc4ab */
#define TA_ASYM_TEST_UUID \
	{ 0x205c402b, 0xa5b5, 0x4893, \
		{ 0x8a, 0x65, 0x4f, 0xbb, 0xf9, 0x6b, 0xc4, 0xab } }

#define TA_ASYM_MAX_KEYS		16
#define TA_ASYM_MAX_ATTRS		16

#define TA_ASYM_CMD_IMPORT_KEY		1
#define TA_ASYM_CMD_GENERATE_KEY	2
#define TA_ASYM_CMD_GET_ATTR		3
#define TA_ASYM_CMD_FREE_KEY		4
#define TA_ASYM_CMD_ENCRYPT		10
#define TA_ASYM_CMD_DECRYPT		11
#define TA_ASYM_CMD_SIGN		12
#define TA_ASYM_CMD_VERIFY		13
#define TA_ASYM_CMD_DERIVE		14

#endif /* ASYM_TEST_TA_H */
