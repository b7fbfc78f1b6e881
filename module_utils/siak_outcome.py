# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a task's outcome means as result records (pure Python, used on the admin machine).

The filters of filter_plugins/siak_records.py and the step actions of action_plugins/
(siak_assess, siak_check) both build records here, so a check that ran in either place
gives the same records.

    siak_records(findings, step, target)
        stamp ``step`` and ``target`` on records a module returned, and validate them.
    siak_task_records(result, step, target, category, item)
        a registered task result -> records: the module's ``records`` when it ran, one
        UNKNOWN record with the reason when the host was unreachable or the task failed.
    siak_reach_records(result, step, target)
        step 2: could the host be reached and logged in to, and did a module run there (ping).
    siak_reach_reason(records, lang)
        the message of the first step-2 record that is not OK (why step 3 skips a target).
    siak_step_failed_records(result, step, target)
        a step's rescue: one UNKNOWN record with the step's identity naming the cause.
    siak_probe_split(probes, hosts, step)
        step 4's probes that can run, and one UNKNOWN record per probe that cannot (a wrong
        entry is refused alone).
    siak_probe_groups(probes)
        step 4's probes grouped by where they are measured from (``from``; '' the admin machine).
    siak_probe_records(jobs, done, step, default_target)
        step 4: the records of every probe of every siak_probe call (launched async, ``done``
        the async_status results); a call that did not run or failed is one UNKNOWN record
        per probe identity (probe_identity_of).
    siak_skip_record(step, target, reason)
        one UNKNOWN record for a target that this step did not check.
    siak_hardware_records(result, step, target)
        step 2's hardware module (siak_host_hardware, siak_switch_check environment): its
        records, or one UNKNOWN ``HW_IDENTITY`` record naming why it did not run.

