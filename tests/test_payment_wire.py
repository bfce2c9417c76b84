"""pytee.payment.wire, codec and keys: the byte layouts of docs/payment.md.

Expected bytes are built here with ``struct`` straight from the layouts of
docs/payment.md, not with the module under test; signatures are checked
with ``cryptography`` directly, and against the NIST ECDSA P-256 SHA-256
vectors of tests/vectors/ecdsa_sigver_186-3.rsp.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import struct
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from hypothesis import given
from hypothesis import strategies as st

from pytee.payment import codec, keys, wire
from pytee.payment.errors import BadSignature, PaymentError, UnsupportedSuite, WireError

VECTORS = Path(__file__).parent / "vectors"


def point(key: ec.EllipticCurvePrivateKey) -> bytes:
    return keys.public_key_bytes(key.public_key())


def be(value: int, size: int) -> bytes:
    return value.to_bytes(size, "big")


@pytest.fixture(scope="module")
def issuer_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def device_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def ecdsa_ok(public: bytes, message: bytes, signature: bytes) -> bool:
    """The oracle: ``cryptography``'s own verification of an r || s signature."""
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public)
    der = utils.encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        key.verify(der, message, ec.ECDSA(hashes.SHA256()))
    except Exception:
        return False
    return True


def rejects_every_other_length(decode: Callable[[bytes], Any], data: bytes) -> None:
    """``decode`` refuses every prefix of ``data`` and ``data`` plus a byte."""
    for size in range(len(data)):
        with pytest.raises(WireError):
            decode(data[:size])
    with pytest.raises(WireError):
        decode(data + b"\x00")


# -- codec ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("79927398713", True),  # the classic example of the Luhn algorithm
        ("79927398710", False),
        ("4111111111111111", True),  # a well-known test card number
        ("4111111111111112", False),
        ("6299990000000009", True),
        ("0", False),
        ("00", True),
    ],
)
def test_luhn_vectors(number: str, valid: bool) -> None:
    assert codec.luhn_valid(number) is valid


def test_luhn_check_digit_completes_a_valid_number() -> None:
    assert codec.luhn_check_digit("7992739871") == "3"
    assert codec.luhn_check_digit("411111111111111") == "1"
    for payload in ("629999123456789", "1", "9" * 18):
        number = payload + codec.luhn_check_digit(payload)
        assert codec.luhn_valid(number)
        wrong = payload + str((int(number[-1]) + 1) % 10)
        assert not codec.luhn_valid(wrong)


@given(st.text(alphabet="0123456789", min_size=1, max_size=25))
def test_luhn_catches_every_single_digit_error(payload: str) -> None:
    number = payload + codec.luhn_check_digit(payload)
    for i in range(len(number)):
        for digit in "0123456789":
            if digit != number[i]:
                changed = number[:i] + digit + number[i + 1 :]
                assert not codec.luhn_valid(changed)


@pytest.mark.parametrize("bad", ["", "12a4", "١٢٣", " 123"])
def test_luhn_refuses_non_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        codec.luhn_valid(bad)
    with pytest.raises(ValueError):
        codec.luhn_check_digit(bad)


@pytest.mark.parametrize(
    ("amount", "encoded"),
    [
        (0, "000000000000"),
        (1, "000000000001"),
        (12345, "000000012345"),
        (100_00, "000000010000"),
        (999_999_999_999, "999999999999"),
    ],
)
def test_amount_n12(amount: int, encoded: str) -> None:
    assert codec.amount_to_bcd(amount) == bytes.fromhex(encoded)
    assert codec.amount_from_bcd(bytes.fromhex(encoded)) == amount


def test_amount_n12_bounds_and_nibbles() -> None:
    with pytest.raises(ValueError):
        codec.amount_to_bcd(10**12)
    with pytest.raises(ValueError):
        codec.amount_to_bcd(-1)
    for bad in ("00000000000A", "F00000000000", "0000000001"):
        with pytest.raises(WireError):
            codec.amount_from_bcd(bytes.fromhex(bad))


