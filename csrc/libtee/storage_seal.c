// SPDX-License-Identifier: BSD-2-Clause
/*
 * Sealed blobs (storage_internal.h): authenticated encryption of a whole
 * file with AES-256-GCM, through OpenSSL's EVP interface directly.
 *
 *   magic[4] | version u32 LE | salt[32] | nonce[12] | ciphertext | tag[16]
 *
 * Every blob gets a fresh random salt and its own key,
 * HKDF-SHA256(ikm = the purpose key, salt, info = "pytee seal v1" |
 * magic), so no (key, nonce) pair is ever used twice whatever the number
 * of writes; the nonce is random too.  The 52 header bytes are the
 * associated data, so a change of magic, version, salt or nonce fails
 * authentication like a change of ciphertext or tag.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "storage_internal.h"

#define SEAL_VERSION	1U
#define SALT_LEN	32U
#define NONCE_LEN	12U
#define TAG_LEN		16U
#define HDR_LEN		(4U + 4U + SALT_LEN + NONCE_LEN)
#define SALT_OFF	8U
#define NONCE_OFF	(SALT_OFF + SALT_LEN)
/* EVP takes int lengths: feed it at most this much at a time. */
#define EVP_CHUNK	(1U << 30)

static const char seal_info[] = "pytee seal v1";

_Static_assert(HDR_LEN + TAG_LEN == ST_SEAL_OVERHEAD, "seal layout");

void st_free_secret(void *p, size_t len)
{
	OPENSSL_clear_free(p, len);
}

TEE_Result st_sha256(const uint8_t *data, size_t len,
		     uint8_t out[ST_HASH_LEN])
{
	unsigned int n = 0;

	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1)
		return TEE_ERROR_OUT_OF_MEMORY;
	return TEE_SUCCESS;
}

TEE_Result st_hkdf(const uint8_t *ikm, size_t ikm_len, const uint8_t *salt,
		   size_t salt_len, const uint8_t *info, size_t info_len,
		   uint8_t *out, size_t out_len)
{
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *ctx = NULL;
	OSSL_PARAM params[5];
	TEE_Result res = TEE_ERROR_OUT_OF_MEMORY;

	/* OSSL_PARAM wants non-const pointers; HKDF only reads them. */
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						     (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						      (void *)ikm, ikm_len);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
						      (void *)salt, salt_len);
	params[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						      (void *)info, info_len);
	params[4] = OSSL_PARAM_construct_end();
	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (!kdf)
		goto out;
	ctx = EVP_KDF_CTX_new(kdf);
	if (!ctx)
		goto out;
	if (EVP_KDF_derive(ctx, out, out_len, params) != 1)
		goto out;
	res = TEE_SUCCESS;
out:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return res;
}

static TEE_Result blob_key(const uint8_t key[ST_KEY_LEN], const char magic[4],
			   const uint8_t salt[SALT_LEN],
			   uint8_t out[ST_KEY_LEN])
{
	uint8_t info[sizeof(seal_info) - 1 + 4] = { 0 };

	memcpy(info, seal_info, sizeof(seal_info) - 1);
	memcpy(info + sizeof(seal_info) - 1, magic, 4);
	return st_hkdf(key, ST_KEY_LEN, salt, SALT_LEN, info, sizeof(info),
		       out, ST_KEY_LEN);
}

/* Runs EVP_CipherUpdate over len bytes in int-sized pieces. */
static bool cipher_all(EVP_CIPHER_CTX *ctx, uint8_t *out, const uint8_t *in,
		       size_t len)
{
	size_t done = 0;
	size_t n = 0;
	int outl = 0;

	while (done < len) {
		n = len - done;
		if (n > EVP_CHUNK)
			n = EVP_CHUNK;
		if (EVP_CipherUpdate(ctx, out + done, &outl, in + done,
				     (int)n) != 1 || (size_t)outl != n)
			return false;
		done += n;
	}
	return true;
}

/*
 * AES-256-GCM over a blob whose header is already in place; encrypting
 * writes the tag after the text, decrypting checks it.
 */
