// SPDX-License-Identifier: BSD-2-Clause
/*
 * GP TEE Internal Core API v1.3.1, 6.2 (Generic Operation Functions):
 * allocation, keys, reset, copy and information.  Which algorithms, modes
 * and key sizes are taken is operation_algs.c's business.
 *
 * Facts from OP-TEE (lib/libutee/tee_api_operations.c) followed here:
 * - the operation owns transient key objects of the type the algorithm
 *   and mode need (key pair to decrypt, sign and derive), allocated with
 *   maxKeySize (half of it each when two keys are expected), so a size
 *   the key type refuses is TEE_ERROR_NOT_SUPPORTED;
 * - a digest operation has TEE_HANDLE_FLAG_KEY_SET and ..._INITIALIZED
 *   from the start;
 * - TEE_SetOperationKey panics when the operation is initialised, for a
 *   digest, for a key that lacks the required usage, is larger than
 *   maxKeySize or is of another type; NULL clears the key;
 *   TEE_SetOperationKey2 returns TEE_ERROR_SECURITY for the same handle
 *   twice and panics unless the operation is in its initial state;
 * - TEE_GetOperationInfo reports keySize and requiredKeyUsage 0 for two
 *   keys; TEE_GetOperationInfoMultiple answers a short buffer without
 *   updating *operationSize;
 * - TEE_ResetOperation panics without a key; TEE_FreeOperation takes
 *   TEE_HANDLE_NULL.
 *
 * Difference: a handle that is not a live operation panics instead of
 * faulting.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <tee_api_defines_extensions.h>
#include <tee_internal_api.h>
#include <util.h>

#include "api.h"
#include "libtee_internal.h"
#include "op_algs.h"
#include "op_sym.h"

/* ---- live handles ------------------------------------------------------- */

static struct __TEE_OperationHandle **live;
static size_t nlive;
static size_t live_cap;

static bool live_add(struct __TEE_OperationHandle *op)
{
	struct __TEE_OperationHandle **grown = NULL;
	size_t cap = 0;

	if (nlive == live_cap) {
		cap = live_cap ? live_cap * 2 : 16;
		grown = realloc(live, cap * sizeof(*live));
		if (!grown)
			return false;
		live = grown;
		live_cap = cap;
	}
	live[nlive++] = op;
	return true;
}

static size_t live_index(const struct __TEE_OperationHandle *op)
{
	size_t n = 0;

	for (n = 0; n < nlive; n++)
		if (live[n] == op)
			return n;
	return SIZE_MAX;
}

struct __TEE_OperationHandle *op_checked(TEE_OperationHandle h)
{
	if (!h || live_index(h) == SIZE_MAX || h->magic != OP_MAGIC)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return h;
}

struct op_sym *op_sym(struct __TEE_OperationHandle *op)
{
	if (!op->sym)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return op->sym;
}

const TEE_Attribute *op_secret(TEE_ObjectHandle key)
{
	const TEE_Attribute *a = obj_attr(key, TEE_ATTR_SECRET_VALUE);

	if (!a)
		TEE_Panic(TEE_ERROR_BAD_STATE);
	return a;
}

/* ---- allocation and release --------------------------------------------- */

static void op_free(struct __TEE_OperationHandle *op)
{
	size_t idx = live_index(op);

	if (idx != SIZE_MAX)
		live[idx] = live[--nlive];
	asym_op_forget(op);
	obj_release(op->key1);
	obj_release(op->key2);
	if (op->sym) {
		sym_drop_contexts(op->sym);
		OPENSSL_clear_free(op->sym, sizeof(*op->sym));
	}
	OPENSSL_cleanse(op, sizeof(*op));
	free(op);
}

/* The operation's key objects; codes as TEE_AllocateTransientObject. */
static TEE_Result alloc_keys(struct __TEE_OperationHandle *op,
			     const struct op_alg_use *u)
{
	uint32_t type = op_alg_key_type(op->info.algorithm, u->pair);
	uint32_t size = op->info.maxKeySize;
	TEE_Result res = TEE_SUCCESS;

	if (op->info.handleState & TEE_HANDLE_FLAG_EXPECT_TWO_KEYS)
		size /= 2;
	res = obj_alloc(type, size, &op->key1);
	if (!res && (op->info.handleState & TEE_HANDLE_FLAG_EXPECT_TWO_KEYS))
		res = obj_alloc(type, size, &op->key2);
	return res;
}

