"""The phone's CA (pytee.payment.card, pytee.payment.phone) with the real
payment TA, end to end: the wallet enrols and tops up through the client
API, a POS terminal (pytee.payment.pos) pays over the in-process transport.
Each test runs with the C TA and with its Python twin (ta_python/payment.py),
which answer the CA alike (test ids ``[c]``, ``[python]``).

Each test starts from a new card: the TA's storage folder and rollback
counter are removed while no instance of it runs, as test_payment_ta.py
does, which only the software TEE allows.
"""

from __future__ import annotations

import datetime
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from storage_ta import counter_file, storage_folder
from tee_helpers import hosts_of, wait_until

from pytee import Context, PartialIn, PartialOut, Session, SharedMemory
from pytee.payment import commands, keys
from pytee.payment.apdu import CommandApdu, ResponseApdu, chain
from pytee.payment.card import PhoneCard
from pytee.payment.demo import Scheme, new_scheme
from pytee.payment.errors import BadSignature, CardRefused, TransportError
from pytee.payment.phone import Declined, Phone
from pytee.payment.ta_client import PaymentTa
from pytee.payment.ta_ids import (
    PAYMENT_CMD_DEBIT,
    PAYMENT_CMD_GPO,
    TA_PAYMENT_PY_UUID,
    TA_PAYMENT_UUID,
)
from pytee.payment.transport import InProcessTransport
from pytee.payment.ui import ScriptedPrompter
from pytee.payment.wire import (
    CURRENCY_CNY,
    Certificate,
    DebitReceipt,
    DebitRequest,
    GpoRequest,
    LoadReceipt,
    debit_message,
)

pytestmark = pytest.mark.software_tee

TODAY = datetime.date.today()

#: The payment TA in C and its Python twin, by their UUIDs.
PAYMENT_TAS = {"c": TA_PAYMENT_UUID, "python": TA_PAYMENT_PY_UUID}


@pytest.fixture(scope="module", params=sorted(PAYMENT_TAS))
def payment_ta(request: pytest.FixtureRequest) -> str:
    """The UUID of the payment TA in C, then of its Python twin: a test
    that uses it (through ``blank_phone``, ``phone``) runs with each."""
    return PAYMENT_TAS[request.param]


def reset_card(uuid: str) -> None:
    """Forget the card of the TA ``uuid``: its storage, once no instance of
    the TA is left."""
    assert wait_until(lambda: not hosts_of(uuid)), "payment TA running"
    shutil.rmtree(storage_folder(uuid), ignore_errors=True)
    counter_file(uuid).unlink(missing_ok=True)


@pytest.fixture
def scheme() -> Scheme:
    return new_scheme()


@pytest.fixture
def blank_phone(context: Context, payment_ta: str) -> Iterator[Phone]:
    """A phone whose TA has never been used; the user says yes to all."""
    reset_card(payment_ta)
    prompter = ScriptedPrompter([True] * 8)
    with Phone(context, prompter=prompter, uuid=payment_ta) as phone:
        yield phone


@pytest.fixture
def phone(blank_phone: Phone, scheme: Scheme) -> Phone:
    """An enrolled phone with 100.00 CNY loaded."""
    blank_phone.enrol(scheme.issuer, scheme.acquirer.certificate)
    blank_phone.top_up(scheme.issuer, 10000)
    return blank_phone


# -- talking APDUs by hand ------------------------------------------------


def send(card: PhoneCard, command: CommandApdu | bytes) -> ResponseApdu:
    raw = command.encode() if isinstance(command, CommandApdu) else command
    return ResponseApdu.decode(card.process(raw))


def select(card: PhoneCard, name: bytes = commands.AID) -> ResponseApdu:
    return send(card, CommandApdu(0x00, 0xA4, 0x04, 0x00, name, le=256))


def gpo_request(scheme: Scheme, amount: int = 1500) -> GpoRequest:
    return GpoRequest(
        amount=amount,
        currency=CURRENCY_CNY,
        date=TODAY,
        type=0,
        terminal_id=scheme.pos.terminal_id,
        unpredictable_number=bytes(4),
        nonce=bytes(range(16)),
        suite=keys.SUITE_P256_SHA256_AES128GCM,
    )


