# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Summaries of a round: collect records, grade targets, count, compare rounds, export.

All arithmetic of the report lives here; the templates only lay out what these return.

    siak_collect(hostvars, targets, steps, probes)
                                         every record of the round, plus an UNKNOWN for every
                                         expected result that is missing (coverage)
    siak_grades(records, targets)        checklist grade per target: Baik / Cukup / Kurang / Rusak (in siak_summary)
    siak_summary(records, targets, previous_records=None)
                                         totals, per-step and per-target views, changes since last round
    siak_csv(records)                    the records as CSV text (columns declared in COLUMNS), no formulas
    siak_round_href(round_id)            the history page's link to a round: "<quoted id>/index.html"
    siak_status_label(status, lang)      OK -> "Baik", ... (Bahasa Indonesia or English)
    siak_step_times(step_started, end)   each step's actual time beside the SOP's standard time
    siak_number(value, digits), siak_unit_text(unit, lang)
                                         a value and its unit as the report writes them
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import re
from datetime import datetime
from urllib.parse import quote

import ansible.module_utils as _ansible_module_utils
from ansible.errors import AnsibleFilterError

_MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils")
if _MODULE_UTILS not in _ansible_module_utils.__path__:
    _ansible_module_utils.__path__.append(_MODULE_UTILS)

from ansible.module_utils.siak_probe import probe_identity_of  # noqa: E402  pylint: disable=wrong-import-position
from ansible.module_utils.siak_result import (  # noqa: E402  pylint: disable=wrong-import-position
    CRITICAL, OK, REACH_LOGIN, SEVERITY, STATUSES, UNKNOWN, WARNING, format_number, grade_legend, record, unit_text,
    validate, worst)