The category and item of every record a failure path makes are defined once
(``REACH_LOGIN``, ``REACH_MODULE``, ``STEP_IDENTITY`` in module_utils/siak_result.py,
``probe_identity`` in module_utils/siak_probe.py): a check that failed is the same
record as the check that ran.
"""

from __future__ import annotations

import re

from ansible.module_utils.siak_probe import NEEDS, probe_address, probe_identity_of
from ansible.module_utils.siak_result import (
    REACH_LOGIN, REACH_MODULE, STEP_IDENTITY, UNKNOWN, bound_details, mask_personal, record, validate)

# Step 2's hardware reading of a target (siak_host_hardware; siak_switch_check with checks
# [environment]) that could not run: the same record as the one it gives when it runs (the
# system's identity, hw-system/system). A failed hardware module never touches the reach
# records: the target stays reachable for step 3.
HW_IDENTITY = ("hw-system", "system")

# Bound on how much of a raw error message is carried into a report.
MAX_REASON_CHARS = 300

# What Ansible says when the login worked but the remote temp folder could not be made.
TEMP_FAILURE = re.compile(r"Failed to create temporary directory|Authentication or permission failure")


def _clean_reason(text):
    text = " ".join(str(text or "").split())
    if len(text) > MAX_REASON_CHARS:
        text = text[:MAX_REASON_CHARS - 3] + "..."
    return text


# What the technician needs from an unreachable host's SSH error: its last ssh/auth line,
# not Ansible's wrapping nor the connection multiplexer's chatter.
_SSH_REASON = re.compile(r"(ssh: connect to host [^\n]*|Permission denied[^\n]*|Host key verification failed[^\n]*"
                         r"|Connection (?:refused|closed|reset|timed out)[^\n]*|No route to host[^\n]*)")


# OpenSSH's own line for a host key it does not know or that changed (strict checking): it
# names which, where its last line says only "Host key verification failed".
_HOST_KEY_REASON = re.compile(r"(Host key for [^\n]* has changed[^\n]*|No \S+ host key is known for [^\n]*)")


def _unreachable_reason(msg):
    host_key = _HOST_KEY_REASON.search(str(msg or ""))
    if host_key:
        return _clean_reason(host_key.group(1))
    found = _SSH_REASON.findall(str(msg or ""))
    return _clean_reason(found[-1] if found else msg)


def _masked(value):
    """``value`` with every 16-digit number in its text masked (dicts and lists walked)."""
    if isinstance(value, str):
        return mask_personal(value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def siak_records(findings, step, target):
    """Stamp step and target on a list of records and check them against the contract."""
    if findings is None:
        return []
    if not isinstance(findings, list):
        raise ValueError("siak_records expects a list of records, got %s" % type(findings).__name__)
    out = []
    for finding in findings:
        rec = dict(finding)
        # Whatever came from a host or a device: no NIK (16-digit number) in the report.
        for field in ("message", "message_en", "details"):
            if field in rec:
                rec[field] = _masked(rec[field])
        if rec.get("details") is not None:
            rec["details"] = bound_details(rec["details"])
        rec["step"] = int(step)
        rec["target"] = str(target)
        for field in ("value", "unit", "warn", "crit"):
            rec.setdefault(field, None)
        problems = validate(rec)
        if problems:
            raise ValueError("record breaks the result contract (%s): %r" % ("; ".join(problems), finding))
        out.append(rec)
    return out


def _headline(text):
    """The first line of a text that says something (not blank); a line that only announces
    what follows ("Validation of arguments failed:", the lines after it naming each wrong
    variable) is joined with those lines."""
    lines = [line.strip() for line in str(text or "").splitlines() if line.strip()]
    if not lines:
        return ""
    if lines[0].endswith(":") and len(lines) > 1:
        return "%s %s" % (lines[0], "; ".join(lines[1:]))
    return lines[0]


# ansible-core 2.19 names a value's type by its internal class in some messages
# ("<class 'ansible.module_utils._internal._datatag._AnsibleTaggedDict'> cannot be converted").
_CLASS_NAME = re.compile(r"<class '(?:[\w.]*\.)?_*(?:AnsibleTagged)?(\w+)'>")


# A Python exception's own line ("SyntaxError: invalid syntax"), and a traceback's frame line.
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)\b")
_FRAME_LINE = re.compile(r'^File "[^"]*", line [0-9]+')
# Lines a failure's stderr may start with that are not its cause: sudo's warning on a host
# whose own name does not resolve (it goes on after it).
_STDERR_NOISE = re.compile(r"^sudo: unable to resolve host ")


def _stderr_cause(stderr):
    """What a module's stderr says went wrong: a traceback's exception (its last line that
    names one; Python prints a SyntaxError with the frame and no "Traceback" line before
    it), else its first line."""
    lines = [line.strip() for line in str(stderr or "").splitlines()]
    lines = [line for line in lines if line and not _STDERR_NOISE.match(line)]
    if not lines:
        return ""
    if any(line.startswith("Traceback (most recent call last)") or _FRAME_LINE.match(line) for line in lines):
        exceptions = [line for line in lines if _EXCEPTION_LINE.match(line)]
        return exceptions[-1] if exceptions else lines[-1]
    return lines[0]


# What Ansible says of a module that printed no result (it crashed or never started): nothing
# the technician can use when the module's stderr names the cause.
_NO_RESULT = re.compile(r"^(?:MODULE FAILURE|Module result deserialization failed)"
                        r"(?::? *No start of json char found)?\.?$")


# "Finalization of task args for 'siak_step' failed: Error while resolving value for 'args':
# The filter plugin 'siak_port' failed: siak_switch_port: 'abc' is not a port number": the
# project's own filters name the variable and what is wrong with it.
_TEMPLATING_PREFIX = re.compile(r"^Finalization of task args for '[^']*' failed: "
                                r"(?:Error while resolving value for '[^']*': )?"
                                r"(?:The filter plugin 'siak_\w+' failed: )?")


def failure_reason(result):
    """Why a task failed, in one line: the module's message, and its stderr when that adds the cause.

    A failed loop says only "One or more items failed": the reasons are in its items.
    """
    item_reasons = [failure_reason(r) for r in result.get("results") or [] if isinstance(r, dict) and r.get("failed")]
    if item_reasons:
        return _clean_reason("; ".join(dict.fromkeys(r for r in item_reasons if r)))
    # ansible-core 2.19 starts its messages with "Task failed: ", and a task's arguments that
    # could not be templated with where it happened: the technician needs what follows.
    msg = _TEMPLATING_PREFIX.sub("", re.sub(r"^(?:Task failed: )+", "", _headline(result.get("msg"))))
    msg = _CLASS_NAME.sub(lambda match: match.group(1).lower(), msg)
    cause = _stderr_cause(result.get("module_stderr")) or _stderr_cause(result.get("stderr"))
    if cause and _NO_RESULT.match(msg):
        msg = cause   # the module stopped before its result: only its stderr says why
    elif cause and cause not in msg:
        msg = "%s: %s" % (msg.rstrip("."), cause) if msg else cause
    return _clean_reason(msg or "no message (rc %s)" % result.get("rc", "-"))


def _not_run(result):
    """Why a registered task result did not run its module, as (message, message_en); None when it ran."""
    if result.get("unreachable"):
        reason = _unreachable_reason(result.get("msg"))
        return "Target tidak dapat dihubungi: %s" % reason, "Target cannot be reached: %s" % reason
    if result.get("failed") and isinstance(result.get("timedout"), dict):
        # The task's own time limit (the roles' *_target_timeout): the target answered the
        # login but its module never finished.
        period = result["timedout"].get("period")
        return ("Target tidak menjawab dalam %s detik; pemeriksaannya dihentikan" % period,
                "The target did not answer within %s s; its check was stopped" % period)
    if result.get("failed"):
        reason = failure_reason(result)
        return "Pemeriksaan gagal dijalankan: %s" % reason, "The check could not run: %s" % reason
    if result.get("skipped"):
        reason = _clean_reason(result.get("skip_reason") or result.get("msg") or "kondisi tidak terpenuhi")
        return "Pemeriksaan tidak dijalankan: %s" % reason, "The check was not run: %s" % reason
    return None


def _outcome_records(result, step, target, identities):
    """The module's records when it ran and returned some; else one UNKNOWN record per identity."""
    result = result or {}
    why = _not_run(result)
    if why is None:
        records = siak_records(result.get("records"), step, target)
        if records:
            return records
        why = ("Pemeriksaan tidak menghasilkan data", "The check returned no result")
    return [record(category, item, UNKNOWN, why[0], message_en=why[1], step=int(step), target=str(target))
            for category, item in identities]


