"""pytee/payment/ta_ids.py must say what csrc/ta/payment/include/payment_ta.h says.

The header is the source of truth for the payment TA's UUID, command ids,
state bits and sizes; the Python mirror is written by hand.  These tests
parse the header's ``#define`` lines (as ``test_ta_ids_match.py`` parses
the test TA's header, and with the names a body uses that the header
defined before it) and compare them with the mirror both ways; they
also check that the TA folder's ``BINARY`` is the UUID its
``user_ta_header_defines.h`` declares, and that the sizes the protocol
modules of ``pytee.payment`` use agree with the header.

The mirror also names the UUID of the TA's Python twin
(``ta_python/payment.py``), which the header does not know: it is checked
against that file's ``TA_UUID`` line instead (as ``test_ta_ids_match.py``
checks the test TA's twins).
"""

from __future__ import annotations

import ast
import operator
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pytee.payment import commands, keys, ta_ids, wire

ROOT = Path(__file__).resolve().parent.parent
TA_FOLDER = ROOT / "csrc" / "ta" / "payment"
HEADER = TA_FOLDER / "include" / "payment_ta.h"
# The Python twin of the TA, whose UUID the mirror names as this
PYTHON_TWIN = ROOT / "ta_python" / "payment.py"
PYTHON_TWIN_NAME = "TA_PAYMENT_PY_UUID"


_UUID_INIT = re.compile(
    r"^\{\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*,"
    r"\s*\{([^{}]*)\}\s*\}$"
)
_BINOPS: dict[type[ast.operator], Callable[[int, int], int]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.LShift: operator.lshift,
    ast.BitOr: operator.or_,
}


def _eval_int(node: ast.expr, names: dict[str, Any]) -> int:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.Name) and type(names.get(node.id)) is int:
        return int(names[node.id])
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        left, right = _eval_int(node.left, names), _eval_int(node.right, names)
        return _BINOPS[type(node.op)](left, right)
    raise ValueError(f"not an integer constant expression: {ast.dump(node)}")


def parse_value(text: str, names: dict[str, Any]) -> Any:
    """The Python value of a #define body: a TEE_UUID initializer (as the
    canonical string), a string literal or an integer expression of
    constants and of the integer ``names`` defined before it."""
    text = text.strip()
    match = _UUID_INIT.match(text)
    if match:
        fields = [int(match.group(i), 16) for i in (1, 2, 3)]
        node = bytes(int(b, 16) for b in match.group(4).split(","))
        raw = b"".join(f.to_bytes(n, "big") for f, n in zip(fields, (4, 2, 2)))
        return str(uuid.UUID(bytes=raw + node))
    if text.startswith('"'):
        return ast.literal_eval(text)
    text = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", text)
    return _eval_int(ast.parse(text, mode="eval").body, names)


def parse_defines(path: Path) -> dict[str, Any]:
    """name -> value of every object-like #define with a body."""
    text = re.sub(r"/\*.*?\*/", " ", path.read_text(), flags=re.DOTALL)
    text = re.sub(r"\\\n", " ", re.sub(r"//[^\n]*", "", text))
    defines: dict[str, Any] = {}
    for line in text.splitlines():
        match = re.match(r"\s*#\s*define\s+(\w+)(\()?(.*)$", line)
        if not match or match.group(2) or not match.group(3).strip():
            continue  # function-like macro or include guard
        defines[match.group(1)] = parse_value(match.group(3), defines)
    return defines


@pytest.fixture(scope="module")
def header_defines() -> dict[str, Any]:
    return parse_defines(HEADER)


def test_header_defines_are_parsed(header_defines: dict[str, Any]) -> None:
    # Guards against a parser that silently finds nothing.
    assert header_defines["PAYMENT_CMD_READ_CERT"] == 8
    assert header_defines["PAYMENT_HPKE_INFO"] == "TEEPAY-HPKE-v1"
    assert header_defines["TA_PAYMENT_UUID"] == "df732d25-7e78-4e77-a0af-2d006cd61bc9"
    assert len(header_defines) > 40


def test_every_header_define_is_mirrored(header_defines: dict[str, Any]) -> None:
    for name, value in header_defines.items():
        assert hasattr(ta_ids, name), f"{name} missing from ta_ids.py"
        assert getattr(ta_ids, name) == value, f"{name} differs"


def test_mirror_has_nothing_the_header_lacks(header_defines: dict[str, Any]) -> None:
    known = [*header_defines, PYTHON_TWIN_NAME]
    extra = [n for n in vars(ta_ids) if n.isupper() and n not in known]
    assert extra == []
    assert sorted(ta_ids.__all__) == sorted(known)


