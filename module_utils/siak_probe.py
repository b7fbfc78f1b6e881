# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of the SOP step 4 performance probes (uji unjuk kerja).

The probes run at a low, bounded rate: a district office must never load-test the
national data centre. The module measures; this file summarises samples, parses
``ping`` output and judges the results into result records.
"""

from __future__ import annotations

import re
import statistics

from ansible.module_utils.siak_result import CRITICAL, decimal_comma, judge, record, unknown, worst

# Hard bounds on what one probe may send, whatever the inventory asks.
MAX_COUNT = 20
MIN_INTERVAL_S = 0.2
MAX_TIMEOUT_S = 10.0

# What a ping probe measures: one record each (item "ping <host> loss", "ping <host> rtt").
PING_MEASURES = ("loss", "rtt")


def ping_item(host):
    """The item of a ping probe's records, before the measure: "ping <host>"."""
    return "ping %s" % host


def probe_identity(kind, url=None, host=None, port=None, name=None):
    """The (category, item) of each record of one probe, defined once.

    The module's records, a probe that failed, was skipped or gave nothing
    (``siak_loop_records``) and a configured probe with no result (coverage) all use it,
    so a probe is the same record whether it ran or not:

    - http: ("http", url);
    - tcp: ("tcp", "host:port");
    - ping: ("link", "ping <host> loss") and ("link", "ping <host> rtt").

    A probe too broken to say what it reaches (no url, no host) is (kind, name).
    """
    if kind == "http" and url:
        return [("http", str(url))]
    if kind == "tcp" and host and port not in (None, ""):
        return [("tcp", "%s:%s" % (host, port))]
    if kind == "ping" and host:
        return [("link", "%s %s" % (ping_item(host), measure)) for measure in PING_MEASURES]
    return [(str(kind or "probe"), str(name if name is not None else "-"))]


def bound_count(count):
    """Samples per probe, clamped to 1..MAX_COUNT."""
    return max(1, min(int(count), MAX_COUNT))


def bound_interval(interval):
    """Seconds between samples, at least MIN_INTERVAL_S."""
    return max(float(interval), MIN_INTERVAL_S)


def bound_timeout(timeout):
    """Per-sample timeout in seconds, 0.5..MAX_TIMEOUT_S."""
    return max(0.5, min(float(timeout), MAX_TIMEOUT_S))


def summarise(samples_ms):
    """Summary of successful samples in ms: count, min, median, max, jitter (mean abs diff)."""
    if not samples_ms:
        return {"count": 0, "min": None, "median": None, "max": None, "jitter": None}
    diffs = [abs(b - a) for a, b in zip(samples_ms, samples_ms[1:])]
    return {
        "count": len(samples_ms),
        "min": round(min(samples_ms), 2),
        "median": round(statistics.median(samples_ms), 2),
        "max": round(max(samples_ms), 2),
        "jitter": round(statistics.mean(diffs), 2) if diffs else 0.0,
    }


_PING_LOSS = re.compile(r"(\d+) packets transmitted, (\d+) (?:packets )?received.*?(\d+(?:\.\d+)?)% packet loss")
_PING_RTT = re.compile(r"(?:rtt|round-trip) min/avg/max(?:/(?:mdev|stddev))? = ([\d.]+)/([\d.]+)/([\d.]+)(?:/([\d.]+))? ms")


def parse_ping(text):
    """Parse the summary of iputils / BSD ``ping``.

    Returns {"sent", "received", "loss_pct", "rtt_min", "rtt_avg", "rtt_max", "rtt_mdev"}
    (rtt_* None when nothing came back), or None when the text has no summary line.
    """
    loss = _PING_LOSS.search(text or "")
    if not loss:
        return None
    out = {
        "sent": int(loss.group(1)),
        "received": int(loss.group(2)),
        "loss_pct": float(loss.group(3)),
        "rtt_min": None, "rtt_avg": None, "rtt_max": None, "rtt_mdev": None,
    }
    rtt = _PING_RTT.search(text)
    if rtt:
        out.update(rtt_min=float(rtt.group(1)), rtt_avg=float(rtt.group(2)),
                   rtt_max=float(rtt.group(3)),
                   rtt_mdev=float(rtt.group(4)) if rtt.group(4) else None)
    return out


