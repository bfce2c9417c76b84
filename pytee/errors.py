"""One exception family for every TEE result that is not success.

:func:`check` is the only place in pytee that compares a ``TEEC_Result``
with ``TEEC_SUCCESS``; everything above it gets exceptions.

Every :class:`TeeError` keeps the raw ``code`` (also codes no standard
knows: a TA may return any 32-bit value), the ``origin`` (which layer
answered) and the C ``function`` that returned it.  Subclasses are chosen by
code; several also derive from the matching built-in exception so that
``except ValueError`` or ``except PermissionError`` keep working.

Misuse that pytee catches before any C call raises a plain ``TypeError`` or
``ValueError``; use of a closed object raises :class:`ClosedError`, a
``ValueError`` (as Python does for a closed file), because no TEE result
code is involved.
"""

from __future__ import annotations

from typing import Any

from pytee.constants import Origin, Result

__all__ = [
    "AccessConflict",
    "AccessDenied",
    "BadFormat",
    "BadParameters",
    "BadState",
    "Busy",
    "Cancel",
    "ClosedError",
    "Communication",
    "ExcessData",
    "ExternalCancel",
    "Generic",
    "ItemNotFound",
    "MacInvalid",
    "NoData",
    "NotSupported",
    "OutOfMemory",
    "Overflow",
    "Security",
    "ShortBuffer",
    "SignatureInvalid",
    "StorageNoSpace",
    "StorageNotAvailable",
    "TargetDead",
    "TeeError",
    "TimeNeedsReset",
    "TimeNotSet",
    "Unimplemented",
    "check",
    "error_class",
    "result_name",
]

_U32_MAX = 0xFFFFFFFF


def result_name(code: int) -> str | None:
    """The C name of a result code, or ``None`` for a code no standard names."""
    try:
        return Result(code).gp_name
    except ValueError:
        return None


def _origin_text(origin: int) -> str:
    try:
        return Origin(origin).gp_name
    except ValueError:
        return "unknown origin 0x%X" % origin


class ClosedError(ValueError):
    """A context, session or shared memory block was used after ``close()``."""


class TeeError(Exception):
    """A ``TEEC_Result`` other than ``TEEC_SUCCESS``.

    Attributes:
        code: the 32-bit result code, kept as returned (an :class:`int`; a
            :class:`~pytee.constants.Result` member when the code is known).
        origin: the ``TEEC_ORIGIN_*`` value (an :class:`int`; an
            :class:`~pytee.constants.Origin` member when known).
        function: the C function that returned the code.
        detail: an optional note from pytee (``None`` for plain results).
    """

    code: int
    origin: int
    function: str
    detail: str | None

    def __init__(
        self, code: int, origin: int, function: str, detail: str | None = None
    ) -> None:
        if not 0 <= code <= _U32_MAX:
            raise ValueError("result code out of uint32 range: %r" % (code,))
        if not 0 <= origin <= _U32_MAX:
            raise ValueError("origin out of uint32 range: %r" % (origin,))
        try:
            self.code = Result(code)
        except ValueError:
            self.code = int(code)
        try:
            self.origin = Origin(origin)
        except ValueError:
            self.origin = int(origin)
        self.function = function
        self.detail = detail
        super().__init__(self._message())

    @property
    def name(self) -> str | None:
        """The C name of ``code`` (``TEEC_ERROR_...``), or ``None`` if unknown."""
        return result_name(self.code)

    @property
    def origin_name(self) -> str:
        """The C name of ``origin`` (``TEEC_ORIGIN_...``)."""
        return _origin_text(self.origin)

    def _message(self) -> str:
        name = self.name or "unknown result code"
        text = "%s: 0x%08X %s (origin %s)" % (
            self.function,
            self.code,
            name,
            self.origin_name,
        )
        if self.detail:
            text += ": " + self.detail
        return text

    def __str__(self) -> str:
        return self._message()

    def __repr__(self) -> str:
        return "%s(0x%08X, %d, %r)" % (
            type(self).__name__,
            self.code,
            self.origin,
            self.function,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self),
            (int(self.code), int(self.origin), self.function, self.detail),
            self._extra_state(),
        )

    def _extra_state(self) -> dict[str, Any] | None:
        return None


class Generic(TeeError):
    """``TEEC_ERROR_GENERIC``."""


class AccessDenied(TeeError, PermissionError):
    """``TEEC_ERROR_ACCESS_DENIED``."""


class Cancel(TeeError):
    """``TEEC_ERROR_CANCEL``: the operation was cancelled."""


class AccessConflict(TeeError):
    """``TEEC_ERROR_ACCESS_CONFLICT``."""


class ExcessData(TeeError):
    """``TEEC_ERROR_EXCESS_DATA``."""


class BadFormat(TeeError, ValueError):
    """``TEEC_ERROR_BAD_FORMAT``."""


class BadParameters(TeeError, ValueError):
    """``TEEC_ERROR_BAD_PARAMETERS``."""


class BadState(TeeError):
    """``TEEC_ERROR_BAD_STATE``."""


class ItemNotFound(TeeError, LookupError):
    """``TEEC_ERROR_ITEM_NOT_FOUND`` (for example: no TA with that UUID)."""


