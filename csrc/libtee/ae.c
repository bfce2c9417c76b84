// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 6.6 (Authenticated Encryption
 * Functions): AES-GCM on OpenSSL's cipher, AES-CCM (NIST SP 800-38C)
 * built here on the block function, because OpenSSL's CCM takes the
 * payload in a single call while GP streams it.
 *
 * Facts from OP-TEE (lib/libutee/tee_api_operations.c, core CCM code)
 * followed here:
 * - TEE_AEInit panics for a NULL nonce or an operation that is not in
 *   its initial state; an unsupported tag length is
 *   TEE_ERROR_NOT_SUPPORTED (GCM: 96 to 128 bits in steps of 8; CCM: 32
 *   to 128 in steps of 16); digestLength becomes the tag length in bytes;
 * - TEE_AEUpdateAAD panics once payload has been given (the operation is
 *   then active) and before TEE_AEInit;
 * - what an update returns: everything for GCM, whole blocks for CCM (the
 *   rest comes out of the final call);
 * - the finals answer a short destination or tag buffer with
 *   TEE_ERROR_SHORT_BUFFER and the sizes needed before processing
 *   anything; TEE_AEDecryptFinal gives TEE_ERROR_MAC_INVALID for a wrong
 *   tag and for a tag of another length than TEE_AEInit set.
 *
 * Differences, on purpose: after TEE_ERROR_MAC_INVALID the bytes the
 * final call wrote are wiped and *destLen is left as it was; CCM panics
 * for a nonce outside 7..13 bytes, for more AAD or payload than
 * TEE_AEInit announced, and for less at the final call.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <tee_internal_api.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"
#include "op_sym.h"

static bool is_gcm(const struct __TEE_OperationHandle *op)
{
	return op->info.algorithm == TEE_ALG_AES_GCM;
}

/* A live AE operation, else a panic. */
static struct __TEE_OperationHandle *ae_op(TEE_OperationHandle h)
{
	struct __TEE_OperationHandle *op = op_checked(h);

	if (op->info.operationClass != TEE_OPERATION_AE)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return op;
}

/* ---- CCM ---------------------------------------------------------------- */

/* CBC-MAC of the CCM blocks: whole blocks go in, a partial one waits. */
static void ccm_mac(struct op_sym *s, const uint8_t *p, size_t len)
{
	size_t take = 0;
	size_t n = 0;

	while (len) {
		take = MIN(len, 16 - s->part_len);
		memcpy(s->part + s->part_len, p, take);
		s->part_len += take;
		p += take;
		len -= take;
		if (s->part_len == 16) {
			for (n = 0; n < 16; n++)
				s->chain[n] ^= s->part[n];
			sym_block(s->evp, s->chain, s->chain);
			s->part_len = 0;
		}
	}
}

/* Ends a CBC-MAC input section (AAD or payload) with zero padding. */
static void ccm_mac_pad(struct op_sym *s)
{
	static const uint8_t zeros[16];

	if (s->part_len)
		ccm_mac(s, zeros, 16 - s->part_len);
}

/* Big-endian v in the last len bytes of p. */
static void put_be(uint8_t *p, size_t len, uint64_t v)
{
	size_t n = 0;

	for (n = len; n > 0; n--) {
		p[n - 1] = (uint8_t)v;
		v >>= 8;
	}
}

