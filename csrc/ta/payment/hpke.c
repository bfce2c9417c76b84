// SPDX-License-Identifier: BSD-2-Clause
/*
 * HPKE (RFC 9180), base mode, single-shot seal, suite DHKEM(P-256,
 * HKDF-SHA256) 0x0010 / HKDF-SHA256 0x0001 / AES-128-GCM 0x0001, from GP
 * crypto only:
 *
 *   ephemeral key   TEE_GenerateKey(TEE_TYPE_ECDH_KEYPAIR, P-256)
 *   DH              TEE_DeriveKey(TEE_ALG_ECDH_P256): the x coordinate
 *   Extract+Expand  TEE_DeriveKey(TEE_ALG_HKDF_SHA256_DERIVE_KEY), OP-TEE's
 *                   HKDF (RFC 5869), which runs both steps in one
 *   Extract alone   TEE_ALG_HMAC_SHA256 (HKDF-Extract is HMAC(salt, ikm))
 *   AEAD            TEE_ALG_AES_GCM, 128-bit tag
 *
 * Every Expand of a base-mode seal comes straight after an Extract:
 *
 *   shared_secret = LabeledExpand(LabeledExtract("", "eae_prk", dh),
 *                                 "shared_secret", enc || pkR, 32)
 *   key           = LabeledExpand(LabeledExtract(shared_secret, "secret", ""),
 *                                 "key", key_schedule_context, 16)
 *   base_nonce    = the same with "base_nonce", 12
 *
 * so the GP HKDF derives them, with the RFC's labels put into its IKM
 * and info.  Only psk_id_hash and info_hash are Extracts whose result is
 * used as is, which the HKDF derivation cannot give: those are HMACs
 * under the all-zero salt (RFC 5869: an empty salt is HashLen zeros).
 * With one message per context the sequence number is 0 and the nonce
 * is base_nonce itself.
 */
#include <string.h>

#include <tee_api_defines_extensions.h>

#include "payment_internal.h"

#define HPKE_NK		16	/* AES-128-GCM key */
#define HPKE_NN		12	/* its nonce */
#define HPKE_NSECRET	32	/* DHKEM(P-256) shared secret */
#define HPKE_MODE_BASE	0x00
#define LABEL_MAX	192	/* room for any labeled IKM or info below */

static const char hpke_v1[] = "HPKE-v1";
/* "KEM" || I2OSP(kem_id, 2) */
static const uint8_t kem_suite[] = { 'K', 'E', 'M', 0x00, 0x10 };
/* "HPKE" || I2OSP(kem_id, 2) || I2OSP(kdf_id, 2) || I2OSP(aead_id, 2) */
static const uint8_t hpke_suite[] = {
	'H', 'P', 'K', 'E', 0x00, 0x10, 0x00, 0x01, 0x00, 0x01,
};

/* The intermediate secrets, wiped together when the seal ends. */
struct hpke_secrets {
	uint8_t dh[P256_LEN];
	uint8_t shared_secret[HPKE_NSECRET];
	uint8_t key[HPKE_NK];
	uint8_t nonce[HPKE_NN];
	uint8_t labeled[LABEL_MAX];	/* holds dh while it is an IKM */
};

/* "HPKE-v1" || suite_id || label || ikm: the IKM of LabeledExtract. */
static void labeled_ikm(struct writer *w, const uint8_t *suite,
			size_t suite_len, const char *label, const void *ikm,
			size_t ikm_len)
{
	wr_bytes(w, hpke_v1, sizeof(hpke_v1) - 1);
	wr_bytes(w, suite, suite_len);
	wr_bytes(w, label, strlen(label));
	wr_bytes(w, ikm, ikm_len);
}

/* I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info: LabeledExpand's. */
static void labeled_info(struct writer *w, uint16_t out_len,
			 const uint8_t *suite, size_t suite_len,
			 const char *label, const void *info, size_t info_len)
{
	wr_u16(w, out_len);
	labeled_ikm(w, suite, suite_len, label, info, info_len);
}

