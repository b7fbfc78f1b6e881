# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one data contract of the project: a result record.

Every check, of every kind, ends as one record:

    step      2, 3 or 4: which SOP step found it
    target    inventory hostname
    category  disk, memory, load, service, time, log, backup, port, link, http, reach, ...
    item      what exactly: a mount point, a service name, an interface, a URL
    status    OK, WARNING, CRITICAL or UNKNOWN (Nagios semantics)
    value     the measured value, machine-readable (number, string, bool or None)
    unit      the unit of value ("%", "s", "ms", "C", "cores", ...) or None; the report
              shows it in its reader's language (UNIT_WORDS)
    warn      the warning threshold that was applied, or None
    crit      the critical threshold that was applied, or None
    message   one short sentence for the technician, in Bahasa Indonesia

Optional fields:
    message_en  the same sentence in English
    details     small JSON-able context (raw counters, last log lines, ...)

UNKNOWN always carries a reason in ``message``.

Modules build records without ``step``/``target`` (they do not know them); the
``siak_records`` filter stamps both and validates the record. Pure Python: this file
is imported by modules (as ``ansible.module_utils.siak_result``), by filter plugins
and by the unit tests.
"""

from __future__ import annotations

import json
import re

OK = "OK"
WARNING = "WARNING"
CRITICAL = "CRITICAL"
UNKNOWN = "UNKNOWN"

STATUSES = (OK, WARNING, CRITICAL, UNKNOWN)

# Severity order used to pick the worst status. UNKNOWN ranks between WARNING and
# CRITICAL (as in Checkmk): something we could not judge must not hide a warning, but
# must not outrank a confirmed critical fault either.
SEVERITY = {OK: 0, WARNING: 1, UNKNOWN: 2, CRITICAL: 3}

FIELDS = ("step", "target", "category", "item", "status", "value", "unit", "warn", "crit", "message")
OPTIONAL_FIELDS = ("message_en", "details")

# Bound on what one record may carry in details, measured as compact JSON (kept in the JSON report).
MAX_DETAILS_CHARS = 4000

# The SOP steps that make records (step 1, the order, makes none).
RECORD_STEPS = (2, 3, 4)

# The identity (category, item) of the records that are not a module's own finding, defined
# once: a failure path (a rescue, a skip, a check that could not run) makes the SAME record
# as the check that ran, so that "what changed since the previous round" compares like with
# like. Step 4's probes have theirs in module_utils/siak_probe.py (probe_identity).
REACH_LOGIN = ("reach", "ssh")      # step 2: the target answers and accepts the SSH login (a switch: its SSH port)
REACH_MODULE = ("reach", "modul")   # step 2: an Ansible module really runs on the host
# A step's role could not run for a target (the playbook rescued it), or the step did not
# check a target (step 2 could not reach it): one record per step and target.
STEP_IDENTITY = {2: ("reach", "langkah 2"), 3: ("check", "langkah 3"), 4: ("probe", "langkah 4")}


def record(category, item, status, message, value=None, unit=None, warn=None, crit=None,
           step=None, target=None, message_en=None, details=None):
    """Return one result record (a plain dict) in the project's contract."""
    if status not in STATUSES:
        raise ValueError("status must be one of %s, not %r" % (", ".join(STATUSES), status))
    if status == UNKNOWN and not message:
        raise ValueError("an UNKNOWN record must carry its reason in message")
    rec = {
        "step": step,
        "target": target,
        "category": category,
        "item": item,
        "status": status,
        "value": value,
        "unit": unit,
        "warn": warn,
        "crit": crit,
        "message": message,
    }
    if message_en:
        rec["message_en"] = message_en
    if details is not None:
        rec["details"] = bound_details(details)
    return rec


def unknown(category, item, reason, reason_en=None, **kwargs):
    """Return an UNKNOWN record; ``reason`` (Bahasa Indonesia) is mandatory."""
    return record(category, item, UNKNOWN, reason, message_en=reason_en, **kwargs)


