"""Hosting Python TAs: how teed finds them, how the host turns handlers,
parameters, exceptions and declarations into what the client sees, and how
a broken TA module is refused (docs/python-tas.md).

Each test writes its TA modules into the TA folder of an isolated TEE of
this module, so the daemon finds them at the next session opening.
"""

from __future__ import annotations

import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from pytee import (
    BadFormat,
    BadParameters,
    Context,
    ItemNotFound,
    NotSupported,
    ShortBuffer,
    TargetDead,
    TempIn,
    TempInOut,
    TempOut,
    ValueIn,
    ValueInOut,
    ValueOut,
)
from pytee.constants import Origin
from pytee.testing import IsolatedTee

BASIC_UUID = "3f6c2a9e-5b1d-4e8a-9c47-0d2b8e61f5a3"

BASIC_TA = (
    '''
"""A Python TA for the host tests."""
from pytee.internal import (
    TA_FLAG_MULTI_SESSION,
    ParamType as T,
    TrustedApplication,
    error,
    imsg,
    panic,
)
from pytee.internal import raw

TA_UUID = "%s"

ta = TrustedApplication(
    TA_UUID,
    flags=TA_FLAG_MULTI_SESSION,
    data_size=65536,
    description="host test TA",
    properties={"org.pytee.test.u32": 7, "org.pytee.test.text": "seven"},
)


@ta.open_session(T.VALUE_INPUT)
def open_session(start):
    return {"count": start.a}


@ta.command(0)
def null(session):
    pass


@ta.command(1, T.VALUE_INPUT, T.VALUE_OUTPUT)
def add(session, operands, result):
    result.a = (operands.a + operands.b) & 0xFFFFFFFF


@ta.command(2, T.MEMREF_INOUT)
def reverse(session, data):
    data.buffer[:] = bytes(data.buffer)[::-1]


@ta.command(3, T.MEMREF_INPUT, T.MEMREF_OUTPUT)
def echo(session, source, target):
    target.write(bytes(source.buffer) * 2)


@ta.command(4, T.VALUE_OUTPUT)
def not_found(session, out):
    out.a = 42  # still returned with the error
    raise error(0xFFFF0008)


@ta.command(5)
def uncaught(session):
    raise RuntimeError("a bug in the TA")


@ta.command(6)
def give_up(session):
    panic(0x1234)


@ta.command(7, T.VALUE_OUTPUT)
def count(session, out):
    session["count"] += 1
    out.a = session["count"]


@ta.command(8)
def speak(session):
    print("printed by the TA")
    imsg("logged by the TA")


@ta.command(9, any_types=True)
def types(session, packed, first, second, third, fourth):
    if first is None or not hasattr(first, "a"):
        raise error(0xFFFF0006)
    first.a = packed


@ta.command(10, T.VALUE_OUTPUT, T.MEMREF_OUTPUT)
def own_property(session, number, text):
    ffi, lib, _ = raw.load()
    ta_set = ffi.cast("TEE_PropSetHandle", lib.TEE_PROPSET_CURRENT_TA)
    cell = ffi.new("uint32_t *")
    if lib.TEE_GetPropertyAsU32(ta_set, b"org.pytee.test.u32", cell):
        raise error(0xFFFF0000)
    number.a = cell[0]
    out = ffi.new("char[64]")
    size = ffi.new("size_t *", 64)
    if lib.TEE_GetPropertyAsString(ta_set, b"gpd.ta.description", out, size):
        raise error(0xFFFF0000)
    text.write(ffi.string(out))


@ta.command(11, T.VALUE_INPUT)
def write_input(session, value):
    value.a = 1  # read-only: AttributeError, not handled: the TA panics
'''
    % BASIC_UUID
)


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(textwrap.dedent(text))


@pytest.fixture(scope="module")
def tee(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IsolatedTee]:
    with IsolatedTee(tmp_path_factory.mktemp("python-tas")) as isolated:
        _write(isolated.ta_dir, "basic_ta.py", BASIC_TA)
        yield isolated


@pytest.fixture
def context(tee: IsolatedTee) -> Iterator[Context]:
    with tee.context() as ctx:
        yield ctx


def test_values_memrefs_and_sessions(context: Context) -> None:
    with context.open_session(BASIC_UUID, ValueIn(10, 0)) as session:
        assert session.invoke(0) == ()
        assert session.invoke(1, ValueIn(40, 2), ValueOut())[0].a == 42
        (data,) = session.invoke(2, TempInOut(bytearray(b"abcdef")))
        assert data == b"fedcba"
        assert session.invoke(7, ValueOut())[0].a == 11
        assert session.invoke(7, ValueOut())[0].a == 12
    with context.open_session(BASIC_UUID, ValueIn(0, 0)) as other:
        assert other.invoke(7, ValueOut())[0].a == 1  # its own session object


def test_memref_write_reports_a_short_buffer(context: Context) -> None:
    with context.open_session(BASIC_UUID, ValueIn(0, 0)) as session:
        assert session.invoke(3, TempIn(b"xyz"), TempOut(16)) == (b"xyzxyz",)
        with pytest.raises(ShortBuffer) as info:
            session.invoke(3, TempIn(b"xyz"), TempOut(4))
        assert info.value.sizes[1] == 6
        assert info.value.origin == Origin.TRUSTED_APP