TEE_API TEE_Result TEE_AllocateOperation(TEE_OperationHandle *operation,
					 uint32_t algorithm, uint32_t mode,
					 uint32_t maxKeySize)
{
	struct __TEE_OperationHandle *op = NULL;
	struct op_alg_use u = { 0 };
	uint32_t cls = op_alg_class(algorithm);
	TEE_Result res = TEE_SUCCESS;

	if (!operation)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (!op_alg_key_size_ok(algorithm, maxKeySize) ||
	    op_alg_use(algorithm, mode, &u) || !op_alg_host_has(algorithm))
		return TEE_ERROR_NOT_SUPPORTED;
	op = calloc(1, sizeof(*op));
	if (!op)
		return TEE_ERROR_OUT_OF_MEMORY;
	op->magic = OP_MAGIC;
	op->info.algorithm = algorithm;
	op->info.operationClass = cls;
	op->info.mode = mode;
	op->info.digestLength = op_alg_digest_len(algorithm);
	op->info.maxKeySize = maxKeySize;
	op->info.requiredKeyUsage = u.usage;
	op->state = TEE_OPERATION_STATE_INITIAL;
	if (op_alg_two_keys(algorithm))
		op->info.handleState = TEE_HANDLE_FLAG_EXPECT_TWO_KEYS;
	if (cls == TEE_OPERATION_CIPHER || cls == TEE_OPERATION_AE ||
	    cls == TEE_OPERATION_MAC || cls == TEE_OPERATION_DIGEST) {
		op->sym = calloc(1, sizeof(*op->sym));
		if (!op->sym) {
			res = TEE_ERROR_OUT_OF_MEMORY;
			goto out;
		}
		op->sym->block = u.block ? u.block : 1;
		op->sym->two_blocks = u.two_blocks;
	}
	if (cls != TEE_OPERATION_DIGEST) {
		res = alloc_keys(op, &u);
		if (res)
			goto out;
	}
	if (!live_add(op)) {
		res = TEE_ERROR_OUT_OF_MEMORY;
		goto out;
	}
	if (cls == TEE_OPERATION_DIGEST) {
		op->info.handleState |= TEE_HANDLE_FLAG_KEY_SET |
					TEE_HANDLE_FLAG_INITIALIZED;
		digest_start(op);
	}
	*operation = op;
out:
	if (res)
		op_free(op);
	return res;
}

TEE_API void TEE_FreeOperation(TEE_OperationHandle operation)
{
	if (operation == TEE_HANDLE_NULL)
		return;
	op_free(op_checked(operation));
}

void sym_drop_contexts(struct op_sym *s)
{
	EVP_MD_CTX_free(s->md);
	EVP_MAC_CTX_free(s->mac);
	EVP_CIPHER_CTX_free(s->evp);
	s->md = NULL;
	s->mac = NULL;
	s->evp = NULL;
}

/* ---- information -------------------------------------------------------- */

TEE_API void TEE_GetOperationInfo(TEE_OperationHandle operation,
				  TEE_OperationInfo *operationInfo)
{
	struct __TEE_OperationHandle *op = op_checked(operation);

	if (!operationInfo)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	*operationInfo = op->info;
	if (op->info.handleState & TEE_HANDLE_FLAG_EXPECT_TWO_KEYS) {
		operationInfo->keySize = 0;
		operationInfo->requiredKeyUsage = 0;
	}
}

TEE_API TEE_Result
TEE_GetOperationInfoMultiple(TEE_OperationHandle operation,
			     TEE_OperationInfoMultiple *operationInfoMultiple,
			     size_t *operationSize)
{
	struct __TEE_OperationHandle *op = op_checked(operation);
	TEE_OperationInfoMultiple *info = operationInfoMultiple;
	TEE_ObjectHandle keys[2] = { op->key1, op->key2 };
	size_t room = 0;
	uint32_t count = 0;
	uint32_t n = 0;

	if (!info || !operationSize || *operationSize < sizeof(*info))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	room = (*operationSize - sizeof(*info)) / sizeof(TEE_OperationInfoKey);
	memset(info, 0, *operationSize);
	if (op->info.mode != TEE_MODE_DIGEST)
		count = op->key2 ? 2 : 1;
	if (room < count)
		return TEE_ERROR_SHORT_BUFFER;
	for (n = 0; n < count; n++) {
		info->keyInformation[n].keySize = keys[n]->info.objectSize;
		info->keyInformation[n].requiredKeyUsage =
			op->info.requiredKeyUsage;
	}
	info->numberOfKeys = count;
	info->algorithm = op->info.algorithm;
	info->operationClass = op->info.operationClass;
	info->mode = op->info.mode;
	info->digestLength = op->info.digestLength;
	info->maxKeySize = op->info.maxKeySize;
	info->handleState = op->info.handleState;
	info->operationState = op->state;
	return TEE_SUCCESS;
}

/* ---- state and keys ----------------------------------------------------- */

/* Back to the initial state (digests start afresh, the rest need Init). */
void op_reset(struct __TEE_OperationHandle *op)
{
	op->state = TEE_OPERATION_STATE_INITIAL;
	if (op->sym)
		op->sym->buf_len = 0;
	if (op->info.operationClass == TEE_OPERATION_DIGEST) {
		digest_start(op);
		op->info.handleState |= TEE_HANDLE_FLAG_INITIALIZED;
		op->info.handleState &= ~TEE_HANDLE_FLAG_EXTRACTING;
	} else {
		op->info.handleState &= ~TEE_HANDLE_FLAG_INITIALIZED;
	}
}

TEE_API void TEE_ResetOperation(TEE_OperationHandle operation)
{
	struct __TEE_OperationHandle *op = op_checked(operation);

	if (!(op->info.handleState & TEE_HANDLE_FLAG_KEY_SET))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	op_reset(op);
}

