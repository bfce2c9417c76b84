"""The POS terminal (pytee.payment.pos) and the issuer, against a fake card.

``FakeCard`` is a pure-Python oracle of the payment TA and its CA, written
from docs/payment.md with ``struct``, ``hashlib`` and ``cryptography`` only
(none of pytee.payment's codecs), honest and minimal.  A few switches make
it a card whose TA is compromised (it skips its expiry check, accepts any
suite), so that the tests can show that the terminal's own S8 checks stop
each threat of docs/payment.md by themselves; ``Mitm`` is an attacker on
the contactless link.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, hpke
from cryptography.hazmat.primitives.asymmetric import ec, utils

from pytee.payment import commands, keys, wire
from pytee.payment.errors import (
    BadCertificate,
    BadLuhn,
    BadSignature,
    CardExpired,
    CardRefused,
    DecryptFailed,
    DeviceMismatch,
    IssuerRefused,
    LoadReplay,
    PaymentError,
    RelaySuspected,
    Revoked,
    StaleAtc,
    TransportError,
    UnsupportedSuite,
    WrongBin,
)
from pytee.payment.issuer import Acquirer, Issuer
from pytee.payment.pos import PosTerminal, Purchase
from pytee.payment.transport import InProcessTransport

TODAY = datetime.date(2026, 3, 9)
AID = bytes.fromhex("F054454550415901")
DIRECTORY = b"2PAY.SYS.DDF01"
PDOL = bytes.fromhex("9F02065F2A029A039C019F1C089F3704DF0210DF0102")
HPKE_SUITE = hpke.Suite(hpke.KEM.P256, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_128_GCM)


# -- the fake card's own bytes and crypto --------------------------------


def tlv(tag: str, value: bytes) -> bytes:
    n = len(value)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    else:
        length = b"\x82" + n.to_bytes(2, "big")
    return bytes.fromhex(tag) + length + value


def tlvs(data: bytes) -> dict[str, bytes]:
    """Data objects of ``data`` by hex tag; any irregularity raises."""
    out: dict[str, bytes] = {}
    i = 0
    while i < len(data):
        j = i + 1
        if data[i] & 0x1F == 0x1F:
            while data[j] & 0x80:
                j += 1
            j += 1
        tag = data[i:j].hex().upper()
        n = data[j]
        j += 1
        if n == 0x81:
            n, j = data[j], j + 1
        elif n == 0x82:
            n, j = int.from_bytes(data[j : j + 2], "big"), j + 2
        value = data[j : j + n]
        if len(value) != n or tag in out:
            raise ValueError("bad TLV")
        out[tag] = value
        i = j + n
    return out


def ecdsa_sign(key: ec.EllipticCurvePrivateKey, message: bytes) -> bytes:
    r, s = utils.decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def ecdsa_ok(public: bytes, message: bytes, signature: bytes) -> bool:
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public)
    der = utils.encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        key.verify(der, message, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def uncompressed(key: ec.EllipticCurvePrivateKey) -> bytes:
    n = key.public_key().public_numbers()
    return b"\x04" + n.x.to_bytes(32, "big") + n.y.to_bytes(32, "big")


class Sw(Exception):
    def __init__(self, sw: int) -> None:
        self.sw = sw


class FakeCard:
    """The payment TA and its CA as docs/payment.md describes them."""

    def __init__(self, *, check_expiry: bool = True, any_suite: bool = False) -> None:
        self.check_expiry = check_expiry
        self.any_suite = any_suite
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.public = uncompressed(self.key)
        self.device_id = hashlib.sha256(self.public).digest()[:16]
        self.enrolled = False
        self.atc = 0
        self.balance = 0
        self.load_counter = 0
        self.challenge: bytes | None = None
        self.state = "IDLE"
        self.txn: dict[str, Any] = {}
        self.last_debit: tuple[tuple[Any, ...], dict[str, Any], bytes] | None = None
        self.chain = b""
        self.debits = 0

    # S1

    def enrol(self, record: bytes) -> None:
        issuer_key = record[:65]
        n = int.from_bytes(record[65:67], "big")
        device = record[67 : 67 + n]
        m = int.from_bytes(record[67 + n : 69 + n], "big")
        acquirer = record[69 + n : 69 + n + m]
        at = 69 + n + m
        token = record[at + 1 : at + 1 + record[at]]
        expiry = record[at + 1 + len(token) : at + 5 + len(token)]
        signature = record[at + 5 + len(token) :]
        assert len(signature) == 64 and 16 <= len(token) <= 19
        assert token.isdigit() and expiry.isdigit() and len(expiry) == 4
        assert ecdsa_ok(issuer_key, b"TEEPAY-ENROL\0" + record[:-64], signature)
        for cert in (device, acquirer):
            assert ecdsa_ok(issuer_key, b"TEEPAY-CERT\0" + cert[:-64], cert[-64:])
        assert device[0] == 1 and device[1:17] == self.device_id
        assert device[17:82] == self.public
        assert device[85:87] == b"\0\0"  # no extra: no token in a certificate
        assert acquirer[0] == 3
        self.issuer_key, self.device_cert, self.acquirer_cert = (
            issuer_key,
            device,
            acquirer,
        )
        self.token, self.expiry = token, expiry
        self.not_after = device[82:85].hex()
        self.acquirer_key = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), acquirer[17:82]
        )
        self.enrolled = True

    def init_load(self) -> bytes:
        self.challenge = secrets.token_bytes(16)
        return self.challenge + struct.pack(">I", self.load_counter) + self.device_id

    def credit_load(self, authorisation: bytes) -> bytes:
        counter, amount = struct.unpack(">IQ", authorisation[:12])
        if self.challenge is None or len(authorisation) != 76:
            raise Sw(0x6985)
        message = (
            b"TEEPAY-LOAD\0"
            + self.device_id
            + authorisation[:4]
            + self.challenge
            + authorisation[4:12]
        )
        if counter != self.load_counter or not ecdsa_ok(
            self.issuer_key, message, authorisation[12:]
        ):
            raise Sw(0x6982)
        self.challenge = None
        self.balance += amount
        self.load_counter += 1
        signed = (
            b"TEEPAY-LOADED\0"
            + self.device_id
            + struct.pack(">IQQ", counter, amount, self.balance)
        )
        return struct.pack(">IQ", counter, self.balance) + ecdsa_sign(self.key, signed)

    # APDUs

    def process(self, apdu: bytes) -> bytes:
        try:
            data, sw = self.dispatch(apdu), 0x9000
        except Sw as refused:
            data, sw = b"", refused.sw
        return data + sw.to_bytes(2, "big")

    def dispatch(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            raise Sw(0x6700)
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[4:]
        data = b""
        if len(body) > 1:
            data = body[1 : 1 + body[0]]
            if len(body) not in (1 + body[0], 2 + body[0]):
                raise Sw(0x6700)
        if cla & 0x10:
            if (cla, ins) != (0x90, 0x54):
                self.chain = b""
                raise Sw(0x6884)
            self.chain += data
            return b""
        if (cla, ins) != (0x80, 0x54):
            self.chain = b""
        if (cla, ins) == (0x00, 0xA4):
            return self.select(data)
        if not self.enrolled:
            raise Sw(0x6985)
        if (cla, ins) == (0x80, 0xA8):
            return self.gpo(apdu, data)
        if (cla, ins) == (0x00, 0xB2):
            return self.read_record(p1, p2)
        if (cla, ins) == (0x80, 0x54):
            whole, self.chain = self.chain + data, b""
            return self.debit(whole)
        if (cla, ins, p1, p2) == (0x80, 0x5C, 0x00, 0x02):
            return tlv("DF07", self.balance.to_bytes(8, "big"))
        if (cla, ins, p1, p2) == (0x80, 0xCA, 0x9F, 0x36):
            return tlv("9F36", self.atc.to_bytes(4, "big"))
        if cla not in (0x00, 0x80):
            raise Sw(0x6E00)
        raise Sw(0x6D00)

    def select(self, name: bytes) -> bytes:
        self.state, self.txn = "IDLE", {}
        if not self.enrolled or name not in (DIRECTORY, AID):
            raise Sw(0x6A82)
        if name == DIRECTORY:
            entry = tlv("61", tlv("4F", AID) + tlv("50", b"TEEPAY"))
            return tlv("6F", tlv("84", DIRECTORY) + tlv("A5", tlv("BF0C", entry)))
        self.state = "SELECTED"
        proprietary = (
            tlv("50", b"TEEPAY") + tlv("9F38", PDOL) + tlv("DF01", b"\x00\x01")
        )
        return tlv("6F", tlv("84", AID) + tlv("A5", proprietary))

    def seal(self, plaintext: bytes, gpo_apdu: bytes) -> bytes:
        return HPKE_SUITE.encrypt(plaintext, self.acquirer_key, info=b"TEEPAY-HPKE-v1")

    def gpo_signed(self, head: bytes, date_type: bytes, tail: bytes) -> bytes:
        """The message GPO signs: every PDOL value, the ATC, the HPKE bytes."""
        return b"TEEPAY-GPO\0" + head + date_type + tail

    def gpo(self, apdu: bytes, data: bytes) -> bytes:
        if self.state != "SELECTED":
            raise Sw(0x6985)
        if len(data) != 44 or data[:2] != b"\x83\x2a":
            raise Sw(0x6700)
        values = data[2:]
        amount = int(values[0:6].hex())
        currency, date, tid = values[6:8], values[8:11].hex(), values[12:20]
        un, nonce, suite = values[20:24], values[24:40], values[40:42]
        if (suite != b"\x00\x01" and not self.any_suite) or currency != b"\x01\x56":
            raise Sw(0x6A80)
        expired = date[:4] > self.expiry.decode() or date > self.not_after
        if expired and self.check_expiry:
            raise Sw(0x6985)
        self.atc += 1
        atc = self.atc.to_bytes(4, "big")
        plaintext = bytes([len(self.token)]) + self.token + self.expiry + atc
        sealed = self.seal(plaintext + self.device_id, apdu)
        signed = self.gpo_signed(
            suite + nonce + un + amount.to_bytes(8, "big") + currency,
            values[8:12],  # date (3) || type (1)
            tid + atc + sealed,
        )
        signature = ecdsa_sign(self.key, signed)
        self.txn = dict(
            atc=self.atc,
            amount=amount,
            currency=currency,
            tid=tid,
            nonce=nonce,
            date=date,
        )
        self.state = "GPO_DONE"
        return tlv(
            "77", tlv("9F36", atc) + tlv("DF03", sealed) + tlv("9F4B", signature)
        )

    def read_record(self, p1: int, p2: int) -> bytes:
        records = {
            1: ("DF10", self.issuer_key),
            2: ("DF11", self.device_cert),
            3: ("DF12", self.acquirer_cert),
        }
        if p2 != 0x0C or p1 not in records:
            raise Sw(0x6A80)
        tag, value = records[p1]
        return tlv("70", tlv(tag, value))

    def terminal_ok(
        self, cert: bytes, tid: bytes, signed: bytes, sig: bytes, date: str
    ) -> bool:
        return (
            len(cert) > 151
            and cert[0] == 2
            and cert[1:17] == tid + bytes(8)
            and ecdsa_ok(self.issuer_key, b"TEEPAY-CERT\0" + cert[:-64], cert[-64:])
            and cert[82:85].hex() >= date
            and ecdsa_ok(cert[17:82], signed, sig)
        )

    def debit(self, data: bytes) -> bytes:
        try:
            items = tlvs(data)
        except (ValueError, IndexError):
            raise Sw(0x6A80) from None
        if sorted(items) != sorted(["9F36", "9F02", "9F1C", "DF04", "DF05", "DF06"]):
            raise Sw(0x6A80)
        atc, amount = int.from_bytes(items["9F36"], "big"), int(items["9F02"].hex())
        tid, seq, cert, sig = items["9F1C"], items["DF04"], items["DF05"], items["DF06"]
        key = (atc, amount, tid, seq)
        txn = self.txn
        if self.last_debit is not None and self.last_debit[0] == key:
            txn = self.last_debit[1]
        elif self.state != "GPO_DONE":
            raise Sw(0x6985)
        signed = (
            b"TEEPAY-DEBIT\0"
            + self.device_id
            + items["9F36"]
            + amount.to_bytes(8, "big")
            + txn["currency"]
            + tid
            + seq
            + txn["nonce"]
        )
        if not self.terminal_ok(cert, tid, signed, sig, txn["date"]):
            raise Sw(0x6982)
        if self.last_debit is not None and self.last_debit[0] == key:
            return self.last_debit[2]
        if (atc, amount, tid) != (txn["atc"], txn["amount"], txn["tid"]):
            raise Sw(0x6985)
        if amount > self.balance:
            raise Sw(0x6985)
        self.balance -= amount
        self.debits += 1
        balance = self.balance.to_bytes(8, "big")
        receipt = (
            b"TEEPAY-RECEIPT\0"
            + self.device_id
            + items["9F36"]
            + amount.to_bytes(8, "big")
            + tid
            + seq
            + balance
        )
        answer = tlv(
            "77", tlv("DF07", balance) + tlv("DF08", ecdsa_sign(self.key, receipt))
        )
        self.last_debit = (key, txn, answer)
        self.state = "DEBITED"
        return answer


# -- the world: issuer, acquirer, terminal -------------------------------


@dataclass
class World:
    issuer: Issuer
    acquirer: Acquirer
    terminal_key: ec.EllipticCurvePrivateKey
    pos: PosTerminal

    def terminal(self, **options: Any) -> PosTerminal:
        return PosTerminal(
            self.terminal_key,
            self.pos.certificate,
            issuer_public_key=self.issuer.public_key_bytes,
            acquirer=self.acquirer,
            revocation=self.issuer.revocation,
            **options,
        )

    def card(
        self, balance: int = 10_000, *, expiry: str | None = None, **options: Any
    ) -> FakeCard:
        card = FakeCard(**options)
        record = self.issuer.enrol(
            card.public, self.acquirer.certificate, expiry=expiry, today=TODAY
        )
        card.enrol(record.encode())
        if balance:
            load(self.issuer, card, balance)
        return card


def load(issuer: Issuer, card: FakeCard, amount: int) -> int:
    challenge = wire.LoadChallenge.decode(card.init_load())
    authorisation = issuer.authorise_load(challenge, amount)
    receipt = wire.LoadReceipt.decode(card.credit_load(authorisation.encode()))
    return issuer.confirm_load(card.device_id, receipt)


def make_world() -> World:
    issuer = Issuer()
    acquirer = Acquirer(name="Test acquirer")
    acquirer.certificate = issuer.certify_acquirer(
        acquirer.public_key_bytes, acquirer.name
    )
    terminal_key = keys.generate_private_key()
    certificate = issuer.certify_terminal(
        b"POS00001", keys.public_key_bytes(terminal_key.public_key()), "Corner shop"
    )
    pos = PosTerminal(
        terminal_key,
        certificate,
        issuer_public_key=issuer.public_key_bytes,
        acquirer=acquirer,
        revocation=issuer.revocation,
    )
    return World(issuer, acquirer, terminal_key, pos)


@pytest.fixture
def world() -> World:
    return make_world()


class Mitm:
    """An attacker on the link: sees and may rewrite commands and answers."""

    def __init__(
        self,
        card: FakeCard,
        *,
        command: Callable[[bytes], bytes] | None = None,
        answer: Callable[[bytes, bytes], bytes] | None = None,
    ) -> None:
        self.card = card
        self.command = command
        self.answer = answer
        self.log: list[tuple[bytes, bytes]] = []

    def transmit(self, apdu: bytes) -> bytes:
        if self.command is not None:
            apdu = self.command(apdu)
        response = self.card.process(apdu)
        if self.answer is not None:
            response = self.answer(apdu, response)
        self.log.append((apdu, response))
        return response


def is_gpo(apdu: bytes) -> bool:
    return apdu[:2] == b"\x80\xa8"


def purchase(pos: PosTerminal, link: Any, amount: int = 1_250, **kw: Any) -> Purchase:
    return pos.purchase(link, amount, date=kw.pop("date", TODAY), **kw)


# -- the honest path -----------------------------------------------------


def test_a_purchase(world: World) -> None:
    card = world.card(10_000)
    done = purchase(world.pos, InProcessTransport(card), 1_250)
    assert (done.amount, done.balance, done.atc, done.sequence) == (1_250, 8_750, 1, 1)
    assert card.balance == 8_750 and card.debits == 1 and card.state == "DEBITED"
    assert done.device_id == card.device_id
    assert done.token == card.token.decode() and done.token.startswith("629999")
    assert done.masked_token == "*" * 12 + done.token[-4:]
    assert done.currency == 0x0156 and done.date == TODAY
    assert list(done.timings) == [
        "select_directory",
        "select_aid",
        "gpo",
        "read_records",
        "verify_certificates",
        "verify_gpo",
        "hpke_open",
        "checks",
        "sign_debit",
        "debit",
        "verify_receipt",
    ]
    assert all(seconds >= 0 for seconds in done.timings.values())
    again = purchase(world.pos, InProcessTransport(card), 750)
    assert (again.balance, again.atc, again.sequence) == (8_000, 2, 2)
    assert world.pos.merchant == "Corner shop"


def test_each_purchase_draws_a_fresh_unpredictable_number_and_nonce(
    world: World,
) -> None:
    card = world.card(10_000)
    link = Mitm(card)
    for _ in range(5):
        purchase(world.pos, link, 10)
    gpo_data = [apdu[7:49] for apdu, _ in link.log if is_gpo(apdu)]
    assert len({data[20:24] for data in gpo_data}) == 5
    assert len({data[24:40] for data in gpo_data}) == 5


def test_the_last_day_of_the_expiry_month_is_still_valid(world: World) -> None:
    card = world.card(1_000, expiry="2603")
    purchase(world.pos, InProcessTransport(card), 100, date=datetime.date(2026, 3, 31))


# -- threats the S8 checks stop ------------------------------------------


def test_a_tampered_gpo_signature_is_refused(world: World) -> None:
    card = world.card()

    def flip_signature(apdu: bytes, response: bytes) -> bytes:
        if not is_gpo(apdu):
            return response
        return response[:-3] + bytes([response[-3] ^ 1]) + response[-2:]

    with pytest.raises(BadSignature):
        purchase(world.pos, Mitm(card, answer=flip_signature))
    assert card.balance == 10_000


def test_a_tampered_ciphertext_is_refused(world: World) -> None:
    card = world.card()

    def flip_hpke(apdu: bytes, response: bytes) -> bytes:
        if not is_gpo(apdu):
            return response
        at = response.index(b"\xdf\x03") + 10
        return response[:at] + bytes([response[at] ^ 0x80]) + response[at + 1 :]

    with pytest.raises(BadSignature):
        purchase(world.pos, Mitm(card, answer=flip_hpke))


def test_an_amount_changed_on_the_way_to_the_card_is_refused(world: World) -> None:
    card = world.card()

    def cheaper(apdu: bytes) -> bytes:
        if not is_gpo(apdu):
            return apdu
        return apdu[:7] + bytes.fromhex("000000000001") + apdu[13:]

    with pytest.raises(BadSignature):
        purchase(world.pos, Mitm(card, command=cheaper), 1_250)
    assert card.balance == 10_000


def test_a_replayed_gpo_answer_fails_on_the_new_nonce(world: World) -> None:
    card = world.card()
    recorder = Mitm(card)
    purchase(world.pos, recorder, 100)
    captured = next(response for apdu, response in recorder.log if is_gpo(apdu))

    def replay(apdu: bytes, response: bytes) -> bytes:
        return captured if is_gpo(apdu) else response

    with pytest.raises(BadSignature):
        purchase(world.pos, Mitm(card, answer=replay), 100)
    assert card.balance == 9_900


class ReSigningCard(FakeCard):
    """A rogue card with a valid certificate of its own that signs the
    ciphertext of a victim's card (asked with the same GPO command)."""

    def __init__(self, victim: FakeCard) -> None:
        super().__init__()
        self.victim = victim

    def seal(self, plaintext: bytes, gpo_apdu: bytes) -> bytes:
        self.victim.process(bytes.fromhex("00A4040008") + AID + b"\x00")
        answer = self.victim.process(gpo_apdu)
        assert answer[-2:] == b"\x90\x00"
        return tlvs(tlvs(answer[:-2])["77"])["DF03"]


