"""The ISO 7816-4 status words this protocol uses (docs/payment.md)."""

from __future__ import annotations

__all__ = [
    "SW_CHAINING_NOT_SUPPORTED",
    "SW_CLA_NOT_SUPPORTED",
    "SW_CONDITIONS_NOT_SATISFIED",
    "SW_FILE_NOT_FOUND",
    "SW_INS_NOT_SUPPORTED",
    "SW_NO_PRECISE_DIAGNOSIS",
    "SW_OK",
    "SW_PIN_BLOCKED",
    "SW_RECORD_NOT_FOUND",
    "SW_REFERENCED_DATA_NOT_FOUND",
    "SW_SECURITY_STATUS",
    "SW_WRONG_DATA",
    "SW_WRONG_LENGTH",
    "SW_WRONG_P1P2",
    "sw_name",
]

SW_OK = 0x9000
SW_WRONG_LENGTH = 0x6700
SW_SECURITY_STATUS = 0x6982
SW_PIN_BLOCKED = 0x6983
SW_CONDITIONS_NOT_SATISFIED = 0x6985
SW_WRONG_DATA = 0x6A80
SW_FILE_NOT_FOUND = 0x6A82
SW_CHAINING_NOT_SUPPORTED = 0x6884
SW_INS_NOT_SUPPORTED = 0x6D00
SW_CLA_NOT_SUPPORTED = 0x6E00
SW_WRONG_P1P2 = 0x6A86
SW_RECORD_NOT_FOUND = 0x6A83
SW_REFERENCED_DATA_NOT_FOUND = 0x6A88
SW_NO_PRECISE_DIAGNOSIS = 0x6F00

_NAMES = {
    SW_OK: "success",
    SW_WRONG_LENGTH: "wrong length",
    SW_SECURITY_STATUS: "security status not satisfied",
    SW_PIN_BLOCKED: "authentication method blocked",
    SW_CONDITIONS_NOT_SATISFIED: "conditions of use not satisfied",
    SW_WRONG_DATA: "incorrect data",
    SW_FILE_NOT_FOUND: "file or application not found",
    SW_CHAINING_NOT_SUPPORTED: "command chaining not supported",
    SW_INS_NOT_SUPPORTED: "instruction not supported",
    SW_CLA_NOT_SUPPORTED: "class not supported",
    SW_WRONG_P1P2: "incorrect P1 P2",
    SW_RECORD_NOT_FOUND: "record not found",
    SW_REFERENCED_DATA_NOT_FOUND: "referenced data not found",
    SW_NO_PRECISE_DIAGNOSIS: "no precise diagnosis",
}


def sw_name(sw: int) -> str:
    """A short English meaning of a status word, ``"unknown"`` if none."""
    if sw >> 8 == 0x61:
        return "%d more bytes available" % (sw & 0xFF)
    if sw >> 8 == 0x6C:
        return "wrong Le, %d bytes available" % (sw & 0xFF)
    return _NAMES.get(sw, "unknown")
