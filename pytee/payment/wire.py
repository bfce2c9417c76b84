"""The fixed byte layouts of docs/payment.md and the messages that are signed.

Each layout is a frozen dataclass with ``encode()`` and a ``decode()`` class
method; ``decode`` checks every length (a truncated, overlong or
inconsistent buffer raises :class:`~pytee.payment.errors.WireError`, a
``ValueError``) and the constructor checks every field, so whatever decodes
encodes back to the same bytes.  Integers are big-endian.

Each signed message starts with an ASCII tag and a zero byte; the
``*_message`` functions build them.  :func:`sign` and :func:`verify` (from
:mod:`pytee.payment.keys`) make and check the 64-byte ``r || s`` signatures;
the BCD and Luhn helpers of :mod:`pytee.payment.codec` are re-exported.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from cryptography.hazmat.primitives.asymmetric import ec

from pytee.payment.codec import (
    BytesLike,
    amount_from_bcd,
    amount_to_bcd,
    bcd_decode,
    bcd_encode,
    check_expiry,
    date_from_bcd,
    date_to_bcd,
    expiry_last_day,
    luhn_check_digit,
    luhn_valid,
)
from pytee.payment.errors import WireError
from pytee.payment.keys import (
    HPKE_INFO,
    PUBLIC_KEY_SIZE,
    SIGNATURE_SIZE,
    SUITE_P256_SHA256_AES128GCM,
    PublicKeyLike,
    key_id,
    load_public_key,
    sign,
    verify,
)

__all__ = [
    "CHALLENGE_SIZE",
    "CURRENCY_CNY",
    "DEVICE_ID_SIZE",
    "HPKE_INFO",
    "HPKE_MIN_SIZE",
    "MAX_NAME_SIZE",
    "NONCE_SIZE",
    "PUBLIC_KEY_SIZE",
    "SIGNATURE_SIZE",
    "SUITE_P256_SHA256_AES128GCM",
    "TAG_CERT",
    "TAG_DEBIT",
    "TAG_ENROL",
    "TAG_GPO",
    "TAG_LOAD",
    "TAG_LOADED",
    "TAG_RECEIPT",
    "TERMINAL_ID_SIZE",
    "TRANSACTION_PURCHASE",
    "UN_SIZE",
    "CertKind",
    "Certificate",
    "DebitReceipt",
    "DebitRequest",
    "EnrolmentRecord",
    "GpoRequest",
    "GpoResponse",
    "HpkePlaintext",
    "LoadAuthorisation",
    "LoadChallenge",
    "LoadReceipt",
    "amount_from_bcd",
    "amount_to_bcd",
    "bcd_decode",
    "bcd_encode",
    "cert_message",
    "check_expiry",
    "date_from_bcd",
    "date_to_bcd",
    "debit_message",
    "enrol_message",
    "expiry_last_day",
    "gpo_message",
    "load_message",
    "loaded_message",
    "luhn_check_digit",
    "luhn_valid",
    "receipt_message",
    "sign",
    "terminal_subject",
    "verify",
]

TAG_CERT = b"TEEPAY-CERT\0"
TAG_ENROL = b"TEEPAY-ENROL\0"
TAG_LOAD = b"TEEPAY-LOAD\0"
TAG_LOADED = b"TEEPAY-LOADED\0"
TAG_GPO = b"TEEPAY-GPO\0"
TAG_DEBIT = b"TEEPAY-DEBIT\0"
TAG_RECEIPT = b"TEEPAY-RECEIPT\0"

DEVICE_ID_SIZE = 16
CHALLENGE_SIZE = 16
NONCE_SIZE = 16
UN_SIZE = 4
TERMINAL_ID_SIZE = 8
MAX_NAME_SIZE = 40
TOKEN_SIZES = range(16, 20)
HPKE_ENC_SIZE = 65
HPKE_TAG_SIZE = 16
HPKE_MIN_SIZE = HPKE_ENC_SIZE + HPKE_TAG_SIZE
"""The shortest ``enc || ciphertext``: an empty plaintext."""
CURRENCY_CNY = 0x0156
TRANSACTION_PURCHASE = 0x00


# -- field checks -------------------------------------------------------


def _bytes(value: bytes, size: int, name: str) -> bytes:
    value = bytes(value)
    if len(value) != size:
        raise WireError("%s is %d bytes, not %d" % (name, len(value), size))
    return value


def _uint(value: int, size: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s must be an int" % name)
    if not 0 <= value < 1 << (8 * size):
        raise WireError("%s %d does not fit in %d bytes" % (name, value, size))
    return value


def _be(value: int, size: int) -> bytes:
    return value.to_bytes(size, "big")


def _public_key(value: bytes, name: str) -> bytes:
    value = _bytes(value, PUBLIC_KEY_SIZE, name)
    if value[0] != 0x04:
        raise WireError("%s is not an uncompressed point (04 ...)" % name)
    return value


def _printable(value: bytes, name: str) -> bytes:
    if not all(0x20 <= b < 0x7F for b in value):
        raise WireError("%s is not printable ASCII" % name)
    return value


def _terminal_id(value: bytes) -> bytes:
    return _printable(_bytes(value, TERMINAL_ID_SIZE, "terminal id"), "terminal id")


def _token(value: str) -> str:
    if len(value) not in TOKEN_SIZES or not value.isascii() or not value.isdigit():
        raise WireError("a token is 16 to 19 ASCII digits, not %r" % value)
    return value


def _name(value: bytes, what: str) -> None:
    if len(value) > MAX_NAME_SIZE:
        raise WireError("%s is %d bytes, at most 40" % (what, len(value)))
    try:
        value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WireError("%s is not UTF-8" % what) from exc


class _Reader:
    """Reads fields off a buffer; short reads and leftovers raise WireError."""

    def __init__(self, data: BytesLike, what: str) -> None:
        self._data = bytes(data)
        self._pos = 0
        self._what = what

    def take(self, size: int, name: str) -> bytes:
        end = self._pos + size
        if end > len(self._data):
            raise WireError("%s: truncated in %s" % (self._what, name))
        chunk = self._data[self._pos : end]
        self._pos = end
        return chunk

    def uint(self, size: int, name: str) -> int:
        return int.from_bytes(self.take(size, name), "big")

    def end(self) -> None:
        if self._pos != len(self._data):
            extra = len(self._data) - self._pos
            raise WireError("%s: %d bytes too many" % (self._what, extra))


class _Flat:
    """A layout of fixed-size fields, each an unsigned big-endian integer
    (``int``) or bytes (``bytes``), named as the dataclass fields that
    hold them, in order: checks, encodes and decodes such a dataclass."""

    def __init__(self, what: str, *fields: tuple[str, int, type]) -> None:
        self.what = what
        # each field with the words its errors name it by
        self.fields = [
            (name, size, kind, name.replace("_", " ")) for name, size, kind in fields
        ]
        self.size = sum(size for _, size, _ in fields)

    def check(self, obj: object) -> None:
        """Check each field of ``obj``; bytes-like fields become bytes."""
        for name, size, kind, label in self.fields:
            if kind is int:
                _uint(getattr(obj, name), size, label)
            else:
                object.__setattr__(obj, name, _bytes(getattr(obj, name), size, label))

    def encode(self, obj: object) -> bytes:
        return b"".join(
            _be(getattr(obj, name), size) if kind is int else getattr(obj, name)
            for name, size, kind, _ in self.fields
        )

    def decode(self, data: BytesLike) -> list[Any]:
        """The field values of ``data``, in order (an ``int`` or ``bytes``
        each, as its field says)."""
        r = _Reader(data, self.what)
        values: list[Any] = []
        for _, size, kind, label in self.fields:
            values.append(r.uint(size, label) if kind is int else r.take(size, label))
        r.end()
        return values


_R = TypeVar("_R", bound="_FlatRecord")


class _FlatRecord:
    """A dataclass laid out by its ``_LAYOUT``: checked when made, encoded
    and decoded field by field."""

    _LAYOUT: ClassVar[_Flat]

    def __post_init__(self) -> None:
        self._LAYOUT.check(self)

    def encode(self) -> bytes:
        return self._LAYOUT.encode(self)

    @classmethod
    def decode(cls: type[_R], data: BytesLike) -> _R:
        return cls(*cls._LAYOUT.decode(data))


# -- certificates -------------------------------------------------------


class CertKind(enum.IntEnum):
    """What a certificate certifies."""

    DEVICE = 1
    TERMINAL = 2
    ACQUIRER = 3


def terminal_subject(terminal_id: bytes) -> bytes:
    """A terminal certificate's subject: the 8-byte id padded with 00 to 16."""
    return _terminal_id(terminal_id) + bytes(DEVICE_ID_SIZE - TERMINAL_ID_SIZE)