def test_a_victims_ciphertext_re_signed_with_another_key_is_refused(
    world: World,
) -> None:
    victim = world.card(10_000)
    rogue = ReSigningCard(victim)
    rogue.enrol(
        world.issuer.enrol(
            rogue.public, world.acquirer.certificate, today=TODAY
        ).encode()
    )
    load(world.issuer, rogue, 10_000)
    with pytest.raises(DeviceMismatch, match="device"):
        purchase(world.pos, InProcessTransport(rogue))
    assert victim.balance == 10_000 and rogue.balance == 10_000


class EditedPlaintextCard(FakeCard):
    """A card whose TA puts other data than its own in the ciphertext."""

    def __init__(self, edit: Callable[[bytes], bytes]) -> None:
        super().__init__()
        self.edit = edit

    def seal(self, plaintext: bytes, gpo_apdu: bytes) -> bytes:
        return super().seal(self.edit(plaintext), gpo_apdu)


# plaintext = token_len(1) || token(16) || expiry(4) || atc(4) || device_id(16)
@pytest.mark.parametrize(
    ("edit", "why"),
    [
        (lambda p: p[:21] + struct.pack(">I", 77) + p[25:], "ATC"),
        (lambda p: p[:25] + bytes(16), "device"),
    ],
)
def test_card_data_must_match_the_answer_and_the_signer(
    world: World, edit: Callable[[bytes], bytes], why: str
) -> None:
    card = EditedPlaintextCard(edit)
    record = world.issuer.enrol(
        card.public, world.acquirer.certificate, expiry="3012", today=TODAY
    )
    card.enrol(record.encode())
    card.balance = 10_000
    with pytest.raises(DeviceMismatch, match=why):
        purchase(world.pos, InProcessTransport(card))


