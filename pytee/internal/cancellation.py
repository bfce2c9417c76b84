"""Cancellation inside a Python TA: the client's ``TEEC_RequestCancellation``
seen from the TA (GP 4.10), over libtee."""

from __future__ import annotations

from pytee.internal._check import check, load, u32

__all__ = [
    "TIMEOUT_INFINITE",
    "cancellation_requested",
    "mask_cancellation",
    "unmask_cancellation",
    "wait",
]

#: ``TEE_TIMEOUT_INFINITE``: wait until cancelled.
TIMEOUT_INFINITE = 0xFFFFFFFF


def cancellation_requested() -> bool:
    """``TEE_GetCancellationFlag``: whether the client cancelled the running
    call and cancellation is unmasked."""
    _, lib = load()
    return bool(lib.TEE_GetCancellationFlag())


def mask_cancellation() -> bool:
    """``TEE_MaskCancellation``; returns whether it was masked before."""
    _, lib = load()
    return bool(lib.TEE_MaskCancellation())


def unmask_cancellation() -> bool:
    """``TEE_UnmaskCancellation``; returns whether it was masked before."""
    _, lib = load()
    return bool(lib.TEE_UnmaskCancellation())


def wait(milliseconds: int) -> None:
    """``TEE_Wait``: sleep, or raise :class:`pytee.Cancel` as soon as the
    client cancels (when cancellation is unmasked)."""
    _, lib = load()
    check(lib.TEE_Wait(u32(milliseconds, "milliseconds")), "TEE_Wait")