/* HKDF-SHA256(salt, ikm, info) of out_len bytes, by the GP derivation. */
static TEE_Result hkdf(const void *salt, size_t salt_len, const void *ikm,
		       size_t ikm_len, const void *info, size_t info_len,
		       uint8_t *out, size_t out_len)
{
	TEE_ObjectHandle ikm_obj = TEE_HANDLE_NULL;
	TEE_ObjectHandle okm_obj = TEE_HANDLE_NULL;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Attribute attr = { 0 };
	TEE_Attribute params[3] = { 0 };
	uint32_t count = 0;
	uint32_t ikm_bits = (uint32_t)ikm_len * 8;
	size_t got = out_len;
	TEE_Result res = TEE_SUCCESS;

	TEE_InitRefAttribute(&attr, TEE_ATTR_HKDF_IKM, ikm, ikm_len);
	TEE_InitRefAttribute(&params[count++], __OPTEE_TEE_ATTR_HKDF_INFO,
			     info, info_len);
	TEE_InitValueAttribute(&params[count++], TEE_ATTR_HKDF_OKM_LENGTH,
			       (uint32_t)out_len, 0);
	if (salt_len)
		TEE_InitRefAttribute(&params[count++],
				     __OPTEE_TEE_ATTR_HKDF_SALT, salt,
				     salt_len);
	res = TEE_AllocateTransientObject(TEE_TYPE_HKDF_IKM, ikm_bits,
					  &ikm_obj);
	if (!res)
		res = TEE_PopulateTransientObject(ikm_obj, &attr, 1);
	if (!res)
		res = TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET,
						  (uint32_t)out_len * 8,
						  &okm_obj);
	if (!res)
		res = TEE_AllocateOperation(&op, TEE_ALG_HKDF_SHA256_DERIVE_KEY,
					    TEE_MODE_DERIVE, ikm_bits);
	if (!res)
		res = TEE_SetOperationKey(op, ikm_obj);
	if (!res) {
		TEE_DeriveKey(op, params, count, okm_obj);
		res = TEE_GetObjectBufferAttribute(okm_obj,
						   TEE_ATTR_SECRET_VALUE, out,
						   &got);
	}
	if (!res && got != out_len)
		res = TEE_ERROR_GENERIC;
	if (op)
		TEE_FreeOperation(op);
	if (okm_obj)
		TEE_FreeTransientObject(okm_obj);
	if (ikm_obj)
		TEE_FreeTransientObject(ikm_obj);
	return res;
}

/* HKDF-Extract with no salt (HashLen zeros): HMAC-SHA256(0^32, ikm). */
static TEE_Result extract_nosalt(const void *ikm, size_t ikm_len,
				 uint8_t out[SHA256_LEN])
{
	static const uint8_t zeros[SHA256_LEN];
	TEE_ObjectHandle key = TEE_HANDLE_NULL;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Attribute attr = { 0 };
	size_t got = SHA256_LEN;
	TEE_Result res = TEE_SUCCESS;

	TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE, zeros,
			     sizeof(zeros));
	res = TEE_AllocateTransientObject(TEE_TYPE_HMAC_SHA256, 256, &key);
	if (!res)
		res = TEE_PopulateTransientObject(key, &attr, 1);
	if (!res)
		res = TEE_AllocateOperation(&op, TEE_ALG_HMAC_SHA256,
					    TEE_MODE_MAC, 256);
	if (!res)
		res = TEE_SetOperationKey(op, key);
	if (!res) {
		TEE_MACInit(op, NULL, 0);
		res = TEE_MACComputeFinal(op, ikm, ikm_len, out, &got);
	}
	if (op)
		TEE_FreeOperation(op);
	if (key)
		TEE_FreeTransientObject(key);
	return res;
}

