"""The Internal Client API: a TA opening sessions to and invoking other TAs.

The test TA's CALL_TA command opens a session to another TA from inside
the TEE (TEE_OpenTASession), invokes one command there
(TEE_InvokeTACommand) and closes it again (TEE_CloseTASession).  The
caller is the C test TA or its Python twin, and so is the callee: each
pair is tried.
"""

from __future__ import annotations

import time
import uuid

import pytest

from pytee import Session, TempIn, TempInOut, ValueInOut, ValueOut

import test_ta_ids as ids
from conftest import TEST_TAS, TestTA

TEE_LOGIN_TRUSTED_APP = 0xF0000000
TEE_ERROR_CANCEL = 0xFFFF0002
TEE_ERROR_ITEM_NOT_FOUND = 0xFFFF0008
ORIGIN_TEE = 3
ORIGIN_TRUSTED_APP = 4


# The callee's implementation, in the test ids after the caller's.
callees = pytest.mark.parametrize("callee", sorted(TEST_TAS), ids="callee-{}".format)


def call_ta(
    session: Session,
    callee: str,
    command: int,
    data: bytearray,
    timeout_ms: int = 0,
) -> tuple[int, int, int]:
    """(callee result, its origin, login it saw) of one CALL_TA."""
    result, _written, login = session.invoke(
        ids.TA_TEST_CMD_CALL_TA,
        TempIn(uuid.UUID(callee).bytes),
        ValueInOut(command, timeout_ms),
        TempInOut(data),
        ValueOut(),
    )
    return result.a, result.b, login.a


@callees
def test_memrefs_travel_to_the_callee_and_back(session: Session, callee: str) -> None:
    data = bytearray(b"trusted app to trusted app")
    result, origin, _ = call_ta(
        session, TEST_TAS[callee].multi, ids.TA_TEST_CMD_MEMREF_REVERSE, data
    )
    assert (result, origin) == (0, ORIGIN_TRUSTED_APP)
    assert bytes(data) == b"trusted app to trusted app"[::-1]


@pytest.mark.software_tee
@callees
def test_the_callee_sees_the_trusted_app_login_and_the_caller_uuid(
    session: Session, test_ta: TestTA, callee: str
) -> None:
    data = bytearray(16)
    result, origin, login = call_ta(
        session, TEST_TAS[callee].single, ids.TA_TEST_CMD_CLIENT_IDENTITY, data
    )
    assert (result, origin) == (0, ORIGIN_TRUSTED_APP)
    assert login == TEE_LOGIN_TRUSTED_APP
    assert uuid.UUID(bytes=bytes(data)) == uuid.UUID(test_ta.uuid)


def test_a_ta_can_call_another_instance_of_itself(
    session: Session, test_ta: TestTA
) -> None:
    data = bytearray(b"abc")
    result, _, _ = call_ta(session, test_ta.uuid, ids.TA_TEST_CMD_MEMREF_REVERSE, data)
    assert result == 0
    assert bytes(data) == b"cba"


def test_an_unknown_callee_is_item_not_found_from_the_tee(session: Session) -> None:
    result, origin, _ = call_ta(
        session,
        "00000000-0000-0000-0000-00000000dead",
        ids.TA_TEST_CMD_MEMREF_REVERSE,
        bytearray(b"x"),
    )
    assert (result, origin) == (TEE_ERROR_ITEM_NOT_FOUND, ORIGIN_TEE)


@pytest.mark.software_tee
@callees
def test_the_cancellation_timeout_cancels_the_callee(
    session: Session, callee: str
) -> None:
    start = time.monotonic()
    result, origin, _ = call_ta(
        session,
        TEST_TAS[callee].multi,
        ids.TA_TEST_CMD_WAIT,
        bytearray(1),
        timeout_ms=200,
    )
    elapsed = time.monotonic() - start
    assert (result, origin) == (TEE_ERROR_CANCEL, ORIGIN_TRUSTED_APP)
    assert 0.15 < elapsed < ids.TA_TEST_CALL_WAIT_MS / 1000 / 2
