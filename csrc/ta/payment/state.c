// SPDX-License-Identifier: BSD-2-Clause
/*
 * The card's stored state: one data object in TEE_STORAGE_PRIVATE, in a
 * fixed layout of its own (below), rewritten whole by each change with
 * TEE_CreatePersistentObject(OVERWRITE), which trusted storage commits
 * atomically (docs/storage.md): a change is on disk entirely or not at
 * all, whenever the TA is killed.
 *
 * Layout (big-endian), STATE_LEN bytes:
 *   "PAYS" | version u8 (4) | flags u8 (bit 0: enrolled) | atc u32 |
 *   load counter u32 | PIN tries u32 | balance u64 | issuer key (65) |
 *   device cert len u16 | device cert, padded to PAYMENT_CERT_MAX |
 *   acquirer cert len u16 | acquirer cert, padded to PAYMENT_CERT_MAX |
 *   token len u8 | token, padded to PAYMENT_TOKEN_MAX | expiry (4) |
 *   last debit: valid u8 | atc u32 | amount u64 | currency u16 |
 *   terminal id (8) | sequence u32 | nonce (16) | date (3) |
 *   balance u64 | receipt signature (64) |
 *   PIN salt (16) | PIN verifier (32) |
 *   last load: counter u32 | amount u64 | balance u64
 * flags bit 1: a PIN is set (cmd_pin.c: the verifier is SHA-256 of a tag,
 * the salt and the PIN, never the PIN itself); bit 2: a last load is kept
 * (cmd_load.c: LAST_LOAD signs its receipt again).
 *
 * A version 3 state, the same without the last load, is still read (as a
 * card with no last load kept); the next write makes it version 4.
 */
#include <string.h>

#include "payment_internal.h"

static const char state_id[] = "payment.state";
static const uint8_t state_magic[4] = { 'P', 'A', 'Y', 'S' };

/*
 * 2: the token and expiry moved from the device certificate to here
 * 3: the PIN verifier
 * 4: the last load (version 3 is still read)
 */
#define STATE_VERSION		4
#define STATE_VERSION_NO_LOAD	3
#define STATE_ENROLLED		0x01
#define STATE_PIN_SET		0x02
#define STATE_LAST_LOAD		0x04
#define STATE_FLAGS		(STATE_ENROLLED | STATE_PIN_SET | STATE_LAST_LOAD)
#define DEBIT_LEN		(1 + 4 + 8 + 2 + PAYMENT_TERMINAL_ID_LEN + 4 + \
				 PAYMENT_NONCE_LEN + PAYMENT_DATE_LEN + 8 + \
				 PAYMENT_SIG_LEN)
#define LAST_LOAD_LEN		(4 + 8 + 8)
#define STATE_V3_LEN		(4 + 1 + 1 + 4 + 4 + 4 + 8 + \
				 PAYMENT_PUBKEY_LEN + \
				 2 * (2 + PAYMENT_CERT_MAX) + \
				 1 + PAYMENT_TOKEN_MAX + PAYMENT_EXPIRY_LEN + \
				 DEBIT_LEN + PIN_SALT_LEN + SHA256_LEN)
#define STATE_LEN		(STATE_V3_LEN + LAST_LOAD_LEN)

static void new_card(struct pay_state *st)
{
	memset(st, 0, sizeof(*st));
	st->pin_tries = PAYMENT_PIN_TRIES;
}

static void put_cert(struct writer *w, const uint8_t *cert, size_t len)
{
	static const uint8_t zeros[PAYMENT_CERT_MAX];

	wr_u16(w, (uint16_t)len);
	wr_bytes(w, cert, len);
	wr_bytes(w, zeros, PAYMENT_CERT_MAX - len);
}

