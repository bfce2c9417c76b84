"""The pytest plugin ``pytee.testing``, run as a user runs it.

Each test writes a small test project (the sample TA folder
``tests/samples/hello/ta`` and test files using the plugin's fixtures) and
runs pytest on it in a subprocess (``pytester.runpytest_subprocess``), so
that the inner run's environment never mixes with this suite's, whose own
daemon (conftest's) must come out of it untouched.  Inner tests report what
they saw in ``record.json``; the outer test then checks, with conftest's
own ``/proc`` probe, that nothing of the inner TEE is left running.

The inner runs load the plugin with ``-p pytee.testing`` and entry-point
autoloading off, so they test this checkout's module whatever the installed
metadata says; one test checks the ``pytest11`` entry point itself.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from pytee import ValueIn, ValueOut
from pytee.client import Context
from pytee.testing import IsolatedTee, TeeLeftRunning

from conftest import daemon_listening, runtime_dir, tee_processes

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.software_tee

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_TA = ROOT / "tests" / "samples" / "hello" / "ta"
README = ROOT / "README.md"
PYPROJECT = ROOT / "pyproject.toml"

# From tests/samples/hello/ta/include/hello_ta.h.
HELLO_UUID = "ec097199-59e5-4bbf-8060-064e1e0b664a"
# The suite's test TA: command 1 adds two values.
TEST_TA_UUID = "25454e49-108c-41c6-b5de-a3727df251e3"

INNER_TIMEOUT = 240

# What every inner test file starts with.
PRELUDE = """\
import json
import os
from pathlib import Path

import pytest

from pytee import ValueInOut, ValueOut

HERE = Path(__file__).resolve().parent
HELLO = "ec097199-59e5-4bbf-8060-064e1e0b664a"
INC_VALUE = 0
GET_ANSWER = 2


def record(**values):
    path = HERE / "record.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    old.update(values)
    path.write_text(json.dumps(old))
"""


@pytest.fixture(scope="module", autouse=True)
def build_tools() -> None:
    for tool in ("make", "cc"):
        if shutil.which(tool) is None:
            pytest.skip("%s not found: the sample TA cannot be built" % tool)


def project(pytester: pytest.Pytester, tests: str, *, ta: bool = True) -> None:
    """An inner project: ``ta/`` (the sample) and ``test_inner.py``."""
    if ta:
        shutil.copytree(SAMPLE_TA, pytester.path / "ta")
    pytester.makepyfile(test_inner=PRELUDE + tests)


def run_inner(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str
) -> pytest.RunResult:
    """pytest on the inner project, with this checkout's plugin only."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    return pytester.runpytest_subprocess(
        "-p", "pytee.testing", "-rA", *args, timeout=INNER_TIMEOUT
    )


def record(pytester: pytest.Pytester) -> dict[str, Any]:
    path = pytester.path / "record.json"
    assert path.exists(), "the inner test recorded nothing"
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def assert_nothing_left(runtime: str) -> None:
    """No teed or TA host of ``runtime`` alive, its socket and folder gone."""
    assert tee_processes(Path(runtime)) == []
    assert not daemon_listening(Path(runtime))
    assert not Path(runtime).exists()


def alive(pid: int) -> bool:
    try:
        state = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def readme_example() -> str:
    """The Python block of the README's section on the pytest plugin."""
    text = README.read_text()
    section = re.search(
        r"^## Testing your TA with pytest\n(.*?)(?=^## )", text, re.M | re.S
    )
    assert section, "README has no section 'Testing your TA with pytest'"
    block = re.search(r"^```python\n(.*?)^```", section.group(1), re.M | re.S)
    assert block, "the README section has no python example"
    return block.group(1)


def build_sample(out: Path) -> Path:
    """The sample TA built with make and the dev kit, outside any plugin."""
    from pytee import teec

    done = subprocess.run(
        [
            "make",
            "-C",
            str(SAMPLE_TA),
            "TA_DEV_KIT_DIR=%s" % (teec.NATIVE_DIR / "devkit" / "ta"),
            "O=%s" % out,
        ],
        capture_output=True,
        text=True,
        timeout=INNER_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    built = out / ("%s.ta.so" % HELLO_UUID)
    assert built.is_file()
    return out


# --------------------------------------------------------------------------


def test_readme_example_builds_the_sample_ta_and_invokes_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SAMPLE_TA, pytester.path / "ta")
    pytester.makepyfile(test_hello_ta=readme_example())
    result = run_inner(pytester, monkeypatch)
    result.assert_outcomes(passed=1)


