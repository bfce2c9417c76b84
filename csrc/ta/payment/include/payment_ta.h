/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The payment TA (csrc/ta/payment): what its clients need to know.  The
 * protocol, every byte layout and every check are in docs/payment.md,
 * section "The TA's interface"; pytee/payment/ta_ids.py mirrors these
 * numbers.  Plain #defines only, so that C clients, the TA and tests can
 * all read it.
 *
 * Commands (p0..p3; "-" none):
 *   KEYGEN       p0 MEMREF_OUTPUT public key (65)
 *   GET_INFO     p0 VALUE_OUTPUT a = state bits, b = ATC;
 *                p1 VALUE_OUTPUT a, b = balance high, low 32 bits;
 *                p2 VALUE_OUTPUT a = load counter, b = PIN tries left
 *   ENROL        p0 MEMREF_INPUT enrolment record
 *   INIT_LOAD    p0 MEMREF_OUTPUT challenge || load counter || device id
 *   CREDIT_LOAD  p0 MEMREF_INPUT load authorisation;
 *                p1 MEMREF_OUTPUT load receipt
 *   SELECT       -
 *   GPO          p0 MEMREF_INPUT GPO request; p1 MEMREF_OUTPUT GPO response
 *   DEBIT        p0 MEMREF_INPUT debit request; p1 MEMREF_OUTPUT receipt
 *   READ_CERT    p0 VALUE_INPUT a = PAYMENT_READ_*; p1 MEMREF_OUTPUT
 *   SET_PIN      - (the user types the PIN on the trusted UI, never the
 *                client; TEE_ERROR_NOT_SUPPORTED on a TEE without one)
 *   LAST_LOAD    p0 MEMREF_OUTPUT load receipt of the last CREDIT_LOAD,
 *                signed again; p1 VALUE_OUTPUT a, b = its amount high, low
 *                32 bits (TEE_ERROR_ITEM_NOT_FOUND: no load credited yet)
 * A GPO of more than PAYMENT_CVM_LIMIT takes the PIN on the trusted UI:
 * TEE_ERROR_SECURITY wrong PIN or no PIN set, TEE_ERROR_CANCEL the user
 * cancelled, TEE_ERROR_BUSY no trusted UI free, TEE_ERROR_ACCESS_DENIED
 * PIN blocked, TEE_ERROR_NOT_SUPPORTED a TEE without trusted UI.
 * Wrong parameter types or input lengths: TEE_ERROR_BAD_PARAMETERS; an
 * output too small: TEE_ERROR_SHORT_BUFFER with the size needed, before
 * anything changes; unknown command: TEE_ERROR_NOT_SUPPORTED.
 */
#ifndef PAYMENT_TA_H
#define PAYMENT_TA_H

/* df732d25-7e78-4e77-a0af-2d006cd61bc9 */
#define TA_PAYMENT_UUID \
	{ 0xdf732d25, 0x7e78, 0x4e77, \
		{ 0xa0, 0xaf, 0x2d, 0x00, 0x6c, 0xd6, 0x1b, 0xc9 } }

#define PAYMENT_CMD_KEYGEN		0
#define PAYMENT_CMD_GET_INFO		1
#define PAYMENT_CMD_ENROL		2
#define PAYMENT_CMD_INIT_LOAD		3
#define PAYMENT_CMD_CREDIT_LOAD		4
#define PAYMENT_CMD_SELECT		5
#define PAYMENT_CMD_GPO			6
#define PAYMENT_CMD_DEBIT		7
#define PAYMENT_CMD_READ_CERT		8
#define PAYMENT_CMD_SET_PIN		9
#define PAYMENT_CMD_LAST_LOAD		10

/* GET_INFO p0.a */
#define PAYMENT_STATE_KEY		0x1
#define PAYMENT_STATE_ENROLLED		0x2
#define PAYMENT_STATE_PIN_SET		0x4

/* READ_CERT p0.a */
#define PAYMENT_READ_ISSUER_KEY		1
#define PAYMENT_READ_DEVICE_CERT	2
#define PAYMENT_READ_ACQUIRER_CERT	3

