"""A TA that crashes kills only its own instance; a client that dies is cleaned up.

Panics (with any code), segfaults, traps and stack overflows all end the TA
host: the sessions of that instance get TEEC_ERROR_TARGET_DEAD (origin TEE)
from then on, while other instances, the daemon and the client live on, and
the next session gets a fresh instance.  The TA log says how it died.

Each test runs against the C test TA and its Python twin, which dies of the
same signals (ta_python/test_ta.py says how).
"""

from __future__ import annotations

import os
import platform
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tee_helpers import LogTail, alive, fd_count, ta_log, teed_log, wait_until

from pytee import (
    Context,
    Origin,
    Parameter,
    Session,
    TargetDead,
    TeeError,
    ValueIn,
    ValueOut,
)
from pytee.cli import teed_path

import test_ta_ids as ids
from conftest import TestTA, runtime_dir, tee_processes

pytestmark = pytest.mark.software_tee

TARGET_DEAD = 0xFFFF3024


@dataclass(frozen=True)
class Crash:
    name: str
    command: int
    params: tuple[Parameter, ...]
    ta_line: str  # regex for the TA log, %d is the host pid
    teed_line: str  # regex for teed.log, %d is the host pid, %s the TA

    def __str__(self) -> str:
        return self.name


def panic(code: int) -> Crash:
    return Crash(
        "panic-%#x" % code,
        ids.TA_TEST_CMD_PANIC,
        (ValueIn(code),),
        r"\[tahost %%d\] TA panicked with code 0x%08x" % code,
        r"host pid %d \(TA %s\) exited with code 3",
    )


def killed_by(name: str, command: int, signals: str) -> Crash:
    return Crash(
        name,
        command,
        (),
        r"\[tahost %%d\] TA crashed: signal \d+ \((%s)\)" % signals,
        r"host pid %%d \(TA %%s\) killed by signal \d+ \(SIG(%s)\)" % signals,
    )


CRASHES = [
    panic(0),
    panic(0xFFFF0003),  # looks like a GP error code: still a panic
    panic(0xFFFF3024),
    panic(0x12345678),
    panic(0xFFFFFFFF),
    killed_by("segfault", ids.TA_TEST_CMD_SEGFAULT, "SEGV"),
    # __builtin_trap: SIGILL on x86, SIGTRAP on arm64
    killed_by("trap", ids.TA_TEST_CMD_ABORT, "ILL|TRAP|ABRT"),
    killed_by("stack-overflow", ids.TA_TEST_CMD_STACK_OVERFLOW, "SEGV|BUS"),
]
SOME_CRASHES = [CRASHES[1], CRASHES[5], CRASHES[7]]


def hosts() -> set[int]:
    return {pid for pid, name in tee_processes(runtime_dir()) if name == "tahost"}


def suite_teed() -> int:
    (teed,) = [pid for pid, name in tee_processes(runtime_dir()) if name == "teed"]
    return teed


def counter(session: Session) -> int:
    (out,) = session.invoke(ids.TA_TEST_CMD_COUNTER, ValueOut())
    return int(out.a)


def add(session: Session, a: int, b: int) -> int:
    (out,) = session.invoke(ids.TA_TEST_CMD_VALUE_ADD, ValueIn(a, b), ValueOut())
    return int(out.a)


def open_watched(context: Context, uuid: str) -> tuple[Session, int | None]:
    """Open a session; also return the host it started (None if it reused one)."""
    before = hosts()
    session = context.open_session(uuid)
    started = hosts() - before
    assert len(started) <= 1
    return session, (started.pop() if started else None)


def assert_target_dead(error: TeeError) -> None:
    assert isinstance(error, TargetDead)
    assert error.code == TARGET_DEAD
    assert error.origin == Origin.TEE


def crash(session: Session, how: Crash) -> None:
    with pytest.raises(TargetDead) as info:
        session.invoke(how.command, *how.params)
    assert_target_dead(info.value)
    assert info.value.function == "TEEC_InvokeCommand"


