// SPDX-License-Identifier: BSD-2-Clause
/*
 * SM2 key exchange (TEE_ALG_SM2_KEP), GM/T 0003.3 section 6 on the curve
 * of GM/T 0003.5.  OpenSSL has no SM2 key exchange: the protocol is
 * computed here with OpenSSL's EC arithmetic, SM3 and the SM2 KDF (the
 * ANSI X9.63 KDF over SM3).
 *
 * With our key pair (d, P), our ephemeral pair (r, R), the peer's public
 * P' and ephemeral R', for either role:
 *   t = (d + xbar(R) * r) mod n,  U = [t](P' + [xbar(R')]R'),
 *   K = KDF(xU || yU || ZA || ZB, klen),
 *   S(f) = SM3(f || yU || SM3(xU || ZA || ZB || x1 || y1 || x2 || y2))
 * where xbar(x) = 2^w + (x mod 2^w), w = 127, ZA and ZB the identity
 * hashes of the initiator and the responder, (x1, y1) the initiator's and
 * (x2, y2) the responder's ephemeral point.  The initiator checks the
 * responder's S(02) and sends S(03); the responder the reverse.
 *
 * Facts from OP-TEE (core/tee/tee_svc_cryp.c, its SM2 KEP code) followed:
 * - parameters: TEE_ATTR_SM2_KEP_USER (a: 0 initiator, else responder),
 *   the peer's TEE_ATTR_ECC_PUBLIC_VALUE_X/Y and
 *   TEE_ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_X/Y (or OP-TEE's older
 *   __OPTEE_SM2_KEP_ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_X/Y), both
 *   TEE_ATTR_SM2_ID_INITIATOR and TEE_ATTR_SM2_ID_RESPONDER, all
 *   required; TEE_ATTR_SM2_KEP_CONFIRMATION_IN (the peer's S, checked)
 *   and TEE_ATTR_SM2_KEP_CONFIRMATION_OUT (a buffer of at least 32 bytes
 *   that receives ours) optional; anything else is BAD_PARAMETERS;
 * - a public point off the curve is BAD_PARAMETERS, a confirmation that
 *   does not match BAD_STATE (TEE_DeriveKey panics for both).
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/obj_mac.h>

#include <tee_internal_api.h>
#include <util.h>

#include "libtee_internal.h"

#define SM2_INT		32
#define SM3_LEN		32
#define SM2_ID_MAX	(0xFFFF / 8)	/* ENTL: the bit length, 16 bits */
#define SM2_W		127		/* w for the 256-bit order n */

struct kep_params {
	bool initiator;
	const TEE_Attribute *peer_x;
	const TEE_Attribute *peer_y;
	const TEE_Attribute *eph_x;
	const TEE_Attribute *eph_y;
	const TEE_Attribute *id_init;
	const TEE_Attribute *id_resp;
	const TEE_Attribute *conf_in;
	const TEE_Attribute *conf_out;
};

static TEE_Result parse(const TEE_Attribute *params, uint32_t count,
			struct kep_params *k)
{
	bool role = false;
	uint32_t n = 0;