def test_the_pos_takes_the_token_from_the_ciphertext_for_the_acquirer(
    world: World,
) -> None:
    # No certificate holds the token any more, so a TA that lies about it
    # is not the POS's to catch: it reports the token it decrypted, and
    # the acquirer, clearing the payment, finds it is not the issuer's
    # record for that device.
    other = "6299991111111115"
    assert wire.luhn_valid(other)
    card = EditedPlaintextCard(lambda p: p[:1] + other.encode() + p[17:])
    record = world.issuer.enrol(card.public, world.acquirer.certificate, today=TODAY)
    card.enrol(record.encode())
    card.balance = 10_000
    done = purchase(world.pos, InProcessTransport(card))
    assert done.token == other != record.token
    assert world.issuer.device_card(done.device_id) == (record.token, record.expiry)


class FirstVersionGpoCard(FakeCard):
    """A card that signs GPO's message as the first version did, without
    the date and the transaction type."""

    def gpo_signed(self, head: bytes, date_type: bytes, tail: bytes) -> bytes:
        return b"TEEPAY-GPO\0" + head + tail


def test_a_gpo_signature_without_the_date_and_type_is_refused(world: World) -> None:
    card = FirstVersionGpoCard()
    card.enrol(
        world.issuer.enrol(
            card.public, world.acquirer.certificate, today=TODAY
        ).encode()
    )
    card.balance = 10_000
    with pytest.raises(BadSignature):
        purchase(world.pos, InProcessTransport(card))
    assert card.balance == 10_000


