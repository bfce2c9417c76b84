/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The algorithm identifiers as operation.c needs them, from
 * operation_algs.c: class, key type, digest length, and which mode, key
 * size and key usage each algorithm takes (OP-TEE's rules).
 */
#ifndef LIBTEE_OP_ALGS_H
#define LIBTEE_OP_ALGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>

/* What an operation of an algorithm needs, once its mode is checked. */
struct op_alg_use {
	uint32_t usage;		/* requiredKeyUsage */
	bool pair;		/* the key is a key pair */
	size_t block;		/* input buffering, as op_sym.block */
	bool two_blocks;
};

/* The operation class (bits 31-28, with OP-TEE's exceptions). */
uint32_t op_alg_class(uint32_t alg);
/* The object type of the algorithm's key: a pair, or a public key. */
uint32_t op_alg_key_type(uint32_t alg, bool pair);
/* TEE_OperationInfo.digestLength of an algorithm (OP-TEE's table). */
uint32_t op_alg_digest_len(uint32_t alg);
/* OP-TEE's maxKeySize checks of some asymmetric algorithms. */
bool op_alg_key_size_ok(uint32_t alg, uint32_t size);
/* The needs of alg in mode, or TEE_ERROR_NOT_SUPPORTED as OP-TEE. */
TEE_Result op_alg_use(uint32_t alg, uint32_t mode, struct op_alg_use *u);
/* AES-XTS, SM4-XTS and SM2-KEP take two keys. */
bool op_alg_two_keys(uint32_t alg);
/* Whether the host's OpenSSL has what the algorithm needs (SM3, SM4). */
bool op_alg_host_has(uint32_t alg);

#endif /* LIBTEE_OP_ALGS_H */