static bool gcm(bool encrypt, const uint8_t key[ST_KEY_LEN],
		const uint8_t *hdr, uint8_t *out, const uint8_t *in,
		size_t len, uint8_t tag[TAG_LEN])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl = 0;
	bool ok = false;

	if (!ctx)
		goto out;
	if (EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL,
			      encrypt) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN,
				NULL) != 1 ||
	    EVP_CipherInit_ex(ctx, NULL, NULL, key, hdr + NONCE_OFF,
			      encrypt) != 1)
		goto out;
	if (EVP_CipherUpdate(ctx, NULL, &outl, hdr, HDR_LEN) != 1)
		goto out;
	if (!cipher_all(ctx, out, in, len))
		goto out;
	if (!encrypt &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN, tag) != 1)
		goto out;
	if (EVP_CipherFinal_ex(ctx, out + len, &outl) != 1 || outl != 0)
		goto out;
	if (encrypt &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag) != 1)
		goto out;
	ok = true;
out:
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

TEE_Result st_seal(const uint8_t key[ST_KEY_LEN], const char magic[4],
		   const uint8_t *pt, size_t pt_len, uint8_t **out,
		   size_t *out_len)
{
	uint8_t file_key[ST_KEY_LEN] = { 0 };
	uint8_t *blob = NULL;
	size_t len = 0;
	TEE_Result res = TEE_ERROR_OUT_OF_MEMORY;

	if (__builtin_add_overflow(pt_len, (size_t)ST_SEAL_OVERHEAD, &len))
		goto out;
	blob = malloc(len);
	if (!blob)
		goto out;
	memcpy(blob, magic, 4);
	blob[4] = SEAL_VERSION;
	blob[5] = 0;
	blob[6] = 0;
	blob[7] = 0;
	res = TEE_ERROR_GENERIC;
	if (RAND_bytes(blob + SALT_OFF, SALT_LEN + NONCE_LEN) != 1)
		goto out;
	res = blob_key(key, magic, blob + SALT_OFF, file_key);
	if (res)
		goto out;
	res = TEE_ERROR_GENERIC;
	if (!gcm(true, file_key, blob, blob + HDR_LEN, pt, pt_len,
		 blob + HDR_LEN + pt_len))
		goto out;
	*out = blob;
	*out_len = len;
	blob = NULL;
	res = TEE_SUCCESS;
out:
	OPENSSL_cleanse(file_key, sizeof(file_key));
	free(blob);
	return res;
}

TEE_Result st_unseal(const uint8_t key[ST_KEY_LEN], const char magic[4],
		     const uint8_t *in, size_t in_len, uint8_t **pt,
		     size_t *pt_len)
{
	uint8_t file_key[ST_KEY_LEN] = { 0 };
	uint8_t tag[TAG_LEN] = { 0 };
	uint8_t *text = NULL;
	size_t len = 0;
	TEE_Result res = TEE_ERROR_CORRUPT_OBJECT;

	if (in_len < ST_SEAL_OVERHEAD || memcmp(in, magic, 4) ||
	    in[4] != SEAL_VERSION || in[5] || in[6] || in[7])
		goto out;
	len = in_len - ST_SEAL_OVERHEAD;
	res = TEE_ERROR_OUT_OF_MEMORY;
	/* One byte more, so that an empty text still gets a block. */
	text = malloc(len + 1);
	if (!text)
		goto out;
	res = blob_key(key, magic, in + SALT_OFF, file_key);
	if (res)
		goto out;
	memcpy(tag, in + HDR_LEN + len, TAG_LEN);
	res = TEE_ERROR_CORRUPT_OBJECT;
	if (!gcm(false, file_key, in, text, in + HDR_LEN, len, tag))
		goto out;
	*pt = text;
	*pt_len = len;
	text = NULL;
	res = TEE_SUCCESS;
out:
	OPENSSL_cleanse(file_key, sizeof(file_key));
	st_free_secret(text, len + 1);
	return res;
}
