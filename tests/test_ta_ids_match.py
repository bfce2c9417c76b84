"""tests/test_ta_ids.py must say what csrc/ta/test/include/test_ta.h says.

The header is the source of truth for the test TAs' UUIDs, command ids and
constants; the Python mirror is written by hand.  These tests parse the
header's ``#define`` lines and compare them with the mirror both ways, and
check that each test TA folder's ``BINARY`` (the file name the TEE looks
for) is the UUID its ``user_ta_header_defines.h`` declares.

The Python twins of the test TA (``ta_python/``) declare their own UUIDs,
mirrored too, and repeat the header's constants they use: both are checked
here against those files.
"""

import ast
import importlib.util
import operator
import re
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TA_DIR = ROOT / "csrc" / "ta"
HEADER = TA_DIR / "test" / "include" / "test_ta.h"
TEST_TA_FOLDERS = ("test", "test_single", "test_multi", "test_keepalive")
PYTHON_TA_DIR = ROOT / "ta_python"
# The mirror's names for the Python twins' UUIDs, and the file of each.
PYTHON_TWINS = {
    "TA_TEST_PY_UUID": "test_ta.py",
    "TA_TEST_PY_SINGLE_UUID": "test_single.py",
    "TA_TEST_PY_MULTI_UUID": "test_multi.py",
    "TA_TEST_PY_KEEPALIVE_UUID": "test_keepalive.py",
}