def _check_certificate(
    kind: CertKind, subject_id: bytes, public_key: bytes, extra: bytes
) -> None:
    if kind is CertKind.DEVICE:
        if extra:
            # READ RECORD gives certificates to anyone: no token in them
            raise WireError("a device certificate's extra is empty")
    else:
        _name(extra, "the name")
    if kind is CertKind.TERMINAL:
        if subject_id[TERMINAL_ID_SIZE:] != bytes(DEVICE_ID_SIZE - TERMINAL_ID_SIZE):
            raise WireError("a terminal subject is its id padded with 00")
        _printable(subject_id[:TERMINAL_ID_SIZE], "terminal id")
    elif subject_id != key_id(public_key):
        raise WireError("subject id is not the id of the certified key")


def _cert_body(
    kind: int,
    subject_id: bytes,
    public_key: bytes,
    not_after: datetime.date,
    extra: bytes,
) -> bytes:
    return (
        bytes([kind])
        + subject_id
        + public_key
        + date_to_bcd(not_after)
        + _be(len(extra), 2)
        + extra
    )


def cert_message(
    kind: CertKind,
    subject_id: bytes,
    public_key: bytes,
    not_after: datetime.date,
    extra: bytes,
) -> bytes:
    """``"TEEPAY-CERT\\0" || kind || subject_id || key || not_after || extra``."""
    kind = _cert_kind(kind)
    subject_id = _bytes(subject_id, DEVICE_ID_SIZE, "subject id")
    public_key = _public_key(public_key, "public key")
    _uint(len(extra), 2, "extra length")
    return TAG_CERT + _cert_body(kind, subject_id, public_key, not_after, extra)


