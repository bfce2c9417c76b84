// SPDX-License-Identifier: BSD-2-Clause
/*
 * The cardholder's PIN (docs/payment.md, "The PIN and the trusted UI"):
 * SET_PIN, and the PIN check of a GPO above PAYMENT_CVM_LIMIT.  The PIN is
 * typed on the trusted UI (GP TEE Trusted User Interface API), never by
 * the client, and the TA keeps a verifier of it, not the PIN:
 *
 *   verifier = SHA-256("TEEPAY-PIN\0" || salt(16) || PIN digits)
 *
 * with a random salt drawn at each SET_PIN.  A 4-6 digit PIN falls to an
 * offline search of any such verifier: what keeps it is trusted storage
 * (encrypted, its rollback detected) and the try counter, stored in the
 * same state object and decremented, and written, before a wrong PIN is
 * answered.
 *
 * The trusted UI is compiled only where the dev kit says the TEE has one
 * (CFG_PYTEE_TUI, pytee's host dev kit): with OP-TEE's dev kit SET_PIN,
 * and a GPO above the limit, answer TEE_ERROR_NOT_SUPPORTED and the CA
 * falls back (docs/payment.md).
 */
#include <string.h>

#include "payment_internal.h"

#ifdef CFG_PYTEE_TUI
#include <tee_tui_api.h>

#define PIN_TAG		"TEEPAY-PIN"
#define PIN_ROOM	(PAYMENT_PIN_MAX + 1)
#define LABEL_MAX	256
#define MAX_FIELDS	3

/* The verifier of pin (len digits) under salt. */
static TEE_Result pin_digest(const uint8_t salt[PIN_SALT_LEN], const char *pin,
			     size_t len, uint8_t out[SHA256_LEN])
{
	uint8_t msg[sizeof(PIN_TAG) + PIN_SALT_LEN + PAYMENT_PIN_MAX] = { 0 };
	struct writer w = { 0 };
	TEE_Result res = TEE_SUCCESS;

	wr_init(&w, msg, sizeof(msg));
	wr_tag(&w, PIN_TAG);
	wr_bytes(&w, salt, PIN_SALT_LEN);
	wr_bytes(&w, pin, len);
	res = w.bad ? TEE_ERROR_GENERIC : sha256(msg, w.len, out);
	TEE_MemFill(msg, 0, sizeof(msg));
	return res;
}

/* The length of a PIN of 4-6 ASCII digits, NUL-terminated; 0 otherwise. */
static size_t pin_len(const char *pin)
{
	size_t n = 0;

	while (n < PIN_ROOM && pin[n] >= '0' && pin[n] <= '9')
		n++;
	if (n < PAYMENT_PIN_MIN || n > PAYMENT_PIN_MAX || pin[n] != '\0')
		return 0;
	return n;
}

/* Whether pin is the PIN st's verifier was made from (constant time). */
static bool pin_matches(const struct pay_state *st, const char *pin)
{
	uint8_t digest[SHA256_LEN] = { 0 };
	size_t len = pin_len(pin);
	uint8_t diff = 0;

	if (!len || pin_digest(st->pin_salt, pin, len, digest))
		return false;
	for (size_t i = 0; i < SHA256_LEN; i++)
		diff |= digest[i] ^ st->pin_verifier[i];
	return diff == 0;
}

/*
 * A wrong PIN: one try fewer, stored before the answer.
 * TEE_ERROR_SECURITY while tries are left, TEE_ERROR_ACCESS_DENIED when
 * this was the last.
 */
static TEE_Result pin_wrong(struct pay_state *st)
{
	TEE_Result res = TEE_SUCCESS;

	if (st->pin_tries)
		st->pin_tries--;
	res = state_save(st);
	if (res)
		return res;
	return st->pin_tries ? TEE_ERROR_SECURITY : TEE_ERROR_ACCESS_DENIED;
}

