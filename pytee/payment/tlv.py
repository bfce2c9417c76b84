"""BER-TLV as ISO 7816-4 and EMV use it, strictly.

Tags are one to three bytes (``9F02``, ``BF0C``, ``DF01``); bit 6 of the
first byte marks a constructed object, whose value is itself a sequence of
TLVs.  Lengths are one to three bytes: ``00``-``7F``, ``81 xx``,
``82 xx xx``.  Decoding raises :class:`~pytee.payment.errors.TlvError` on
truncation, on a length not in its shortest form, on indefinite or longer
lengths, on a tag ``00`` and on trailing bytes; encoding always produces
the shortest form.

A data object list (DOL, such as a PDOL) is a list of tags and lengths
without values; :func:`build_dol` fills it and :func:`split_dol` takes the
values apart again.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pytee.payment.codec import BytesLike
from pytee.payment.errors import TlvError

__all__ = [
    "MAX_LENGTH",
    "Tlv",
    "build_dol",
    "constructed",
    "decode",
    "decode_one",
    "encode_length",
    "encode_tag",
    "find",
    "is_constructed",
    "parse_dol",
    "primitive",
    "split_dol",
    "value_of",
]

MAX_LENGTH = 0xFFFF
_MAX_TAG_SIZE = 3


def _read_tag(data: bytes, pos: int) -> tuple[int, int]:
    """The tag at ``pos`` and the position after it."""
    if pos >= len(data):
        raise TlvError("truncated: tag missing")
    first = data[pos]
    if first == 0x00:
        raise TlvError("tag 00 at offset %d" % pos)
    end = pos + 1
    if first & 0x1F == 0x1F:
        while True:
            if end >= len(data):
                raise TlvError("truncated multi-byte tag at offset %d" % pos)
            byte = data[end]
            if end == pos + 1 and byte & 0x7F == 0:
                raise TlvError("tag with a leading zero byte at offset %d" % pos)
            end += 1
            if end - pos > _MAX_TAG_SIZE:
                raise TlvError("tag longer than 3 bytes at offset %d" % pos)
            if not byte & 0x80:
                break
    return int.from_bytes(data[pos:end], "big"), end


def _read_length(data: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(data):
        raise TlvError("truncated: length missing")
    first = data[pos]
    if first < 0x80:
        return first, pos + 1
    size = first & 0x7F
    if size not in (1, 2):
        raise TlvError("length form %02X not supported at offset %d" % (first, pos))
    if pos + 1 + size > len(data):
        raise TlvError("truncated length at offset %d" % pos)
    length = int.from_bytes(data[pos + 1 : pos + 1 + size], "big")
    if length < (0x80 if size == 1 else 0x100):
        raise TlvError(
            "length %d not in its shortest form at offset %d" % (length, pos)
        )
    return length, pos + 1 + size


# A protocol has a few tags, checked again and again; bounded, since
# decoded tags come from outside.
@functools.lru_cache(maxsize=256)
def encode_tag(tag: int) -> bytes:
    """The bytes of ``tag``; raises ``TlvError`` if they are no valid tag."""
    if not 0 < tag < 1 << (8 * _MAX_TAG_SIZE):
        raise TlvError("tag %X out of range" % tag)
    raw = tag.to_bytes((tag.bit_length() + 7) // 8, "big")
    try:
        _, end = _read_tag(raw, 0)
    except TlvError:
        raise TlvError("%X is not a valid BER tag" % tag) from None
    if end != len(raw):
        raise TlvError("%X is not a valid BER tag" % tag)
    return raw


def is_constructed(tag: int) -> bool:
    """Whether ``tag`` marks a constructed data object (bit 6 of its first byte)."""
    return bool(encode_tag(tag)[0] & 0x20)


def encode_length(length: int) -> bytes:
    """The shortest BER length of ``length`` (0 to 65535)."""
    if not 0 <= length <= MAX_LENGTH:
        raise TlvError("length %d out of range" % length)
    if length < 0x80:
        return bytes([length])
    if length < 0x100:
        return bytes([0x81, length])
    return bytes([0x82]) + length.to_bytes(2, "big")


@dataclass(frozen=True)
class Tlv:
    """One data object: a tag and its value bytes."""

    tag: int
    value: bytes

    def __post_init__(self) -> None:
        encode_tag(self.tag)
        object.__setattr__(self, "value", bytes(self.value))
        encode_length(len(self.value))

    @property
    def constructed(self) -> bool:
        return is_constructed(self.tag)

    def children(self) -> list[Tlv]:
        """The data objects inside a constructed one."""
        if not self.constructed:
            raise TlvError("tag %X is primitive" % self.tag)
        return decode(self.value)

    def encode(self) -> bytes:
        return encode_tag(self.tag) + encode_length(len(self.value)) + self.value


def primitive(tag: int, value: bytes) -> bytes:
    """The encoding of one data object."""
    return Tlv(tag, value).encode()


def constructed(tag: int, *parts: bytes) -> bytes:
    """A constructed data object whose value is the encoded ``parts``."""
    if not is_constructed(tag):
        raise TlvError("tag %X is primitive" % tag)
    return Tlv(tag, b"".join(parts)).encode()


def decode(data: BytesLike) -> list[Tlv]:
    """All data objects of ``data``, which they must fill exactly."""
    data = bytes(data)
    items: list[Tlv] = []
    pos = 0
    while pos < len(data):
        tag, pos = _read_tag(data, pos)
        length, pos = _read_length(data, pos)
        if pos + length > len(data):
            raise TlvError(
                "tag %X: value truncated (%d bytes missing)"
                % (tag, pos + length - len(data))
            )
        items.append(Tlv(tag, data[pos : pos + length]))
        pos += length
    return items


def decode_one(data: BytesLike, tag: int | None = None) -> Tlv:
    """The single data object that ``data`` holds, of ``tag`` if given."""
    items = decode(data)
    if len(items) != 1:
        raise TlvError("expected one data object, found %d" % len(items))
    if tag is not None and items[0].tag != tag:
        raise TlvError("expected tag %X, found %X" % (tag, items[0].tag))
    return items[0]


def find(items: Iterable[Tlv], tag: int) -> Tlv | None:
    """The only data object of ``tag`` among ``items``, ``None`` if absent."""
    found = [item for item in items if item.tag == tag]
    if len(found) > 1:
        raise TlvError("tag %X appears %d times" % (tag, len(found)))
    return found[0] if found else None


def value_of(items: Iterable[Tlv], tag: int, size: int | None = None) -> bytes:
    """The value of the only data object of ``tag``; missing raises.

    With ``size``, the value must have exactly that many bytes.
    """
    item = find(items, tag)
    if item is None:
        raise TlvError("tag %X missing" % tag)
    if size is not None and len(item.value) != size:
        raise TlvError("tag %X is %d bytes, not %d" % (tag, len(item.value), size))
    return item.value


def parse_dol(dol: BytesLike) -> list[tuple[int, int]]:
    """The (tag, length) pairs of a data object list; a repeated tag raises."""
    dol = bytes(dol)
    pairs: list[tuple[int, int]] = []
    pos = 0
    while pos < len(dol):
        tag, pos = _read_tag(dol, pos)
        length, pos = _read_length(dol, pos)
        if any(seen == tag for seen, _ in pairs):
            raise TlvError("tag %X twice in a DOL" % tag)
        pairs.append((tag, length))
    return pairs


def build_dol(dol: bytes, values: Mapping[int, bytes]) -> bytes:
    """The values that ``dol`` asks for, concatenated in its order.

    Each tag must have a value in ``values`` of exactly the length asked.
    """
    out = []
    for tag, length in parse_dol(dol):
        if tag not in values:
            raise TlvError("no value for tag %X asked by the DOL" % tag)
        value = bytes(values[tag])
        if len(value) != length:
            raise TlvError(
                "tag %X: DOL asks %d bytes, value has %d" % (tag, length, len(value))
            )
        out.append(value)
    return b"".join(out)


def split_dol(dol: BytesLike, data: BytesLike) -> dict[int, bytes]:
    """The values in ``data`` (built by :func:`build_dol`) by tag."""
    data = bytes(data)
    pairs = parse_dol(dol)
    expected = sum(length for _, length in pairs)
    if len(data) != expected:
        raise TlvError("DOL data is %d bytes, not %d" % (len(data), expected))
    values: dict[int, bytes] = {}
    pos = 0
    for tag, length in pairs:
        values[tag] = data[pos : pos + length]
        pos += length
    return values