def gpo(card: PhoneCard, request: GpoRequest) -> ResponseApdu:
    return send(card, commands.gpo_command(request))


@dataclass
class Terminal:
    """A terminal of the scheme (the POS's id) whose key the test holds, to
    sign DEBITs by hand."""

    key: ec.EllipticCurvePrivateKey
    certificate: Certificate

    @classmethod
    def of(cls, scheme: Scheme) -> Terminal:
        key = keys.generate_private_key()
        certificate = scheme.issuer.certify_terminal(
            scheme.pos.terminal_id, keys.public_key_bytes(key.public_key()), "Shop"
        )
        return cls(key, certificate)

    def debit(
        self, device_id: bytes, atc: int, request: GpoRequest, sequence: int = 1
    ) -> list[CommandApdu]:
        message = debit_message(
            device_id,
            atc,
            request.amount,
            request.currency,
            request.terminal_id,
            sequence,
            request.nonce,
        )
        debit = DebitRequest(
            atc,
            request.amount,
            request.terminal_id,
            sequence,
            self.certificate,
            keys.sign(self.key, message),
        )
        return commands.debit_commands(debit)


def send_debit(card: PhoneCard, parts: list[CommandApdu]) -> ResponseApdu:
    for part in parts[:-1]:
        assert send(card, part).sw == 0x9000
    return send(card, parts[-1])


# -- the whole flow ---------------------------------------------------------


def test_enrol_top_up_and_purchases(blank_phone: Phone, scheme: Scheme) -> None:
    phone = blank_phone
    device = phone.enrol(scheme.issuer, scheme.acquirer.certificate)
    assert phone.info().enrolled
    assert device.public_key == phone.device_certificate.public_key
    assert phone.balance() == 0
    receipt = phone.top_up(scheme.issuer, 10000)
    assert (receipt.counter, receipt.balance) == (0, 10000)
    phone.top_up(scheme.issuer, 2500)
    transport = InProcessTransport(phone.card)
    first = scheme.pos.purchase(transport, 1999)
    second = scheme.pos.purchase(transport, 501)
    assert (first.atc, second.atc) == (1, 2)
    assert second.balance == 10000 + 2500 - 1999 - 501 == phone.balance()
    info = phone.info()
    assert (info.atc, info.load_counter) == (2, 2)
    history = [(e.kind, e.amount, e.balance) for e in phone.display.history]
    assert history == [
        ("load", 10000, 10000),
        ("load", 2500, 12500),
        ("purchase", 1999, 10501),
        ("purchase", 501, 10000),
    ]
    assert phone.display.balance == 10000
    # The info APDUs say what the TA says.
    assert select(phone.card).ok
    balance = send(phone.card, commands.get_balance_command())
    assert commands.parse_balance_answer(balance.check()) == 10000
    atc = send(phone.card, commands.get_atc_command())
    assert commands.parse_atc_answer(atc.check()) == 2


def test_the_user_is_asked_and_a_no_stops_enrolment(
    context: Context, payment_ta: str, scheme: Scheme
) -> None:
    reset_card(payment_ta)
    prompter = ScriptedPrompter([False])
    with Phone(context, prompter=prompter, uuid=payment_ta) as phone:
        with pytest.raises(Declined):
            phone.enrol(scheme.issuer, scheme.acquirer.certificate)
        assert not phone.info().has_key
        assert prompter.questions == ["Enrol this phone for payments with the issuer?"]


