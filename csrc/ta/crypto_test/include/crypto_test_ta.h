/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The crypto test TA (csrc/ta/crypto_test): a thin command layer over the
 * GP TEE Internal Core API's objects and cryptographic operations, so that
 * a client can drive any algorithm step by step.  Plain #defines only;
 * tests/crypto_ta.py is its Python client.
 *
 * Handles.  The TA keeps a table of the objects and one of the operations
 * it allocated; the client names them by id.  An id is 1 + the index in
 * its table; id 0 (TA_CRYPTO_ID_NULL) stands for TEE_HANDLE_NULL wherever
 * the API takes a handle, and TA_CRYPTO_ID_BOGUS for a pointer that is
 * not a handle at all (for misuse tests).  Any other id that names no
 * live entry makes the command return TEE_ERROR_ITEM_NOT_FOUND without
 * calling the API.  Ids of freed entries are reused.
 *
 * Results.  A command returns the TEE_Result of the API function it calls
 * (TEE_SUCCESS for the functions that return nothing).  A function that
 * panics ends the TA instance: the client sees TEEC_ERROR_TARGET_DEAD.
 * An output memory reference is given to the API with its size, and its
 * size is updated with what the API reports, also on
 * TEE_ERROR_SHORT_BUFFER (so the client sees the size needed).  Wrong
 * parameter types: TEE_ERROR_BAD_PARAMETERS; unknown command:
 * TEE_ERROR_NOT_SUPPORTED.
 *
 * Optional input memory references: where a command says "MIN or none",
 * TEE_PARAM_TYPE_NONE passes (NULL, 0) to the API.  A MEMREF_INPUT with a
 * NULL buffer passes NULL and its size.
 *
 * Byte formats (every integer little-endian):
 *   attributes   a sequence of records, as many as the buffer holds:
 *                u32 attributeID, then, if attributeID has
 *                TEE_ATTR_FLAG_VALUE (bit 29): u32 a, u32 b; otherwise
 *                u32 length and that many bytes.  A record that does not
 *                fit, or more than TA_CRYPTO_MAX_ATTRS records:
 *                TEE_ERROR_BAD_FORMAT (nothing is called).
 *   object info  TEE_ObjectInfo as 7 u32: objectType, objectSize,
 *                maxObjectSize, objectUsage, dataSize, dataPosition,
 *                handleFlags (28 bytes).
 *   op info      TEE_OperationInfo as 8 u32: algorithm, operationClass,
 *                mode, digestLength, maxKeySize, keySize,
 *                requiredKeyUsage, handleState (32 bytes).
 *   op info multiple  TEE_OperationInfoMultiple as u32s: algorithm,
 *                operationClass, mode, digestLength, maxKeySize,
 *                handleState, operationState, numberOfKeys, then keySize
 *                and requiredKeyUsage of each key slot the buffer holds.
 *
 * Commands (p0..p3; VIN/VOUT value input/output, MIN/MOUT/MIO memory
 * reference input/output/inout, "-" none):
 *
 * Objects
 *   ALLOC_OBJECT      p0 VIN a=type b=maxObjectSize; p1 VOUT a=id
 *                     TEE_AllocateTransientObject
 *   FREE_OBJECT       p0 VIN a=id            TEE_FreeTransientObject
 *   RESET_OBJECT      p0 VIN a=id            TEE_ResetTransientObject
 *   CLOSE_OBJECT      p0 VIN a=id            TEE_CloseObject
 *   POPULATE          p0 VIN a=id; p1 MIN attributes (or none)
 *                     TEE_PopulateTransientObject
 *   GENERATE_KEY      p0 VIN a=id b=keySize; p1 MIN attributes or none
 *                     TEE_GenerateKey
 *   GET_BUFFER_ATTR   p0 VIN a=id b=attributeID; p1 MOUT
 *                     TEE_GetObjectBufferAttribute
 *   GET_VALUE_ATTR    p0 VIN a=id b=attributeID; p1 VOUT a, b
 *                     TEE_GetObjectValueAttribute
 *   GET_OBJECT_INFO   p0 VIN a=id; p1 MOUT object info
 *                     TEE_GetObjectInfo1
 *   RESTRICT_USAGE    p0 VIN a=id b=usage    TEE_RestrictObjectUsage1
 *   COPY_ATTRS        p0 VIN a=destination id b=source id
 *                     TEE_CopyObjectAttributes1
 * Operations
 *   ALLOC_OP          p0 VIN a=algorithm b=mode; p1 VIN a=maxKeySize;
 *                     p2 VOUT a=id        TEE_AllocateOperation
 *   FREE_OP           p0 VIN a=id            TEE_FreeOperation
 *   RESET_OP          p0 VIN a=id            TEE_ResetOperation
 *   COPY_OP           p0 VIN a=destination b=source  TEE_CopyOperation
 *   SET_KEY           p0 VIN a=op b=object   TEE_SetOperationKey
 *   SET_KEY2          p0 VIN a=op; p1 VIN a=key1 b=key2
 *                     TEE_SetOperationKey2
 *   GET_OP_INFO       p0 VIN a=op; p1 MOUT op info  TEE_GetOperationInfo
 *   GET_OP_INFO_MULTIPLE  p0 VIN a=op; p1 MOUT op info multiple, the
 *                     buffer size given as *operationSize (on
 *                     TEE_ERROR_SHORT_BUFFER the API, and so p1's size,
 *                     tells no size)      TEE_GetOperationInfoMultiple
 *   IS_SUPPORTED      p0 VIN a=algorithm b=element
 *                     TEE_IsAlgorithmSupported
 * Digests, ciphers, MACs, AE ("in" is MIN or none, "out" MOUT)
 *   DIGEST_UPDATE     p0 VIN a=op; p1 in     TEE_DigestUpdate
 *   DIGEST_FINAL      p0 VIN a=op; p1 in; p2 out  TEE_DigestDoFinal
 *   DIGEST_EXTRACT    p0 VIN a=op; p1 out    TEE_DigestExtract
 *   CIPHER_INIT       p0 VIN a=op; p1 IV (in)     TEE_CipherInit
 *   CIPHER_UPDATE     p0 VIN a=op; p1 in; p2 out  TEE_CipherUpdate
 *   CIPHER_FINAL      p0 VIN a=op; p1 in; p2 out  TEE_CipherDoFinal
 *                     (both, in place: p1 MIO holding the source in its
 *                     first p2 VIN a bytes, the output written over it)
 *   MAC_INIT          p0 VIN a=op; p1 IV (in)     TEE_MACInit
 *   MAC_UPDATE        p0 VIN a=op; p1 in     TEE_MACUpdate
 *   MAC_COMPUTE       p0 VIN a=op; p1 in; p2 out  TEE_MACComputeFinal
 *   MAC_COMPARE       p0 VIN a=op; p1 in; p2 MIN mac
 *                     TEE_MACCompareFinal
 *   AE_INIT           p0 VIN a=op b=tagLen (bits); p1 MIN nonce;
 *                     p2 VIN a=AADLen b=payloadLen   TEE_AEInit
 *   AE_UPDATE_AAD     p0 VIN a=op; p1 in     TEE_AEUpdateAAD
 *   AE_UPDATE         p0 VIN a=op; p1 in; p2 out  TEE_AEUpdate
 *   AE_ENCRYPT_FINAL  p0 VIN a=op; p1 in; p2 out; p3 MOUT tag
 *                     TEE_AEEncryptFinal
 *   AE_DECRYPT_FINAL  p0 VIN a=op; p1 in; p2 out; p3 MIN tag
 *                     TEE_AEDecryptFinal
 *   RANDOM            p0 MOUT                TEE_GenerateRandom (fills it)
 * Misuse
 *   MISUSE            p0 VIN a=TA_CRYPTO_MISUSE_* b=id (where one is
 *                     used): a call GP says panics, that the commands
 *                     above cannot express.
 */
