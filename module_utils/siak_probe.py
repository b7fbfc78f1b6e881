# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure logic of the SOP step 4 performance probes (uji unjuk kerja).

The probes run at a low, bounded rate: a district office must never load-test the
national data centre. The hard caps below are constants of this file: no option, no
inventory variable can raise them (the module clamps every setting with the bound_*
functions). The module measures; this file summarises samples (percentiles, jitter),
parses ``ping``, DNS answers, certificates and ``iperf3`` output, judges the results
into result records and compares them with earlier rounds.
"""

from __future__ import annotations

import datetime
import math
import re
import statistics
import struct

from ansible.module_utils.siak_result import (
    CRITICAL, OK, SEVERITY, UNKNOWN, WARNING, decimal_comma, judge, record, unknown, worst)

# Hard caps on what step 4 may send, whatever the inventory asks.
MAX_COUNT = 20              # samples per probe
MIN_INTERVAL_S = 0.5        # between two requests to one address: at most 2 a second per target
MAX_TIMEOUT_S = 10.0        # one sample
MAX_WORKERS = 16            # probes running at the same time (each mostly waits for its pace)
MAX_IPERF_SECONDS = 5       # one iperf3 run
MAX_BODY_BYTES = 65536      # what is read of one HTTP answer
MAX_PROBE_SECONDS = 60      # one probe's series stops sending after this long
STOP_AFTER_FAILURES = 3     # ... or after this many failed samples in a row
MAX_DNS_NAMES = 10          # names of one dns probe (more are UNKNOWN "not probed")

DEFAULT_COUNT = 20

KINDS = ("http", "tcp", "ping", "dns", "iperf3")
# What each kind of probe needs besides its name and target (a siak_perf_probes entry).
NEEDS = {"http": ("url",), "tcp": ("host", "port"), "ping": ("host",), "dns": ("server", "names"), "iperf3": ("host",)}

# What a ping probe measures: one record each (item "ping <host> loss", "ping <host> rtt").
PING_MEASURES = ("loss", "rtt")

# The state kept between rounds for the comparison with earlier rounds (siak_perf).
PERF_STATE_SCHEMA = 1


# Background (async) probe calls keep their result in a job file named after Ansible's job id
# (``j<random>.<pid>`` in ansible-core 2.19, ``<random>.<pid>`` before, and ``<job id>.tmp``
# while it is written) in the role's own folder. A round that is interrupted never removes
# its files; the next probe call on that machine removes those older than JOB_FILE_MAX_AGE_S
# (a probe call lives at most its async limit, 300 s, and its round reads its file at once).
JOB_FILE = re.compile(r"^j?\d+\.\d+(\.tmp)?$")
JOB_FILE_MAX_AGE_S = 3600


def stale_job_files(entries, now, max_age=JOB_FILE_MAX_AGE_S):
    """Names of the job files older than max_age seconds.

    entries: (name, modification time, is a regular file) of each entry of the job folder.
    Only names that are Ansible job ids count, so a folder given by mistake loses nothing else.
    """
    return sorted(name for name, mtime, regular in entries
                  if regular and JOB_FILE.match(name) and now - mtime > max_age)


def ping_item(host):
    """The item of a ping probe's records, before the measure: "ping <host>"."""
    return "ping %s" % host


def _from_suffix(source):
    return " dari %s" % source if source else ""


def probe_identity(kind, url=None, host=None, port=None, name=None, server=None, source=None, query=None):
    """The (category, item) of each record of one probe, defined once.

    The module's records, a probe that failed, was skipped or gave nothing
    (``siak_probe_records``) and a configured probe with no result (coverage) all use it,
    so a probe is the same record whether it ran or not:

    - http: ("http", url), and for an https URL also ("tls", url) (the certificate);
    - tcp: ("tcp", "host:port");
    - ping: ("link", "ping <host> loss") and ("link", "ping <host> rtt");
    - dns: ("dns", "<query> @<server>");
    - iperf3: ("throughput", "iperf3 <host>").

    A probe measured from another machine (``source``, the probe's ``from``) has
    " dari <source>" appended to its items: where it was measured is part of what it is.
    A probe too broken to say what it reaches (no url, no host) is (kind, name).
    """
    sfx = _from_suffix(source)
    if kind == "http" and url:
        out = [("http", str(url) + sfx)]
        if str(url).lower().startswith("https://"):
            out.append(("tls", str(url) + sfx))
        return out
    if kind == "tcp" and host and port not in (None, ""):
        return [("tcp", "%s:%s%s" % (host, port, sfx))]
    if kind == "ping" and host:
        return [("link", "%s %s%s" % (ping_item(host), measure, sfx)) for measure in PING_MEASURES]
    if kind == "dns" and server and query:
        return [("dns", "%s @%s%s" % (query, server, sfx))]
    if kind == "iperf3" and host:
        return [("throughput", "iperf3 %s%s" % (host, sfx))]
    return [(str(kind or "probe"), str(name if name is not None else "-"))]


