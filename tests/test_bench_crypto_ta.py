"""The crypto benchmark TA (``csrc/ta/bench_crypto``) computes what it claims.

``bench/crypto.py`` times invokes of this TA that run N iterations of
AES-256-GCM, SHA-256 or ECDSA P-256 signing through the GP Internal Core
API; these tests check, against ``hashlib`` and ``cryptography``, that the
commands really compute those results (so the benchmark cannot time a
no-op), that N iterations are N operations, and that a key change on an
operation that has been used leaves nothing of the old key behind (libtee
keeps the EVP_PKEY and signing context of an operation between calls).
The constants below mirror ``include/bench_crypto_ta.h``; the first test
checks them, and those of ``bench/crypto.py``, against the header.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pytee import (
    BadParameters,
    Context,
    MemFlag,
    NotSupported,
    Session,
    SharedMemory,
    ShortBuffer,
    TempIn,
    TempOut,
    ValueIn,
    Whole,
)

ROOT = Path(__file__).resolve().parent.parent
TA_FOLDER = ROOT / "csrc" / "ta" / "bench_crypto"
HEADER = TA_FOLDER / "include" / "bench_crypto_ta.h"

TA_BENCH_CRYPTO_UUID = "5a918877-84a9-4da1-8a96-588c97a7679b"
TA_BENCH_CRYPTO_MAX_DATA = 1024 * 1024
TA_BENCH_CRYPTO_AES_KEY_BITS = 256
TA_BENCH_CRYPTO_EC_KEY_BITS = 256
TA_BENCH_CRYPTO_NONCE_SIZE = 12
TA_BENCH_CRYPTO_TAG_SIZE = 16
TA_BENCH_CRYPTO_CMD_KEYS = 0
TA_BENCH_CRYPTO_CMD_AES_GCM = 1
TA_BENCH_CRYPTO_CMD_SHA256 = 2
TA_BENCH_CRYPTO_CMD_ECDSA_SIGN = 3
TA_BENCH_CRYPTO_CMD_REKEY = 4
TA_BENCH_CRYPTO_REKEY_SET_KEY = 0
TA_BENCH_CRYPTO_REKEY_REALLOC = 1

GCM_RESULT = TA_BENCH_CRYPTO_NONCE_SIZE + TA_BENCH_CRYPTO_TAG_SIZE
SIGNATURE = 64
DIGEST = hashlib.sha256(b"pytee benchmarks ECDSA on this digest").digest()


# ---- the header and its mirrors ---------------------------------------------


def _header_defines() -> dict[str, int | str]:
    text = re.sub(r"/\*.*?\*/", " ", HEADER.read_text(), flags=re.DOTALL)
    text = re.sub(r"\\\n", " ", text)
    found: dict[str, int | str] = {}
    for name, value in re.findall(r"^#define\s+(TA_BENCH_\w+)\s+(.+)$", text, re.M):
        value = value.strip()
        if name.endswith("_UUID"):
            parts = [int(p, 16) for p in re.findall(r"0x[0-9a-fA-F]+", value)]
            raw = (
                parts[0].to_bytes(4, "big")
                + parts[1].to_bytes(2, "big")
                + parts[2].to_bytes(2, "big")
                + bytes(parts[3:])
            )
            found[name] = "%s-%s-%s-%s-%s" % (
                raw[:4].hex(),
                raw[4:6].hex(),
                raw[6:8].hex(),
                raw[8:10].hex(),
                raw[10:].hex(),
            )
        else:
            found[name] = _eval(ast.parse(value, mode="eval").body)
    return found


def _eval(node: ast.expr) -> int:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _eval(node.left) * _eval(node.right)
    raise ValueError("not an integer constant: %s" % ast.dump(node))


def _bench_mirror() -> dict[str, object]:
    """The TA_BENCH_* constants bench/crypto.py assigns (read, not run)."""
    tree = ast.parse((ROOT / "bench" / "crypto.py").read_text())
    found: dict[str, object] = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id.startswith("TA_BENCH_")
        ):
            value = node.value
            found[node.targets[0].id] = (
                value.value if isinstance(value, ast.Constant) else _eval(value)
            )
    return found


def test_constants_mirror_the_header() -> None:
    header = _header_defines()
    mine = {k: v for k, v in globals().items() if k.startswith("TA_BENCH_")}
    assert mine == header
    theirs = _bench_mirror()
    assert theirs, "bench/crypto.py mirrors no constant"
    assert theirs == {k: header[k] for k in theirs}
    binary = re.search(
        r"^BINARY\s*=\s*(\S+)", (TA_FOLDER / "Makefile").read_text(), re.M
    )
    assert binary is not None and binary.group(1) == TA_BENCH_CRYPTO_UUID


# ---- a session and its data ---------------------------------------------------


class Bench:
    """A session on the benchmark TA and a 1 MiB allocated input block."""

    def __init__(self, session: Session, shm: SharedMemory) -> None:
        self.session = session
        self.shm = shm
        self.data = os.urandom(TA_BENCH_CRYPTO_MAX_DATA)
        shm.buffer[:] = self.data

    def keys(self) -> tuple[bytes, ec.EllipticCurvePublicKey]:
        aes, x, y = self.session.invoke(
            TA_BENCH_CRYPTO_CMD_KEYS, TempOut(32), TempOut(32), TempOut(32)
        )
        public = ec.EllipticCurvePublicNumbers(
            int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1()
        ).public_key()
        return bytes(aes), public

    def gcm(self, n: int) -> tuple[bytes, bytes, bytes]:
        """n iterations on the block: the last nonce, tag and ciphertext."""
        result, ciphertext = self.session.invoke(
            TA_BENCH_CRYPTO_CMD_AES_GCM,
            Whole(self.shm),
            ValueIn(n),
            TempOut(GCM_RESULT),
            TempOut(TA_BENCH_CRYPTO_MAX_DATA),
        )
        return (
            bytes(result[:TA_BENCH_CRYPTO_NONCE_SIZE]),
            bytes(result[TA_BENCH_CRYPTO_NONCE_SIZE:]),
            bytes(ciphertext),
        )

    def sign(self, n: int = 1, digest: bytes = DIGEST) -> bytes:
        (signature,) = self.session.invoke(
            TA_BENCH_CRYPTO_CMD_ECDSA_SIGN,
            TempIn(digest),
            ValueIn(n),
            TempOut(SIGNATURE),
        )
        return bytes(signature)


@pytest.fixture
def bench(context: Context) -> Iterator[Bench]:
    with (
        context.open_session(TA_BENCH_CRYPTO_UUID) as session,
        context.allocate_shared_memory(TA_BENCH_CRYPTO_MAX_DATA, MemFlag.INPUT) as shm,
    ):
        yield Bench(session, shm)


def nonce(counter: int) -> bytes:
    return bytes(4) + counter.to_bytes(8, "big")


def verifies(
    public: ec.EllipticCurvePublicKey, signature: bytes, digest: bytes = DIGEST
) -> bool:
    der = utils.encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public.verify(der, digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
    except InvalidSignature:
        return False
    return True


# ---- what the commands compute ------------------------------------------------


def test_aes_gcm_encrypts_the_block_as_cryptography_does(bench: Bench) -> None:
    key, _ = bench.keys()
    assert len(key) == TA_BENCH_CRYPTO_AES_KEY_BITS // 8
    used, tag, ciphertext = bench.gcm(1)
    assert used == nonce(1)
    assert ciphertext + tag == AESGCM(key).encrypt(used, bench.data, None)


def test_aes_gcm_runs_n_iterations_each_with_a_new_nonce(bench: Bench) -> None:
    key, _ = bench.keys()
    used, tag, ciphertext = bench.gcm(5)
    assert used == nonce(5)
    used, tag, ciphertext = bench.gcm(3)
    assert used == nonce(8)
    assert AESGCM(key).decrypt(used, ciphertext + tag, None) == bench.data


def test_sha256_digests_the_block_and_short_inputs(bench: Bench) -> None:
    (digest,) = bench.session.invoke(
        TA_BENCH_CRYPTO_CMD_SHA256, Whole(bench.shm), ValueIn(4), TempOut(32)
    )
    assert digest == hashlib.sha256(bench.data).digest()
    for data in (b"", b"a", os.urandom(1000)):
        (digest,) = bench.session.invoke(
            TA_BENCH_CRYPTO_CMD_SHA256, TempIn(data), ValueIn(2), TempOut(32)
        )
        assert digest == hashlib.sha256(data).digest()


def test_ecdsa_signatures_verify_with_the_session_key(bench: Bench) -> None:
    _, public = bench.keys()
    first = bench.sign(1)
    last = bench.sign(7)
    assert verifies(public, first)
    assert verifies(public, last)
    assert first != last  # a fresh random k for each signature
    other = hashlib.sha256(b"another digest").digest()
    assert not verifies(public, first, other)
    assert verifies(public, bench.sign(1, other), other)


def test_zero_iterations_compute_nothing(bench: Bench) -> None:
    result, ciphertext = bench.session.invoke(
        TA_BENCH_CRYPTO_CMD_AES_GCM,
        Whole(bench.shm),
        ValueIn(0),
        TempOut(GCM_RESULT),
        TempOut(TA_BENCH_CRYPTO_MAX_DATA),
    )
    assert (bytes(result), bytes(ciphertext)) == (b"", b"")
    for command, data in (
        (TA_BENCH_CRYPTO_CMD_SHA256, Whole(bench.shm)),
        (TA_BENCH_CRYPTO_CMD_ECDSA_SIGN, TempIn(DIGEST)),
    ):
        (result,) = bench.session.invoke(command, data, ValueIn(0), TempOut(64))
        assert result == b""
    assert bench.gcm(1)[0] == nonce(1)  # no nonce was used


# ---- parameters ----------------------------------------------------------------


def test_short_outputs_get_the_size_needed_before_anything_runs(
    bench: Bench,
) -> None:
    with pytest.raises(ShortBuffer) as raised:
        bench.session.invoke(
            TA_BENCH_CRYPTO_CMD_AES_GCM,
            Whole(bench.shm),
            ValueIn(1),
            TempOut(GCM_RESULT - 1),
            TempOut(TA_BENCH_CRYPTO_MAX_DATA - 1),
        )
    assert raised.value.sizes[2:] == (GCM_RESULT, TA_BENCH_CRYPTO_MAX_DATA)
    for command, data, need in (
        (TA_BENCH_CRYPTO_CMD_SHA256, TempIn(b"abc"), 32),
        (TA_BENCH_CRYPTO_CMD_ECDSA_SIGN, TempIn(DIGEST), SIGNATURE),
    ):
        with pytest.raises(ShortBuffer) as raised:
            bench.session.invoke(command, data, ValueIn(1), TempOut(need - 1))
        assert raised.value.required_size == need
    assert bench.gcm(1)[0] == nonce(1)


def test_bad_parameters_are_refused(bench: Bench) -> None:
    too_long = TempIn(bytes(TA_BENCH_CRYPTO_MAX_DATA + 1))
    refused = [
        (TA_BENCH_CRYPTO_CMD_SHA256, (too_long, ValueIn(1))),
        (TA_BENCH_CRYPTO_CMD_SHA256, (TempIn(b"x"), ValueIn(1, 1))),
        (TA_BENCH_CRYPTO_CMD_SHA256, (ValueIn(1), TempIn(b"x"))),
        # only AES-GCM has a ciphertext to give in p3
        (
            TA_BENCH_CRYPTO_CMD_SHA256,
            (TempIn(b"x"), ValueIn(1), TempOut(32), TempOut(8)),
        ),
        (TA_BENCH_CRYPTO_CMD_KEYS, (TempOut(32), TempOut(32))),
        (TA_BENCH_CRYPTO_CMD_REKEY, (ValueIn(TA_BENCH_CRYPTO_REKEY_REALLOC + 1),)),
    ]
    for command, params in refused:
        with pytest.raises(BadParameters):
            bench.session.invoke(command, *params)
    with pytest.raises(NotSupported):
        bench.session.invoke(TA_BENCH_CRYPTO_CMD_REKEY + 1)


def test_open_session_takes_no_parameters(context: Context) -> None:
    with pytest.raises(BadParameters):
        context.open_session(TA_BENCH_CRYPTO_UUID, ValueIn(1))


# ---- a key change on a used operation -------------------------------------------


@pytest.mark.parametrize(
    "how",
    [TA_BENCH_CRYPTO_REKEY_SET_KEY, TA_BENCH_CRYPTO_REKEY_REALLOC],
    ids=["set-key", "realloc"],
)
def test_new_keys_replace_the_old_ones_on_used_operations(
    bench: Bench, how: int
) -> None:
    old_key, old_public = bench.keys()
    assert verifies(old_public, bench.sign(2))
    bench.gcm(1)
    bench.session.invoke(TA_BENCH_CRYPTO_CMD_REKEY, ValueIn(how))
    new_key, new_public = bench.keys()
    assert new_key != old_key
    assert new_public.public_numbers() != old_public.public_numbers()
    signature = bench.sign(2)
    assert verifies(new_public, signature)
    assert not verifies(old_public, signature)
    used, tag, ciphertext = bench.gcm(1)
    assert ciphertext + tag == AESGCM(new_key).encrypt(used, bench.data, None)
