# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Switch interface error RATES between two counter samples (pure Python, no I/O).

Nobody alerts on a raw counter that may hold years of history. A sample is the
counters of every port at one moment::

    {"ts": 1700000000.0, "ports": {"GigabitEthernet1/0/1": {"in_packets": 123, "in_errors": 4, ...}}}

``error_records(previous, current, thresholds)`` compares two samples, port by port:

- interval = current ts - previous ts (seconds);
- errors = delta(in_errors) + delta(out_errors) (CRC is part of input errors on every
  platform here, so it is shown, not added);
- packets = delta(in_packets) + delta(out_packets) (+ delta(packets) where the platform
  only counts frames in total);
- error percent = errors / (packets + errors) * 100 (errored frames are not always counted
  as packets; adding them keeps the percent <= 100 when a port sends nothing but errors);
- errors per second = errors / interval.

A counter that went DOWN was reset (``clear counters``, a reboot, a 32-bit wrap): the
port is UNKNOWN for this round, with that reason, never a false alarm. A port with no
earlier sample is UNKNOWN too, and so is a port the switch gives no counters for, except a
router's subinterface ("GigabitEthernet0/0.44") whose parent port is counted, or a dialer
("Dialer1") whose PPP channel ("Dialer1:0") is: it is OK and names that port, whose record
judges their errors. Defaults follow Checkmk: WARNING at
0.01 %, CRITICAL at 0.1 % of packets; an absolute errors-per-second threshold is optional.
"""

from __future__ import annotations

import re

from ansible.module_utils.siak_result import OK, WARNING, decimal_comma, judge, record, unknown, worst
from ansible.module_utils.siak_switch_platforms import COUNTER_FIELDS

DEFAULT_THRESHOLDS = {"pct_warn": 0.01, "pct_crit": 0.1, "rate_warn": None, "rate_crit": None}

ERROR_FIELDS = ("in_errors", "out_errors")
PACKET_FIELDS = ("in_packets", "out_packets", "packets")


def make_sample(ports, ts):
    """A state sample: ``ports`` {name: {field: int}} taken at epoch ``ts``."""
    return {"ts": float(ts), "ports": {name: dict(counters) for name, counters in ports.items()}}


def deltas(previous, current):
    """Per-field increase between two counter dicts.

    Returns (deltas, reset_fields): fields present in both; ``reset_fields`` lists the
    fields whose counter went down (then the deltas are meaningless).
    """
    out, reset = {}, []
    for field, value in current.items():
        before = previous.get(field)
        if value is None or before is None:
            continue
        if value < before:
            reset.append(field)
        else:
            out[field] = value - before
    return out, reset


def port_rate(previous, current, interval):
    """Rate figures of one port: dict with errors, packets, pct, per_s, deltas.

    ``pct`` is None when no packet counter is known; raises nothing. ``reset`` holds the
    fields that went down (non-empty: the port must be UNKNOWN).
    """
    diff, reset = deltas(previous, current)
    known_errors = [f for f in ERROR_FIELDS if f in diff]
    known_packets = [f for f in PACKET_FIELDS if f in diff]
    errors = sum(diff[f] for f in known_errors) if known_errors else None
    packets = sum(diff[f] for f in known_packets) if known_packets else None
    pct = None
    if errors is not None and packets is not None:
        total = packets + errors
        pct = 0.0 if total == 0 else round(100.0 * errors / total, 4)
    per_s = None
    if errors is not None and interval > 0:
        per_s = round(errors / interval, 4)
    return {"errors": errors, "packets": packets, "pct": pct, "per_s": per_s, "deltas": diff,
            "reset": reset}


def _fmt(value, digits):
    return "%.*f" % (digits, value), decimal_comma(value, digits)


def judge_port_errors(name, previous, current, interval, thresholds=None):
    """One ``port-errors`` record for a port (see the module docstring for the rules)."""
    th = dict(DEFAULT_THRESHOLDS)
    th.update({k: v for k, v in (thresholds or {}).items() if k in th})
    raw = {f: current[f] for f in COUNTER_FIELDS if current.get(f) is not None}
    base = {"counters": raw, "interval_s": round(interval, 1) if interval is not None else None}
    if previous is None:
        return unknown("port-errors", name, "Belum ada sampel penghitung sebelumnya untuk port ini",
                       "No earlier counter sample for this port", details=base,
                       unit="%", warn=th["pct_warn"], crit=th["pct_crit"])
    if interval is None or interval <= 0:
        return unknown("port-errors", name, "Selang waktu antar sampel tidak sah",
                       "The interval between the samples is not valid", details=base,
                       unit="%", warn=th["pct_warn"], crit=th["pct_crit"])
    rate = port_rate(previous, current, interval)
    details = dict(base, deltas=rate["deltas"], errors_per_s=rate["per_s"])
    if rate["reset"]:
        details["reset_fields"] = rate["reset"]
        return unknown("port-errors", name,
                       "Penghitung turun (direset atau switch dinyalakan ulang); laju dihitung lagi pada putaran berikutnya",
                       "Counters went down (reset or switch rebooted); the rate is computed again next round",
                       details=details, unit="%", warn=th["pct_warn"], crit=th["pct_crit"])
    if rate["errors"] is None:
        return unknown("port-errors", name, "Switch tidak memberi penghitung galat untuk port ini",
                       "The switch gives no error counters for this port", details=details,
                       unit="%", warn=th["pct_warn"], crit=th["pct_crit"])
    statuses = []
    if rate["pct"] is not None:
        statuses.append(judge(rate["pct"], th["pct_warn"], th["pct_crit"]))
    if th["rate_warn"] is not None or th["rate_crit"] is not None:
        statuses.append(judge(rate["per_s"], th["rate_warn"], th["rate_crit"]))
    if not statuses:
        # Error counters without packet counts (e.g. the error columns of a brief output):
        # no new error is OK, new errors are a WARNING, never a silent OK.
        seconds = int(round(interval))
        if rate["errors"] == 0:
            return record("port-errors", name, OK,
                          "Tidak ada galat baru dalam %d detik (jumlah paket tidak tersedia)" % seconds,
                          value=0, unit="errors", message_en="No new errors in %d s (packet counts not available)"
                          % seconds, details=details)
        return record("port-errors", name, WARNING,
                      "%d galat baru dalam %d detik (jumlah paket tidak tersedia, persentase tidak dapat dihitung)"
                      % (rate["errors"], seconds), value=rate["errors"], unit="errors",
                      message_en="%d new errors in %d s (packet counts not available, no percentage)"
                      % (rate["errors"], seconds), details=details)
    status = worst(statuses)
    seconds = int(round(interval))
    if rate["pct"] is not None:
        pct_en, pct_id = _fmt(rate["pct"], 4)
        message = "Galat %s %% dari paket (%d galat dalam %d detik)" % (pct_id, rate["errors"], seconds)
        message_en = "Errors %s %% of packets (%d errors in %d s)" % (pct_en, rate["errors"], seconds)
    else:
        rate_en, rate_id = _fmt(rate["per_s"], 4)
        message = "Galat %s per detik (%d galat dalam %d detik)" % (rate_id, rate["errors"], seconds)
        message_en = "Errors %s per second (%d errors in %d s)" % (rate_en, rate["errors"], seconds)
    if status != OK:
        message += "; ambang peringatan %s %%, kritis %s %%" % (th["pct_warn"], th["pct_crit"])
        message_en += "; warning at %s %%, critical at %s %%" % (th["pct_warn"], th["pct_crit"])
    return record("port-errors", name, status, message, value=rate["pct"], unit="%",
                  warn=th["pct_warn"], crit=th["pct_crit"], message_en=message_en, details=details)


def error_records(previous, current, thresholds=None, ports=None):
    """``port-errors`` records for every port of the ``current`` sample.

    ``previous`` may be None (every port UNKNOWN: no earlier sample). ``ports`` limits the
    records to these names (None: all).
    """
    interval = None
    prev_ports = {}
    if previous:
        interval = current["ts"] - previous["ts"]
        prev_ports = previous.get("ports") or {}
    out = []
    for name, counters in current["ports"].items():
        if ports is not None and name not in ports:
            continue
        counted_on = _counted_on(name, counters, current["ports"])
        if counted_on is not None:
            out.append(_counted_on_record(name, counted_on))
            continue
        out.append(judge_port_errors(name, prev_ports.get(name), counters, interval, thresholds))
    return out


def _counted(counters):
    return any(value is not None for value in (counters or {}).values())


def _counted_on(name, counters, sample_ports):
    """Where the errors of a port that has no counters of its own are judged, when that
    port is counted in the same sample: ("parent", port) for a router's subinterface
    ("GigabitEthernet0/0.44", an 802.1Q VLAN whose frames cross its parent port), or
    ("channel", port) for a dialer whose PPP channel is counted ("Dialer1" bound to
    "Dialer1:0" on a Huawei AR router); else None. Their errors are then judged once, on
    that port's record."""
    if _counted(counters):
        return None
    match = re.match(r"^(.*\d)\.\d+$", name)
    if match is not None and _counted(sample_ports.get(match.group(1))):
        return ("parent", match.group(1))
    channels = sorted(other for other in sample_ports
                      if re.match(r"^%s:\d+$" % re.escape(name), other) and _counted(sample_ports[other]))
    if channels:
        return ("channel", ", ".join(channels))
    return None


