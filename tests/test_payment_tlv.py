"""pytee.payment.tlv, apdu and commands: BER-TLV, ISO 7816-4 APDUs, the
payment application's commands and answers (docs/payment.md, APDUs).

Expected encodings are written out by hand from ISO 7816-4 / EMV rules.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given
from hypothesis import strategies as st

from pytee.payment import commands, keys, tlv, wire
from pytee.payment.apdu import (
    SW_CONDITIONS_NOT_SATISFIED,
    SW_FILE_NOT_FOUND,
    SW_OK,
    ChainAssembler,
    CommandApdu,
    ResponseApdu,
    chain,
    sw_name,
)
from pytee.payment.errors import (
    ApduError,
    CardRefused,
    PaymentError,
    TlvError,
    WireError,
)

# -- tags and lengths ----------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "encoded", "constructed"),
    [
        (0x5A, "5A", False),
        (0x6F, "6F", True),
        (0x9F02, "9F02", False),
        (0x5F2A, "5F2A", False),
        (0xBF0C, "BF0C", True),
        (0xDF01, "DF01", False),
        (0x9F8101, "9F8101", False),
        (0x7F8F7F, "7F8F7F", True),
    ],
)
def test_tags(tag: int, encoded: str, constructed: bool) -> None:
    assert tlv.encode_tag(tag) == bytes.fromhex(encoded)
    assert tlv.is_constructed(tag) is constructed


@pytest.mark.parametrize(
    "tag",
    [
        0,
        0x9F,  # says "more tag bytes follow", none do
        0x9F80,  # a first subsequent byte of zero bits (X.690 8.1.2.4.2 c)
        0x9F8001,
        0x9F81,  # the last byte has its "more" bit set
        0x0102,  # a one-byte tag written on two bytes
        0x9F8181,
        0x9F818101,  # four bytes
        -1,
    ],
)
def test_invalid_tags(tag: int) -> None:
    with pytest.raises(TlvError):
        tlv.encode_tag(tag)


@pytest.mark.parametrize(
    ("length", "encoded"),
    [
        (0, "00"),
        (1, "01"),
        (127, "7F"),
        (128, "8180"),
        (255, "81FF"),
        (256, "820100"),
        (65535, "82FFFF"),
    ],
)
def test_lengths(length: int, encoded: str) -> None:
    assert tlv.encode_length(length) == bytes.fromhex(encoded)
    value = bytes(length)
    item = tlv.decode_one(bytes.fromhex("5A" + encoded) + value)
    assert item == tlv.Tlv(0x5A, value)


def test_length_out_of_range() -> None:
    for length in (-1, 65536):
        with pytest.raises(TlvError):
            tlv.encode_length(length)
    with pytest.raises(TlvError):
        tlv.Tlv(0x5A, bytes(65536))


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ("9F", "tag truncated"),
        ("9F02", "length missing"),
        ("5A81", "length truncated"),
        ("5A8201", "length truncated"),
        ("5A03AABB", "value truncated"),
        ("5A817F" + "00" * 127, "81 form for a short length"),
        ("5A820080" + "00" * 128, "82 form for a one-byte length"),
        ("5A8200FF" + "00" * 255, "82 form for a one-byte length"),
        ("5A80", "indefinite length"),
        ("5A83000001AA", "three length bytes"),
        ("5A84000000AA", "four length bytes"),
        ("0001AA", "tag 00"),
        ("5A01AA00", "trailing byte"),
        ("9F8001" + "00", "bad multi-byte tag"),
    ],
)
def test_decode_is_strict(data: str, why: str) -> None:
    with pytest.raises(TlvError):
        tlv.decode(bytes.fromhex(data))


def test_constructed_objects() -> None:
    data = bytes.fromhex("6F0C8402AABBA506500454455354")
    fci = tlv.decode_one(data, 0x6F)
    assert fci.constructed
    children = fci.children()
    assert children == [tlv.Tlv(0x84, b"\xaa\xbb"), tlv.Tlv(0xA5, b"\x50\x04TEST")]
    assert children[1].children() == [tlv.Tlv(0x50, b"TEST")]
    with pytest.raises(TlvError):
        children[0].children()
    built = tlv.constructed(
        0x6F,
        tlv.primitive(0x84, b"\xaa\xbb"),
        tlv.constructed(0xA5, tlv.primitive(0x50, b"TEST")),
    )
    assert built == data
    with pytest.raises(TlvError):
        tlv.constructed(0x5A, b"")
    with pytest.raises(TlvError):
        tlv.decode_one(data, 0x70)
    with pytest.raises(TlvError):
        tlv.decode_one(data + data)
    with pytest.raises(TlvError):
        tlv.decode_one(b"")
    bad_child = bytes.fromhex("6F038405AA")
    with pytest.raises(TlvError):
        tlv.decode_one(bad_child).children()


def test_find_and_value_of() -> None:
    items = tlv.decode(bytes.fromhex("9F360400000009DF0100"))
    assert tlv.value_of(items, 0x9F36) == bytes.fromhex("00000009")
    assert tlv.value_of(items, 0xDF01) == b""
    assert tlv.find(items, 0x5A) is None
    with pytest.raises(TlvError):
        tlv.value_of(items, 0x5A)
    with pytest.raises(TlvError):
        tlv.value_of(items, 0x9F36, 2)
    twice = tlv.decode(bytes.fromhex("5A01AA5A01BB"))
    with pytest.raises(TlvError):
        tlv.find(twice, 0x5A)


def _tags(constructed: int) -> st.SearchStrategy[int]:
    """Valid tags of one to three bytes, of any class, primitive or not."""
    first = st.integers(0, 3).map(lambda cls: cls << 6 | constructed << 5)
    one = st.tuples(first, st.integers(0, 30)).map(lambda t: t[0] | t[1])
    two = st.tuples(first, st.integers(1, 0x7F)).map(
        lambda t: (t[0] | 0x1F) << 8 | t[1]
    )
    three = st.tuples(first, st.integers(0x81, 0xFF), st.integers(0, 0x7F)).map(
        lambda t: (t[0] | 0x1F) << 16 | t[1] << 8 | t[2]
    )
    return st.one_of(one.filter(bool), two, three)


primitive_tags = _tags(0)
constructed_tags = _tags(1)
tags = st.one_of(primitive_tags, constructed_tags)


def _tree(children: st.SearchStrategy[list[bytes]]) -> st.SearchStrategy[bytes]:
    return st.builds(
        lambda tag, parts: tlv.constructed(tag, *parts), constructed_tags, children
    )


encoded_objects = st.recursive(
    st.builds(tlv.primitive, primitive_tags, st.binary(max_size=200)),
    lambda inner: _tree(st.lists(inner, max_size=4)),
    max_leaves=12,
)


@given(st.lists(st.tuples(tags, st.binary(max_size=400)), max_size=6))
def test_flat_round_trip(pairs: list[tuple[int, bytes]]) -> None:
    data = b"".join(tlv.primitive(tag, value) for tag, value in pairs)
    assert [(item.tag, item.value) for item in tlv.decode(data)] == pairs


@given(st.lists(encoded_objects, max_size=4))
def test_tree_round_trip(objects: list[bytes]) -> None:
    data = b"".join(objects)
    items = tlv.decode(data)
    assert b"".join(item.encode() for item in items) == data

    def walk(item: tlv.Tlv) -> None:
        if item.constructed:
            kids = item.children()
            assert b"".join(kid.encode() for kid in kids) == item.value
            for kid in kids:
                walk(kid)

    for item in items:
        walk(item)


@given(st.binary(max_size=64))
def test_whatever_decodes_is_canonical(data: bytes) -> None:
    """Strictness: accepted bytes are the shortest encoding of what they hold."""
    try:
        items = tlv.decode(data)
    except TlvError:
        return
    assert b"".join(item.encode() for item in items) == data


# -- data object lists ---------------------------------------------------


def test_the_pdol_of_the_spec() -> None:
    assert tlv.parse_dol(commands.PDOL) == [
        (0x9F02, 6),
        (0x5F2A, 2),
        (0x9A, 3),
        (0x9C, 1),
        (0x9F1C, 8),
        (0x9F37, 4),
        (0xDF02, 16),
        (0xDF01, 2),
    ]


def test_dol_build_and_split() -> None:
    dol = bytes.fromhex("9F02069A03DF0210")
    values = {
        0x9F02: bytes(6),
        0x9A: b"\x26\x03\x09",
        0xDF02: bytes(range(16)),
        0x5A: b"x",
    }
    data = tlv.build_dol(dol, values)
    assert data == bytes(6) + b"\x26\x03\x09" + bytes(range(16))
    assert tlv.split_dol(dol, data) == {k: v for k, v in values.items() if k != 0x5A}
    with pytest.raises(TlvError):
        tlv.build_dol(dol, {0x9F02: bytes(6), 0x9A: b"\x26\x03\x09"})
    with pytest.raises(TlvError):
        tlv.build_dol(dol, {**values, 0x9A: b"\x26\x03"})
    for wrong in (data[:-1], data + b"\0"):
        with pytest.raises(TlvError):
            tlv.split_dol(dol, wrong)
    with pytest.raises(TlvError):
        tlv.parse_dol(bytes.fromhex("9A039A03"))
    with pytest.raises(TlvError):
        tlv.parse_dol(bytes.fromhex("9F02"))


# -- APDUs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "case", "data", "le"),
    [
        ("00A40400", 1, "", None),
        ("80CA9F3600", 2, "", 256),
        ("80CA9F3610", 2, "", 16),
        ("00A40400023F00", 3, "3F00", None),
        ("00A40400023F0000", 4, "3F00", 256),
        ("00A40400023F00FF", 4, "3F00", 255),
    ],
)
def test_command_cases(raw: str, case: int, data: str, le: int | None) -> None:
    command = CommandApdu.decode(bytes.fromhex(raw))
    assert (command.case, command.data, command.le) == (case, bytes.fromhex(data), le)
    assert command.encode() == bytes.fromhex(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "00A404",
        "00A4040003AABB",  # Lc 3, two data bytes
        "00A4040001AABBCC",  # Lc 1, three bytes after it
        "00A40400000002AABB",  # extended length
        "00A404000000020000",
    ],
)
def test_malformed_commands(raw: str) -> None:
    with pytest.raises(ApduError):
        CommandApdu.decode(bytes.fromhex(raw))


def test_command_fields_are_checked() -> None:
    with pytest.raises(ApduError):
        CommandApdu(0, 0xA4, 256, 0)
    with pytest.raises(ApduError):
        CommandApdu(0, 0xA4, 4, 0, bytes(256))
    for le in (0, 257):
        with pytest.raises(ApduError):
            CommandApdu(0, 0xA4, 4, 0, le=le)
    with pytest.raises(TypeError):
        CommandApdu(0, 0xA4, 4, True)
    assert CommandApdu(0, 0xB2, 1, 0x0C, bytes(255), 256).encode()[4] == 255


@given(
    st.integers(0, 255),
    st.integers(0, 255),
    st.integers(0, 255),
    st.integers(0, 255),
    st.binary(max_size=255),
    st.one_of(st.none(), st.integers(1, 256)),
)
def test_command_round_trip(
    cla: int, ins: int, p1: int, p2: int, data: bytes, le: int | None
) -> None:
    command = CommandApdu(cla, ins, p1, p2, data, le)
    assert CommandApdu.decode(command.encode()) == command


def test_responses() -> None:
    ok = ResponseApdu.decode(bytes.fromhex("AABB9000"))
    assert (ok.data, ok.sw, ok.sw1, ok.sw2, ok.ok) == (
        b"\xaa\xbb",
        0x9000,
        0x90,
        0,
        True,
    )
    assert ok.check() == b"\xaa\xbb"
    assert ok.encode() == bytes.fromhex("AABB9000")
    refused = ResponseApdu.decode(bytes.fromhex("6A82"))
    with pytest.raises(CardRefused) as info:
        refused.check("SELECT")
    assert info.value.sw == SW_FILE_NOT_FOUND
    assert "6A82" in str(info.value) and "SELECT" in str(info.value)
    assert isinstance(info.value, PaymentError)
    for raw in (b"", b"\x90"):
        with pytest.raises(ApduError):
            ResponseApdu.decode(raw)
    assert sw_name(SW_OK) == "success"
    assert sw_name(SW_CONDITIONS_NOT_SATISFIED) == "conditions of use not satisfied"
    assert "20 more bytes" in sw_name(0x6114)
    assert sw_name(0x6F00) == "no precise diagnosis"
    assert sw_name(0x6F01) == "unknown"


def test_command_chaining() -> None:
    data = bytes(i % 251 for i in range(600))
    parts = chain(0x80, 0x54, 0x01, 0x00, data, le=256)
    assert [p.cla for p in parts] == [0x90, 0x90, 0x80]
    assert [len(p.data) for p in parts] == [255, 255, 90]
    assert [p.le for p in parts] == [None, None, 256]
    assembler = ChainAssembler()
    assert assembler.add(parts[0]) is None and assembler.pending
    assert assembler.add(parts[1]) is None
    assert assembler.add(parts[2]) == data
    assert not assembler.pending
    single = chain(0x80, 0x54, 0x01, 0x00, b"abc", le=256)
    assert single == [CommandApdu(0x80, 0x54, 1, 0, b"abc", 256)]
    assert assembler.add(single[0]) == b"abc"
    assert chain(0x80, 0x54, 1, 0, b"", None) == [CommandApdu(0x80, 0x54, 1, 0)]
    with pytest.raises(ApduError):
        chain(0x90, 0x54, 1, 0, data)


def test_a_broken_chain_is_dropped() -> None:
    parts = chain(0x80, 0x54, 0x01, 0x00, bytes(300), le=256)
    assembler = ChainAssembler()
    assembler.add(parts[0])
    with pytest.raises(ApduError):
        assembler.add(CommandApdu(0x80, 0xCA, 0x9F, 0x36, le=256))
    assert not assembler.pending
    assert assembler.add(parts[1]) == parts[1].data  # a lone last part
    small = ChainAssembler(limit=400)
    small.add(parts[0])
    with pytest.raises(ApduError):
        small.add(CommandApdu(0x90, 0x54, 1, 0, bytes(200)))
    with pytest.raises(ApduError):
        ChainAssembler().add(CommandApdu(0x90, 0x54, 1, 0, b"x", le=256))


# -- the protocol's commands and answers ---------------------------------

TERMINAL_ID = b"POS00001"
NONCE = bytes(range(16))
UN = b"\x01\x02\x03\x04"


def request(**changes: Any) -> wire.GpoRequest:
    fields: dict[str, Any] = dict(
        amount=12345,
        currency=0x0156,
        date=datetime.date(2026, 3, 9),
        type=0,
        terminal_id=TERMINAL_ID,
        unpredictable_number=UN,
        nonce=NONCE,
        suite=1,
    )
    fields.update(changes)
    return wire.GpoRequest(**fields)


def test_select_commands() -> None:
    assert commands.select_directory_command().encode() == (
        bytes.fromhex("00A404000E") + b"2PAY.SYS.DDF01" + b"\x00"
    )
    assert commands.select_aid_command().encode() == bytes.fromhex(
        "00A4040008F05445455041590100"
    )


def test_directory_fci() -> None:
    fci = commands.directory_fci([commands.DirectoryEntry(commands.AID, b"TEEPAY")])
    entry = "4F08F0544545504159015006544545504159"
    expected = "6F29840E" + b"2PAY.SYS.DDF01".hex() + "A517BF0C146112" + entry
    assert fci == bytes.fromhex(expected)
    assert commands.parse_directory_answer(fci) == [
        commands.DirectoryEntry(commands.AID, b"TEEPAY")
    ]
    assert commands.parse_directory_answer(commands.directory_fci([])) == []
    other = commands.application_fci()
    with pytest.raises(WireError):
        commands.parse_directory_answer(other)


def test_application_fci() -> None:
    fci = commands.application_fci(suites=(1, 0x0203))
    parsed = commands.parse_fci_answer(fci)
    assert parsed == commands.Fci(commands.AID, b"TEEPAY", commands.PDOL, (1, 0x0203))
    # unknown proprietary data objects are ignored
    extra = tlv.constructed(
        0x6F,
        tlv.primitive(0x84, commands.AID),
        tlv.constructed(
            0xA5,
            tlv.primitive(0x50, b"TEEPAY"),
            tlv.primitive(0x87, b"\x01"),
            tlv.primitive(0x9F38, commands.PDOL),
            tlv.primitive(0xDF01, b"\x00\x01"),
        ),
    )
    assert commands.parse_fci_answer(extra).suites == (1,)
    for suites in (b"", b"\x00\x01\x02"):
        odd = tlv.constructed(
            0x6F,
            tlv.primitive(0x84, commands.AID),
            tlv.constructed(
                0xA5,
                tlv.primitive(0x50, b"TEEPAY"),
                tlv.primitive(0x9F38, commands.PDOL),
                tlv.primitive(0xDF01, suites),
            ),
        )
        with pytest.raises(WireError):
            commands.parse_fci_answer(odd)


def test_gpo_command_bytes() -> None:
    command = commands.gpo_command(request())
    values = (
        "000000012345015626030900" + TERMINAL_ID.hex() + UN.hex() + NONCE.hex() + "0001"
    )
    assert command.encode() == bytes.fromhex("80A800002C832A" + values + "00")
    assert commands.parse_gpo_command(command.data) == request()


def test_gpo_command_checks() -> None:
    with pytest.raises(ValueError):
        commands.gpo_command(request(amount=10**12))
    data = commands.gpo_command(request()).data
    for bad in (data[:-1], data + b"\0", b"\x84" + data[1:]):
        with pytest.raises(WireError):
            commands.parse_gpo_command(bad)
    short_pdol = bytes.fromhex("9F02065F2A029A039C019F1C089F3704DF0210")
    partial = commands.gpo_command(request(), short_pdol).data
    with pytest.raises(WireError):
        commands.parse_gpo_command(partial, short_pdol)
    wide = bytes.fromhex("9F02065F2A039A039C019F1C089F3704DF0210DF0102")
    with pytest.raises(TlvError):
        commands.gpo_command(request(), wide)


def test_gpo_answer() -> None:
    response = wire.GpoResponse(9, bytes(range(122)), bytes(range(64)))
    answer = commands.gpo_answer(response)
    assert answer[:10] == bytes.fromhex("7781C79F360400000009")
    assert answer[10:13] == bytes.fromhex("DF037A")
    assert commands.parse_gpo_answer(answer) == response
    extra = tlv.constructed(
        0x77,
        tlv.primitive(0x9F36, b"\0\0\0\x09"),
        tlv.primitive(0xDF03, bytes(122)),
        tlv.primitive(0x9F4B, bytes(64)),
        tlv.primitive(0x9F10, b"x"),
    )
    short_atc = tlv.constructed(
        0x77,
        tlv.primitive(0x9F36, b"\0\x09"),
        tlv.primitive(0xDF03, bytes(122)),
        tlv.primitive(0x9F4B, bytes(64)),
    )
    missing = tlv.constructed(
        0x77, tlv.primitive(0x9F36, b"\0\0\0\x09"), tlv.primitive(0xDF03, bytes(122))
    )
    for bad in (extra, short_atc, missing, answer[:-1]):
        with pytest.raises(WireError):
            commands.parse_gpo_answer(bad)


def test_records() -> None:
    assert commands.read_record_command(2).encode() == bytes.fromhex("00B2020C00")
    for record, tag in ((1, "DF10"), (2, "DF11"), (3, "DF12")):
        command = CommandApdu.decode(commands.read_record_command(record).encode())
        assert commands.parse_record_command(command) == record
        value = bytes(65)
        answer = commands.record_answer(record, value)
        assert answer == bytes.fromhex("7044" + tag + "41") + value
        assert commands.parse_record_answer(record, answer) == value
    with pytest.raises(WireError):
        commands.parse_record_answer(2, commands.record_answer(3, bytes(65)))
    with pytest.raises(WireError):
        commands.parse_record_answer(1, commands.record_answer(1, bytes(64)))
    for p1, p2 in ((4, 0x0C), (0, 0x0C), (1, 0x14)):
        with pytest.raises(WireError):
            commands.parse_record_command(CommandApdu(0, 0xB2, p1, p2, le=256))
    with pytest.raises(ValueError):
        commands.read_record_command(4)


@pytest.fixture(scope="module")
def terminal_certificate() -> wire.Certificate:
    issuer = ec.generate_private_key(ec.SECP256R1())
    terminal = keys.public_key_bytes(
        ec.generate_private_key(ec.SECP256R1()).public_key()
    )
    return wire.Certificate.issue(
        issuer,
        wire.CertKind.TERMINAL,
        wire.terminal_subject(TERMINAL_ID),
        terminal,
        datetime.date(2030, 1, 31),
        b"A merchant with a forty-byte-long name..",
    )


def test_debit_travels_as_a_chain(terminal_certificate: wire.Certificate) -> None:
    debit = wire.DebitRequest(
        9, 12345, TERMINAL_ID, 7, terminal_certificate, bytes(range(64))
    )
    parts = commands.debit_commands(debit)
    cert = terminal_certificate.encode()
    data = (
        bytes.fromhex("9F3604000000099F0206000000012345")
        + bytes.fromhex("9F1C08")
        + TERMINAL_ID
        + bytes.fromhex("DF040400000007")
        + bytes.fromhex("DF0581")
        + bytes([len(cert)])
        + cert
        + bytes.fromhex("DF0640")
        + bytes(range(64))
    )
    assert len(data) > 255 and len(parts) == 2
    assert [p.cla for p in parts] == [0x90, 0x80]
    assert all((p.ins, p.p1, p.p2) == (0x54, 1, 0) for p in parts)
    assert parts[0].data + parts[1].data == data
    assembler = ChainAssembler()
    joined = [assembler.add(CommandApdu.decode(p.encode())) for p in parts]
    assert joined[0] is None and joined[1] == data
    assert commands.parse_debit_command(data) == debit


def test_debit_data_is_checked(terminal_certificate: wire.Certificate) -> None:
    debit = wire.DebitRequest(9, 12345, TERMINAL_ID, 7, terminal_certificate, bytes(64))
    items = tlv.decode(b"".join(p.data for p in commands.debit_commands(debit)))
    encoded = [item.encode() for item in items]
    assert commands.parse_debit_command(b"".join(reversed(encoded))) == debit
    for i in range(len(encoded)):
        missing = b"".join(encoded[:i] + encoded[i + 1 :])
        with pytest.raises(WireError):
            commands.parse_debit_command(missing)
        doubled = b"".join([*encoded, encoded[i]])
        with pytest.raises(WireError):
            commands.parse_debit_command(doubled)
    with pytest.raises(WireError):
        commands.parse_debit_command(b"".join(encoded) + tlv.primitive(0xDF09, b""))


def test_debit_balance_and_atc_answers() -> None:
    receipt = wire.DebitReceipt(8766, bytes(range(64)))
    answer = commands.debit_answer(receipt)
    assert answer == (
        bytes.fromhex("774EDF0708")
        + (8766).to_bytes(8, "big")
        + bytes.fromhex("DF0840")
        + bytes(range(64))
    )
    assert commands.parse_debit_answer(answer) == receipt
    assert commands.get_balance_command().encode() == bytes.fromhex("805C000200")
    assert commands.balance_answer(8766) == bytes.fromhex("DF0708000000000000223E")
    assert commands.parse_balance_answer(commands.balance_answer(8766)) == 8766
    assert commands.get_atc_command().encode() == bytes.fromhex("80CA9F3600")
    assert commands.atc_answer(9) == bytes.fromhex("9F360400000009")
    assert commands.parse_atc_answer(commands.atc_answer(9)) == 9
    with pytest.raises(WireError):
        commands.parse_atc_answer(bytes.fromhex("9F36020009"))