def test_bcd_dates() -> None:
    assert codec.date_to_bcd(datetime.date(2026, 3, 9)) == bytes.fromhex("260309")
    assert codec.date_from_bcd(bytes.fromhex("281231")) == datetime.date(2028, 12, 31)
    assert codec.date_from_bcd(bytes.fromhex("240229")) == datetime.date(2024, 2, 29)
    for bad in ("250229", "251301", "250100", "2A0101", "2501", "25010101"):
        with pytest.raises(WireError):
            codec.date_from_bcd(bytes.fromhex(bad))
    with pytest.raises(ValueError):
        codec.date_to_bcd(datetime.date(2100, 1, 1))


@given(
    st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 12, 31))
)
def test_bcd_date_round_trip(date: datetime.date) -> None:
    encoded = codec.date_to_bcd(date)
    assert encoded.hex() == date.strftime("%y%m%d")
    assert codec.date_from_bcd(encoded) == date


def test_expiry_is_valid_through_the_end_of_its_month() -> None:
    assert codec.expiry_last_day("2802") == datetime.date(2028, 2, 29)
    assert codec.expiry_last_day("2702") == datetime.date(2027, 2, 28)
    assert codec.expiry_last_day("3012") == datetime.date(2030, 12, 31)
    for bad in ("2713", "2700", "271", "27012", "27a1", "٢٧٠١"):
        with pytest.raises(WireError):
            codec.expiry_last_day(bad)


# -- keys and signatures -------------------------------------------------


def test_sign_gives_r_s_that_cryptography_verifies(device_key: Any) -> None:
    public = point(device_key)
    for i in range(64):  # some r or s start with a zero byte: still 64 bytes
        message = b"message %d" % i
        signature = keys.sign(device_key, message)
        assert len(signature) == 64
        assert ecdsa_ok(public, message, signature)
        assert not ecdsa_ok(public, message + b"!", signature)


def test_verify_takes_cryptography_signatures(device_key: Any) -> None:
    message = b"TEEPAY-TEST\0payload"
    der = device_key.sign(message, ec.ECDSA(hashes.SHA256()))
    r, s = utils.decode_dss_signature(der)
    signature = be(r, 32) + be(s, 32)
    keys.verify(device_key.public_key(), message, signature)
    keys.verify(point(device_key), message, bytearray(signature))
    keys.verify(point(device_key), memoryview(message), memoryview(signature))


def test_verify_raises_on_every_kind_of_bad_signature(device_key: Any) -> None:
    message = b"pay 100"
    signature = keys.sign(device_key, message)
    public = point(device_key)
    other = point(ec.generate_private_key(ec.SECP256R1()))
    bad = [
        (public, b"pay 101", signature),
        (other, message, signature),
        (public, message, signature[:-1] + bytes([signature[-1] ^ 1])),
        (public, message, signature[:63]),
        (public, message, signature + b"\0"),
        (public, message, bytes(64)),
        (public, message, signature[32:] + signature[:32]),
    ]
    for key, msg, sig in bad:
        with pytest.raises(BadSignature):
            keys.verify(key, msg, sig)
    assert issubclass(BadSignature, PaymentError)


def _nist_p256_sha256() -> list[dict[str, str]]:
    text = (VECTORS / "ecdsa_sigver_186-3.rsp").read_text()
    section = text.split("[P-256,SHA-256]")[1].split("\n[")[0]
    records = []
    for block in section.strip().split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.strip().splitlines():
            name, _, value = line.partition("=")
            fields[name.strip()] = value.strip()
        records.append(fields)
    return records


def test_verify_agrees_with_the_nist_vectors() -> None:
    records = _nist_p256_sha256()
    outcomes = set()
    for rec in records:
        public = b"\x04" + bytes.fromhex(rec["Qx"]) + bytes.fromhex(rec["Qy"])
        signature = be(int(rec["R"], 16), 32) + be(int(rec["S"], 16), 32)
        message = bytes.fromhex(rec["Msg"])
        if rec["Result"].startswith("P"):
            keys.verify(public, message, signature)
        else:
            with pytest.raises((BadSignature, WireError)):
                keys.verify(public, message, signature)
        outcomes.add(rec["Result"][0])
    assert outcomes == {"P", "F"}
    assert len(records) >= 5


