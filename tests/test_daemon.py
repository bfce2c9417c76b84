"""teed: per-user folders, autostart, `pytee daemon`, TA lookup, hygiene.

Tests that need a daemon started with another environment run it in an
:class:`IsolatedTee` and talk to it from client subprocesses; the others use
the suite's own daemon.  Those about the instances teed runs use the test
TA in C and in Python; those about teed's folders and its lookup of C TA
files use the C one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tee_helpers import (
    IsolatedTee,
    LogTail,
    cmdline,
    data_dir,
    fd_count,
    mode_of,
    teed_log,
    wait_until,
)

from pytee import Context, ItemNotFound, Origin, ValueIn, ValueOut
from pytee.cli import teed_path

import test_ta_ids as ids
from conftest import TestTA, daemon_listening, runtime_dir, tee_processes

pytestmark = pytest.mark.software_tee

UNKNOWN_TA = "d0e1f2a3-b4c5-4d6e-8f70-8192a3b4c5d6"
# teed's own TA folder: <dir of teed>/../ta
INSTALLED_TA_DIR = teed_path().resolve().parent.parent / "ta"

# A client that opens a session, adds two numbers in the TA and prints the sum.
ADD_CLIENT = """
with Context() as ctx, ctx.open_session(ids.TA_TEST_UUID) as s:
    (out,) = s.invoke(ids.TA_TEST_CMD_VALUE_ADD, ValueIn(40, 2), ValueOut())
print(json.dumps(out.a))
"""


@pytest.fixture
def isolated() -> Iterator[IsolatedTee]:
    tee = IsolatedTee()
    yield tee
    tee.close()


def suite_teed() -> int:
    teeds = [pid for pid, name in tee_processes(runtime_dir()) if name == "teed"]
    assert len(teeds) == 1, teeds
    return teeds[0]


# --------------------------------------------------------------------------
# Per-user folders


def test_runtime_and_data_folders_are_private(context: Context) -> None:
    runtime = runtime_dir()
    data = data_dir()
    assert mode_of(runtime) == 0o700
    assert mode_of(data) == 0o700
    assert mode_of(data / "log") == 0o700
    for folder in (runtime, data):
        assert folder.stat().st_uid == os.geteuid()
    sock = runtime / "teed.sock"
    assert stat.S_ISSOCK(sock.stat().st_mode)
    assert mode_of(sock) == 0o600
    assert (runtime / "teed.lock").is_file()
    assert mode_of(teed_log()) == 0o600


def test_folders_are_created_private_whatever_the_umask(isolated: IsolatedTee) -> None:
    nested = isolated.root / "deep" / "er"
    isolated.env["PYTEE_RUNTIME_DIR"] = str(nested / "run")
    isolated.env["PYTEE_DATA_DIR"] = str(nested / "data")
    isolated.run_client("os.umask(0)\n" + ADD_CLIENT)
    for folder in (
        nested.parent,
        nested,
        nested / "run",
        nested / "data",
        nested / "data" / "log",
    ):
        assert mode_of(folder) == 0o700, folder
    assert mode_of(nested / "run" / "teed.sock") == 0o600
    assert mode_of(nested / "data" / "log" / "teed.log") == 0o600
    assert mode_of(nested / "data" / "log" / ("%s.log" % ids.TA_TEST_UUID)) == 0o600


REFUSE_CLIENT = """
try:
    Context()
except ItemNotFound as error:
    print(json.dumps([int(error.code), int(error.origin)]))
else:
    print(json.dumps(None))