/*
 * One screen of the trusted UI: text, n hidden numerical fields of 4-6
 * digits labelled labels[], Cancel and Validate.  What was typed is in
 * values[].  TEE_SUCCESS validated, TEE_ERROR_CANCEL cancelled (by the
 * user, the client or the REE), TEE_ERROR_BUSY no trusted UI to be had.
 */
static TEE_Result pin_screen(char *text, const char *const labels[],
			     uint32_t n, char values[][PIN_ROOM])
{
	char label_room[MAX_FIELDS][32] = { { 0 } };
	TEE_TUIScreenConfiguration config;
	TEE_TUIEntryField fields[MAX_FIELDS];
	TEE_TUIButtonType button = TEE_TUI_CANCEL;
	TEE_Result res = TEE_SUCCESS;

	TEE_MemFill(&config, 0, sizeof(config));
	TEE_MemFill(fields, 0, sizeof(fields));
	config.screenOrientation = TEE_TUI_PORTRAIT;
	config.label.text = text;
	config.label.textColor[0] = 0xff;
	config.label.textColor[1] = 0xff;
	config.label.textColor[2] = 0xff;
	config.label.image.source = TEE_TUI_NO_SOURCE;
	config.requestedButtons[TEE_TUI_CANCEL] = true;
	config.requestedButtons[TEE_TUI_VALIDATE] = true;
	for (uint32_t i = 0; i < n && i < MAX_FIELDS; i++) {
		size_t k = 0;

		for (k = 0; labels[i][k] && k < sizeof(label_room[i]) - 1; k++)
			label_room[i][k] = labels[i][k];
		fields[i].label = label_room[i];
		fields[i].mode = TEE_TUI_HIDDEN_MODE;
		fields[i].type = TEE_TUI_NUMERICAL;
		fields[i].minExpectedLength = PAYMENT_PIN_MIN;
		fields[i].maxExpectedLength = PAYMENT_PIN_MAX;
		fields[i].buffer = values[i];
		fields[i].bufferLength = PIN_ROOM;
	}
	if (TEE_TUIInitSession() != TEE_SUCCESS)
		return TEE_ERROR_BUSY;
	res = TEE_TUIDisplayScreen(&config, true, fields, n, &button);
	/* shown with closeTUISession: this only ends it when the screen
	 * failed before that (BAD_STATE otherwise) */
	(void)TEE_TUICloseSession();
	if (res == TEE_ERROR_CANCEL || res == TEE_ERROR_EXTERNAL_CANCEL)
		return TEE_ERROR_CANCEL;
	if (res)
		return res;
	return button == TEE_TUI_VALIDATE ? TEE_SUCCESS : TEE_ERROR_CANCEL;
}

/* Appends the NUL-terminated s to the text being built in w. */
static void put_text(struct writer *w, const char *s)
{
	wr_bytes(w, s, strlen(s));
}

/* amount (fen) as "123.45". */
static void put_amount(struct writer *w, uint64_t amount)
{
	char digits[24] = { 0 };
	size_t n = 0;
	uint64_t v = amount / 100;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		wr_u8(w, (uint8_t)digits[--n]);
	wr_u8(w, '.');
	wr_u8(w, (uint8_t)('0' + amount % 100 / 10));
	wr_u8(w, (uint8_t)('0' + amount % 10));
}

static void clear_values(char values[][PIN_ROOM], size_t n)
{
	TEE_MemFill(values, 0, n * PIN_ROOM);
}

