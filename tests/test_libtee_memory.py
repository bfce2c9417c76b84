"""libtee: TEE_Malloc and friends, the TA_DATA_SIZE heap, instance data."""

from __future__ import annotations

import pytest

from pytee import Context, Session, Value, ValueInOut, ValueOut

import test_ta_ids as ids
from conftest import TestTA

BLOCK = 1024


def heap_exhaust(session: Session) -> tuple[int, bool]:
    (out,) = session.invoke(ids.TA_TEST_CMD_HEAP_EXHAUST, ValueOut())
    assert out.b in (0, 1)
    return int(out.a), bool(out.b)


def instance_data(session: Session, value: int) -> Value:
    (out,) = session.invoke(ids.TA_TEST_CMD_INSTANCE_DATA, ValueInOut(value, 0))
    return out  # type: ignore[no-any-return]


def test_heap_is_ta_data_size(session: Session) -> None:
    blocks, oversized_failed = heap_exhaust(session)
    # 32 KiB of heap holds at most 32 blocks of 1 KiB; allocator overhead and
    # the session's own blocks may cost a few, but not a quarter of it.
    fewest = ids.TA_TEST_DATA_SIZE * 3 // 4 // BLOCK  # 24
    most = ids.TA_TEST_DATA_SIZE // BLOCK  # 32
    assert fewest <= blocks <= most
    assert oversized_failed  # TEE_Malloc(2 * TA_DATA_SIZE) returned NULL


def test_freed_heap_can_be_used_again(session: Session) -> None:
    first = heap_exhaust(session)
    assert [heap_exhaust(session) for _ in range(3)] == [first] * 3


@pytest.mark.parametrize("build", ["test", "single"], ids=["level4", "level2"])
def test_every_build_has_the_same_heap(
    context: Context, test_ta: TestTA, build: str
) -> None:
    with context.open_session(test_ta.build(build)) as session:
        blocks, oversized_failed = heap_exhaust(session)
    assert 24 <= blocks <= 32
    assert oversized_failed


def test_malloc_realloc_free_fill_move_compare(session: Session) -> None:
    (out,) = session.invoke(ids.TA_TEST_CMD_MALLOC_REALLOC, ValueOut())
    assert (out.a, out.b) == (0, 0), "check %d failed (see test_ta.c)" % out.a


def test_malloc_checks_pass_after_the_heap_was_exhausted(session: Session) -> None:
    heap_exhaust(session)
    (out,) = session.invoke(ids.TA_TEST_CMD_MALLOC_REALLOC, ValueOut())
    assert out.a == 0


def test_instance_data_is_set_once_then_read_back(session: Session) -> None:
    assert instance_data(session, 0x1234) == (0, 1)
    assert instance_data(session, 0x9999) == (0x1234, 0)
    assert instance_data(session, 0) == (0x1234, 0)


def test_instance_data_is_per_instance(context: Context, test_ta: TestTA) -> None:
    with (
        context.open_session(test_ta.uuid) as first,
        context.open_session(test_ta.uuid) as second,
    ):
        assert instance_data(first, 11) == (0, 1)
        assert instance_data(second, 22) == (0, 1)
        assert instance_data(first, 0) == (11, 0)
        assert instance_data(second, 0) == (22, 0)


def test_instance_data_is_shared_by_the_sessions_of_an_instance(
    context: Context, test_ta: TestTA
) -> None:
    with context.open_session(test_ta.multi) as first:
        assert instance_data(first, 77) == (0, 1)
        with Context() as other, other.open_session(test_ta.multi) as second:
            assert instance_data(second, 5) == (77, 0)
    # The instance went with its last session: a new one starts empty.
    with context.open_session(test_ta.multi) as fresh:
        assert instance_data(fresh, 3) == (0, 1)


def test_instance_data_outlives_sessions_of_a_keep_alive_instance(
    context: Context, test_ta: TestTA
) -> None:
    with context.open_session(test_ta.keepalive) as session:
        first = instance_data(session, 0xABCD)
    stored = 0xABCD if first == (0, 1) else first.a
    with context.open_session(test_ta.keepalive) as session:
        assert instance_data(session, 1) == (stored, 0)