"""


@pytest.mark.parametrize("which", ["runtime", "data"])
@pytest.mark.parametrize("mode", [0o755, 0o770, 0o701], ids="{:04o}".format)
def test_a_folder_open_to_others_is_refused(
    isolated: IsolatedTee, which: str, mode: int
) -> None:
    folder = isolated.runtime if which == "runtime" else isolated.data
    folder.mkdir()
    folder.chmod(mode)
    assert isolated.run_client(REFUSE_CLIENT) == [0xFFFF0008, Origin.API]
    assert isolated.teeds() == []
    assert not (isolated.runtime / "teed.sock").exists()
    assert mode_of(folder) == mode  # refused, not repaired behind the user's back
    started = isolated.teed("--daemon")
    assert started.returncode == 1
    assert "Permission denied" in started.stderr
    assert isolated.teeds() == []


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a folder away")
def test_a_runtime_folder_owned_by_someone_else_is_refused(
    isolated: IsolatedTee,
) -> None:
    isolated.runtime.mkdir(mode=0o700)
    os.chown(isolated.runtime, 65534, 65534)
    assert isolated.run_client(REFUSE_CLIENT) == [0xFFFF0008, Origin.API]
    assert isolated.teeds() == []
    assert not (isolated.runtime / "teed.sock").exists()


def test_xdg_folders_are_the_default() -> None:
    tee = IsolatedTee(
        {"PYTEE_RUNTIME_DIR": None, "PYTEE_DATA_DIR": None},
        marker_key="XDG_RUNTIME_DIR",
    )
    try:
        tee.env["XDG_RUNTIME_DIR"] = str(tee.root / "xdg-run")
        tee.env["XDG_DATA_HOME"] = str(tee.root / "xdg-data")
        (tee.root / "xdg-run").mkdir(mode=0o700)
        assert tee.run_client(ADD_CLIENT) == 42
        runtime = tee.root / "xdg-run" / "pytee"
        data = tee.root / "xdg-data" / "pytee"
        assert daemon_listening(runtime)
        assert mode_of(runtime) == 0o700
        assert mode_of(data) == 0o700
        assert "started" in (data / "log" / "teed.log").read_text()
        assert (data / "log" / ("%s.log" % ids.TA_TEST_UUID)).is_file()
        assert len(tee.teeds()) == 1
    finally:
        tee.close()


def test_home_is_the_data_default_without_xdg_data_home() -> None:
    tee = IsolatedTee(
        {"PYTEE_DATA_DIR": None, "XDG_DATA_HOME": None},
    )
    try:
        tee.env["HOME"] = str(tee.root / "home")
        assert tee.run_client(ADD_CLIENT) == 42
        data = tee.root / "home" / ".local" / "share" / "pytee"
        assert mode_of(data) == 0o700
        assert "started" in (data / "log" / "teed.log").read_text()
    finally:
        tee.close()


def test_pytee_variables_override_the_xdg_folders(isolated: IsolatedTee) -> None:
    xdg_run = isolated.root / "xdg-run"
    xdg_data = isolated.root / "xdg-data"
    xdg_run.mkdir(mode=0o700)
    isolated.env["XDG_RUNTIME_DIR"] = str(xdg_run)
    isolated.env["XDG_DATA_HOME"] = str(xdg_data)
    assert isolated.run_client(ADD_CLIENT) == 42
    assert daemon_listening(isolated.runtime)
    assert (isolated.data / "log" / "teed.log").is_file()
    assert not (xdg_run / "pytee").exists()
    assert not xdg_data.exists()


def test_isolated_tees_run_side_by_side(
    isolated: IsolatedTee, context: Context
) -> None:
    main = suite_teed()
    assert isolated.run_client(ADD_CLIENT) == 42
    (other,) = isolated.teeds()
    assert other != main
    assert daemon_listening(runtime_dir()) and daemon_listening(isolated.runtime)
    # Each has its own log ("started, pid N," names the daemon that wrote it).
    started = "started, pid %d," % other
    assert started in (isolated.data / "log" / "teed.log").read_text()
    assert started not in teed_log().read_text()
    with context.open_session(ids.TA_TEST_UUID) as session:
        (out,) = session.invoke(ids.TA_TEST_CMD_VALUE_ADD, ValueIn(1, 2), ValueOut())
        assert out.a == 3
    assert suite_teed() == main


# --------------------------------------------------------------------------
# Autostart


def test_the_first_context_starts_the_daemon(isolated: IsolatedTee) -> None:
    assert not isolated.listening()
    assert isolated.teeds() == []
    assert isolated.run_client("Context().close(); print(json.dumps(1))") == 1
    assert isolated.listening()
    (teed,) = isolated.teeds()
    # It outlives the client that started it, and the next client uses it.
    assert isolated.run_client(ADD_CLIENT) == 42
    assert isolated.teeds() == [teed]
    assert mode_of(isolated.runtime / "start.lock") == 0o600


RACE_CLIENT = """
go = os.environ["RACE_GO"]
print("ready", flush=True)
while not os.path.exists(go):
    time.sleep(0.001)
