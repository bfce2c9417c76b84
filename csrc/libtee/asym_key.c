// SPDX-License-Identifier: BSD-2-Clause
/*
 * Asymmetric keys between GP object attributes and OpenSSL's EVP_PKEY,
 * and the small tables the asymmetric operations share (curves, digests).
 *
 * GP, like OP-TEE, keeps every number of a key as a big-endian unsigned
 * octet string attribute: RSA n, e, d, p, q, dp, dq, qInv; DSA and DH p,
 * q, g, y, x; ECC d and the public point as X and Y with the curve as a
 * value attribute (none for the SM2 types, whose curve is fixed); the
 * Curve25519 keys as their 32-byte RFC 7748 / RFC 8032 encodings.
 * OpenSSL 3 builds keys from OSSL_PARAMs (EVP_PKEY_fromdata).
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <tee_internal_api.h>
#include <util.h>

#include "libtee_internal.h"

/* Largest field of a supported curve (P-521), in bytes. */
#define EC_MAX_BYTES	66

struct curve {
	uint32_t id;
	const char *group;
	uint32_t bits;
};

static const struct curve curves[] = {
	{ TEE_ECC_CURVE_NIST_P192, "prime192v1", 192 },
	{ TEE_ECC_CURVE_NIST_P224, "secp224r1", 224 },
	{ TEE_ECC_CURVE_NIST_P256, "prime256v1", 256 },
	{ TEE_ECC_CURVE_NIST_P384, "secp384r1", 384 },
	{ TEE_ECC_CURVE_NIST_P521, "secp521r1", 521 },
	{ TEE_ECC_CURVE_SM2, "SM2", 256 },
};

bool asym_curve(uint32_t curve, const char **group, uint32_t *bits)
{
	size_t n = 0;

	for (n = 0; n < ARRAY_SIZE(curves); n++) {
		if (curves[n].id == curve) {
			*group = curves[n].group;
			*bits = curves[n].bits;
			return true;
		}
	}
	return false;
}

const EVP_MD *asym_md(uint32_t hash_alg)
{
	switch (hash_alg) {
	case TEE_ALG_MD5:
		return EVP_md5();
	case TEE_ALG_SHA1:
		return EVP_sha1();
	case TEE_ALG_SHA224:
		return EVP_sha224();
	case TEE_ALG_SHA256:
		return EVP_sha256();
	case TEE_ALG_SHA384:
		return EVP_sha384();
	case TEE_ALG_SHA512:
		return EVP_sha512();
	case TEE_ALG_SM3:
		return EVP_sm3();
	case TEE_ALG_SHA3_224:
		return EVP_sha3_224();
	case TEE_ALG_SHA3_256:
		return EVP_sha3_256();
	case TEE_ALG_SHA3_384:
		return EVP_sha3_384();
	case TEE_ALG_SHA3_512:
		return EVP_sha3_512();
	default:
		return NULL;
	}
}

const TEE_Attribute *asym_param(const TEE_Attribute *attrs, uint32_t count,
				uint32_t id)
{
	uint32_t n = 0;

	for (n = 0; n < count; n++)
		if (attrs[n].attributeID == id)
			return &attrs[n];
	return NULL;
}

bool asym_op_ready(struct __TEE_OperationHandle *op, uint32_t op_class,
		   uint32_t mode)
{
	if (!op->key1 || op->info.operationClass != op_class ||
	    op->info.mode != mode)
		TEE_Panic(0);
	return op->info.handleState & TEE_HANDLE_FLAG_KEY_SET;
}

bool asym_is_sm2_type(uint32_t type)
{
	switch (type) {
	case TEE_TYPE_SM2_DSA_KEYPAIR:
	case TEE_TYPE_SM2_DSA_PUBLIC_KEY:
	case TEE_TYPE_SM2_PKE_KEYPAIR:
	case TEE_TYPE_SM2_PKE_PUBLIC_KEY:
	case TEE_TYPE_SM2_KEP_KEYPAIR:
	case TEE_TYPE_SM2_KEP_PUBLIC_KEY:
		return true;
	default:
		return false;
	}
}

uint32_t asym_curve_of(TEE_ObjectHandle h)
{
	const TEE_Attribute *a = obj_attr(h, TEE_ATTR_ECC_CURVE);

	if (asym_is_sm2_type(h->info.objectType))
		return TEE_ECC_CURVE_SM2;
	return a ? a->content.value.a : TEE_CRYPTO_ELEMENT_NONE;
}

