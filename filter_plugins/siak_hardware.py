# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The hardware assessment checklist (Ceklis Penilaian Perangkat Keras), computed once.

    siak_hardware_section(hostvars, targets, records)
        per target: what step 2 found (``siak_assess_hardware``: hardware, previous_hardware,
        not_applicable), the asset data from the inventory (``siak_asset_*``) and the
        checklist's grade: the ``hardware`` object of results.json
    siak_hardware_checklist(section, records, summary_targets)
        the checklist document's data: per device its header and rows (item, expected
        condition, found, previous round, mark, note), in the report's order of targets
    siak_hardware_legend(lang)
        HW_GRADE_RULES as the document's legend

A row is a step-2 record whose category starts with ``hw-`` or is ``raid``, or a
``not_applicable`` entry of the hardware module (mark "Tidak berlaku"). A target step 2
could not reach is Rusak with one row saying why; a target whose hardware was not read
(the check switched off, the module could not run) has a row saying so, never Baik.
All words and numbers are made here; the template only lays them out.
"""

from __future__ import annotations

import os

import ansible.module_utils as _ansible_module_utils

_MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils")
if _MODULE_UTILS not in _ansible_module_utils.__path__:
    _ansible_module_utils.__path__.append(_MODULE_UTILS)

from ansible.module_utils.siak_result import (  # noqa: E402  pylint: disable=wrong-import-position
    CRITICAL, OK, REACH_LOGIN, SEVERITY, UNKNOWN, WARNING, format_number, grade_legend, unit_text)
from ansible.module_utils.siak_host_judge import human_duration  # noqa: E402  pylint: disable=wrong-import-position
from ansible.module_utils.siak_switch_hw import STATE_ONLY  # noqa: E402  pylint: disable=wrong-import-position

# The host fact step 2 (roles/siak_assess) leaves for the report.
HARDWARE_FACT = "siak_assess_hardware"

# Asset data: inventory host variable -> key of ``asset`` (all optional; missing is empty).
ASSET_VARS = (
    ("siak_asset_number", "number"),      # nomor inventaris barang
    ("siak_asset_location", "location"),  # ruang / lokasi
    ("siak_asset_year", "year"),          # tahun pengadaan
    ("siak_asset_owner", "owner"),        # penanggung jawab
)
ASSET_LABELS = {"number": "Nomor inventaris barang", "location": "Ruang / lokasi", "year": "Tahun pengadaan",
                "owner": "Penanggung jawab"}

HW_GRADES = ("Baik", "Kurang", "Rusak")
HW_GRADE_EN = {"Baik": "Good", "Kurang": "Poor", "Rusak": "Broken"}

# The grade of a device from its checklist rows, as data: the first rule that matches any
# row gives the grade; when none matches the grade is "Baik". A rule matches a row by its
# ``kind`` and/or its ``status`` (a not-applicable row has no status and matches none).
HW_GRADE_RULES = (
    {"grade": "Rusak", "kind": ("unreachable",),
     "legend": "perangkat tidak dapat dihubungi pada langkah 2 (penilaian)",
     "legend_en": "the device could not be reached in step 2"},
    {"grade": "Rusak", "status": (CRITICAL,),
     "legend": "ada butir kritis (mis. disk rusak atau hilang, RAID terdegradasi, suhu mencapai titik kritis, "
               "baterai UPS lemah, kipas mati)",
     "legend_en": "a row is critical (e.g. a failing or missing disk, a degraded RAID, a critical temperature, "
                  "a low UPS battery, a failed fan)"},
    {"grade": "Kurang", "status": (WARNING, UNKNOWN),
     "legend": "ada peringatan, atau butir yang tidak dapat dinilai atau tidak diperiksa",
     "legend_en": "a row warns, or could not be judged or was not checked"},
)
HW_GRADE_BAIK_LEGEND = ("semua butir baik atau tidak berlaku", "every row is good or not applicable")

# The marks of the SOP's checklist.
MARK_GOOD, MARK_BAD, MARK_NA = "Baik", "Tidak", "Tidak berlaku"

# Per category: its label in the checklist, whether the item is named beside it, the
# expected condition, and its place in a device's rows.
HW_ITEMS = {
    "hw-system": ("Sistem", False, "Merek, model dan nomor seri terbaca"),
    "hw-cpu": ("Prosesor", False, "Semua inti prosesor terbaca; jumlahnya tidak berkurang"),
    "hw-memory": ("Memori (RAM)", False, "Kapasitas RAM tidak berkurang"),
    "hw-disk": ("Disk", True, "SMART lulus; tidak ada sektor yang dialihkan atau tertunda; disk tidak hilang"),
    "raid": ("RAID", True, "Semua anggota array aktif (tidak terdegradasi)"),
    "hw-temp": ("Suhu", True, "Di bawah batas tinggi dan titik kritis sensor"),
    "hw-net": ("Jaringan", True, "Terhubung, full duplex; galat tidak bertambah"),
    "hw-ups": ("UPS", True, "Daya dari listrik (online); baterai di atas 50 %"),
    "hw-power": ("Catu daya", True, "Catu daya berfungsi"),
    "hw-fan": ("Kipas", True, "Kipas berfungsi"),
}
HW_ORDER = tuple(HW_ITEMS)
# Items that only repeat the category (a not-applicable entry for the whole check).
GENERIC_ITEMS = {"system", "cpu", "ram", "memory", "ups", "fan", "fans", "power", "psu", "disk", "raid", "temp",
                 "sensor", "net", "-"}

UNREACHABLE_ROW = ("Perangkat", "Dapat dihubungi dan diperiksa")
NOT_CHECKED_ROW = ("Perangkat keras", "Perangkat keras terbaca")
NOT_CHECKED_NOTE = ("Perangkat keras tidak diperiksa pada putaran ini", "The hardware was not checked in this round")
NO_PREVIOUS = "-"          # the first round: nothing to compare with
GONE = "tidak ada"         # the previous round did not have this item


def is_hardware_record(rec):
    """A step-2 record that is a row of the hardware checklist."""
    category = str(rec.get("category", ""))
    return rec.get("step") == 2 and (category.startswith("hw-") or category == "raid")


def _text(value):
    return "" if value is None else str(value)


def _get(mapping, key, default=None):
    """``mapping[key]`` for a dict or Ansible's hostvars (which raise on a missing key)."""
    try:
        return mapping[key]
    except (KeyError, TypeError, AttributeError):
        return default
    except Exception:  # pylint: disable=broad-except  # an undefined inventory value: treated as missing
        return default