/* B0, the AAD length prefix, the counter blocks; panics as documented. */
static void ccm_start(struct __TEE_OperationHandle *op, const uint8_t *nonce,
		      size_t nonce_len, size_t tag_len, size_t aad_len,
		      size_t payload_len)
{
	struct op_sym *s = op->sym;
	size_t l = 15 - nonce_len;	/* bytes of the payload length */
	uint8_t b0[16] = { 0 };
	uint8_t prefix[10] = { 0 };
	size_t prefix_len = 0;
	struct sym_key k = { 0 };

	if (nonce_len < 7 || nonce_len > 13 ||
	    (l < 8 && (uint64_t)payload_len >> (8 * l)))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	sym_key(op->info.algorithm, op->key1, "ECB", &k);
	s->evp = sym_ctx(&k, NULL, true);
	OPENSSL_cleanse(&k, sizeof(k));
	b0[0] = (uint8_t)((aad_len ? 0x40 : 0) | ((tag_len - 2) / 2) << 3 |
			  (l - 1));
	memcpy(b0 + 1, nonce, nonce_len);
	put_be(b0 + 1 + nonce_len, l, payload_len);
	memset(s->chain, 0, 16);
	s->part_len = 0;
	ccm_mac(s, b0, 16);
	if (aad_len) {
		if ((uint64_t)aad_len < 0xFF00) {
			prefix_len = 2;
		} else if ((uint64_t)aad_len <= UINT32_MAX) {
			prefix[0] = 0xFF;
			prefix[1] = 0xFE;
			prefix_len = 6;
		} else {
			prefix[0] = 0xFF;
			prefix[1] = 0xFF;
			prefix_len = 10;
		}
		put_be(prefix + (prefix_len > 2 ? 2 : 0),
		       prefix_len > 2 ? prefix_len - 2 : 2, aad_len);
		ccm_mac(s, prefix, prefix_len);
	}
	/* counter block A0 masks the tag; the payload starts at A1 */
	memset(s->ctr, 0, 16);
	s->ctr[0] = (uint8_t)(l - 1);
	memcpy(s->ctr + 1, nonce, nonce_len);
	sym_block(s->evp, s->ctr, s->s0);
	s->ctr[15] = 1;
	s->ks_off = 16;
	s->aad_left = aad_len;
	s->payload_left = payload_len;
}

/* The CTR part of CCM; the counter is the whole block, big-endian. */
static void ccm_ctr(struct op_sym *s, const uint8_t *in, size_t len,
		    uint8_t *out)
{
	size_t n = 0;
	int i = 0;

	for (n = 0; n < len; n++) {
		if (s->ks_off == 16) {
			sym_block(s->evp, s->ctr, s->ks);
			for (i = 15; i >= 0 && !++s->ctr[i]; i--)
				;
			s->ks_off = 0;
		}
		out[n] = in[n] ^ s->ks[s->ks_off++];
	}
}

/* sym_fn of CCM: the payload, encrypted or decrypted, into the MAC. */
static void ccm_payload(struct __TEE_OperationHandle *op, const uint8_t *src,
			size_t len, uint8_t *dst)
{
	struct op_sym *s = op->sym;

	if (s->aad_left || len > s->payload_left)
		TEE_Panic(TEE_ERROR_BAD_STATE);
	s->payload_left -= len;
	if (s->encrypt) {
		ccm_mac(s, src, len);
		ccm_ctr(s, src, len, dst);
	} else {
		ccm_ctr(s, src, len, dst);
		ccm_mac(s, dst, len);
	}
}

/* The CCM tag (digestLength bytes) once all payload is in. */
static void ccm_tag(struct __TEE_OperationHandle *op, uint8_t *tag)
{
	struct op_sym *s = op->sym;
	size_t n = 0;

	if (s->aad_left || s->payload_left)
		TEE_Panic(TEE_ERROR_BAD_STATE);
	ccm_mac_pad(s);
	for (n = 0; n < op->info.digestLength; n++)
		tag[n] = s->chain[n] ^ s->s0[n];
}

/* ---- GCM ---------------------------------------------------------------- */

static void gcm_start(struct __TEE_OperationHandle *op, const uint8_t *nonce,
		      size_t nonce_len)
{
	struct op_sym *s = op->sym;
	struct sym_key k = { 0 };
	size_t ivlen = nonce_len;
	OSSL_PARAM params[2] = {
		OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN,
					    &ivlen),
		OSSL_PARAM_END,
	};

	if (!nonce_len)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	sym_key(op->info.algorithm, op->key1, "GCM", &k);
	s->evp = sym_ctx(&k, NULL, s->encrypt);
	OPENSSL_cleanse(&k, sizeof(k));
	if (!EVP_CIPHER_CTX_set_params(s->evp, params) ||
	    !EVP_CipherInit_ex2(s->evp, NULL, NULL, nonce, -1, NULL))
		TEE_Panic(TEE_ERROR_GENERIC);
}

