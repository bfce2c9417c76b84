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
 *
 * Every algorithm comes from fetch.c, fetched once per process.  HKDF is
 * RFC 5869 written out over one HMAC-SHA256 context re-keyed for each
 * step: OpenSSL 3.0's own HKDF calls HMAC(), which fetches HMAC and
 * SHA-256 again on every derivation, and a seal or unseal derives a key
 * each time.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "libtee_internal.h"
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
_Static_assert(ST_KEY_LEN == ST_HASH_LEN, "a key is one HKDF-SHA256 block");

void st_free_secret(void *p, size_t len)
{
	OPENSSL_clear_free(p, len);
}

TEE_Result st_sha256(const uint8_t *data, size_t len,
		     uint8_t out[ST_HASH_LEN])
{
	const EVP_MD *md = fetch_md("SHA256");
	unsigned int n = 0;

	if (!md || EVP_Digest(data, len, out, &n, md, NULL) != 1)
		return TEE_ERROR_OUT_OF_MEMORY;
	return TEE_SUCCESS;
}

EVP_MAC_CTX *st_mac_new(const uint8_t *key, size_t key_len)
{
	EVP_MAC *mac = fetch_mac("HMAC");
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	/* OSSL_PARAM wants a non-const pointer; it is only read. */
	OSSL_PARAM params[2] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						 (char *)"SHA256", 0),
		OSSL_PARAM_END,
	};

	if (ctx && (EVP_MAC_CTX_set_params(ctx, params) != 1 ||
		    (key && EVP_MAC_init(ctx, key, key_len, NULL) != 1))) {
		EVP_MAC_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

void st_mac_free(EVP_MAC_CTX *ctx)
{
	EVP_MAC_CTX_free(ctx);
}

TEE_Result st_mac(EVP_MAC_CTX *ctx, const uint8_t *key, size_t key_len,
		  const struct st_chunk *in, size_t n, uint8_t out[ST_HASH_LEN])
{
	size_t len = 0;
	size_t i = 0;

	/* A NULL key starts again under the key the context has. */
	if (EVP_MAC_init(ctx, key, key_len, NULL) != 1)
		return TEE_ERROR_OUT_OF_MEMORY;
	for (i = 0; i < n; i++) {
		if (in[i].len && EVP_MAC_update(ctx, in[i].p, in[i].len) != 1)
			return TEE_ERROR_OUT_OF_MEMORY;
	}
	if (EVP_MAC_final(ctx, out, &len, ST_HASH_LEN) != 1 ||
	    len != ST_HASH_LEN)
		return TEE_ERROR_OUT_OF_MEMORY;
	return TEE_SUCCESS;
}

/* The HMAC-SHA256 context st_hkdf re-keys for each step, made once. */
static EVP_MAC_CTX *hkdf_mac;

/*
 * RFC 5869 with SHA-256 for one block of output (L = HashLen = 32):
 * PRK = HMAC(salt, IKM), OKM = T(1) = HMAC(PRK, info | 0x01).  An empty
 * salt is an empty HMAC key, the same as RFC 5869's HashLen zeros.
 */
TEE_Result st_hkdf(const uint8_t *ikm, size_t ikm_len, const uint8_t *salt,
		   size_t salt_len, const uint8_t *info, size_t info_len,
		   uint8_t out[ST_KEY_LEN])
{
	static const uint8_t one = 1;
	uint8_t prk[ST_HASH_LEN] = { 0 };
	struct st_chunk in[2] = { { ikm, ikm_len }, { NULL, 0 } };
	TEE_Result res = TEE_ERROR_OUT_OF_MEMORY;

	if (!hkdf_mac)
		hkdf_mac = st_mac_new(NULL, 0);
	if (hkdf_mac)
		res = st_mac(hkdf_mac, salt, salt_len, in, 1, prk);
	in[0] = (struct st_chunk){ info, info_len };
	in[1] = (struct st_chunk){ &one, 1 };
	if (!res)
		res = st_mac(hkdf_mac, prk, sizeof(prk), in, 2, out);
	OPENSSL_cleanse(prk, sizeof(prk));
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
		       out);
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
	const EVP_CIPHER *cipher = fetch_cipher("AES-256-GCM");
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl = 0;
	bool ok = false;

	if (!ctx)
		goto out;
	if (!cipher ||
	    EVP_CipherInit_ex(ctx, cipher, NULL, NULL, NULL, encrypt) != 1 ||
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