def siak_task_records(result, step, target, category, item):
    """Records from a registered task result (a module run with ignore_unreachable and ignore_errors).

    Never silently green:

    - unreachable: one UNKNOWN record "cannot be reached" with the SSH error;
    - failed (the module could not run, crashed, or refused its input): one UNKNOWN record
      naming the cause (the module's message, plus the first line of its stderr, or a
      traceback's last line);
    - skipped: one UNKNOWN record "not run" with the reason;
    - ran but returned no record: one UNKNOWN record saying so;
    - otherwise: the module's ``records``.

    The UNKNOWN record is (``category``, ``item``): the identity of the check that did not run.
    """
    return _outcome_records(result, step, target, [(category, item)])


def siak_step_failed_records(result, step, target):
    """A step's role that could not run for a target (the playbook's rescue): one UNKNOWN record
    naming the cause, with the step's identity (STEP_IDENTITY)."""
    return siak_task_records(result, step, target, *STEP_IDENTITY[int(step)])


def siak_reach_records(result, step, target, how="login"):
    """Step 2: could the target be reached, and (``how`` "login") did a module really run on it.

    ``how`` "login" (a host: a ping module run over SSH) gives, for a host that
    - could not be reached or refused the login: one UNKNOWN ``reach``/``ssh`` record;
    - accepted the login but the module could not run there (no interpreter, a failing
      privilege escalation, a temp folder it cannot use): ``reach``/``ssh`` OK and one
      UNKNOWN ``reach``/``modul`` record naming the cause, so the host is not checked;
    - ran the module: ``reach``/``ssh`` OK and ``reach``/``modul`` OK (the same two records).
    ``how`` "port" (a switch: its SSH port answered the admin machine) gives one record.
    """
    result = result or {}
    # Ansible reports a remote temp folder it cannot create as "unreachable", although the
    # login worked: that host answers, but modules cannot run there.
    temp_failure = result.get("unreachable") and TEMP_FAILURE.search(str(result.get("msg") or ""))
    if (result.get("unreachable") and not temp_failure) or (how == "port" and result.get("failed")):
        return siak_task_records(result, step, target, *REACH_LOGIN)
    if how == "port":
        return [record(*REACH_LOGIN, "OK", "Dapat dihubungi; port SSH menjawab",
                       message_en="Reachable; the SSH port answers", step=int(step), target=str(target))]
    login = record(*REACH_LOGIN, "OK", "Dapat dihubungi; login SSH berhasil",
                   message_en="Reachable; SSH login succeeded", step=int(step), target=str(target))
    if temp_failure or result.get("failed") or result.get("skipped") or result.get("ping") != "pong":
        reason = failure_reason(result) if (result.get("failed") or temp_failure) else _clean_reason(
            result.get("skip_reason") or "modul tidak menjawab 'pong'")
        return [login, record(*REACH_MODULE, UNKNOWN,
                              "Login SSH berhasil, tetapi modul Ansible tidak dapat dijalankan: %s" % reason,
                              message_en="SSH login succeeded, but Ansible modules cannot run: %s" % reason,
                              step=int(step), target=str(target))]
    return [login, record(*REACH_MODULE, "OK", "Modul Ansible berjalan di perangkat ini",
                          message_en="Ansible modules run on this target", step=int(step), target=str(target))]