def _cert_kind(kind: int) -> CertKind:
    try:
        return CertKind(kind)
    except ValueError:
        raise WireError("unknown certificate kind %d" % kind) from None


@dataclass(frozen=True)
class Certificate:
    """``kind || subject_id || public_key || not_after || extra_len || extra
    || issuer_signature``."""

    kind: CertKind
    subject_id: bytes
    public_key: bytes
    not_after: datetime.date
    extra: bytes
    signature: bytes

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "kind", _cert_kind(self.kind))
        set_(self, "subject_id", _bytes(self.subject_id, DEVICE_ID_SIZE, "subject"))
        set_(self, "public_key", _public_key(self.public_key, "public key"))
        set_(self, "extra", bytes(self.extra))
        set_(self, "signature", _bytes(self.signature, SIGNATURE_SIZE, "signature"))
        date_to_bcd(self.not_after)
        _uint(len(self.extra), 2, "extra length")
        _check_certificate(self.kind, self.subject_id, self.public_key, self.extra)

    @classmethod
    def issue(
        cls,
        issuer_key: ec.EllipticCurvePrivateKey,
        kind: CertKind,
        subject_id: bytes,
        public_key: bytes,
        not_after: datetime.date,
        extra: bytes,
    ) -> Certificate:
        """Build and sign a certificate with the issuer's private key."""
        message = cert_message(kind, subject_id, public_key, not_after, extra)
        return cls(
            kind, subject_id, public_key, not_after, extra, sign(issuer_key, message)
        )

    @property
    def message(self) -> bytes:
        """The signed part: ``"TEEPAY-CERT\\0"`` and all before the signature."""
        return cert_message(
            self.kind, self.subject_id, self.public_key, self.not_after, self.extra
        )

    def verify(self, issuer_public_key: PublicKeyLike) -> None:
        """Raise :class:`BadSignature` unless the issuer signed this certificate."""
        verify(issuer_public_key, self.message, self.signature)

    def key(self) -> ec.EllipticCurvePublicKey:
        """The certified public key as a ``cryptography`` object."""
        return load_public_key(self.public_key)

    @property
    def terminal_id(self) -> bytes:
        """A terminal certificate's 8-byte terminal id."""
        if self.kind is not CertKind.TERMINAL:
            raise ValueError("a %s certificate has no terminal id" % self.kind.name)
        return self.subject_id[:TERMINAL_ID_SIZE]

    @property
    def name(self) -> str:
        """A terminal's merchant name or an acquirer's name."""
        if self.kind is CertKind.DEVICE:
            raise ValueError("a device certificate has no name")
        return self.extra.decode("utf-8")

    def encode(self) -> bytes:
        body = _cert_body(
            self.kind, self.subject_id, self.public_key, self.not_after, self.extra
        )
        return body + self.signature

    @classmethod
    def decode(cls, data: BytesLike) -> Certificate:
        r = _Reader(data, "certificate")
        kind = _cert_kind(r.uint(1, "kind"))
        subject_id = r.take(DEVICE_ID_SIZE, "subject id")
        public_key = r.take(PUBLIC_KEY_SIZE, "public key")
        not_after = date_from_bcd(r.take(3, "not_after"))
        extra = r.take(r.uint(2, "extra length"), "extra")
        signature = r.take(SIGNATURE_SIZE, "signature")
        r.end()
        return cls(kind, subject_id, public_key, not_after, extra, signature)


