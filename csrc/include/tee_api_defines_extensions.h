/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * OP-TEE's extensions to the GP TEE Internal Core API constants, written
 * for pytee with OP-TEE's values: extra key derivation functions, a
 * pre-hashed RSA PKCS#1 v1.5 signature, TDEA CMAC, SM4-XTS, RSA with MD5,
 * implementation result codes and storage ids, extra memory-access and
 * login flags.
 * <tee_internal_api_extensions.h> includes this header.
 */
#ifndef TEE_API_DEFINES_EXTENSIONS_H
#define TEE_API_DEFINES_EXTENSIONS_H

/* ------------------------------------------------------------------ */
/* Implementation-specific result codes (0x80000000 - 0x8FFFFFFF)      */
/* ------------------------------------------------------------------ */

/* OP-TEE core driver codes; a TA does not normally see them. */
#define TEE_ERROR_DEFER_DRIVER_INIT		0x80000000
#define TEE_ERROR_NODE_DISABLED			0x80000001

/* ------------------------------------------------------------------ */
/* HKDF (RFC 5869), one algorithm per hash                             */
/* ------------------------------------------------------------------ */

#define TEE_ALG_HKDF_MD5_DERIVE_KEY		0x800010C0
#define TEE_ALG_HKDF_SHA1_DERIVE_KEY		0x800020C0
#define TEE_ALG_HKDF_SHA224_DERIVE_KEY		0x800030C0
#define TEE_ALG_HKDF_SHA256_DERIVE_KEY		0x800040C0
#define TEE_ALG_HKDF_SHA384_DERIVE_KEY		0x800050C0
#define TEE_ALG_HKDF_SHA512_DERIVE_KEY		0x800060C0

#define TEE_TYPE_HKDF_IKM			0xA10000C0

#define TEE_ATTR_HKDF_IKM			0xC00001C0
/*
 * Salt and info of the *_DERIVE_KEY algorithms above.  GP v1.3.1 gave the
 * names TEE_ATTR_HKDF_SALT / TEE_ATTR_HKDF_INFO other values (for
 * TEE_ALG_HKDF, in <tee_api_defines.h>), so OP-TEE renamed its ids; the
 * __OPTEE_ATTR_* spellings are accepted as well.
 */
#define __OPTEE_TEE_ATTR_HKDF_SALT		0xD00002C0
#define __OPTEE_TEE_ATTR_HKDF_INFO		0xD00003C0
#define __OPTEE_ATTR_HKDF_SALT			__OPTEE_TEE_ATTR_HKDF_SALT
#define __OPTEE_ATTR_HKDF_INFO			__OPTEE_TEE_ATTR_HKDF_INFO
#define TEE_ATTR_HKDF_OKM_LENGTH		0xF00004C0

/* ------------------------------------------------------------------ */
/* Concat KDF (NIST SP 800-56A, 5.8.1)                                 */
/* ------------------------------------------------------------------ */

#define TEE_ALG_CONCAT_KDF_SHA1_DERIVE_KEY	0x800020C1
#define TEE_ALG_CONCAT_KDF_SHA224_DERIVE_KEY	0x800030C1
#define TEE_ALG_CONCAT_KDF_SHA256_DERIVE_KEY	0x800040C1
#define TEE_ALG_CONCAT_KDF_SHA384_DERIVE_KEY	0x800050C1
#define TEE_ALG_CONCAT_KDF_SHA512_DERIVE_KEY	0x800060C1

#define TEE_TYPE_CONCAT_KDF_Z			0xA10000C1

#define TEE_ATTR_CONCAT_KDF_Z			0xC00001C1
#define TEE_ATTR_CONCAT_KDF_OTHER_INFO		0xD00002C1
#define TEE_ATTR_CONCAT_KDF_DKM_LENGTH		0xF00003C1

/* ------------------------------------------------------------------ */
/* PBKDF2 (PKCS #5 v2.0, RFC 2898 5.2)                                 */
/* ------------------------------------------------------------------ */

#define TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY	0x800020C2

#define TEE_TYPE_PBKDF2_PASSWORD		0xA10000C2

#define TEE_ATTR_PBKDF2_PASSWORD		0xC00001C2
#define TEE_ATTR_PBKDF2_SALT			0xD00002C2
#define TEE_ATTR_PBKDF2_ITERATION_COUNT		0xF00003C2
#define TEE_ATTR_PBKDF2_DKM_LENGTH		0xF00004C2

/* ------------------------------------------------------------------ */
/* Other algorithms                                                    */
/* ------------------------------------------------------------------ */

/* RSASSA PKCS#1 v1.5 over a digest given as is, without a DigestInfo */
#define TEE_ALG_RSASSA_PKCS1_V1_5		0xF0000830

/* CMAC with triple DES (NIST SP 800-38B) */
#define TEE_ALG_DES3_CMAC			0xF0000613

/* SM4 in XTS mode */
#define TEE_ALG_SM4_XTS				0xF0000414

/* RSA PSS and OAEP with MD5 (vendor range: bit 31 of the id set) */
#define TEE_ALG_RSASSA_PKCS1_PSS_MGF1_MD5	0xF0111930
#define TEE_ALG_RSAES_PKCS1_OAEP_MGF1_MD5	0xF0110230

/* ------------------------------------------------------------------ */
/* Storage ids besides TEE_STORAGE_PRIVATE                             */
/* ------------------------------------------------------------------ */

#define TEE_STORAGE_PRIVATE_REE			0x80000000 /* REE file system */
#define TEE_STORAGE_PRIVATE_RPMB		0x80000100 /* eMMC RPMB */
#define TEE_STORAGE_PRIVATE_SQL_RESERVED	0x80000200 /* retired */

/* ------------------------------------------------------------------ */
/* Extra TEE_CheckMemoryAccessRights() flags                           */
/* ------------------------------------------------------------------ */

/* Succeed only if the whole range is non-secure / secure memory. */
#define TEE_MEMORY_ACCESS_NONSECURE		0x10000000
#define TEE_MEMORY_ACCESS_SECURE		0x20000000

/* ------------------------------------------------------------------ */
/* Extra login type                                                    */
/* ------------------------------------------------------------------ */

/* A client in the REE kernel */
#define TEE_LOGIN_REE_KERNEL			0x80000000

#endif /* TEE_API_DEFINES_EXTENSIONS_H */