def probe_identity_of(probe):
    """probe_identity of a probe as configured (a siak_perf_probes entry); a DNS probe
    with several names is one identity per name."""
    if not isinstance(probe, dict):
        return [("probe", "-")]
    kind = probe.get("kind")
    if kind == "dns":
        names = probe.get("names")
        if isinstance(names, list) and names and probe.get("server"):
            return [probe_identity("dns", server=probe.get("server"), query=n, source=probe.get("from"))[0]
                    for n in names]
    return probe_identity(kind, url=probe.get("url"), host=probe.get("host"), port=probe.get("port"),
                          name=probe.get("name"), server=probe.get("server"), source=probe.get("from"))


def probe_address(probe):
    """The address a probe sends to (for the per-target rate cap)."""
    if probe.get("kind") == "http":
        match = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://(\[[^\]]+\]|[^/:?#]+)", str(probe.get("url") or ""))
        return match.group(1).strip("[]").lower() if match else str(probe.get("url"))
    if probe.get("kind") == "dns":
        return str(probe.get("server"))
    return str(probe.get("host"))


# ------------------------------------------------------------------ the caps
def bound_sharing(sharing):
    """How many machines probe one address at once, clamped to 1..MAX_WORKERS (1 when absent
    or not a number): it only ever slows a probe down."""
    try:
        return max(1, min(int(sharing or 1), MAX_WORKERS))
    except (TypeError, ValueError):
        return 1


def bound_count(count):
    """Samples per probe, clamped to 1..MAX_COUNT."""
    return max(1, min(int(count), MAX_COUNT))


def bound_notes(count, interval, timeout, probe_counts=()):
    """Warnings for the settings the caps change, so a count of 0 meant as "off" is not taken
    silently as 1 sample (the records say how many samples were sent)."""
    notes = []
    for what, value, used in [("count", count, bound_count(count))] + [
            ("count of probe %s" % name, value, bound_count(value)) for name, value in probe_counts]:
        if int(value) != used:
            notes.append("%s %s is outside 1..%d: %d is used" % (what, value, MAX_COUNT, used))
    if float(interval) < MIN_INTERVAL_S:
        notes.append("interval %s is below %.1f s: %.1f s is used" % (interval, MIN_INTERVAL_S, MIN_INTERVAL_S))
    if bound_timeout(timeout) != float(timeout):
        notes.append("timeout %s is outside 0.5..%.0f s: %s s is used" % (timeout, MAX_TIMEOUT_S, bound_timeout(timeout)))
    return notes


def bound_interval(interval):
    """Seconds between two requests to one address, at least MIN_INTERVAL_S."""
    return max(float(interval), MIN_INTERVAL_S)


def bound_timeout(timeout):
    """Per-sample timeout in seconds, 0.5..MAX_TIMEOUT_S."""
    return max(0.5, min(float(timeout), MAX_TIMEOUT_S))


def bound_workers(workers):
    """Probes at the same time, 1..MAX_WORKERS."""
    return max(1, min(int(workers), MAX_WORKERS))


def bound_iperf_seconds(seconds):
    """Length of one iperf3 run, 1..MAX_IPERF_SECONDS."""
    return max(1, min(int(seconds), MAX_IPERF_SECONDS))


# ------------------------------------------------------------------ statistics
def percentile(values, pct):
    """The pct-th percentile of values by linear interpolation between closest ranks
    (numpy's default, "type 7"); None for no values."""
    if not values:
        return None
    data = sorted(values)
    if len(data) == 1:
        return data[0]
    rank = (len(data) - 1) * float(pct) / 100.0
    low = int(math.floor(rank))
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (rank - low)


def jitter(samples_ms):
    """Mean absolute difference between consecutive samples (in order), ms; None for fewer than two."""
    if len(samples_ms) < 2:
        return None
    return statistics.mean(abs(b - a) for a, b in zip(samples_ms, samples_ms[1:]))