# -- enrolment ----------------------------------------------------------


def enrol_message(
    issuer_public_key: bytes,
    device_certificate: bytes,
    acquirer_certificate: bytes,
    token: str,
    expiry: str,
) -> bytes:
    """``"TEEPAY-ENROL\\0"`` and all of the enrolment record before its signature."""
    return TAG_ENROL + _enrol_body(
        _public_key(issuer_public_key, "issuer key"),
        device_certificate,
        acquirer_certificate,
        token,
        expiry,
    )


def _enrol_body(
    issuer_key: bytes, device_cert: bytes, acquirer_cert: bytes, token: str, expiry: str
) -> bytes:
    token_bytes = _token(token).encode("ascii")
    return (
        issuer_key
        + _be(_uint(len(device_cert), 2, "device cert length"), 2)
        + device_cert
        + _be(_uint(len(acquirer_cert), 2, "acquirer cert length"), 2)
        + acquirer_cert
        + bytes([len(token_bytes)])
        + token_bytes
        + check_expiry(expiry).encode("ascii")
    )


@dataclass(frozen=True)
class EnrolmentRecord:
    """``issuer_public_key || device_cert_len || device_certificate
    || acquirer_cert_len || acquirer_certificate || token_len || token
    || expiry(4, YYMM) || issuer_signature``.

    The token (virtual card number) and its expiry travel only here, from
    the issuer to the TA, and encrypted to the acquirer: no certificate
    holds them, since READ RECORD gives the certificates to anyone.
    """

    issuer_public_key: bytes
    device_certificate: Certificate
    acquirer_certificate: Certificate
    token: str
    expiry: str
    signature: bytes

    def __post_init__(self) -> None:
        key = _public_key(self.issuer_public_key, "issuer key")
        object.__setattr__(self, "issuer_public_key", key)
        _token(self.token)
        check_expiry(self.expiry)
        sig = _bytes(self.signature, SIGNATURE_SIZE, "signature")
        object.__setattr__(self, "signature", sig)

    @property
    def message(self) -> bytes:
        return enrol_message(
            self.issuer_public_key,
            self.device_certificate.encode(),
            self.acquirer_certificate.encode(),
            self.token,
            self.expiry,
        )

    def verify(self) -> None:
        """Raise :class:`BadSignature` unless the issuer key the record
        carries signed it (the TA pins that key on first use)."""
        verify(self.issuer_public_key, self.message, self.signature)

    def encode(self) -> bytes:
        body = _enrol_body(
            self.issuer_public_key,
            self.device_certificate.encode(),
            self.acquirer_certificate.encode(),
            self.token,
            self.expiry,
        )
        return body + self.signature

    @classmethod
    def decode(cls, data: BytesLike) -> EnrolmentRecord:
        r = _Reader(data, "enrolment record")
        issuer_key = r.take(PUBLIC_KEY_SIZE, "issuer key")
        device = Certificate.decode(r.take(r.uint(2, "length"), "device cert"))
        acquirer = Certificate.decode(r.take(r.uint(2, "length"), "acquirer cert"))
        token = r.take(r.uint(1, "token length"), "token")
        expiry = r.take(4, "expiry")
        signature = r.take(SIGNATURE_SIZE, "signature")
        r.end()
        try:
            token_text, expiry_text = token.decode("ascii"), expiry.decode("ascii")
        except UnicodeDecodeError as exc:
            raise WireError("enrolment record: token or expiry not ASCII") from exc
        return cls(issuer_key, device, acquirer, token_text, expiry_text, signature)


