"""Threats of PAYMENT.md ("Threats the tests must show are stopped") shown
stopped through the real system: the phone's CA (pytee.payment.phone,
pytee.payment.card), the payment TA in C and its Python twin (test ids
``[c]``, ``[python]``) and a POS (pytee.payment.pos), on a software TEE of
their own whose scripted user (``PYTEE_TUI_SCRIPT``, docs/tui.md) types on
the trusted display.

* Storage rolled back to an older snapshot: the TA's storage folder is put
  back to a copy taken earlier, while the rollback counter kept apart from
  it (``rpmb/<uuid>.ctr``, standing for RPMB) is left as it is.  The
  storage answers ``TEE_ERROR_CORRUPT_OBJECT`` (docs/storage.md, promise
  4): the wallet's GET_INFO raises it, the card answers ``6F00`` and the
  POS stops at its first SELECT; the old balance is never shown nor spent.
* PIN brute force: the same rollback after wrong PINs does not give the
  tries back: the card refuses, and shows no PIN screen at all.
* Predictable UN: a GPO answer that an attacker holding the phone obtained
  in advance, for an unpredictable number (UN) of its guessing, and that a
  rogue device replays to a real POS (pre-play), fails the POS's signature
  check (``BadSignature``), since the POS draws its own UN and the card
  signs it.  It does so even when the attacker knows the POS's nonce; the
  same pre-play with the UN guessed right pays, which shows that it is the
  UN that stops it.  (That each purchase draws a new UN and nonce is
  test_payment_pos.py's.)

Each test starts from a new card: the TA's storage folder and rollback
counter are removed while no instance of it runs, which only the software
TEE allows.
"""

from __future__ import annotations

import datetime
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from payment_helpers import (
    PAYMENT_TAS,
    Tee,
    a_new_card,
    a_phone,
    software_tee,
    wait_stopped,
)
from storage_ta import counter_file, storage_folder

import pytee.payment.pos as pos_module
from pytee import Origin, TeeError
from pytee.payment import commands, keys
from pytee.payment.apdu import CommandApdu, ResponseApdu
from pytee.payment.card import PhoneCard
from pytee.payment.demo import Scheme, new_scheme
from pytee.payment.errors import BadSignature, CardRefused
from pytee.payment.phone import Phone
from pytee.payment.pos import Purchase
from pytee.payment.ta_ids import PAYMENT_CVM_LIMIT, PAYMENT_PIN_TRIES
from pytee.payment.transport import InProcessTransport
from pytee.payment.wire import (
    CURRENCY_CNY,
    NONCE_SIZE,
    TRANSACTION_PURCHASE,
    UN_SIZE,
    GpoRequest,
)

pytestmark = pytest.mark.software_tee

TEE_ERROR_CORRUPT_OBJECT = 0xF0100001
SW_OK, SW_SECURITY, SW_NOT_SATISFIED, SW_TA_FAILED = 0x9000, 0x6982, 0x6985, 0x6F00

PIN = "924681"
WRONG_PIN = "813579"
ABOVE = 50000  # 500.00 CNY: above the cardholder verification limit
assert ABOVE > PAYMENT_CVM_LIMIT


@pytest.fixture(scope="module", params=sorted(PAYMENT_TAS))
def payment_ta(request: pytest.FixtureRequest) -> str:
    return PAYMENT_TAS[request.param]


# ---------------------------------------------------------------- the TEE


@pytest.fixture(scope="module")
def tee(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tee]:
    """A daemon of this module's, started with the scripted user: teed takes
    ``PYTEE_TUI_SCRIPT`` from the environment of the client starting it."""
    root = tmp_path_factory.mktemp("threats")
    with software_tee(root, root / "script.jsonl") as isolated:
        yield isolated


def copy_storage(uuid: str, to: Path) -> Path:
    """A copy of the TA's storage folder (the TA stopped): a snapshot."""
    wait_stopped(uuid)
    shutil.copytree(storage_folder(uuid), to)
    return to


def put_back(uuid: str, snapshot: Path) -> None:
    """Replace the TA's storage folder by ``snapshot``, not the counter."""
    wait_stopped(uuid)
    shutil.rmtree(storage_folder(uuid))
    shutil.copytree(snapshot, storage_folder(uuid))


@pytest.fixture
def scheme() -> Scheme:
    return new_scheme()


@pytest.fixture
def phone(tee: Tee, payment_ta: str, scheme: Scheme) -> Iterator[Phone]:
    """A new card, enrolled, with 1000.00 CNY on it; no PIN set."""
    with a_new_card(tee, payment_ta, scheme) as phone:
        yield phone


def purchase(phone: Phone, scheme: Scheme, amount: int) -> Purchase:
    return scheme.pos.purchase(InProcessTransport(phone.card), amount)


