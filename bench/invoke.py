"""Invoke latency of the software TEE, beside the machine's own limit.

Run as ``python bench/invoke.py`` from a checkout.  In one run it:

1. builds the software TEE (``make -C csrc``; ``--native DIR`` uses an
   already built or installed tree instead, such as ``pytee/_native``);
2. compiles the C helpers of this folder with gcc into a temporary folder:
   ``socket_rtt.c`` (a 64-byte ``SOCK_SEQPACKET`` ping-pong between two
   processes: the limit one invoke is made of) and ``invoke_bench.c`` (a C
   client built against the dev kit's TEEC export);
3. starts its own ``teed`` in fresh runtime and data folders and measures,
   under three schedulings of the two ends of each call:

   ``default``    nothing pinned: what users get (the headline figures);
   ``same-cpu``   client, ``teed`` and the TA host all on the first CPU;
   ``cross-cpu``  client on the first CPU, ``teed`` and the TA host on the
                  second (TA hosts inherit the CPUs of the ``teed`` that
                  spawns them);

   the socket round trip, a null invoke (``TA_TEST_CMD_NULL``) from C, from
   Python through ``pytee.Session.invoke`` and through the raw cffi layer,
   a null invoke from C into the Python twin of the test TA
   (``ta_python/test_ta.py``), a ``TA_TEST_CMD_TOUCH`` invoke on a 1 MiB
   shared memory block (allocated,
   and for reference registered) passed as ``MEMREF_WHOLE``, and for
   reference the socket round trip when both ends poll briefly (with
   ``sched_yield``) before they block;
4. stops its daemons and removes its folders.

Figures that are compared are measured in one process, interleaved in
blocks of ``--block`` calls: the C null and 1 MiB invokes on one session
and the null invoke into the Python TA on a second one,
``Session.invoke`` and the raw layer on two sessions of one TA host.  The
default scheduling runs ``--rounds`` times (fresh processes each time); its
figures are the median over rounds of each round's percentile, and a note
says when rounds landed in different scheduling modes.  Percentiles are
nearest-rank.  Human-readable lines come first, then the targets with PASS
or FAIL, then, as the last line, one JSON object whose first keys are
``socket_rtt_us``, ``c_null_p50_us``, ``c_null_p99_us``, ``py_null_p50_us``
and ``shm_1mib_p50_us``.  ``--check`` exits 1 when a target fails.  Results
are recorded in ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
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
from typing import Any, Callable

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CSRC = ROOT / "csrc"
TEST_TA_INCLUDE = CSRC / "ta" / "test" / "include"
# The test TA built as single-instance, multi-session (TA_TEST_MULTI_UUID):
# the Python worker's two sessions then share one TA host process, so that
# Session.invoke and the raw layer see the same scheduling.  The C client
# uses TA_TEST_UUID (one instance per session); the code is the same.
TEST_MULTI_UUID = "35b6334d-dfca-4e6e-9c3e-e8cf10b7ae0a"
TA_TEST_CMD_NULL = 0
# The Python twin of the test TA; its UUID is its TA_UUID line.
PYTHON_TEST_TA = ROOT / "ta_python" / "test_ta.py"
CFLAGS = ["-std=c11", "-D_GNU_SOURCE", "-O2", "-Wall", "-Wextra", "-Werror"]

# What the three targets allow.
RTT_FACTOR = 2.0
PY_EXTRA_US = 5.0
PY_TA_EXTRA_US = 10.0
SHM_FACTOR = 1.5
# For reference: a round trip whose ends poll this long before sleeping.
SPIN_US = 20
# Round p50s further apart than this mean two scheduling modes were mixed.
BIMODAL_RATIO = 3

Stats = dict[str, float]


# --------------------------------------------------------------------------
# Statistics (the same definitions as bench/stats.h)


def percentile(sorted_ns: Sequence[int], p: int) -> float:
    """Nearest-rank percentile of sorted nanosecond samples, in microseconds."""
    rank = max(1, (len(sorted_ns) * p + 99) // 100)
    return sorted_ns[rank - 1] / 1000.0


def stats(samples_ns: list[int]) -> Stats:
    ordered = sorted(samples_ns)
    return {
        "n": float(len(ordered)),
        "p50_us": percentile(ordered, 50),
        "p99_us": percentile(ordered, 99),
        "min_us": ordered[0] / 1000.0,
        "max_us": ordered[-1] / 1000.0,
        "mean_us": sum(ordered) / len(ordered) / 1000.0,
    }


# --------------------------------------------------------------------------
# The Python worker: runs in its own process, prints one JSON line


def _time_interleaved(
    calls: dict[str, Callable[[], object]], iterations: int, warmup: int, block: int
) -> dict[str, Stats]:
    """Time each call ``iterations`` times, the calls taking turns in blocks."""
    clock = time.perf_counter_ns
    samples: dict[str, list[int]] = {name: [] for name in calls}
    for call in calls.values():
        for _ in range(warmup):
            call()
    done = 0
    while done < iterations:
        count = min(block, iterations - done)
        for name, call in calls.items():
            record = samples[name].append
            for _ in range(count):
                start = clock()
                call()
                record(clock() - start)
        done += count
    return {name: stats(values) for name, values in samples.items()}


@contextmanager
def _raw_session(library_path: str) -> Iterator[Callable[[], object]]:
    """A null invoke through ``pytee.teec`` only: GP names, nothing checked
    per call but the result, one ``TEEC_Operation`` reused."""
    from pytee import teec

    ffi, lib, _ = teec.load(library_path)
    context = ffi.new("TEEC_Context *")
    session = ffi.new("TEEC_Session *")
    operation = ffi.new("TEEC_Operation *")
    origin = ffi.new("uint32_t *")
    destination = ffi.new("TEEC_UUID *")
    octets = bytes.fromhex(TEST_MULTI_UUID.replace("-", ""))
    destination.timeLow = int.from_bytes(octets[0:4], "big")
    destination.timeMid = int.from_bytes(octets[4:6], "big")
    destination.timeHiAndVersion = int.from_bytes(octets[6:8], "big")
    destination.clockSeqAndNode = list(octets[8:16])
    result = lib.TEEC_InitializeContext(ffi.NULL, context)
    if result != lib.TEEC_SUCCESS:
        raise RuntimeError("TEEC_InitializeContext: %#x" % result)
    try:
        result = lib.TEEC_OpenSession(
            context,
            session,
            destination,
            lib.TEEC_LOGIN_PUBLIC,
            ffi.NULL,
            ffi.NULL,
            origin,
        )
        if result != lib.TEEC_SUCCESS:
            raise RuntimeError("TEEC_OpenSession: %#x origin %d" % (result, origin[0]))
        invoke = lib.TEEC_InvokeCommand

        def call() -> None:
            if invoke(session, TA_TEST_CMD_NULL, operation, origin):
                raise RuntimeError("TEEC_InvokeCommand failed: origin %d" % origin[0])

        try:
            yield call
        finally:
            lib.TEEC_CloseSession(session)
    finally:
        lib.TEEC_FinalizeContext(context)


def worker(args: argparse.Namespace) -> int:
    """Session.invoke and the raw layer, a session each on one TA host, in turns."""
    if args.cpu is not None:
        os.sched_setaffinity(0, {args.cpu})
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import pytee

    with (
        pytee.Context(lib=args.library) as context,
        _raw_session(args.library) as raw_call,
    ):
        session = context.open_session(TEST_MULTI_UUID)
        try:
            calls: dict[str, Callable[[], object]] = {
                "pythonic": lambda: session.invoke(TA_TEST_CMD_NULL),
                "raw": raw_call,
            }
            result = _time_interleaved(calls, args.iterations, args.warmup, args.block)
        finally:
            session.close()
    result["pythonic_stub"] = _stubbed_pythonic(args)
    print(json.dumps(result))
    return 0


class _StubbedInvoke:
    """A libteec whose ``TEEC_InvokeCommand`` succeeds at once, untouched."""

    def __init__(self, lib: Any) -> None:
        self._lib = lib

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lib, name)

    @staticmethod
    def TEEC_InvokeCommand(*args: object) -> int:
        return 0


def _stubbed_pythonic(args: argparse.Namespace) -> Stats:
    """What ``Session.invoke`` costs in Python alone, caches warm."""
    import pytee
    from pytee import teec

    real = teec.load(args.library)
    stubbed = teec.Library(real.ffi, _StubbedInvoke(real.lib), real.path)
    with (
        pytee.Context(lib=stubbed) as context,
        context.open_session(TEST_MULTI_UUID) as session,
    ):
        return _time_interleaved(
            {"stub": lambda: session.invoke(TA_TEST_CMD_NULL)},
            args.iterations,
            args.warmup,
            args.block,
        )["stub"]


# --------------------------------------------------------------------------
# The driver


@dataclass
class Tools:
    native: Path
    socket_rtt: Path
    invoke_bench: Path


@dataclass
class Scheduling:
    name: str
    client_cpu: int | None  # where the client (and socket_rtt) runs
    tee_cpu: int | None  # where teed, hence every TA host, runs
    description: str


@dataclass
class Figures:
    """One round of every measurement under one scheduling."""

    socket: Stats
    c_null: Stats
    py_null: Stats
    py_raw_null: Stats
    shm: Stats
    regshm: Stats
    socket_spin: Stats
    py_stub: Stats
    py_ta_null: Stats


@dataclass
class Runner:
    tools: Tools
    base: Path
    iterations: int
    warmup: int
    block: int
    started: list[dict[str, str]] = field(default_factory=list)

    def environment(self, name: str) -> dict[str, str]:
        env = dict(os.environ)
        for variable in ("PYTEE_TEED", "PYTEE_TAHOST", "PYTEE_LIBTEEC"):
            env.pop(variable, None)
        runtime = self.base / ("run-" + name)
        data = self.base / ("data-" + name)
        for folder in (runtime, data):
            folder.mkdir(mode=0o700, exist_ok=True)
            folder.chmod(0o700)
        env["PYTEE_RUNTIME_DIR"] = str(runtime)
        env["PYTEE_DATA_DIR"] = str(data)
        env["PYTEE_TA_PATH"] = "%s:%s" % (
            self.tools.native / "ta",
            PYTHON_TEST_TA.parent,
        )
        env["PYTEE_PYTHON"] = sys.executable  # hosts the Python TA
        env["PYTEE_LIBTEEC"] = str(self.library)
        return env

    @property
    def library(self) -> Path:
        return self.tools.native / "lib" / "libteec.so.2"

    @property
    def teed(self) -> Path:
        return self.tools.native / "libexec" / "teed"

    def start_teed(self, env: dict[str, str], cpu: int | None) -> None:
        """Start a daemon (pinned to ``cpu``): the TA hosts inherit its CPUs."""
        subprocess.run(
            [str(self.teed), "--daemon"],
            env=env,
            check=True,
            timeout=30,
            preexec_fn=None if cpu is None else _pin(cpu),
        )
        self.started.append(env)

    def stop_all(self) -> None:
        for env in self.started:
            subprocess.run(
                [str(self.teed), "--stop"],
                env=env,
                capture_output=True,
                timeout=30,
                check=False,
            )
        self.started = []

    def run_json(
        self, command: list[str], env: dict[str, str] | None = None
    ) -> dict[str, Any]:
        result = subprocess.run(
            command,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                "%s failed (exit %d):\n%s%s"
                % (
                    " ".join(command),
                    result.returncode,
                    result.stdout,
                    result.stderr,
                )
            )
        decoded: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
        return decoded

    def counts(self) -> list[str]:
        return ["-n", str(self.iterations), "-w", str(self.warmup)]

    def round(self, sched: Scheduling, env: dict[str, str]) -> Figures:
        pin = [] if sched.client_cpu is None else ["-c", str(sched.client_cpu)]
        peer = []
        if sched.tee_cpu is not None and sched.tee_cpu != sched.client_cpu:
            peer = ["-p", str(sched.tee_cpu)]
        rtt = [str(self.tools.socket_rtt), *self.counts(), *pin, *peer]
        socket = self.run_json(rtt)
        c = self.run_json(
            [
                str(self.tools.invoke_bench),
                *self.counts(),
                "-b",
                str(self.block),
                *pin,
                "-u",
                python_ta_uuid(),
                "null",
                "other",
                "shm",
                "regshm",
            ],
            env,
        )
        worker_cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            "--library",
            str(self.library),
            "--iterations",
            str(self.iterations),
            "--warmup",
            str(self.warmup),
            "--block",
            str(self.block),
        ]
        if sched.client_cpu is not None:
            worker_cmd += ["--cpu", str(sched.client_cpu)]
        python = self.run_json(worker_cmd, env)
        socket_spin = self.run_json([*rtt, "-s", str(SPIN_US)])
        return Figures(
            socket=socket,
            c_null=c["null"],
            py_null=python["pythonic"],
            py_raw_null=python["raw"],
            shm=c["shm"],
            regshm=c["regshm"],
            socket_spin=socket_spin,
            py_stub=python["pythonic_stub"],
            py_ta_null=c["other"],
        )


def python_ta_uuid() -> str:
    """The UUID the Python test TA declares (its ``TA_UUID`` line)."""
    found = re.search(
        r"^TA_UUID\s*=\s*[\"']([0-9a-fA-F-]{36})[\"']",
        PYTHON_TEST_TA.read_text(),
        re.MULTILINE,
    )
    if found is None:
        raise RuntimeError("%s declares no TA_UUID" % PYTHON_TEST_TA)
    return found.group(1)


def _pin(cpu: int) -> Callable[[], None]:
    def pin() -> None:
        os.sched_setaffinity(0, {cpu})

    return pin


def build(native: Path | None) -> Path:
    if native is not None:
        return native.resolve()
    subprocess.run(
        ["make", "-s", "-C", str(CSRC), "-j2"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return (CSRC / "build").resolve()


def compile_tools(native: Path, into: Path) -> Tools:
    gcc = shutil.which("gcc")
    if gcc is None:
        raise SystemExit("bench/invoke.py: gcc is needed to build the C helpers")
    teec = native / "devkit" / "teec"
    socket_rtt = into / "socket_rtt"
    invoke_bench = into / "invoke_bench"
    subprocess.run(
        [gcc, *CFLAGS, "-o", str(socket_rtt), str(BENCH / "socket_rtt.c")],
        check=True,
    )
    subprocess.run(
        [
            gcc,
            *CFLAGS,
            "-I%s" % (teec / "include"),
            "-I%s" % TEST_TA_INCLUDE,
            "-o",
            str(invoke_bench),
            str(BENCH / "invoke_bench.c"),
            "-L%s" % (teec / "lib"),
            "-lteec",
            # libteec finds teed beside itself: run the one of the tree.
            "-Wl,-rpath,%s" % (native / "lib"),
        ],
        check=True,
    )
    return Tools(native, socket_rtt, invoke_bench)


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


def bimodal(rounds: list[Figures]) -> list[str]:
    """The figures whose round p50s differ by more than ``BIMODAL_RATIO``."""
    found = []
    for key, _, pick in FIELDS:
        p50s = [pick(f)["p50_us"] for f in rounds]
        if len(p50s) > 1 and max(p50s) > BIMODAL_RATIO * min(p50s):
            found.append(key)
    return found


def median_of(
    rounds: list[Figures], pick: Callable[[Figures], Stats], key: str
) -> float:
    return statistics.median(pick(figures)[key] for figures in rounds)


FIELDS: list[tuple[str, str, Callable[[Figures], Stats]]] = [
    ("socket", "socket round trip, 64 B SEQPACKET", lambda f: f.socket),
    ("c_null", "null invoke, C client", lambda f: f.c_null),
    ("py_null", "null invoke, Python Session.invoke", lambda f: f.py_null),
    ("py_raw_null", "null invoke, Python raw pytee.teec", lambda f: f.py_raw_null),
    ("py_ta_null", "null invoke into the Python TA, C client", lambda f: f.py_ta_null),
    ("shm", "1 MiB allocated shm INOUT (TOUCH), C", lambda f: f.shm),
    ("regshm", "1 MiB registered shm INOUT (TOUCH), C", lambda f: f.regshm),
    (
        "py_stub",
        "Session.invoke alone, libteec stubbed",
        lambda f: f.py_stub,
    ),
    (
        "socket_spin",
        "socket round trip, %d us poll+yield first" % SPIN_US,
        lambda f: f.socket_spin,
    ),
]


def summarise(rounds: list[Figures]) -> dict[str, Stats]:
    return {
        key: {
            "p50_us": median_of(rounds, pick, "p50_us"),
            "p99_us": median_of(rounds, pick, "p99_us"),
            "min_us": min(pick(f)["min_us"] for f in rounds),
        }
        for key, _, pick in FIELDS
    }


def report(name: str, description: str, rounds: list[Figures]) -> dict[str, Stats]:
    summary = summarise(rounds)
    suffix = "" if len(rounds) == 1 else ", median of %d rounds" % len(rounds)
    print("[%s] %s%s" % (name, description, suffix))
    for key, label, pick in FIELDS:
        spread = ""
        if len(rounds) > 1:
            spread = "  (round p50s: %s)" % ", ".join(
                "%.1f" % pick(f)["p50_us"] for f in rounds
            )
        print(
            "  %-42s p50 %8.1f us  p99 %8.1f us  min %7.1f us%s"
            % (
                label,
                summary[key]["p50_us"],
                summary[key]["p99_us"],
                summary[key]["min_us"],
                spread,
            )
        )
    return summary


def targets(summary: dict[str, Stats]) -> list[tuple[str, bool, str]]:
    rtt = summary["socket"]["p50_us"]
    c_null = summary["c_null"]["p50_us"]
    py_null = summary["py_null"]["p50_us"]
    shm = summary["shm"]["p50_us"]
    py_ta = summary["py_ta_null"]["p50_us"]
    return [
        (
            "c_null_within_2x_socket_rtt",
            c_null <= RTT_FACTOR * rtt,
            "C null p50 %.1f us <= %.1f x socket RTT %.1f us = %.1f us"
            % (c_null, RTT_FACTOR, rtt, RTT_FACTOR * rtt),
        ),
        (
            "py_within_c_plus_5us",
            py_null <= c_null + PY_EXTRA_US,
            "Python p50 %.1f us <= C p50 %.1f us + %.0f us = %.1f us"
            % (py_null, c_null, PY_EXTRA_US, c_null + PY_EXTRA_US),
        ),
        (
            "shm_1mib_within_1_5x_c_null",
            shm <= SHM_FACTOR * c_null,
            "1 MiB shm p50 %.1f us <= %.1f x C null p50 %.1f us = %.1f us"
            % (shm, SHM_FACTOR, c_null, SHM_FACTOR * c_null),
        ),
        (
            "py_ta_within_c_ta_plus_10us",
            py_ta <= c_null + PY_TA_EXTRA_US,
            "Python TA null p50 %.1f us <= C TA p50 %.1f us + %.0f us = %.1f us"
            % (py_ta, c_null, PY_TA_EXTRA_US, c_null + PY_TA_EXTRA_US),
        ),
    ]


@contextmanager
def workspace() -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="pytee-bench-"))
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def drive(args: argparse.Namespace) -> int:
    began = time.monotonic()
    native = build(args.native)
    cpus = sorted(os.sched_getaffinity(0))
    schedulings = [Scheduling("default", None, None, "nothing pinned (headline)")]
    if cpus:
        schedulings.append(
            Scheduling(
                "same-cpu",
                cpus[0],
                cpus[0],
                "client, teed and TA host pinned to CPU %d" % cpus[0],
            )
        )
    if len(cpus) > 1:
        schedulings.append(
            Scheduling(
                "cross-cpu",
                cpus[0],
                cpus[1],
                "client on CPU %d, teed and TA host on CPU %d" % (cpus[0], cpus[1]),
            )
        )
    machine: dict[str, Any] = {
        "nproc": os.cpu_count() or 0,
        "cpu_model": cpu_model(),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }
    print(
        "pytee invoke benchmark: %d iterations (+%d warm-up) per figure"
        % (args.iterations, args.warmup)
    )
    print(
        "machine: nproc %(nproc)d, %(cpu_model)s, Linux %(kernel)s,"
        " Python %(python)s" % machine
    )
    print("native tree: %s" % native)
    summaries: dict[str, dict[str, Stats]] = {}
    default_rounds: list[Figures] = []
    load_before = loadavg()
    with workspace() as base:
        tools = compile_tools(native, base)
        runner = Runner(tools, base, args.iterations, args.warmup, args.block)
        try:
            for sched in schedulings:
                env = runner.environment(sched.name)
                runner.start_teed(env, sched.tee_cpu)
                count = args.rounds if sched.name == "default" else 1
                rounds = [runner.round(sched, env) for _ in range(count)]
                summaries[sched.name] = report(sched.name, sched.description, rounds)
                if sched.name == "default":
                    default_rounds = rounds
        finally:
            runner.stop_all()
    headline = summaries["default"]
    spread = bimodal(default_rounds)
    if spread:
        print(
            "note: the default rounds differ by more than %dx in p50 (%s): the"
            " scheduler put the two ends of some pairs on one CPU and of others"
            " on two; the same-cpu and cross-cpu lines compare like with like"
            % (BIMODAL_RATIO, ", ".join(spread))
        )
    print("load average: %s before, %s after" % (load_before, loadavg()))
    results = targets(headline)
    print("targets (default scheduling):")
    for _, ok, text in results:
        print("  %s  %s" % ("PASS" if ok else "FAIL", text))
    for name in ("same-cpu", "cross-cpu"):
        if name in summaries:
            print(
                "  for reference, %s: %s"
                % (
                    name,
                    "; ".join(
                        "%s %s" % (key, "PASS" if ok else "FAIL")
                        for key, ok, _ in targets(summaries[name])
                    ),
                )
            )
    elapsed = time.monotonic() - began
    print("elapsed: %.1f s" % elapsed)
    out: dict[str, Any] = {
        "socket_rtt_us": round(headline["socket"]["p50_us"], 3),
        "c_null_p50_us": round(headline["c_null"]["p50_us"], 3),
        "c_null_p99_us": round(headline["c_null"]["p99_us"], 3),
        "py_null_p50_us": round(headline["py_null"]["p50_us"], 3),
        "shm_1mib_p50_us": round(headline["shm"]["p50_us"], 3),
        "py_null_p99_us": round(headline["py_null"]["p99_us"], 3),
        "py_raw_null_p50_us": round(headline["py_raw_null"]["p50_us"], 3),
        "shm_1mib_p99_us": round(headline["shm"]["p99_us"], 3),
        "regshm_1mib_p50_us": round(headline["regshm"]["p50_us"], 3),
        "py_ta_null_p50_us": round(headline["py_ta_null"]["p50_us"], 3),
        "py_ta_null_p99_us": round(headline["py_ta_null"]["p99_us"], 3),
        "targets": {key: ok for key, ok, _ in results},
        "default_bimodal": bimodal(default_rounds),
        "schedulings": {
            name: {
                key: {k: round(v, 3) for k, v in figures.items()}
                for key, figures in summary.items()
            }
            for name, summary in summaries.items()
        },
        "iterations": args.iterations,
        "rounds": args.rounds,
        "machine": machine,
        "elapsed_s": round(elapsed, 1),
    }
    print(json.dumps(out))
    return 1 if args.check and not all(ok for _, ok, _ in results) else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--native",
        type=Path,
        help="a built or installed tree (lib/, libexec/, ta/, devkit/teec/);"
        " default: build csrc into csrc/build",
    )
    parser.add_argument("--iterations", type=int, default=5000)
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument(
        "--block", type=int, default=250, help="calls per turn when interleaving"
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="rounds of the default scheduling"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a target fails"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--library", help=argparse.SUPPRESS)
    parser.add_argument("--cpu", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if min(args.iterations, args.block, args.rounds) < 1 or args.warmup < 0:
        parser.error("--iterations, --block and --rounds must be positive")
    if args.worker:
        return worker(args)
    return drive(args)


if __name__ == "__main__":
    sys.exit(main())
