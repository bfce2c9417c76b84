"""The payment TA seen from the phone's client application (CA).

:class:`PaymentTa` is one session with the payment TA (``csrc/ta/payment``)
and one shared memory block: the commands that carry the large data of a
transaction (ENROL, GPO, DEBIT) pass their input and output through two
windows of that block (``MEMREF_PARTIAL_INPUT`` and
``MEMREF_PARTIAL_OUTPUT``, patent claims 2 and 8), mapped once for the
life of the object.  Each method is one command of docs/payment.md, "The
TA's interface"; its bytes are the TA's fixed layouts, and a TA result
other than success raises its :class:`pytee.TeeError` subclass
(:class:`~pytee.BadState`, :class:`~pytee.Security`...) unchanged.

The transaction state lives in the session (the TA's SELECT starts a new
one).  A call that raises :class:`~pytee.TargetDead` (the TA instance
died: its sessions are dead for good) drops the session too, so the next
call opens a new one with the new instance.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pytee.client import (
    Context,
    Parameter,
    PartialIn,
    PartialOut,
    Session,
    SharedMemory,
    TempIn,
    TempOut,
    ValueIn,
    ValueOut,
)
from pytee.constants import MemFlag
from pytee.errors import ClosedError, TargetDead
from pytee.payment import ta_ids
from pytee.payment.wire import LoadReceipt

__all__ = ["BLOCK_SIZE", "LastLoad", "PaymentTa", "TaInfo"]

BLOCK_SIZE = max(
    ta_ids.PAYMENT_ENROL_MAX,
    ta_ids.PAYMENT_GPO_REQUEST_LEN + ta_ids.PAYMENT_GPO_RESPONSE_MAX,
    ta_ids.PAYMENT_DEBIT_REQUEST_MAX + ta_ids.PAYMENT_DEBIT_RECEIPT_LEN,
)
"""The size of the shared block: the largest input and output of one call."""


class TaInfo(NamedTuple):
    """What GET_INFO tells: state bits, counters and the balance (fen)."""

    state: int
    atc: int
    balance: int
    load_counter: int
    pin_tries: int

    @property
    def has_key(self) -> bool:
        return bool(self.state & ta_ids.PAYMENT_STATE_KEY)

    @property
    def enrolled(self) -> bool:
        return bool(self.state & ta_ids.PAYMENT_STATE_ENROLLED)

    @property
    def pin_set(self) -> bool:
        return bool(self.state & ta_ids.PAYMENT_STATE_PIN_SET)


class LastLoad(NamedTuple):
    """What LAST_LOAD tells: the receipt of the last load credited (signed
    again) and its amount (fen), which the receipt's signature covers."""

    receipt: LoadReceipt
    amount: int


