/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The symmetric part of an operation (struct op_sym), shared by
 * operation.c (life cycle: allocate, reset, copy, free) and the files of
 * each operation class: digest.c, cipher.c, mac.c, ae.c.
 *
 * Input buffering follows OP-TEE's libutee so that every call returns the
 * same number of bytes as there: the block modes (ECB, CBC, SM4-CTR, CCM)
 * hold back the bytes of an incomplete block, CTS and XTS hold back the
 * last two blocks (more exactly: more than one block and at most two),
 * AES-CTR and GCM pass everything through.
 */
#ifndef LIBTEE_OP_SYM_H
#define LIBTEE_OP_SYM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include <tee_internal_api.h>

#define SYM_MAX_BLOCK	16u

struct op_sym {
	/* held-back input, as libutee's buffer */
	size_t block;			/* 1: none held back */
	bool two_blocks;		/* CTS, XTS */
	uint8_t buf[2 * SYM_MAX_BLOCK];
	size_t buf_len;

	/* digest.c */
	EVP_MD_CTX *md;			/* absorbing state */
	uint8_t digest[64];		/* a finished fixed-size digest */
	size_t digest_off;		/* bytes of it (or of a XOF) out */

	/* mac.c, cipher.c, ae.c */
	EVP_MAC_CTX *mac;		/* HMAC, CMAC */
	EVP_CIPHER_CTX *evp;		/* the cipher, or the block function
					   of the modes built here (CTS,
					   XTS, CBC-MAC, CCM) */
	bool encrypt;
	uint8_t chain[SYM_MAX_BLOCK];	/* CBC chaining value, XTS tweak,
					   CCM CBC-MAC state */
	uint8_t part[SYM_MAX_BLOCK];	/* CBC-MAC, CCM: partial MAC block */
	size_t part_len;

	/* ae.c, CCM only */
	uint8_t ctr[SYM_MAX_BLOCK];	/* counter block */
	uint8_t s0[SYM_MAX_BLOCK];	/* E(A0), masks the tag */
	uint8_t ks[SYM_MAX_BLOCK];	/* key stream of the current block */
	size_t ks_off;			/* SYM_MAX_BLOCK: none left */
	uint64_t aad_left;
	uint64_t payload_left;
};

/*
 * operation.c: the operation's symmetric state (panics if it has none:
 * an asymmetric operation); back to the initial state after a final
 * call; the secret of a key object (panics if it has none).
 */
struct op_sym *op_sym(struct __TEE_OperationHandle *op);
void op_reset(struct __TEE_OperationHandle *op);
const TEE_Attribute *op_secret(TEE_ObjectHandle key);

/* operation.c: free the OpenSSL contexts of s. */
void sym_drop_contexts(struct op_sym *s);

/*
 * cipher.c: the held-back bytes and then src go through fn, as much as
 * the buffering rule lets out now: whole blocks only and, with
 * two_blocks, all but the last two at most.  fn gets a multiple of the
 * block size and writes as many bytes to dst; *dlen gets the total.
 * sym_pending() tells beforehand how many bytes that will be.
 */
typedef void (*sym_fn)(struct __TEE_OperationHandle *op, const uint8_t *src,
		       size_t len, uint8_t *dst);
size_t sym_pending(const struct op_sym *s, size_t src_len);
void sym_feed(struct __TEE_OperationHandle *op, sym_fn fn, const uint8_t *src,
	      size_t src_len, uint8_t *dst, size_t *dlen);

/*
 * cipher.c: a block-cipher key as OpenSSL takes it: name is the cipher
 * "<AES-128|DES-EDE3|SM4>-<mode>" and bytes the key (a DES or two-key
 * triple-DES key repeated to three keys).  sym_key() panics for a key
 * length the algorithm does not take; sym_ctx() makes a context with
 * padding off, or panics.
 */
struct sym_key {
	char name[32];
	uint8_t bytes[32];
	size_t len;
};
void sym_key(uint32_t alg, TEE_ObjectHandle key, const char *mode,
	     struct sym_key *k);
EVP_CIPHER_CTX *sym_ctx(const struct sym_key *k, const uint8_t *iv,
			bool encrypt);
/* cipher.c: one block through a context made by sym_ctx(). */
void sym_block(EVP_CIPHER_CTX *c, const uint8_t *in, uint8_t *out);
/* cipher.c: whether the OpenSSL of this host has SM4. */
bool sm4_available(void);

/* digest.c: (re)start the digest of op's algorithm. */
void digest_start(struct __TEE_OperationHandle *op);
/* digest.c: whether the OpenSSL of this host has a TEE_ALG_* hash. */
bool digest_available(uint32_t alg);
/* digest.c: the OpenSSL name of a TEE_ALG_* hash or HMAC, or NULL. */
const char *digest_name(uint32_t alg);

#endif /* LIBTEE_OP_SYM_H */
