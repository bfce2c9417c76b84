// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 6.8 (Key Derivation Functions):
 * TEE_DeriveKey, for Diffie-Hellman, ECDH on the NIST curves, X25519 and
 * SM2 key exchange (sm2_kep.c), and OP-TEE's HKDF, Concat KDF and PBKDF2
 * extensions (kdf.c).  The derived secret becomes the
 * TEE_ATTR_SECRET_VALUE of the caller's object.
 *
 * Facts from OP-TEE (lib/libutee/tee_api_operations.c and its core)
 * followed here:
 * - the derived key must be an uninitialised TEE_TYPE_GENERIC_SECRET
 *   object, the operation a key derivation one with its key set; any
 *   failure panics, misuse and crypto errors alike;
 * - DH takes exactly one parameter, TEE_ATTR_DH_PUBLIC_VALUE, and gives
 *   the shared secret without its leading zero bytes;
 * - ECDH takes exactly TEE_ATTR_ECC_PUBLIC_VALUE_X then
 *   TEE_ATTR_ECC_PUBLIC_VALUE_Y, on the curve of our key, and gives the
 *   x coordinate padded to the field size; TEE_ALG_ECDH_DERIVE_SHARED_SECRET
 *   and OP-TEE's __OPTEE_ALG_ECDH_P* are the same;
 * - X25519 takes exactly TEE_ATTR_X25519_PUBLIC_VALUE (32 bytes), gives 32;
 * - SM2 KEP derives as many bytes as the derived object's maximum size.
 *
 * Difference, forced: the derived secret must fit the derived object's
 * maximum size (object.c panics with TEE_ERROR_BAD_STATE otherwise);
 * OP-TEE stores it whatever that size.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/evp.h>

#include <tee_internal_api.h>

#include "api.h"
#include "libtee_internal.h"

#define X25519_LEN	32

/* The peer key of a DH, ECDH or X25519 derivation from the parameters. */
static TEE_Result peer_key(struct __TEE_OperationHandle *op,
			   const TEE_Attribute *params, uint32_t count,
			   EVP_PKEY **peer)
{
	switch (op->info.algorithm) {
	case TEE_ALG_DH_DERIVE_SHARED_SECRET:
		if (count != 1 ||
		    params[0].attributeID != TEE_ATTR_DH_PUBLIC_VALUE)
			return TEE_ERROR_BAD_PARAMETERS;
		return asym_dh_peer(op->key1, &params[0], peer);
	case TEE_ALG_X25519:
		if (count != 1 ||
		    params[0].attributeID != TEE_ATTR_X25519_PUBLIC_VALUE ||
		    params[0].content.ref.length != X25519_LEN)
			return TEE_ERROR_BAD_PARAMETERS;
		*peer = EVP_PKEY_new_raw_public_key(
			EVP_PKEY_X25519, NULL, params[0].content.ref.buffer,
			X25519_LEN);
		return *peer ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
	default:
		if (count != 2 ||
		    params[0].attributeID != TEE_ATTR_ECC_PUBLIC_VALUE_X ||
		    params[1].attributeID != TEE_ATTR_ECC_PUBLIC_VALUE_Y)
			return TEE_ERROR_BAD_PARAMETERS;
		return asym_ec_public(asym_curve_of(op->key1), &params[0],
				      &params[1], peer);
	}
}

/* Key agreement between key1 of op and the peer's public key. */
static TEE_Result agree(struct __TEE_OperationHandle *op,
			const TEE_Attribute *params, uint32_t count,
			uint8_t **out, size_t *out_len)
{
	EVP_PKEY *own = NULL;
	EVP_PKEY *peer = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t len = 0;
	TEE_Result res = peer_key(op, params, count, &peer);

	if (!res)
		res = asym_pkey(op->key1, &own);
	if (!res && !(ctx = EVP_PKEY_CTX_new_from_pkey(NULL, own, NULL)))
		res = TEE_ERROR_OUT_OF_MEMORY;
	if (!res && (EVP_PKEY_derive_init(ctx) <= 0 ||
		     (op->info.algorithm == TEE_ALG_DH_DERIVE_SHARED_SECRET &&
		      EVP_PKEY_CTX_set_dh_pad(ctx, 0) <= 0) ||
		     EVP_PKEY_derive_set_peer(ctx, peer) <= 0 ||
		     EVP_PKEY_derive(ctx, NULL, &len) <= 0))
		res = TEE_ERROR_BAD_PARAMETERS;
	if (!res && !(*out = OPENSSL_malloc(len)))
		res = TEE_ERROR_OUT_OF_MEMORY;
	if (!res && EVP_PKEY_derive(ctx, *out, &len) <= 0) {
		OPENSSL_free(*out);
		*out = NULL;
		res = TEE_ERROR_BAD_PARAMETERS;
	}
	if (!res)
		*out_len = len;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(own);
	EVP_PKEY_free(peer);
	return res;
}

static TEE_Result derive(struct __TEE_OperationHandle *op,
			 const TEE_Attribute *params, uint32_t count,
			 size_t max_len, uint8_t **out, size_t *out_len)
{
	switch (op->info.algorithm) {
	case TEE_ALG_DH_DERIVE_SHARED_SECRET:
	case TEE_ALG_ECDH_DERIVE_SHARED_SECRET:
	case __OPTEE_ALG_ECDH_P192:
	case __OPTEE_ALG_ECDH_P224:
	case __OPTEE_ALG_ECDH_P256:
	case __OPTEE_ALG_ECDH_P384:
	case __OPTEE_ALG_ECDH_P521:
	case TEE_ALG_X25519:
		return agree(op, params, count, out, out_len);
	case TEE_ALG_SM2_KEP:
		if (!op->key2)
			return TEE_ERROR_BAD_PARAMETERS;
		*out = OPENSSL_malloc(max_len ? max_len : 1);
		if (!*out)
			return TEE_ERROR_OUT_OF_MEMORY;
		*out_len = max_len;
		return sm2_kep_derive(op->key1, op->key2, params, count, *out,
				      max_len);
	default:
		return kdf_derive(op->info.algorithm, op->key1, params, count,
				  max_len, out, out_len);
	}
}

TEE_API void TEE_DeriveKey(TEE_OperationHandle operation,
			   const TEE_Attribute *params, uint32_t paramCount,
			   TEE_ObjectHandle derivedKey)
{
	struct __TEE_OperationHandle *op = op_checked(operation);
	struct __TEE_ObjectHandle *dk = NULL;
	TEE_Attribute secret = { .attributeID = TEE_ATTR_SECRET_VALUE };
	uint8_t *buf = NULL;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!derivedKey || (!params && paramCount) ||
	    !asym_op_ready(op, TEE_OPERATION_KEY_DERIVATION, TEE_MODE_DERIVE))
		TEE_Panic(0);
	dk = obj_checked(derivedKey);
	if (dk->info.objectType != TEE_TYPE_GENERIC_SECRET ||
	    (dk->info.handleFlags & TEE_HANDLE_FLAG_INITIALIZED))
		TEE_Panic(0);
	res = derive(op, params, paramCount, dk->info.maxObjectSize / 8, &buf,
		     &len);
	if (!res) {
		secret.content.ref.buffer = buf;
		secret.content.ref.length = len;
		res = obj_set_attrs(dk, &secret, 1);
	}
	OPENSSL_clear_free(buf, len);
	if (res)
		TEE_Panic(res);
}