def _sibling(name):
    """A filter plugin beside this one, loaded from its path (Ansible loads each plugin under a name of its own)."""
    spec = importlib.util.spec_from_file_location("_siak_summary_" + name, os.path.join(os.path.dirname(
        os.path.abspath(__file__)), name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_FINDINGS = _sibling("siak_findings")
_TEXTS = _sibling("siak_texts")

STATUS_LABELS = {
    "id": {OK: "Normal", WARNING: "Peringatan", CRITICAL: "Kritis", UNKNOWN: "Tidak diketahui"},
    "en": {OK: "OK", WARNING: "Warning", CRITICAL: "Critical", UNKNOWN: "Unknown"},
}

# SOP step 2 condition grades, from good to broken.
GRADES = ("Baik", "Cukup", "Kurang", "Rusak")
GRADE_EN = {"Baik": "Good", "Cukup": "Fair", "Kurang": "Poor", "Rusak": "Broken"}

STEP_TITLES = {
    1: ("Perintah pemeliharaan", "Maintenance order"),
    2: ("Penilaian kondisi aplikasi dan jaringan", "Assessment of application and network"),
    3: ("Pengecekan aplikasi dan jaringan secara periodik", "Periodic check of application and network"),
    4: ("Uji unjuk kerja aplikasi dan jaringan", "Performance test of application and network"),
}

# Kinds of target, by inventory group, in the order the report prefers them.
GROUP_LABELS = (
    ("app", "Server aplikasi"),
    ("db", "Server basis data"),
    ("backup", "Server cadangan"),
    ("timeserver", "Server waktu"),
    ("servers", "Server"),
    ("workstations", "Komputer loket"),
    ("switches", "Switch"),
)

# Indonesian names of the record categories (the code keeps the English keys).
CATEGORY_LABELS = {
    "reach": "Konektivitas", "listen": "Port layanan", "disk": "Disk", "inode": "Inode", "memory": "Memori", "swap": "Swap",
    "load": "Beban CPU", "uptime": "Waktu hidup", "service": "Layanan",
    "time": "Waktu sistem", "log": "Log sistem", "backup": "Cadangan data", "update": "Pembaruan paket",
    "raid": "RAID", "host": "Server", "device": "Perangkat", "port": "Port switch", "port-errors": "Galat port",
    "cpu": "CPU", "switch": "Switch", "link": "Jaringan", "http": "Aplikasi (HTTP)", "tcp": "Koneksi TCP",
    "ping": "Jaringan", "coverage": "Cakupan", "check": "Pemeriksaan", "probe": "Uji unjuk kerja",
    "tls": "Sertifikat TLS", "dns": "DNS", "throughput": "Throughput",
    # Step 2's hardware (the hardware assessment checklist).
    "hw-system": "Sistem", "hw-cpu": "Prosesor", "hw-memory": "Memori (RAM)", "hw-disk": "Disk fisik",
    "hw-temp": "Suhu", "hw-net": "Antarmuka jaringan", "hw-ups": "UPS", "hw-power": "Catu daya", "hw-fan": "Kipas",
}

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember")

# The report's columns, declared once: (field, Indonesian heading, English heading).
COLUMNS = (
    ("step", "Langkah", "Step"),
    ("target", "Perangkat", "Target"),
    ("category", "Kategori", "Category"),
    ("item", "Butir", "Item"),
    ("status", "Status", "Status"),
    ("value", "Nilai", "Value"),
    ("unit", "Satuan", "Unit"),
    ("warn", "Ambang peringatan", "Warning threshold"),
    ("crit", "Ambang kritis", "Critical threshold"),
    ("message", "Keterangan", "Message"),
)


# Every role keeps the records it found in its own host fact, siak_<role>_records.
RECORD_FACT = re.compile(r"^siak_[a-z0-9_]+_records$")


def _records_of(hostvars, host):
    try:
        host_vars = hostvars[host]
        names = [name for name in host_vars if RECORD_FACT.match(name)]
        found = []
        for name in sorted(names):
            value = host_vars[name]
            if isinstance(value, list):
                found.extend(value)
        return found
    except (KeyError, AttributeError):
        return []


def coverage_records(records, targets, steps=(), probes=()):
    """UNKNOWN records for every expected result the round does not have (coverage is explicit).

    ``steps``: the SOP steps that ran in this round (2, 3, 4). Every target must have at
    least one record of step 2 and of step 3 (a target step 2 could not reach carries its
    step-3 "not checked" record); every configured step-4 probe (``probes``, the
    ``siak_perf_probes`` list) must have a record that names it in ``details.probe``.
    The absence of a record is never read as OK.
    """
    steps = {int(s) for s in steps or ()}
    have = {(r["step"], r["target"]) for r in records}
    out = []
    for target in targets:
        for step in sorted(steps & {2, 3}):
            if (step, target) not in have:
                out.append(record("coverage", "langkah %d" % step, UNKNOWN,
                                  "Tidak ada hasil langkah %d untuk perangkat ini: pemeriksaan tidak berjalan "
                                  "atau tidak melapor" % step,
                                  message_en="No step %d result for this target: the check did not run or "
                                             "did not report" % step,
                                  step=step, target=str(target)))
    if 4 in steps:
        probed = {r["details"].get("probe") for r in records
                  if r["step"] == 4 and isinstance(r.get("details"), dict)}
        for probe in probes or ():
            name = probe.get("name") if isinstance(probe, dict) else None
            if name is None or name in probed:
                continue
            # The same records as the probe makes when it runs (probe_identity_of).
            for category, item in probe_identity_of(probe):
                out.append(record(category, item, UNKNOWN,
                                  "Uji '%s' tidak menghasilkan data pada putaran ini" % name,
                                  message_en="The probe '%s' gave no result in this round" % name,
                                  step=4, target=str(probe.get("target") or "localhost"),
                                  details={"probe": str(name)}))
    return out


def siak_collect(hostvars, targets, steps=(), probes=()):
    """Gather every host's ``siak_<role>_records`` facts, then add what is missing.

    ``targets`` is the list of inventory hostnames that the round had to cover: none of
    them may disappear from the report. ``steps`` (the SOP steps that ran) and ``probes``
    (the configured step-4 probes) say what else every target must have (see
    coverage_records); a target with no record at all gets an UNKNOWN one in any case.
    """
    records = []
    # The implicit localhost (where step 4's probes keep their records) is not listed
    # when iterating hostvars: ask for it by name.
    for host in dict.fromkeys(list(hostvars) + ["localhost"]):
        for rec in _records_of(hostvars, host):
            problems = validate(rec)
            if problems:
                raise AnsibleFilterError("record of %s breaks the contract (%s): %r" % (host, "; ".join(problems), rec))
            records.append(dict(rec))
    records.extend(coverage_records(records, targets, steps, probes))
    seen = {r["target"] for r in records}
    for target in targets:
        if target not in seen:
            records.append(record("coverage", "-", UNKNOWN,
                                  "Tidak ada hasil pemeriksaan untuk perangkat ini pada putaran ini",
                                  message_en="No check result for this target in this round",
                                  step=2, target=target))
    records.sort(key=lambda r: (r["step"], r["target"], r["category"], str(r["item"])))
    return records


# The checklist's condition grades as data: the first rule that matches a target's
# records gives its grade; when none matches, the grade is "Baik" (every expected check
# ran and was OK). A rule matches when ANY record fits its fields (``step``,
# ``category``, ``item``, ``status``), or, with ``all_unknown``, when the target has
# records of that step and ALL of them are UNKNOWN (nothing of that step was checked).
GRADE_RULES = (
    {"grade": "Rusak", "step": 2, "category": REACH_LOGIN[0], "item": REACH_LOGIN[1], "status": (WARNING, CRITICAL, UNKNOWN),
     "legend": "perangkat tidak dapat dihubungi", "legend_en": "the target cannot be reached"},
    {"grade": "Kurang", "category": "coverage", "status": (UNKNOWN,),
     "legend": "ada pemeriksaan yang diharapkan tetapi tidak ada hasilnya",
     "legend_en": "an expected check has no result"},
    {"grade": "Kurang", "step": 2, "category": "reach", "status": (WARNING, CRITICAL, UNKNOWN),
     "legend": "perangkat menjawab tetapi tidak dapat diperiksa",
     "legend_en": "the target answers but cannot be checked"},
    {"grade": "Kurang", "step": 3, "all_unknown": True,
     "legend": "tidak satu pun butir langkah 3 dapat diperiksa", "legend_en": "no step-3 item could be checked"},
    {"grade": "Kurang", "status": (CRITICAL,), "legend": "ada butir kritis", "legend_en": "an item is critical"},
    {"grade": "Cukup", "status": (WARNING, UNKNOWN),
     "legend": "ada peringatan atau butir yang tidak dapat dinilai",
     "legend_en": "an item warns or could not be judged"},
)
GRADE_BAIK_LEGEND = ("semua butir yang diharapkan berjalan dan normal", "every expected item ran and is OK")


def _rule_matches(rule, records):
    """The records that make ``rule`` apply to one target (empty: it does not apply)."""
    if rule.get("all_unknown"):
        of_step = [r for r in records if r["step"] == rule["step"]]
        return of_step if of_step and all(r["status"] == UNKNOWN for r in of_step) else []
    return [r for r in records
            if all(r[field] == rule[field] for field in ("step", "category", "item") if field in rule)
            and r["status"] in rule["status"]]


def _sentences(messages):
    """Messages joined with "; " into one sentence ("A; B.", not "A.; B.")."""
    parts = [str(m).strip() for m in dict.fromkeys(messages) if str(m or "").strip()]
    if not parts:
        return ""
    return "; ".join(p.rstrip(".").rstrip() for p in parts) + ("." if parts[-1].endswith(".") else "")


def _grade(records):
    """Grade one target from all its records of the round (GRADE_RULES).

    The SOP fills one checklist through steps 2, 3 and 4, so the grade weighs every
    finding. Returns (grade, reason, reason_en): the reason quotes the records that decided it.
    """
    if not records:
        return "Kurang", "Tidak ada hasil pemeriksaan", "No check result"
    for rule in GRADE_RULES:
        found = _rule_matches(rule, records)
        if found:
            worst_first = sorted(found, key=lambda r: -SEVERITY[r["status"]])[:3]
            return (rule["grade"], _sentences(r["message"] for r in worst_first),
                    _sentences(_TEXTS.siak_message(r, "en") for r in worst_first))
    return "Baik", "Semua butir normal", "Every item OK"


def siak_grade_legend(lang="id"):
    """The checklist's legend, from GRADE_RULES: each grade and what gives it."""
    return grade_legend(GRADE_RULES, GRADE_BAIK_LEGEND, GRADES, lang)


def _grades(records, targets):
    """Each target's grade from the records whose cause lies with it: a step-4 probe whose
    call failed on the workstation it runs from weighs on that workstation (when it is a
    target of the round), not on the device it could not test (siak_findings.device_of)."""
    by_target = {t: [] for t in targets}
    for rec in records:
        device = _FINDINGS.device_of(rec)
        by_target.setdefault(device if device in by_target else rec["target"], []).append(rec)
    out = {}
    for target, recs in by_target.items():
        grade, reason, reason_en = _grade(recs)
        out[target] = {"grade": grade, "grade_en": GRADE_EN[grade], "reason": reason, "reason_en": reason_en}
    return out


def siak_grades(records, targets):
    """Return {target: {"grade": ..., "grade_en": ..., "reason": ...}}: the checklist's condition grades."""
    return {t: {k: v for k, v in g.items() if k != "reason_en"} for t, g in _grades(records, targets).items()}


def _count(records):
    counts = {s: 0 for s in STATUSES}
    for rec in records:
        counts[rec["status"]] += 1
    counts["total"] = len(records)
    return counts


def _key(rec):
    return (rec["step"], rec["target"], rec["category"], str(rec["item"]))


def _changes(records, previous_records):
    """Problems that are new since the previous round, and those that were resolved."""
    if previous_records is None:
        return None
    before = {_key(r): r for r in previous_records}
    now = {_key(r): r for r in records}
    new, resolved, worse = [], [], []
    for key, rec in now.items():
        old = before.get(key)
        if rec["status"] == OK:
            if old is not None and old["status"] != OK:
                resolved.append({"record": rec, "previous_status": old["status"], "previous_record": old})
            continue
        if old is None or old["status"] == OK:
            new.append({"record": rec, "previous_status": old["status"] if old else None})
        elif SEVERITY[rec["status"]] > SEVERITY[old["status"]]:
            worse.append({"record": rec, "previous_status": old["status"]})
    return {"new": new, "worse": worse, "resolved": resolved}


def _group_labels(inventory_groups):
    """Map each host to the label of its first known group (Ansible's ``groups`` as input)."""
    labels = {}
    for group, label in GROUP_LABELS:
        for host in (inventory_groups or {}).get(group, []):
            labels.setdefault(host, label)
    return labels


def _group_problems(problems):
    """Findings that share target, category, status and message, as one entry listing their items.

    Keeps the order of ``problems`` (worst first). A reset switch gives one line naming its
    ports instead of one line per port.
    """
    groups = {}
    for rec in problems:
        key = (rec["status"], rec["target"], rec["category"], rec["message"])
        groups.setdefault(key, {"status": rec["status"], "target": rec["target"], "category": rec["category"],
                                "message": rec["message"], "items": []})["items"].append(str(rec["item"]))
    return list(groups.values())


def _by_target(records):
    out = {}
    for rec in records:
        out.setdefault(rec["target"], []).append(rec)
    return out


def _healthy(recs):
    """The OK records of one target, counted per category: [{"category", "count"}] in category order."""
    counted = {}
    for rec in recs:
        if rec["status"] == OK:
            counted[rec["category"]] = counted.get(rec["category"], 0) + 1
    return [{"category": c, "count": n} for c, n in sorted(counted.items())]


def _step_rows(recs):
    """A step's findings as the report prints them by default (healthy items summarised).

    ``problem_targets``: [{"target", "ok", "rows"}] for every target with an item that is
    not OK, in target order; its rows join the items of one target that share category,
    status and message ("Gi0/1, Gi0/2, ..." in one row), each with the first record (for
    its value and thresholds, shown only when the row has one item). ``healthy_targets``:
    [{"target", "ok"}] for the targets whose items are all OK.
    """
    by_target = {}
    for rec in recs:
        by_target.setdefault(rec["target"], []).append(rec)
    problem_targets, healthy = [], []
    for target in sorted(by_target):
        own = by_target[target]
        bad = [r for r in own if r["status"] != OK]
        ok = len(own) - len(bad)
        if not bad:
            healthy.append({"target": target, "ok": ok})
            continue
        rows = {}
        for rec in sorted(bad, key=lambda r: (-SEVERITY[r["status"]], r["category"], str(r["item"]))):
            key = (rec["category"], rec["status"], rec["message"])
            rows.setdefault(key, {"record": rec, "items": []})["items"].append(str(rec["item"]))
        problem_targets.append({"target": target, "ok": ok, "rows": list(rows.values())})
    return {"problem_targets": problem_targets, "healthy_targets": healthy}


def siak_summary(records, targets, previous_records=None, inventory_groups=None):
    """Everything the report lays out, computed once.

    ``inventory_groups`` is Ansible's ``groups``: it gives each target its kind
    (application server, workstation, switch, ...) for the report.

    The devices of the office are ``targets``: their grades are counted in
    ``grade_counts`` and listed in ``targets``. Records may also name other targets (a
    step-4 probe of the gateway or the data centre): those are graded too (``grades``)
    but listed apart in ``other_targets`` and never counted as devices of the office.
    """
    groups = _group_labels(inventory_groups)
    by_target = _by_target(records)
    full_grades = _grades(records, targets)
    grades = {t: {k: v for k, v in g.items() if k != "reason_en"} for t, g in full_grades.items()}
    rank = {label: i for i, (_group, label) in enumerate(GROUP_LABELS)}
    per_target = []
    for target in sorted(targets, key=lambda t: (rank.get(groups.get(t), len(rank)), t)):
        recs = by_target.get(target, [])
        status = worst((r["status"] for r in recs), default=UNKNOWN)
        per_target.append({
            "target": target,
            "group": groups.get(target, ""),
            "status": status,
            "counts": _count(recs),
            "grade": grades[target]["grade"],
            "grade_en": grades[target]["grade_en"],
            "grade_reason": grades[target]["reason"],
            "grade_reason_en": full_grades[target]["reason_en"],
            "problems": [r for r in recs if r["status"] != OK],
            "healthy": _healthy(recs),
        })
    # Records whose target is not an inventory host (e.g. a probe of the data centre).
    target_set = set(targets)
    extra = sorted(set(by_target) - target_set)
    other = [{"target": t, "status": worst((r["status"] for r in by_target[t]), default=UNKNOWN),
              "grade": grades[t]["grade"], "grade_en": grades[t]["grade_en"], "grade_reason": grades[t]["reason"],
              "counts": _count(by_target[t])} for t in extra]
    per_step = []
    for step in (2, 3, 4):
        recs = [r for r in records if r["step"] == step]
        per_step.append({
            "step": step,
            "title": STEP_TITLES[step][0],
            "title_en": STEP_TITLES[step][1],
            "status": worst((r["status"] for r in recs), default=OK),
            "counts": _count(recs),
            "records": recs,
            **_step_rows(recs),
        })
    problems = sorted((r for r in records if r["status"] != OK),
                      key=lambda r: (-SEVERITY[r["status"]], r["target"], r["category"], str(r["item"])))
    grade_counts = {g: 0 for g in GRADES}
    for target in targets:
        grade_counts[grades[target]["grade"]] += 1
    kinds = {t: groups.get(t, "") for t in targets}
    for t in extra:
        kinds[t] = _FINDINGS.OUTSIDE_KIND
    changes = _changes(records, previous_records)
    return {
        "status": worst((r["status"] for r in records), default=UNKNOWN),
        "counts": _count(records),
        "grade_counts": grade_counts,
        "grades": grades,
        "targets": per_target,
        "other_targets": extra,
        "other": other,
        "steps": per_step,
        "problems": problems,
        "problem_groups": _group_problems(problems),
        "finding_groups": _FINDINGS.siak_finding_groups(problems, kinds),
        "changes": changes,
        "change_groups": None if changes is None else {
            # A resolved finding is grouped by what it was (its previous record).
            key: _FINDINGS.siak_finding_groups([c["previous_record" if key == "resolved" else "record"]
                                                for c in changes[key]], kinds)
            for key in ("new", "worse", "resolved")},
        "kinds": kinds,
        "columns": [{"field": f, "id": i, "en": e} for f, i, e in COLUMNS],
    }


# A spreadsheet reads a cell that starts with one of these as a formula (OWASP, CSV injection).
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    """One CSV cell: numbers as they are; text that a spreadsheet would run as a formula gets a leading '.

    Only the first character counts (OWASP's advice): " =1" stays as it is. Text from a
    device such as "-5" becomes "'-5"; numbers the project computed (int, float, bool) are
    written untouched, so a negative number stays machine-readable.
    """
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(CSV_FORMULA_STARTS) else text


def siak_csv(records):
    """The records as CSV text, one row per record, columns as in COLUMNS; text cells cannot be formulas.

    Rows end in CRLF (RFC 4180, the csv module's default): the writer quotes a cell only
    when it holds a character of the line terminator, so with a bare LF a carriage return
    in a device's text would be written unquoted and break the row.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c[0] for c in COLUMNS])
    for rec in records:
        writer.writerow([_csv_cell(rec.get(c[0])) for c in COLUMNS])
    return buf.getvalue()


def _csv_cell_id(value):
    """One cell of the people's CSV: numbers with a decimal comma and no thousands separator, text as in _csv_cell."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return repr(value).replace(".", ",") if value != int(value) or abs(value) >= 1e16 else str(int(value))
    return _csv_cell(value)


def siak_csv_people(records, lang="id"):
    """The records as a CSV that a spreadsheet with Indonesian settings opens directly.

    UTF-8 with a byte-order mark (Excel then reads UTF-8), ";" between cells (the list
    separator of an Indonesian locale, where "," is the decimal mark), numbers with a
    decimal comma, headings, statuses, categories and units in the report's language, CRLF
    line ends. Text cells cannot be formulas (as siak_csv). The machine CSV (siak_csv) stays
    as it is.
    """
    heading = 1 if lang != "en" else 2
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([c[heading] for c in COLUMNS])
    for rec in records:
        row = []
        for field, _id, _en in COLUMNS:
            value = rec.get(field)
            if field == "status" and value in STATUS_LABELS["id"]:
                value = STATUS_LABELS["en" if lang == "en" else "id"][value]
            elif field == "category" and lang != "en":
                value = CATEGORY_LABELS.get(value, value)
            elif field == "message" and lang == "en" and rec.get("message_en"):
                value = rec["message_en"]
            elif field == "unit" and value is not None:
                value = unit_text(value, "en" if lang == "en" else "id")
            row.append(_csv_cell_id(value))
        writer.writerow(row)
    return "\ufeff" + buf.getvalue()


def siak_load_round(text):
    """A round's results.json text -> dict; {} when it is missing or not a round (never fails the report)."""
    try:
        data = json.loads(text or "")
    except ValueError:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("records"), list) or not isinstance(data.get("round"), dict):
        return {}
    data["records"] = [r for r in data["records"] if not validate(r)]
    return data


def siak_round_href(round_id):
    """The history page's link to a round: "<quoted id>/index.html", relative; "" when there is none.

    Built from the id, never read back from history.json: quoting every character but
    letters, digits and "_.-~" keeps a hostile id from becoming a "javascript:" URL, another
    site or another folder ("/" is quoted too; "." and ".." give no link).
    """
    quoted = quote(str(round_id or ""), safe="")
    if quoted in ("", ".", ".."):
        return ""
    return quoted + "/index.html"


def siak_status_label(status, lang="id"):
    """Human label of a status in the report's language."""
    try:
        return STATUS_LABELS[lang][status]
    except KeyError as exc:
        raise AnsibleFilterError("no label for status %r in language %r" % (status, lang)) from exc


def siak_category_label(category):
    """Indonesian name of a record category (the key itself when there is none)."""
    return CATEGORY_LABELS.get(category, category)


def siak_date(iso, with_time=True):
    """An ISO timestamp as the report writes it: "25 November 2026 21.24"."""
    try:
        moment = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    text = "%d %s %d" % (moment.day, MONTHS_ID[moment.month - 1], moment.year)
    if with_time:
        text += " %02d.%02d" % (moment.hour, moment.minute)
    return text


def siak_number(value, digits=1):
    """A number as the Indonesian report writes it (1.234,5)."""
    return format_number(value, digits)


def siak_unit_text(unit, lang="id"):
    """A record's unit as the report shows it in ``lang`` (module_utils/siak_result.py UNIT_WORDS)."""
    return unit_text(unit, _TEXTS._lang(lang))  # pylint: disable=protected-access


# The SOP's standard time (Mutu Baku: Waktu) per step, minutes.
STANDARD_MINUTES = {1: 2, 2: 5, 3: 30, 4: 10}


def _seconds_between(start, end):
    try:
        return int(round((datetime.fromisoformat(str(end)) - datetime.fromisoformat(str(start))).total_seconds()))
    except (TypeError, ValueError):
        return None


def siak_step_times(step_started, finished):
    """Each step's actual time beside the SOP's standard time.

    ``step_started`` maps "1".."4" and "report" to ISO start times; a step ends when the
    next one that ran starts, the last one at ``finished``.
    """
    marks = sorted(((k, v) for k, v in (step_started or {}).items() if v), key=lambda kv: str(kv[1]))
    out = []
    for i, (key, start) in enumerate(marks):
        if key not in ("1", "2", "3", "4"):
            continue
        end = marks[i + 1][1] if i + 1 < len(marks) else finished
        step = int(key)
        seconds = _seconds_between(start, end)
        out.append({"step": step, "title": STEP_TITLES[step][0], "title_en": STEP_TITLES[step][1],
                    "standard_minutes": STANDARD_MINUTES[step], "seconds": seconds,
                    "within_standard": seconds is not None and seconds <= STANDARD_MINUTES[step] * 60})
    return out


class FilterModule:
    """Round summary filters."""

    def filters(self):
        return {
            "siak_collect": siak_collect,
            "siak_grade_legend": siak_grade_legend,
            "siak_summary": siak_summary,
            "siak_csv": siak_csv,
            "siak_csv_people": siak_csv_people,
            "siak_load_round": siak_load_round,
            "siak_round_href": siak_round_href,
            "siak_status_label": siak_status_label,
            "siak_number": siak_number,
            "siak_unit_text": siak_unit_text,
            "siak_category_label": siak_category_label,
            "siak_date": siak_date,
            "siak_step_times": siak_step_times,
        }
