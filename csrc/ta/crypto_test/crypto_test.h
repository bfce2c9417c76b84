/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the files of the crypto test TA share: the handle tables and the
 * parsing of the attribute format of include/crypto_test_ta.h.
 */
#ifndef CRYPTO_TEST_H
#define CRYPTO_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include <tee_internal_api.h>

#include <crypto_test_ta.h>

/* Stores h in a free slot; TEE_ERROR_OUT_OF_MEMORY when the table is full. */
TEE_Result ids_put_object(TEE_ObjectHandle h, uint32_t *id);
TEE_Result ids_put_op(TEE_OperationHandle h, uint32_t *id);
/* The handle of id (see the header for ids 0 and BOGUS); false: no such. */
bool ids_object(uint32_t id, TEE_ObjectHandle *h);
bool ids_op(uint32_t id, TEE_OperationHandle *h);
/* Frees the slot of id (the handle itself is the caller's business). */
void ids_drop_object(uint32_t id);
void ids_drop_op(uint32_t id);

/* Attributes parsed from a copy of a shared buffer. */
struct attr_list {
	TEE_Attribute attrs[TA_CRYPTO_MAX_ATTRS];
	uint32_t count;
	void *copy;	/* TEE_Malloc'd copy the ref attributes point into */
};

/* Parses buf (may be NULL with size 0); TEE_ERROR_BAD_FORMAT if bad. */
TEE_Result attrs_parse(const void *buf, size_t size, struct attr_list *l);
void attrs_release(struct attr_list *l);

#endif /* CRYPTO_TEST_H */