@pytest.mark.parametrize("how", CRASHES, ids=str)
def test_crash_kills_only_its_instance(
    context: Context, test_ta: TestTA, how: Crash
) -> None:
    teed = suite_teed()
    ta_tail = LogTail(ta_log(test_ta.uuid))
    teed_tail = LogTail(teed_log())
    with (
        context.open_session(test_ta.uuid) as neighbour,
        context.open_session(test_ta.multi) as other_ta,
    ):
        victim, host = open_watched(context, test_ta.uuid)
        assert host is not None
        assert counter(victim) == 1
        crash(victim, how)

        # Dead for good: every later call says so, without a new instance.
        for _ in range(3):
            with pytest.raises(TargetDead) as info:
                victim.invoke(ids.TA_TEST_CMD_NULL)
            assert_target_dead(info.value)
        assert wait_until(lambda: not alive(host), timeout=5)

        # Everything else lives on.
        assert add(neighbour, 2, 3) == 5
        assert add(other_ta, 20, 22) == 42
        victim.close()
        with context.open_session(test_ta.uuid) as fresh:
            assert counter(fresh) == 1
        with Context() as another, another.open_session(test_ta.uuid) as s:
            assert add(s, 1, 1) == 2
    assert suite_teed() == teed
    status = subprocess.run(
        [str(teed_path()), "--status"], capture_output=True, text=True, check=False
    )
    assert status.returncode == 0
    assert "teed running, pid %d" % teed in status.stdout

    assert ta_tail.wait_for(how.ta_line % host), ta_tail.text()
    assert teed_tail.wait_for(how.teed_line % (host, test_ta.uuid)), teed_tail.text()


@pytest.mark.parametrize("how", SOME_CRASHES, ids=str)
@pytest.mark.parametrize("build", ["multi", "keepalive"], ids=["multi", "keep"])
def test_crash_kills_every_session_of_a_shared_instance(
    context: Context, test_ta: TestTA, how: Crash, build: str
) -> None:
    uuid = test_ta.build(build)
    with Context() as other:
        first = context.open_session(uuid)
        second = other.open_session(uuid)
        start = counter(first)
        assert counter(second) == start + 1
        old_hosts = hosts()
        crash(first, how)
        for session in (second, first, second):
            with pytest.raises(TargetDead) as info:
                session.invoke(ids.TA_TEST_CMD_NULL)
            assert_target_dead(info.value)
        first.close()
        second.close()
        # A fresh instance: globals start again, in a new host.
        fresh, host = open_watched(context, uuid)
        with fresh:
            assert host is not None and host not in old_hosts
            assert counter(fresh) == 1
            with other.open_session(uuid) as shared:
                assert counter(shared) == 2


@pytest.mark.parametrize("how", SOME_CRASHES, ids=str)
def test_single_session_ta_is_free_again_after_a_crash(
    context: Context, test_ta: TestTA, how: Crash
) -> None:
    with context.open_session(test_ta.single) as victim:
        assert counter(victim) == 1
        crash(victim, how)
    with context.open_session(test_ta.single) as again:
        assert counter(again) == 1


def test_each_crash_of_a_single_instance_ta_is_followed_by_a_fresh_one(
    context: Context, test_ta: TestTA
) -> None:
    """As on OP-TEE: once the dead session is closed, the next open gets a new
    instance, over and over."""
    for _ in range(5):
        with context.open_session(test_ta.single) as victim:
            assert counter(victim) == 1
            crash(victim, CRASHES[0])


# --------------------------------------------------------------------------
# A client that dies

# Syscalls a host sleeping in TEE_Wait (masked) is in, per machine.
SLEEP_SYSCALLS = {
    "x86_64": {35, 230},  # nanosleep, clock_nanosleep
    "aarch64": {101, 115},
}


def sleeping(pid: int) -> bool:
    """Whether ``pid`` is inside nanosleep (True when that cannot be told)."""
    numbers = SLEEP_SYSCALLS.get(platform.machine())
    try:
        text = Path("/proc/%d/syscall" % pid).read_text().split()
    except OSError:
        numbers = None
    if numbers is None:
        time.sleep(0.3)
        return True
    return bool(text) and text[0].isdigit() and int(text[0]) in numbers


def client_env() -> dict[str, str]:
    env = dict(os.environ)
    tests = str(Path(__file__).resolve().parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [tests, env.get("PYTHONPATH")]))
    return env


@pytest.fixture
def doomed_client() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def start_client(
    code: str, uuid: str, started: list[subprocess.Popen[str]]
) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\nfrom pytee import *\nimport test_ta_ids as ids\n" + code,
            uuid,
        ],
        env=client_env(),
        stdin=subprocess.PIPE,  # kept open: the idle client waits on it
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    started.append(proc)
    return proc


def lifecycle_events(tail: LogTail) -> list[str]:
    return [
        line.split("lifecycle ", 1)[1] for line in tail.lines() if "lifecycle" in line
    ]


