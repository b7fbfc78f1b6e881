# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The switch's hardware (the ``environment`` check, SOP step 2) -> the hardware snapshot,
result records and the checks that do not apply (pure Python).

Records: ``hw-system`` (model, serial, OS version, uptime: informational OK),
``hw-power`` per supply, ``hw-fan`` per fan, ``hw-temp`` per sensor. A section the switch
does not tell at all (its CLI has no fans, a board without temperature sensors) is not a
record but a ``not_applicable`` entry; a command that was refused or did not parse is an
UNKNOWN record (``env_failure_records``), never not applicable.

The snapshot of the previous round (``previous``: the ``hardware`` this module returned
then, kept by the role in the switch's state under ``hardware``) turns a supply or fan
that was there and is gone into a WARNING.
"""

from __future__ import annotations

import re

from ansible.module_utils.siak_result import CRITICAL, OK, WARNING, format_number, record, unknown
from ansible.module_utils.siak_switch_platforms import ENVIRONMENT, HW_FIELDS, PARSER_TABLE

# Section of the model -> record category, the item of its not-applicable entry, and the
# words for it.
SECTIONS = {
    "power": ("hw-power", "power", "catu daya", "power supplies"),
    "fans": ("hw-fan", "fan", "kipas", "fans"),
    "sensors": ("hw-temp", "temperature", "suhu", "temperatures"),
}
CATEGORY_OF_SECTION = dict({"device": "hw-system"}, **{s: v[0] for s, v in SECTIONS.items()})

# Degrees below the critical point that warn when a sensor tells no warning point of its own.
TEMP_MARGIN = 5.0

# Points for a sensor that tells neither points nor a verdict of its own (RouterOS's
# `/system health print`): a switch's board above 70 C is hot, above 85 C in danger.
DEFAULT_TEMP_WARN = 70.0
DEFAULT_TEMP_CRIT = 85.0


def _natural(name):
    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", name)]


def _items(section):
    return sorted((section or {}).values(), key=lambda item: _natural(item["name"]))


def hardware_of(model):
    """The hardware snapshot of the contract (small, JSON-able) from the switch model."""
    device = model.get("device") or {}
    return {
        "system": {"vendor": model.get("vendor"), "model": device.get("model"), "serial": device.get("serial"),
                   "os_version": device.get("version"), "uptime_seconds": device.get("uptime_s")},
        "power": [{"name": i["name"], "status": i.get("status")} for i in _items(model.get("power"))],
        "fans": [{"name": i["name"], "status": i.get("status")} for i in _items(model.get("fans"))],
        "sensors": [dict({"label": i["name"], "celsius": i.get("celsius"), "high": i.get("high"), "crit": i.get("crit")},
                         # a sensor that tells only the switch's verdict ("TEMPERATURE is OK")
                         **({"state": i["state"]} if i.get("celsius") is None and i.get("state") else {}))
                    for i in _items(model.get("sensors"))],
    }


def _sections_of(platform, command):
    """The environment sections a command's readings fill."""
    return {reading["section"] for reading in PARSER_TABLE[platform]["parsers"].get(command, ())}


def env_failure_records(model):
    """One UNKNOWN record per hardware category a failed environment command would have told."""
    out = []
    for check, command, reason in model["failures"]:
        if check != ENVIRONMENT:
            continue
        for section in sorted(_sections_of(model["platform"], command)):
            category = CATEGORY_OF_SECTION.get(section)
            if category is None:
                continue
            out.append(unknown(category, command, "Keluaran perintah '%s' tidak dapat dibaca (%s)" % (command, reason),
                               "The output of '%s' could not be read (%s)" % (command, reason)))
    return out


def _previous_present(previous, section):
    """Names (lower case) of the supplies or fans that were present in the previous round."""
    if not isinstance(previous, dict) or not isinstance(previous.get(section), list):
        return {}
    out = {}
    for item in previous[section]:
        if isinstance(item, dict) and isinstance(item.get("name"), str) and item.get("status") in ("ok", "fail"):
            out[item["name"].lower()] = item["name"]
    return out


def judge_system(model):
    """The ``hw-system`` record: what the switch is (informational OK)."""
    device = model.get("device")
    if not device:
        return []
    vendor, name = model.get("vendor"), device.get("model")
    ident = " ".join(x for x in (vendor, name) if x)
    parts_id, parts_en = [ident], [ident]
    if device.get("serial"):
        parts_id.append("nomor seri %s" % device["serial"])
        parts_en.append("serial %s" % device["serial"])
    if device.get("version"):
        parts_id.append("versi %s" % device["version"])
        parts_en.append("version %s" % device["version"])
    uptime = device.get("uptime_s")
    if uptime is not None:
        days = int(uptime) // 86400
        parts_id.append("menyala %d hari" % days)
        parts_en.append("up %d days" % days)
    details = {"vendor": vendor, "model": name, "serial": device.get("serial"), "os_version": device.get("version"),
               "uptime_seconds": uptime}
    return [record("hw-system", "system", OK, ", ".join(parts_id), value=name or vendor,
                   message_en=", ".join(parts_en), details=details)]


_WORDS = {"hw-power": ("Catu daya", "Power supply"), "hw-fan": ("Kipas", "Fan")}


def _judge_parts(section, items, previous):
    """Records of the supplies or fans: ok OK, fail CRITICAL, an empty bay OK unless it was
    present in the previous round (WARNING), and a part of the previous round gone WARNING."""
    category = SECTIONS[section][0]
    word_id, word_en = _WORDS[category]
    was_present = _previous_present(previous, section)
    out = []
    seen = set()
    for item in _items(items):
        name, status = item["name"], item.get("status")
        seen.add(name.lower())
        details = {k: item.get(k) for k in HW_FIELDS[section] if item.get(k) is not None}
        rpm = " (%d RPM)" % item["rpm"] if item.get("rpm") is not None else ""
        said = item.get("said")
        # A fault or an unreadable state names the switch's own words ("No Input Power"
        # is a cable to check, "Faulty" a part to replace).
        said_id, said_en = ("; switch menyebut: %s" % said, "; the switch says: %s" % said) if said else ("", "")
        if status == "ok":
            out.append(record(category, name, OK, "%s normal%s" % (word_id, rpm), value="ok",
                              message_en="%s OK%s" % (word_en, rpm), details=details))
        elif status == "fail":
            out.append(record(category, name, CRITICAL, "%s rusak / tidak normal%s%s" % (word_id, rpm, said_id),
                              value="fail", message_en="%s failed / not OK%s%s" % (word_en, rpm, said_en),
                              details=details))
        elif status == "absent" and name.lower() in was_present:
            out.append(record(category, name, WARNING, "%s tidak terpasang lagi (ronde sebelumnya terpasang)" % word_id,
                              value="absent", message_en="%s no longer present (present in the previous round)"
                              % word_en, details=details))
        elif status == "absent":
            out.append(record(category, name, OK, "Slot kosong: %s tidak terpasang" % word_id.lower(), value="absent",
                              message_en="Empty bay: no %s installed" % word_en.lower(), details=details))
        else:
            out.append(unknown(category, name, "Status %s tidak terbaca%s" % (word_id.lower(), said_id),
                               "%s state could not be read%s" % (word_en, said_en), details=details))
    for key, name in sorted(was_present.items()):
        if key not in seen:
            out.append(record(category, name, WARNING, "%s dari ronde sebelumnya tidak terlihat lagi" % word_id,
                              value="missing", message_en="%s of the previous round is no longer listed" % word_en))
    return out


# A sensor that tells only the switch's verdict, no degrees (Cisco's "TEMPERATURE is OK"):
# its state -> the record's status and words (also the hardware checklist's, siak_hardware).
STATE_ONLY = {
    "ok": (OK, "normal", "normal"),
    "warning": (WARNING, "tinggi", "high"),
    "critical": (CRITICAL, "kritis", "critical"),
}


def judge_sensor(item, margin=TEMP_MARGIN):
    """One ``hw-temp`` record against the sensor's own points.

    >= crit CRITICAL; >= high (or crit - margin when only crit is known) WARNING; without
    points of its own, the switch's own verdict (GREEN/YELLOW/RED, Normal/Abnormal). A
    sensor with a verdict and no degrees is judged by the verdict alone; one with neither
    is UNKNOWN."""
    name, celsius = item["name"], item.get("celsius")
    high, crit, state = item.get("high"), item.get("crit"), item.get("state")
    details = {"celsius": celsius, "high": high, "crit": crit, "state": state}
    if celsius is None and state in STATE_ONLY:
        status, word_id, word_en = STATE_ONLY[state]
        return record("hw-temp", name, status, "Suhu %s menurut switch (tanpa angka)" % word_id, value=state,
                      message_en="Temperature %s according to the switch (no reading)" % word_en, details=details)
    if celsius is None:
        return unknown("hw-temp", name, "Suhu tidak terbaca", "Temperature could not be read", details=details)
    default_points = high is None and crit is None and state is None
    if default_points:
        high, crit = DEFAULT_TEMP_WARN, DEFAULT_TEMP_CRIT
    warn = high if high is not None else (crit - margin if crit is not None else None)
    shown = format_number(float(celsius))
    limits_id = ", ".join(x for x in ("batas peringatan %s °C" % format_number(float(warn)) if warn is not None else "",
                                      "batas kritis %s °C" % format_number(float(crit)) if crit is not None else "") if x)
    limits_en = ", ".join(x for x in ("warning point %s C" % format_number(float(warn)) if warn is not None else "",
                                      "critical point %s C" % format_number(float(crit)) if crit is not None else "") if x)
    if default_points:
        limits_id, limits_en = "batas bawaan: " + limits_id, "default points: " + limits_en
    suffix_id = " (%s)" % limits_id if limits_id else ""
    suffix_en = " (%s)" % limits_en if limits_en else ""
    if crit is not None and celsius >= crit:
        status = CRITICAL
    elif warn is not None and celsius >= warn:
        status = WARNING
    elif warn is None and crit is None and state in ("warning", "critical"):
        status = WARNING if state == "warning" else CRITICAL
    else:
        status = OK
    word_id = {OK: "normal", WARNING: "tinggi", CRITICAL: "melewati batas kritis"}[status]
    word_en = {OK: "normal", WARNING: "high", CRITICAL: "above the critical point"}[status]
    if status == CRITICAL and not (crit is not None and celsius >= crit):
        word_id, word_en = "kritis menurut switch", "critical according to the switch"
    elif status == WARNING and warn is None:
        word_id, word_en = "tinggi menurut switch", "high according to the switch"
    return record("hw-temp", name, status, "Suhu %s °C, %s%s" % (shown, word_id, suffix_id), value=celsius, unit="C",
                  warn=warn, crit=crit, message_en="Temperature %s C, %s%s" % (shown, word_en, suffix_en),
                  details=details)


def _failed_sections(model):
    failed = set()
    for check, command, _ in model["failures"]:
        if check == ENVIRONMENT:
            failed |= _sections_of(model["platform"], command)
    return failed


def not_applicable_of(model, previous=None):
    """The hardware sections the switch does not tell: read without failure, empty, and
    without parts in the previous round (those are judged as gone)."""
    failed = _failed_sections(model)
    out = []
    for section, (category, item, word_id, word_en) in SECTIONS.items():
        if model.get(section) or section in failed or (section != "sensors" and _previous_present(previous, section)):
            continue
        out.append({"category": category, "item": item,
                    "reason": "switch tidak melaporkan %s" % word_id,
                    "reason_en": "the switch reports no %s" % word_en})
    return out


def judge_environment(model, previous=None, margin=TEMP_MARGIN):
    """(records, hardware, not_applicable) of the environment check.

    ``previous``: the hardware snapshot of the previous round (or None)."""
    records = judge_system(model)
    failed = _failed_sections(model)
    for section in ("power", "fans"):
        if model.get(section) or (section not in failed and _previous_present(previous, section)):
            records += _judge_parts(section, model.get(section), previous)
    for item in _items(model.get("sensors")):
        records.append(judge_sensor(item, margin))
    records += env_failure_records(model)
    return records, hardware_of(model), not_applicable_of(model, previous)