/* Drops the operation's key(s). */
static void clear_keys(struct __TEE_OperationHandle *op)
{
	TEE_ResetTransientObject(op->key1);
	TEE_ResetTransientObject(op->key2);
	op->info.handleState &= ~TEE_HANDLE_FLAG_KEY_SET;
	if (op->state != TEE_OPERATION_STATE_INITIAL)
		op_reset(op);
}

/* A key the operation may take: right usage, not too large; its size. */
static uint32_t usable_key(const struct __TEE_OperationHandle *op,
			   TEE_ObjectHandle key)
{
	struct __TEE_ObjectHandle *k = obj_checked(key);
	uint32_t need = op->info.requiredKeyUsage;

	if ((k->info.objectUsage & need) != need ||
	    k->info.objectSize > op->info.maxKeySize)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	return k->info.objectSize;
}

/* Takes copies of key1 (and key2 for two keys), as OP-TEE: panics. */
static void take_keys(struct __TEE_OperationHandle *op, TEE_ObjectHandle key1,
		      TEE_ObjectHandle key2)
{
	uint32_t size = 0;

	/* what asym_key.c keeps for the old key goes first */
	asym_op_forget(op);
	if (!key1 && !key2) {
		clear_keys(op);
		return;
	}
	if (op->info.operationClass == TEE_OPERATION_DIGEST || !key1 ||
	    !key2 != !op->key2)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	size = usable_key(op, key1);
	if (key2 && usable_key(op, key2) != size)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	TEE_ResetTransientObject(op->key1);
	TEE_ResetTransientObject(op->key2);
	op->info.handleState &= ~TEE_HANDLE_FLAG_KEY_SET;
	TEE_CopyObjectAttributes1(op->key1, key1);
	if (key2)
		TEE_CopyObjectAttributes1(op->key2, key2);
	op->info.handleState |= TEE_HANDLE_FLAG_KEY_SET;
	op->info.keySize = size;
	if (op->state != TEE_OPERATION_STATE_INITIAL)
		op_reset(op);
}

TEE_API TEE_Result TEE_SetOperationKey(TEE_OperationHandle operation,
				       TEE_ObjectHandle key)
{
	struct __TEE_OperationHandle *op = op_checked(operation);

	if (op->info.handleState & TEE_HANDLE_FLAG_INITIALIZED)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (key && op->key2)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	take_keys(op, key, TEE_HANDLE_NULL);
	return TEE_SUCCESS;
}

TEE_API TEE_Result TEE_SetOperationKey2(TEE_OperationHandle operation,
					TEE_ObjectHandle key1,
					TEE_ObjectHandle key2)
{
	struct __TEE_OperationHandle *op = NULL;

	if (operation && key1 && key1 == key2)
		return TEE_ERROR_SECURITY;
	op = op_checked(operation);
	if (op->state != TEE_OPERATION_STATE_INITIAL || !key1 != !key2 ||
	    (key1 && !op->key2))
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	take_keys(op, key1, key2);
	return TEE_SUCCESS;
}

/* dst's symmetric state becomes a copy of src's. */
static void sym_copy(struct op_sym *dst, const struct op_sym *src)
{
	sym_drop_contexts(dst);
	*dst = *src;
	dst->md = NULL;
	dst->mac = NULL;
	dst->evp = NULL;
	if (src->md) {
		dst->md = EVP_MD_CTX_new();
		if (!dst->md || !EVP_MD_CTX_copy_ex(dst->md, src->md))
			TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	}
	if (src->mac) {
		dst->mac = EVP_MAC_CTX_dup(src->mac);
		if (!dst->mac)
			TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	}
	if (src->evp) {
		dst->evp = EVP_CIPHER_CTX_new();
		if (!dst->evp || !EVP_CIPHER_CTX_copy(dst->evp, src->evp))
			TEE_Panic(TEE_ERROR_OUT_OF_MEMORY);
	}
}

TEE_API void TEE_CopyOperation(TEE_OperationHandle dstOperation,
			       TEE_OperationHandle srcOperation)
{
	struct __TEE_OperationHandle *dst = op_checked(dstOperation);
	struct __TEE_OperationHandle *src = op_checked(srcOperation);
	bool keyed = src->info.handleState & TEE_HANDLE_FLAG_KEY_SET;

	if (dst->info.algorithm != src->info.algorithm ||
	    dst->info.mode != src->info.mode)
		TEE_Panic(TEE_ERROR_BAD_PARAMETERS);
	if (src->info.operationClass != TEE_OPERATION_DIGEST) {
		if (src->key2)
			TEE_SetOperationKey2(dst, keyed ? src->key1 : NULL,
					     keyed ? src->key2 : NULL);
		else
			take_keys(dst, keyed ? src->key1 : NULL, NULL);
	}
	dst->info.handleState = src->info.handleState;
	dst->info.keySize = src->info.keySize;
	dst->info.digestLength = src->info.digestLength;
	dst->state = src->state;
	if (src->sym)
		sym_copy(dst->sym, src->sym);
}
