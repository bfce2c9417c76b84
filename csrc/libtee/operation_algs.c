// SPDX-License-Identifier: BSD-2-Clause
/*
 * The algorithm identifiers (GP TEE Internal Core API v1.3.1, 6.10) as
 * OP-TEE's libutee reads them (lib/libutee/tee_api_operations.c and
 * include/utee_defines.h): class, main algorithm and key type, digest
 * length, the mode each algorithm takes with the key usage it requires,
 * and OP-TEE's maxKeySize checks; and TEE_IsAlgorithmSupported.
 *
 * Identifiers of the headers that OP-TEE's TEE_AllocateOperation refuses
 * (the SHA-3 variants of RSA, DSA and ECDSA, SM4 with PKCS#5 padding,
 * Ed448, X448, MD5SHA1) are refused here too.
 *
 * Differences, on purpose: TEE_IsAlgorithmSupported answers for what is
 * implemented: it also names SHAKE128/256 and DES3-CMAC, and not MD5SHA1
 * (which OP-TEE's answer names although its TEE_AllocateOperation
 * refuses it); SM3 and SM4 depend on the host's OpenSSL.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_api_defines_extensions.h>
#include <tee_internal_api.h>
#include <util.h>

#include "api.h"
#include "op_algs.h"
#include "op_sym.h"

/* ---- algorithm identifiers ---------------------------------------------- */

/* The operation class (bits 31-28, with OP-TEE's exceptions). */
uint32_t op_alg_class(uint32_t alg)
{
	switch (alg) {
	case TEE_ALG_SM2_PKE:
	case TEE_ALG_RSAES_PKCS1_OAEP_MGF1_MD5:
		return TEE_OPERATION_ASYMMETRIC_CIPHER;
	case TEE_ALG_SM2_KEP:
		return TEE_OPERATION_KEY_DERIVATION;
	case TEE_ALG_RSASSA_PKCS1_V1_5:
	case TEE_ALG_RSASSA_PKCS1_PSS_MGF1_MD5:
		return TEE_OPERATION_ASYMMETRIC_SIGNATURE;
	case TEE_ALG_DES3_CMAC:
		return TEE_OPERATION_MAC;
	case TEE_ALG_SM4_XTS:
		return TEE_OPERATION_CIPHER;
	default:
		return alg >> 28;
	}
}

/* The main algorithm (bits 7-0, with OP-TEE's exceptions). */
static uint32_t alg_main(uint32_t alg)
{
	switch (alg) {
	case TEE_ALG_SM2_PKE:
		return 0x47;
	case TEE_ALG_SM2_KEP:
		return 0x46;
	case TEE_ALG_X25519:
		return 0x44;
	case TEE_ALG_ED25519:
		return 0x43;
	case TEE_ALG_ECDSA_SHA1:
	case TEE_ALG_ECDSA_SHA224:
	case TEE_ALG_ECDSA_SHA256:
	case TEE_ALG_ECDSA_SHA384:
	case TEE_ALG_ECDSA_SHA512:
		return 0x41;
	case TEE_ALG_HKDF:
		return 0xC0;
	default:
		return alg & 0xFF;
	}
}

/* The object type of the algorithm's key: a pair, or a public key. */
uint32_t op_alg_key_type(uint32_t alg, bool pair)
{
	return 0xA0000000u | (pair ? 0x01000000u : 0) | alg_main(alg);
}