/* sym_fn of GCM. */
static void gcm_payload(struct __TEE_OperationHandle *op, const uint8_t *src,
			size_t len, uint8_t *dst)
{
	int outl = 0;
	size_t done = 0;
	size_t step = 0;

	while (done < len) {
		step = MIN(len - done, (size_t)1 << 30);
		if (!EVP_CipherUpdate(op->sym->evp, dst + done, &outl,
				      src + done, (int)step) ||
		    (size_t)outl != step)
			TEE_Panic(TEE_ERROR_GENERIC);
		done += step;
	}
}

/* ---- GP functions ------------------------------------------------------- */

TEE_API TEE_Result TEE_AEInit(TEE_OperationHandle operation, const void *nonce,
			      size_t nonceLen, uint32_t tagLen, size_t AADLen,
			      size_t payloadLen)
{
	struct __TEE_OperationHandle *op = NULL;
	struct op_sym *s = NULL;

	if (!operation || !nonce)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	op = ae_op(operation);
	s = op->sym;
	if (op->state != TEE_OPERATION_STATE_INITIAL)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (is_gcm(op) ? tagLen < 96 || tagLen > 128 || tagLen % 8 :
			 tagLen < 32 || tagLen > 128 || tagLen % 16)
		return TEE_ERROR_NOT_SUPPORTED;
	if (!(op->info.handleState & TEE_HANDLE_FLAG_KEY_SET))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	sym_drop_contexts(s);
	s->encrypt = op->info.mode == TEE_MODE_ENCRYPT;
	if (is_gcm(op))
		gcm_start(op, nonce, nonceLen);
	else
		ccm_start(op, nonce, nonceLen, tagLen / 8, AADLen, payloadLen);
	op->info.digestLength = tagLen / 8;
	s->buf_len = 0;
	op->info.handleState |= TEE_HANDLE_FLAG_INITIALIZED;
	return TEE_SUCCESS;
}

TEE_API void TEE_AEUpdateAAD(TEE_OperationHandle operation,
			     const void *AADdata, size_t AADdataLen)
{
	struct __TEE_OperationHandle *op = ae_op(operation);
	struct op_sym *s = op->sym;
	int outl = 0;

	if ((!AADdata && AADdataLen) ||
	    op->state != TEE_OPERATION_STATE_INITIAL ||
	    !(op->info.handleState & TEE_HANDLE_FLAG_INITIALIZED))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (!AADdataLen)
		return;
	if (is_gcm(op)) {
		if (AADdataLen > INT32_MAX ||
		    !EVP_CipherUpdate(s->evp, NULL, &outl, AADdata,
				      (int)AADdataLen))
			TEE_Panic(TEE_ERROR_GENERIC);
		return;
	}
	if (AADdataLen > s->aad_left)
		TEE_Panic(TEE_ERROR_BAD_STATE);
	ccm_mac(s, AADdata, AADdataLen);
	s->aad_left -= AADdataLen;
	if (!s->aad_left)
		ccm_mac_pad(s);
}

/* An initialised operation and a sane source, else a panic. */
static struct __TEE_OperationHandle *ready_op(TEE_OperationHandle h,
					      const void *src, size_t len)
{
	struct __TEE_OperationHandle *op = ae_op(h);

	if ((!src && len) ||
	    !(op->info.handleState & TEE_HANDLE_FLAG_INITIALIZED))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return op;
}

static sym_fn payload_fn(const struct __TEE_OperationHandle *op)
{
	return is_gcm(op) ? gcm_payload : ccm_payload;
}

