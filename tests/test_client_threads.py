"""Using one context and one session from several threads at once."""

from __future__ import annotations

import threading
from collections.abc import Callable

from pytee import (
    ClosedError,
    Context,
    MemFlag,
    PartialIn,
    PartialInOut,
    Session,
    TargetDead,
    ValueIn,
    ValueOut,
)

import test_ta_ids as ids
from conftest import TestTA

THREADS = 8


def run_threads(count: int, target: Callable[[int], None]) -> None:
    failures: list[BaseException] = []

    def guarded(index: int) -> None:
        try:
            target(index)
        except BaseException as exc:  # reported to the main thread below
            failures.append(exc)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "a thread hung"
    if failures:
        raise failures[0]


def test_sessions_of_one_context_in_parallel(context: Context, test_ta: TestTA) -> None:
    sessions = [context.open_session(test_ta.uuid) for _ in range(THREADS)]

    def work(index: int) -> None:
        for i in range(200):
            (out,) = sessions[index].invoke(
                ids.TA_TEST_CMD_VALUE_ADD, ValueIn(index, i), ValueOut()
            )
            assert out.a == index + i

    run_threads(THREADS, work)
    for session in sessions:
        session.close()


def test_one_session_shared_by_threads_runs_every_call_once(
    context: Context, test_ta: TestTA
) -> None:
    session = context.open_session(test_ta.uuid)
    seen: list[int] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        for _ in range(100):
            (out,) = session.invoke(ids.TA_TEST_CMD_COUNTER, ValueOut())
            with lock:
                seen.append(int(out.a))

    run_threads(THREADS, work)
    assert sorted(seen) == list(range(1, THREADS * 100 + 1))
    session.close()


def test_opening_sessions_from_many_threads(context: Context, test_ta: TestTA) -> None:
    opened: list[Session] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        session = context.open_session(test_ta.multi)
        with lock:
            opened.append(session)

    run_threads(THREADS, work)
    assert len(opened) == THREADS
    counts = sorted(
        int(s.invoke(ids.TA_TEST_CMD_COUNTER, ValueOut())[0].a) for s in opened
    )
    assert counts == list(range(1, THREADS + 1))  # one shared instance
    for session in opened:
        session.close()


def test_one_block_used_by_threads_through_disjoint_windows(
    context: Context, test_ta: TestTA
) -> None:
    shm = context.allocate_shared_memory(THREADS * 64, MemFlag.INPUT | MemFlag.OUTPUT)
    shm.buffer[:] = bytes(range(64)) * THREADS
    sessions = [context.open_session(test_ta.uuid) for _ in range(THREADS)]

    def work(index: int) -> None:
        for _ in range(50):
            sessions[index].invoke(
                ids.TA_TEST_CMD_MEMREF_REVERSE, PartialInOut(shm, index * 64, 64)
            )
        (out,) = sessions[index].invoke(
            ids.TA_TEST_CMD_MEMREF_SUM, PartialIn(shm, index * 64, 64), ValueOut()
        )
        assert out == (sum(range(64)), 64)

    run_threads(THREADS, work)
    assert bytes(shm.buffer) == bytes(range(64)) * THREADS  # reversed an even number
    for session in sessions:
        session.close()
    shm.release()


def test_closing_a_session_while_another_thread_uses_it(
    context: Context, test_ta: TestTA
) -> None:
    session = context.open_session(test_ta.uuid)
    started = threading.Event()
    outcome: list[str] = []

    def worker(index: int) -> None:
        started.set()
        try:
            while True:
                session.invoke(ids.TA_TEST_CMD_WAIT, ValueIn(5, 0), ValueOut())
        except ClosedError:
            outcome.append("closed")
        except TargetDead:
            outcome.append("dead")

    def closer(index: int) -> None:
        started.wait()
        session.close()

    run_threads(2, lambda i: worker(i) if i == 0 else closer(i))
    assert outcome == ["closed"]
    assert session.closed


def test_closing_the_context_while_threads_invoke(test_ta: TestTA) -> None:
    context = Context()
    sessions = [context.open_session(test_ta.uuid) for _ in range(4)]
    started = threading.Barrier(5)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        started.wait()
        try:
            while True:
                sessions[index].invoke(ids.TA_TEST_CMD_NULL)
        except ClosedError:
            with lock:
                outcomes.append("closed")

    def closer(index: int) -> None:
        started.wait()
        context.close()

    run_threads(5, lambda i: worker(i) if i < 4 else closer(i))
    assert outcomes == ["closed"] * 4
    assert context.closed
