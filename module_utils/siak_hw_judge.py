# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Judging a host's hardware: raw readings (``siak_hw_collect``) -> the checklist (SOP step 2).

``judge_hardware(raw, params, previous)`` returns the result records (categories
``hw-system``, ``hw-cpu``, ``hw-memory``, ``hw-disk``, ``raid``, ``hw-temp``, ``hw-net``,
``hw-ups``), the ``hardware`` snapshot (the inventory of what was found, kept as the next
round's state) and the ``not_applicable`` entries (a check that does not apply to this
host: no record). ``previous`` is the snapshot of the previous round (or None): a disk that
is gone, RAM that shrank, fewer cores, grown NIC errors, a link that went down are findings.
Messages are Bahasa Indonesia, ``message_en`` English. Pure functions.
"""

from __future__ import annotations

from ansible.module_utils.siak_result import CRITICAL, OK, WARNING, decimal_comma, record, unknown, worst
from ansible.module_utils.siak_host_judge import eval_raid, human_bytes, raid_condition
from ansible.module_utils.siak_hw_parse import ups_summary

DEFAULTS = {
    "temp_margin": 5.0,      # WARNING this many degrees below a sensor's critical point when it has no high point
    "battery_warn": 50.0,    # UPS battery charge (%) below which WARNING
    "battery_crit": 20.0,    # ... and CRITICAL
    "nvme_used_warn": 80,    # NVMe "Percentage Used" (rated endurance used) WARNING
    "nvme_used_crit": 100,   # ... and CRITICAL: the drive is past its rated life
    "ram_tolerance_pct": 1.0,  # MemTotal moves by a few MiB between kernels: less than this is not "shrank"
}

# not_applicable reasons (Bahasa Indonesia, English), one place.
NA_REASONS = {
    "ups": ("UPS tidak dikonfigurasi", "no UPS configured"),
    "virtual-disk": ("disk virtual: tidak ada SMART", "virtual disk: no SMART"),
    "no-smart": ("perangkat tidak mendukung SMART (mis. volume RAID perangkat keras)",
                 "the device has no SMART (e.g. a hardware RAID volume)"),
    "no-disk": ("tidak ada disk fisik", "no physical disk"),
    "no-md": ("tidak ada RAID perangkat lunak (driver md tidak dimuat)", "no software RAID (md driver not loaded)"),
    "no-array": ("tidak ada larik RAID perangkat lunak", "no software RAID array"),
    "virtual-temp": ("mesin virtual: tidak ada sensor suhu", "virtual machine: no temperature sensor"),
    "bad-sensor": ("sensor tidak memberi nilai yang masuk akal (%s)", "the sensor gives no plausible reading (%s)"),
    "no-nic": ("tidak ada antarmuka jaringan fisik", "no physical network interface"),
}

# Why a disk's SMART could not be read (siak_hw_collect's ``smart_error``).
SMART_ERRORS = {
    "missing": ("smartctl tidak terpasang", "smartctl is not installed"),
    "privilege": ("smartctl butuh hak root (become)", "smartctl needs root (become)"),
    "timeout": ("smartctl tidak menjawab dalam batas waktu", "smartctl did not answer in time"),
    "failed": ("smartctl gagal: %s", "smartctl failed: %s"),
}


def _na(category, item, key, *args):
    text_id, text_en = NA_REASONS[key]
    if args:
        text_id, text_en = text_id % args, text_en % args
    return {"category": category, "item": item, "reason": text_id, "reason_en": text_en}


def _c(value):
    return decimal_comma(float(value), 1)


def size_text(num):
    """Disk size as vendors label it (decimal): 500107862016 -> '500,1 GB'."""
    if num is None:
        return "-"
    value = float(num)
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if value < 1000 or unit == "PB":
            return ("%d B" % value) if unit == "B" else "%s %s" % (decimal_comma(value, 1), unit)
        value /= 1000.0
    return "-"  # pragma: no cover


def _prev_list(previous, key):
    items = (previous or {}).get(key) if isinstance(previous, dict) else None
    return {i["name"]: i for i in items if isinstance(i, dict) and i.get("name")} if isinstance(items, list) else {}


def _prev_section(previous, key):
    section = (previous or {}).get(key) if isinstance(previous, dict) else None
    return section if isinstance(section, dict) else {}


# ---------------------------------------------------------------------------------------
# system, CPU, memory
# ---------------------------------------------------------------------------------------

def judge_system(system):
    """hw-system/system: informational (vendor, model, serial; physical or virtual)."""
    model = " ".join(p for p in (system.get("vendor"), system.get("model")) if p) or None
    kind_id, kind_en = ("mesin virtual", "virtual machine") if system.get("virtual") else ("mesin fisik", "physical machine")
    if model is None:
        text_id, text_en = "Data DMI tidak terbaca (%s)." % kind_id, "DMI data not readable (%s)." % kind_en
    else:
        serial = system.get("serial")
        serial_id = serial or ("tidak terbaca tanpa root" if not system.get("serial_readable", True) else "-")
        serial_en = serial or ("not readable without root" if not system.get("serial_readable", True) else "-")
        text_id = "%s, nomor seri %s (%s)." % (model, serial_id, kind_id)
        text_en = "%s, serial %s (%s)." % (model, serial_en, kind_en)
    return [record("hw-system", "system", OK, text_id, value=model, message_en=text_en,
                   details={k: system.get(k) for k in ("vendor", "model", "serial", "version", "virtual", "source")})]


def judge_cpu(cpu, previous):
    if not cpu.get("threads"):
        return [unknown("hw-cpu", "cpu", "/proc/cpuinfo tidak terbaca.", "/proc/cpuinfo could not be read.")]
    sockets = cpu.get("sockets")
    text = "%s: %s soket, %d inti, %d utas" % (cpu.get("model") or "-", sockets if sockets else "-", cpu["cores"], cpu["threads"])
    text_en = "%s: %s socket(s), %d cores, %d threads" % (cpu.get("model") or "-", sockets if sockets else "-", cpu["cores"], cpu["threads"])
    before = _prev_section(previous, "cpu").get("cores")
    status = OK
    if isinstance(before, int) and cpu["cores"] < before:
        status = WARNING
        text += "; jumlah inti berkurang dari %d (ronde sebelumnya)" % before
        text_en += "; fewer cores than the previous round's %d" % before
    return [record("hw-cpu", "cpu", status, text + ".", value=cpu["cores"], unit="cores", message_en=text_en + ".",
                   details={"sockets": sockets, "threads": cpu["threads"], "previous_cores": before})]


def judge_memory(memory, previous, tolerance_pct):
    total = memory.get("total_bytes")
    if total is None:
        return [unknown("hw-memory", "ram", "/proc/meminfo tidak terbaca.", "/proc/meminfo could not be read.")]
    before = _prev_section(previous, "memory").get("total_bytes")
    if isinstance(before, int) and total < before * (1 - tolerance_pct / 100.0):
        return [record("hw-memory", "ram", WARNING,
                       "RAM berkurang: %s, ronde sebelumnya %s." % (human_bytes(total), human_bytes(before)),
                       value=total, unit="B",
                       message_en="RAM shrank: %s, previous round %s." % (human_bytes(total), human_bytes(before)),
                       details={"previous_bytes": before})]
    return [record("hw-memory", "ram", OK, "RAM %s." % human_bytes(total), value=total, unit="B",
                   message_en="RAM %s." % human_bytes(total), details={"previous_bytes": before})]


# ---------------------------------------------------------------------------------------
# disks
# ---------------------------------------------------------------------------------------

def smart_findings(smart, used_warn, used_crit):
    """[(status, text_id, text_en)] of one disk's parsed SMART (empty: nothing wrong)."""
    found = []
    bits = smart.get("exit_bits") or []
    if smart.get("health") == "failed" or "failing" in bits:
        found.append((CRITICAL, "SMART menyatakan disk GAGAL", "SMART says the disk is FAILING"))
    if "prefail" in bits or any(a.get("when_failed") == "FAILING_NOW" for a in smart.get("failing_attributes") or ()):
        found.append((CRITICAL, "atribut pra-kegagalan di bawah ambang", "pre-failure attributes at or below threshold"))
    if smart.get("nvme_critical_warning"):
        names = ", ".join(smart.get("nvme_warning_bits") or ()) or "-"
        found.append((CRITICAL, "peringatan kritis NVMe 0x%02x (%s)" % (smart["nvme_critical_warning"], names),
                      "NVMe critical warning 0x%02x (%s)" % (smart["nvme_critical_warning"], names)))
    used = smart.get("nvme_percentage_used")
    if isinstance(used, int):
        if used >= used_crit:
            found.append((CRITICAL, "umur pakai NVMe terpakai %d%%" % used, "NVMe rated life used %d%%" % used))
        elif used >= used_warn:
            found.append((WARNING, "umur pakai NVMe terpakai %d%%" % used, "NVMe rated life used %d%%" % used))
    for key, text_id, text_en in (("reallocated", "sektor dialokasikan ulang", "reallocated sectors"),
                                  ("pending", "sektor tertunda (pending)", "pending sectors"),
                                  ("uncorrectable", "sektor tak terkoreksi", "uncorrectable sectors")):
        if smart.get(key):
            found.append((WARNING, "%s %d" % (text_id, smart[key]), "%s %d" % (text_en, smart[key])))
    if smart.get("nvme_media_errors"):
        found.append((WARNING, "kesalahan media NVMe %d" % smart["nvme_media_errors"],
                      "NVMe media errors %d" % smart["nvme_media_errors"]))
    if "past" in bits:
        found.append((WARNING, "atribut pernah di bawah ambang", "attributes were at or below threshold in the past"))
    if "selftest_log" in bits:
        found.append((WARNING, "log tes mandiri mencatat kesalahan", "the self-test log has errors"))
    return found


