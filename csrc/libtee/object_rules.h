/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the object files of libtee share: the rules of each object type
 * (object_rules.c, with OP-TEE's values) and the storage of attributes
 * (object_attrs.c).  object.c has the handles and the GP functions.
 */
#ifndef LIBTEE_OBJECT_RULES_H
#define LIBTEE_OBJECT_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include <tee_internal_api.h>

/* TEE_ObjectInfo.objectUsage of a new or reset object */
#define TEE_USAGE_DEFAULT	0xFFFFFFFFu

/* What an attribute of a type is for (OP-TEE's TEE_TYPE_ATTR_* flags). */
#define A_REQ		0x01	/* required by populate */
#define A_GROUP		0x02	/* populate: all of the group or none */
#define A_SIZE		0x04	/* gives the object size */
#define A_GEN_REQ	0x08	/* required by TEE_GenerateKey */
#define A_GEN_OPT	0x10	/* accepted by TEE_GenerateKey */
#define A_MAXBITS	0x20	/* no more bits than maxObjectSize */

enum attr_kind {
	K_SECRET,	/* bytes as given */
	K_BIGNUM,	/* big-endian number, kept without leading zeros */
	K_VALUE,	/* value attribute, a only */
	K_KEY32,	/* exactly 32 bytes (Curve25519 keys) */
};

struct attr_rule {
	uint32_t id;
	uint8_t flags;
	uint8_t kind;
};

enum gen_kind {
	G_NONE,		/* TEE_GenerateKey panics */
	G_RANDOM,	/* random secret */
	G_ASYM,		/* asym_generate_key() */
};

struct type_rule {
	uint32_t type;
	uint16_t quanta;
	uint16_t min;
	uint16_t max;
	uint8_t gen;
	uint8_t nattrs;
	const struct attr_rule *attrs;
};

/* ---- object_rules.c ----------------------------------------------------- */

/* The rule of a type (TEE_TYPE_DATA included), or NULL. */
const struct type_rule *obj_rule_of(uint32_t type);
/* The index of attribute id in r->attrs, or -1. */
int obj_rule_attr(const struct type_rule *r, uint32_t id);
/* TEE_ERROR_NOT_SUPPORTED unless size (bits) suits the type. */
TEE_Result obj_rule_size_ok(const struct type_rule *r, uint32_t size);
/*
 * Whether attrs suit the type for populate (gen false) or key generation
 * (gen true); TEE_ERROR_ITEM_NOT_FOUND if not, as OP-TEE's core.
 */
TEE_Result obj_rule_check_set(const struct type_rule *r,
			      const TEE_Attribute *attrs, uint32_t count,
			      bool gen);

/* ---- object_attrs.c ----------------------------------------------------- */

/* Replaces the attributes of o by attrs (taken over; NULL, 0: none). */
void obj_replace_attrs(struct __TEE_ObjectHandle *o, TEE_Attribute *attrs,
		       size_t count);
/*
 * Stores copies of attrs (checked as a set) into o, sets its size and
 * marks it initialised.  As in OP-TEE, sizes are held to maxObjectSize
 * when populating but not when copying (copy true).
 */
TEE_Result obj_store_attrs(struct __TEE_ObjectHandle *o,
			   const struct type_rule *r,
			   const TEE_Attribute *attrs, uint32_t count,
			   bool copy);

#endif /* LIBTEE_OBJECT_RULES_H */