def siak_reach_reason(records, lang="id"):
    """The message of the first step-2 ``reach`` record that is not OK ('' when all are OK);
    ``lang`` "en": its ``message_en`` (its message when it has none)."""
    for rec in records or []:
        if rec.get("category") == "reach" and rec.get("status") != "OK":
            return (lang == "en" and rec.get("message_en")) or rec.get("message", "")
    return ""


def siak_probe_groups(probes):
    """[{"source": "" or a host, "probes": [...]}], the admin machine's first, order kept.

    Each source is one module call, which keeps its own requests to an address at least the
    interval apart. When k sources probe the same address at the same time, each must space
    its requests to it k times as far for that address to see no more than the rate cap in
    all: such a probe gets ``sharing: k`` (the module can only make a probe slower with it,
    never faster; the other probes of the call keep their pace).
    """
    groups = {}
    for probe in probes or []:
        source = str(probe.get("from") or "") if isinstance(probe, dict) else ""
        groups.setdefault(source, []).append(probe)
    sources_of = {}
    for source, members in groups.items():
        for probe in members:
            if isinstance(probe, dict):
                sources_of.setdefault(probe_address(probe), set()).add(source)

    def shared(probe):
        if not isinstance(probe, dict) or len(sources_of[probe_address(probe)]) < 2:
            return probe
        return dict(probe, sharing=len(sources_of[probe_address(probe)]))

    return [{"source": s, "probes": [shared(p) for p in groups[s]]}
            for s in sorted(groups, key=lambda s: (s != "", list(groups).index(s)))]


def _probe_refusal(probe, index, hosts, names):
    """(id, en) of why a siak_perf_probes entry cannot run, or None. ``names``: how many
    probes carry each name."""
    if not isinstance(probe, dict):
        return ("entri ke-%d bukan mapping (name, kind, target, ...)" % index,
                "entry %d is not a mapping (name, kind, target, ...)" % index)
    name = probe.get("name")
    shown = name if name is not None else "ke-%d" % index
    kind = probe.get("kind")
    if kind not in NEEDS:
        return ("uji %s berjenis %s; jenis uji adalah http, tcp, ping, dns atau iperf3" % (shown, kind or "(kosong)"),
                "the probe %s has kind %s; a probe is http, tcp, ping, dns or iperf3" % (shown, kind or "(none)"))
    lacks = [k for k in ("name", "target") + NEEDS[kind] if probe.get(k) in (None, "", [])]
    if lacks:
        return ("uji %s (%s) tidak punya %s" % (shown, kind, ", ".join(lacks)),
                "the probe %s (%s) lacks %s" % (shown, kind, ", ".join(lacks)))
    if names.get(str(name), 0) > 1:
        # A probe's records, its coverage and its trend across rounds are found by its name.
        return ("nama %s dipakai oleh lebih dari satu uji; setiap uji perlu nama sendiri" % name,
                "the name %s is given to more than one probe; each probe needs a name of its own" % name)
    source = probe.get("from")
    if source not in (None, "") and str(source) not in hosts:
        # A probe runs from the admin machine or from a host of the inventory (never from a
        # name that only DNS could resolve).
        return ("uji %s dijalankan dari %s, yang bukan host di inventaris" % (name, source),
                "the probe %s runs from %s, which is not a host of the inventory" % (name, source))
    return None