with Context() as ctx, ctx.open_session(ids.TA_TEST_UUID) as s:
    (out,) = s.invoke(ids.TA_TEST_CMD_VALUE_ADD, ValueIn(os.getpid(), 1), ValueOut())
print(json.dumps([os.getpid(), out.a]))
"""


def test_clients_racing_to_autostart_start_one_daemon(isolated: IsolatedTee) -> None:
    go = isolated.root / "go"
    isolated.env["RACE_GO"] = str(go)
    clients = [isolated.popen_client(RACE_CLIENT) for _ in range(8)]
    try:
        for client in clients:
            assert client.stdout is not None
            assert client.stdout.readline().strip() == "ready"
        go.touch()
        outputs = [client.communicate(timeout=60) for client in clients]
    finally:
        for client in clients:
            if client.poll() is None:
                client.kill()
                client.wait()
    for client, (out, err) in zip(clients, outputs):
        assert client.returncode == 0, out + err
        pid, total = json.loads(out.strip().splitlines()[-1])
        assert total == (pid + 1) & 0xFFFFFFFF
        # A client that lost the race never ran a second `teed --daemon`.
        assert "already running" not in out + err
    assert len(isolated.teeds()) == 1
    log = (isolated.data / "log" / "teed.log").read_text()
    assert len(re.findall(r"teed\[\d+\]: started, pid", log)) == 1


# --------------------------------------------------------------------------
# pytee daemon start | status | stop


def test_pytee_daemon_start_status_stop(isolated: IsolatedTee) -> None:
    status = isolated.cli("daemon", "status")
    assert status.returncode == 3
    assert "not running" in status.stdout

    started = isolated.cli("daemon", "start")
    assert started.returncode == 0, started.stdout + started.stderr
    assert isolated.listening()
    (teed,) = isolated.teeds()

    again = isolated.cli("daemon", "start")
    assert again.returncode == 0
    assert "already running" in again.stdout
    assert isolated.teeds() == [teed]

    status = isolated.cli("daemon", "status")
    assert status.returncode == 0
    assert re.search(
        r"teed running, pid %d, 0 instances, 0 sessions" % teed, status.stdout
    ), status.stdout

    stopped = isolated.cli("daemon", "stop")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert "teed stopped, pid %d" % teed in stopped.stdout
    assert isolated.processes() == []
    assert not (isolated.runtime / "teed.sock").exists()
    assert "not running" in isolated.cli("daemon", "stop").stdout
    assert isolated.cli("daemon", "status").returncode == 3


def test_daemon_status_counts_instances_and_sessions(
    isolated: IsolatedTee, test_ta: TestTA
) -> None:
    client = isolated.popen_client(
        """
        ctx = Context()
        a = ctx.open_session(%r)
        b = ctx.open_session(%r)
        c = ctx.open_session(%r)
        print("open", flush=True)
        sys.stdin.readline()
        """
        % (test_ta.multi, test_ta.multi, test_ta.uuid),
        stdin=subprocess.PIPE,
    )
    try:
        assert client.stdout is not None and client.stdin is not None
        assert client.stdout.readline().strip() == "open"
        status = isolated.cli("daemon", "status")
        assert "2 instances, 3 sessions" in status.stdout, status.stdout
        client.stdin.write("\n")
        client.stdin.flush()
        assert client.wait(timeout=30) == 0
    finally:
        if client.poll() is None:
            client.kill()
            client.wait()
    assert wait_until(
        lambda: "0 instances, 0 sessions" in isolated.cli("daemon", "status").stdout,
        timeout=5,
    )


def test_daemon_stop_destroys_kept_alive_instances(
    isolated: IsolatedTee, test_ta: TestTA
) -> None:
    code = """
    with Context() as ctx, ctx.open_session(%r) as s:
        s.invoke(ids.TA_TEST_CMD_NULL)
    print(json.dumps(1))
    """
    assert isolated.run_client(code % test_ta.keepalive) == 1
    (host,) = isolated.tahosts()
    log = isolated.data / "log" / ("%s.log" % test_ta.keepalive)
    assert "lifecycle destroy" not in log.read_text()
    stopped = isolated.cli("daemon", "stop")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert isolated.processes() == []
    assert "lifecycle destroy create=1 destroy=1 open=1 close=1" in log.read_text()
    assert (
        "instance pid %d destroyed" % host
        in (isolated.data / "log" / "teed.log").read_text()
    )


def test_console_script_runs_the_daemon_commands(isolated: IsolatedTee) -> None:
    script = shutil.which("pytee", path=isolated.env.get("PATH"))
    if script is None:
        pytest.skip("the pytee console script is not on PATH")
    started = subprocess.run([script, "daemon", "start"], env=isolated.env, check=False)
    assert started.returncode == 0
    assert len(isolated.teeds()) == 1
    stopped = subprocess.run([script, "daemon", "stop"], env=isolated.env, check=False)
    assert stopped.returncode == 0
    assert isolated.processes() == []


# --------------------------------------------------------------------------
# Finding TAs


KEEPALIVE_FILE = "%s.ta.so" % ids.TA_TEST_KEEPALIVE_UUID
TOUCH_KEEPALIVE = """
with Context() as ctx, ctx.open_session(ids.TA_TEST_KEEPALIVE_UUID) as s:
    s.invoke(ids.TA_TEST_CMD_NULL)