# GPO APDU: 80 A8 00 00 2C 83 2A, then amount(6) currency(2) date(3) type(1)...
@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda a: a[:15] + bytes.fromhex("260310") + a[18:], id="date"),
        pytest.param(lambda a: a[:18] + b"\x01" + a[19:], id="type"),
    ],
)
def test_a_date_or_type_changed_on_the_way_to_the_card_is_refused(
    world: World, edit: Callable[[bytes], bytes]
) -> None:
    card = world.card()

    def change(apdu: bytes) -> bytes:
        return edit(apdu) if is_gpo(apdu) else apdu

    request = wire.GpoRequest(
        1_250, 0x0156, TODAY, 0, b"POS00001", bytes(4), bytes(16), 1
    )
    sent = commands.gpo_command(request).encode()
    assert sent[15:19] == bytes.fromhex("26030900") != change(sent)[15:19]
    with pytest.raises(BadSignature):
        purchase(world.pos, Mitm(card, command=change))
    assert card.balance == 10_000 and card.atc == 1  # the card did sign


def test_a_stale_atc_is_refused(world: World) -> None:
    card = world.card()
    purchase(world.pos, InProcessTransport(card), 100)
    purchase(world.pos, InProcessTransport(card), 100)
    card.atc = 1  # the card's storage rolled back to an older snapshot
    with pytest.raises(StaleAtc) as info:
        purchase(world.pos, InProcessTransport(card), 100)
    assert (info.value.atc, info.value.last) == (2, 2)
    assert card.balance == 9_800
    other = world.terminal(atc_seen=world.pos.atc_seen)  # terminals sharing memory
    card.atc = 0
    with pytest.raises(StaleAtc):
        purchase(other, InProcessTransport(card), 100)
    fresh = world.terminal()  # a terminal that never saw the card accepts it
    assert purchase(fresh, InProcessTransport(card), 100).atc == 2


