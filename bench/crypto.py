"""Cryptography through the GP Internal Core API in a TA, beside OpenSSL.

Run as ``python bench/crypto.py`` from a checkout.  In one run it:

1. builds the software TEE with ``make -C csrc`` into a temporary folder
   (``--native DIR`` uses an already built or installed tree instead); the
   benchmark TA is ``csrc/ta/bench_crypto``;
2. compiles ``bench/crypto_openssl.c`` (the same operations on OpenSSL's
   EVP API, in-process) with gcc into the temporary folder;
3. starts its own ``teed`` in fresh runtime and data folders, opens one
   session on the benchmark TA (which makes its keys and operations once)
   and allocates one 1 MiB shared memory block of random bytes, passed to
   every 1 MiB command as ``MEMREF_WHOLE`` (mapped once, never copied);
4. measures three operations, each ``--rounds`` times:

   ``aes_gcm_1mib``     AES-256-GCM encryption of 1 MiB (a fresh nonce each
                        time: ``TEE_AEInit`` + ``TEE_AEEncryptFinal``);
   ``sha256_1mib``      SHA-256 of 1 MiB (``TEE_ResetOperation`` +
                        ``TEE_DigestDoFinal``);
   ``ecdsa_p256_sign``  ECDSA P-256 signature of a 32-byte digest
                        (``TEE_AsymmetricSignDigest``);

   in a round, per operation, the TA figure is the wall time of one invoke
   that runs N iterations in the TA, divided by N (the invoke itself is
   not subtracted); the OpenSSL figure is what ``crypto_openssl`` times
   around its own N iterations (setup excluded on both sides).  The two
   take turns going first from one round to the next.  The invoke
   overhead, an invoke of the same command with N = 0, is measured too
   and reported as a share of the N-iteration invoke;
5. checks the last result of every TA invoke (tag, digest, signature)
   against ``hashlib`` and ``cryptography``, so that a broken TA cannot
   pass for a fast one (``crypto_openssl`` checks its own);
6. stops its daemon and removes its folders.

Figures are the median over rounds.  The ratio is the median over rounds
of each round's TA / OpenSSL (the two figures of a round are taken back
to back, so the ratio cancels what the machine's load did between rounds;
the ratio of the medians and of the minimums are printed beside it).  The
target is a ratio of at most 1.3 for each operation.
Human-readable lines come first, then the targets with PASS or FAIL,
then, as the last line, one JSON object whose first keys are
``aes_gcm_1mib_ta_us``, ``aes_gcm_1mib_openssl_us``, ``sha256_1mib_ta_us``,
``sha256_1mib_openssl_us``, ``ecdsa_p256_sign_ta_us``,
``ecdsa_p256_sign_openssl_us`` and the three ``*_ratio``.  ``--check``
exits 1 when a target fails.  Results are recorded in
``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CSRC = ROOT / "csrc"
CFLAGS = ["-std=c11", "-D_GNU_SOURCE", "-O2", "-Wall", "-Wextra", "-Werror"]

# Mirrors csrc/ta/bench_crypto/include/bench_crypto_ta.h.
TA_BENCH_CRYPTO_UUID = "5a918877-84a9-4da1-8a96-588c97a7679b"
TA_BENCH_CRYPTO_MAX_DATA = 1024 * 1024
TA_BENCH_CRYPTO_NONCE_SIZE = 12
TA_BENCH_CRYPTO_TAG_SIZE = 16
TA_BENCH_CRYPTO_CMD_KEYS = 0
TA_BENCH_CRYPTO_CMD_AES_GCM = 1
TA_BENCH_CRYPTO_CMD_SHA256 = 2
TA_BENCH_CRYPTO_CMD_ECDSA_SIGN = 3

DATA_SIZE = 1024 * 1024
DIGEST_SIZE = 32
TARGET_RATIO = 1.3
# Invokes of 0 iterations whose median is the invoke overhead.
OVERHEAD_CALLS = 21


@dataclass(frozen=True)
class Operation:
    key: str  # the JSON key prefix
    label: str
    command: int
    openssl: str  # crypto_openssl's OP
    result_size: int  # bytes of the last result the TA gives
    data_size: int  # bytes of input: MB/s is shown for the 1 MiB ones


OPERATIONS = [
    Operation(
        "aes_gcm_1mib",
        "AES-256-GCM encrypt, 1 MiB",
        TA_BENCH_CRYPTO_CMD_AES_GCM,
        "aes_gcm",
        TA_BENCH_CRYPTO_NONCE_SIZE + TA_BENCH_CRYPTO_TAG_SIZE,
        DATA_SIZE,
    ),
    Operation(
        "sha256_1mib",
        "SHA-256, 1 MiB",
        TA_BENCH_CRYPTO_CMD_SHA256,
        "sha256",
        DIGEST_SIZE,
        DATA_SIZE,
    ),
    Operation(
        "ecdsa_p256_sign",
        "ECDSA P-256 sign, 32-byte digest",
        TA_BENCH_CRYPTO_CMD_ECDSA_SIGN,
        "ecdsa_sign",
        64,
        DIGEST_SIZE,
    ),
]


# --------------------------------------------------------------------------
# Checking what the TA computed


@dataclass(frozen=True)
class Keys:
    aes: bytes
    x: bytes
    y: bytes


class Verifier:
    """Checks the last result of a TA invoke with ``hashlib``/``cryptography``."""

    def __init__(self, keys: Keys, data: bytes, digest: bytes) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec

        self._aes_key = keys.aes
        self._public = ec.EllipticCurvePublicNumbers(
            int.from_bytes(keys.x, "big"), int.from_bytes(keys.y, "big"), ec.SECP256R1()
        ).public_key()
        self._data = data
        self._digest = digest

    def check(self, op: Operation, result: bytes) -> None:
        if len(result) != op.result_size:
            raise RuntimeError(
                "%s: the TA gave %d bytes, not %d"
                % (op.key, len(result), op.result_size)
            )
        if op.command == TA_BENCH_CRYPTO_CMD_AES_GCM:
            self._check_gcm(result)
        elif op.command == TA_BENCH_CRYPTO_CMD_SHA256:
            if result != hashlib.sha256(self._data).digest():
                raise RuntimeError("sha256_1mib: the TA's digest is wrong")
        else:
            self._check_signature(result)

    def _check_gcm(self, result: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = result[:TA_BENCH_CRYPTO_NONCE_SIZE]
        tag = result[TA_BENCH_CRYPTO_NONCE_SIZE:]
        expected = AESGCM(self._aes_key).encrypt(nonce, self._data, None)
        if expected[-TA_BENCH_CRYPTO_TAG_SIZE:] != tag:
            raise RuntimeError("aes_gcm_1mib: the TA's tag is wrong")

    def _check_signature(self, result: bytes) -> None:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec, utils

        half = len(result) // 2
        der = utils.encode_dss_signature(
            int.from_bytes(result[:half], "big"), int.from_bytes(result[half:], "big")
        )
        try:
            self._public.verify(
                der, self._digest, ec.ECDSA(utils.Prehashed(hashes.SHA256()))
            )
        except InvalidSignature:
            raise RuntimeError("ecdsa_p256_sign: the TA's signature is wrong") from None


# --------------------------------------------------------------------------
# The driver


@dataclass
class Round:
    ta_us: dict[str, float] = field(default_factory=dict)
    openssl_us: dict[str, float] = field(default_factory=dict)


@dataclass
class Bench:
    native: Path
    openssl_tool: Path
    base: Path
    iterations: dict[str, int]
    cpu: int | None
    env: dict[str, str] = field(default_factory=dict)
    started: bool = False

    @property
    def teed(self) -> Path:
        return self.native / "libexec" / "teed"

    @property
    def library(self) -> Path:
        return self.native / "lib" / "libteec.so.2"

    def start(self) -> None:
        """Fresh folders and a daemon (pinned with --cpu: TA hosts inherit it)."""
        env = dict(os.environ)
        for variable in ("PYTEE_TEED", "PYTEE_TAHOST", "PYTEE_LIBTEEC"):
            env.pop(variable, None)
        runtime = self.base / "run"
        data = self.base / "data"
        for folder in (runtime, data):
            folder.mkdir(mode=0o700)
        env["PYTEE_RUNTIME_DIR"] = str(runtime)
        env["PYTEE_DATA_DIR"] = str(data)
        env["PYTEE_TA_PATH"] = str(self.native / "ta")
        env["PYTEE_LIBTEEC"] = str(self.library)
        self.env = env
        # libteec, loaded in this process, reads the same variables.
        for name in ("PYTEE_RUNTIME_DIR", "PYTEE_DATA_DIR", "PYTEE_TA_PATH"):
            os.environ[name] = env[name]
        cpu = self.cpu
        subprocess.run(
            [str(self.teed), "--daemon"],
            env=env,
            check=True,
            timeout=30,
            preexec_fn=None if cpu is None else lambda: os.sched_setaffinity(0, {cpu}),
        )
        self.started = True

    def stop(self) -> None:
        if self.started:
            subprocess.run(
                [str(self.teed), "--stop"],
                env=self.env,
                capture_output=True,
                timeout=30,
                check=False,
            )
            self.started = False

    def openssl(self, op: Operation) -> float:
        """Microseconds per operation, timed by crypto_openssl itself."""
        command = [str(self.openssl_tool), "-s", str(DATA_SIZE)]
        if self.cpu is not None:
            command += ["-c", str(self.cpu)]
        command += [op.openssl, str(self.iterations[op.key])]
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=600, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(
                "%s failed (exit %d): %s"
                % (" ".join(command), result.returncode, result.stderr.strip())
            )
        figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
        return float(figures[op.openssl]["per_op_us"])


class TaClient:
    """The benchmark TA's session, its shared block and the checks."""

    def __init__(self, bench: Bench, stack: Any) -> None:
        import pytee

        self._pytee = pytee
        context = stack.enter_context(pytee.Context(lib=str(bench.library)))
        self.session = stack.enter_context(context.open_session(TA_BENCH_CRYPTO_UUID))
        self.shm = stack.enter_context(
            context.allocate_shared_memory(DATA_SIZE, pytee.MemFlag.INPUT)
        )
        self.data = secrets.token_bytes(DATA_SIZE)
        self.shm.buffer[:] = self.data
        self.digest = secrets.token_bytes(DIGEST_SIZE)
        aes, x, y = self.session.invoke(
            TA_BENCH_CRYPTO_CMD_KEYS,
            pytee.TempOut(32),
            pytee.TempOut(32),
            pytee.TempOut(32),
        )
        self.verifier = Verifier(
            Keys(bytes(aes), bytes(x), bytes(y)), self.data, self.digest
        )

    def invoke(self, op: Operation, iterations: int) -> tuple[int, bytes]:
        """One invoke of ``iterations``: its wall time (ns) and last result."""
        pytee = self._pytee
        source = (
            pytee.Whole(self.shm)
            if op.data_size == DATA_SIZE
            else pytee.TempIn(self.digest)
        )
        params = (source, pytee.ValueIn(iterations), pytee.TempOut(op.result_size))
        clock = time.perf_counter_ns
        start = clock()
        (result,) = self.session.invoke(op.command, *params)
        elapsed = clock() - start
        return elapsed, bytes(result)

    def timed(self, op: Operation, iterations: int) -> float:
        """Microseconds per operation over one checked invoke."""
        elapsed, result = self.invoke(op, iterations)
        self.verifier.check(op, result)
        return elapsed / iterations / 1000.0

    def overhead_us(self, op: Operation) -> float:
        """The median wall time of an invoke that runs no iteration."""
        samples = []
        for _ in range(OVERHEAD_CALLS):
            elapsed, result = self.invoke(op, 0)
            if result:
                raise RuntimeError("%s: 0 iterations gave a result" % op.key)
            samples.append(elapsed / 1000.0)
        return statistics.median(samples)


