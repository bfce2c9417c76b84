// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 6.4 (Symmetric Cipher Functions):
 * AES ECB, CBC, CTR, CTS and XTS, DES and triple DES ECB and CBC, SM4
 * ECB, CBC, CTR and XTS.  Also the block-cipher helpers of op_sym.h.
 *
 * ECB, CBC and CTR are OpenSSL's ciphers.  CTS (CBC with ciphertext
 * stealing, NIST SP 800-38A addendum variant CS3, as RFC 3962) and XTS
 * (IEEE 1619, with ciphertext stealing) are built here on the block
 * function, because OpenSSL processes each update call of those modes as
 * a whole message.  Single DES is triple DES with three equal keys and a
 * two-key triple-DES key becomes K1 K2 K1, so that no legacy provider is
 * needed.
 *
 * Facts from OP-TEE (lib/libutee/tee_api_operations.c) followed here:
 * - what an update returns: see op_sym.h (whole blocks for the block
 *   modes, SM4-CTR included; all but the last one or two blocks for CTS
 *   and XTS; everything for AES-CTR);
 * - a destination smaller than what the call will write gives
 *   TEE_ERROR_SHORT_BUFFER and the size needed, before anything is
 *   processed;
 * - TEE_CipherInit panics without a key, for an IV given to ECB, and for
 *   an IV of the wrong length; it restarts an active operation;
 * - TEE_CipherUpdate and TEE_CipherDoFinal panic unless the operation is
 *   initialised and active; DoFinal panics when a NOPAD mode's input is
 *   not a whole number of blocks, and CTS and XTS panic below one block.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <tee_api_defines_extensions.h>
#include <tee_internal_api.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"
#include "op_sym.h"

/* ---- block-cipher keys and contexts ------------------------------------- */

void sym_key(uint32_t alg, TEE_ObjectHandle key, const char *mode,
	     struct sym_key *k)
{
	const TEE_Attribute *a = op_secret(key);
	const uint8_t *p = a->content.ref.buffer;
	size_t len = a->content.ref.length;
	int w = 0;

	switch (alg & 0xFF) {
	case 0x10: /* AES */
		if (len != 16 && len != 24 && len != 32)
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		w = snprintf(k->name, sizeof(k->name), "AES-%zu-%s", len * 8,
			     mode);
		memcpy(k->bytes, p, len);
		k->len = len;
		break;
	case 0x11: /* DES: K K K */
	case 0x13: /* triple DES: K1 K2 K1, or K1 K2 K3 */
		if (len != 8 && len != 16 && len != 24)
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		if ((alg & 0xFF) == 0x11 ? len != 8 : len == 8)
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		w = snprintf(k->name, sizeof(k->name), "DES-EDE3-%s", mode);
		memcpy(k->bytes, p, len);
		memcpy(k->bytes + len, p, MIN(len, 24 - len));
		if (len == 8)
			memcpy(k->bytes + 16, p, 8);
		k->len = 24;
		break;
	case 0x14: /* SM4 */
		if (len != 16)
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		w = snprintf(k->name, sizeof(k->name), "SM4-%s", mode);
		memcpy(k->bytes, p, len);
		k->len = len;
		break;
	default:
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	}
	if (w < 0 || (size_t)w >= sizeof(k->name))
		TEE_Panic(TEE_ERROR_GENERIC);
}

