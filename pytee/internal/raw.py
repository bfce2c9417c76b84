"""Raw layer: load a ``libtee`` and expose it with its GlobalPlatform names.

``load()`` returns ``(ffi, lib, path)``: the cffi ``FFI`` generated from
``pytee/cdefs/tee_internal.h`` (ABI mode, out of line), the loaded library
whose attributes are the ``TEE_*`` functions of the TEE Internal Core API
that libtee exports, OP-TEE's trace functions, ``libtee_host_run`` and the
integer constants of the TA headers, and the path it was loaded from.
Nothing here checks results or manages memory; the ``TEE_PROPSET_*``
constants are integers, to be passed as
``ffi.cast("TEE_PropSetHandle", lib.TEE_PROPSET_CURRENT_TA)``.

Many functions only make sense inside a TA host process, which
``libtee_host_run`` sets up: properties, sessions, cancellation, storage,
``TEE_Panic`` (which ends the process).  Memory, arithmetic, cryptography
and random numbers work anywhere.

Which library (first match wins):

1. the ``path`` argument;
2. the ``PYTEE_LIBTEE`` environment variable;
3. the software TEE's library bundled with pytee,
   ``pytee/_native/lib/libtee.so``.

An explicit choice (1 or 2) that cannot be loaded raises ``OSError``; it
never falls back silently.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, NamedTuple

from pytee._tee_ffi import ffi

__all__ = ["BUNDLED_LIBRARY", "ENV_LIBTEE", "NATIVE_DIR", "Library", "ffi", "load"]

#: Where ``pip install`` puts the software TEE (see docs/architecture.md).
NATIVE_DIR = Path(__file__).resolve().parent.parent / "_native"
#: The bundled software ``libtee``.
BUNDLED_LIBRARY = NATIVE_DIR / "lib" / "libtee.so"
#: Environment variable naming the library to load.
ENV_LIBTEE = "PYTEE_LIBTEE"


class Library(NamedTuple):
    """A loaded ``libtee``: unpacks as ``ffi, lib, path``."""

    ffi: Any
    lib: Any
    path: str


_lock = threading.Lock()
_by_path: dict[str, Library] = {}
_default: Library | None = None


def _open(path: str) -> Library:
    # Caller holds _lock.
    library = _by_path.get(path)
    if library is None:
        library = Library(ffi, ffi.dlopen(path), path)
        _by_path[path] = library
    return library


def _open_default() -> Library:
    # Caller holds _lock.
    env = os.environ.get(ENV_LIBTEE)
    if env:
        return _open(env)
    if not BUNDLED_LIBRARY.exists():
        raise OSError(
            "pytee: the bundled libtee is missing at %s; "
            "build it with `pip install .` (or `pip install -e .`)" % BUNDLED_LIBRARY
        )
    return _open(str(BUNDLED_LIBRARY))


def load(path: str | os.PathLike[str] | None = None) -> Library:
    """Load (once per path) and return ``(ffi, lib, path)``.

    With no ``path``, choose as the module documentation says; the choice
    is made once per process.
    """
    global _default
    with _lock:
        if path is not None:
            return _open(os.fspath(path))
        if _default is None:
            _default = _open_default()
        return _default
