// SPDX-License-Identifier: BSD-2-Clause
/*
 * TEE_GenerateKey for the asymmetric key-pair types (GP TEE Internal Core
 * API v1.3.1, 5.6.5), called by object.c once the size and the
 * parameters are checked against the type.
 *
 * The generated object holds the attributes OP-TEE's core gives it:
 * - RSA: n, e, d, p, q, dp, dq, qInv; e is 65537 unless
 *   TEE_ATTR_RSA_PUBLIC_EXPONENT gives one, which must be odd and
 *   65537 <= e < 2^256 (as OP-TEE, after NIST SP 800-56B);
 * - DSA: the given p, q, g, and the new x, y;
 * - DH: the given p, g (and q), and the new x, y; TEE_ATTR_DH_X_BITS sets
 *   the bit length of x when there is no q;
 * - ECDSA, ECDH: d, X, Y and TEE_ATTR_ECC_CURVE; SM2 types: d, X, Y;
 * - Ed25519, X25519: the 32-byte private and public keys.
 * Numbers are big-endian without leading zeros, as OP-TEE exports them.
 * A keySize that does not match the curve or the domain parameters is
 * TEE_ERROR_BAD_PARAMETERS (object.c panics, as OP-TEE).
 *
 * Differences, on purpose or forced:
 * - OpenSSL 3 makes no RSA key under 512 bits; OP-TEE's lower limit is
 *   256: sizes 256..511 return TEE_ERROR_NOT_SUPPORTED;
 * - TEE_ATTR_DH_X_BITS is not kept in the generated object (OP-TEE keeps
 *   it): obj_set_attrs() checks attributes as populate does, which
 *   refuses it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <tee_internal_api.h>
#include <util.h>

#include "libtee_internal.h"

#define RSA_E_DEFAULT	65537
#define RSA_MIN_BITS	512	/* OpenSSL's RSA_MIN_MODULUS_BITS */

/* The attributes of a new key, their buffers owned; first failure in res. */
struct keyattrs {
	TEE_Attribute a[8];
	size_t n;
	TEE_Result res;
};

static TEE_Attribute *next_attr(struct keyattrs *k, uint32_t id)
{
	TEE_Attribute *a = NULL;

	if (k->res)
		return NULL;
	if (k->n == ARRAY_SIZE(k->a)) {
		k->res = TEE_ERROR_GENERIC;
		return NULL;
	}
	a = &k->a[k->n++];
	a->attributeID = id;
	return a;
}

/* Adds id with an owned copy of len bytes (NULL p: len zero bytes). */
static void add_bytes(struct keyattrs *k, uint32_t id, const void *p,
		      size_t len)
{
	TEE_Attribute *a = next_attr(k, id);
	uint8_t *copy = NULL;

	if (!a)
		return;
	copy = calloc(1, len ? len : 1);
	if (!copy) {
		k->n--;
		k->res = TEE_ERROR_OUT_OF_MEMORY;
		return;
	}
	if (p && len)
		memcpy(copy, p, len);
	a->content.ref.buffer = copy;
	a->content.ref.length = len;
}

/* Adds id with the big-number parameter name of pkey, big-endian. */
static void add_bn(struct keyattrs *k, uint32_t id, const EVP_PKEY *pkey,
		   const char *name)
{
	BIGNUM *bn = NULL;
	TEE_Attribute *a = NULL;

	if (k->res)
		return;
	if (!EVP_PKEY_get_bn_param(pkey, name, &bn)) {
		k->res = TEE_ERROR_GENERIC;
		return;
	}
	add_bytes(k, id, NULL, (size_t)BN_num_bytes(bn));
	if (!k->res) {
		a = &k->a[k->n - 1];
		BN_bn2bin(bn, a->content.ref.buffer);
	}
	BN_clear_free(bn);
}

/* Adds id with the raw private or public key of a Curve25519 pkey. */
static void add_raw(struct keyattrs *k, uint32_t id, const EVP_PKEY *pkey,
		    bool priv)
{
	uint8_t raw[32] = { 0 };
	size_t len = sizeof(raw);
	int ok = 0;

	if (k->res)
		return;
	if (priv)
		ok = EVP_PKEY_get_raw_private_key(pkey, raw, &len);
	else
		ok = EVP_PKEY_get_raw_public_key(pkey, raw, &len);
	if (ok && len == sizeof(raw))
		add_bytes(k, id, raw, len);
	else
		k->res = TEE_ERROR_GENERIC;
	OPENSSL_cleanse(raw, sizeof(raw));
}

/* Adds a copy of the parameter id of params (a buffer attribute). */
static void add_param(struct keyattrs *k, const TEE_Attribute *params,
		      uint32_t count, uint32_t id)
{
	const TEE_Attribute *p = asym_param(params, count, id);

	if (p)
		add_bytes(k, id, p->content.ref.buffer, p->content.ref.length);
}