class Unimplemented(TeeError, NotImplementedError):
    """``TEEC_ERROR_NOT_IMPLEMENTED``."""


class NotSupported(TeeError):
    """``TEEC_ERROR_NOT_SUPPORTED`` (for example: unknown command)."""


class NoData(TeeError):
    """``TEEC_ERROR_NO_DATA``."""


class OutOfMemory(TeeError, MemoryError):
    """``TEEC_ERROR_OUT_OF_MEMORY``."""


class Busy(TeeError):
    """``TEEC_ERROR_BUSY`` (for example: a single-session TA already in use)."""


class Communication(TeeError):
    """``TEEC_ERROR_COMMUNICATION``."""


class Security(TeeError):
    """``TEEC_ERROR_SECURITY``."""


class ShortBuffer(TeeError):
    """``TEEC_ERROR_SHORT_BUFFER``: an output buffer was too small.

    Attributes:
        required_size: the size the TA asked for in the first output memory
            reference that was too small (``None`` if pytee could not tell).
        sizes: per parameter, the size the TA reported for each memory
            reference (``None`` for value and unused parameters).
    """

    required_size: int | None
    sizes: tuple[int | None, ...]

    def __init__(
        self,
        code: int,
        origin: int,
        function: str,
        detail: str | None = None,
        *,
        required_size: int | None = None,
        sizes: tuple[int | None, ...] = (),
    ) -> None:
        self.required_size = required_size
        self.sizes = tuple(sizes)
        super().__init__(code, origin, function, detail)

    def _message(self) -> str:
        text = super()._message()
        if self.required_size is not None:
            text += " [required size %d]" % self.required_size
        return text

    def _extra_state(self) -> dict[str, Any] | None:
        return {"required_size": self.required_size, "sizes": self.sizes}


class ExternalCancel(TeeError):
    """``TEE_ERROR_EXTERNAL_CANCEL``."""


class Overflow(TeeError, OverflowError):
    """``TEE_ERROR_OVERFLOW``."""


class TargetDead(TeeError):
    """``TEE_ERROR_TARGET_DEAD``: the TA instance panicked or crashed.

    The session is dead for good: every later command on it fails the same
    way.  Close it and open a new one.
    """


class StorageNotAvailable(TeeError):
    """``TEEC_ERROR_STORAGE_NOT_AVAILABLE``."""


class StorageNoSpace(TeeError):
    """``TEE_ERROR_STORAGE_NO_SPACE``."""


class MacInvalid(TeeError):
    """``TEE_ERROR_MAC_INVALID``."""


class SignatureInvalid(TeeError):
    """``TEE_ERROR_SIGNATURE_INVALID``."""


class TimeNotSet(TeeError):
    """``TEE_ERROR_TIME_NOT_SET``."""


class TimeNeedsReset(TeeError):
    """``TEE_ERROR_TIME_NEEDS_RESET``."""


_BY_CODE: dict[int, type[TeeError]] = {
    Result.GENERIC: Generic,
    Result.ACCESS_DENIED: AccessDenied,
    Result.CANCEL: Cancel,
    Result.ACCESS_CONFLICT: AccessConflict,
    Result.EXCESS_DATA: ExcessData,
    Result.BAD_FORMAT: BadFormat,
    Result.BAD_PARAMETERS: BadParameters,
    Result.BAD_STATE: BadState,
    Result.ITEM_NOT_FOUND: ItemNotFound,
    Result.NOT_IMPLEMENTED: Unimplemented,
    Result.NOT_SUPPORTED: NotSupported,
    Result.NO_DATA: NoData,
    Result.OUT_OF_MEMORY: OutOfMemory,
    Result.BUSY: Busy,
    Result.COMMUNICATION: Communication,
    Result.SECURITY: Security,
    Result.SHORT_BUFFER: ShortBuffer,
    Result.EXTERNAL_CANCEL: ExternalCancel,
    Result.OVERFLOW: Overflow,
    Result.TARGET_DEAD: TargetDead,
    Result.STORAGE_NOT_AVAILABLE: StorageNotAvailable,
    Result.STORAGE_NO_SPACE: StorageNoSpace,
    Result.MAC_INVALID: MacInvalid,
    Result.SIGNATURE_INVALID: SignatureInvalid,
    Result.TIME_NOT_SET: TimeNotSet,
    Result.TIME_NEEDS_RESET: TimeNeedsReset,
}


def error_class(code: int) -> type[TeeError]:
    """The :class:`TeeError` subclass for ``code`` (``TeeError`` if unknown)."""
    return _BY_CODE.get(code, TeeError)


def check(
    result: int,
    origin: int,
    function: str,
    *,
    required_size: int | None = None,
    sizes: tuple[int | None, ...] = (),
) -> None:
    """Return if ``result`` is ``TEEC_SUCCESS``, else raise its :class:`TeeError`.

    ``required_size`` and ``sizes`` are recorded on :class:`ShortBuffer`.
    """
    if result == Result.SUCCESS:
        return
    cls = error_class(result)
    if cls is ShortBuffer:
        raise ShortBuffer(
            result, origin, function, required_size=required_size, sizes=sizes
        )
    raise cls(result, origin, function)