TEE_Result pin_verify_for_gpo(struct pay_state *st, uint64_t amount,
			      uint16_t currency,
			      const uint8_t terminal_id[PAYMENT_TERMINAL_ID_LEN])
{
	static const char *const labels[] = { "PIN" };
	char values[1][PIN_ROOM] = { { 0 } };
	char text[LABEL_MAX] = { 0 };
	struct writer w = { 0 };
	TEE_Result res = TEE_SUCCESS;

	if (!st->pin_set)
		return TEE_ERROR_SECURITY;
	if (!st->pin_tries)
		return TEE_ERROR_ACCESS_DENIED;
	/* what the card signs: amount, currency, terminal (GPO checked
	 * that the terminal id is printable; "~" is no character of the
	 * screen's alphabet and shows as "?") */
	wr_init(&w, text, sizeof(text) - 1);
	put_text(&w, "Pay ");
	put_amount(&w, amount);
	put_text(&w, currency == PAYMENT_CURRENCY ? " CNY" : " ???");
	put_text(&w, "\nat terminal ");
	for (size_t i = 0; i < PAYMENT_TERMINAL_ID_LEN; i++)
		wr_u8(&w, terminal_id[i] == '~' ? '?' : terminal_id[i]);
	put_text(&w, "\n\nEnter your PIN to pay.");
	if (w.bad)
		return TEE_ERROR_GENERIC;
	res = pin_screen(text, labels, 1, values);
	if (!res) {
		if (pin_matches(st, values[0]))
			st->pin_tries = PAYMENT_PIN_TRIES; /* stored with the ATC */
		else
			res = pin_wrong(st);
	}
	clear_values(values, 1);
	return res;
}

TEE_Result cmd_set_pin(struct pay_session *s, uint32_t pt, TEE_Param p[4])
{
	static const char *const labels_new[] = { "New PIN", "New PIN again" };
	static const char *const labels_change[] = { "Current PIN", "New PIN",
						     "New PIN again" };
	char values[MAX_FIELDS][PIN_ROOM] = { { 0 } };
	char text[LABEL_MAX] = { 0 };
	struct pay_state st = { 0 };
	const char *intro = NULL;
	const char *new_pin = NULL;
	const char *again = NULL;
	size_t len = 0;
	uint32_t n = 0;
	TEE_Result res = TEE_SUCCESS;

	(void)s;
	(void)p;
	if (pt != TEE_PARAM_TYPES(PT_NONE, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = state_load_enrolled(&st);
	if (res)
		return res;
	if (st.pin_set && !st.pin_tries)
		return TEE_ERROR_ACCESS_DENIED;
	n = st.pin_set ? 3 : 2;
	intro = st.pin_set ?
		"Change the PIN of your TEEPAY card.\n4 to 6 digits." :
		"Choose a PIN for your TEEPAY card.\n4 to 6 digits.";
	memcpy(text, intro, strlen(intro) + 1);
	res = pin_screen(text, st.pin_set ? labels_change : labels_new, n,
			 values);
	if (res)
		goto out;
	if (st.pin_set && !pin_matches(&st, values[0])) {
		res = pin_wrong(&st);
		goto out;
	}
	new_pin = values[n - 2];
	again = values[n - 1];
	len = pin_len(new_pin);
	if (!len || pin_len(again) != len || memcmp(new_pin, again, len)) {
		res = TEE_ERROR_BAD_FORMAT;	/* the two entries differ */
		goto out;
	}
	TEE_GenerateRandom(st.pin_salt, sizeof(st.pin_salt));
	res = pin_digest(st.pin_salt, new_pin, len, st.pin_verifier);
	if (res)
		goto out;
	st.pin_set = true;
	st.pin_tries = PAYMENT_PIN_TRIES;
	res = state_save(&st);
out:
	clear_values(values, MAX_FIELDS);
	TEE_MemFill(&st, 0, sizeof(st));
	return res;
}

#else /* !CFG_PYTEE_TUI: a TEE without trusted UI, OP-TEE's */

TEE_Result pin_verify_for_gpo(struct pay_state *st, uint64_t amount,
			      uint16_t currency,
			      const uint8_t terminal_id[PAYMENT_TERMINAL_ID_LEN])
{
	(void)st;
	(void)amount;
	(void)currency;
	(void)terminal_id;
	return TEE_ERROR_NOT_SUPPORTED;	/* the CA answers 6982 */
}

TEE_Result cmd_set_pin(struct pay_session *s, uint32_t pt, TEE_Param p[4])
{
	(void)s;
	(void)p;
	if (pt != TEE_PARAM_TYPES(PT_NONE, PT_NONE, PT_NONE, PT_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_ERROR_NOT_SUPPORTED;
}

#endif /* CFG_PYTEE_TUI */