# --------------------------------------------------------------------------
# Building, reporting


def build(native: Path | None, into: Path) -> Path:
    if native is not None:
        return native.resolve()
    out = into / "build"
    subprocess.run(
        ["make", "-s", "-C", str(CSRC), "-j2", "O=%s" % out],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


def compile_openssl_tool(into: Path) -> Path:
    gcc = shutil.which("gcc")
    if gcc is None:
        raise SystemExit("bench/crypto.py: gcc is needed to build crypto_openssl.c")
    libs = subprocess.run(
        ["pkg-config", "--cflags", "--libs", "libcrypto"],
        capture_output=True,
        text=True,
        check=False,
    )
    flags = libs.stdout.split() if libs.returncode == 0 else ["-lcrypto"]
    tool = into / "crypto_openssl"
    subprocess.run(
        [gcc, *CFLAGS, "-o", str(tool), str(BENCH / "crypto_openssl.c"), *flags],
        check=True,
    )
    return tool


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def loadavg() -> str:
    try:
        with open("/proc/loadavg", encoding="utf-8") as load:
            return " ".join(load.read().split()[:3])
    except OSError:
        return "unknown"


def openssl_version() -> str:
    found = subprocess.run(
        ["openssl", "version"], capture_output=True, text=True, check=False
    )
    return found.stdout.strip() if found.returncode == 0 else "unknown"


@contextmanager
def workspace() -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="pytee-bench-crypto-"))
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def mb_per_s(op: Operation, us: float) -> str:
    if op.data_size != DATA_SIZE:
        return ""
    return "  (%7.1f MB/s)" % (op.data_size / us)


