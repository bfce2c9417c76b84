// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 6.7 (Asymmetric Functions):
 * TEE_AsymmetricEncrypt and TEE_AsymmetricDecrypt.
 *
 * Algorithms, those TEE_AllocateOperation takes as OP-TEE's does: RSAES
 * PKCS#1 v1.5; RSAES-OAEP with SHA-1, SHA-224..512 and OP-TEE's MD5;
 * RSA without padding; SM2 public-key encryption (sm2.c).
 *
 * Facts from OP-TEE (lib/libutee/tee_api_operations.c and its core)
 * followed here:
 * - results other than TEE_SUCCESS, TEE_ERROR_SHORT_BUFFER,
 *   TEE_ERROR_BAD_PARAMETERS, TEE_ERROR_CIPHERTEXT_INVALID and
 *   TEE_ERROR_NOT_SUPPORTED panic; no key set is BAD_PARAMETERS;
 * - RSAES encryption needs a buffer of the modulus size (SHORT_BUFFER
 *   with that size, before any work); decryption reports the length of
 *   the message it found; a padding error, a message too long and an
 *   input out of range are BAD_PARAMETERS;
 * - OAEP takes TEE_ATTR_RSA_OAEP_LABEL (the first one) and
 *   TEE_ATTR_RSA_OAEP_MGF_HASH, a 4-byte buffer holding the TEE_ALG_<hash>
 *   of MGF1 (another length is BAD_PARAMETERS, an unknown hash
 *   NOT_SUPPORTED); MGF1 defaults to the OAEP hash; other parameters are
 *   ignored;
 * - RSA without padding takes any input up to the modulus size that is
 *   below the modulus, and returns the result without its leading zero
 *   bytes (at least one byte).
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <tee_api_defines_extensions.h>
#include <tee_internal_api.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"

struct enc_alg {
	uint32_t alg;
	int padding;		/* RSA_*_PADDING */
	uint32_t hash;		/* OAEP: TEE_ALG_<hash> */
};

static const struct enc_alg enc_algs[] = {
	{ TEE_ALG_RSAES_PKCS1_V1_5, RSA_PKCS1_PADDING, 0 },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_MD5, RSA_PKCS1_OAEP_PADDING,
	  TEE_ALG_MD5 },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA1, RSA_PKCS1_OAEP_PADDING,
	  TEE_ALG_SHA1 },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA224, RSA_PKCS1_OAEP_PADDING,
	  TEE_ALG_SHA224 },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, RSA_PKCS1_OAEP_PADDING,
	  TEE_ALG_SHA256 },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA384, RSA_PKCS1_OAEP_PADDING,
	  TEE_ALG_SHA384 },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA512, RSA_PKCS1_OAEP_PADDING,
	  TEE_ALG_SHA512 },
	{ TEE_ALG_RSA_NOPAD, RSA_NO_PADDING, 0 },
};

static const struct enc_alg *enc_alg_of(uint32_t alg)
{
	size_t n = 0;

	for (n = 0; n < ARRAY_SIZE(enc_algs); n++)
		if (enc_algs[n].alg == alg)
			return &enc_algs[n];
	return NULL;
}

