// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 6.7 (Asymmetric Functions):
 * TEE_AsymmetricSignDigest and TEE_AsymmetricVerifyDigest.
 *
 * Algorithms, those TEE_AllocateOperation takes as OP-TEE's does:
 * RSASSA PKCS#1 v1.5 with MD5, SHA-1, SHA-224..512 and OP-TEE's
 * TEE_ALG_RSASSA_PKCS1_V1_5 (the digest padded as given, no DigestInfo);
 * RSASSA-PSS with MGF1 over the same hash (SHA-1, SHA-224..512, OP-TEE's
 * MD5); DSA with SHA-1, SHA-224, SHA-256; ECDSA; Ed25519; SM2 with SM3
 * (the digest is the e of GM/T 0003.2, which the TA computes).
 *
 * Facts from OP-TEE (lib/libutee/tee_api_operations.c and its core)
 * followed here:
 * - signing panics on any result but TEE_SUCCESS and
 *   TEE_ERROR_SHORT_BUFFER, verifying on any but TEE_SUCCESS and
 *   TEE_ERROR_SIGNATURE_INVALID; no key set is TEE_ERROR_BAD_PARAMETERS
 *   (hence a panic);
 * - a short buffer gets the signature size: the modulus size for RSA,
 *   2 * |q| for DSA, twice the curve size for ECDSA and SM2, 64 for
 *   Ed25519; signatures are r || s, each left-padded to that half;
 * - RSA digests must have the hash's length (BAD_PARAMETERS); a DSA digest
 *   to sign must be min(hash length, |q|) long (SECURITY), one to verify
 *   that or the hash length;
 * - the PSS salt length is TEE_ATTR_RSA_PSS_SALT_LENGTH (value a) when
 *   below INT_MAX, else the digest length;
 * - ECDSA ids are bound to a curve: SHA1 (= the deprecated P192 alias)
 *   to P-192, SHA224 to P-224, SHA256 to P-256, SHA384 to P-384, SHA512
 *   to P-521, and OP-TEE's __OPTEE_ALG_ECDSA_P* likewise; a key on another
 *   curve is BAD_PARAMETERS; the digest may have any length;
 * - an ECDSA or SM2 signature to verify must be exactly twice the curve
 *   size (BAD_PARAMETERS); any other mismatch is SIGNATURE_INVALID;
 * - Ed25519 takes TEE_ATTR_EDDSA_PREHASH (a 0 or 1, b 0) and
 *   TEE_ATTR_EDDSA_CTX (at most 255 bytes, once); any other parameter is
 *   BAD_PARAMETERS.
 *
 * Difference, forced: OpenSSL 3.0 has no Ed25519ph nor Ed25519ctx, so a
 * prehash flag or a non-empty context gives TEE_ERROR_NOT_SUPPORTED
 * (hence a panic).
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <tee_api_defines_extensions.h>
#include <tee_internal_api.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"

#define ED25519_SIG_LEN		64
#define EDDSA_CTX_MAX		255

enum sig_kind {
	SIG_RSA_V15,
	SIG_RSA_PSS,
	SIG_DSA,
	SIG_ECDSA,
	SIG_ED25519,
	SIG_SM2,
};

struct sig_alg {
	uint32_t alg;
	uint8_t kind;
	uint32_t hash;		/* TEE_ALG_<hash>, 0 for none */
	uint32_t curve;		/* ECDSA, SM2: the curve it is bound to */
};

