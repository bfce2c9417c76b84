"""pytest plugin: a software TEE of its own for a test session.

Registered as the ``pytee`` plugin (entry point ``pytest11``), so pytest
loads it wherever pytee is installed; ``-p no:pytee`` turns it off.  It is
inert until a test asks for one of its fixtures: it creates no folder,
starts no process and changes no environment variable before that.

Fixtures
    ``pytee_tee`` (session)
        the :class:`IsolatedTee` of the session: fresh runtime and data
        folders and a TA path of its own, set in the environment of the
        test process (``PYTEE_RUNTIME_DIR``, ``PYTEE_DATA_DIR``,
        ``PYTEE_TA_PATH``) from the first request to the end of the
        session, so every :class:`pytee.Context` of the session, and the
        daemon the first one starts, use them.  At the end of the session
        it closes the contexts it made, stops the daemon and fails the run
        if any ``teed`` or TA host of its runtime folder is left.
    ``pytee_context`` (function)
        a :class:`pytee.Context` on that TEE, closed after the test.
    ``pytee_build_ta`` (function)
        :meth:`IsolatedTee.build_ta`: builds an OP-TEE TA folder with the
        host TA dev kit and makes its TA visible to the daemon at once.

Option
    ``--pytee-ta-path DIR`` (repeatable): folders of prebuilt
    ``<uuid>.ta.so`` files put on the TA path.

Where the daemon looks for a TA, in this order: the TAs built with
:meth:`IsolatedTee.build_ta` (linked into :attr:`IsolatedTee.ta_dir`, the
first folder of the TA path), the ``--pytee-ta-path`` folders and those
given to :meth:`IsolatedTee.add_ta_path`, then the TAs installed with
pytee.  The daemon reads the TA path once, when it starts; the TA path's
folders are searched afresh at every session opening.  So a TA built in the
middle of the session, with contexts open, is found without a restart;
adding a folder to the TA path restarts the daemon.

The fixtures need pytee's software TEE; with another ``libteec`` (OP-TEE's,
in a QEMU guest) they skip the tests that use them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from pytee.isolated import (
    BuildTa,
    IsolatedTee,
    TaBuildError,
    TeeLeftRunning,
    tee_processes,
)

if TYPE_CHECKING:
    from pytee.client import Context

__all__ = [
    "BuildTa",
    "IsolatedTee",
    "TaBuildError",
    "TeeLeftRunning",
    "tee_processes",
]


# -- the plugin ------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("pytee", "pytee software TEE")
    group.addoption(
        "--pytee-ta-path",
        action="append",
        default=[],
        metavar="DIR",
        dest="pytee_ta_path",
        help="folder of prebuilt <uuid>.ta.so files for the pytee_tee fixture"
        " (repeatable)",
    )


def pytest_configure(config: pytest.Config) -> None:
    for folder in _option_ta_path(config):
        if not folder.is_dir():
            raise pytest.UsageError("--pytee-ta-path %s: no such folder" % folder)


def _option_ta_path(config: pytest.Config) -> list[Path]:
    base = config.invocation_params.dir
    folders: list[str] = config.getoption("pytee_ta_path")
    return [base / folder for folder in folders]


def _skip_unless_software_tee() -> None:
    from pytee import teec

    library = teec.load()
    if not (library.bundled or os.environ.get(teec.ENV_LIBTEEC)):
        pytest.skip(
            "pytee_tee needs pytee's software TEE; the libteec in use is %s"
            % library.path
        )


@pytest.fixture(scope="session")
def pytee_tee(
    tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config
) -> Iterator[IsolatedTee]:
    """The session's own software TEE (see :class:`IsolatedTee`)."""
    _skip_unless_software_tee()
    root = tmp_path_factory.mktemp("pytee")
    with IsolatedTee(root, _option_ta_path(pytestconfig)) as tee:
        yield tee


@pytest.fixture
def pytee_context(pytee_tee: IsolatedTee) -> Iterator[Context]:
    """A :class:`pytee.Context` on the session's TEE, closed after the test."""
    with pytee_tee.context() as ctx:
        yield ctx


@pytest.fixture
def pytee_build_ta(pytee_tee: IsolatedTee) -> BuildTa:
    """Build a TA folder for the session's TEE: :meth:`IsolatedTee.build_ta`."""
    return pytee_tee.build_ta
