"""GlobalPlatform TEE Client API constants as Python enums.

The values are the ABI values of ``tee_client_api.h``;
``tests/test_binding_layout.py`` checks every one of them against the C header
and against the loaded library.  Each member's ``gp_name`` is the C name.
"""

from __future__ import annotations

import enum

__all__ = ["Login", "MemFlag", "Origin", "ParamType", "Result"]


class ParamType(enum.IntEnum):
    """A parameter type: one 4-bit nibble of ``TEEC_Operation.paramTypes``."""

    NONE = 0x0
    VALUE_INPUT = 0x1
    VALUE_OUTPUT = 0x2
    VALUE_INOUT = 0x3
    MEMREF_TEMP_INPUT = 0x5
    MEMREF_TEMP_OUTPUT = 0x6
    MEMREF_TEMP_INOUT = 0x7
    MEMREF_WHOLE = 0xC
    MEMREF_PARTIAL_INPUT = 0xD
    MEMREF_PARTIAL_OUTPUT = 0xE
    MEMREF_PARTIAL_INOUT = 0xF

    @property
    def gp_name(self) -> str:
        return "TEEC_" + self.name

    @staticmethod
    def pack(types: tuple[ParamType, ...]) -> int:
        """``TEEC_PARAM_TYPES``: up to four types, one nibble each."""
        if len(types) > 4:
            raise ValueError("at most 4 parameters, got %d" % len(types))
        packed = 0
        for index, param_type in enumerate(types):
            packed |= int(param_type) << (4 * index)
        return packed


class MemFlag(enum.IntFlag):
    """``TEEC_MEM_*``: the directions a shared memory block may be used in."""

    INPUT = 0x1
    OUTPUT = 0x2

    @property
    def gp_name(self) -> str:
        return "TEEC_MEM_" + str(self.name)


class Origin(enum.IntEnum):
    """``TEEC_ORIGIN_*``: which layer produced a return code."""

    API = 0x1
    COMMS = 0x2
    TEE = 0x3
    TRUSTED_APP = 0x4

    @property
    def gp_name(self) -> str:
        return "TEEC_ORIGIN_" + self.name


class Login(enum.IntEnum):
    """``TEEC_LOGIN_*``: how the client identifies itself to the TA."""

    PUBLIC = 0x0
    USER = 0x1
    GROUP = 0x2
    APPLICATION = 0x4
    USER_APPLICATION = 0x5
    GROUP_APPLICATION = 0x6

    @property
    def gp_name(self) -> str:
        return "TEEC_LOGIN_" + self.name


# Codes whose C name starts with TEE_ rather than TEEC_ (OP-TEE 4.1+ header).
_TEE_PREFIXED = frozenset(
    {
        "EXTERNAL_CANCEL",
        "OVERFLOW",
        "TARGET_DEAD",
        "STORAGE_NO_SPACE",
        "MAC_INVALID",
        "SIGNATURE_INVALID",
        "TIME_NOT_SET",
        "TIME_NEEDS_RESET",
    }
)


class Result(enum.IntEnum):
    """``TEEC_Result`` codes defined by the GP Client API and OP-TEE.

    A TA may return any other 32-bit value; pytee keeps such codes as plain
    integers (see :class:`pytee.errors.TeeError`).
    """

    SUCCESS = 0x00000000
    STORAGE_NOT_AVAILABLE = 0xF0100003
    GENERIC = 0xFFFF0000
    ACCESS_DENIED = 0xFFFF0001
    CANCEL = 0xFFFF0002
    ACCESS_CONFLICT = 0xFFFF0003
    EXCESS_DATA = 0xFFFF0004
    BAD_FORMAT = 0xFFFF0005
    BAD_PARAMETERS = 0xFFFF0006
    BAD_STATE = 0xFFFF0007
    ITEM_NOT_FOUND = 0xFFFF0008
    NOT_IMPLEMENTED = 0xFFFF0009
    NOT_SUPPORTED = 0xFFFF000A
    NO_DATA = 0xFFFF000B
    OUT_OF_MEMORY = 0xFFFF000C
    BUSY = 0xFFFF000D
    COMMUNICATION = 0xFFFF000E
    SECURITY = 0xFFFF000F
    SHORT_BUFFER = 0xFFFF0010
    EXTERNAL_CANCEL = 0xFFFF0011
    OVERFLOW = 0xFFFF300F
    TARGET_DEAD = 0xFFFF3024
    STORAGE_NO_SPACE = 0xFFFF3041
    MAC_INVALID = 0xFFFF3071
    SIGNATURE_INVALID = 0xFFFF3072
    TIME_NOT_SET = 0xFFFF5000
    TIME_NEEDS_RESET = 0xFFFF5001

    @property
    def gp_name(self) -> str:
        if self.name == "SUCCESS":
            return "TEEC_SUCCESS"
        if self.name in _TEE_PREFIXED:
            return "TEE_ERROR_" + self.name
        return "TEEC_ERROR_" + self.name
