"""Raw layer: load a ``libteec`` and expose it with its GlobalPlatform names.

``load()`` returns ``(ffi, lib, path)``: the cffi ``FFI`` generated from
``pytee/cdefs/teec.h`` (ABI mode, out of line), the loaded library whose
attributes are the nine ``TEEC_*`` functions and the ``TEEC_*`` constants,
and the path or name it was loaded from.  Nothing here checks results or
manages memory; :mod:`pytee.client` does that.

Which library (first match wins):

1. the ``path`` argument;
2. the ``PYTEE_LIBTEEC`` environment variable;
3. when ``/dev/tee0`` exists (a real TEE such as OP-TEE): the system's
   ``libteec.so.2``, then ``libteec.so.1`` (the 3.x ABI; pytee only touches
   the public members, which sit at the same offsets in both);
4. the software TEE's library bundled with pytee,
   ``pytee/_native/lib/libteec.so.2``.

An explicit choice (1 or 2) that cannot be loaded raises ``OSError``; it
never falls back silently.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, NamedTuple

from pytee._teec_ffi import ffi

__all__ = [
    "BUNDLED_LIBRARY",
    "ENV_LIBTEEC",
    "NATIVE_DIR",
    "OPTEE_DEVICE",
    "OPTEE_LIBRARIES",
    "Library",
    "ffi",
    "is_bundled",
    "load",
    "loaded",
]

#: Where ``pip install`` puts the software TEE (see docs/architecture.md).
NATIVE_DIR = Path(__file__).resolve().parent / "_native"
#: The bundled software ``libteec``.
BUNDLED_LIBRARY = NATIVE_DIR / "lib" / "libteec.so.2"
#: The device whose presence means a real TEE driver is loaded.
OPTEE_DEVICE = "/dev/tee0"
#: OP-TEE's library names, newest ABI first.
OPTEE_LIBRARIES = ("libteec.so.2", "libteec.so.1")
#: Environment variable naming the library to load.
ENV_LIBTEEC = "PYTEE_LIBTEEC"


class Library(NamedTuple):
    """A loaded ``libteec``: unpacks as ``ffi, lib, path``."""

    ffi: Any
    lib: Any
    path: str

    @property
    def bundled(self) -> bool:
        """Whether this is the software TEE library shipped with pytee."""
        return is_bundled(self.path)

    @property
    def reason(self) -> str:
        """Why this library was chosen (for ``pytee info``)."""
        return _reasons.get(self.path, "loaded by path")


_lock = threading.Lock()
_by_path: dict[str, Library] = {}
_reasons: dict[str, str] = {}
_default: Library | None = None


def is_bundled(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is the library bundled in ``pytee/_native``."""
    try:
        return Path(path).resolve() == BUNDLED_LIBRARY.resolve()
    except OSError:
        return False


def _open(path: str, reason: str) -> Library:
    # Caller holds _lock.
    library = _by_path.get(path)
    if library is None:
        library = Library(ffi, ffi.dlopen(path), path)
        _by_path[path] = library
        _reasons[path] = reason
    return library


def _open_default() -> Library:
    # Caller holds _lock.
    env = os.environ.get(ENV_LIBTEEC)
    if env:
        return _open(env, "%s is set" % ENV_LIBTEEC)
    if os.path.exists(OPTEE_DEVICE):
        errors = []
        for name in OPTEE_LIBRARIES:
            try:
                return _open(name, "%s exists: system %s" % (OPTEE_DEVICE, name))
            except OSError as exc:
                errors.append(str(exc))
        reason = "%s exists but no system libteec loads (%s): bundled" % (
            OPTEE_DEVICE,
            "; ".join(errors),
        )
    else:
        reason = "no %s: bundled software TEE" % OPTEE_DEVICE
    if not BUNDLED_LIBRARY.exists():
        raise OSError(
            "pytee: the bundled libteec is missing at %s; "
            "build it with `pip install .` (or `pip install -e .`)" % BUNDLED_LIBRARY
        )
    return _open(str(BUNDLED_LIBRARY), reason)


def load(path: str | os.PathLike[str] | None = None) -> Library:
    """Load (once per path) and return ``(ffi, lib, path)``.

    With no ``path``, choose as the module documentation says; the choice
    is made once per process and :func:`loaded` returns it afterwards.
    """
    global _default
    with _lock:
        if path is not None:
            return _open(os.fspath(path), "chosen by the caller")
        if _default is None:
            _default = _open_default()
        return _default


def loaded() -> Library | None:
    """The library :func:`load` chose by default, or ``None`` if not yet loaded."""
    return _default
