"""Loads over the field (S1 at a load device): INITIALIZE FOR LOAD and
CREDIT FOR LOAD as APDUs through the phone's CA (pytee.payment.card) to
the real payment TA, driven by the issuer's load device
(pytee.payment.load_device) over the in-process transport; the APDUs of
docs/payment.md one by one, their status words, and a CREDIT FOR LOAD
whose answer the field lost, confirmed at the next tap with the TA's
LAST_LOAD.  Each test runs with the C TA and with its Python twin (test
ids ``[c]``, ``[python]``) and starts from a new card, which only the
software TEE allows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from payment_helpers import PAYMENT_TAS, reset_card

from pytee import Context
from pytee.payment import commands
from pytee.payment.apdu import CommandApdu, ResponseApdu
from pytee.payment.card import PhoneCard
from pytee.payment.demo import Scheme, new_scheme
from pytee.payment.errors import CardRefused, TransportError, UnconfirmedLoad
from pytee.payment.load_device import LoadDevice
from pytee.payment.phone import Phone
from pytee.payment.transport import InProcessTransport
from pytee.payment.ui import ScriptedPrompter

pytestmark = pytest.mark.software_tee

SW_OK, SW_SECURITY, SW_ORDER = 0x9000, 0x6982, 0x6985
SW_WRONG_LENGTH, SW_WRONG_DATA, SW_WRONG_P1P2, SW_NO_DATA = (
    0x6700,
    0x6A80,
    0x6A86,
    0x6A88,
)


@pytest.fixture(scope="module", params=sorted(PAYMENT_TAS))
def payment_ta(request: pytest.FixtureRequest) -> str:
    return PAYMENT_TAS[request.param]


@pytest.fixture
def scheme() -> Scheme:
    return new_scheme()


@pytest.fixture
def phone(context: Context, payment_ta: str, scheme: Scheme) -> Iterator[Phone]:
    """A new card, enrolled through the wallet, nothing loaded yet."""
    reset_card(payment_ta)
    prompter = ScriptedPrompter([True] * 8)
    with Phone(context, prompter=prompter, uuid=payment_ta) as phone:
        phone.enrol(scheme.issuer, scheme.acquirer.certificate)
        yield phone


def send(card: PhoneCard, command: CommandApdu) -> ResponseApdu:
    return ResponseApdu.decode(card.process(command.encode()))


def selected(card: PhoneCard) -> PhoneCard:
    assert send(card, commands.select_aid_command()).sw == SW_OK
    return card


class DroppingLink:
    """The field, which drops after the card answered the next CREDIT FOR
    LOAD: the card credited, the load device never sees the receipt."""

    def __init__(self, card: PhoneCard) -> None:
        self.card = card
        self.drop = True

    def transmit(self, apdu: bytes) -> bytes:
        answer = self.card.process(apdu)
        credit = CommandApdu.decode(apdu)
        is_credit = (credit.ins, credit.p1) == (
            commands.INS_CREDIT_LOAD,
            commands.LOAD_P1_CREDIT,
        )
        if is_credit and self.drop:
            self.drop = False
            self.card.power_off()
            raise TransportError("the field dropped after CREDIT FOR LOAD")
        return answer


def test_a_load_device_loads_the_phone_over_the_field(
    phone: Phone, scheme: Scheme
) -> None:
    device = LoadDevice(scheme.issuer)
    first = device.load(InProcessTransport(phone.card), 12_000)
    second = device.load(InProcessTransport(phone.card), 3_050)
    assert (first.counter, first.balance) == (0, 12_000)
    assert (second.counter, second.balance) == (1, 15_050)
    assert phone.balance() == 15_050
    # The CA took both into its display, from receipts that verified.
    loads = [(e.kind, e.amount, e.counter) for e in phone.display.history]
    assert loads == [("load", 12_000, 0), ("load", 3_050, 1)]
    # The wallet's own top-up goes on from the same load counter.
    assert phone.top_up(scheme.issuer, 1_000).counter == 2


def test_a_lost_credit_answer_is_confirmed_at_the_next_tap(
    phone: Phone, scheme: Scheme
) -> None:
    device = LoadDevice(scheme.issuer)
    with pytest.raises(TransportError):
        device.load(DroppingLink(phone.card), 5_000)
    assert phone.balance() == 5_000  # credited, the issuer saw no receipt
    challenge = commands.parse_init_load_answer(
        send(selected(phone.card), commands.init_load_command()).check()
    )
    with pytest.raises(UnconfirmedLoad) as missing:
        scheme.issuer.authorise_load(challenge, 1)
    assert missing.value.counter == 0
    receipt = device.load(InProcessTransport(phone.card), 2_000)
    assert (receipt.counter, receipt.balance) == (1, 7_000)
    # Both loads are the issuer's now: a third goes through at once.
    assert device.load(InProcessTransport(phone.card), 1).counter == 2
    assert phone.balance() == 7_001


def test_init_load_answers_the_challenge_counter_and_device(phone: Phone) -> None:
    answer = send(selected(phone.card), commands.init_load_command())
    challenge = commands.parse_init_load_answer(answer.check())
    assert challenge.counter == 0
    assert challenge.device_id == phone.device_certificate.subject_id
    again = send(phone.card, commands.init_load_command()).check()
    assert commands.parse_init_load_answer(again).challenge != challenge.challenge


def test_loads_need_the_application_selected(phone: Phone) -> None:
    phone.card.power_off()
    assert send(phone.card, commands.init_load_command()).sw == SW_ORDER
    assert send(phone.card, commands.last_load_command()).sw == SW_ORDER


def test_credit_without_init_load_is_6985(phone: Phone, scheme: Scheme) -> None:
    challenge = commands.parse_init_load_answer(
        send(selected(phone.card), commands.init_load_command()).check()
    )
    authorisation = scheme.issuer.authorise_load(challenge, 1_000)
    selected(phone.card).power_off()  # a new tap: the challenge is gone
    credit = commands.credit_load_command(authorisation)
    assert send(selected(phone.card), credit).sw == SW_ORDER
    assert phone.balance() == 0


def test_an_altered_authorisation_is_6982_and_credits_nothing(
    phone: Phone, scheme: Scheme
) -> None:
    challenge = commands.parse_init_load_answer(
        send(selected(phone.card), commands.init_load_command()).check()
    )
    authorisation = scheme.issuer.authorise_load(challenge, 1_000)
    forged = commands.credit_load_command(replace(authorisation, amount=100_000))
    assert send(phone.card, forged).sw == SW_SECURITY
    # The TA spent the challenge on it: the genuine one needs a new one.
    genuine = commands.credit_load_command(authorisation)
    assert send(phone.card, genuine).sw == SW_ORDER
    assert phone.balance() == 0


def test_last_load_before_any_load_is_6a88(phone: Phone) -> None:
    assert send(selected(phone.card), commands.last_load_command()).sw == SW_NO_DATA


def test_last_load_gives_the_receipt_and_amount_again(
    phone: Phone, scheme: Scheme
) -> None:
    loaded = LoadDevice(scheme.issuer).load(InProcessTransport(phone.card), 4_321)
    answer = send(selected(phone.card), commands.last_load_command()).check()
    receipt, amount = commands.parse_last_load_answer(answer)
    assert (receipt.counter, receipt.balance, amount) == (0, 4_321, 4_321)
    assert receipt.signature != loaded.signature  # signed again, afresh


@pytest.mark.parametrize(
    ("apdu", "sw"),
    [
        ("8050010000", SW_WRONG_P1P2),
        ("805000000100", SW_WRONG_LENGTH),
        ("8052020000", SW_WRONG_P1P2),
        ("8052000100", SW_WRONG_P1P2),
        ("805201000100", SW_WRONG_LENGTH),
        ("8052000000", SW_WRONG_LENGTH),
        ("805200000300010200", SW_WRONG_DATA),
        ("0050000000", 0x6E00),
    ],
    ids=[
        "init-p1",
        "init-data",
        "credit-p1",
        "credit-p2",
        "last-data",
        "credit-empty",
        "credit-bad-tlv",
        "iso-class",
    ],
)
def test_malformed_load_commands(phone: Phone, apdu: str, sw: int) -> None:
    command = CommandApdu.decode(bytes.fromhex(apdu))
    assert send(selected(phone.card), command).sw == sw


def test_a_card_refusal_stops_the_load_device(phone: Phone, scheme: Scheme) -> None:
    phone.card.power_off()

    class Refusing:
        def transmit(self, apdu: bytes) -> bytes:
            if CommandApdu.decode(apdu).ins == commands.INS_INIT_LOAD:
                return bytes.fromhex("6985")
            return phone.card.process(apdu)

    with pytest.raises(CardRefused) as refused:
        LoadDevice(scheme.issuer).load(Refusing(), 1_000)
    assert refused.value.sw == SW_ORDER
    assert "INITIALIZE FOR LOAD" in str(refused.value)
