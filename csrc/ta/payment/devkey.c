// SPDX-License-Identifier: BSD-2-Clause
/*
 * The device key DK: a P-256 key pair made once by KEYGEN inside the TA
 * and kept as a persistent key object; its private part never leaves
 * trusted storage.  device_id = SHA-256(04 || X || Y)[0:16].
 */
#include <string.h>

#include "payment_internal.h"

static const char dk_id[] = "payment.dk";

/* DK's public key and id once read: DK is made once and never replaced. */
static struct devkey known;
static bool is_known;

static TEE_Result open_dk(TEE_ObjectHandle *h)
{
	return TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, dk_id,
					sizeof(dk_id) - 1,
					TEE_DATA_FLAG_ACCESS_READ |
					TEE_DATA_FLAG_SHARE_READ, h);
}

/* The public key and id of the key pair in key. */
static TEE_Result describe(TEE_ObjectHandle key, struct devkey *dk)
{
	uint8_t digest[SHA256_LEN] = { 0 };
	TEE_Result res = TEE_SUCCESS;

	dk->pub[0] = 0x04;
	res = p256_get_attr(key, TEE_ATTR_ECC_PUBLIC_VALUE_X, dk->pub + 1);
	if (!res)
		res = p256_get_attr(key, TEE_ATTR_ECC_PUBLIC_VALUE_Y,
				    dk->pub + 1 + P256_LEN);
	if (!res)
		res = sha256(dk->pub, sizeof(dk->pub), digest);
	if (!res)
		memcpy(dk->id, digest, sizeof(dk->id));
	return res;
}

TEE_Result devkey_load(struct devkey *dk)
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	if (!is_known) {
		res = open_dk(&h);
		if (res)
			return res;
		res = describe(h, &known);
		TEE_CloseObject(h);
		if (res)
			return res;
		is_known = true;
	}
	*dk = known;
	return TEE_SUCCESS;
}

TEE_Result devkey_create(struct devkey *dk)
{
	TEE_Attribute curve = { 0 };
	TEE_ObjectHandle pair = TEE_HANDLE_NULL;
	TEE_ObjectHandle stored = TEE_HANDLE_NULL;
	TEE_Result res = devkey_load(dk);

	if (res != TEE_ERROR_ITEM_NOT_FOUND)
		return res;	/* made before (or storage failed) */
	TEE_InitValueAttribute(&curve, TEE_ATTR_ECC_CURVE,
			       TEE_ECC_CURVE_NIST_P256, 0);
	res = TEE_AllocateTransientObject(TEE_TYPE_ECDSA_KEYPAIR, 256, &pair);
	if (res)
		return res;
	res = TEE_GenerateKey(pair, 256, &curve, 1);
	/* without OVERWRITE: a key that exists is never replaced */
	if (!res)
		res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, dk_id,
						 sizeof(dk_id) - 1,
						 TEE_DATA_FLAG_ACCESS_READ |
						 TEE_DATA_FLAG_SHARE_READ,
						 pair, NULL, 0, &stored);
	if (!res) {
		res = describe(stored, dk);
		TEE_CloseObject(stored);
	}
	TEE_FreeTransientObject(pair);
	return res;
}

/*
 * The signing operation, with DK set, made at the first signature and kept
 * for the instance's life: opening DK and setting up the operation cost
 * more than the signature itself.
 */
static TEE_OperationHandle signer = TEE_HANDLE_NULL;

static TEE_Result make_signer(void)
{
	TEE_ObjectHandle key = TEE_HANDLE_NULL;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Result res = open_dk(&key);

	if (!res)
		res = TEE_AllocateOperation(&op, TEE_ALG_ECDSA_SHA256,
					    TEE_MODE_SIGN, 256);
	if (!res)
		res = TEE_SetOperationKey(op, key);
	if (key)
		TEE_CloseObject(key);
	if (res) {
		if (op)
			TEE_FreeOperation(op);
		return res;
	}
	signer = op;
	return TEE_SUCCESS;
}

TEE_Result devkey_sign(const void *msg, size_t len,
		       uint8_t sig[PAYMENT_SIG_LEN])
{
	uint8_t digest[SHA256_LEN] = { 0 };
	size_t sig_len = PAYMENT_SIG_LEN;
	TEE_Result res = TEE_SUCCESS;

	res = sha256(msg, len, digest);
	if (!res && !signer)
		res = make_signer();
	if (!res)
		res = TEE_AsymmetricSignDigest(signer, NULL, 0, digest,
					       sizeof(digest), sig, &sig_len);
	if (!res && sig_len != PAYMENT_SIG_LEN)
		res = TEE_ERROR_GENERIC;
	return res;
}