	for (n = 0; n < count; n++) {
		const TEE_Attribute *a = &params[n];

		switch (a->attributeID) {
		case TEE_ATTR_SM2_KEP_USER:
			k->initiator = !a->content.value.a;
			role = true;
			break;
		case TEE_ATTR_ECC_PUBLIC_VALUE_X:
			k->peer_x = a;
			break;
		case TEE_ATTR_ECC_PUBLIC_VALUE_Y:
			k->peer_y = a;
			break;
		case TEE_ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_X:
		case __OPTEE_SM2_KEP_ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_X:
			k->eph_x = a;
			break;
		case TEE_ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_Y:
		case __OPTEE_SM2_KEP_ATTR_ECC_EPHEMERAL_PUBLIC_VALUE_Y:
			k->eph_y = a;
			break;
		case TEE_ATTR_SM2_ID_INITIATOR:
			k->id_init = a;
			break;
		case TEE_ATTR_SM2_ID_RESPONDER:
			k->id_resp = a;
			break;
		case TEE_ATTR_SM2_KEP_CONFIRMATION_IN:
			k->conf_in = a;
			break;
		case TEE_ATTR_SM2_KEP_CONFIRMATION_OUT:
			k->conf_out = a;
			break;
		default:
			return TEE_ERROR_BAD_PARAMETERS;
		}
	}
	if (!role || !k->peer_x || !k->peer_y || !k->eph_x || !k->eph_y ||
	    !k->id_init || !k->id_resp ||
	    k->id_init->content.ref.length > SM2_ID_MAX ||
	    k->id_resp->content.ref.length > SM2_ID_MAX ||
	    (k->conf_in && k->conf_in->content.ref.length < SM3_LEN) ||
	    (k->conf_out && k->conf_out->content.ref.length < SM3_LEN))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

/* The working state: curve, scratch and the points of both sides. */
struct kep {
	EC_GROUP *g;
	BN_CTX *bn;
	EVP_MD_CTX *md;
	BIGNUM *d;		/* our private key */
	BIGNUM *r;		/* our ephemeral private key */
	EC_POINT *p;		/* our public key */
	EC_POINT *e;		/* our ephemeral public key */
	EC_POINT *pp;		/* the peer's public key */
	EC_POINT *pe;		/* the peer's ephemeral public key */
	EC_POINT *u;
};

static BIGNUM *bn_of(const TEE_Attribute *a)
{
	if (!a || a->content.ref.length > SM2_INT)
		return NULL;
	return BN_bin2bn(a->content.ref.buffer, (int)a->content.ref.length,
			 NULL);
}

/* The point (x, y), which must be on the curve; NULL otherwise. */
static EC_POINT *point_of(struct kep *s, const TEE_Attribute *x,
			  const TEE_Attribute *y)
{
	BIGNUM *bx = bn_of(x);
	BIGNUM *by = bn_of(y);
	EC_POINT *pt = EC_POINT_new(s->g);

	if (!bx || !by || !pt ||
	    !EC_POINT_set_affine_coordinates(s->g, pt, bx, by, s->bn)) {
		EC_POINT_free(pt);
		pt = NULL;
	}
	BN_free(bx);
	BN_free(by);
	return pt;
}

static TEE_Result load(struct kep *s, TEE_ObjectHandle key,
		      TEE_ObjectHandle eph, const struct kep_params *k)
{
	s->g = EC_GROUP_new_by_curve_name(NID_sm2);
	s->bn = BN_CTX_new();
	s->md = EVP_MD_CTX_new();
	s->u = s->g ? EC_POINT_new(s->g) : NULL;
	if (!s->g || !s->bn || !s->md || !s->u)
		return TEE_ERROR_OUT_OF_MEMORY;
	s->d = bn_of(obj_attr(key, TEE_ATTR_ECC_PRIVATE_VALUE));
	s->r = bn_of(obj_attr(eph, TEE_ATTR_ECC_PRIVATE_VALUE));
	s->p = point_of(s, obj_attr(key, TEE_ATTR_ECC_PUBLIC_VALUE_X),
			obj_attr(key, TEE_ATTR_ECC_PUBLIC_VALUE_Y));
	s->e = point_of(s, obj_attr(eph, TEE_ATTR_ECC_PUBLIC_VALUE_X),
			obj_attr(eph, TEE_ATTR_ECC_PUBLIC_VALUE_Y));
	s->pp = point_of(s, k->peer_x, k->peer_y);
	s->pe = point_of(s, k->eph_x, k->eph_y);
	if (!s->d || !s->r || !s->p || !s->e || !s->pp || !s->pe)
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

static void unload(struct kep *s)
{
	BN_clear_free(s->d);
	BN_clear_free(s->r);
	EC_POINT_free(s->p);
	EC_POINT_free(s->e);
	EC_POINT_free(s->pp);
	EC_POINT_free(s->pe);
	EC_POINT_clear_free(s->u);
	EVP_MD_CTX_free(s->md);
	BN_CTX_free(s->bn);
	EC_GROUP_free(s->g);
}

/* xbar(x) of point pt into out: 2^w + (x mod 2^w). */
static bool xbar(struct kep *s, const EC_POINT *pt, BIGNUM *out)
{
	return EC_POINT_get_affine_coordinates(s->g, pt, out, NULL, s->bn) &&
	       BN_mask_bits(out, SM2_W) >= 0 && BN_set_bit(out, SM2_W);
}

/* U = [d + xbar(R) r](P' + [xbar(R')]R'), not the point at infinity. */
static TEE_Result compute_u(struct kep *s)
{
	const BIGNUM *n = EC_GROUP_get0_order(s->g);
	BIGNUM *t = NULL;
	BIGNUM *xb = NULL;
	EC_POINT *q = EC_POINT_new(s->g);
	bool ok = false;

	BN_CTX_start(s->bn);
	t = BN_CTX_get(s->bn);
	xb = BN_CTX_get(s->bn);
	ok = q && xb && xbar(s, s->e, xb) &&
	     BN_mod_mul(t, xb, s->r, n, s->bn) &&
	     BN_mod_add(t, t, s->d, n, s->bn) && xbar(s, s->pe, xb) &&
	     EC_POINT_mul(s->g, q, NULL, s->pe, xb, s->bn) &&
	     EC_POINT_add(s->g, q, q, s->pp, s->bn) &&
	     EC_POINT_mul(s->g, s->u, NULL, q, t, s->bn) &&
	     !EC_POINT_is_at_infinity(s->g, s->u);
	if (t)
		BN_clear(t);
	BN_CTX_end(s->bn);
	EC_POINT_free(q);
	return ok ? TEE_SUCCESS : TEE_ERROR_BAD_STATE;
}

static bool hash_bn(struct kep *s, const BIGNUM *v)
{
	uint8_t buf[SM2_INT] = { 0 };

	return BN_bn2binpad(v, buf, sizeof(buf)) >= 0 &&
	       EVP_DigestUpdate(s->md, buf, sizeof(buf));
}

/* Hashes the coordinates of pt: x, y or both (in that order). */
static bool hash_point(struct kep *s, const EC_POINT *pt, bool x, bool y)
{
	BIGNUM *bx = BN_new();
	BIGNUM *by = BN_new();
	bool ok = bx && by &&
		  EC_POINT_get_affine_coordinates(s->g, pt, bx, by, s->bn) &&
		  (!x || hash_bn(s, bx)) && (!y || hash_bn(s, by));

	BN_free(bx);
	BN_free(by);
	return ok;
}

/* Z = SM3(ENTL || ID || a || b || xG || yG || x || y) of (id, pub). */
static bool z_value(struct kep *s, const TEE_Attribute *id,
		    const EC_POINT *pub, uint8_t z[SM3_LEN])
{
	size_t bits = id->content.ref.length * 8;
	uint8_t entl[2] = { (uint8_t)(bits >> 8), (uint8_t)bits };
	BIGNUM *a = BN_new();
	BIGNUM *b = BN_new();
	bool ok = a && b &&
		  EC_GROUP_get_curve(s->g, NULL, a, b, s->bn) &&
		  EVP_DigestInit_ex(s->md, fetch_md("SM3"), NULL) &&
		  EVP_DigestUpdate(s->md, entl, sizeof(entl)) &&
		  (!id->content.ref.length ||
		   EVP_DigestUpdate(s->md, id->content.ref.buffer,
				    id->content.ref.length)) &&
		  hash_bn(s, a) && hash_bn(s, b) &&
		  hash_point(s, EC_GROUP_get0_generator(s->g), true, true) &&
		  hash_point(s, pub, true, true) &&
		  EVP_DigestFinal_ex(s->md, z, NULL);

	BN_free(a);
	BN_free(b);
	return ok;
}

/* S(flag) of the exchange, zab being ZA || ZB. */
static bool s_value(struct kep *s, uint8_t flag, const uint8_t *zab,
		    const EC_POINT *eph_init, const EC_POINT *eph_resp,
		    uint8_t out[SM3_LEN])
{
	uint8_t inner[SM3_LEN] = { 0 };

	return EVP_DigestInit_ex(s->md, fetch_md("SM3"), NULL) &&
	       hash_point(s, s->u, true, false) &&
	       EVP_DigestUpdate(s->md, zab, 2 * SM3_LEN) &&
	       hash_point(s, eph_init, true, true) &&
	       hash_point(s, eph_resp, true, true) &&
	       EVP_DigestFinal_ex(s->md, inner, NULL) &&
	       EVP_DigestInit_ex(s->md, fetch_md("SM3"), NULL) &&
	       EVP_DigestUpdate(s->md, &flag, 1) &&
	       hash_point(s, s->u, false, true) &&
	       EVP_DigestUpdate(s->md, inner, sizeof(inner)) &&
	       EVP_DigestFinal_ex(s->md, out, NULL);
}

/* The SM2 KDF: ANSI X9.63 with SM3 and no shared info. */
static bool sm2_kdf(const uint8_t *z, size_t z_len, uint8_t *out,
		    size_t out_len)
{
	EVP_KDF *kdf = fetch_kdf("X963KDF");
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						 (char *)"SM3", 0),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						  (void *)z, z_len),
		OSSL_PARAM_END
	};
	bool ok = ctx && EVP_KDF_derive(ctx, out, out_len, p) > 0;

	EVP_KDF_CTX_free(ctx);
	return ok;
}