def test_a_revoked_device_is_refused(world: World) -> None:
    card = world.card()
    world.issuer.revoke(card.device_id)
    with pytest.raises(Revoked):
        purchase(world.pos, InProcessTransport(card))
    assert card.balance == 10_000


def test_a_device_revoked_by_its_id_alone_is_refused(world: World) -> None:
    card = world.card()
    world.issuer.revocation.revoke_device(card.device_id)
    with pytest.raises(Revoked, match="device"):
        purchase(world.pos, InProcessTransport(card))


def test_a_revoked_token_is_refused(world: World) -> None:
    # the token is in no certificate: the POS checks the one it decrypted
    card = world.card()
    world.issuer.revocation.revoke_token(card.token.decode())
    with pytest.raises(Revoked, match="token"):
        purchase(world.pos, InProcessTransport(card))
    assert card.balance == 10_000


def test_a_token_under_another_bin_is_refused(world: World) -> None:
    card = world.card()
    pos = world.terminal(accepted_bins=("628888", "62999"))
    purchase(pos, InProcessTransport(card), 100)  # 62999 matches
    pos = world.terminal(accepted_bins=("628888",))
    with pytest.raises(WrongBin):
        purchase(pos, InProcessTransport(card), 100)


def test_an_expired_card_is_refused_by_the_card_and_by_the_terminal(
    world: World,
) -> None:
    honest = world.card(expiry="2602")
    with pytest.raises(CardRefused) as info:
        purchase(world.pos, InProcessTransport(honest))
    assert info.value.sw == 0x6985
    lax = world.card(expiry="2602", check_expiry=False)
    with pytest.raises(CardExpired):
        purchase(world.pos, InProcessTransport(lax))
    assert lax.balance == 10_000


def test_a_suite_downgrade_is_refused(world: World) -> None:
    card = world.card()

    def offer_suite_2(apdu: bytes, response: bytes) -> bytes:
        if apdu[:5] != bytes.fromhex("00A4040008"):
            return response
        proprietary = (
            tlv("50", b"TEEPAY") + tlv("9F38", PDOL) + tlv("DF01", b"\x00\x02")
        )
        return tlv("6F", tlv("84", AID) + tlv("A5", proprietary)) + b"\x90\x00"

    with pytest.raises(UnsupportedSuite):
        purchase(world.pos, Mitm(card, answer=offer_suite_2))

    def ask_suite_2(apdu: bytes) -> bytes:
        return apdu[:-3] + b"\x00\x02\x00" if is_gpo(apdu) else apdu

    with pytest.raises(CardRefused) as info:
        purchase(world.pos, Mitm(card, command=ask_suite_2))
    assert info.value.sw == 0x6A80
    lax = world.card(any_suite=True)
    with pytest.raises(BadSignature):
        purchase(world.pos, Mitm(lax, command=ask_suite_2))
    assert card.balance == lax.balance == 10_000


def _enrol_by_hand(
    card: FakeCard,
    issuer_key: ec.EllipticCurvePrivateKey,
    acquirer: wire.Certificate,
    token: str,
    expiry: str = "3012",
    not_after: datetime.date = datetime.date(2030, 12, 31),
) -> None:
    """An enrolment made without pytee's Issuer (and its checks)."""
    device = wire.Certificate.issue(
        issuer_key, wire.CertKind.DEVICE, card.device_id, card.public, not_after, b""
    )
    issuer_public = uncompressed(issuer_key)
    message = wire.enrol_message(
        issuer_public, device.encode(), acquirer.encode(), token, expiry
    )
    record = wire.EnrolmentRecord(
        issuer_public, device, acquirer, token, expiry, ecdsa_sign(issuer_key, message)
    )
    card.enrol(record.encode())
    card.balance = 10_000