static const struct sig_alg sig_algs[] = {
	{ TEE_ALG_RSASSA_PKCS1_V1_5, SIG_RSA_V15, 0, 0 },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_MD5, SIG_RSA_V15, TEE_ALG_MD5, 0 },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA1, SIG_RSA_V15, TEE_ALG_SHA1, 0 },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA224, SIG_RSA_V15, TEE_ALG_SHA224, 0 },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, SIG_RSA_V15, TEE_ALG_SHA256, 0 },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA384, SIG_RSA_V15, TEE_ALG_SHA384, 0 },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA512, SIG_RSA_V15, TEE_ALG_SHA512, 0 },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_MD5, SIG_RSA_PSS, TEE_ALG_MD5, 0 },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA1, SIG_RSA_PSS, TEE_ALG_SHA1, 0 },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA224, SIG_RSA_PSS, TEE_ALG_SHA224,
	  0 },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256, SIG_RSA_PSS, TEE_ALG_SHA256,
	  0 },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA384, SIG_RSA_PSS, TEE_ALG_SHA384,
	  0 },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA512, SIG_RSA_PSS, TEE_ALG_SHA512,
	  0 },
	{ TEE_ALG_DSA_SHA1, SIG_DSA, TEE_ALG_SHA1, 0 },
	{ TEE_ALG_DSA_SHA224, SIG_DSA, TEE_ALG_SHA224, 0 },
	{ TEE_ALG_DSA_SHA256, SIG_DSA, TEE_ALG_SHA256, 0 },
	{ TEE_ALG_ECDSA_SHA1, SIG_ECDSA, 0, TEE_ECC_CURVE_NIST_P192 },
	{ TEE_ALG_ECDSA_SHA224, SIG_ECDSA, 0, TEE_ECC_CURVE_NIST_P224 },
	{ TEE_ALG_ECDSA_SHA256, SIG_ECDSA, 0, TEE_ECC_CURVE_NIST_P256 },
	{ TEE_ALG_ECDSA_SHA384, SIG_ECDSA, 0, TEE_ECC_CURVE_NIST_P384 },
	{ TEE_ALG_ECDSA_SHA512, SIG_ECDSA, 0, TEE_ECC_CURVE_NIST_P521 },
	{ __OPTEE_ALG_ECDSA_P192, SIG_ECDSA, 0, TEE_ECC_CURVE_NIST_P192 },
	{ __OPTEE_ALG_ECDSA_P224, SIG_ECDSA, 0, TEE_ECC_CURVE_NIST_P224 },
	{ __OPTEE_ALG_ECDSA_P256, SIG_ECDSA, 0, TEE_ECC_CURVE_NIST_P256 },
	{ __OPTEE_ALG_ECDSA_P384, SIG_ECDSA, 0, TEE_ECC_CURVE_NIST_P384 },
	{ __OPTEE_ALG_ECDSA_P521, SIG_ECDSA, 0, TEE_ECC_CURVE_NIST_P521 },
	{ TEE_ALG_ED25519, SIG_ED25519, 0, 0 },
	{ TEE_ALG_SM2_DSA_SM3, SIG_SM2, 0, TEE_ECC_CURVE_SM2 },
};

static const struct sig_alg *sig_alg_of(uint32_t alg)
{
	size_t n = 0;

	for (n = 0; n < ARRAY_SIZE(sig_algs); n++)
		if (sig_algs[n].alg == alg)
			return &sig_algs[n];
	return NULL;
}

/* One signing or verifying call: the algorithm, key and inputs. */
struct sig_call {
	struct __TEE_OperationHandle *op;
	const struct sig_alg *alg;
	EVP_PKEY *pkey;
	const TEE_Attribute *params;
	uint32_t count;
	const uint8_t *digest;
	size_t digest_len;
	bool sign;
};

/* Length in bytes of r and of s in a DSA, ECDSA or SM2 signature. */
static size_t half_len(const struct sig_call *c)
{
	BIGNUM *q = NULL;
	size_t len = 0;

	if (c->alg->kind != SIG_DSA)
		return ((size_t)EVP_PKEY_get_bits(c->pkey) + 7) / 8;
	if (EVP_PKEY_get_bn_param(c->pkey, OSSL_PKEY_PARAM_FFC_Q, &q))
		len = (size_t)BN_num_bytes(q);
	BN_free(q);
	return len;
}

/* The digest-length rules of OP-TEE for RSA and DSA. */
static TEE_Result check_digest(const struct sig_call *c)
{
	const EVP_MD *md = asym_md(c->alg->hash);
	size_t hash_len = md ? (size_t)EVP_MD_get_size(md) : 0;

	switch (c->alg->kind) {
	case SIG_RSA_V15:
	case SIG_RSA_PSS:
		if (md && c->digest_len != hash_len)
			return TEE_ERROR_BAD_PARAMETERS;
		return TEE_SUCCESS;
	case SIG_DSA:
		if (c->digest_len == MIN(hash_len, half_len(c)))
			return TEE_SUCCESS;
		if (!c->sign && c->digest_len == hash_len)
			return TEE_SUCCESS;
		return c->sign ? TEE_ERROR_SECURITY : TEE_ERROR_BAD_PARAMETERS;
	default:
		return TEE_SUCCESS;
	}
}