def summarise(samples_ms):
    """Summary of successful samples in ms: count, min, p50 (= median), p95, p99, max, avg, jitter."""
    if not samples_ms:
        return {"count": 0, "min": None, "median": None, "p50": None, "p95": None, "p99": None,
                "max": None, "avg": None, "jitter": None}
    rnd = lambda v: None if v is None else round(v, 2)  # noqa: E731
    return {
        "count": len(samples_ms),
        "min": rnd(min(samples_ms)),
        "median": rnd(percentile(samples_ms, 50)),
        "p50": rnd(percentile(samples_ms, 50)),
        "p95": rnd(percentile(samples_ms, 95)),
        "p99": rnd(percentile(samples_ms, 99)),
        "max": rnd(max(samples_ms)),
        "avg": rnd(statistics.mean(samples_ms)),
        "jitter": rnd(jitter(samples_ms)) if len(samples_ms) > 1 else 0.0,
    }


# ------------------------------------------------------------------ ping
_PING_LOSS = re.compile(r"(\d+) packets transmitted, (\d+) (?:packets )?received.*?(\d+(?:\.\d+)?)% packet loss")
_PING_RTT = re.compile(r"(?:rtt|round-trip) min/avg/max(?:/(?:mdev|stddev))? = ([\d.]+)/([\d.]+)/([\d.]+)(?:/([\d.]+))? ms")
_PING_REPLY = re.compile(r"(?:icmp_)?seq=(\d+).*?time[=<]([\d.]+) ?ms")


def parse_ping(text):
    """Parse the summary of iputils / BSD ``ping``.

    Returns {"sent", "received", "loss_pct", "rtt_min", "rtt_avg", "rtt_max", "rtt_mdev",
    "replies"} (rtt_* None when nothing came back; replies: the round trips of the reply
    lines, in order), or None when the text has no summary line.
    """
    loss = _PING_LOSS.search(text or "")
    if not loss:
        return None
    out = {
        "sent": int(loss.group(1)),
        "received": int(loss.group(2)),
        "loss_pct": float(loss.group(3)),
        "rtt_min": None, "rtt_avg": None, "rtt_max": None, "rtt_mdev": None,
        "replies": [float(m.group(2)) for m in _PING_REPLY.finditer(text)],
    }
    rtt = _PING_RTT.search(text)
    if rtt:
        out.update(rtt_min=float(rtt.group(1)), rtt_avg=float(rtt.group(2)),
                   rtt_max=float(rtt.group(3)),
                   rtt_mdev=float(rtt.group(4)) if rtt.group(4) else None)
    return out


# ------------------------------------------------------------------ DNS (RFC 1035, A queries)
DNS_RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def dns_query(name, query_id, qtype=1):
    """A DNS query packet for ``name`` (type A by default), recursion desired."""
    labels = [l for l in str(name).rstrip(".").split(".") if l]
    if not labels or any(len(l.encode("idna")) > 63 for l in labels):
        raise ValueError("not a valid DNS name: %r" % (name,))
    qname = b"".join(struct.pack("B", len(l.encode("idna"))) + l.encode("idna") for l in labels) + b"\0"
    return struct.pack(">HHHHHH", query_id & 0xFFFF, 0x0100, 1, 0, 0, 0) + qname + struct.pack(">HH", qtype, 1)


def dns_answer(packet, query_id):
    """(rcode name, answer count) of a DNS response to query_id; ValueError for anything else."""
    if len(packet) < 12:
        raise ValueError("DNS answer too short")
    ident, flags, _qd, ancount = struct.unpack(">HHHH", packet[:8])
    if ident != query_id & 0xFFFF or not flags & 0x8000:
        raise ValueError("not an answer to this query")
    rcode = flags & 0x000F
    return DNS_RCODES.get(rcode, "RCODE%d" % rcode), ancount


def judge_unresolved(name, item, query, server, rcodes, count, answered):
    """A DNS name the server answers for but does not resolve (NXDOMAIN, no address, ...): CRITICAL."""
    codes = "/".join(rcodes)
    return record("dns", item, CRITICAL,
                  "%s: nama %s tidak dapat diresolusi oleh server %s (%s, %d dari %d jawaban)" % (
                      name, query, server, codes, answered, count),
                  value=None, unit="ms",
                  message_en="%s: the name %s does not resolve on server %s (%s, %d of %d answers)" % (
                      name, query, server, codes, answered, count),
                  details={"server": server, "rcodes": rcodes, "samples": count})