def test_a_top_up_receipt_that_does_not_verify_is_refused(
    phone: Phone, scheme: Scheme, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = PaymentTa.credit_load

    def lying(self: PaymentTa, authorisation: bytes) -> bytes:
        receipt = LoadReceipt.decode(real(self, authorisation))
        return LoadReceipt(
            receipt.counter, receipt.balance + 1, receipt.signature
        ).encode()

    monkeypatch.setattr(PaymentTa, "credit_load", lying)
    with pytest.raises(BadSignature):
        phone.top_up(scheme.issuer, 500)
    assert phone.display.balance == 10000


def test_gpo_and_debit_use_two_windows_of_one_shared_block(
    phone: Phone, scheme: Scheme, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[int, tuple[object, ...]]] = []
    real = Session.invoke

    def spy(self: Session, command: int, *params: object, **kw: object) -> object:
        calls.append((command, params))
        return real(self, command, *params, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Session, "invoke", spy)
    scheme.pos.purchase(InProcessTransport(phone.card), 700)
    big = [
        params
        for command, params in calls
        if command in (PAYMENT_CMD_GPO, PAYMENT_CMD_DEBIT)
    ]
    assert len(big) == 2
    blocks = set()
    for params in big:
        assert [type(p) for p in params] == [PartialIn, PartialOut]
        first, second = params
        assert isinstance(first, PartialIn) and isinstance(second, PartialOut)
        assert first.offset == 0 and second.offset == first.size
        blocks.add(id(first.shared_memory))
        assert isinstance(first.shared_memory, SharedMemory)
        assert second.shared_memory is first.shared_memory
    assert len(blocks) == 1


# -- what the field sees ------------------------------------------------------


class Recorder:
    """A transport that keeps every APDU and answer, as anyone near the
    field may."""

    def __init__(self, card: PhoneCard) -> None:
        self.card = card
        self.log: list[tuple[bytes, bytes]] = []

    def transmit(self, apdu: bytes) -> bytes:
        answer = self.card.process(apdu)
        self.log.append((apdu, answer))
        return answer


def _clear_forms(token: str, expiry: str) -> list[bytes]:
    """The token as ASCII and as BCD (EMV's PAN), whole and its last 8
    digits, and the expiry as ASCII."""

    def bcd(digits: str) -> bytes:
        return bytes.fromhex(digits + "F" * (len(digits) % 2))

    return [
        token.encode(),
        bcd(token),
        token[-8:].encode(),
        bcd(token[-8:]),
        expiry.encode(),
    ]


def test_the_token_travels_only_inside_the_hpke_ciphertext(
    phone: Phone, scheme: Scheme
) -> None:
    token, expiry = scheme.issuer.device_card(phone.device_certificate.subject_id)
    assert phone.token == token
    link = Recorder(phone.card)
    done = scheme.pos.purchase(link, 1500)
    assert done.token == token  # the acquirer's key finds it in the ciphertext
    reads = [a for c, a in link.log if c[1] == commands.INS_READ_RECORD]
    assert len(reads) == 3 and all(ResponseApdu.decode(a).ok for a in reads)
    (hpke,) = [
        commands.parse_gpo_answer(ResponseApdu.decode(a).check()).hpke
        for c, a in link.log
        if c[1] == commands.INS_GPO
    ]
    transcript = b"".join(command + answer for command, answer in link.log)
    assert transcript.count(hpke) == 1
    outside = transcript.replace(hpke, b"")
    for form in _clear_forms(token, expiry):
        for answer in reads:
            assert form not in answer, "READ RECORD gives out %r" % form
        assert form not in outside, "%r in clear on the link" % form
    device = Certificate.decode(
        commands.parse_record_answer(2, ResponseApdu.decode(reads[1]).check())
    )
    assert device.extra == b"" and device == phone.device_certificate


# -- order and selection ---------------------------------------------------


def test_gpo_before_select_is_6985(phone: Phone, scheme: Scheme) -> None:
    assert gpo(phone.card, gpo_request(scheme)).sw == 0x6985
    assert phone.info().atc == 0


def test_debit_without_gpo_is_6985(phone: Phone, scheme: Scheme) -> None:
    terminal = Terminal.of(scheme)
    device_id = phone.device_certificate.subject_id
    parts = terminal.debit(device_id, 1, gpo_request(scheme))
    assert send_debit(phone.card, parts).sw == 0x6985  # nothing selected
    assert select(phone.card).ok
    assert send_debit(phone.card, parts).sw == 0x6985  # selected, no GPO
    assert phone.balance() == 10000


def test_a_debit_signed_by_the_terminal_after_gpo_is_paid(
    phone: Phone, scheme: Scheme
) -> None:
    terminal = Terminal.of(scheme)
    request = gpo_request(scheme, 1500)
    assert select(phone.card).ok
    answer = commands.parse_gpo_answer(gpo(phone.card, request).check())
    parts = terminal.debit(phone.device_certificate.subject_id, answer.atc, request)
    receipt = commands.parse_debit_answer(send_debit(phone.card, parts).check())
    assert receipt.balance == 8500 == phone.balance()


def test_a_debit_of_another_amount_than_gpo_is_6985(
    phone: Phone, scheme: Scheme
) -> None:
    terminal = Terminal.of(scheme)
    request = gpo_request(scheme, 1500)
    assert select(phone.card).ok
    answer = commands.parse_gpo_answer(gpo(phone.card, request).check())
    other = replace(request, amount=15)
    parts = terminal.debit(phone.device_certificate.subject_id, answer.atc, other)
    assert send_debit(phone.card, parts).sw == 0x6985
    assert phone.balance() == 10000


def test_a_wrong_aid_is_6a82(phone: Phone) -> None:
    assert select(phone.card, bytes.fromhex("A0000000031010")).sw == 0x6A82
    assert not phone.card.selected


def test_a_card_not_enrolled_has_no_directory_and_no_application(
    blank_phone: Phone,
) -> None:
    assert select(blank_phone.card, commands.DIRECTORY_NAME).sw == 0x6A82
    assert select(blank_phone.card).sw == 0x6A82


def test_the_directory_lists_the_application(phone: Phone) -> None:
    answer = select(phone.card, commands.DIRECTORY_NAME).check()
    entries = commands.parse_directory_answer(answer)
    assert [(e.aid, e.label) for e in entries] == [(commands.AID, b"TEEPAY")]
    fci = commands.parse_fci_answer(select(phone.card).check())
    assert fci.suites == (1,) and fci.pdol == commands.PDOL


def test_a_new_select_ends_the_transaction(phone: Phone, scheme: Scheme) -> None:
    terminal = Terminal.of(scheme)
    request = gpo_request(scheme)
    assert select(phone.card).ok
    answer = commands.parse_gpo_answer(gpo(phone.card, request).check())
    assert select(phone.card).ok  # the same application again
    parts = terminal.debit(phone.device_certificate.subject_id, answer.atc, request)
    assert send_debit(phone.card, parts).sw == 0x6985
    # Selecting the directory ends it too; the application must come again.
    assert select(phone.card, commands.DIRECTORY_NAME).ok
    assert gpo(phone.card, request).sw == 0x6985
    assert select(phone.card).ok
    again = commands.parse_gpo_answer(gpo(phone.card, request).check())
    assert again.atc == answer.atc + 1
    assert phone.balance() == 10000


def test_power_off_mid_transaction_then_a_new_purchase(
    phone: Phone, scheme: Scheme
) -> None:
    terminal = Terminal.of(scheme)
    request = gpo_request(scheme)
    assert select(phone.card).ok
    answer = commands.parse_gpo_answer(gpo(phone.card, request).check())
    phone.card.power_off()
    parts = terminal.debit(phone.device_certificate.subject_id, answer.atc, request)
    assert send_debit(phone.card, parts).sw == 0x6985
    assert send(phone.card, commands.get_balance_command()).sw == 0x6985
    purchase = scheme.pos.purchase(InProcessTransport(phone.card), 1200)
    assert purchase.atc == answer.atc + 1  # the lost transaction spent an ATC
    assert purchase.balance == 8800 == phone.balance()


# -- the display copy is not the balance -------------------------------------


def test_an_edited_display_balance_changes_nothing_in_the_ta(
    phone: Phone, scheme: Scheme
) -> None:
    phone.display.balance = 100_000_000
    transport = InProcessTransport(phone.card)
    with pytest.raises(CardRefused) as refused:
        scheme.pos.purchase(transport, 20000)
    assert refused.value.sw == 0x6985
    assert phone.info().balance == 10000
    assert phone.display.balance == 100_000_000  # the CA's copy, as edited
    purchase = scheme.pos.purchase(transport, 2000)
    assert purchase.balance == 8000
    assert phone.display.balance == 8000  # set again from the signed receipt
    assert phone.balance() == 8000


def test_the_display_takes_only_receipts_the_ta_signed(
    phone: Phone, scheme: Scheme, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = PaymentTa.debit

    def forged(self: PaymentTa, request: bytes) -> bytes:
        receipt = DebitReceipt.decode(real(self, request))
        return DebitReceipt(receipt.balance + 5000, receipt.signature).encode()

    monkeypatch.setattr(PaymentTa, "debit", forged)
    with pytest.raises(BadSignature):  # the POS checks the receipt too
        scheme.pos.purchase(InProcessTransport(phone.card), 1000)
    assert phone.display.balance == 10000
    assert [e.kind for e in phone.display.history] == ["load"]
    assert isinstance(phone.prompter, ScriptedPrompter)
    assert "did not verify" in phone.prompter.messages[-1]
    assert phone.balance() == 9000


# -- tearing ----------------------------------------------------------------


class FieldDrop:
    """A transport whose field drops once, just after the card answered the
    last part of a DEBIT: the answer is lost and the card powers off."""

    def __init__(self, card: PhoneCard) -> None:
        self.card = card
        self.drops = 1
        self.debits = 0

    def transmit(self, apdu: bytes) -> bytes:
        answer = self.card.process(apdu)
        last_debit_part = apdu[1] == commands.INS_DEBIT and apdu[0] == 0x80
        if last_debit_part:
            self.debits += 1
        if last_debit_part and self.drops:
            self.drops -= 1
            self.card.power_off()
            raise TransportError("the field dropped")
        return answer


def test_a_lost_debit_answer_is_retried_and_debits_once(
    context: Context, blank_phone: Phone
) -> None:
    scheme = new_scheme(debit_retries=1)
    blank_phone.enrol(scheme.issuer, scheme.acquirer.certificate)
    blank_phone.top_up(scheme.issuer, 10000)
    transport = FieldDrop(blank_phone.card)
    purchase = scheme.pos.purchase(transport, 3000)
    assert transport.debits == 2
    assert purchase.balance == 7000 == blank_phone.balance()
    purchases = [e for e in blank_phone.display.history if e.kind == "purchase"]
    assert len(purchases) == 1
    assert blank_phone.info().atc == 1


def test_a_lost_debit_answer_without_retry_still_debited_once(
    blank_phone: Phone,
) -> None:
    scheme = new_scheme(debit_retries=0)
    blank_phone.enrol(scheme.issuer, scheme.acquirer.certificate)
    blank_phone.top_up(scheme.issuer, 10000)
    with pytest.raises(TransportError):
        scheme.pos.purchase(FieldDrop(blank_phone.card), 3000)
    assert blank_phone.balance() == 7000
    # The next purchase is a new transaction.
    purchase = scheme.pos.purchase(InProcessTransport(blank_phone.card), 1000)
    assert (purchase.atc, purchase.balance) == (2, 6000)


# -- status words of the APDU layer -------------------------------------------


@pytest.mark.parametrize(
    ("apdu", "sw"),
    [
        ("A0A4040008F05445455041590100", 0x6E00),  # wrong class
        ("00A8000000", 0x6E00),  # GPO is proprietary (80)
        ("8020000000", 0x6D00),  # unknown instruction
        ("80", 0x6700),  # too short
        ("00A40400", 0x6700),  # SELECT without a name
        ("00A4040008F054454550", 0x6700),  # Lc longer than the data
        ("00A4010008F05445455041590100", 0x6A86),  # SELECT by file id
        ("10A4040008F05445455041590100", 0x6884),  # chained SELECT
    ],
)
def test_malformed_commands(phone: Phone, apdu: str, sw: int) -> None:
    assert send(phone.card, bytes.fromhex(apdu)).sw == sw


def test_info_and_records_need_the_application(phone: Phone) -> None:
    for command in (
        commands.get_balance_command(),
        commands.get_atc_command(),
        commands.read_record_command(2),
    ):
        assert send(phone.card, command).sw == 0x6985
    assert select(phone.card).ok
    assert send(phone.card, CommandApdu(0x00, 0xB2, 0x04, 0x0C, le=256)).sw == 0x6A83
    assert send(phone.card, CommandApdu(0x80, 0xCA, 0x9F, 0x13, le=256)).sw == 0x6A88
    with_data = CommandApdu(0x80, 0x5C, 0x00, 0x02, b"\x00", le=256)
    assert send(phone.card, with_data).sw == 0x6700
    issuer_key = send(phone.card, commands.read_record_command(1)).check()
    assert len(commands.parse_record_answer(1, issuer_key)) == 65


@pytest.mark.parametrize(
    ("change", "sw"),
    [
        (lambda data: b"\x83\x29" + data[2:-1], 0x6700),  # one PDOL byte short
        (lambda data: data + b"\x00", 0x6A80),  # not one data object
        (lambda data: data[:-1], 0x6A80),  # the 83 template is truncated
        (lambda data: b"\x84" + data[1:], 0x6A80),  # not the 83 template
        (lambda data: data[:2] + bytes(5) + b"\xaa" + data[8:], 0x6A80),  # BCD
    ],
)
def test_malformed_gpo_data(
    phone: Phone, scheme: Scheme, change: Callable[[bytes], bytes], sw: int
) -> None:
    command = commands.gpo_command(gpo_request(scheme))
    assert select(phone.card).ok
    data = change(command.data)
    bad = CommandApdu(0x80, 0xA8, 0x00, 0x00, data, le=256)
    assert send(phone.card, bad).sw == sw
    assert phone.info().atc == 0


def test_gpo_for_another_currency_is_refused_by_the_ta_as_6a80(
    phone: Phone, scheme: Scheme
) -> None:
    request = replace(gpo_request(scheme), currency=0x0840)
    assert select(phone.card).ok
    assert gpo(phone.card, request).sw == 0x6A80
    assert phone.info().atc == 0


def test_a_short_le_gives_61xx_and_get_response_the_rest(phone: Phone) -> None:
    answer = select(phone.card, commands.DIRECTORY_NAME).check()
    command = CommandApdu(0x00, 0xA4, 0x04, 0x00, commands.DIRECTORY_NAME, le=16)
    first = send(phone.card, command)
    assert first.sw == 0x6100 | (len(answer) - 16)
    rest = send(phone.card, CommandApdu(0x00, 0xC0, 0x00, 0x00, le=first.sw2))
    assert rest.sw == 0x9000
    assert first.data + rest.data == answer
    assert send(phone.card, CommandApdu(0x00, 0xC0, 0x00, 0x00, le=1)).sw == 0x6985


def test_another_command_in_a_debit_chain_drops_it(
    phone: Phone, scheme: Scheme
) -> None:
    terminal = Terminal.of(scheme)
    request = gpo_request(scheme, 1500)
    assert select(phone.card).ok
    answer = commands.parse_gpo_answer(gpo(phone.card, request).check())
    parts = terminal.debit(phone.device_certificate.subject_id, answer.atc, request)
    assert len(parts) == 2
    assert send(phone.card, parts[0]).ok
    assert send(phone.card, commands.get_atc_command()).ok
    assert send(phone.card, parts[1]).sw == 0x6A80  # half a DEBIT
    receipt = send_debit(phone.card, parts)
    assert commands.parse_debit_answer(receipt.check()).balance == 8500


def test_debit_parts_of_another_instruction_are_6884(phone: Phone) -> None:
    parts = chain(0x80, 0xA8, 0x00, 0x00, bytes(300), le=256)
    assert send(phone.card, parts[0]).sw == 0x6884
