"""Time of the GP TEE Internal Core API (GP 7), the Python way.

::

    from pytee.internal.time import Time, system_time, ta_persistent_time

    start = system_time()                  # Time(seconds, millis)
    set_ta_persistent_time(Time(1700000000, 0))

:func:`system_time` is a monotonic clock (its origin is arbitrary),
:func:`ree_time` the REE's wall clock.  The TA persistent time is kept per
TA in trusted storage and needs the TA host: until a TA sets it,
:func:`ta_persistent_time` raises :class:`~pytee.errors.TimeNotSet`; when
the REE clock went back past it, :class:`~pytee.errors.TimeNeedsReset`.
``TEE_Wait`` is :func:`pytee.internal.cancellation.wait`.
"""

from __future__ import annotations

from typing import NamedTuple

from pytee.internal._check import check, load, u32

__all__ = [
    "Time",
    "ree_time",
    "set_ta_persistent_time",
    "system_time",
    "ta_persistent_time",
]


class Time(NamedTuple):
    """A ``TEE_Time``: whole seconds and milliseconds (0 to 999)."""

    seconds: int
    millis: int

    def total_seconds(self) -> float:
        """The time as a number of seconds."""
        return self.seconds + self.millis / 1000


def _get(function_name: str) -> Time:
    ffi, lib = load()
    cell = ffi.new("TEE_Time *")
    getattr(lib, function_name)(cell)
    return Time(int(cell.seconds), int(cell.millis))


def system_time() -> Time:
    """``TEE_GetSystemTime``: the TEE's monotonic clock."""
    return _get("TEE_GetSystemTime")


def ree_time() -> Time:
    """``TEE_GetREETime``: the REE's wall clock (seconds since 1970)."""
    return _get("TEE_GetREETime")


def ta_persistent_time() -> Time:
    """``TEE_GetTAPersistentTime``: this TA's own clock, as it set it.

    Raises :class:`~pytee.errors.Overflow` once the seconds no longer fit
    32 bits.
    """
    ffi, lib = load()
    cell = ffi.new("TEE_Time *")
    check(lib.TEE_GetTAPersistentTime(cell), "TEE_GetTAPersistentTime")
    return Time(int(cell.seconds), int(cell.millis))


def set_ta_persistent_time(time: Time | tuple[int, int]) -> None:
    """``TEE_SetTAPersistentTime``: set this TA's clock to ``time`` now."""
    ffi, lib = load()
    seconds, millis = time
    cell = ffi.new("TEE_Time *")
    cell.seconds = u32(seconds, "seconds")
    cell.millis = u32(millis, "millis")
    if cell.millis > 999:
        raise ValueError("millis must be in 0..999, got %d" % cell.millis)
    check(lib.TEE_SetTAPersistentTime(cell), "TEE_SetTAPersistentTime")
