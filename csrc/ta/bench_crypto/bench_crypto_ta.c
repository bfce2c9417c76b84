// SPDX-License-Identifier: BSD-2-Clause
/*
 * The crypto benchmark TA: N iterations of AES-256-GCM, SHA-256 or ECDSA
 * P-256 signing per invoke, through the GP TEE Internal Core API only, on
 * keys and operations set up once per session.  Commands and parameters
 * are documented in include/bench_crypto_ta.h.  GP API only, so it builds
 * with OP-TEE's dev kit as well.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>

#include <bench_crypto_ta.h>

#define PT_NONE	TEE_PARAM_TYPE_NONE
#define PT_VIN	TEE_PARAM_TYPE_VALUE_INPUT
#define PT_MIN	TEE_PARAM_TYPE_MEMREF_INPUT
#define PT_MOUT	TEE_PARAM_TYPE_MEMREF_OUTPUT

#define EC_COORD_SIZE	(TA_BENCH_CRYPTO_EC_KEY_BITS / 8)
#define NONCE_SIZE	TA_BENCH_CRYPTO_NONCE_SIZE
#define TAG_SIZE	TA_BENCH_CRYPTO_TAG_SIZE
#define SHA256_SIZE	32
#define SIGNATURE_SIZE	(2 * EC_COORD_SIZE)
/* The largest result of one iteration: an ECDSA signature. */
#define LAST_MAX	SIGNATURE_SIZE
_Static_assert(NONCE_SIZE + TAG_SIZE <= LAST_MAX && SHA256_SIZE <= LAST_MAX,
	       "every last result fits LAST_MAX");

struct bench {
	TEE_ObjectHandle aes_key;
	TEE_ObjectHandle ec_key;
	TEE_OperationHandle ae;
	TEE_OperationHandle digest;
	TEE_OperationHandle sign;
	uint8_t *ciphertext;		/* TA_BENCH_CRYPTO_MAX_DATA bytes */
	uint64_t nonces;		/* AES-GCM nonces used so far */
};

/* Runs n iterations on (src, len); the last result goes to last. */
typedef TEE_Result (*run_fn)(struct bench *b, const void *src, size_t len,
			     uint32_t n, uint8_t *last);

struct command {
	uint32_t id;
	run_fn run;
	size_t last_size;	/* bytes of the last result, given in p2 */
	bool ciphertext;	/* p3 may take the ciphertext */
};

static void put_be64(uint8_t *p, uint64_t v)
{
	size_t i = 0;

	for (i = 8; i > 0; i--) {
		p[i - 1] = (uint8_t)v;
		v >>= 8;
	}
}

static TEE_Result run_aes_gcm(struct bench *b, const void *src, size_t len,
			      uint32_t n, uint8_t *last)
{
	uint8_t nonce[NONCE_SIZE] = { 0 };
	size_t dst_len = 0;
	size_t tag_len = 0;
	uint32_t i = 0;
	TEE_Result res = TEE_SUCCESS;

	for (i = 0; i < n && res == TEE_SUCCESS; i++) {
		b->nonces++;
		put_be64(nonce + 4, b->nonces);
		res = TEE_AEInit(b->ae, nonce, sizeof(nonce), 8 * TAG_SIZE, 0,
				 len);
		dst_len = TA_BENCH_CRYPTO_MAX_DATA;
		tag_len = TAG_SIZE;
		if (res == TEE_SUCCESS)
			res = TEE_AEEncryptFinal(b->ae, src, len, b->ciphertext,
						 &dst_len, last + NONCE_SIZE,
						 &tag_len);
	}
	TEE_MemMove(last, nonce, sizeof(nonce));
	return res;
}

static TEE_Result run_sha256(struct bench *b, const void *src, size_t len,
			     uint32_t n, uint8_t *last)
{
	size_t hash_len = 0;
	uint32_t i = 0;
	TEE_Result res = TEE_SUCCESS;

	for (i = 0; i < n && res == TEE_SUCCESS; i++) {
		TEE_ResetOperation(b->digest);
		hash_len = SHA256_SIZE;
		res = TEE_DigestDoFinal(b->digest, src, len, last, &hash_len);
	}
	return res;
}

static TEE_Result run_ecdsa_sign(struct bench *b, const void *src, size_t len,
				 uint32_t n, uint8_t *last)
{
	size_t sig_len = 0;
	uint32_t i = 0;
	TEE_Result res = TEE_SUCCESS;

	for (i = 0; i < n && res == TEE_SUCCESS; i++) {
		sig_len = SIGNATURE_SIZE;
		res = TEE_AsymmetricSignDigest(b->sign, NULL, 0, src, len, last,
					       &sig_len);
	}
	return res;
}

