"""The phone as a contactless card behind a real PC/SC stack.

The first part checks :class:`pytee.payment.vpcd.VirtualCard` against a
vpcd peer written here (a TCP server that speaks vpcd's protocol), so it
runs everywhere.  The rest starts a private pcscd with vsmartcard's vpcd
driver (:class:`pytee.payment.pcscd.PrivatePcscd`), serves a card through
it and talks to it with pyscard (:class:`pytee.payment.pcsc.PcscTransport`,
and a pyscard program in a process of its own): first a small ISO 7816-4
card of this file, then the phone's CA and the payment TA, paid by the POS
over PC/SC.  Those tests are skipped, saying why, where pcscd, the vpcd
driver or pyscard is missing (Debian: pcscd, vsmartcard-vpcd; pyscard
builds with swig and libpcsclite-dev; scripts/setup-system.sh installs them).

libpcsclite reads the socket it talks to (``PCSCLITE_CSOCK_NAME``) once per
process: one private pcscd serves the whole run.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_ta import counter_file, storage_folder
from tee_helpers import hosts_of, wait_until

from pytee import Context
from pytee.payment import commands, vpcd
from pytee.payment.card import PhoneCard
from pytee.payment.demo import Scheme, new_scheme
from pytee.payment.pcscd import PcscdError, PrivatePcscd, unavailable
from pytee.payment.phone import Phone
from pytee.payment.ta_ids import TA_PAYMENT_UUID
from pytee.payment.ui import ScriptedPrompter
from pytee.payment.vpcd import (
    CTRL_ATR,
    CTRL_OFF,
    CTRL_ON,
    CTRL_RESET,
    DEFAULT_ATR,
    VirtualCard,
    VpcdError,
    contactless_atr,
)

TEST_AID = bytes.fromhex("F0707974656501")
FCI = bytes.fromhex("6F098407F0707974656501") + b"\x90\x00"
"""IsoCard's answer to SELECT of TEST_AID."""


def reset_card() -> None:
    """Forget the payment TA's card, as test_payment_flow.py does."""
    assert wait_until(lambda: not hosts_of(TA_PAYMENT_UUID)), "payment TA running"
    shutil.rmtree(storage_folder(TA_PAYMENT_UUID), ignore_errors=True)
    counter_file(TA_PAYMENT_UUID).unlink(missing_ok=True)


class IsoCard:
    """A small ISO 7816-4 card: SELECT by AID (FCI or 6A82), an echo
    instruction (``80 EE``) that answers its data, a long answer through
    ``61xx`` and GET RESPONSE (``80 CA``), an answer that wants ``Le``
    told by ``6Cxx`` (``80 CC``), and an instruction that fails (``80 FF``).
    It records what it gets, power-offs as ``"off"``."""

    LONG = bytes(range(200)) * 2

    def __init__(self) -> None:
        self.log: list[bytes | str] = []
        self.selected = False
        self._rest = b""

    def power_off(self) -> None:
        self.log.append("off")
        self.selected = False
        self._rest = b""

    def process(self, apdu: bytes) -> bytes:
        self.log.append(apdu)
        cla, ins, p1, _p2 = apdu[:4]
        body = apdu[5:]
        if (cla, ins) == (0x00, 0xA4) and p1 == 0x04:
            aid = body[: apdu[4]]
            if aid != TEST_AID:
                return b"\x6a\x82"
            self.selected = True
            return FCI
        if not self.selected:
            return b"\x69\x85"
        if (cla, ins) == (0x80, 0xEE):
            return body[: apdu[4]] + b"\x90\x00"
        if (cla, ins) == (0x80, 0xCA):
            self._rest = self.LONG
            return self._next_part(apdu[4] or 256)
        if (cla, ins) == (0x00, 0xC0):
            return self._next_part(apdu[4] or 256)
        if (cla, ins) == (0x80, 0xCC):
            if len(apdu) != 5 or apdu[4] != 9:
                return b"\x6c\x09"
            return b"ninebytes\x90\x00"
        if (cla, ins) == (0x80, 0xFF):
            raise RuntimeError("the card broke")
        return b"\x6d\x00"

    def _next_part(self, le: int) -> bytes:
        part, self._rest = self._rest[:le], self._rest[le:]
        if self._rest:
            return part + b"\x61" + bytes([min(len(self._rest), 256) & 0xFF])
        return part + b"\x90\x00"


