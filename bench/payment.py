"""Purchases per second of the payment system, end to end.

Run as ``python bench/payment.py`` from a checkout where ``pip install -e
'.[test]'`` built the software TEE.  On a software TEE of its own
(:class:`pytee.isolated.IsolatedTee`, the installed TAs), a phone
(:class:`pytee.payment.phone.Phone`, the C payment TA behind it) enrols and
tops up once, then a POS terminal (:mod:`pytee.payment.pos`) buys ``--count``
times 0.01 CNY over the in-process transport: S2-S9 with every check of S8.

It prints the purchases per second, the p50 and p99 of one purchase, and
where the time of a purchase goes: each step the POS times (its crypto
steps apart from the card's answers), the time inside the phone (the CA and
the TA, measured around the card's ``process``), and of that the time in
the GPO and DEBIT invokes of the TA.  ``--cpu N`` pins this process (and so
the daemon and TA host it starts) to one CPU: the target is 1,000 purchases
per second on one core.  The last line is a JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from pytee import Context
from pytee.isolated import IsolatedTee
from pytee.payment.card import PhoneCard
from pytee.payment.demo import new_scheme
from pytee.payment.phone import Phone
from pytee.payment.transport import InProcessTransport

TARGET_PER_SECOND = 1000.0
# The POS's steps that are cryptography (pytee.payment.pos timings).
POS_CRYPTO_STEPS = (
    "verify_certificates",
    "verify_gpo",
    "hpke_open",
    "sign_debit",
    "verify_receipt",
)
NATIVE_TA = Path(__file__).resolve().parent.parent / "pytee" / "_native" / "ta"


class Yes:
    """A user who says yes to every prompt and reads no message."""

    def confirm(self, question: str) -> bool:
        return True

    def notify(self, message: str) -> None:
        return None


class TimedCard:
    """The phone's card, with the time spent inside it (CA and TA) summed."""

    def __init__(self, card: PhoneCard) -> None:
        self.card = card
        self.seconds = 0.0

    def process(self, apdu: bytes) -> bytes:
        start = time.perf_counter()
        try:
            return self.card.process(apdu)
        finally:
            self.seconds += time.perf_counter() - start


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


@dataclass
class Result:
    purchases_per_second: float
    p50_ms: float
    p99_ms: float
    pos_crypto_share: float  # of the purchases' time, the POS's crypto steps
    phone_share: float  # of the purchases' time, inside the phone (CA + TA)
    steps_ms_per_purchase: dict[str, float]
    count: int


def run(count: int, warmup: int) -> Result:
    scheme = new_scheme()
    with tempfile.TemporaryDirectory(prefix="pytee-bench-pay-") as root:
        tas = os.environ.get("PYTEE_TA_PATH", str(NATIVE_TA)).split(":")
        with IsolatedTee(root, ta_path=tas) as tee, Context() as context:
            with Phone(context, prompter=Yes()) as phone:
                phone.enrol(scheme.issuer, scheme.acquirer.certificate)
                phone.top_up(scheme.issuer, (count + warmup) * 100)
                timed = TimedCard(phone.card)
                transport = InProcessTransport(timed)
                for _ in range(warmup):
                    scheme.pos.purchase(transport, 1)
                timed.seconds = 0.0
                latencies: list[float] = []
                steps: dict[str, float] = {}
                began = time.perf_counter()
                for _ in range(count):
                    start = time.perf_counter()
                    purchase = scheme.pos.purchase(transport, 1)
                    latencies.append(time.perf_counter() - start)
                    for step, seconds in purchase.timings.items():
                        steps[step] = steps.get(step, 0.0) + seconds
                elapsed = time.perf_counter() - began
                phone_seconds = timed.seconds
            tee.stop()
    total = sum(latencies)
    pos_crypto = sum(steps.get(step, 0.0) for step in POS_CRYPTO_STEPS)
    return Result(
        purchases_per_second=count / elapsed,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        pos_crypto_share=pos_crypto / total,
        phone_share=phone_seconds / total,
        steps_ms_per_purchase={k: v / count * 1000 for k, v in steps.items()},
        count=count,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--cpu", type=int, help="pin everything to this CPU")
    parser.add_argument("--check", action="store_true", help="exit 1 below target")
    args = parser.parse_args(argv)
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    result = run(args.count, args.warmup)
    rate = result.purchases_per_second
    print("pytee payment benchmark: %d purchases, in-process link" % args.count)
    print("pinned to CPU %s" % args.cpu if args.cpu is not None else "not pinned")
    print("  purchases per second   %8.1f" % rate)
    print("  one purchase, p50      %8.2f ms" % result.p50_ms)
    print("  one purchase, p99      %8.2f ms" % result.p99_ms)
    print("  POS crypto share       %8.1f %%" % (100 * result.pos_crypto_share))
    print("  inside the phone       %8.1f %%" % (100 * result.phone_share))
    print("  per purchase, by POS step (ms):")
    for step, ms in result.steps_ms_per_purchase.items():
        print("    %-22s %7.3f" % (step, ms))
    ok = rate >= TARGET_PER_SECOND
    print(
        "target: %s  %.1f purchases/s >= %.0f"
        % ("PASS" if ok else "FAIL", rate, TARGET_PER_SECOND)
    )
    print(json.dumps({**asdict(result), "target_met": ok}))
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