static int pss_salt_len(const struct sig_call *c)
{
	const TEE_Attribute *a = asym_param(c->params, c->count,
					    TEE_ATTR_RSA_PSS_SALT_LENGTH);

	if (a && a->content.value.a < INT_MAX)
		return (int)a->content.value.a;
	return (int)c->digest_len;
}

/* A signing or verifying context for the RSA, DSA, ECDSA and SM2 kinds. */
static TEE_Result pkey_ctx(const struct sig_call *c, EVP_PKEY_CTX **out)
{
	const EVP_MD *md = asym_md(c->alg->hash);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, c->pkey, NULL);
	bool ok = false;

	if (!ctx)
		return TEE_ERROR_OUT_OF_MEMORY;
	ok = (c->sign ? EVP_PKEY_sign_init(ctx) : EVP_PKEY_verify_init(ctx)) >
	     0;
	if (ok && c->alg->kind == SIG_RSA_V15)
		ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0;
	if (ok && c->alg->kind == SIG_RSA_PSS)
		ok = EVP_PKEY_CTX_set_rsa_padding(ctx,
						  RSA_PKCS1_PSS_PADDING) > 0 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) > 0 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx,
						      pss_salt_len(c)) > 0;
	/* DSA, ECDSA and SM2 sign the digest as given: no md for them */
	if (ok && md && (c->alg->kind == SIG_RSA_V15 ||
			 c->alg->kind == SIG_RSA_PSS))
		ok = EVP_PKEY_CTX_set_signature_md(ctx, md) > 0;
	if (!ok) {
		EVP_PKEY_CTX_free(ctx);
		return TEE_ERROR_BAD_PARAMETERS;
	}
	*out = ctx;
	return TEE_SUCCESS;
}

/*
 * The context of a call: the one kept for the operation (asym_key.c), or
 * a new one, kept for the next calls unless its settings depend on the
 * call (RSASSA-PSS: the salt length is a call parameter).  The caller
 * frees it when *owned.
 */
static TEE_Result call_ctx(const struct sig_call *c, EVP_PKEY_CTX **ctx,
			   bool *owned)
{
	bool keep = c->alg->kind != SIG_RSA_PSS;
	TEE_Result res = TEE_SUCCESS;

	*owned = false;
	*ctx = keep ? asym_op_ctx(c->op) : NULL;
	if (*ctx)
		return TEE_SUCCESS;
	res = pkey_ctx(c, ctx);
	if (!res)
		*owned = !keep || !asym_op_keep_ctx(c->op, *ctx);
	return res;
}

/* r || s (each half bytes) from the DER SEQUENCE of two INTEGERs. */
static TEE_Result der_to_raw(const uint8_t *der, size_t der_len, uint8_t *out,
			     size_t half)
{
	const unsigned char *p = der;
	/* DSA and SM2 signatures have the same DER shape as ECDSA's */
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	TEE_Result res = TEE_ERROR_GENERIC;

	if (sig && half <= INT_MAX &&
	    BN_bn2binpad(ECDSA_SIG_get0_r(sig), out, (int)half) >= 0 &&
	    BN_bn2binpad(ECDSA_SIG_get0_s(sig), out + half, (int)half) >= 0)
		res = TEE_SUCCESS;
	ECDSA_SIG_free(sig);
	return res;
}

/* The DER SEQUENCE of two INTEGERs from r || s, 2 * half bytes. */
static TEE_Result raw_to_der(const uint8_t *raw, size_t half, uint8_t **der,
			     int *der_len)
{
	/* half is at most the size of a curve or of a DSA q: fits an int */
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, (int)half, NULL);
	BIGNUM *s = BN_bin2bn(raw + half, (int)half, NULL);
	TEE_Result res = TEE_ERROR_OUT_OF_MEMORY;

	if (sig && r && s && ECDSA_SIG_set0(sig, r, s)) {
		r = NULL;
		s = NULL;
		*der = NULL;
		*der_len = i2d_ECDSA_SIG(sig, der);
		if (*der_len > 0)
			res = TEE_SUCCESS;
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	return res;
}

