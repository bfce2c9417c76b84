"""Login methods: the client identity teed derives from the peer credentials.

PUBLIC, USER and GROUP give the UUIDs the Linux TEE subsystem gives (nil, or
a version 5 UUID over "uid=<hex>" or "gid=<hex>" in its namespace); the
application logins name the client's executable as /proc/<pid>/exe
resolves it ("app=<path>", after "uid=<hex>:" or "gid=<hex>:").  Refusals
carry origin COMMS, where OP-TEE's kernel driver refuses them.  The
application logins are pytee's (OP-TEE's driver refuses them), hence their
software_tee marker; the rest holds on OP-TEE too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from pytee import BadParameters, Context, Generic, Login, Origin, TempOut, ValueOut

import test_ta_ids as ids
from conftest import TestTA

NAMESPACE = uuid.UUID("58ac9ca0-2086-4683-a1b8-ec4bc08e01b6")
EXE = os.readlink("/proc/self/exe")


def name_uuid(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def identity(
    context: Context, ta: TestTA, login: int, gid: int | None = None
) -> tuple[int, uuid.UUID, int]:
    """(login, client UUID) as the TA sees them, and the login its open saw."""
    with context.open_session(ta.uuid, login=login, gid=gid) as session:
        value, raw = session.invoke(
            ids.TA_TEST_CMD_CLIENT_IDENTITY, ValueOut(), TempOut(16)
        )
        (info,) = session.invoke(ids.TA_TEST_CMD_SESSION_INFO, ValueOut())
    return int(value.a), uuid.UUID(bytes=bytes(raw)), int(info.a)


def foreign_gid() -> int:
    """A group this process is not in."""
    mine = {os.getegid(), os.getgid(), *os.getgroups()}
    return next(gid for gid in range(4242, 1 << 20) if gid not in mine)


def test_public_login_is_the_nil_uuid(context: Context, test_ta: TestTA) -> None:
    assert identity(context, test_ta, Login.PUBLIC) == (
        Login.PUBLIC,
        uuid.UUID(int=0),
        0,
    )


def test_user_login_names_the_effective_uid(context: Context, test_ta: TestTA) -> None:
    expected = name_uuid("uid=%x" % os.geteuid())
    assert identity(context, test_ta, Login.USER) == (Login.USER, expected, Login.USER)


def test_group_login_names_the_group(context: Context, test_ta: TestTA) -> None:
    gid = os.getegid()
    expected = name_uuid("gid=%x" % gid)
    assert identity(context, test_ta, Login.GROUP, gid) == (
        Login.GROUP,
        expected,
        Login.GROUP,
    )


@pytest.mark.parametrize(
    "login",
    [
        Login.GROUP,
        # OP-TEE's kernel driver refuses every application login (EINVAL)
        pytest.param(Login.GROUP_APPLICATION, marks=pytest.mark.software_tee),
    ],
)
def test_group_login_for_a_group_the_client_is_not_in_is_refused(
    context: Context, login: Login
) -> None:
    with pytest.raises(Generic) as info:
        context.open_session(ids.TA_TEST_UUID, login=login, gid=foreign_gid())
    assert info.value.code == 0xFFFF0000
    assert info.value.origin == Origin.COMMS


@pytest.mark.software_tee
@pytest.mark.parametrize(
    ("login", "name"),
    [
        (Login.APPLICATION, "app=%s" % EXE),
        (Login.USER_APPLICATION, "uid=%x:app=%s" % (os.geteuid(), EXE)),
        (Login.GROUP_APPLICATION, "gid=%x:app=%s" % (os.getegid(), EXE)),
    ],
    ids=["application", "user-application", "group-application"],
)
def test_application_logins_name_the_executable(
    context: Context, test_ta: TestTA, login: Login, name: str
) -> None:
    gid = os.getegid() if login == Login.GROUP_APPLICATION else None
    assert identity(context, test_ta, login, gid) == (login, name_uuid(name), login)


@pytest.mark.software_tee
def test_every_login_gives_its_own_identity(context: Context, test_ta: TestTA) -> None:
    gid = os.getegid()
    seen = {
        identity(context, test_ta, login, gid if login & Login.GROUP else None)[1]
        for login in Login
    }
    assert len(seen) == len(Login)


@pytest.mark.parametrize("login", [3, 7, 0x10, 0xC0000000, 0xFFFFFFFF])
def test_unknown_login_method_is_bad_parameters_from_comms(
    context: Context, login: int
) -> None:
    with pytest.raises(BadParameters) as info:
        context.open_session(ids.TA_TEST_UUID, login=login)
    assert info.value.origin == Origin.COMMS


@pytest.mark.parametrize("login", [0x80000000, 0xBFFFFFFF])
def test_logins_reserved_for_kernel_clients_are_refused(
    context: Context, login: int
) -> None:
    with pytest.raises(Generic) as info:
        context.open_session(ids.TA_TEST_UUID, login=login)
    assert info.value.origin == Origin.COMMS


# A client whose groups are set before it connects: the identity must come
# from what the kernel says about the connecting process.
GROUP_PROBE = r"""
import json, os, sys
primary, extra, ta = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
os.setgroups([extra])
os.setresgid(primary, primary, primary)
from pytee import Context, Login, TempOut, TeeError, ValueOut
import test_ta_ids as ids
from conftest import TestTA
answers = {}
with Context() as ctx:
    for gid in (primary, extra, 0):
        try:
            with ctx.open_session(ta, login=Login.GROUP, gid=gid) as s:
                _, raw = s.invoke(ids.TA_TEST_CMD_CLIENT_IDENTITY, ValueOut(),
                                  TempOut(16))
            answers[gid] = bytes(raw).hex()
        except TeeError as error:
            answers[gid] = [int(error.code), int(error.origin)]
print(json.dumps(answers))
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to change groups")
def test_group_membership_comes_from_the_connecting_process(
    context: Context, test_ta: TestTA
) -> None:
    primary, extra = 4242, 4343
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(Path(__file__).resolve().parent), env.get("PYTHONPATH")])
    )
    result = subprocess.run(
        [sys.executable, "-c", GROUP_PROBE, str(primary), str(extra), test_ta.uuid],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)
    # Its primary group and its supplementary group count; root's does not.
    assert answers[str(primary)] == name_uuid("gid=%x" % primary).hex
    assert answers[str(extra)] == name_uuid("gid=%x" % extra).hex
    assert answers["0"] == [0xFFFF0000, Origin.COMMS]
