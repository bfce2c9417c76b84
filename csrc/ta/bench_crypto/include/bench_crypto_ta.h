/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The crypto benchmark TA (csrc/ta/bench_crypto): each command runs N
 * iterations of one cryptographic operation through the GP TEE Internal
 * Core API, entirely inside the TA, so that a client times one invoke for
 * N operations.  bench/crypto.py is its benchmark client and
 * tests/test_bench_crypto_ta.py checks what it computes.  Plain #defines
 * only.
 *
 * Open session takes no parameters (anything else:
 * TEE_ERROR_BAD_PARAMETERS).  It generates the session's keys with
 * TEE_GenerateKey, an AES-256 key and an ECDSA key pair on NIST P-256,
 * allocates the three operations below with their keys set (AES-GCM
 * encrypt, SHA-256, ECDSA P-256 sign) and a TA_BENCH_CRYPTO_MAX_DATA-byte
 * buffer for ciphertext.  Nothing of that is redone per command.
 *
 * Commands ("none" is TEE_PARAM_TYPE_NONE; wrong types or a data buffer
 * over TA_BENCH_CRYPTO_MAX_DATA: TEE_ERROR_BAD_PARAMETERS; an output
 * buffer too small: its size becomes the size needed and
 * TEE_ERROR_SHORT_BUFFER, before anything runs; unknown command:
 * TEE_ERROR_NOT_SUPPORTED):
 *
 * KEYS        p0 MEMREF_OUTPUT  the AES key (32 bytes)
 *             p1 MEMREF_OUTPUT  the public point's X (big-endian, 32 bytes
 *                               at most)
 *             p2 MEMREF_OUTPUT  the public point's Y (likewise)
 *             (sizes and short buffers as TEE_GetObjectBufferAttribute)
 *
 * REKEY       p0 VALUE_INPUT    a = TA_BENCH_CRYPTO_REKEY_*, b = 0
 *             Generates new keys into the session's key objects
 *             (TEE_ResetTransientObject, TEE_GenerateKey) and gives them to
 *             the AES-GCM and ECDSA operations: SET_KEY with
 *             TEE_SetOperationKey on the operations as they are, REALLOC
 *             after freeing and allocating them again.  (So that tests can
 *             check that no state of the old key outlives a key change.)
 *             After a failure the operations may have no key: close the
 *             session.
 *
 * Each of the three operation commands takes
 *             p0 MEMREF_INPUT   the data (the benchmark passes a 1 MiB
 *                               allocated shared memory block as
 *                               MEMREF_WHOLE: no copy per invoke)
 *             p1 VALUE_INPUT    a = N, the number of iterations (0 runs
 *                               none: the invoke alone), b = 0
 * and gives what the last iteration computed in its optional outputs
 * (MEMREF_OUTPUT or none; after 0 iterations their sizes become 0).
 *
 * AES_GCM     each iteration: TEE_AEInit (a fresh 12-byte nonce, 128-bit
 *             tag, no AAD) then TEE_AEEncryptFinal of the whole of p0 into
 *             the session's buffer.  The nonce is 4 zero bytes and then a
 *             64-bit big-endian counter of the session, 1 for its first
 *             iteration and one more for each next one.
 *             p2 nonce (12 bytes) || tag (16 bytes)
 *             p3 the ciphertext (as long as p0)
 * SHA256      each iteration: TEE_ResetOperation then TEE_DigestDoFinal of
 *             the whole of p0.
 *             p2 the digest (32 bytes); p3 none
 * ECDSA_SIGN  each iteration: TEE_AsymmetricSignDigest of p0 as the
 *             digest (the benchmark gives 32 bytes), TEE_ALG_ECDSA_SHA256.
 *             p2 the signature r || s (64 bytes); p3 none
 */
#ifndef BENCH_CRYPTO_TA_H
#define BENCH_CRYPTO_TA_H

/* 5a918877-84a9-4da1-8a96-588c97a7679b */
#define TA_BENCH_CRYPTO_UUID \
	{ 0x5a918877, 0x84a9, 0x4da1, \
		{ 0x8a, 0x96, 0x58, 0x8c, 0x97, 0xa7, 0x67, 0x9b } }

#define TA_BENCH_CRYPTO_MAX_DATA	(1024 * 1024)
#define TA_BENCH_CRYPTO_AES_KEY_BITS	256
#define TA_BENCH_CRYPTO_EC_KEY_BITS	256
#define TA_BENCH_CRYPTO_NONCE_SIZE	12
#define TA_BENCH_CRYPTO_TAG_SIZE	16

#define TA_BENCH_CRYPTO_CMD_KEYS	0
#define TA_BENCH_CRYPTO_CMD_AES_GCM	1
#define TA_BENCH_CRYPTO_CMD_SHA256	2
#define TA_BENCH_CRYPTO_CMD_ECDSA_SIGN	3
#define TA_BENCH_CRYPTO_CMD_REKEY	4

/* REKEY variants */
#define TA_BENCH_CRYPTO_REKEY_SET_KEY	0
#define TA_BENCH_CRYPTO_REKEY_REALLOC	1

#endif /* BENCH_CRYPTO_TA_H */