def test_public_keys_and_ids(device_key: Any) -> None:
    public = point(device_key)
    assert len(public) == 65 and public[0] == 4
    assert keys.key_id(public) == hashlib.sha256(public).digest()[:16]
    assert keys.public_key_bytes(keys.load_public_key(public)) == public
    for bad in (
        public[:64],
        b"\x02" + public[1:],
        b"\x04" + bytes(64),
        public[:-1] + b"\0",
    ):
        with pytest.raises(WireError):
            keys.load_public_key(bad)
    p384 = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(ValueError):
        keys.sign(p384, b"x")
    with pytest.raises(ValueError):
        keys.public_key_bytes(p384.public_key())


def test_private_keys_round_trip_through_pem(tmp_path: Path, device_key: Any) -> None:
    path = tmp_path / "device.pem"
    keys.save_private_key(device_key, path)
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert point(keys.load_private_key(path)) == point(device_key)
    with pytest.raises(FileExistsError):
        keys.save_private_key(device_key, path)
    pem = keys.private_key_to_pem(device_key)
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert point(keys.private_key_from_pem(pem)) == point(device_key)
    p384 = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(ValueError):
        keys.private_key_to_pem(p384)
    other_curve = p384.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ValueError):
        keys.private_key_from_pem(other_curve)


def test_hpke_suite_ids() -> None:
    keys.hpke_suite(0x0001)
    for unknown in (0x0000, 0x0002, 0x0101):
        with pytest.raises(UnsupportedSuite):
            keys.hpke_suite(unknown)


# -- signed messages -----------------------------------------------------

DEVICE_ID = bytes(range(16))
TERMINAL_ID = b"POS00001"
NONCE = bytes(range(100, 116))
UN = b"\xde\xad\xbe\xef"
CHALLENGE = bytes(range(200, 216))
TOKEN = "6299990000000009"
DATE = datetime.date(2026, 3, 9)


def test_tags_are_distinct_and_none_is_a_prefix_of_another() -> None:
    tags = [
        wire.TAG_CERT,
        wire.TAG_ENROL,
        wire.TAG_LOAD,
        wire.TAG_LOADED,
        wire.TAG_GPO,
        wire.TAG_DEBIT,
        wire.TAG_RECEIPT,
    ]
    for tag in tags:
        assert tag.startswith(b"TEEPAY-") and tag.endswith(b"\0")
        assert tag.count(b"\0") == 1
        for other in tags:
            assert tag == other or not other.startswith(tag)


def test_message_builders_follow_the_spec() -> None:
    assert wire.load_message(DEVICE_ID, 7, CHALLENGE, 5000) == (
        b"TEEPAY-LOAD\0"
        + DEVICE_ID
        + struct.pack(">I", 7)
        + CHALLENGE
        + struct.pack(">Q", 5000)
    )
    assert wire.loaded_message(DEVICE_ID, 7, 5000, 12000) == (
        b"TEEPAY-LOADED\0" + DEVICE_ID + struct.pack(">IQQ", 7, 5000, 12000)
    )
    hpke = bytes(range(122))
    assert wire.gpo_message(
        1, NONCE, UN, 1234, 0x0156, DATE, 0x09, TERMINAL_ID, 9, hpke
    ) == (
        b"TEEPAY-GPO\0"
        + struct.pack(">H", 1)
        + NONCE
        + UN
        + struct.pack(">QH", 1234, 0x0156)
        + bytes.fromhex("260309")  # the date, BCD
        + b"\x09"  # the transaction type
        + TERMINAL_ID
        + struct.pack(">I", 9)
        + hpke
    )
    assert wire.debit_message(DEVICE_ID, 9, 1234, 0x0156, TERMINAL_ID, 3, NONCE) == (
        b"TEEPAY-DEBIT\0"
        + DEVICE_ID
        + struct.pack(">IQH", 9, 1234, 0x0156)
        + TERMINAL_ID
        + struct.pack(">I", 3)
        + NONCE
    )
    assert wire.receipt_message(DEVICE_ID, 9, 1234, TERMINAL_ID, 3, 8766) == (
        b"TEEPAY-RECEIPT\0"
        + DEVICE_ID
        + struct.pack(">IQ", 9, 1234)
        + TERMINAL_ID
        + struct.pack(">IQ", 3, 8766)
    )