def judge_disk(disk, p):
    """(records, not_applicable) of one disk."""
    name = disk["name"]
    label = "Disk %s (%s, %s)" % (name, disk.get("model") or "-", size_text(disk.get("size_bytes")))
    if disk["kind"] == "virtual":
        return [], [_na("hw-disk", name, "virtual-disk")]
    error = disk.get("smart_error")
    if error:
        text_id, text_en = SMART_ERRORS[error]
        if "%s" in text_id:
            text_id, text_en = text_id % disk.get("smart_detail"), text_en % disk.get("smart_detail")
        return [unknown("hw-disk", name, "%s: %s." % (label, text_id), "%s: %s." % (label, text_en),
                        details={"model": disk.get("model"), "size_bytes": disk.get("size_bytes"), "reason": error})], []
    smart = disk.get("smart") or {}
    if smart.get("smart_available") is False and smart.get("health") is None:
        return [], [_na("hw-disk", name, "no-smart")]
    findings = smart_findings(smart, p["nvme_used_warn"], p["nvme_used_crit"])
    details = {k: smart.get(k) for k in ("serial", "protocol", "temperature", "reallocated", "pending", "uncorrectable",
                                         "nvme_critical_warning", "nvme_percentage_used", "exit_status")}
    if smart.get("health") is None and not findings:
        reason = "; ".join(smart.get("messages") or ()) or "exit %s" % smart.get("exit_status")
        return [unknown("hw-disk", name, "%s: status SMART tidak terbaca (%s)." % (label, reason),
                        "%s: SMART status not readable (%s)." % (label, reason), details=details)], []
    temp = smart.get("temperature")
    temp_id = ", suhu %s °C" % _c(temp) if temp is not None else ""
    if findings:
        status = worst(f[0] for f in findings)
        text_id = "%s: %s%s." % (label, "; ".join(f[1] for f in findings), temp_id)
        text_en = "%s: %s%s." % (label, "; ".join(f[2] for f in findings), temp_id.replace("suhu", "temperature"))
    else:
        status = OK
        text_id = "%s: SMART baik%s." % (label, temp_id)
        text_en = "%s: SMART passed%s." % (label, temp_id.replace("suhu", "temperature"))
    return [record("hw-disk", name, status, text_id, value=smart.get("health"), message_en=text_en, details=details)], []