# ------------------------------------------------------------------ certificates (DER, no library)
def _der(data, pos):
    """(tag, content start, content end) of the DER element at pos."""
    tag = data[pos]
    length = data[pos + 1]
    pos += 2
    if length & 0x80:
        nbytes = length & 0x7F
        length = int.from_bytes(data[pos:pos + nbytes], "big")
        pos += nbytes
    return tag, pos, pos + length


def _der_time(tag, raw):
    text = raw.decode("ascii")
    if tag == 0x17:  # UTCTime YYMMDDHHMMSSZ
        year = int(text[:2])
        text = ("19" if year >= 50 else "20") + text
    return datetime.datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(tzinfo=datetime.timezone.utc)


def cert_not_after(der):
    """The notAfter of a DER X.509 certificate (an aware UTC datetime)."""
    _, start, _ = _der(der, 0)            # Certificate
    _, pos, _ = _der(der, start)          # TBSCertificate
    tag, _, end = _der(der, pos)
    if tag == 0xA0:                       # [0] version
        pos = end
    for _skip in range(3):                # serialNumber, signature, issuer
        _, _, pos = _der(der, pos)
    _, vpos, _ = _der(der, pos)           # validity
    _, _, vpos = _der(der, vpos)          # notBefore
    tag, cstart, cend = _der(der, vpos)   # notAfter
    return _der_time(tag, der[cstart:cend])


def judge_cert(name, item, days, warn_days, crit_days, not_after=None):
    """The certificate record of an https probe: days until it expires (lower is worse)."""
    status = judge(days, warn_days, crit_days, higher_is_worse=False)
    when = not_after.strftime("%Y-%m-%d") if not_after else "?"
    if days < 0:
        msg = "Sertifikat TLS %s sudah kedaluwarsa sejak %s (%d hari lalu)" % (name, when, -days)
        msg_en = "The TLS certificate of %s expired on %s (%d days ago)" % (name, when, -days)
    else:
        msg = "Sertifikat TLS %s berlaku sampai %s (%d hari lagi)" % (name, when, days)
        msg_en = "The TLS certificate of %s is valid until %s (%d days left)" % (name, when, days)
    return record("tls", item, status, msg, value=days, unit="hari", warn=warn_days, crit=crit_days,
                  message_en=msg_en, details={"not_after": when})


# ------------------------------------------------------------------ judging
def _ms(value):
    return "-" if value is None else decimal_comma(value, 1)


def _pct(value):
    return ("%g" % value).replace(".", ",")


def _figures(stats):
    return "p50 %s / p95 %s / p99 %s / maks %s ms" % (
        _ms(stats["p50"]), _ms(stats["p95"]), _ms(stats["p99"]), _ms(stats["max"]))


def judge_latency(name, item, category, stats, errors, count, warn_ms, crit_ms, loss_warn, loss_crit,
                  extra=None, what=("menjawab", "answered")):
    """Records for an HTTP, TCP or DNS probe: the p95 time of the good samples, and the
    share of failed samples (the error rate). ``extra``: more details (status codes, ...)."""
    failed = count - stats["count"]
    loss_pct = round(100.0 * failed / count, 1) if count else 100.0
    details = {"samples": count, "ok": stats["count"], "error_pct": loss_pct, "stats_ms": stats}
    details.update(extra or {})
    if errors:
        details["errors"] = sorted(set(errors))[:5]
    if stats["count"] == 0:
        reason = errors[0] if errors else "tidak ada jawaban"
        return [record(category, item, CRITICAL,
                       "%s tidak menjawab (%d dari %d percobaan gagal): %s" % (name, failed, count, reason),
                       value=None, unit="ms", warn=warn_ms, crit=crit_ms,
                       message_en="%s did not answer (%d of %d attempts failed): %s" % (name, failed, count, reason),
                       details=details)]
    time_status = judge(stats["p95"], warn_ms, crit_ms)
    loss_status = judge(loss_pct, loss_warn, loss_crit)
    status = worst([time_status, loss_status])
    msg = "%s %s: %s (%d percobaan), galat %s%%" % (name, what[0], _figures(stats), count, _pct(loss_pct))
    msg_en = "%s %s: p50 %s / p95 %s / p99 %s / max %s ms (%d attempts), errors %s%%" % (
        name, what[1], _ms(stats["p50"]), _ms(stats["p95"]), _ms(stats["p99"]), _ms(stats["max"]), count,
        _pct(loss_pct))
    if errors:
        msg += "; gagal: %s" % sorted(set(errors))[0]
        msg_en += "; failed: %s" % sorted(set(errors))[0]
    return [record(category, item, status, msg, value=stats["p95"], unit="ms",
                   warn=warn_ms, crit=crit_ms, message_en=msg_en, details=details)]