/* TEE_OperationInfo.digestLength of an algorithm (OP-TEE's table). */
uint32_t op_alg_digest_len(uint32_t alg)
{
	switch (alg) {
	case TEE_ALG_MD5:
	case TEE_ALG_HMAC_MD5:
		return 16;
	case TEE_ALG_SHA1:
	case TEE_ALG_HMAC_SHA1:
	case TEE_ALG_DSA_SHA1:
	case TEE_ALG_ECDSA_SHA1:
		return 20;
	case TEE_ALG_SHA224:
	case TEE_ALG_SHA3_224:
	case TEE_ALG_HMAC_SHA224:
	case TEE_ALG_HMAC_SHA3_224:
	case TEE_ALG_DSA_SHA224:
	case TEE_ALG_ECDSA_SHA224:
		return 28;
	case TEE_ALG_SHA256:
	case TEE_ALG_SHA3_256:
	case TEE_ALG_HMAC_SHA256:
	case TEE_ALG_HMAC_SHA3_256:
	case TEE_ALG_DSA_SHA256:
	case TEE_ALG_ECDSA_SHA256:
	case TEE_ALG_SM3:
	case TEE_ALG_HMAC_SM3:
		return 32;
	case TEE_ALG_SHA384:
	case TEE_ALG_SHA3_384:
	case TEE_ALG_HMAC_SHA384:
	case TEE_ALG_HMAC_SHA3_384:
	case TEE_ALG_ECDSA_SHA384:
		return 48;
	case TEE_ALG_SHA512:
	case TEE_ALG_SHA3_512:
	case TEE_ALG_HMAC_SHA512:
	case TEE_ALG_HMAC_SHA3_512:
	case TEE_ALG_ECDSA_SHA512:
		return 64;
	case TEE_ALG_AES_CBC_MAC_NOPAD:
	case TEE_ALG_AES_CBC_MAC_PKCS5:
	case TEE_ALG_AES_CMAC:
		return 16;
	case TEE_ALG_DES_CBC_MAC_NOPAD:
	case TEE_ALG_DES_CBC_MAC_PKCS5:
	case TEE_ALG_DES3_CBC_MAC_NOPAD:
	case TEE_ALG_DES3_CBC_MAC_PKCS5:
	case TEE_ALG_DES3_CMAC:
		return 8;
	default:
		return 0;
	}
}

/* OP-TEE's maxKeySize checks of some asymmetric algorithms. */
bool op_alg_key_size_ok(uint32_t alg, uint32_t size)
{
	switch (alg) {
	case TEE_ALG_DSA_SHA1:
		return size >= 512 && size <= 1024 && size % 64 == 0;
	case TEE_ALG_DSA_SHA224:
		return size == 2048;
	case TEE_ALG_DSA_SHA256:
		return size == 2048 || size == 3072;
	case TEE_ALG_ECDSA_SHA1:
	case __OPTEE_ALG_ECDSA_P192:
	case __OPTEE_ALG_ECDH_P192:
		return size == 192;
	case TEE_ALG_ECDSA_SHA224:
	case __OPTEE_ALG_ECDSA_P224:
	case __OPTEE_ALG_ECDH_P224:
		return size == 224;
	case TEE_ALG_ECDSA_SHA256:
	case __OPTEE_ALG_ECDSA_P256:
	case __OPTEE_ALG_ECDH_P256:
	case TEE_ALG_SM2_PKE:
	case TEE_ALG_SM2_DSA_SM3:
	case TEE_ALG_ED25519:
	case TEE_ALG_X25519:
		return size == 256;
	case TEE_ALG_SM2_KEP:
		return size == 512; /* two 256-bit keys */
	case TEE_ALG_ECDSA_SHA384:
	case __OPTEE_ALG_ECDSA_P384:
	case __OPTEE_ALG_ECDH_P384:
		return size == 384;
	case TEE_ALG_ECDSA_SHA512:
	case __OPTEE_ALG_ECDSA_P521:
	case __OPTEE_ALG_ECDH_P521:
		return size == 521;
	case TEE_ALG_ECDH_DERIVE_SHARED_SECRET:
		return size <= 521;
	default:
		return true;
	}
}

static bool sm3_alg(uint32_t alg)
{
	return alg == TEE_ALG_SM3 || alg == TEE_ALG_HMAC_SM3;
}

static bool sm4_alg(uint32_t alg)
{
	return op_alg_class(alg) == TEE_OPERATION_CIPHER &&
	       alg_main(alg) == 0x14;
}

/* Ciphers and AE: the block of buffered input (1: none). */
static bool cipher_use(uint32_t alg, struct op_alg_use *u)
{
	switch (alg) {
	case TEE_ALG_AES_CTS:
	case TEE_ALG_AES_XTS:
	case TEE_ALG_SM4_XTS:
		u->two_blocks = true;
		u->block = 16;
		return true;
	case TEE_ALG_AES_ECB_NOPAD:
	case TEE_ALG_AES_CBC_NOPAD:
	case TEE_ALG_AES_CCM:
	case TEE_ALG_SM4_ECB_NOPAD:
	case TEE_ALG_SM4_CBC_NOPAD:
	case TEE_ALG_SM4_CTR:
		u->block = 16;
		return true;
	case TEE_ALG_DES_ECB_NOPAD:
	case TEE_ALG_DES_CBC_NOPAD:
	case TEE_ALG_DES3_ECB_NOPAD:
	case TEE_ALG_DES3_CBC_NOPAD:
		u->block = 8;
		return true;
	case TEE_ALG_AES_CTR:
	case TEE_ALG_AES_GCM:
		u->block = 1;
		return true;
	default:
		return false;
	}
}