print(json.dumps(1))
"""


def loaded_ta_file(tee: IsolatedTee) -> Path:
    """The TA file the (kept-alive) host of ``tee`` runs."""
    (host,) = tee.tahosts()
    return Path(cmdline(host)[1])


def ta_dir(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir()
    shutil.copy(INSTALLED_TA_DIR / KEEPALIVE_FILE, folder / KEEPALIVE_FILE)
    return folder


def test_ta_path_folders_come_before_the_installed_ones(
    isolated: IsolatedTee,
) -> None:
    first = isolated.root / "empty"
    first.mkdir()
    second = ta_dir(isolated.root, "second")
    third = ta_dir(isolated.root, "third")
    isolated.env["PYTEE_TA_PATH"] = "%s:%s:%s" % (first, second, third)
    assert isolated.run_client(TOUCH_KEEPALIVE) == 1
    assert loaded_ta_file(isolated) == second / KEEPALIVE_FILE


def test_relative_ta_path_folders_are_taken_from_where_teed_started(
    isolated: IsolatedTee,
) -> None:
    ta_dir(isolated.root, "rel")
    isolated.env["PYTEE_TA_PATH"] = "rel"
    started = subprocess.run(
        [str(teed_path()), "--daemon"],
        cwd=isolated.root,
        env=isolated.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode == 0, started.stderr
    assert isolated.run_client(TOUCH_KEEPALIVE) == 1
    assert loaded_ta_file(isolated) == isolated.root / "rel" / KEEPALIVE_FILE


def test_the_installed_ta_folder_is_the_fallback(isolated: IsolatedTee) -> None:
    empty = isolated.root / "empty"
    empty.mkdir()
    isolated.env["PYTEE_TA_PATH"] = str(empty)
    assert isolated.run_client(TOUCH_KEEPALIVE) == 1
    assert (
        loaded_ta_file(isolated).resolve()
        == (INSTALLED_TA_DIR / KEEPALIVE_FILE).resolve()
    )


def test_a_ta_file_holding_another_ta_is_refused(isolated: IsolatedTee) -> None:
    impostor = isolated.root / "impostor"
    impostor.mkdir()
    # The multi-session build, under the name of the plain test TA.
    shutil.copy(
        INSTALLED_TA_DIR / ("%s.ta.so" % ids.TA_TEST_MULTI_UUID),
        impostor / ("%s.ta.so" % ids.TA_TEST_UUID),
    )
    isolated.env["PYTEE_TA_PATH"] = str(impostor)
    code = """
    with Context() as ctx:
        try:
            ctx.open_session(ids.TA_TEST_UUID)
        except TeeError as error:
            print(json.dumps([int(error.code), int(error.origin)]))
    """
    assert isolated.run_client(code) == [0xFFFF0008, Origin.TEE]
    assert wait_until(lambda: isolated.tahosts() == [], timeout=5)


def test_unknown_uuid_is_item_not_found_from_the_tee(context: Context) -> None:
    tail = LogTail(teed_log())
    with pytest.raises(ItemNotFound) as info:
        context.open_session(UNKNOWN_TA)
    assert info.value.code == 0xFFFF0008
    assert info.value.origin == Origin.TEE
    assert tail.wait_for(r"open TA %s: 0xffff0008 origin 3" % UNKNOWN_TA)
    # The context is still usable.
    with context.open_session(ids.TA_TEST_UUID) as session:
        session.invoke(ids.TA_TEST_CMD_NULL)


# --------------------------------------------------------------------------
# Hygiene and log


def test_no_fd_or_process_leak_in_teed_over_50_sessions(
    context: Context, test_ta: TestTA
) -> None:
    teed = suite_teed()
    for _ in range(3):  # warm up whatever teed opens once
        with context.open_session(test_ta.uuid) as session:
            session.invoke(ids.TA_TEST_CMD_NULL)
    hosts_before = sorted(
        pid for pid, name in tee_processes(runtime_dir()) if name == "tahost"
    )
    before = fd_count(teed)
    for index in range(50):
        uuid = (test_ta.uuid, test_ta.multi)[index % 2]
        with context.open_session(uuid) as session:
            (out,) = session.invoke(
                ids.TA_TEST_CMD_VALUE_ADD, ValueIn(index, 1), ValueOut()
            )
            assert out.a == index + 1
    # The last instance is torn down after its close is answered, and its
    # host reaped by teed's signal thread: give both a moment.
    settled = wait_until(lambda: fd_count(teed) == before, timeout=5)
    assert settled, (fd_count(teed), before)
    hosts_after = wait_until(
        lambda: (
            sorted(
                pid for pid, name in tee_processes(runtime_dir()) if name == "tahost"
            )
            == hosts_before
        ),
        timeout=5,
    )
    assert hosts_after
    assert suite_teed() == teed


def test_no_fd_leak_in_teed_over_50_contexts(context: Context) -> None:
    teed = suite_teed()
    with context.open_session(ids.TA_TEST_UUID) as session:  # warm up
        session.invoke(ids.TA_TEST_CMD_NULL)
    before = fd_count(teed)
    for _ in range(50):
        with Context() as ctx, ctx.open_session(ids.TA_TEST_UUID) as session:
            session.invoke(ids.TA_TEST_CMD_NULL)
    # teed closes a context's connection when the client hangs up.
    settled = wait_until(lambda: fd_count(teed) == before, timeout=5)
    assert settled, (fd_count(teed), before)


def test_teed_log_records_sessions_with_the_client_pid(context: Context) -> None:
    tail = LogTail(teed_log())
    with context.open_session(ids.TA_TEST_UUID, login=1):
        pass
    opened = tail.wait_for(
        r"session (\d+) opened \(TA %s pid \d+, client pid %d, login 0x1\)"
        % (ids.TA_TEST_UUID, os.getpid())
    )
    assert opened
    assert tail.wait_for(
        r"session %s closed \(TA %s, client pid %d\)"
        % (opened.group(1), ids.TA_TEST_UUID, os.getpid())
    )
    line = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z teed\[\d+\]: ")
    assert all(line.match(entry) for entry in tail.lines()), tail.lines()


PEER_PROBE = r"""
import ctypes, json, os, socket, sys
libc = ctypes.CDLL(None, use_errno=True)
uid = int(sys.argv[2])
if uid != os.geteuid():
    os.setgroups([])
    os.setresgid(uid, uid, 0)
    os.setresuid(uid, uid, 0)
    # Keep root's file-system uid so that the 0700 folder lets us reach the
    # socket: the kernel then vouches for the effective uid alone.
    libc.setfsuid(0)
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.settimeout(1.0)
try:
    got = s.recv(64)
    print(json.dumps(["eof" if got == b"" else "data", os.getpid()]))
