"""The TA libc subset of the host dev kit, as OP-TEE's dev kit enforces it.

OP-TEE compiles a TA with ``-nostdinc`` against the libc headers of its own
libutils and links it against its own small C library, so a TA that calls
``fopen``, ``strtol`` or reads ``errno`` does not build.  The host dev kit
does the same with its copies of those headers (``devkit/ta/libc/include``)
and a check of the linked TA's symbols (``libc/check_symbols.sh``).

Two sample TAs (``tests/samples``):

* ``libc_ta`` uses what the subset offers (formatting, sorting, parsing,
  strings, ``setjmp``, the heap, the BSD queues, bit strings, console
  output, ``rand``, ``assert``, ``abort``); it is built with the dev kit and
  driven through pytee, each result checked against Python's own;
* ``libc_bad`` misuses the C library in the way its ``CFLAGS`` select; its
  build must fail, naming what it used.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import struct
import subprocess
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from tee_helpers import IsolatedTee, LogTail, ta_log

from pytee import teec

pytestmark = pytest.mark.software_tee

SAMPLES = Path(__file__).resolve().parent / "samples"

# From samples/libc_ta/include/libc_ta.h.
LIBC_UUID = "d6fe4ba4-e2c6-4dd8-8025-74d02d304937"
CMD_FORMAT = 0
CMD_SORT = 1
CMD_FIND = 2
CMD_PARSE = 3
CMD_TOKENS = 4
CMD_SEARCH = 5
CMD_COMPARE = 6
CMD_JUMP = 7
CMD_HEAP = 8
CMD_QUEUE = 9
CMD_BITS = 10
CMD_PRINT = 11
CMD_RAND = 12
CMD_ASSERT = 13
CMD_ABORT = 14
CMD_BADFILE = 15
CMD_BADFD = 16
SORT_QSORT = 0
SORT_QSORT_U32 = 1
SORT_BISECT = 2
HEAP_CHECKS_ALL = 0x0F
NOT_FOUND = 0xFFFFFFFF
U32 = 0xFFFFFFFF

BAD_OBJECT = "bad_ta.o"
# Functions of the host C library that OP-TEE's TA libc does not have.
HOST_ONLY = ["strtol", "atoi", "sscanf", "strcat", "getenv", "exit", "time"]
# Headers OP-TEE's dev kit does not have.
MISSING_HEADERS = ["errno.h", "math.h", "pthread.h", "fcntl.h", "locale.h"]

PANIC_GENERIC = "TA panicked with code 0xffff0000"
PANIC_ZERO = "TA panicked with code 0x00000000"


def ta_dev_kit() -> Path:
    """The dev kit of the pytee in use: beside ``$PYTEE_LIBTEEC``'s ``lib``
    folder when that is set (as ``teed`` is found), else the bundled one."""
    library = os.environ.get(teec.ENV_LIBTEEC)
    if library and os.sep in library:
        return Path(library).resolve().parent.parent / "devkit" / "ta"
    return teec.NATIVE_DIR / "devkit" / "ta"


def make(folder: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "CFLAGS")}
    return subprocess.run(
        [
            "make",
            "-C",
            str(folder),
            "TA_DEV_KIT_DIR=%s" % ta_dev_kit(),
            "O=%s" % out,
            *args,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module", autouse=True)
def build_tools() -> None:
    for tool in ("make", "cc", "nm"):
        if shutil.which(tool) is None:
            pytest.skip("%s not found: the sample TAs cannot be built" % tool)


# -- the misusing TA -------------------------------------------------------------


def build_bad(
    tmp: Path, cflags: str, files: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Build a copy of ``libc_bad`` with ``CFLAGS=cflags`` (and extra files)."""
    folder = tmp / "libc_bad"
    shutil.copytree(SAMPLES / "libc_bad", folder)
    for name, text in (files or {}).items():
        (folder / name).write_text(text)
    return make(folder, tmp / "out", "CFLAGS=%s" % cflags)


def built_tas(tmp: Path) -> list[Path]:
    return sorted((tmp / "out").glob("*.ta.so*"))


def refusal(symbol: str) -> str:
    return "error: TA uses %s, which OP-TEE's TA libc does not provide" % symbol


def test_the_misusing_sample_builds_without_a_misuse(tmp_path: Path) -> None:
    done = build_bad(tmp_path, "")
    assert done.returncode == 0, done.stdout + done.stderr
    assert [p.name for p in built_tas(tmp_path)] == [
        "3a6b0d6e-5c1f-4b8e-9f3a-2d7c4e1b8a90.ta.so"
    ]


