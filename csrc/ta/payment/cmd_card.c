// SPDX-License-Identifier: BSD-2-Clause
/*
 * The card's life outside a payment: KEYGEN (the device key, once),
 * GET_INFO, ENROL (the issuer's record, once) and READ_CERT.
 */
#include <string.h>

#include "payment_internal.h"

#define ENROL_TAG	"TEEPAY-ENROL"

TEE_Result cmd_keygen(struct pay_session *s, uint32_t pt, TEE_Param p[4])
{
	struct devkey dk = { 0 };
	TEE_Result res = TEE_SUCCESS;

	(void)s;
	if (pt != TEE_PARAM_TYPES(PT_MOUT, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = param_room(&p[0], PAYMENT_PUBKEY_LEN);
	if (!res)
		res = devkey_create(&dk);
	if (!res)
		param_out(&p[0], dk.pub, sizeof(dk.pub));
	return res;
}

TEE_Result cmd_get_info(struct pay_session *s, uint32_t pt, TEE_Param p[4])
{
	struct pay_state st = { 0 };
	struct devkey dk = { 0 };
	uint32_t bits = 0;
	TEE_Result res = TEE_SUCCESS;

	(void)s;
	if (pt != TEE_PARAM_TYPES(PT_VOUT, PT_VOUT, PT_VOUT, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = state_load(&st);
	if (res)
		return res;
	res = devkey_load(&dk);
	if (!res)
		bits |= PAYMENT_STATE_KEY;
	else if (res != TEE_ERROR_ITEM_NOT_FOUND)
		return res;
	if (st.enrolled)
		bits |= PAYMENT_STATE_ENROLLED;
	if (st.pin_set)
		bits |= PAYMENT_STATE_PIN_SET;
	p[0].value.a = bits;
	p[0].value.b = st.atc;
	p[1].value.a = (uint32_t)(st.balance >> 32);
	p[1].value.b = (uint32_t)st.balance;
	p[2].value.a = st.load_counter;
	p[2].value.b = st.pin_tries;
	return TEE_SUCCESS;
}

/* The parts of an enrolment record, pointing into the TA's copy. */
struct enrolment {
	const uint8_t *issuer_key;
	const uint8_t *device_cert;
	size_t device_cert_len;
	const uint8_t *acquirer_cert;
	size_t acquirer_cert_len;
	const uint8_t *token;
	size_t token_len;
	const uint8_t *expiry;
	const uint8_t *sig;
};

/*
 *   issuer_public_key(65) || device_cert_len(2) || device_certificate
 *   || acquirer_cert_len(2) || acquirer_certificate
 *   || token_len(1) || token(16-19) || expiry(4) || issuer_signature(64)
 */
static TEE_Result parse_enrolment(const uint8_t *buf, size_t len,
				  struct enrolment *e)
{
	struct reader r = { 0 };

	rd_init(&r, buf, len);
	e->issuer_key = rd_take(&r, PAYMENT_PUBKEY_LEN);
	e->device_cert_len = rd_u16(&r);
	e->device_cert = rd_take(&r, e->device_cert_len);
	e->acquirer_cert_len = rd_u16(&r);
	e->acquirer_cert = rd_take(&r, e->acquirer_cert_len);
	e->token_len = rd_u8(&r);
	e->token = rd_take(&r, e->token_len);
	e->expiry = rd_take(&r, PAYMENT_EXPIRY_LEN);
	e->sig = rd_take(&r, PAYMENT_SIG_LEN);
	if (!rd_done(&r) || e->device_cert_len > PAYMENT_CERT_MAX ||
	    e->acquirer_cert_len > PAYMENT_CERT_MAX ||
	    e->token_len < PAYMENT_TOKEN_MIN || e->token_len > PAYMENT_TOKEN_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

static bool digits(const uint8_t *p, size_t n)
{
	size_t i = 0;

	for (i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/* A token of ASCII digits and an expiry YYMM with a month 01-12. */
static bool card_valid(const struct enrolment *e)
{
	unsigned int month = 0;

	if (!digits(e->token, e->token_len) ||
	    !digits(e->expiry, PAYMENT_EXPIRY_LEN))
		return false;
	month = (unsigned int)(e->expiry[2] - '0') * 10 + (e->expiry[3] - '0');
	return month >= 1 && month <= 12;
}

/*
 * The record's signature under the key it carries, its token and expiry,
 * then its certificates.
 */
static TEE_Result check_enrolment(const uint8_t *buf, size_t len,
				  const struct enrolment *e,
				  const struct devkey *dk)
{
	uint8_t msg[sizeof(ENROL_TAG) + PAYMENT_ENROL_MAX] = { 0 };
	struct writer w = { 0 };
	struct cert dc = { 0 };
	struct cert ac = { 0 };
	TEE_Result res = TEE_SUCCESS;

	wr_init(&w, msg, sizeof(msg));
	wr_tag(&w, ENROL_TAG);
	wr_bytes(&w, buf, len - PAYMENT_SIG_LEN);
	if (w.bad)
		return TEE_ERROR_BAD_PARAMETERS;
	res = sig_verify(e->issuer_key, msg, w.len, e->sig);
	if (res)
		return res;
	if (!card_valid(e))
		return TEE_ERROR_SECURITY;
	res = cert_check(e->device_cert, e->device_cert_len,
			 PAYMENT_CERT_DEVICE, e->issuer_key, &dc);
	if (res)
		return res;
	/* the certificate must name this device's own key */
	if (memcmp(dc.subject, dk->id, sizeof(dk->id)) ||
	    memcmp(dc.key, dk->pub, sizeof(dk->pub)))
		return TEE_ERROR_SECURITY;
	return cert_check(e->acquirer_cert, e->acquirer_cert_len,
			  PAYMENT_CERT_ACQUIRER, e->issuer_key, &ac);
}

TEE_Result cmd_enrol(struct pay_session *s, uint32_t pt, TEE_Param p[4])
{
	uint8_t buf[PAYMENT_ENROL_MAX] = { 0 };
	struct pay_state st = { 0 };
	struct enrolment e = { 0 };
	struct devkey dk = { 0 };
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	(void)s;
	if (pt != TEE_PARAM_TYPES(PT_MIN, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = param_in(&p[0], PAYMENT_ENROL_MIN, PAYMENT_ENROL_MAX, buf, &len);
	if (!res)
		res = parse_enrolment(buf, len, &e);
	if (res)
		return res;
	res = devkey_load(&dk);
	if (res == TEE_ERROR_ITEM_NOT_FOUND)
		return TEE_ERROR_BAD_STATE;	/* no KEYGEN yet */
	if (!res)
		res = state_load(&st);
	if (res)
		return res;
	if (st.enrolled)
		return TEE_ERROR_ACCESS_CONFLICT;
	res = check_enrolment(buf, len, &e, &dk);
	if (res)
		return res;
	/* trust on first use: IK is pinned from now on */
	st.enrolled = true;
	memcpy(st.issuer_key, e.issuer_key, sizeof(st.issuer_key));
	memcpy(st.device_cert, e.device_cert, e.device_cert_len);
	st.device_cert_len = e.device_cert_len;
	memcpy(st.acquirer_cert, e.acquirer_cert, e.acquirer_cert_len);
	st.acquirer_cert_len = e.acquirer_cert_len;
	memcpy(st.token, e.token, e.token_len);
	st.token_len = e.token_len;
	memcpy(st.expiry, e.expiry, sizeof(st.expiry));
	return state_save(&st);
}

TEE_Result cmd_read_cert(struct pay_session *s, uint32_t pt, TEE_Param p[4])
{
	struct pay_state st = { 0 };
	const uint8_t *data = NULL;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	(void)s;
	if (pt != TEE_PARAM_TYPES(PT_VIN, PT_MOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = state_load(&st);
	if (res)
		return res;
	switch (p[0].value.a) {
	case PAYMENT_READ_ISSUER_KEY:
		data = st.issuer_key;
		len = sizeof(st.issuer_key);
		break;
	case PAYMENT_READ_DEVICE_CERT:
		data = st.device_cert;
		len = st.device_cert_len;
		break;
	case PAYMENT_READ_ACQUIRER_CERT:
		data = st.acquirer_cert;
		len = st.acquirer_cert_len;
		break;
	default:
		return TEE_ERROR_BAD_PARAMETERS;
	}
	if (!st.enrolled)
		return TEE_ERROR_BAD_STATE;
	res = param_room(&p[1], len);
	if (!res)
		param_out(&p[1], data, len);
	return res;
}
