"""``pytee pay demo``: enrolment, a top-up and a purchase, step by step.

On a software TEE of its own (:class:`pytee.isolated.IsolatedTee` in a
temporary folder, stopped at the end) it sets up an issuer, an acquirer and
a POS terminal, then runs the patent's steps with the payment TA: S1
(enrolment and a top-up, through the client API) and S2-S9 (a purchase,
APDUs between the POS and the phone's CA over the in-process transport).
It prints each APDU in hex with its status word, what the CA and the TA do
inside the phone, and the balances.

The payment TA is taken from the first folder that holds it among
``$PYTEE_TA_PATH``, the ``ta`` folder beside the ``teed`` in use (which
``$PYTEE_LIBTEEC`` chooses) and the TAs installed with pytee.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pytee import teec
from pytee.payment import commands, keys
from pytee.payment.apdu import CommandApdu, ResponseApdu
from pytee.payment.card import Trace
from pytee.payment.issuer import Acquirer, Issuer
from pytee.payment.phone import Phone
from pytee.payment.pos import PosTerminal
from pytee.payment.status import sw_name
from pytee.payment.ta_ids import TA_PAYMENT_UUID
from pytee.payment.transport import InProcessTransport, Transport
from pytee.payment.ui import ConsolePrompter, format_amount

__all__ = [
    "Scheme",
    "TranscriptTransport",
    "describe_scheme",
    "find_ta_folder",
    "main",
    "new_scheme",
]

TERMINAL_ID = b"POS00001"
MERCHANT = "Demo Coffee Shop"
LOAD = 20000
PURCHASE = 2599
_BYTES_PER_LINE = 32
_RECORDS = {
    commands.RECORD_ISSUER_KEY: "the pinned issuer key",
    commands.RECORD_DEVICE_CERT: "the device certificate (no card number in it)",
    commands.RECORD_ACQUIRER_CERT: "the acquirer certificate",
}


@dataclass
class Scheme:
    """The parties outside the phone: issuer, acquirer, one POS terminal."""

    issuer: Issuer
    acquirer: Acquirer
    pos: PosTerminal


def new_scheme(
    terminal_id: bytes = TERMINAL_ID,
    merchant: str = MERCHANT,
    acquirer_name: str = "Demo Acquirer",
    **pos_options: object,
) -> Scheme:
    """A fresh issuer, its certified acquirer and a certified POS terminal.

    ``pos_options`` go to :class:`~pytee.payment.pos.PosTerminal`
    (``relay_limit``, ``debit_retries``...).
    """
    issuer = Issuer()
    acquirer = Acquirer(name=acquirer_name)
    acquirer.certificate = issuer.certify_acquirer(
        acquirer.public_key_bytes, acquirer.name
    )
    terminal_key = keys.generate_private_key()
    certificate = issuer.certify_terminal(
        terminal_id, keys.public_key_bytes(terminal_key.public_key()), merchant
    )
    pos = PosTerminal(
        terminal_key,
        certificate,
        issuer_public_key=issuer.public_key_bytes,
        acquirer=acquirer,
        revocation=issuer.revocation,
        **pos_options,  # type: ignore[arg-type]
    )
    return Scheme(issuer, acquirer, pos)


def describe_scheme(scheme: Scheme) -> str:
    """One line naming the scheme's issuer key, acquirer and terminal."""
    return "  issuer key %s..., acquirer %r, terminal %s of %r" % (
        scheme.issuer.public_key_bytes[:8].hex(),
        scheme.acquirer.name,
        scheme.pos.terminal_id.decode(),
        scheme.pos.merchant,
    )


def find_ta_folder(uuid: str = TA_PAYMENT_UUID) -> Path | None:
    """The first folder holding ``<uuid>.ta.so``: ``$PYTEE_TA_PATH``'s, the
    ``ta`` folder beside the teed in use, the installed TAs."""
    from pytee.cli import teed_path

    folders = [Path(f) for f in os.environ.get("PYTEE_TA_PATH", "").split(":") if f]
    folders.append(teed_path().resolve().parent.parent / "ta")
    folders.append(teec.NATIVE_DIR / "ta")
    for folder in folders:
        if (folder / ("%s.ta.so" % uuid)).is_file():
            return folder.resolve()
    return None


def _hex_lines(data: bytes) -> Iterable[str]:
    text = data.hex().upper()
    width = 2 * _BYTES_PER_LINE
    for start in range(0, len(text), width):
        yield text[start : start + width]