@pytest.mark.parametrize("symbol", HOST_ONLY)
def test_a_host_only_function_fails_the_link_naming_it(
    tmp_path: Path, symbol: str
) -> None:
    done = build_bad(tmp_path, "-DBAD_SYMBOL=%s" % symbol)
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if "TA uses" in line]
    assert errors == ["%s (used in %s)" % (refusal(symbol), BAD_OBJECT)], done.stderr
    assert built_tas(tmp_path) == []


def test_each_host_only_symbol_gets_one_line(tmp_path: Path) -> None:
    done = build_bad(tmp_path, "-DBAD_MANY")
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if "TA uses" in line]
    assert errors == [
        "%s (used in %s)" % (refusal(name), BAD_OBJECT)
        for name in ("atoi", "getenv", "strerror", "strtol")
    ], done.stderr


def test_fopen_fails_to_build_naming_fopen(tmp_path: Path) -> None:
    # <stdio.h> does not declare it: a compiler that rejects implicit
    # declarations stops there, others let the link check stop it.
    done = build_bad(tmp_path, "-DBAD_FOPEN")
    assert done.returncode != 0
    assert re.search(r"\bfopen\b", done.stderr), done.stderr
    assert built_tas(tmp_path) == []


def test_the_host_stdin_is_refused(tmp_path: Path) -> None:
    done = build_bad(tmp_path, "-DBAD_STDIN")
    assert done.returncode != 0
    assert refusal("stdin") in done.stderr, done.stderr


def test_errno_is_not_declared(tmp_path: Path) -> None:
    done = build_bad(tmp_path, "-DBAD_ERRNO")
    assert done.returncode != 0
    # gcc: 'errno' undeclared; clang: use of undeclared identifier 'errno'
    assert re.search(r".errno. undeclared|undeclared identifier .errno.", done.stderr)
    assert built_tas(tmp_path) == []


@pytest.mark.parametrize("header", MISSING_HEADERS)
def test_a_header_optee_lacks_is_not_found(tmp_path: Path, header: str) -> None:
    done = build_bad(tmp_path, "-DBAD_HEADER=%s" % header)
    assert done.returncode != 0
    assert re.search(r"%s.*(No such file|not found)" % re.escape(header), done.stderr)


