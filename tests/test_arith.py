"""libtee: the TEE Arithmetical API (GP TEE Internal Core API v1.3.1, ch. 8).

The arith_test TA runs one GP function per command on big integers sent as
octet strings; Python's ``int`` is the oracle.  Random operands come from a
seeded generator (CASES per operation), with sizes from zero to 2048 bits
(gpd.tee.arith.maxBigIntSize) and both signs; the edge cases (zero, word
boundaries, the largest sizes, results that do not fit, misuse that panics)
have tests of their own.  A GP function that panics kills the TA instance,
which the client sees as TargetDead.
"""

from __future__ import annotations

import math
import random
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import arith_ta as at
import pytest
from arith_ta import ArithTA, s32, u32
from cryptography.hazmat.primitives.asymmetric import rsa

from pytee import (
    BadParameters,
    Context,
    Result,
    ShortBuffer,
    TargetDead,
    TempIn,
    TempOut,
    ValueIn,
    ValueInOut,
)

CASES = 200
MAX_BITS = 2048  # gpd.tee.arith.maxBigIntSize
HEADER = (
    Path(__file__).resolve().parent.parent
    / "csrc/ta/arith_test/include/arith_test_ta.h"
)


@pytest.fixture
def ta(context: Context) -> Iterator[ArithTA]:
    """A session of its own: a panic in one test leaves the others alone."""
    with context.open_session(at.TA_ARITH_TEST_UUID) as session:
        yield ArithTA(session)


def operand(rng: random.Random, max_bits: int = MAX_BITS, signed: bool = True) -> int:
    """A random int of 0..max_bits bits, favouring word boundaries."""
    edges = [b for b in (0, 1, 31, 32, 33, 63, 64, 65, max_bits) if b <= max_bits]
    bits = rng.choice(edges) if rng.random() < 0.3 else rng.randint(0, max_bits)
    value = rng.getrandbits(bits) | (1 << (bits - 1) if bits else 0)
    return -value if signed and rng.random() < 0.5 else value


def modulus(rng: random.Random, odd: bool = False) -> int:
    """A random modulus: at least 2, or odd and at least 3."""
    n = max(2, operand(rng, signed=False))
    return max(3, n | 1) if odd else n


def trunc_divmod(a: int, b: int) -> tuple[int, int]:
    """Quotient rounded toward zero; remainder with the sign of a."""
    q = abs(a) // abs(b)
    q = -q if (a < 0) != (b < 0) else q
    return q, a - q * b


def magnitude_sign(value: int, magnitude: int) -> int:
    return -magnitude if value < 0 else magnitude


# -------------------------------------------------------------- the header


def test_python_mirror_matches_the_header() -> None:
    defines = dict(
        re.findall(
            r"^#define\s+(TA_ARITH_\w+)\s+(.+?)\s*(?:/\*.*)?$",
            re.sub(r"\\\n", " ", HEADER.read_text()),
            re.M,
        )
    )
    mirrored = {name for name in vars(at) if name.startswith("TA_ARITH_")}
    assert mirrored == set(defines)
    for name, text in defines.items():
        if text.startswith("{"):
            fields = [int(x, 16) for x in re.findall(r"0x[0-9a-fA-F]+", text)]
            octets = fields[0].to_bytes(4, "big") + fields[1].to_bytes(2, "big")
            octets += fields[2].to_bytes(2, "big") + bytes(fields[3:])
            expected: object = str(uuid.UUID(bytes=octets))
        else:
            expected = eval(text, {"__builtins__": {}})  # our own header
        assert getattr(at, name) == expected, name


@pytest.mark.parametrize(
    ("folder", "ta_uuid"),
    [
        ("arith_test", at.TA_ARITH_TEST_UUID),
        ("arith_test_peer", at.TA_ARITH_TEST_PEER_UUID),
    ],
)
def test_each_build_is_named_after_its_uuid(folder: str, ta_uuid: str) -> None:
    makefile = HEADER.parents[2] / folder / "Makefile"
    found = re.search(r"^BINARY = (\S+)$", makefile.read_text(), re.M)
    assert found and found[1] == ta_uuid


# -------------------------------------------------------------- conversion


