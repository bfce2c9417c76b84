"""teed recovers at once from a SIGKILL of a TA host or of teed itself.

Two races a crash property test (kill -9 of TA hosts and of teed) found:

* A host killed a moment ago is not gone yet: its control socket still takes
  a request.  The next OpenSession on its single-instance TA must not land
  on it: as on OP-TEE once an instance is dead, it gets a fresh instance.
  Only a host that dies while it runs the TA's open entry point (a panic
  there) makes the open TARGET_DEAD, and that open is not tried again.
* A teed killed a moment ago is not gone yet either: its listening socket
  still accepts, then hangs up before the HELLO is answered.  A new
  TEEC_InitializeContext must treat that like nobody answering and start a
  new daemon, not fail with ITEM_NOT_FOUND.

Each test runs its race many times or sets it up deterministically (a
stopped host, a fake daemon that accepts and never answers).
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tee_helpers import (
    IsolatedTee,
    LogTail,
    alive,
    hosts_of,
    teed_log,
    wait_until,
)

from pytee import Context, Session, TargetDead, TeeError, ValueIn, ValueOut

import test_ta_ids as ids
from conftest import TestTA, runtime_dir, tee_processes

pytestmark = pytest.mark.software_tee

ROUNDS = 20
TARGET_DEAD = 0xFFFF3024


def counter(session: Session) -> int:
    """The instance's call counter: 1 on the first call of a fresh instance."""
    (out,) = session.invoke(ids.TA_TEST_CMD_COUNTER, ValueOut())
    return int(out.a)


def add(session: Session, a: int, b: int) -> int:
    (out,) = session.invoke(ids.TA_TEST_CMD_VALUE_ADD, ValueIn(a, b), ValueOut())
    return int(out.a)


def the_host(uuid: str) -> int:
    """The host of the one live instance of ``uuid``, once hosts killed or
    destroyed before have ended."""

    def one() -> int:
        hosts = hosts_of(uuid)
        return hosts.pop() if len(hosts) == 1 else 0

    host = wait_until(one, timeout=10)
    assert host, hosts_of(uuid)
    return host


def ended(pid: int) -> bool:
    """Whether ``pid`` ends (or is a zombie) within 10 s."""
    return bool(wait_until(lambda: not alive(pid), timeout=10))


@pytest.fixture
def isolated() -> Iterator[IsolatedTee]:
    tee = IsolatedTee()
    yield tee
    tee.close()


# --------------------------------------------------------------------------
# A TA host killed


def test_an_idle_kept_alive_instance_just_killed_is_replaced(
    context: Context, test_ta: TestTA
) -> None:
    """Kill the host of an idle keep-alive instance and open at once."""
    for _ in range(ROUNDS):
        with context.open_session(test_ta.keepalive) as first:
            counter(first)
        host = the_host(test_ta.keepalive)
        os.kill(host, signal.SIGKILL)
        with context.open_session(test_ta.keepalive) as fresh:
            assert counter(fresh) == 1
            assert hosts_of(test_ta.keepalive) - {host}
        assert ended(host)


def test_a_shared_instance_just_killed_is_replaced_for_the_next_session(
    context: Context, test_ta: TestTA
) -> None:
    """Kill the host of a multi-session instance that still has a session
    and open another session at once: it gets a fresh instance, the old
    session stays dead."""
    with Context() as other:
        for _ in range(ROUNDS):
            with context.open_session(test_ta.multi) as old:
                counter(old)
                host = the_host(test_ta.multi)
                os.kill(host, signal.SIGKILL)
                with other.open_session(test_ta.multi) as fresh:
                    assert counter(fresh) == 1
                with pytest.raises(TargetDead):
                    old.invoke(ids.TA_TEST_CMD_NULL)
            assert ended(host)


def test_an_open_the_host_never_read_goes_to_a_fresh_instance(
    context: Context, test_ta: TestTA
) -> None:
    """Deterministic: the request waits in a stopped host's socket when the
    host is killed; teed tries once more with a new instance."""
    tail = LogTail(teed_log())
    with context.open_session(test_ta.keepalive) as first:
        counter(first)
    host = the_host(test_ta.keepalive)
    outcome: list[int | TeeError] = []

    def opener() -> None:
        try:
            with Context() as ctx, ctx.open_session(test_ta.keepalive) as s:
                outcome.append(counter(s))
        except TeeError as error:
            outcome.append(error)

    os.kill(host, signal.SIGSTOP)
    try:
        thread = threading.Thread(target=opener)
        thread.start()
        # teed sends the request at once; the stopped host cannot read it.
        time.sleep(0.3)
        assert thread.is_alive() and not outcome
    finally:
        os.kill(host, signal.SIGKILL)
    thread.join(30)
    assert not thread.is_alive()
    assert outcome == [1]
    assert tail.wait_for(
        r"TA %s: instance pid %d died before it read the open request"
        % (test_ta.keepalive, host)
    ), tail.text()


