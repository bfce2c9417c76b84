"""``pytee pay init|enrol|top-up|balance|arm|tap|load``: the payment scheme step
by step, on the user's software TEE and over the PC/SC link.

The scheme lives in a wallet folder (``--home``; by default
``$PYTEE_DATA_DIR/pay``, else ``~/.local/share/pytee/pay``; mode 0700):

- ``scheme.json``: the acquirer's name, the terminal id and the merchant;
- ``issuer.pem``, ``acquirer.pem``, ``terminal.pem``: the private keys;
- ``acquirer.cert``, ``terminal.cert``: their certificates (the wire
  encoding of :class:`~pytee.payment.wire.Certificate`);
- ``devices.json``: the issuer's device records (token, expiry, load
  counters, revocations: :meth:`~pytee.payment.issuer.Issuer.save_devices`);
- ``terminal.json``: the terminal's transaction sequence and the last ATC
  it saw of each device.

The phone is the payment TA of the TEE that the client API reaches (the
normal daemon; ``PYTEE_*`` variables choose it as for any client), so
``enrol``, ``top-up``, ``balance`` and ``arm`` talk to the TA, while ``tap``
is the POS and ``load`` the issuer's load device (a top-up over the field):
they reach the phone only through PC/SC, where ``arm`` serves it as a
contactless card to pcscd's vpcd reader.

Every failure the user can cause or fix ends the command with one line on
standard error and exit status 1.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

from pytee.errors import TeeError
from pytee.payment import keys
from pytee.payment.codec import AMOUNT_BCD_MAX
from pytee.payment.errors import CardRefused, PaymentError
from pytee.payment.issuer import Acquirer, Issuer
from pytee.payment.pos import PosTerminal, Purchase
from pytee.payment.status import sw_name
from pytee.payment.transport import Transport
from pytee.payment.ui import format_amount
from pytee.payment.wire import Certificate

__all__ = ["CliError", "add_commands", "default_home", "main", "parse_amount"]

COMMANDS = ("init", "enrol", "top-up", "balance", "arm", "tap", "load")
"""The ``pytee pay`` subcommands of this module."""

_T = TypeVar("_T")

TERMINAL_ID = b"POS00001"
MERCHANT = "pytee Coffee Shop"
ACQUIRER = "pytee Acquirer"
_SCHEME = "scheme.json"
_ISSUER_KEY = "issuer.pem"
_ACQUIRER_KEY = "acquirer.pem"
_ACQUIRER_CERT = "acquirer.cert"
_TERMINAL_KEY = "terminal.pem"
_TERMINAL_CERT = "terminal.cert"
_DEVICES = "devices.json"
_TERMINAL_STATE = "terminal.json"
_AMOUNT = re.compile(r"(\d{1,12})(?:\.(\d{1,2}))?")
_INSTALL_PCSC = "Debian: apt-get install pcscd vsmartcard-vpcd"


class CliError(Exception):
    """A failure told to the user in one line (exit status 1)."""


def default_home() -> Path:
    """``$PYTEE_DATA_DIR/pay``, else ``~/.local/share/pytee/pay``."""
    data = os.environ.get("PYTEE_DATA_DIR")
    if data:
        return Path(data) / "pay"
    return Path.home() / ".local" / "share" / "pytee" / "pay"


def parse_amount(text: str) -> int:
    """``"100.00"`` (or ``"100"``, ``"0.5"``) in fen; :class:`CliError`
    for anything else, zero, or more than the card can count."""
    match = _AMOUNT.fullmatch(text.strip())
    if match is None:
        raise CliError(
            "malformed amount %r: give yuan with up to two decimals, like 100.00" % text
        )
    fen = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    if not 0 < fen <= AMOUNT_BCD_MAX:
        raise CliError(
            "amount %s out of range: 0.01 to %s" % (text, format_amount(AMOUNT_BCD_MAX))
        )
    return fen


# -- the wallet folder --------------------------------------------------------


def _write_new(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def _write_json(path: Path, data: Any) -> None:
    temporary = path.with_name(".%s.%d.tmp" % (path.name, os.getpid()))
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        json.dump(data, file, indent=1, sort_keys=True)
        file.write("\n")
    os.replace(temporary, path)


@dataclass
class Wallet:
    """The scheme of a wallet folder: issuer, acquirer, one POS terminal."""

    home: Path
    issuer: Issuer
    acquirer: Acquirer
    pos: PosTerminal

    @classmethod
    def create(cls, home: Path) -> Wallet:
        """Make a new scheme in ``home`` (created 0700 if missing)."""
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        home.chmod(0o700)
        if (home / _SCHEME).exists():
            raise CliError("%s already holds a scheme; give another --home" % home)
        from pytee.payment.demo import new_scheme

        scheme = new_scheme(TERMINAL_ID, MERCHANT, acquirer_name=ACQUIRER)
        scheme.issuer.save(home / _ISSUER_KEY)
        scheme.acquirer.save(home / _ACQUIRER_KEY)
        _write_new(home / _ACQUIRER_CERT, scheme.acquirer.certificate.encode())
        scheme.pos.save_key(home / _TERMINAL_KEY)
        _write_new(home / _TERMINAL_CERT, scheme.pos.certificate.encode())
        scheme.issuer.save_devices(home / _DEVICES)
        wallet = cls(home, scheme.issuer, scheme.acquirer, scheme.pos)
        wallet.save_terminal()
        _write_json(
            home / _SCHEME,
            {
                "version": 1,
                "acquirer": ACQUIRER,
                "terminal_id": TERMINAL_ID.decode("ascii"),
                "merchant": MERCHANT,
            },
        )
        return wallet

    @classmethod
    def open(cls, home: Path) -> Wallet:
        """The scheme of ``home``; :class:`CliError` if there is none."""
        if not (home / _SCHEME).is_file():
            raise CliError("no payment scheme in %s: run `pytee pay init` first" % home)
        try:
            scheme = json.loads((home / _SCHEME).read_text(encoding="utf-8"))
            issuer = Issuer.load(home / _ISSUER_KEY)
            issuer.load_devices(home / _DEVICES)
            acquirer = Acquirer.load(home / _ACQUIRER_KEY, str(scheme["acquirer"]))
            acquirer.certificate = Certificate.decode(
                (home / _ACQUIRER_CERT).read_bytes()
            )
            pos = PosTerminal(
                keys.load_private_key(home / _TERMINAL_KEY),
                Certificate.decode((home / _TERMINAL_CERT).read_bytes()),
                issuer_public_key=issuer.public_key_bytes,
                acquirer=acquirer,
                revocation=issuer.revocation,
            )
            state = json.loads((home / _TERMINAL_STATE).read_text(encoding="utf-8"))
            pos.sequence = int(state["sequence"])
            pos.atc_seen.update(
                {bytes.fromhex(k): int(v) for k, v in state["atc_seen"].items()}
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CliError("the scheme in %s is damaged: %s" % (home, exc)) from exc
        except PaymentError as exc:
            raise CliError("the scheme in %s is damaged: %s" % (home, exc)) from exc
        return cls(home, issuer, acquirer, pos)

    def save_devices(self) -> None:
        self.issuer.save_devices(self.home / _DEVICES)

    def save_terminal(self) -> None:
        _write_json(
            self.home / _TERMINAL_STATE,
            {
                "sequence": self.pos.sequence,
                "atc_seen": {k.hex(): v for k, v in self.pos.atc_seen.items()},
            },
        )


# -- the phone ------------------------------------------------------------------


def _print_trace(out: TextIO) -> Callable[[str, str], None]:
    def trace(step: str, text: str) -> None:
        print("%-3s [phone] %s" % (step, text), file=out)

    return trace


@contextmanager
def _phone(out: TextIO, *, trace: bool = True) -> Iterator[Any]:
    """The wallet app on the user's TEE (a :class:`~pytee.payment.phone.Phone`)."""
    from pytee.client import Context
    from pytee.payment.phone import Phone
    from pytee.payment.ui import ConsolePrompter

    try:
        context = Context()
    except (TeeError, OSError) as exc:
        raise CliError("cannot reach the TEE: %s" % exc) from exc
    with context:
        try:
            phone = Phone(
                context,
                prompter=ConsolePrompter(out),
                trace=_print_trace(out) if trace else None,
            )
        except TeeError as exc:
            raise CliError(
                "cannot open the payment TA: %s (is it installed, or on"
                " $PYTEE_TA_PATH?)" % exc
            ) from exc
        with phone:
            yield phone