/* The key, then our confirmation and the check of the peer's. */
static TEE_Result finish(struct kep *s, const struct kep_params *k,
			 uint8_t *out, size_t out_len)
{
	/* xU || yU || ZA || ZB */
	uint8_t z[2 * SM2_INT + 2 * SM3_LEN] = { 0 };
	uint8_t mine[SM3_LEN] = { 0 };
	uint8_t theirs[SM3_LEN] = { 0 };
	const EC_POINT *eph_init = k->initiator ? s->e : s->pe;
	const EC_POINT *eph_resp = k->initiator ? s->pe : s->e;
	bool ok = false;
	TEE_Result res = TEE_ERROR_GENERIC;

	ok = z_value(s, k->id_init, k->initiator ? s->p : s->pp,
		     z + 2 * SM2_INT) &&
	     z_value(s, k->id_resp, k->initiator ? s->pp : s->p,
		     z + 2 * SM2_INT + SM3_LEN);
	if (ok) {
		BIGNUM *x = BN_new();
		BIGNUM *y = BN_new();

		ok = x && y &&
		     EC_POINT_get_affine_coordinates(s->g, s->u, x, y, s->bn) &&
		     BN_bn2binpad(x, z, SM2_INT) >= 0 &&
		     BN_bn2binpad(y, z + SM2_INT, SM2_INT) >= 0 &&
		     sm2_kdf(z, sizeof(z), out, out_len) &&
		     s_value(s, k->initiator ? 0x03 : 0x02, z + 2 * SM2_INT,
			     eph_init, eph_resp, mine) &&
		     s_value(s, k->initiator ? 0x02 : 0x03, z + 2 * SM2_INT,
			     eph_init, eph_resp, theirs);
		BN_clear_free(x);
		BN_clear_free(y);
	}
	if (ok)
		res = TEE_SUCCESS;
	if (!res && k->conf_in &&
	    CRYPTO_memcmp(theirs, k->conf_in->content.ref.buffer, SM3_LEN))
		res = TEE_ERROR_BAD_STATE;
	if (!res && k->conf_out)
		memcpy(k->conf_out->content.ref.buffer, mine, SM3_LEN);
	OPENSSL_cleanse(z, sizeof(z));
	return res;
}

TEE_Result sm2_kep_derive(TEE_ObjectHandle key, TEE_ObjectHandle eph_key,
			  const TEE_Attribute *params, uint32_t count,
			  uint8_t *out, size_t out_len)
{
	struct kep_params k = { .initiator = false };
	struct kep s = { .g = NULL };
	TEE_Result res = parse(params, count, &k);

	if (!res && !out_len)
		res = TEE_ERROR_BAD_PARAMETERS;
	if (!res)
		res = load(&s, key, eph_key, &k);
	if (!res)
		res = compute_u(&s);
	if (!res)
		res = finish(&s, &k, out, out_len);
	unload(&s);
	return res;
}
