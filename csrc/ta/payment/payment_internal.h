/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the files of the payment TA export to each other.  The protocol is
 * docs/payment.md; the numbers shared with clients are in payment_ta.h.
 *
 *   payment_ta.c  entry points, sessions, dispatch, parameter helpers
 *   bytes.c       big-endian integers, bounded reader and writer, BCD
 *                 dates
 *   state.c       the stored state: one object, rewritten whole
 *   devkey.c      the device key DK: made once, public key, id, signing
 *   sig.c         SHA-256, P-256 public keys, ECDSA verification
 *   cert.c        the compact certificates
 *   hpke.c        HPKE base mode, single-shot seal (RFC 9180)
 *   cmd_card.c    KEYGEN, GET_INFO, ENROL, READ_CERT
 *   cmd_load.c    INIT_LOAD, CREDIT_LOAD, LAST_LOAD
 *   cmd_pay.c     SELECT, GPO, DEBIT
 *   cmd_pin.c     SET_PIN, the PIN check of GPO (trusted UI)
 */
#ifndef PAYMENT_INTERNAL_H
#define PAYMENT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tee_internal_api.h>

#include <payment_ta.h>

#define SHA256_LEN	32
#define P256_LEN	32	/* bytes of a coordinate or scalar */
#define PIN_SALT_LEN	16

/* ---- payment_ta.c: the session ----------------------------------------- */

/* The transaction state machine of docs/payment.md, one per session. */
enum pay_phase {
	PHASE_IDLE,
	PHASE_SELECTED,
	PHASE_GPO_DONE,
	PHASE_DEBITED,
};

/* What GPO fixed for the DEBIT of the same transaction. */
struct pay_txn {
	uint32_t atc;
	uint64_t amount;
	uint16_t currency;
	uint8_t terminal_id[PAYMENT_TERMINAL_ID_LEN];
	uint8_t nonce[PAYMENT_NONCE_LEN];
	uint8_t date[PAYMENT_DATE_LEN];
};

struct pay_session {
	enum pay_phase phase;
	struct pay_txn txn;		/* valid from PHASE_GPO_DONE on */
	bool has_challenge;		/* INIT_LOAD drew one, not used yet */
	uint8_t challenge[PAYMENT_CHALLENGE_LEN];
};

#define PT_NONE		TEE_PARAM_TYPE_NONE
#define PT_VIN		TEE_PARAM_TYPE_VALUE_INPUT
#define PT_VOUT		TEE_PARAM_TYPE_VALUE_OUTPUT
#define PT_MIN		TEE_PARAM_TYPE_MEMREF_INPUT
#define PT_MOUT		TEE_PARAM_TYPE_MEMREF_OUTPUT

/*
 * Copies an input memref of min..max bytes into buf (max bytes of room)
 * and sets *len; TEE_ERROR_BAD_PARAMETERS when its size is outside.
 * The TA parses its own copy, never the client's shared buffer.
 */
TEE_Result param_in(const TEE_Param *p, size_t min, size_t max, void *buf,
		    size_t *len);
/* TEE_ERROR_SHORT_BUFFER (with the size needed) unless p holds len bytes. */
TEE_Result param_room(TEE_Param *p, size_t len);
/* Copies len bytes to an output memref that param_room() accepted. */
void param_out(TEE_Param *p, const void *data, size_t len);

/* ---- bytes.c -------------------------------------------------------------- */

uint16_t get_be16(const uint8_t *p);
uint32_t get_be32(const uint8_t *p);
uint64_t get_be64(const uint8_t *p);
void put_be16(uint8_t *p, uint16_t v);
void put_be32(uint8_t *p, uint32_t v);
void put_be64(uint8_t *p, uint64_t v);

/* Reads fields off a buffer; a read past the end marks it bad. */
struct reader {
	const uint8_t *p;
	size_t len;
	size_t pos;
	bool bad;
};

void rd_init(struct reader *r, const void *p, size_t len);
/* The next n bytes, or NULL (and r bad) when fewer are left. */
const uint8_t *rd_take(struct reader *r, size_t n);
uint8_t rd_u8(struct reader *r);
uint16_t rd_u16(struct reader *r);
uint32_t rd_u32(struct reader *r);
uint64_t rd_u64(struct reader *r);
/* Everything read, nothing left over, no read past the end. */
bool rd_done(const struct reader *r);

/* Builds a message in a fixed buffer; a write past the end marks it bad. */
struct writer {
	uint8_t *p;
	size_t cap;
	size_t len;
	bool bad;
};

