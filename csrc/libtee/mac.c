// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 6.5 (MAC Functions): HMAC with MD5,
 * SHA-1, SHA-2, SHA-3 and SM3 and CMAC (AES, triple DES) on OpenSSL's
 * EVP_MAC; CBC-MAC (AES, DES, triple DES; no padding or PKCS#5 padding)
 * built here on the block function.
 *
 * Facts from OP-TEE (lib/libutee/tee_api_operations.c and the core's MAC
 * code) followed here:
 * - TEE_MACInit ignores the IV (CBC-MAC starts from a zero block), panics
 *   without a key and restarts an active operation;
 * - TEE_MACUpdate panics unless the operation is initialised and active;
 * - TEE_MACComputeFinal answers a MAC buffer smaller than the MAC with
 *   TEE_ERROR_SHORT_BUFFER and the size needed, the operation untouched;
 * - TEE_MACCompareFinal gives TEE_ERROR_MAC_INVALID for a MAC of another
 *   length or value (compared in constant time); both finals leave the
 *   operation in its initial state, to be initialised again;
 * - CBC-MAC without padding panics when the message is not a whole number
 *   of blocks.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <tee_api_defines_extensions.h>
#include <tee_internal_api.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"
#include "op_sym.h"

static bool is_cbc_mac(uint32_t alg)
{
	return ((alg >> 8) & 0xF) == 1 || ((alg >> 8) & 0xF) == 5;
}

static bool is_pkcs5(uint32_t alg)
{
	return ((alg >> 8) & 0xF) == 5;
}

/* A live MAC operation, else a panic. */
static struct __TEE_OperationHandle *mac_op(TEE_OperationHandle h)
{
	struct __TEE_OperationHandle *op = op_checked(h);

	if (op->info.operationClass != TEE_OPERATION_MAC)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return op;
}

/* An EVP_MAC context for HMAC or CMAC, keyed. */
static EVP_MAC_CTX *evp_mac(struct __TEE_OperationHandle *op)
{
	uint32_t alg = op->info.algorithm;
	bool cmac = ((alg >> 8) & 0xF) == 6;
	EVP_MAC *mac = fetch_mac(cmac ? "CMAC" : "HMAC");
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	const TEE_Attribute *secret = op_secret(op->key1);
	struct sym_key k = { 0 };
	OSSL_PARAM params[2] = { OSSL_PARAM_END, OSSL_PARAM_END };
	const uint8_t *key = secret->content.ref.buffer;
	size_t key_len = secret->content.ref.length;
	int ok = 0;

	if (cmac) {
		sym_key(alg, op->key1, "CBC", &k);
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_MAC_PARAM_CIPHER, k.name, 0);
		key = k.bytes;
		key_len = k.len;
	} else {
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_MAC_PARAM_DIGEST, (char *)digest_name(alg), 0);
	}
	ok = ctx && EVP_MAC_init(ctx, key, key_len, params);
	OPENSSL_cleanse(&k, sizeof(k));
	if (!ok)
		TEE_Panic(TEE_ERROR_GENERIC);
	return ctx;
}

TEE_API void TEE_MACInit(TEE_OperationHandle operation, const void *IV,
			 size_t IVLen)
{
	struct __TEE_OperationHandle *op = mac_op(operation);
	uint32_t alg = op->info.algorithm;
	struct op_sym *s = op->sym;
	struct sym_key k = { 0 };

	(void)IV; /* unused, as in OP-TEE */
	(void)IVLen;
	if (!(op->info.handleState & TEE_HANDLE_FLAG_KEY_SET))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (op->state != TEE_OPERATION_STATE_INITIAL)
		op_reset(op);
	sym_drop_contexts(s);
	if (is_cbc_mac(alg)) {
		sym_key(alg, op->key1, "ECB", &k);
		s->evp = sym_ctx(&k, NULL, true);
		OPENSSL_cleanse(&k, sizeof(k));
		memset(s->chain, 0, sizeof(s->chain));
		s->part_len = 0;
	} else {
		s->mac = evp_mac(op);
	}
	op->state = TEE_OPERATION_STATE_ACTIVE;
	op->info.handleState |= TEE_HANDLE_FLAG_INITIALIZED;
}

