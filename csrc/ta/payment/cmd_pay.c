// SPDX-License-Identifier: BSD-2-Clause
/*
 * Paying at a POS (S2-S9): SELECT starts a transaction in the session,
 * GPO counts it (ATC, stored before anything is answered) and gives the
 * card number encrypted to the acquirer and signed, DEBIT takes the
 * terminal's signed request for that same transaction and debits once.
 */
#include <string.h>

#include "payment_internal.h"

#define GPO_TAG		"TEEPAY-GPO"
#define DEBIT_TAG	"TEEPAY-DEBIT"
#define RECEIPT_TAG	"TEEPAY-RECEIPT"

TEE_Result cmd_select(struct pay_session *s, uint32_t pt, TEE_Param p[4])
{
	struct pay_state st = { 0 };
	TEE_Result res = TEE_SUCCESS;

	(void)p;
	if (pt != TEE_PARAM_TYPES(PT_NONE, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = state_load_enrolled(&st);
	if (res)
		return res;
	/* a new SELECT ends whatever transaction was under way */
	memset(&s->txn, 0, sizeof(s->txn));
	s->phase = PHASE_SELECTED;
	return TEE_SUCCESS;
}

/* ---- GPO -------------------------------------------------------------------- */

struct gpo_request {
	uint64_t amount;
	uint16_t currency;
	const uint8_t *date;
	uint8_t type;			/* transaction type: any */
	const uint8_t *terminal_id;
	const uint8_t *un;		/* unpredictable number (4) */
	const uint8_t *nonce;
	uint16_t suite;
};

/* A terminal id is printable ASCII (20-7E). */
static bool terminal_id_valid(const uint8_t *id)
{
	size_t i = 0;

	for (i = 0; i < PAYMENT_TERMINAL_ID_LEN; i++)
		if (id[i] < 0x20 || id[i] > 0x7e)
			return false;
	return true;
}

static TEE_Result parse_gpo(const uint8_t *buf, size_t len,
			    struct gpo_request *q)
{
	struct reader r = { 0 };

	rd_init(&r, buf, len);
	q->amount = rd_u64(&r);
	q->currency = rd_u16(&r);
	q->date = rd_take(&r, PAYMENT_DATE_LEN);
	q->type = rd_u8(&r);
	q->terminal_id = rd_take(&r, PAYMENT_TERMINAL_ID_LEN);
	q->un = rd_take(&r, 4);
	q->nonce = rd_take(&r, PAYMENT_NONCE_LEN);
	q->suite = rd_u16(&r);
	if (!rd_done(&r) || q->suite != PAYMENT_SUITE ||
	    q->currency != PAYMENT_CURRENCY || !bcd_date_valid(q->date) ||
	    !terminal_id_valid(q->terminal_id))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

/* The card as its enrolment describes it. */
struct card {
	struct cert device;
	struct cert acquirer;
	const uint8_t *token;
	size_t token_len;
	const uint8_t *expiry;
};

static TEE_Result card_of(const struct pay_state *st, struct card *c)
{
	if (cert_parse(st->device_cert, st->device_cert_len,
		       PAYMENT_CERT_DEVICE, &c->device) ||
	    cert_parse(st->acquirer_cert, st->acquirer_cert_len,
		       PAYMENT_CERT_ACQUIRER, &c->acquirer))
		return TEE_ERROR_GENERIC;	/* checked when stored */
	c->token = st->token;
	c->token_len = st->token_len;
	c->expiry = st->expiry;
	return TEE_SUCCESS;
}

/* plaintext = token_len(1) || token || expiry(4) || atc(4) || device_id(16) */
static size_t plaintext_len(const struct card *c)
{
	return 1 + c->token_len + PAYMENT_EXPIRY_LEN + 4 + PAYMENT_DEVICE_ID_LEN;
}

/*
 * The GPO response for ATC atc into out (exactly its length):
 * atc(4) || hpke_len(2) || hpke || signature, over "TEEPAY-GPO\0" ||
 * suite || nonce || UN || amount || currency || date || type ||
 * terminal_id || atc || hpke: every PDOL value is signed.
 */
static TEE_Result gpo_response(const struct card *c, const struct devkey *dk,
			       const struct gpo_request *q, uint32_t atc,
			       uint8_t *out, size_t out_len)
{
	uint8_t plain[PAYMENT_PLAINTEXT_MAX] = { 0 };
	uint8_t msg[sizeof(GPO_TAG) + 2 + 16 + 4 + 8 + 2 + 3 + 1 + 8 + 4 +
		    PAYMENT_HPKE_MAX] = { 0 };
	size_t hpke_len = out_len - 4 - 2 - PAYMENT_SIG_LEN;
	uint8_t *hpke = out + 4 + 2;
	struct writer w = { 0 };
	TEE_Result res = TEE_SUCCESS;

	wr_init(&w, plain, sizeof(plain));
	wr_u8(&w, (uint8_t)c->token_len);
	wr_bytes(&w, c->token, c->token_len);
	wr_bytes(&w, c->expiry, PAYMENT_EXPIRY_LEN);
	wr_u32(&w, atc);
	wr_bytes(&w, dk->id, sizeof(dk->id));
	if (w.bad)
		return TEE_ERROR_GENERIC;
	put_be32(out, atc);
	put_be16(out + 4, (uint16_t)hpke_len);
	res = hpke_seal(c->acquirer.key, PAYMENT_HPKE_INFO,
			sizeof(PAYMENT_HPKE_INFO) - 1, plain, w.len, hpke,
			hpke_len);
	TEE_MemFill(plain, 0, sizeof(plain));
	if (res)
		return res;
	wr_init(&w, msg, sizeof(msg));
	wr_tag(&w, GPO_TAG);
	wr_u16(&w, q->suite);
	wr_bytes(&w, q->nonce, PAYMENT_NONCE_LEN);
	wr_bytes(&w, q->un, 4);
	wr_u64(&w, q->amount);
	wr_u16(&w, q->currency);
	wr_bytes(&w, q->date, PAYMENT_DATE_LEN);
	wr_u8(&w, q->type);
	wr_bytes(&w, q->terminal_id, PAYMENT_TERMINAL_ID_LEN);
	wr_u32(&w, atc);
	wr_bytes(&w, hpke, hpke_len);
	if (w.bad)
		return TEE_ERROR_GENERIC;
	return devkey_sign(msg, w.len, hpke + hpke_len);
}

TEE_Result cmd_gpo(struct pay_session *s, uint32_t pt, TEE_Param p[4])
{
	uint8_t req[PAYMENT_GPO_REQUEST_LEN] = { 0 };
	uint8_t out[PAYMENT_GPO_RESPONSE_MAX] = { 0 };
	struct gpo_request q = { 0 };
	struct pay_state st = { 0 };
	struct devkey dk = { 0 };
	struct card c = { 0 };
	size_t out_len = 0;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_MIN, PT_MOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = param_in(&p[0], sizeof(req), sizeof(req), req, &len);
	if (res)
		return res;
	if (s->phase != PHASE_SELECTED)
		return TEE_ERROR_BAD_STATE;
	res = parse_gpo(req, len, &q);
	if (!res)
		res = state_load_enrolled(&st);
	if (!res)
		res = card_of(&st, &c);
	if (!res)
		res = devkey_load(&dk);
	if (res)
		return res;
	if (expiry_past(q.date, c.expiry) ||
	    date_past(q.date, c.device.not_after) || st.atc == UINT32_MAX)
		return TEE_ERROR_BAD_STATE;	/* expired, or ATC used up */
	out_len = 4 + 2 + HPKE_ENC_LEN + plaintext_len(&c) + HPKE_TAG_LEN +
		  PAYMENT_SIG_LEN;
	res = param_room(&p[1], out_len);
	if (res)
		return res;

	/*
	 * Above the cardholder verification limit the user sees what the
	 * card signs (amount, currency, terminal) on the trusted UI and
	 * types the PIN there, before the ATC is spent: a wrong PIN has
	 * cost a try (stored) when this returns, a cancel nothing.
	 */
	if (q.amount > PAYMENT_CVM_LIMIT) {
		res = pin_verify_for_gpo(&st, q.amount, q.currency,
					 q.terminal_id);
		if (res)
			return res;
	}

	/* the ATC is spent and stored before any answer can leave */
	st.atc++;
	res = state_save(&st);
	if (!res)
		res = gpo_response(&c, &dk, &q, st.atc, out, out_len);
	if (res)
		return res;
	s->txn.atc = st.atc;
	s->txn.amount = q.amount;
	s->txn.currency = q.currency;
	memcpy(s->txn.terminal_id, q.terminal_id, sizeof(s->txn.terminal_id));
	memcpy(s->txn.nonce, q.nonce, sizeof(s->txn.nonce));
	memcpy(s->txn.date, q.date, sizeof(s->txn.date));
	s->phase = PHASE_GPO_DONE;
	param_out(&p[1], out, out_len);
	return TEE_SUCCESS;
}

/* ---- DEBIT ------------------------------------------------------------------ */

struct debit_request {
	uint32_t atc;
	uint64_t amount;
	const uint8_t *terminal_id;
	uint32_t sequence;
	const uint8_t *cert;
	size_t cert_len;
	const uint8_t *sig;
};

static TEE_Result parse_debit(const uint8_t *buf, size_t len,
			      struct debit_request *q)
{
	struct reader r = { 0 };

	rd_init(&r, buf, len);
	q->atc = rd_u32(&r);
	q->amount = rd_u64(&r);
	q->terminal_id = rd_take(&r, PAYMENT_TERMINAL_ID_LEN);
	q->sequence = rd_u32(&r);
	q->cert_len = rd_u16(&r);
	q->cert = rd_take(&r, q->cert_len);
	q->sig = rd_take(&r, PAYMENT_SIG_LEN);
	if (!rd_done(&r))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

/*
 * The terminal's certificate (kind 2 under IK, naming terminal_id, valid
 * on date) and its signature of the request, for the transaction of
 * (currency, nonce): TEE_ERROR_SECURITY when either is wrong.
 */
static TEE_Result check_terminal(const struct pay_state *st,
				 const struct devkey *dk,
				 const struct debit_request *q,
				 uint16_t currency,
				 const uint8_t nonce[PAYMENT_NONCE_LEN],
				 const uint8_t date[PAYMENT_DATE_LEN])
{
	static const uint8_t pad[PAYMENT_SUBJECT_ID_LEN -
				 PAYMENT_TERMINAL_ID_LEN];
	uint8_t msg[sizeof(DEBIT_TAG) + 16 + 4 + 8 + 2 + 8 + 4 + 16] = { 0 };
	struct writer w = { 0 };
	struct cert c = { 0 };
	TEE_Result res = TEE_SUCCESS;

	res = cert_check(q->cert, q->cert_len, PAYMENT_CERT_TERMINAL,
			 st->issuer_key, &c);
	if (res)
		return res;
	if (memcmp(c.subject, q->terminal_id, PAYMENT_TERMINAL_ID_LEN) ||
	    memcmp(c.subject + PAYMENT_TERMINAL_ID_LEN, pad, sizeof(pad)) ||
	    date_past(date, c.not_after))
		return TEE_ERROR_SECURITY;
	wr_init(&w, msg, sizeof(msg));
	wr_tag(&w, DEBIT_TAG);
	wr_bytes(&w, dk->id, sizeof(dk->id));
	wr_u32(&w, q->atc);
	wr_u64(&w, q->amount);
	wr_u16(&w, currency);
	wr_bytes(&w, q->terminal_id, PAYMENT_TERMINAL_ID_LEN);
	wr_u32(&w, q->sequence);
	wr_bytes(&w, nonce, PAYMENT_NONCE_LEN);
	if (w.bad)
		return TEE_ERROR_GENERIC;
	return sig_verify(c.key, msg, w.len, q->sig);
}

/* Whether q asks again for the last debit made (a retry). */
static bool is_last_debit(const struct pay_debit *d,
			  const struct debit_request *q)
{
	return d->valid && d->atc == q->atc && d->amount == q->amount &&
	       d->sequence == q->sequence &&
	       !memcmp(d->terminal_id, q->terminal_id, sizeof(d->terminal_id));
}

static void receipt_of(const struct pay_debit *d,
		       uint8_t out[PAYMENT_DEBIT_RECEIPT_LEN])
{
	put_be64(out, d->balance);
	memcpy(out + 8, d->sig, sizeof(d->sig));
}

/* Debits the session's transaction: the new last debit in st, signed. */
static TEE_Result debit(struct pay_state *st, const struct devkey *dk,
			const struct pay_txn *t, const struct debit_request *q)
{
	uint8_t msg[sizeof(RECEIPT_TAG) + 16 + 4 + 8 + 8 + 4 + 8] = { 0 };
	struct pay_debit *d = &st->last;
	struct writer w = { 0 };

	st->balance -= q->amount;
	memset(d, 0, sizeof(*d));
	d->valid = true;
	d->atc = q->atc;
	d->amount = q->amount;
	d->currency = t->currency;
	memcpy(d->terminal_id, q->terminal_id, sizeof(d->terminal_id));
	d->sequence = q->sequence;
	memcpy(d->nonce, t->nonce, sizeof(d->nonce));
	memcpy(d->date, t->date, sizeof(d->date));
	d->balance = st->balance;
	wr_init(&w, msg, sizeof(msg));
	wr_tag(&w, RECEIPT_TAG);
	wr_bytes(&w, dk->id, sizeof(dk->id));
	wr_u32(&w, d->atc);
	wr_u64(&w, d->amount);
	wr_bytes(&w, d->terminal_id, sizeof(d->terminal_id));
	wr_u32(&w, d->sequence);
	wr_u64(&w, d->balance);
	if (w.bad)
		return TEE_ERROR_GENERIC;
	return devkey_sign(msg, w.len, d->sig);
}

TEE_Result cmd_debit(struct pay_session *s, uint32_t pt, TEE_Param p[4])
{
	uint8_t req[PAYMENT_DEBIT_REQUEST_MAX] = { 0 };
	uint8_t receipt[PAYMENT_DEBIT_RECEIPT_LEN] = { 0 };
	struct debit_request q = { 0 };
	struct pay_state st = { 0 };
	struct devkey dk = { 0 };
	const struct pay_debit *last = &st.last;
	const struct pay_txn *t = &s->txn;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_MIN, PT_MOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = param_in(&p[0], PAYMENT_DEBIT_FIXED_LEN + PAYMENT_CERT_FIXED_LEN,
		       sizeof(req), req, &len);
	if (!res)
		res = parse_debit(req, len, &q);
	if (!res)
		res = param_room(&p[1], sizeof(receipt));
	if (!res)
		res = state_load_enrolled(&st);
	if (!res)
		res = devkey_load(&dk);
	if (res)
		return res;

	/* a retry after a lost answer: the same receipt, no second debit */
	if (is_last_debit(last, &q)) {
		res = check_terminal(&st, &dk, &q, last->currency, last->nonce,
				     last->date);
		if (res)
			return res;
		receipt_of(last, receipt);
		param_out(&p[1], receipt, sizeof(receipt));
		return TEE_SUCCESS;
	}

	if (s->phase != PHASE_GPO_DONE)
		return TEE_ERROR_BAD_STATE;
	res = check_terminal(&st, &dk, &q, t->currency, t->nonce, t->date);
	if (res)
		return res;
	if (q.atc != t->atc || q.amount != t->amount ||
	    memcmp(q.terminal_id, t->terminal_id, sizeof(t->terminal_id)) ||
	    q.amount > st.balance)
		return TEE_ERROR_BAD_STATE;
	/* the receipt is signed first and stored with the debit */
	res = debit(&st, &dk, t, &q);
	if (!res)
		res = state_save(&st);
	if (res)
		return res;
	s->phase = PHASE_DEBITED;
	receipt_of(last, receipt);
	param_out(&p[1], receipt, sizeof(receipt));
	return TEE_SUCCESS;
}
