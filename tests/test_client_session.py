"""Contexts and sessions: opening, refusing, dying, closing, finalizing."""

from __future__ import annotations

import gc
import re
import subprocess
import uuid
from collections.abc import Callable

import pytest

from pytee import (
    AccessDenied,
    Busy,
    ClosedError,
    Context,
    ItemNotFound,
    Login,
    Origin,
    Session,
    TargetDead,
    TeeError,
    ValueIn,
    ValueOut,
)

import test_ta_ids as ids
from conftest import TestTA

UNKNOWN_TA = "00000000-1111-2222-3333-444444444444"


def add(session: Session, a: int, b: int) -> int:
    (out,) = session.invoke(ids.TA_TEST_CMD_VALUE_ADD, ValueIn(a, b), ValueOut())
    return int(out.a)


@pytest.mark.parametrize(
    "form",
    [
        str,
        str.upper,
        uuid.UUID,
        lambda text: uuid.UUID(text).bytes,
        lambda text: bytearray(uuid.UUID(text).bytes),
    ],
    ids=["str", "upper-str", "UUID", "bytes", "bytearray"],
)
def test_uuid_forms(
    context: Context, test_ta: TestTA, form: Callable[[str], object]
) -> None:
    with context.open_session(form(test_ta.uuid)) as session:  # type: ignore[arg-type]
        assert session.uuid == uuid.UUID(test_ta.uuid)
        assert add(session, 40, 2) == 42


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ("not-a-uuid", ValueError),
        (b"\x00" * 15, ValueError),
        (12345, TypeError),
        (None, TypeError),
    ],
)
def test_bad_uuid_forms(context: Context, form: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        context.open_session(form)  # type: ignore[arg-type]


def test_unknown_ta_is_item_not_found_from_the_tee(context: Context) -> None:
    with pytest.raises(ItemNotFound) as info:
        context.open_session(UNKNOWN_TA)
    assert info.value.origin == Origin.TEE
    assert info.value.function == "TEEC_OpenSession"
    assert isinstance(info.value, LookupError)


def test_open_session_parameters_reach_the_ta(
    context: Context, test_ta: TestTA
) -> None:
    with context.open_session(test_ta.uuid, ValueIn(0), ValueOut()) as session:
        (answer,) = session.open_result
        assert answer == (ids.TA_TEST_OPEN_MAGIC, Login.PUBLIC)


def test_ta_refusing_the_session(context: Context, test_ta: TestTA) -> None:
    with pytest.raises(AccessDenied) as info:
        context.open_session(test_ta.uuid, ValueIn(0xFFFF0001), ValueOut())
    assert info.value.origin == Origin.TRUSTED_APP


def test_ta_refusing_with_a_code_of_its_own_keeps_the_code(
    context: Context, test_ta: TestTA
) -> None:
    with pytest.raises(TeeError) as info:
        context.open_session(test_ta.uuid, ValueIn(0x00ABCDEF), ValueOut())
    assert type(info.value) is TeeError
    assert info.value.code == 0x00ABCDEF
    assert info.value.origin == Origin.TRUSTED_APP


@pytest.mark.parametrize(
    "command", [ids.TA_TEST_CMD_SEGFAULT, ids.TA_TEST_CMD_ABORT, "panic"]
)
def test_dead_ta_is_target_dead_for_good_and_others_live_on(
    context: Context, test_ta: TestTA, command: object
) -> None:
    victim = context.open_session(test_ta.uuid)
    bystander = context.open_session(test_ta.uuid)  # its own instance
    with pytest.raises(TargetDead) as info:
        if command == "panic":
            victim.invoke(ids.TA_TEST_CMD_PANIC, ValueIn(0xFFFF0003))
        else:
            victim.invoke(command)  # type: ignore[arg-type]
    assert info.value.origin == Origin.TEE
    for _ in range(2):  # sticky: the session stays dead
        with pytest.raises(TargetDead) as again:
            victim.invoke(ids.TA_TEST_CMD_NULL)
        assert again.value.origin == Origin.TEE
    assert add(bystander, 1, 2) == 3
    victim.close()
    with context.open_session(test_ta.uuid) as fresh:
        assert add(fresh, 2, 2) == 4
    bystander.close()


def test_panic_kills_every_session_of_a_shared_instance(
    context: Context, test_ta: TestTA
) -> None:
    first = context.open_session(test_ta.multi)
    second = context.open_session(test_ta.multi)
    with pytest.raises(TargetDead):
        first.invoke(ids.TA_TEST_CMD_PANIC, ValueIn(1))
    with pytest.raises(TargetDead) as info:
        second.invoke(ids.TA_TEST_CMD_NULL)
    assert info.value.origin == Origin.TEE
    first.close()
    second.close()
    with context.open_session(test_ta.multi) as fresh:
        (count,) = fresh.invoke(ids.TA_TEST_CMD_COUNTER, ValueOut())
        assert count.a == 1  # a fresh instance: globals reset


def test_single_session_ta_is_busy_for_a_second_session(
    context: Context, test_ta: TestTA
) -> None:
    with context.open_session(test_ta.single):
        with pytest.raises(Busy) as info:
            context.open_session(test_ta.single)
        assert info.value.origin == Origin.TEE
    with context.open_session(test_ta.single) as again:
        assert add(again, 1, 1) == 2


def test_two_contexts_work_side_by_side(test_ta: TestTA) -> None:
    with Context() as one, Context() as two:
        s1 = one.open_session(test_ta.uuid)
        s2 = two.open_session(test_ta.uuid)
        assert add(s1, 1, 1) == 2
        assert add(s2, 2, 2) == 4


def test_session_close_is_idempotent_and_use_after_close_is_refused(
    context: Context, test_ta: TestTA
) -> None:
    session = context.open_session(test_ta.uuid)
    session.close()
    session.close()
    assert session.closed
    with pytest.raises(ClosedError, match="session is closed"):
        session.invoke(ids.TA_TEST_CMD_NULL)


def test_closing_a_context_closes_its_sessions_and_refuses_use(
    test_ta: TestTA,
) -> None:
    context = Context()
    session = context.open_session(test_ta.uuid)
    context.close()
    context.close()
    assert context.closed and session.closed
    with pytest.raises(ClosedError):
        session.invoke(ids.TA_TEST_CMD_NULL)
    with pytest.raises(ClosedError):
        context.open_session(test_ta.uuid)
    with pytest.raises(ClosedError):
        context.allocate_shared_memory(8)


def test_a_session_keeps_its_context_alive(test_ta: TestTA) -> None:
    session = Context().open_session(test_ta.uuid)
    gc.collect()
    assert add(session, 3, 4) == 7
    assert not session.context.closed
    session.context.close()


def test_unknown_tee_name_is_item_not_found() -> None:
    with pytest.raises(ItemNotFound) as info:
        Context(name="no-such-tee")
    assert info.value.function == "TEEC_InitializeContext"


def test_context_name_must_be_a_string() -> None:
    with pytest.raises(TypeError):
        Context(name=b"optee-tz")  # type: ignore[arg-type]


@pytest.mark.software_tee
def test_forgotten_sessions_are_closed_by_the_finalizers(test_ta: TestTA) -> None:
    from pytee.cli import teed_path

    def live_sessions() -> int:
        status = subprocess.run(
            [str(teed_path()), "--status"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        )
        found = re.search(r"(\d+) sessions", status.stdout + status.stderr)
        assert found, status.stdout + status.stderr
        return int(found.group(1))

    with Context() as keeper:  # keeps the daemon up between the checks
        baseline = live_sessions()
        context = Context()
        sessions = [context.open_session(test_ta.uuid) for _ in range(3)]
        assert live_sessions() == baseline + 3
        del sessions, context
        gc.collect()
        assert live_sessions() == baseline
        assert not keeper.closed
