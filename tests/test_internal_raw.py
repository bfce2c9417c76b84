"""pytee.internal.raw: the cdef must match csrc/include and libtee.so.

cffi in ABI mode computes layouts and calls from the cdef text alone, and a
wrong declaration corrupts memory instead of failing.  So a C program is
compiled against the real headers; it prints the size and alignment of
every struct of the cdef, the offset and size of every member (nested ones
included), checks each member's and typedef's type with
``__builtin_types_compatible_p`` and prints the enumerators; another
redeclares every function with the cdef's prototype (a mismatch does not
compile).  The constants are evaluated by the compiler through the
generator of the cdef's constants section.  The functions must be exactly
those of the headers that libtee.so exports, so that what a C TA can call,
a Python TA can call.  A few calls that need no TA host run for real at
the end.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pytee.internal import raw

ROOT = Path(__file__).resolve().parent.parent
INCLUDE = ROOT / "csrc" / "include"
CDEF = ROOT / "pytee" / "cdefs" / "tee_internal.h"
GENERATOR = ROOT / "pytee" / "cdefs" / "gen_tee_internal_consts.py"

# Headers declaring what a TA may call (the TA_* entry points are the TA's).
FUNCTION_HEADERS = (
    "tee_internal_api.h",
    "tee_internal_api_extensions.h",
    "tee_tui_api.h",
    "trace.h",
    "libtee_host.h",
)
# Types of tee_api_types.h for the Secure Element API, which pytee lacks.
NOT_PROVIDED_TYPES = {"TEE_SEReaderProperties", "TEE_SEAID"}

ffi = raw.ffi


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_tee_consts", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = load_generator()


def members(ctype: Any, prefix: str = "") -> Iterator[tuple[str, Any, int]]:
    """(designator, member type, offset from the outermost struct), depth first."""
    for name, field in ctype.fields:
        designator = prefix + name
        yield designator, field.type, field.offset
        if field.type.kind in ("struct", "union"):
            for inner, inner_type, inner_offset in members(
                field.type, designator + "."
            ):
                yield inner, inner_type, field.offset + inner_offset


def cdef_structs() -> list[str]:
    """C names of the complete structs and unions of the cdef."""
    typedefs, structs, unions = ffi.list_types()
    names = [t for t in typedefs if ffi.typeof(t).kind in ("struct", "union")]
    names += ["struct " + s for s in structs] + ["union " + u for u in unions]
    return sorted(n for n in names if is_complete(n))


def is_complete(name: str) -> bool:
    # Handles point to structs only libtee knows (reading the .fields of
    # such a ctype aborts the interpreter).
    try:
        ffi.sizeof(name)
    except ffi.error:
        return False
    return True


def cdef_text() -> str:
    return CDEF.read_text()


def cdef_prototypes() -> dict[str, str]:
    found = re.findall(r"^([A-Za-z][\w ]*[ *](\w+)\(.*\);)$", cdef_text(), re.M)
    return {name: prototype for prototype, name in found}


def cdef_constants() -> dict[str, int]:
    return {
        name: int(value, 0)
        for name, value in re.findall(
            r"^#define\s+(\w+)\s+(0x[0-9A-Fa-f]+|\d+)\s*$", cdef_text(), re.M
        )
    }


def strip_c(text: str) -> str:
    """``text`` without comments and preprocessor lines."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"^\s*#.*?(?:\\\n.*?)*$", "", text, flags=re.M)


def header_functions() -> set[str]:
    names: set[str] = set()
    for header in FUNCTION_HEADERS:
        text = strip_c((INCLUDE / header).read_text())
        # name(parameters) then attributes such as __printf(5, 6), then ";"
        names.update(
            re.findall(r"\b(\w+)\s*\([^;{()]*\)(?:\s*\w+(?:\([^;()]*\))?)*\s*;", text)
        )
    return names


