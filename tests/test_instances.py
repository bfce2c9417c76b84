"""TA instances and their flags (single-instance, multi-session, keep-alive).

The four builds of the test TA differ only in TA_FLAGS.  COUNTER counts in
a global of the instance, so equal or fresh counters show which sessions
share an instance; the "lifecycle" lines the TA writes to its log from its
create, open, close and destroy entry points show which entry points ran,
with the instance's running counts.  Each test runs with the C builds and
with their Python twins.
"""

from __future__ import annotations

import re

import pytest
from tee_helpers import LogTail, hosts_of, ta_log, wait_until

from pytee import AccessDenied, Busy, Context, Origin, Session, ValueIn, ValueOut

import test_ta_ids as ids
from conftest import TestTA, runtime_dir, tee_processes

LIFECYCLE = re.compile(
    r"lifecycle (\w+) create=(\d+) destroy=(\d+) open=(\d+) close=(\d+)$"
)


def counter(session: Session) -> int:
    (out,) = session.invoke(ids.TA_TEST_CMD_COUNTER, ValueOut())
    return int(out.a)


def lifecycle(tail: LogTail) -> list[tuple[str, int, int, int, int]]:
    """The lifecycle events logged since ``tail`` was made, with their counts."""
    events = []
    for line in tail.lines():
        found = LIFECYCLE.search(line)
        if found:
            event, *counts = found.groups()
            create, destroy, opened, closed = (int(count) for count in counts)
            events.append((event, create, destroy, opened, closed))
    return events


def hosts() -> set[int]:
    return {pid for pid, name in tee_processes(runtime_dir()) if name == "tahost"}


# --------------------------------------------------------------------------
# Multi-instance (TA_FLAGS 0)


def test_multi_instance_ta_gives_each_session_fresh_globals(
    context: Context, test_ta: TestTA
) -> None:
    with (
        context.open_session(test_ta.uuid) as first,
        context.open_session(test_ta.uuid) as second,
    ):
        assert [counter(first), counter(first), counter(first)] == [1, 2, 3]
        assert counter(second) == 1
        assert counter(first) == 4
    with Context() as other, other.open_session(test_ta.uuid) as third:
        assert counter(third) == 1


@pytest.mark.software_tee
def test_multi_instance_ta_runs_one_host_per_session(
    context: Context, test_ta: TestTA
) -> None:
    before = hosts()
    with (
        context.open_session(test_ta.uuid) as _first,
        context.open_session(test_ta.uuid) as _second,
    ):
        assert len(hosts() - before) == 2
    assert wait_until(lambda: hosts() <= before, timeout=5)


@pytest.mark.software_tee
def test_multi_instance_entry_points_run_per_session(
    context: Context, test_ta: TestTA
) -> None:
    tail = LogTail(ta_log(test_ta.uuid))
    with context.open_session(test_ta.uuid) as session:
        session.invoke(ids.TA_TEST_CMD_NULL)
    # Closing the last session destroys the instance before close returns.
    assert lifecycle(tail) == [
        ("create", 1, 0, 0, 0),
        ("open", 1, 0, 1, 0),
        ("close", 1, 0, 1, 1),
        ("destroy", 1, 1, 1, 1),
    ]


@pytest.mark.software_tee
def test_refused_open_counts_and_destroys_the_new_instance(
    context: Context, test_ta: TestTA
) -> None:
    tail = LogTail(ta_log(test_ta.uuid))
    with pytest.raises(AccessDenied) as info:
        context.open_session(test_ta.uuid, ValueIn(0xFFFF0001), ValueOut())
    assert info.value.origin == Origin.TRUSTED_APP
    # No close for a session that never opened; the instance goes with it.
    assert lifecycle(tail) == [
        ("create", 1, 0, 0, 0),
        ("open", 1, 0, 1, 0),
        ("destroy", 1, 1, 1, 0),
    ]


# --------------------------------------------------------------------------
# Single-instance, multi-session


def test_single_instance_shares_globals_between_sessions_of_a_context(
    context: Context, test_ta: TestTA
) -> None:
    with (
        context.open_session(test_ta.multi) as first,
        context.open_session(test_ta.multi) as second,
    ):
        assert counter(first) == 1
        assert counter(second) == 2
        assert counter(first) == 3


def test_single_instance_shares_globals_across_contexts(
    context: Context, test_ta: TestTA
) -> None:
    with context.open_session(test_ta.multi) as first:
        assert counter(first) == 1
        with Context() as other, other.open_session(test_ta.multi) as second:
            assert counter(second) == 2
            assert counter(first) == 3


@pytest.mark.software_tee
def test_single_instance_runs_one_host_for_all_its_sessions(
    context: Context, test_ta: TestTA
) -> None:
    before = hosts()
    with context.open_session(test_ta.multi) as _first:
        started = hosts() - before
        assert len(started) == 1
        with Context() as other, other.open_session(test_ta.multi):
            assert hosts() - before == started