static void add_value(struct keyattrs *k, uint32_t id, uint32_t value)
{
	TEE_Attribute *a = next_attr(k, id);

	if (a) {
		a->content.value.a = value;
		a->content.value.b = 0;
	}
}

/* Stores the attributes into h (unless one failed) and frees them. */
static TEE_Result keyattrs_store(struct keyattrs *k, TEE_ObjectHandle h)
{
	TEE_Result res = k->res;
	size_t n = 0;

	if (!res)
		res = obj_set_attrs(h, k->a, (uint32_t)k->n);
	for (n = 0; n < k->n; n++)
		if (!(k->a[n].attributeID & TEE_ATTR_FLAG_VALUE))
			OPENSSL_clear_free(k->a[n].content.ref.buffer,
					   k->a[n].content.ref.length);
	return res;
}

/* The big number of buffer parameter id, or NULL (absent, too long or no
 * memory). */
static BIGNUM *param_bn(const TEE_Attribute *params, uint32_t count,
			uint32_t id)
{
	const TEE_Attribute *p = asym_param(params, count, id);

	if (!p || p->content.ref.length > INT32_MAX)
		return NULL;
	return BN_bin2bn(p->content.ref.buffer, (int)p->content.ref.length,
			 NULL);
}

/* OP-TEE's rule for a chosen RSA public exponent. */
static bool rsa_e_acceptable(const BIGNUM *e)
{
	return BN_is_odd(e) && BN_num_bits(e) <= 256 &&
	       (BN_num_bits(e) > 17 || BN_get_word(e) >= RSA_E_DEFAULT);
}

static TEE_Result gen_rsa(TEE_ObjectHandle h, uint32_t bits,
			  const TEE_Attribute *params, uint32_t count)
{
	bool given = asym_param(params, count, TEE_ATTR_RSA_PUBLIC_EXPONENT);
	struct keyattrs k = { .res = TEE_SUCCESS };
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *e = given ? param_bn(params, count,
				     TEE_ATTR_RSA_PUBLIC_EXPONENT) :
			    BN_new();
	TEE_Result res = TEE_SUCCESS;

	if (!e || (!given && !BN_set_word(e, RSA_E_DEFAULT)))
		res = TEE_ERROR_OUT_OF_MEMORY;
	else if (!rsa_e_acceptable(e))
		res = TEE_ERROR_BAD_PARAMETERS;
	else if (bits < RSA_MIN_BITS)
		res = TEE_ERROR_NOT_SUPPORTED;
	if (!res) {
		ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
		if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
		    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) <= 0 ||
		    EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) <= 0 ||
		    EVP_PKEY_keygen(ctx, &pkey) <= 0)
			res = TEE_ERROR_GENERIC;
	}
	if (!res) {
		add_bn(&k, TEE_ATTR_RSA_MODULUS, pkey, OSSL_PKEY_PARAM_RSA_N);
		add_bn(&k, TEE_ATTR_RSA_PUBLIC_EXPONENT, pkey,
		       OSSL_PKEY_PARAM_RSA_E);
		add_bn(&k, TEE_ATTR_RSA_PRIVATE_EXPONENT, pkey,
		       OSSL_PKEY_PARAM_RSA_D);
		add_bn(&k, TEE_ATTR_RSA_PRIME1, pkey,
		       OSSL_PKEY_PARAM_RSA_FACTOR1);
		add_bn(&k, TEE_ATTR_RSA_PRIME2, pkey,
		       OSSL_PKEY_PARAM_RSA_FACTOR2);
		add_bn(&k, TEE_ATTR_RSA_EXPONENT1, pkey,
		       OSSL_PKEY_PARAM_RSA_EXPONENT1);
		add_bn(&k, TEE_ATTR_RSA_EXPONENT2, pkey,
		       OSSL_PKEY_PARAM_RSA_EXPONENT2);
		add_bn(&k, TEE_ATTR_RSA_COEFFICIENT, pkey,
		       OSSL_PKEY_PARAM_RSA_COEFFICIENT1);
		res = keyattrs_store(&k, h);
	}
	BN_free(e);
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	return res;
}

/*
 * A new key of OpenSSL type name ("DSA", "DH") on the domain parameters
 * ids[] = { p, q, g } of params (q optional for DH), whose p must have
 * bits bits; xbits, when not zero, is the bit length of the private value.
 */