def header_types() -> set[str]:
    """Struct and union typedefs of tee_api_types.h and tee_tui_api_types.h,
    named structs of the rest."""
    types = set()
    for header in ("tee_api_types.h", "tee_tui_api_types.h"):
        text = (INCLUDE / header).read_text()
        enums = re.findall(r"typedef enum {[^}]*}\s*(\w+);", text)
        types.update(set(re.findall(r"^}\s*(\w+);", text, re.M)) - set(enums))
    for header in ("user_ta_header.h", "libtee_host.h"):
        text = (INCLUDE / header).read_text()
        types.update("struct " + s for s in re.findall(r"^struct (\w+) {", text, re.M))
    return types - NOT_PROVIDED_TYPES


def exported_symbols(path: str) -> set[str]:
    nm = shutil.which("nm")
    if nm is None:
        pytest.skip("needs nm (binutils) to list what libtee.so exports")
    output = subprocess.run(
        [nm, "-D", "--defined-only", path], capture_output=True, text=True, check=True
    ).stdout
    return {line.split()[-1] for line in output.splitlines() if line.strip()}


def type_check(expression: str, ctype: Any, what: str) -> str:
    """A static assertion that ``expression`` has the cdef's type ``ctype``."""
    # cffi writes a function pointer taking no argument as "(*)()", which
    # C would take for one of unspecified arguments.
    accepted = [ctype.cname.replace("(*)()", "(*)(void)")]
    if ctype.kind == "pointer" and ctype.item.kind in (
        "primitive",
        "void",
        "struct",
        "union",
        "enum",
    ):
        # cffi drops const from its type names; the cdef text keeps it.
        accepted.append("const %s *" % ctype.item.cname)
    test = " || ".join(
        "__builtin_types_compatible_p(__typeof__(%s), %s)" % (expression, name)
        for name in accepted
    )
    return '\t_Static_assert(%s, "type of %s");' % (test, what)


HEADER_INCLUDES = [
    "#include <stddef.h>",
    "#include <stdio.h>",
    "#include <tee_internal_api.h>",
    "#include <tee_tui_api.h>",
    "#include <user_ta_header.h>",
    "#include <libtee_host.h>",
]


def c_program() -> str:
    lines = [*HEADER_INCLUDES, "", "int main(void)", "{"]
    typedefs, _, _ = ffi.list_types()
    for name in typedefs:
        lines.append(type_check("*(%s *)0" % name, ffi.typeof(name), name))
    for struct in cdef_structs():
        lines.append('\tprintf("size %s %%zu\\n", sizeof(%s));' % (struct, struct))
        lines.append('\tprintf("align %s %%zu\\n", _Alignof(%s));' % (struct, struct))
        for designator, mtype, _ in members(ffi.typeof(struct)):
            member = "((%s *)0)->%s" % (struct, designator)
            key = "%s.%s" % (struct, designator)
            lines.append(
                '\tprintf("offset %s %%zu\\n", offsetof(%s, %s));'
                % (key, struct, designator)
            )
            if mtype.kind == "array" and mtype.length is None:
                continue  # a flexible array member has no size
            lines.append('\tprintf("msize %s %%zu\\n", sizeof(%s));' % (key, member))
            if mtype.kind not in ("struct", "union"):
                # An anonymous member struct has no name to compare with.
                lines.append(type_check(member, mtype, key))
    for name in ffi.typeof("enum user_ta_prop_type").relements:
        lines.append('\tprintf("enum %s %%d\\n", (int)(%s));' % (name, name))
    lines += ["\treturn 0;", "}", ""]
    return "\n".join(lines)


