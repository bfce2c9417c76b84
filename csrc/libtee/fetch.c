// SPDX-License-Identifier: BSD-2-Clause
/*
 * OpenSSL algorithms fetched once per process (libtee_internal.h).
 *
 * OpenSSL 3 looks an algorithm up in its provider store on every
 * EVP_*_fetch, and on every implicit fetch too (EVP_sha256() handed to an
 * init function, HMAC(), EVP_Q_mac(), ...): a name lookup, a method-store
 * query under locks, reference counting, and the frees that go with them.
 * A TA host does that thousands of times a second for the same dozen
 * names.  Here each kind (digests, ciphers, MACs, KDFs) keeps a list of
 * the algorithms already fetched, by name; a fetched algorithm is
 * reference counted, immutable and shareable between threads, so the list
 * hands out borrowed pointers that live as long as the process (they are
 * never freed: OpenSSL's own atexit cleanup may run before libtee's
 * destructors would).
 *
 * The same goes for the EVP_PKEY_CTX that EVP_PKEY_fromdata() needs to
 * build a key from its numbers: making one fetches the key manager and
 * walks every name OpenSSL knows (to find a legacy type).
 * EVP_PKEY_fromdata() only reads its context (ctx->keymgmt), so one
 * context per key type, initialised once, serves every thread.
 *
 * Lookups take no lock: nodes are only ever pushed at the head, fully
 * built before the release store that publishes them, and never removed.
 * Adding takes a mutex, so that two threads missing the same name at once
 * keep one fetch and free the other.  A failed fetch is not remembered.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "libtee_internal.h"

struct fetched {
	struct fetched *next;
	void *alg;
	char name[];
};

struct kind {
	_Atomic(struct fetched *) head;
	void *(*fetch)(const char *name);
	void (*drop)(void *alg);
};

static pthread_mutex_t add_lock = PTHREAD_MUTEX_INITIALIZER;

static void *md_fetch(const char *name)
{
	return EVP_MD_fetch(NULL, name, NULL);
}

static void md_free(void *alg)
{
	EVP_MD_free(alg);
}

static void *cipher_fetch(const char *name)
{
	return EVP_CIPHER_fetch(NULL, name, NULL);
}

static void cipher_free(void *alg)
{
	EVP_CIPHER_free(alg);
}

static void *mac_fetch(const char *name)
{
	return EVP_MAC_fetch(NULL, name, NULL);
}

static void mac_free(void *alg)
{
	EVP_MAC_free(alg);
}

static void *kdf_fetch(const char *name)
{
	return EVP_KDF_fetch(NULL, name, NULL);
}

static void kdf_free(void *alg)
{
	EVP_KDF_free(alg);
}

static void *fromdata_new(const char *type)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);

	if (ctx && EVP_PKEY_fromdata_init(ctx) <= 0) {
		EVP_PKEY_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

static void fromdata_free(void *ctx)
{
	EVP_PKEY_CTX_free(ctx);
}

static struct kind mds = { .fetch = md_fetch, .drop = md_free };
static struct kind ciphers = { .fetch = cipher_fetch, .drop = cipher_free };
static struct kind macs = { .fetch = mac_fetch, .drop = mac_free };
static struct kind kdfs = { .fetch = kdf_fetch, .drop = kdf_free };
static struct kind fromdata = { .fetch = fromdata_new, .drop = fromdata_free };

static void *find(struct fetched *f, const char *name)
{
	for (; f; f = f->next) {
		if (!strcmp(f->name, name))
			return f->alg;
	}
	return NULL;
}

static void *lookup(struct kind *k, const char *name)
{
	size_t len = 0;
	struct fetched *f = NULL;
	void *alg = NULL;

	if (!name)
		return NULL;
	alg = find(atomic_load_explicit(&k->head, memory_order_acquire), name);
	if (alg)
		return alg;
	alg = k->fetch(name);
	if (!alg)
		return NULL;
	len = strlen(name);
	f = malloc(sizeof(*f) + len + 1);
	if (!f) {
		k->drop(alg);
		return NULL;
	}
	f->alg = alg;
	memcpy(f->name, name, len + 1);
	pthread_mutex_lock(&add_lock);
	f->next = atomic_load_explicit(&k->head, memory_order_relaxed);
	alg = find(f->next, name);
	if (!alg) {
		atomic_store_explicit(&k->head, f, memory_order_release);
		alg = f->alg;
		f = NULL;
	}
	pthread_mutex_unlock(&add_lock);
	if (f) {
		/* another thread fetched it meanwhile */
		k->drop(f->alg);
		free(f);
	}
	return alg;
}

const EVP_MD *fetch_md(const char *name)
{
	return lookup(&mds, name);
}

const EVP_CIPHER *fetch_cipher(const char *name)
{
	return lookup(&ciphers, name);
}

EVP_MAC *fetch_mac(const char *name)
{
	return lookup(&macs, name);
}

EVP_KDF *fetch_kdf(const char *name)
{
	return lookup(&kdfs, name);
}

EVP_PKEY_CTX *fetch_fromdata(const char *type)
{
	return lookup(&fromdata, type);
}