/*
 * An OSSL_PARAM builder and the big numbers and point pushed into it,
 * which must live until the parameters are built (the builder keeps
 * pointers).  The first failure sticks in res.
 */
struct builder {
	OSSL_PARAM_BLD *bld;
	BIGNUM *bn[8];
	size_t nbn;
	uint8_t point[1 + 2 * EC_MAX_BYTES];
	TEE_Result res;
};

static void push_bytes_bn(struct builder *b, const char *name,
			  const void *buf, size_t len)
{
	BIGNUM *bn = NULL;

	if (b->res)
		return;
	if (len > INT_MAX || b->nbn == ARRAY_SIZE(b->bn)) {
		b->res = TEE_ERROR_BAD_PARAMETERS;
		return;
	}
	bn = BN_bin2bn(buf, (int)len, NULL);
	if (!bn) {
		b->res = TEE_ERROR_OUT_OF_MEMORY;
		return;
	}
	b->bn[b->nbn++] = bn;
	if (!OSSL_PARAM_BLD_push_BN(b->bld, name, bn))
		b->res = TEE_ERROR_OUT_OF_MEMORY;
}

/* Pushes big-number attribute id of h; a missing one is an error. */
static void push_bn(struct builder *b, const char *name, TEE_ObjectHandle h,
		    uint32_t id)
{
	const TEE_Attribute *a = obj_attr(h, id);

	if (!a) {
		if (!b->res)
			b->res = TEE_ERROR_BAD_PARAMETERS;
		return;
	}
	push_bytes_bn(b, name, a->content.ref.buffer, a->content.ref.length);
}

static void push_utf8(struct builder *b, const char *name, const char *value)
{
	if (!b->res && !OSSL_PARAM_BLD_push_utf8_string(b->bld, name, value, 0))
		b->res = TEE_ERROR_OUT_OF_MEMORY;
}

/*
 * Writes the big-endian number of buffer attribute a into out, left-padded
 * to len bytes; false if it does not fit.
 */
static bool put_coord(uint8_t *out, size_t len, const TEE_Attribute *a)
{
	const uint8_t *p = a->content.ref.buffer;
	size_t n = a->content.ref.length;

	while (n && !*p) {
		p++;
		n--;
	}
	if (n > len)
		return false;
	if (n)
		memcpy(out + len - n, p, n);
	return true;
}

/*
 * Pushes the uncompressed encoding 04 || X || Y of a point, each
 * coordinate left-padded to the field size of a curve of bits bits.
 */
static void push_point(struct builder *b, uint32_t bits, const TEE_Attribute *x,
		       const TEE_Attribute *y)
{
	uint8_t *pt = b->point;
	size_t len = (bits + 7) / 8;

	if (b->res)
		return;
	if (!x || !y || !put_coord(pt + 1, len, x) ||
	    !put_coord(pt + 1 + len, len, y)) {
		b->res = TEE_ERROR_BAD_PARAMETERS;
		return;
	}
	pt[0] = 0x04;
	if (!OSSL_PARAM_BLD_push_octet_string(b->bld, OSSL_PKEY_PARAM_PUB_KEY,
					      pt, 1 + 2 * len))
		b->res = TEE_ERROR_OUT_OF_MEMORY;
}

/*
 * The key of type name (EVP_PKEY_KEYPAIR or EVP_PKEY_PUBLIC_KEY) from b,
 * through the type's shared EVP_PKEY_fromdata() context (fetch.c).
 */
static TEE_Result build(struct builder *b, const char *name, int selection,
			EVP_PKEY **out)
{
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM *params = NULL;
	TEE_Result res = b->res;

	if (!res) {
		params = OSSL_PARAM_BLD_to_param(b->bld);
		ctx = fetch_fromdata(name);
		if (!params || !ctx)
			res = TEE_ERROR_OUT_OF_MEMORY;
	}
	if (!res && EVP_PKEY_fromdata(ctx, out, selection, params) <= 0)
		res = TEE_ERROR_BAD_PARAMETERS;
	OSSL_PARAM_free(params);
	return res;
}

static bool has_rsa_crt(TEE_ObjectHandle h)
{
	return obj_attr(h, TEE_ATTR_RSA_PRIME1) &&
	       obj_attr(h, TEE_ATTR_RSA_PRIME2) &&
	       obj_attr(h, TEE_ATTR_RSA_EXPONENT1) &&
	       obj_attr(h, TEE_ATTR_RSA_EXPONENT2) &&
	       obj_attr(h, TEE_ATTR_RSA_COEFFICIENT);
}

