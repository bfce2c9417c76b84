// SPDX-License-Identifier: BSD-2-Clause
/*
 * The reference for bench/crypto.py: the operations of the crypto
 * benchmark TA (csrc/ta/bench_crypto) called directly on OpenSSL's EVP
 * API in this process, with the same sizes, counts and key types.
 *
 *   crypto_openssl [-s size] [-c cpu] OP N [OP N ...]
 *
 *   aes_gcm     AES-256-GCM encryption of size bytes (12-byte nonce: 4 zero
 *               bytes and a 64-bit big-endian counter, as the TA; 16-byte
 *               tag, no AAD) into a separate buffer: per iteration
 *               EVP_EncryptInit_ex2 (new nonce, key kept), EVP_EncryptUpdate,
 *               EVP_EncryptFinal_ex and EVP_CTRL_AEAD_GET_TAG
 *   sha256      SHA-256 of size bytes: EVP_DigestInit_ex, EVP_DigestUpdate,
 *               EVP_DigestFinal_ex
 *   ecdsa_sign  ECDSA on P-256 of a 32-byte digest: EVP_PKEY_sign on a
 *               context initialised once (the signature is DER, as
 *               OpenSSL gives it)
 *
 * Keys, contexts and the random data are made once, before any timing,
 * as the TA makes them once per session; each OP then runs one untimed
 * iteration and N timed ones, and its last result is checked afterwards
 * (decrypted, recomputed or verified) so that a broken loop cannot pass
 * for a fast one.  -s is the data size (default 1 MiB); -c pins the
 * process to that CPU.  Prints one JSON line: for each OP,
 * {"iterations": N, "total_ns": ..., "per_op_us": ...}.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "stats.h"

#define DEFAULT_SIZE	(1024 * 1024)
#define KEY_SIZE	32
#define NONCE_SIZE	12
#define TAG_SIZE	16
#define DIGEST_SIZE	32
#define MAX_SIG_SIZE	80	/* a DER ECDSA P-256 signature: 72 at most */

struct bench {
	size_t size;
	uint8_t *data;
	uint8_t *out;
	uint8_t key[KEY_SIZE];
	uint8_t digest[DIGEST_SIZE];
	uint64_t nonces;
	EVP_CIPHER *aes;
	EVP_CIPHER_CTX *gcm;
	EVP_MD *sha256;
	EVP_MD_CTX *md;
	EVP_PKEY *ec;
	EVP_PKEY_CTX *sign;
	/* the last result of each operation */
	uint8_t nonce[NONCE_SIZE];
	uint8_t tag[TAG_SIZE];
	uint8_t hash[DIGEST_SIZE];
	uint8_t sig[MAX_SIG_SIZE];
	size_t sig_len;
};

typedef bool (*op_fn)(struct bench *b);

struct op {
	const char *name;
	op_fn once;	/* one iteration */
	op_fn check;	/* the last result is right */
};

static void put_be64(uint8_t *p, uint64_t v)
{
	for (size_t i = 8; i > 0; i--) {
		p[i - 1] = (uint8_t)v;
		v >>= 8;
	}
}

static bool aes_gcm_once(struct bench *b)
{
	int len = 0;
	int tail = 0;

	b->nonces++;
	put_be64(b->nonce + 4, b->nonces);
	return EVP_EncryptInit_ex2(b->gcm, NULL, NULL, b->nonce, NULL) &&
	       EVP_EncryptUpdate(b->gcm, b->out, &len, b->data,
				 (int)b->size) &&
	       EVP_EncryptFinal_ex(b->gcm, b->out + len, &tail) &&
	       (size_t)(len + tail) == b->size &&
	       EVP_CIPHER_CTX_ctrl(b->gcm, EVP_CTRL_AEAD_GET_TAG, TAG_SIZE,
				   b->tag);
}

/* Decrypts the last ciphertext with the last nonce and tag. */
static bool aes_gcm_check(struct bench *b)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t *plain = malloc(b->size);
	size_t ivlen = NONCE_SIZE;
	OSSL_PARAM params[2] = {
		OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN,
					    &ivlen),
		OSSL_PARAM_END,
	};
	int len = 0;
	int tail = 0;
	bool ok = false;

	ok = ctx && plain &&
	     EVP_DecryptInit_ex2(ctx, b->aes, b->key, b->nonce, params) &&
	     EVP_DecryptUpdate(ctx, plain, &len, b->out, (int)b->size) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, TAG_SIZE,
				 b->tag) &&
	     EVP_DecryptFinal_ex(ctx, plain + len, &tail) == 1 &&
	     memcmp(plain, b->data, b->size) == 0;
	free(plain);
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

static bool sha256_once(struct bench *b)
{
	unsigned int len = 0;

	return EVP_DigestInit_ex(b->md, b->sha256, NULL) &&
	       EVP_DigestUpdate(b->md, b->data, b->size) &&
	       EVP_DigestFinal_ex(b->md, b->hash, &len) && len == DIGEST_SIZE;
}

static bool sha256_check(struct bench *b)
{
	uint8_t again[DIGEST_SIZE] = { 0 };
	unsigned int len = 0;

	return EVP_Digest(b->data, b->size, again, &len, b->sha256, NULL) &&
	       memcmp(again, b->hash, sizeof(again)) == 0;
}