def compile_c(source: Path, *options: str) -> subprocess.CompletedProcess[str]:
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        pytest.skip("needs a C compiler (gcc or cc) to read the headers")
    command = [compiler, "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", str(INCLUDE)]
    return subprocess.run(
        [*command, *options, str(source)], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    folder = tmp_path_factory.mktemp("tee_layout")
    source = folder / "layout.c"
    binary = folder / "layout"
    source.write_text(c_program())
    built = compile_c(source, "-o", str(binary))
    assert built.returncode == 0, "the cdef disagrees with the headers:\n" + (
        built.stderr
    )
    output = subprocess.run(
        [str(binary)], capture_output=True, text=True, check=True
    ).stdout
    result = {}
    for line in output.splitlines():
        key, value = line.rsplit(" ", 1)  # keys such as "size struct x"
        result[key] = int(value)
    return result


@pytest.fixture(scope="module")
def header_constants() -> dict[str, dict[str, int]]:
    """header -> {name: value}, evaluated by the compiler."""
    if shutil.which("gcc") is None and shutil.which("cc") is None:
        pytest.skip("needs a C compiler (gcc or cc) to evaluate the headers")
    by_header: dict[str, dict[str, int]] = gen.header_constants()
    return by_header


@pytest.fixture(scope="module")
def library() -> raw.Library:
    try:
        return raw.load()
    except OSError as exc:
        pytest.skip("libtee cannot be loaded: %s" % exc)


# ---------------------------------------------------------------- layout


def test_cdef_declares_every_struct_of_the_headers() -> None:
    assert set(cdef_structs()) == header_types()


def test_struct_sizes_and_alignments_match_the_headers(
    measured: dict[str, int],
) -> None:
    for struct in cdef_structs():
        assert ffi.sizeof(struct) == measured["size " + struct], struct
        assert ffi.alignof(struct) == measured["align " + struct], struct


def test_every_member_offset_and_size_matches_the_headers(
    measured: dict[str, int],
) -> None:
    checked = set()
    for struct in cdef_structs():
        for designator, mtype, offset in members(ffi.typeof(struct)):
            key = "%s.%s" % (struct, designator)
            assert offset == measured["offset " + key], key
            if mtype.kind != "array" or mtype.length is not None:
                assert ffi.sizeof(mtype) == measured["msize " + key], key
            checked.add(key)
    assert {
        "TEE_Param.memref.buffer",
        "TEE_Param.memref.size",
        "TEE_Param.value.a",
        "TEE_Param.value.b",
        "TEE_Attribute.content.ref.length",
        "TEE_OperationInfoMultiple.keyInformation",
        "struct libtee_ta_ops.invoke",
    } <= checked


def test_prop_type_enumerators_match_the_header(measured: dict[str, int]) -> None:
    body = re.search(
        r"enum user_ta_prop_type {(.*?)};",
        strip_c((INCLUDE / "user_ta_header.h").read_text()),
        re.S,
    )
    assert body is not None
    names = re.findall(r"\b(USER_TA_PROP_TYPE_\w+)", body.group(1))
    enumerators = ffi.typeof("enum user_ta_prop_type").relements
    assert sorted(enumerators) == sorted(names)
    for name, value in enumerators.items():
        assert measured["enum " + name] == value, name


# ------------------------------------------------------------- constants


def test_every_constant_matches_the_headers(
    header_constants: dict[str, dict[str, int]],
) -> None:
    expected = {
        name: value
        for values in header_constants.values()
        for name, value in values.items()
    }
    assert cdef_constants() == expected
    lib = ffi.dlopen(None)  # cdef constants need no libtee
    for name, value in expected.items():
        assert getattr(lib, name) == value, name


def test_constants_section_is_what_the_generator_writes(
    header_constants: dict[str, dict[str, int]],
) -> None:
    text = cdef_text()
    assert gen.splice(text, gen.render(header_constants)) == text, (
        "run python pytee/cdefs/gen_tee_internal_consts.py"
    )


def test_propset_pseudo_handles_cast_to_the_c_pointer_values() -> None:
    lib = ffi.dlopen(None)
    for name in (
        "TEE_PROPSET_TEE_IMPLEMENTATION",
        "TEE_PROPSET_CURRENT_CLIENT",
        "TEE_PROPSET_CURRENT_TA",
    ):
        handle = ffi.cast("TEE_PropSetHandle", getattr(lib, name))
        assert int(ffi.cast("uintptr_t", handle)) == getattr(lib, name)
    assert lib.TEE_PROPSET_CURRENT_TA == 0xFFFFFFFF


# ------------------------------------------------------------- functions


def test_every_prototype_matches_the_headers(tmp_path: Path) -> None:
    # Redeclaring a function with another type does not compile.
    source = tmp_path / "prototypes.c"
    source.write_text("\n".join([*HEADER_INCLUDES, *cdef_prototypes().values(), ""]))
    built = compile_c(source, "-fsyntax-only")
    assert built.returncode == 0, built.stderr


def test_every_cdef_function_is_exported_by_libtee(library: raw.Library) -> None:
    missing = []
    for name in cdef_prototypes():
        try:
            getattr(library.lib, name)
        except AttributeError:
            missing.append(name)
    assert missing == [], "%s does not export %s" % (library.path, missing)


def test_cdef_declares_every_api_function_libtee_exports(
    library: raw.Library,
) -> None:
    exported = exported_symbols(library.path)
    declared = set(cdef_prototypes())
    assert declared == header_functions() & exported
    assert {name for name in exported if name.startswith("TEE_")} <= declared


# ------------------------------------------- calls that need no TA host


def bigint(library: raw.Library, value: int, bits: int = 512) -> Any:
    ffi, lib, _ = library
    words = (bits + 31) // 32 + 2  # TEE_BigIntSizeInU32, a macro
    number = ffi.new("TEE_BigInt[]", words)
    lib.TEE_BigIntInit(number, words)
    octets = abs(value).to_bytes(max(1, (abs(value).bit_length() + 7) // 8), "big")
    result = lib.TEE_BigIntConvertFromOctetString(
        number, octets, len(octets), -1 if value < 0 else 1
    )
    assert result == lib.TEE_SUCCESS
    return number


def to_int(library: raw.Library, number: Any) -> int:
    ffi, lib, _ = library
    size = ffi.new("size_t *", 128)
    octets = ffi.new("uint8_t[]", size[0])
    assert lib.TEE_BigIntConvertToOctetString(octets, size, number) == lib.TEE_SUCCESS
    magnitude = int.from_bytes(ffi.buffer(octets, size[0]), "big")
    return -magnitude if lib.TEE_BigIntCmpS32(number, 0) < 0 else magnitude


def test_mem_compare_orders_like_memcmp(library: raw.Library) -> None:
    lib = library.lib
    assert lib.TEE_MemCompare(b"abc", b"abc", 3) == 0
    assert lib.TEE_MemCompare(b"abc", b"abd", 3) < 0
    assert lib.TEE_MemCompare(b"b", b"a", 1) > 0


def test_malloc_fill_zero_gives_zeroed_memory(library: raw.Library) -> None:
    ffi, lib, _ = library
    block = lib.TEE_Malloc(64, lib.TEE_MALLOC_FILL_ZERO)
    assert block != ffi.NULL
    try:
        assert bytes(ffi.buffer(block, 64)) == bytes(64)
        lib.TEE_MemFill(block, 0xA5, 64)
        assert bytes(ffi.buffer(block, 64)) == b"\xa5" * 64
    finally:
        lib.TEE_Free(block)


def test_bigint_sum_of_s32_values_converts_back_or_overflows(
    library: raw.Library,
) -> None:
    ffi, lib, _ = library
    words = 2 + 2  # TEE_BigIntSizeInU32(64)
    a, b, total = (ffi.new("TEE_BigInt[]", words) for _ in range(3))
    for number in (a, b, total):
        lib.TEE_BigIntInit(number, words)
    lib.TEE_BigIntConvertFromS32(a, 2_000_000_000)
    lib.TEE_BigIntConvertFromS32(b, -2_000_000_123)
    lib.TEE_BigIntAdd(total, a, b)
    out = ffi.new("int32_t *")
    assert lib.TEE_BigIntConvertToS32(out, total) == lib.TEE_SUCCESS
    assert out[0] == -123
    lib.TEE_BigIntAdd(total, a, a)  # 4e9 does not fit an int32_t
    assert lib.TEE_BigIntConvertToS32(out, total) == lib.TEE_ERROR_OVERFLOW


def test_bigint_exp_mod_agrees_with_python(library: raw.Library) -> None:
    lib = library.lib
    n = (1 << 255) - 19
    base, exponent = 0x1234567890ABCDEF << 100, 65537
    dest = bigint(library, 0)
    result = lib.TEE_BigIntExpMod(
        dest,
        bigint(library, base),
        bigint(library, exponent),
        bigint(library, n),
        raw.ffi.NULL,
    )
    assert result == lib.TEE_SUCCESS
    assert to_int(library, dest) == pow(base, exponent, n)


def test_sha256_digest_matches_hashlib(library: raw.Library) -> None:
    ffi, lib, _ = library
    handle = ffi.new("TEE_OperationHandle *")
    result = lib.TEE_AllocateOperation(
        handle, lib.TEE_ALG_SHA256, lib.TEE_MODE_DIGEST, 0
    )
    assert result == lib.TEE_SUCCESS
    try:
        lib.TEE_DigestUpdate(handle[0], b"hello, ", 7)
        digest = ffi.new("uint8_t[]", 32)
        size = ffi.new("size_t *", 16)
        result = lib.TEE_DigestDoFinal(handle[0], b"TEE", 3, digest, size)
        assert (result, size[0]) == (lib.TEE_ERROR_SHORT_BUFFER, 32)
        result = lib.TEE_DigestDoFinal(handle[0], b"TEE", 3, digest, size)
        assert (result, size[0]) == (lib.TEE_SUCCESS, 32)
        assert bytes(digest) == hashlib.sha256(b"hello, TEE").digest()
        info = ffi.new("TEE_OperationInfo *")
        lib.TEE_GetOperationInfo(handle[0], info)
        assert (info.algorithm, info.operationClass, info.digestLength) == (
            lib.TEE_ALG_SHA256,
            lib.TEE_OPERATION_DIGEST,
            32,
        )
    finally:
        lib.TEE_FreeOperation(handle[0])


def test_generate_random_fills_exactly_the_length_asked(
    library: raw.Library,
) -> None:
    ffi, lib, _ = library
    buffer = ffi.new("uint8_t[]", b"\0" * 72)
    lib.TEE_GenerateRandom(buffer, 64)
    assert bytes(buffer[64:72]) == bytes(8)
    # All 64 bytes staying zero has probability 2**-512.
    assert bytes(buffer[0:64]) != bytes(64)
    other = ffi.new("uint8_t[]", 64)
    lib.TEE_GenerateRandom(other, 64)
    assert bytes(other) != bytes(buffer[0:64])


# ------------------------------------------------------------------ load


def test_load_is_cached_per_path(library: raw.Library) -> None:
    assert raw.load() is raw.load()
    assert raw.load(library.path) is raw.load(Path(library.path))
    assert raw.load(library.path).lib is library.lib


def test_an_explicit_choice_that_does_not_load_never_falls_back(
    tmp_path: Path,
) -> None:
    with pytest.raises(OSError):
        raw.load(tmp_path / "missing-libtee.so")
    env = dict(os.environ, PYTEE_LIBTEE=str(tmp_path / "missing-libtee.so"))
    probe = subprocess.run(
        [sys.executable, "-c", "from pytee.internal import raw; raw.load()"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert probe.returncode != 0
    assert "missing-libtee.so" in probe.stderr