def siak_probe_split(probes, hosts, step=4):
    """Step 4's probes -> {"run": the probes that can run, "records": one UNKNOWN record per
    probe that cannot, naming why}. One wrong entry (a ``from`` the inventory does not have,
    a missing url, a name given twice) is refused alone: the others still run.

    A refused probe's record has the identity ("probe", its name) on its target (the admin
    machine's ``localhost`` when it names none) and ``details.probe``, so the round's
    coverage counts it as told."""
    hosts = {str(h) for h in hosts or ()}
    if probes is not None and not isinstance(probes, list):
        return {"run": [], "records": [record(*STEP_IDENTITY[int(step)], UNKNOWN,
                                              "Uji tidak dijalankan: siak_perf_probes harus berupa daftar uji (list), "
                                              "bukan %s" % type(probes).__name__,
                                              message_en="Probes not run: siak_perf_probes must be a list of probes, "
                                                         "not a %s" % type(probes).__name__,
                                              step=int(step), target="localhost")]}
    probes = list(probes or [])
    names = {}
    for probe in probes:
        if isinstance(probe, dict) and probe.get("name") is not None:
            names[str(probe["name"])] = names.get(str(probe["name"]), 0) + 1
    run, records, seen = [], [], set()
    for index, probe in enumerate(probes, 1):
        why = _probe_refusal(probe, index, hosts, names)
        if why is None:
            run.append(probe)
            continue
        entry = probe if isinstance(probe, dict) else {}
        name = str(entry["name"]) if entry.get("name") is not None else "ke-%d" % index
        target = entry.get("target")
        target = str(target) if isinstance(target, str) and target else "localhost"
        if (target, name) in seen:
            continue
        seen.add((target, name))
        records.append(record("probe", name, UNKNOWN, "Uji tidak dijalankan: siak_perf_probes: %s" % why[0],
                              message_en="Probe not run: siak_perf_probes: %s" % why[1], step=int(step),
                              target=target, details={"probe": name}))
    return {"run": run, "records": records}


def siak_probe_records(jobs, done, step, default_target):
    """Records of every probe: ``jobs`` the registered launch (loop over siak_probe_groups),
    ``done`` the registered async_status loop."""
    finished = {}
    for res in (done or {}).get("results", []):
        jid = (res.get("item") or {}).get("ansible_job_id")
        if jid:
            finished[jid] = res
    out = []
    for launch in (jobs or {}).get("results", []):
        group = launch.get("item") or {}
        result = finished.get(launch.get("ansible_job_id"), launch) if launch.get("ansible_job_id") else launch
        if launch.get("ansible_job_id") and launch.get("ansible_job_id") not in finished:
            result = {"failed": True, "msg": "hasil uji tidak diterima (async_status tidak berjalan)"}
        if result.get("ansible_job_id") and not result.get("finished", 1) and not result.get("failed"):
            result = dict(result, failed=True, msg="uji belum selesai dalam batas waktu")
        per_probe = result.get("probes") if isinstance(result.get("probes"), list) else None
        for index, probe in enumerate(group.get("probes") or []):
            probe = probe if isinstance(probe, dict) else {}
            name = str(probe.get("name", "-"))
            target = probe.get("target") or default_target
            if per_probe is not None and index < len(per_probe):
                one = {"records": per_probe[index].get("records")}
            else:
                one = result
            # A call that failed as a whole on the host the probes run from (its inventory,
            # its login) is that host's fault, not the probe target's: ``failed_on`` names it.
            failed_on = {"failed_on": group["source"]} if one is result and group.get("source") else {}
            for rec in _outcome_records(one, step, target, probe_identity_of(probe)):
                details = rec.get("details") if isinstance(rec.get("details"), dict) else {}
                rec["details"] = bound_details(dict(details, probe=name, **failed_on))
                out.append(rec)
    return out


def siak_skip_record(step, target, reason, reason_en=None):
    """One UNKNOWN record for a target this step did not check, with the reason (the step's
    identity); ``reason_en`` the reason in English (the message_en), else ``reason``."""
    reason = _clean_reason(reason)
    return [record(*STEP_IDENTITY[int(step)], UNKNOWN,
                   "Tidak diperiksa: %s" % reason,
                   message_en="Not checked: %s" % (_clean_reason(reason_en) if reason_en else reason),
                   step=int(step), target=str(target))]


def siak_hardware_records(result, step, target):
    """Records of step 2's hardware module run: its own, or one UNKNOWN ``HW_IDENTITY`` record naming
    why it gave none (unreachable, failed, skipped, no records)."""
    return siak_task_records(result, step, target, *HW_IDENTITY)
