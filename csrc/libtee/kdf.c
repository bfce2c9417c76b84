// SPDX-License-Identifier: BSD-2-Clause
/*
 * The key derivation functions of TEE_DeriveKey besides key agreement:
 * OP-TEE's extensions (<tee_api_defines_extensions.h>, OP-TEE's docs
 * "HKDF", "Concat KDF", "PBKDF2") and GP v1.3.1's TEE_ALG_HKDF.
 * - TEE_ALG_HKDF_<MD5|SHA1|SHA224..512>_DERIVE_KEY: RFC 5869 from the
 *   TEE_ATTR_HKDF_IKM of a TEE_TYPE_HKDF_IKM object; parameters
 *   __OPTEE_ATTR_HKDF_SALT, __OPTEE_ATTR_HKDF_INFO (optional),
 *   TEE_ATTR_HKDF_OKM_LENGTH (required, bytes, at most 255 hashes);
 * - TEE_ALG_HKDF: the same on the key object OP-TEE gives it
 *   (TEE_TYPE_HKDF_IKM), the hash TEE_ATTR_HKDF_HASH_ALGORITHM (a
 *   TEE_ALG_<hash>, SHA-256 when absent) and the length
 *   TEE_ATTR_HKDF_OKM_LENGTH or TEE_ATTR_KDF_KEY_SIZE (bytes); salt and
 *   info under GP's ids TEE_ATTR_HKDF_SALT / _INFO, which the
 *   extensions take too;
 * - TEE_ALG_CONCAT_KDF_<SHA1|SHA224..512>_DERIVE_KEY: NIST SP 800-56A
 *   5.8.1 from the TEE_ATTR_CONCAT_KDF_Z of a TEE_TYPE_CONCAT_KDF_Z object;
 *   TEE_ATTR_CONCAT_KDF_OTHER_INFO (optional),
 *   TEE_ATTR_CONCAT_KDF_DKM_LENGTH (required, bytes);
 * - TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY: RFC 8018 from the
 *   TEE_ATTR_PBKDF2_PASSWORD of a TEE_TYPE_PBKDF2_PASSWORD object;
 *   TEE_ATTR_PBKDF2_SALT (optional), TEE_ATTR_PBKDF2_DKM_LENGTH and
 *   TEE_ATTR_PBKDF2_ITERATION_COUNT (required).
 * As in OP-TEE's core, the first of a repeated parameter counts, any
 * other parameter is TEE_ERROR_BAD_PARAMETERS, and so is a length that
 * does not fit the derived key object.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <tee_api_defines_extensions.h>
#include <tee_internal_api.h>
#include <util.h>

#include "libtee_internal.h"

/* The parameters of one derivation. */
enum { KDF_SALT, KDF_INFO, KDF_LEN, KDF_ITER, KDF_HASH, KDF_NPARAMS };

struct kdf_alg {
	uint32_t alg;
	const char *kdf;	/* OpenSSL's name, NULL for PBKDF2 */
	uint32_t hash;
	uint32_t key_attr;
	uint32_t ids[KDF_NPARAMS][2];	/* the ids of each; 0: none */
};

/* OP-TEE's HKDF, and GP's: salt and info under both ids, hash for GP's. */
#define HKDF_ALG(a, h, hash_id) { (a), "HKDF", (h), TEE_ATTR_HKDF_IKM, { \
	{ __OPTEE_ATTR_HKDF_SALT, TEE_ATTR_HKDF_SALT }, \
	{ __OPTEE_ATTR_HKDF_INFO, TEE_ATTR_HKDF_INFO }, \
	{ TEE_ATTR_HKDF_OKM_LENGTH, (hash_id) ? TEE_ATTR_KDF_KEY_SIZE : 0 }, \
	{ 0, 0 }, { (hash_id), 0 } } }
