"""Cancelling a running command from another thread (TEEC_RequestCancellation)."""

from __future__ import annotations

import threading
import time

import pytest

from pytee import Cancel, CancelToken, Origin, Session, ValueIn, ValueOut

import test_ta_ids as ids


def cancel_after(token: CancelToken, delay: float) -> threading.Thread:
    def later() -> None:
        time.sleep(delay)
        token.cancel()

    thread = threading.Thread(target=later)
    thread.start()
    return thread


@pytest.mark.software_tee  # OP-TEE wakes the TA only when the wait is over
def test_cancel_interrupts_a_long_wait_promptly(session: Session) -> None:
    token = CancelToken()
    thread = cancel_after(token, 0.3)
    start = time.monotonic()
    with pytest.raises(Cancel) as info:
        session.invoke(
            ids.TA_TEST_CMD_WAIT, ValueIn(20_000, 1), ValueOut(), cancel=token
        )
    elapsed = time.monotonic() - start
    thread.join()
    assert info.value.origin == Origin.TRUSTED_APP
    assert 0.25 <= elapsed < 5, elapsed
    assert token.cancelled
    # The session is not harmed: the next command runs normally.
    (out,) = session.invoke(ids.TA_TEST_CMD_VALUE_ADD, ValueIn(1, 2), ValueOut())
    assert out.a == 3


def test_masked_cancellation_lets_the_command_finish(session: Session) -> None:
    token = CancelToken()
    thread = cancel_after(token, 0.05)
    start = time.monotonic()
    (out,) = session.invoke(
        ids.TA_TEST_CMD_WAIT, ValueIn(400, 0), ValueOut(), cancel=token
    )
    elapsed = time.monotonic() - start
    thread.join()
    assert elapsed >= 0.35
    assert out.a == 0  # TEE_GetCancellationFlag is false while masked


def test_a_cancelled_token_stops_later_calls_before_the_ta(session: Session) -> None:
    token = CancelToken()
    token.cancel()
    token.cancel()  # idempotent
    with pytest.raises(Cancel) as info:
        session.invoke(ids.TA_TEST_CMD_NULL, cancel=token)
    assert info.value.origin == Origin.API
    (count,) = session.invoke(ids.TA_TEST_CMD_SESSION_INFO, ValueOut())
    assert count.b == 1  # the cancelled call never reached the TA


def test_cancel_token_must_be_a_cancel_token(session: Session) -> None:
    with pytest.raises(TypeError):
        session.invoke(ids.TA_TEST_CMD_NULL, cancel=True)  # type: ignore[arg-type]


def test_other_threads_run_while_a_call_waits(session: Session) -> None:
    """cffi releases the GIL during the C call."""
    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.01)

    thread = threading.Thread(target=spin)
    thread.start()
    session.invoke(ids.TA_TEST_CMD_WAIT, ValueIn(300, 0), ValueOut())
    stop.set()
    thread.join()
    assert ticks >= 10