# -- the vpcd protocol, against a vpcd of this file ------------------------


class FakeVpcd:
    """The reader end of vpcd's protocol: listens, takes one connection at a
    time, sends framed messages and reads framed answers."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.server.getsockname()[1]
        self.server.settimeout(10)
        self.conn: socket.socket | None = None

    def accept(self) -> socket.socket:
        conn, _ = self.server.accept()
        conn.settimeout(10)
        self.conn = conn
        return conn

    def send(self, message: bytes) -> None:
        assert self.conn is not None
        self.conn.sendall(len(message).to_bytes(2, "big") + message)

    def receive(self) -> bytes:
        assert self.conn is not None
        header = self._exactly(2)
        return self._exactly(int.from_bytes(header, "big"))

    def _exactly(self, size: int) -> bytes:
        assert self.conn is not None
        data = b""
        while len(data) < size:
            chunk = self.conn.recv(size - len(data))
            assert chunk, "the virtual card closed the connection"
            data += chunk
        return data

    def transmit(self, apdu: bytes) -> bytes:
        self.send(apdu)
        return self.receive()

    def close_connection(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def close(self) -> None:
        self.close_connection()
        self.server.close()


@pytest.fixture
def fake_vpcd() -> Iterator[FakeVpcd]:
    fake = FakeVpcd()
    yield fake
    fake.close()


@pytest.fixture
def iso_card() -> IsoCard:
    return IsoCard()


@pytest.fixture
def served(fake_vpcd: FakeVpcd, iso_card: IsoCard) -> Iterator[VirtualCard]:
    """The IsoCard served to the fake vpcd, which has taken the connection."""
    with VirtualCard(
        iso_card, "127.0.0.1", fake_vpcd.port, retry_delay=0.02, away_time=0.02
    ) as virtual:
        fake_vpcd.accept()
        yield virtual


def select_apdu(aid: bytes = TEST_AID) -> bytes:
    return b"\x00\xa4\x04\x00" + bytes([len(aid)]) + aid + b"\x00"


def test_contactless_atr_follows_pc_sc_part_3() -> None:
    atr = contactless_atr(b"\x01\x02\x03")
    assert atr[:4] == bytes.fromhex("3B838001")
    assert atr[4:7] == b"\x01\x02\x03"
    tck = 0
    for byte in atr[1:]:
        tck ^= byte
    assert tck == 0  # TCK makes the XOR of T0..TCK zero
    assert contactless_atr(b"") == bytes.fromhex("3B80800101")
    # Historical bytes 80 (ISO 7816-4), 55 "pytee" (card issuer's data).
    assert bytes.fromhex("3B87800180557079746565AE") == DEFAULT_ATR
    with pytest.raises(ValueError, match="15 historical"):
        contactless_atr(bytes(16))


def test_arguments_are_checked(iso_card: IsoCard) -> None:
    with pytest.raises(ValueError, match="TCP port"):
        VirtualCard(iso_card, port=0)
    with pytest.raises(ValueError, match="ATR"):
        VirtualCard(iso_card, atr=b"\x3b")
    with pytest.raises(ValueError, match="positive"):
        VirtualCard(iso_card, retry_delay=0)


def test_control_messages_and_apdus(
    fake_vpcd: FakeVpcd, served: VirtualCard, iso_card: IsoCard
) -> None:
    fake_vpcd.send(bytes([CTRL_ATR]))
    assert fake_vpcd.receive() == DEFAULT_ATR
    assert wait_until(lambda: served.connected)
    fake_vpcd.send(bytes([CTRL_ON]))
    assert fake_vpcd.transmit(select_apdu()) == FCI
    assert wait_until(lambda: served.powered)
    assert fake_vpcd.transmit(b"\x80\xee\x00\x00\x03abc") == b"abc\x90\x00"
    fake_vpcd.send(bytes([CTRL_OFF]))  # no answer, the card forgets
    assert fake_vpcd.transmit(b"\x80\xee\x00\x00\x01x") == b"\x69\x85"
    assert "off" in iso_card.log and not served.powered
    fake_vpcd.send(bytes([CTRL_ON]))
    fake_vpcd.transmit(select_apdu())
    fake_vpcd.send(bytes([CTRL_RESET]))  # a reset ends the transaction too
    assert fake_vpcd.transmit(b"\x80\xee\x00\x00\x01x") == b"\x69\x85"
    assert iso_card.log.count("off") == 2 and served.powered
    assert served.apdus == 5


def test_unknown_control_codes_are_ignored(
    fake_vpcd: FakeVpcd, served: VirtualCard, caplog: pytest.LogCaptureFixture
) -> None:
    fake_vpcd.send(b"\x03")
    fake_vpcd.send(bytes([CTRL_ATR]))
    assert fake_vpcd.receive() == DEFAULT_ATR
    assert "unknown control code 0x03" in caplog.text


def test_a_failing_card_answers_6f00(
    fake_vpcd: FakeVpcd, served: VirtualCard, caplog: pytest.LogCaptureFixture
) -> None:
    fake_vpcd.transmit(select_apdu())
    with caplog.at_level(logging.ERROR, logger=vpcd.__name__):
        assert fake_vpcd.transmit(b"\x80\xff\x00\x00") == b"\x6f\x00"
    assert "the card broke" in caplog.text
    assert fake_vpcd.transmit(b"\x80\xee\x00\x00\x01y") == b"y\x90\x00"


@pytest.mark.parametrize("answer", [b"", b"\x90", bytes(0x10000)])
def test_an_impossible_answer_becomes_6f00(fake_vpcd: FakeVpcd, answer: bytes) -> None:
    class Broken:
        def process(self, apdu: bytes) -> bytes:
            return answer

    with VirtualCard(Broken(), "127.0.0.1", fake_vpcd.port):
        fake_vpcd.accept()
        assert fake_vpcd.transmit(b"\x00\x00\x00\x00") == b"\x6f\x00"


def test_messages_split_in_pieces_are_joined(
    fake_vpcd: FakeVpcd, served: VirtualCard
) -> None:
    assert fake_vpcd.conn is not None
    fake_vpcd.transmit(select_apdu())
    message = b"\x80\xee\x00\x00\x04wxyz"
    for byte in len(message).to_bytes(2, "big") + message:
        fake_vpcd.conn.sendall(bytes([byte]))
        time.sleep(0.002)
    assert fake_vpcd.receive() == b"wxyz\x90\x00"


def test_an_empty_message_drops_the_connection(
    fake_vpcd: FakeVpcd, served: VirtualCard, iso_card: IsoCard
) -> None:
    fake_vpcd.send(b"")
    fake_vpcd.accept()  # the card reconnects
    assert fake_vpcd.transmit(select_apdu())[-2:] == b"\x90\x00"
    assert served.connections == 2
    assert "off" in iso_card.log


def test_a_lost_connection_powers_off_and_reconnects(
    fake_vpcd: FakeVpcd, served: VirtualCard, iso_card: IsoCard
) -> None:
    fake_vpcd.transmit(select_apdu())
    fake_vpcd.close_connection()
    fake_vpcd.accept()
    assert wait_until(lambda: "off" in iso_card.log)
    assert fake_vpcd.transmit(b"\x80\xee\x00\x00\x01z") == b"\x69\x85"
    assert served.connections == 2


def test_drop_takes_the_card_out_of_the_field(
    fake_vpcd: FakeVpcd, served: VirtualCard, iso_card: IsoCard
) -> None:
    fake_vpcd.transmit(select_apdu())
    served.drop()
    assert fake_vpcd.conn is not None
    assert fake_vpcd.conn.recv(1) == b""  # closed from the card's side
    fake_vpcd.accept()
    assert fake_vpcd.transmit(select_apdu())[-2:] == b"\x90\x00"
    assert iso_card.log.count("off") == 1


def test_it_waits_for_vpcd_then_connects(iso_card: IsoCard) -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens on port now
    with VirtualCard(iso_card, "127.0.0.1", port, retry_delay=0.02) as virtual:
        time.sleep(0.2)
        assert virtual.connections == 0 and virtual.error is None
        with pytest.raises(VpcdError, match="no vpcd reader at 127.0.0.1:%d" % port):
            virtual.wait_connected(0.05)
        server = socket.create_server(("127.0.0.1", port))
        try:
            server.settimeout(10)
            conn, _ = server.accept()
            conn.sendall(b"\x00\x01" + bytes([CTRL_ATR]))
            virtual.wait_connected(10)
            assert conn.recv(64)[2:] == DEFAULT_ATR
            conn.close()
        finally:
            server.close()


def test_stop_ends_the_thread_connected_or_not(
    fake_vpcd: FakeVpcd, iso_card: IsoCard
) -> None:
    before = set(threading.enumerate())
    virtual = VirtualCard(iso_card, "127.0.0.1", fake_vpcd.port).start()
    fake_vpcd.accept()
    fake_vpcd.transmit(select_apdu())
    virtual.stop()
    assert set(threading.enumerate()) == before
    assert iso_card.log[-1] == "off"
    virtual.stop()  # idempotent
    idle = VirtualCard(iso_card, "127.0.0.1", 1, retry_delay=5).start()
    start = time.monotonic()
    idle.stop()
    assert time.monotonic() - start < 2
    assert set(threading.enumerate()) == before
    with pytest.raises(RuntimeError, match="already started"):
        idle.start()


def test_a_host_that_does_not_resolve_is_an_error(iso_card: IsoCard) -> None:
    virtual = VirtualCard(iso_card, "no-such-host.invalid", 35963).start()
    try:
        with pytest.raises(VpcdError, match="cannot resolve vpcd host"):
            virtual.wait_connected(10)
        assert isinstance(virtual.error, VpcdError)
    finally:
        virtual.stop()


# -- a real PC/SC stack: pcscd, vpcd and pyscard ---------------------------

PCSCD_MISSING = unavailable()
pcsc_stack = pytest.mark.skipif(
    PCSCD_MISSING is not None, reason="no private pcscd: %s" % PCSCD_MISSING
)


def pyscard_missing() -> str | None:
    try:
        from pytee.payment.pcsc import load_scard

        load_scard()
    except ImportError as exc:
        return str(exc)
    return None


PYSCARD_MISSING = pyscard_missing()
needs_pyscard = pytest.mark.skipif(
    PYSCARD_MISSING is not None, reason=PYSCARD_MISSING or ""
)


@pytest.fixture(scope="session")
def pcscd() -> Iterator[PrivatePcscd]:
    """One private pcscd for the run, reached through PCSCLITE_CSOCK_NAME."""
    daemon = PrivatePcscd().start()
    saved = {key: os.environ.get(key) for key in daemon.environ}
    os.environ.update(daemon.environ)
    try:
        yield daemon
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        pid = daemon.pid
        daemon.stop()
        assert pid is not None and not Path("/proc/%d" % pid).exists()


@pytest.fixture
def on_reader(pcscd: PrivatePcscd, iso_card: IsoCard) -> Iterator[VirtualCard]:
    """The IsoCard in the private pcscd's vpcd reader."""
    with VirtualCard(iso_card, port=pcscd.port) as virtual:
        virtual.wait_connected()
        yield virtual