static TEE_Result sign_pkey(const struct sig_call *c, uint8_t *sig,
			    size_t *sig_len)
{
	bool rsa = c->alg->kind == SIG_RSA_V15 || c->alg->kind == SIG_RSA_PSS;
	size_t half = rsa ? 0 : half_len(c);
	size_t need = rsa ? (size_t)EVP_PKEY_get_size(c->pkey) : 2 * half;
	EVP_PKEY_CTX *ctx = NULL;
	bool owned = false;
	uint8_t *der = NULL;
	size_t der_len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (*sig_len < need) {
		*sig_len = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	res = call_ctx(c, &ctx, &owned);
	if (!res && EVP_PKEY_sign(ctx, NULL, &der_len, c->digest,
				  c->digest_len) <= 0)
		res = TEE_ERROR_BAD_PARAMETERS;
	if (!res && !(der = OPENSSL_malloc(der_len)))
		res = TEE_ERROR_OUT_OF_MEMORY;
	if (!res && EVP_PKEY_sign(ctx, der, &der_len, c->digest,
				  c->digest_len) <= 0)
		res = TEE_ERROR_BAD_PARAMETERS;
	if (!res && rsa) {
		memcpy(sig, der, der_len);
		*sig_len = der_len;
	} else if (!res) {
		res = der_to_raw(der, der_len, sig, half);
		*sig_len = 2 * half;
	}
	OPENSSL_free(der);
	if (owned)
		EVP_PKEY_CTX_free(ctx);
	return res;
}

static TEE_Result verify_pkey(const struct sig_call *c, const uint8_t *sig,
			      size_t sig_len)
{
	bool rsa = c->alg->kind == SIG_RSA_V15 || c->alg->kind == SIG_RSA_PSS;
	size_t half = rsa ? 0 : half_len(c);
	EVP_PKEY_CTX *ctx = NULL;
	bool owned = false;
	uint8_t *der = NULL;
	int der_len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!rsa && sig_len != 2 * half)
		return c->alg->kind == SIG_DSA ? TEE_ERROR_SIGNATURE_INVALID :
						 TEE_ERROR_BAD_PARAMETERS;
	res = call_ctx(c, &ctx, &owned);
	if (!res && !rsa)
		res = raw_to_der(sig, half, &der, &der_len);
	if (!res && EVP_PKEY_verify(ctx, der ? der : sig,
				    der ? (size_t)der_len : sig_len,
				    c->digest, c->digest_len) != 1)
		res = TEE_ERROR_SIGNATURE_INVALID;
	OPENSSL_free(der);
	if (owned)
		EVP_PKEY_CTX_free(ctx);
	return res;
}

/* OP-TEE's checks of the Ed25519 parameters (pure Ed25519 only here). */
static TEE_Result ed25519_params(const struct sig_call *c)
{
	const TEE_Attribute *a = NULL;
	bool prehash = false;
	bool has_ctx = false;
	uint32_t n = 0;

	for (n = 0; n < c->count; n++) {
		a = &c->params[n];
		if (a->attributeID == TEE_ATTR_EDDSA_PREHASH) {
			if (a->content.value.b || a->content.value.a > 1)
				return TEE_ERROR_BAD_PARAMETERS;
			prehash = a->content.value.a;
		} else if (a->attributeID == TEE_ATTR_EDDSA_CTX) {
			if (has_ctx || a->content.ref.length > EDDSA_CTX_MAX)
				return TEE_ERROR_BAD_PARAMETERS;
			has_ctx = a->content.ref.length;
		} else {
			return TEE_ERROR_BAD_PARAMETERS;
		}
	}
	return prehash || has_ctx ? TEE_ERROR_NOT_SUPPORTED : TEE_SUCCESS;
}

