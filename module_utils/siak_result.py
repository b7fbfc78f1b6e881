# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one data contract of the project: a result record.

Every check, of every kind, ends as one record (see DESIGN.md):

    step      2, 3 or 4: which SOP step found it
    target    inventory hostname
    category  disk, memory, load, service, time, log, backup, port, link, http, reach, ...
    item      what exactly: a mount point, a service name, an interface, a URL
    status    OK, WARNING, CRITICAL or UNKNOWN (Nagios semantics)
    value     the measured value, machine-readable (number, string, bool or None)
    unit      the unit of value ("%", "s", "ms", "errors/s", ...) or None
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

# Bound on what one record may carry in details (kept in the JSON report).
MAX_DETAILS_CHARS = 4000


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
        rec["details"] = details
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
    if rec.get("step") not in (1, 2, 3, 4):
        problems.append("step %r is not 1..4" % (rec.get("step"),))
    for field in ("target", "category", "item", "message"):
        if field in rec and not isinstance(rec[field], str):
            problems.append("%s must be a string" % field)
    if rec.get("status") == UNKNOWN and not rec.get("message"):
        problems.append("UNKNOWN without a reason")
    return problems


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