def refused(phone: Phone, scheme: Scheme, amount: int) -> CardRefused:
    with pytest.raises(CardRefused) as refusal:
        purchase(phone, scheme, amount)
    return refusal.value


def send(card: PhoneCard, command: CommandApdu) -> ResponseApdu:
    return ResponseApdu.decode(card.process(command.encode()))


def assert_storage_refused(phone: Phone, scheme: Scheme) -> None:
    """The card of ``phone`` stopped: the storage is refused everywhere."""
    for ask in (phone.info, phone.balance):
        with pytest.raises(TeeError) as raised:
            ask()
        error = raised.value
        assert (error.code, error.origin) == (
            TEE_ERROR_CORRUPT_OBJECT,
            Origin.TRUSTED_APP,
        )
    # the POS's first command already fails: 6F00, the TA failed
    refusal = refused(phone, scheme, 100)
    assert refusal.sw == SW_TA_FAILED and "SELECT directory" in str(refusal)
    # by hand, the application is not there to select, so nothing is
    # signed nor read: the balance and the ATC are out of reach too
    card = phone.card
    assert send(card, commands.select_aid_command()).sw == SW_TA_FAILED
    assert send(card, commands.get_balance_command()).sw == SW_NOT_SATISFIED
    assert send(card, commands.get_atc_command()).sw == SW_NOT_SATISFIED


# ------------------------------------------------------ storage rollback


def test_storage_rolled_back_to_an_older_snapshot_is_refused(
    tee: Tee, phone: Phone, scheme: Scheme, payment_ta: str, tmp_path: Path
) -> None:
    uuid = payment_ta
    assert phone.balance() == 100000
    phone.close()
    snapshot = copy_storage(uuid, tmp_path / "snapshot")
    counter = counter_file(uuid).read_bytes()

    with a_phone(tee, uuid) as shopping:
        assert purchase(shopping, scheme, 1999).balance == 100000 - 1999
        assert purchase(shopping, scheme, 501).balance == 100000 - 2500
    newest = copy_storage(uuid, tmp_path / "newest")
    assert counter_file(uuid).read_bytes() != counter  # the counter moved on

    put_back(uuid, snapshot)  # the folder as it was at 1000.00 CNY
    for _ in range(2):  # refused each time: the storage is not repaired
        with a_phone(tee, uuid) as again:
            assert_storage_refused(again, scheme)
            assert again.display.balance is None  # no balance shown, old or new
        wait_stopped(uuid)

    # The refusal is the rollback's: the newest folder works again, with
    # the money spent still spent.
    put_back(uuid, newest)
    with a_phone(tee, uuid) as restored:
        info = restored.info()
        assert (info.balance, info.atc) == (100000 - 2500, 2)
        assert purchase(restored, scheme, 500).balance == 100000 - 3000


# ------------------------------------------------------------ PIN tries


def test_pin_tries_spent_are_not_given_back_by_a_rollback(
    tee: Tee, phone: Phone, scheme: Scheme, payment_ta: str, tmp_path: Path
) -> None:
    uuid = payment_ta
    tee.say(
        {
            "expect": ["Choose a PIN", "New PIN again"],
            "button": "validate",
            "entries": [PIN, PIN],
        }
    )
    phone.set_pin()
    assert phone.info().pin_tries == PAYMENT_PIN_TRIES
    phone.close()
    snapshot = copy_storage(uuid, tmp_path / "snapshot")

    # the attacker tries PINs on the trusted UI: two wrong ones
    tee.say({"expect": "Pay 500.00 CNY", "button": "validate", "entries": [WRONG_PIN]})
    shown = tee.screens(uuid)
    with a_phone(tee, uuid) as guessing:
        for left in range(PAYMENT_PIN_TRIES - 1, 0, -1):
            assert refused(guessing, scheme, ABOVE).sw == SW_SECURITY
            assert guessing.info().pin_tries == left
    assert tee.screens(uuid) == shown + PAYMENT_PIN_TRIES - 1
    newest = copy_storage(uuid, tmp_path / "newest")

    # puts back the storage of three tries left: no try, no screen
    put_back(uuid, snapshot)
    shown = tee.screens(uuid)
    with a_phone(tee, uuid) as again:
        assert_storage_refused(again, scheme)
        assert refused(again, scheme, ABOVE).sw == SW_TA_FAILED
        with pytest.raises(TeeError) as raised:
            again.set_pin()  # changing the PIN would take the current one
        assert raised.value.code == TEE_ERROR_CORRUPT_OBJECT
    assert tee.screens(uuid) == shown

    # the newest storage still counts the tries spent
    put_back(uuid, newest)
    with a_phone(tee, uuid) as restored:
        assert restored.info().pin_tries == 1


# ---------------------------------------------------------- predictable UN


def is_gpo(apdu: bytes) -> bool:
    return apdu[:2] == b"\x80\xa8"


