"""The ``pytee`` command.

::

    pytee info                       which libteec is loaded and why, the
                                     native folder, the daemon's state
    pytee daemon start|stop|status   run the software TEE daemon (teed)
    pytee devkit ta|teec             print the folder of a dev kit
                                     (TA_DEV_KIT_DIR / the TEEC export)
    pytee tui [--once]               be the trusted display (docs/tui.md)
    pytee pay demo [--ta-path DIR]   enrolment, top-up and purchase with the
                                     payment TA on a TEE of its own
    pytee pay init|enrol|top-up|balance|arm|tap|load
                                     the same step by step on the user's TEE,
                                     paid and loaded over PC/SC
                                     (pytee/payment/cli.py)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from pytee import __version__, teec

__all__ = ["main", "teed_path"]

_DAEMON_FLAGS = {"start": "--daemon", "stop": "--stop", "status": "--status"}
_DEVKITS = {"ta": "devkit/ta", "teec": "devkit/teec"}


def teed_path() -> Path:
    """The ``teed`` that clients of this environment would start.

    ``$PYTEE_TEED``, else the ``libexec/teed`` beside ``$PYTEE_LIBTEEC``'s
    ``lib`` folder, else the bundled one (as ``libteec`` itself finds it).
    """
    explicit = os.environ.get("PYTEE_TEED")
    if explicit:
        return Path(explicit)
    library = os.environ.get(teec.ENV_LIBTEEC)
    if library and os.sep in library:
        return Path(library).resolve().parent.parent / "libexec" / "teed"
    return teec.NATIVE_DIR / "libexec" / "teed"


def _run_teed(flag: str, capture: bool) -> subprocess.CompletedProcess[str]:
    teed = teed_path()
    if not os.access(teed, os.X_OK):
        raise FileNotFoundError("pytee: no teed at %s; build pytee first" % teed)
    return subprocess.run(
        [str(teed), flag],
        capture_output=capture,
        text=True,
        timeout=30,
        check=False,
    )


def _info(out: TextIO) -> int:
    print("pytee %s" % __version__, file=out)
    print(
        "native folder: %s%s"
        % (
            teec.NATIVE_DIR,
            "" if teec.NATIVE_DIR.is_dir() else " (missing: not built)",
        ),
        file=out,
    )
    status = 0
    try:
        library = teec.load()
    except OSError as exc:
        print("libteec: cannot load: %s" % exc, file=out)
        status = 1
        bundled = True
    else:
        print("libteec: %s" % library.path, file=out)
        print("  why: %s" % library.reason, file=out)
        print(
            "  bundled software TEE: %s" % ("yes" if library.bundled else "no"),
            file=out,
        )
        bundled = library.bundled or bool(os.environ.get(teec.ENV_LIBTEEC))
    if not bundled:
        print(
            "daemon: not used (the system libteec talks to the kernel driver)", file=out
        )
        return status
    print("teed: %s" % teed_path(), file=out)
    try:
        result = _run_teed("--status", capture=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print("daemon: unknown (%s)" % exc, file=out)
        return 1
    text = (
        result.stdout + result.stderr
    ).strip() or "exit status %d" % result.returncode
    print("daemon: %s" % text.replace("\n", "\n  "), file=out)
    return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pytee", description="GlobalPlatform TEE tools for Python."
    )
    parser.add_argument("--version", action="version", version="pytee " + __version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    commands.add_parser("info", help="show which libteec is used and the daemon state")
    daemon = commands.add_parser("daemon", help="start, stop or inspect teed")
    daemon.add_argument("action", choices=sorted(_DAEMON_FLAGS))
    devkit = commands.add_parser("devkit", help="print a dev kit folder")
    devkit.add_argument("kit", choices=sorted(_DEVKITS))
    tui = commands.add_parser(
        "tui",
        help="the trusted display of the software TEE (docs/tui.md)",
        add_help=False,
    )
    tui.add_argument("tui_args", nargs=argparse.REMAINDER)
    pay = commands.add_parser("pay", help="the payment system (docs/payment.md)")
    pay_commands = pay.add_subparsers(dest="pay_command", metavar="PAY_COMMAND")
    pay_commands.required = True
    demo = pay_commands.add_parser(
        "demo", help="enrol, top up and pay on a TEE of its own, step by step"
    )
    demo.add_argument(
        "--ta-path",
        metavar="DIR",
        help="folder of the payment TA (default: $PYTEE_TA_PATH, then the"
        " installed TAs)",
    )
    try:
        from pytee.payment import cli as pay_cli
    except ModuleNotFoundError as exc:  # without the payment extra
        if exc.name != "cryptography":
            raise
    else:
        pay_cli.add_commands(pay_commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "info":
        return _info(sys.stdout)
    if args.command == "daemon":
        try:
            result = _run_teed(_DAEMON_FLAGS[args.action], capture=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            print(str(exc), file=sys.stderr)
            return 1
        return result.returncode
    if args.command == "tui":
        from pytee import tui as trusted_display

        return trusted_display.main(args.tui_args)
    if args.command == "pay":
        try:
            from pytee.payment import demo
        except ModuleNotFoundError as exc:
            if exc.name != "cryptography":
                raise
            print(
                "pytee pay needs the payment extra: pip install 'pytee[payment]'",
                file=sys.stderr,
            )
            return 1
        if args.pay_command != "demo":
            from pytee.payment import cli as pay_cli

            return pay_cli.main(args)
        return demo.main(args.ta_path)
    folder = teec.NATIVE_DIR / _DEVKITS[args.kit]
    if not folder.is_dir():
        print("pytee: no dev kit at %s; build pytee first" % folder, file=sys.stderr)
        return 1
    print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