/* A fresh P-256 key pair, and its public key as enc (04 || X || Y). */
static TEE_Result ephemeral(TEE_ObjectHandle *eph, uint8_t enc[HPKE_ENC_LEN])
{
	TEE_Attribute curve = { 0 };
	TEE_Result res = TEE_SUCCESS;

	TEE_InitValueAttribute(&curve, TEE_ATTR_ECC_CURVE,
			       TEE_ECC_CURVE_NIST_P256, 0);
	res = TEE_AllocateTransientObject(TEE_TYPE_ECDH_KEYPAIR, 256, eph);
	if (res)
		return res;
	res = TEE_GenerateKey(*eph, 256, &curve, 1);
	enc[0] = 0x04;
	if (!res)
		res = p256_get_attr(*eph, TEE_ATTR_ECC_PUBLIC_VALUE_X, enc + 1);
	if (!res)
		res = p256_get_attr(*eph, TEE_ATTR_ECC_PUBLIC_VALUE_Y,
				    enc + 1 + P256_LEN);
	return res;
}

/* DH(skE, pkR): the x coordinate of the shared point. */
static TEE_Result ecdh(TEE_ObjectHandle eph,
		       const uint8_t pk_r[PAYMENT_PUBKEY_LEN],
		       uint8_t dh[P256_LEN])
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_ObjectHandle secret = TEE_HANDLE_NULL;
	TEE_Attribute point[2] = { 0 };
	TEE_Result res = TEE_SUCCESS;

	p256_point_attrs(pk_r, point);
	res = TEE_AllocateOperation(&op, TEE_ALG_ECDH_P256, TEE_MODE_DERIVE,
				    256);
	if (!res)
		res = TEE_SetOperationKey(op, eph);
	if (!res)
		res = TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET,
						  256, &secret);
	if (!res) {
		TEE_DeriveKey(op, point, 2, secret);
		res = p256_get_attr(secret, TEE_ATTR_SECRET_VALUE, dh);
	}
	if (secret)
		TEE_FreeTransientObject(secret);
	if (op)
		TEE_FreeOperation(op);
	return res;
}

/* DHKEM's ExtractAndExpand(dh, enc || pkR) (RFC 9180 4.1). */
static TEE_Result kem_shared_secret(struct hpke_secrets *k,
				    const uint8_t enc[HPKE_ENC_LEN],
				    const uint8_t pk_r[PAYMENT_PUBKEY_LEN])
{
	uint8_t kem_context[2 * PAYMENT_PUBKEY_LEN] = { 0 };
	uint8_t info[LABEL_MAX] = { 0 };
	struct writer ikm_w = { 0 };
	struct writer info_w = { 0 };

	memcpy(kem_context, enc, HPKE_ENC_LEN);
	memcpy(kem_context + HPKE_ENC_LEN, pk_r, PAYMENT_PUBKEY_LEN);
	wr_init(&ikm_w, k->labeled, sizeof(k->labeled));
	labeled_ikm(&ikm_w, kem_suite, sizeof(kem_suite), "eae_prk", k->dh,
		    sizeof(k->dh));
	wr_init(&info_w, info, sizeof(info));
	labeled_info(&info_w, HPKE_NSECRET, kem_suite, sizeof(kem_suite),
		     "shared_secret", kem_context, sizeof(kem_context));
	if (ikm_w.bad || info_w.bad)
		return TEE_ERROR_GENERIC;
	return hkdf(NULL, 0, k->labeled, ikm_w.len, info, info_w.len,
		    k->shared_secret, sizeof(k->shared_secret));
}