class PrePlayDevice:
    """The attacker's device in front of a real POS (pre-play).

    Beforehand, with the victim's phone in hand, the attacker had the card
    answer SELECTs, a GPO for an unpredictable number and nonce of its
    guessing, and READ RECORDs (:meth:`record`).  In front of the POS the
    device answers those commands with the recorded answers, whatever UN
    and nonce the POS sends, and relays anything else (the DEBIT) to the
    phone, still held in its GPO's transaction.
    """

    def __init__(self, card: PhoneCard) -> None:
        self.card = card
        self.answers: dict[bytes, bytes] = {}
        self.gpo_answer = b""
        self.request: GpoRequest | None = None
        self.log: list[bytes] = []

    def _ask(self, command: CommandApdu) -> bytes:
        answer = self.card.process(command.encode())
        assert ResponseApdu.decode(answer).sw == SW_OK
        return answer

    def record(self, scheme: Scheme, amount: int, un: bytes, nonce: bytes) -> None:
        for command in (
            commands.select_directory_command(),
            commands.select_aid_command(),
        ):
            self.answers[command.encode()] = self._ask(command)
        self.request = GpoRequest(
            amount=amount,
            currency=CURRENCY_CNY,
            date=datetime.date.today(),
            type=TRANSACTION_PURCHASE,
            terminal_id=scheme.pos.terminal_id,
            unpredictable_number=un,
            nonce=nonce,
            suite=keys.SUITE_P256_SHA256_AES128GCM,
        )
        self.gpo_answer = self._ask(commands.gpo_command(self.request))
        for record in commands.RECORD_TAGS:
            command = commands.read_record_command(record)
            self.answers[command.encode()] = self._ask(command)

    def transmit(self, apdu: bytes) -> bytes:
        self.log.append(apdu)
        if is_gpo(apdu):
            return self.gpo_answer
        if apdu in self.answers:
            return self.answers[apdu]
        return self.card.process(apdu)

    def pos_requests(self) -> list[GpoRequest]:
        """The GPO requests the POS sent."""
        return [
            commands.parse_gpo_command(CommandApdu.decode(apdu).data)
            for apdu in self.log
            if is_gpo(apdu)
        ]


class KnownDraws:
    """The POS's ``secrets``, with a nonce known to the attacker and, if
    given, a UN too; anything else is drawn as usual."""

    def __init__(self, nonce: bytes, un: bytes | None = None) -> None:
        self.nonce = nonce
        self.un = un

    def token_bytes(self, size: int) -> bytes:
        if size == NONCE_SIZE:
            return self.nonce
        if size == UN_SIZE and self.un is not None:
            return self.un
        return secrets.token_bytes(size)


GUESSED_UN = bytes.fromhex("00000001")
KNOWN_NONCE = bytes(range(NONCE_SIZE))


def test_a_gpo_answer_pre_played_for_a_guessed_un_is_refused(
    phone: Phone, scheme: Scheme, monkeypatch: pytest.MonkeyPatch
) -> None:
    device = PrePlayDevice(phone.card)
    device.record(scheme, 1500, GUESSED_UN, KNOWN_NONCE)
    assert device.request is not None
    # what the attacker holds is a genuine answer, for its own request
    answer = commands.parse_gpo_answer(ResponseApdu.decode(device.gpo_answer).data)
    device_key = phone.device_certificate.public_key
    keys.verify(device_key, answer.message(device.request), answer.signature)
    before = phone.info()
    assert (before.atc, before.balance) == (1, 100000)

    # the worst case: only the UN is the POS's own
    monkeypatch.setattr(pos_module, "secrets", KnownDraws(KNOWN_NONCE))
    with pytest.raises(BadSignature):
        scheme.pos.purchase(device, 1500)
    (sent,) = device.pos_requests()
    assert sent.nonce == KNOWN_NONCE and sent.amount == 1500
    assert sent.unpredictable_number != GUESSED_UN
    assert not any(apdu[1] == commands.INS_DEBIT for apdu in device.log)
    after = phone.info()
    assert (after.atc, after.balance) == (1, 100000)


def test_the_same_pre_play_pays_when_the_un_is_guessed(
    phone: Phone, scheme: Scheme, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control of the test above: with a UN the attacker could predict,
    the pre-played answer passes every check of the POS and the victim
    pays, though the phone never came near the POS."""
    device = PrePlayDevice(phone.card)
    device.record(scheme, 1500, GUESSED_UN, KNOWN_NONCE)
    monkeypatch.setattr(pos_module, "secrets", KnownDraws(KNOWN_NONCE, GUESSED_UN))
    done = scheme.pos.purchase(device, 1500)
    (sent,) = device.pos_requests()
    assert sent.unpredictable_number == GUESSED_UN
    assert (done.atc, done.balance) == (1, 100000 - 1500)
    assert phone.info().balance == 100000 - 1500