void wr_init(struct writer *w, void *p, size_t cap);
void wr_bytes(struct writer *w, const void *src, size_t n);
/* A tag of the protocol: its characters and the terminating zero. */
void wr_tag(struct writer *w, const char *tag);
void wr_u8(struct writer *w, uint8_t v);
void wr_u16(struct writer *w, uint16_t v);
void wr_u32(struct writer *w, uint32_t v);
void wr_u64(struct writer *w, uint64_t v);

/* YYMMDD in BCD with a month 01-12 and a day 01-31. */
bool bcd_date_valid(const uint8_t date[PAYMENT_DATE_LEN]);

/* ---- state.c -------------------------------------------------------------- */

/* The last DEBIT made, kept to answer its retry with the same receipt. */
struct pay_debit {
	bool valid;
	uint32_t atc;
	uint64_t amount;
	uint16_t currency;
	uint8_t terminal_id[PAYMENT_TERMINAL_ID_LEN];
	uint32_t sequence;
	uint8_t nonce[PAYMENT_NONCE_LEN];
	uint8_t date[PAYMENT_DATE_LEN];
	uint64_t balance;
	uint8_t sig[PAYMENT_SIG_LEN];
};

/* The last CREDIT_LOAD made, kept to give its receipt again (LAST_LOAD). */
struct pay_load {
	bool valid;
	uint32_t counter;		/* the authorisation's */
	uint64_t amount;
	uint64_t balance;		/* after the credit */
};

/* Everything the card keeps between sessions, except the key DK. */
struct pay_state {
	bool enrolled;
	uint32_t atc;
	uint32_t load_counter;
	uint32_t pin_tries;
	uint64_t balance;
	uint8_t issuer_key[PAYMENT_PUBKEY_LEN];
	size_t device_cert_len;
	uint8_t device_cert[PAYMENT_CERT_MAX];
	size_t acquirer_cert_len;
	uint8_t acquirer_cert[PAYMENT_CERT_MAX];
	size_t token_len;			/* of the enrolment record */
	uint8_t token[PAYMENT_TOKEN_MAX];	/* ASCII digits */
	uint8_t expiry[PAYMENT_EXPIRY_LEN];	/* ASCII YYMM */
	struct pay_debit last;
	bool pin_set;
	uint8_t pin_salt[PIN_SALT_LEN];
	uint8_t pin_verifier[SHA256_LEN];	/* SHA-256(tag, salt, PIN) */
	struct pay_load last_load;
};

/* The stored state, or a new card's when none was stored yet. */
TEE_Result state_load(struct pay_state *st);
/* The stored state of an enrolled card; TEE_ERROR_BAD_STATE before ENROL. */
TEE_Result state_load_enrolled(struct pay_state *st);
/* Replaces the stored state by st in one atomic write. */
TEE_Result state_save(const struct pay_state *st);

/* ---- devkey.c ------------------------------------------------------------- */

struct devkey {
	uint8_t pub[PAYMENT_PUBKEY_LEN];
	uint8_t id[PAYMENT_DEVICE_ID_LEN];	/* SHA-256(pub)[0:16] */
};

/* Makes and stores DK unless it exists; its public key and id in *dk. */
TEE_Result devkey_create(struct devkey *dk);
/* DK's public key and id; TEE_ERROR_ITEM_NOT_FOUND before KEYGEN. */
TEE_Result devkey_load(struct devkey *dk);
/* ECDSA P-256 SHA-256 signature (r || s) of msg with DK. */
TEE_Result devkey_sign(const void *msg, size_t len,
		       uint8_t sig[PAYMENT_SIG_LEN]);

/* ---- sig.c ---------------------------------------------------------------- */

TEE_Result sha256(const void *msg, size_t len, uint8_t out[SHA256_LEN]);
/* Whether 04 || X || Y is a point of P-256 (not the point at infinity). */
bool p256_point_valid(const uint8_t pub[PAYMENT_PUBKEY_LEN]);
/* Sets the X and Y attributes of pub as two TEE_Attributes. */
void p256_point_attrs(const uint8_t pub[PAYMENT_PUBKEY_LEN],
		      TEE_Attribute attrs[2]);
/* A P-256 coordinate or value of key, left-padded to 32 bytes. */
TEE_Result p256_get_attr(TEE_ObjectHandle key, uint32_t attr,
			 uint8_t out[P256_LEN]);
/*
 * TEE_SUCCESS when sig is pub's ECDSA P-256 SHA-256 signature of msg,
 * TEE_ERROR_SECURITY when it is not or pub is no point of the curve.
 */
TEE_Result sig_verify(const uint8_t pub[PAYMENT_PUBKEY_LEN], const void *msg,
		      size_t len, const uint8_t sig[PAYMENT_SIG_LEN]);

