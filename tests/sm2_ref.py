"""SM2 in plain Python: an oracle for the SM2 tests, independent of OpenSSL.

``cryptography`` has no SM2, so the tests check the TA against this
straightforward transcription of GM/T 0003 (GB/T 32918) on the curve of
GM/T 0003.5: signatures over a given e (part 2), encryption with the
C1 || C2 || C3 layout OP-TEE uses (part 4) and key exchange (part 3).
SM3 comes from ``hashlib`` (OpenSSL's, an implementation separate from the
TA's SM2 code).  Affine arithmetic with Python integers: slow, but a few
milliseconds per operation, and easy to read against the standard.
"""

from __future__ import annotations

import hashlib
import secrets

# GM/T 0003.5: the recommended 256-bit curve y^2 = x^3 + ax + b over F_p
P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0
G = (GX, GY)

Point = tuple[int, int] | None  # None is the point at infinity


def add(p1: Point, p2: Point) -> Point:
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2 and (y1 + y2) % P == 0:
        return None
    if p1 == p2:
        lam = (3 * x1 * x1 + A) * pow(2 * y1, -1, P) % P
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (lam * lam - x1 - x2) % P
    return x3, (lam * (x1 - x3) - y1) % P


def mul(k: int, pt: Point) -> Point:
    result: Point = None
    while k:
        if k & 1:
            result = add(result, pt)
        pt = add(pt, pt)
        k >>= 1
    return result


def on_curve(pt: Point) -> bool:
    if pt is None:
        return False
    x, y = pt
    return (y * y - (x * x * x + A * x + B)) % P == 0


def i2b(v: int) -> bytes:
    return v.to_bytes(32, "big")


def sm3(*parts: bytes) -> bytes:
    h = hashlib.new("sm3")
    for part in parts:
        h.update(part)
    return h.digest()


def kdf(z: bytes, klen: int) -> bytes:
    """GM/T 0003.3 5.4.3: SM3(Z || ct) for ct = 1, 2, ..., cut to klen bytes."""
    out = b""
    ct = 1
    while len(out) < klen:
        out += sm3(z, ct.to_bytes(4, "big"))
        ct += 1
    return out[:klen]


def keypair() -> tuple[int, Point]:
    d = secrets.randbelow(N - 2) + 1
    return d, mul(d, G)


def z_value(ident: bytes, pub: Point) -> bytes:
    """Z = SM3(ENTL || ID || a || b || xG || yG || x || y)."""
    assert pub is not None
    entl = (len(ident) * 8).to_bytes(2, "big")
    return sm3(entl, ident, i2b(A), i2b(B), i2b(GX), i2b(GY), i2b(pub[0]), i2b(pub[1]))


def sign(d: int, e: bytes) -> bytes:
    """Part 2, 6.1 from step A3: r || s over the hash value e."""
    ev = int.from_bytes(e, "big")
    while True:
        k = secrets.randbelow(N - 1) + 1
        pt = mul(k, G)
        assert pt is not None
        r = (ev + pt[0]) % N
        if r == 0 or r + k == N:
            continue
        s = pow(1 + d, -1, N) * (k - r * d) % N
        if s:
            return i2b(r) + i2b(s)


def verify(pub: Point, e: bytes, sig: bytes) -> bool:
    """Part 2, 7.1 from step B1."""
    r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
    if len(sig) != 64 or not (0 < r < N and 0 < s < N):
        return False
    t = (r + s) % N
    if t == 0:
        return False
    pt = add(mul(s, G), mul(t, pub))
    return pt is not None and (int.from_bytes(e, "big") + pt[0]) % N == r


def encrypt(pub: Point, msg: bytes) -> bytes:
    """Part 4, 6.1: C1 || C2 || C3 with C1 = 04 || x1 || y1."""
    while True:
        k = secrets.randbelow(N - 1) + 1
        c1 = mul(k, G)
        shared = mul(k, pub)
        assert c1 is not None and shared is not None
        x2, y2 = i2b(shared[0]), i2b(shared[1])
        t = kdf(x2 + y2, len(msg))
        if any(t):
            break
    c2 = bytes(m ^ k_ for m, k_ in zip(msg, t))
    return b"\x04" + i2b(c1[0]) + i2b(c1[1]) + c2 + sm3(x2, msg, y2)


def decrypt(d: int, ct: bytes) -> bytes:
    """Part 4, 7.1; raises ValueError for a ciphertext that does not check."""
    c1 = (int.from_bytes(ct[1:33], "big"), int.from_bytes(ct[33:65], "big"))
    if ct[0] != 4 or not on_curve(c1):
        raise ValueError("C1 is not a point of the curve")
    shared = mul(d, c1)
    assert shared is not None
    x2, y2 = i2b(shared[0]), i2b(shared[1])
    c2, c3 = ct[65:-32], ct[-32:]
    msg = bytes(c ^ k_ for c, k_ in zip(c2, kdf(x2 + y2, len(c2))))
    if sm3(x2, msg, y2) != c3:
        raise ValueError("C3 does not match")
    return msg


def _xbar(pt: Point) -> int:
    assert pt is not None
    w = 127  # ceil(ceil(log2(N)) / 2) - 1
    return (1 << w) + (pt[0] & ((1 << w) - 1))


def key_exchange(
    initiator: bool,
    d: int,
    pub: Point,
    r: int,
    eph: Point,
    peer_pub: Point,
    peer_eph: Point,
    id_init: bytes,
    id_resp: bytes,
    klen: int,
) -> tuple[bytes, bytes, bytes]:
    """Part 3, 6.1 for either side: (K, our S, the S expected from the peer).

    The initiator sends S_A = S(03) and expects S_B = S(02); the responder
    the reverse.
    """
    t = (d + _xbar(eph) * r) % N
    u = mul(t, add(peer_pub, mul(_xbar(peer_eph), peer_eph)))
    assert u is not None
    za = z_value(id_init, pub if initiator else peer_pub)
    zb = z_value(id_resp, peer_pub if initiator else pub)
    xu, yu = i2b(u[0]), i2b(u[1])
    key = kdf(xu + yu + za + zb, klen)
    e1, e2 = (eph, peer_eph) if initiator else (peer_eph, eph)
    assert e1 is not None and e2 is not None
    inner = sm3(xu, za, zb, i2b(e1[0]), i2b(e1[1]), i2b(e2[0]), i2b(e2[1]))

    def s(flag: int) -> bytes:
        return sm3(bytes([flag]), yu, inner)

    return (key, s(3), s(2)) if initiator else (key, s(2), s(3))