static TEE_Result ed25519(const struct sig_call *c, uint8_t *sig,
			  size_t *sig_len, const uint8_t *to_verify,
			  size_t verify_len)
{
	EVP_MD_CTX *ctx = NULL;
	TEE_Result res = ed25519_params(c);

	if (!res && c->sign && *sig_len < ED25519_SIG_LEN) {
		*sig_len = ED25519_SIG_LEN;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (!res && !(ctx = EVP_MD_CTX_new()))
		res = TEE_ERROR_OUT_OF_MEMORY;
	if (!res && c->sign) {
		if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, c->pkey) <= 0 ||
		    EVP_DigestSign(ctx, sig, sig_len, c->digest,
				   c->digest_len) <= 0)
			res = TEE_ERROR_GENERIC;
	} else if (!res) {
		if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, c->pkey) <= 0 ||
		    EVP_DigestVerify(ctx, to_verify, verify_len, c->digest,
				     c->digest_len) != 1)
			res = TEE_ERROR_SIGNATURE_INVALID;
	}
	EVP_MD_CTX_free(ctx);
	return res;
}

/*
 * Signs (sig, *sig_len) or verifies (vsig, vsig_len) digest with the key
 * of op, as op's algorithm says.
 */
static TEE_Result run(struct __TEE_OperationHandle *op, struct sig_call *c,
		      uint8_t *sig, size_t *sig_len, const uint8_t *vsig,
		      size_t vsig_len)
{
	TEE_Result res = TEE_SUCCESS;

	c->op = op;
	c->alg = sig_alg_of(op->info.algorithm);
	if (!c->alg)
		return TEE_ERROR_NOT_SUPPORTED;
	if (c->alg->curve && asym_curve_of(op->key1) != c->alg->curve)
		return TEE_ERROR_BAD_PARAMETERS;
	res = asym_op_pkey(op, &c->pkey);
	if (!res)
		res = check_digest(c);
	if (!res && c->alg->kind == SIG_ED25519)
		res = ed25519(c, sig, sig_len, vsig, vsig_len);
	else if (!res && c->sign)
		res = sign_pkey(c, sig, sig_len);
	else if (!res)
		res = verify_pkey(c, vsig, vsig_len);
	EVP_PKEY_free(c->pkey);
	return res;
}

TEE_API TEE_Result TEE_AsymmetricSignDigest(TEE_OperationHandle operation,
					    const TEE_Attribute *params,
					    uint32_t paramCount,
					    const void *digest,
					    size_t digestLen, void *signature,
					    size_t *signatureLen)
{
	struct __TEE_OperationHandle *op = op_checked(operation);
	struct sig_call c = { .params = params, .count = paramCount,
			      .digest = digest, .digest_len = digestLen,
			      .sign = true };
	TEE_Result res = TEE_ERROR_BAD_PARAMETERS;

	if ((!digest && digestLen) || !signatureLen ||
	    (!signature && *signatureLen) || (!params && paramCount))
		TEE_Panic(0);
	if (asym_op_ready(op, TEE_OPERATION_ASYMMETRIC_SIGNATURE,
			  TEE_MODE_SIGN))
		res = run(op, &c, signature, signatureLen, NULL, 0);
	if (res != TEE_SUCCESS && res != TEE_ERROR_SHORT_BUFFER)
		TEE_Panic(res);
	return res;
}

TEE_API TEE_Result TEE_AsymmetricVerifyDigest(TEE_OperationHandle operation,
					      const TEE_Attribute *params,
					      uint32_t paramCount,
					      const void *digest,
					      size_t digestLen,
					      const void *signature,
					      size_t signatureLen)
{
	struct __TEE_OperationHandle *op = op_checked(operation);
	struct sig_call c = { .params = params, .count = paramCount,
			      .digest = digest, .digest_len = digestLen,
			      .sign = false };
	TEE_Result res = TEE_ERROR_BAD_PARAMETERS;

	if ((!digest && digestLen) || (!signature && signatureLen) ||
	    (!params && paramCount))
		TEE_Panic(0);
	if (asym_op_ready(op, TEE_OPERATION_ASYMMETRIC_SIGNATURE,
			  TEE_MODE_VERIFY))
		res = run(op, &c, NULL, NULL, signature, signatureLen);
	if (res != TEE_SUCCESS && res != TEE_ERROR_SIGNATURE_INVALID)
		TEE_Panic(res);
	return res;
}