def _load_mirror():
    # Loaded by path so that this works whether or not tests/ is a package.
    spec = importlib.util.spec_from_file_location(
        "_test_ta_ids_under_check", Path(__file__).with_name("test_ta_ids.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.DOTALL)
    return re.sub(r"//[^\n]*", "", text)


def _join_continuations(text):
    return re.sub(r"\\\n", " ", text)


_UUID_INIT = re.compile(
    r"^\{\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*,"
    r"\s*\{([^{}]*)\}\s*\}$"
)

_BINOPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.LShift: operator.lshift,
    ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_,
}


def _eval_int(node):
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return _BINOPS[type(node.op)](_eval_int(node.left), _eval_int(node.right))
    raise ValueError(f"not an integer constant expression: {ast.dump(node)}")


def _uuid_from_initializer(match):
    time_low, time_mid, time_hi = (int(match.group(i), 16) for i in (1, 2, 3))
    node = [int(b, 16) for b in match.group(4).split(",") if b.strip()]
    if len(node) != 8 or time_low >> 32 or time_mid >> 16 or time_hi >> 16:
        raise ValueError(f"malformed TEE_UUID initializer: {match.group(0)}")
    raw = (
        time_low.to_bytes(4, "big")
        + time_mid.to_bytes(2, "big")
        + time_hi.to_bytes(2, "big")
        + bytes(node)
    )
    return str(uuid.UUID(bytes=raw))


def parse_value(text):
    """The Python value of a test_ta.h #define body."""
    text = text.strip()
    match = _UUID_INIT.match(text)
    if match:
        return _uuid_from_initializer(match)
    if text.startswith('"'):
        return ast.literal_eval(text)
    # Drop C integer suffixes (42U, 0x10UL) before evaluating.
    text = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", text)
    return _eval_int(ast.parse(text, mode="eval").body)


def parse_defines(path):
    """name -> value for every object-like #define with a body."""
    text = _join_continuations(_strip_comments(path.read_text()))
    defines = {}
    for line in text.splitlines():
        match = re.match(r"\s*#\s*define\s+(\w+)(\()?(.*)$", line)
        if not match or match.group(2) or not match.group(3).strip():
            continue  # function-like macro or include guard
        defines[match.group(1)] = parse_value(match.group(3))
    return defines


@pytest.fixture(scope="module")
def header_defines():
    return parse_defines(HEADER)


@pytest.fixture(scope="module")
def mirror():
    return _load_mirror()


def test_header_defines_are_parsed(header_defines):
    # Guards against a parser that silently finds nothing.
    assert header_defines["TA_TEST_CMD_NULL"] == 0
    assert header_defines["TA_TEST_DATA_SIZE"] == 32 * 1024
    assert len([n for n in header_defines if n.endswith("_UUID")]) == 4


def test_every_header_define_is_mirrored(header_defines, mirror):
    for name, value in header_defines.items():
        assert hasattr(mirror, name), f"{name} missing from test_ta_ids.py"
        assert getattr(mirror, name) == value, f"{name} differs"


def test_mirror_has_nothing_the_header_lacks(header_defines, mirror):
    extra = [
        n
        for n in vars(mirror)
        if n.isupper() and n not in header_defines and n not in PYTHON_TWINS
    ]
    assert extra == []


def _module_constants(path):
    """name -> value of the module-level ``NAME = <constant>`` lines of a
    Python file (read, not imported: a TA module needs a TA host)."""
    constants = {}
    for node in ast.parse(path.read_text()).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target = node.targets[0]
        if not isinstance(target, ast.Name):
            continue
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            constants[target.id] = node.value.value
            continue
        try:
            constants[target.id] = _eval_int(node.value)
        except ValueError:
            continue  # not a constant: a call, a table...
    return constants


@pytest.mark.parametrize(("name", "file"), sorted(PYTHON_TWINS.items()))
def test_python_twin_uuids_are_their_files_ta_uuid(mirror, name, file):
    ta_uuid = _module_constants(PYTHON_TA_DIR / file).get("TA_UUID")
    assert ta_uuid is not None, f"{file} has no TA_UUID line"
    assert getattr(mirror, name) == str(uuid.UUID(ta_uuid)) == ta_uuid


def test_python_twin_uuids_are_distinct_from_the_c_builds(header_defines, mirror):
    uuids = [v for n, v in header_defines.items() if n.endswith("_UUID")]
    uuids += [getattr(mirror, name) for name in PYTHON_TWINS]
    assert len(set(uuids)) == len(uuids) == 8


@pytest.mark.parametrize("file", sorted(set(PYTHON_TWINS.values())))
def test_python_twins_use_the_header_values(header_defines, file):
    constants = _module_constants(PYTHON_TA_DIR / file)
    repeated = [n for n in constants if n in header_defines]
    for name in repeated:
        assert constants[name] == header_defines[name], f"{file}: {name} differs"
    if file == "test_ta.py":  # the commands and their constants, all of them
        commands = {n for n in header_defines if n.startswith("TA_TEST_CMD_")}
        assert commands <= set(repeated)


def test_uuid_comments_match_initializers(header_defines):
    # Each UUID #define is preceded by its canonical text in a comment.
    text = _join_continuations(HEADER.read_text())
    pairs = re.findall(r"/\*\s*([0-9a-f-]{36})\s*\*/\s*#\s*define\s+(\w+_UUID)\b", text)
    assert sorted(name for _, name in pairs) == sorted(
        n for n in header_defines if n.endswith("_UUID")
    )
    for text_uuid, name in pairs:
        assert header_defines[name] == text_uuid, name


def test_ids_are_distinct(header_defines):
    commands = [v for n, v in header_defines.items() if n.startswith("TA_TEST_CMD_")]
    uuids = [v for n, v in header_defines.items() if n.endswith("_UUID")]
    assert len(set(commands)) == len(commands)
    assert len(set(uuids)) == len(uuids)


@pytest.mark.parametrize("folder", TEST_TA_FOLDERS)
def test_binary_is_the_ta_uuid(folder, header_defines):
    # The TEE finds a TA as <BINARY>.ta.so and checks the UUID inside it.
    makefile = (TA_DIR / folder / "Makefile").read_text()
    binary = re.search(r"^\s*BINARY\s*:?=\s*(\S+)", makefile, flags=re.MULTILINE)
    assert binary, f"{folder}/Makefile sets no BINARY"
    defines = _strip_comments(
        (TA_DIR / folder / "user_ta_header_defines.h").read_text()
    )
    ta_uuid = re.search(r"#\s*define\s+TA_UUID\s+(\w+)", defines)
    assert ta_uuid, f"{folder}/user_ta_header_defines.h defines no TA_UUID"
    assert header_defines[ta_uuid.group(1)] == binary.group(1)


def test_parse_value_rejects_what_it_cannot_read():
    with pytest.raises(ValueError):
        parse_value("sizeof(int)")
    with pytest.raises(ValueError):
        parse_value("{ 0x1, 0x2, 0x3, { 0x1, 0x2 } }")