static TEE_Result rsa_key(struct builder *b, TEE_ObjectHandle h, bool pair,
			  EVP_PKEY **out)
{
	push_bn(b, OSSL_PKEY_PARAM_RSA_N, h, TEE_ATTR_RSA_MODULUS);
	push_bn(b, OSSL_PKEY_PARAM_RSA_E, h, TEE_ATTR_RSA_PUBLIC_EXPONENT);
	if (pair)
		push_bn(b, OSSL_PKEY_PARAM_RSA_D, h,
			TEE_ATTR_RSA_PRIVATE_EXPONENT);
	if (pair && has_rsa_crt(h)) {
		push_bn(b, OSSL_PKEY_PARAM_RSA_FACTOR1, h, TEE_ATTR_RSA_PRIME1);
		push_bn(b, OSSL_PKEY_PARAM_RSA_FACTOR2, h, TEE_ATTR_RSA_PRIME2);
		push_bn(b, OSSL_PKEY_PARAM_RSA_EXPONENT1, h,
			TEE_ATTR_RSA_EXPONENT1);
		push_bn(b, OSSL_PKEY_PARAM_RSA_EXPONENT2, h,
			TEE_ATTR_RSA_EXPONENT2);
		push_bn(b, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, h,
			TEE_ATTR_RSA_COEFFICIENT);
	}
	return build(b, "RSA", pair ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
		     out);
}

static TEE_Result dsa_key(struct builder *b, TEE_ObjectHandle h, bool pair,
			  EVP_PKEY **out)
{
	push_bn(b, OSSL_PKEY_PARAM_FFC_P, h, TEE_ATTR_DSA_PRIME);
	push_bn(b, OSSL_PKEY_PARAM_FFC_Q, h, TEE_ATTR_DSA_SUBPRIME);
	push_bn(b, OSSL_PKEY_PARAM_FFC_G, h, TEE_ATTR_DSA_BASE);
	push_bn(b, OSSL_PKEY_PARAM_PUB_KEY, h, TEE_ATTR_DSA_PUBLIC_VALUE);
	if (pair)
		push_bn(b, OSSL_PKEY_PARAM_PRIV_KEY, h,
			TEE_ATTR_DSA_PRIVATE_VALUE);
	return build(b, "DSA", pair ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
		     out);
}

static TEE_Result dh_key(struct builder *b, TEE_ObjectHandle h, EVP_PKEY **out)
{
	push_bn(b, OSSL_PKEY_PARAM_FFC_P, h, TEE_ATTR_DH_PRIME);
	push_bn(b, OSSL_PKEY_PARAM_FFC_G, h, TEE_ATTR_DH_BASE);
	if (obj_attr(h, TEE_ATTR_DH_SUBPRIME))
		push_bn(b, OSSL_PKEY_PARAM_FFC_Q, h, TEE_ATTR_DH_SUBPRIME);
	push_bn(b, OSSL_PKEY_PARAM_PUB_KEY, h, TEE_ATTR_DH_PUBLIC_VALUE);
	push_bn(b, OSSL_PKEY_PARAM_PRIV_KEY, h, TEE_ATTR_DH_PRIVATE_VALUE);
	return build(b, "DH", EVP_PKEY_KEYPAIR, out);
}

/* ECDSA, ECDH and SM2 keys (OpenSSL's "EC" and "SM2" key types). */
static TEE_Result ec_key(struct builder *b, TEE_ObjectHandle h, bool pair,
			 EVP_PKEY **out)
{
	uint32_t curve = asym_curve_of(h);
	const char *group = NULL;
	uint32_t bits = 0;

	if (!asym_curve(curve, &group, &bits))
		return TEE_ERROR_NOT_SUPPORTED;
	push_utf8(b, OSSL_PKEY_PARAM_GROUP_NAME, group);
	push_point(b, bits, obj_attr(h, TEE_ATTR_ECC_PUBLIC_VALUE_X),
		   obj_attr(h, TEE_ATTR_ECC_PUBLIC_VALUE_Y));
	if (pair)
		push_bn(b, OSSL_PKEY_PARAM_PRIV_KEY, h,
			TEE_ATTR_ECC_PRIVATE_VALUE);
	return build(b, asym_is_sm2_type(h->info.objectType) ? "SM2" : "EC",
		     pair ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, out);
}