@pytest.mark.parametrize(
    "build",
    [
        lambda: wire.load_message(DEVICE_ID[:15], 7, CHALLENGE, 1),
        lambda: wire.load_message(DEVICE_ID, 1 << 32, CHALLENGE, 1),
        lambda: wire.load_message(DEVICE_ID, 7, CHALLENGE + b"x", 1),
        lambda: wire.load_message(DEVICE_ID, 7, CHALLENGE, 1 << 64),
        lambda: wire.loaded_message(DEVICE_ID, -1, 1, 1),
        lambda: wire.gpo_message(
            1 << 16, NONCE, UN, 1, 0x0156, DATE, 0, TERMINAL_ID, 1, b""
        ),
        lambda: wire.gpo_message(
            1, NONCE[:8], UN, 1, 0x0156, DATE, 0, TERMINAL_ID, 1, b""
        ),
        lambda: wire.gpo_message(
            1, NONCE, UN * 2, 1, 0x0156, DATE, 0, TERMINAL_ID, 1, b""
        ),
        lambda: wire.gpo_message(
            1, NONCE, UN, 1, 0x0156, DATE, 256, TERMINAL_ID, 1, b""
        ),
        lambda: wire.gpo_message(1, NONCE, UN, 1, 0x0156, DATE, 0, b"POS0001", 1, b""),
        lambda: wire.debit_message(DEVICE_ID, 1, 1, 0x0156, b"POS\x0000001", 1, NONCE),
        lambda: wire.receipt_message(DEVICE_ID, 1, 1, TERMINAL_ID, 1, -5),
    ],
)
def test_message_builders_refuse_bad_fields(build: Callable[[], bytes]) -> None:
    with pytest.raises(WireError):
        build()


def test_integer_fields_refuse_bools_and_floats() -> None:
    with pytest.raises(TypeError):
        wire.LoadChallenge(CHALLENGE, True, DEVICE_ID)
    with pytest.raises(TypeError):
        wire.DebitReceipt(1.0, bytes(64))  # type: ignore[arg-type]


# -- certificates --------------------------------------------------------

NOT_AFTER = datetime.date(2030, 6, 30)


def raw_certificate(
    kind: int,
    subject: bytes,
    public: bytes,
    not_after: str,
    extra: bytes,
    signature: bytes,
) -> bytes:
    return (
        bytes([kind])
        + subject
        + public
        + bytes.fromhex(not_after)
        + struct.pack(">H", len(extra))
        + extra
        + signature
    )


@pytest.fixture(scope="module")
def device_cert(issuer_key: Any, device_key: Any) -> wire.Certificate:
    public = point(device_key)
    return wire.Certificate.issue(
        issuer_key,
        wire.CertKind.DEVICE,
        keys.key_id(public),
        public,
        NOT_AFTER,
        b"",
    )


def test_device_certificate_bytes(
    device_cert: wire.Certificate, issuer_key: Any, device_key: Any
) -> None:
    public = point(device_key)
    # the extra is empty: READ RECORD gives the certificate to anyone
    body = raw_certificate(1, keys.key_id(public), public, "300630", b"", b"")
    assert body[-2:] == b"\0\0" and len(body) + 64 == 151
    assert device_cert.encode() == body + device_cert.signature
    assert device_cert.message == b"TEEPAY-CERT\0" + body
    assert ecdsa_ok(point(issuer_key), b"TEEPAY-CERT\0" + body, device_cert.signature)
    device_cert.verify(issuer_key.public_key())
    device_cert.verify(point(issuer_key))
    with pytest.raises(BadSignature):
        device_cert.verify(point(device_key))
    assert (
        device_cert.key().public_numbers() == device_key.public_key().public_numbers()
    )
    with pytest.raises(ValueError):
        device_cert.name  # noqa: B018
    with pytest.raises(ValueError):
        device_cert.terminal_id  # noqa: B018