static bool sign_alg(uint32_t alg)
{
	switch (alg) {
	case TEE_ALG_RSASSA_PKCS1_V1_5:
	case TEE_ALG_RSASSA_PKCS1_V1_5_MD5:
	case TEE_ALG_RSASSA_PKCS1_V1_5_SHA1:
	case TEE_ALG_RSASSA_PKCS1_V1_5_SHA224:
	case TEE_ALG_RSASSA_PKCS1_V1_5_SHA256:
	case TEE_ALG_RSASSA_PKCS1_V1_5_SHA384:
	case TEE_ALG_RSASSA_PKCS1_V1_5_SHA512:
	case TEE_ALG_RSASSA_PKCS1_PSS_MGF1_MD5:
	case TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA1:
	case TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA224:
	case TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256:
	case TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA384:
	case TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA512:
	case TEE_ALG_DSA_SHA1:
	case TEE_ALG_DSA_SHA224:
	case TEE_ALG_DSA_SHA256:
	case TEE_ALG_ECDSA_SHA1:
	case TEE_ALG_ECDSA_SHA224:
	case TEE_ALG_ECDSA_SHA256:
	case TEE_ALG_ECDSA_SHA384:
	case TEE_ALG_ECDSA_SHA512:
	case __OPTEE_ALG_ECDSA_P192:
	case __OPTEE_ALG_ECDSA_P224:
	case __OPTEE_ALG_ECDSA_P256:
	case __OPTEE_ALG_ECDSA_P384:
	case __OPTEE_ALG_ECDSA_P521:
	case TEE_ALG_SM2_DSA_SM3:
	case TEE_ALG_ED25519:
		return true;
	default:
		return false;
	}
}

static bool asym_cipher_alg(uint32_t alg)
{
	switch (alg) {
	case TEE_ALG_RSAES_PKCS1_V1_5:
	case TEE_ALG_RSAES_PKCS1_OAEP_MGF1_MD5:
	case TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA1:
	case TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA224:
	case TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256:
	case TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA384:
	case TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA512:
	case TEE_ALG_SM2_PKE:
		return true;
	default:
		return false;
	}
}

static bool derive_alg(uint32_t alg)
{
	switch (alg) {
	case TEE_ALG_DH_DERIVE_SHARED_SECRET:
	case TEE_ALG_ECDH_DERIVE_SHARED_SECRET:
	case __OPTEE_ALG_ECDH_P192:
	case __OPTEE_ALG_ECDH_P224:
	case __OPTEE_ALG_ECDH_P256:
	case __OPTEE_ALG_ECDH_P384:
	case __OPTEE_ALG_ECDH_P521:
	case TEE_ALG_HKDF:
	case TEE_ALG_HKDF_MD5_DERIVE_KEY:
	case TEE_ALG_HKDF_SHA1_DERIVE_KEY:
	case TEE_ALG_HKDF_SHA224_DERIVE_KEY:
	case TEE_ALG_HKDF_SHA256_DERIVE_KEY:
	case TEE_ALG_HKDF_SHA384_DERIVE_KEY:
	case TEE_ALG_HKDF_SHA512_DERIVE_KEY:
	case TEE_ALG_CONCAT_KDF_SHA1_DERIVE_KEY:
	case TEE_ALG_CONCAT_KDF_SHA224_DERIVE_KEY:
	case TEE_ALG_CONCAT_KDF_SHA256_DERIVE_KEY:
	case TEE_ALG_CONCAT_KDF_SHA384_DERIVE_KEY:
	case TEE_ALG_CONCAT_KDF_SHA512_DERIVE_KEY:
	case TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY:
	case TEE_ALG_SM2_KEP:
	case TEE_ALG_X25519:
		return true;
	default:
		return false;
	}
}

static bool digest_alg(uint32_t alg)
{
	switch (alg) {
	case TEE_ALG_MD5:
	case TEE_ALG_SHA1:
	case TEE_ALG_SHA224:
	case TEE_ALG_SHA256:
	case TEE_ALG_SHA384:
	case TEE_ALG_SHA512:
	case TEE_ALG_SHA3_224:
	case TEE_ALG_SHA3_256:
	case TEE_ALG_SHA3_384:
	case TEE_ALG_SHA3_512:
	case TEE_ALG_SHAKE128:
	case TEE_ALG_SHAKE256:
	case TEE_ALG_SM3:
		return true;
	default:
		return false;
	}
}

