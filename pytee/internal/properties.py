"""Properties of the GP TEE Internal Core API (GP 4.4), the Python way.

::

    from pytee.internal.properties import PropSet, client_identity, get_u32, properties

    get_u32(PropSet.CURRENT_TA, "gpd.ta.dataSize")
    client_identity()                       # Identity(login, uuid)
    for name, value in properties(PropSet.TEE_IMPLEMENTATION):
        ...

The getters raise :class:`~pytee.errors.ItemNotFound` for a property the
set lacks and :class:`~pytee.errors.BadFormat` for one of another type.
``CURRENT_TA`` and ``CURRENT_CLIENT`` need the TA host: the TA is the
one it runs, the client the one whose entry point is running.
"""

from __future__ import annotations

import enum
import uuid as uuid_module
import weakref
from collections.abc import Iterator
from typing import Any, Union

from pytee.errors import ClosedError, ItemNotFound
from pytee.internal._check import check, from_c_uuid, load, sized_output
from pytee.internal.ta import Identity

__all__ = [
    "Identity",
    "PropSet",
    "PropertyEnumerator",
    "client_identity",
    "get_binary",
    "get_bool",
    "get_identity",
    "get_string",
    "get_u32",
    "get_u64",
    "get_uuid",
    "properties",
]

# A first guess at a property's string form: most fit, longer ones retry once.
_STRING_GUESS = 128


class PropSet(enum.IntEnum):
    """The pseudo-handles ``TEE_PROPSET_*`` of the three property sets."""

    TEE_IMPLEMENTATION = 0xFFFFFFFD
    CURRENT_CLIENT = 0xFFFFFFFE
    CURRENT_TA = 0xFFFFFFFF

    @property
    def gp_name(self) -> str:
        return "TEE_PROPSET_" + self.name


class PropertyEnumerator:
    """A property enumerator (``TEE_AllocatePropertyEnumerator``).

    :meth:`start` puts it on the first property of a set; :attr:`name` and
    :attr:`value` read the current one; :meth:`next` moves on.
    :func:`properties` does all of it.  A context manager; ``close()``
    (``TEE_FreePropertyEnumerator``) is idempotent.
    """

    def __init__(self) -> None:
        ffi, lib = load()
        cell = ffi.new("TEE_PropSetHandle *")
        check(
            lib.TEE_AllocatePropertyEnumerator(cell), "TEE_AllocatePropertyEnumerator"
        )
        self._cell = cell
        self._finalizer = weakref.finalize(
            self, _free, lib.TEE_FreePropertyEnumerator, cell
        )

    @property
    def handle(self) -> Any:
        """The enumerator's ``TEE_PropSetHandle``; ClosedError once closed."""
        handle = self._cell[0]
        if not handle:
            raise ClosedError("the property enumerator is closed")
        return handle

    @property
    def closed(self) -> bool:
        return not self._cell[0]

    def close(self) -> None:
        self._finalizer()

    def __enter__(self) -> PropertyEnumerator:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.close()

    def start(self, propset: PropSet | int) -> None:
        """``TEE_StartPropertyEnumerator``: on the first property of ``propset``."""
        _, lib = load()
        lib.TEE_StartPropertyEnumerator(self.handle, _propset(propset))

    def reset(self) -> None:
        """``TEE_ResetPropertyEnumerator``: back to before :meth:`start`."""
        _, lib = load()
        lib.TEE_ResetPropertyEnumerator(self.handle)

    @property
    def name(self) -> str:
        """``TEE_GetPropertyName`` of the current property.

        Raises :class:`~pytee.errors.ItemNotFound` past the end or before
        :meth:`start`.
        """
        ffi, lib = load()
        handle = self.handle

        def call(buffer: Any, size: Any) -> int:
            result: int = lib.TEE_GetPropertyName(handle, buffer, size)
            return result

        text = sized_output(ffi, "TEE_GetPropertyName", _STRING_GUESS, call)
        return _text(text)

    @property
    def value(self) -> str:
        """The current property's value as a string (``TEE_GetPropertyAsString``)."""
        return _string(self.handle, load()[0].NULL)

    def next(self) -> bool:
        """``TEE_GetNextProperty``; False when there is no next property."""
        _, lib = load()
        try:
            check(lib.TEE_GetNextProperty(self.handle), "TEE_GetNextProperty")
        except ItemNotFound:
            return False
        return True


def _free(function: Any, cell: Any) -> None:
    handle = cell[0]
    if handle:
        cell[0] = load()[0].NULL
        function(handle)


#: What the getters take: a set, or an enumerator (its current property).
Source = Union[PropSet, int, PropertyEnumerator]


def _propset(propset: PropSet | int) -> Any:
    ffi, _ = load()
    try:
        member = PropSet(propset)
    except ValueError:
        raise ValueError("not a property set: %r" % (propset,)) from None
    return ffi.cast("TEE_PropSetHandle", int(member))