/* KeySchedule(mode_base, shared_secret, info, "", "") (RFC 9180 5.1). */
static TEE_Result key_schedule(struct hpke_secrets *k, const void *info,
			       size_t info_len)
{
	/* mode || psk_id_hash || info_hash */
	uint8_t ksc[1 + 2 * SHA256_LEN] = { HPKE_MODE_BASE };
	uint8_t buf[LABEL_MAX] = { 0 };
	uint8_t secret_ikm[LABEL_MAX] = { 0 };
	struct writer w = { 0 };
	struct writer sw = { 0 };
	TEE_Result res = TEE_SUCCESS;

	wr_init(&w, buf, sizeof(buf));
	labeled_ikm(&w, hpke_suite, sizeof(hpke_suite), "psk_id_hash", NULL, 0);
	if (w.bad)
		return TEE_ERROR_GENERIC;
	res = extract_nosalt(buf, w.len, ksc + 1);
	if (res)
		return res;
	wr_init(&w, buf, sizeof(buf));
	labeled_ikm(&w, hpke_suite, sizeof(hpke_suite), "info_hash", info,
		    info_len);
	if (w.bad)
		return TEE_ERROR_BAD_PARAMETERS;
	res = extract_nosalt(buf, w.len, ksc + 1 + SHA256_LEN);
	if (res)
		return res;

	/* secret = LabeledExtract(shared_secret, "secret", psk = "") */
	wr_init(&sw, secret_ikm, sizeof(secret_ikm));
	labeled_ikm(&sw, hpke_suite, sizeof(hpke_suite), "secret", NULL, 0);
	wr_init(&w, buf, sizeof(buf));
	labeled_info(&w, HPKE_NK, hpke_suite, sizeof(hpke_suite), "key", ksc,
		     sizeof(ksc));
	if (sw.bad || w.bad)
		return TEE_ERROR_GENERIC;
	res = hkdf(k->shared_secret, sizeof(k->shared_secret), secret_ikm,
		   sw.len, buf, w.len, k->key, sizeof(k->key));
	if (res)
		return res;
	wr_init(&w, buf, sizeof(buf));
	labeled_info(&w, HPKE_NN, hpke_suite, sizeof(hpke_suite), "base_nonce",
		     ksc, sizeof(ksc));
	if (w.bad)
		return TEE_ERROR_GENERIC;
	return hkdf(k->shared_secret, sizeof(k->shared_secret), secret_ikm,
		    sw.len, buf, w.len, k->nonce, sizeof(k->nonce));
}

/* AES-128-GCM of pt under (key, nonce), no AAD: ct || tag into out. */
static TEE_Result aead_seal(const struct hpke_secrets *k, const void *pt,
			    size_t pt_len, uint8_t *out)
{
	TEE_ObjectHandle key = TEE_HANDLE_NULL;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Attribute attr = { 0 };
	size_t ct_len = pt_len;
	size_t tag_len = HPKE_TAG_LEN;
	TEE_Result res = TEE_SUCCESS;

	TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE, k->key,
			     sizeof(k->key));
	res = TEE_AllocateTransientObject(TEE_TYPE_AES, HPKE_NK * 8, &key);
	if (!res)
		res = TEE_PopulateTransientObject(key, &attr, 1);
	if (!res)
		res = TEE_AllocateOperation(&op, TEE_ALG_AES_GCM,
					    TEE_MODE_ENCRYPT, HPKE_NK * 8);
	if (!res)
		res = TEE_SetOperationKey(op, key);
	if (!res)
		res = TEE_AEInit(op, k->nonce, sizeof(k->nonce),
				 HPKE_TAG_LEN * 8, 0, pt_len);
	if (!res)
		res = TEE_AEEncryptFinal(op, pt, pt_len, out, &ct_len,
					 out + pt_len, &tag_len);
	if (!res && (ct_len != pt_len || tag_len != HPKE_TAG_LEN))
		res = TEE_ERROR_GENERIC;
	if (op)
		TEE_FreeOperation(op);
	if (key)
		TEE_FreeTransientObject(key);
	return res;
}

TEE_Result hpke_seal(const uint8_t pk_r[PAYMENT_PUBKEY_LEN], const void *info,
		     size_t info_len, const void *pt, size_t pt_len,
		     uint8_t *out, size_t out_len)
{
	struct hpke_secrets k = { 0 };
	TEE_ObjectHandle eph = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	if (out_len != HPKE_ENC_LEN + pt_len + HPKE_TAG_LEN)
		return TEE_ERROR_BAD_PARAMETERS;
	if (!p256_point_valid(pk_r))
		return TEE_ERROR_SECURITY;
	res = ephemeral(&eph, out);
	if (!res)
		res = ecdh(eph, pk_r, k.dh);
	if (!res)
		res = kem_shared_secret(&k, out, pk_r);
	if (!res)
		res = key_schedule(&k, info, info_len);
	if (!res)
		res = aead_seal(&k, pt, pt_len, out + HPKE_ENC_LEN);
	if (eph)
		TEE_FreeTransientObject(eph);
	TEE_MemFill(&k, 0, sizeof(k));
	return res;
}