def test_octet_strings_convert_both_ways(ta: ArithTA) -> None:
    rng = random.Random(1)
    for _ in range(CASES):
        x = operand(rng, 4 * MAX_BITS)
        octets = abs(x).to_bytes((abs(x).bit_length() + 7) // 8, "big")
        reply = ta.call(
            at.TA_ARITH_CMD_FROM_OCTETS, raw=octets, flags=u32(-1 if x < 0 else 1)
        )
        assert (reply.a, reply.values) == (Result.SUCCESS, [x])
        assert ta.to_octets(x, len(octets)) == (Result.SUCCESS, len(octets), octets)


@pytest.mark.parametrize("sign", [0, 1, 7, -1, -(2**31)])
def test_from_octets_takes_negative_for_any_sign_below_zero(
    ta: ArithTA, sign: int
) -> None:
    reply = ta.call(at.TA_ARITH_CMD_FROM_OCTETS, raw=b"\x01\x02", flags=u32(sign))
    assert reply.values == [-0x102 if sign < 0 else 0x102]


def test_from_octets_ignores_leading_zeros_and_gives_zero_for_nothing(
    ta: ArithTA,
) -> None:
    reply = ta.call(at.TA_ARITH_CMD_FROM_OCTETS, raw=bytes(300) + b"\x05", bits=8)
    assert (reply.a, reply.values) == (Result.SUCCESS, [5])
    for raw in (b"", bytes(9)):
        reply = ta.call(at.TA_ARITH_CMD_FROM_OCTETS, raw=raw, bits=0, flags=u32(-1))
        assert (reply.a, reply.values) == (Result.SUCCESS, [0])


@pytest.mark.parametrize("bits", [0, 1, 32, 64, 2048])
def test_from_octets_overflows_past_the_destination(ta: ArithTA, bits: int) -> None:
    room = (bits + 31) // 32 * 4
    fits = ta.call(at.TA_ARITH_CMD_FROM_OCTETS, raw=b"\xff" * room, bits=bits)
    assert (fits.a, fits.values) == (Result.SUCCESS, [256**room - 1])
    over = ta.call(at.TA_ARITH_CMD_FROM_OCTETS, raw=b"\x01" + bytes(room), bits=bits)
    assert (over.a, over.values) == (Result.OVERFLOW, [])


def test_to_octets_reports_the_size_it_needs(ta: ArithTA) -> None:
    x = -(2**100 + 1)
    assert ta.to_octets(x, 12) == (Result.SHORT_BUFFER, 13, b"")
    assert ta.to_octets(x, 0) == (Result.SHORT_BUFFER, 13, b"")
    assert ta.to_octets(x, 40) == (Result.SUCCESS, 13, abs(x).to_bytes(13, "big"))


def test_zero_converts_to_no_octets(ta: ArithTA) -> None:
    assert ta.to_octets(0, 0) == (Result.SUCCESS, 0, b"")
    assert ta.to_octets(0, 4) == (Result.SUCCESS, 0, b"")


S32_EDGES = [0, 1, -1, 2**31 - 1, -(2**31), 0x1234, -0x5678]


@pytest.mark.parametrize("value", S32_EDGES)
def test_s32_converts_both_ways(ta: ArithTA, value: int) -> None:
    assert ta.value(at.TA_ARITH_CMD_FROM_S32, arg=u32(value), bits=32) == value
    reply = ta.call(at.TA_ARITH_CMD_TO_S32, value)
    assert (reply.a, s32(reply.b)) == (Result.SUCCESS, value)


@pytest.mark.parametrize("value", [2**31, -(2**31) - 1, 2**32, -(2**64), 2**2000])
def test_to_s32_overflows_outside_int32(ta: ArithTA, value: int) -> None:
    assert ta.call(at.TA_ARITH_CMD_TO_S32, value).a == Result.OVERFLOW


def test_negative_zero_is_zero(ta: ArithTA) -> None:
    raw = b"\x01\x00\x00\x00\x00"  # sign "negative", no magnitude
    assert ta.call(at.TA_ARITH_CMD_NEG, raw=raw).values == [0]
    assert ta.call(at.TA_ARITH_CMD_CMP_S32, raw=raw).a == 0
    assert ta.value(at.TA_ARITH_CMD_NEG, 0) == 0


# ----------------------------------------------------------------- logical


def test_cmp_orders_like_python(ta: ArithTA) -> None:
    rng = random.Random(2)
    for i in range(CASES):
        x = operand(rng)
        y = x if i % 10 == 0 else operand(rng)
        assert s32(ta.call(at.TA_ARITH_CMD_CMP, x, y).a) == (x > y) - (x < y)


def test_cmp_s32_orders_like_python(ta: ArithTA) -> None:
    rng = random.Random(3)
    for i in range(CASES):
        y = rng.choice(S32_EDGES) if i % 2 else rng.randint(-(2**31), 2**31 - 1)
        x = y if i % 7 == 0 else operand(rng, 40)
        got = s32(ta.call(at.TA_ARITH_CMD_CMP_S32, x, arg=u32(y)).a)
        assert got == (x > y) - (x < y)


def test_shift_right_shifts_the_magnitude(ta: ArithTA) -> None:
    rng = random.Random(4)
    for _ in range(CASES):
        x = operand(rng)
        n = rng.randint(0, abs(x).bit_length() + 40)
        got = ta.value(at.TA_ARITH_CMD_SHIFT_RIGHT, x, arg=n)
        assert got == magnitude_sign(x, abs(x) >> n)
    assert ta.value(at.TA_ARITH_CMD_SHIFT_RIGHT, -5, arg=1) == -2
    assert ta.value(at.TA_ARITH_CMD_SHIFT_RIGHT, -1, arg=1) == 0
    assert ta.value(at.TA_ARITH_CMD_SHIFT_RIGHT, 2**2047, arg=0xFFFFFFFF) == 0


def test_get_bit_and_bit_count_read_the_magnitude(ta: ArithTA) -> None:
    rng = random.Random(5)
    for _ in range(CASES // 2):
        x = operand(rng)
        i = rng.randint(0, abs(x).bit_length() + 40)
        assert ta.call(at.TA_ARITH_CMD_GET_BIT, x, arg=i).a == (abs(x) >> i) & 1
        count = ta.call(at.TA_ARITH_CMD_GET_BIT_COUNT, x).a
        assert count == abs(x).bit_length()
    assert ta.call(at.TA_ARITH_CMD_GET_BIT, -1, arg=0xFFFFFFFF).a == 0


def test_set_bit_sets_and_clears_magnitude_bits(ta: ArithTA) -> None:
    rng = random.Random(6)
    for _ in range(CASES):
        x = operand(rng, 1024)
        i = rng.randint(0, 1100)
        value = rng.random() < 0.5
        want = abs(x) | (1 << i) if value else abs(x) & ~(1 << i)
        reply = ta.call(at.TA_ARITH_CMD_SET_BIT, x, bits=1120, arg=i, flags=value)
        assert (reply.a, reply.values) == (Result.SUCCESS, [magnitude_sign(x, want)])


def test_set_bit_overflows_past_the_room_of_the_big_integer(ta: ArithTA) -> None:
    reply = ta.call(at.TA_ARITH_CMD_SET_BIT, 5, bits=64, arg=63, flags=1)
    assert (reply.a, reply.values) == (Result.SUCCESS, [2**63 + 5])
    reply = ta.call(at.TA_ARITH_CMD_SET_BIT, 5, bits=64, arg=64, flags=1)
    assert (reply.a, reply.values) == (Result.OVERFLOW, [5])
    reply = ta.call(at.TA_ARITH_CMD_SET_BIT, 5, bits=64, arg=1000, flags=0)
    assert (reply.a, reply.values) == (Result.SUCCESS, [5])
    reply = ta.call(at.TA_ARITH_CMD_SET_BIT, -4, bits=64, arg=2, flags=0)
    assert (reply.a, reply.values) == (Result.SUCCESS, [0])


@pytest.mark.parametrize("cmd", [at.TA_ARITH_CMD_ASSIGN, at.TA_ARITH_CMD_ABS])
def test_assign_and_abs_copy_or_overflow(ta: ArithTA, cmd: int) -> None:
    rng = random.Random(7)
    for _ in range(CASES // 4):
        x = operand(rng)
        want = abs(x) if cmd == at.TA_ARITH_CMD_ABS else x
        bits = abs(x).bit_length()
        assert ta.call(cmd, x, bits=bits) == (
            [want],
            Result.SUCCESS,
            0,
        )
        if bits > 32:
            assert ta.call(cmd, x, bits=bits - 32) == ([], Result.OVERFLOW, 0)


# ------------------------------------------------------ basic and modular

Op = Callable[..., int]

BASIC: list[tuple[int, int, Op]] = [
    (at.TA_ARITH_CMD_NEG, 1, lambda x: -x),
    (at.TA_ARITH_CMD_ADD, 2, lambda x, y: x + y),
    (at.TA_ARITH_CMD_SUB, 2, lambda x, y: x - y),
    (at.TA_ARITH_CMD_MUL, 2, lambda x, y: x * y),
    (at.TA_ARITH_CMD_SQUARE, 1, lambda x: x * x),
]

MODULAR: list[tuple[int, int, Op]] = [
    (at.TA_ARITH_CMD_MOD, 1, lambda x, n: x % n),
    (at.TA_ARITH_CMD_ADD_MOD, 2, lambda x, y, n: (x + y) % n),
    (at.TA_ARITH_CMD_SUB_MOD, 2, lambda x, y, n: (x - y) % n),
    (at.TA_ARITH_CMD_MUL_MOD, 2, lambda x, y, n: x * y % n),
    (at.TA_ARITH_CMD_SQUARE_MOD, 1, lambda x, n: x * x % n),
]


def _name(case: tuple[int, int, Op]) -> str:
    names = {v: k for k, v in vars(at).items() if k.startswith("TA_ARITH_CMD_")}
    return names[case[0]].removeprefix("TA_ARITH_CMD_").lower()


@pytest.mark.parametrize("alias", [False, True], ids=["new_dest", "dest_is_op1"])
@pytest.mark.parametrize("case", BASIC, ids=_name)
def test_basic_operations_match_python(
    ta: ArithTA, case: tuple[int, int, Op], alias: bool
) -> None:
    cmd, arity, op = case
    rng = random.Random(cmd)
    flags = at.TA_ARITH_FLAG_ALIAS if alias else 0
    for _ in range(CASES if not alias else CASES // 4):
        xs = [operand(rng) for _ in range(arity)]
        assert ta.value(cmd, *xs, flags=flags) == op(*xs), xs


@pytest.mark.parametrize("alias", [False, True], ids=["new_dest", "dest_is_op1"])
@pytest.mark.parametrize("case", MODULAR, ids=_name)
def test_modular_operations_match_python(
    ta: ArithTA, case: tuple[int, int, Op], alias: bool
) -> None:
    cmd, arity, op = case
    rng = random.Random(100 + cmd)
    flags = at.TA_ARITH_FLAG_ALIAS if alias else 0
    for i in range(CASES if not alias else CASES // 4):
        n = modulus(rng) if i else 2
        xs = [operand(rng) for _ in range(arity)]
        assert ta.value(cmd, *xs, n, flags=flags) == op(*xs, n), (xs, n)


@pytest.mark.parametrize("alias", [False, True], ids=["new_dest", "dest_is_op1"])
def test_div_truncates_toward_zero(ta: ArithTA, alias: bool) -> None:
    rng = random.Random(8)
    flags = at.TA_ARITH_FLAG_ALIAS if alias else 0
    for _ in range(CASES):
        x = operand(rng)
        y = operand(rng, rng.choice([8, 64, MAX_BITS])) or 1
        assert ta.call(at.TA_ARITH_CMD_DIV, x, y, flags=flags).values == list(
            trunc_divmod(x, y)
        )
    assert ta.call(at.TA_ARITH_CMD_DIV, -7, 2).values == [-3, -1]
    assert ta.call(at.TA_ARITH_CMD_DIV, 7, -2).values == [-3, 1]


def test_div_takes_null_for_either_result(ta: ArithTA) -> None:
    x, y = -(10**50), 7**20
    q, r = trunc_divmod(x, y)
    assert ta.call(at.TA_ARITH_CMD_DIV, x, y, flags=at.TA_ARITH_FLAG_NULL_1).values == [
        r
    ]
    assert ta.call(at.TA_ARITH_CMD_DIV, x, y, flags=at.TA_ARITH_FLAG_NULL_2).values == [
        q
    ]


@pytest.mark.parametrize("alias", [False, True], ids=["new_dest", "dest_is_op1"])
def test_inv_mod_matches_python(ta: ArithTA, alias: bool) -> None:
    rng = random.Random(9)
    flags = at.TA_ARITH_FLAG_ALIAS if alias else 0
    done = 0
    while done < (CASES if not alias else CASES // 4):
        x, n = operand(rng), modulus(rng)
        if n < 2 or math.gcd(x, n) != 1 or x == 0:
            continue
        assert ta.value(at.TA_ARITH_CMD_INV_MOD, x, n, flags=flags) == pow(x, -1, n)
        done += 1


@pytest.mark.parametrize("with_context", [False, True], ids=["no_context", "context"])
def test_exp_mod_matches_python(ta: ArithTA, with_context: bool) -> None:
    rng = random.Random(10)
    flags = at.TA_ARITH_FLAG_FMM_CONTEXT if with_context else 0
    for i in range(CASES // 2):
        x, n = operand(rng), modulus(rng, odd=True)
        e = operand(rng, rng.choice([4, 64, MAX_BITS]), signed=False) if i else 0
        reply = ta.call(at.TA_ARITH_CMD_EXP_MOD, x, e, n, flags=flags)
        assert (reply.a, reply.values) == (Result.SUCCESS, [pow(x, e, n)]), (x, e, n)


def test_exp_mod_writes_over_its_base(ta: ArithTA) -> None:
    n = 2**255 - 19
    got = ta.value(at.TA_ARITH_CMD_EXP_MOD, 9, n - 2, n, flags=at.TA_ARITH_FLAG_ALIAS)
    assert got == pow(9, n - 2, n)


@pytest.mark.parametrize("n", [4, 6, 2**2048 - 2])
def test_exp_mod_does_not_support_even_moduli(ta: ArithTA, n: int) -> None:
    reply = ta.call(at.TA_ARITH_CMD_EXP_MOD, 3, 5, n)
    assert (reply.a, reply.values) == (Result.NOT_SUPPORTED, [])


def test_relative_prime_is_gcd_one(ta: ArithTA) -> None:
    rng = random.Random(11)
    for i in range(CASES):
        x = operand(rng, 64)
        y = x * operand(rng, 16) if i % 3 == 0 else operand(rng, 64)
        got = ta.call(at.TA_ARITH_CMD_RELATIVE_PRIME, x, y).a
        assert got == (math.gcd(x, y) == 1), (x, y)


def test_extended_gcd_gives_bezout_coefficients(ta: ArithTA) -> None:
    rng = random.Random(12)
    for i in range(CASES):
        x = operand(rng)
        y = x * operand(rng, 64) if i % 5 == 0 else operand(rng)
        g, u, v = ta.call(at.TA_ARITH_CMD_EXTENDED_GCD, x, y).values
        assert g == math.gcd(x, y), (x, y)
        assert u * x + v * y == g, (x, y)
        if g:  # Euclid's coefficients are the small ones
            assert abs(u) <= max(1, abs(y) // g) and abs(v) <= max(1, abs(x) // g)


def test_extended_gcd_takes_null_coefficients(ta: ArithTA) -> None:
    x, y = 240, -46
    assert ta.call(at.TA_ARITH_CMD_EXTENDED_GCD, x, y).values == [2, -9, -47]
    both = at.TA_ARITH_FLAG_NULL_1 | at.TA_ARITH_FLAG_NULL_2
    assert ta.call(at.TA_ARITH_CMD_EXTENDED_GCD, x, y, flags=both).values == [2]
    only_v = ta.call(at.TA_ARITH_CMD_EXTENDED_GCD, x, y, flags=at.TA_ARITH_FLAG_NULL_1)
    assert only_v.values == [2, -47]
    only_u = ta.call(at.TA_ARITH_CMD_EXTENDED_GCD, x, y, flags=at.TA_ARITH_FLAG_NULL_2)
    assert only_u.values == [2, -9]
    assert ta.call(at.TA_ARITH_CMD_EXTENDED_GCD, 0, 0).values[0] == 0


# --------------------------------------------------------------- primality


def _small_primes(limit: int) -> set[int]:
    sieve = bytearray([1]) * limit
    sieve[:2] = b"\0\0"
    for p in range(2, math.isqrt(limit) + 1):
        if sieve[p]:
            sieve[p * p :: p] = bytes(len(range(p * p, limit, p)))
    return {i for i in range(limit) if sieve[i]}


def test_probable_prime_is_exact_below_600(ta: ArithTA) -> None:
    primes = _small_primes(600)
    for x in range(600):
        want = x in primes
        assert ta.call(at.TA_ARITH_CMD_IS_PROBABLE_PRIME, x, arg=80).a == want, x


@pytest.fixture(scope="module")
def rsa_primes() -> tuple[int, int]:
    numbers = rsa.generate_private_key(65537, 2048).private_numbers()
    return numbers.p, numbers.q


MERSENNE_PRIMES = [2**127 - 1, 2**521 - 1, 2**607 - 1, 2**1279 - 1]
COMPOSITES = [
    561,  # Carmichael numbers
    41041,
    825265,
    2047,  # strong pseudoprimes to base 2
    3215031751,  # ... to bases 2, 3, 5 and 7
    2**1277 - 1,  # composite, no factor known
    2**2048 - 1,
    (2**127 - 1) * (2**521 - 1),
]


@pytest.mark.parametrize("level", [0, 200, 256])
def test_probable_prime_tells_primes_from_composites(
    ta: ArithTA, rsa_primes: tuple[int, int], level: int
) -> None:
    p, q = rsa_primes
    for prime in [*MERSENNE_PRIMES, p, -q]:
        assert s32(ta.call(at.TA_ARITH_CMD_IS_PROBABLE_PRIME, prime, arg=level).a) == 1
    for composite in [*COMPOSITES, p * q, -(p * 3)]:
        got = s32(ta.call(at.TA_ARITH_CMD_IS_PROBABLE_PRIME, composite, arg=level).a)
        assert got == 0, composite


def test_probable_prime_cannot_tell_beyond_its_confidence(ta: ArithTA) -> None:
    for level in (257, 0xFFFFFFFF):
        got = ta.call(at.TA_ARITH_CMD_IS_PROBABLE_PRIME, 2**521 - 1, arg=level).a
        assert s32(got) == -1
        assert ta.call(at.TA_ARITH_CMD_IS_PROBABLE_PRIME, 561, arg=level).a == 0


# ---------------------------------------------------------------------- FMM


@pytest.mark.parametrize(
    "flags", [0, at.TA_ARITH_FLAG_OLD_CONTEXT], ids=["1.3.1", "old"]
)
def test_fmm_round_trip_and_product(ta: ArithTA, flags: int) -> None:
    rng = random.Random(13)
    for _ in range(CASES):
        n = modulus(rng)
        x, y = operand(rng), operand(rng)
        reply = ta.call(at.TA_ARITH_CMD_FMM, x, y, n, flags=flags)
        assert reply.values == [x % n, x * y % n], (x, y, n)
        assert reply.a == (n.bit_length() + 31) // 32 + 2  # TEE_BigIntSizeInU32
        assert reply.b >= 1


# --------------------------------------------------- sizes and large values


def test_max_big_int_size_property_and_init_limits(ta: ArithTA) -> None:
    reply = ta.call(at.TA_ARITH_CMD_INIT, arg=(MAX_BITS + 31) // 32 + 2)
    assert reply == ([0], 0, MAX_BITS)
    for words in (2, MAX_BITS // 4):  # OP-TEE's limit: maxBigIntSize / 4 words
        assert ta.call(at.TA_ARITH_CMD_INIT, arg=words).values == [0]


def test_largest_operands_and_results(ta: ArithTA) -> None:
    big = 2 ** (8 * at.TA_ARITH_MAX_BYTES) - 1
    assert ta.value(at.TA_ARITH_CMD_NEG, big, bits=at.TA_ARITH_MAX_BITS) == -big
    top = 2**MAX_BITS - 1
    assert ta.value(at.TA_ARITH_CMD_SQUARE, -top, bits=2 * MAX_BITS) == top * top
    assert ta.value(at.TA_ARITH_CMD_ADD, top, top, bits=MAX_BITS + 1) == 2 * top


def test_results_fill_their_destination_exactly(ta: ArithTA) -> None:
    assert ta.value(at.TA_ARITH_CMD_ADD, 2**63, 2**63 - 1, bits=64) == 2**64 - 1
    assert ta.value(at.TA_ARITH_CMD_SUB, 5, 5, bits=0) == 0


def test_results_are_complete_when_the_output_is_short(ta: ArithTA) -> None:
    with pytest.raises(ShortBuffer) as info:
        ta.session.invoke(
            at.TA_ARITH_CMD_MUL,
            TempIn(at.encode(2**100, 3)),
            TempOut(4),
            ValueIn(256, 0),
            ValueInOut(0, 0),
        )
    assert info.value.required_size == 5 + 13


@pytest.mark.parametrize(
    "raw",
    [
        b"\x00\x00\x00",  # header cut short
        b"\x02\x00\x00\x00\x00",  # sign neither 0 nor 1
        b"\x00\x00\x00\x00\x05\x01",  # magnitude cut short
        at.encode(1) + b"\x00",  # trailing octet
        at.encode(1, 2),  # NEG takes one operand
        b"\x00" + (at.TA_ARITH_MAX_BYTES + 1).to_bytes(4, "big") + b"\x01" * 2041,
    ],
)
def test_malformed_operands_are_refused(ta: ArithTA, raw: bytes) -> None:
    with pytest.raises(BadParameters):
        ta.call(at.TA_ARITH_CMD_NEG, raw=raw)


# ------------------------------------------------------------------ panics

PANICS = {
    "div_by_zero": (at.TA_ARITH_CMD_DIV, (5, 0), at.DEFAULT_BITS, 0),
    "div_zero_by_zero": (at.TA_ARITH_CMD_DIV, (0, 0), at.DEFAULT_BITS, 0),
    "mod_by_one": (at.TA_ARITH_CMD_MOD, (5, 1), at.DEFAULT_BITS, 0),
    "mod_by_zero": (at.TA_ARITH_CMD_MOD, (5, 0), at.DEFAULT_BITS, 0),
    "mod_by_negative": (at.TA_ARITH_CMD_MOD, (5, -7), at.DEFAULT_BITS, 0),
    "add_mod_by_one": (at.TA_ARITH_CMD_ADD_MOD, (1, 2, 1), at.DEFAULT_BITS, 0),
    "sub_mod_by_zero": (at.TA_ARITH_CMD_SUB_MOD, (1, 2, 0), at.DEFAULT_BITS, 0),
    "mul_mod_by_negative": (at.TA_ARITH_CMD_MUL_MOD, (1, 2, -3), at.DEFAULT_BITS, 0),
    "square_mod_by_one": (at.TA_ARITH_CMD_SQUARE_MOD, (3, 1), at.DEFAULT_BITS, 0),
    "inv_mod_of_zero": (at.TA_ARITH_CMD_INV_MOD, (0, 7), at.DEFAULT_BITS, 0),
    "inv_mod_without_inverse": (at.TA_ARITH_CMD_INV_MOD, (6, 9), at.DEFAULT_BITS, 0),
    "inv_mod_by_one": (at.TA_ARITH_CMD_INV_MOD, (3, 1), at.DEFAULT_BITS, 0),
    "exp_mod_by_two": (at.TA_ARITH_CMD_EXP_MOD, (3, 5, 2), at.DEFAULT_BITS, 0),
    "exp_mod_by_zero": (at.TA_ARITH_CMD_EXP_MOD, (3, 5, 0), at.DEFAULT_BITS, 0),
    "exp_mod_negative_exponent": (
        at.TA_ARITH_CMD_EXP_MOD,
        (3, -1, 7),
        at.DEFAULT_BITS,
        0,
    ),
    "fmm_by_one": (at.TA_ARITH_CMD_FMM, (3, 4, 1), at.DEFAULT_BITS, 0),
    "add_overflows": (at.TA_ARITH_CMD_ADD, (2**64 - 1, 1), 64, 0),
    "mul_overflows": (at.TA_ARITH_CMD_MUL, (2**40, 2**40), 64, 0),
    "neg_overflows": (at.TA_ARITH_CMD_NEG, (2**40,), 32, 0),
    "from_s32_overflows": (at.TA_ARITH_CMD_FROM_S32, (), 0, 1),
    "gcd_overflows": (at.TA_ARITH_CMD_EXTENDED_GCD, (2**90, 2**90), 64, 0),
    "div_quotient_overflows": (at.TA_ARITH_CMD_DIV, (2**90, 3), 64, 0),
    "shift_overflows": (at.TA_ARITH_CMD_SHIFT_RIGHT, (2**90,), 32, 0),
    "init_above_512_words": (
        at.TA_ARITH_CMD_INIT,
        (),
        at.DEFAULT_BITS,
        MAX_BITS // 4 + 1,
    ),
    "init_below_header": (at.TA_ARITH_CMD_INIT, (), at.DEFAULT_BITS, 1),
}


@pytest.mark.parametrize("case", PANICS.values(), ids=PANICS.keys())
def test_misuse_panics(
    ta: ArithTA, case: tuple[int, tuple[int, ...], int, int]
) -> None:
    cmd, operands, bits, arg = case
    with pytest.raises(TargetDead):
        ta.call(cmd, *operands, bits=bits, arg=arg)