@pytest.fixture
def hand_world() -> tuple[ec.EllipticCurvePrivateKey, Acquirer, PosTerminal]:
    """An issuer key used by hand, its acquirer and a terminal."""
    issuer_key = keys.generate_private_key()
    issuer = Issuer(issuer_key)
    acquirer = Acquirer()
    acquirer.certificate = issuer.certify_acquirer(acquirer.public_key_bytes, "A")
    terminal_key = keys.generate_private_key()
    cert = issuer.certify_terminal(b"POS00001", uncompressed(terminal_key), "Shop")
    pos = PosTerminal(
        terminal_key, cert, issuer_public_key=issuer.public_key_bytes, acquirer=acquirer
    )
    return issuer_key, acquirer, pos


def test_a_token_failing_luhn_is_refused(
    hand_world: tuple[ec.EllipticCurvePrivateKey, Acquirer, PosTerminal],
) -> None:
    issuer_key, acquirer, pos = hand_world
    card = FakeCard()
    _enrol_by_hand(card, issuer_key, acquirer.certificate, "6299990000000008")
    with pytest.raises(BadLuhn):
        purchase(pos, InProcessTransport(card))
    good = FakeCard()
    _enrol_by_hand(good, issuer_key, acquirer.certificate, "6299990000000009")
    purchase(pos, InProcessTransport(good))


@pytest.mark.parametrize(
    ("expiry", "not_after", "why"),
    [
        ("2602", datetime.date(2030, 12, 31), "card expired"),
        ("3012", datetime.date(2026, 3, 8), "certificate expired"),
    ],
)
def test_the_expiry_month_and_the_certificate_are_each_checked(
    hand_world: tuple[ec.EllipticCurvePrivateKey, Acquirer, PosTerminal],
    expiry: str,
    not_after: datetime.date,
    why: str,
) -> None:
    issuer_key, acquirer, pos = hand_world
    card = FakeCard(check_expiry=False)
    token = "6299990000000009"
    _enrol_by_hand(card, issuer_key, acquirer.certificate, token, expiry, not_after)
    with pytest.raises(CardExpired, match=why):
        purchase(pos, InProcessTransport(card))


def test_a_device_certificate_not_signed_by_the_issuer_is_refused(world: World) -> None:
    card = world.card()
    forger = keys.generate_private_key()
    genuine = wire.Certificate.decode(card.device_cert)
    forged = wire.Certificate.issue(
        forger,
        genuine.kind,
        genuine.subject_id,
        genuine.public_key,
        genuine.not_after,
        genuine.extra,
    )

    def swap(apdu: bytes, response: bytes) -> bytes:
        if apdu[:4] == bytes.fromhex("00B2020C"):
            return tlv("70", tlv("DF11", forged.encode())) + b"\x90\x00"
        return response

    with pytest.raises(BadCertificate, match="device"):
        purchase(world.pos, Mitm(card, answer=swap))


def test_a_card_of_another_issuer_is_refused(world: World) -> None:
    other = make_world()
    card = FakeCard()
    record = other.issuer.enrol(card.public, other.acquirer.certificate, today=TODAY)
    card.enrol(record.encode())
    card.balance = 10_000
    with pytest.raises(BadCertificate, match="issuer key"):
        purchase(world.pos, InProcessTransport(card))


def test_a_card_enrolled_for_another_acquirer_is_refused(world: World) -> None:
    elsewhere = Acquirer(name="Elsewhere")
    elsewhere.certificate = world.issuer.certify_acquirer(
        elsewhere.public_key_bytes, "E"
    )
    card = FakeCard()
    card.enrol(
        world.issuer.enrol(card.public, elsewhere.certificate, today=TODAY).encode()
    )
    card.balance = 10_000
    with pytest.raises(BadCertificate, match="acquirer"):
        purchase(world.pos, InProcessTransport(card))


class WrongKeyCard(FakeCard):
    def seal(self, plaintext: bytes, gpo_apdu: bytes) -> bytes:
        stranger = ec.generate_private_key(ec.SECP256R1()).public_key()
        return HPKE_SUITE.encrypt(plaintext, stranger, info=b"TEEPAY-HPKE-v1")


def test_card_data_that_does_not_open_is_refused(world: World) -> None:
    card = WrongKeyCard()
    card.enrol(
        world.issuer.enrol(
            card.public, world.acquirer.certificate, today=TODAY
        ).encode()
    )
    card.balance = 10_000
    with pytest.raises(DecryptFailed):
        purchase(world.pos, InProcessTransport(card))


def test_a_tampered_receipt_is_refused(world: World) -> None:
    card = world.card()

    def flip_receipt(apdu: bytes, response: bytes) -> bytes:
        if apdu[:2] != b"\x80\x54":
            return response
        return response[:-3] + bytes([response[-3] ^ 1]) + response[-2:]

    with pytest.raises(BadSignature):
        purchase(world.pos, Mitm(card, answer=flip_receipt))


# -- card refusals, tearing, relay, T=0 ----------------------------------


def test_a_card_with_nothing_enrolled_is_refused(world: World) -> None:
    with pytest.raises(CardRefused) as info:
        purchase(world.pos, InProcessTransport(FakeCard()))
    assert info.value.sw == 0x6A82 and "SELECT directory" in str(info.value)


def test_short_funds_stop_the_debit(world: World) -> None:
    card = world.card(50)
    with pytest.raises(CardRefused) as info:
        purchase(world.pos, InProcessTransport(card), 100)
    assert info.value.sw == 0x6985 and card.balance == 50


class Tearing:
    """The field drops after the card handled the last DEBIT part."""

    def __init__(self, card: FakeCard, drops: int) -> None:
        self.card = card
        self.drops = drops
        self.sent: list[bytes] = []

    def transmit(self, apdu: bytes) -> bytes:
        self.sent.append(apdu)
        response = self.card.process(apdu)
        if apdu[:2] == b"\x80\x54" and self.drops:
            self.drops -= 1
            self.card.state = "IDLE"  # the card's session is gone
            return self.lost()
        return response

    def lost(self) -> bytes:
        """What the terminal gets instead of the DEBIT's answer."""
        raise TransportError("field lost")