static bool mac_alg(uint32_t alg)
{
	switch (alg) {
	case TEE_ALG_DES_CBC_MAC_NOPAD:
	case TEE_ALG_DES_CBC_MAC_PKCS5:
	case TEE_ALG_DES3_CBC_MAC_NOPAD:
	case TEE_ALG_DES3_CBC_MAC_PKCS5:
	case TEE_ALG_DES3_CMAC:
	case TEE_ALG_AES_CBC_MAC_NOPAD:
	case TEE_ALG_AES_CBC_MAC_PKCS5:
	case TEE_ALG_AES_CMAC:
	case TEE_ALG_HMAC_MD5:
	case TEE_ALG_HMAC_SHA1:
	case TEE_ALG_HMAC_SHA224:
	case TEE_ALG_HMAC_SHA256:
	case TEE_ALG_HMAC_SHA384:
	case TEE_ALG_HMAC_SHA512:
	case TEE_ALG_HMAC_SHA3_224:
	case TEE_ALG_HMAC_SHA3_256:
	case TEE_ALG_HMAC_SHA3_384:
	case TEE_ALG_HMAC_SHA3_512:
	case TEE_ALG_HMAC_SM3:
		return true;
	default:
		return false;
	}
}

/* Two modes: the first takes a public key, the second a key pair. */
static TEE_Result two_modes(uint32_t mode, uint32_t pub_mode,
			    uint32_t pub_usage, uint32_t pair_mode,
			    uint32_t pair_usage, struct op_alg_use *u)
{
	if (mode == pub_mode) {
		u->usage = pub_usage;
	} else if (mode == pair_mode) {
		u->usage = pair_usage;
		u->pair = true;
	} else {
		return TEE_ERROR_NOT_SUPPORTED;
	}
	return TEE_SUCCESS;
}

/* The needs of alg in mode, or TEE_ERROR_NOT_SUPPORTED as OP-TEE. */
TEE_Result op_alg_use(uint32_t alg, uint32_t mode, struct op_alg_use *u)
{
	if (cipher_use(alg, u)) {
		if (mode == TEE_MODE_ENCRYPT)
			u->usage = TEE_USAGE_ENCRYPT;
		else if (mode == TEE_MODE_DECRYPT)
			u->usage = TEE_USAGE_DECRYPT;
		else
			return TEE_ERROR_NOT_SUPPORTED;
		return TEE_SUCCESS;
	}
	if (sign_alg(alg))
		return two_modes(mode, TEE_MODE_VERIFY, TEE_USAGE_VERIFY,
				 TEE_MODE_SIGN, TEE_USAGE_SIGN, u);
	if (asym_cipher_alg(alg))
		return two_modes(mode, TEE_MODE_ENCRYPT, TEE_USAGE_ENCRYPT,
				 TEE_MODE_DECRYPT, TEE_USAGE_DECRYPT, u);
	if (alg == TEE_ALG_RSA_NOPAD)
		return two_modes(mode, TEE_MODE_ENCRYPT,
				 TEE_USAGE_ENCRYPT | TEE_USAGE_VERIFY,
				 TEE_MODE_DECRYPT,
				 TEE_USAGE_DECRYPT | TEE_USAGE_SIGN, u);
	if (derive_alg(alg))
		return two_modes(mode, TEE_MODE_ILLEGAL_VALUE, 0,
				 TEE_MODE_DERIVE, TEE_USAGE_DERIVE, u);
	if (digest_alg(alg))
		return mode == TEE_MODE_DIGEST ? TEE_SUCCESS :
						 TEE_ERROR_NOT_SUPPORTED;
	if (mac_alg(alg)) {
		u->usage = TEE_USAGE_MAC;
		return mode == TEE_MODE_MAC ? TEE_SUCCESS :
					      TEE_ERROR_NOT_SUPPORTED;
	}
	return TEE_ERROR_NOT_SUPPORTED;
}

bool op_alg_two_keys(uint32_t alg)
{
	return alg == TEE_ALG_AES_XTS || alg == TEE_ALG_SM4_XTS ||
	       alg == TEE_ALG_SM2_KEP;
}

/* Whether the host's OpenSSL has what the algorithm needs. */
bool op_alg_host_has(uint32_t alg)
{
	if (sm3_alg(alg))
		return digest_available(TEE_ALG_SM3);
	if (sm4_alg(alg))
		return sm4_available();
	return true;
}