def ping_unknown(item, reason, reason_en):
    """A ping probe that could not be judged: an UNKNOWN record for each of its measures."""
    return [unknown("link", "%s %s" % (item, measure), reason, reason_en) for measure in PING_MEASURES]


def _with_sfx(item, measure, sfx):
    return "%s %s%s" % (item, measure, sfx)


def judge_ping(name, item, parsed, rtt_warn, rtt_crit, loss_warn, loss_crit, stderr="", source=None):
    """Records for a ping probe: packet loss, and round-trip time with min/avg/max and jitter.

    ``item`` is ``ping_item(host)``; the records are its measures (PING_MEASURES), with
    " dari <source>" when measured from another machine.
    """
    sfx = _from_suffix(source)
    if parsed is None:
        reason = (stderr or "keluaran ping tidak dikenali").strip().splitlines()[-1:] or ["?"]
        return [unknown("link", _with_sfx(item, m, sfx), "Ping ke %s tidak dapat dinilai: %s" % (name, reason[0]),
                        "Ping to %s could not be judged: %s" % (name, reason[0])) for m in PING_MEASURES]
    loss = parsed["loss_pct"]
    loss_status = judge(loss, loss_warn, loss_crit)
    recs = [record("link", _with_sfx(item, "loss", sfx), loss_status,
                   "Kehilangan paket ke %s %s%% (%d dari %d)" % (name, _pct(loss), parsed["sent"] - parsed["received"], parsed["sent"]),
                   value=loss, unit="%", warn=loss_warn, crit=loss_crit,
                   message_en="Packet loss to %s %s%%" % (name, _pct(loss)),
                   details={k: v for k, v in parsed.items() if k != "replies"})]
    if parsed["rtt_avg"] is None:
        recs.append(record("link", _with_sfx(item, "rtt", sfx), CRITICAL,
                           "Tidak ada balasan ping dari %s (kehilangan %s%%)" % (name, _pct(loss)), value=None, unit="ms",
                           warn=rtt_warn, crit=rtt_crit, message_en="No ping reply from %s" % name))
    else:
        jit = jitter(parsed.get("replies") or [])
        jit = parsed["rtt_mdev"] if jit is None else jit
        recs.append(record("link", _with_sfx(item, "rtt", sfx), judge(parsed["rtt_avg"], rtt_warn, rtt_crit),
                           "Waktu pulang-pergi ke %s min/rata-rata/maks %s / %s / %s ms, jitter %s ms" % (
                               name, _ms(parsed["rtt_min"]), _ms(parsed["rtt_avg"]), _ms(parsed["rtt_max"]), _ms(jit)),
                           value=parsed["rtt_avg"], unit="ms", warn=rtt_warn, crit=rtt_crit,
                           message_en="Round trip to %s min/avg/max %s / %s / %s ms, jitter %s ms" % (
                               name, _ms(parsed["rtt_min"]), _ms(parsed["rtt_avg"]), _ms(parsed["rtt_max"]), _ms(jit)),
                           details={"min": parsed["rtt_min"], "avg": parsed["rtt_avg"], "max": parsed["rtt_max"],
                                    "jitter": None if jit is None else round(jit, 3), "p50": parsed["rtt_avg"]}))
    return recs


