"""Misuse is caught in Python, before any C call, with TypeError or ValueError."""

from __future__ import annotations

import array
from typing import Any

import pytest

from pytee import (
    Context,
    MemFlag,
    PartialIn,
    PartialOut,
    Session,
    TempIn,
    TempInOut,
    TempOut,
    ValueIn,
    ValueInOut,
    ValueOut,
    Whole,
)

import test_ta_ids as ids


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((-1, 0), ValueError),
        ((0, 1 << 32), ValueError),
        ((1 << 64, 0), ValueError),
        (("1", 0), TypeError),
        ((1.0, 0), TypeError),
        ((None, 0), TypeError),
    ],
)
def test_value_words_are_uint32(args: tuple[Any, Any], error: type[Exception]) -> None:
    with pytest.raises(error):
        ValueIn(*args)
    with pytest.raises(error):
        ValueInOut(*args)


def test_value_accepts_int_like() -> None:
    class Index:
        def __index__(self) -> int:
            return 7

    assert (ValueIn(Index(), True).a, ValueIn(Index(), True).b) == (7, 1)


@pytest.mark.parametrize("data", ["text", 123, 1.5, [1, 2, 3]])
def test_temp_in_needs_a_buffer(data: object) -> None:
    with pytest.raises(TypeError, match="buffer protocol"):
        TempIn(data)


@pytest.mark.parametrize("make", [TempInOut, TempOut])
def test_outputs_need_writable_buffers(make: Any) -> None:
    with pytest.raises(TypeError, match="writable"):
        make(b"read-only")
    with pytest.raises(TypeError, match="writable"):
        make(memoryview(bytearray(4)).toreadonly())


def test_non_contiguous_buffers_are_refused() -> None:
    strided = memoryview(bytearray(8))[::2]
    with pytest.raises(ValueError, match="contiguous"):
        TempIn(strided)
    with pytest.raises(ValueError, match="contiguous"):
        TempInOut(strided)


@pytest.mark.parametrize(
    ("size", "error"),
    [(-1, ValueError), (1 << 63, ValueError), (1 << 64, ValueError), (2.0, TypeError)],
)
def test_temp_out_size_limits(size: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        TempOut(size)


def test_temp_out_size_property() -> None:
    assert TempOut(12).size == 12
    assert TempOut().size == 0
    assert TempOut(bytearray(3)).size is None


@pytest.mark.parametrize(
    ("offset", "size", "error"),
    [
        (-1, 1, ValueError),
        (0, -1, ValueError),
        (1 << 64, 1, ValueError),
        (0, 1 << 63, ValueError),
        ("0", 1, TypeError),
    ],
)
def test_partial_window_numbers(
    context: Context, offset: Any, size: Any, error: type[Exception]
) -> None:
    with context.allocate_shared_memory(8) as shm, pytest.raises(error):
        PartialIn(shm, offset, size)


@pytest.mark.parametrize("make", [Whole, lambda x: PartialOut(x, 0, 1)])
def test_memref_parameters_need_a_shared_memory(make: Any) -> None:
    with pytest.raises(TypeError, match="SharedMemory"):
        make(bytearray(4))


@pytest.mark.parametrize(
    ("command", "error"),
    [(-1, ValueError), (1 << 32, ValueError), ("0", TypeError), (None, TypeError)],
)
def test_command_ids_are_uint32(
    session: Session, command: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        session.invoke(command)


def test_at_most_four_parameters(session: Session) -> None:
    with pytest.raises(ValueError, match="at most 4"):
        session.invoke(ids.TA_TEST_CMD_NULL, *[ValueIn() for _ in range(5)])


@pytest.mark.parametrize("param", [5, b"bytes", (1, 2), None])
def test_parameters_must_be_typed(session: Session, param: Any) -> None:
    with pytest.raises(TypeError, match="parameter 1"):
        session.invoke(ids.TA_TEST_CMD_VALUE_ADD, ValueIn(1, 2), param)


def test_a_parameter_object_can_be_reused(session: Session) -> None:
    out = TempOut(4)
    value = ValueIn(9)
    first = session.invoke(ids.TA_TEST_CMD_MEMREF_FILL, value, out)
    second = session.invoke(ids.TA_TEST_CMD_MEMREF_FILL, value, out)
    assert first == second == (b"\x09" * 4,)


def test_typed_array_output_is_returned_as_bytes_view(session: Session) -> None:
    target = array.array("H", [0, 0])
    (out,) = session.invoke(ids.TA_TEST_CMD_MEMREF_FILL, ValueIn(1), TempOut(target))
    assert out.format == "B"
    assert bytes(out) == b"\x01" * 4
    assert list(target) == [0x0101, 0x0101]


def test_reprs_are_informative(context: Context) -> None:
    with context.allocate_shared_memory(8, MemFlag.INPUT) as shm:
        assert "8 bytes" in repr(shm)
        assert repr(ValueIn(1, 2)) == "ValueIn(1, 2)"
        assert repr(ValueOut()) == "ValueOut()"
        assert repr(TempOut(3)) == "TempOut(3)"
        assert repr(TempIn(None)) == "TempIn(None)"
        assert "Whole(" in repr(Whole(shm))
