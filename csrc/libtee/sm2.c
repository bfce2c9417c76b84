// SPDX-License-Identifier: BSD-2-Clause
/*
 * SM2 public-key encryption (TEE_ALG_SM2_PKE, GM/T 0003.4 on the curve of
 * GM/T 0003.5).
 *
 * The work is OpenSSL's SM2, whose ciphertext is the DER structure of
 * GM/T 0009 (x1, y1, C3, C2); OP-TEE's is the raw C1 || C2 || C3 with
 * C1 = 04 || x1 || y1, which this file converts to and from.
 *
 * Facts from OP-TEE (core/lib/libtomcrypt/sm2-pke.c) followed here:
 * - encryption needs 97 + message bytes (SHORT_BUFFER with that size);
 *   an empty message gives TEE_ERROR_CIPHERTEXT_INVALID (the KDF output
 *   is "all zero");
 * - decryption: a ciphertext of 97 bytes or fewer, or whose C1 is not an
 *   uncompressed point of the curve, is BAD_PARAMETERS (a compressed or
 *   hybrid C1 NOT_SUPPORTED); a C3 that does not match is
 *   TEE_ERROR_CIPHERTEXT_INVALID.
 *
 * Difference, on purpose: OP-TEE's decryption cuts the message to the
 * caller's buffer and reports success; here a short buffer gets
 * TEE_ERROR_SHORT_BUFFER with the message size, as GP says.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include <tee_internal_api.h>
#include <util.h>

#include "libtee_internal.h"

#define SM2_INT		32			/* bytes of a number */
#define SM2_C1		(1 + 2 * SM2_INT)	/* 04 || x || y */
#define SM3_LEN		32
#define SM2_OVERHEAD	(SM2_C1 + SM3_LEN)

static bool seq_push(ASN1_SEQUENCE_ANY *seq, int type, void *value)
{
	ASN1_TYPE *t = value ? ASN1_TYPE_new() : NULL;

	if (!t) {
		if (type == V_ASN1_INTEGER)
			ASN1_INTEGER_free(value);
		else
			ASN1_OCTET_STRING_free(value);
		return false;
	}
	ASN1_TYPE_set(t, type, value);
	if (!sk_ASN1_TYPE_push(seq, t)) {
		ASN1_TYPE_free(t);
		return false;
	}
	return true;
}

static bool push_integer(ASN1_SEQUENCE_ANY *seq, const uint8_t *p)
{
	BIGNUM *bn = BN_bin2bn(p, SM2_INT, NULL);
	ASN1_INTEGER *i = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;

	BN_free(bn);
	return seq_push(seq, V_ASN1_INTEGER, i);
}

static bool push_octets(ASN1_SEQUENCE_ANY *seq, const uint8_t *p, size_t len)
{
	ASN1_OCTET_STRING *s = ASN1_OCTET_STRING_new();

	if (s && !ASN1_OCTET_STRING_set(s, p, (int)len)) {
		ASN1_OCTET_STRING_free(s);
		s = NULL;
	}
	return seq_push(seq, V_ASN1_OCTET_STRING, s);
}

/* OpenSSL's DER ciphertext of C1 || C2 || C3 (src_len > SM2_OVERHEAD). */
static TEE_Result to_der(const uint8_t *src, size_t src_len, uint8_t **der,
			 size_t *der_len)
{
	ASN1_SEQUENCE_ANY *seq = sk_ASN1_TYPE_new_null();
	size_t c2_len = src_len - SM2_OVERHEAD;
	int len = 0;
	TEE_Result res = TEE_ERROR_OUT_OF_MEMORY;

	*der = NULL;
	if (seq && push_integer(seq, src + 1) &&
	    push_integer(seq, src + 1 + SM2_INT) &&
	    push_octets(seq, src + SM2_C1 + c2_len, SM3_LEN) &&
	    push_octets(seq, src + SM2_C1, c2_len)) {
		len = i2d_ASN1_SEQUENCE_ANY(seq, der);
		if (len > 0) {
			*der_len = (size_t)len;
			res = TEE_SUCCESS;
		}
	}
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
	return res;
}

/* The octets of element i of seq if it has that type and length. */
static const uint8_t *seq_get(const ASN1_SEQUENCE_ANY *seq, int i, int type,
			      size_t len)
{
	const ASN1_TYPE *t = sk_ASN1_TYPE_value(seq, i);

	if (!t || ASN1_TYPE_get(t) != type ||
	    (type == V_ASN1_OCTET_STRING &&
	     (size_t)ASN1_STRING_length(t->value.octet_string) != len))
		return NULL;
	return ASN1_STRING_get0_data(t->value.asn1_string);
}

/* The INTEGER element i of seq as a big number. */
static BIGNUM *seq_bn(const ASN1_SEQUENCE_ANY *seq, int i)
{
	return ASN1_INTEGER_to_BN(sk_ASN1_TYPE_value(seq, i)->value.integer,
				  NULL);
}

