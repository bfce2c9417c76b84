"""The payment TA's byte layouts (docs/payment.md, "The TA's interface"):
the requests it parses, the answers it builds and the messages it signs
or verifies, each written as its fields in order.

A request that does not parse to its exact length is ``BAD_PARAMETERS``.
"""

from __future__ import annotations

from dataclasses import dataclass

from payment_bytes import (
    Reader,
    bcd_date_valid,
    digits,
    printable,
    tag,
    u16,
    u32,
    u64,
)

from pytee import Result
from pytee.internal import error
from pytee.payment.ta_ids import (
    PAYMENT_CERT_MAX,
    PAYMENT_CURRENCY,
    PAYMENT_DATE_LEN,
    PAYMENT_EXPIRY_LEN,
    PAYMENT_NONCE_LEN,
    PAYMENT_PUBKEY_LEN,
    PAYMENT_SIG_LEN,
    PAYMENT_SUITE,
    PAYMENT_TERMINAL_ID_LEN,
    PAYMENT_TOKEN_MAX,
    PAYMENT_TOKEN_MIN,
)

UN_LEN = 4  # the unpredictable number

# ---- enrolment ---------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    """The issuer's enrolment record::

    issuer_public_key(65) || device_cert_len(2) || device_certificate
    || acquirer_cert_len(2) || acquirer_certificate
    || token_len(1) || token || expiry(4 ASCII YYMM) || issuer_signature(64)
    """

    issuer_key: bytes
    device_cert: bytes
    acquirer_cert: bytes
    token: bytes
    expiry: bytes
    signed: bytes  # everything before the signature
    signature: bytes

    @classmethod
    def parse(cls, data: bytes) -> Enrolment:
        r = Reader(data, Result.BAD_PARAMETERS)
        issuer_key = r.take(PAYMENT_PUBKEY_LEN)
        device_cert = r.take(r.u16())
        acquirer_cert = r.take(r.u16())
        token = r.take(r.u8())
        expiry = r.take(PAYMENT_EXPIRY_LEN)
        signature = r.take(PAYMENT_SIG_LEN)
        r.done()
        if max(len(device_cert), len(acquirer_cert)) > PAYMENT_CERT_MAX:
            raise error(Result.BAD_PARAMETERS, "a certificate is too long")
        if not PAYMENT_TOKEN_MIN <= len(token) <= PAYMENT_TOKEN_MAX:
            raise error(Result.BAD_PARAMETERS, "a token of %d digits" % len(token))
        signed = data[:-PAYMENT_SIG_LEN]
        return cls(
            issuer_key, device_cert, acquirer_cert, token, expiry, signed, signature
        )


def enrol_message(record: Enrolment) -> bytes:
    return tag("TEEPAY-ENROL") + record.signed


def card_number_valid(token: bytes, expiry: bytes) -> bool:
    """A token of ASCII digits and an ASCII YYMM with a month 01-12."""
    return digits(token) and digits(expiry) and 1 <= int(expiry[2:]) <= 12


# ---- loads -------------------------------------------------------------------


def init_load_answer(challenge: bytes, counter: int, device_id: bytes) -> bytes:
    return challenge + u32(counter) + device_id


@dataclass(frozen=True)
class LoadAuthorisation:
    """``counter(4) || amount(8) || issuer_signature(64)``."""

    counter: int
    amount: int
    signature: bytes

    @classmethod
    def parse(cls, data: bytes) -> LoadAuthorisation:
        r = Reader(data, Result.BAD_PARAMETERS)
        auth = cls(counter=r.u32(), amount=r.u64(), signature=r.take(PAYMENT_SIG_LEN))
        r.done()
        return auth


def load_message(
    device_id: bytes, counter: int, challenge: bytes, amount: int
) -> bytes:
    """What the issuer signs to authorise a load."""
    return tag("TEEPAY-LOAD") + device_id + u32(counter) + challenge + u64(amount)


def loaded_message(device_id: bytes, counter: int, amount: int, balance: int) -> bytes:
    """What the card signs in a load receipt."""
    return tag("TEEPAY-LOADED") + device_id + u32(counter) + u64(amount) + u64(balance)


def load_receipt(counter: int, balance: int, signature: bytes) -> bytes:
    return u32(counter) + u64(balance) + signature


# ---- GPO ---------------------------------------------------------------------


@dataclass(frozen=True)
class GpoRequest:
    """The PDOL values::

    amount(8) || currency(2) || date(3, YYMMDD BCD) || type(1)
    || terminal_id(8) || unpredictable_number(4) || nonce(16) || suite(2)
    """

    amount: int
    currency: int
    date: bytes
    type: int
    terminal_id: bytes
    un: bytes
    nonce: bytes
    suite: int

    @classmethod
    def parse(cls, data: bytes) -> GpoRequest:
        """The request, refused (``BAD_PARAMETERS``) for an unknown suite, a
        currency other than 0156, an invalid date or a terminal id that is
        not printable ASCII."""
        r = Reader(data, Result.BAD_PARAMETERS)
        request = cls(
            amount=r.u64(),
            currency=r.u16(),
            date=r.take(PAYMENT_DATE_LEN),
            type=r.u8(),
            terminal_id=r.take(PAYMENT_TERMINAL_ID_LEN),
            un=r.take(UN_LEN),
            nonce=r.take(PAYMENT_NONCE_LEN),
            suite=r.u16(),
        )
        r.done()
        if (
            request.suite != PAYMENT_SUITE
            or request.currency != PAYMENT_CURRENCY
            or not bcd_date_valid(request.date)
            or not printable(request.terminal_id)
        ):
            raise error(Result.BAD_PARAMETERS, "a GPO request the card cannot take")
        return request


def hpke_plaintext(token: bytes, expiry: bytes, atc: int, device_id: bytes) -> bytes:
    """What only the acquirer reads: the card number, its ATC and device."""
    return bytes([len(token)]) + token + expiry + u32(atc) + device_id


def gpo_message(request: GpoRequest, atc: int, hpke: bytes) -> bytes:
    """What the card signs for a GPO: every PDOL value, the ATC and the
    ciphertext."""
    return (
        tag("TEEPAY-GPO")
        + u16(request.suite)
        + request.nonce
        + request.un
        + u64(request.amount)
        + u16(request.currency)
        + request.date
        + bytes([request.type])
        + request.terminal_id
        + u32(atc)
        + hpke
    )


def gpo_response(atc: int, hpke: bytes, signature: bytes) -> bytes:
    return u32(atc) + u16(len(hpke)) + hpke + signature


# ---- DEBIT -------------------------------------------------------------------


@dataclass(frozen=True)
class DebitRequest:
    """The terminal's request::

    atc(4) || amount(8) || terminal_id(8) || sequence(4)
    || terminal_cert_len(2) || terminal_certificate || terminal_signature(64)
    """

    atc: int
    amount: int
    terminal_id: bytes
    sequence: int
    cert: bytes
    signature: bytes

    @classmethod
    def parse(cls, data: bytes) -> DebitRequest:
        r = Reader(data, Result.BAD_PARAMETERS)
        request = cls(
            atc=r.u32(),
            amount=r.u64(),
            terminal_id=r.take(PAYMENT_TERMINAL_ID_LEN),
            sequence=r.u32(),
            cert=r.take(r.u16()),
            signature=r.take(PAYMENT_SIG_LEN),
        )
        r.done()
        return request


def debit_message(
    device_id: bytes, request: DebitRequest, currency: int, nonce: bytes
) -> bytes:
    """What the terminal signs for a DEBIT of the transaction of
    ``(currency, nonce)``."""
    return (
        tag("TEEPAY-DEBIT")
        + device_id
        + u32(request.atc)
        + u64(request.amount)
        + u16(currency)
        + request.terminal_id
        + u32(request.sequence)
        + nonce
    )


def receipt_message(
    device_id: bytes,
    atc: int,
    amount: int,
    terminal_id: bytes,
    sequence: int,
    balance: int,
) -> bytes:
    """What the card signs in a debit receipt."""
    return (
        tag("TEEPAY-RECEIPT")
        + device_id
        + u32(atc)
        + u64(amount)
        + terminal_id
        + u32(sequence)
        + u64(balance)
    )


def debit_receipt(balance: int, signature: bytes) -> bytes:
    return u64(balance) + signature