EVP_CIPHER_CTX *sym_ctx(const struct sym_key *k, const uint8_t *iv,
			bool encrypt)
{
	const EVP_CIPHER *cipher = fetch_cipher(k->name);
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();

	if (!cipher || !c ||
	    (size_t)EVP_CIPHER_get_key_length(cipher) != k->len ||
	    !EVP_CipherInit_ex2(c, cipher, k->bytes, iv, encrypt, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(c, 0))
		TEE_Panic(TEE_ERROR_GENERIC);
	return c;
}

void sym_block(EVP_CIPHER_CTX *c, const uint8_t *in, uint8_t *out)
{
	int len = EVP_CIPHER_CTX_get_block_size(c);
	int outl = 0;

	if (!EVP_CipherUpdate(c, out, &outl, in, len) || outl != len)
		TEE_Panic(TEE_ERROR_GENERIC);
}

bool sm4_available(void)
{
	return fetch_cipher("SM4-ECB") != NULL;
}

/* ---- buffering as libutee ----------------------------------------------- */

size_t sym_pending(const struct op_sym *s, size_t src_len)
{
	size_t total = 0;

	if (s->block == 1)
		return src_len;
	if (ADD_OVERFLOW(s->buf_len, src_len, &total))
		TEE_Panic(TEE_ERROR_OVERFLOW);
	if (!s->two_blocks)
		return ROUNDDOWN(total, s->block);
	if (total <= 2 * s->block)
		return 0;
	return ROUNDUP(total - 2 * s->block, s->block);
}

/* len bytes of the stream held-back bytes || src, from position pos. */
static void stream_read(const struct op_sym *s, const uint8_t *src,
			size_t pos, size_t len, uint8_t *out)
{
	size_t from_buf = 0;

	if (pos < s->buf_len) {
		from_buf = MIN(len, s->buf_len - pos);
		memcpy(out, s->buf + pos, from_buf);
		pos += from_buf;
	}
	if (len > from_buf)
		memcpy(out + from_buf, src + (pos - s->buf_len),
		       len - from_buf);
}

/* sym_feed() for a source the destination does not overlap. */
static void feed(struct __TEE_OperationHandle *op, sym_fn fn,
		 const uint8_t *src, size_t src_len, uint8_t *dst, size_t *dlen)
{
	struct op_sym *s = op->sym;
	size_t n = sym_pending(s, src_len);
	size_t total = s->buf_len + src_len;
	uint8_t tmp[2 * SYM_MAX_BLOCK] = { 0 };
	size_t done = 0;

	if (s->block == 1) {
		if (src_len)
			fn(op, src, src_len, dst);
		*dlen = src_len;
		return;
	}
	/* the blocks that start in the held-back bytes, one at a time */
	while (done < n && done < s->buf_len) {
		stream_read(s, src, done, s->block, tmp);
		fn(op, tmp, s->block, dst + done);
		done += s->block;
	}
	if (done < n)
		fn(op, src + (done - s->buf_len), n - done, dst + done);
	stream_read(s, src, n, total - n, tmp);
	memcpy(s->buf, tmp, total - n);
	s->buf_len = total - n;
	OPENSSL_cleanse(tmp, sizeof(tmp));
	*dlen = n;
}

/* Whether [a, a + alen) and [b, b + blen) share a byte. */
static bool overlap(const uint8_t *a, size_t alen, const uint8_t *b,
		    size_t blen)
{
	uintptr_t x = (uintptr_t)a;
	uintptr_t y = (uintptr_t)b;

	return alen && blen && x < y + blen && y < x + alen;
}

/*
 * Output runs ahead of input by the held-back bytes, so a destination
 * that overlaps the source (in place, as GP allows) is fed from a copy.
 */
void sym_feed(struct __TEE_OperationHandle *op, sym_fn fn, const uint8_t *src,
	      size_t src_len, uint8_t *dst, size_t *dlen)
{
	struct op_sym *s = op->sym;
	uint8_t *copy = NULL;

	if (overlap(src, src_len, dst, sym_pending(s, src_len))) {
		copy = malloc(src_len);
		if (!copy)
			TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
		memcpy(copy, src, src_len);
		feed(op, fn, copy, src_len, dst, dlen);
		OPENSSL_clear_free(copy, src_len);
	} else {
		feed(op, fn, src, src_len, dst, dlen);
	}
}

/* ---- the modes ---------------------------------------------------------- */

/* ECB, CBC and CTR: OpenSSL's own. */
static void run_evp(struct __TEE_OperationHandle *op, const uint8_t *src,
		    size_t len, uint8_t *dst)
{
	int outl = 0;
	size_t done = 0;
	size_t step = 0;

	/* in pieces an int can count, a whole number of blocks each */
	while (done < len) {
		step = MIN(len - done, (size_t)INT_MAX & ~(size_t)15);
		if (!EVP_CipherUpdate(op->sym->evp, dst + done, &outl,
				      src + done, (int)step) ||
		    (size_t)outl != step)
			TEE_Panic(TEE_ERROR_GENERIC);
		done += step;
	}
}

static void xor_block(uint8_t *out, const uint8_t *a, const uint8_t *b,
		      size_t len)
{
	size_t n = 0;

	for (n = 0; n < len; n++)
		out[n] = a[n] ^ b[n];
}

/* CBC on the block function, for CTS: chain holds the chaining value. */
static void run_cbc(struct __TEE_OperationHandle *op, const uint8_t *src,
		    size_t len, uint8_t *dst)
{
	struct op_sym *s = op->sym;
	uint8_t x[SYM_MAX_BLOCK] = { 0 };
	size_t n = 0;

	for (n = 0; n < len; n += 16) {
		if (s->encrypt) {
			xor_block(x, src + n, s->chain, 16);
			sym_block(s->evp, x, dst + n);
			memcpy(s->chain, dst + n, 16);
		} else {
			memcpy(x, src + n, 16); /* src and dst may be one */
			sym_block(s->evp, src + n, dst + n);
			xor_block(dst + n, dst + n, s->chain, 16);
			memcpy(s->chain, x, 16);
		}
	}
}

/* The last one or two blocks of CTS (len < 2 blocks + 1): CS3 swaps them. */
static void cts_final(struct __TEE_OperationHandle *op, const uint8_t *in,
		      size_t len, uint8_t *out)
{
	struct op_sym *s = op->sym;
	size_t d = len - 16;
	uint8_t x[16] = { 0 };
	uint8_t y[16] = { 0 };
	uint8_t z[16] = { 0 };

	if (len <= 16) {
		if (len % 16)
			TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
		run_cbc(op, in, len, out);
		return;
	}
	if (s->encrypt) {
		xor_block(x, in, s->chain, 16);
		sym_block(s->evp, x, x);	/* X = E(P[n-1] ^ C[n-2]) */
		memcpy(y, x, 16);
		xor_block(y, in + 16, x, d);	/* Y = E(pad0(P[n]) ^ X) */
		sym_block(s->evp, y, y);
		memcpy(out + 16, x, d);
		memcpy(out, y, 16);
	} else {
		sym_block(s->evp, in, z);	/* Z = pad0(P[n]) ^ X */
		memcpy(x, in + 16, d);		/* X = C[n] || Z[d..] */
		memcpy(x + d, z + d, 16 - d);
		xor_block(y, z, x, d);		/* P[n] */
		sym_block(s->evp, x, z);
		xor_block(out, z, s->chain, 16);
		memcpy(out + 16, y, d);
	}
	OPENSSL_cleanse(x, 16);
	OPENSSL_cleanse(y, 16);
	OPENSSL_cleanse(z, 16);
}

/* The XTS tweak times alpha in GF(2^128), little-endian (IEEE 1619). */
static void xts_next(uint8_t t[16])
{
	uint8_t carry = t[15] >> 7;
	int n = 0;

	for (n = 15; n > 0; n--)
		t[n] = (uint8_t)(t[n] << 1 | t[n - 1] >> 7);
	t[0] = (uint8_t)(t[0] << 1);
	if (carry)
		t[0] ^= 0x87;
}

static void xts_block(EVP_CIPHER_CTX *c, const uint8_t t[16],
		      const uint8_t *in, uint8_t *out)
{
	uint8_t x[16] = { 0 };

	xor_block(x, in, t, 16);
	sym_block(c, x, x);
	xor_block(out, x, t, 16);
	OPENSSL_cleanse(x, 16);
}

/* XTS on whole blocks: chain holds the tweak of the next block. */
static void run_xts(struct __TEE_OperationHandle *op, const uint8_t *src,
		    size_t len, uint8_t *dst)
{
	struct op_sym *s = op->sym;
	size_t n = 0;

	for (n = 0; n < len; n += 16) {
		xts_block(s->evp, s->chain, src + n, dst + n);
		xts_next(s->chain);
	}
}

/* The last blocks of XTS, stealing ciphertext for a partial one. */
static void xts_final(struct __TEE_OperationHandle *op, const uint8_t *in,
		      size_t len, uint8_t *out)
{
	struct op_sym *s = op->sym;
	size_t r = len % 16;
	size_t full = len - r;
	uint8_t t2[16] = { 0 };
	uint8_t cc[16] = { 0 };

	if (len && len < 16)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (!r) {
		run_xts(op, in, len, out);
		return;
	}
	run_xts(op, in, full - 16, out);
	in += full - 16;
	out += full - 16;
	memcpy(t2, s->chain, 16);
	xts_next(t2);
	/* the last whole block uses the tweak of the partial one to decrypt */
	xts_block(s->evp, s->encrypt ? s->chain : t2, in, cc);
	memcpy(out + 16, cc, r);
	memcpy(cc, in + 16, r);
	xts_block(s->evp, s->encrypt ? t2 : s->chain, cc, out);
	OPENSSL_cleanse(cc, 16);
	OPENSSL_cleanse(t2, 16);
}

/* ---- GP functions ------------------------------------------------------- */

static bool is_ecb(uint32_t alg)
{
	return alg == TEE_ALG_AES_ECB_NOPAD || alg == TEE_ALG_DES_ECB_NOPAD ||
	       alg == TEE_ALG_DES3_ECB_NOPAD || alg == TEE_ALG_SM4_ECB_NOPAD;
}

static bool is_nopad(uint32_t alg)
{
	return is_ecb(alg) || alg == TEE_ALG_AES_CBC_NOPAD ||
	       alg == TEE_ALG_DES_CBC_NOPAD || alg == TEE_ALG_DES3_CBC_NOPAD ||
	       alg == TEE_ALG_SM4_CBC_NOPAD;
}

static bool is_xts(uint32_t alg)
{
	return alg == TEE_ALG_AES_XTS || alg == TEE_ALG_SM4_XTS;
}

/* OpenSSL's mode name of an algorithm it runs itself. */
static const char *evp_mode(uint32_t alg)
{
	switch ((alg >> 8) & 0xF) {
	case 0:
		return "ECB";
	case 1:
		return "CBC";
	default:
		return "CTR";
	}
}

/* A live cipher operation, else a panic. */
static struct __TEE_OperationHandle *cipher_op(TEE_OperationHandle h)
{
	struct __TEE_OperationHandle *op = op_checked(h);

	if (op->info.operationClass != TEE_OPERATION_CIPHER)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return op;
}

TEE_API void TEE_CipherInit(TEE_OperationHandle operation, const void *IV,
			    size_t IVLen)
{
	struct __TEE_OperationHandle *op = cipher_op(operation);
	uint32_t alg = op->info.algorithm;
	struct op_sym *s = op->sym;
	struct sym_key k = { 0 };
	struct sym_key k2 = { 0 };
	EVP_CIPHER_CTX *tweak = NULL;
	bool own_mode = alg == TEE_ALG_AES_CTS || is_xts(alg);
	size_t iv_need = 0;

	if (!(op->info.handleState & TEE_HANDLE_FLAG_KEY_SET))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (op->state != TEE_OPERATION_STATE_INITIAL)
		op_reset(op);
	if ((IV && IVLen && is_ecb(alg)) || (!IV && IVLen))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	sym_drop_contexts(s);
	s->encrypt = op->info.mode == TEE_MODE_ENCRYPT;
	sym_key(alg, op->key1, own_mode ? "ECB" : evp_mode(alg), &k);
	s->evp = sym_ctx(&k, NULL, s->encrypt);
	if (own_mode)
		iv_need = 16;
	else
		iv_need = (size_t)EVP_CIPHER_CTX_get_iv_length(s->evp);
	if (!is_ecb(alg) && IVLen != iv_need)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (own_mode) {
		memcpy(s->chain, IV, 16);
	} else if (iv_need &&
		   !EVP_CipherInit_ex2(s->evp, NULL, NULL, IV, -1, NULL)) {
		TEE_Panic(TEE_ERROR_GENERIC);
	}
	if (is_xts(alg)) {
		/* the first tweak: the IV encrypted with the second key */
		sym_key(alg, op->key2, "ECB", &k2);
		tweak = sym_ctx(&k2, NULL, true);
		sym_block(tweak, s->chain, s->chain);
		EVP_CIPHER_CTX_free(tweak);
	}
	OPENSSL_cleanse(&k, sizeof(k));
	OPENSSL_cleanse(&k2, sizeof(k2));
	s->buf_len = 0;
	op->state = TEE_OPERATION_STATE_ACTIVE;
	op->info.handleState |= TEE_HANDLE_FLAG_INITIALIZED;
}

/* The mode function of whole blocks. */
static sym_fn mode_fn(uint32_t alg)
{
	if (alg == TEE_ALG_AES_CTS)
		return run_cbc;
	if (is_xts(alg))
		return run_xts;
	return run_evp;
}

/* An operation ready for update or final, else a panic. */
static struct __TEE_OperationHandle *active_op(TEE_OperationHandle h,
					       const void *src, size_t len)
{
	struct __TEE_OperationHandle *op = cipher_op(h);

	if ((!src && len) ||
	    !(op->info.handleState & TEE_HANDLE_FLAG_INITIALIZED) ||
	    op->state != TEE_OPERATION_STATE_ACTIVE)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return op;
}

TEE_API TEE_Result TEE_CipherUpdate(TEE_OperationHandle operation,
				    const void *srcData, size_t srcLen,
				    void *destData, size_t *destLen)
{
	struct __TEE_OperationHandle *op = active_op(operation, srcData,
						     srcLen);
	size_t need = 0;

	if (!destLen)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	need = sym_pending(op->sym, srcLen);
	if (*destLen < need) {
		*destLen = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (!destData && need)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	sym_feed(op, mode_fn(op->info.algorithm), srcData, srcLen, destData,
		 destLen);
	return TEE_SUCCESS;
}

TEE_API TEE_Result TEE_CipherDoFinal(TEE_OperationHandle operation,
				     const void *srcData, size_t srcLen,
				     void *destData, size_t *destLen)
{
	struct __TEE_OperationHandle *op = active_op(operation, srcData,
						     srcLen);
	uint32_t alg = op->info.algorithm;
	struct op_sym *s = op->sym;
	uint8_t *dst = destData;
	size_t need = 0;
	size_t done = 0;

	if (ADD_OVERFLOW(s->buf_len, srcLen, &need))
		TEE_Panic(TEE_ERROR_OVERFLOW);
	if (is_nopad(alg) && need % s->block)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if ((destLen ? *destLen : 0) < need) {
		if (destLen)
			*destLen = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (!dst && need)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	sym_feed(op, mode_fn(alg), srcData, srcLen, dst, &done);
	if (alg == TEE_ALG_AES_CTS)
		cts_final(op, s->buf, s->buf_len, dst + done);
	else if (is_xts(alg))
		xts_final(op, s->buf, s->buf_len, dst + done);
	else if (s->buf_len)
		run_evp(op, s->buf, s->buf_len, dst + done); /* SM4-CTR */
	if (destLen)
		*destLen = need;
	op_reset(op);
	return TEE_SUCCESS;
}
