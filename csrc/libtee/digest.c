// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 6.3 (Message Digest Functions): MD5,
 * SHA-1, SHA-2, SHA-3, SHAKE128/256 and SM3 on OpenSSL's EVP digests.
 *
 * Facts from OP-TEE (lib/libutee/tee_api_operations.c) followed here:
 * - TEE_DigestDoFinal answers a hash buffer smaller than the digest with
 *   TEE_ERROR_SHORT_BUFFER and the size needed, leaving the operation as
 *   it was (the chunk is not absorbed); other misuse panics;
 * - TEE_DigestExtract on a fixed-size digest finishes it and hands out
 *   its bytes piece by piece; TEE_DigestDoFinal then gives the rest;
 * - on SHAKE, TEE_DigestDoFinal writes exactly *hashLen bytes and
 *   TEE_DigestExtract squeezes *hashLen more each call; both set the
 *   operation state to TEE_OPERATION_STATE_EXTRACTING (Extract) and back
 *   to initial (DoFinal);
 * - TEE_DigestUpdate and TEE_DigestExtract panic on anything but a
 *   digest operation.
 *
 * OpenSSL 3.0 cannot squeeze a XOF twice, so each extraction finishes a
 * copy of the absorbing state and keeps only the bytes past those already
 * given out.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <tee_internal_api.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"
#include "op_sym.h"

const char *digest_name(uint32_t alg)
{
	if (alg == TEE_ALG_SHAKE128)
		return "SHAKE128";
	if (alg == TEE_ALG_SHAKE256)
		return "SHAKE256";
	/* the digest is the main algorithm (bits 7-0) of hashes and HMACs */
	switch (alg & 0xFF) {
	case TEE_ALG_MD5 & 0xFF:
		return "MD5";
	case TEE_ALG_SHA1 & 0xFF:
		return "SHA1";
	case TEE_ALG_SHA224 & 0xFF:
		return "SHA224";
	case TEE_ALG_SHA256 & 0xFF:
		return "SHA256";
	case TEE_ALG_SHA384 & 0xFF:
		return "SHA384";
	case TEE_ALG_SHA512 & 0xFF:
		return "SHA512";
	case TEE_ALG_SM3 & 0xFF:
		return "SM3";
	case TEE_ALG_SHA3_224 & 0xFF:
		return "SHA3-224";
	case TEE_ALG_SHA3_256 & 0xFF:
		return "SHA3-256";
	case TEE_ALG_SHA3_384 & 0xFF:
		return "SHA3-384";
	case TEE_ALG_SHA3_512 & 0xFF:
		return "SHA3-512";
	default:
		return NULL;
	}
}

bool digest_available(uint32_t alg)
{
	return fetch_md(digest_name(alg)) != NULL;
}

static bool is_xof(uint32_t alg)
{
	return alg == TEE_ALG_SHAKE128 || alg == TEE_ALG_SHAKE256;
}

void digest_start(struct __TEE_OperationHandle *op)
{
	struct op_sym *s = op_sym(op);
	const EVP_MD *md = fetch_md(digest_name(op->info.algorithm));

	if (!s->md)
		s->md = EVP_MD_CTX_new();
	if (!md || !s->md || !EVP_DigestInit_ex(s->md, md, NULL))
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	s->digest_off = 0;
	OPENSSL_cleanse(s->digest, sizeof(s->digest));
}

/* A live digest operation, else a panic. */
static struct __TEE_OperationHandle *digest_op(TEE_OperationHandle h)
{
	struct __TEE_OperationHandle *op = op_checked(h);

	if (op->info.operationClass != TEE_OPERATION_DIGEST)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return op;
}

static void absorb(struct op_sym *s, const void *chunk, size_t len)
{
	if (len && !EVP_DigestUpdate(s->md, chunk, len))
		TEE_Panic(TEE_ERROR_GENERIC);
}