def declared_functions() -> list[str]:
    """Functions that the subset's headers and OP-TEE's <string_ext.h> and
    <util.h> declare, as gcc lists them (``-aux-info``, which clang lacks)."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc not found: no -aux-info to list declarations")
    kit = ta_dev_kit()
    compiler_include = subprocess.run(
        ["gcc", "-print-file-name=include"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    aux = subprocess.run(
        [
            "gcc",
            "-std=gnu11",
            "-fsyntax-only",
            "-nostdinc",
            "-I%s" % (kit / "include"),
            "-isystem",
            str(kit / "libc" / "include"),
            "-isystem",
            compiler_include,
            "-aux-info",
            "/dev/stdout",
            str(SAMPLES / "libc_bad" / "every_header.h"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert aux.returncode == 0, aux.stderr
    ours = (
        str(kit / "libc" / "include"),
        str(kit / "include" / "string_ext.h"),
        str(kit / "include" / "util.h"),
    )
    names = []
    # /* <file>:<line>:NC */ extern int printf (const char *, ...);
    for match in re.finditer(r"/\* (\S+):\d+:NC \*/ [^(]*?(\w+) \(", aux.stdout):
        if match.group(1).startswith(ours):
            names.append(match.group(2))
    return sorted(set(names))


def test_every_function_the_headers_declare_links(tmp_path: Path) -> None:
    names = declared_functions()
    # a sample of each header family, so that a parsing slip cannot pass
    for name in ("printf", "memcpy", "strtoul", "setjmp", "strlcpy", "qsort_u32"):
        assert name in names
    refs = "".join("REF(%s)\n" % name for name in names)
    done = build_bad(tmp_path, "-DEVERY_FUNCTION", {"refs.inc": refs})
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_sample_builds_with_clang_too(tmp_path: Path) -> None:
    # clang's own headers come from its -print-file-name=include as gcc's do
    if shutil.which("clang") is None:
        pytest.skip("clang not found")
    shutil.copytree(SAMPLES / "libc_ta", tmp_path / "libc_ta")
    done = make(tmp_path / "libc_ta", tmp_path / "out", "CC=clang")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "out" / ("%s.ta.so" % LIBC_UUID)).is_file()


# -- the TA that uses the subset ---------------------------------------------------


@pytest.fixture(scope="module")
def libc_tee(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IsolatedTee]:
    """A TEE of its own whose only TA is the built ``libc_ta`` sample."""
    root = tmp_path_factory.mktemp("libc")
    sample = root / "libc_ta"
    shutil.copytree(SAMPLES / "libc_ta", sample)
    done = make(sample, root / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    tee = IsolatedTee({"PYTEE_TA_PATH": str(root / "out")})
    try:
        yield tee
    finally:
        tee.close()


def run(tee: IsolatedTee, body: str) -> Any:
    """Run ``body`` in a client with ``s`` a session to the libc TA; return
    the JSON it prints last."""
    code = "with Context() as ctx, ctx.open_session(%r) as s:\n%s" % (
        LIBC_UUID,
        textwrap.indent(textwrap.dedent(body), "    "),
    )
    return tee.run_client(code)


def u32s(values: Sequence[int]) -> bytes:
    return struct.pack("<%dI" % len(values), *values)


def from_u32s(data: bytes) -> list[int]:
    return list(struct.unpack("<%dI" % (len(data) // 4), data))


@pytest.mark.parametrize("a,b", [(7, 35), (4_000_000_000, 300_000_000), (0, 0)])
def test_snprintf_formats_as_c_does(libc_tee: IsolatedTee, a: int, b: int) -> None:
    text, length = run(
        libc_tee,
        """
        out, n = s.invoke(%d, ValueIn(%d, %d), TempOut(128), ValueOut())
        print(json.dumps([out.decode(), n.a]))
        """
        % (CMD_FORMAT, a, b),
    )
    expected = "%u+%u=%u %s %08x|%-4d|%5.2s|%c" % (
        a,
        b,
        (a + b) & U32,
        "ok",
        a,
        -b,
        "xyz",
        chr(ord("A") + a % 26),
    )
    assert text == expected
    assert length == len(expected)


@pytest.mark.parametrize("how", [SORT_QSORT, SORT_QSORT_U32, SORT_BISECT])
def test_arrays_sort_ascending(libc_tee: IsolatedTee, how: int) -> None:
    rng = random.Random(how)
    values = [rng.randrange(1 << 32) for _ in range(200)] + [5, 5, 0, U32]
    data = run(
        libc_tee,
        """
        buf = bytearray(bytes.fromhex(%r))
        s.invoke(%d, TempInOut(buf), ValueIn(%d, 0))
        print(json.dumps(buf.hex()))
        """
        % (u32s(values).hex(), CMD_SORT, how),
    )
    assert from_u32s(bytes.fromhex(data)) == sorted(values)


def test_bisect_equal_finds_present_values_only(libc_tee: IsolatedTee) -> None:
    values = sorted([3, 8, 8, 21, 40, 41, 77, 1000, 4_000_000_000])
    targets = [3, 8, 41, 4_000_000_000, 0, 9, 999, U32]
    found = run(
        libc_tee,
        """
        data = bytes.fromhex(%r)
        out = []
        for t in %r:
            (r,) = s.invoke(%d, TempIn(data), ValueIn(t, 0), ValueOut())
            out.append([r.a, r.b])
        print(json.dumps(out))
        """
        % (u32s(values).hex(), targets, CMD_FIND),
    )
    for target, (hit, index) in zip(targets, found):
        if target in values:
            assert hit == 1 and values[index] == target
        else:
            assert (hit, index) == (0, NOT_FOUND)


# (text, base, value strtoul() gives, characters it uses)
STRTOUL_CASES = [
    ("12345", 10, 12345, 5),
    ("  42abc", 10, 42, 4),
    ("0x1F zz", 0, 0x1F, 4),
    ("0755", 0, 0o755, 4),
    ("zz", 36, 35 * 36 + 35, 2),
    ("-7", 10, (1 << 64) - 7, 2),
    ("18446744073709551616", 10, (1 << 64) - 1, 20),
    ("nothing", 10, 0, 0),
]


@pytest.mark.parametrize("text,base,value,used", STRTOUL_CASES)
def test_strtoul_and_isdigit_parse_as_c_does(
    libc_tee: IsolatedTee, text: str, base: int, value: int, used: int
) -> None:
    low, high, consumed, digits = run(
        libc_tee,
        """
        v, e = s.invoke(%d, TempIn(%r), ValueIn(%d, 0), ValueOut(), ValueOut())
        print(json.dumps([v.a, v.b, e.a, e.b]))
        """
        % (CMD_PARSE, text.encode(), base),
    )
    assert low | (high << 32) == value
    assert consumed == used
    assert digits == sum(c in "0123456789" for c in text)


def tokens_model(text: str, size: int) -> tuple[str, int]:
    """What the TA's strtok_r/toupper/strlcpy/strlcat loop leaves in a
    ``size``-byte buffer, and what its last strlcat() returned."""
    out, total = "", 0
    for token in re.split(r"[ ,]+", text.upper()):
        if not token:
            continue
        for piece in (["|"] if total else []) + [token]:
            used = len(out)  # always NUL-terminated within size here
            total = used + len(piece)
            out = (out + piece)[: size - 1]
    return out, total


@pytest.mark.parametrize("size", [100, 12, 1])
def test_strtok_r_strlcpy_strlcat_toupper(libc_tee: IsolatedTee, size: int) -> None:
    text = " alpha, beta,,gamma  delta "
    out, total = run(
        libc_tee,
        """
        out, r = s.invoke(%d, TempIn(%r), TempOut(%d), ValueOut())
        print(json.dumps([out.decode(), r.a]))
        """
        % (CMD_TOKENS, text.encode(), size),
    )
    assert (out, total) == tokens_model(text, size)


@pytest.mark.parametrize(
    "text,needle",
    [("hello libc world", "libc"), ("abcabc", "ca"), ("abc", "zz"), ("a.b.c", ".")],
)
def test_strstr_strchr_strrchr(libc_tee: IsolatedTee, text: str, needle: str) -> None:
    found, last = run(
        libc_tee,
        """
        p, q = s.invoke(%d, TempIn(%r), TempIn(%r), ValueOut(), ValueOut())
        print(json.dumps([[p.a, p.b], q.a]))
        """
        % (CMD_SEARCH, text.encode(), needle.encode()),
    )

    def offset(i: int) -> int:
        return NOT_FOUND if i < 0 else i

    assert found == [offset(text.find(needle)), offset(text.find(needle[0]))]
    assert last == offset(text.rfind(needle[0]))


def test_consttime_memcmp_orders_as_memcmp(libc_tee: IsolatedTee) -> None:
    rng = random.Random(7)
    pairs = [(b"", b""), (b"same", b"same"), (b"\x00\xff", b"\x01\x00")]
    for _ in range(20):
        x = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
        y = bytearray(x)
        y[rng.randrange(len(y))] = rng.randrange(256)
        pairs.append((x, bytes(y)))
    got = run(
        libc_tee,
        """
        out = []
        for x, y in %r:
            (r,) = s.invoke(%d, TempIn(bytes.fromhex(x)), TempIn(bytes.fromhex(y)),
                            ValueOut())
            out.append([r.a - 1, r.b - 1])
        print(json.dumps(out))
        """
        % ([(x.hex(), y.hex()) for x, y in pairs], CMD_COMPARE),
    )
    assert got == [[(x > y) - (x < y)] * 2 for x, y in pairs]


@pytest.mark.parametrize("depth", [0, 1, 50])
def test_longjmp_returns_to_setjmp(libc_tee: IsolatedTee, depth: int) -> None:
    got = run(
        libc_tee,
        """
        (r,) = s.invoke(%d, ValueIn(%d, 0), ValueOut())
        print(json.dumps([r.a, r.b]))
        """
        % (CMD_JUMP, depth),
    )
    # setjmp() returned twice: 0 first, then longjmp()'s value
    assert got == [depth + 1, 2]


@pytest.mark.parametrize("size", [1, 100, 100_000])
def test_heap_functions_work(libc_tee: IsolatedTee, size: int) -> None:
    passed = run(
        libc_tee,
        """
        (r,) = s.invoke(%d, ValueIn(%d, 0), ValueOut())
        print(json.dumps(r.a))
        """
        % (CMD_HEAP, size),
    )
    assert passed == HEAP_CHECKS_ALL


def queue_model(v: list[int]) -> list[list[int]]:
    """The seven sequences of samples/libc_ta/libc_queue.c."""
    tailq = [x for x in v if x % 3]
    tailq = [1000, 1001, *tailq]
    tailq = [*tailq[:-1], 1002, *tailq[-1:]]
    stailq = v[1:-1] if len(v) > 1 else []
    return [
        tailq,
        tailq[::-1],
        [x for x in reversed(v) if x % 2],
        list(reversed(v))[:-1],
        [*stailq, 2000, 2001],
        v[: len(v) // 2] + v[len(v) // 2 + 1 :],
        [*v, v[-1]],
    ]


@pytest.mark.parametrize("n", [1, 2, 3, 17])
def test_bsd_queues_keep_their_order(libc_tee: IsolatedTee, n: int) -> None:
    values = [(7 * i + 5) % 23 for i in range(n)]
    data = run(
        libc_tee,
        """
        (out,) = s.invoke(%d, TempIn(bytes.fromhex(%r)), TempOut(4096))
        print(json.dumps(out.hex()))
        """
        % (CMD_QUEUE, u32s(values).hex()),
    )
    flat = from_u32s(bytes.fromhex(data))
    sequences = []
    while flat:
        count, flat = flat[0], flat[1:]
        sequences.append(flat[:count])
        flat = flat[count:]
    assert sequences == queue_model(values)


@pytest.mark.parametrize("first,last", [(3, 10), (0, 5), (0, 63), (9, 9)])
def test_bit_strings_confine_array_index_and_atomics(
    libc_tee: IsolatedTee, first: int, last: int
) -> None:
    got = run(
        libc_tee,
        """
        b, c = s.invoke(%d, ValueIn(%d, %d), ValueOut(), ValueOut())
        print(json.dumps([b.a, b.b, c.a, c.b]))
        """
        % (CMD_BITS, first, last),
    )
    first_clear = 0 if first else (last + 1 if last < 63 else NOT_FOUND)
    confined = first if first < last else 0
    assert got == [first, first_clear, confined, (first - 1) & U32]


def print_block(text: str) -> str:
    """What the PRINT command writes to the TA log for ``text``."""
    return (
        ("[%s]\n" % text)[:255]
        + text
        + "\n"
        + text
        + "\n"
        + "stdout: %s\n" % text
        + "stderr: %s\n" % text
        + "fwrite: %s\n" % text
        + "write: %s\n" % text
    )


@pytest.mark.parametrize("text", ["hello libc", "x" * 300])
def test_console_output_goes_to_the_ta_log(libc_tee: IsolatedTee, text: str) -> None:
    log = LogTail(ta_log(LIBC_UUID, libc_tee.data))
    printed = run(
        libc_tee,
        """
        (r,) = s.invoke(%d, TempIn(%r), ValueOut())
        print(json.dumps(r.a))
        """
        % (CMD_PRINT, text.encode()),
    )
    # printf() returns the length it would have printed, cut or not
    assert printed == len(text) + 3
    assert print_block(text) in log.text()


def test_rand_is_random_not_a_seeded_sequence(libc_tee: IsolatedTee) -> None:
    # Each session is a new instance: a seeded generator would repeat itself.
    draws = run(
        libc_tee,
        """
        out = []
        for _ in range(3):
            with ctx.open_session(%r) as t:
                (r,) = t.invoke(%d, ValueOut())
                out.extend([r.a, r.b])
        print(json.dumps(out))
        """
        % (LIBC_UUID, CMD_RAND),
    )
    assert all(0 <= x <= 0x7FFFFFFF for x in draws)
    assert len(set(draws)) == len(draws)


def panics(tee: IsolatedTee, command: int, *params: str) -> str:
    """Invoke a command that must kill the instance; return the log it left."""
    log = LogTail(ta_log(LIBC_UUID, tee.data))
    outcome = run(
        tee,
        """
        try:
            s.invoke(%d, %s)
        except TargetDead:
            print(json.dumps("dead"))
        else:
            print(json.dumps("alive"))
        """
        % (command, ", ".join(params)),
    )
    assert outcome == "dead"
    assert log.wait_for("TA panicked with code"), log.text()
    return log.text()


def test_a_true_assertion_passes(libc_tee: IsolatedTee) -> None:
    assert run(libc_tee, "s.invoke(%d, ValueIn(3, 0))\nprint(1)" % CMD_ASSERT) == 1


def test_a_failed_assertion_logs_and_panics(libc_tee: IsolatedTee) -> None:
    text = panics(libc_tee, CMD_ASSERT, "ValueIn(12, 0)")
    line = (
        r"^E/TA:  assertion 'value < 10' failed at \S*libc_ta\.c:\d+ in cmd_assert\(\)$"
    )
    assert re.search(line, text, re.MULTILINE), text
    assert PANIC_GENERIC in text


def test_abort_prints_abort_and_panics_with_zero(libc_tee: IsolatedTee) -> None:
    text = panics(libc_tee, CMD_ABORT)
    assert "Abort!\n" in text
    assert PANIC_ZERO in text


@pytest.mark.parametrize("command", [CMD_BADFILE, CMD_BADFD])
def test_output_elsewhere_than_the_console_aborts(
    libc_tee: IsolatedTee, command: int
) -> None:
    text = panics(libc_tee, command)
    assert "Abort!\n" in text
    assert PANIC_ZERO in text
    assert "lost" not in text