TEE_API TEE_Result TEE_AEUpdate(TEE_OperationHandle operation,
				const void *srcData, size_t srcLen,
				void *destData, size_t *destLen)
{
	struct __TEE_OperationHandle *op = ready_op(operation, srcData, srcLen);
	size_t need = 0;

	if (!destLen)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (!srcLen) {
		*destLen = 0;
		return TEE_SUCCESS;
	}
	need = sym_pending(op->sym, srcLen);
	if (*destLen < need) {
		*destLen = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (!destData && need)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	sym_feed(op, payload_fn(op), srcData, srcLen, destData, destLen);
	op->state = TEE_OPERATION_STATE_ACTIVE;
	return TEE_SUCCESS;
}

/*
 * The payload of a final call: what is held back and src, all of it, to
 * dst (sized by the caller).  Returns the bytes written.  Only CCM holds
 * bytes back.
 */
static size_t final_payload(struct __TEE_OperationHandle *op, const void *src,
			    size_t len, uint8_t *dst)
{
	struct op_sym *s = op->sym;
	size_t done = 0;

	sym_feed(op, payload_fn(op), src, len, dst, &done);
	if (s->buf_len) {
		ccm_payload(op, s->buf, s->buf_len, dst + done);
		done += s->buf_len;
		s->buf_len = 0;
	}
	return done;
}

/* Bytes a final call writes: held back and new, or a panic on overflow. */
static size_t final_need(const struct op_sym *s, size_t src_len)
{
	size_t need = 0;

	if (ADD_OVERFLOW(s->buf_len, src_len, &need))
		TEE_Panic(TEE_ERROR_OVERFLOW);
	return need;
}

TEE_API TEE_Result TEE_AEEncryptFinal(TEE_OperationHandle operation,
				      const void *srcData, size_t srcLen,
				      void *destData, size_t *destLen,
				      void *tag, size_t *tagLen)
{
	struct __TEE_OperationHandle *op = ready_op(operation, srcData, srcLen);
	size_t need = 0;
	size_t t = op->info.digestLength;
	TEE_Result res = TEE_SUCCESS;
	int outl = 0;

	if (!destLen || !tagLen)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	need = final_need(op->sym, srcLen);
	if (*destLen < need) {
		*destLen = need;
		res = TEE_ERROR_SHORT_BUFFER;
	}
	if (*tagLen < t) {
		*tagLen = t;
		res = TEE_ERROR_SHORT_BUFFER;
	}
	if (res)
		return res;
	if ((!destData && need) || !tag)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	final_payload(op, srcData, srcLen, destData);
	if (is_gcm(op)) {
		if (!EVP_EncryptFinal_ex(op->sym->evp, NULL, &outl) ||
		    !EVP_CIPHER_CTX_ctrl(op->sym->evp, EVP_CTRL_AEAD_GET_TAG,
					 (int)t, tag))
			TEE_Panic(TEE_ERROR_GENERIC);
	} else {
		ccm_tag(op, tag);
	}
	*destLen = need;
	*tagLen = t;
	op_reset(op);
	return TEE_SUCCESS;
}

/* Whether tag (len bytes) is the operation's tag, once all is in. */
static bool tag_ok(struct __TEE_OperationHandle *op, const uint8_t *tag,
		   size_t len)
{
	uint8_t mine[16] = { 0 };
	int outl = 0;
	bool ok = len == op->info.digestLength;

	if (is_gcm(op)) {
		/* OpenSSL checks the tag it is given against its own */
		ok = ok && EVP_CIPHER_CTX_ctrl(op->sym->evp,
					       EVP_CTRL_AEAD_SET_TAG, (int)len,
					       (void *)tag) &&
		     EVP_DecryptFinal_ex(op->sym->evp, NULL, &outl);
	} else {
		ccm_tag(op, mine);
		ok = ok && !CRYPTO_memcmp(mine, tag, len);
		OPENSSL_cleanse(mine, sizeof(mine));
	}
	return ok;
}

TEE_API TEE_Result TEE_AEDecryptFinal(TEE_OperationHandle operation,
				      const void *srcData, size_t srcLen,
				      void *destData, size_t *destLen,
				      void *tag, size_t tagLen)
{
	struct __TEE_OperationHandle *op = ready_op(operation, srcData, srcLen);
	size_t need = 0;
	TEE_Result res = TEE_SUCCESS;

	if (!destLen || (!tag && tagLen))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	need = final_need(op->sym, srcLen);
	if (*destLen < need) {
		*destLen = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (!destData && need)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	final_payload(op, srcData, srcLen, destData);
	if (tag_ok(op, tag, tagLen)) {
		*destLen = need;
	} else {
		if (need)
			OPENSSL_cleanse(destData, need);
		res = TEE_ERROR_MAC_INVALID;
	}
	op_reset(op);
	return res;
}