def test_inner_session_has_its_own_daemon_and_leaves_nothing_behind(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, context: Context
) -> None:
    # The suite's daemon runs, with a session open, through the whole inner run.
    outer_runtime = runtime_dir()
    with context.open_session(TEST_TA_UUID) as outer_session:
        outer_before = tee_processes(outer_runtime)
        assert [name for _, name in outer_before].count("teed") == 1
        project(
            pytester,
            """
def test_inner(pytee_context, pytee_build_ta, pytee_tee):
    teed_before = [p for p, n in pytee_tee.processes() if n == "teed"]
    out = pytee_build_ta(HERE / "ta")   # after the context: no restart needed
    with pytee_context.open_session(HELLO) as session:
        (value,) = session.invoke(INC_VALUE, ValueInOut(41))
        (answer,) = session.invoke(GET_ANSWER, ValueOut())
        during = pytee_tee.processes()
    record(
        runtime=os.environ["PYTEE_RUNTIME_DIR"],
        data=os.environ["PYTEE_DATA_DIR"],
        ta_path=os.environ["PYTEE_TA_PATH"],
        tee_runtime=str(pytee_tee.runtime_dir),
        out=str(out),
        teed_before=teed_before,
        during=during,
        value=value.a,
        answer=answer.a,
        log=pytee_tee.log(HELLO),
    )
""",
        )
        result = run_inner(pytester, monkeypatch)
        result.assert_outcomes(passed=1)
        seen = record(pytester)

        # The inner run used a TEE of its own ...
        assert seen["runtime"] == seen["tee_runtime"]
        assert seen["runtime"] != str(outer_runtime)
        assert seen["data"] != os.environ["PYTEE_DATA_DIR"]
        assert seen["ta_path"].split(":")[0].startswith(str(pytester.path))
        assert (Path(seen["out"]) / ("%s.ta.so" % HELLO_UUID)).is_file()
        assert (seen["value"], seen["answer"]) == (42, 42)
        assert "hello TA: value 41 -> 42" in seen["log"]
        inner_teeds = [pid for pid, name in seen["during"] if name == "teed"]
        inner_hosts = [pid for pid, name in seen["during"] if name == "tahost"]
        assert len(inner_teeds) == 1 and len(inner_hosts) == 1, seen["during"]
        assert seen["teed_before"] == inner_teeds  # building did not restart it
        assert not set(inner_teeds) & {pid for pid, _ in outer_before}

        # ... which is gone entirely ...
        assert_nothing_left(seen["runtime"])
        assert not any(alive(pid) for pid, _ in seen["during"])

        # ... while the suite's daemon and session were never touched.
        assert tee_processes(outer_runtime) == outer_before
        (total,) = outer_session.invoke(1, ValueIn(2, 40), ValueOut())
        assert total.a == 42
    assert daemon_listening(outer_runtime)


def test_failing_test_still_tears_everything_down(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(
        pytester,
        """
def test_fails_with_a_session_left_open(pytee_build_ta, pytee_tee):
    pytee_build_ta(HERE / "ta")
    ctx = pytee_tee.context()            # never closed by the test
    session = ctx.open_session(HELLO)    # nor this
    session.invoke(INC_VALUE, ValueInOut(1))
    record(
        runtime=str(pytee_tee.runtime_dir),
        data=str(pytee_tee.data_dir),
        during=pytee_tee.processes(),
    )
    assert False, "failing on purpose"
""",
    )
    result = run_inner(pytester, monkeypatch)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*failing on purpose*"])
    seen = record(pytester)
    assert sorted(name for _, name in seen["during"]) == ["tahost", "teed"]
    assert_nothing_left(seen["runtime"])
    assert not any(alive(pid) for pid, _ in seen["during"])
    # The leaked context was closed in GP order: the TA saw its session close.
    log = (Path(seen["data"]) / "log" / ("%s.log" % HELLO_UUID)).read_text()
    assert "hello TA: goodbye" in log
    assert "instance destroyed" in log


def test_build_failure_reports_make_output(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(
        pytester,
        """
from pytee.testing import TaBuildError


def test_error_details(pytee_build_ta, pytee_tee):
    with pytest.raises(TaBuildError) as caught:
        pytee_build_ta(HERE / "ta")
    assert caught.value.returncode == 2
    assert caught.value.command[:2] == ["make", "-C"]
    assert "broken on purpose" in caught.value.output
    assert list(pytee_tee.ta_dir.iterdir()) == []


def test_uncaught(pytee_build_ta):
    pytee_build_ta(HERE / "ta")
""",
    )
    source = pytester.path / "ta" / "hello_ta.c"
    source.write_text(source.read_text() + '\n#error "broken on purpose"\n')
    result = run_inner(pytester, monkeypatch)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*TaBuildError: building the TA */ta failed: `make -C */ta"
            " TA_DEV_KIT_DIR=*/devkit/ta O=*` exited with status 2:*",
            "*hello_ta.c*error*broken on purpose*",
        ]
    )