/* C1 || C2 || C3 (msg_len bytes of C2) from OpenSSL's DER ciphertext. */
static TEE_Result from_der(const uint8_t *der, size_t der_len, uint8_t *dst,
			   size_t msg_len)
{
	const unsigned char *p = der;
	ASN1_SEQUENCE_ANY *seq = d2i_ASN1_SEQUENCE_ANY(NULL, &p, (long)der_len);
	const uint8_t *c3 = NULL;
	const uint8_t *c2 = NULL;
	BIGNUM *x = NULL;
	BIGNUM *y = NULL;
	TEE_Result res = TEE_ERROR_GENERIC;

	if (seq && sk_ASN1_TYPE_num(seq) == 4 &&
	    seq_get(seq, 0, V_ASN1_INTEGER, 0) &&
	    seq_get(seq, 1, V_ASN1_INTEGER, 0)) {
		c3 = seq_get(seq, 2, V_ASN1_OCTET_STRING, SM3_LEN);
		c2 = seq_get(seq, 3, V_ASN1_OCTET_STRING, msg_len);
		x = seq_bn(seq, 0);
		y = seq_bn(seq, 1);
	}
	if (c3 && c2 && x && y && BN_bn2binpad(x, dst + 1, SM2_INT) >= 0 &&
	    BN_bn2binpad(y, dst + 1 + SM2_INT, SM2_INT) >= 0) {
		dst[0] = 0x04;
		memcpy(dst + SM2_C1, c2, msg_len);
		memcpy(dst + SM2_C1 + msg_len, c3, SM3_LEN);
		res = TEE_SUCCESS;
	}
	BN_free(x);
	BN_free(y);
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
	return res;
}

static TEE_Result pke_ctx(TEE_ObjectHandle key, bool enc, EVP_PKEY_CTX **out)
{
	EVP_PKEY *pkey = NULL;
	TEE_Result res = asym_pkey(key, &pkey);

	if (!res) {
		*out = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
		if (!*out)
			res = TEE_ERROR_OUT_OF_MEMORY;
		else if ((enc ? EVP_PKEY_encrypt_init(*out) :
				EVP_PKEY_decrypt_init(*out)) <= 0)
			res = TEE_ERROR_GENERIC;
	}
	EVP_PKEY_free(pkey);
	return res;
}

TEE_Result sm2_pke_encrypt(TEE_ObjectHandle key, const uint8_t *src,
			   size_t src_len, uint8_t *dst, size_t *dst_len)
{
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t *der = NULL;
	size_t der_len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!src_len)
		return TEE_ERROR_CIPHERTEXT_INVALID;
	if (src_len > INT_MAX - SM2_OVERHEAD)
		return TEE_ERROR_BAD_PARAMETERS;
	if (*dst_len < src_len + SM2_OVERHEAD) {
		*dst_len = src_len + SM2_OVERHEAD;
		return TEE_ERROR_SHORT_BUFFER;
	}
	res = pke_ctx(key, true, &ctx);
	if (!res && EVP_PKEY_encrypt(ctx, NULL, &der_len, src, src_len) <= 0)
		res = TEE_ERROR_GENERIC;
	if (!res && !(der = OPENSSL_malloc(der_len)))
		res = TEE_ERROR_OUT_OF_MEMORY;
	if (!res && EVP_PKEY_encrypt(ctx, der, &der_len, src, src_len) <= 0)
		res = TEE_ERROR_GENERIC;
	if (!res)
		res = from_der(der, der_len, dst, src_len);
	if (!res)
		*dst_len = src_len + SM2_OVERHEAD;
	OPENSSL_free(der);
	EVP_PKEY_CTX_free(ctx);
	return res;
}

/* Whether C1 (SM2_C1 bytes) is an uncompressed point of the SM2 curve. */
static TEE_Result check_c1(const uint8_t *c1)
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_sm2);
	EC_POINT *pt = g ? EC_POINT_new(g) : NULL;
	TEE_Result res = TEE_ERROR_OUT_OF_MEMORY;

	if (pt)
		res = EC_POINT_oct2point(g, pt, c1, SM2_C1, NULL) ?
			      TEE_SUCCESS : TEE_ERROR_BAD_PARAMETERS;
	EC_POINT_free(pt);
	EC_GROUP_free(g);
	return res;
}

TEE_Result sm2_pke_decrypt(TEE_ObjectHandle key, const uint8_t *src,
			   size_t src_len, uint8_t *dst, size_t *dst_len)
{
	size_t msg_len = src_len > SM2_OVERHEAD ? src_len - SM2_OVERHEAD : 0;
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t *der = NULL;
	uint8_t *msg = NULL;
	size_t der_len = 0;
	size_t out_len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!msg_len || msg_len > INT_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	if (src[0] != 0x04)
		return src[0] == 0x02 || src[0] == 0x03 || src[0] == 0x06 ||
			       src[0] == 0x07 ?
		       TEE_ERROR_NOT_SUPPORTED : TEE_ERROR_BAD_PARAMETERS;
	res = check_c1(src);
	if (!res && *dst_len < msg_len) {
		*dst_len = msg_len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (!res)
		res = to_der(src, src_len, &der, &der_len);
	if (!res)
		res = pke_ctx(key, false, &ctx);
	if (!res && EVP_PKEY_decrypt(ctx, NULL, &out_len, der, der_len) <= 0)
		res = TEE_ERROR_GENERIC;
	if (!res && !(msg = OPENSSL_malloc(out_len)))
		res = TEE_ERROR_OUT_OF_MEMORY;
	if (!res && (EVP_PKEY_decrypt(ctx, msg, &out_len, der, der_len) <= 0 ||
		     out_len != msg_len))
		res = TEE_ERROR_CIPHERTEXT_INVALID;
	if (!res) {
		memcpy(dst, msg, msg_len);
		*dst_len = msg_len;
	}
	OPENSSL_clear_free(msg, out_len);
	OPENSSL_free(der);
	EVP_PKEY_CTX_free(ctx);
	return res;
}
