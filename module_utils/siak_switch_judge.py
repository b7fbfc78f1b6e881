# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The switch model -> result records: ports, device (version, uptime), CPU and memory,
and one UNKNOWN record per output that could not be read (pure Python).

The model comes from ``siak_switch_parse.collect()``; error rates are judged in
``siak_switch_rates``.
"""

from __future__ import annotations

import re

from ansible.module_utils.siak_result import (CRITICAL, OK, WARNING, format_number, judge,
                                              record, unknown)
from ansible.module_utils.siak_switch_parse import canonical_ifname, ifkey, speed_mbps


def failure_records(model):
    """One UNKNOWN record per command whose output could not be read (the environment
    check's own are in siak_switch_hw.env_failure_records)."""
    category = {"device": "device", "ports": "port", "errors": "port-errors", "cpu": "cpu"}
    out = []
    for check, command, reason in model["failures"]:
        if check not in category:
            continue
        out.append(unknown(category[check], command,
                           "Keluaran perintah '%s' tidak dapat dibaca (%s)" % (command, reason),
                           "The output of '%s' could not be read (%s)" % (command, reason)))
    return out


def judge_ports(model, platform, uplinks=(), half_duplex_ok=(), uplink_min_mbps=0):
    """Records of category ``port``: one per interface, plus missing required uplinks.

    err-disabled -> CRITICAL; a required uplink that is down -> CRITICAL; admin-down
    (not an uplink) -> OK; half duplex where full is expected -> WARNING; a required
    uplink up at less than ``uplink_min_mbps`` (a gigabit link fallen back to 100 Mb/s
    on a damaged cable) -> WARNING; up -> OK; down and not an uplink -> OK (nothing
    plugged in); state unknown -> UNKNOWN.
    """
    ports = model.get("ports") or {}
    uplink_keys = {ifkey(canonical_ifname(platform, u)): u for u in uplinks or ()}
    half_ok = {ifkey(canonical_ifname(platform, p)) for p in half_duplex_ok or ()}
    out = []
    for key, port in sorted(ports.items(), key=lambda kv: _natural(kv[1]["name"])):
        out.append(_judge_port(port, key in uplink_keys, key in half_ok, uplink_min_mbps))
    if model.get("ports") is not None:
        for key, original in uplink_keys.items():
            if key not in ports:
                out.append(unknown("port", str(original),
                                   "Uplink wajib '%s' tidak ditemukan di switch" % original,
                                   "Required uplink '%s' was not found on the switch" % original))
    return out


def _natural(name):
    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", name)]


def _judge_port(port, is_uplink, half_ok, uplink_min_mbps=0):
    name = port["name"]
    admin_up, oper_up = port.get("admin_up"), port.get("oper_up")
    duplex, speed = port.get("duplex"), port.get("speed")
    details = {"admin_up": admin_up, "oper_up": oper_up, "speed": speed, "duplex": duplex,
               "description": port.get("description"), "vlan": port.get("vlan"), "uplink": is_uplink}
    role_id, role_en = ("Uplink wajib", "Required uplink") if is_uplink else ("Port", "Port")
    if port.get("err_disabled"):
        return record("port", name, CRITICAL, "%s err-disabled (dimatikan otomatis oleh switch)" % role_id,
                      value="err-disabled", message_en="%s is err-disabled (shut by the switch)" % role_en,
                      details=details)
    if admin_up is False:
        if is_uplink:
            return record("port", name, CRITICAL, "Uplink wajib dinonaktifkan oleh admin", value="admin-down",
                          message_en="Required uplink is administratively down", details=details)
        return record("port", name, OK, "Port dinonaktifkan oleh admin", value="admin-down",
                      message_en="Port disabled by the administrator", details=details)
    if oper_up is None:
        return unknown("port", name, "Status port tidak diketahui", "Port state is unknown", details=details)
    if not oper_up:
        if is_uplink:
            return record("port", name, CRITICAL, "Uplink wajib mati (link down)", value="down",
                          message_en="Required uplink is down", details=details)
        return record("port", name, OK, "Port tidak terhubung", value="down",
                      message_en="Port not connected", details=details)
    link = ", ".join(x for x in (speed, "%s duplex" % duplex if duplex else None) if x)
    suffix = " (%s)" % link if link else ""
    if duplex == "half" and not half_ok:
        return record("port", name, WARNING, "%s berjalan half duplex, seharusnya full duplex%s" % (role_id, suffix),
                      value="up", message_en="%s runs half duplex; it should be full duplex%s" % (role_en, suffix),
                      details=details)
    mbps = speed_mbps(speed)
    if is_uplink and uplink_min_mbps and mbps is not None and mbps < uplink_min_mbps:
        return record("port", name, WARNING,
                      "Uplink wajib hanya %s Mb/s, kurang dari %s Mb/s yang diharapkan%s: periksa kabel dan port di "
                      "ujung lainnya" % (_mbps(mbps), _mbps(uplink_min_mbps), suffix), value="up",
                      message_en="Required uplink runs at only %s Mb/s, under the %s Mb/s expected%s: check the cable "
                                 "and the port at its other end" % (_mbps(mbps), _mbps(uplink_min_mbps), suffix),
                      details=dict(details, speed_mbps=mbps, expected_mbps=uplink_min_mbps))
    return record("port", name, OK, "%s aktif%s" % (role_id, suffix), value="up",
                  message_en="%s up%s" % (role_en, suffix), details=details)


def _mbps(value):
    """100.0 -> '100'; 0.5 -> '0.5' (a speed in the message)."""
    return "%g" % value


def format_uptime(seconds):
    """Seconds -> '28 hari 7 jam' style text (Bahasa Indonesia) and its English twin."""
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    return ("%d hari %d jam %d menit" % (days, hours, minutes), "%d d %d h %d min" % (days, hours, minutes))


def rebooted_since(uptime, previous_uptime, now):
    """True when the switch restarted after the previous reading.

    ``previous_uptime``: {"ts": epoch, "uptime_s": int} or None. A restart shows as an
    uptime that went down, or as an uptime shorter than the time since the previous
    reading (the switch came back up and has been running for a while). The second test
    allows for the resolution of the uptime text (whole days on ProCurve, minutes on
    Cisco).
    """
    if not previous_uptime or previous_uptime.get("uptime_s") is None or uptime is None:
        return False
    if uptime < previous_uptime["uptime_s"]:
        return True
    if now is None or previous_uptime.get("ts") is None:
        return False
    resolution = 86400 if uptime % 86400 == 0 else 60 if uptime % 60 == 0 else 1
    return uptime + resolution < now - previous_uptime["ts"]


def judge_device(model, previous_uptime=None, now=None):
    """Records of category ``device``: ``version`` (what it is) and ``uptime``.

    ``previous_uptime``: {"ts": epoch, "uptime_s": int} of the previous round, or None;
    ``now``: epoch of this reading. A restart since then -> WARNING (see rebooted_since).
    """
    device = model.get("device")
    if device is None:
        return []
    out = []
    ident = " ".join(x for x in (device.get("vendor"), device.get("model")) if x)
    version = device.get("version")
    details = {k: device.get(k) for k in ("vendor", "model", "serial", "version", "hostname")}
    text = "%s, versi %s" % (ident, version or "-")
    if device.get("serial"):
        text += ", serial %s" % device["serial"]
    text_en = text.replace("versi", "version")
    if version:
        out.append(record("device", "version", OK, text, value=version, message_en=text_en, details=details))
    else:
        out.append(unknown("device", "version", "Versi perangkat lunak tidak terbaca (%s)" % ident,
                           "Software version could not be read (%s)" % ident, details=details))
    uptime = device.get("uptime_s")
    if uptime is None:
        out.append(unknown("device", "uptime", "Uptime tidak terbaca", "Uptime could not be read"))
        return out
    up_id, up_en = format_uptime(uptime)
    prev = (previous_uptime or {}).get("uptime_s")
    details = {"uptime_s": uptime, "previous_uptime_s": prev}
    if rebooted_since(uptime, previous_uptime, now):
        out.append(record("device", "uptime", WARNING,
                          "Switch dinyalakan ulang sejak putaran sebelumnya (uptime %s)" % up_id,
                          value=uptime, unit="s",
                          message_en="Switch rebooted since the previous round (uptime %s)" % up_en,
                          details=details))
    else:
        out.append(record("device", "uptime", OK, "Menyala selama %s" % up_id, value=uptime, unit="s",
                          message_en="Up for %s" % up_en, details=details))
    return out


def judge_resources(model, cpu_warn=80.0, cpu_crit=90.0, mem_warn=80.0, mem_crit=90.0):
    """Records of category ``cpu`` and ``memory`` where the platform tells them."""
    out = []
    cpu = (model.get("cpu") or {}).get("cpu_pct")
    if cpu is not None:
        status = judge(cpu, cpu_warn, cpu_crit)
        out.append(record("cpu", "utilization", status, "Beban CPU %s %%" % format_number(float(cpu)),
                          value=cpu, unit="%", warn=cpu_warn, crit=cpu_crit,
                          message_en="CPU load %.1f %%" % cpu))
    memory = model.get("memory") or {}
    pct = memory.get("mem_pct")
    total, free = memory.get("mem_total"), memory.get("mem_free")
    if pct is None and total and free is not None:
        pct = round(100.0 * (total - free) / total, 1)
    if pct is not None:
        status = judge(pct, mem_warn, mem_crit)
        out.append(record("memory", "used", status, "Memori terpakai %s %%" % format_number(float(pct)),
                          value=pct, unit="%", warn=mem_warn, crit=mem_crit,
                          message_en="Memory used %.1f %%" % pct,
                          details={"total_bytes": total, "free_bytes": free}))
    return out