# -- loads (S1) ---------------------------------------------------------


def load_message(
    device_id: bytes, counter: int, challenge: bytes, amount: int
) -> bytes:
    """``"TEEPAY-LOAD\\0" || device_id || counter || challenge || amount``."""
    return (
        TAG_LOAD
        + _bytes(device_id, DEVICE_ID_SIZE, "device id")
        + _be(_uint(counter, 4, "counter"), 4)
        + _bytes(challenge, CHALLENGE_SIZE, "challenge")
        + _be(_uint(amount, 8, "amount"), 8)
    )


def loaded_message(device_id: bytes, counter: int, amount: int, balance: int) -> bytes:
    """``"TEEPAY-LOADED\\0" || device_id || counter || amount || balance``."""
    return (
        TAG_LOADED
        + _bytes(device_id, DEVICE_ID_SIZE, "device id")
        + _be(_uint(counter, 4, "counter"), 4)
        + _be(_uint(amount, 8, "amount"), 8)
        + _be(_uint(balance, 8, "balance"), 8)
    )


@dataclass(frozen=True)
class LoadChallenge(_FlatRecord):
    """INIT_LOAD's output: ``challenge(16) || counter(4) || device_id(16)``."""

    challenge: bytes
    counter: int
    device_id: bytes

    _LAYOUT = _Flat(
        "load challenge",
        ("challenge", CHALLENGE_SIZE, bytes),
        ("counter", 4, int),
        ("device_id", DEVICE_ID_SIZE, bytes),
    )
    SIZE = _LAYOUT.size


@dataclass(frozen=True)
class LoadAuthorisation(_FlatRecord):
    """``counter(4) || amount(8) || issuer_signature(64)`` over :func:`load_message`."""

    counter: int
    amount: int
    signature: bytes

    _LAYOUT = _Flat(
        "load authorisation",
        ("counter", 4, int),
        ("amount", 8, int),
        ("signature", SIGNATURE_SIZE, bytes),
    )
    SIZE = _LAYOUT.size


@dataclass(frozen=True)
class LoadReceipt(_FlatRecord):
    """``counter(4) || balance(8) || device_signature(64)`` over
    :func:`loaded_message`; ``counter`` is the authorisation's."""

    counter: int
    balance: int
    signature: bytes

    _LAYOUT = _Flat(
        "load receipt",
        ("counter", 4, int),
        ("balance", 8, int),
        ("signature", SIGNATURE_SIZE, bytes),
    )
    SIZE = _LAYOUT.size


# -- purchase (S4-S9) ---------------------------------------------------


@dataclass(frozen=True)
class GpoRequest:
    """``amount(8) || currency(2) || date(3, BCD) || type(1) || terminal_id(8)
    || unpredictable_number(4) || nonce(16) || suite(2)``."""

    amount: int
    currency: int
    date: datetime.date
    type: int
    terminal_id: bytes
    unpredictable_number: bytes
    nonce: bytes
    suite: int

    SIZE = 8 + 2 + 3 + 1 + TERMINAL_ID_SIZE + UN_SIZE + NONCE_SIZE + 2

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        _uint(self.amount, 8, "amount")
        _uint(self.currency, 2, "currency")
        date_to_bcd(self.date)
        _uint(self.type, 1, "type")
        set_(self, "terminal_id", _terminal_id(self.terminal_id))
        un = _bytes(self.unpredictable_number, UN_SIZE, "unpredictable number")
        set_(self, "unpredictable_number", un)
        set_(self, "nonce", _bytes(self.nonce, NONCE_SIZE, "nonce"))
        _uint(self.suite, 2, "suite")

    def encode(self) -> bytes:
        return (
            _be(self.amount, 8)
            + _be(self.currency, 2)
            + date_to_bcd(self.date)
            + _be(self.type, 1)
            + self.terminal_id
            + self.unpredictable_number
            + self.nonce
            + _be(self.suite, 2)
        )

    @classmethod
    def decode(cls, data: BytesLike) -> GpoRequest:
        r = _Reader(data, "GPO request")
        request = cls(
            amount=r.uint(8, "amount"),
            currency=r.uint(2, "currency"),
            date=date_from_bcd(r.take(3, "date")),
            type=r.uint(1, "type"),
            terminal_id=r.take(TERMINAL_ID_SIZE, "terminal id"),
            unpredictable_number=r.take(UN_SIZE, "unpredictable number"),
            nonce=r.take(NONCE_SIZE, "nonce"),
            suite=r.uint(2, "suite"),
        )
        r.end()
        return request