def test_a_tee_error_is_the_result_with_outputs(context: Context) -> None:
    with context.open_session(BASIC_UUID, ValueIn(0, 0)) as session:
        with pytest.raises(ItemNotFound) as info:
            session.invoke(4, ValueOut())
        assert info.value.origin == Origin.TRUSTED_APP
        assert session.invoke(0) == ()  # the instance lives on


def test_declared_types_are_checked_before_the_handler(context: Context) -> None:
    with pytest.raises(BadParameters):
        context.open_session(BASIC_UUID)  # open_session wants a VALUE_INPUT
    with context.open_session(BASIC_UUID, ValueIn(0, 0)) as session:
        with pytest.raises(BadParameters):
            session.invoke(1, ValueIn(1, 2))
        with pytest.raises(BadParameters):
            session.invoke(0, ValueIn(1, 2))
        with pytest.raises(NotSupported):
            session.invoke(99)


def test_any_types_gets_the_packed_types(context: Context) -> None:
    with context.open_session(BASIC_UUID, ValueIn(0, 0)) as session:
        (value,) = session.invoke(9, ValueInOut(0, 0), TempIn(b"."))
        assert value.a == 0x53  # VALUE_INOUT, MEMREF_INPUT
        with pytest.raises(BadParameters):
            session.invoke(9, TempIn(b"."))


def test_declared_properties(context: Context) -> None:
    with context.open_session(BASIC_UUID, ValueIn(0, 0)) as session:
        number, text = session.invoke(10, ValueOut(), TempOut(64))
        assert number.a == 7
        assert text == b"host test TA"


@pytest.mark.parametrize(
    ("command", "params", "logged"),
    [
        (5, (), "RuntimeError: a bug in the TA"),
        (6, (), "0x00001234"),
        (11, (ValueIn(0, 0),), "AttributeError"),
    ],
)
def test_uncaught_exceptions_and_panics_kill_the_instance(
    tee: IsolatedTee,
    context: Context,
    command: int,
    params: tuple[ValueIn, ...],
    logged: str,
) -> None:
    with context.open_session(BASIC_UUID, ValueIn(0, 0)) as session:
        with pytest.raises(TargetDead):
            session.invoke(command, *params)
        with pytest.raises(TargetDead):
            session.invoke(0)
    assert logged in tee.log(BASIC_UUID)
    with context.open_session(BASIC_UUID, ValueIn(0, 0)) as fresh:
        assert fresh.invoke(0) == ()  # a new instance


def test_print_and_trace_go_to_the_ta_log(tee: IsolatedTee, context: Context) -> None:
    with context.open_session(BASIC_UUID, ValueIn(0, 0)) as session:
        session.invoke(8)
    log = tee.log(BASIC_UUID)
    assert "printed by the TA" in log
    assert "I/TA: logged by the TA" in log


BROKEN = {
    "syntax": 'TA_UUID = "{uuid}"\ndef (:\n',
    "no TA": 'TA_UUID = "{uuid}"\n',
    "two TAs": (
        "from pytee.internal import TrustedApplication\n"
        'TA_UUID = "{uuid}"\n'
        "one = TrustedApplication(TA_UUID)\n"
        "two = TrustedApplication(TA_UUID)\n"
    ),
    "other UUID": (
        "from pytee.internal import TrustedApplication\n"
        'TA_UUID = "{uuid}"\n'
        'ta = TrustedApplication("{other}")\n'
    ),
    "raises in create": (
        "from pytee.internal import TrustedApplication, error\n"
        'TA_UUID = "{uuid}"\n'
        "ta = TrustedApplication(TA_UUID)\n"
        "@ta.create\n"
        "def create():\n"
        "    raise error(0xFFFF000A)\n"
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_module_is_refused(
    tee: IsolatedTee, context: Context, kind: str
) -> None:
    ta_uuid = str(uuid.uuid4())
    text = BROKEN[kind].format(uuid=ta_uuid, other=uuid.uuid4())
    _write(tee.ta_dir, "broken_%s.py" % kind.replace(" ", "_"), text)
    expected = NotSupported if kind == "raises in create" else BadFormat
    with pytest.raises(expected) as info:
        context.open_session(ta_uuid)
    if kind == "raises in create":
        assert info.value.origin == Origin.TRUSTED_APP
    else:
        assert info.value.origin == Origin.TEE
        assert "cannot load" in tee.log(ta_uuid)
    deadline = time.monotonic() + 10
    while [
        p for p in tee.processes() if p[1] != "teed"
    ] and time.monotonic() < deadline:
        time.sleep(0.02)  # the refused host exits by itself
    assert not [p for p in tee.processes() if p[1] != "teed"]


def test_lookup_needs_the_declaration_line(tee: IsolatedTee, context: Context) -> None:
    ta_uuid = str(uuid.uuid4())
    (tee.ta_dir / "indented.py").write_text('    TA_UUID = "%s"\n' % ta_uuid)
    (tee.ta_dir / "commented.py").write_text('# TA_UUID = "%s"\n' % ta_uuid)
    with pytest.raises(ItemNotFound):
        context.open_session(ta_uuid)
    _write(
        tee.ta_dir,
        "upper.py",
        "from pytee.internal import TrustedApplication\n"
        "TA_UUID = '%s'\n"
        "ta = TrustedApplication(TA_UUID)\n" % ta_uuid.upper(),
    )
    with context.open_session(ta_uuid) as session, pytest.raises(NotSupported):
        session.invoke(0)
