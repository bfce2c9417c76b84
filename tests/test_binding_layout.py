"""The ABI-mode cdef must match csrc/include/tee_client_api.h byte for byte.

cffi in ABI mode computes struct layouts from the cdef text alone, and a
wrong declaration corrupts memory instead of failing.  So a C program is
compiled against the real header; it prints the size and alignment of every
struct, the offset and size of every member (nested ``imp`` members
included), checks each member's type with ``__builtin_types_compatible_p``,
redeclares the nine functions with the cdef's prototypes (a mismatch does
not compile) and prints every constant.  The numbers are compared with what
``pytee._teec_ffi`` computes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pytee import constants
from pytee._teec_ffi import ffi

ROOT = Path(__file__).resolve().parent.parent
HEADER = ROOT / "csrc" / "include" / "tee_client_api.h"
CDEF = ROOT / "pytee" / "cdefs" / "teec.h"

STRUCTS = {
    "TEEC_Context",
    "TEEC_UUID",
    "TEEC_SharedMemory",
    "TEEC_TempMemoryReference",
    "TEEC_RegisteredMemoryReference",
    "TEEC_Value",
    "TEEC_Parameter",
    "TEEC_Session",
    "TEEC_Operation",
}
FUNCTIONS = {
    "TEEC_InitializeContext",
    "TEEC_FinalizeContext",
    "TEEC_OpenSession",
    "TEEC_CloseSession",
    "TEEC_InvokeCommand",
    "TEEC_RegisterSharedMemory",
    "TEEC_AllocateSharedMemory",
    "TEEC_ReleaseSharedMemory",
    "TEEC_RequestCancellation",
}
# Header macros the cdef cannot carry (see the comment in pytee/cdefs/teec.h).
NOT_IN_CDEF = {"TEEC_CONFIG_SHAREDMEM_MAX_SIZE"}

# LP64 sizes from the reference (OP-TEE's libteec.so.2 measured with gcc).
LP64_SIZES = {
    "TEEC_Context": 8,
    "TEEC_UUID": 16,
    "TEEC_SharedMemory": 56,
    "TEEC_TempMemoryReference": 16,
    "TEEC_RegisteredMemoryReference": 24,
    "TEEC_Value": 8,
    "TEEC_Parameter": 24,
    "TEEC_Session": 16,
    "TEEC_Operation": 112,
}


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


def cdef_constants() -> dict[str, int]:
    text = CDEF.read_text()
    return {
        name: int(value, 0)
        for name, value in re.findall(
            r"^#define\s+(TEEC?_\w+)\s+(0x[0-9A-Fa-f]+|\d+)\s*$", text, re.M
        )
    }


def header_constants() -> set[str]:
    text = HEADER.read_text()
    return set(re.findall(r"^#define\s+(TEEC?_[A-Z0-9_]+)\s+\S", text, re.M)) - {
        "TEE_CLIENT_API_H"
    }


def cdef_prototypes() -> dict[str, str]:
    text = CDEF.read_text()
    found = re.findall(
        r"^((?:TEEC_Result|void)\s+(TEEC_\w+)\(.*?\);)", text, re.M | re.S
    )
    return {name: prototype for prototype, name in found}


def c_program() -> str:
    lines = [
        "#include <stddef.h>",
        "#include <stdio.h>",
        '#include "tee_client_api.h"',
        "",
    ]
    lines += list(cdef_prototypes().values())
    lines += ["", "int main(void)", "{"]
    for struct in sorted(STRUCTS):
        lines.append('\tprintf("size %s %%zu\\n", sizeof(%s));' % (struct, struct))
        lines.append('\tprintf("align %s %%zu\\n", _Alignof(%s));' % (struct, struct))
        for designator, mtype, _ in members(ffi.typeof(struct)):
            member = "((%s *)0)->%s" % (struct, designator)
            key = "%s.%s" % (struct, designator)
            lines.append(
                '\tprintf("offset %s %%zu\\n", offsetof(%s, %s));'
                % (key, struct, designator)
            )
            lines.append('\tprintf("msize %s %%zu\\n", sizeof(%s));' % (key, member))
            if mtype.kind not in ("struct", "union"):
                # An anonymous member struct has no name to compare with.
                lines.append(
                    "\t_Static_assert(__builtin_types_compatible_p("
                    '__typeof__(%s), %s), "type of %s");' % (member, mtype.cname, key)
                )
    for name in sorted(cdef_constants()):
        lines.append(
            '\tprintf("const %s %%llu\\n", (unsigned long long)(%s));' % (name, name)
        )
    lines += ["\treturn 0;", "}", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        pytest.skip("needs a C compiler (gcc or cc) to read the header's layout")
    folder = tmp_path_factory.mktemp("layout")
    source = folder / "layout.c"
    binary = folder / "layout"
    source.write_text(c_program())
    built = subprocess.run(
        [
            compiler,
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-I",
            str(HEADER.parent),
            str(source),
            "-o",
            str(binary),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, "the cdef disagrees with the header:\n" + (
        built.stderr
    )
    output = subprocess.run(
        [str(binary)], capture_output=True, text=True, check=True
    ).stdout
    result = {}
    for line in output.splitlines():
        kind, key, value = line.split()
        result["%s %s" % (kind, key)] = int(value)
    return result


def test_cdef_declares_exactly_the_nine_functions_of_the_header() -> None:
    assert set(cdef_prototypes()) == FUNCTIONS
    header_functions = set(
        re.findall(r"^\w[\w\s\*]*?\b(TEEC_[A-Za-z]+)\(", HEADER.read_text(), re.M)
    )
    assert header_functions == FUNCTIONS


def test_cdef_declares_every_struct_of_the_header() -> None:
    typedefs, _, _ = ffi.list_types()
    declared = {
        name for name in typedefs if ffi.typeof(name).kind in ("struct", "union")
    }
    assert declared == STRUCTS
    assert ffi.typeof("TEEC_Result") is ffi.typeof("uint32_t")


def test_struct_sizes_and_alignments_match_the_header(
    measured: dict[str, int],
) -> None:
    for struct in sorted(STRUCTS):
        assert ffi.sizeof(struct) == measured["size " + struct], struct
        assert ffi.alignof(struct) == measured["align " + struct], struct


def test_every_member_offset_and_size_matches_the_header(
    measured: dict[str, int],
) -> None:
    checked = 0
    for struct in sorted(STRUCTS):
        for designator, mtype, offset in members(ffi.typeof(struct)):
            key = "%s.%s" % (struct, designator)
            assert offset == measured["offset " + key], key
            assert ffi.sizeof(mtype) == measured["msize " + key], key
            checked += 1
    # The nine structs have 42 members in all, nested ones included.
    assert checked == 42


def test_every_constant_matches_the_header(measured: dict[str, int]) -> None:
    values = cdef_constants()
    assert set(values) == header_constants() - NOT_IN_CDEF
    lib = ffi.dlopen(None)  # cdef constants need no libteec
    for name, value in values.items():
        assert measured["const " + name] == value, name
        assert getattr(lib, name) == value, name


@pytest.mark.skipif(ffi.sizeof("void *") != 8, reason="LP64 figures")
def test_lp64_sizes_are_those_of_optee_libteec_v2() -> None:
    for struct, size in LP64_SIZES.items():
        assert ffi.sizeof(struct) == size, struct
    assert ffi.offsetof("TEEC_SharedMemory", "imp") == 24
    assert ffi.offsetof("TEEC_Operation", "imp") == 104


def test_python_enums_match_the_cdef_constants() -> None:
    values = cdef_constants()
    enums: list[tuple[type[Any], str]] = [
        (constants.ParamType, "TEEC_"),
        (constants.Origin, "TEEC_ORIGIN_"),
        (constants.Login, "TEEC_LOGIN_"),
        (constants.MemFlag, "TEEC_MEM_"),
    ]
    for enum, prefix in enums:
        for member in enum:
            assert member.gp_name.startswith(prefix)
            assert values[member.gp_name] == member.value, member.gp_name
    for result in constants.Result:
        assert values[result.gp_name] == result.value, result.gp_name
    named = {
        name
        for name in values
        if name.startswith(("TEEC_ERROR_", "TEE_ERROR_")) or name == "TEEC_SUCCESS"
    }
    deprecated = {
        "TEEC_ERROR_EXTERNAL_CANCEL",
        "TEEC_ERROR_TARGET_DEAD",
        "TEEC_ERROR_STORAGE_NO_SPACE",
    }
    assert named - deprecated == {result.gp_name for result in constants.Result}