/* OAEP: the hash, MGF1's hash and the label from the parameters. */
static TEE_Result set_oaep(EVP_PKEY_CTX *ctx, const struct enc_alg *a,
			   const TEE_Attribute *params, uint32_t count)
{
	const TEE_Attribute *label = asym_param(params, count,
						TEE_ATTR_RSA_OAEP_LABEL);
	const TEE_Attribute *mgf = asym_param(params, count,
					      TEE_ATTR_RSA_OAEP_MGF_HASH);
	const EVP_MD *mgf_md = asym_md(a->hash);
	uint32_t mgf_alg = 0;
	void *copy = NULL;

	if (mgf) {
		if (mgf->content.ref.length != sizeof(mgf_alg))
			return TEE_ERROR_BAD_PARAMETERS;
		memcpy(&mgf_alg, mgf->content.ref.buffer, sizeof(mgf_alg));
		mgf_md = asym_md(mgf_alg);
		if (!mgf_md)
			return TEE_ERROR_NOT_SUPPORTED;
	}
	if (EVP_PKEY_CTX_set_rsa_oaep_md(ctx, asym_md(a->hash)) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, mgf_md) <= 0)
		return TEE_ERROR_BAD_PARAMETERS;
	if (label && label->content.ref.length > INT_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	if (label && label->content.ref.length) {
		/* OpenSSL takes ownership of the label it is given */
		copy = OPENSSL_memdup(label->content.ref.buffer,
				      label->content.ref.length);
		if (!copy)
			return TEE_ERROR_OUT_OF_MEMORY;
		if (EVP_PKEY_CTX_set0_rsa_oaep_label(
			    ctx, copy, (int)label->content.ref.length) <= 0) {
			OPENSSL_free(copy);
			return TEE_ERROR_BAD_PARAMETERS;
		}
	}
	return TEE_SUCCESS;
}

static TEE_Result rsa_ctx(EVP_PKEY *pkey, const struct enc_alg *a, bool enc,
			  const TEE_Attribute *params, uint32_t count,
			  EVP_PKEY_CTX **out)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	TEE_Result res = TEE_SUCCESS;

	if (!ctx)
		return TEE_ERROR_OUT_OF_MEMORY;
	if ((enc ? EVP_PKEY_encrypt_init(ctx) : EVP_PKEY_decrypt_init(ctx)) <=
		    0 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, a->padding) <= 0)
		res = TEE_ERROR_BAD_PARAMETERS;
#ifdef OSSL_ASYM_CIPHER_PARAM_IMPLICIT_REJECTION
	/* OpenSSL 3.2+ would hide a PKCS#1 v1.5 padding error; GP reports it */
	if (!res && a->padding == RSA_PKCS1_PADDING) {
		unsigned int off = 0;
		OSSL_PARAM p[2] = {
			OSSL_PARAM_construct_uint(
				OSSL_ASYM_CIPHER_PARAM_IMPLICIT_REJECTION,
				&off),
			OSSL_PARAM_END
		};

		if (EVP_PKEY_CTX_set_params(ctx, p) <= 0)
			res = TEE_ERROR_BAD_PARAMETERS;
	}
#endif
	if (!res && a->padding == RSA_PKCS1_OAEP_PADDING)
		res = set_oaep(ctx, a, params, count);
	if (res)
		EVP_PKEY_CTX_free(ctx);
	else
		*out = ctx;
	return res;
}

