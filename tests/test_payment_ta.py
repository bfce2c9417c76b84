"""The payment TA in C (csrc/ta/payment) and its Python twin
(ta_python/payment.py), driven through the client API and checked against
``cryptography`` playing the issuer, the acquirer and the POS terminal
(``payment_oracle.py``), byte for byte as docs/payment.md says: key
generation, enrolment, two-step loads, GPO (ATC, HPKE, device signature),
DEBIT (terminal certificate and signature, retry) and state that outlives
sessions, instances and the daemon.  The two TAs have the same
expectations: each test runs with both (test ids ``[c]``, ``[python]``).

Each test starts from a new card: the TA's storage folder and rollback
counter are removed while no instance of it runs (docs/storage.md,
"Resetting a TA's storage"), which only the software TEE allows.
"""

from __future__ import annotations

import os
import shutil
import signal
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import payment_oracle as po
import pytest
from cryptography.exceptions import InvalidSignature
from payment_oracle import GpoRequest, Issuer, Terminal
from storage_ta import counter_file, storage_folder
from tee_helpers import hosts_of, wait_until

from pytee import (
    AccessConflict,
    BadParameters,
    BadState,
    Context,
    ItemNotFound,
    NotSupported,
    Overflow,
    Parameter,
    PartialIn,
    PartialOut,
    Security,
    Session,
    ShortBuffer,
    TargetDead,
    TempIn,
    TempOut,
    ValueIn,
    ValueOut,
)
from pytee.payment.ta_ids import PAYMENT_CMD_LAST_LOAD, TA_PAYMENT_PY_UUID

from conftest import daemon_listening, runtime_dir, stop_daemon

pytestmark = pytest.mark.software_tee

#: The payment TA in C and its Python twin, by their UUIDs.
PAYMENT_TAS = {"c": po.PAYMENT_UUID, "python": TA_PAYMENT_PY_UUID}


@pytest.fixture(scope="module", params=sorted(PAYMENT_TAS))
def payment_ta(request: pytest.FixtureRequest) -> str:
    """The UUID of the payment TA in C, then of its Python twin: a test
    that uses it (through ``blank``, ``card``, ``funded``) runs with each."""
    return PAYMENT_TAS[request.param]


class Info(NamedTuple):
    state: int
    atc: int
    balance: int
    load_counter: int
    pin_tries: int