class TranscriptTransport:
    """A transport that prints each APDU pair, labelled with its patent step."""

    def __init__(self, inner: Transport, out: TextIO) -> None:
        self.inner = inner
        self.out = out

    def _print(self, text: str) -> None:
        print(text, file=self.out)

    def _step(self, command: CommandApdu) -> str:
        ins = command.ins
        if ins == commands.INS_SELECT and command.data == commands.DIRECTORY_NAME:
            return "S2  the POS looks for the contactless directory 2PAY.SYS.DDF01"
        if ins == commands.INS_SELECT:
            return "S2  the POS selects the application by its AID"
        if ins == commands.INS_GPO:
            return (
                "S4  the POS asks for the card number: GET PROCESSING OPTIONS"
                " (amount, currency, date, terminal, UN, nonce, suite)"
            )
        if ins == commands.INS_READ_RECORD:
            return "S8  the POS reads record %d: %s" % (
                command.p1,
                _RECORDS.get(command.p1, "?"),
            )
        if ins == commands.INS_DEBIT:
            part = " (chained part)" if command.chained else ""
            return "S8  the POS checked the card and sends its signed DEBIT%s" % part
        if ins == commands.INS_GET_BALANCE:
            return "    GET BALANCE"
        if ins == commands.INS_GET_DATA:
            return "    GET DATA: the ATC"
        if ins == commands.INS_INIT_LOAD:
            return "S1  the load device asks for a challenge: INITIALIZE FOR LOAD"
        if ins == commands.INS_CREDIT_LOAD and command.p1 == commands.LOAD_P1_LAST:
            return "S1  the load device asks for the receipt of the last load"
        if ins == commands.INS_CREDIT_LOAD:
            return (
                "S1  the load device sends the issuer's authorisation: CREDIT FOR LOAD"
            )
        return "    command"

    def transmit(self, apdu: bytes) -> bytes:
        command = CommandApdu.decode(apdu)
        self._print(self._step(command))
        for n, line in enumerate(_hex_lines(apdu)):
            self._print("    %s %s" % ("POS > " if n == 0 else "      ", line))
        answer = self.inner.transmit(apdu)
        response = ResponseApdu.decode(answer)
        lines = list(_hex_lines(response.data)) or [""]
        for n, line in enumerate(lines):
            self._print("    %s %s" % ("card <" if n == 0 else "      ", line))
        meaning = sw_name(response.sw)
        self._print("           SW %04X: %s" % (response.sw, meaning))
        if command.ins == commands.INS_SELECT and response.ok:
            if command.data == commands.AID:
                self._print("S3  the CA answered with its FCI: label, PDOL, suites")
            else:
                self._print("    the CA's directory lists its application")
        return answer


def _trace(out: TextIO) -> Trace:
    def trace(step: str, text: str) -> None:
        print("%-3s [phone] %s" % (step, text), file=out)

    return trace


def _heading(out: TextIO, text: str) -> None:
    print("\n== %s ==" % text, file=out)


def _enrol_and_top_up(out: TextIO, scheme: Scheme, phone: Phone) -> None:
    _heading(out, "S1 enrolment")
    phone.enrol(scheme.issuer, scheme.acquirer.certificate)
    _heading(out, "S1 top-up of %s" % format_amount(LOAD))
    phone.top_up(scheme.issuer, LOAD)
    print("    balance in the TA: %s" % format_amount(phone.balance()), file=out)


def _purchase(out: TextIO, scheme: Scheme, transport: Transport) -> None:
    _heading(out, "S2-S9 purchase of %s at %s" % (format_amount(PURCHASE), MERCHANT))
    purchase = scheme.pos.purchase(transport, PURCHASE, date=datetime.date.today())
    print(
        "S9  the POS checked the receipt: paid %s with card %s, ATC %d, balance %s"
        % (
            format_amount(purchase.amount),
            purchase.masked_token,
            purchase.atc,
            format_amount(purchase.balance),
        ),
        file=out,
    )


def _balances(out: TextIO, phone: Phone, transport: Transport) -> None:
    _heading(out, "balance")
    answers = [
        ResponseApdu.decode(transport.transmit(command.encode())).check()
        for command in (
            commands.select_aid_command(),
            commands.get_balance_command(),
            commands.get_atc_command(),
        )
    ]
    print(
        "    the card answers: balance %s, ATC %d"
        % (
            format_amount(commands.parse_balance_answer(answers[1])),
            commands.parse_atc_answer(answers[2]),
        ),
        file=out,
    )
    info = phone.info()
    display = phone.display.balance
    print(
        "    the TA keeps: balance %s, ATC %d, load counter %d"
        % (format_amount(info.balance), info.atc, info.load_counter),
        file=out,
    )
    print(
        "    the CA's display copy: %s"
        % ("none" if display is None else format_amount(display)),
        file=out,
    )
    for entry in phone.display.history:
        print(
            "    history: %-8s %12s  balance %12s  %s"
            % (
                entry.kind,
                format_amount(entry.amount),
                format_amount(entry.balance),
                entry.party,
            ),
            file=out,
        )
    print("final balance: %s" % format_amount(info.balance), file=out)


def run(out: TextIO, ta_folder: Path) -> None:
    """Run the demonstration on an isolated TEE with the TA of ``ta_folder``."""
    from pytee.isolated import IsolatedTee

    scheme = new_scheme()
    print(
        "pytee pay demo: the TEE mobile payment of CN103942678A on the software TEE",
        file=out,
    )
    print("  payment TA %s from %s" % (TA_PAYMENT_UUID, ta_folder), file=out)
    print(describe_scheme(scheme), file=out)
    with contextlib.ExitStack() as stack:
        root = stack.enter_context(
            tempfile.TemporaryDirectory(prefix="pytee-pay-demo-")
        )
        tee = stack.enter_context(IsolatedTee(root, [ta_folder]))
        context = stack.enter_context(tee.context())
        phone = stack.enter_context(
            Phone(context, prompter=ConsolePrompter(out), trace=_trace(out))
        )
        _enrol_and_top_up(out, scheme, phone)
        transport = TranscriptTransport(InProcessTransport(phone.card), out)
        _purchase(out, scheme, transport)
        phone.card.power_off()  # the phone leaves the field
        _balances(out, phone, transport)
        phone.card.power_off()


def main(
    ta_folder: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """``pytee pay demo [--ta-path DIR]``: run it, return the exit status."""
    folder = Path(ta_folder) if ta_folder else find_ta_folder()
    if folder is None or not (folder / ("%s.ta.so" % TA_PAYMENT_UUID)).is_file():
        print(
            "pytee: no payment TA (%s.ta.so) found; build pytee first or give"
            " --ta-path" % TA_PAYMENT_UUID,
            file=err or sys.stderr,
        )
        return 1
    run(out or sys.stdout, folder.resolve())
    return 0