static TEE_Result gen_ffc(const char *name, uint32_t bits,
			  const TEE_Attribute *params, uint32_t count,
			  const uint32_t ids[3], uint32_t xbits,
			  EVP_PKEY **out)
{
	static const char *const keys[3] = { OSSL_PKEY_PARAM_FFC_P,
					     OSSL_PKEY_PARAM_FFC_Q,
					     OSSL_PKEY_PARAM_FFC_G };
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *dom = NULL;
	BIGNUM *v[3] = { NULL };
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY_CTX *gen = NULL;
	EVP_PKEY *dp = NULL;
	int priv_len = (int)MIN(xbits, (uint32_t)INT32_MAX);
	OSSL_PARAM len[2] = {
		OSSL_PARAM_construct_int(OSSL_PKEY_PARAM_DH_PRIV_LEN,
					 &priv_len),
		OSSL_PARAM_END
	};
	size_t n = 0;
	TEE_Result res = bld ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;

	for (n = 0; n < 3 && !res; n++) {
		if (!asym_param(params, count, ids[n]))
			continue;
		v[n] = param_bn(params, count, ids[n]);
		if (!v[n] || !OSSL_PARAM_BLD_push_BN(bld, keys[n], v[n]))
			res = TEE_ERROR_OUT_OF_MEMORY;
	}
	if (!res && (!v[0] || (uint32_t)BN_num_bits(v[0]) != bits ||
		     xbits > INT32_MAX))
		res = TEE_ERROR_BAD_PARAMETERS;
	if (!res && !(dom = OSSL_PARAM_BLD_to_param(bld)))
		res = TEE_ERROR_OUT_OF_MEMORY;
	if (!res) {
		ctx = fetch_fromdata(name);
		if (!ctx || EVP_PKEY_fromdata(ctx, &dp, EVP_PKEY_KEY_PARAMETERS,
					      dom) <= 0)
			res = TEE_ERROR_BAD_PARAMETERS;
	}
	if (!res) {
		gen = EVP_PKEY_CTX_new_from_pkey(NULL, dp, NULL);
		if (!gen || EVP_PKEY_keygen_init(gen) <= 0 ||
		    (xbits && EVP_PKEY_CTX_set_params(gen, len) <= 0) ||
		    EVP_PKEY_keygen(gen, out) <= 0)
			res = TEE_ERROR_BAD_PARAMETERS;
	}
	for (n = 0; n < 3; n++)
		BN_free(v[n]);
	EVP_PKEY_CTX_free(gen);
	EVP_PKEY_free(dp);
	OSSL_PARAM_free(dom);
	OSSL_PARAM_BLD_free(bld);
	return res;
}

static TEE_Result gen_dsa(TEE_ObjectHandle h, uint32_t bits,
			  const TEE_Attribute *params, uint32_t count)
{
	static const uint32_t ids[3] = { TEE_ATTR_DSA_PRIME,
					 TEE_ATTR_DSA_SUBPRIME,
					 TEE_ATTR_DSA_BASE };
	struct keyattrs k = { .res = TEE_SUCCESS };
	EVP_PKEY *pkey = NULL;
	TEE_Result res = gen_ffc("DSA", bits, params, count, ids, 0, &pkey);

	if (!res) {
		add_param(&k, params, count, TEE_ATTR_DSA_PRIME);
		add_param(&k, params, count, TEE_ATTR_DSA_SUBPRIME);
		add_param(&k, params, count, TEE_ATTR_DSA_BASE);
		add_bn(&k, TEE_ATTR_DSA_PRIVATE_VALUE, pkey,
		       OSSL_PKEY_PARAM_PRIV_KEY);
		add_bn(&k, TEE_ATTR_DSA_PUBLIC_VALUE, pkey,
		       OSSL_PKEY_PARAM_PUB_KEY);
		res = keyattrs_store(&k, h);
	}
	EVP_PKEY_free(pkey);
	return res;
}

static TEE_Result gen_dh(TEE_ObjectHandle h, uint32_t bits,
			 const TEE_Attribute *params, uint32_t count)
{
	static const uint32_t ids[3] = { TEE_ATTR_DH_PRIME,
					 TEE_ATTR_DH_SUBPRIME,
					 TEE_ATTR_DH_BASE };
	const TEE_Attribute *xbits = asym_param(params, count,
						TEE_ATTR_DH_X_BITS);
	struct keyattrs k = { .res = TEE_SUCCESS };
	EVP_PKEY *pkey = NULL;
	TEE_Result res = gen_ffc("DH", bits, params, count, ids,
				 xbits ? xbits->content.value.a : 0, &pkey);

	if (!res) {
		add_param(&k, params, count, TEE_ATTR_DH_PRIME);
		add_param(&k, params, count, TEE_ATTR_DH_BASE);
		add_param(&k, params, count, TEE_ATTR_DH_SUBPRIME);
		add_bn(&k, TEE_ATTR_DH_PRIVATE_VALUE, pkey,
		       OSSL_PKEY_PARAM_PRIV_KEY);
		add_bn(&k, TEE_ATTR_DH_PUBLIC_VALUE, pkey,
		       OSSL_PKEY_PARAM_PUB_KEY);
		res = keyattrs_store(&k, h);
	}
	EVP_PKEY_free(pkey);
	return res;
}