static void encode(const struct pay_state *st, uint8_t buf[STATE_LEN])
{
	const struct pay_debit *d = &st->last;
	const struct pay_load *l = &st->last_load;
	struct writer w = { 0 };

	wr_init(&w, buf, STATE_LEN);
	wr_bytes(&w, state_magic, sizeof(state_magic));
	wr_u8(&w, STATE_VERSION);
	wr_u8(&w, (st->enrolled ? STATE_ENROLLED : 0) |
		  (st->pin_set ? STATE_PIN_SET : 0) |
		  (l->valid ? STATE_LAST_LOAD : 0));
	wr_u32(&w, st->atc);
	wr_u32(&w, st->load_counter);
	wr_u32(&w, st->pin_tries);
	wr_u64(&w, st->balance);
	wr_bytes(&w, st->issuer_key, sizeof(st->issuer_key));
	put_cert(&w, st->device_cert, st->device_cert_len);
	put_cert(&w, st->acquirer_cert, st->acquirer_cert_len);
	wr_u8(&w, (uint8_t)st->token_len);
	wr_bytes(&w, st->token, sizeof(st->token));
	wr_bytes(&w, st->expiry, sizeof(st->expiry));
	wr_u8(&w, d->valid ? 1 : 0);
	wr_u32(&w, d->atc);
	wr_u64(&w, d->amount);
	wr_u16(&w, d->currency);
	wr_bytes(&w, d->terminal_id, sizeof(d->terminal_id));
	wr_u32(&w, d->sequence);
	wr_bytes(&w, d->nonce, sizeof(d->nonce));
	wr_bytes(&w, d->date, sizeof(d->date));
	wr_u64(&w, d->balance);
	wr_bytes(&w, d->sig, sizeof(d->sig));
	wr_bytes(&w, st->pin_salt, sizeof(st->pin_salt));
	wr_bytes(&w, st->pin_verifier, sizeof(st->pin_verifier));
	wr_u32(&w, l->counter);
	wr_u64(&w, l->amount);
	wr_u64(&w, l->balance);
	/* the layout is fixed: exactly STATE_LEN bytes, always */
	if (w.bad || w.len != STATE_LEN)
		TEE_Panic(TEE_ERROR_GENERIC);
}

/* Copies n bytes from the reader to dst (nothing when it ran out). */
static void take(struct reader *r, void *dst, size_t n)
{
	const uint8_t *at = rd_take(r, n);

	if (at)
		memcpy(dst, at, n);
}

static bool get_cert(struct reader *r, uint8_t *cert, size_t *len)
{
	const uint8_t *at = NULL;

	*len = rd_u16(r);
	at = rd_take(r, PAYMENT_CERT_MAX);
	if (!at || *len > PAYMENT_CERT_MAX)
		return false;
	memcpy(cert, at, *len);
	return true;
}

static bool decode(const uint8_t *buf, size_t len, struct pay_state *st)
{
	struct pay_debit *d = &st->last;
	struct pay_load *l = &st->last_load;
	struct reader r = { 0 };
	const uint8_t *magic = NULL;
	uint8_t version = 0;
	uint8_t flags = 0;
	uint8_t valid = 0;

	rd_init(&r, buf, len);
	magic = rd_take(&r, sizeof(state_magic));
	if (!magic || memcmp(magic, state_magic, sizeof(state_magic)))
		return false;
	take(&r, &version, 1);
	if (version != STATE_VERSION && version != STATE_VERSION_NO_LOAD)
		return false;
	take(&r, &flags, 1);
	if (version == STATE_VERSION_NO_LOAD && (flags & STATE_LAST_LOAD))
		return false;
	st->enrolled = flags & STATE_ENROLLED;
	st->pin_set = flags & STATE_PIN_SET;
	l->valid = flags & STATE_LAST_LOAD;
	st->atc = rd_u32(&r);
	st->load_counter = rd_u32(&r);
	st->pin_tries = rd_u32(&r);
	st->balance = rd_u64(&r);
	take(&r, st->issuer_key, sizeof(st->issuer_key));
	if (!get_cert(&r, st->device_cert, &st->device_cert_len) ||
	    !get_cert(&r, st->acquirer_cert, &st->acquirer_cert_len))
		return false;
	st->token_len = rd_u8(&r);
	take(&r, st->token, sizeof(st->token));
	take(&r, st->expiry, sizeof(st->expiry));
	if (st->token_len > sizeof(st->token))
		return false;
	take(&r, &valid, 1);
	d->valid = valid;
	d->atc = rd_u32(&r);
	d->amount = rd_u64(&r);
	d->currency = rd_u16(&r);
	take(&r, d->terminal_id, sizeof(d->terminal_id));
	d->sequence = rd_u32(&r);
	take(&r, d->nonce, sizeof(d->nonce));
	take(&r, d->date, sizeof(d->date));
	d->balance = rd_u64(&r);
	take(&r, d->sig, sizeof(d->sig));
	take(&r, st->pin_salt, sizeof(st->pin_salt));
	take(&r, st->pin_verifier, sizeof(st->pin_verifier));
	if (version == STATE_VERSION) {
		l->counter = rd_u32(&r);
		l->amount = rd_u64(&r);
		l->balance = rd_u64(&r);
	}
	return rd_done(&r) && !(flags & ~STATE_FLAGS) && valid <= 1;
}

