"""The Internal Core API coverage table, docs/internal-api-coverage.md.

Lists every function declared by the GP headers TAs include
(``tee_internal_api.h``, ``tee_tui_api.h``), whether libtee.so exports it
and which test TAs in ``csrc/ta`` call it; then the same for OP-TEE's
extensions (``tee_internal_api_extensions.h``).  ``test_coverage_table.py``
checks that the committed table is what this script makes now; after a
change to libtee or the test TAs, rewrite it with::

    python tests/coverage_table.py --write [path/to/libtee.so]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INCLUDE = ROOT / "csrc" / "include"
TA_ROOT = ROOT / "csrc" / "ta"
TABLE = ROOT / "docs" / "internal-api-coverage.md"
HEADERS = ("tee_internal_api.h", "tee_tui_api.h")
EXTENSIONS_HEADER = "tee_internal_api_extensions.h"

# Chapters of the GP TEE Internal Core API v1.3.1, by name.
_CHAPTER_BY_NAME = (
    (re.compile(r"^TA_"), "4.3 TA interface"),
    (re.compile(r"Property"), "4.4 Properties"),
    (re.compile(r"^TEE_Panic$"), "4.8 Panics"),
    (re.compile(r"TASession|TACommand"), "4.9 Internal Client API"),
    (re.compile(r"Cancellation"), "4.10 Cancellation"),
    (
        re.compile(
            r"^TEE_(CheckMemoryAccessRights|SetInstanceData|GetInstanceData|"
            r"Malloc|Realloc|Free|MemMove|MemCompare|MemFill)$"
        ),
        "4.11 Memory management",
    ),
    (re.compile(r"PersistentObject|ObjectData"), "5.7-5.9 Persistent objects"),
    (re.compile(r"Object|Attribute|GenerateKey"), "5.5-5.6 Objects"),
    (re.compile(r"^TEE_BigInt"), "8 Arithmetic"),
    (re.compile(r"Time$|^TEE_Wait$"), "7 Time"),
    (re.compile(r"^TEE_TUI"), "TUI API v1.0"),
)
_CRYPTO = "6 Cryptographic operations"

# Why a function is not implemented, for those that are not.
NOT_IMPLEMENTED_BECAUSE: dict[str, str] = {
    "TEE_BigIntFMMConvertToBigInt": "OP-TEE declares it but defines it nowhere",
}


def chapter(name: str) -> str:
    for pattern, title in _CHAPTER_BY_NAME:
        if pattern.search(name):
            return title
    return _CRYPTO


def declared_functions() -> list[str]:
    """Names of the functions the headers declare, after preprocessing."""
    names: set[str] = set()
    for header in HEADERS:
        text = subprocess.run(
            ["gcc", "-E", "-P", "-I%s" % INCLUDE, "-x", "c", str(INCLUDE / header)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        text = re.sub(r"__attribute__\s*\(\(.*?\)\)", " ", text)
        for statement in text.split(";"):
            flat = " ".join(statement.split())
            if flat.startswith(("typedef", "struct", "union", "enum")):
                continue
            found = re.search(r"\b((?:TEE|TA)_\w+)\s*\(", flat)
            if found and not flat.lstrip().startswith(found.group(1)):
                names.add(found.group(1))
    return sorted(names)


def extension_functions() -> list[str]:
    """Names of the functions EXTENSIONS_HEADER itself declares (not those
    of the headers it includes), after preprocessing."""
    out = subprocess.run(
        ["gcc", "-E", "-I%s" % INCLUDE, "-x", "c", str(INCLUDE / EXTENSIONS_HEADER)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    own = []
    in_header = False
    for line in out.splitlines():
        marker = re.match(r'^# \d+ "([^"]*)"', line)
        if marker:
            in_header = Path(marker.group(1)).name == EXTENSIONS_HEADER
        elif in_header:
            own.append(line)
    text = re.sub(r"__attribute__\s*\(\(.*?\)\)", " ", "\n".join(own))
    names: set[str] = set()
    for statement in text.split(";"):
        flat = " ".join(statement.split())
        if flat.startswith(("typedef", "struct", "union", "enum")):
            continue
        found = re.search(r"\b([A-Za-z_]\w*)\s*\(", flat)
        if found and not flat.startswith(found.group(1)):
            names.add(found.group(1))
    return sorted(names)


def exported(libtee: Path) -> set[str]:
    out = subprocess.run(
        ["nm", "-D", "--defined-only", str(libtee)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


def callers() -> dict[str, list[str]]:
    """For each TEE_/TA_/tee_ name, the test TAs whose sources use it."""
    used: dict[str, set[str]] = {}
    for source in sorted(TA_ROOT.glob("*/**/*.c")):
        ta = source.relative_to(TA_ROOT).parts[0]
        # Any mention counts: some TAs pass GP functions as pointers.
        for name in set(re.findall(r"\b((?:TEE|TA|tee)_\w+)\b", source.read_text())):
            used.setdefault(name, set()).add(ta)
    return {name: sorted(tas) for name, tas in used.items()}


def table(libtee: Path) -> str:
    functions = declared_functions()
    symbols = exported(libtee)
    used = callers()
    rows = []
    implemented = exercised = 0
    for name in functions:
        is_entry = name.startswith("TA_")
        done = is_entry or name in symbols
        implemented += done
        tas = used.get(name, [])
        exercised += bool(tas)
        if is_entry:
            state = "written by each TA"
        elif done:
            state = "yes"
        else:
            state = "no: " + NOT_IMPLEMENTED_BECAUSE.get(name, "not yet")
        rows.append(
            "| `%s` | %s | %s | %s |"
            % (name, chapter(name), state, ", ".join(tas) if tas else "-")
        )
    head = [
        "# GP TEE Internal Core API v1.3.1: coverage in libtee",
        "",
        "Generated by `python tests/coverage_table.py --write`; "
        "`tests/test_coverage_table.py` fails when it is stale.",
        "",
        "Every function the TA headers declare (`tee_internal_api.h`, "
        "`tee_tui_api.h`), whether libtee.so exports it, and which test TAs "
        "in `csrc/ta` call it (each is driven by the pytest suite).",
        "",
        "%d functions: %d implemented, %d called by a test TA."
        % (len(functions), implemented, exercised),
        "",
        "| function | chapter | implemented | called by test TAs |",
        "|---|---|---|---|",
    ]
    return "\n".join(head + rows + extensions_table(symbols, used)) + "\n"


def extensions_table(symbols: set[str], used: dict[str, list[str]]) -> list[str]:
    """The lines of the OP-TEE extensions section."""
    functions = extension_functions()
    rows = []
    for name in functions:
        tas = used.get(name, [])
        rows.append(
            "| `%s` | %s | %s |"
            % (name, "yes" if name in symbols else "no", ", ".join(tas) or "-")
        )
    return [
        "",
        "## OP-TEE extensions",
        "",
        "Every function `%s` declares (OP-TEE's extensions; "
        "`csrc/libtee/extensions.c` says how they behave on the software TEE), "
        "whether libtee.so exports it and which test TAs call it." % EXTENSIONS_HEADER,
        "",
        "%d functions: %d implemented, %d called by a test TA."
        % (
            len(functions),
            sum(name in symbols for name in functions),
            sum(bool(used.get(name)) for name in functions),
        ),
        "",
        "| function | implemented | called by test TAs |",
        "|---|---|---|",
        *rows,
    ]


def default_libtee() -> Path:
    sys.path.insert(0, str(ROOT))
    from pytee import teec

    return teec.NATIVE_DIR / "lib" / "libtee.so"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("libtee", nargs="?", type=Path, default=None)
    parser.add_argument("--write", action="store_true", help="rewrite the table")
    args = parser.parse_args()
    text = table(args.libtee or default_libtee())
    if args.write:
        TABLE.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
