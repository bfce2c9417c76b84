"""The trusted UI for the payment TA (the twin of the screen part of
``cmd_pin.c``): one screen of hidden PIN fields, through the GP TEE Trusted
User Interface API functions of libtee (``TEE_TUIInitSession``,
``TEE_TUIDisplayScreen``, ``TEE_TUICloseSession``), reached through the
raw layer of :mod:`pytee.internal` as the cffi declarations have them.

What the user types stays in this TA: teed hands it to the TA host, never
to the client (docs/tui.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pytee import Result
from pytee.internal import error, raw
from pytee.payment.ta_ids import PAYMENT_PIN_MAX, PAYMENT_PIN_MIN

ffi, tee, _ = raw.load()

PIN_ROOM = PAYMENT_PIN_MAX + 1
WHITE = (0xFF, 0xFF, 0xFF)


def displayable(text: str) -> str:
    """``text`` with what the screen's alphabet lacks (``~``, anything
    outside U+0020..U+007D but line breaks) shown as ``?``."""
    return "".join(c if c == "\n" or 0x20 <= ord(c) <= 0x7D else "?" for c in text)


def pin_screen(text: str, labels: Sequence[str]) -> list[bytearray]:
    """Show ``text`` with one hidden numerical field of 4-6 digits per label,
    Cancel and Validate, in a trusted UI session of its own; what was typed
    in each field, once the user validated.

    Raises ``CANCEL`` when the user cancelled, or the client or the REE
    took the screen down, and ``BUSY`` when no trusted UI is to be had (no
    display and no scripted user, or another TA holds it).  The caller
    wipes the values when done.
    """
    keep: list[Any] = []  # the cffi objects the screen points at

    def cstr(value: str) -> Any:
        owned = ffi.new("char[]", value.encode("ascii"))
        keep.append(owned)
        return owned

    config = ffi.new("TEE_TUIScreenConfiguration *")
    config.screenOrientation = tee.TEE_TUI_PORTRAIT
    config.label.text = cstr(text)
    for i, level in enumerate(WHITE):
        config.label.textColor[i] = level
    config.label.image.source = tee.TEE_TUI_NO_SOURCE
    config.requestedButtons[tee.TEE_TUI_CANCEL] = True
    config.requestedButtons[tee.TEE_TUI_VALIDATE] = True
    count = len(labels)
    fields = ffi.new("TEE_TUIEntryField[]", max(count, 1))
    buffers = [ffi.new("char[]", PIN_ROOM) for _ in labels]
    for field, label, buffer in zip(fields, labels, buffers):
        field.label = cstr(label)
        field.mode = tee.TEE_TUI_HIDDEN_MODE
        field.type = tee.TEE_TUI_NUMERICAL
        field.minExpectedLength = PAYMENT_PIN_MIN
        field.maxExpectedLength = PAYMENT_PIN_MAX
        field.buffer = buffer
        field.bufferLength = PIN_ROOM
    button = ffi.new("TEE_TUIButtonType *", tee.TEE_TUI_CANCEL)
    if tee.TEE_TUIInitSession() != Result.SUCCESS:
        raise error(Result.BUSY, "no trusted UI")
    try:
        res = tee.TEE_TUIDisplayScreen(config, True, fields, count, button)
    finally:
        # shown with closeTUISession: this only ends the session when the
        # screen failed before that
        tee.TEE_TUICloseSession()
    try:
        values = [bytearray(ffi.buffer(buffer, PIN_ROOM)) for buffer in buffers]
    finally:
        for buffer in buffers:
            ffi.memmove(buffer, bytes(PIN_ROOM), PIN_ROOM)
    if res in (Result.CANCEL, Result.EXTERNAL_CANCEL):
        raise error(Result.CANCEL, "the PIN screen was cancelled")
    if res != Result.SUCCESS:
        raise error(res, "the PIN screen failed")
    if button[0] != tee.TEE_TUI_VALIDATE:
        raise error(Result.CANCEL, "the user cancelled")
    return [value[: value.index(0)] if 0 in value else value for value in values]
