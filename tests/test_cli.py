"""The pytee command: argument parsing, info, daemon control, dev kit folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pytee import __version__, cli, teec
from pytee.client import Context

from conftest import daemon_listening, runtime_dir, tee_processes


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    # From "/" so that the child imports the same pytee as this process.
    return subprocess.run(
        [sys.executable, "-m", "pytee.cli", *args],
        cwd="/",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize(
    "argv",
    [[], ["bogus"], ["daemon"], ["daemon", "restart"], ["devkit", "optee"]],
)
def test_bad_command_lines_exit_with_usage(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    assert "usage: pytee" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == "pytee " + __version__


@pytest.mark.parametrize(
    ("kit", "marker"),
    [("ta", "mk/ta_dev_kit.mk"), ("teec", "include/tee_client_api.h")],
)
def test_devkit_prints_an_existing_folder(
    kit: str, marker: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["devkit", kit]) == 0
    folder = Path(capsys.readouterr().out.strip())
    assert folder == teec.NATIVE_DIR / "devkit" / kit
    assert (folder / marker).is_file()


def test_teed_path_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PYTEE_TEED", raising=False)
    monkeypatch.delenv("PYTEE_LIBTEEC", raising=False)
    assert cli.teed_path() == teec.NATIVE_DIR / "libexec" / "teed"
    monkeypatch.setenv("PYTEE_LIBTEEC", str(tmp_path / "lib" / "libteec.so.2"))
    assert cli.teed_path() == tmp_path.resolve() / "libexec" / "teed"
    monkeypatch.setenv("PYTEE_TEED", "/opt/x/teed")
    assert cli.teed_path() == Path("/opt/x/teed")


def test_daemon_command_without_teed_fails_cleanly(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PYTEE_TEED", str(tmp_path / "teed"))
    assert cli.main(["daemon", "status"]) == 1
    assert "no teed at" in capsys.readouterr().err


def test_info_explains_the_choice_of_library() -> None:
    result = run_cli("info")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout
    library = teec.load()
    assert "libteec: %s" % library.path in lines
    assert "why: " in lines
    assert "native folder: %s" % teec.NATIVE_DIR in lines


@pytest.mark.software_tee
def test_daemon_start_status_stop() -> None:
    runtime = runtime_dir()
    started = run_cli("daemon", "start")
    assert started.returncode == 0, started.stdout + started.stderr
    assert daemon_listening(runtime)
    status = run_cli("daemon", "status")
    assert status.returncode == 0
    assert "running" in status.stdout + status.stderr
    info = run_cli("info")
    assert "daemon: " in info.stdout
    stopped = run_cli("daemon", "stop")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    assert not daemon_listening(runtime)
    assert [name for _, name in tee_processes(runtime) if name == "teed"] == []
    # A client starts the daemon again on demand.
    with Context():
        assert daemon_listening(runtime)


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("pytee")
    if not script.exists():
        pytest.skip("pytee is not installed in this interpreter's environment")
    result = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "pytee " + __version__
    assert os.access(script, os.X_OK)