#define CONCAT_ALG(a, h) { (a), "SSKDF", (h), TEE_ATTR_CONCAT_KDF_Z, { \
	{ 0, 0 }, { TEE_ATTR_CONCAT_KDF_OTHER_INFO, 0 }, \
	{ TEE_ATTR_CONCAT_KDF_DKM_LENGTH, 0 }, { 0, 0 }, { 0, 0 } } }

static const struct kdf_alg kdf_algs[] = {
	HKDF_ALG(TEE_ALG_HKDF, TEE_ALG_SHA256, TEE_ATTR_HKDF_HASH_ALGORITHM),
	HKDF_ALG(TEE_ALG_HKDF_MD5_DERIVE_KEY, TEE_ALG_MD5, 0),
	HKDF_ALG(TEE_ALG_HKDF_SHA1_DERIVE_KEY, TEE_ALG_SHA1, 0),
	HKDF_ALG(TEE_ALG_HKDF_SHA224_DERIVE_KEY, TEE_ALG_SHA224, 0),
	HKDF_ALG(TEE_ALG_HKDF_SHA256_DERIVE_KEY, TEE_ALG_SHA256, 0),
	HKDF_ALG(TEE_ALG_HKDF_SHA384_DERIVE_KEY, TEE_ALG_SHA384, 0),
	HKDF_ALG(TEE_ALG_HKDF_SHA512_DERIVE_KEY, TEE_ALG_SHA512, 0),
	CONCAT_ALG(TEE_ALG_CONCAT_KDF_SHA1_DERIVE_KEY, TEE_ALG_SHA1),
	CONCAT_ALG(TEE_ALG_CONCAT_KDF_SHA224_DERIVE_KEY, TEE_ALG_SHA224),
	CONCAT_ALG(TEE_ALG_CONCAT_KDF_SHA256_DERIVE_KEY, TEE_ALG_SHA256),
	CONCAT_ALG(TEE_ALG_CONCAT_KDF_SHA384_DERIVE_KEY, TEE_ALG_SHA384),
	CONCAT_ALG(TEE_ALG_CONCAT_KDF_SHA512_DERIVE_KEY, TEE_ALG_SHA512),
	{ TEE_ALG_PBKDF2_HMAC_SHA1_DERIVE_KEY, NULL, TEE_ALG_SHA1,
	  TEE_ATTR_PBKDF2_PASSWORD, {
		{ TEE_ATTR_PBKDF2_SALT, 0 }, { 0, 0 },
		{ TEE_ATTR_PBKDF2_DKM_LENGTH, 0 },
		{ TEE_ATTR_PBKDF2_ITERATION_COUNT, 0 }, { 0, 0 } } },
};

/* Sorts params into in[] by the ids of a; false for a foreign one. */
static bool sort_params(const struct kdf_alg *a, const TEE_Attribute *params,
			uint32_t count, const TEE_Attribute *in[KDF_NPARAMS])
{
	uint32_t id = 0;
	uint32_t n = 0;
	size_t k = 0;
	bool known = false;

	for (n = 0; n < count; n++) {
		id = params[n].attributeID;
		known = false;
		for (k = 0; k < KDF_NPARAMS; k++) {
			if (!id || (id != a->ids[k][0] && id != a->ids[k][1]))
				continue;
			if (!in[k])
				in[k] = &params[n];
			known = true;
		}
		if (!known)
			return false;
	}
	return true;
}

/* A buffer parameter as an OSSL_PARAM octet string (empty if absent). */
static OSSL_PARAM octets(const char *name, const TEE_Attribute *a)
{
	static uint8_t none;

	if (!a || !a->content.ref.length)
		return OSSL_PARAM_construct_octet_string(name, &none, 0);
	return OSSL_PARAM_construct_octet_string(name, a->content.ref.buffer,
						 a->content.ref.length);
}