/* CBC-MAC of a byte stream: whole blocks go in, a partial one waits. */
static void cbc_mac_absorb(struct op_sym *s, size_t block, const uint8_t *p,
			   size_t len)
{
	size_t take = 0;
	size_t n = 0;

	while (len) {
		take = MIN(len, block - s->part_len);
		memcpy(s->part + s->part_len, p, take);
		s->part_len += take;
		p += take;
		len -= take;
		if (s->part_len == block) {
			for (n = 0; n < block; n++)
				s->chain[n] ^= s->part[n];
			sym_block(s->evp, s->chain, s->chain);
			s->part_len = 0;
		}
	}
}

static void absorb(struct __TEE_OperationHandle *op, const void *chunk,
		   size_t len)
{
	struct op_sym *s = op->sym;

	if (s->mac) {
		if (len && !EVP_MAC_update(s->mac, chunk, len))
			TEE_Panic(TEE_ERROR_GENERIC);
	} else {
		cbc_mac_absorb(s, op->info.digestLength, chunk, len);
	}
}

/* An operation ready for update or final, else a panic. */
static struct __TEE_OperationHandle *active_op(TEE_OperationHandle h,
					       const void *chunk, size_t len)
{
	struct __TEE_OperationHandle *op = mac_op(h);

	if ((!chunk && len) ||
	    !(op->info.handleState & TEE_HANDLE_FLAG_INITIALIZED) ||
	    op->state != TEE_OPERATION_STATE_ACTIVE)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return op;
}

TEE_API void TEE_MACUpdate(TEE_OperationHandle operation, const void *chunk,
			   size_t chunkSize)
{
	absorb(active_op(operation, chunk, chunkSize), chunk, chunkSize);
}

/* Absorbs message and writes the MAC (digestLength bytes) to out. */
static void finish(struct __TEE_OperationHandle *op, const void *message,
		   size_t len, uint8_t *out)
{
	struct op_sym *s = op->sym;
	size_t block = op->info.digestLength;
	uint8_t pad[SYM_MAX_BLOCK] = { 0 };
	size_t outl = 0;

	absorb(op, message, len);
	if (s->mac) {
		if (!EVP_MAC_final(s->mac, out, &outl, block) || outl != block)
			TEE_Panic(TEE_ERROR_GENERIC);
	} else {
		if (is_pkcs5(op->info.algorithm)) {
			memset(pad, (int)(block - s->part_len),
			       block - s->part_len);
			cbc_mac_absorb(s, block, pad, block - s->part_len);
		} else if (s->part_len) {
			TEE_Panic(TEE_ERROR_BAD_STATE);
		}
		memcpy(out, s->chain, block);
	}
	op_reset(op);
}

TEE_API TEE_Result TEE_MACComputeFinal(TEE_OperationHandle operation,
				       const void *message, size_t messageLen,
				       void *mac, size_t *macLen)
{
	struct __TEE_OperationHandle *op = active_op(operation, message,
						     messageLen);

	if (!macLen)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (*macLen < op->info.digestLength) {
		*macLen = op->info.digestLength;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (!mac)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	finish(op, message, messageLen, mac);
	*macLen = op->info.digestLength;
	return TEE_SUCCESS;
}

TEE_API TEE_Result TEE_MACCompareFinal(TEE_OperationHandle operation,
				       const void *message, size_t messageLen,
				       const void *mac, size_t macLen)
{
	struct __TEE_OperationHandle *op = active_op(operation, message,
						     messageLen);
	uint8_t computed[64] = { 0 };
	TEE_Result res = TEE_SUCCESS;

	if (!mac && macLen)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	finish(op, message, messageLen, computed);
	if (macLen != op->info.digestLength ||
	    CRYPTO_memcmp(mac, computed, macLen))
		res = TEE_ERROR_MAC_INVALID;
	OPENSSL_cleanse(computed, sizeof(computed));
	return res;
}