/* Ed25519 and X25519: 32-byte raw keys, the public one derived. */
static TEE_Result raw_key(TEE_ObjectHandle h, int type, uint32_t id,
			  bool priv, EVP_PKEY **out)
{
	const TEE_Attribute *a = obj_attr(h, id);

	if (!a || a->content.ref.length != 32)
		return TEE_ERROR_BAD_PARAMETERS;
	if (priv)
		*out = EVP_PKEY_new_raw_private_key(type, NULL,
						    a->content.ref.buffer, 32);
	else
		*out = EVP_PKEY_new_raw_public_key(type, NULL,
						   a->content.ref.buffer, 32);
	return *out ? TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
}

static TEE_Result pkey_of_type(struct builder *b, TEE_ObjectHandle h,
			       EVP_PKEY **out)
{
	switch (h->info.objectType) {
	case TEE_TYPE_RSA_KEYPAIR:
	case TEE_TYPE_RSA_PUBLIC_KEY:
		return rsa_key(b, h, h->info.objectType == TEE_TYPE_RSA_KEYPAIR,
			       out);
	case TEE_TYPE_DSA_KEYPAIR:
	case TEE_TYPE_DSA_PUBLIC_KEY:
		return dsa_key(b, h, h->info.objectType == TEE_TYPE_DSA_KEYPAIR,
			       out);
	case TEE_TYPE_DH_KEYPAIR:
		return dh_key(b, h, out);
	case TEE_TYPE_ECDSA_KEYPAIR:
	case TEE_TYPE_ECDH_KEYPAIR:
	case TEE_TYPE_SM2_DSA_KEYPAIR:
	case TEE_TYPE_SM2_PKE_KEYPAIR:
	case TEE_TYPE_SM2_KEP_KEYPAIR:
		return ec_key(b, h, true, out);
	case TEE_TYPE_ECDSA_PUBLIC_KEY:
	case TEE_TYPE_ECDH_PUBLIC_KEY:
	case TEE_TYPE_SM2_DSA_PUBLIC_KEY:
	case TEE_TYPE_SM2_PKE_PUBLIC_KEY:
	case TEE_TYPE_SM2_KEP_PUBLIC_KEY:
		return ec_key(b, h, false, out);
	case TEE_TYPE_ED25519_KEYPAIR:
		return raw_key(h, EVP_PKEY_ED25519,
			       TEE_ATTR_ED25519_PRIVATE_VALUE, true, out);
	case TEE_TYPE_ED25519_PUBLIC_KEY:
		return raw_key(h, EVP_PKEY_ED25519,
			       TEE_ATTR_ED25519_PUBLIC_VALUE, false, out);
	case TEE_TYPE_X25519_KEYPAIR:
		return raw_key(h, EVP_PKEY_X25519,
			       TEE_ATTR_X25519_PRIVATE_VALUE, true, out);
	case TEE_TYPE_X25519_PUBLIC_KEY:
		return raw_key(h, EVP_PKEY_X25519,
			       TEE_ATTR_X25519_PUBLIC_VALUE, false, out);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}

/* A builder to use with pkey_of_type() or push_*(), and its release. */
static TEE_Result builder_init(struct builder *b)
{
	memset(b, 0, sizeof(*b));
	b->bld = OSSL_PARAM_BLD_new();
	return b->bld ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;
}

static void builder_free(struct builder *b)
{
	size_t n = 0;

	for (n = 0; n < b->nbn; n++)
		BN_clear_free(b->bn[n]);
	OSSL_PARAM_BLD_free(b->bld);
}

TEE_Result asym_pkey(TEE_ObjectHandle h, EVP_PKEY **out)
{
	struct builder b = { .bld = NULL };
	TEE_Result res = builder_init(&b);

	*out = NULL;
	if (!res)
		res = pkey_of_type(&b, h, out);
	builder_free(&b);
	return res;
}

TEE_Result asym_ec_public(uint32_t curve, const TEE_Attribute *x,
			  const TEE_Attribute *y, EVP_PKEY **out)
{
	struct builder b = { .bld = NULL };
	const char *group = NULL;
	uint32_t bits = 0;
	TEE_Result res = builder_init(&b);

	*out = NULL;
	if (!res && !asym_curve(curve, &group, &bits))
		res = TEE_ERROR_NOT_SUPPORTED;
	if (!res) {
		push_utf8(&b, OSSL_PKEY_PARAM_GROUP_NAME, group);
		push_point(&b, bits, x, y);
		res = build(&b, "EC", EVP_PKEY_PUBLIC_KEY, out);
	}
	builder_free(&b);
	return res;
}

TEE_Result asym_dh_peer(TEE_ObjectHandle h, const TEE_Attribute *pub,
			EVP_PKEY **out)
{
	struct builder b = { .bld = NULL };
	TEE_Result res = builder_init(&b);

	*out = NULL;
	if (!res) {
		push_bn(&b, OSSL_PKEY_PARAM_FFC_P, h, TEE_ATTR_DH_PRIME);
		push_bn(&b, OSSL_PKEY_PARAM_FFC_G, h, TEE_ATTR_DH_BASE);
		if (obj_attr(h, TEE_ATTR_DH_SUBPRIME))
			push_bn(&b, OSSL_PKEY_PARAM_FFC_Q, h,
				TEE_ATTR_DH_SUBPRIME);
		push_bytes_bn(&b, OSSL_PKEY_PARAM_PUB_KEY,
			      pub->content.ref.buffer, pub->content.ref.length);
		res = build(&b, "DH", EVP_PKEY_PUBLIC_KEY, out);
	}
	builder_free(&b);
	return res;
}

/*
 * The EVP_PKEY of each operation's key1, built on first use, and the
 * signing or verifying context asym_sign.c made on it, kept until
 * operation.c says the key changed (asym_op_forget).  Building them anew
 * for every call costs more than what they are used for: for an ECDSA
 * P-256 key, EVP_PKEY_fromdata makes the curve's EC_GROUP (Montgomery
 * contexts, modular inverses) and sets the point, about as long as the
 * signature itself, and a new EVP_PKEY_CTX with its init (provider
 * lookups) another 7% of one.  Only the operation's own key object feeds an
 * entry, and that object changes only through operation.c, which forgets
 * the entry first.
 */
struct op_pkey {
	const struct __TEE_OperationHandle *op;
	EVP_PKEY *pkey;
	EVP_PKEY_CTX *ctx;	/* NULL until asym_op_keep_ctx() */
};

static struct op_pkey *op_pkeys;
static size_t nop_pkeys;
static size_t op_pkeys_cap;

static size_t op_pkey_index(const struct __TEE_OperationHandle *op)
{
	size_t n = 0;

	for (n = 0; n < nop_pkeys; n++)
		if (op_pkeys[n].op == op)
			return n;
	return SIZE_MAX;
}

/* Keeps a reference to pkey for op; false (nothing kept) without memory. */
static bool op_pkey_keep(const struct __TEE_OperationHandle *op,
			 EVP_PKEY *pkey)
{
	struct op_pkey *grown = NULL;
	size_t cap = 0;

	if (nop_pkeys == op_pkeys_cap) {
		cap = op_pkeys_cap ? op_pkeys_cap * 2 : 8;
		grown = realloc(op_pkeys, cap * sizeof(*op_pkeys));
		if (!grown)
			return false;
		op_pkeys = grown;
		op_pkeys_cap = cap;
	}
	if (!EVP_PKEY_up_ref(pkey))
		return false;
	op_pkeys[nop_pkeys].op = op;
	op_pkeys[nop_pkeys].pkey = pkey;
	op_pkeys[nop_pkeys].ctx = NULL;
	nop_pkeys++;
	return true;
}

TEE_Result asym_op_pkey(struct __TEE_OperationHandle *op, EVP_PKEY **out)
{
	size_t idx = op_pkey_index(op);
	TEE_Result res = TEE_SUCCESS;

	*out = NULL;
	if (idx != SIZE_MAX) {
		if (!EVP_PKEY_up_ref(op_pkeys[idx].pkey))
			return TEE_ERROR_OUT_OF_MEMORY;
		*out = op_pkeys[idx].pkey;
		return TEE_SUCCESS;
	}
	res = asym_pkey(op->key1, out);
	/* without room to keep it, the key is simply built again next time */
	if (!res)
		op_pkey_keep(op, *out);
	return res;
}

EVP_PKEY_CTX *asym_op_ctx(const struct __TEE_OperationHandle *op)
{
	size_t idx = op_pkey_index(op);

	return idx == SIZE_MAX ? NULL : op_pkeys[idx].ctx;
}

bool asym_op_keep_ctx(const struct __TEE_OperationHandle *op,
		      EVP_PKEY_CTX *ctx)
{
	size_t idx = op_pkey_index(op);

	if (idx == SIZE_MAX || op_pkeys[idx].ctx)
		return false;
	op_pkeys[idx].ctx = ctx;
	return true;
}

void asym_op_forget(const struct __TEE_OperationHandle *op)
{
	size_t idx = op_pkey_index(op);

	if (idx == SIZE_MAX)
		return;
	EVP_PKEY_CTX_free(op_pkeys[idx].ctx);
	EVP_PKEY_free(op_pkeys[idx].pkey);
	op_pkeys[idx] = op_pkeys[--nop_pkeys];
}