def judge_disks(disks, p, previous):
    records, na = [], []
    for disk in disks:
        recs, nas = judge_disk(disk, p)
        records += recs
        na += nas
    names = {d["name"] for d in disks}
    for name, gone in _prev_list(previous, "disks").items():
        if name in names:
            continue
        what = "%s, %s, nomor seri %s" % (gone.get("model") or "-", size_text(gone.get("size_bytes")), gone.get("serial") or "-")
        what_en = "%s, %s, serial %s" % (gone.get("model") or "-", size_text(gone.get("size_bytes")), gone.get("serial") or "-")
        records.append(record("hw-disk", name, CRITICAL, "Disk %s (%s) ada pada ronde sebelumnya, sekarang tidak ditemukan." % (name, what),
                              value="missing", message_en="Disk %s (%s) was there in the previous round and is gone." % (name, what_en),
                              details={"previous": gone}))
    if not disks and not na and not records:
        na.append(_na("hw-disk", "disk", "no-disk"))
    return records, na


# ---------------------------------------------------------------------------------------
# RAID, temperatures, network, UPS
# ---------------------------------------------------------------------------------------

def judge_raid_arrays(arrays, previous):
    """Records of step 3's raid judge (one place) plus arrays of the previous round that are gone."""
    if arrays is None and not _prev_list(previous, "raid"):
        return [], [_na("raid", "md", "no-md")]
    arrays = arrays or []
    records = eval_raid(arrays)
    names = {a["name"] for a in arrays}
    for name, gone in _prev_list(previous, "raid").items():
        if name not in names:
            records.append(record("raid", name, CRITICAL,
                                  "RAID %s (%s) ada pada ronde sebelumnya, sekarang tidak ditemukan." % (name, gone.get("level") or "-"),
                                  value="missing", message_en="RAID %s (%s) was there in the previous round and is gone." % (name, gone.get("level") or "-")))
    if not records:
        return [], [_na("raid", "md", "no-array")]
    return records, []