static const struct command commands[] = {
	{ TA_BENCH_CRYPTO_CMD_AES_GCM, run_aes_gcm, NONCE_SIZE + TAG_SIZE,
	  true },
	{ TA_BENCH_CRYPTO_CMD_SHA256, run_sha256, SHA256_SIZE, false },
	{ TA_BENCH_CRYPTO_CMD_ECDSA_SIGN, run_ecdsa_sign, SIGNATURE_SIZE,
	  false },
};

static bool out_or_none(uint32_t pt, unsigned int i)
{
	uint32_t t = TEE_PARAM_TYPE_GET(pt, i);

	return t == PT_MOUT || t == PT_NONE;
}

static bool is_out(uint32_t pt, unsigned int i)
{
	return TEE_PARAM_TYPE_GET(pt, i) == PT_MOUT;
}

/* An output parameter (if any) too small for need: short buffer. */
static TEE_Result check_room(uint32_t pt, TEE_Param *p, unsigned int i,
			     size_t need)
{
	if (!is_out(pt, i) || p[i].memref.size >= need)
		return TEE_SUCCESS;
	p[i].memref.size = need;
	return TEE_ERROR_SHORT_BUFFER;
}

/* Copies a result into an output parameter, if any (room checked). */
static void give(uint32_t pt, TEE_Param *p, unsigned int i, const void *buf,
		 size_t len)
{
	if (!is_out(pt, i))
		return;
	if (len)
		TEE_MemMove(p[i].memref.buffer, buf, len);
	p[i].memref.size = len;
}

static TEE_Result run_command(struct bench *b, const struct command *c,
			      uint32_t pt, TEE_Param params[4])
{
	uint8_t last[LAST_MAX] = { 0 };
	size_t len = 0;
	uint32_t n = 0;
	TEE_Result res = TEE_SUCCESS;
	TEE_Result room3 = TEE_SUCCESS;

	if (TEE_PARAM_TYPE_GET(pt, 0) != PT_MIN ||
	    TEE_PARAM_TYPE_GET(pt, 1) != PT_VIN || !out_or_none(pt, 2) ||
	    !(c->ciphertext ? out_or_none(pt, 3) :
			      TEE_PARAM_TYPE_GET(pt, 3) == PT_NONE) ||
	    params[0].memref.size > TA_BENCH_CRYPTO_MAX_DATA ||
	    params[1].value.b)
		return TEE_ERROR_BAD_PARAMETERS;
	len = params[0].memref.size;
	n = params[1].value.a;
	res = check_room(pt, params, 2, c->last_size);
	room3 = check_room(pt, params, 3, len);
	if (res == TEE_SUCCESS)
		res = room3;
	if (res == TEE_SUCCESS)
		res = c->run(b, params[0].memref.buffer, len, n, last);
	if (res != TEE_SUCCESS)
		return res;
	give(pt, params, 2, last, n ? c->last_size : 0);
	give(pt, params, 3, b->ciphertext, n ? len : 0);
	return TEE_SUCCESS;
}

static TEE_Result cmd_keys(struct bench *b, uint32_t pt, TEE_Param params[4])
{
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_MOUT, PT_MOUT, PT_MOUT, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_GetObjectBufferAttribute(b->aes_key, TEE_ATTR_SECRET_VALUE,
					   params[0].memref.buffer,
					   &params[0].memref.size);
	if (res == TEE_SUCCESS)
		res = TEE_GetObjectBufferAttribute(
			b->ec_key, TEE_ATTR_ECC_PUBLIC_VALUE_X,
			params[1].memref.buffer, &params[1].memref.size);
	if (res == TEE_SUCCESS)
		res = TEE_GetObjectBufferAttribute(
			b->ec_key, TEE_ATTR_ECC_PUBLIC_VALUE_Y,
			params[2].memref.buffer, &params[2].memref.size);
	return res;
}

/* New keys in the session's key objects. */
static TEE_Result new_keys(struct bench *b)
{
	TEE_Attribute curve = { 0 };
	TEE_Result res = TEE_SUCCESS;

	TEE_InitValueAttribute(&curve, TEE_ATTR_ECC_CURVE,
			       TEE_ECC_CURVE_NIST_P256, 0);
	TEE_ResetTransientObject(b->aes_key);
	TEE_ResetTransientObject(b->ec_key);
	res = TEE_GenerateKey(b->aes_key, TA_BENCH_CRYPTO_AES_KEY_BITS, NULL,
			      0);
	if (res == TEE_SUCCESS)
		res = TEE_GenerateKey(b->ec_key, TA_BENCH_CRYPTO_EC_KEY_BITS,
				      &curve, 1);
	return res;
}

