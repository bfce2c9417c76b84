"""The least a purchase can cost on this machine: its crypto and its syncs.

Run as ``python bench/payment_floor.py [--folder DIR]``.  A purchase of
docs/payment.md does, whoever does it and in whatever language, at least:

- ECDSA P-256: 3 signatures (the TA's GPO and receipt, the POS's DEBIT) and
  6 verifications (the TA: the terminal certificate and the DEBIT; the POS:
  the device and acquirer certificates, the GPO and the receipt);
- ECDH P-256: 1 key pair and 2 shared secrets (HPKE seal in the TA, open in
  the POS);
- 2 durable writes in the TA (the ATC before the GPO answer, the balance
  before the DEBIT answer), each at least one ``fdatasync``.

This times each of those alone, with OpenSSL through ``cryptography`` (the
same OpenSSL libtee uses), and ``write`` + ``fdatasync`` of 512 bytes in
place in a file of ``--folder`` (the TEE's data folder is under
``$TMPDIR`` by default, so is this).  The sum is a floor: no IPC, no
parsing, no storage crypto, nothing else.  The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

TARGET_PER_SECOND = 1000.0
PER_PURCHASE = {"sign": 3, "verify": 6, "keygen": 1, "ecdh": 2, "sync": 2}
MESSAGE = bytes(range(200))


def median_seconds(operation: Callable[[], object], rounds: int) -> float:
    """The median time of ``operation``, over ``rounds`` batches of 20."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(20):
            operation()
        samples.append((time.perf_counter() - start) / 20)
    return statistics.median(samples)


def crypto_operations() -> dict[str, Callable[[], object]]:
    curve = ec.SECP256R1()
    key = ec.generate_private_key(curve)
    peer = ec.generate_private_key(curve).public_key()
    signature = key.sign(MESSAGE, ec.ECDSA(hashes.SHA256()))
    public = key.public_key()
    return {
        "sign": lambda: key.sign(MESSAGE, ec.ECDSA(hashes.SHA256())),
        "verify": lambda: public.verify(signature, MESSAGE, ec.ECDSA(hashes.SHA256())),
        "keygen": lambda: ec.generate_private_key(curve),
        "ecdh": lambda: key.exchange(ec.ECDH(), peer),
    }


def sync_operation(fd: int) -> Callable[[], object]:
    block = os.urandom(512)

    def write_and_sync() -> None:
        os.pwrite(fd, block, 0)
        os.fdatasync(fd)

    return write_and_sync


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--folder", default=tempfile.gettempdir())
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    seconds = {
        name: median_seconds(operation, args.rounds)
        for name, operation in crypto_operations().items()
    }
    with tempfile.NamedTemporaryFile(dir=args.folder) as file:
        os.pwrite(file.fileno(), bytes(512), 0)
        os.fsync(file.fileno())
        seconds["sync"] = median_seconds(sync_operation(file.fileno()), args.rounds)
    floor = sum(seconds[name] * count for name, count in PER_PURCHASE.items())
    print("the least one purchase costs, one core (%s)" % args.folder)
    for name, count in PER_PURCHASE.items():
        print(
            "  %-7s %d x %7.1f us = %7.1f us"
            % (name, count, seconds[name] * 1e6, seconds[name] * count * 1e6)
        )
    print(
        "  floor          %7.1f us: at most %.0f purchases/s" % (floor * 1e6, 1 / floor)
    )
    verdict = "reachable" if 1 / floor >= TARGET_PER_SECOND else "UNREACHABLE"
    print("target %.0f/s: %s" % (TARGET_PER_SECOND, verdict))
    print(
        json.dumps(
            {
                "seconds": seconds,
                "per_purchase": PER_PURCHASE,
                "floor_seconds": floor,
                "max_purchases_per_second": 1 / floor,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