@dataclass(frozen=True)
class HpkePlaintext:
    """``token_len(1) || token || expiry(4, YYMM) || atc(4) || device_id(16)``."""

    token: str
    expiry: str
    atc: int
    device_id: bytes

    def __post_init__(self) -> None:
        _token(self.token)
        check_expiry(self.expiry)
        _uint(self.atc, 4, "atc")
        device_id = _bytes(self.device_id, DEVICE_ID_SIZE, "device id")
        object.__setattr__(self, "device_id", device_id)

    def encode(self) -> bytes:
        token = self.token.encode("ascii")
        return (
            bytes([len(token)])
            + token
            + self.expiry.encode("ascii")
            + _be(self.atc, 4)
            + self.device_id
        )

    @classmethod
    def decode(cls, data: BytesLike) -> HpkePlaintext:
        r = _Reader(data, "HPKE plaintext")
        token = r.take(r.uint(1, "token length"), "token")
        expiry = r.take(4, "expiry")
        atc = r.uint(4, "atc")
        device_id = r.take(DEVICE_ID_SIZE, "device id")
        r.end()
        try:
            return cls(token.decode("ascii"), expiry.decode("ascii"), atc, device_id)
        except UnicodeDecodeError as exc:
            raise WireError("HPKE plaintext: token or expiry not ASCII") from exc


def gpo_message(
    suite: int,
    nonce: bytes,
    unpredictable_number: bytes,
    amount: int,
    currency: int,
    date: datetime.date,
    transaction_type: int,
    terminal_id: bytes,
    atc: int,
    hpke: bytes,
) -> bytes:
    """``"TEEPAY-GPO\\0" || suite || nonce || UN || amount || currency
    || date (BCD) || type || terminal_id || atc || hpke``: every PDOL value."""
    return (
        TAG_GPO
        + _be(_uint(suite, 2, "suite"), 2)
        + _bytes(nonce, NONCE_SIZE, "nonce")
        + _bytes(unpredictable_number, UN_SIZE, "unpredictable number")
        + _be(_uint(amount, 8, "amount"), 8)
        + _be(_uint(currency, 2, "currency"), 2)
        + date_to_bcd(date)
        + _be(_uint(transaction_type, 1, "type"), 1)
        + _terminal_id(terminal_id)
        + _be(_uint(atc, 4, "atc"), 4)
        + bytes(hpke)
    )


@dataclass(frozen=True)
class GpoResponse:
    """``atc(4) || hpke_len(2) || hpke || device_signature(64)``."""

    atc: int
    hpke: bytes
    signature: bytes

    def __post_init__(self) -> None:
        _uint(self.atc, 4, "atc")
        hpke = bytes(self.hpke)
        if len(hpke) < HPKE_MIN_SIZE:
            raise WireError("HPKE output is at least %d bytes" % HPKE_MIN_SIZE)
        _uint(len(hpke), 2, "HPKE length")
        object.__setattr__(self, "hpke", hpke)
        sig = _bytes(self.signature, SIGNATURE_SIZE, "signature")
        object.__setattr__(self, "signature", sig)

    def message(self, request: GpoRequest) -> bytes:
        """The signed message of this answer to ``request``."""
        return gpo_message(
            request.suite,
            request.nonce,
            request.unpredictable_number,
            request.amount,
            request.currency,
            request.date,
            request.type,
            request.terminal_id,
            self.atc,
            self.hpke,
        )

    def encode(self) -> bytes:
        return _be(self.atc, 4) + _be(len(self.hpke), 2) + self.hpke + self.signature

    @classmethod
    def decode(cls, data: BytesLike) -> GpoResponse:
        r = _Reader(data, "GPO response")
        atc = r.uint(4, "atc")
        hpke = r.take(r.uint(2, "HPKE length"), "HPKE")
        signature = r.take(SIGNATURE_SIZE, "signature")
        r.end()
        return cls(atc, hpke, signature)