def test_certificate_round_trip_and_lengths(device_cert: wire.Certificate) -> None:
    data = device_cert.encode()
    for kind in (bytes, bytearray, memoryview):
        assert wire.Certificate.decode(kind(data)) == device_cert
    rejects_every_other_length(wire.Certificate.decode, data)
    extra_len = 1 + 16 + 65 + 3
    for wrong in (1, 2, 64, 0xFFFF):
        bad = data[:extra_len] + struct.pack(">H", wrong) + data[extra_len + 2 :]
        with pytest.raises(WireError):
            wire.Certificate.decode(bad)


def test_a_changed_certificate_no_longer_verifies(
    device_cert: wire.Certificate, issuer_key: Any
) -> None:
    later = wire.Certificate(
        device_cert.kind,
        device_cert.subject_id,
        device_cert.public_key,
        datetime.date(2031, 6, 30),
        device_cert.extra,
        device_cert.signature,
    )
    with pytest.raises(BadSignature):
        later.verify(point(issuer_key))


def test_terminal_and_acquirer_certificates(issuer_key: Any, device_key: Any) -> None:
    public = point(device_key)
    subject = wire.terminal_subject(TERMINAL_ID)
    assert subject == TERMINAL_ID + bytes(8)
    name = "Café 北京 shop"
    terminal = wire.Certificate.issue(
        issuer_key, wire.CertKind.TERMINAL, subject, public, NOT_AFTER, name.encode()
    )
    assert terminal.encode() == raw_certificate(
        2, subject, public, "300630", name.encode(), terminal.signature
    )
    assert (terminal.terminal_id, terminal.name) == (TERMINAL_ID, name)
    assert wire.Certificate.decode(terminal.encode()) == terminal
    acquirer = wire.Certificate.issue(
        issuer_key,
        wire.CertKind.ACQUIRER,
        keys.key_id(public),
        public,
        NOT_AFTER,
        b"Acquirer",
    )
    assert acquirer.encode()[0] == 3 and acquirer.name == "Acquirer"
    assert wire.Certificate.decode(acquirer.encode()) == acquirer
    acquirer.verify(point(issuer_key))


def _bad_certificates(public: bytes) -> list[tuple[str, bytes]]:
    device_id = keys.key_id(public)
    sig = bytes(64)
    good_extra = b""
    return [
        ("kind 0", raw_certificate(0, device_id, public, "300630", b"x", sig)),
        ("kind 4", raw_certificate(4, device_id, public, "300630", b"x", sig)),
        (
            "compressed key",
            raw_certificate(
                1, device_id, b"\x02" + public[1:], "300630", good_extra, sig
            ),
        ),
        (
            "subject not key id",
            raw_certificate(1, bytes(16), public, "300630", good_extra, sig),
        ),
        (
            "acquirer subject",
            raw_certificate(3, bytes(16), public, "300630", b"A", sig),
        ),
        ("bad date", raw_certificate(1, device_id, public, "301330", good_extra, sig)),
        (
            "device with the token in it",  # the first version's layout
            raw_certificate(
                1, device_id, public, "300630", TOKEN.encode() + b"\x003006", sig
            ),
        ),
        (
            "device with a name",
            raw_certificate(1, device_id, public, "300630", b"Phone", sig),
        ),
        (
            "device extra 00",
            raw_certificate(1, device_id, public, "300630", b"\0", sig),
        ),
        (
            "terminal padding",
            raw_certificate(
                2, TERMINAL_ID + b"\x01" + bytes(7), public, "300630", b"M", sig
            ),
        ),
        (
            "terminal id control",
            raw_certificate(2, b"POS\n0001" + bytes(8), public, "300630", b"M", sig),
        ),
        (
            "name 41 bytes",
            raw_certificate(
                2, TERMINAL_ID + bytes(8), public, "300630", b"m" * 41, sig
            ),
        ),
        (
            "name not UTF-8",
            raw_certificate(
                2, TERMINAL_ID + bytes(8), public, "300630", b"\xff\xfe", sig
            ),
        ),
    ]