/* The next len bytes of the XOF output of what s absorbed. */
static void squeeze(struct op_sym *s, uint8_t *out, size_t len)
{
	EVP_MD_CTX *copy = NULL;
	uint8_t *all = NULL;
	size_t total = 0;

	if (!len)
		return;
	if (ADD_OVERFLOW(s->digest_off, len, &total))
		TEE_Panic(TEE_ERROR_OVERFLOW);
	copy = EVP_MD_CTX_new();
	all = malloc(total);
	if (!copy || !all || !EVP_MD_CTX_copy_ex(copy, s->md) ||
	    !EVP_DigestFinalXOF(copy, all, total))
		TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	memcpy(out, all + s->digest_off, len);
	s->digest_off = total;
	OPENSSL_clear_free(all, total);
	EVP_MD_CTX_free(copy);
}

TEE_API void TEE_DigestUpdate(TEE_OperationHandle operation, const void *chunk,
			      size_t chunkSize)
{
	struct __TEE_OperationHandle *op = digest_op(operation);

	if ((!chunk && chunkSize) ||
	    op->state == TEE_OPERATION_STATE_EXTRACTING)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	op->state = TEE_OPERATION_STATE_ACTIVE;
	absorb(op->sym, chunk, chunkSize);
}

/* Finishes a fixed-size digest into s->digest (digest_off 0). */
static void finish_fixed(struct __TEE_OperationHandle *op)
{
	struct op_sym *s = op->sym;
	unsigned int len = 0;

	if (!EVP_DigestFinal_ex(s->md, s->digest, &len) ||
	    len != op->info.digestLength)
		TEE_Panic(TEE_ERROR_GENERIC);
	s->digest_off = 0;
}

TEE_API TEE_Result TEE_DigestDoFinal(TEE_OperationHandle operation,
				     const void *chunk, size_t chunkLen,
				     void *hash, size_t *hashLen)
{
	struct __TEE_OperationHandle *op = digest_op(operation);
	struct op_sym *s = op->sym;
	bool extracting = op->state == TEE_OPERATION_STATE_EXTRACTING;
	size_t len = 0;

	if ((!chunk && chunkLen) || (extracting && chunkLen) || !hashLen ||
	    (!hash && *hashLen))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (is_xof(op->info.algorithm)) {
		absorb(s, chunk, chunkLen);
		squeeze(s, hash, *hashLen);
	} else if (extracting) {
		len = MIN(op->info.digestLength - s->digest_off, *hashLen);
		memcpy(hash, s->digest + s->digest_off, len);
		*hashLen = len;
	} else if (*hashLen < op->info.digestLength) {
		*hashLen = op->info.digestLength;
		return TEE_ERROR_SHORT_BUFFER;
	} else {
		absorb(s, chunk, chunkLen);
		finish_fixed(op);
		memcpy(hash, s->digest, op->info.digestLength);
		*hashLen = op->info.digestLength;
	}
	op_reset(op);
	return TEE_SUCCESS;
}

TEE_API TEE_Result TEE_DigestExtract(TEE_OperationHandle operation, void *hash,
				     size_t *hashLen)
{
	struct __TEE_OperationHandle *op = digest_op(operation);
	struct op_sym *s = op->sym;
	size_t len = 0;

	if (!hashLen || (!hash && *hashLen))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (is_xof(op->info.algorithm)) {
		squeeze(s, hash, *hashLen);
	} else {
		if (op->state != TEE_OPERATION_STATE_EXTRACTING)
			finish_fixed(op);
		len = MIN(op->info.digestLength - s->digest_off, *hashLen);
		memcpy(hash, s->digest + s->digest_off, len);
		s->digest_off += len;
		*hashLen = len;
	}
	op->state = TEE_OPERATION_STATE_EXTRACTING;
	op->info.handleState |= TEE_HANDLE_FLAG_EXTRACTING;
	return TEE_SUCCESS;
}