class PaymentTa:
    """A session with the payment TA and the shared block of its large data.

    The object holds ``context`` open; :meth:`close` ends the session and
    releases the block (idempotent).  It is also a context manager.
    """

    def __init__(self, context: Context, uuid: str = ta_ids.TA_PAYMENT_UUID) -> None:
        self.context = context
        self.uuid = uuid
        self._block: SharedMemory | None = context.allocate_shared_memory(
            BLOCK_SIZE, MemFlag.INPUT | MemFlag.OUTPUT
        )
        self._session: Session | None = None
        try:
            self._session = context.open_session(uuid)
        except BaseException:
            self._block.release()
            self._block = None
            raise

    # -- life --------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._block is None

    def close(self) -> None:
        """End the session and release the block; idempotent."""
        session, self._session = self._session, None
        block, self._block = self._block, None
        try:
            if session is not None:
                session.close()
        finally:
            if block is not None:
                block.release()

    def __enter__(self) -> PaymentTa:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()

    def _require_block(self) -> SharedMemory:
        if self._block is None:
            raise ClosedError("the payment TA client is closed")
        return self._block

    def _require_session(self) -> Session:
        self._require_block()
        if self._session is None:
            # the TA died under the last one: open one now
            self._session = self.context.open_session(self.uuid)
        return self._session

    def _invoke(self, command: int, *params: Parameter) -> tuple[Any, ...]:
        """Invoke ``command`` in the session (opened if need be).  A TA that
        died (``TargetDead``) left the session dead for good (GP): it is
        closed and dropped, so that the next call opens a new one; this one
        still raises."""
        session = self._require_session()
        try:
            return session.invoke(command, *params)
        except TargetDead:
            if self._session is session:
                self._session = None
            session.close()
            raise

    def _through_block(self, command: int, data: bytes, room: int) -> bytes:
        """Invoke ``command`` with ``data`` in the block's first window and
        ``room`` bytes of answer in the window after it."""
        block = self._require_block()
        size = len(data)
        if size + room > block.size:
            raise ValueError(
                "%d bytes in and %d out do not fit the %d-byte block"
                % (size, room, block.size)
            )
        view = block.buffer
        try:
            view[:size] = data
        finally:
            view.release()
        (written,) = self._invoke(
            command, PartialIn(block, 0, size), PartialOut(block, size, room)
        )
        try:
            return bytes(written)
        finally:
            written.release()

    # -- the commands --------------------------------------------------------

    def keygen(self) -> bytes:
        """KEYGEN: the device public key (65 bytes), made on the first call."""
        (public,) = self._invoke(
            ta_ids.PAYMENT_CMD_KEYGEN, TempOut(ta_ids.PAYMENT_PUBKEY_LEN)
        )
        return bytes(public)

    def info(self) -> TaInfo:
        """GET_INFO: state bits, ATC, balance, load counter, PIN tries left."""
        p0, p1, p2 = self._invoke(
            ta_ids.PAYMENT_CMD_GET_INFO, ValueOut(), ValueOut(), ValueOut()
        )
        return TaInfo(p0.a, p0.b, p1.a << 32 | p1.b, p2.a, p2.b)

    def enrol(self, record: bytes) -> None:
        """ENROL with the issuer's enrolment record (through the block)."""
        block = self._require_block()
        size = len(record)
        if size > block.size:
            raise ValueError("an enrolment record of %d bytes is too long" % size)
        view = block.buffer
        try:
            view[:size] = record
        finally:
            view.release()
        self._invoke(ta_ids.PAYMENT_CMD_ENROL, PartialIn(block, 0, size))

    def init_load(self) -> bytes:
        """INIT_LOAD: ``challenge || load counter || device id``."""
        (out,) = self._invoke(
            ta_ids.PAYMENT_CMD_INIT_LOAD, TempOut(ta_ids.PAYMENT_INIT_LOAD_LEN)
        )
        return bytes(out)

    def credit_load(self, authorisation: bytes) -> bytes:
        """CREDIT_LOAD with the issuer's authorisation: the load receipt."""
        (out,) = self._invoke(
            ta_ids.PAYMENT_CMD_CREDIT_LOAD,
            TempIn(bytes(authorisation)),
            TempOut(ta_ids.PAYMENT_LOAD_RECEIPT_LEN),
        )
        return bytes(out)

    def last_load(self) -> LastLoad:
        """LAST_LOAD: the receipt of the last load the TA credited, signed
        again, and its amount: for a CREDIT_LOAD whose answer was lost.
        :class:`~pytee.ItemNotFound` when the TA credited no load yet."""
        out, amount = self._invoke(
            ta_ids.PAYMENT_CMD_LAST_LOAD,
            TempOut(ta_ids.PAYMENT_LOAD_RECEIPT_LEN),
            ValueOut(),
        )
        return LastLoad(LoadReceipt.decode(bytes(out)), amount.a << 32 | amount.b)

    def select(self) -> None:
        """SELECT: start a transaction in this session."""
        self._invoke(ta_ids.PAYMENT_CMD_SELECT)

    def gpo(self, request: bytes) -> bytes:
        """GPO with the 42-byte request: the GPO response (through the block)."""
        return self._through_block(
            ta_ids.PAYMENT_CMD_GPO, bytes(request), ta_ids.PAYMENT_GPO_RESPONSE_MAX
        )

    def debit(self, request: bytes) -> bytes:
        """DEBIT with the terminal's signed request: the receipt (through the
        block)."""
        return self._through_block(
            ta_ids.PAYMENT_CMD_DEBIT, bytes(request), ta_ids.PAYMENT_DEBIT_RECEIPT_LEN
        )

    def set_pin(self) -> None:
        """SET_PIN: the TA asks the user for a new PIN on the trusted UI (the
        current one first if a PIN is set).  Nothing of the PIN passes here;
        the call returns when the user has answered the trusted screen."""
        self._invoke(ta_ids.PAYMENT_CMD_SET_PIN)

    def read_cert(self, which: int) -> bytes:
        """READ_CERT: the issuer key (1), device (2) or acquirer (3) certificate."""
        (out,) = self._invoke(
            ta_ids.PAYMENT_CMD_READ_CERT,
            ValueIn(which),
            TempOut(ta_ids.PAYMENT_CERT_MAX),
        )
        return bytes(out)