/* ---- cert.c --------------------------------------------------------------- */

/* A certificate that cert_check() accepted; pointers into its bytes. */
struct cert {
	uint8_t kind;
	const uint8_t *subject;		/* PAYMENT_SUBJECT_ID_LEN */
	const uint8_t *key;		/* PAYMENT_PUBKEY_LEN */
	const uint8_t *not_after;	/* PAYMENT_DATE_LEN */
	const uint8_t *extra;
	size_t extra_len;
};

/*
 * Parses a certificate of the given kind, the whole of buf, and checks
 * its fields (a valid not_after, a key on the curve, and what its kind
 * requires of its subject and extra: a device's extra is empty).  TEE_ERROR_SECURITY when anything
 * is wrong.  For certificates the TA checked when it stored them.
 */
TEE_Result cert_parse(const uint8_t *buf, size_t len, uint8_t kind,
		      struct cert *c);
/* cert_parse(), then the issuer's signature under issuer_key. */
TEE_Result cert_check(const uint8_t *buf, size_t len, uint8_t kind,
		      const uint8_t issuer_key[PAYMENT_PUBKEY_LEN],
		      struct cert *c);
/* Whether a certificate valid until not_after has expired on date. */
bool date_past(const uint8_t date[PAYMENT_DATE_LEN],
	       const uint8_t not_after[PAYMENT_DATE_LEN]);
/* Whether a card expiring in expiry (ASCII YYMM) has expired on date. */
bool expiry_past(const uint8_t date[PAYMENT_DATE_LEN],
		 const uint8_t expiry[PAYMENT_EXPIRY_LEN]);

/* ---- hpke.c --------------------------------------------------------------- */

#define HPKE_ENC_LEN	PAYMENT_PUBKEY_LEN
#define HPKE_TAG_LEN	16

/*
 * HPKE base mode, single shot (RFC 9180 6.1): encrypts pt to pk_r with
 * DHKEM(P-256, HKDF-SHA256), HKDF-SHA256 and AES-128-GCM, no AAD.
 * out receives enc || ciphertext || tag, out_len = 65 + pt_len + 16.
 */
TEE_Result hpke_seal(const uint8_t pk_r[PAYMENT_PUBKEY_LEN], const void *info,
		     size_t info_len, const void *pt, size_t pt_len,
		     uint8_t *out, size_t out_len);

/* ---- the commands --------------------------------------------------------- */

TEE_Result cmd_keygen(struct pay_session *s, uint32_t pt, TEE_Param p[4]);
TEE_Result cmd_get_info(struct pay_session *s, uint32_t pt, TEE_Param p[4]);
TEE_Result cmd_enrol(struct pay_session *s, uint32_t pt, TEE_Param p[4]);
TEE_Result cmd_read_cert(struct pay_session *s, uint32_t pt, TEE_Param p[4]);
TEE_Result cmd_init_load(struct pay_session *s, uint32_t pt, TEE_Param p[4]);
TEE_Result cmd_credit_load(struct pay_session *s, uint32_t pt,
			   TEE_Param p[4]);
TEE_Result cmd_last_load(struct pay_session *s, uint32_t pt, TEE_Param p[4]);
TEE_Result cmd_select(struct pay_session *s, uint32_t pt, TEE_Param p[4]);
TEE_Result cmd_gpo(struct pay_session *s, uint32_t pt, TEE_Param p[4]);
TEE_Result cmd_debit(struct pay_session *s, uint32_t pt, TEE_Param p[4]);
TEE_Result cmd_set_pin(struct pay_session *s, uint32_t pt, TEE_Param p[4]);

/* ---- cmd_pin.c ------------------------------------------------------------ */

/*
 * The cardholder verification of a GPO of amount above PAYMENT_CVM_LIMIT:
 * shows amount, currency and terminal id on the trusted UI and checks the
 * PIN typed there against st's verifier.  A wrong PIN costs a try, stored
 * (st saved) before this returns.  TEE_SUCCESS verified (st's tries reset
 * to PAYMENT_PIN_TRIES, not saved yet), TEE_ERROR_SECURITY no PIN set or
 * wrong PIN, TEE_ERROR_ACCESS_DENIED blocked, TEE_ERROR_CANCEL cancelled,
 * TEE_ERROR_BUSY no trusted UI, TEE_ERROR_NOT_SUPPORTED a TEE without one.
 */
TEE_Result pin_verify_for_gpo(struct pay_state *st, uint64_t amount,
			      uint16_t currency,
			      const uint8_t terminal_id[PAYMENT_TERMINAL_ID_LEN]);

#endif /* PAYMENT_INTERNAL_H */