except socket.timeout:
    print(json.dumps(["open", os.getpid()]))
except ConnectionResetError:
    print(json.dumps(["eof", os.getpid()]))
"""


def peer_probe(uid: int) -> tuple[str, int]:
    """Connect to the suite's teed as ``uid``; whether teed hangs up at once."""
    result = subprocess.run(
        [sys.executable, "-c", PEER_PROBE, str(runtime_dir() / "teed.sock"), str(uid)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    verdict, pid = json.loads(result.stdout)
    return verdict, pid


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to connect as another uid")
def test_a_client_of_another_uid_is_refused_by_its_peer_credentials(
    context: Context,
) -> None:
    tail = LogTail(teed_log())
    assert peer_probe(os.geteuid())[0] == "open"
    verdict, pid = peer_probe(65534)
    assert verdict == "eof"
    assert tail.wait_for(
        r"connection from pid %d uid 65534 refused: not uid %d" % (pid, os.geteuid())
    )


# Formatted with the UUIDs of the keep-alive build and of the plain one.
HOLDING_CLIENT = """
ctx = Context()
keep = ctx.open_session(%r)
plain = ctx.open_session(%r)
print("open", flush=True)
sys.stdin.readline()
answers = []
for session in (keep, plain):
    try:
        session.invoke(ids.TA_TEST_CMD_NULL)
        answers.append(None)
    except TeeError as error:
        answers.append([int(error.code), int(error.origin)])
print(json.dumps(answers))
"""


def test_hosts_end_with_teed_and_a_new_daemon_takes_over(
    isolated: IsolatedTee, test_ta: TestTA
) -> None:
    client = isolated.popen_client(
        HOLDING_CLIENT % (test_ta.keepalive, test_ta.uuid), stdin=subprocess.PIPE
    )
    try:
        assert client.stdout is not None and client.stdin is not None
        assert client.stdout.readline().strip() == "open", client.stderr
        (teed,) = isolated.teeds()
        hosts = isolated.tahosts()
        assert len(hosts) == 2
        os.kill(teed, 9)  # the daemon this test started, and nothing else
        # Orphaned hosts close their sessions, destroy the instance and go.
        assert wait_until(lambda: isolated.processes() == [], timeout=5)
        client.stdin.write("\n")
        client.stdin.flush()
        out, err = client.communicate(timeout=30)
    finally:
        if client.poll() is None:
            client.kill()
            client.wait()
    assert client.returncode == 0, err
    dead = [0xFFFF3024, Origin.TEE]
    assert json.loads(out.strip().splitlines()[-1]) == [dead, dead]
    log = (isolated.data / "log" / ("%s.log" % test_ta.keepalive)).read_text()
    assert "lifecycle close create=1 destroy=0 open=1 close=1" in log
    assert "lifecycle destroy create=1 destroy=1 open=1 close=1" in log
    # The socket file is left behind; the next client starts a new daemon.
    assert (isolated.runtime / "teed.sock").exists()
    assert isolated.teed("--status").returncode == 3
    assert isolated.run_client(ADD_CLIENT) == 42
    (successor,) = isolated.teeds()
    assert successor != teed
