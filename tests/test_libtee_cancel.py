"""libtee: cancellation (TEE_Wait, TEE_GetCancellationFlag, masking).

WAIT runs TEE_Wait(a ms), with cancellation unmasked when b is 1, and
reports TEE_GetCancellationFlag() right after.  The raw GP functions are
used where the outputs of a cancelled call matter: the Pythonic layer raises
instead of returning them.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from pytee import Cancel, CancelToken, Origin, Result, Session, ValueIn, ValueOut, teec

import test_ta_ids as ids
from conftest import TestTA

VALUE_IN_OUT = 0x1 | 0x2 << 4  # VALUE_INPUT, VALUE_OUTPUT


class RawSession:
    """A context and a session made with the raw GP functions."""

    def __init__(self, ta: str) -> None:
        self.ta = ta
        library = teec.load()
        self.ffi: Any = library.ffi
        self.lib: Any = library.lib
        self.context = self.ffi.new("TEEC_Context *")
        assert self.lib.TEEC_InitializeContext(self.ffi.NULL, self.context) == 0
        destination = self.ffi.new("TEEC_UUID *")
        octets = uuid.UUID(ta).bytes
        destination.timeLow = int.from_bytes(octets[0:4], "big")
        destination.timeMid = int.from_bytes(octets[4:6], "big")
        destination.timeHiAndVersion = int.from_bytes(octets[6:8], "big")
        destination.clockSeqAndNode = list(octets[8:])
        self.session = self.ffi.new("TEEC_Session *")
        origin = self.ffi.new("uint32_t *")
        result = self.lib.TEEC_OpenSession(
            self.context,
            self.session,
            destination,
            0,
            self.ffi.NULL,
            self.ffi.NULL,
            origin,
        )
        if result != 0:
            self.lib.TEEC_FinalizeContext(self.context)
            raise AssertionError("open: %#x origin %d" % (result, origin[0]))

    def wait_operation(self, ms: int, unmask: bool) -> Any:
        operation = self.ffi.new("TEEC_Operation *")
        operation.paramTypes = VALUE_IN_OUT
        operation.params[0].value.a = ms
        operation.params[0].value.b = 1 if unmask else 0
        operation.params[1].value.a = 0xDEAD  # must be overwritten
        return operation

    def invoke(self, operation: Any) -> tuple[int, int, int]:
        """WAIT with ``operation``: (result, origin, cancellation flag)."""
        origin = self.ffi.new("uint32_t *")
        result = self.lib.TEEC_InvokeCommand(
            self.session, ids.TA_TEST_CMD_WAIT, operation, origin
        )
        return int(result), int(origin[0]), int(operation.params[1].value.a)

    def cancel(self, operation: Any) -> None:
        self.lib.TEEC_RequestCancellation(operation)

    def close(self) -> None:
        self.lib.TEEC_CloseSession(self.session)
        self.lib.TEEC_FinalizeContext(self.context)


@pytest.fixture
def raw(test_ta: TestTA) -> Iterator[RawSession]:
    opened = RawSession(test_ta.uuid)
    yield opened
    opened.close()


class Call(threading.Thread):
    """An invoke running in a thread; ``outcome`` and ``ended`` once done."""

    def __init__(self, raw: RawSession, operation: Any) -> None:
        super().__init__(daemon=True)
        self.raw = raw
        self.operation = operation
        self.outcome: tuple[int, int, int] | None = None
        self.ended = 0.0

    def run(self) -> None:
        self.outcome = self.raw.invoke(self.operation)
        self.ended = time.monotonic()


def cancel_until_done(raw: RawSession, call: Call, delay: float) -> float:
    """Request cancellation after ``delay`` s (again every 50 ms while the call
    runs: a request that comes before libteec sent the call is lost, as
    with OP-TEE); return when the first request was made."""
    time.sleep(delay)
    first = time.monotonic()
    while call.is_alive() and time.monotonic() - first < 15:
        raw.cancel(call.operation)
        call.join(0.05)
    return first


@pytest.mark.software_tee
def test_unmasked_wait_ends_with_cancel_as_soon_as_the_client_cancels(
    raw: RawSession,
) -> None:
    call = Call(raw, raw.wait_operation(10_000, unmask=True))
    call.start()
    requested = cancel_until_done(raw, call, 0.3)
    call.join(15)
    assert call.outcome is not None
    result, origin, flag = call.outcome
    assert result == Result.CANCEL
    assert origin == Origin.TRUSTED_APP
    assert call.ended - requested < 1.0
    assert flag == 1  # TEE_GetCancellationFlag() after the cancelled wait


@pytest.mark.software_tee
def test_cancel_token_ends_an_unmasked_wait(session: Session) -> None:
    token = CancelToken()
    timer = threading.Timer(0.2, token.cancel)
    timer.start()
    start = time.monotonic()
    try:
        with pytest.raises(Cancel) as info:
            session.invoke(
                ids.TA_TEST_CMD_WAIT, ValueIn(10_000, 1), ValueOut(), cancel=token
            )
    finally:
        timer.cancel()
    assert time.monotonic() - start < 1.2
    assert info.value.origin == Origin.TRUSTED_APP


def test_masked_wait_is_not_cut_short(session: Session) -> None:
    token = CancelToken()
    timer = threading.Timer(0.05, token.cancel)
    timer.start()
    start = time.monotonic()
    (out,) = session.invoke(
        ids.TA_TEST_CMD_WAIT, ValueIn(300, 0), ValueOut(), cancel=token
    )
    elapsed = time.monotonic() - start
    timer.join()
    assert elapsed >= 0.3
    # Masked: TEE_GetCancellationFlag() says false even though a request came.
    assert (out.a, out.b) == (0, 0)


def test_masked_raw_wait_succeeds_despite_requests(raw: RawSession) -> None:
    call = Call(raw, raw.wait_operation(400, unmask=False))
    start = time.monotonic()
    call.start()
    cancel_until_done(raw, call, 0.05)
    call.join(5)
    assert call.outcome == (Result.SUCCESS, Origin.TRUSTED_APP, 0)
    assert call.ended - start >= 0.4


def test_unmasked_wait_without_a_request_runs_its_time(raw: RawSession) -> None:
    start = time.monotonic()
    outcome = raw.invoke(raw.wait_operation(150, unmask=True))
    assert time.monotonic() - start >= 0.15
    assert outcome == (Result.SUCCESS, Origin.TRUSTED_APP, 0)


def test_cancel_before_an_invoke_is_harmless(raw: RawSession) -> None:
    raw.cancel(raw.ffi.NULL)
    operation = raw.wait_operation(200, unmask=True)
    raw.cancel(operation)  # not running: nothing to cancel
    start = time.monotonic()
    assert raw.invoke(operation) == (Result.SUCCESS, Origin.TRUSTED_APP, 0)
    assert time.monotonic() - start >= 0.2


def test_cancel_after_an_invoke_is_harmless(raw: RawSession) -> None:
    operation = raw.wait_operation(10, unmask=True)
    assert raw.invoke(operation)[0] == Result.SUCCESS
    raw.cancel(operation)  # finished: nothing to cancel
    operation.params[0].value.a = 200
    start = time.monotonic()
    assert raw.invoke(operation) == (Result.SUCCESS, Origin.TRUSTED_APP, 0)
    assert time.monotonic() - start >= 0.2


@pytest.mark.software_tee
def test_a_cancelled_call_leaves_the_next_one_alone(raw: RawSession) -> None:
    call = Call(raw, raw.wait_operation(10_000, unmask=True))
    call.start()
    cancel_until_done(raw, call, 0.2)
    call.join(15)
    assert call.outcome is not None and call.outcome[0] == Result.CANCEL
    start = time.monotonic()
    assert raw.invoke(raw.wait_operation(200, unmask=True)) == (
        Result.SUCCESS,
        Origin.TRUSTED_APP,
        0,
    )
    assert time.monotonic() - start >= 0.2


@pytest.mark.software_tee
def test_cancelling_one_session_leaves_another_running(raw: RawSession) -> None:
    other = RawSession(raw.ta)
    try:
        victim = Call(raw, raw.wait_operation(10_000, unmask=True))
        bystander = Call(other, other.wait_operation(600, unmask=True))
        start = time.monotonic()
        victim.start()
        bystander.start()
        cancel_until_done(raw, victim, 0.2)
        victim.join(15)
        bystander.join(15)
        assert victim.outcome is not None and victim.outcome[0] == Result.CANCEL
        assert bystander.outcome == (Result.SUCCESS, Origin.TRUSTED_APP, 0)
        assert bystander.ended - start >= 0.6
    finally:
        other.close()
