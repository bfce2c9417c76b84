// SPDX-License-Identifier: BSD-2-Clause
/*
 * Top-ups and transfers in two steps (S1): INIT_LOAD draws a challenge
 * for this session; CREDIT_LOAD takes the issuer's authorisation of
 * (device id, load counter, challenge, amount) and credits the balance.
 * LAST_LOAD gives the receipt of the last credit again, signed afresh,
 * for a CA that lost CREDIT_LOAD's answer: the issuer must see a receipt
 * of every load the card credited.
 */
#include <string.h>

#include "payment_internal.h"

#define LOAD_TAG	"TEEPAY-LOAD"
#define LOADED_TAG	"TEEPAY-LOADED"

TEE_Result cmd_init_load(struct pay_session *s, uint32_t pt, TEE_Param p[4])
{
	uint8_t out[PAYMENT_INIT_LOAD_LEN] = { 0 };
	struct pay_state st = { 0 };
	struct devkey dk = { 0 };
	struct writer w = { 0 };
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_MOUT, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = param_room(&p[0], sizeof(out));
	if (!res)
		res = state_load_enrolled(&st);
	if (res)
		return res;
	res = devkey_load(&dk);
	if (res)
		return res;
	TEE_GenerateRandom(s->challenge, sizeof(s->challenge));
	s->has_challenge = true;
	wr_init(&w, out, sizeof(out));
	wr_bytes(&w, s->challenge, sizeof(s->challenge));
	wr_u32(&w, st.load_counter);
	wr_bytes(&w, dk.id, sizeof(dk.id));
	param_out(&p[0], out, w.len);
	return TEE_SUCCESS;
}

/* The issuer's signature of the authorisation, for this session's challenge. */
static TEE_Result check_authorisation(const struct pay_state *st,
				      const struct devkey *dk,
				      const uint8_t challenge[PAYMENT_CHALLENGE_LEN],
				      const uint8_t auth[PAYMENT_LOAD_AUTH_LEN])
{
	uint8_t msg[sizeof(LOAD_TAG) + 16 + 4 + 16 + 8] = { 0 };
	struct writer w = { 0 };

	wr_init(&w, msg, sizeof(msg));
	wr_tag(&w, LOAD_TAG);
	wr_bytes(&w, dk->id, sizeof(dk->id));
	wr_bytes(&w, auth, 4);			/* counter */
	wr_bytes(&w, challenge, PAYMENT_CHALLENGE_LEN);
	wr_bytes(&w, auth + 4, 8);		/* amount */
	if (w.bad)
		return TEE_ERROR_GENERIC;
	return sig_verify(st->issuer_key, msg, w.len, auth + 12);
}

/* The load receipt, signed by DK; counter is the one the load used. */
static TEE_Result make_receipt(const struct devkey *dk, uint32_t counter,
			       uint64_t amount, uint64_t balance,
			       uint8_t out[PAYMENT_LOAD_RECEIPT_LEN])
{
	uint8_t msg[sizeof(LOADED_TAG) + 16 + 4 + 8 + 8] = { 0 };
	struct writer w = { 0 };

	wr_init(&w, msg, sizeof(msg));
	wr_tag(&w, LOADED_TAG);
	wr_bytes(&w, dk->id, sizeof(dk->id));
	wr_u32(&w, counter);
	wr_u64(&w, amount);
	wr_u64(&w, balance);
	if (w.bad)
		return TEE_ERROR_GENERIC;
	put_be32(out, counter);
	put_be64(out + 4, balance);
	return devkey_sign(msg, w.len, out + 12);
}

TEE_Result cmd_credit_load(struct pay_session *s, uint32_t pt, TEE_Param p[4])
{
	uint8_t auth[PAYMENT_LOAD_AUTH_LEN] = { 0 };
	uint8_t challenge[PAYMENT_CHALLENGE_LEN] = { 0 };
	uint8_t receipt[PAYMENT_LOAD_RECEIPT_LEN] = { 0 };
	struct pay_state st = { 0 };
	struct devkey dk = { 0 };
	uint32_t counter = 0;
	uint64_t amount = 0;
	size_t len = 0;
	TEE_Result res = TEE_SUCCESS;

	if (pt != TEE_PARAM_TYPES(PT_MIN, PT_MOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = param_in(&p[0], sizeof(auth), sizeof(auth), auth, &len);
	if (!res)
		res = param_room(&p[1], sizeof(receipt));
	if (!res)
		res = state_load_enrolled(&st);
	if (res)
		return res;
	if (!s->has_challenge)
		return TEE_ERROR_BAD_STATE;
	/* one authorisation per challenge, whatever becomes of it */
	memcpy(challenge, s->challenge, sizeof(challenge));
	TEE_MemFill(s->challenge, 0, sizeof(s->challenge));
	s->has_challenge = false;
	res = devkey_load(&dk);
	if (!res)
		res = check_authorisation(&st, &dk, challenge, auth);
	if (res)
		return res;
	counter = get_be32(auth);
	amount = get_be64(auth + 4);
	if (counter != st.load_counter)
		return TEE_ERROR_SECURITY;	/* stale or replayed */
	if (amount > UINT64_MAX - st.balance || counter == UINT32_MAX)
		return TEE_ERROR_OVERFLOW;
	st.balance += amount;
	st.load_counter = counter + 1;
	st.last_load.valid = true;
	st.last_load.counter = counter;
	st.last_load.amount = amount;
	st.last_load.balance = st.balance;
	/* the receipt is made first: none exists for a load not stored */
	res = make_receipt(&dk, counter, amount, st.balance, receipt);
	if (!res)
		res = state_save(&st);
	if (!res)
		param_out(&p[1], receipt, sizeof(receipt));
	return res;
}

TEE_Result cmd_last_load(struct pay_session *s, uint32_t pt, TEE_Param p[4])
{
	uint8_t receipt[PAYMENT_LOAD_RECEIPT_LEN] = { 0 };
	struct pay_state st = { 0 };
	struct devkey dk = { 0 };
	const struct pay_load *l = &st.last_load;
	TEE_Result res = TEE_SUCCESS;

	(void)s;
	if (pt != TEE_PARAM_TYPES(PT_MOUT, PT_VOUT, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = param_room(&p[0], sizeof(receipt));
	if (!res)
		res = state_load_enrolled(&st);
	if (res)
		return res;
	if (!l->valid)
		return TEE_ERROR_ITEM_NOT_FOUND;	/* no load credited yet */
	res = devkey_load(&dk);
	if (!res)
		res = make_receipt(&dk, l->counter, l->amount, l->balance,
				   receipt);
	if (res)
		return res;
	param_out(&p[0], receipt, sizeof(receipt));
	p[1].value.a = (uint32_t)(l->amount >> 32);
	p[1].value.b = (uint32_t)l->amount;
	return TEE_SUCCESS;
}
