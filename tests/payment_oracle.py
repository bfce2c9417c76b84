"""The issuer's and the POS terminal's side of docs/payment.md, in a few
functions, for the tests of the payment TA (``test_payment_ta.py``).

Written from the protocol text alone with ``cryptography`` (the oracle), so
that the TA is checked against an independent reading of the spec rather
than against ``pytee.payment``.  Numbers mirror
``csrc/ta/payment/include/payment_ta.h``; every integer is big-endian and
every signature ECDSA P-256 SHA-256 as ``r || s``.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric import ec, utils

PAYMENT_UUID = "df732d25-7e78-4e77-a0af-2d006cd61bc9"

CMD_KEYGEN = 0
CMD_GET_INFO = 1
CMD_ENROL = 2
CMD_INIT_LOAD = 3
CMD_CREDIT_LOAD = 4
CMD_SELECT = 5
CMD_GPO = 6
CMD_DEBIT = 7
CMD_READ_CERT = 8

STATE_KEY = 0x1
STATE_ENROLLED = 0x2

READ_ISSUER_KEY = 1
READ_DEVICE_CERT = 2
READ_ACQUIRER_CERT = 3

CERT_DEVICE = 1
CERT_TERMINAL = 2
CERT_ACQUIRER = 3

SUITE = 0x0001
CURRENCY = 0x0156
HPKE_INFO = b"TEEPAY-HPKE-v1"
PIN_TRIES = 3

TOKEN = b"6212345678901234"
"""The token (virtual card number) an enrolment gives by default."""
EXPIRY = b"3012"

PUBKEY_LEN = 65
SIG_LEN = 64
INIT_LOAD_LEN = 36
LOAD_RECEIPT_LEN = 76
DEBIT_RECEIPT_LEN = 72

HPKE_SUITE = hpke.Suite(hpke.KEM.P256, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)


# ---- keys and signatures ----------------------------------------------------


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_bytes(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> bytes:
    """``04 || X || Y``."""
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    numbers = public.public_numbers()
    return b"\x04" + numbers.x.to_bytes(32, "big") + numbers.y.to_bytes(32, "big")


def public_key(raw: bytes) -> ec.EllipticCurvePublicKey:
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)


def sign(key: ec.EllipticCurvePrivateKey, message: bytes) -> bytes:
    r, s = utils.decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify(public: bytes, message: bytes, signature: bytes) -> None:
    """Raises ``InvalidSignature`` unless ``signature`` is ``public``'s."""
    assert len(signature) == SIG_LEN
    der = utils.encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    public_key(public).verify(der, message, ec.ECDSA(hashes.SHA256()))


def device_id(public: bytes) -> bytes:
    return hashlib.sha256(public).digest()[:16]


def bcd(digits: str) -> bytes:
    """``"250131"`` -> ``25 01 31``."""
    return bytes.fromhex(digits)


# ---- certificates -----------------------------------------------------------


def certificate(
    signer: ec.EllipticCurvePrivateKey,
    kind: int,
    subject: bytes,
    key: bytes,
    not_after: str,
    extra: bytes,
) -> bytes:
    body = (
        bytes([kind])
        + subject
        + key
        + bcd(not_after)
        + struct.pack(">H", len(extra))
        + extra
    )
    return body + sign(signer, b"TEEPAY-CERT\0" + body)


@dataclass
class Terminal:
    """A POS terminal: its id (8 ASCII bytes), key and certificate."""

    terminal_id: bytes
    key: ec.EllipticCurvePrivateKey
    cert: bytes


class Issuer:
    """The scheme authority: certifies devices, acquirers and terminals,
    enrols cards and authorises loads."""

    def __init__(self) -> None:
        self.key = new_key()
        self.public = public_bytes(self.key)
        self.acquirer_key = new_key()
        self.acquirer_cert = self.certify_acquirer(self.acquirer_key)

    def certify_device(
        self,
        device_public: bytes,
        not_after: str = "301231",
        signer: ec.EllipticCurvePrivateKey | None = None,
        subject: bytes | None = None,
        kind: int = CERT_DEVICE,
        extra: bytes = b"",
    ) -> bytes:
        """A device certificate: its extra is empty, the token is in no
        certificate."""
        return certificate(
            signer or self.key,
            kind,
            device_id(device_public) if subject is None else subject,
            device_public,
            not_after,
            extra,
        )

    def certify_acquirer(
        self,
        key: ec.EllipticCurvePrivateKey,
        name: bytes = b"Test Acquirer",
        signer: ec.EllipticCurvePrivateKey | None = None,
        subject: bytes | None = None,
    ) -> bytes:
        public = public_bytes(key)
        return certificate(
            signer or self.key,
            CERT_ACQUIRER,
            hashlib.sha256(public).digest()[:16] if subject is None else subject,
            public,
            "301231",
            name,
        )

    def terminal(
        self,
        terminal_id: bytes = b"POS00001",
        not_after: str = "301231",
        signer: ec.EllipticCurvePrivateKey | None = None,
        subject: bytes | None = None,
    ) -> Terminal:
        key = new_key()
        cert = certificate(
            signer or self.key,
            CERT_TERMINAL,
            (terminal_id if subject is None else subject).ljust(16, b"\0"),
            public_bytes(key),
            not_after,
            "Test Merchant \u5546\u6237".encode(),
        )
        return Terminal(terminal_id, key, cert)

    def enrolment(
        self,
        device_cert: bytes,
        acquirer_cert: bytes | None = None,
        signer: ec.EllipticCurvePrivateKey | None = None,
        token: bytes = TOKEN,
        expiry: bytes = EXPIRY,
    ) -> bytes:
        """``issuer key || device cert || acquirer cert || token_len || token
        || expiry || signature``: the token and expiry travel only here."""
        acquirer_cert = self.acquirer_cert if acquirer_cert is None else acquirer_cert
        body = (
            self.public
            + struct.pack(">H", len(device_cert))
            + device_cert
            + struct.pack(">H", len(acquirer_cert))
            + acquirer_cert
            + bytes([len(token)])
            + token
            + expiry
        )
        return body + sign(signer or self.key, b"TEEPAY-ENROL\0" + body)

    def load_authorisation(
        self,
        dev_id: bytes,
        counter: int,
        challenge: bytes,
        amount: int,
        signer: ec.EllipticCurvePrivateKey | None = None,
    ) -> bytes:
        message = (
            b"TEEPAY-LOAD\0"
            + dev_id
            + struct.pack(">I", counter)
            + challenge
            + struct.pack(">Q", amount)
        )
        return struct.pack(">IQ", counter, amount) + sign(signer or self.key, message)