/*
 * What the storage holds, as this instance last read or wrote it.  The
 * TA is a single instance and only its instance writes its storage, so
 * the copy stays true while the instance lives: each command reads it
 * instead of the storage.  A failed write may or may not have reached
 * the storage, so it drops the copy.
 */
static struct pay_state stored;
static bool stored_known;

static TEE_Result read_stored(struct pay_state *st)
{
	/* one byte more than the layout, to see a longer object */
	uint8_t buf[STATE_LEN + 1] = { 0 };
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	size_t got = 0;
	TEE_Result res = TEE_SUCCESS;

	new_card(st);
	res = TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, state_id,
				       sizeof(state_id) - 1,
				       TEE_DATA_FLAG_ACCESS_READ |
				       TEE_DATA_FLAG_SHARE_READ, &h);
	if (res == TEE_ERROR_ITEM_NOT_FOUND)
		return TEE_SUCCESS;	/* a new card */
	if (res)
		return res;
	res = TEE_ReadObjectData(h, buf, sizeof(buf), &got);
	TEE_CloseObject(h);
	if (res)
		return res;
	if (!decode(buf, got, st)) {
		EMSG("stored state is malformed (%zu bytes)", got);
		new_card(st);
		return TEE_ERROR_CORRUPT_OBJECT;
	}
	return TEE_SUCCESS;
}

TEE_Result state_load(struct pay_state *st)
{
	TEE_Result res = TEE_SUCCESS;

	if (!stored_known) {
		res = read_stored(&stored);
		if (res) {
			new_card(st);
			return res;
		}
		stored_known = true;
	}
	*st = stored;
	return TEE_SUCCESS;
}

TEE_Result state_load_enrolled(struct pay_state *st)
{
	TEE_Result res = state_load(st);

	if (!res && !st->enrolled)
		res = TEE_ERROR_BAD_STATE;
	return res;
}

TEE_Result state_save(const struct pay_state *st)
{
	uint8_t buf[STATE_LEN] = { 0 };
	TEE_ObjectHandle h = TEE_HANDLE_NULL;
	TEE_Result res = TEE_SUCCESS;

	encode(st, buf);
	stored_known = false;
	res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, state_id,
					 sizeof(state_id) - 1,
					 TEE_DATA_FLAG_ACCESS_READ |
					 TEE_DATA_FLAG_ACCESS_WRITE |
					 TEE_DATA_FLAG_ACCESS_WRITE_META |
					 TEE_DATA_FLAG_OVERWRITE,
					 TEE_HANDLE_NULL, buf, sizeof(buf), &h);
	if (res)
		return res;
	TEE_CloseObject(h);
	stored = *st;
	stored_known = true;
	return TEE_SUCCESS;
}