def judge_sensor(sensor, margin):
    celsius, high, crit = sensor["celsius"], sensor.get("high"), sensor.get("crit")
    warn = high if high is not None else (crit - margin if crit is not None else None)
    if crit is not None and celsius >= crit:
        status = CRITICAL
    elif warn is not None and celsius >= warn:
        status = WARNING
    else:
        status = OK
    limits_id = []
    limits_en = []
    if high is not None:
        limits_id.append("batas tinggi %s °C" % _c(high))
        limits_en.append("high %s C" % _c(high))
    if crit is not None:
        limits_id.append("batas kritis %s °C" % _c(crit))
        limits_en.append("critical %s C" % _c(crit))
    text_id = "Suhu %s %s °C (%s)." % (sensor["label"], _c(celsius), ", ".join(limits_id) or "tanpa batas dari sensor")
    text_en = "Temperature %s %s C (%s)." % (sensor["label"], _c(celsius), ", ".join(limits_en) or "the sensor gives no limit")
    return record("hw-temp", sensor["label"], status, text_id, value=celsius, unit="C", warn=warn, crit=crit, message_en=text_en)


def judge_sensors(raw, virtual, margin):
    records = [judge_sensor(s, margin) for s in raw["sensors"]]
    na = [_na("hw-temp", u["label"], "bad-sensor", u.get("raw") or "-") for u in raw["unusable"]]
    if not records and not na:
        if virtual:
            na.append(_na("hw-temp", "suhu", "virtual-temp"))
        else:
            records.append(unknown("hw-temp", "suhu", "Tidak ada sensor suhu yang terbaca (driver hwmon tidak dimuat?).",
                                   "No temperature sensor can be read (no hwmon driver loaded?)."))
    return records, na


