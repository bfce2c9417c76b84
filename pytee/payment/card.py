"""The phone's client application (CA), card side: the POS's APDUs.

:class:`PhoneCard` is the card that a POS terminal talks to (it implements
:class:`~pytee.payment.transport.Card`): it answers each command APDU of
docs/payment.md, "APDUs", by asking the payment TA through a
:class:`~pytee.payment.ta_client.PaymentTa` session.  The TA decides
everything that counts (state machine, ATC, balance, signatures); the CA
parses and builds the BER-TLV, relays the core data through shared memory,
maps the TA's results to status words and keeps the display copy of the
balance and history (:class:`~pytee.payment.ui.Display`).

A new SELECT or :meth:`PhoneCard.power_off` ends the transaction: every
SELECT sends the TA's SELECT (which resets it), and the CA takes a GPO only
after the application's; a power-off ends the TA session, whose next
command opens a new one.
A DEBIT is always relayed, whatever the state: the TA answers a retried
DEBIT (after a lost answer and a power-off) with the same receipt.

Status words: ``6E00`` wrong class, ``6D00`` unknown instruction, ``6700``
wrong length, ``6A80`` bad data, ``6A82`` application not found,
``6985`` state or order, ``6982`` security (for GPO also: PIN wrong, not
set, cancelled on the trusted UI, or no trusted UI), ``6983`` PIN blocked,
``6884`` chaining of another
instruction, ``6A86`` wrong P1 P2, ``6A83`` no such record, ``6A88`` no such
data object, ``6F00`` the TA failed otherwise; ``61xx`` when the answer is
longer than ``Le`` (the rest with GET RESPONSE).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from pytee.client import Context
from pytee.errors import (
    AccessConflict,
    AccessDenied,
    BadParameters,
    BadState,
    Busy,
    Cancel,
    Communication,
    ItemNotFound,
    NotSupported,
    Security,
    TargetDead,
    TeeError,
)
from pytee.payment import commands, tlv
from pytee.payment.apdu import ChainAssembler, CommandApdu, ResponseApdu
from pytee.payment.errors import ApduError, BadSignature, WireError
from pytee.payment.keys import verify
from pytee.payment.status import (
    SW_CHAINING_NOT_SUPPORTED,
    SW_CLA_NOT_SUPPORTED,
    SW_CONDITIONS_NOT_SATISFIED,
    SW_FILE_NOT_FOUND,
    SW_INS_NOT_SUPPORTED,
    SW_NO_PRECISE_DIAGNOSIS,
    SW_OK,
    SW_PIN_BLOCKED,
    SW_RECORD_NOT_FOUND,
    SW_REFERENCED_DATA_NOT_FOUND,
    SW_SECURITY_STATUS,
    SW_WRONG_DATA,
    SW_WRONG_LENGTH,
    SW_WRONG_P1P2,
)
from pytee.payment.ta_client import PaymentTa
from pytee.payment.ta_ids import PAYMENT_CVM_LIMIT, TA_PAYMENT_UUID
from pytee.payment.ui import Display, HistoryEntry, Prompter, format_amount
from pytee.payment.wire import (
    Certificate,
    DebitReceipt,
    DebitRequest,
    GpoResponse,
    LoadChallenge,
    LoadReceipt,
    loaded_message,
    receipt_message,
)

__all__ = [
    "INS_GET_RESPONSE",
    "NO_TRUSTED_UI",
    "PhoneCard",
    "Trace",
    "sw_of_error",
]

INS_GET_RESPONSE = 0xC0

Trace = Callable[[str, str], None]
"""Told ``(step, text)`` for what the CA does inside the phone (S5, S7, S9)."""

_CLA_OF_INS = {
    commands.INS_SELECT: commands.CLA_ISO,
    commands.INS_READ_RECORD: commands.CLA_ISO,
    INS_GET_RESPONSE: commands.CLA_ISO,
    commands.INS_GPO: commands.CLA_PROPRIETARY,
    commands.INS_DEBIT: commands.CLA_PROPRIETARY,
    commands.INS_GET_BALANCE: commands.CLA_PROPRIETARY,
    commands.INS_GET_DATA: commands.CLA_PROPRIETARY,
    commands.INS_INIT_LOAD: commands.CLA_PROPRIETARY,
    commands.INS_CREDIT_LOAD: commands.CLA_PROPRIETARY,
}
_CHAINING = 0x10
_PDOL_VALUES_SIZE = sum(length for _, length in tlv.parse_dol(commands.PDOL))
_ERROR_SW: tuple[tuple[type[TeeError], int], ...] = (
    (BadState, SW_CONDITIONS_NOT_SATISFIED),
    (AccessConflict, SW_CONDITIONS_NOT_SATISFIED),
    (Security, SW_SECURITY_STATUS),
    (AccessDenied, SW_PIN_BLOCKED),
    (BadParameters, SW_WRONG_DATA),
)
# What a GPO above the cardholder verification limit may also answer when
# the PIN was not verified: the user cancelled (or the screen was taken
# down), no trusted UI was free, or the TEE has none.
_GPO_PIN_NOT_VERIFIED = (Cancel, Busy, NotSupported)

NO_TRUSTED_UI = "pay above the limit needs a TEE with trusted UI"
"""What the CA tells the user when the TEE has no trusted UI (GPO above the
cardholder verification limit answered NOT_SUPPORTED, then ``6982``)."""


def sw_of_error(error: TeeError) -> int:
    """The status word of a TA result: BAD_STATE and ACCESS_CONFLICT 6985,
    SECURITY 6982, ACCESS_DENIED (PIN blocked) 6983, BAD_PARAMETERS 6A80,
    anything else 6F00."""
    for kind, sw in _ERROR_SW:
        if isinstance(error, kind):
            return sw
    return SW_NO_PRECISE_DIAGNOSIS


def _sw(sw: int) -> ResponseApdu:
    return ResponseApdu(b"", sw)


class PhoneCard:
    """The CA's card service: command APDUs in, response APDUs out.

    ``context`` reaches the TEE; the TA session is opened at the first
    command after a power-on.  ``display`` is the copy of balance and
    history that receipts update, ``prompter`` tells the user about
    payments, ``trace`` (if given) is told each step taken inside the phone.
    """

    def __init__(
        self,
        context: Context,
        *,
        display: Display | None = None,
        prompter: Prompter | None = None,
        trace: Trace | None = None,
        uuid: str = TA_PAYMENT_UUID,
    ) -> None:
        self.context = context
        self.display = display if display is not None else Display()
        self.prompter = prompter
        self.trace = trace
        self.uuid = uuid
        self._ta: PaymentTa | None = None
        self._selected = False
        self._chain = ChainAssembler()
        self._rest = b""
        self._device: Certificate | None = None
        # process() and power_off() may come from different threads (a
        # reader driver's thread and the app's): one at a time.
        self._lock = threading.RLock()

    # -- power -----------------------------------------------------------

    @property
    def selected(self) -> bool:
        """Whether the application is selected (since the last SELECT/power-on)."""
        return self._selected

    def power_off(self) -> None:
        """The field is gone: end the TA session and forget the transaction."""
        with self._lock:
            self._selected = False
            self._chain.reset()
            self._rest = b""
            ta, self._ta = self._ta, None
            if ta is not None:
                ta.close()

    close = power_off

    def _session(self) -> PaymentTa:
        if self._ta is None:
            self._ta = PaymentTa(self.context, self.uuid)
        return self._ta

    def _tell(self, step: str, text: str) -> None:
        if self.trace is not None:
            self.trace(step, text)

    # -- dispatch --------------------------------------------------------

    def process(self, apdu: bytes) -> bytes:
        """Answer one command APDU with a response APDU (data and SW)."""
        with self._lock:
            try:
                command = CommandApdu.decode(apdu)
            except ApduError:
                self._chain.reset()
                self._rest = b""
                return _sw(SW_WRONG_LENGTH).encode()
            try:
                response = self._dispatch(command)
            except TeeError as error:
                if isinstance(error, (TargetDead, Communication)):
                    self.power_off()  # the TA session is gone: start afresh
                self._tell("TA", "the TA answered %s" % error)
                response = _sw(sw_of_error(error))
            return response.encode()

    def _dispatch(self, command: CommandApdu) -> ResponseApdu:
        cla = command.cla & ~_CHAINING
        if cla not in (commands.CLA_ISO, commands.CLA_PROPRIETARY):
            return _sw(SW_CLA_NOT_SUPPORTED)
        if command.ins == INS_GET_RESPONSE:
            return self._get_response(command)
        self._rest = b""
        if command.ins not in _CLA_OF_INS:
            self._chain.reset()
            return _sw(SW_INS_NOT_SUPPORTED)
        if _CLA_OF_INS[command.ins] != cla:
            self._chain.reset()
            return _sw(SW_CLA_NOT_SUPPORTED)
        if command.ins == commands.INS_DEBIT:
            return self._debit_part(command)
        self._chain.reset()  # another command drops a DEBIT chain
        if command.chained:
            return _sw(SW_CHAINING_NOT_SUPPORTED)
        if command.ins == commands.INS_SELECT:
            return self._select(command)
        if not self._selected:
            return _sw(SW_CONDITIONS_NOT_SATISFIED)
        if command.ins == commands.INS_GPO:
            return self._gpo(command)
        if command.ins == commands.INS_CREDIT_LOAD:
            return self._credit_load(command)
        if command.data:
            return _sw(SW_WRONG_LENGTH)
        if command.ins == commands.INS_READ_RECORD:
            return self._read_record(command)
        if command.ins == commands.INS_GET_BALANCE:
            return self._get_balance(command)
        if command.ins == commands.INS_INIT_LOAD:
            return self._init_load(command)
        return self._get_data(command)

    def _answer(self, command: CommandApdu, data: bytes) -> ResponseApdu:
        """``data`` and 9000, or its first ``Le`` bytes and ``61xx``."""
        le = command.le
        if le is None or len(data) <= le:
            return ResponseApdu(data, SW_OK)
        self._rest = data[le:]
        return ResponseApdu(data[:le], 0x6100 | (min(len(self._rest), 256) & 0xFF))

    def _get_response(self, command: CommandApdu) -> ResponseApdu:
        self._chain.reset()
        if command.cla != commands.CLA_ISO:
            return _sw(SW_CLA_NOT_SUPPORTED)
        if command.data:
            return _sw(SW_WRONG_LENGTH)
        if (command.p1, command.p2) != (0, 0):
            return _sw(SW_WRONG_P1P2)
        if not self._rest:
            return _sw(SW_CONDITIONS_NOT_SATISFIED)
        rest, self._rest = self._rest, b""
        return self._answer(command, rest)

    # -- SELECT (S2, S3) -------------------------------------------------

    def _select(self, command: CommandApdu) -> ResponseApdu:
        self._selected = False
        if (command.p1, command.p2) != (0x04, 0x00):
            return _sw(SW_WRONG_P1P2)
        if not 1 <= len(command.data) <= 16:
            return _sw(SW_WRONG_LENGTH)
        # Every SELECT ends the transaction under way: the TA's SELECT
        # starts afresh (and says whether it is enrolled); the CA takes a
        # GPO only after the application's.
        try:
            self._session().select()
        except BadState:
            self._tell("S3", "the TA is not enrolled: no application")
            return _sw(SW_FILE_NOT_FOUND)
        if command.data == commands.AID:
            self._selected = True
            self._tell("S3", "the TA started a transaction; the CA answers its FCI")
            return self._answer(command, commands.application_fci())
        if command.data == commands.DIRECTORY_NAME:
            entry = commands.DirectoryEntry(commands.AID, commands.LABEL)
            return self._answer(command, commands.directory_fci([entry]))
        return _sw(SW_FILE_NOT_FOUND)

    # -- GET PROCESSING OPTIONS (S4-S7) -----------------------------------

    def _gpo(self, command: CommandApdu) -> ResponseApdu:
        if (command.p1, command.p2) != (0, 0):
            return _sw(SW_WRONG_P1P2)
        try:
            template = tlv.decode_one(command.data, commands.T_COMMAND_TEMPLATE)
        except WireError:
            return _sw(SW_WRONG_LENGTH if not command.data else SW_WRONG_DATA)
        if len(template.value) != _PDOL_VALUES_SIZE:
            return _sw(SW_WRONG_LENGTH)
        try:
            request = commands.parse_gpo_command(command.data)
        except WireError:
            return _sw(SW_WRONG_DATA)
        core = request.encode()
        self._tell(
            "S5",
            "the CA passes the %d-byte GPO request to the TA in shared memory"
            % len(core),
        )
        if request.amount > PAYMENT_CVM_LIMIT:
            self._tell(
                "S5",
                "above the limit: the TA asks for the PIN on the trusted UI",
            )
            self._notify(
                "confirm %s on the trusted display" % format_amount(request.amount)
            )
        try:
            out = self._session().gpo(core)
        except _GPO_PIN_NOT_VERIFIED as error:
            # the PIN was not verified: no ATC spent, no signature made
            if isinstance(error, NotSupported):
                self._notify(NO_TRUSTED_UI)
            self._tell("TA", "the TA answered %s" % error)
            return _sw(SW_SECURITY_STATUS)
        try:
            response = GpoResponse.decode(out)
        except WireError:
            return _sw(SW_NO_PRECISE_DIAGNOSIS)
        self._tell(
            "S6",
            "the TA counted ATC %d, encrypted the card to the acquirer (%d bytes)"
            " and signed" % (response.atc, len(response.hpke)),
        )
        self._tell("S7", "the CA relays the ATC, ciphertext and signature")
        return self._answer(command, commands.gpo_answer(response))

    # -- READ RECORD, GET BALANCE, GET DATA --------------------------------

    def _read_record(self, command: CommandApdu) -> ResponseApdu:
        if command.p2 != 0x0C:
            return _sw(SW_WRONG_P1P2)
        if command.p1 not in commands.RECORD_TAGS:
            return _sw(SW_RECORD_NOT_FOUND)
        value = self._session().read_cert(command.p1)
        return self._answer(command, commands.record_answer(command.p1, value))

    def _get_balance(self, command: CommandApdu) -> ResponseApdu:
        if (command.p1, command.p2) != (0x00, 0x02):
            return _sw(SW_WRONG_P1P2)
        balance = self._session().info().balance
        return self._answer(command, commands.balance_answer(balance))

    def _get_data(self, command: CommandApdu) -> ResponseApdu:
        if (command.p1, command.p2) != (0x9F, 0x36):
            return _sw(SW_REFERENCED_DATA_NOT_FOUND)
        atc = self._session().info().atc
        return self._answer(command, commands.atc_answer(atc))

    # -- INITIALIZE FOR LOAD, CREDIT FOR LOAD (S1 at a load device) --------

    def _init_load(self, command: CommandApdu) -> ResponseApdu:
        if (command.p1, command.p2) != (0x00, 0x00):
            return _sw(SW_WRONG_P1P2)
        challenge = LoadChallenge.decode(self._session().init_load())
        self._tell(
            "S1",
            "INIT_LOAD: the TA drew a challenge for load %d" % challenge.counter,
        )
        return self._answer(command, commands.init_load_answer(challenge))

    def _credit_load(self, command: CommandApdu) -> ResponseApdu:
        if command.p2 != 0x00:
            return _sw(SW_WRONG_P1P2)
        if command.p1 == commands.LOAD_P1_LAST:
            if command.data:
                return _sw(SW_WRONG_LENGTH)
            return self._last_load(command)
        if command.p1 != commands.LOAD_P1_CREDIT:
            return _sw(SW_WRONG_P1P2)
        try:
            authorisation = commands.parse_credit_load_command(command.data)
        except WireError:
            return _sw(SW_WRONG_DATA if command.data else SW_WRONG_LENGTH)
        out = self._session().credit_load(authorisation.encode())
        try:
            receipt = LoadReceipt.decode(out)
        except WireError:
            return _sw(SW_NO_PRECISE_DIAGNOSIS)
        self._tell(
            "S1",
            "CREDIT_LOAD: the TA credited %s and signed a receipt: balance %s"
            % (format_amount(authorisation.amount), format_amount(receipt.balance)),
        )
        self._show_load(receipt, authorisation.amount)
        return self._answer(command, commands.credit_load_answer(receipt))

    def _last_load(self, command: CommandApdu) -> ResponseApdu:
        try:
            last = self._session().last_load()
        except ItemNotFound:
            return _sw(SW_REFERENCED_DATA_NOT_FOUND)  # no load credited yet
        try:
            answer = commands.last_load_answer(last.receipt, last.amount)
        except ValueError:
            # a load through the wallet above n12: no APDU carries it
            return _sw(SW_NO_PRECISE_DIAGNOSIS)
        self._tell(
            "S1",
            "LAST_LOAD: the TA signed again the receipt of load %d"
            % last.receipt.counter,
        )
        return self._answer(command, answer)

    def _show_load(self, receipt: LoadReceipt, amount: int) -> None:
        """Update the display copy from a load receipt that verifies."""
        device = self._device_certificate()
        message = loaded_message(
            device.subject_id, receipt.counter, amount, receipt.balance
        )
        try:
            verify(device.public_key, message, receipt.signature)
        except BadSignature:
            self._notify("a load receipt did not verify; the display is not updated")
            return
        entry = HistoryEntry("load", amount, receipt.balance, receipt.counter, "issuer")
        if self.display.record(entry):
            self._notify(
                "loaded %s; balance %s"
                % (format_amount(amount), format_amount(receipt.balance))
            )

    # -- DEBIT (S8, S9) ----------------------------------------------------

    def _debit_part(self, command: CommandApdu) -> ResponseApdu:
        if (command.p1, command.p2) != (0x01, 0x00):
            self._chain.reset()
            return _sw(SW_WRONG_P1P2)
        try:
            data = self._chain.add(command)
        except ApduError:
            return _sw(SW_WRONG_LENGTH)  # over-long chain, or Le in a part
        if data is None:
            return _sw(SW_OK)  # more parts to come
        if not data:
            return _sw(SW_WRONG_LENGTH)
        try:
            request = commands.parse_debit_command(data)
        except WireError:
            return _sw(SW_WRONG_DATA)
        self._tell(
            "S9",
            "the CA passes the terminal's signed DEBIT (%s, ATC %d) to the TA"
            % (format_amount(request.amount), request.atc),
        )
        out = self._session().debit(request.encode())
        try:
            receipt = DebitReceipt.decode(out)
        except WireError:
            return _sw(SW_NO_PRECISE_DIAGNOSIS)
        self._tell(
            "S9",
            "the TA debited and signed a receipt: balance %s"
            % format_amount(receipt.balance),
        )
        self._show_receipt(request, receipt)
        return self._answer(command, commands.debit_answer(receipt))

    def _device_certificate(self) -> Certificate:
        if self._device is None:
            raw = self._session().read_cert(commands.RECORD_DEVICE_CERT)
            self._device = Certificate.decode(raw)
        return self._device

    def _show_receipt(self, request: DebitRequest, receipt: DebitReceipt) -> None:
        """Update the display copy from a receipt whose signature verifies."""
        device = self._device_certificate()
        message = receipt_message(
            device.subject_id,
            request.atc,
            request.amount,
            request.terminal_id,
            request.sequence,
            receipt.balance,
        )
        try:
            verify(device.public_key, message, receipt.signature)
        except BadSignature:
            self._notify("a receipt did not verify; the display is not updated")
            return
        merchant = "%s (%s)" % (
            request.terminal_certificate.name,
            request.terminal_id.decode("ascii"),
        )
        entry = HistoryEntry(
            "purchase", request.amount, receipt.balance, request.atc, merchant
        )
        if self.display.record(entry):
            self._notify(
                "paid %s to %s; balance %s"
                % (
                    format_amount(request.amount),
                    merchant,
                    format_amount(receipt.balance),
                )
            )

    def _notify(self, message: str) -> None:
        if self.prompter is not None:
            self.prompter.notify(message)