# The clients below get the UUID of the TA to open as sys.argv[1].
BLOCKED_CLIENT = """
ctx = Context()
s = ctx.open_session(sys.argv[1])
print("open", flush=True)
s.invoke(ids.TA_TEST_CMD_WAIT, ValueIn(1500, 0), ValueOut())
print("returned", flush=True)
"""


def test_a_client_killed_mid_call_has_its_session_closed(
    context: Context, test_ta: TestTA, doomed_client: list[subprocess.Popen[str]]
) -> None:
    teed = suite_teed()
    fds = fd_count(teed)
    before = hosts()
    ta_tail = LogTail(ta_log(test_ta.uuid))
    teed_tail = LogTail(teed_log())
    client = start_client(BLOCKED_CLIENT, test_ta.uuid, doomed_client)
    assert client.stdout is not None
    assert client.stdout.readline().strip() == "open", client.stderr
    (host,) = hosts() - before
    assert wait_until(lambda: sleeping(host), timeout=5)
    os.kill(client.pid, signal.SIGKILL)
    client.wait()

    # The host finishes the command, finds its client gone, closes the
    # session and the instance, and exits.
    assert wait_until(lambda: not alive(host), timeout=10)
    assert teed_tail.wait_for(r"client pid %d gone: 1 session closed" % client.pid)
    assert [
        line.split("lifecycle ")[1] for line in ta_tail.lines() if "lifecycle" in line
    ] == [
        "create create=1 destroy=0 open=0 close=0",
        "open create=1 destroy=0 open=1 close=0",
        "close create=1 destroy=0 open=1 close=1",
        "destroy create=1 destroy=1 open=1 close=1",
    ]
    assert wait_until(lambda: hosts() <= before, timeout=5)
    assert wait_until(lambda: fd_count(teed) == fds, timeout=5), (fd_count(teed), fds)
    assert suite_teed() == teed


IDLE_CLIENT = """
ctx = Context()
a = ctx.open_session(sys.argv[1])
b = ctx.open_session(sys.argv[1])
a.invoke(ids.TA_TEST_CMD_NULL)
print("open", flush=True)
sys.stdin.readline()
"""


def test_a_client_killed_between_calls_has_its_sessions_closed(
    context: Context, test_ta: TestTA, doomed_client: list[subprocess.Popen[str]]
) -> None:
    teed = suite_teed()
    fds = fd_count(teed)
    before = hosts()
    ta_tail = LogTail(ta_log(test_ta.multi))
    client = start_client(IDLE_CLIENT, test_ta.multi, doomed_client)
    assert client.stdout is not None
    assert client.stdout.readline().strip() == "open"
    (host,) = hosts() - before
    os.kill(client.pid, signal.SIGKILL)
    client.wait()
    assert wait_until(lambda: not alive(host), timeout=5)
    events = [
        line.split("lifecycle ")[1] for line in ta_tail.lines() if "lifecycle" in line
    ]
    assert events[-3:] == [
        "close create=1 destroy=0 open=2 close=1",
        "close create=1 destroy=0 open=2 close=2",
        "destroy create=1 destroy=1 open=2 close=2",
    ]
    assert wait_until(lambda: fd_count(teed) == fds, timeout=5), (fd_count(teed), fds)


def test_a_host_killed_from_outside_is_target_dead_at_once(
    context: Context, test_ta: TestTA
) -> None:
    teed_tail = LogTail(teed_log())
    session, host = open_watched(context, test_ta.uuid)
    assert host is not None
    outcome: list[TeeError] = []

    def blocked() -> None:
        try:
            session.invoke(ids.TA_TEST_CMD_WAIT, ValueIn(5000, 0), ValueOut())
        except TeeError as error:
            outcome.append(error)

    with session:
        caller = threading.Thread(target=blocked)
        caller.start()
        assert wait_until(lambda: sleeping(host), timeout=5)
        killed = time.monotonic()
        os.kill(host, signal.SIGKILL)
        caller.join(10)
        assert not caller.is_alive()
        assert time.monotonic() - killed < 1.0
        assert len(outcome) == 1
        assert_target_dead(outcome[0])
        with pytest.raises(TargetDead):
            session.invoke(ids.TA_TEST_CMD_NULL)
    assert teed_tail.wait_for(
        r"host pid %d \(TA %s\) killed by signal 9 \(SIGKILL\)" % (host, test_ta.uuid)
    )
