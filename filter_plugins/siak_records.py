# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that turn module output and task results into result records.

    siak_records(findings, step, target)
        stamp ``step`` and ``target`` on records a module returned, and validate them.
    siak_task_records(result, step, target, category, item)
        a registered task result -> records: the module's ``records`` when it ran, one
        UNKNOWN record with the reason when the host was unreachable or the task failed.
    siak_reach_records(result, step, target)
        one record: could the host be reached and logged in to (from a ping result).
    siak_loop_records(loop_result, step, default_target)
        records from a looped task whose items carry target/kind/name (probes).
    siak_skip_record(step, target, reason)
        one UNKNOWN record for a target that this step did not check.
"""

from __future__ import annotations

import os
import re

import ansible.module_utils as _ansible_module_utils
from ansible.errors import AnsibleFilterError

# Make the project's module_utils importable on the controller as
# ansible.module_utils.<name>, exactly as modules import them on the targets.
_MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils")
if _MODULE_UTILS not in _ansible_module_utils.__path__:
    _ansible_module_utils.__path__.append(_MODULE_UTILS)

from ansible.module_utils.siak_result import UNKNOWN, record, validate  # noqa: E402  pylint: disable=wrong-import-position

# Bound on how much of a raw error message is carried into a report.
MAX_REASON_CHARS = 300


def _clean_reason(text):
    text = " ".join(str(text or "").split())
    if len(text) > MAX_REASON_CHARS:
        text = text[:MAX_REASON_CHARS - 3] + "..."
    return text


# What the technician needs from an unreachable host's SSH error: its last ssh/auth line,
# not Ansible's wrapping nor the connection multiplexer's chatter.
_SSH_REASON = re.compile(r"(ssh: connect to host [^\n]*|Permission denied[^\n]*|Host key verification failed[^\n]*"
                         r"|Connection (?:refused|closed|reset|timed out)[^\n]*|No route to host[^\n]*)")


def _unreachable_reason(msg):
    found = _SSH_REASON.findall(str(msg or ""))
    return _clean_reason(found[-1] if found else msg)


def siak_records(findings, step, target):
    """Stamp step and target on a list of records and check them against the contract."""
    if findings is None:
        return []
    if not isinstance(findings, list):
        raise AnsibleFilterError("siak_records expects a list of records, got %s" % type(findings).__name__)
    out = []
    for finding in findings:
        rec = dict(finding)
        rec["step"] = int(step)
        rec["target"] = str(target)
        for field in ("value", "unit", "warn", "crit"):
            rec.setdefault(field, None)
        problems = validate(rec)
        if problems:
            raise AnsibleFilterError("record breaks the result contract (%s): %r" % ("; ".join(problems), finding))
        out.append(rec)
    return out


def siak_task_records(result, step, target, category, item):
    """Records from a registered task result (module run with ignore_unreachable/failed_when false).

    - unreachable: one UNKNOWN record "cannot be reached" with the SSH error;
    - failed: one UNKNOWN record "check failed" with the module's message;
    - skipped: no record (the caller decided not to run it);
    - otherwise: the module's ``records``.
    """
    result = result or {}
    if result.get("unreachable"):
        reason = _unreachable_reason(result.get("msg"))
        return [record(category, item, UNKNOWN,
                       "Target tidak dapat dihubungi: %s" % reason,
                       message_en="Target cannot be reached: %s" % reason,
                       step=int(step), target=str(target))]
    if result.get("skipped"):
        return []
    if result.get("failed"):
        # A failed loop says only "One or more items failed": the reasons are in its items.
        item_reasons = [r.get("msg") for r in result.get("results") or [] if isinstance(r, dict) and r.get("failed")]
        reason = _clean_reason("; ".join(dict.fromkeys(str(m) for m in item_reasons if m))
                               or result.get("msg") or result.get("module_stderr") or "no message")
        return [record(category, item, UNKNOWN,
                       "Pemeriksaan gagal dijalankan: %s" % reason,
                       message_en="The check could not run: %s" % reason,
                       step=int(step), target=str(target))]
    return siak_records(result.get("records", []), step, target)


def siak_reach_records(result, step, target, how="login"):
    """One record of whether a target could be reached (a ping or wait_for result).

    ``how`` is "login" (an SSH login ran a module) or "port" (only the SSH port answered).
    """
    result = result or {}
    if result.get("unreachable") or result.get("failed"):
        return siak_task_records(result, step, target, "reach", "ssh")
    if how == "port":
        text, text_en = "Dapat dihubungi; port SSH menjawab", "Reachable; the SSH port answers"
    else:
        text, text_en = "Dapat dihubungi; login SSH berhasil", "Reachable; SSH login succeeded"
    return [record("reach", "ssh", "OK", text, message_en=text_en, step=int(step), target=str(target))]


def siak_loop_records(loop_result, step, default_target):
    """Records from a looped module task: each loop item names its ``target``, ``kind`` and ``name``.

    A failed item becomes one UNKNOWN record for that item; the other items are unaffected.
    """
    out = []
    for result in (loop_result or {}).get("results", []):
        item = result.get("item") or {}
        target = item.get("target") or default_target
        out.extend(siak_task_records(result, step, target, item.get("kind", "probe"), item.get("name", "-")))
    return out


def siak_skip_record(step, target, reason, category="reach", item="ssh"):
    """One UNKNOWN record for a target this step did not check, with the reason."""
    reason = _clean_reason(reason)
    return [record(category, item, UNKNOWN,
                   "Tidak diperiksa: %s" % reason,
                   message_en="Not checked: %s" % reason,
                   step=int(step), target=str(target))]


class FilterModule:
    """Result-record filters."""

    def filters(self):
        return {
            "siak_records": siak_records,
            "siak_task_records": siak_task_records,
            "siak_reach_records": siak_reach_records,
            "siak_loop_records": siak_loop_records,
            "siak_skip_record": siak_skip_record,
        }