def _enrolled_device(wallet: Wallet, phone: Any) -> bytes:
    """The phone's device id, once sure that this scheme enrolled it."""
    if not phone.info().enrolled:
        raise CliError("the phone is not enrolled: run `pytee pay enrol` first")
    device_id: bytes = phone.device_certificate.subject_id
    try:
        wallet.issuer.device_card(device_id)
    except PaymentError:
        raise CliError(
            "the phone is enrolled with another issuer than the one in %s" % wallet.home
        ) from None
    return device_id


def _init(args: argparse.Namespace, out: TextIO) -> int:
    from pytee.payment.demo import Scheme, describe_scheme

    wallet = Wallet.create(args.home)
    print("made a payment scheme in %s" % wallet.home, file=out)
    print(describe_scheme(Scheme(wallet.issuer, wallet.acquirer, wallet.pos)), file=out)
    return 0


def _enrol(args: argparse.Namespace, out: TextIO) -> int:
    wallet = Wallet.open(args.home)
    with _phone(out) as phone:
        if phone.info().enrolled:
            raise CliError("the phone is already enrolled (its TA keeps one card)")
        try:
            phone.enrol(wallet.issuer, wallet.acquirer.certificate)
        finally:  # the issuer remembers what it certified, whatever came after
            wallet.save_devices()
        print(
            "enrolled card ****%s; balance %s"
            % (phone.token[-4:], format_amount(phone.balance())),
            file=out,
        )
    return 0