def judge(value, warn, crit, higher_is_worse=True):
    """Judge a number against a warning and a critical threshold.

    ``higher_is_worse`` True: value >= crit -> CRITICAL, value >= warn -> WARNING.
    ``higher_is_worse`` False (e.g. free space, remaining days): value <= crit -> CRITICAL.
    A threshold of None is not applied. A value of None is UNKNOWN.
    """
    if value is None:
        return UNKNOWN
    if higher_is_worse:
        if crit is not None and value >= crit:
            return CRITICAL
        if warn is not None and value >= warn:
            return WARNING
        return OK
    if crit is not None and value <= crit:
        return CRITICAL
    if warn is not None and value <= warn:
        return WARNING
    return OK


def threshold_problems(params, names, lower_is_worse=()):
    """One message per pair of thresholds whose warning could never show: ``names`` are the
    pairs' stems ("memory" for memory_warn and memory_crit, or "backup_%s_hours" for
    backup_warn_hours), ``lower_is_worse`` those where a smaller value is the worse one
    (a battery's charge). A pair with a threshold not set (None) is not compared."""
    out = []
    for stem in names:
        warn_key, crit_key = ((stem % "warn", stem % "crit") if "%s" in stem else (stem + "_warn", stem + "_crit"))
        warn, crit = params.get(warn_key), params.get(crit_key)
        if warn is None or crit is None:
            continue
        if stem in lower_is_worse and warn < crit:
            out.append("%s (%g) is below %s (%g): the warning threshold must not be below the critical one"
                       % (warn_key, warn, crit_key, crit))
        elif stem not in lower_is_worse and warn > crit:
            out.append("%s (%g) is above %s (%g): the warning threshold must not be above the critical one"
                       % (warn_key, warn, crit_key, crit))
    return out


def worst(statuses, default=OK):
    """Return the most severe of an iterable of statuses (``default`` when empty)."""
    result = None
    for status in statuses:
        if status not in SEVERITY:
            raise ValueError("unknown status %r" % (status,))
        if result is None or SEVERITY[status] > SEVERITY[result]:
            result = status
    return default if result is None else result


def validate(rec):
    """Return a list of problems with a record (empty when it honours the contract)."""
    problems = []
    if not isinstance(rec, dict):
        return ["record is not a mapping: %r" % (rec,)]
    for field in FIELDS:
        if field not in rec:
            problems.append("missing field %r" % field)
    extra = set(rec) - set(FIELDS) - set(OPTIONAL_FIELDS)
    if extra:
        problems.append("unexpected fields %s" % ", ".join(sorted(extra)))
    if rec.get("status") not in STATUSES:
        problems.append("status %r is not one of %s" % (rec.get("status"), ", ".join(STATUSES)))
    if rec.get("step") not in RECORD_STEPS or isinstance(rec.get("step"), bool):
        problems.append("step %r is not one of %s" % (rec.get("step"), ", ".join(str(s) for s in RECORD_STEPS)))
    for field in ("target", "category", "item", "message"):
        if field in rec and not isinstance(rec[field], str):
            problems.append("%s must be a string" % field)
    if rec.get("status") == UNKNOWN and not rec.get("message"):
        problems.append("UNKNOWN without a reason")
    if rec.get("details") is not None:
        size = details_size(rec["details"])
        if size is None:
            problems.append("details are not JSON")
        elif size > MAX_DETAILS_CHARS:
            problems.append("details are %d characters as JSON, more than %d" % (size, MAX_DETAILS_CHARS))
    return problems


def details_size(details):
    """Length of ``details`` as compact JSON (None when it is not JSON-able)."""
    try:
        return len(json.dumps(details, ensure_ascii=False, separators=(",", ":"), sort_keys=True))
    except (TypeError, ValueError):
        return None


_TRUNCATED_MARK = len(',"truncated":true')