# ---- load -------------------------------------------------------------------


def parse_init_load(out: bytes) -> tuple[bytes, int, bytes]:
    """``(challenge, load counter, device id)``."""
    assert len(out) == INIT_LOAD_LEN
    return out[:16], struct.unpack(">I", out[16:20])[0], out[20:36]


def check_load_receipt(
    receipt: bytes, device_public: bytes, amount: int
) -> tuple[int, int]:
    """Verifies a load receipt; returns ``(counter, balance)``."""
    assert len(receipt) == LOAD_RECEIPT_LEN
    counter, balance = struct.unpack(">IQ", receipt[:12])
    message = (
        b"TEEPAY-LOADED\0"
        + device_id(device_public)
        + struct.pack(">IQQ", counter, amount, balance)
    )
    verify(device_public, message, receipt[12:])
    return counter, balance


# ---- GPO --------------------------------------------------------------------


@dataclass
class GpoRequest:
    amount: int = 1234
    currency: int = CURRENCY
    date: str = "250615"
    type: int = 0x00
    terminal_id: bytes = b"POS00001"
    un: bytes = b"\x11\x22\x33\x44"
    nonce: bytes = bytes(range(16))
    suite: int = SUITE

    def encode(self) -> bytes:
        return (
            struct.pack(">QH", self.amount, self.currency)
            + bcd(self.date)
            + bytes([self.type])
            + self.terminal_id
            + self.un
            + self.nonce
            + struct.pack(">H", self.suite)
        )


@dataclass
class GpoResponse:
    atc: int
    hpke: bytes
    signature: bytes


def parse_gpo_response(out: bytes) -> GpoResponse:
    atc, hpke_len = struct.unpack(">IH", out[:6])
    assert len(out) == 6 + hpke_len + SIG_LEN
    return GpoResponse(atc, out[6 : 6 + hpke_len], out[6 + hpke_len :])


def gpo_message(response: GpoResponse, request: GpoRequest) -> bytes:
    """What the device signs: every PDOL value, the ATC and the HPKE bytes."""
    return (
        b"TEEPAY-GPO\0"
        + struct.pack(">H", request.suite)
        + request.nonce
        + request.un
        + struct.pack(">QH", request.amount, request.currency)
        + bcd(request.date)
        + bytes([request.type])
        + request.terminal_id
        + struct.pack(">I", response.atc)
        + response.hpke
    )


def check_gpo_signature(
    response: GpoResponse, request: GpoRequest, device_public: bytes
) -> None:
    verify(device_public, gpo_message(response, request), response.signature)


@dataclass
class CardData:
    token: bytes
    expiry: bytes
    atc: int
    device_id: bytes


def open_hpke(ciphertext: bytes, acquirer_key: ec.EllipticCurvePrivateKey) -> CardData:
    """What the acquirer reads: HPKE open with its key, then the plaintext
    ``token_len || token || expiry || atc || device_id``."""
    plain = HPKE_SUITE.decrypt(ciphertext, acquirer_key, info=HPKE_INFO)
    n = plain[0]
    assert len(plain) == 1 + n + 4 + 4 + 16
    return CardData(
        plain[1 : 1 + n],
        plain[1 + n : 5 + n],
        struct.unpack(">I", plain[5 + n : 9 + n])[0],
        plain[9 + n :],
    )


# ---- DEBIT ------------------------------------------------------------------


def debit_request(
    terminal: Terminal,
    dev_id: bytes,
    atc: int,
    amount: int,
    nonce: bytes,
    sequence: int = 1,
    currency: int = CURRENCY,
    terminal_id: bytes | None = None,
    signer: ec.EllipticCurvePrivateKey | None = None,
) -> bytes:
    terminal_id = terminal.terminal_id if terminal_id is None else terminal_id
    message = (
        b"TEEPAY-DEBIT\0"
        + dev_id
        + struct.pack(">IQH", atc, amount, currency)
        + terminal_id
        + struct.pack(">I", sequence)
        + nonce
    )
    return (
        struct.pack(">IQ", atc, amount)
        + terminal_id
        + struct.pack(">IH", sequence, len(terminal.cert))
        + terminal.cert
        + sign(signer or terminal.key, message)
    )


def check_debit_receipt(
    receipt: bytes,
    device_public: bytes,
    atc: int,
    amount: int,
    terminal_id: bytes,
    sequence: int,
) -> int:
    """Verifies a debit receipt; returns the balance it states."""
    assert len(receipt) == DEBIT_RECEIPT_LEN
    balance = int.from_bytes(receipt[:8], "big")
    message = (
        b"TEEPAY-RECEIPT\0"
        + device_id(device_public)
        + struct.pack(">IQ", atc, amount)
        + terminal_id
        + struct.pack(">IQ", sequence, balance)
    )
    verify(device_public, message, receipt[8:])
    return balance