static bool ecdsa_sign_once(struct bench *b)
{
	b->sig_len = sizeof(b->sig);
	return EVP_PKEY_sign(b->sign, b->sig, &b->sig_len, b->digest,
			     sizeof(b->digest)) > 0;
}

static bool ecdsa_sign_check(struct bench *b)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, b->ec, NULL);
	bool ok = ctx && EVP_PKEY_verify_init(ctx) > 0 &&
		  EVP_PKEY_verify(ctx, b->sig, b->sig_len, b->digest,
				  sizeof(b->digest)) == 1;

	EVP_PKEY_CTX_free(ctx);
	return ok;
}

static const struct op ops[] = {
	{ "aes_gcm", aes_gcm_once, aes_gcm_check },
	{ "sha256", sha256_once, sha256_check },
	{ "ecdsa_sign", ecdsa_sign_once, ecdsa_sign_check },
};

static bool setup(struct bench *b)
{
	size_t ivlen = NONCE_SIZE;
	OSSL_PARAM params[2] = {
		OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN,
					    &ivlen),
		OSSL_PARAM_END,
	};

	b->data = malloc(b->size);
	b->out = malloc(b->size);
	b->aes = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
	b->gcm = EVP_CIPHER_CTX_new();
	b->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	b->md = EVP_MD_CTX_new();
	b->ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	b->sign = b->ec ? EVP_PKEY_CTX_new_from_pkey(NULL, b->ec, NULL) : NULL;
	return b->data && b->out && b->aes && b->gcm && b->sha256 && b->md &&
	       b->sign && RAND_bytes(b->data, (int)b->size) == 1 &&
	       RAND_bytes(b->key, sizeof(b->key)) == 1 &&
	       RAND_bytes(b->digest, sizeof(b->digest)) == 1 &&
	       EVP_EncryptInit_ex2(b->gcm, b->aes, b->key, NULL, params) &&
	       EVP_PKEY_sign_init(b->sign) > 0;
}

static void teardown(struct bench *b)
{
	EVP_PKEY_CTX_free(b->sign);
	EVP_PKEY_free(b->ec);
	EVP_MD_CTX_free(b->md);
	EVP_MD_free(b->sha256);
	EVP_CIPHER_CTX_free(b->gcm);
	EVP_CIPHER_free(b->aes);
	free(b->out);
	free(b->data);
	OPENSSL_cleanse(b->key, sizeof(b->key));
}

static bool parse_count(const char *s, long *out)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < 0)
		return false;
	*out = v;
	return true;
}

static const struct op *find_op(const char *name)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(ops[i].name, name) == 0)
			return &ops[i];
	return NULL;
}

/* One untimed iteration, n timed ones, the check; false on failure. */
static bool run(struct bench *b, const struct op *op, long n, bool first)
{
	uint64_t start = 0;
	uint64_t total = 0;

	if (!op->once(b))
		return false;
	start = now_ns();
	for (long i = 0; i < n; i++)
		if (!op->once(b))
			return false;
	total = now_ns() - start;
	if (!op->check(b)) {
		fprintf(stderr, "crypto_openssl: %s: wrong result\n", op->name);
		return false;
	}
	printf("%s\"%s\": {\"iterations\": %ld, \"total_ns\": %llu, "
	       "\"per_op_us\": %.3f}",
	       first ? "" : ", ", op->name, n, (unsigned long long)total,
	       n ? (double)total / (double)n / 1000.0 : 0.0);
	return true;
}

int main(int argc, char **argv)
{
	struct bench b = { 0 };
	long size = DEFAULT_SIZE;
	long cpu = -1;
	long n = 0;
	const struct op *op = NULL;
	int opt = 0;
	int rc = 1;

	while ((opt = getopt(argc, argv, "s:c:")) != -1) {
		long *target = opt == 's' ? &size : opt == 'c' ? &cpu : NULL;

		if (!target || !parse_count(optarg, target))
			goto usage;
	}
	/* EVP_EncryptUpdate takes an int length */
	if (size < 1 || size > INT32_MAX || optind >= argc ||
	    (argc - optind) % 2)
		goto usage;
	for (int a = optind; a < argc; a += 2)
		if (!find_op(argv[a]) || !parse_count(argv[a + 1], &n))
			goto usage;
	if (cpu >= 0 && pin_to_cpu((int)cpu)) {
		perror("crypto_openssl: sched_setaffinity");
		return 1;
	}
	b.size = (size_t)size;
	if (!setup(&b)) {
		fprintf(stderr, "crypto_openssl: setting up OpenSSL failed\n");
		goto out;
	}
	printf("{");
	for (int a = optind; a < argc; a += 2) {
		/* both checked before setup */
		op = find_op(argv[a]);
		parse_count(argv[a + 1], &n);
		if (!run(&b, op, n, a == optind)) {
			fprintf(stderr, "crypto_openssl: %s failed\n", op->name);
			goto out;
		}
	}
	printf("}\n");
	rc = 0;
out:
	teardown(&b);
	return rc;
usage:
	fprintf(stderr,
		"usage: crypto_openssl [-s size] [-c cpu] OP N [OP N ...]\n"
		"OP: aes_gcm, sha256, ecdsa_sign\n");
	return 2;
}
