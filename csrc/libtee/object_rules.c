// SPDX-License-Identifier: BSD-2-Clause
/*
 * The rules of each object type, with the values OP-TEE's core applies
 * (core/tee/tee_svc_cryp.c): allowed sizes (minimum, maximum, quantum),
 * the attributes of the type, which are required or optional at populate
 * and at key generation, and which one gives the object size.  Used by
 * object.c and object_attrs.c.
 *
 * The GP v1.0 DES sizes without parity bits (56, 112, 168; OP-TEE's
 * CFG_COMPAT_GP10_DES) are not taken.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_api_defines_extensions.h>
#include <tee_internal_api.h>
#include <util.h>

#include "libtee_internal.h"
#include "object_rules.h"

static const struct attr_rule secret_attrs[] = {
	{ TEE_ATTR_SECRET_VALUE, A_REQ | A_SIZE, K_SECRET },
};
static const struct attr_rule hkdf_ikm_attrs[] = {
	{ TEE_ATTR_HKDF_IKM, A_REQ | A_SIZE, K_SECRET },
};
static const struct attr_rule concat_z_attrs[] = {
	{ TEE_ATTR_CONCAT_KDF_Z, A_REQ | A_SIZE, K_SECRET },
};
static const struct attr_rule pbkdf2_attrs[] = {
	{ TEE_ATTR_PBKDF2_PASSWORD, A_REQ | A_SIZE, K_SECRET },
};
static const struct attr_rule rsa_pub_attrs[] = {
	{ TEE_ATTR_RSA_MODULUS, A_REQ | A_SIZE, K_BIGNUM },
	{ TEE_ATTR_RSA_PUBLIC_EXPONENT, A_REQ, K_BIGNUM },
};
static const struct attr_rule rsa_pair_attrs[] = {
	{ TEE_ATTR_RSA_MODULUS, A_REQ | A_SIZE, K_BIGNUM },
	{ TEE_ATTR_RSA_PUBLIC_EXPONENT, A_REQ | A_GEN_OPT, K_BIGNUM },
	{ TEE_ATTR_RSA_PRIVATE_EXPONENT, A_REQ, K_BIGNUM },
	{ TEE_ATTR_RSA_PRIME1, A_GROUP, K_BIGNUM },
	{ TEE_ATTR_RSA_PRIME2, A_GROUP, K_BIGNUM },
	{ TEE_ATTR_RSA_EXPONENT1, A_GROUP, K_BIGNUM },
	{ TEE_ATTR_RSA_EXPONENT2, A_GROUP, K_BIGNUM },
	{ TEE_ATTR_RSA_COEFFICIENT, A_GROUP, K_BIGNUM },
};
static const struct attr_rule dsa_pub_attrs[] = {
	{ TEE_ATTR_DSA_PRIME, A_REQ | A_MAXBITS, K_BIGNUM },
	{ TEE_ATTR_DSA_SUBPRIME, A_REQ | A_SIZE, K_BIGNUM },
	{ TEE_ATTR_DSA_BASE, A_REQ | A_MAXBITS, K_BIGNUM },
	{ TEE_ATTR_DSA_PUBLIC_VALUE, A_REQ | A_MAXBITS, K_BIGNUM },
};
static const struct attr_rule dsa_pair_attrs[] = {
	{ TEE_ATTR_DSA_PRIME, A_REQ | A_GEN_REQ | A_MAXBITS, K_BIGNUM },
	{ TEE_ATTR_DSA_SUBPRIME, A_REQ | A_SIZE | A_GEN_REQ, K_BIGNUM },
	{ TEE_ATTR_DSA_BASE, A_REQ | A_GEN_REQ | A_MAXBITS, K_BIGNUM },
	{ TEE_ATTR_DSA_PRIVATE_VALUE, A_REQ | A_MAXBITS, K_BIGNUM },
	{ TEE_ATTR_DSA_PUBLIC_VALUE, A_REQ | A_MAXBITS, K_BIGNUM },
};
static const struct attr_rule dh_pair_attrs[] = {
	{ TEE_ATTR_DH_PRIME, A_REQ | A_SIZE | A_GEN_REQ, K_BIGNUM },
	{ TEE_ATTR_DH_BASE, A_REQ | A_GEN_REQ, K_BIGNUM },
	{ TEE_ATTR_DH_PUBLIC_VALUE, A_REQ, K_BIGNUM },
	{ TEE_ATTR_DH_PRIVATE_VALUE, A_REQ, K_BIGNUM },
	{ TEE_ATTR_DH_SUBPRIME, A_GROUP | A_GEN_OPT, K_BIGNUM },
	{ TEE_ATTR_DH_X_BITS, A_GEN_OPT, K_VALUE },
};
static const struct attr_rule ecc_pub_attrs[] = {
	{ TEE_ATTR_ECC_PUBLIC_VALUE_X, A_REQ, K_BIGNUM },
	{ TEE_ATTR_ECC_PUBLIC_VALUE_Y, A_REQ, K_BIGNUM },
	{ TEE_ATTR_ECC_CURVE, A_REQ | A_SIZE, K_VALUE },
};
static const struct attr_rule ecc_pair_attrs[] = {
	{ TEE_ATTR_ECC_PRIVATE_VALUE, A_REQ, K_BIGNUM },
	{ TEE_ATTR_ECC_PUBLIC_VALUE_X, A_REQ, K_BIGNUM },
	{ TEE_ATTR_ECC_PUBLIC_VALUE_Y, A_REQ, K_BIGNUM },
	{ TEE_ATTR_ECC_CURVE, A_REQ | A_SIZE | A_GEN_REQ, K_VALUE },
};
static const struct attr_rule sm2_pub_attrs[] = {
	{ TEE_ATTR_ECC_PUBLIC_VALUE_X, A_REQ, K_BIGNUM },
	{ TEE_ATTR_ECC_PUBLIC_VALUE_Y, A_REQ, K_BIGNUM },
};
static const struct attr_rule sm2_pair_attrs[] = {
	{ TEE_ATTR_ECC_PRIVATE_VALUE, A_REQ, K_BIGNUM },
	{ TEE_ATTR_ECC_PUBLIC_VALUE_X, A_REQ, K_BIGNUM },
	{ TEE_ATTR_ECC_PUBLIC_VALUE_Y, A_REQ, K_BIGNUM },
};
static const struct attr_rule ed25519_pub_attrs[] = {
	{ TEE_ATTR_ED25519_PUBLIC_VALUE, A_REQ, K_KEY32 },
};
static const struct attr_rule ed25519_pair_attrs[] = {
	{ TEE_ATTR_ED25519_PRIVATE_VALUE, A_REQ, K_KEY32 },
	{ TEE_ATTR_ED25519_PUBLIC_VALUE, A_REQ, K_KEY32 },
};
static const struct attr_rule x25519_pub_attrs[] = {
	{ TEE_ATTR_X25519_PUBLIC_VALUE, A_REQ, K_KEY32 },
};
static const struct attr_rule x25519_pair_attrs[] = {
	{ TEE_ATTR_X25519_PRIVATE_VALUE, A_REQ, K_KEY32 },
	{ TEE_ATTR_X25519_PUBLIC_VALUE, A_REQ, K_KEY32 },
};

#define RULE(t, q, lo, hi, g, a) \
	{ (t), (q), (lo), (hi), (g), ARRAY_SIZE(a), (a) }

static const struct type_rule type_rules[] = {
	RULE(TEE_TYPE_AES, 64, 128, 256, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_DES, 64, 64, 64, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_DES3, 64, 128, 192, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_SM4, 128, 128, 128, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_HMAC_MD5, 8, 64, 512, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_HMAC_SHA1, 8, 80, 512, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_HMAC_SHA224, 8, 112, 512, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_HMAC_SHA256, 8, 192, 1024, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_HMAC_SHA384, 8, 256, 1024, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_HMAC_SHA512, 8, 256, 1024, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_HMAC_SM3, 8, 80, 1024, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_HMAC_SHA3_224, 8, 192, 1024, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_HMAC_SHA3_256, 8, 256, 1024, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_HMAC_SHA3_384, 8, 256, 1024, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_HMAC_SHA3_512, 8, 256, 1024, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_GENERIC_SECRET, 8, 0, 4096, G_RANDOM, secret_attrs),
	RULE(TEE_TYPE_HKDF_IKM, 8, 0, 4096, G_NONE, hkdf_ikm_attrs),
	RULE(TEE_TYPE_CONCAT_KDF_Z, 8, 0, 4096, G_NONE, concat_z_attrs),
	RULE(TEE_TYPE_PBKDF2_PASSWORD, 8, 0, 4096, G_NONE, pbkdf2_attrs),
	RULE(TEE_TYPE_RSA_PUBLIC_KEY, 1, 256, 4096, G_NONE, rsa_pub_attrs),
	RULE(TEE_TYPE_RSA_KEYPAIR, 1, 256, 4096, G_ASYM, rsa_pair_attrs),
	RULE(TEE_TYPE_DSA_PUBLIC_KEY, 64, 512, 3072, G_NONE, dsa_pub_attrs),
	RULE(TEE_TYPE_DSA_KEYPAIR, 64, 512, 3072, G_ASYM, dsa_pair_attrs),
	RULE(TEE_TYPE_DH_KEYPAIR, 1, 256, 2048, G_ASYM, dh_pair_attrs),
	RULE(TEE_TYPE_ECDSA_PUBLIC_KEY, 1, 192, 521, G_NONE, ecc_pub_attrs),
	RULE(TEE_TYPE_ECDSA_KEYPAIR, 1, 192, 521, G_ASYM, ecc_pair_attrs),
	RULE(TEE_TYPE_ECDH_PUBLIC_KEY, 1, 192, 521, G_NONE, ecc_pub_attrs),
	RULE(TEE_TYPE_ECDH_KEYPAIR, 1, 192, 521, G_ASYM, ecc_pair_attrs),
	RULE(TEE_TYPE_SM2_DSA_PUBLIC_KEY, 1, 256, 256, G_NONE, sm2_pub_attrs),
	RULE(TEE_TYPE_SM2_DSA_KEYPAIR, 1, 256, 256, G_ASYM, sm2_pair_attrs),
	RULE(TEE_TYPE_SM2_PKE_PUBLIC_KEY, 1, 256, 256, G_NONE, sm2_pub_attrs),
	RULE(TEE_TYPE_SM2_PKE_KEYPAIR, 1, 256, 256, G_ASYM, sm2_pair_attrs),
	RULE(TEE_TYPE_SM2_KEP_PUBLIC_KEY, 1, 256, 256, G_NONE, sm2_pub_attrs),
	RULE(TEE_TYPE_SM2_KEP_KEYPAIR, 1, 256, 256, G_ASYM, sm2_pair_attrs),
	RULE(TEE_TYPE_ED25519_PUBLIC_KEY, 1, 256, 256, G_NONE,
	     ed25519_pub_attrs),
	RULE(TEE_TYPE_ED25519_KEYPAIR, 1, 256, 256, G_ASYM, ed25519_pair_attrs),
	RULE(TEE_TYPE_X25519_PUBLIC_KEY, 1, 256, 256, G_NONE, x25519_pub_attrs),
	RULE(TEE_TYPE_X25519_KEYPAIR, 1, 256, 256, G_ASYM, x25519_pair_attrs),
};

/* TEE_TYPE_DATA: no attributes, no size (persistent data objects only). */
static const struct type_rule data_rule = { TEE_TYPE_DATA, 1, 0, 0, G_NONE,
					    0, NULL };