/* Certificate kinds */
#define PAYMENT_CERT_DEVICE		1
#define PAYMENT_CERT_TERMINAL		2
#define PAYMENT_CERT_ACQUIRER		3

/* The only suite: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM */
#define PAYMENT_SUITE			0x0001
#define PAYMENT_CURRENCY		0x0156	/* ISO 4217 CNY, in fen */
#define PAYMENT_HPKE_INFO		"TEEPAY-HPKE-v1"
#define PAYMENT_PIN_TRIES		3	/* PIN tries of a new card */
#define PAYMENT_PIN_MIN			4	/* digits */
#define PAYMENT_PIN_MAX			6
/* Cardholder verification limit: a GPO above it takes the PIN (fen) */
#define PAYMENT_CVM_LIMIT		30000	/* 300.00 CNY */

/* Sizes in bytes */
#define PAYMENT_PUBKEY_LEN		65	/* 04 || X || Y */
#define PAYMENT_SIG_LEN			64	/* r || s */
#define PAYMENT_DEVICE_ID_LEN		16
#define PAYMENT_SUBJECT_ID_LEN		16
#define PAYMENT_TERMINAL_ID_LEN		8
#define PAYMENT_NONCE_LEN		16
#define PAYMENT_CHALLENGE_LEN		16
#define PAYMENT_DATE_LEN		3	/* YYMMDD, BCD */
#define PAYMENT_EXPIRY_LEN		4	/* ASCII YYMM */
#define PAYMENT_TOKEN_MIN		16
#define PAYMENT_TOKEN_MAX		19
#define PAYMENT_NAME_MAX		40	/* merchant or acquirer name */

/* certificate: kind || subject || key || not_after || extra_len || extra || sig */
#define PAYMENT_CERT_FIXED_LEN		(1 + 16 + 65 + 3 + 2 + 64)
#define PAYMENT_CERT_EXTRA_MAX		PAYMENT_NAME_MAX
#define PAYMENT_CERT_MAX		(PAYMENT_CERT_FIXED_LEN + PAYMENT_CERT_EXTRA_MAX)

/*
 * key || len || device cert || len || acquirer cert || token_len || token
 * || expiry || sig (a device certificate's extra is empty, but a longer
 * one fits, to be refused as SECURITY)
 */
#define PAYMENT_ENROL_MIN		(65 + 2 + PAYMENT_CERT_FIXED_LEN + 2 + \
					 PAYMENT_CERT_FIXED_LEN + 1 + \
					 PAYMENT_TOKEN_MIN + 4 + 64)
#define PAYMENT_ENROL_MAX		(65 + 2 + PAYMENT_CERT_MAX + 2 + \
					 PAYMENT_CERT_MAX + 1 + \
					 PAYMENT_TOKEN_MAX + 4 + 64)

#define PAYMENT_INIT_LOAD_LEN		(16 + 4 + 16)
#define PAYMENT_LOAD_AUTH_LEN		(4 + 8 + 64)
#define PAYMENT_LOAD_RECEIPT_LEN	(4 + 8 + 64)

#define PAYMENT_GPO_REQUEST_LEN		(8 + 2 + 3 + 1 + 8 + 4 + 16 + 2)
/* token_len || token || expiry || atc || device id */
#define PAYMENT_PLAINTEXT_MAX		(1 + PAYMENT_TOKEN_MAX + 4 + 4 + 16)
#define PAYMENT_HPKE_MAX		(65 + PAYMENT_PLAINTEXT_MAX + 16)
/* atc || hpke_len || hpke || sig */
#define PAYMENT_GPO_RESPONSE_MAX	(4 + 2 + PAYMENT_HPKE_MAX + 64)

/* atc || amount || terminal id || sequence || cert_len || cert || sig */
#define PAYMENT_DEBIT_FIXED_LEN		(4 + 8 + 8 + 4 + 2 + 64)
#define PAYMENT_DEBIT_REQUEST_MAX	(PAYMENT_DEBIT_FIXED_LEN + PAYMENT_CERT_MAX)
#define PAYMENT_DEBIT_RECEIPT_LEN	(8 + 64)

#endif /* PAYMENT_TA_H */