# A single-instance keep-alive Python TA whose open entry point panics with
# the code it is given (0: open normally).  Formatted with its UUID.
PANIC_IN_OPEN_TA = """
from pytee.internal import (
    TA_FLAG_INSTANCE_KEEP_ALIVE,
    TA_FLAG_MULTI_SESSION,
    TA_FLAG_SINGLE_INSTANCE,
    ParamType,
    TrustedApplication,
    panic,
)

TA_UUID = "%s"

ta = TrustedApplication(
    TA_UUID,
    flags=TA_FLAG_SINGLE_INSTANCE
    | TA_FLAG_MULTI_SESSION
    | TA_FLAG_INSTANCE_KEEP_ALIVE,
)


@ta.open_session(ParamType.VALUE_INPUT)
def open_session(code):
    if code.a:
        panic(code.a)
    return None
"""
PANIC_IN_OPEN_UUID = "3c1d9f6e-5a7b-4c2d-9e8f-0a1b2c3d4e5f"

# Opens a session on the TA of argv[1], then one whose open panics; prints
# the second open's code and origin.
PANIC_IN_OPEN_CLIENT = """
with Context() as ctx:
    with ctx.open_session(sys.argv[1], ValueIn(0)):
        try:
            ctx.open_session(sys.argv[1], ValueIn(0x4B1D)).close()
            print(json.dumps(None))
        except TeeError as error:
            print(json.dumps([int(error.code), int(error.origin)]))
"""


def test_a_panic_in_the_open_entry_point_is_target_dead_without_a_retry(
    isolated: IsolatedTee,
) -> None:
    folder = isolated.root / "tas"
    folder.mkdir()
    (folder / "panic_in_open.py").write_text(PANIC_IN_OPEN_TA % PANIC_IN_OPEN_UUID)
    isolated.env["PYTEE_TA_PATH"] = str(folder)
    proc = isolated.popen_client(
        PANIC_IN_OPEN_CLIENT.replace("sys.argv[1]", repr(PANIC_IN_OPEN_UUID))
    )
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, out + err
    assert out.strip().splitlines()[-1] == "[%d, 3]" % TARGET_DEAD  # origin TEE
    log = LogTail(teed_log(isolated.data))
    log.offset = 0
    assert log.wait_for(
        r"host pid \d+ \(TA %s\) exited with code 3" % PANIC_IN_OPEN_UUID
    ), log.text()
    # One instance only: the open that panicked was not tried again.
    started = re.findall(r"TA %s: instance started" % PANIC_IN_OPEN_UUID, log.text())
    assert len(started) == 1, log.text()


# --------------------------------------------------------------------------
# teed killed


def suite_teeds() -> list[int]:
    return [pid for pid, name in tee_processes(runtime_dir()) if name == "teed"]


def test_a_context_right_after_teed_is_killed_starts_a_new_daemon() -> None:
    """Kill the suite's daemon and initialize a context at once, over and
    over; each time a new daemon starts and serves.  The last one stays for
    the tests that follow."""
    with Context() as ctx, ctx.open_session(ids.TA_TEST_UUID) as s:
        assert add(s, 1, 1) == 2
    for round_ in range(ROUNDS // 2):
        (teed,) = suite_teeds()
        os.kill(teed, signal.SIGKILL)
        with Context() as ctx, ctx.open_session(ids.TA_TEST_UUID) as s:
            assert add(s, round_, 1) == round_ + 1
        assert ended(teed)
        (successor,) = suite_teeds()
        assert successor != teed
    (teed,) = suite_teeds()
    with Context() as ctx, ctx.open_session(ids.TA_TEST_UUID) as s:
        assert add(s, 2, 3) == 5
    assert suite_teeds() == [teed]


ADD_CLIENT = """
with Context() as ctx, ctx.open_session(ids.TA_TEST_UUID) as s:
    (out,) = s.invoke(ids.TA_TEST_CMD_VALUE_ADD, ValueIn(40, 2), ValueOut())
print(json.dumps(out.a))
"""


def dying_daemon(runtime: Path) -> tuple[socket.socket, int]:
    """What a killed teed looks like for a moment: teed.lock held and
    teed.sock accepting connections that nobody will serve."""
    runtime.mkdir(mode=0o700, parents=True)
    lock = os.open(runtime / "teed.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(str(runtime / "teed.sock"))
    listener.listen(8)
    return listener, lock


def test_a_daemon_that_accepts_then_vanishes_is_replaced(
    isolated: IsolatedTee,
) -> None:
    """Deterministic: the client connects to a dying daemon, which hangs up
    without a word and frees its lock a little later; the client starts a
    new daemon instead of failing."""
    listener, lock = dying_daemon(isolated.runtime)
    try:
        client = isolated.popen_client(ADD_CLIENT)
        # The client has connected: its connection waits to be accepted.
        ready, _, _ = select.select([listener], [], [], 30)
        assert ready, "the client never connected"
        time.sleep(0.1)
        assert client.poll() is None
    finally:
        listener.close()  # the old daemon's last threads end...
        time.sleep(0.2)
        os.close(lock)  # ...and its lock goes with them
    out, err = client.communicate(timeout=60)
    assert client.returncode == 0, out + err
    assert out.strip().splitlines()[-1] == "42"
    assert len(isolated.teeds()) == 1