def _asset(host_vars, fact):
    """The asset data of one target: inventory variables first, then what step 2 noted; missing is ''."""
    noted = fact.get("asset") if isinstance(fact, dict) and isinstance(fact.get("asset"), dict) else {}
    out = {}
    for var, key in ASSET_VARS:
        value = _get(host_vars, var)
        if value is None:
            value = noted.get(key)
        out[key] = _text(value)
    return out


def _plain(value):
    """A JSON-able copy (Ansible hands tagged str/dict subclasses to filters)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def _not_applicable(entries):
    out = []
    for entry in entries or []:
        if isinstance(entry, dict) and entry.get("category"):
            out.append({"category": str(entry["category"]), "item": _text(entry.get("item")) or "-",
                        "reason": _text(entry.get("reason")), "reason_en": _text(entry.get("reason_en"))})
    return out


# --- What a row found, in words --------------------------------------------------------

def _gb(size, unit=1000 ** 3, name="GB"):
    """A size the way the checklist shows it: whole units from 100 up ('500 GB', '16 GiB')."""
    if not isinstance(size, (int, float)) or isinstance(size, bool):
        return None
    value = size / unit
    return "%s %s" % (format_number(round(value, 1 if value < 100 else 0), 1), name)


def _celsius(value):
    return None if value is None else "%s °C" % format_number(float(value), 1)


def _join(parts, sep=", "):
    return sep.join(p for p in parts if p)


def _find(items, key, name):
    for entry in items or []:
        if isinstance(entry, dict) and str(entry.get(key)) == str(name):
            return entry
    return None


def _describe_system(system):
    if not isinstance(system, dict):
        return None
    parts = [_join([_text(system.get("vendor")), _text(system.get("model"))], " ")]
    if system.get("serial"):
        parts.append("nomor seri %s" % system["serial"])
    if system.get("os_version"):
        parts.append("versi OS %s" % system["os_version"])
    if system.get("uptime_seconds") is not None:
        parts.append("hidup %s" % human_duration(system["uptime_seconds"]))
    if system.get("virtual"):
        parts.append("mesin virtual")
    return _join(parts) or "tidak terbaca"


def _describe_cpu(cpu):
    if not isinstance(cpu, dict):
        return None
    counts = []
    for key, word in (("sockets", "soket"), ("cores", "inti"), ("threads", "thread")):
        if cpu.get(key) is not None:
            counts.append("%s %s" % (format_number(cpu[key]), word))
    return _join([_text(cpu.get("model")), _join(counts)]) or "tidak terbaca"


def _describe_memory(memory):
    if not isinstance(memory, dict):
        return None
    return _gb(memory.get("total_bytes"), 1024 ** 3, "GiB") or "tidak terbaca"


def _describe_disk(disk):
    if disk is None:
        return None
    health = {"passed": "SMART lulus", "failed": "SMART gagal"}.get(disk.get("health"))
    return _join([_text(disk.get("model")), _gb(disk.get("size_bytes")),
                  "nomor seri %s" % disk["serial"] if disk.get("serial") else "", health or ""]) or "-"


def _describe_raid(array):
    if array is None:
        return None
    return _join([_text(array.get("level")), _text(array.get("state"))]) or "-"


def _describe_sensor(sensor):
    if sensor is None:
        return None
    limits = _join(["tinggi %s" % _celsius(sensor["high"]) if sensor.get("high") is not None else "",
                    "kritis %s" % _celsius(sensor["crit"]) if sensor.get("crit") is not None else ""])
    # A switch's sensor that tells only its verdict, no degrees (Cisco's "TEMPERATURE is OK").
    verdict = STATE_ONLY.get(sensor.get("state"))
    now = _celsius(sensor.get("celsius")) or ("%s menurut switch" % verdict[1] if verdict else "-")
    return "%s (%s)" % (now, limits) if limits else now


def _describe_nic(nic):
    if nic is None:
        return None
    if not nic.get("up"):
        link = "tidak terhubung"
    else:
        link = _join(["terhubung", "%s Mb/s" % format_number(nic["speed_mbps"]) if nic.get("speed_mbps") else "",
                      "%s duplex" % nic["duplex"] if nic.get("duplex") else ""])
    errors = ""
    if nic.get("rx_errors") is not None or nic.get("tx_errors") is not None:
        errors = "galat terima %s / kirim %s" % (format_number(nic.get("rx_errors")), format_number(nic.get("tx_errors")))
    return _join([link, errors], "; ")


def _describe_ups(ups):
    if ups is None:
        return None
    return _join(["status %s" % ups["status"] if ups.get("status") else "",
                  "baterai %s %%" % format_number(ups["charge_pct"]) if ups.get("charge_pct") is not None else ""]) or "-"


def _describe_status(entry):
    return None if entry is None else (_text(entry.get("status")) or "-")


# Category -> (the snapshot's section, None for a single part or the key that names an entry, how to word it).
DESCRIBERS = {
    "hw-system": ("system", None, _describe_system),
    "hw-cpu": ("cpu", None, _describe_cpu),
    "hw-memory": ("memory", None, _describe_memory),
    "hw-disk": ("disks", "name", _describe_disk),
    "raid": ("raid", "name", _describe_raid),
    "hw-temp": ("sensors", "label", _describe_sensor),
    "hw-net": ("nics", "name", _describe_nic),
    "hw-ups": ("ups", "name", _describe_ups),
    "hw-power": ("power", "name", _describe_status),
    "hw-fan": ("fans", "name", _describe_status),
}


def describe(category, item, hardware):
    """What ``hardware`` (a module's snapshot) says about one row, in words; None when it does not know it."""
    if not isinstance(hardware, dict) or category not in DESCRIBERS:
        return None
    section, key, words = DESCRIBERS[category]
    return words(hardware.get(section) if key is None else _find(hardware.get(section), key, item))


def _record_value(rec):
    if rec.get("value") is None:
        return None
    value = format_number(rec["value"], 1)
    return "%s %s" % (value, unit_text(rec["unit"])) if rec.get("unit") else value


def item_label(category, item):
    """The row's item in the SOP's words: "Disk sda", "Suhu coretemp Package id 0", "Memori (RAM)"."""
    label, named, _expected = HW_ITEMS.get(category, (category, True, ""))
    item = _text(item)
    if named and item and item.lower() not in GENERIC_ITEMS:
        return "%s %s" % (label, item)
    return label


# --- Rows and grades --------------------------------------------------------------------

def _row(kind, category, item, label, expected, found, previous, status, note, note_en=""):
    if kind == "not_applicable":
        mark = MARK_NA
    else:
        mark = MARK_GOOD if status == OK else MARK_BAD
    return {"kind": kind, "category": category, "item": item, "label": label, "expected": expected,
            "found": found, "previous": previous, "mark": mark, "status": status, "note": note, "note_en": note_en}


def _not_checked_row(note, note_en):
    return _row("not_checked", "hw-system", "-", NOT_CHECKED_ROW[0], NOT_CHECKED_ROW[1], "Tidak diperiksa",
                NO_PREVIOUS, UNKNOWN, note, note_en)


def _order(row):
    return (HW_ORDER.index(row["category"]) if row["category"] in HW_ORDER else len(HW_ORDER), row["item"])


def _reach_problem(step2):
    """The step-2 login record of a target that could not be reached (None when it was reached)."""
    for rec in step2:
        if (rec.get("category"), rec.get("item")) == REACH_LOGIN and rec.get("status") != OK:
            return rec
    return None


def device_rows(info, records):
    """The checklist rows of one target: ``info`` its entry of siak_hardware_section (without grade),
    ``records`` every record of the round for that target."""
    step2 = [r for r in records if r.get("step") == 2]
    unreachable = _reach_problem(step2)
    if unreachable is not None:
        return [_row("unreachable", "reach", "ssh", UNREACHABLE_ROW[0], UNREACHABLE_ROW[1], "Tidak dapat dihubungi",
                     NO_PREVIOUS, unreachable["status"], unreachable.get("message", ""),
                     unreachable.get("message_en", ""))]
    if not info.get("checked"):
        # Not read (switched off, no module runs there, step 2 did not run): never "Baik" for want of a row.
        reach = [r for r in step2 if r.get("category") == REACH_LOGIN[0] and r.get("status") != OK]
        if reach:
            # The host answers but no module runs there (or step 2's role failed): that is why.
            note, note_en = reach[0].get("message", ""), reach[0].get("message_en", "")
        else:
            note = info.get("note") or NOT_CHECKED_NOTE[0]
            note_en = info.get("note_en") or NOT_CHECKED_NOTE[1]
        return [_not_checked_row(note, note_en)]
    hardware, previous = info.get("hardware"), info.get("previous_hardware")
    rows = []
    for rec in step2:
        if not is_hardware_record(rec):
            continue
        category, item = rec["category"], _text(rec.get("item"))
        found = describe(category, item, hardware)
        if found is None:
            found = _record_value(rec) or ("tidak ada" if category == "hw-disk" and hardware else "-")
        if previous is None:
            before = NO_PREVIOUS
        else:
            before = describe(category, item, previous) or GONE
        rows.append(_row("record", category, item, item_label(category, item), HW_ITEMS.get(category, ("", 0, ""))[2],
                         found, before, rec["status"], rec.get("message", ""), rec.get("message_en", "")))
    for entry in info.get("not_applicable") or []:
        category = entry["category"]
        rows.append(_row("not_applicable", category, entry["item"], item_label(category, entry["item"]),
                         HW_ITEMS.get(category, ("", 0, ""))[2], "-", "-", None, entry["reason"], entry["reason_en"]))
    if not rows:
        # The module ran but gave nothing a row shows (e.g. a switch whose host key is unknown): say why.
        problems = [r for r in step2 if r.get("status") != OK]
        note = problems[0]["message"] if problems else "Pemeriksaan perangkat keras tidak menghasilkan data"
        note_en = problems[0].get("message_en", "") if problems else "The hardware check returned no data"
        rows.append(_not_checked_row(note, note_en))
    rows.sort(key=_order)
    return rows


def _rule_rows(rule, rows):
    return [row for row in rows
            if ("kind" not in rule or row["kind"] in rule["kind"])
            and ("status" not in rule or row["status"] in rule["status"])]


def _reason(row):
    """A row in the grade's reason: its note, after its label unless the note already starts with it."""
    note = _text(row.get("note"))
    return note if note.lower().startswith(row["label"].lower()) else "%s: %s" % (row["label"], note)


def device_grade(rows):
    """(grade, reason) of one device from its rows (HW_GRADE_RULES, first match wins)."""
    if not rows:
        return "Kurang", "Tidak ada data perangkat keras"
    for rule in HW_GRADE_RULES:
        found = _rule_rows(rule, rows)
        if found:
            worst_first = sorted(found, key=lambda r: -SEVERITY.get(r["status"], 0))
            return rule["grade"], "; ".join(dict.fromkeys(_reason(r) for r in worst_first[:3]))
    return "Baik", "Semua butir baik atau tidak berlaku"


def siak_hardware_legend(lang="id"):
    """The checklist's legend, from HW_GRADE_RULES: each grade and what gives it."""
    return grade_legend(HW_GRADE_RULES, HW_GRADE_BAIK_LEGEND, HW_GRADES, lang)


def _by_target(records):
    out = {}
    for rec in records or []:
        out.setdefault(rec.get("target"), []).append(rec)
    return out


def siak_hardware_section(hostvars, targets, records):
    """results.json's ``hardware``: {target: {hardware, previous_hardware, not_applicable, asset,
    checked, note, grade, grade_en, reason}} for every target the round had to cover."""
    by_target = _by_target(records)
    out = {}
    for target in targets or []:
        host_vars = _get(hostvars, target, {})
        fact = _get(host_vars, HARDWARE_FACT)
        fact = fact if isinstance(fact, dict) else {}
        info = {
            "checked": bool(fact.get("checked", False)),
            "hardware": _plain(fact["hardware"]) if isinstance(fact.get("hardware"), dict) else None,
            "previous_hardware": (_plain(fact["previous_hardware"])
                                  if isinstance(fact.get("previous_hardware"), dict) else None),
            "not_applicable": _not_applicable(fact.get("not_applicable")),
            "asset": _asset(host_vars, fact),
        }
        # Why the hardware was not read (the check switched off; step 2 did not run): the row's note.
        info["note"] = "" if info["checked"] else (_text(fact.get("note")) or NOT_CHECKED_NOTE[0])
        grade, reason = device_grade(device_rows(dict(info, note_en=_text(fact.get("note_en"))),
                                                 by_target.get(str(target), [])))
        info.update(grade=grade, grade_en=HW_GRADE_EN[grade], reason=reason)
        out[str(target)] = info
    return out


def siak_hardware_checklist(section, records, summary_targets=None):
    """The checklist document's data: devices in the report's order (``summary_targets``: the
    ``targets`` of siak_summary, which carry each target's group), each with its rows."""
    by_target = _by_target(records)
    order = [(t["target"], t.get("group", "")) for t in summary_targets or [] if t.get("target") in section]
    order += [(t, "") for t in sorted(section) if t not in {name for name, _group in order}]
    devices = []
    counts = {grade: 0 for grade in HW_GRADES}
    for target, group in order:
        info = section[target]
        rows = device_rows(info, by_target.get(target, []))
        counts[info["grade"]] = counts.get(info["grade"], 0) + 1
        devices.append({"target": target, "group": group, "asset": info["asset"],
                        "asset_rows": [{"label": ASSET_LABELS[key], "value": info["asset"].get(key, "")}
                                       for _var, key in ASSET_VARS],
                        "grade": info["grade"], "grade_en": info["grade_en"], "reason": info["reason"],
                        "first_round": info.get("previous_hardware") is None, "rows": rows})
    return {"devices": devices, "grade_counts": counts, "legend": siak_hardware_legend("id"),
            "legend_en": siak_hardware_legend("en")}


class FilterModule:
    """Hardware checklist filters."""

    def filters(self):
        return {
            "siak_hardware_section": siak_hardware_section,
            "siak_hardware_checklist": siak_hardware_checklist,
            "siak_hardware_legend": siak_hardware_legend,
        }