def test_a_debit_torn_by_a_lost_field_is_retried_and_debits_once(world: World) -> None:
    card = world.card(1_000)
    link = Tearing(card, drops=1)
    done = purchase(world.pos, link, 300)
    assert done.balance == card.balance == 700 and card.debits == 1
    resent = ["9054", "8054", "00a4", "9054", "8054"]
    assert [apdu[:2].hex() for apdu in link.sent[-5:]] == resent
    card2 = world.card(1_000)
    pos = world.terminal(debit_retries=0)
    with pytest.raises(TransportError):
        purchase(pos, Tearing(card2, drops=1), 300)
    assert card2.debits == 1


class FailingAfterDebit(Tearing):
    """The card's TA stores the last DEBIT, then fails: the card answers
    6F00 where the receipt should be (``drops`` times)."""

    def lost(self) -> bytes:
        return bytes.fromhex("6f00")


def test_a_debit_answered_6f00_is_resent_and_debits_once(world: World) -> None:
    card = world.card(1_000)
    link = FailingAfterDebit(card, drops=1)
    done = purchase(world.pos, link, 300)
    assert done.balance == card.balance == 700 and card.debits == 1
    resent = ["9054", "8054", "00a4", "9054", "8054"]
    assert [apdu[:2].hex() for apdu in link.sent[-5:]] == resent
    card2 = world.card(1_000)
    with pytest.raises(CardRefused) as info:
        purchase(world.terminal(debit_retries=0), FailingAfterDebit(card2, 1), 300)
    assert info.value.sw == 0x6F00 and card2.debits == 1


def test_other_refusals_of_a_debit_are_not_resent(world: World) -> None:
    card = world.card(50)
    link = Tearing(card, drops=0)
    with pytest.raises(CardRefused):
        purchase(world.pos, link, 100)
    assert [apdu[:2].hex() for apdu in link.sent].count("00a4") == 2


class SlowCard(InProcessTransport):
    def transmit(self, apdu: bytes) -> bytes:
        if is_gpo(apdu):
            time.sleep(0.05)
        return super().transmit(apdu)


def test_a_slow_gpo_is_refused_as_a_possible_relay(world: World) -> None:
    card = world.card()
    with pytest.raises(RelaySuspected):
        purchase(world.terminal(relay_limit=0.01), SlowCard(card))
    purchase(world.terminal(relay_limit=5.0), SlowCard(card))


class T0Reader:
    """A card behind a T=0 link: data comes with 61xx and GET RESPONSE, and
    a READ RECORD with Le 00 gets 6Cxx first."""

    def __init__(self, card: FakeCard) -> None:
        self.card = card
        self.pending = b""
        self.sent: list[bytes] = []

    def transmit(self, apdu: bytes) -> bytes:
        self.sent.append(apdu)
        if apdu[:4] == bytes.fromhex("00C00000"):
            data, self.pending = self.pending, b""
            assert apdu[4] == len(data) % 256
            return data + b"\x90\x00"
        response = self.card.process(apdu)
        data = response[:-2]
        if apdu[:2] == b"\x00\xb2" and apdu[-1] == 0 and 0 < len(data) < 256:
            return bytes([0x6C, len(data)])
        if data:
            self.pending = data
            return bytes([0x61, len(data) % 256])
        return response


def test_a_t0_style_card_is_followed_through_61xx_and_6cxx(world: World) -> None:
    card = world.card()
    link = T0Reader(card)
    assert purchase(world.pos, link, 100).balance == 9_900
    assert any(apdu[:4] == bytes.fromhex("00C00000") for apdu in link.sent)
    assert any(apdu[:2] == b"\x00\xb2" and apdu[-1] != 0 for apdu in link.sent)


# -- the terminal's own setup --------------------------------------------


def test_a_terminal_needs_its_own_certificate(world: World) -> None:
    cert = world.pos.certificate
    kwargs: dict[str, Any] = dict(
        issuer_public_key=world.issuer.public_key_bytes, acquirer=world.acquirer
    )
    with pytest.raises(BadCertificate):
        PosTerminal(keys.generate_private_key(), cert, **kwargs)
    with pytest.raises(BadCertificate):
        PosTerminal(world.terminal_key, world.acquirer.certificate, **kwargs)
    other = make_world()
    with pytest.raises(BadCertificate):
        PosTerminal(
            world.terminal_key,
            cert,
            issuer_public_key=other.issuer.public_key_bytes,
            acquirer=world.acquirer,
        )
    for amount in (0, -1, 10**12):
        with pytest.raises(ValueError):
            world.pos.purchase(InProcessTransport(FakeCard()), amount)


# -- the issuer and the acquirer -----------------------------------------


def test_tokens_are_luhn_valid_unique_and_under_the_bin() -> None:
    issuer = Issuer(bin_prefix="62999912")
    tokens = set()
    for _ in range(50):
        key = keys.generate_private_key()
        cert = issuer.certify_device(
            keys.public_key_bytes(key.public_key()), today=TODAY
        )
        token, expiry = issuer.device_card(cert.subject_id)
        tokens.add(token)
        assert len(token) == 16 and token.startswith("62999912")
        assert wire.luhn_valid(token)
        assert expiry == "3103" and cert.not_after == datetime.date(2031, 3, 31)
        assert cert.extra == b""  # the token is in no certificate
    assert len(tokens) == 50
    for bad in ("62a", "", "6" * 15):
        with pytest.raises(ValueError):
            Issuer(bin_prefix=bad)


def test_the_issuer_puts_the_token_in_the_record_not_the_certificate(
    world: World,
) -> None:
    card = FakeCard()
    record = world.issuer.enrol(
        card.public, world.acquirer.certificate, expiry="2911", today=TODAY
    )
    assert record.device_certificate.extra == b""
    assert record.token.encode() not in record.device_certificate.encode()
    assert record.token.encode() not in record.acquirer_certificate.encode()
    assert record.expiry == "2911" and wire.luhn_valid(record.token)
    assert world.issuer.device_card(card.device_id) == (record.token, "2911")
    record.verify()
    raw = record.encode()
    at = raw.index(record.token.encode())
    assert raw[at - 1] == 16 and raw[at + 16 : at + 20] == b"2911"
    assert at + 20 + 64 == len(raw)
    with pytest.raises(IssuerRefused):
        world.issuer.device_card(bytes(16))