/* The keyed operations, allocated unless they are, given the keys. */
static TEE_Result keyed_ops(struct bench *b)
{
	TEE_Result res = TEE_SUCCESS;

	if (!b->ae)
		res = TEE_AllocateOperation(&b->ae, TEE_ALG_AES_GCM,
					    TEE_MODE_ENCRYPT,
					    TA_BENCH_CRYPTO_AES_KEY_BITS);
	if (res == TEE_SUCCESS && !b->sign)
		res = TEE_AllocateOperation(&b->sign, TEE_ALG_ECDSA_SHA256,
					    TEE_MODE_SIGN,
					    TA_BENCH_CRYPTO_EC_KEY_BITS);
	if (res == TEE_SUCCESS)
		res = TEE_SetOperationKey(b->ae, b->aes_key);
	if (res == TEE_SUCCESS)
		res = TEE_SetOperationKey(b->sign, b->ec_key);
	return res;
}

static TEE_Result cmd_rekey(struct bench *b, uint32_t pt, TEE_Param params[4])
{
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_NONE, PT_NONE, PT_NONE) ||
	    params[0].value.a > TA_BENCH_CRYPTO_REKEY_REALLOC ||
	    params[0].value.b)
		return TEE_ERROR_BAD_PARAMETERS;
	if (params[0].value.a == TA_BENCH_CRYPTO_REKEY_REALLOC) {
		TEE_FreeOperation(b->ae);
		TEE_FreeOperation(b->sign);
		b->ae = TEE_HANDLE_NULL;
		b->sign = TEE_HANDLE_NULL;
	}
	res = new_keys(b);
	if (res == TEE_SUCCESS)
		res = keyed_ops(b);
	return res;
}

static void bench_free(struct bench *b)
{
	if (!b)
		return;
	TEE_Free(b->ciphertext);
	TEE_FreeOperation(b->sign);
	TEE_FreeOperation(b->digest);
	TEE_FreeOperation(b->ae);
	TEE_FreeTransientObject(b->ec_key);
	TEE_FreeTransientObject(b->aes_key);
	TEE_Free(b);
}

/* Keys, keyed operations and the ciphertext buffer of a session. */
static TEE_Result bench_setup(struct bench *b)
{
	TEE_Result res = TEE_SUCCESS;

	res = TEE_AllocateTransientObject(TEE_TYPE_AES,
					  TA_BENCH_CRYPTO_AES_KEY_BITS,
					  &b->aes_key);
	if (res == TEE_SUCCESS)
		res = TEE_AllocateTransientObject(TEE_TYPE_ECDSA_KEYPAIR,
						  TA_BENCH_CRYPTO_EC_KEY_BITS,
						  &b->ec_key);
	if (res == TEE_SUCCESS)
		res = new_keys(b);
	if (res == TEE_SUCCESS)
		res = keyed_ops(b);
	if (res == TEE_SUCCESS)
		res = TEE_AllocateOperation(&b->digest, TEE_ALG_SHA256,
					    TEE_MODE_DIGEST, 0);
	if (res == TEE_SUCCESS) {
		b->ciphertext = TEE_Malloc(TA_BENCH_CRYPTO_MAX_DATA,
					   TEE_MALLOC_FILL_ZERO);
		if (!b->ciphertext)
			res = TEE_ERROR_OUT_OF_MEMORY;
	}
	return res;
}

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t pt, TEE_Param params[4] __unused,
				    void **session)
{
	struct bench *b = NULL;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_NONE, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	b = TEE_Malloc(sizeof(*b), TEE_MALLOC_FILL_ZERO);
	if (!b)
		return TEE_ERROR_OUT_OF_MEMORY;
	res = bench_setup(b);
	if (res != TEE_SUCCESS) {
		bench_free(b);
		return res;
	}
	*session = b;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *session)
{
	bench_free(session);
}

TEE_Result TA_InvokeCommandEntryPoint(void *session, uint32_t cmd,
				      uint32_t pt, TEE_Param params[4])
{
	size_t i = 0;

	if (cmd == TA_BENCH_CRYPTO_CMD_KEYS)
		return cmd_keys(session, pt, params);
	if (cmd == TA_BENCH_CRYPTO_CMD_REKEY)
		return cmd_rekey(session, pt, params);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].id == cmd)
			return run_command(session, &commands[i], pt, params);
	return TEE_ERROR_NOT_SUPPORTED;
}
