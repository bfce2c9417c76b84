"""Session.invoke with every value and temporary-memref parameter type.

Runs against the test TA, in C and in Python (the ``session`` fixture); see
csrc/ta/test/include/test_ta.h for each command.
"""

from __future__ import annotations

import array
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pytee import (
    BadParameters,
    NotSupported,
    Origin,
    Session,
    ShortBuffer,
    TempIn,
    TempInOut,
    TempOut,
    Value,
    ValueIn,
    ValueInOut,
    ValueOut,
)

import test_ta_ids as ids

U32 = st.integers(min_value=0, max_value=0xFFFFFFFF)
FIXTURE_OK = settings(
    max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def test_null_command_returns_no_outputs(session: Session) -> None:
    assert session.invoke(ids.TA_TEST_CMD_NULL) == ()


@FIXTURE_OK
@given(a=U32, b=U32)
def test_value_input_and_output(session: Session, a: int, b: int) -> None:
    (out,) = session.invoke(ids.TA_TEST_CMD_VALUE_ADD, ValueIn(a, b), ValueOut())
    assert out == Value((a + b) & 0xFFFFFFFF, a ^ b)
    assert (out.a, out.b) == out


def test_value_inout_wraps_around(session: Session) -> None:
    (out,) = session.invoke(
        ids.TA_TEST_CMD_VALUE_INC, ValueInOut(0xFFFFFFFF, 0xFFFFFFFE)
    )
    assert out == (0, 0)
    (out,) = session.invoke(ids.TA_TEST_CMD_VALUE_INC, ValueInOut(5, 7))
    assert out == (6, 9)


@pytest.mark.parametrize(
    "data",
    [
        b"\x01\x02\xff",
        bytearray(b"\x01\x02\xff"),
        memoryview(b"\x00\x01\x02\xff\x00")[1:4],
    ],
    ids=["bytes", "bytearray", "memoryview-slice"],
)
def test_temp_input_accepts_bytes_like(session: Session, data: object) -> None:
    (out,) = session.invoke(ids.TA_TEST_CMD_MEMREF_SUM, TempIn(data), ValueOut())
    assert out == (0x102, 3)


def test_temp_input_of_a_typed_array_is_sent_as_its_bytes(session: Session) -> None:
    data = array.array("I", [0x01020304, 0xFFFFFFFF])
    (out,) = session.invoke(ids.TA_TEST_CMD_MEMREF_SUM, TempIn(data), ValueOut())
    assert out == (sum(data.tobytes()), 8)


@pytest.mark.parametrize("data", [b"", None], ids=["empty", "null"])
def test_temp_input_empty_and_null(session: Session, data: bytes | None) -> None:
    (out,) = session.invoke(ids.TA_TEST_CMD_MEMREF_SUM, TempIn(data), ValueOut())
    assert out == (0, 0)


@pytest.mark.parametrize("size", [1, 4096, 64 * 1024, 1 << 20])
def test_temp_input_sizes_around_the_inline_limit(session: Session, size: int) -> None:
    data = os.urandom(size)
    (out,) = session.invoke(ids.TA_TEST_CMD_MEMREF_SUM, TempIn(data), ValueOut())
    assert out == (sum(data) & 0xFFFFFFFF, size)


@pytest.mark.parametrize("size", [1, 100, 70 * 1024, 1 << 20])
def test_temp_output_allocated_by_pytee_returns_bytes(
    session: Session, size: int
) -> None:
    (out,) = session.invoke(ids.TA_TEST_CMD_MEMREF_FILL, ValueIn(0x1A5), TempOut(size))
    assert isinstance(out, bytes)
    assert out == b"\xa5" * size


def test_temp_output_into_caller_buffer_is_zero_copy(session: Session) -> None:
    buffer = bytearray(b"\x00" * 32)
    (out,) = session.invoke(ids.TA_TEST_CMD_MEMREF_FILL, ValueIn(7), TempOut(buffer))
    assert buffer == b"\x07" * 32
    assert isinstance(out, memoryview)
    assert out.obj is buffer
    buffer[0] = 9
    assert out[0] == 9  # the same memory, not a copy


def test_temp_inout_reverses_in_place(session: Session) -> None:
    buffer = bytearray(b"abcdef")
    (out,) = session.invoke(ids.TA_TEST_CMD_MEMREF_REVERSE, TempInOut(buffer))
    assert buffer == b"fedcba"
    assert bytes(out) == b"fedcba"


def test_temp_inout_large_buffer(session: Session) -> None:
    data = os.urandom(300 * 1024)
    buffer = bytearray(data)
    session.invoke(ids.TA_TEST_CMD_MEMREF_REVERSE, TempInOut(buffer))
    assert buffer == data[::-1]


def test_temp_inout_with_a_writable_memoryview_window(session: Session) -> None:
    buffer = bytearray(b"0123456789")
    session.invoke(ids.TA_TEST_CMD_MEMREF_REVERSE, TempInOut(memoryview(buffer)[2:6]))
    assert buffer == b"0154326789"


def test_all_four_parameter_kinds_in_one_call(session: Session) -> None:
    source = b"hello, world"
    inout = bytearray(b"\x00\x0f\xf0")
    value, copied, flipped = session.invoke(
        ids.TA_TEST_CMD_ALL_TYPES,
        ValueInOut(3, 4),
        TempIn(source),
        TempOut(5),
        TempInOut(inout),
    )
    assert value == (len(source), 7)
    assert copied == b"hello"
    assert bytes(flipped) == b"\xff\xf0\x0f"
    assert inout == b"\xff\xf0\x0f"


def test_output_smaller_than_buffer_gives_the_reported_part(session: Session) -> None:
    (out,) = session.invoke(
        ids.TA_TEST_CMD_ALL_TYPES,
        ValueInOut(0, 0),
        TempIn(b"abc"),
        TempOut(10),
        TempInOut(bytearray(1)),
    )[1:2]
    assert out == b"abc"


# --- short buffers and size write-back ------------------------------------


def test_short_temp_output_reports_the_required_size(session: Session) -> None:
    with pytest.raises(ShortBuffer) as info:
        session.invoke(ids.TA_TEST_CMD_SHORT_BUFFER, ValueIn(100), TempOut(10))
    error = info.value
    assert error.required_size == 100
    assert error.sizes == (None, 100)
    assert error.origin == Origin.TRUSTED_APP
    assert error.function == "TEEC_InvokeCommand"


def test_short_caller_buffer_is_left_alone_and_size_reported(
    session: Session,
) -> None:
    buffer = bytearray(b"\xee" * 10)
    with pytest.raises(ShortBuffer) as info:
        session.invoke(ids.TA_TEST_CMD_SHORT_BUFFER, ValueIn(11), TempOut(buffer))
    assert info.value.required_size == 11


def test_caller_buffer_is_unlocked_even_while_the_error_is_handled(
    session: Session,
) -> None:
    buffer = bytearray(4)
    try:
        session.invoke(ids.TA_TEST_CMD_SHORT_BUFFER, ValueIn(8), TempOut(buffer))
    except ShortBuffer as error:
        # The traceback still holds the call's frame; the buffer is free.
        buffer.extend(bytes(error.required_size or 0))
    (out,) = session.invoke(ids.TA_TEST_CMD_SHORT_BUFFER, ValueIn(8), TempOut(buffer))
    assert bytes(out) == bytes(range(8))


def test_null_output_is_a_size_query(session: Session) -> None:
    for null in (TempOut(), TempOut(0), TempOut(None)):
        with pytest.raises(ShortBuffer) as info:
            session.invoke(ids.TA_TEST_CMD_SHORT_BUFFER, ValueIn(33), null)
        assert info.value.required_size == 33


def test_big_enough_buffer_returns_exactly_the_needed_bytes(session: Session) -> None:
    (out,) = session.invoke(ids.TA_TEST_CMD_SHORT_BUFFER, ValueIn(300), TempOut(1000))
    assert out == bytes(i & 0xFF for i in range(300))


def test_invoke_sized_grows_the_buffer_once(session: Session) -> None:
    (out,) = session.invoke_sized(
        ids.TA_TEST_CMD_SHORT_BUFFER, ValueIn(5000), TempOut()
    )
    assert out == bytes(i & 0xFF for i in range(5000))


def test_invoke_sized_cannot_grow_a_caller_buffer(session: Session) -> None:
    with pytest.raises(ShortBuffer):
        session.invoke_sized(
            ids.TA_TEST_CMD_SHORT_BUFFER, ValueIn(50), TempOut(bytearray(10))
        )


def test_invoke_sized_respects_max_size(session: Session) -> None:
    with pytest.raises(ShortBuffer) as info:
        session.invoke_sized(
            ids.TA_TEST_CMD_SHORT_BUFFER, ValueIn(5000), TempOut(), max_size=4096
        )
    assert info.value.required_size == 5000


def test_invoke_sized_respects_max_tries(session: Session) -> None:
    with pytest.raises(ShortBuffer):
        session.invoke_sized(
            ids.TA_TEST_CMD_SHORT_BUFFER, ValueIn(64), TempOut(1), max_tries=1
        )
    with pytest.raises(ValueError):
        session.invoke_sized(ids.TA_TEST_CMD_NULL, max_tries=0)


# --- what the TA refuses --------------------------------------------------


def test_unknown_command_is_not_supported_by_the_ta(session: Session) -> None:
    with pytest.raises(NotSupported) as info:
        session.invoke(0xFFFF)
    assert info.value.origin == Origin.TRUSTED_APP


def test_wrong_parameter_types_are_refused_by_the_ta(session: Session) -> None:
    with pytest.raises(BadParameters) as info:
        session.invoke(ids.TA_TEST_CMD_VALUE_ADD, ValueOut(), ValueIn(1, 2))
    assert info.value.origin == Origin.TRUSTED_APP
    assert isinstance(info.value, ValueError)


def test_session_counts_commands(session: Session) -> None:
    session.invoke(ids.TA_TEST_CMD_NULL)
    (info,) = session.invoke(ids.TA_TEST_CMD_SESSION_INFO, ValueOut())
    assert info == (0, 2)  # public login; this command included


def test_commands_the_ta_refuses_reach_it_too(session: Session) -> None:
    with pytest.raises(BadParameters):
        session.invoke(ids.TA_TEST_CMD_VALUE_ADD, ValueOut(), ValueIn(1, 2))
    with pytest.raises(NotSupported):
        session.invoke(0xFFFF)
    (info,) = session.invoke(ids.TA_TEST_CMD_SESSION_INFO, ValueOut())
    assert info == (0, 3)  # as TA_InvokeCommandEntryPoint saw them
