"""Shared memory: allocated (zero copy) and registered blocks, whole and partial."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable

import pytest

from pytee import (
    BadParameters,
    ClosedError,
    Context,
    MemFlag,
    Origin,
    Parameter,
    PartialIn,
    PartialInOut,
    PartialOut,
    Session,
    SharedMemory,
    ShortBuffer,
    TempOut,
    ValueIn,
    ValueInOut,
    ValueOut,
    Whole,
)

import test_ta_ids as ids

INOUT = MemFlag.INPUT | MemFlag.OUTPUT


def commands_run(session: Session) -> int:
    """How many commands the TA has run in this session (this query excluded)."""
    (info,) = session.invoke(ids.TA_TEST_CMD_SESSION_INFO, ValueOut())
    return int(info.b) - 1


def test_allocated_block_is_a_writable_view_of_its_size(context: Context) -> None:
    with context.allocate_shared_memory(64) as shm:
        assert shm.size == len(shm) == 64
        assert shm.flags == INOUT
        assert not shm.registered
        view = shm.buffer
        assert isinstance(view, memoryview)
        assert not view.readonly
        assert view.nbytes == 64
        del view


def test_whole_block_is_shared_without_copies(
    context: Context, session: Session
) -> None:
    shm = context.allocate_shared_memory(1 << 20)
    view = shm.buffer
    view[0] = 1
    view[-1] = 41
    (out,) = session.invoke(ids.TA_TEST_CMD_TOUCH, Whole(shm))
    # The TA's writes are visible through the view taken before the call.
    assert (view[0], view[-1]) == (2, 42)
    assert len(out) == 1 << 20
    out[5] = 77
    assert view[5] == 77  # the output item is the block itself
    del out, view
    shm.release()


def test_whole_block_reverse_and_sum(context: Context, session: Session) -> None:
    data = os.urandom(100_000)
    with context.allocate_shared_memory(len(data)) as shm:
        shm.buffer[:] = data
        session.invoke(ids.TA_TEST_CMD_MEMREF_REVERSE, Whole(shm))
        assert bytes(shm.buffer) == data[::-1]


def test_whole_input_only_block_gives_no_output_item(
    context: Context, session: Session
) -> None:
    with context.allocate_shared_memory(3, MemFlag.INPUT) as shm:
        shm.buffer[:] = b"\x01\x02\x03"
        result = session.invoke(ids.TA_TEST_CMD_MEMREF_SUM, Whole(shm), ValueOut())
        assert result == ((6, 3),)


def test_zero_sized_block(context: Context, session: Session) -> None:
    with context.allocate_shared_memory(0) as shm:
        assert len(shm.buffer) == 0
        (out,) = session.invoke(
            ids.TA_TEST_CMD_MEMREF_SUM, PartialIn(shm, 0, 0), ValueOut()
        )
        assert out == (0, 0)


def test_partial_windows(context: Context, session: Session) -> None:
    with context.allocate_shared_memory(16) as shm:
        shm.buffer[:] = bytes(range(16))
        (out,) = session.invoke(
            ids.TA_TEST_CMD_MEMREF_SUM, PartialIn(shm, 4, 3), ValueOut()
        )
        assert out == (4 + 5 + 6, 3)
        (filled,) = session.invoke(
            ids.TA_TEST_CMD_MEMREF_FILL, ValueIn(0xEE), PartialOut(shm, 8, 4)
        )
        assert bytes(filled) == b"\xee" * 4
        (flipped,) = session.invoke(
            ids.TA_TEST_CMD_MEMREF_REVERSE, PartialInOut(shm, 0, 4)
        )
        assert bytes(flipped) == b"\x03\x02\x01\x00"
        expected = bytes([3, 2, 1, 0, 4, 5, 6, 7]) + b"\xee" * 4 + bytes(range(12, 16))
        assert bytes(shm.buffer) == expected
        del filled, flipped


def test_partial_output_reports_short_window(
    context: Context, session: Session
) -> None:
    with context.allocate_shared_memory(64) as shm:
        with pytest.raises(ShortBuffer) as info:
            session.invoke(
                ids.TA_TEST_CMD_SHORT_BUFFER, ValueIn(40), PartialOut(shm, 8, 20)
            )
        assert info.value.required_size == 40
        (out,) = session.invoke(
            ids.TA_TEST_CMD_SHORT_BUFFER, ValueIn(40), PartialOut(shm, 8, 50)
        )
        assert bytes(out) == bytes(range(40))
        del out


@pytest.mark.parametrize(
    ("offset", "size"), [(10, 7), (16, 1), (17, 0), ((1 << 63) - 1, 2)]
)
def test_partial_outside_the_block_is_refused_before_the_ta_runs(
    context: Context, session: Session, offset: int, size: int
) -> None:
    with context.allocate_shared_memory(16) as shm:
        before = commands_run(session)
        with pytest.raises(BadParameters) as info:
            session.invoke(
                ids.TA_TEST_CMD_MEMREF_SUM, PartialIn(shm, offset, size), ValueOut()
            )
        assert info.value.origin == Origin.API
        assert commands_run(session) == before + 1  # only the query above ran


@pytest.mark.parametrize(
    ("flags", "make"),
    [
        (MemFlag.INPUT, lambda shm: PartialOut(shm, 0, 4)),
        (MemFlag.OUTPUT, lambda shm: PartialIn(shm, 0, 4)),
        (MemFlag.INPUT, lambda shm: PartialInOut(shm, 0, 4)),
    ],
    ids=["out-on-input-block", "in-on-output-block", "inout-on-input-block"],
)
def test_partial_direction_must_match_block_flags(
    context: Context,
    session: Session,
    flags: MemFlag,
    make: Callable[[SharedMemory], Parameter],
) -> None:
    with context.allocate_shared_memory(8, flags) as shm:
        param = make(shm)
        with pytest.raises(BadParameters) as info:
            session.invoke(ids.TA_TEST_CMD_MEMREF_REVERSE, param)
        assert info.value.origin == Origin.API


def test_registered_bytearray_is_updated_in_place(
    context: Context, session: Session
) -> None:
    data = bytearray(b"registered memory")
    with context.register_shared_memory(data) as shm:
        assert shm.registered
        assert shm.size == len(data)
        (out,) = session.invoke(ids.TA_TEST_CMD_MEMREF_REVERSE, Whole(shm))
        assert data == b"yromem deretsiger"
        assert bytes(out) == b"yromem deretsiger"
        # Registered memory is kept alive and cannot be resized meanwhile.
        with pytest.raises(BufferError):
            data.extend(b"!")
        del out  # a view of the caller's own buffer, held by the caller
    data.extend(b"!")  # released: the buffer is the caller's again


def test_registered_large_buffer_partial(context: Context, session: Session) -> None:
    data = bytearray(os.urandom(256 * 1024))
    expected = bytearray(data)
    expected[1000:3000] = expected[1000:3000][::-1]
    with context.register_shared_memory(data) as shm:
        session.invoke(ids.TA_TEST_CMD_MEMREF_REVERSE, PartialInOut(shm, 1000, 2000))
    assert data == expected


def test_registered_read_only_input(context: Context, session: Session) -> None:
    with context.register_shared_memory(b"\x05\x06", MemFlag.INPUT) as shm:
        (out,) = session.invoke(ids.TA_TEST_CMD_MEMREF_SUM, Whole(shm), ValueOut())
        assert out == (11, 2)


def test_registering_read_only_memory_for_output_is_a_type_error(
    context: Context,
) -> None:
    with pytest.raises(TypeError, match="writable"):
        context.register_shared_memory(b"abc", MemFlag.OUTPUT)
    with pytest.raises(TypeError, match="buffer protocol"):
        context.register_shared_memory("abc")


@pytest.mark.parametrize("flags", [0, 4, 0x80000003, -1])
def test_bad_flags_are_refused_before_libteec(context: Context, flags: int) -> None:
    with pytest.raises(ValueError, match="flags"):
        context.allocate_shared_memory(8, flags)
    with pytest.raises(ValueError, match="flags"):
        context.register_shared_memory(bytearray(8), flags)


@pytest.mark.parametrize(
    ("size", "error"),
    [(-1, ValueError), (1 << 63, ValueError), (1 << 64, ValueError), ("8", TypeError)],
)
def test_bad_sizes_are_refused(
    context: Context, size: object, error: type[Exception]
) -> None:
    with pytest.raises(error):
        context.allocate_shared_memory(size)  # type: ignore[arg-type]


def test_release_is_idempotent_and_use_after_release_is_refused(
    context: Context, session: Session
) -> None:
    shm = context.allocate_shared_memory(8)
    handed_out = shm.buffer
    shm.release()
    shm.release()
    assert shm.closed
    with pytest.raises(ValueError, match="released"):
        handed_out[0]  # pytee released the view it gave: no dangling pointer
    with pytest.raises(ClosedError):
        shm.buffer  # noqa: B018
    with pytest.raises(ClosedError):
        session.invoke(ids.TA_TEST_CMD_MEMREF_REVERSE, Whole(shm))


def test_a_derived_view_blocks_release_like_mmap(context: Context) -> None:
    shm = context.allocate_shared_memory(8)
    derived = shm.buffer[2:4]  # a view of a view: pytee cannot release it
    derived_again = derived[0:1]
    with pytest.raises(BufferError):
        shm.release()
    assert not shm.closed
    derived[0] = 1  # still valid memory
    del derived, derived_again
    shm.release()
    assert shm.closed


def test_closing_the_context_releases_its_blocks(session: Session) -> None:
    context = Context()
    shm = context.allocate_shared_memory(8)
    registered = bytearray(4)
    reg = context.register_shared_memory(registered)
    context.close()
    assert shm.closed and reg.closed
    registered.extend(b"ok")  # the registration was undone


def test_block_of_another_context_is_refused(session: Session) -> None:
    with Context() as other:
        shm = other.allocate_shared_memory(4)
        with pytest.raises(ValueError, match="another context"):
            session.invoke(ids.TA_TEST_CMD_MEMREF_REVERSE, Whole(shm))


def test_forgotten_blocks_are_released_by_the_finalizer(context: Context) -> None:
    data = bytearray(16)
    context.register_shared_memory(data)
    gc.collect()
    data.extend(b"x")  # the finalizer released the registration


def test_temp_output_and_shared_memory_in_one_call(
    context: Context, session: Session
) -> None:
    with context.allocate_shared_memory(4) as shm:
        shm.buffer[:] = b"\x01\x01\x01\x01"
        copied = session.invoke(
            ids.TA_TEST_CMD_ALL_TYPES,
            ValueInOut(1, 1),
            PartialIn(shm, 0, 4),
            TempOut(4),
            PartialInOut(shm, 0, 2),
        )
        assert copied[1] == b"\x01\x01\x01\x01"
        assert bytes(shm.buffer) == b"\xfe\xfe\x01\x01"
        del copied


def test_closing_a_context_with_derived_views_refuses_then_succeeds() -> None:
    context = Context()
    shm = context.allocate_shared_memory(8)
    derived = shm.buffer[0:2]
    with pytest.raises(BufferError):
        context.close()
    assert not context.closed
    del derived
    context.close()
    assert context.closed and shm.closed


def test_leaving_a_context_on_an_exception_never_masks_it() -> None:
    with pytest.raises(KeyError, match="original"), Context() as context:
        shm = context.allocate_shared_memory(8)
        derived = shm.buffer[0:2]
        raise KeyError("original")
    assert context.closed
    derived[0] = 1  # the block was left mapped for the live view: no crash
    assert derived[0] == 1