def test_malformed_certificates_are_refused(device_key: Any) -> None:
    public = point(device_key)
    for what, data in _bad_certificates(public):
        with pytest.raises(WireError):
            wire.Certificate.decode(data)
            pytest.fail("accepted: %s" % what)
    name40 = raw_certificate(
        2, TERMINAL_ID + bytes(8), public, "300630", "é".encode() * 20, bytes(64)
    )
    assert wire.Certificate.decode(name40).name == "é" * 20


# -- enrolment and loads -------------------------------------------------


@pytest.fixture(scope="module")
def acquirer_cert(issuer_key: Any) -> wire.Certificate:
    acquirer_public = point(ec.generate_private_key(ec.SECP256R1()))
    return wire.Certificate.issue(
        issuer_key,
        wire.CertKind.ACQUIRER,
        keys.key_id(acquirer_public),
        acquirer_public,
        NOT_AFTER,
        b"Acq",
    )


def test_enrolment_record(
    issuer_key: Any, device_cert: wire.Certificate, acquirer_cert: wire.Certificate
) -> None:
    dev, acq = device_cert.encode(), acquirer_cert.encode()
    body = (
        point(issuer_key)
        + struct.pack(">H", len(dev))
        + dev
        + struct.pack(">H", len(acq))
        + acq
        + bytes([16])
        + TOKEN.encode()
        + b"3006"
    )
    message = wire.enrol_message(point(issuer_key), dev, acq, TOKEN, "3006")
    assert message == b"TEEPAY-ENROL\0" + body
    signature = keys.sign(issuer_key, b"TEEPAY-ENROL\0" + body)
    record = wire.EnrolmentRecord(
        point(issuer_key), device_cert, acquirer_cert, TOKEN, "3006", signature
    )
    assert record.encode() == body + signature
    assert record.message == b"TEEPAY-ENROL\0" + body
    assert ecdsa_ok(point(issuer_key), record.message, record.signature)
    record.verify()
    assert wire.EnrolmentRecord.decode(bytearray(record.encode())) == record
    assert (record.token, record.expiry) == (TOKEN, "3006")
    data = record.encode()
    rejects_every_other_length(wire.EnrolmentRecord.decode, data)
    for delta in (-1, 1):
        bad = data[:65] + struct.pack(">H", len(dev) + delta) + data[67:]
        with pytest.raises(WireError):
            wire.EnrolmentRecord.decode(bad)
        at = 67 + len(dev)
        bad = data[:at] + struct.pack(">H", len(acq) + delta) + data[at + 2 :]
        with pytest.raises(WireError):
            wire.EnrolmentRecord.decode(bad)
    at = len(data) - 64 - 4 - 16 - 1  # token_len
    for token_len in (15, 17):
        bad = data[:at] + bytes([token_len]) + data[at + 1 :]
        with pytest.raises(WireError):
            wire.EnrolmentRecord.decode(bad)
    for token, expiry in (
        (b"62999900000000AB", b"3006"),
        (b"629999000000000\xb9", b"3006"),
        (TOKEN.encode(), b"3013"),
        (TOKEN.encode(), b"30-6"),
    ):
        bad = data[: at + 1] + token + expiry + data[-64:]
        with pytest.raises(WireError):
            wire.EnrolmentRecord.decode(bad)
    nineteen = data[:at] + b"\x13" + b"6299990000000000009" + data[at + 17 :]
    assert wire.EnrolmentRecord.decode(nineteen).token == "6299990000000000009"


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda r: replace(r, token="6299990000000017"), id="token"),
        pytest.param(lambda r: replace(r, expiry="3106"), id="expiry"),
    ],
)
def test_an_enrolment_record_with_another_token_fails_the_issuer_signature(
    issuer_key: Any,
    device_cert: wire.Certificate,
    acquirer_cert: wire.Certificate,
    tamper: Callable[[wire.EnrolmentRecord], wire.EnrolmentRecord],
) -> None:
    message = wire.enrol_message(
        point(issuer_key), device_cert.encode(), acquirer_cert.encode(), TOKEN, "3006"
    )
    record = wire.EnrolmentRecord(
        point(issuer_key),
        device_cert,
        acquirer_cert,
        TOKEN,
        "3006",
        keys.sign(issuer_key, message),
    )
    record.verify()
    tampered = tamper(record)
    assert wire.luhn_valid(tampered.token)  # a well-formed card, just not ours
    with pytest.raises(BadSignature):
        tampered.verify()
    assert not ecdsa_ok(point(issuer_key), tampered.message, tampered.signature)
    # and the same on the bytes: the record decodes, its signature fails
    raw = bytearray(record.encode())
    raw[-64 - 4 - 2] ^= 0x01
    decoded = wire.EnrolmentRecord.decode(bytes(raw))
    assert decoded.token != TOKEN
    with pytest.raises(BadSignature):
        decoded.verify()


