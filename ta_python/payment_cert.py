"""The compact certificates of docs/payment.md (the twin of ``cert.c``)::

    kind(1) || subject_id(16) || public_key(65) || not_after(3, YYMMDD BCD)
    || extra_len(2) || extra || issuer_signature(64)

signed as ``"TEEPAY-CERT\\0" || everything before the signature``.
Whatever is wrong with a certificate is ``SECURITY``.
"""

from __future__ import annotations

from dataclasses import dataclass

from payment_bytes import Reader, bcd_date_valid, tag
from payment_crypto import p256_point_valid, sha256, verify

from pytee import Result
from pytee.internal import error
from pytee.payment.ta_ids import (
    PAYMENT_CERT_ACQUIRER,
    PAYMENT_CERT_DEVICE,
    PAYMENT_CERT_EXTRA_MAX,
    PAYMENT_DATE_LEN,
    PAYMENT_PUBKEY_LEN,
    PAYMENT_SIG_LEN,
    PAYMENT_SUBJECT_ID_LEN,
)

CERT_TAG = "TEEPAY-CERT"


@dataclass(frozen=True)
class Certificate:
    kind: int
    subject: bytes
    key: bytes
    not_after: bytes
    extra: bytes
    signed: bytes  # everything before the signature
    signature: bytes

    @classmethod
    def parse(cls, data: bytes, kind: int) -> Certificate:
        """A certificate of ``kind``, the whole of ``data``, whose fields are
        valid (a BCD ``not_after``, a key on the curve, and what its kind
        requires of its subject and extra).  Its signature is not checked:
        for certificates the TA checked when it stored them."""
        r = Reader(data, Result.SECURITY)
        found_kind = r.u8()
        subject = r.take(PAYMENT_SUBJECT_ID_LEN)
        key = r.take(PAYMENT_PUBKEY_LEN)
        not_after = r.take(PAYMENT_DATE_LEN)
        extra_len = r.u16()
        if extra_len > PAYMENT_CERT_EXTRA_MAX:
            raise error(Result.SECURITY, "the extra is too long")
        extra = r.take(extra_len)
        signature = r.take(PAYMENT_SIG_LEN)
        r.done()
        if found_kind != kind:
            raise error(Result.SECURITY, "not the kind of certificate expected")
        cert = cls(
            kind, subject, key, not_after, extra, data[:-PAYMENT_SIG_LEN], signature
        )
        cert._check_fields()
        return cert

    @classmethod
    def check(cls, data: bytes, kind: int, issuer_key: bytes) -> Certificate:
        """:meth:`parse`, then the issuer's signature under ``issuer_key``."""
        cert = cls.parse(data, kind)
        verify(issuer_key, tag(CERT_TAG) + cert.signed, cert.signature)
        return cert

    def _check_fields(self) -> None:
        if not bcd_date_valid(self.not_after) or not p256_point_valid(self.key):
            raise error(Result.SECURITY, "bad not_after or key")
        if self.kind == PAYMENT_CERT_DEVICE and self.extra:
            raise error(Result.SECURITY, "a device certificate has no extra")
        if (
            self.kind == PAYMENT_CERT_ACQUIRER
            and self.subject != sha256(self.key)[:PAYMENT_SUBJECT_ID_LEN]
        ):
            raise error(Result.SECURITY, "an acquirer is named by its key")