def test_certify_device_refuses_duplicates_and_bad_tokens() -> None:
    issuer = Issuer()
    public = keys.public_key_bytes(keys.generate_private_key().public_key())
    issuer.certify_device(public, token="6299990000000009", expiry="2912")
    with pytest.raises(IssuerRefused):
        issuer.certify_device(public)
    other = keys.public_key_bytes(keys.generate_private_key().public_key())
    with pytest.raises(IssuerRefused):
        issuer.certify_device(other, token="6299990000000009")
    with pytest.raises(ValueError):
        issuer.certify_device(other, token="6299990000000008")
    with pytest.raises(ValueError):
        issuer.certify_device(other, expiry="2913")


def test_enrolment_takes_only_this_issuers_acquirer(world: World) -> None:
    other = make_world()
    card = FakeCard()
    with pytest.raises(BadCertificate):
        world.issuer.enrol(card.public, other.acquirer.certificate)
    with pytest.raises(BadCertificate):
        world.issuer.enrol(card.public, world.pos.certificate)


def test_loads(world: World) -> None:
    card = world.card(0)
    assert load(world.issuer, card, 5_000) == 5_000
    assert load(world.issuer, card, 2_500) == 2_500
    assert card.balance == 7_500 and card.load_counter == 2


def test_the_issuer_refuses_replayed_and_spent_load_challenges(world: World) -> None:
    card = world.card(0)
    challenge = wire.LoadChallenge.decode(card.init_load())
    first = world.issuer.authorise_load(challenge, 1_000)
    with pytest.raises(LoadReplay):
        world.issuer.authorise_load(challenge, 1_000)
    # a retry of the same counter with a new challenge (the credit failed)
    retry = wire.LoadChallenge.decode(card.init_load())
    second = world.issuer.authorise_load(retry, 1_000)
    with pytest.raises(Sw):
        card.credit_load(first.encode())  # the card's session has the new challenge
    receipt = wire.LoadReceipt.decode(card.credit_load(second.encode()))
    assert receipt.counter == 0 and receipt.balance == 1_000
    assert world.issuer.confirm_load(card.device_id, receipt) == 1_000
    spent = wire.LoadChallenge(secrets.token_bytes(16), 0, card.device_id)
    with pytest.raises(LoadReplay):
        world.issuer.authorise_load(spent, 1_000)
    with pytest.raises(IssuerRefused):
        world.issuer.confirm_load(card.device_id, receipt)  # nothing pending for 0


def test_the_issuer_checks_load_receipts(world: World) -> None:
    card = world.card(0)
    challenge = wire.LoadChallenge.decode(card.init_load())
    authorisation = world.issuer.authorise_load(challenge, 1_000)
    receipt = wire.LoadReceipt.decode(card.credit_load(authorisation.encode()))
    lying = wire.LoadReceipt(receipt.counter, receipt.balance + 1, receipt.signature)
    with pytest.raises(BadSignature):
        world.issuer.confirm_load(card.device_id, lying)
    assert world.issuer.confirm_load(card.device_id, receipt) == 1_000


def test_the_issuer_refuses_loads_to_unknown_and_revoked_devices(world: World) -> None:
    card = world.card(0)
    stranger = wire.LoadChallenge(secrets.token_bytes(16), 0, bytes(16))
    with pytest.raises(IssuerRefused):
        world.issuer.authorise_load(stranger, 100)
    world.issuer.revoke(card.device_id)
    with pytest.raises(Revoked):
        world.issuer.authorise_load(wire.LoadChallenge.decode(card.init_load()), 100)
    with pytest.raises(ValueError):
        world.issuer.authorise_load(wire.LoadChallenge.decode(card.init_load()), 0)


def test_issuer_and_acquirer_keys_are_saved_and_loaded(
    tmp_path: Path, world: World
) -> None:
    world.issuer.save(tmp_path / "issuer.pem")
    again = Issuer.load(tmp_path / "issuer.pem")
    assert again.public_key_bytes == world.issuer.public_key_bytes
    world.acquirer.save(tmp_path / "acquirer.pem")
    acquirer = Acquirer.load(tmp_path / "acquirer.pem", "Test acquirer")
    assert acquirer.public_key_bytes == world.acquirer.public_key_bytes
    plaintext = wire.HpkePlaintext("6299990000000009", "3012", 7, bytes(16))
    recipient = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), acquirer.public_key_bytes
    )
    sealed = HPKE_SUITE.encrypt(plaintext.encode(), recipient, info=b"TEEPAY-HPKE-v1")
    assert acquirer.open(sealed) == plaintext
    wrong_info = HPKE_SUITE.encrypt(plaintext.encode(), recipient, info=b"other")
    for bad in (wrong_info, sealed[:-1], b""):
        with pytest.raises(DecryptFailed):
            acquirer.open(bad)
    with pytest.raises(UnsupportedSuite):
        acquirer.open(sealed, suite=2)


def test_an_acquirer_takes_only_a_certificate_of_its_key(world: World) -> None:
    acquirer = Acquirer()
    with pytest.raises(ValueError):
        acquirer.certificate  # noqa: B018
    with pytest.raises(BadCertificate):
        acquirer.certificate = world.acquirer.certificate
    with pytest.raises(BadCertificate):
        acquirer.certificate = world.pos.certificate


def test_every_refusal_is_a_payment_error() -> None:
    for cls in (
        BadCertificate,
        BadLuhn,
        BadSignature,
        CardExpired,
        CardRefused,
        DecryptFailed,
        DeviceMismatch,
        IssuerRefused,
        LoadReplay,
        RelaySuspected,
        Revoked,
        StaleAtc,
        TransportError,
        UnsupportedSuite,
        WrongBin,
    ):
        assert issubclass(cls, PaymentError)