def test_load_challenge() -> None:
    raw = CHALLENGE + struct.pack(">I", 41) + DEVICE_ID
    challenge = wire.LoadChallenge.decode(raw)
    assert challenge == wire.LoadChallenge(CHALLENGE, 41, DEVICE_ID)
    assert challenge.encode() == raw and len(raw) == wire.LoadChallenge.SIZE == 36
    rejects_every_other_length(wire.LoadChallenge.decode, raw)


def test_load_authorisation_and_receipt() -> None:
    sig = bytes(range(64))
    raw = struct.pack(">IQ", 41, 123456) + sig
    auth = wire.LoadAuthorisation.decode(raw)
    assert (auth.counter, auth.amount, auth.signature) == (41, 123456, sig)
    assert auth.encode() == raw and wire.LoadAuthorisation.SIZE == 76
    rejects_every_other_length(wire.LoadAuthorisation.decode, raw)
    receipt = wire.LoadReceipt.decode(raw)
    assert (receipt.counter, receipt.balance) == (41, 123456)
    assert receipt.encode() == raw
    rejects_every_other_length(wire.LoadReceipt.decode, raw)


# -- purchase ------------------------------------------------------------


def gpo_request(**changes: Any) -> wire.GpoRequest:
    fields: dict[str, Any] = dict(
        amount=1234,
        currency=0x0156,
        date=datetime.date(2026, 3, 9),
        type=0,
        terminal_id=TERMINAL_ID,
        unpredictable_number=UN,
        nonce=NONCE,
        suite=1,
    )
    fields.update(changes)
    return wire.GpoRequest(**fields)


def test_gpo_request() -> None:
    raw = (
        struct.pack(">QH", 1234, 0x0156)
        + bytes.fromhex("260309")
        + b"\x00"
        + TERMINAL_ID
        + UN
        + NONCE
        + struct.pack(">H", 1)
    )
    assert len(raw) == wire.GpoRequest.SIZE == 44
    assert wire.GpoRequest.decode(memoryview(raw)) == gpo_request()
    assert gpo_request().encode() == raw
    rejects_every_other_length(wire.GpoRequest.decode, raw)
    bad_date = raw[:10] + bytes.fromhex("260230") + raw[13:]
    with pytest.raises(WireError):
        wire.GpoRequest.decode(bad_date)
    bad_terminal = raw[:14] + b"POS\x7f0001" + raw[22:]
    with pytest.raises(WireError):
        wire.GpoRequest.decode(bad_terminal)


@given(
    amount=st.integers(0, 2**64 - 1),
    currency=st.integers(0, 0xFFFF),
    date=st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)),
    type_=st.integers(0, 255),
    terminal_id=st.binary(min_size=8, max_size=8).map(
        lambda b: bytes(0x20 + x % 95 for x in b)
    ),
    un=st.binary(min_size=4, max_size=4),
    nonce=st.binary(min_size=16, max_size=16),
    suite=st.integers(0, 0xFFFF),
)
def test_gpo_request_round_trip(
    amount: int,
    currency: int,
    date: datetime.date,
    type_: int,
    terminal_id: bytes,
    un: bytes,
    nonce: bytes,
    suite: int,
) -> None:
    request = wire.GpoRequest(
        amount, currency, date, type_, terminal_id, un, nonce, suite
    )
    assert wire.GpoRequest.decode(request.encode()) == request


