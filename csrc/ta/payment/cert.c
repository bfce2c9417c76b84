// SPDX-License-Identifier: BSD-2-Clause
/*
 * The compact certificates of docs/payment.md:
 *   kind(1) || subject_id(16) || public_key(65) || not_after(3, YYMMDD BCD)
 *   || extra_len(2) || extra || issuer_signature(64)
 * signed as "TEEPAY-CERT\0" || everything before the signature.
 */
#include <string.h>

#include "payment_internal.h"

#define CERT_TAG	"TEEPAY-CERT"

/* The fields of kind that the parser alone can check. */
static TEE_Result fields_valid(const struct cert *c)
{
	uint8_t digest[SHA256_LEN] = { 0 };
	TEE_Result res = TEE_SUCCESS;

	if (!bcd_date_valid(c->not_after) || !p256_point_valid(c->key))
		return TEE_ERROR_SECURITY;
	switch (c->kind) {
	case PAYMENT_CERT_DEVICE:
		/* the token is in no certificate: READ RECORD gives them out */
		if (c->extra_len)
			return TEE_ERROR_SECURITY;
		return TEE_SUCCESS;
	case PAYMENT_CERT_TERMINAL:
		return TEE_SUCCESS;
	case PAYMENT_CERT_ACQUIRER:
		/* its subject is the first 16 bytes of SHA-256(key) */
		res = sha256(c->key, PAYMENT_PUBKEY_LEN, digest);
		if (res)
			return res;
		if (memcmp(digest, c->subject, PAYMENT_SUBJECT_ID_LEN))
			return TEE_ERROR_SECURITY;
		return TEE_SUCCESS;
	default:
		return TEE_ERROR_SECURITY;
	}
}

TEE_Result cert_parse(const uint8_t *buf, size_t len, uint8_t kind,
		      struct cert *c)
{
	const uint8_t *kind_byte = NULL;
	struct reader r = { 0 };

	memset(c, 0, sizeof(*c));
	rd_init(&r, buf, len);
	kind_byte = rd_take(&r, 1);
	c->subject = rd_take(&r, PAYMENT_SUBJECT_ID_LEN);
	c->key = rd_take(&r, PAYMENT_PUBKEY_LEN);
	c->not_after = rd_take(&r, PAYMENT_DATE_LEN);
	c->extra_len = rd_u16(&r);
	if (c->extra_len > PAYMENT_CERT_EXTRA_MAX)
		return TEE_ERROR_SECURITY;
	c->extra = rd_take(&r, c->extra_len);
	rd_take(&r, PAYMENT_SIG_LEN);
	if (!rd_done(&r) || *kind_byte != kind)
		return TEE_ERROR_SECURITY;
	c->kind = kind;
	return fields_valid(c);
}

TEE_Result cert_check(const uint8_t *buf, size_t len, uint8_t kind,
		      const uint8_t issuer_key[PAYMENT_PUBKEY_LEN],
		      struct cert *c)
{
	uint8_t msg[sizeof(CERT_TAG) + PAYMENT_CERT_MAX] = { 0 };
	struct writer w = { 0 };
	TEE_Result res = cert_parse(buf, len, kind, c);

	if (res)
		return res;
	wr_init(&w, msg, sizeof(msg));
	wr_tag(&w, CERT_TAG);
	wr_bytes(&w, buf, len - PAYMENT_SIG_LEN);
	if (w.bad)
		return TEE_ERROR_SECURITY;
	return sig_verify(issuer_key, msg, w.len, buf + len - PAYMENT_SIG_LEN);
}

bool date_past(const uint8_t date[PAYMENT_DATE_LEN],
	       const uint8_t not_after[PAYMENT_DATE_LEN])
{
	/* BCD dates of one century compare as their bytes do */
	return memcmp(date, not_after, PAYMENT_DATE_LEN) > 0;
}

bool expiry_past(const uint8_t date[PAYMENT_DATE_LEN],
		 const uint8_t expiry[PAYMENT_EXPIRY_LEN])
{
	/* ASCII YYMM as BCD; the card is good until the end of the month */
	uint8_t yymm[2] = {
		(uint8_t)((expiry[0] - '0') << 4 | (expiry[1] - '0')),
		(uint8_t)((expiry[2] - '0') << 4 | (expiry[3] - '0')),
	};

	return memcmp(date, yymm, sizeof(yymm)) > 0;
}