/* ---- lookups and checks ------------------------------------------------- */

const struct type_rule *obj_rule_of(uint32_t type)
{
	size_t n = 0;

	if (type == TEE_TYPE_DATA)
		return &data_rule;
	for (n = 0; n < ARRAY_SIZE(type_rules); n++)
		if (type_rules[n].type == type)
			return &type_rules[n];
	return NULL;
}

int obj_rule_attr(const struct type_rule *r, uint32_t id)
{
	size_t n = 0;

	for (n = 0; n < r->nattrs; n++)
		if (r->attrs[n].id == id)
			return (int)n;
	return -1;
}

TEE_Result obj_rule_size_ok(const struct type_rule *r, uint32_t size)
{
	if (size % r->quanta || size < r->min || size > r->max)
		return TEE_ERROR_NOT_SUPPORTED;
	return TEE_SUCCESS;
}

/*
 * Known, not repeated, allowed for the use, required ones present and, at
 * populate, an optional group whole or absent.
 */
TEE_Result obj_rule_check_set(const struct type_rule *r,
			      const TEE_Attribute *attrs, uint32_t count,
			      bool gen)
{
	uint32_t req_flag = gen ? A_GEN_REQ : A_REQ;
	uint32_t opt_flag = gen ? A_GEN_OPT : A_GROUP;
	uint32_t req = 0;
	uint32_t opt = 0;
	uint32_t found = 0;
	uint32_t bit = 0;
	uint32_t n = 0;
	int idx = 0;

	for (n = 0; n < r->nattrs; n++) {
		if (r->attrs[n].flags & req_flag)
			req |= 1u << n;
		else if (r->attrs[n].flags & opt_flag)
			opt |= 1u << n;
	}
	for (n = 0; n < count; n++) {
		idx = obj_rule_attr(r, attrs[n].attributeID);
		if (idx < 0)
			return TEE_ERROR_ITEM_NOT_FOUND;
		bit = 1u << idx;
		if ((found & bit) || !(bit & (req | opt)))
			return TEE_ERROR_ITEM_NOT_FOUND;
		found |= bit;
	}
	if ((found & req) != req)
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (!gen && (found & opt) && (found & opt) != opt)
		return TEE_ERROR_ITEM_NOT_FOUND;
	return TEE_SUCCESS;
}