def debit_message(
    device_id: bytes,
    atc: int,
    amount: int,
    currency: int,
    terminal_id: bytes,
    sequence: int,
    nonce: bytes,
) -> bytes:
    """``"TEEPAY-DEBIT\\0" || device_id || atc || amount || currency
    || terminal_id || sequence || nonce``."""
    return (
        TAG_DEBIT
        + _bytes(device_id, DEVICE_ID_SIZE, "device id")
        + _be(_uint(atc, 4, "atc"), 4)
        + _be(_uint(amount, 8, "amount"), 8)
        + _be(_uint(currency, 2, "currency"), 2)
        + _terminal_id(terminal_id)
        + _be(_uint(sequence, 4, "sequence"), 4)
        + _bytes(nonce, NONCE_SIZE, "nonce")
    )


@dataclass(frozen=True)
class DebitRequest:
    """``atc(4) || amount(8) || terminal_id(8) || sequence(4)
    || terminal_cert_len(2) || terminal_certificate || terminal_signature(64)``."""

    atc: int
    amount: int
    terminal_id: bytes
    sequence: int
    terminal_certificate: Certificate
    signature: bytes

    def __post_init__(self) -> None:
        _uint(self.atc, 4, "atc")
        _uint(self.amount, 8, "amount")
        object.__setattr__(self, "terminal_id", _terminal_id(self.terminal_id))
        _uint(self.sequence, 4, "sequence")
        sig = _bytes(self.signature, SIGNATURE_SIZE, "signature")
        object.__setattr__(self, "signature", sig)

    def encode(self) -> bytes:
        cert = self.terminal_certificate.encode()
        return (
            _be(self.atc, 4)
            + _be(self.amount, 8)
            + self.terminal_id
            + _be(self.sequence, 4)
            + _be(len(cert), 2)
            + cert
            + self.signature
        )

    @classmethod
    def decode(cls, data: BytesLike) -> DebitRequest:
        r = _Reader(data, "debit request")
        atc = r.uint(4, "atc")
        amount = r.uint(8, "amount")
        terminal_id = r.take(TERMINAL_ID_SIZE, "terminal id")
        sequence = r.uint(4, "sequence")
        cert = Certificate.decode(r.take(r.uint(2, "cert length"), "certificate"))
        signature = r.take(SIGNATURE_SIZE, "signature")
        r.end()
        return cls(atc, amount, terminal_id, sequence, cert, signature)


def receipt_message(
    device_id: bytes,
    atc: int,
    amount: int,
    terminal_id: bytes,
    sequence: int,
    balance: int,
) -> bytes:
    """``"TEEPAY-RECEIPT\\0" || device_id || atc || amount || terminal_id
    || sequence || balance``."""
    return (
        TAG_RECEIPT
        + _bytes(device_id, DEVICE_ID_SIZE, "device id")
        + _be(_uint(atc, 4, "atc"), 4)
        + _be(_uint(amount, 8, "amount"), 8)
        + _terminal_id(terminal_id)
        + _be(_uint(sequence, 4, "sequence"), 4)
        + _be(_uint(balance, 8, "balance"), 8)
    )


@dataclass(frozen=True)
class DebitReceipt(_FlatRecord):
    """``balance(8) || device_signature(64)`` over :func:`receipt_message`."""

    balance: int
    signature: bytes

    _LAYOUT = _Flat(
        "debit receipt",
        ("balance", 8, int),
        ("signature", SIGNATURE_SIZE, bytes),
    )
    SIZE = _LAYOUT.size