def _counted_on_record(name, counted_on):
    kind, other = counted_on
    if kind == "parent":
        message = "Subinterface: galatnya dihitung pada port induk %s (lihat catatan port itu)" % other
        message_en = "Subinterface: its errors are counted on its parent port %s (see that port's record)" % other
    else:
        message = "Dialer: galatnya dihitung pada kanal PPP %s (lihat catatan kanal itu)" % other
        message_en = "Dialer: its errors are counted on its PPP channel %s (see that channel's record)" % other
    return record("port-errors", name, OK, message, message_en=message_en, details={kind: other})


def uncounted_records(names, reason=None, reason_en=None, thresholds=None):
    """One UNKNOWN ``port-errors`` record per listed port that has no error counters.

    A port the switch lists (in its brief output) but whose counters are missing from the
    full output, or every port when the counter command failed: never silently OK.
    """
    th = dict(DEFAULT_THRESHOLDS)
    th.update({k: v for k, v in (thresholds or {}).items() if k in th})
    reason = reason or "keluaran lengkap interface tidak memuat port ini"
    reason_en = reason_en or "the full interface output does not list this port"
    return [unknown("port-errors", name, "Penghitung galat tidak tersedia: %s" % reason,
                    "Error counters not available: %s" % reason_en,
                    unit="%", warn=th["pct_warn"], crit=th["pct_crit"])
            for name in names]


def has_usable_previous(previous, current_ports):
    """True when ``previous`` is a sample that shares at least one port with the current one."""
    if not previous or not isinstance(previous, dict) or "ts" not in previous:
        return False
    prev_ports = previous.get("ports") or {}
    return any(name in prev_ports for name in current_ports)


__all__ = ["DEFAULT_THRESHOLDS", "make_sample", "deltas", "port_rate", "judge_port_errors",
           "error_records", "uncounted_records", "has_usable_previous"]
