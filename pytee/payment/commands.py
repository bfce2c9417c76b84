"""The APDUs of the payment application, both sides (docs/payment.md).

The POS builds commands with the ``*_command`` functions and reads the
card's answers with the ``parse_*_answer`` ones; the card (the CA) reads
commands with ``parse_*_command`` and builds answers with the ``*_answer``
ones.  Every parser checks tags and lengths and raises
:class:`~pytee.payment.errors.WireError` (often its subclass ``TlvError``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pytee.payment import tlv
from pytee.payment.apdu import CommandApdu, chain
from pytee.payment.codec import (
    BytesLike,
    amount_from_bcd,
    amount_to_bcd,
    date_from_bcd,
    date_to_bcd,
)
from pytee.payment.errors import TlvError, WireError
from pytee.payment.keys import (
    PUBLIC_KEY_SIZE,
    SIGNATURE_SIZE,
    SUITE_P256_SHA256_AES128GCM,
)
from pytee.payment.wire import (
    TERMINAL_ID_SIZE,
    Certificate,
    DebitReceipt,
    DebitRequest,
    GpoRequest,
    GpoResponse,
    LoadAuthorisation,
    LoadChallenge,
    LoadReceipt,
)

__all__ = [
    "AID",
    "CLA_ISO",
    "CLA_PROPRIETARY",
    "DIRECTORY_NAME",
    "INS_CREDIT_LOAD",
    "INS_DEBIT",
    "INS_GET_BALANCE",
    "INS_GET_DATA",
    "INS_GPO",
    "INS_INIT_LOAD",
    "INS_READ_RECORD",
    "INS_SELECT",
    "LABEL",
    "LOAD_P1_CREDIT",
    "LOAD_P1_LAST",
    "PDOL",
    "RECORD_ACQUIRER_CERT",
    "RECORD_DEVICE_CERT",
    "RECORD_ISSUER_KEY",
    "RECORD_TAGS",
    "DirectoryEntry",
    "Fci",
    "application_fci",
    "atc_answer",
    "balance_answer",
    "credit_load_answer",
    "credit_load_command",
    "debit_answer",
    "debit_commands",
    "directory_fci",
    "get_atc_command",
    "get_balance_command",
    "gpo_answer",
    "gpo_command",
    "init_load_answer",
    "init_load_command",
    "last_load_answer",
    "last_load_command",
    "parse_atc_answer",
    "parse_balance_answer",
    "parse_credit_load_answer",
    "parse_credit_load_command",
    "parse_debit_answer",
    "parse_debit_command",
    "parse_directory_answer",
    "parse_fci_answer",
    "parse_gpo_answer",
    "parse_gpo_command",
    "parse_init_load_answer",
    "parse_last_load_answer",
    "parse_record_answer",
    "parse_record_command",
    "read_record_command",
    "record_answer",
    "select_aid_command",
    "select_directory_command",
]

AID = bytes.fromhex("F054454550415901")
DIRECTORY_NAME = b"2PAY.SYS.DDF01"
LABEL = b"TEEPAY"
PDOL = bytes.fromhex("9F02065F2A029A039C019F1C089F3704DF0210DF0102")

CLA_ISO = 0x00
CLA_PROPRIETARY = 0x80
INS_SELECT = 0xA4
INS_GPO = 0xA8
INS_READ_RECORD = 0xB2
INS_DEBIT = 0x54
INS_GET_BALANCE = 0x5C
INS_GET_DATA = 0xCA
INS_INIT_LOAD = 0x50
INS_CREDIT_LOAD = 0x52

RECORD_ISSUER_KEY = 1
RECORD_DEVICE_CERT = 2
RECORD_ACQUIRER_CERT = 3
_RECORD_P2 = 0x0C  # SFI 1, "record number in P1"

T_FCI = 0x6F
T_DF_NAME = 0x84
T_FCI_PROPRIETARY = 0xA5
T_FCI_DISCRETIONARY = 0xBF0C
T_DIRECTORY_ENTRY = 0x61
T_AID = 0x4F
T_LABEL = 0x50
T_PDOL = 0x9F38
T_SUITES = 0xDF01
T_AMOUNT = 0x9F02
T_CURRENCY = 0x5F2A
T_DATE = 0x9A
T_TYPE = 0x9C
T_TERMINAL_ID = 0x9F1C
T_UN = 0x9F37
T_NONCE = 0xDF02
T_SUITE = 0xDF01
T_COMMAND_TEMPLATE = 0x83
T_RESPONSE_TEMPLATE = 0x77
T_ATC = 0x9F36
T_HPKE = 0xDF03
T_SIGNATURE = 0x9F4B
T_RECORD = 0x70
T_SEQUENCE = 0xDF04
T_TERMINAL_CERT = 0xDF05
T_TERMINAL_SIGNATURE = 0xDF06
T_BALANCE = 0xDF07
T_RECEIPT_SIGNATURE = 0xDF08
T_CHALLENGE = 0xDF09
T_LOAD_COUNTER = 0xDF0A
T_DEVICE_ID = 0xDF0B
T_ISSUER_SIGNATURE = 0xDF0C
T_ISSUER_KEY = 0xDF10
T_DEVICE_CERT = 0xDF11
T_ACQUIRER_CERT = 0xDF12

RECORD_TAGS = {
    RECORD_ISSUER_KEY: T_ISSUER_KEY,
    RECORD_DEVICE_CERT: T_DEVICE_CERT,
    RECORD_ACQUIRER_CERT: T_ACQUIRER_CERT,
}
"""Which tag each record holds."""

_ATC_SIZE = 4
_BALANCE_SIZE = 8
_LOAD_COUNTER_SIZE = 4
LOAD_P1_CREDIT = 0x00
LOAD_P1_LAST = 0x01


def _only(items: Sequence[tlv.Tlv], tags: Iterable[int], what: str) -> None:
    """Refuse data objects other than ``tags`` (each at most once)."""
    allowed = set(tags)
    for item in items:
        if item.tag not in allowed:
            raise TlvError("%s: unexpected tag %X" % (what, item.tag))
    for tag in allowed:
        tlv.find(items, tag)


def _template(items: Sequence[tlv.Tlv], tag: int) -> list[tlv.Tlv]:
    """The children of the only constructed data object ``tag`` in ``items``."""
    item = tlv.find(items, tag)
    if item is None:
        raise TlvError("tag %X missing" % tag)
    return item.children()


def _u(value: bytes) -> int:
    return int.from_bytes(value, "big")


# -- SELECT -------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryEntry:
    """One application of the contactless directory."""

    aid: bytes
    label: bytes


@dataclass(frozen=True)
class Fci:
    """What SELECT of the application tells the terminal."""

    aid: bytes
    label: bytes
    pdol: bytes
    suites: tuple[int, ...]


def select_directory_command() -> CommandApdu:
    """``00 A4 04 00 0E 2PAY.SYS.DDF01 00``."""
    return CommandApdu(CLA_ISO, INS_SELECT, 0x04, 0x00, DIRECTORY_NAME, le=256)


def select_aid_command(aid: bytes = AID) -> CommandApdu:
    """``00 A4 04 00 08 F0 54 45 45 50 41 59 01 00``."""
    return CommandApdu(CLA_ISO, INS_SELECT, 0x04, 0x00, aid, le=256)


def directory_fci(entries: Iterable[DirectoryEntry]) -> bytes:
    """``6F { 84 name, A5 { BF0C { 61 { 4F aid, 50 label } ... } } }``."""
    apps = [
        tlv.constructed(
            T_DIRECTORY_ENTRY,
            tlv.primitive(T_AID, entry.aid),
            tlv.primitive(T_LABEL, entry.label),
        )
        for entry in entries
    ]
    return tlv.constructed(
        T_FCI,
        tlv.primitive(T_DF_NAME, DIRECTORY_NAME),
        tlv.constructed(T_FCI_PROPRIETARY, tlv.constructed(T_FCI_DISCRETIONARY, *apps)),
    )


def parse_directory_answer(data: BytesLike) -> list[DirectoryEntry]:
    """The applications that a directory FCI lists (other entries ignored)."""
    fci = tlv.decode_one(data, T_FCI).children()
    if tlv.value_of(fci, T_DF_NAME) != DIRECTORY_NAME:
        raise WireError("the FCI is not the contactless directory's")
    discretionary = _template(_template(fci, T_FCI_PROPRIETARY), T_FCI_DISCRETIONARY)
    entries = []
    for item in discretionary:
        if item.tag == T_DIRECTORY_ENTRY:
            app = item.children()
            aid = tlv.value_of(app, T_AID)
            entries.append(DirectoryEntry(aid, tlv.value_of(app, T_LABEL)))
    return entries


def application_fci(
    aid: bytes = AID,
    label: bytes = LABEL,
    pdol: bytes = PDOL,
    suites: Iterable[int] = (SUITE_P256_SHA256_AES128GCM,),
) -> bytes:
    """``6F { 84 AID, A5 { 50 label, 9F38 PDOL, DF01 suites } }``."""
    suite_bytes = b"".join(suite.to_bytes(2, "big") for suite in suites)
    return tlv.constructed(
        T_FCI,
        tlv.primitive(T_DF_NAME, aid),
        tlv.constructed(
            T_FCI_PROPRIETARY,
            tlv.primitive(T_LABEL, label),
            tlv.primitive(T_PDOL, pdol),
            tlv.primitive(T_SUITES, suite_bytes),
        ),
    )


def parse_fci_answer(data: BytesLike) -> Fci:
    """The application FCI; unknown proprietary data objects are ignored."""
    fci = tlv.decode_one(data, T_FCI).children()
    proprietary = _template(fci, T_FCI_PROPRIETARY)
    suites = tlv.value_of(proprietary, T_SUITES)
    if not suites or len(suites) % 2:
        raise WireError("the suite list is pairs of bytes, not %d bytes" % len(suites))
    return Fci(
        aid=tlv.value_of(fci, T_DF_NAME),
        label=tlv.value_of(proprietary, T_LABEL),
        pdol=tlv.value_of(proprietary, T_PDOL),
        suites=tuple(_u(suites[i : i + 2]) for i in range(0, len(suites), 2)),
    )


# -- GET PROCESSING OPTIONS ---------------------------------------------


def gpo_command(request: GpoRequest, pdol: bytes = PDOL) -> CommandApdu:
    """``80 A8 00 00 Lc 83 { PDOL values } 00``; the amount must fit n12."""
    values = {
        T_AMOUNT: amount_to_bcd(request.amount),
        T_CURRENCY: request.currency.to_bytes(2, "big"),
        T_DATE: date_to_bcd(request.date),
        T_TYPE: bytes([request.type]),
        T_TERMINAL_ID: request.terminal_id,
        T_UN: request.unpredictable_number,
        T_NONCE: request.nonce,
        T_SUITE: request.suite.to_bytes(2, "big"),
    }
    data = tlv.primitive(T_COMMAND_TEMPLATE, tlv.build_dol(pdol, values))
    return CommandApdu(CLA_PROPRIETARY, INS_GPO, 0x00, 0x00, data, le=256)


def parse_gpo_command(data: BytesLike, pdol: bytes = PDOL) -> GpoRequest:
    """The GPO request (the TA's layout) of a GPO command's data."""
    values = tlv.split_dol(pdol, tlv.decode_one(data, T_COMMAND_TEMPLATE).value)
    sizes = {T_CURRENCY: 2, T_TYPE: 1, T_SUITE: 2}
    for tag, size in sizes.items():
        if tag not in values or len(values[tag]) != size:
            raise WireError("the PDOL must ask %d bytes of tag %X" % (size, tag))
    for tag in (T_AMOUNT, T_DATE, T_TERMINAL_ID, T_UN, T_NONCE):
        if tag not in values:
            raise WireError("the PDOL does not ask tag %X" % tag)
    return GpoRequest(
        amount=amount_from_bcd(values[T_AMOUNT]),
        currency=_u(values[T_CURRENCY]),
        date=date_from_bcd(values[T_DATE]),
        type=values[T_TYPE][0],
        terminal_id=values[T_TERMINAL_ID],
        unpredictable_number=values[T_UN],
        nonce=values[T_NONCE],
        suite=_u(values[T_SUITE]),
    )


def gpo_answer(response: GpoResponse) -> bytes:
    """``77 { 9F36 ATC, DF03 HPKE, 9F4B signature }``."""
    return tlv.constructed(
        T_RESPONSE_TEMPLATE,
        tlv.primitive(T_ATC, response.atc.to_bytes(_ATC_SIZE, "big")),
        tlv.primitive(T_HPKE, response.hpke),
        tlv.primitive(T_SIGNATURE, response.signature),
    )


def parse_gpo_answer(data: BytesLike) -> GpoResponse:
    """The GPO response of a GPO answer."""
    items = tlv.decode_one(data, T_RESPONSE_TEMPLATE).children()
    _only(items, (T_ATC, T_HPKE, T_SIGNATURE), "GPO answer")
    return GpoResponse(
        atc=_u(tlv.value_of(items, T_ATC, _ATC_SIZE)),
        hpke=tlv.value_of(items, T_HPKE),
        signature=tlv.value_of(items, T_SIGNATURE, SIGNATURE_SIZE),
    )


# -- READ RECORD --------------------------------------------------------


def read_record_command(record: int) -> CommandApdu:
    """``00 B2 <record> 0C 00``."""
    if record not in RECORD_TAGS:
        raise ValueError("no record %d" % record)
    return CommandApdu(CLA_ISO, INS_READ_RECORD, record, _RECORD_P2, le=256)


def parse_record_command(command: CommandApdu) -> int:
    """The record number that a READ RECORD asks; another record raises."""
    if command.p2 != _RECORD_P2 or command.p1 not in RECORD_TAGS or command.data:
        raise WireError("no such record: P1 %02X P2 %02X" % (command.p1, command.p2))
    return command.p1


def record_answer(record: int, value: bytes) -> bytes:
    """``70 { DF10 issuer key | DF11 device cert | DF12 acquirer cert }``."""
    return tlv.constructed(T_RECORD, tlv.primitive(RECORD_TAGS[record], value))


def parse_record_answer(record: int, data: BytesLike) -> bytes:
    """The value of a record: the issuer key or a certificate's bytes."""
    items = tlv.decode_one(data, T_RECORD).children()
    tag = RECORD_TAGS[record]
    _only(items, (tag,), "record %d" % record)
    value = tlv.value_of(items, tag)
    if record == RECORD_ISSUER_KEY and len(value) != PUBLIC_KEY_SIZE:
        raise WireError("the issuer key record is %d bytes, not 65" % len(value))
    return value


# -- DEBIT --------------------------------------------------------------

_DEBIT_TAGS = (
    T_ATC,
    T_AMOUNT,
    T_TERMINAL_ID,
    T_SEQUENCE,
    T_TERMINAL_CERT,
    T_TERMINAL_SIGNATURE,
)


def debit_commands(request: DebitRequest) -> list[CommandApdu]:
    """``80 54 01 00`` with the debit's data objects, chained when over 255."""
    data = b"".join(
        (
            tlv.primitive(T_ATC, request.atc.to_bytes(_ATC_SIZE, "big")),
            tlv.primitive(T_AMOUNT, amount_to_bcd(request.amount)),
            tlv.primitive(T_TERMINAL_ID, request.terminal_id),
            tlv.primitive(T_SEQUENCE, request.sequence.to_bytes(4, "big")),
            tlv.primitive(T_TERMINAL_CERT, request.terminal_certificate.encode()),
            tlv.primitive(T_TERMINAL_SIGNATURE, request.signature),
        )
    )
    return chain(CLA_PROPRIETARY, INS_DEBIT, 0x01, 0x00, data, le=256)


def parse_debit_command(data: BytesLike) -> DebitRequest:
    """The debit request of a DEBIT's (joined) data: six data objects."""
    items = tlv.decode(data)
    _only(items, _DEBIT_TAGS, "DEBIT")
    return DebitRequest(
        atc=_u(tlv.value_of(items, T_ATC, _ATC_SIZE)),
        amount=amount_from_bcd(tlv.value_of(items, T_AMOUNT)),
        terminal_id=tlv.value_of(items, T_TERMINAL_ID, TERMINAL_ID_SIZE),
        sequence=_u(tlv.value_of(items, T_SEQUENCE, 4)),
        terminal_certificate=Certificate.decode(tlv.value_of(items, T_TERMINAL_CERT)),
        signature=tlv.value_of(items, T_TERMINAL_SIGNATURE, SIGNATURE_SIZE),
    )


def debit_answer(receipt: DebitReceipt) -> bytes:
    """``77 { DF07 balance, DF08 receipt signature }``."""
    return tlv.constructed(
        T_RESPONSE_TEMPLATE,
        tlv.primitive(T_BALANCE, receipt.balance.to_bytes(_BALANCE_SIZE, "big")),
        tlv.primitive(T_RECEIPT_SIGNATURE, receipt.signature),
    )


def parse_debit_answer(data: BytesLike) -> DebitReceipt:
    items = tlv.decode_one(data, T_RESPONSE_TEMPLATE).children()
    _only(items, (T_BALANCE, T_RECEIPT_SIGNATURE), "DEBIT answer")
    return DebitReceipt(
        balance=_u(tlv.value_of(items, T_BALANCE, _BALANCE_SIZE)),
        signature=tlv.value_of(items, T_RECEIPT_SIGNATURE, SIGNATURE_SIZE),
    )


# -- GET BALANCE, GET DATA ----------------------------------------------


def get_balance_command() -> CommandApdu:
    """``80 5C 00 02 00``."""
    return CommandApdu(CLA_PROPRIETARY, INS_GET_BALANCE, 0x00, 0x02, le=256)


def balance_answer(balance: int) -> bytes:
    return tlv.primitive(T_BALANCE, balance.to_bytes(_BALANCE_SIZE, "big"))


def parse_balance_answer(data: BytesLike) -> int:
    return _u(tlv.value_of(tlv.decode(data), T_BALANCE, _BALANCE_SIZE))


def get_atc_command() -> CommandApdu:
    """``80 CA 9F 36 00``."""
    return CommandApdu(CLA_PROPRIETARY, INS_GET_DATA, 0x9F, 0x36, le=256)


def atc_answer(atc: int) -> bytes:
    return tlv.primitive(T_ATC, atc.to_bytes(_ATC_SIZE, "big"))


def parse_atc_answer(data: BytesLike) -> int:
    return _u(tlv.value_of(tlv.decode(data), T_ATC, _ATC_SIZE))


# -- INITIALIZE FOR LOAD, CREDIT FOR LOAD (S1 at a load device) -------------


def init_load_command() -> CommandApdu:
    """``80 50 00 00 00``."""
    return CommandApdu(CLA_PROPRIETARY, INS_INIT_LOAD, 0x00, 0x00, le=256)


def init_load_answer(challenge: LoadChallenge) -> bytes:
    """``77 { DF09 challenge, DF0A load counter, DF0B device id }``."""
    return tlv.constructed(
        T_RESPONSE_TEMPLATE,
        tlv.primitive(T_CHALLENGE, challenge.challenge),
        tlv.primitive(
            T_LOAD_COUNTER, challenge.counter.to_bytes(_LOAD_COUNTER_SIZE, "big")
        ),
        tlv.primitive(T_DEVICE_ID, challenge.device_id),
    )


def parse_init_load_answer(data: BytesLike) -> LoadChallenge:
    items = tlv.decode_one(data, T_RESPONSE_TEMPLATE).children()
    _only(items, (T_CHALLENGE, T_LOAD_COUNTER, T_DEVICE_ID), "INITIALIZE FOR LOAD")
    return LoadChallenge(
        challenge=tlv.value_of(items, T_CHALLENGE),
        counter=_u(tlv.value_of(items, T_LOAD_COUNTER, _LOAD_COUNTER_SIZE)),
        device_id=tlv.value_of(items, T_DEVICE_ID),
    )


def credit_load_command(authorisation: LoadAuthorisation) -> CommandApdu:
    """``80 52 00 00 Lc { DF0A load counter, 9F02 amount, DF0C issuer
    signature } 00``; the amount must fit n12."""
    data = b"".join(
        (
            tlv.primitive(
                T_LOAD_COUNTER,
                authorisation.counter.to_bytes(_LOAD_COUNTER_SIZE, "big"),
            ),
            tlv.primitive(T_AMOUNT, amount_to_bcd(authorisation.amount)),
            tlv.primitive(T_ISSUER_SIGNATURE, authorisation.signature),
        )
    )
    return CommandApdu(
        CLA_PROPRIETARY, INS_CREDIT_LOAD, LOAD_P1_CREDIT, 0x00, data, le=256
    )


def parse_credit_load_command(data: BytesLike) -> LoadAuthorisation:
    """The issuer's load authorisation of a CREDIT FOR LOAD's data."""
    items = tlv.decode(data)
    _only(items, (T_LOAD_COUNTER, T_AMOUNT, T_ISSUER_SIGNATURE), "CREDIT FOR LOAD")
    return LoadAuthorisation(
        counter=_u(tlv.value_of(items, T_LOAD_COUNTER, _LOAD_COUNTER_SIZE)),
        amount=amount_from_bcd(tlv.value_of(items, T_AMOUNT)),
        signature=tlv.value_of(items, T_ISSUER_SIGNATURE, SIGNATURE_SIZE),
    )


def _load_receipt_items(receipt: LoadReceipt) -> tuple[bytes, bytes, bytes]:
    return (
        tlv.primitive(
            T_LOAD_COUNTER, receipt.counter.to_bytes(_LOAD_COUNTER_SIZE, "big")
        ),
        tlv.primitive(T_BALANCE, receipt.balance.to_bytes(_BALANCE_SIZE, "big")),
        tlv.primitive(T_RECEIPT_SIGNATURE, receipt.signature),
    )


def _parse_load_receipt(items: Sequence[tlv.Tlv]) -> LoadReceipt:
    return LoadReceipt(
        counter=_u(tlv.value_of(items, T_LOAD_COUNTER, _LOAD_COUNTER_SIZE)),
        balance=_u(tlv.value_of(items, T_BALANCE, _BALANCE_SIZE)),
        signature=tlv.value_of(items, T_RECEIPT_SIGNATURE, SIGNATURE_SIZE),
    )


def credit_load_answer(receipt: LoadReceipt) -> bytes:
    """``77 { DF0A load counter, DF07 balance, DF08 receipt signature }``."""
    return tlv.constructed(T_RESPONSE_TEMPLATE, *_load_receipt_items(receipt))


def parse_credit_load_answer(data: BytesLike) -> LoadReceipt:
    items = tlv.decode_one(data, T_RESPONSE_TEMPLATE).children()
    _only(
        items,
        (T_LOAD_COUNTER, T_BALANCE, T_RECEIPT_SIGNATURE),
        "CREDIT FOR LOAD answer",
    )
    return _parse_load_receipt(items)


def last_load_command() -> CommandApdu:
    """``80 52 01 00 00``: the receipt of the last load credited, again."""
    return CommandApdu(CLA_PROPRIETARY, INS_CREDIT_LOAD, LOAD_P1_LAST, 0x00, le=256)


def last_load_answer(receipt: LoadReceipt, amount: int) -> bytes:
    """``77 { DF0A load counter, 9F02 amount, DF07 balance, DF08 receipt
    signature }``; the amount must fit n12."""
    counter, balance, signature = _load_receipt_items(receipt)
    return tlv.constructed(
        T_RESPONSE_TEMPLATE,
        counter,
        tlv.primitive(T_AMOUNT, amount_to_bcd(amount)),
        balance,
        signature,
    )


def parse_last_load_answer(data: BytesLike) -> tuple[LoadReceipt, int]:
    """The receipt of the last load and its amount."""
    items = tlv.decode_one(data, T_RESPONSE_TEMPLATE).children()
    tags = (T_LOAD_COUNTER, T_AMOUNT, T_BALANCE, T_RECEIPT_SIGNATURE)
    _only(items, tags, "last load answer")
    return _parse_load_receipt(items), amount_from_bcd(tlv.value_of(items, T_AMOUNT))
