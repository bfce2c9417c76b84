"""libtee: the Time API (GP TEE Internal Core API v1.3.1, 7.2).

System time is monotonic and agrees with TEE_Wait; REE time is the host's
wall clock; TA persistent time is per TA, starts unset, survives the
instance that set it, overflows as GP says and needs a reset when its
stored state is damaged.  The persistent-time tests that touch the stored
file (``<data folder>/time/<TA UUID>``) need pytee's software TEE.
"""

from __future__ import annotations

import hashlib
import struct
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import arith_ta as at
import pytest
from arith_ta import ArithTA
from tee_helpers import data_dir

from pytee import Context, Result, TimeNotSet

# Slack for scheduling between the client's clock reads and the TA's.
SLACK_MS = 2000


@pytest.fixture
def ta(context: Context) -> Iterator[ArithTA]:
    with context.open_session(at.TA_ARITH_TEST_UUID) as session:
        yield ArithTA(session)


@pytest.fixture
def peer(context: Context) -> Iterator[ArithTA]:
    with context.open_session(at.TA_ARITH_TEST_PEER_UUID) as session:
        yield ArithTA(session)


def time_file(ta_uuid: str) -> Path:
    return data_dir() / "time" / ta_uuid


@pytest.fixture
def unset() -> None:
    """Both TAs start without a persistent time."""
    for ta_uuid in (at.TA_ARITH_TEST_UUID, at.TA_ARITH_TEST_PEER_UUID):
        time_file(ta_uuid).unlink(missing_ok=True)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


# ------------------------------------------------------------ system, REE


def test_system_time_is_monotonic_and_advances(ta: ArithTA) -> None:
    readings = [ta.system_time() for _ in range(50)]
    assert all(t.millis < 1000 for t in readings)
    ms = [t.ms for t in readings]
    assert ms == sorted(ms)
    time.sleep(0.05)
    assert 50 <= ta.system_time().ms - ms[-1] < 50 + SLACK_MS


def test_system_time_counts_at_least_the_time_tee_wait_waits(ta: ArithTA) -> None:
    for wait in (0, 1, 30):
        elapsed, result = ta.wait_elapsed(wait)
        assert result == Result.SUCCESS
        assert wait <= elapsed < wait + SLACK_MS


def test_ree_time_is_the_wall_clock(ta: ArithTA) -> None:
    before = now_ms()
    ree = ta.ree_time()
    after = now_ms()
    assert ree.millis < 1000
    assert before - 1 <= ree.ms <= after + 1


# ------------------------------------------------------ persistent time


@pytest.mark.usefixtures("unset")
@pytest.mark.software_tee
def test_persistent_time_starts_unset(ta: ArithTA) -> None:
    assert ta.persistent_time() == (Result.TIME_NOT_SET, (0, 0))


@pytest.mark.usefixtures("unset")
@pytest.mark.software_tee
def test_unset_persistent_time_is_a_time_not_set_error(ta: ArithTA) -> None:
    with pytest.raises(TimeNotSet) as info:
        ta.checked_persistent_time()
    assert info.value.code == Result.TIME_NOT_SET


def test_persistent_time_reads_back_what_was_set_and_advances(ta: ArithTA) -> None:
    ta.set_persistent_time(1_000_000, 250)
    code, first = ta.persistent_time()
    assert code == Result.SUCCESS
    assert 1_000_000_250 <= first.ms < 1_000_000_250 + SLACK_MS
    time.sleep(0.1)
    code, second = ta.persistent_time()
    assert code == Result.SUCCESS
    assert first.ms + 100 <= second.ms < first.ms + 100 + SLACK_MS


def test_persistent_time_millis_carry_into_seconds(ta: ArithTA) -> None:
    ta.set_persistent_time(10, 2500)
    code, got = ta.persistent_time()
    assert code == Result.SUCCESS and got.millis < 1000
    assert 12_500 <= got.ms < 12_500 + SLACK_MS