def measure(
    bench: Bench, rounds: int
) -> tuple[list[Round], dict[str, float], dict[str, float]]:
    """The rounds, the invoke overheads (us) and their share of an invoke (%)."""
    from contextlib import ExitStack

    with ExitStack() as stack:
        client = TaClient(bench, stack)
        # Warm-up: the first invoke maps the block in the TA host.
        for op in OPERATIONS:
            client.timed(op, max(1, bench.iterations[op.key] // 20))
        overheads = {op.key: client.overhead_us(op) for op in OPERATIONS}
        results = []
        for number in range(rounds):
            current = Round()
            for op in OPERATIONS:
                n = bench.iterations[op.key]
                if number % 2 == 0:
                    current.ta_us[op.key] = client.timed(op, n)
                    current.openssl_us[op.key] = bench.openssl(op)
                else:
                    current.openssl_us[op.key] = bench.openssl(op)
                    current.ta_us[op.key] = client.timed(op, n)
            results.append(current)
    shares = {
        op.key: 100.0
        * overheads[op.key]
        / (
            statistics.median(r.ta_us[op.key] for r in results)
            * bench.iterations[op.key]
        )
        for op in OPERATIONS
    }
    return results, overheads, shares


def drive(args: argparse.Namespace) -> int:
    began = time.monotonic()
    iterations = {
        "aes_gcm_1mib": args.aes_iterations,
        "sha256_1mib": args.sha_iterations,
        "ecdsa_p256_sign": args.ecdsa_iterations,
    }
    machine: dict[str, Any] = {
        "nproc": os.cpu_count() or 0,
        "cpu_model": cpu_model(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "openssl": openssl_version(),
    }
    print(
        "pytee crypto benchmark: %d rounds; iterations per invoke: %s"
        % (args.rounds, ", ".join("%s %d" % item for item in iterations.items()))
    )
    print(
        "machine: nproc %(nproc)d, %(cpu_model)s, Linux %(kernel)s,"
        " Python %(python)s, %(openssl)s" % machine
    )
    print("pinned to CPU: %s" % ("none" if args.cpu is None else args.cpu))
    load_before = loadavg()
    with workspace() as base:
        native = build(args.native, base)
        print("native tree: %s" % (native if args.native else "built afresh"))
        bench = Bench(native, compile_openssl_tool(base), base, iterations, args.cpu)
        try:
            bench.start()
            rounds, overheads, shares = measure(bench, args.rounds)
        finally:
            bench.stop()
    out: dict[str, Any] = {}
    ratios: dict[str, float] = {}
    print("per operation, median of %d rounds (min in brackets):" % args.rounds)
    for op in OPERATIONS:
        ta = [r.ta_us[op.key] for r in rounds]
        ossl = [r.openssl_us[op.key] for r in rounds]
        ta_med = statistics.median(ta)
        ossl_med = statistics.median(ossl)
        # each round's two figures were taken back to back: their ratio
        # cancels what the machine's load did between rounds
        ratios[op.key] = statistics.median(t / o for t, o in zip(ta, ossl))
        out[op.key + "_ta_us"] = round(ta_med, 3)
        out[op.key + "_openssl_us"] = round(ossl_med, 3)
        print("  %s" % op.label)
        print(
            "    TA (GP API)     %10.2f us [%10.2f]%s"
            % (ta_med, min(ta), mb_per_s(op, ta_med))
        )
        print(
            "    OpenSSL direct  %10.2f us [%10.2f]%s"
            % (ossl_med, min(ossl), mb_per_s(op, ossl_med))
        )
        print(
            "    ratio %.3f (of medians %.3f, of mins %.3f); invoke overhead"
            " %.1f us = %.3f%% of the %d-iteration invoke"
            % (
                ratios[op.key],
                ta_med / ossl_med,
                min(ta) / min(ossl),
                overheads[op.key],
                shares[op.key],
                iterations[op.key],
            )
        )
        print(
            "    rounds TA: %s; OpenSSL: %s"
            % (", ".join("%.1f" % v for v in ta), ", ".join("%.1f" % v for v in ossl))
        )
    for op in OPERATIONS:
        out[op.key + "_ratio"] = round(ratios[op.key], 4)
    print("load average: %s before, %s after" % (load_before, loadavg()))
    targets = {op.key: ratios[op.key] <= TARGET_RATIO for op in OPERATIONS}
    print("targets (TA within %.1fx of direct OpenSSL):" % TARGET_RATIO)
    for op in OPERATIONS:
        print(
            "  %s  %s: %.3fx"
            % ("PASS" if targets[op.key] else "FAIL", op.key, ratios[op.key])
        )
    elapsed = time.monotonic() - began
    print("elapsed: %.1f s" % elapsed)
    out.update(
        {
            "targets": targets,
            "invoke_overhead_us": {k: round(v, 3) for k, v in overheads.items()},
            "invoke_overhead_pct": {k: round(v, 4) for k, v in shares.items()},
            "rounds_ta_us": {
                op.key: [round(r.ta_us[op.key], 3) for r in rounds] for op in OPERATIONS
            },
            "rounds_openssl_us": {
                op.key: [round(r.openssl_us[op.key], 3) for r in rounds]
                for op in OPERATIONS
            },
            "iterations": iterations,
            "rounds": args.rounds,
            "cpu": args.cpu,
            "machine": machine,
            "elapsed_s": round(elapsed, 1),
        }
    )
    print(json.dumps(out))
    return 1 if args.check and not all(targets.values()) else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--native",
        type=Path,
        help="a built or installed tree (lib/, libexec/, ta/);"
        " default: build csrc into a temporary folder",
    )
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--aes-iterations", type=int, default=200)
    parser.add_argument("--sha-iterations", type=int, default=100)
    parser.add_argument("--ecdsa-iterations", type=int, default=2000)
    parser.add_argument(
        "--cpu",
        type=int,
        help="pin teed (hence the TA host) and crypto_openssl to this CPU",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a target fails"
    )
    args = parser.parse_args(argv)
    counts = (args.rounds, args.aes_iterations, args.sha_iterations)
    if min(*counts, args.ecdsa_iterations) < 1:
        parser.error("--rounds and the iteration counts must be positive")
    return drive(args)


if __name__ == "__main__":
    sys.exit(main())
