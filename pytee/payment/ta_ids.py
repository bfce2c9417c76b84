"""The payment TA's UUID, command ids, state bits and sizes.

A hand-written mirror of ``csrc/ta/payment/include/payment_ta.h`` (see that
header and docs/payment.md, "The TA's interface", for what each command does
with its parameters); ``tests/test_payment_ta_ids.py`` checks that every
``#define`` there has the same value here and that nothing here is missing
from the header.  The UUIDs are canonical lowercase strings.

One name is not the header's: ``TA_PAYMENT_PY_UUID``, the UUID of the
payment TA's Python twin (``ta_python/payment.py``, for the software TEE
only), which has the same commands and numbers as the C TA.
"""

from __future__ import annotations

__all__ = [
    "PAYMENT_CERT_ACQUIRER",
    "PAYMENT_CERT_DEVICE",
    "PAYMENT_CERT_EXTRA_MAX",
    "PAYMENT_CERT_FIXED_LEN",
    "PAYMENT_CERT_MAX",
    "PAYMENT_CERT_TERMINAL",
    "PAYMENT_CHALLENGE_LEN",
    "PAYMENT_CMD_CREDIT_LOAD",
    "PAYMENT_CMD_DEBIT",
    "PAYMENT_CMD_ENROL",
    "PAYMENT_CMD_GET_INFO",
    "PAYMENT_CMD_GPO",
    "PAYMENT_CMD_INIT_LOAD",
    "PAYMENT_CMD_KEYGEN",
    "PAYMENT_CMD_LAST_LOAD",
    "PAYMENT_CMD_READ_CERT",
    "PAYMENT_CMD_SELECT",
    "PAYMENT_CMD_SET_PIN",
    "PAYMENT_CURRENCY",
    "PAYMENT_CVM_LIMIT",
    "PAYMENT_DATE_LEN",
    "PAYMENT_DEBIT_FIXED_LEN",
    "PAYMENT_DEBIT_RECEIPT_LEN",
    "PAYMENT_DEBIT_REQUEST_MAX",
    "PAYMENT_DEVICE_ID_LEN",
    "PAYMENT_ENROL_MAX",
    "PAYMENT_ENROL_MIN",
    "PAYMENT_EXPIRY_LEN",
    "PAYMENT_GPO_REQUEST_LEN",
    "PAYMENT_GPO_RESPONSE_MAX",
    "PAYMENT_HPKE_INFO",
    "PAYMENT_HPKE_MAX",
    "PAYMENT_INIT_LOAD_LEN",
    "PAYMENT_LOAD_AUTH_LEN",
    "PAYMENT_LOAD_RECEIPT_LEN",
    "PAYMENT_NAME_MAX",
    "PAYMENT_NONCE_LEN",
    "PAYMENT_PIN_MAX",
    "PAYMENT_PIN_MIN",
    "PAYMENT_PIN_TRIES",
    "PAYMENT_PLAINTEXT_MAX",
    "PAYMENT_PUBKEY_LEN",
    "PAYMENT_READ_ACQUIRER_CERT",
    "PAYMENT_READ_DEVICE_CERT",
    "PAYMENT_READ_ISSUER_KEY",
    "PAYMENT_SIG_LEN",
    "PAYMENT_STATE_ENROLLED",
    "PAYMENT_STATE_KEY",
    "PAYMENT_STATE_PIN_SET",
    "PAYMENT_SUBJECT_ID_LEN",
    "PAYMENT_SUITE",
    "PAYMENT_TERMINAL_ID_LEN",
    "PAYMENT_TOKEN_MAX",
    "PAYMENT_TOKEN_MIN",
    "TA_PAYMENT_PY_UUID",
    "TA_PAYMENT_UUID",
]

TA_PAYMENT_UUID = "df732d25-7e78-4e77-a0af-2d006cd61bc9"
# The Python twin's (its file's TA_UUID line); not in the header
TA_PAYMENT_PY_UUID = "fcfaada9-c696-4c5c-903f-5fed5991252a"

# Command ids
PAYMENT_CMD_KEYGEN = 0
PAYMENT_CMD_GET_INFO = 1
PAYMENT_CMD_ENROL = 2
PAYMENT_CMD_INIT_LOAD = 3
PAYMENT_CMD_CREDIT_LOAD = 4
PAYMENT_CMD_SELECT = 5
PAYMENT_CMD_GPO = 6
PAYMENT_CMD_DEBIT = 7
PAYMENT_CMD_READ_CERT = 8
PAYMENT_CMD_SET_PIN = 9
PAYMENT_CMD_LAST_LOAD = 10