@pcsc_stack
def test_private_pcscd_lives_in_its_folder_and_leaves_nothing() -> None:
    system_run = Path("/run/pcscd")
    before = sorted(system_run.iterdir()) if system_run.is_dir() else None
    with PrivatePcscd(user_namespace=True) as daemon:
        assert daemon.running and daemon.socket_path.is_socket()
        folder, pid = daemon.folder, daemon.pid
        assert folder is not None and pid is not None
        assert Path("/proc/%d/comm" % pid).read_text().strip() == "pcscd"
        conf = (folder / "reader.conf.d" / "vpcd").read_text()
        assert "CHANNELID    0x%04X" % daemon.port in conf
        with pytest.raises(PcscdError, match="taken"):
            PrivatePcscd(port=daemon.port).start()
    assert not daemon.running
    assert not folder.exists() and not Path("/proc/%d" % pid).exists()
    daemon.stop()  # idempotent
    assert (sorted(system_run.iterdir()) if system_run.is_dir() else None) == before


@pcsc_stack
@needs_pyscard
def test_apdus_round_trip_through_pcsc(
    pcscd: PrivatePcscd, on_reader: VirtualCard, iso_card: IsoCard
) -> None:
    from pytee.payment.pcsc import PcscTransport

    with PcscTransport(timeout=10) as transport:
        assert pcscd.reader in transport.readers()
        assert transport.reader == pcscd.reader
        assert transport.atr == DEFAULT_ATR
        assert transport.transmit(select_apdu()) == FCI
        assert transport.transmit(select_apdu(b"\xa0\x00\x00\x00\x03")) == b"\x6a\x82"
        transport.transmit(select_apdu())
        for size in (1, 100, 255):
            data = os.urandom(size)
            command = b"\x80\xee\x00\x00" + bytes([size]) + data
            assert transport.transmit(command) == data + b"\x90\x00"
        # 61xx and 6Cxx pass through unless asked for.
        first = transport.transmit(b"\x80\xca\x00\x00\x00")
        assert first[:-2] == IsoCard.LONG[:256] and first[-2] == 0x61
        assert transport.transmit(b"\x80\xcc\x00\x00\x00") == b"\x6c\x09"
        assert transport.transmit(b"\x80\xff\x00\x00") == b"\x6f\x00"
        assert on_reader.apdus == 9
    assert wait_until(lambda: iso_card.log[-1] == "off")  # unpowered on close