#ifndef CRYPTO_TEST_TA_H
#define CRYPTO_TEST_TA_H

/* 0e692e4d-8be8-443d-9be7-b195536e654f */
#define TA_CRYPTO_TEST_UUID \
	{ 0x0e692e4d, 0x8be8, 0x443d, \
		{ 0x9b, 0xe7, 0xb1, 0x95, 0x53, 0x6e, 0x65, 0x4f } }

#define TA_CRYPTO_MAX_HANDLES		64
#define TA_CRYPTO_MAX_ATTRS		16
#define TA_CRYPTO_ID_NULL		0
#define TA_CRYPTO_ID_BOGUS		0xFFFFFFFF

#define TA_CRYPTO_CMD_ALLOC_OBJECT		1
#define TA_CRYPTO_CMD_FREE_OBJECT		2
#define TA_CRYPTO_CMD_RESET_OBJECT		3
#define TA_CRYPTO_CMD_CLOSE_OBJECT		4
#define TA_CRYPTO_CMD_POPULATE			5
#define TA_CRYPTO_CMD_GENERATE_KEY		6
#define TA_CRYPTO_CMD_GET_BUFFER_ATTR		7
#define TA_CRYPTO_CMD_GET_VALUE_ATTR		8
#define TA_CRYPTO_CMD_GET_OBJECT_INFO		9
#define TA_CRYPTO_CMD_RESTRICT_USAGE		10
#define TA_CRYPTO_CMD_COPY_ATTRS		11
#define TA_CRYPTO_CMD_ALLOC_OP			20
#define TA_CRYPTO_CMD_FREE_OP			21
#define TA_CRYPTO_CMD_RESET_OP			22
#define TA_CRYPTO_CMD_COPY_OP			23
#define TA_CRYPTO_CMD_SET_KEY			24
#define TA_CRYPTO_CMD_SET_KEY2			25
#define TA_CRYPTO_CMD_GET_OP_INFO		26
#define TA_CRYPTO_CMD_GET_OP_INFO_MULTIPLE	27
#define TA_CRYPTO_CMD_IS_SUPPORTED		28
#define TA_CRYPTO_CMD_DIGEST_UPDATE		30
#define TA_CRYPTO_CMD_DIGEST_FINAL		31
#define TA_CRYPTO_CMD_DIGEST_EXTRACT		32
#define TA_CRYPTO_CMD_CIPHER_INIT		40
#define TA_CRYPTO_CMD_CIPHER_UPDATE		41
#define TA_CRYPTO_CMD_CIPHER_FINAL		42
#define TA_CRYPTO_CMD_MAC_INIT			50
#define TA_CRYPTO_CMD_MAC_UPDATE		51
#define TA_CRYPTO_CMD_MAC_COMPUTE		52
#define TA_CRYPTO_CMD_MAC_COMPARE		53
#define TA_CRYPTO_CMD_AE_INIT			60
#define TA_CRYPTO_CMD_AE_UPDATE_AAD		61
#define TA_CRYPTO_CMD_AE_UPDATE			62
#define TA_CRYPTO_CMD_AE_ENCRYPT_FINAL		63
#define TA_CRYPTO_CMD_AE_DECRYPT_FINAL		64
#define TA_CRYPTO_CMD_RANDOM			70
#define TA_CRYPTO_CMD_MISUSE			90

/* MISUSE cases */
#define TA_CRYPTO_MISUSE_REF_ATTR_VALUE_ID	1 /* TEE_InitRefAttribute,
						     value id */
#define TA_CRYPTO_MISUSE_VALUE_ATTR_REF_ID	2 /* TEE_InitValueAttribute,
						     buffer id */
#define TA_CRYPTO_MISUSE_DIGEST_NULL_LEN	3 /* TEE_DigestDoFinal of op b,
						     hashLen NULL */
#define TA_CRYPTO_MISUSE_RANDOM_NULL		4 /* TEE_GenerateRandom(NULL,
						     16) */
#define TA_CRYPTO_MISUSE_OP_INFO_NULL		5 /* TEE_GetOperationInfo of
						     op b, info NULL */

#endif /* CRYPTO_TEST_TA_H */