@pytest.mark.software_tee
def test_single_instance_entry_points(context: Context, test_ta: TestTA) -> None:
    tail = LogTail(ta_log(test_ta.multi))
    with context.open_session(test_ta.multi) as _first:
        second = context.open_session(test_ta.multi)
        second.close()
        # One session left: the instance lives on.
        assert lifecycle(tail) == [
            ("create", 1, 0, 0, 0),
            ("open", 1, 0, 1, 0),
            ("open", 1, 0, 2, 0),
            ("close", 1, 0, 2, 1),
        ]
    assert lifecycle(tail)[4:] == [
        ("close", 1, 0, 2, 2),
        ("destroy", 1, 1, 2, 2),
    ]
    assert wait_until(lambda: not hosts_of(test_ta.multi), timeout=5)


@pytest.mark.parametrize("build", ["multi", "keepalive"], ids=["multi", "keep"])
def test_a_refused_open_leaves_a_shared_instance_alone(
    context: Context, test_ta: TestTA, build: str
) -> None:
    uuid = test_ta.build(build)
    with context.open_session(uuid) as first:
        start = counter(first)
        with pytest.raises(AccessDenied) as info:
            context.open_session(uuid, ValueIn(0xFFFF0001), ValueOut())
        assert info.value.origin == Origin.TRUSTED_APP
        assert counter(first) == start + 1


def test_a_refused_first_open_keeps_a_keep_alive_instance(
    context: Context, test_ta: TestTA
) -> None:
    with context.open_session(test_ta.keepalive) as session:
        start = counter(session)
    with pytest.raises(AccessDenied):
        context.open_session(test_ta.keepalive, ValueIn(0xFFFF0001), ValueOut())
    with context.open_session(test_ta.keepalive) as session:
        assert counter(session) == start + 1


def test_single_instance_without_keep_alive_starts_afresh(
    context: Context, test_ta: TestTA
) -> None:
    with context.open_session(test_ta.multi) as session:
        assert [counter(session), counter(session)] == [1, 2]
    with context.open_session(test_ta.multi) as session:
        assert counter(session) == 1


# --------------------------------------------------------------------------
# Single-instance, single-session


def test_second_session_of_a_single_session_ta_is_busy(
    context: Context, test_ta: TestTA
) -> None:
    with context.open_session(test_ta.single) as first:
        assert counter(first) == 1
        with pytest.raises(Busy) as info:
            context.open_session(test_ta.single)
        assert info.value.code == 0xFFFF000D
        assert info.value.origin == Origin.TEE
        with Context() as other, pytest.raises(Busy) as info:
            other.open_session(test_ta.single)
        assert info.value.origin == Origin.TEE
        # The refused opens did not disturb the instance.
        assert counter(first) == 2
    with context.open_session(test_ta.single) as again:
        assert counter(again) == 1


@pytest.mark.software_tee
def test_busy_open_never_reaches_the_ta(context: Context, test_ta: TestTA) -> None:
    with context.open_session(test_ta.single):
        tail = LogTail(ta_log(test_ta.single))
        with pytest.raises(Busy):
            context.open_session(test_ta.single)
        assert lifecycle(tail) == []


# --------------------------------------------------------------------------
# Keep-alive


def test_keep_alive_instance_keeps_its_globals_without_sessions(
    context: Context, test_ta: TestTA
) -> None:
    with context.open_session(test_ta.keepalive) as session:
        start = counter(session)
    with Context() as other, other.open_session(test_ta.keepalive) as later:
        assert counter(later) == start + 1
    with context.open_session(test_ta.keepalive) as session:
        assert counter(session) == start + 2


@pytest.mark.software_tee
def test_keep_alive_host_stays_and_is_never_destroyed_by_a_close(
    context: Context, test_ta: TestTA
) -> None:
    with context.open_session(test_ta.keepalive):
        (host,) = hosts_of(test_ta.keepalive)
    assert hosts_of(test_ta.keepalive) == {host}  # no session: still there
    tail = LogTail(ta_log(test_ta.keepalive))
    with Context() as other, other.open_session(test_ta.keepalive):
        pass
    with context.open_session(test_ta.keepalive):
        assert hosts_of(test_ta.keepalive) == {host}
    events = lifecycle(tail)
    assert [event for event, *_ in events] == ["open", "close", "open", "close"]
    assert all(create == 1 and destroy == 0 for _, create, destroy, _o, _c in events)


def test_keep_alive_instance_is_shared_by_sessions(
    context: Context, test_ta: TestTA
) -> None:
    with (
        context.open_session(test_ta.keepalive) as first,
        context.open_session(test_ta.keepalive) as second,
    ):
        start = counter(first)
        assert counter(second) == start + 1
