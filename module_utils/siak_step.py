# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One SOP step on one target in one task (pure Python, used on the admin machine).

The ``siak_step`` action (action_plugins/siak_step.py, documented in library/siak_step.py)
runs a step's module on a target and turns every outcome into result records here, so a
step costs one task per target instead of a chain of set_fact and include tasks:

- step 2 on a host (``reach: login``): the hardware module's run proves that the login
  works and modules run there; when it fails, a ``ping`` module run tells a host whose
  modules cannot run (not checked in step 3) from a hardware module that failed (the host
  stays reachable, its hardware is one UNKNOWN record). Without the hardware reading,
  ``ping`` alone.
- step 2 on a switch (``reach: port``): its SSH port must answer the admin machine
  (``wait_for_port``, in the action's own process: no module to start for it) before the
  module logs in.
- step 3 (no ``reach``): the check module; its records, or one UNKNOWN record with the
  check's identity naming why it did not run.

Every function takes results as Ansible registers them (a connection failure as
``{"unreachable": True, "msg": ...}``), exactly as the filters of siak_records.py do.
"""

from __future__ import annotations

import socket
import time

from ansible.module_utils.siak_outcome import (
    TEMP_FAILURE, failure_reason, siak_hardware_records, siak_reach_reason, siak_reach_records, siak_step_failed_records,
    siak_task_records)

ARGUMENT_SPEC = dict(
    step=dict(type="int", required=True, choices=[2, 3]),
    module=dict(type="str"),
    args=dict(type="dict", default={}),
    identity=dict(type="list", elements="str"),
    reach=dict(type="str", choices=["login", "port"]),
    port=dict(type="dict", options=dict(host=dict(type="str", required=True),
                                        port=dict(type="int", default=22),
                                        timeout=dict(type="int", default=5))),
    state_file=dict(type="path"),
    state_kind=dict(type="str", choices=["host", "switch", "hardware"]),
    keep_state=dict(type="bool", default=True),
)

# reach: port waits for the switch's SSH port before anything else.
REQUIRED_IF = [("reach", "port", ["port"])]

# What a step-2 result hands on from the hardware module (the checklist's data).
HARDWARE_FIELDS = ("hardware", "previous_hardware", "not_applicable")


def connection_failure(exc):
    """A connection error raised while running a module, as Ansible registers it."""
    return {"unreachable": True, "changed": False, "msg": str(exc)}


def run_failure(exc):
    """An error raised on the way to the module (a privilege escalation refused, ...), as Ansible registers it."""
    return {"failed": True, "changed": False, "msg": str(exc)}


def with_failure_message(result):
    """A module's failed result with its message: a module that crashed hands back only its
    exception's summary (``exception.event.msg``), which a task shows as "Module failed: <msg>"."""
    if not isinstance(result, dict) or not result.get("failed") or result.get("msg"):
        return result
    text = getattr(getattr(result.get("exception"), "event", None), "msg", None)
    return dict(result, msg="Module failed: %s" % text) if text else result


def wait_for_port(host, port, timeout, connect=socket.create_connection, clock=time.monotonic, sleep=time.sleep):
    """Wait up to ``timeout`` s for a TCP port to accept a connection, as ``wait_for`` does
    (a try at most every second, the same result and message), from the admin machine."""
    started = clock()
    deadline = started + max(0, timeout)
    while True:
        left = deadline - clock()
        try:
            connect((host, port), timeout=max(0.5, min(left, 5))).close()
            return {"changed": False, "state": "started", "port": port, "elapsed": round(clock() - started)}
        except (OSError, ValueError):
            pass
        left = deadline - clock()
        if left <= 0:
            return {"failed": True, "changed": False, "elapsed": round(clock() - started),
                    "msg": "Timeout when waiting for %s:%s" % (host, port)}
        sleep(min(1, left))


def needs_ping(result):
    """Whether a failed step-2 hardware run must be followed by a ``ping`` to know if modules run."""
    result = result or {}
    if result.get("unreachable"):
        return bool(TEMP_FAILURE.search(str(result.get("msg") or "")))
    return bool(result.get("failed") or result.get("skipped"))


def task_status(*results):
    """How the task itself ends, so that Ansible's own output (a job's host summary in AWX, the
    runner's events) shows what the records say: the first module run that did not work makes
    the task unreachable or failed (the roles ignore both: the records carry the cause)."""
    for result in results:
        if not result:
            continue
        if result.get("unreachable"):
            return {"unreachable": True, "msg": str(result.get("msg") or "unreachable")}
        if result.get("failed"):
            return {"failed": True, "msg": failure_reason(result)}
    return {}


def _ran(result):
    """Whether a module run worked (it was reached, and neither failed nor was skipped)."""
    return not (result.get("unreachable") or result.get("failed") or result.get("skipped"))


def _state_new(result, state_file):
    """The state a module handed back, to be kept in ``state_file`` for the next round; None without either."""
    return {"path": state_file, "state": result["state"]} if state_file and isinstance(result.get("state"), dict) else None


def _outcome(records, module_result=None, state_file=None, ran=False):
    reason = siak_reach_reason(records)
    out = {"records": records, "reachable": not reason, "reason": reason, "reason_en": siak_reach_reason(records, "en"),
           "hardware_read": ran}
    module_result = module_result or {}
    for field in HARDWARE_FIELDS:
        out[field] = module_result.get(field) if ran else None
    if not out["not_applicable"]:
        out["not_applicable"] = []
    # A switch's error counters, sampled in step 2 for step 3 (siak_switch_check sample_counters).
    out["counter_sample"] = module_result.get("counter_sample") if ran else None
    out["state_new"] = _state_new(module_result, state_file) if ran else None
    return out


def assess_host(target, hardware_result=None, ping_result=None, state_file=None):
    """Step 2 of a host: its reach records, plus the hardware records when the hardware was read.

    ``hardware_result`` is the hardware module's result (None when the reading is off);
    ``ping_result`` the ping run after it failed (or instead of it). A host whose modules
    cannot run gets no hardware record (the checklist says why it was not read).
    """
    if hardware_result is not None and _ran(hardware_result):
        # The module ran: the login works and modules run there.
        reach = siak_reach_records({"ping": "pong"}, 2, target)
        return _outcome(reach + siak_hardware_records(hardware_result, 2, target), hardware_result, state_file, ran=True)
    proof = ping_result if ping_result is not None else hardware_result
    reach = siak_reach_records(proof, 2, target)
    if hardware_result is None or siak_reach_reason(reach):
        return _outcome(reach)
    return _outcome(reach + siak_hardware_records(hardware_result, 2, target), hardware_result, state_file, ran=True)


def assess_switch(target, port_result, hardware_result=None, state_file=None):
    """Step 2 of a switch: one record for its SSH port, plus the hardware records when they were read."""
    reach = siak_reach_records(port_result, 2, target, "port")
    if hardware_result is None or siak_reach_reason(reach):
        return _outcome(reach)
    return _outcome(reach + siak_hardware_records(hardware_result, 2, target), hardware_result, state_file, ran=True)


def check(target, step, identity, result, state_file=None):
    """Step 3 (or step 2's quick subset) of a target: the module's records, or one UNKNOWN
    record with ``identity`` (category, item) naming why it did not run."""
    result = result or {}
    records = siak_task_records(result, step, target, *identity)
    ran = _ran(result)
    return {"records": records, "duration": result.get("duration") if ran else None,
            "state_new": _state_new(result, state_file) if ran else None}


def outcome_or_failure(result, kind, step, target):
    """The ``siak_step`` task's registered result as the roles read it.

    The roles ignore the task's failure (its records carry the cause), so a task that failed
    before the action could make its records (its arguments could not be templated, or were
    refused: a role's variable holding a value its template cannot use) would leave them
    missing, and the ``set_fact`` after it would fail with a message about that instead. Such
    a result becomes what the playbook's rescue makes of a step that could not run: one
    UNKNOWN record naming Ansible's own message. ``kind`` is the shape the role reads:
    ``assess`` (step 2: records, reach, hardware, sample) or ``check`` (records and state).
    """
    result = result if isinstance(result, dict) else {}
    if "records" in result:
        return result
    failed = result if (result.get("failed") or result.get("unreachable")) else dict(
        result, failed=True, msg=result.get("msg") or "siak_step returned no records")
    records = siak_step_failed_records(failed, step, target)
    if kind == "assess":
        return _outcome(records)
    return {"records": records, "duration": None, "state_new": None}