# GET_INFO p0.a: state bits
PAYMENT_STATE_KEY = 0x1
PAYMENT_STATE_ENROLLED = 0x2
PAYMENT_STATE_PIN_SET = 0x4

# READ_CERT p0.a
PAYMENT_READ_ISSUER_KEY = 1
PAYMENT_READ_DEVICE_CERT = 2
PAYMENT_READ_ACQUIRER_CERT = 3

# Certificate kinds
PAYMENT_CERT_DEVICE = 1
PAYMENT_CERT_TERMINAL = 2
PAYMENT_CERT_ACQUIRER = 3

# The only suite: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM
PAYMENT_SUITE = 0x0001
PAYMENT_CURRENCY = 0x0156  # ISO 4217 CNY, in fen
PAYMENT_HPKE_INFO = "TEEPAY-HPKE-v1"
PAYMENT_PIN_TRIES = 3  # PIN tries of a new card
PAYMENT_PIN_MIN = 4  # digits
PAYMENT_PIN_MAX = 6
# Cardholder verification limit: a GPO above it takes the PIN (fen)
PAYMENT_CVM_LIMIT = 30000  # 300.00 CNY

# Sizes in bytes
PAYMENT_PUBKEY_LEN = 65  # 04 || X || Y
PAYMENT_SIG_LEN = 64  # r || s
PAYMENT_DEVICE_ID_LEN = 16
PAYMENT_SUBJECT_ID_LEN = 16
PAYMENT_TERMINAL_ID_LEN = 8
PAYMENT_NONCE_LEN = 16
PAYMENT_CHALLENGE_LEN = 16
PAYMENT_DATE_LEN = 3  # YYMMDD, BCD
PAYMENT_EXPIRY_LEN = 4  # ASCII YYMM
PAYMENT_TOKEN_MIN = 16
PAYMENT_TOKEN_MAX = 19
PAYMENT_NAME_MAX = 40  # merchant or acquirer name

# certificate: kind || subject || key || not_after || extra_len || extra || sig
PAYMENT_CERT_FIXED_LEN = 1 + 16 + 65 + 3 + 2 + 64
PAYMENT_CERT_EXTRA_MAX = PAYMENT_NAME_MAX
PAYMENT_CERT_MAX = PAYMENT_CERT_FIXED_LEN + PAYMENT_CERT_EXTRA_MAX

# key || len || device cert || len || acquirer cert || token_len || token
# || expiry || sig (a device certificate's extra is empty, but a longer one
# fits, to be refused as SECURITY)
PAYMENT_ENROL_MIN = (
    65
    + 2
    + PAYMENT_CERT_FIXED_LEN
    + 2
    + PAYMENT_CERT_FIXED_LEN
    + 1
    + PAYMENT_TOKEN_MIN
    + 4
    + 64
)
PAYMENT_ENROL_MAX = (
    65 + 2 + PAYMENT_CERT_MAX + 2 + PAYMENT_CERT_MAX + 1 + PAYMENT_TOKEN_MAX + 4 + 64
)

PAYMENT_INIT_LOAD_LEN = 16 + 4 + 16
PAYMENT_LOAD_AUTH_LEN = 4 + 8 + 64
PAYMENT_LOAD_RECEIPT_LEN = 4 + 8 + 64

PAYMENT_GPO_REQUEST_LEN = 8 + 2 + 3 + 1 + 8 + 4 + 16 + 2
# token_len || token || expiry || atc || device id
PAYMENT_PLAINTEXT_MAX = 1 + PAYMENT_TOKEN_MAX + 4 + 4 + 16
PAYMENT_HPKE_MAX = 65 + PAYMENT_PLAINTEXT_MAX + 16
# atc || hpke_len || hpke || sig
PAYMENT_GPO_RESPONSE_MAX = 4 + 2 + PAYMENT_HPKE_MAX + 64

# atc || amount || terminal id || sequence || cert_len || cert || sig
PAYMENT_DEBIT_FIXED_LEN = 4 + 8 + 8 + 4 + 2 + 64
PAYMENT_DEBIT_REQUEST_MAX = PAYMENT_DEBIT_FIXED_LEN + PAYMENT_CERT_MAX
PAYMENT_DEBIT_RECEIPT_LEN = 8 + 64