/* ECDSA, ECDH (curve from TEE_ATTR_ECC_CURVE) and SM2 key pairs. */
static TEE_Result gen_ec(TEE_ObjectHandle h, uint32_t bits,
			 const TEE_Attribute *params, uint32_t count)
{
	bool sm2 = asym_is_sm2_type(h->info.objectType);
	const TEE_Attribute *c = asym_param(params, count, TEE_ATTR_ECC_CURVE);
	uint32_t curve = TEE_ECC_CURVE_SM2;
	struct keyattrs k = { .res = TEE_SUCCESS };
	const char *group = NULL;
	uint32_t curve_bits = 0;
	OSSL_PARAM gp[2] = { OSSL_PARAM_END, OSSL_PARAM_END };
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	TEE_Result res = TEE_SUCCESS;

	if (!sm2)
		curve = c ? c->content.value.a : TEE_CRYPTO_ELEMENT_NONE;
	if (!asym_curve(curve, &group, &curve_bits))
		res = TEE_ERROR_NOT_SUPPORTED;
	else if (bits != curve_bits)
		res = TEE_ERROR_BAD_PARAMETERS;
	if (!res) {
		gp[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_PKEY_PARAM_GROUP_NAME, (char *)group, 0);
		ctx = EVP_PKEY_CTX_new_from_name(NULL, sm2 ? "SM2" : "EC",
						 NULL);
		if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
		    EVP_PKEY_CTX_set_params(ctx, gp) <= 0 ||
		    EVP_PKEY_keygen(ctx, &pkey) <= 0)
			res = TEE_ERROR_GENERIC;
	}
	if (!res) {
		add_bn(&k, TEE_ATTR_ECC_PRIVATE_VALUE, pkey,
		       OSSL_PKEY_PARAM_PRIV_KEY);
		add_bn(&k, TEE_ATTR_ECC_PUBLIC_VALUE_X, pkey,
		       OSSL_PKEY_PARAM_EC_PUB_X);
		add_bn(&k, TEE_ATTR_ECC_PUBLIC_VALUE_Y, pkey,
		       OSSL_PKEY_PARAM_EC_PUB_Y);
		if (!sm2)
			add_value(&k, TEE_ATTR_ECC_CURVE, curve);
		res = keyattrs_store(&k, h);
	}
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	return res;
}

/* Ed25519 and X25519 key pairs. */
static TEE_Result gen_25519(TEE_ObjectHandle h, const char *name,
			    uint32_t priv_id, uint32_t pub_id)
{
	struct keyattrs k = { .res = TEE_SUCCESS };
	EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, name);
	TEE_Result res = TEE_SUCCESS;

	if (!pkey) {
		res = TEE_ERROR_GENERIC;
	} else {
		add_raw(&k, priv_id, pkey, true);
		add_raw(&k, pub_id, pkey, false);
		res = keyattrs_store(&k, h);
	}
	EVP_PKEY_free(pkey);
	return res;
}

TEE_Result asym_generate_key(TEE_ObjectHandle h, uint32_t key_size,
			     const TEE_Attribute *params, uint32_t count)
{
	switch (h->info.objectType) {
	case TEE_TYPE_RSA_KEYPAIR:
		return gen_rsa(h, key_size, params, count);
	case TEE_TYPE_DSA_KEYPAIR:
		return gen_dsa(h, key_size, params, count);
	case TEE_TYPE_DH_KEYPAIR:
		return gen_dh(h, key_size, params, count);
	case TEE_TYPE_ECDSA_KEYPAIR:
	case TEE_TYPE_ECDH_KEYPAIR:
	case TEE_TYPE_SM2_DSA_KEYPAIR:
	case TEE_TYPE_SM2_PKE_KEYPAIR:
	case TEE_TYPE_SM2_KEP_KEYPAIR:
		return gen_ec(h, key_size, params, count);
	case TEE_TYPE_ED25519_KEYPAIR:
		return gen_25519(h, "ED25519", TEE_ATTR_ED25519_PRIVATE_VALUE,
				 TEE_ATTR_ED25519_PUBLIC_VALUE);
	case TEE_TYPE_X25519_KEYPAIR:
		return gen_25519(h, "X25519", TEE_ATTR_X25519_PRIVATE_VALUE,
				 TEE_ATTR_X25519_PUBLIC_VALUE);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
