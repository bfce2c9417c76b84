"""TEE_CheckMemoryAccessRights, through the test TA's CHECK_ACCESS command."""

from __future__ import annotations

import pytest

from pytee import Session, TempInOut, ValueIn, ValueOut

import test_ta_ids as ids

READ, WRITE, ANY_OWNER = 0x1, 0x2, 0x4
NONSECURE, SECURE = 0x10000000, 0x20000000
SUCCESS, ACCESS_DENIED = 0, 0xFFFF0001


def check(session: Session, flags: int, memory: int, size: int = 32) -> int:
    (result,) = session.invoke(
        ids.TA_TEST_CMD_CHECK_ACCESS,
        ValueIn(flags, memory),
        TempInOut(bytearray(size)),
        ValueOut(),
    )[1:]
    return int(result.a)


@pytest.mark.parametrize("flags", [READ, WRITE, READ | WRITE, READ | SECURE])
def test_ta_heap_is_readable_and_writable(session: Session, flags: int) -> None:
    assert check(session, flags, ids.TA_TEST_MEM_HEAP) == SUCCESS


def test_a_constant_is_readable_not_writable(session: Session) -> None:
    assert check(session, READ, ids.TA_TEST_MEM_RODATA) == SUCCESS
    assert check(session, WRITE, ids.TA_TEST_MEM_RODATA) == ACCESS_DENIED


def test_client_memory_needs_any_owner(session: Session) -> None:
    assert check(session, READ, ids.TA_TEST_MEM_PARAM) == ACCESS_DENIED
    assert check(session, READ | ANY_OWNER, ids.TA_TEST_MEM_PARAM) == SUCCESS
    assert check(session, READ | WRITE | ANY_OWNER, ids.TA_TEST_MEM_PARAM) == SUCCESS


def test_secure_and_nonsecure_tell_client_memory_apart(session: Session) -> None:
    flags = READ | ANY_OWNER
    assert check(session, flags | NONSECURE, ids.TA_TEST_MEM_PARAM) == SUCCESS
    assert check(session, flags | SECURE, ids.TA_TEST_MEM_PARAM) == ACCESS_DENIED
    assert check(session, flags | NONSECURE, ids.TA_TEST_MEM_HEAP) == ACCESS_DENIED
    both = flags | SECURE | NONSECURE
    assert check(session, both, ids.TA_TEST_MEM_HEAP) == ACCESS_DENIED


def test_null_is_denied_and_an_empty_range_allowed(session: Session) -> None:
    assert check(session, READ, ids.TA_TEST_MEM_NULL) == ACCESS_DENIED
    assert check(session, READ | WRITE, ids.TA_TEST_MEM_EMPTY) == SUCCESS
