"""Build steps that pyproject.toml cannot express.

``build_py`` is extended to:

1. check for ``make``, a C compiler and the OpenSSL headers, and stop with
   one line naming what to install when one is missing;
2. build the software TEE with ``make -C csrc`` and install it as
   ``pytee/_native`` (in the source tree for ``pip install -e .``);
3. generate ``pytee/_teec_ffi.py`` and ``pytee/_tee_ffi.py``, the
   out-of-line ABI-mode cffi modules, from the cdef fragments
   ``pytee/cdefs/teec.h`` (client API) and ``pytee/cdefs/tee_internal.h``
   (Internal Core API, for Python TAs).

``PYTEE_SANITIZE=1`` builds the C parts with ASan and UBSan (``SANITIZE=1``).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
CSRC = ROOT / "csrc"
CDEF = ROOT / "pytee" / "cdefs" / "teec.h"
TEE_CDEF = ROOT / "pytee" / "cdefs" / "tee_internal.h"


def _stop(message: str) -> None:
    raise SystemExit("pytee: " + message)


def _compiler() -> list[str]:
    if os.environ.get("CC"):
        return shlex.split(os.environ["CC"])
    for name in ("cc", "gcc"):
        found = shutil.which(name)
        if found:
            return [found]
    _stop("C compiler not found: apt-get install gcc")
    raise AssertionError("unreachable")


def _openssl_cflags() -> list[str]:
    try:
        result = subprocess.run(
            ["pkg-config", "--cflags", "libcrypto"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return []
    return shlex.split(result.stdout) if result.returncode == 0 else []


def check_toolchain() -> list[str]:
    """Return the compiler command, or stop with one line saying what is missing."""
    if shutil.which("make") is None:
        _stop("make not found: apt-get install make")
    compiler = _compiler()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "probe.c")
        source.write_text("#include <openssl/evp.h>\nint main(void) { return 0; }\n")
        command = [*compiler, *_openssl_cflags(), "-c", str(source), "-o"]
        command.append(str(Path(tmp, "probe.o")))
        try:
            result = subprocess.run(command, capture_output=True, check=False)
        except OSError:
            _stop("C compiler %s does not run: apt-get install gcc" % compiler[0])
        if result.returncode != 0:
            _stop("OpenSSL headers not found: apt-get install libssl-dev")
    return compiler


def build_native(build_dir: Path, prefix: Path) -> None:
    """``make -C csrc`` into ``build_dir``, then install it under ``prefix``."""
    compiler = check_toolchain()
    common = ["O=%s" % build_dir, "CC=%s" % shlex.join(compiler)]
    if os.environ.get("PYTEE_SANITIZE") == "1":
        common.append("SANITIZE=1")
    steps = [
        ["make", "-C", str(CSRC), *common, "-j2"],
        ["make", "-C", str(CSRC), "install", *common, "PREFIX=%s" % prefix],
    ]
    for step in steps:
        print(" ".join(shlex.quote(part) for part in step), flush=True)
        if subprocess.run(step, check=False).returncode != 0:
            _stop("building the software TEE failed (see the make output above)")


def generate_ffi(target: Path, cdef: Path = CDEF) -> None:
    """Write the out-of-line ABI-mode cffi module ``target`` from ``cdef``."""
    from cffi import FFI

    ffi = FFI()
    ffi.cdef(cdef.read_text())
    ffi.set_source("pytee." + target.stem, None)
    target.parent.mkdir(parents=True, exist_ok=True)
    ffi.emit_python_code(str(target))


class BuildPy(build_py):
    """build_py that also builds the native parts and the cffi module."""

    def run(self) -> None:
        super().run()
        editable = bool(getattr(self, "editable_mode", False))
        if editable:
            package = ROOT / "pytee"
            build_dir = ROOT / "build" / "native"
        else:
            package = Path(self.build_lib).resolve() / "pytee"
            build = self.get_finalized_command("build")
            build_temp = build.build_temp  # type: ignore[attr-defined]
            build_dir = Path(str(build_temp)).resolve() / "native"
        build_native(build_dir, package / "_native")
        generate_ffi(package / "_teec_ffi.py")
        generate_ffi(package / "_tee_ffi.py", TEE_CDEF)


class BinaryDistribution(Distribution):
    """The wheel carries native code: tag it for the platform."""

    def has_ext_modules(self) -> bool:
        return True


if __name__ == "__main__":
    setup(cmdclass={"build_py": BuildPy}, distclass=BinaryDistribution)