class PaymentTA:
    """One method per command of the TA; TEE errors propagate as raised."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def keygen(self) -> bytes:
        (public,) = self.session.invoke(po.CMD_KEYGEN, TempOut(po.PUBKEY_LEN))
        return bytes(public)

    def info(self) -> Info:
        p0, p1, p2 = self.session.invoke(
            po.CMD_GET_INFO, ValueOut(), ValueOut(), ValueOut()
        )
        return Info(p0.a, p0.b, p1.a << 32 | p1.b, p2.a, p2.b)

    def enrol(self, record: bytes) -> None:
        self.session.invoke(po.CMD_ENROL, TempIn(record))

    def init_load(self) -> tuple[bytes, int, bytes]:
        (out,) = self.session.invoke(po.CMD_INIT_LOAD, TempOut(po.INIT_LOAD_LEN))
        return po.parse_init_load(bytes(out))

    def credit_load(self, authorisation: bytes) -> bytes:
        (out,) = self.session.invoke(
            po.CMD_CREDIT_LOAD, TempIn(authorisation), TempOut(po.LOAD_RECEIPT_LEN)
        )
        return bytes(out)

    def last_load(self, size: int = po.LOAD_RECEIPT_LEN) -> tuple[bytes, int]:
        """LAST_LOAD: the receipt signed again, and the amount."""
        out, amount = self.session.invoke(
            PAYMENT_CMD_LAST_LOAD, TempOut(size), ValueOut()
        )
        return bytes(out), amount.a << 32 | amount.b

    def select(self) -> None:
        self.session.invoke(po.CMD_SELECT)

    def gpo(self, request: bytes, size: int = 256) -> bytes:
        (out,) = self.session.invoke(po.CMD_GPO, TempIn(request), TempOut(size))
        return bytes(out)

    def debit(self, request: bytes, size: int = po.DEBIT_RECEIPT_LEN) -> bytes:
        (out,) = self.session.invoke(po.CMD_DEBIT, TempIn(request), TempOut(size))
        return bytes(out)

    def read_cert(self, which: int, size: int = 256) -> bytes:
        (out,) = self.session.invoke(po.CMD_READ_CERT, ValueIn(which), TempOut(size))
        return bytes(out)


def reset_card(uuid: str) -> None:
    """Forget the card of the TA ``uuid``: its storage, once no instance of
    the TA is left."""
    assert wait_until(lambda: not hosts_of(uuid)), "the payment TA is still running"
    shutil.rmtree(storage_folder(uuid), ignore_errors=True)
    counter_file(uuid).unlink(missing_ok=True)


@pytest.fixture
def blank(context: Context, payment_ta: str) -> Iterator[PaymentTA]:
    """A session on a card that has never been used."""
    reset_card(payment_ta)
    with context.open_session(payment_ta) as session:
        yield PaymentTA(session)


@pytest.fixture
def issuer() -> Issuer:
    return Issuer()


@dataclass
class Card:
    ta: PaymentTA
    issuer: Issuer
    public: bytes  # the device key DK
    device_cert: bytes
    terminal: Terminal

    @property
    def device_id(self) -> bytes:
        return po.device_id(self.public)


def enrol(
    ta: PaymentTA,
    issuer: Issuer,
    token: bytes = po.TOKEN,
    expiry: bytes = po.EXPIRY,
    **device: Any,
) -> Card:
    """KEYGEN and ENROL; ``device`` goes to the device certificate, the token
    and expiry to the enrolment record."""
    public = ta.keygen()
    device_cert = issuer.certify_device(public, **device)
    ta.enrol(issuer.enrolment(device_cert, token=token, expiry=expiry))
    return Card(ta, issuer, public, device_cert, issuer.terminal())


@pytest.fixture
def card(blank: PaymentTA, issuer: Issuer) -> Card:
    """A card with its key, enrolled with ``issuer``; nothing loaded."""
    return enrol(blank, issuer)


def load(card: Card, amount: int) -> bytes:
    """A whole two-step load; the receipt."""
    challenge, counter, dev_id = card.ta.init_load()
    return card.ta.credit_load(
        card.issuer.load_authorisation(dev_id, counter, challenge, amount)
    )


@pytest.fixture
def funded(card: Card) -> Card:
    """The card with 10000 fen on it."""
    load(card, 10000)
    return card


def gpo(card: Card, request: GpoRequest | None = None) -> po.GpoResponse:
    request = request or GpoRequest(terminal_id=card.terminal.terminal_id)
    card.ta.select()
    return po.parse_gpo_response(card.ta.gpo(request.encode()))


def debit_request(
    card: Card, response: po.GpoResponse, request: GpoRequest, **kwargs: Any
) -> bytes:
    fields: dict[str, Any] = dict(
        atc=response.atc, amount=request.amount, nonce=request.nonce
    )
    fields.update(kwargs)
    return po.debit_request(card.terminal, card.device_id, **fields)


# ---- KEYGEN and GET_INFO ----------------------------------------------------


def test_a_new_card_has_no_key_no_enrolment_and_nothing_counted(
    blank: PaymentTA,
) -> None:
    assert blank.info() == Info(0, 0, 0, 0, po.PIN_TRIES)


def test_keygen_makes_a_p256_key_once(
    context: Context, payment_ta: str, blank: PaymentTA
) -> None:
    public = blank.keygen()
    po.public_key(public)  # a point of P-256
    assert blank.keygen() == public
    assert blank.info().state == po.STATE_KEY
    with context.open_session(payment_ta) as other:
        assert PaymentTA(other).keygen() == public


def test_keygen_answers_a_short_buffer_with_the_size(blank: PaymentTA) -> None:
    with pytest.raises(ShortBuffer) as info:
        blank.session.invoke(po.CMD_KEYGEN, TempOut(64))
    assert info.value.required_size == po.PUBKEY_LEN
    assert blank.info().state == 0  # a size query makes no key


def test_two_cards_have_two_keys(
    context: Context, payment_ta: str, blank: PaymentTA
) -> None:
    first = blank.keygen()
    blank.session.close()
    reset_card(payment_ta)
    with context.open_session(payment_ta) as session:
        assert PaymentTA(session).keygen() != first


# ---- ENROL and READ_CERT ----------------------------------------------------


def test_enrol_pins_the_issuer_key_and_keeps_the_certificates(card: Card) -> None:
    ta = card.ta
    assert ta.info() == Info(po.STATE_KEY | po.STATE_ENROLLED, 0, 0, 0, po.PIN_TRIES)
    assert ta.read_cert(po.READ_ISSUER_KEY) == card.issuer.public
    assert ta.read_cert(po.READ_DEVICE_CERT) == card.device_cert
    assert ta.read_cert(po.READ_ACQUIRER_CERT) == card.issuer.acquirer_cert


def test_no_certificate_read_gives_out_the_token(card: Card) -> None:
    # READ RECORD hands these to anyone in the field: the token and the
    # expiry are in the enrolment record only, never in a certificate.
    device_cert = card.ta.read_cert(po.READ_DEVICE_CERT)
    assert device_cert[85:87] == b"\0\0"  # an empty extra
    assert len(device_cert) == 1 + 16 + 65 + 3 + 2 + 64
    for which in (po.READ_ISSUER_KEY, po.READ_DEVICE_CERT, po.READ_ACQUIRER_CERT):
        answer = card.ta.read_cert(which)
        assert po.TOKEN not in answer
        assert po.TOKEN[-4:] + po.EXPIRY not in answer


def test_enrol_before_keygen_is_bad_state(blank: PaymentTA, issuer: Issuer) -> None:
    public = po.public_bytes(po.new_key())
    with pytest.raises(BadState):
        blank.enrol(issuer.enrolment(issuer.certify_device(public)))


def test_enrol_twice_is_an_access_conflict(card: Card) -> None:
    other = Issuer()
    with pytest.raises(AccessConflict):
        card.ta.enrol(other.enrolment(other.certify_device(card.public)))
    assert card.ta.read_cert(po.READ_ISSUER_KEY) == card.issuer.public


def _forged_record(kind: str, issuer: Issuer, public: bytes) -> bytes:
    rogue = po.new_key()
    if kind == "record signature":
        return issuer.enrolment(issuer.certify_device(public), signer=rogue)
    if kind == "device certificate signature":
        return issuer.enrolment(issuer.certify_device(public, signer=rogue))
    if kind == "device certificate of another key":
        other = po.public_bytes(po.new_key())
        return issuer.enrolment(issuer.certify_device(other))
    if kind == "device certificate of another key with this id":
        other = po.public_bytes(po.new_key())
        return issuer.enrolment(
            issuer.certify_device(other, subject=po.device_id(public))
        )
    if kind == "device certificate of another id":
        return issuer.enrolment(issuer.certify_device(public, subject=bytes(16)))
    if kind == "acquirer certificate signature":
        acquirer = issuer.certify_acquirer(po.new_key(), signer=rogue)
        return issuer.enrolment(issuer.certify_device(public), acquirer)
    if kind == "acquirer certificate of another subject":
        acquirer = issuer.certify_acquirer(po.new_key(), subject=bytes(16))
        return issuer.enrolment(issuer.certify_device(public), acquirer)
    if kind == "device certificate of the terminal kind":
        cert = issuer.certify_device(public, kind=po.CERT_TERMINAL)
        return issuer.enrolment(cert)
    if kind == "acquirer certificate as device certificate":
        return issuer.enrolment(issuer.acquirer_cert, issuer.acquirer_cert)
    if kind == "device certificate with the token in it":
        extra = po.TOKEN + b"\0" + po.EXPIRY  # the first version's layout
        return issuer.enrolment(issuer.certify_device(public, extra=extra))
    if kind == "token not digits":
        return issuer.enrolment(
            issuer.certify_device(public), token=b"62123456789012AB"
        )
    if kind == "expiry month 13":
        return issuer.enrolment(issuer.certify_device(public), expiry=b"3013")
    if kind == "expiry not digits":
        return issuer.enrolment(issuer.certify_device(public), expiry=b"30-1")
    if kind in ("token tampered", "expiry tampered"):
        record = bytearray(issuer.enrolment(issuer.certify_device(public)))
        at = len(record) - 64 - 4 - (2 if kind == "token tampered" else 0)
        record[at] ^= 0x01  # another digit: still a well-formed record
        return bytes(record)
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "record signature",
        "device certificate signature",
        "device certificate of another key",
        "device certificate of another key with this id",
        "device certificate of another id",
        "acquirer certificate signature",
        "acquirer certificate of another subject",
        "device certificate of the terminal kind",
        "acquirer certificate as device certificate",
        "device certificate with the token in it",
        "token not digits",
        "expiry month 13",
        "expiry not digits",
        "token tampered",
        "expiry tampered",
    ],
)
def test_a_bad_enrolment_is_refused_as_security(
    blank: PaymentTA, issuer: Issuer, kind: str
) -> None:
    public = blank.keygen()
    with pytest.raises(Security):
        blank.enrol(_forged_record(kind, issuer, public))
    assert blank.info().state == po.STATE_KEY
    blank.enrol(issuer.enrolment(issuer.certify_device(public)))  # still possible
    assert blank.info().state == po.STATE_KEY | po.STATE_ENROLLED


def test_an_issuer_key_off_the_curve_is_security(
    blank: PaymentTA, issuer: Issuer
) -> None:
    public = blank.keygen()
    record = bytearray(issuer.enrolment(issuer.certify_device(public)))
    record[64] ^= 1  # the last byte of Y
    with pytest.raises(Security):
        blank.enrol(bytes(record))


@pytest.mark.parametrize(
    "cut",
    [
        pytest.param(lambda r: r[:-1], id="one byte short"),
        pytest.param(lambda r: r + b"\0", id="one byte more"),
        pytest.param(
            lambda r: r[:65] + b"\xff\xff" + r[67:], id="certificate too long"
        ),
        pytest.param(lambda r: b"", id="empty"),
        pytest.param(
            lambda r: r[: -64 - 4 - 17] + b"\x0f" + r[-64 - 4 - 16 + 1 :],
            id="token of 15 digits",
        ),
        pytest.param(
            lambda r: r[: -64 - 4 - 17] + b"\x14" + r[-64 - 4 - 16 :] + b"0" * 4,
            id="token of 20 digits",
        ),
        pytest.param(
            lambda r: r[: -64 - 4 - 17] + b"\x11" + r[-64 - 4 - 16 :],
            id="token length past the end",
        ),
    ],
)
def test_an_enrolment_record_of_the_wrong_length_is_bad_parameters(
    blank: PaymentTA, issuer: Issuer, cut: Callable[[bytes], bytes]
) -> None:
    public = blank.keygen()
    record = issuer.enrolment(issuer.certify_device(public))
    with pytest.raises(BadParameters):
        blank.enrol(cut(record))


def test_read_cert_before_enrolment_is_bad_state(blank: PaymentTA) -> None:
    blank.keygen()
    with pytest.raises(BadState):
        blank.read_cert(po.READ_ISSUER_KEY)


@pytest.mark.parametrize("which", [0, 4, 0xFFFFFFFF])
def test_read_cert_of_an_unknown_item_is_bad_parameters(card: Card, which: int) -> None:
    with pytest.raises(BadParameters):
        card.ta.read_cert(which)


def test_read_cert_answers_a_short_buffer_with_the_size(card: Card) -> None:
    with pytest.raises(ShortBuffer) as info:
        card.ta.read_cert(po.READ_DEVICE_CERT, size=10)
    assert info.value.required_size == len(card.device_cert)


# ---- loads ------------------------------------------------------------------


def test_a_load_credits_the_balance_and_answers_a_signed_receipt(card: Card) -> None:
    challenge, counter, dev_id = card.ta.init_load()
    assert (counter, dev_id) == (0, card.device_id)
    auth = card.issuer.load_authorisation(dev_id, counter, challenge, 5000)
    receipt = card.ta.credit_load(auth)
    assert po.check_load_receipt(receipt, card.public, 5000) == (0, 5000)
    assert card.ta.info()[2:4] == (5000, 1)
    receipt = load(card, 2500)
    assert po.check_load_receipt(receipt, card.public, 2500) == (1, 7500)
    assert card.ta.info()[2:4] == (7500, 2)


def test_each_init_load_draws_a_new_challenge(card: Card) -> None:
    assert card.ta.init_load()[0] != card.ta.init_load()[0]


def test_a_load_with_a_forged_signature_is_security(card: Card) -> None:
    challenge, counter, dev_id = card.ta.init_load()
    forged = card.issuer.load_authorisation(
        dev_id, counter, challenge, 5000, signer=po.new_key()
    )
    with pytest.raises(Security):
        card.ta.credit_load(forged)
    assert card.ta.info()[2:4] == (0, 0)
    # the challenge went with the attempt: the good one now finds none
    good = card.issuer.load_authorisation(dev_id, counter, challenge, 5000)
    with pytest.raises(BadState):
        card.ta.credit_load(good)


def test_a_load_with_a_changed_amount_is_security(card: Card) -> None:
    challenge, counter, dev_id = card.ta.init_load()
    auth = card.issuer.load_authorisation(dev_id, counter, challenge, 100)
    with pytest.raises(Security):
        card.ta.credit_load(auth[:4] + struct.pack(">Q", 100000) + auth[12:])
    assert card.ta.info().balance == 0


def test_a_replayed_authorisation_is_refused(card: Card) -> None:
    challenge, counter, dev_id = card.ta.init_load()
    auth = card.issuer.load_authorisation(dev_id, counter, challenge, 5000)
    card.ta.credit_load(auth)
    with pytest.raises(BadState):  # its challenge is used up
        card.ta.credit_load(auth)
    card.ta.init_load()
    with pytest.raises(Security):  # a new challenge, an old counter
        card.ta.credit_load(auth)
    assert card.ta.info()[2:4] == (5000, 1)


def test_an_authorisation_for_an_old_challenge_is_security(card: Card) -> None:
    old_challenge, counter, dev_id = card.ta.init_load()
    card.ta.init_load()  # replaces the challenge
    auth = card.issuer.load_authorisation(dev_id, counter, old_challenge, 5000)
    with pytest.raises(Security):
        card.ta.credit_load(auth)
    assert card.ta.info().balance == 0


@pytest.mark.parametrize("delta", [1, -1])
def test_a_load_for_another_counter_is_security(card: Card, delta: int) -> None:
    load(card, 1)  # counter 1
    challenge, counter, dev_id = card.ta.init_load()
    auth = card.issuer.load_authorisation(dev_id, counter + delta, challenge, 5000)
    with pytest.raises(Security):
        card.ta.credit_load(auth)
    assert card.ta.info()[2:4] == (1, 1)


def test_a_load_for_another_device_is_security(card: Card) -> None:
    challenge, counter, _ = card.ta.init_load()
    auth = card.issuer.load_authorisation(bytes(16), counter, challenge, 5000)
    with pytest.raises(Security):
        card.ta.credit_load(auth)


def test_credit_load_without_init_load_is_bad_state(card: Card) -> None:
    auth = card.issuer.load_authorisation(card.device_id, 0, bytes(16), 5000)
    with pytest.raises(BadState):
        card.ta.credit_load(auth)


def test_the_challenge_belongs_to_its_session(
    context: Context, payment_ta: str, card: Card
) -> None:
    challenge, counter, dev_id = card.ta.init_load()
    auth = card.issuer.load_authorisation(dev_id, counter, challenge, 5000)
    with context.open_session(payment_ta) as other, pytest.raises(BadState):
        PaymentTA(other).credit_load(auth)
    card.ta.credit_load(auth)


def test_init_load_before_enrolment_is_bad_state(blank: PaymentTA) -> None:
    blank.keygen()
    with pytest.raises(BadState):
        blank.init_load()


def test_a_load_that_would_overflow_the_balance_is_refused(card: Card) -> None:
    load(card, 2**64 - 1)
    with pytest.raises(Overflow):
        load(card, 1)
    assert card.ta.info()[2:4] == (2**64 - 1, 1)


@pytest.mark.parametrize("size", [75, 77])
def test_a_load_authorisation_of_the_wrong_length_is_bad_parameters(
    card: Card, size: int
) -> None:
    challenge, counter, dev_id = card.ta.init_load()
    auth = card.issuer.load_authorisation(dev_id, counter, challenge, 5)
    with pytest.raises(BadParameters):
        card.ta.credit_load((auth + b"\0")[:size])


def test_credit_load_answers_a_short_buffer_and_keeps_the_challenge(
    card: Card,
) -> None:
    challenge, counter, dev_id = card.ta.init_load()
    auth = card.issuer.load_authorisation(dev_id, counter, challenge, 5)
    with pytest.raises(ShortBuffer) as info:
        card.ta.session.invoke(po.CMD_CREDIT_LOAD, TempIn(auth), TempOut(10))
    assert info.value.required_size == po.LOAD_RECEIPT_LEN
    card.ta.credit_load(auth)
    assert card.ta.info().balance == 5


# ---- LAST_LOAD: the receipt of the last load again ---------------------------


def test_last_load_before_any_load_is_item_not_found(card: Card) -> None:
    with pytest.raises(ItemNotFound):
        card.ta.last_load()


def test_last_load_before_enrolment_is_bad_state(blank: PaymentTA) -> None:
    blank.keygen()
    with pytest.raises(BadState):
        blank.last_load()


def test_last_load_gives_the_last_receipt_signed_again(card: Card) -> None:
    load(card, 5000)
    receipt = load(card, 2500)
    again, amount = card.ta.last_load()
    assert amount == 2500
    # the same counter and balance, a new ECDSA signature of the same message
    assert again[:12] == receipt[:12]
    assert po.check_load_receipt(again, card.public, 2500) == (1, 7500)
    with pytest.raises(InvalidSignature):
        po.check_load_receipt(again, card.public, 5000)
    assert card.ta.last_load()[0][:12] == receipt[:12]  # as often as asked
    assert card.ta.info()[2:4] == (7500, 2)  # and nothing changes


def test_last_load_keeps_a_large_amount_whole(card: Card) -> None:
    load(card, 2**40 + 7)
    receipt, amount = card.ta.last_load()
    assert amount == 2**40 + 7
    assert po.check_load_receipt(receipt, card.public, amount) == (0, 2**40 + 7)


def test_a_failed_credit_leaves_the_last_load_as_it_was(card: Card) -> None:
    load(card, 300)
    challenge, counter, dev_id = card.ta.init_load()
    auth = card.issuer.load_authorisation(dev_id, counter, challenge, 100)
    with pytest.raises(Security):
        card.ta.credit_load(auth[:4] + struct.pack(">Q", 999) + auth[12:])
    receipt, amount = card.ta.last_load()
    assert amount == 300
    assert po.check_load_receipt(receipt, card.public, 300) == (0, 300)


def test_last_load_answers_a_short_buffer_with_the_size(card: Card) -> None:
    load(card, 10)
    with pytest.raises(ShortBuffer) as info:
        card.ta.last_load(size=po.LOAD_RECEIPT_LEN - 1)
    assert info.value.required_size == po.LOAD_RECEIPT_LEN


def test_last_load_outlives_the_ta_instance(
    context: Context, payment_ta: str, card: Card
) -> None:
    receipt = load(card, 4200)
    # the TA dies right after the credit, before its answer is read
    (host,) = hosts_of(payment_ta)
    os.kill(host, signal.SIGKILL)
    with pytest.raises(TargetDead):
        card.ta.info()
    assert wait_until(lambda: not hosts_of(payment_ta))
    with context.open_session(payment_ta) as session:
        again, amount = PaymentTA(session).last_load()
    assert amount == 4200
    assert again[:12] == receipt[:12]
    assert po.check_load_receipt(again, card.public, 4200) == (0, 4200)


# ---- SELECT and GPO ---------------------------------------------------------


def test_select_before_enrolment_is_bad_state(blank: PaymentTA) -> None:
    blank.keygen()
    with pytest.raises(BadState):
        blank.select()


def test_gpo_encrypts_the_card_to_the_acquirer_and_signs(card: Card) -> None:
    request = GpoRequest(amount=1999, terminal_id=card.terminal.terminal_id)
    response = gpo(card, request)
    assert response.atc == 1
    data = po.open_hpke(response.hpke, card.issuer.acquirer_key)
    # the token and expiry of the enrolment record, kept by the TA
    assert data == po.CardData(po.TOKEN, po.EXPIRY, 1, card.device_id)
    assert len(response.hpke) == 65 + (1 + 16 + 4 + 4 + 16) + 16
    po.check_gpo_signature(response, request, card.public)
    for changed in (
        replace(request, nonce=bytes(16)),
        replace(request, amount=1),
        replace(request, un=bytes(4)),
        replace(request, date="250616"),
        replace(request, type=0x09),
        replace(request, terminal_id=b"POS99999"),
    ):
        with pytest.raises(InvalidSignature):
            po.check_gpo_signature(response, changed, card.public)


def test_the_gpo_signature_covers_the_date_and_the_type(card: Card) -> None:
    request = GpoRequest(date="250615", type=0x00, terminal_id=b"POS00001")
    response = gpo(card, request)
    signed = po.gpo_message(response, request)
    pdol_part = 11 + 2 + 16 + 4 + 8 + 2
    assert signed[pdol_part : pdol_part + 4] == bytes.fromhex("25061500")
    po.verify(card.public, signed, response.signature)
    # the message of the first version, without date(3) || type(1)
    without = signed[:pdol_part] + signed[pdol_part + 4 :]
    with pytest.raises(InvalidSignature):
        po.verify(card.public, without, response.signature)


def test_gpo_carries_a_19_digit_token(blank: PaymentTA, issuer: Issuer) -> None:
    card = enrol(blank, issuer, token=b"6212345678901234567", expiry=b"2907")
    response = gpo(card)
    data = po.open_hpke(response.hpke, issuer.acquirer_key)
    assert (data.token, data.expiry) == (b"6212345678901234567", b"2907")


def test_each_gpo_encrypts_afresh(card: Card) -> None:
    first = gpo(card)
    second = gpo(card)
    assert first.hpke[:65] != second.hpke[:65]  # a new ephemeral key
    assert po.open_hpke(second.hpke, card.issuer.acquirer_key).atc == 2


def test_gpo_into_a_window_of_one_shared_block(context: Context, card: Card) -> None:
    request = GpoRequest(terminal_id=card.terminal.terminal_id)
    raw = request.encode()
    card.ta.select()
    with context.allocate_shared_memory(512) as shm:
        shm.buffer[: len(raw)] = raw
        (out,) = card.ta.session.invoke(
            po.CMD_GPO, PartialIn(shm, 0, len(raw)), PartialOut(shm, 256, 256)
        )
        response = po.parse_gpo_response(bytes(out))
        del out
    po.check_gpo_signature(response, request, card.public)


def test_the_atc_counts_transactions_and_is_stored(
    context: Context, payment_ta: str, card: Card
) -> None:
    assert [gpo(card).atc for _ in range(3)] == [1, 2, 3]
    with context.open_session(payment_ta) as other:
        assert PaymentTA(other).info().atc == 3


def test_the_atc_is_spent_even_when_the_answer_is_lost(
    context: Context, payment_ta: str, card: Card
) -> None:
    gpo(card)
    # the answer never reaches the POS: the phone dies right after
    (host,) = hosts_of(payment_ta)
    os.kill(host, signal.SIGKILL)
    with pytest.raises(TargetDead):
        card.ta.info()
    assert wait_until(lambda: not hosts_of(payment_ta))
    with context.open_session(payment_ta) as session:
        again = replace(card, ta=PaymentTA(session))
        assert again.ta.info().atc == 1
        assert gpo(again).atc == 2  # never the same ATC twice


def test_gpo_without_select_is_bad_state(card: Card) -> None:
    with pytest.raises(BadState):
        card.ta.gpo(GpoRequest().encode())
    assert card.ta.info().atc == 0


def test_a_second_gpo_needs_a_new_select(card: Card) -> None:
    gpo(card)
    with pytest.raises(BadState):
        card.ta.gpo(GpoRequest().encode())
    assert card.ta.info().atc == 1


@pytest.mark.parametrize(
    "request_",
    [
        pytest.param(GpoRequest(suite=0x0002), id="unknown suite"),
        pytest.param(GpoRequest(suite=0x0000), id="suite 0"),
        pytest.param(GpoRequest(currency=0x0840), id="another currency"),
        pytest.param(GpoRequest(date="251301"), id="month 13"),
        pytest.param(GpoRequest(date="250600"), id="day 0"),
        pytest.param(GpoRequest(date="2a0601"), id="not BCD"),
        pytest.param(GpoRequest(terminal_id=b"POS0000\x7f"), id="terminal id DEL"),
        pytest.param(
            GpoRequest(terminal_id=b"POS\x00\x00\x00\x00\x01"),
            id="terminal id with zeros",
        ),
    ],
)
def test_a_gpo_request_it_cannot_take_is_bad_parameters(
    card: Card, request_: GpoRequest
) -> None:
    card.ta.select()
    with pytest.raises(BadParameters):
        card.ta.gpo(request_.encode())
    assert card.ta.info().atc == 0
    card.ta.gpo(GpoRequest().encode())  # still SELECTED


@pytest.mark.parametrize("size", [0, 43, 45])
def test_a_gpo_request_of_the_wrong_length_is_bad_parameters(
    card: Card, size: int
) -> None:
    card.ta.select()
    with pytest.raises(BadParameters):
        card.ta.gpo((GpoRequest().encode() + b"\0")[:size])


@pytest.mark.parametrize(
    ("device", "date"),
    [
        pytest.param({"expiry": b"2505"}, "250601", id="after the expiry month"),
        pytest.param({"not_after": "250531"}, "250601", id="after not_after"),
    ],
)
def test_gpo_on_an_expired_card_is_bad_state(
    blank: PaymentTA, issuer: Issuer, device: dict[str, Any], date: str
) -> None:
    card = enrol(blank, issuer, **device)
    card.ta.select()
    with pytest.raises(BadState):
        card.ta.gpo(GpoRequest(date=date).encode())
    assert card.ta.info().atc == 0


def test_a_card_is_good_until_the_end_of_its_expiry_month(
    blank: PaymentTA, issuer: Issuer
) -> None:
    card = enrol(blank, issuer, expiry=b"2505", not_after="250531")
    assert gpo(card, GpoRequest(date="250531")).atc == 1


def test_gpo_answers_a_short_buffer_with_the_size_and_spends_no_atc(
    card: Card,
) -> None:
    card.ta.select()
    with pytest.raises(ShortBuffer) as info:
        card.ta.gpo(GpoRequest().encode(), size=100)
    assert info.value.required_size == 4 + 2 + 65 + 41 + 16 + 64
    assert card.ta.info().atc == 0
    out = card.ta.gpo(GpoRequest().encode(), size=info.value.required_size)
    assert po.parse_gpo_response(out).atc == 1


# ---- DEBIT ------------------------------------------------------------------


def test_a_debit_takes_the_amount_and_answers_a_signed_receipt(funded: Card) -> None:
    request = GpoRequest(amount=1999, terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    receipt = funded.ta.debit(debit_request(funded, response, request, sequence=7))
    balance = po.check_debit_receipt(
        receipt, funded.public, response.atc, 1999, funded.terminal.terminal_id, 7
    )
    assert balance == 10000 - 1999
    assert funded.ta.info().balance == 10000 - 1999


def test_a_debit_of_the_whole_balance_leaves_zero(funded: Card) -> None:
    request = GpoRequest(amount=10000, terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    funded.ta.debit(debit_request(funded, response, request))
    assert funded.ta.info().balance == 0


def test_a_debit_of_another_amount_is_bad_state(funded: Card) -> None:
    request = GpoRequest(amount=100, terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    # the terminal signs the other amount properly: the card still refuses
    with pytest.raises(BadState):
        funded.ta.debit(debit_request(funded, response, request, amount=9000))
    assert funded.ta.info().balance == 10000
    funded.ta.debit(debit_request(funded, response, request))  # the right one


def test_a_debit_for_another_atc_or_terminal_is_bad_state(funded: Card) -> None:
    request = GpoRequest(terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    with pytest.raises(BadState):
        funded.ta.debit(debit_request(funded, response, request, atc=response.atc + 1))
    other = funded.issuer.terminal(b"POS00002")
    with pytest.raises(BadState):
        funded.ta.debit(
            po.debit_request(
                other, funded.device_id, response.atc, request.amount, request.nonce
            )
        )
    assert funded.ta.info().balance == 10000


def test_a_debit_without_gpo_is_bad_state(funded: Card) -> None:
    request = GpoRequest(terminal_id=funded.terminal.terminal_id)
    debit = po.debit_request(funded.terminal, funded.device_id, 1, 100, request.nonce)
    with pytest.raises(BadState):
        funded.ta.debit(debit)  # no transaction at all
    funded.ta.select()
    with pytest.raises(BadState):
        funded.ta.debit(debit)  # selected, no GPO
    assert funded.ta.info().balance == 10000


def test_a_new_select_ends_the_transaction(funded: Card) -> None:
    request = GpoRequest(terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    funded.ta.select()
    with pytest.raises(BadState):
        funded.ta.debit(debit_request(funded, response, request))


def test_a_debit_with_a_bad_terminal_signature_is_security(funded: Card) -> None:
    request = GpoRequest(terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    with pytest.raises(Security):
        funded.ta.debit(debit_request(funded, response, request, signer=po.new_key()))
    assert funded.ta.info().balance == 10000


def test_a_debit_signed_for_another_nonce_is_security(funded: Card) -> None:
    request = GpoRequest(terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    with pytest.raises(Security):
        funded.ta.debit(debit_request(funded, response, request, nonce=bytes(16)))


def _terminal(issuer: Issuer, kind: str) -> Terminal:
    if kind == "not from the issuer":
        return issuer.terminal(signer=po.new_key())
    if kind == "of another terminal":
        other = issuer.terminal(b"POS00002")
        return Terminal(b"POS00001", other.key, other.cert)
    if kind == "expired":
        return issuer.terminal(not_after="250614")
    if kind == "an acquirer certificate":
        key = po.new_key()
        return Terminal(b"POS00001", key, issuer.certify_acquirer(key))
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    [
        "not from the issuer",
        "of another terminal",
        "expired",
        "an acquirer certificate",
    ],
)
def test_a_debit_with_a_terminal_certificate_it_cannot_trust_is_security(
    funded: Card, kind: str
) -> None:
    funded.terminal = _terminal(funded.issuer, kind)
    request = GpoRequest(date="250615", terminal_id=b"POS00001")
    response = gpo(funded, request)
    with pytest.raises(Security):
        funded.ta.debit(debit_request(funded, response, request))
    assert funded.ta.info().balance == 10000


def test_a_terminal_certificate_is_good_on_its_last_day(funded: Card) -> None:
    funded.terminal = funded.issuer.terminal(not_after="250615")
    request = GpoRequest(date="250615", terminal_id=b"POS00001")
    response = gpo(funded, request)
    funded.ta.debit(debit_request(funded, response, request))


def test_a_debit_beyond_the_balance_is_bad_state(funded: Card) -> None:
    request = GpoRequest(amount=10001, terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    with pytest.raises(BadState):
        funded.ta.debit(debit_request(funded, response, request))
    assert funded.ta.info().balance == 10000


def test_a_retried_debit_answers_the_same_receipt_and_debits_once(
    funded: Card,
) -> None:
    request = GpoRequest(amount=300, terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    debit = debit_request(funded, response, request, sequence=5)
    receipt = funded.ta.debit(debit)
    assert funded.ta.debit(debit) == receipt
    assert funded.ta.debit(debit) == receipt
    assert funded.ta.info().balance == 9700


def test_a_debit_retried_after_the_field_dropped_debits_once(
    context: Context, payment_ta: str, funded: Card
) -> None:
    request = GpoRequest(amount=300, terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    debit = debit_request(funded, response, request, sequence=5)
    receipt = funded.ta.debit(debit)
    funded.ta.session.close()  # the answer is lost with the session
    with context.open_session(payment_ta) as session:
        ta = PaymentTA(session)
        assert ta.debit(debit) == receipt  # a retry, in a new session
        ta.select()
        assert ta.debit(debit) == receipt  # and after a new SELECT
        assert ta.info().balance == 9700


def test_a_retry_with_a_bad_terminal_signature_is_security(funded: Card) -> None:
    request = GpoRequest(amount=300, terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    funded.ta.debit(debit_request(funded, response, request))
    with pytest.raises(Security):
        funded.ta.debit(debit_request(funded, response, request, signer=po.new_key()))


def test_a_second_debit_in_one_transaction_is_bad_state(funded: Card) -> None:
    request = GpoRequest(amount=300, terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    funded.ta.debit(debit_request(funded, response, request, sequence=1))
    with pytest.raises(BadState):
        funded.ta.debit(debit_request(funded, response, request, sequence=2))
    assert funded.ta.info().balance == 9700


def test_a_debit_request_of_a_broken_length_is_bad_parameters(funded: Card) -> None:
    request = GpoRequest(terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    good = debit_request(funded, response, request)
    for bad in (good[:-1], good + b"\0", good[:24] + b"\xff\xff" + good[26:], b""):
        with pytest.raises(BadParameters):
            funded.ta.debit(bad)
    funded.ta.debit(good)


def test_debit_answers_a_short_buffer_before_debiting(funded: Card) -> None:
    request = GpoRequest(terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    debit = debit_request(funded, response, request)
    with pytest.raises(ShortBuffer) as info:
        funded.ta.debit(debit, size=71)
    assert info.value.required_size == po.DEBIT_RECEIPT_LEN
    assert funded.ta.info().balance == 10000
    funded.ta.debit(debit)


# ---- state outlives sessions and the daemon ---------------------------------


def test_the_card_survives_closing_every_session_and_restarting_the_daemon(
    payment_ta: str, funded: Card
) -> None:
    request = GpoRequest(amount=250, terminal_id=funded.terminal.terminal_id)
    response = gpo(funded, request)
    funded.ta.debit(debit_request(funded, response, request, sequence=3))
    before = funded.ta.info()
    assert before == Info(po.STATE_KEY | po.STATE_ENROLLED, 1, 9750, 1, po.PIN_TRIES)
    funded.ta.session.context.close()
    stopped = stop_daemon()
    assert stopped.returncode == 0, stopped.stderr
    assert wait_until(lambda: not daemon_listening(runtime_dir()))

    with Context() as context, context.open_session(payment_ta) as session:
        ta = PaymentTA(session)
        assert ta.info() == before
        assert ta.keygen() == funded.public
        assert ta.read_cert(po.READ_ISSUER_KEY) == funded.issuer.public
        assert ta.read_cert(po.READ_DEVICE_CERT) == funded.device_cert
        # the last load is kept: LAST_LOAD still gives its receipt
        receipt, amount = ta.last_load()
        assert amount == 10000
        assert po.check_load_receipt(receipt, funded.public, 10000) == (0, 10000)
        again = replace(funded, ta=ta)
        # the last receipt is kept: the retry still answers it
        receipt = ta.debit(debit_request(again, response, request, sequence=3))
        po.check_debit_receipt(
            receipt, funded.public, 1, 250, funded.terminal.terminal_id, 3
        )
        assert load(again, 50)[:12] == struct.pack(">IQ", 1, 9800)
        response = gpo(again)
        assert response.atc == 2
        # the token and expiry of the enrolment record were stored too
        data = po.open_hpke(response.hpke, funded.issuer.acquirer_key)
        assert (data.token, data.expiry) == (po.TOKEN, po.EXPIRY)


# ---- parameters -------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "params"),
    [
        (po.CMD_KEYGEN, lambda: (TempIn(b"x"),)),
        (po.CMD_KEYGEN, lambda: (TempOut(65), ValueOut())),
        (po.CMD_GET_INFO, lambda: (ValueOut(), ValueOut())),
        (po.CMD_ENROL, lambda: (TempOut(10),)),
        (po.CMD_INIT_LOAD, lambda: (TempIn(b"x"),)),
        (po.CMD_CREDIT_LOAD, lambda: (TempIn(bytes(76)),)),
        (po.CMD_SELECT, lambda: (ValueIn(1),)),
        (po.CMD_GPO, lambda: (TempIn(bytes(44)), ValueOut())),
        (po.CMD_DEBIT, lambda: (TempOut(72), TempOut(72))),
        (po.CMD_READ_CERT, lambda: (ValueOut(), TempOut(65))),
        (PAYMENT_CMD_LAST_LOAD, lambda: (TempOut(76),)),
        (PAYMENT_CMD_LAST_LOAD, lambda: (TempOut(76), ValueIn(0))),
    ],
)
def test_wrong_parameter_types_are_bad_parameters(
    card: Card, command: int, params: Callable[[], tuple[Parameter, ...]]
) -> None:
    with pytest.raises(BadParameters):
        card.ta.session.invoke(command, *params())


@pytest.mark.parametrize("command", [11, 100, 0xFFFFFFFF])  # 9, 10: SET_PIN, LAST_LOAD
def test_an_unknown_command_is_not_supported(blank: PaymentTA, command: int) -> None:
    with pytest.raises(NotSupported):
        blank.session.invoke(command)