def judge_latency(name, item, category, stats, errors, count, warn_ms, crit_ms, loss_warn, loss_crit):
    """Records for an HTTP or TCP probe: the median time, and the share of failed samples."""
    failed = count - stats["count"]
    loss_pct = round(100.0 * failed / count, 1) if count else 100.0
    details = {"samples": count, "ok": stats["count"], "stats_ms": stats}
    if errors:
        details["errors"] = sorted(set(errors))[:5]
    if stats["count"] == 0:
        reason = errors[0] if errors else "tidak ada jawaban"
        return [record(category, item, CRITICAL,
                       "%s tidak menjawab (%d dari %d percobaan gagal): %s" % (name, failed, count, reason),
                       value=None, unit="ms", warn=warn_ms, crit=crit_ms,
                       message_en="%s did not answer (%d of %d attempts failed): %s" % (name, failed, count, reason),
                       details=details)]
    time_status = judge(stats["median"], warn_ms, crit_ms)
    loss_status = judge(loss_pct, loss_warn, loss_crit)
    status = worst([time_status, loss_status])
    msg = "%s menjawab dalam %s ms (median %d percobaan)" % (name, _ms(stats["median"]), count)
    msg_en = "%s answered in %s ms (median of %d attempts)" % (name, _ms(stats["median"]), count)
    if failed:
        msg += ", %d gagal" % failed
        msg_en += ", %d failed" % failed
    return [record(category, item, status, msg, value=stats["median"], unit="ms",
                   warn=warn_ms, crit=crit_ms, message_en=msg_en, details=details)]


def ping_unknown(item, reason, reason_en):
    """A ping probe that could not be judged: an UNKNOWN record for each of its measures."""
    return [unknown("link", "%s %s" % (item, measure), reason, reason_en) for measure in PING_MEASURES]


def judge_ping(name, item, parsed, rtt_warn, rtt_crit, loss_warn, loss_crit, stderr=""):
    """Records for a ping probe: packet loss and round-trip time (and jitter as context).

    ``item`` is ``ping_item(host)``; the records are its measures (PING_MEASURES).
    """
    if parsed is None:
        reason = (stderr or "keluaran ping tidak dikenali").strip().splitlines()[-1:] or ["?"]
        return ping_unknown(item, "Ping ke %s tidak dapat dinilai: %s" % (name, reason[0]),
                            "Ping to %s could not be judged: %s" % (name, reason[0]))
    loss = parsed["loss_pct"]
    loss_status = judge(loss, loss_warn, loss_crit)
    recs = [record("link", item + " loss", loss_status,
                   "Kehilangan paket ke %s %s%% (%d dari %d)" % (name, _pct(loss), parsed["sent"] - parsed["received"], parsed["sent"]),
                   value=loss, unit="%", warn=loss_warn, crit=loss_crit,
                   message_en="Packet loss to %s %s%%" % (name, _pct(loss)), details=parsed)]
    if parsed["rtt_avg"] is None:
        recs.append(record("link", item + " rtt", CRITICAL,
                           "Tidak ada balasan ping dari %s" % name, value=None, unit="ms",
                           warn=rtt_warn, crit=rtt_crit, message_en="No ping reply from %s" % name))
    else:
        recs.append(record("link", item + " rtt", judge(parsed["rtt_avg"], rtt_warn, rtt_crit),
                           "Waktu pulang-pergi ke %s rata-rata %s ms, jitter %s ms" % (
                               name, _ms(parsed["rtt_avg"]), _ms(parsed["rtt_mdev"])),
                           value=parsed["rtt_avg"], unit="ms", warn=rtt_warn, crit=rtt_crit,
                           message_en="Round trip to %s averages %s ms, jitter %s ms" % (
                               name, _ms(parsed["rtt_avg"]), _ms(parsed["rtt_mdev"]))))
    return recs


def _ms(value):
    return "-" if value is None else decimal_comma(value, 1)


def _pct(value):
    return ("%g" % value).replace(".", ",")