/* ---- TEE_IsAlgorithmSupported ------------------------------------------- */

/* Elliptic-curve algorithms and the curve each one accepts. */
static const struct {
	uint32_t alg;
	uint32_t curve;
} curve_algs[] = {
	{ TEE_ALG_ECDSA_SHA1, TEE_ECC_CURVE_NIST_P192 },
	{ __OPTEE_ALG_ECDSA_P192, TEE_ECC_CURVE_NIST_P192 },
	{ __OPTEE_ALG_ECDH_P192, TEE_ECC_CURVE_NIST_P192 },
	{ TEE_ALG_ECDSA_SHA224, TEE_ECC_CURVE_NIST_P224 },
	{ __OPTEE_ALG_ECDSA_P224, TEE_ECC_CURVE_NIST_P224 },
	{ __OPTEE_ALG_ECDH_P224, TEE_ECC_CURVE_NIST_P224 },
	{ TEE_ALG_ECDSA_SHA256, TEE_ECC_CURVE_NIST_P256 },
	{ __OPTEE_ALG_ECDSA_P256, TEE_ECC_CURVE_NIST_P256 },
	{ __OPTEE_ALG_ECDH_P256, TEE_ECC_CURVE_NIST_P256 },
	{ TEE_ALG_ECDSA_SHA384, TEE_ECC_CURVE_NIST_P384 },
	{ __OPTEE_ALG_ECDSA_P384, TEE_ECC_CURVE_NIST_P384 },
	{ __OPTEE_ALG_ECDH_P384, TEE_ECC_CURVE_NIST_P384 },
	{ TEE_ALG_ECDSA_SHA512, TEE_ECC_CURVE_NIST_P521 },
	{ __OPTEE_ALG_ECDSA_P521, TEE_ECC_CURVE_NIST_P521 },
	{ __OPTEE_ALG_ECDH_P521, TEE_ECC_CURVE_NIST_P521 },
	{ TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_ECC_CURVE_NIST_P192 },
	{ TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_ECC_CURVE_NIST_P224 },
	{ TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_ECC_CURVE_NIST_P256 },
	{ TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_ECC_CURVE_NIST_P384 },
	{ TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_ECC_CURVE_NIST_P521 },
	{ TEE_ALG_SM2_DSA_SM3, TEE_ECC_CURVE_SM2 },
	{ TEE_ALG_SM2_KEP, TEE_ECC_CURVE_SM2 },
	{ TEE_ALG_SM2_PKE, TEE_ECC_CURVE_SM2 },
	{ TEE_ALG_X25519, TEE_ECC_CURVE_25519 },
	{ TEE_ALG_ED25519, TEE_ECC_CURVE_25519 },
};

static bool has_curve(uint32_t alg)
{
	size_t n = 0;

	for (n = 0; n < ARRAY_SIZE(curve_algs); n++)
		if (curve_algs[n].alg == alg)
			return true;
	return false;
}

/*
 * Algorithms named with TEE_CRYPTO_ELEMENT_NONE: what
 * TEE_AllocateOperation takes in some mode, less those that name a curve
 * and less the key derivation functions (OP-TEE does not name them).
 */
static bool plain_alg(uint32_t alg)
{
	static const uint32_t modes[] = {
		TEE_MODE_ENCRYPT, TEE_MODE_SIGN, TEE_MODE_MAC, TEE_MODE_DIGEST,
		TEE_MODE_DERIVE,
	};
	struct op_alg_use u = { 0 };
	size_t n = 0;

	if (has_curve(alg) || (derive_alg(alg) &&
			       alg != TEE_ALG_DH_DERIVE_SHARED_SECRET))
		return false;
	for (n = 0; n < ARRAY_SIZE(modes); n++)
		if (!op_alg_use(alg, modes[n], &u))
			return true;
	return false;
}

TEE_API TEE_Result TEE_IsAlgorithmSupported(uint32_t algId, uint32_t element)
{
	size_t n = 0;

	if (!op_alg_host_has(algId))
		return TEE_ERROR_NOT_SUPPORTED;
	for (n = 0; n < ARRAY_SIZE(curve_algs); n++)
		if (curve_algs[n].alg == algId &&
		    curve_algs[n].curve == element)
			return TEE_SUCCESS;
	if (element == TEE_CRYPTO_ELEMENT_NONE && plain_alg(algId))
		return TEE_SUCCESS;
	return TEE_ERROR_NOT_SUPPORTED;
}