def _source(source: Source, name: str | None) -> tuple[Any, Any]:
    """The handle and the C name: ``name`` in a set, or NULL for the
    enumerator's current property (``name`` must then be ``None``)."""
    ffi, _ = load()
    if isinstance(source, PropertyEnumerator):
        if name is not None:
            return source.handle, ffi.new("char[]", name.encode("utf-8"))
        return source.handle, ffi.NULL
    if not isinstance(name, str):
        raise TypeError("a property name is a str, not %s" % type(name).__name__)
    return _propset(source), ffi.new("char[]", name.encode("utf-8"))


def _text(octets: bytes) -> str:
    """A C string (its reported length counts the terminating NUL) as str."""
    return (octets[:-1] if octets.endswith(b"\0") else octets).decode("utf-8")


def _string(handle: Any, c_name: Any) -> str:
    ffi, lib = load()

    def call(buffer: Any, size: Any) -> int:
        result: int = lib.TEE_GetPropertyAsString(handle, c_name, buffer, size)
        return result

    text = sized_output(ffi, "TEE_GetPropertyAsString", _STRING_GUESS, call)
    return _text(text)


def get_string(source: Source, name: str | None = None) -> str:
    """``TEE_GetPropertyAsString``: any property as text.

    Booleans are ``"true"``/``"false"``, integers decimal, UUIDs
    ``8-4-4-4-12`` lowercase, identities ``"<login>:<uuid>"``, binary blocks
    base64.  With an enumerator and no ``name``: its current property.
    """
    return _string(*_source(source, name))


def get_bool(source: Source, name: str | None = None) -> bool:
    """``TEE_GetPropertyAsBool``."""
    ffi, lib = load()
    handle, c_name = _source(source, name)
    cell = ffi.new("bool *")
    check(lib.TEE_GetPropertyAsBool(handle, c_name, cell), "TEE_GetPropertyAsBool")
    return bool(cell[0])


def get_u32(source: Source, name: str | None = None) -> int:
    """``TEE_GetPropertyAsU32``."""
    ffi, lib = load()
    handle, c_name = _source(source, name)
    cell = ffi.new("uint32_t *")
    check(lib.TEE_GetPropertyAsU32(handle, c_name, cell), "TEE_GetPropertyAsU32")
    return int(cell[0])


def get_u64(source: Source, name: str | None = None) -> int:
    """``TEE_GetPropertyAsU64``."""
    ffi, lib = load()
    handle, c_name = _source(source, name)
    cell = ffi.new("uint64_t *")
    check(lib.TEE_GetPropertyAsU64(handle, c_name, cell), "TEE_GetPropertyAsU64")
    return int(cell[0])


def get_binary(source: Source, name: str | None = None) -> bytes:
    """``TEE_GetPropertyAsBinaryBlock``: the decoded bytes."""
    ffi, lib = load()
    handle, c_name = _source(source, name)

    def call(buffer: Any, size: Any) -> int:
        result: int = lib.TEE_GetPropertyAsBinaryBlock(handle, c_name, buffer, size)
        return result

    return sized_output(ffi, "TEE_GetPropertyAsBinaryBlock", _STRING_GUESS, call)


def get_uuid(source: Source, name: str | None = None) -> uuid_module.UUID:
    """``TEE_GetPropertyAsUUID``."""
    ffi, lib = load()
    handle, c_name = _source(source, name)
    cell = ffi.new("TEE_UUID *")
    check(lib.TEE_GetPropertyAsUUID(handle, c_name, cell), "TEE_GetPropertyAsUUID")
    return from_c_uuid(cell)


def get_identity(source: Source, name: str | None = None) -> Identity:
    """``TEE_GetPropertyAsIdentity``: ``Identity(login, uuid)``."""
    ffi, lib = load()
    handle, c_name = _source(source, name)
    cell = ffi.new("TEE_Identity *")
    check(
        lib.TEE_GetPropertyAsIdentity(handle, c_name, cell),
        "TEE_GetPropertyAsIdentity",
    )
    return Identity(int(cell.login), from_c_uuid(cell.uuid))


def client_identity() -> Identity:
    """``gpd.client.identity`` of the client whose entry point is running:
    ``TEE_LOGIN_*`` and its UUID (another TA's for ``TEE_LOGIN_TRUSTED_APP``,
    nil or made by the TEE from the login for a client application)."""
    return get_identity(PropSet.CURRENT_CLIENT, "gpd.client.identity")


def properties(propset: PropSet | int) -> Iterator[tuple[str, str]]:
    """Every property of a set as ``(name, value as a string)``, in order."""
    with PropertyEnumerator() as enumerator:
        enumerator.start(propset)
        while True:
            try:
                name = enumerator.name
            except ItemNotFound:
                return
            yield name, enumerator.value
            if not enumerator.next():
                return