def _ta_uuid_line(path: Path) -> str | None:
    """The value of a Python TA's module-level ``TA_UUID = "..."`` (read,
    not imported: a TA module needs a TA host)."""
    for node in ast.parse(path.read_text()).body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["TA_UUID"]
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    return None


def test_the_python_twin_uuid_is_its_files_ta_uuid() -> None:
    twin = ta_ids.TA_PAYMENT_PY_UUID
    assert _ta_uuid_line(PYTHON_TWIN) == twin == str(uuid.UUID(twin))
    assert twin != ta_ids.TA_PAYMENT_UUID


def test_uuid_comment_matches_initializer(header_defines: dict[str, Any]) -> None:
    text = HEADER.read_text()
    pairs = re.findall(r"/\*\s*([0-9a-f-]{36})\s*\*/\s*#\s*define\s+(\w+_UUID)\b", text)
    assert pairs == [(ta_ids.TA_PAYMENT_UUID, "TA_PAYMENT_UUID")]


def test_command_ids_are_distinct(header_defines: dict[str, Any]) -> None:
    ids = [v for n, v in header_defines.items() if n.startswith("PAYMENT_CMD_")]
    assert sorted(ids) == list(range(len(ids)))


def test_binary_is_the_ta_uuid() -> None:
    # The TEE finds a TA as <BINARY>.ta.so and checks the UUID inside it.
    makefile = (TA_FOLDER / "Makefile").read_text()
    binary = re.search(r"^\s*BINARY\s*:?=\s*(\S+)", makefile, flags=re.MULTILINE)
    assert binary is not None
    assert binary.group(1) == ta_ids.TA_PAYMENT_UUID
    defines = (TA_FOLDER / "user_ta_header_defines.h").read_text()
    assert re.search(r"#\s*define\s+TA_UUID\s+TA_PAYMENT_UUID\b", defines)


@pytest.mark.parametrize(
    ("python", "header"),
    [
        (keys.PUBLIC_KEY_SIZE, "PAYMENT_PUBKEY_LEN"),
        (keys.SIGNATURE_SIZE, "PAYMENT_SIG_LEN"),
        (keys.SUITE_P256_SHA256_AES128GCM, "PAYMENT_SUITE"),
        (wire.CURRENCY_CNY, "PAYMENT_CURRENCY"),
        (wire.DEVICE_ID_SIZE, "PAYMENT_DEVICE_ID_LEN"),
        (wire.TERMINAL_ID_SIZE, "PAYMENT_TERMINAL_ID_LEN"),
        (wire.NONCE_SIZE, "PAYMENT_NONCE_LEN"),
        (wire.CHALLENGE_SIZE, "PAYMENT_CHALLENGE_LEN"),
        (wire.MAX_NAME_SIZE, "PAYMENT_NAME_MAX"),
        (wire.GpoRequest.SIZE, "PAYMENT_GPO_REQUEST_LEN"),
        (wire.LoadChallenge.SIZE, "PAYMENT_INIT_LOAD_LEN"),
        (wire.LoadAuthorisation.SIZE, "PAYMENT_LOAD_AUTH_LEN"),
        (wire.LoadReceipt.SIZE, "PAYMENT_LOAD_RECEIPT_LEN"),
        (wire.DebitReceipt.SIZE, "PAYMENT_DEBIT_RECEIPT_LEN"),
        (int(wire.CertKind.DEVICE), "PAYMENT_CERT_DEVICE"),
        (int(wire.CertKind.TERMINAL), "PAYMENT_CERT_TERMINAL"),
        (int(wire.CertKind.ACQUIRER), "PAYMENT_CERT_ACQUIRER"),
        (commands.RECORD_ISSUER_KEY, "PAYMENT_READ_ISSUER_KEY"),
        (commands.RECORD_DEVICE_CERT, "PAYMENT_READ_DEVICE_CERT"),
        (commands.RECORD_ACQUIRER_CERT, "PAYMENT_READ_ACQUIRER_CERT"),
    ],
)
def test_the_protocol_modules_agree_with_the_header(
    header_defines: dict[str, Any], python: int, header: str
) -> None:
    assert python == header_defines[header]


def test_the_hpke_info_is_the_protocol_modules(header_defines: dict[str, Any]) -> None:
    assert header_defines["PAYMENT_HPKE_INFO"].encode("ascii") == keys.HPKE_INFO


def test_parse_value_rejects_what_it_cannot_read() -> None:
    with pytest.raises(ValueError):
        parse_value("sizeof(int)", {})
    with pytest.raises(ValueError):
        parse_value("PAYMENT_UNDEFINED + 1", {})
    assert parse_value("PAYMENT_A * 2 + 0x10U", {"PAYMENT_A": 3}) == 22
