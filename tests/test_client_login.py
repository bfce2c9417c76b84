"""Login methods and the client identity a TA sees (gpd.client.identity)."""

from __future__ import annotations

import os
import uuid

import pytest

from pytee import Context, Generic, Login, Origin, TempOut, ValueOut

import test_ta_ids as ids
from conftest import TestTA

# The Linux TEE subsystem's namespace for client UUIDs (and teed's).
NAMESPACE = uuid.UUID("58ac9ca0-2086-4683-a1b8-ec4bc08e01b6")


def identity(
    context: Context, ta: TestTA, login: Login, gid: int | None = None
) -> tuple[int, uuid.UUID]:
    with context.open_session(ta.uuid, login=login, gid=gid) as session:
        value, raw = session.invoke(
            ids.TA_TEST_CMD_CLIENT_IDENTITY, ValueOut(), TempOut(16)
        )
    return int(value.a), uuid.UUID(bytes=raw)


def test_public_login_is_the_nil_uuid(context: Context, test_ta: TestTA) -> None:
    assert identity(context, test_ta, Login.PUBLIC) == (Login.PUBLIC, uuid.UUID(int=0))


def test_user_login_is_uuid5_of_the_euid(context: Context, test_ta: TestTA) -> None:
    expected = uuid.uuid5(NAMESPACE, "uid=%x" % os.geteuid())
    assert identity(context, test_ta, Login.USER) == (Login.USER, expected)


def test_group_login_is_uuid5_of_the_gid(context: Context, test_ta: TestTA) -> None:
    gid = os.getegid()
    expected = uuid.uuid5(NAMESPACE, "gid=%x" % gid)
    assert identity(context, test_ta, Login.GROUP, gid) == (Login.GROUP, expected)


def test_group_login_for_a_group_we_are_not_in_is_refused(context: Context) -> None:
    ours = set(os.getgroups()) | {os.getegid(), os.getgid()}
    stranger = next(gid for gid in range(54321, 70000) if gid not in ours)
    with pytest.raises(Generic) as info:
        context.open_session(ids.TA_TEST_UUID, login=Login.GROUP, gid=stranger)
    assert info.value.origin == Origin.COMMS  # as the Linux driver answers


@pytest.mark.software_tee  # mainline Linux refuses application logins
def test_application_login_names_the_executable(
    context: Context, test_ta: TestTA
) -> None:
    exe = os.readlink("/proc/self/exe")
    expected = uuid.uuid5(NAMESPACE, "app=%s" % exe)
    assert identity(context, test_ta, Login.APPLICATION) == (
        Login.APPLICATION,
        expected,
    )


def test_open_session_reports_the_login_to_the_ta(
    context: Context, test_ta: TestTA
) -> None:
    from pytee import ValueIn

    with context.open_session(
        test_ta.uuid, ValueIn(0), ValueOut(), login=Login.USER
    ) as session:
        assert session.open_result[0] == (ids.TA_TEST_OPEN_MAGIC, Login.USER)
        assert session.login == Login.USER


def test_gid_rules_are_checked_before_the_call(context: Context) -> None:
    with pytest.raises(ValueError, match="needs a gid"):
        context.open_session(ids.TA_TEST_UUID, login=Login.GROUP)
    with pytest.raises(ValueError, match="only used with GROUP"):
        context.open_session(ids.TA_TEST_UUID, login=Login.USER, gid=0)
    with pytest.raises(ValueError):
        context.open_session(ids.TA_TEST_UUID, login=Login.GROUP, gid=-1)
    with pytest.raises(ValueError):
        context.open_session(ids.TA_TEST_UUID, login=1 << 32)


def test_logins_reserved_for_kernel_clients_are_refused(context: Context) -> None:
    from pytee import TeeError

    with pytest.raises(TeeError) as info:
        context.open_session(ids.TA_TEST_UUID, login=0x80000000)
    assert info.value.origin == Origin.COMMS