static TEE_Result rsa_crypt(EVP_PKEY *pkey, const struct enc_alg *a, bool enc,
			    const TEE_Attribute *params, uint32_t count,
			    const uint8_t *src, size_t src_len, uint8_t *dst,
			    size_t *dst_len)
{
	size_t mod_len = (size_t)EVP_PKEY_get_size(pkey);
	bool nopad = a->padding == RSA_NO_PADDING;
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t *in = NULL;
	uint8_t *out = NULL;
	size_t out_len = mod_len;
	size_t skip = 0;
	TEE_Result res = TEE_SUCCESS;

	if (enc && !nopad && *dst_len < mod_len) {
		*dst_len = mod_len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (nopad && src_len > mod_len)
		return TEE_ERROR_BAD_PARAMETERS;
	in = OPENSSL_zalloc(mod_len);
	out = OPENSSL_malloc(mod_len);
	if (!in || !out)
		res = TEE_ERROR_OUT_OF_MEMORY;
	if (!res)
		res = rsa_ctx(pkey, a, enc, params, count, &ctx);
	if (!res) {
		/* without padding OpenSSL wants exactly the modulus size */
		if (nopad && src_len)
			memcpy(in + mod_len - src_len, src, src_len);
		if ((enc ? EVP_PKEY_encrypt(ctx, out, &out_len,
					    nopad ? in : src,
					    nopad ? mod_len : src_len) :
			   EVP_PKEY_decrypt(ctx, out, &out_len,
					    nopad ? in : src,
					    nopad ? mod_len : src_len)) <= 0)
			res = TEE_ERROR_BAD_PARAMETERS;
	}
	while (!res && nopad && skip + 1 < out_len && !out[skip])
		skip++;
	if (!res && *dst_len < out_len - skip) {
		*dst_len = out_len - skip;
		res = TEE_ERROR_SHORT_BUFFER;
	} else if (!res) {
		memcpy(dst, out + skip, out_len - skip);
		*dst_len = out_len - skip;
	}
	EVP_PKEY_CTX_free(ctx);
	OPENSSL_clear_free(in, mod_len);
	OPENSSL_clear_free(out, mod_len);
	return res;
}

static TEE_Result run_crypt(struct __TEE_OperationHandle *op, bool enc,
			const TEE_Attribute *params, uint32_t count,
			const uint8_t *src, size_t src_len, uint8_t *dst,
			size_t *dst_len)
{
	const struct enc_alg *a = enc_alg_of(op->info.algorithm);
	EVP_PKEY *pkey = NULL;
	TEE_Result res = TEE_SUCCESS;

	if (op->info.algorithm == TEE_ALG_SM2_PKE)
		return enc ? sm2_pke_encrypt(op->key1, src, src_len, dst,
					     dst_len) :
			     sm2_pke_decrypt(op->key1, src, src_len, dst,
					     dst_len);
	if (!a)
		return TEE_ERROR_NOT_SUPPORTED;
	res = asym_pkey(op->key1, &pkey);
	if (!res)
		res = rsa_crypt(pkey, a, enc, params, count, src, src_len, dst,
				dst_len);
	EVP_PKEY_free(pkey);
	return res;
}

/* The results OP-TEE's libutee returns; any other one panics. */
static TEE_Result checked(TEE_Result res)
{
	if (res != TEE_SUCCESS && res != TEE_ERROR_SHORT_BUFFER &&
	    res != TEE_ERROR_BAD_PARAMETERS &&
	    res != TEE_ERROR_CIPHERTEXT_INVALID &&
	    res != TEE_ERROR_NOT_SUPPORTED)
		TEE_Panic(res);
	return res;
}

static TEE_Result encrypt_or_decrypt(TEE_OperationHandle operation, bool enc,
				     const TEE_Attribute *params,
				     uint32_t count, const void *src,
				     size_t src_len, void *dst,
				     size_t *dst_len)
{
	struct __TEE_OperationHandle *op = op_checked(operation);
	TEE_Result res = TEE_ERROR_BAD_PARAMETERS;

	if ((!src && src_len) || !dst_len || (!dst && *dst_len) ||
	    (!params && count))
		TEE_Panic(0);
	if (asym_op_ready(op, TEE_OPERATION_ASYMMETRIC_CIPHER,
			  enc ? TEE_MODE_ENCRYPT : TEE_MODE_DECRYPT))
		res = run_crypt(op, enc, params, count, src, src_len, dst,
				dst_len);
	return checked(res);
}

TEE_API TEE_Result TEE_AsymmetricEncrypt(TEE_OperationHandle operation,
					 const TEE_Attribute *params,
					 uint32_t paramCount,
					 const void *srcData, size_t srcLen,
					 void *destData, size_t *destLen)
{
	return encrypt_or_decrypt(operation, true, params, paramCount, srcData,
				  srcLen, destData, destLen);
}

TEE_API TEE_Result TEE_AsymmetricDecrypt(TEE_OperationHandle operation,
					 const TEE_Attribute *params,
					 uint32_t paramCount,
					 const void *srcData, size_t srcLen,
					 void *destData, size_t *destLen)
{
	return encrypt_or_decrypt(operation, false, params, paramCount, srcData,
				  srcLen, destData, destLen);
}
