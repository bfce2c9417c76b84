// SPDX-License-Identifier: BSD-2-Clause
/*
 * SHA-256, P-256 public keys and ECDSA P-256 SHA-256 verification, all
 * through the GP API.  A public key from outside (04 || X || Y) is
 * checked to be a point of the curve, with GP's arithmetic, before any
 * crypto function sees it: a bad key is then TEE_ERROR_SECURITY, whatever
 * the TEE's own crypto would have made of it (OP-TEE may panic).
 */
#include <string.h>

#include "payment_internal.h"

/* P-256 (FIPS 186-4 D.1.2.3): y^2 = x^3 - 3x + b mod p */
static const uint8_t p256_p[P256_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};
static const uint8_t p256_b[P256_LEN] = {
	0x5a, 0xc6, 0x35, 0xd8, 0xaa, 0x3a, 0x93, 0xe7,
	0xb3, 0xeb, 0xbd, 0x55, 0x76, 0x98, 0x86, 0xbc,
	0x65, 0x1d, 0x06, 0xb0, 0xcc, 0x53, 0xb0, 0xf6,
	0x3b, 0xce, 0x3c, 0x3e, 0x27, 0xd2, 0x60, 0x4b,
};

#define BN_U32	TEE_BigIntSizeInU32(256)

TEE_Result sha256(const void *msg, size_t len, uint8_t out[SHA256_LEN])
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	size_t out_len = SHA256_LEN;
	TEE_Result res = TEE_SUCCESS;

	res = TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	if (res)
		return res;
	res = TEE_DigestDoFinal(op, msg, len, out, &out_len);
	TEE_FreeOperation(op);
	return res;
}

static void bn_from(TEE_BigInt *bn, const uint8_t *bytes)
{
	TEE_BigIntInit(bn, BN_U32);
	/* 32 bytes always fit a 256-bit big integer */
	if (TEE_BigIntConvertFromOctetString(bn, bytes, P256_LEN, 0))
		TEE_Panic(TEE_ERROR_GENERIC);
}

bool p256_point_valid(const uint8_t pub[PAYMENT_PUBKEY_LEN])
{
	TEE_BigInt p[BN_U32];
	TEE_BigInt b[BN_U32];
	TEE_BigInt x[BN_U32];
	TEE_BigInt y[BN_U32];
	TEE_BigInt lhs[BN_U32];
	TEE_BigInt rhs[BN_U32];
	TEE_BigInt t[BN_U32];

	if (pub[0] != 0x04)
		return false;
	bn_from(p, p256_p);
	bn_from(b, p256_b);
	bn_from(x, pub + 1);
	bn_from(y, pub + 1 + P256_LEN);
	if (TEE_BigIntCmp(x, p) >= 0 || TEE_BigIntCmp(y, p) >= 0)
		return false;
	TEE_BigIntInit(lhs, BN_U32);
	TEE_BigIntInit(rhs, BN_U32);
	TEE_BigIntInit(t, BN_U32);
	TEE_BigIntMulMod(lhs, y, y, p);		/* y^2 */
	TEE_BigIntMulMod(t, x, x, p);
	TEE_BigIntMulMod(rhs, t, x, p);		/* x^3 */
	TEE_BigIntAddMod(t, x, x, p);
	TEE_BigIntAddMod(t, t, x, p);		/* 3x */
	TEE_BigIntSubMod(rhs, rhs, t, p);
	TEE_BigIntAddMod(rhs, rhs, b, p);	/* x^3 - 3x + b */
	return TEE_BigIntCmp(lhs, rhs) == 0;
}

void p256_point_attrs(const uint8_t pub[PAYMENT_PUBKEY_LEN],
		      TEE_Attribute attrs[2])
{
	TEE_InitRefAttribute(&attrs[0], TEE_ATTR_ECC_PUBLIC_VALUE_X, pub + 1,
			     P256_LEN);
	TEE_InitRefAttribute(&attrs[1], TEE_ATTR_ECC_PUBLIC_VALUE_Y,
			     pub + 1 + P256_LEN, P256_LEN);
}

/* A transient P-256 public key object of type from 04 || X || Y. */
static TEE_Result p256_public_key(uint32_t type,
				  const uint8_t pub[PAYMENT_PUBKEY_LEN],
				  TEE_ObjectHandle *key)
{
	TEE_Attribute attrs[3] = { 0 };
	TEE_Result res = TEE_SUCCESS;

	*key = TEE_HANDLE_NULL;
	if (!p256_point_valid(pub))
		return TEE_ERROR_SECURITY;
	p256_point_attrs(pub, attrs);
	TEE_InitValueAttribute(&attrs[2], TEE_ATTR_ECC_CURVE,
			       TEE_ECC_CURVE_NIST_P256, 0);
	res = TEE_AllocateTransientObject(type, 256, key);
	if (res)
		return res;
	res = TEE_PopulateTransientObject(*key, attrs, 3);
	if (res) {
		TEE_FreeTransientObject(*key);
		*key = TEE_HANDLE_NULL;
	}
	return res;
}

TEE_Result p256_get_attr(TEE_ObjectHandle key, uint32_t attr,
			 uint8_t out[P256_LEN])
{
	uint8_t buf[P256_LEN] = { 0 };
	size_t len = sizeof(buf);
	TEE_Result res = TEE_SUCCESS;

	res = TEE_GetObjectBufferAttribute(key, attr, buf, &len);
	if (res)
		return res;
	/* big numbers may come without their leading zeros */
	memset(out, 0, P256_LEN - len);
	memcpy(out + P256_LEN - len, buf, len);
	return TEE_SUCCESS;
}

TEE_Result sig_verify(const uint8_t pub[PAYMENT_PUBKEY_LEN], const void *msg,
		      size_t len, const uint8_t sig[PAYMENT_SIG_LEN])
{
	uint8_t digest[SHA256_LEN] = { 0 };
	TEE_ObjectHandle key = TEE_HANDLE_NULL;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	res = sha256(msg, len, digest);
	if (!res)
		res = p256_public_key(TEE_TYPE_ECDSA_PUBLIC_KEY, pub, &key);
	if (!res)
		res = TEE_AllocateOperation(&op, TEE_ALG_ECDSA_SHA256,
					    TEE_MODE_VERIFY, 256);
	if (!res)
		res = TEE_SetOperationKey(op, key);
	if (!res)
		res = TEE_AsymmetricVerifyDigest(op, NULL, 0, digest,
						 sizeof(digest), sig,
						 PAYMENT_SIG_LEN);
	if (res == TEE_ERROR_SIGNATURE_INVALID)
		res = TEE_ERROR_SECURITY;
	if (op)
		TEE_FreeOperation(op);
	if (key)
		TEE_FreeTransientObject(key);
	return res;
}
