"""pytee.errors: one exception family, built from result code and origin."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pytee import errors
from pytee.constants import Origin, Result

# Every known code and the class (and built-in base, if any) it must raise.
EXPECTED: list[tuple[int, type[errors.TeeError], type[Exception] | None]] = [
    (0xFFFF0000, errors.Generic, None),
    (0xFFFF0001, errors.AccessDenied, PermissionError),
    (0xFFFF0002, errors.Cancel, None),
    (0xFFFF0003, errors.AccessConflict, None),
    (0xFFFF0004, errors.ExcessData, None),
    (0xFFFF0005, errors.BadFormat, ValueError),
    (0xFFFF0006, errors.BadParameters, ValueError),
    (0xFFFF0007, errors.BadState, None),
    (0xFFFF0008, errors.ItemNotFound, LookupError),
    (0xFFFF0009, errors.Unimplemented, NotImplementedError),
    (0xFFFF000A, errors.NotSupported, None),
    (0xFFFF000B, errors.NoData, None),
    (0xFFFF000C, errors.OutOfMemory, MemoryError),
    (0xFFFF000D, errors.Busy, None),
    (0xFFFF000E, errors.Communication, None),
    (0xFFFF000F, errors.Security, None),
    (0xFFFF0010, errors.ShortBuffer, None),
    (0xFFFF0011, errors.ExternalCancel, None),
    (0xFFFF300F, errors.Overflow, OverflowError),
    (0xFFFF3024, errors.TargetDead, None),
    (0xF0100003, errors.StorageNotAvailable, None),
    (0xFFFF3041, errors.StorageNoSpace, None),
    (0xFFFF3071, errors.MacInvalid, None),
    (0xFFFF3072, errors.SignatureInvalid, None),
    (0xFFFF5000, errors.TimeNotSet, None),
    (0xFFFF5001, errors.TimeNeedsReset, None),
]


def raised(code: int, origin: int, function: str = "TEEC_Fn") -> errors.TeeError:
    with pytest.raises(errors.TeeError) as info:
        errors.check(code, origin, function)
    return info.value


def test_success_raises_nothing() -> None:
    errors.check(0, Origin.TRUSTED_APP, "TEEC_InvokeCommand")
    errors.check(Result.SUCCESS, 0, "TEEC_InvokeCommand")


@pytest.mark.parametrize(("code", "cls", "builtin"), EXPECTED)
def test_each_known_code_raises_its_class(
    code: int, cls: type[errors.TeeError], builtin: type[Exception] | None
) -> None:
    error = raised(code, Origin.TEE, "TEEC_OpenSession")
    assert type(error) is cls
    assert error.code == code
    assert isinstance(error.code, Result)
    assert error.origin == Origin.TEE
    assert error.function == "TEEC_OpenSession"
    if builtin is not None:
        assert isinstance(error, builtin)


def test_every_result_but_success_has_its_own_class() -> None:
    covered = {code for code, _, _ in EXPECTED}
    assert covered == {result.value for result in Result} - {0}
    assert len({cls for _, cls, _ in EXPECTED}) == len(EXPECTED)


def test_message_names_function_hex_code_name_and_origin() -> None:
    error = raised(0xFFFF0006, Origin.API, "TEEC_InvokeCommand")
    text = str(error)
    assert text.startswith("TEEC_InvokeCommand: ")
    assert "0xFFFF0006" in text
    assert "TEEC_ERROR_BAD_PARAMETERS" in text
    assert "TEEC_ORIGIN_API" in text
    assert error.name == "TEEC_ERROR_BAD_PARAMETERS"
    assert error.origin_name == "TEEC_ORIGIN_API"


def test_tee_prefixed_codes_use_their_tee_name() -> None:
    error = raised(0xFFFF3024, Origin.TEE)
    assert error.name == "TEE_ERROR_TARGET_DEAD"
    assert "TEE_ERROR_TARGET_DEAD" in str(error)


def test_unknown_code_is_kept_raw() -> None:
    error = raised(0x00001234, Origin.TRUSTED_APP)
    assert type(error) is errors.TeeError
    assert error.code == 0x1234
    assert not isinstance(error.code, Result)
    assert error.name is None
    assert "0x00001234" in str(error)
    assert "unknown" in str(error)


def test_unknown_origin_is_kept_raw() -> None:
    error = raised(0xFFFF0000, 9)
    assert error.origin == 9
    assert not isinstance(error.origin, Origin)
    assert "unknown origin 0x9" in str(error)


@given(
    code=st.integers(min_value=1, max_value=0xFFFFFFFF),
    origin=st.integers(min_value=0, max_value=0xFFFFFFFF),
)
def test_any_failure_code_raises_with_code_and_origin_intact(
    code: int, origin: int
) -> None:
    with pytest.raises(errors.TeeError) as info:
        errors.check(code, origin, "f")
    assert info.value.code == code
    assert info.value.origin == origin
    assert "0x%08X" % code in str(info.value)


@pytest.mark.parametrize("code", [-1, 0x1_0000_0000])
def test_codes_outside_uint32_are_refused(code: int) -> None:
    with pytest.raises(ValueError, match="uint32"):
        errors.TeeError(code, 1, "f")


def test_short_buffer_carries_required_size_and_sizes() -> None:
    with pytest.raises(errors.ShortBuffer) as info:
        errors.check(
            0xFFFF0010,
            Origin.TRUSTED_APP,
            "TEEC_InvokeCommand",
            required_size=100,
            sizes=(None, 100),
        )
    assert info.value.required_size == 100
    assert info.value.sizes == (None, 100)
    assert "required size 100" in str(info.value)


def test_short_buffer_without_known_size() -> None:
    error = raised(0xFFFF0010, Origin.TRUSTED_APP)
    assert isinstance(error, errors.ShortBuffer)
    assert error.required_size is None
    assert error.sizes == ()


@pytest.mark.parametrize(("code", "cls", "builtin"), EXPECTED[:6])
def test_errors_survive_pickling(
    code: int, cls: type[errors.TeeError], builtin: type[Exception] | None
) -> None:
    error = raised(code, Origin.COMMS, "TEEC_OpenSession")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert (copy.code, copy.origin, copy.function) == (
        code,
        Origin.COMMS,
        "TEEC_OpenSession",
    )
    assert str(copy) == str(error)


def test_short_buffer_survives_pickling_with_its_size() -> None:
    error = errors.ShortBuffer(0xFFFF0010, 4, "f", required_size=7, sizes=(7,))
    copy = pickle.loads(pickle.dumps(error))
    assert copy.required_size == 7
    assert copy.sizes == (7,)


def test_closed_error_is_a_value_error_outside_the_tee_family() -> None:
    assert issubclass(errors.ClosedError, ValueError)
    assert not issubclass(errors.ClosedError, errors.TeeError)


def test_error_class_lookup() -> None:
    assert errors.error_class(0xFFFF000D) is errors.Busy
    assert errors.error_class(0x42) is errors.TeeError


def _compares_with_success(node: ast.Compare) -> bool:
    for operand in (node.left, *node.comparators):
        if isinstance(operand, ast.Attribute) and operand.attr in (
            "SUCCESS",
            "TEEC_SUCCESS",
        ):
            return True
        if isinstance(operand, ast.Name) and operand.id == "TEEC_SUCCESS":
            return True
    return False


def test_only_errors_py_compares_with_success() -> None:
    """STYLE: one module compares results with TEEC_SUCCESS."""
    package = Path(errors.__file__).parent
    comparing = set()
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and _compares_with_success(node):
                comparing.add(path.name)
    assert comparing == {"errors.py"}