@pcsc_stack
@needs_pyscard
def test_the_transport_can_follow_61xx_and_6cxx(
    on_reader: VirtualCard, iso_card: IsoCard
) -> None:
    from pytee.payment.pcsc import PcscTransport

    with PcscTransport(timeout=10, get_response=True) as transport:
        transport.transmit(select_apdu())
        assert transport.transmit(b"\x80\xca\x00\x00\x00") == IsoCard.LONG + b"\x90\x00"
        assert transport.transmit(b"\x80\xcc\x00\x00\x00") == b"ninebytes\x90\x00"


@pcsc_stack
@needs_pyscard
def test_a_field_drop_fails_one_apdu_and_the_next_reconnects(
    on_reader: VirtualCard, iso_card: IsoCard
) -> None:
    from pytee.payment.errors import TransportError
    from pytee.payment.pcsc import PcscError, PcscTransport

    with PcscTransport(timeout=10) as transport:
        assert transport.transmit(select_apdu())[-2:] == b"\x90\x00"
        on_reader.drop()
        with pytest.raises(PcscError) as caught:
            transport.transmit(b"\x80\xee\x00\x00\x01a")
        assert isinstance(caught.value, TransportError)
        # pcscd reports the drop with an error code, or, when the reader
        # went away mid-answer, relays an empty answer: either fails here.
        dropped = caught.value.code is not None or "without status word" in str(
            caught.value
        )
        assert dropped, caught.value
        # The card came back (a new connection to vpcd), unselected.
        assert transport.transmit(b"\x80\xee\x00\x00\x01a") == b"\x69\x85"
        assert transport.transmit(select_apdu())[-2:] == b"\x90\x00"
    assert on_reader.connections == 2