def judge_nic(nic, before):
    name = nic["name"]
    before = before or {}
    if not nic["up"]:
        if before.get("up") is True:
            return record("hw-net", name, WARNING, "Jaringan %s terputus (ronde sebelumnya terhubung)." % name, value="down",
                          message_en="Network %s is down (it was up in the previous round)." % name)
        return record("hw-net", name, OK, "Jaringan %s tidak terhubung." % name, value="down",
                      message_en="Network %s is not connected." % name)
    speed = "%s Mbps" % nic["speed_mbps"] if nic.get("speed_mbps") is not None else "kecepatan tidak diketahui"
    speed_en = "%s Mbps" % nic["speed_mbps"] if nic.get("speed_mbps") is not None else "speed unknown"
    problems_id, problems_en, notes_id, notes_en = [], [], [], []
    if nic.get("duplex") == "half":
        problems_id.append("half duplex")
        problems_en.append("half duplex")
    grown = {}
    for key in ("rx_errors", "tx_errors"):
        now, then = nic.get(key), before.get(key)
        if isinstance(now, int) and isinstance(then, int):
            grown[key] = now - then
    if any(v < 0 for v in grown.values()):
        notes_id.append("penghitung kesalahan direset sejak ronde sebelumnya (tidak dibandingkan)")
        notes_en.append("error counters were reset since the previous round (not compared)")
    elif any(v > 0 for v in grown.values()):
        problems_id.append("kesalahan bertambah sejak ronde sebelumnya: rx +%d, tx +%d" % (grown.get("rx_errors", 0), grown.get("tx_errors", 0)))
        problems_en.append("errors grew since the previous round: rx +%d, tx +%d" % (grown.get("rx_errors", 0), grown.get("tx_errors", 0)))
    text_id = "Jaringan %s terhubung, %s %s" % (name, speed, nic.get("duplex") or "")
    text_en = "Network %s is up, %s %s" % (name, speed_en, nic.get("duplex") or "")
    extra_id, extra_en = problems_id + notes_id, problems_en + notes_en
    text_id = text_id.rstrip() + ("; " + "; ".join(extra_id) if extra_id else "") + "."
    text_en = text_en.rstrip() + ("; " + "; ".join(extra_en) if extra_en else "") + "."
    return record("hw-net", name, WARNING if problems_id else OK, text_id, value="up", message_en=text_en,
                  details={"speed_mbps": nic.get("speed_mbps"), "duplex": nic.get("duplex"), "rx_errors": nic.get("rx_errors"),
                           "tx_errors": nic.get("tx_errors"), "grown": grown or None})


def judge_nics(nics, previous):
    if not nics:
        return [], [_na("hw-net", "nic", "no-nic")]
    before = _prev_list(previous, "nics")
    return [judge_nic(nic, before.get(nic["name"])) for nic in nics], []


UPS_FLAGS = {
    # flag: (status, Bahasa Indonesia, English); NUT's ups.status words.
    "OB": (WARNING, "berjalan dengan baterai", "running on battery"),
    "LB": (CRITICAL, "baterai lemah", "battery low"),
    "FSD": (CRITICAL, "sedang dimatikan paksa", "forced shutdown in progress"),
    "OFF": (CRITICAL, "keluaran UPS mati", "the UPS output is off"),
    "RB": (WARNING, "baterai perlu diganti", "the battery needs replacing"),
    "OVER": (WARNING, "beban berlebih", "overloaded"),
    "BYPASS": (WARNING, "pada jalur bypass", "on bypass"),
    "ALARM": (WARNING, "alarm aktif", "alarm"),
}


