"""Helpers shared by the payment TA's system tests on the software TEE:
test_payment_pin.py, test_payment_threats.py, test_payment_load_recovery.py
and test_payment_property.py.

* :data:`PAYMENT_TAS`: the payment TA in C and its Python twin, by test id,
  for a module's ``payment_ta`` fixture.
* :func:`reset_card`: a new card (storage and rollback counter removed
  while no instance of the TA runs), which only the software TEE allows.
* :class:`Tee`, :func:`software_tee`, :func:`a_phone` and
  :func:`a_new_card`: an isolated software TEE whose scripted user
  (``PYTEE_TUI_SCRIPT``, docs/tui.md) types on the trusted display, and a
  phone on it (pin, threats).
* :func:`kill_ta_host` and :func:`dying_invoke`: a TA host SIGKILLed,
  between commands or while the TA does one (load_recovery, property).
* :class:`Yes` and :class:`LedgerIssuer`: a user who says yes, and an
  issuer keeping the loads it confirmed (load_recovery, property).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storage_ta import counter_file, storage_folder
from tee_helpers import hosts_of, wait_until

from pytee import Session
from pytee.payment.demo import Scheme
from pytee.payment.issuer import Issuer
from pytee.payment.phone import Phone
from pytee.payment.ta_ids import TA_PAYMENT_PY_UUID, TA_PAYMENT_UUID
from pytee.payment.ui import ScriptedPrompter
from pytee.payment.wire import LoadAuthorisation, LoadChallenge, LoadReceipt
from pytee.testing import IsolatedTee

#: The payment TA in C and its Python twin, by their UUIDs.
PAYMENT_TAS = {"c": TA_PAYMENT_UUID, "python": TA_PAYMENT_PY_UUID}


# -- a new card -------------------------------------------------------------------


def wait_stopped(uuid: str) -> None:
    """Wait until no instance of the TA ``uuid`` runs (its sessions closed)."""
    assert wait_until(lambda: not hosts_of(uuid)), "payment TA still running"


def reset_card(uuid: str) -> None:
    """Forget the card of the TA ``uuid`` (its storage and rollback counter),
    once no instance of it runs."""
    wait_stopped(uuid)
    shutil.rmtree(storage_folder(uuid), ignore_errors=True)
    counter_file(uuid).unlink(missing_ok=True)


# -- a TEE with a scripted user ----------------------------------------------------


class Tee:
    """An isolated software TEE and its scripted user's file."""

    def __init__(self, tee: IsolatedTee, script: Path | None) -> None:
        self.tee = tee
        self.script = script

    def say(self, *rules: dict[str, Any]) -> None:
        """What the user will do with the next screens (first rule matching)."""
        assert self.script is not None
        self.script.write_text("".join(json.dumps(rule) + "\n" for rule in rules))

    def screens(self, uuid: str) -> int:
        """How many trusted UI sessions the TA ``uuid`` started so far."""
        log = self.tee.daemon_log()
        prefix = "TUI: session of TA %s" % uuid
        return sum(
            1
            for line in log.splitlines()
            if prefix in line and line.rstrip().endswith("started")
        )


@contextmanager
def software_tee(root: Path, script: Path | None) -> Iterator[Tee]:
    """An isolated daemon with (or without) the scripted user: teed takes
    ``PYTEE_TUI_SCRIPT`` from the environment of the client starting it."""
    saved = os.environ.get("PYTEE_TUI_SCRIPT")
    ta_path = [p for p in os.environ.get("PYTEE_TA_PATH", "").split(":") if p]
    try:
        if script is None:
            os.environ.pop("PYTEE_TUI_SCRIPT", None)
        else:
            script.write_text("")
            os.environ["PYTEE_TUI_SCRIPT"] = str(script)
        with IsolatedTee(root, ta_path) as tee:
            yield Tee(tee, script)
    finally:
        if saved is None:
            os.environ.pop("PYTEE_TUI_SCRIPT", None)
        else:
            os.environ["PYTEE_TUI_SCRIPT"] = saved


@contextmanager
def a_phone(tee: Tee, uuid: str) -> Iterator[Phone]:
    """A phone on ``tee`` whose user says yes to the wallet's questions."""
    with (
        tee.tee.context() as ctx,
        Phone(ctx, prompter=ScriptedPrompter([True] * 8), uuid=uuid) as phone,
    ):
        yield phone


@contextmanager
def a_new_card(tee: Tee, uuid: str, scheme: Scheme) -> Iterator[Phone]:
    """A phone on ``tee`` with a new card of the TA ``uuid``, enrolled in
    ``scheme``, with 1000.00 CNY on it; no PIN set."""
    reset_card(uuid)
    with a_phone(tee, uuid) as phone:
        phone.enrol(scheme.issuer, scheme.acquirer.certificate)
        phone.top_up(scheme.issuer, 100000)
        yield phone


# -- a TA host that dies ------------------------------------------------------------


def _reaped(pid: int) -> bool:
    return not os.path.exists("/proc/%d" % pid)


def kill_ta_host(uuid: str) -> None:
    """SIGKILL the host of the TA ``uuid`` (single instance: one host at
    most) and wait until teed has reaped it: a session of the dead instance
    then gets TargetDead, a new one starts a new instance (an OpenSession
    that reaches teed before then is sent to the dead instance and gets
    TARGET_DEAD)."""
    for pid in hosts_of(uuid):
        # A TA host of this run, by its pid; one that ended meanwhile (its
        # last session closed) is as good as killed.
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        assert wait_until(functools.partial(_reaped, pid)), (
            "TA host %d still there after SIGKILL" % pid
        )


def dying_invoke(
    command: int, kill: Callable[[], None], fired: list[bool]
) -> Callable[..., Any]:
    """A Session.invoke whose first ``command`` the TA does, then ``kill``
    (of its host, or of teed) runs before the CA reads the answer: the call
    raises what the CA sees of a TA that died there (TargetDead, by calling
    the dead session again).  ``fired`` gets ``True`` once it has."""
    real = Session.invoke

    def invoke(session: Session, command_id: int, *params: Any) -> Any:
        result = real(session, command_id, *params)
        if command_id != command or fired:
            return result
        fired.append(True)
        for item in result:
            if isinstance(item, memoryview):
                item.release()  # a window of the CA's shared block
        kill()
        return real(session, command_id, *params)  # nobody answers now

    return invoke


# -- the user and the issuer ----------------------------------------------------------


class Yes:
    """The user says yes to every question."""

    def confirm(self, question: str) -> bool:
        return True

    def notify(self, message: str) -> None:
        pass


class LedgerIssuer(Issuer):
    """The issuer, keeping the amounts of the loads it confirmed; a hook
    (:attr:`after_authorise`, run once) runs between its authorisation and
    the TA's CREDIT_LOAD."""

    def __init__(self) -> None:
        super().__init__()
        self.confirmed: list[int] = []
        self.after_authorise: Callable[[], None] | None = None

    def authorise_load(
        self, challenge: LoadChallenge, amount: int
    ) -> LoadAuthorisation:
        authorisation = super().authorise_load(challenge, amount)
        hook, self.after_authorise = self.after_authorise, None
        if hook is not None:
            hook()
        return authorisation

    def confirm_load(self, device_id: bytes, receipt: LoadReceipt) -> int:
        amount = super().confirm_load(device_id, receipt)
        self.confirmed.append(amount)
        return amount