@pcsc_stack
@needs_pyscard
def test_readers_and_cards_that_are_not_there(pcscd: PrivatePcscd) -> None:
    from pytee.payment.pcsc import PcscError, PcscTransport

    transport = PcscTransport("no such reader", timeout=0.3)
    with pytest.raises(PcscError, match="no reader named like 'no such reader'"):
        transport.transmit(select_apdu())
    transport.close()
    # vpcd's second slot is there, with no card in it.
    empty = pcscd.reader.replace(" 00 00", " 00 01")
    transport = PcscTransport(empty, timeout=0.5)
    try:
        with pytest.raises(PcscError, match="no card in %s" % empty):
            transport.connect()
    finally:
        transport.close()
    transport.close()  # idempotent
    with pytest.raises(ValueError, match="closed"):
        transport.transmit(select_apdu())


@needs_pyscard
def test_without_pyscard_the_error_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pytee.payment.pcsc import PcscTransport, PcscUnavailable

    monkeypatch.setitem(sys.modules, "smartcard.scard", None)
    with pytest.raises(PcscUnavailable, match=r"pip install pyscard.*swig"):
        PcscTransport()


PYSCARD_PROGRAM = r"""
import sys
from smartcard.System import readers

reader = next(r for r in readers() if str(r) == sys.argv[1])
connection = reader.createConnection()
connection.connect()
data, sw1, sw2 = connection.transmit(list(bytes.fromhex(sys.argv[2])))
print(bytes(connection.getATR()).hex(), bytes(data).hex(), "%02X%02X" % (sw1, sw2))
connection.disconnect()
"""