def test_persistent_time_survives_the_instance(context: Context) -> None:
    with context.open_session(at.TA_ARITH_TEST_UUID) as session:
        ArithTA(session).set_persistent_time(2_000_000, 0)
    with context.open_session(at.TA_ARITH_TEST_UUID) as session:
        code, got = ArithTA(session).persistent_time()
    assert code == Result.SUCCESS
    assert 2_000_000_000 <= got.ms < 2_000_000_000 + SLACK_MS


@pytest.mark.usefixtures("unset")
@pytest.mark.software_tee
def test_persistent_time_is_per_ta(ta: ArithTA, peer: ArithTA) -> None:
    ta.set_persistent_time(3_000_000, 0)
    assert peer.persistent_time()[0] == Result.TIME_NOT_SET
    peer.set_persistent_time(5, 0)
    code, mine = ta.persistent_time()
    assert code == Result.SUCCESS and mine.seconds >= 3_000_000
    code, theirs = peer.persistent_time()
    assert code == Result.SUCCESS and theirs.seconds < 5 + SLACK_MS // 1000


def test_persistent_time_overflow_returns_the_truncated_time(ta: ArithTA) -> None:
    ta.set_persistent_time(0xFFFFFFFF, 999)
    time.sleep(0.01)
    code, got = ta.persistent_time()
    assert code == Result.OVERFLOW
    # 2^32 seconds and a little more, modulo 2^32
    assert got.seconds < SLACK_MS // 1000 + 1 and got.millis < 1000


def test_persistent_time_at_the_last_second_does_not_overflow(ta: ArithTA) -> None:
    ta.set_persistent_time(0xFFFFFFFF - 100, 0)
    code, got = ta.persistent_time()
    assert code == Result.SUCCESS
    assert got.seconds >= 0xFFFFFFFF - 100


# -------------------------------------------------- damaged stored state


def _stored(offset_ms: int, ta_uuid: str) -> bytes:
    """A time file as libtee writes it (layout in csrc/libtee/time.c)."""
    body = b"PYTEETM1" + uuid.UUID(ta_uuid).bytes + struct.pack(">q", offset_ms)
    return body + hashlib.sha256(body).digest()


@pytest.mark.software_tee
def test_the_stored_file_has_the_documented_layout(ta: ArithTA) -> None:
    path = time_file(at.TA_ARITH_TEST_UUID)
    before = now_ms()
    ta.set_persistent_time(4_000_000, 0)
    after = now_ms()
    data = path.read_bytes()
    assert len(data) == 64 and oct(path.stat().st_mode & 0o777) == "0o600"
    offsets = {
        _stored(4_000_000_000 - t, at.TA_ARITH_TEST_UUID)
        for t in range(before - 1, after + 2)
    }
    assert data in offsets


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "empty": lambda data: b"",
    "truncated": lambda data: data[:63],
    "longer": lambda data: data + b"\0",
    "bit_flipped": lambda data: data[:30] + bytes([data[30] ^ 1]) + data[31:],
    "hash_flipped": lambda data: data[:-1] + bytes([data[-1] ^ 0x80]),
    "other_ta": lambda data: _stored(0, at.TA_ARITH_TEST_PEER_UUID),
    "before_1970": lambda data: _stored(-now_ms() - 10**9, at.TA_ARITH_TEST_UUID),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
@pytest.mark.software_tee
def test_damaged_state_needs_a_reset(
    ta: ArithTA, damage: Callable[[bytes], bytes]
) -> None:
    ta.set_persistent_time(6_000_000, 0)
    path = time_file(at.TA_ARITH_TEST_UUID)
    path.write_bytes(damage(path.read_bytes()))
    assert ta.persistent_time() == (Result.TIME_NEEDS_RESET, (0, 0))
    ta.set_persistent_time(7_000_000, 0)
    code, got = ta.persistent_time()
    assert code == Result.SUCCESS and got.seconds >= 7_000_000
