"""The Python TA host: teed runs one per instance of a Python TA as

    python -m pytee.internal.host <libtee.so> <ta.py> <ctl-fd> <cancel-fd> <log>

It imports the TA module, takes its :class:`TrustedApplication` and hands
its table to ``libtee_host_run``, which serves the instance exactly as
``tahost`` serves a C TA and returns when the instance ends.  A module that
cannot be imported, declares no TA or declares another UUID than its
``TA_UUID`` line is refused: the traceback goes to the TA log and teed
answers the client ``TEEC_ERROR_BAD_FORMAT``.  What the TA prints goes to
its log too.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import traceback
import uuid
from pathlib import Path
from types import ModuleType

from pytee.internal import raw
from pytee.internal.ta import TrustedApplication, _Entries

_USAGE = (
    "usage: python -m pytee.internal.host"
    " <libtee.so> <ta.py> <ctl-fd> <cancel-fd> <log>"
)


def load_ta(path: Path) -> TrustedApplication:
    """Import the TA module at ``path`` and return its one TA."""
    name = "pytee_ta_" + path.stem.replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError("%s: not a Python module" % path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    # Like a script: the TA's folder first, so it imports its neighbours.
    sys.path.insert(0, str(path.parent))
    spec.loader.exec_module(module)
    return _the_ta(module, path)


def _the_ta(module: ModuleType, path: Path) -> TrustedApplication:
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, TrustedApplication)
    ]
    if len(found) != 1:
        raise LookupError(
            "%s declares %d TrustedApplication objects, not one" % (path, len(found))
        )
    ta = found[0]
    declared = getattr(module, "TA_UUID", None)
    if declared is None or uuid.UUID(str(declared)) != ta.uuid:
        raise LookupError(
            "%s: TA_UUID = %r but the TrustedApplication has UUID %s"
            % (path, declared, ta.uuid)
        )
    return ta


def _fd(text: str) -> int:
    number = int(text)
    if not 0 <= number < 65536:
        raise ValueError("not a file descriptor: %r" % text)
    return number


def main(argv: list[str]) -> int:
    if len(argv) != 5:
        print(_USAGE, file=sys.stderr)
        return 2
    libtee, ta_file, ctl_text, cancel_text, log = argv
    ctl, cancel = _fd(ctl_text), _fd(cancel_text)
    # Every raw.load() of the process (the TA's, the wrappers') must give the
    # libtee that serves the instance, the one beside teed.
    os.environ["PYTEE_LIBTEE"] = libtee
    ffi, lib, _ = raw.load()
    # print() and tracebacks of the TA land in its log, line by line.
    log_file = open(log, "a", buffering=1, encoding="utf-8", errors="replace")  # noqa: SIM115
    sys.stdout = sys.stderr = log_file
    try:
        entries = _Entries(load_ta(Path(ta_file).resolve()), ffi, lib)
    except Exception:
        print("[pytee.internal.host] cannot load %s:" % ta_file, flush=True)
        traceback.print_exc()
        log_file.flush()
        return int(lib.libtee_host_run(ffi.NULL, ctl, cancel, log.encode()))
    return int(lib.libtee_host_run(entries.ops, ctl, cancel, log.encode()))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