@pcsc_stack
@needs_pyscard
def test_another_pyscard_program_sees_the_card(
    pcscd: PrivatePcscd, on_reader: VirtualCard, iso_card: IsoCard
) -> None:
    env = dict(os.environ, **pcscd.environ)
    result = subprocess.run(
        [sys.executable, "-c", PYSCARD_PROGRAM, pcscd.reader, select_apdu().hex()],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    atr, data, sw = result.stdout.split()
    assert bytes.fromhex(atr) == DEFAULT_ATR
    assert bytes.fromhex(data) + bytes.fromhex(sw) == FCI


# -- the phone's CA and the payment TA, paid by the POS over PC/SC ---------


@pytest.fixture
def enrolled_phone(context: Context) -> Iterator[tuple[Phone, Scheme]]:
    """A new phone (as test_payment_flow.py makes them) with 100.00 CNY."""
    reset_card()
    scheme = new_scheme()
    with Phone(context, prompter=ScriptedPrompter([True] * 8)) as phone:
        phone.enrol(scheme.issuer, scheme.acquirer.certificate)
        phone.top_up(scheme.issuer, 10000)
        yield phone, scheme


@pytest.mark.software_tee
@pcsc_stack
@needs_pyscard
def test_a_pos_pays_the_phone_through_pcscd(
    pcscd: PrivatePcscd, enrolled_phone: tuple[Phone, Scheme]
) -> None:
    from pytee.payment.pcsc import PcscTransport

    phone, scheme = enrolled_phone
    with VirtualCard(phone.card, port=pcscd.port) as virtual:
        virtual.wait_connected()
        with PcscTransport(pcscd.reader) as transport:
            first = scheme.pos.purchase(transport, 1999)
        with PcscTransport(pcscd.reader) as transport:  # a second tap
            second = scheme.pos.purchase(transport, 501)
    assert (first.atc, second.atc) == (1, 2)
    assert second.balance == 10000 - 1999 - 501 == phone.balance()
    assert first.device_id == phone.device_certificate.subject_id
    assert first.token == second.token == phone.token  # opened by the acquirer
    assert phone.display.balance == second.balance
    assert virtual.connections == 1 and not phone.card.selected


class TearsAtDebit:
    """The phone's card, taken out of the field once, right after the TA
    has answered the last part of a DEBIT: the answer never reaches the POS."""

    def __init__(self, card: PhoneCard) -> None:
        self.card = card
        self.virtual: VirtualCard | None = None
        self.tore = False

    def power_off(self) -> None:
        self.card.power_off()

    def process(self, apdu: bytes) -> bytes:
        answer = self.card.process(apdu)
        last_debit_part = apdu[1] == commands.INS_DEBIT and not apdu[0] & 0x10
        if last_debit_part and not self.tore and self.virtual is not None:
            self.tore = True
            self.virtual.drop()
        return answer


@pytest.mark.software_tee
@pcsc_stack
@needs_pyscard
def test_the_field_drops_during_debit_and_the_retry_debits_once(
    pcscd: PrivatePcscd, enrolled_phone: tuple[Phone, Scheme]
) -> None:
    from pytee.payment.pcsc import PcscTransport

    phone, scheme = enrolled_phone
    tearing = TearsAtDebit(phone.card)
    with VirtualCard(tearing, port=pcscd.port) as virtual:
        tearing.virtual = virtual
        virtual.wait_connected()
        with PcscTransport(pcscd.reader) as transport:
            purchase = scheme.pos.purchase(transport, 2500)
    assert tearing.tore and virtual.connections == 2
    assert purchase.balance == 7500 == phone.balance()
    assert phone.info().atc == 1