def test_hpke_plaintext() -> None:
    raw = bytes([16]) + TOKEN.encode() + b"3006" + struct.pack(">I", 9) + DEVICE_ID
    plaintext = wire.HpkePlaintext.decode(raw)
    assert plaintext == wire.HpkePlaintext(TOKEN, "3006", 9, DEVICE_ID)
    assert plaintext.encode() == raw and len(raw) == 41
    rejects_every_other_length(wire.HpkePlaintext.decode, raw)
    for length in (15, 17, 0, 255):
        with pytest.raises(WireError):
            wire.HpkePlaintext.decode(bytes([length]) + raw[1:])
    nineteen = bytes([19]) + b"6299990000000000009" + raw[17:]
    assert wire.HpkePlaintext.decode(nineteen).token == "6299990000000000009"
    for bad in (b"\xff" * 16, b"629999000000000\xd9"):
        with pytest.raises(WireError):
            wire.HpkePlaintext.decode(bytes([16]) + bad + raw[17:])
    with pytest.raises(WireError):
        wire.HpkePlaintext.decode(raw[:17] + b"3013" + raw[21:])


def test_gpo_response() -> None:
    hpke = bytes(range(122))
    sig = bytes(range(64, 128))
    raw = struct.pack(">IH", 9, 122) + hpke + sig
    response = wire.GpoResponse.decode(raw)
    assert (response.atc, response.hpke, response.signature) == (9, hpke, sig)
    assert response.encode() == raw
    rejects_every_other_length(wire.GpoResponse.decode, raw)
    for wrong in (121, 123, 0, 0xFFFF):
        with pytest.raises(WireError):
            wire.GpoResponse.decode(raw[:4] + struct.pack(">H", wrong) + raw[6:])
    short = struct.pack(">IH", 9, 80) + bytes(80) + sig
    with pytest.raises(WireError):
        wire.GpoResponse.decode(short)
    request = gpo_request()
    assert response.message(request) == wire.gpo_message(
        1, NONCE, UN, 1234, 0x0156, DATE, 0, TERMINAL_ID, 9, hpke
    )
    # the date and the type are signed: another of either is another message
    for other in (gpo_request(date=datetime.date(2026, 3, 10)), gpo_request(type=9)):
        assert response.message(other) != response.message(request)


def test_debit_request_and_receipt(device_cert: wire.Certificate) -> None:
    cert = device_cert.encode()  # any certificate fits the layout
    sig = bytes(range(64))
    raw = (
        struct.pack(">IQ", 9, 1234)
        + TERMINAL_ID
        + struct.pack(">IH", 3, len(cert))
        + cert
        + sig
    )
    request = wire.DebitRequest.decode(raw)
    assert request == wire.DebitRequest(9, 1234, TERMINAL_ID, 3, device_cert, sig)
    assert request.encode() == raw
    rejects_every_other_length(wire.DebitRequest.decode, raw)
    for delta in (-1, 1):
        bad = raw[:24] + struct.pack(">H", len(cert) + delta) + raw[26:]
        with pytest.raises(WireError):
            wire.DebitRequest.decode(bad)
    receipt_raw = struct.pack(">Q", 8766) + sig
    receipt = wire.DebitReceipt.decode(receipt_raw)
    assert (receipt.balance, receipt.signature) == (8766, sig)
    assert receipt.encode() == receipt_raw and wire.DebitReceipt.SIZE == 72
    rejects_every_other_length(wire.DebitReceipt.decode, receipt_raw)


def test_wire_errors_are_value_errors_of_the_family() -> None:
    with pytest.raises(ValueError):
        wire.DebitReceipt.decode(b"")
    assert issubclass(WireError, PaymentError)