def judge_ups(entry, battery_warn, battery_crit):
    name = entry["name"]
    if entry.get("error") == "missing":
        return unknown("hw-ups", name, "UPS %s tidak dapat dibaca: upsc tidak terpasang (paket nut-client)." % name,
                       "UPS %s cannot be read: upsc is not installed (package nut-client)." % name)
    if entry.get("error"):
        return unknown("hw-ups", name, "UPS %s tidak dapat dibaca: upsc gagal: %s" % (name, entry["error"]),
                       "UPS %s cannot be read: upsc failed: %s" % (name, entry["error"]))
    ups = ups_summary(entry.get("values") or {})
    if not ups["status"]:
        return unknown("hw-ups", name, "UPS %s tidak melaporkan ups.status." % name, "UPS %s reports no ups.status." % name)
    findings = [UPS_FLAGS[f] for f in ups["flags"] if f in UPS_FLAGS]
    charge = ups["charge_pct"]
    if charge is not None and charge < battery_crit:
        findings.append((CRITICAL, "muatan baterai %s%%" % _c(charge), "battery charge %s%%" % _c(charge)))
    elif charge is not None and charge < battery_warn:
        findings.append((WARNING, "muatan baterai %s%%" % _c(charge), "battery charge %s%%" % _c(charge)))
    status = worst(f[0] for f in findings) if findings else OK
    charge_id = ", baterai %s%%" % _c(charge) if charge is not None else ""
    if findings:
        text_id = "UPS %s (%s): %s%s." % (name, ups["status"], "; ".join(f[1] for f in findings), charge_id)
        text_en = "UPS %s (%s): %s%s." % (name, ups["status"], "; ".join(f[2] for f in findings), charge_id.replace("baterai", "battery"))
    else:
        text_id = "UPS %s (%s) normal, listrik PLN masuk%s." % (name, ups["status"], charge_id)
        text_en = "UPS %s (%s) on line power%s." % (name, ups["status"], charge_id.replace("baterai", "battery"))
    return record("hw-ups", name, status, text_id, value=ups["status"], warn=battery_warn, crit=battery_crit, message_en=text_en,
                  details={"model": ups["model"], "charge_pct": charge, "runtime_s": ups["runtime_s"]})


# ---------------------------------------------------------------------------------------
# The whole checklist
# ---------------------------------------------------------------------------------------

def hardware_snapshot(raw):
    """The ``hardware`` inventory of the contract (small, JSON-able; the next round's state)."""
    system = raw["system"]
    cpu = raw["cpu"]
    disks = []
    for disk in raw["disks"]:
        smart = disk.get("smart") or {}
        disks.append({"name": disk["name"], "model": disk.get("model") or smart.get("model"),
                      "serial": smart.get("serial") or disk.get("serial"),
                      "size_bytes": disk.get("size_bytes") or smart.get("size_bytes"),
                      "kind": disk["kind"], "health": smart.get("health")})
    ups = []
    for entry in raw["ups"]:
        summary = ups_summary(entry.get("values") or {})
        ups.append({"name": entry["name"], "status": summary["status"], "charge_pct": summary["charge_pct"]})
    return {
        "system": {"vendor": system.get("vendor"), "model": system.get("model"), "serial": system.get("serial"),
                   "virtual": bool(system.get("virtual"))},
        "cpu": {k: cpu.get(k) for k in ("model", "sockets", "cores", "threads")},
        "memory": {"total_bytes": raw["memory"].get("total_bytes")},
        "disks": disks,
        "raid": [{"name": a["name"], "level": a.get("level") or "-", "state": raid_condition(a)} for a in raw["raid"] or ()],
        "sensors": [{k: s.get(k) for k in ("label", "celsius", "high", "crit")} for s in raw["sensors"]["sensors"]],
        "nics": [{k: n.get(k) for k in ("name", "up", "speed_mbps", "duplex", "rx_errors", "tx_errors")} for n in raw["nics"]],
        "ups": ups,
    }


def judge_hardware(raw, params, previous=None):
    """(records, hardware, not_applicable) of one host's raw readings."""
    p = dict(DEFAULTS)
    p.update({k: v for k, v in (params or {}).items() if v is not None})
    previous = previous if isinstance(previous, dict) else None
    records, na = [], []
    records += judge_system(raw["system"])
    records += judge_cpu(raw["cpu"], previous)
    records += judge_memory(raw["memory"], previous, p["ram_tolerance_pct"])
    for recs, nas in (judge_disks(raw["disks"], p, previous),
                      judge_raid_arrays(raw["raid"], previous),
                      judge_sensors(raw["sensors"], raw["system"].get("virtual"), p["temp_margin"]),
                      judge_nics(raw["nics"], previous)):
        records += recs
        na += nas
    if raw["ups"]:
        records += [judge_ups(entry, p["battery_warn"], p["battery_crit"]) for entry in raw["ups"]]
    else:
        na.append(_na("hw-ups", "ups", "ups"))
    return records, hardware_snapshot(raw), na