def _shrinkable(holder, key, found):
    """Every non-empty list and every longer text inside ``holder[key]``, as (size, holder, key)."""
    value = holder[key]
    if isinstance(value, dict):
        for sub in value:
            _shrinkable(value, sub, found)
    elif isinstance(value, list):
        if value:
            found.append((details_size(value), holder, key))
        for i in range(len(value)):
            _shrinkable(value, i, found)
    elif isinstance(value, str) and len(value) > 40:
        found.append((details_size(value), holder, key))
    return found


def bound_details(details, limit=MAX_DETAILS_CHARS):
    """``details`` cut down to at most ``limit`` characters as JSON (validate() refuses more).

    Details that fit are returned as they are. Otherwise the largest part is cut again and
    again: a list loses its first (oldest) entries, so the newest log lines stay; a long text
    is halved. A cut mapping says ``"truncated": true``. Details that are not JSON are
    returned unchanged (validate() names them).
    """
    size = details_size(details)
    if size is None or size <= limit:
        return details
    holder = {"d": json.loads(json.dumps(details))}
    while details_size(holder["d"]) + _TRUNCATED_MARK > limit:
        found = _shrinkable(holder, "d", [])
        if not found:
            holder["d"] = {}
            break
        _size, parent, key = max(found, key=lambda f: f[0])
        value = parent[key]
        if isinstance(value, list):
            del value[0]
        else:
            parent[key] = value[:len(value) // 2] + "..."
    out = holder["d"]
    if isinstance(out, dict):
        out["truncated"] = True
    return out


# A 16-digit number may be a NIK (Nomor Induk Kependudukan, the national ID number), which
# SIAK's own logs can carry: it never leaves a host in a record.
_NIK = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")
NIK_MASK = "*" * 16


def mask_personal(text):
    """``text`` with every 16-digit number (a possible NIK) replaced by asterisks."""
    return _NIK.sub(NIK_MASK, text) if isinstance(text, str) else text


def decimal_comma(value, digits=1):
    """A float with a fixed number of decimals and the Indonesian decimal comma: 92.0 -> "92,0"."""
    return ("%.*f" % (digits, value)).replace(".", ",")


def format_number(value, digits=1):
    """Format a number the way the Indonesian report writes it (comma decimal)."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return "{:,}".format(value).replace(",", ".")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return format_number(int(value), digits)
    if isinstance(value, float):
        text = "{:,.{d}f}".format(value, d=digits)
        # 1,234.5 -> 1.234,5
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return str(value)


# A record's unit (as results.json keeps it) -> (Bahasa Indonesia, English) as people read it
# beside the value. Symbols that read the same in both (%, s, ms, B, Mbit/s) are not listed;
# an unlisted unit is shown as it is.
UNIT_WORDS = {
    "C": ("°C", "°C"),
    "cores": ("inti", "cores"),
    "errors": ("galat", "errors"),
    "h": ("jam", "h"),
    "hari": ("hari", "days"),
    "lines": ("baris", "lines"),
    "load/core": ("beban/inti", "load/core"),
    "packages": ("paket", "packages"),
}


def unit_text(unit, lang="id"):
    """A record's unit as people read it in ``lang``: "inti" for "cores", "°C" for "C"."""
    if unit is None:
        return ""
    words = UNIT_WORDS.get(unit)
    if words is None:
        return str(unit)
    return words[1] if lang == "en" else words[0]


def grade_legend(rules, baik_legend, grades, lang="id"):
    """A grade legend from grading rules kept as data (first match wins): for each grade, in
    the order of ``grades``, what gives it; ``baik_legend`` (id, en) says what gives "Baik"."""
    key, baik = ("legend", baik_legend[0]) if lang == "id" else ("legend_en", baik_legend[1])
    legend = {"Baik": [baik]}
    for rule in rules:
        legend.setdefault(rule["grade"], []).append(rule[key])
    return [{"grade": grade, "text": "; ".join(dict.fromkeys(legend[grade]))} for grade in grades if grade in legend]