/* HKDF and Concat KDF through OpenSSL's EVP_KDF. */
static TEE_Result evp_kdf(const struct kdf_alg *a, const EVP_MD *md,
			  const TEE_Attribute *ikm,
			  const TEE_Attribute *in[KDF_NPARAMS], uint8_t *out,
			  size_t len)
{
	EVP_KDF *kdf = fetch_kdf(a->kdf);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[5] = { OSSL_PARAM_END };
	size_t n = 0;
	TEE_Result res = TEE_SUCCESS;

	p[n++] = OSSL_PARAM_construct_utf8_string(
		OSSL_KDF_PARAM_DIGEST, (char *)EVP_MD_get0_name(md), 0);
	p[n++] = octets(OSSL_KDF_PARAM_KEY, ikm);
	/* RFC 5869: no salt is a salt of zeros, which OpenSSL uses unset */
	if (in[KDF_SALT] && in[KDF_SALT]->content.ref.length)
		p[n++] = octets(OSSL_KDF_PARAM_SALT, in[KDF_SALT]);
	if (in[KDF_INFO] && in[KDF_INFO]->content.ref.length)
		p[n++] = octets(OSSL_KDF_PARAM_INFO, in[KDF_INFO]);
	p[n] = OSSL_PARAM_construct_end();
	if (!ctx)
		res = TEE_ERROR_OUT_OF_MEMORY;
	else if (EVP_KDF_derive(ctx, out, len, p) <= 0)
		res = TEE_ERROR_BAD_PARAMETERS;
	EVP_KDF_CTX_free(ctx);
	return res;
}

static TEE_Result pbkdf2(const TEE_Attribute *pass,
			 const TEE_Attribute *in[KDF_NPARAMS], uint8_t *out,
			 size_t len)
{
	const TEE_Attribute *salt = in[KDF_SALT];
	size_t salt_len = salt ? salt->content.ref.length : 0;
	uint32_t iter = in[KDF_ITER]->content.value.a;

	if (!iter || iter > INT_MAX || pass->content.ref.length > INT_MAX ||
	    salt_len > INT_MAX || len > INT_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	if (!PKCS5_PBKDF2_HMAC(pass->content.ref.buffer,
			       (int)pass->content.ref.length,
			       salt_len ? salt->content.ref.buffer : NULL,
			       (int)salt_len, (int)iter, EVP_sha1(), (int)len,
			       out))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

TEE_Result kdf_derive(uint32_t alg, TEE_ObjectHandle key,
		      const TEE_Attribute *params, uint32_t count,
		      size_t max_len, uint8_t **out, size_t *out_len)
{
	const TEE_Attribute *in[KDF_NPARAMS] = { NULL };
	const struct kdf_alg *a = NULL;
	const TEE_Attribute *ikm = NULL;
	const EVP_MD *md = NULL;
	size_t len = 0;
	size_t n = 0;
	TEE_Result res = TEE_SUCCESS;

	for (n = 0; n < ARRAY_SIZE(kdf_algs); n++)
		if (kdf_algs[n].alg == alg)
			a = &kdf_algs[n];
	if (!a)
		return TEE_ERROR_NOT_SUPPORTED;
	ikm = obj_attr(key, a->key_attr);
	if (!ikm || !sort_params(a, params, count, in) || !in[KDF_LEN] ||
	    (a->ids[KDF_ITER][0] && !in[KDF_ITER]))
		return TEE_ERROR_BAD_PARAMETERS;
	md = asym_md(in[KDF_HASH] ? in[KDF_HASH]->content.value.a : a->hash);
	len = in[KDF_LEN]->content.value.a;
	if (!md || !len || len > max_len)
		return TEE_ERROR_BAD_PARAMETERS;
	*out = OPENSSL_malloc(len);
	if (!*out)
		return TEE_ERROR_OUT_OF_MEMORY;
	if (a->kdf)
		res = evp_kdf(a, md, ikm, in, *out, len);
	else
		res = pbkdf2(ikm, in, *out, len);
	if (res) {
		OPENSSL_clear_free(*out, len);
		*out = NULL;
	} else {
		*out_len = len;
	}
	return res;
}