def _top_up(args: argparse.Namespace, out: TextIO) -> int:
    amount = parse_amount(args.amount)
    wallet = Wallet.open(args.home)
    with _phone(out) as phone:
        _enrolled_device(wallet, phone)
        try:
            receipt = phone.top_up(wallet.issuer, amount)
        finally:
            wallet.save_devices()
        print("balance: %s" % format_amount(receipt.balance), file=out)
    return 0


def _balance(args: argparse.Namespace, out: TextIO) -> int:
    wallet = Wallet.open(args.home)
    with _phone(out, trace=False) as phone:
        device_id = _enrolled_device(wallet, phone)
        token, expiry = wallet.issuer.device_card(device_id)
        info = phone.info()
        print(
            "card ****%s (expires %s/%s): balance %s, ATC %d, load counter %d"
            % (
                token[-4:],
                expiry[2:],
                expiry[:2],
                format_amount(info.balance),
                info.atc,
                info.load_counter,
            ),
            file=out,
        )
    return 0


# -- arm: the phone in vpcd's reader --------------------------------------------


def _parse_vpcd(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 0x10000:
        raise CliError(
            "malformed --vpcd %r: give HOST:PORT, like localhost:35963" % text
        )
    return host, int(port)


def _arm(args: argparse.Namespace, out: TextIO) -> int:
    from pytee.payment.vpcd import VirtualCard, VpcdError

    host, port = _parse_vpcd(args.vpcd)
    taps = 1 if args.once else args.taps
    if taps is not None and taps < 1:
        raise CliError("--taps wants a count of 1 or more")
    wallet = Wallet.open(args.home)
    with _phone(out) as phone:
        _enrolled_device(wallet, phone)
        before = len(phone.display.history)
        print(
            "the phone is a contactless card in vpcd's reader at %s:%d"
            " (balance %s); Ctrl-C to stop"
            % (host, port, format_amount(phone.balance())),
            file=out,
        )
        out.flush()
        virtual = VirtualCard(phone.card, host, port).start()
        try:
            try:
                virtual.wait_connected(args.wait)
            except VpcdError as exc:
                raise CliError(
                    "no vpcd reader at %s:%d: is pcscd running with vsmartcard's"
                    " vpcd driver? (%s)" % (host, port, _INSTALL_PCSC)
                ) from exc
            print("vpcd took the card: tap it with `pytee pay tap AMOUNT`", file=out)
            out.flush()
            done = threading.Event()
            while not done.wait(0.1):
                if virtual.error is not None:
                    raise CliError("serving the card failed: %s" % virtual.error)
                served = len(phone.display.history) - before  # payments, loads
                if taps is not None and served >= taps:
                    _await_power_off(virtual)
                    done.set()
        except KeyboardInterrupt:
            print("stopped", file=out)
        finally:
            virtual.stop()
        print("balance: %s" % format_amount(phone.balance()), file=out)
    return 0


def _await_power_off(virtual: Any, timeout: float = 5.0) -> None:
    """Let the POS finish with the card (it powers it off) before leaving."""
    deadline = time.monotonic() + timeout
    while virtual.powered and time.monotonic() < deadline:
        time.sleep(0.05)


# -- tap: the POS over PC/SC ------------------------------------------------------


def _over_pcsc(
    args: argparse.Namespace, out: TextIO, tap: Callable[[Transport], _T]
) -> _T:
    """``tap`` the card in ``args.reader``, with each APDU printed; PC/SC
    failures and the card's refusals become :class:`CliError`."""
    from pytee.payment.demo import TranscriptTransport
    from pytee.payment.pcsc import PcscError, PcscTransport, PcscUnavailable

    try:
        transport = PcscTransport(args.reader, timeout=args.wait)
    except PcscUnavailable as exc:
        raise CliError(str(exc)) from exc
    try:
        with transport:
            return tap(TranscriptTransport(transport, out))
    except PcscError as exc:
        raise CliError(_pcsc_hint(exc, args.reader)) from exc
    except CardRefused as exc:
        raise CliError(
            "the card refused%s: status word %04X, %s"
            % (" " + exc.command if exc.command else "", exc.sw, sw_name(exc.sw))
        ) from exc


def _tap(args: argparse.Namespace, out: TextIO) -> int:
    amount = parse_amount(args.amount)
    wallet = Wallet.open(args.home)
    print(
        "S2-S9 purchase of %s at %s (terminal %s), reader %r"
        % (
            format_amount(amount),
            wallet.pos.merchant,
            wallet.pos.terminal_id.decode(),
            args.reader,
        ),
        file=out,
    )
    try:
        purchase = _over_pcsc(
            args,
            out,
            lambda card: wallet.pos.purchase(card, amount, date=datetime.date.today()),
        )
    finally:
        wallet.save_terminal()
    _print_purchase(out, purchase)
    return 0


def _load(args: argparse.Namespace, out: TextIO) -> int:
    from pytee.payment.load_device import LoadDevice

    amount = parse_amount(args.amount)
    wallet = Wallet.open(args.home)
    print(
        "S1  load of %s at the issuer's load device, reader %r"
        % (format_amount(amount), args.reader),
        file=out,
    )
    device = LoadDevice(wallet.issuer)
    try:
        receipt = _over_pcsc(args, out, lambda card: device.load(card, amount))
    finally:  # the issuer remembers what it authorised and confirmed
        wallet.save_devices()
    print(
        "S1  the issuer took the card's receipt of load %d: loaded %s"
        % (receipt.counter, format_amount(amount)),
        file=out,
    )
    print("balance: %s" % format_amount(receipt.balance), file=out)
    return 0


def _pcsc_hint(exc: Exception, reader: str) -> str:
    text = str(exc)
    if "SCardEstablishContext" in text or "Service not available" in text:
        return "pcscd is not running (start it; %s): %s" % (_INSTALL_PCSC, text)
    if "no reader" in text:
        return "%s: is pcscd running with vsmartcard's vpcd driver? (%s)" % (
            text,
            _INSTALL_PCSC,
        )
    if "no card" in text:
        return "%s: is `pytee pay arm` serving the phone to reader %r?" % (
            text,
            reader,
        )
    return "the PC/SC link failed: %s" % text


def _print_purchase(out: TextIO, purchase: Purchase) -> None:
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
    print("balance: %s" % format_amount(purchase.balance), file=out)


# -- wiring --------------------------------------------------------------------------


def add_commands(subparsers: Any) -> None:
    """Add the subcommands of :data:`COMMANDS` to ``pytee pay``'s subparsers."""
    from pytee.payment.pcsc import VPCD_READER
    from pytee.payment.vpcd import VPCD_PORT

    home = argparse.ArgumentParser(add_help=False)
    home.add_argument(
        "--home",
        metavar="DIR",
        type=Path,
        default=None,
        help="the wallet folder (default: $PYTEE_DATA_DIR/pay, else"
        " ~/.local/share/pytee/pay)",
    )
    subparsers.add_parser(
        "init", parents=[home], help="make the scheme: issuer, acquirer, a terminal"
    )
    subparsers.add_parser(
        "enrol", parents=[home], help="enrol the phone (the TEE's payment TA)"
    )
    top_up = subparsers.add_parser(
        "top-up", parents=[home], help="load money on the phone"
    )
    top_up.add_argument("amount", metavar="AMOUNT", help="in yuan, like 100.00")
    subparsers.add_parser("balance", parents=[home], help="the phone's balance")
    arm = subparsers.add_parser(
        "arm", parents=[home], help="serve the phone as a card to pcscd's vpcd"
    )
    arm.add_argument(
        "--vpcd",
        metavar="HOST:PORT",
        default="localhost:%d" % VPCD_PORT,
        help="vpcd's reader slot (default: localhost:%d)" % VPCD_PORT,
    )
    count = arm.add_mutually_exclusive_group()
    count.add_argument("--once", action="store_true", help="stop after one payment")
    count.add_argument("--taps", metavar="N", type=int, help="stop after N payments")
    arm.add_argument(
        "--wait",
        metavar="SECONDS",
        type=float,
        default=10.0,
        help="how long to wait for vpcd to take the card (default: 10)",
    )
    reader = argparse.ArgumentParser(add_help=False)
    reader.add_argument(
        "--reader",
        metavar="NAME",
        default=VPCD_READER,
        help="the reader, or a part of its name (default: %r)" % VPCD_READER,
    )
    reader.add_argument(
        "--wait",
        metavar="SECONDS",
        type=float,
        default=10.0,
        help="how long to wait for a reader and a card (default: 10)",
    )
    tap = subparsers.add_parser(
        "tap", parents=[home, reader], help="the POS: one purchase over PC/SC"
    )
    tap.add_argument("amount", metavar="AMOUNT", help="in yuan, like 25.99")
    load = subparsers.add_parser(
        "load",
        parents=[home, reader],
        help="the issuer's load device: one top-up over PC/SC",
    )
    load.add_argument("amount", metavar="AMOUNT", help="in yuan, like 50.00")


_RUN: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "init": _init,
    "enrol": _enrol,
    "top-up": _top_up,
    "balance": _balance,
    "arm": _arm,
    "tap": _tap,
    "load": _load,
}


def main(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run ``pytee pay <args.pay_command>``; return the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    if args.home is None:
        args.home = default_home()
    args.home = Path(args.home).expanduser()
    try:
        return _RUN[args.pay_command](args, out)
    except CliError as exc:
        message = str(exc)
    except CardRefused as exc:
        message = "the card refused: status word %04X, %s" % (exc.sw, sw_name(exc.sw))
    except (PaymentError, TeeError) as exc:
        message = "%s: %s" % (type(exc).__name__, exc)
    except KeyboardInterrupt:
        message = "interrupted"
    out.flush()
    print("pytee pay %s: %s" % (args.pay_command, message), file=err)
    return 1