def test_make_vars_reach_make_and_o_is_refused(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(
        pytester,
        """
def test_log_level(pytee_build_ta, pytee_context, pytee_tee, tmp_path):
    out = pytee_build_ta(HERE / "ta", tmp_path / "quiet", CFG_TEE_TA_LOG_LEVEL=1)
    assert out == tmp_path / "quiet"
    with pytee_context.open_session(HELLO) as session:
        (value,) = session.invoke(INC_VALUE, ValueInOut(1))
    assert value.a == 2
    log = pytee_tee.log(HELLO)
    assert "hello TA" not in log      # IMSG and DMSG are compiled out


def test_o_is_refused(pytee_build_ta):
    with pytest.raises(TypeError, match="out="):
        pytee_build_ta(HERE / "ta", O="elsewhere")
""",
    )
    result = run_inner(pytester, monkeypatch)
    result.assert_outcomes(passed=2)


def test_prebuilt_tas_from_the_command_line(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    prebuilt = build_sample(tmp_path / "prebuilt")
    project(
        pytester,
        """
def test_prebuilt(pytee_context, pytee_tee, pytestconfig):
    folder = Path(pytestconfig.getoption("pytee_ta_path")[0])
    assert pytee_tee.ta_path == (pytee_tee.ta_dir, folder)
    with pytee_context.open_session(HELLO) as session:
        (answer,) = session.invoke(GET_ANSWER, ValueOut())
    assert answer.a == 42
""",
        ta=False,
    )
    result = run_inner(pytester, monkeypatch, "--pytee-ta-path", str(prebuilt))
    result.assert_outcomes(passed=1)

    missing = run_inner(pytester, monkeypatch, "--pytee-ta-path", "no/such/dir")
    assert missing.ret == pytest.ExitCode.USAGE_ERROR
    missing.stderr.fnmatch_lines(["*--pytee-ta-path */no/such/dir: no such folder*"])


def test_without_the_ta_the_session_is_not_found(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The inner TEE does not see the suite's PYTEE_TA_PATH, nor a TA not built.
    project(
        pytester,
        """
import pytee


def test_not_found(pytee_context):
    with pytest.raises(pytee.ItemNotFound):
        pytee_context.open_session(HELLO)
""",
    )
    result = run_inner(pytester, monkeypatch)
    result.assert_outcomes(passed=1)


def test_add_ta_path_restarts_the_daemon(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    prebuilt = build_sample(tmp_path / "prebuilt")
    project(
        pytester,
        """
import pytee


def test_add(pytee_tee):
    old = pytee_tee.context()
    with pytest.raises(pytee.ItemNotFound):
        old.open_session(HELLO)
    teed_before = [p for p, n in pytee_tee.processes() if n == "teed"]
    pytee_tee.add_ta_path(os.environ["PREBUILT"])
    assert old.closed
    assert pytee_tee.processes() == []
    assert os.environ["PYTEE_TA_PATH"].endswith(":" + os.environ["PREBUILT"])
    with pytee_tee.context() as ctx, ctx.open_session(HELLO) as session:
        (answer,) = session.invoke(GET_ANSWER, ValueOut())
        teed_after = [p for p, n in pytee_tee.processes() if n == "teed"]
    assert answer.a == 42
    assert len(teed_before) == len(teed_after) == 1
    assert teed_before != teed_after
""",
        ta=False,
    )
    monkeypatch.setenv("PREBUILT", str(prebuilt))
    result = run_inner(pytester, monkeypatch)
    result.assert_outcomes(passed=1)


def test_plugin_is_inert_in_a_run_that_does_not_use_it(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OUTER_RUNTIME", str(runtime_dir()))
    project(
        pytester,
        """
def test_plain(tmp_path_factory):
    assert os.environ["PYTEE_RUNTIME_DIR"] == os.environ["OUTER_RUNTIME"]
    assert list(tmp_path_factory.getbasetemp().glob("pytee*")) == []
""",
        ta=False,
    )
    result = run_inner(pytester, monkeypatch)
    result.assert_outcomes(passed=1)
    listed = run_inner(pytester, monkeypatch, "--fixtures")
    listed.stdout.fnmatch_lines(
        ["*pytee_tee*session*", "*pytee_context*", "*pytee_build_ta*"]
    )


def test_entry_point_registers_the_plugin(pytester: pytest.Pytester) -> None:
    assert '[project.entry-points.pytest11]\npytee = "pytee.testing"' in (
        PYPROJECT.read_text()
    )
    found = [
        entry
        for entry in metadata.entry_points(group="pytest11")
        if entry.name == "pytee"
    ]
    assert [entry.value for entry in found] == ["pytee.testing"], (
        "the installed pytee has no pytest11 entry point; reinstall it"
        " (pip install -e .)"
    )
    # Autoloaded, without -p.
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    result = pytester.runpytest_subprocess("--fixtures", timeout=INNER_TIMEOUT)
    result.stdout.fnmatch_lines(["*pytee_tee*session*"])


def start_fake_tahost(folder: Path, runtime: Path) -> subprocess.Popen[bytes]:
    """A process named ``tahost`` of ``runtime`` that ignores ``teed --stop``."""
    sleep = shutil.which("sleep")
    assert sleep is not None
    fake = folder / "tahost"
    shutil.copy(sleep, fake)
    env = dict(os.environ, PYTEE_RUNTIME_DIR=str(runtime))
    return subprocess.Popen([str(fake), "60"], env=env)


def test_stop_kills_and_names_processes_that_outlive_teed_stop(
    tmp_path: Path,
) -> None:
    tee = IsolatedTee(tmp_path / "tee")
    tee.stop_timeout = 0.5
    fake = start_fake_tahost(tmp_path, tee.runtime_dir)
    try:
        for _ in range(500):
            if tee.processes():
                break
            time.sleep(0.01)
        assert tee.processes() == [(fake.pid, "tahost")]
        with pytest.raises(TeeLeftRunning, match="tahost %d still running" % fake.pid):
            tee.close()
        assert fake.wait(timeout=10) == -signal.SIGKILL
    finally:
        fake.kill()
        fake.wait()
    assert not tee.runtime_dir.exists()


def test_session_teardown_fails_the_run_when_a_process_is_left(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(
        pytester,
        """
import shutil
import signal
import subprocess
import time
import time


def test_leaves_a_process(pytee_tee, tmp_path):
    pytee_tee.stop_timeout = 0.5
    fake = tmp_path / "tahost"
    shutil.copy(shutil.which("sleep"), fake)
    proc = subprocess.Popen([str(fake), "60"])   # inherits the TEE's env
    while not pytee_tee.processes():
        time.sleep(0.01)
    record(pid=proc.pid, runtime=str(pytee_tee.runtime_dir))
""",
        ta=False,
    )
    result = run_inner(pytester, monkeypatch)
    result.assert_outcomes(passed=1, errors=1)
    seen = record(pytester)
    result.stdout.fnmatch_lines(
        [
            "*TeeLeftRunning: pytee: tahost %d still running 0.5 s after"
            " `teed --stop`*killed them*" % seen["pid"],
        ]
    )
    assert not alive(seen["pid"])
    assert_nothing_left(seen["runtime"])


def test_isolated_tee_refuses_use_outside_a_with_block(tmp_path: Path) -> None:
    tee = IsolatedTee(tmp_path / "tee")
    try:
        with pytest.raises(RuntimeError, match="not active"):
            tee.context()
        with pytest.raises(ValueError, match="':'"):
            tee.add_ta_path(tmp_path / "a:b")
    finally:
        tee.close()
    assert not tee.runtime_dir.exists()


def readme_python_ta() -> str:
    """The Python TA of the README's section on trusted applications in Python."""
    text = README.read_text()
    section = re.search(
        r"^## Trusted applications in Python\n(.*?)(?=^## )", text, re.M | re.S
    )
    assert section, "README has no section 'Trusted applications in Python'"
    block = re.search(r"^```python\n(.*?)^```", section.group(1), re.M | re.S)
    assert block, "the README section has no python example"
    return block.group(1)


def test_python_tas_on_the_ta_path_option_are_hosted_and_torn_down(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    ta_text = readme_python_ta()
    uuid = re.search(r'^TA_UUID = "([0-9a-f-]{36})"', ta_text, re.M)
    assert uuid, "the README's Python TA declares no TA_UUID"
    (pytester.path / "tas").mkdir()
    (pytester.path / "tas" / "adder.py").write_text(ta_text)
    project(
        pytester,
        """
from pytee import ValueIn


def test_adds(pytee_context, pytee_tee):
    with pytee_context.open_session("%s") as session:
        (result,) = session.invoke(0, ValueIn(40, 2), ValueOut())
        record(runtime=str(pytee_tee.runtime_dir), during=pytee_tee.processes())
    assert result.a == 42
"""
        % uuid.group(1),
        ta=False,
    )
    result = run_inner(pytester, monkeypatch, "--pytee-ta-path", "tas")
    result.assert_outcomes(passed=1)
    seen = record(pytester)
    assert sorted(name for _, name in seen["during"]) == ["tahost", "teed"]
    assert_nothing_left(seen["runtime"])