def judge_iperf(name, item, data, warn_mbps, crit_mbps):
    """The throughput record of an iperf3 run (``iperf3 -J`` output, parsed), Mbit/s (lower is worse)."""
    if not isinstance(data, dict):
        return unknown("throughput", item, "Keluaran iperf3 tidak dikenali", "iperf3 output not recognised")
    if data.get("error"):
        reason = str(data["error"])[:200]
        return unknown("throughput", item, "Throughput ke %s tidak dapat diukur: %s" % (name, reason),
                       "Throughput to %s could not be measured: %s" % (name, reason))
    try:
        bps = float(data["end"]["sum_received"]["bits_per_second"])
    except (KeyError, TypeError, ValueError):
        return unknown("throughput", item, "Keluaran iperf3 tanpa hasil", "iperf3 output without a result")
    mbps = round(bps / 1e6, 1)
    status = judge(mbps, warn_mbps, crit_mbps, higher_is_worse=False)
    return record("throughput", item, status, "Throughput ke %s %s Mbit/s (iperf3)" % (name, decimal_comma(mbps, 1)),
                  value=mbps, unit="Mbit/s", warn=warn_mbps, crit=crit_mbps,
                  message_en="Throughput to %s %s Mbit/s (iperf3)" % (name, mbps))


# ------------------------------------------------------------------ against earlier rounds
def baseline_key(rec):
    """The key of a record in the perf state: its identity without the step."""
    return "%s|%s|%s" % (rec.get("target"), rec.get("category"), rec.get("item"))


def _compared_value(rec):
    """The figure compared with earlier rounds: the median time (p50), or ping's average."""
    if rec.get("unit") != "ms" or rec.get("status") not in (OK, WARNING):
        return None
    details = rec.get("details") if isinstance(rec.get("details"), dict) else {}
    stats = details.get("stats_ms") if isinstance(details.get("stats_ms"), dict) else details
    value = stats.get("p50")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def perf_state_problems(state):
    """What is wrong with a perf state: {"schema": 1, "rounds": [{"time": n, "values": {key: ms}}]}."""
    if not isinstance(state, dict):
        return ["the state is not an object"]
    if state.get("schema") != PERF_STATE_SCHEMA:
        return ["schema is not %d" % PERF_STATE_SCHEMA]
    rounds = state.get("rounds")
    if not isinstance(rounds, list):
        return ["rounds is not a list"]
    for rnd in rounds:
        if not isinstance(rnd, dict) or not isinstance(rnd.get("values"), dict):
            return ["a round is not {time, values}"]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in rnd["values"].values()):
            return ["a round's values are not numbers"]
    return []


def compare_with_baseline(records, state, rounds_kept, slower_pct, min_ms):
    """Records with the comparison against the median of the last ``rounds_kept`` rounds.

    A probe whose median time is more than ``slower_pct`` percent (and at least ``min_ms``
    ms) above its baseline becomes at least WARNING, and the message names the baseline
    and its value; every compared record carries ``details.baseline``.
    """
    rounds = (state or {}).get("rounds") or []
    rounds = rounds[-max(1, int(rounds_kept)):]
    out = []
    for rec in records:
        value = _compared_value(rec)
        past = [r["values"][baseline_key(rec)] for r in rounds if baseline_key(rec) in r.get("values", {})]
        if value is None or not past:
            out.append(rec)
            continue
        base = statistics.median(past)
        rec = dict(rec)
        details = dict(rec.get("details") or {})
        slower = round(100.0 * (value - base) / base, 1) if base > 0 else None
        details["baseline"] = {"median_ms": round(base, 2), "rounds": len(past), "slower_pct": slower}
        if slower is not None and slower > slower_pct and value - base >= min_ms:
            if SEVERITY[rec["status"]] < SEVERITY[WARNING]:
                rec["status"] = WARNING
            rec["message"] += ("; LEBIH LAMBAT %s%% dari acuan (median %d putaran terakhir: %s ms, kini p50 %s ms)"
                               % (_pct(slower), len(past), _ms(base), _ms(value)))
            if rec.get("message_en"):
                rec["message_en"] += ("; SLOWER by %s%% than the baseline (median of the last %d rounds: %s ms, now p50 %s ms)"
                                      % (slower, len(past), base, value))
            details["baseline"]["regression"] = True
        rec["details"] = details
        out.append(rec)
    return out


def next_perf_state(state, records, rounds_kept, now):
    """The perf state after this round: its median times added, the last ``rounds_kept`` rounds kept."""
    values = {}
    for rec in records:
        value = _compared_value(rec)
        if value is not None:
            values[baseline_key(rec)] = value
    rounds = list((state or {}).get("rounds") or [])
    if values:
        rounds.append({"time": now, "values": values})
    return {"schema": PERF_STATE_SCHEMA, "rounds": rounds[-max(1, int(rounds_kept)):]}


__all__ = ["CRITICAL", "OK", "UNKNOWN", "WARNING"]
