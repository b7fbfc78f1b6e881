#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: siak_probe
short_description: Low-rate performance probes for SOP step 4 (uji unjuk kerja), run in parallel
description:
  - Runs a list of probes on the machine it runs on (the admin machine, or a workstation it
    is delegated to) and returns result records for each.
  - C(http) times GET requests (p50, p95, p99, max, error rate, status code, expected
    content; for https the days until the certificate expires); C(tcp) times TCP connects;
    C(ping) runs the system C(ping) (loss, min/avg/max, jitter); C(dns) times A queries for
    names against a DNS server; C(iperf3) measures throughput with the C(iperf3) client
    where it is installed.
  - A series stops after 3 failures in a row (the rest count as failed), and after 60 s.
  - Different addresses are probed at the same time by a bounded pool of workers; requests
    to one address start at least 0.5 s apart (at most 2 a second). Hard caps that no option
    can raise - at most 20 samples per probe, at least 0.5 s between requests to one
    address, at most 10 s per sample, at most 16 probes at once, at most 5 s of iperf3 - so
    it never load-tests a server, least of all the national data centre.
version_added: "1.0.0"
options:
  probes:
    description:
      - The probes. Each has C(name), C(kind) (http, tcp, ping, dns, iperf3) and what it
        reaches - C(url) (http), C(host) (tcp, ping, iperf3), C(port) (tcp), C(server) and
        C(names) (dns) - and optionally C(count), C(warn_ms), C(crit_ms), C(expect_status),
        C(expect_content), C(tls_verify) (http), C(warn_mbps), C(crit_mbps) (iperf3) and
        C(from) (the machine it is measured from, recorded in the items) and C(sharing)
        (how many machines probe its address at the same time, 1..16; its requests are spaced
        that many times further, so the address sees no more than the cap in all).
    type: list
    elements: dict
    required: true
  count:
    description: Samples per probe unless the probe says otherwise (1..20; a value outside is capped, with a warning).
    type: int
    default: 20
  interval:
    description: Seconds between two requests to one address (at least 0.5).
    type: float
    default: 0.5
  timeout:
    description: Timeout of one sample in seconds (0.5..10).
    type: float
    default: 5
  workers:
    description: Probes run at the same time (1..16).
    type: int
    default: 16
  thresholds:
    description:
      - Default thresholds by kind, ms - C(http_warn_ms), C(http_crit_ms), C(tcp_warn_ms),
        C(tcp_crit_ms), C(ping_warn_ms), C(ping_crit_ms), C(dns_warn_ms), C(dns_crit_ms) -
        and C(iperf3_warn_mbps), C(iperf3_crit_mbps) (Mbit/s, lower is worse).
    type: dict
    default: {}
  loss_warn:
    description: Warning threshold on failed samples / packet loss, percent.
    type: float
    default: 20
  loss_crit:
    description: Critical threshold on failed samples / packet loss, percent.
    type: float
    default: 40
  cert_warn_days:
    description: Warning when an https certificate expires in fewer days.
    type: int
    default: 30
  cert_crit_days:
    description: Critical when an https certificate expires in fewer days.
    type: int
    default: 7
  iperf_seconds:
    description: Length of one iperf3 run (1..5 s).
    type: int
    default: 3
  source:
    description: Where the probes are measured from, as written in the records (default the admin machine).
    type: str
    default: mesin admin
  job_dir:
    description:
      - The folder where this call's background job file is kept on this machine (the siak_perf
        role runs it with C(async) and C(ansible_async_dir) set to that folder). Before probing,
        the job files in it older than an hour, left by a round that was interrupted before it
        could remove them, are removed. Only names of Ansible job ids are touched; nothing is
        removed in check mode.
      - Not given, nothing is removed.
    type: path
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
author:
  - SIAK maintenance project
"""

EXAMPLES = r"""
- name: Time the SIAK application and the link to the data centre
  siak_probe:
    probes:
      - name: Aplikasi SIAK
        kind: http
        url: http://198.18.0.11/siak/health
        expect_content: OK
      - name: Pusat data
        kind: ping
        host: 198.18.0.100
    count: 10
"""

RETURN = r"""
probes:
  description: One entry per probe, in order - C(name) and its result C(records) (without step and target).
  returned: always
  type: list
  elements: dict
caps:
  description: The settings actually used, after the hard caps.
  returned: always
  type: dict
stale_job_files_removed:
  description: The job files of earlier, interrupted rounds removed from C(job_dir) (paths on this machine).
  returned: always
  type: list
  elements: str
"""

import json
import os
import random
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.siak_probe import (
    KINDS, NEEDS, MAX_BODY_BYTES, MAX_DNS_NAMES, MAX_PROBE_SECONDS, STOP_AFTER_FAILURES, bound_count, bound_interval, bound_iperf_seconds, bound_notes, bound_sharing, bound_timeout, bound_workers,
    cert_not_after, dns_answer, dns_query, judge_cert, judge_iperf, judge_latency, judge_unresolved, judge_ping, parse_ping,
    ping_item, probe_address, probe_identity, stale_job_files, summarise)
from ansible.module_utils.siak_result import threshold_problems, unknown

# The module's options; DOCUMENTATION describes the same (tests/unit/test_module_docs.py).
ARGUMENT_SPEC = dict(
    probes=dict(type="list", elements="dict", required=True),
    count=dict(type="int", default=20),
    interval=dict(type="float", default=0.5),
    timeout=dict(type="float", default=5),
    workers=dict(type="int", default=16),
    thresholds=dict(type="dict", default={}),
    loss_warn=dict(type="float", default=20),
    loss_crit=dict(type="float", default=40),
    cert_warn_days=dict(type="int", default=30),
    cert_crit_days=dict(type="int", default=7),
    iperf_seconds=dict(type="int", default=3),
    source=dict(type="str", default="mesin admin"),
    job_dir=dict(type="path"),
)

DEFAULT_THRESHOLDS = {"http_warn_ms": 1000, "http_crit_ms": 3000, "tcp_warn_ms": 200, "tcp_crit_ms": 1000,
                      "ping_warn_ms": 200, "ping_crit_ms": 500, "dns_warn_ms": 200, "dns_crit_ms": 1000,
                      "iperf3_warn_mbps": 50, "iperf3_crit_mbps": 10}


class Pacer:
    """Requests to one address start at least ``interval`` seconds apart (the rate cap per target)."""

    def __init__(self, interval):
        self.interval = interval
        self._lock = threading.Lock()
        self._next = {}
        self._held = {}

    def _address_lock(self, address):
        with self._lock:
            return self._held.setdefault(address, threading.Lock())

    def wait(self, address, interval=None):
        """Block until one more request to address may start, and book it. ``interval`` can
        only space this probe's requests further (probes shared with other machines)."""
        with self._address_lock(address):
            now = time.monotonic()
            start = max(now, self._next.get(address, 0.0))
            self._next[address] = start + max(self.interval, interval or 0.0)
        time.sleep(max(0.0, start - now))

    def reserve(self, address, requests, interval=None):
        """Book ``requests`` requests in a row (a ping or iperf3 run that paces itself)."""
        with self._address_lock(address):
            now = time.monotonic()
            start = max(now, self._next.get(address, 0.0))
            self._next[address] = start + max(self.interval, interval or 0.0) * max(1, requests)
        time.sleep(max(0.0, start - now))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as the answer instead of following it elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _series(count, pacer, address, one, interval=None):
    """Run ``one()`` count times, each after the pacer allows it; return (times_ms, errors, extras).

    A series stops early after STOP_AFTER_FAILURES failures in a row, or once it has run
    MAX_PROBE_SECONDS: a dead or black-holed target is not asked 20 times, and one probe
    never holds the round. The samples not sent count as failed, with the last reason.
    """
    times, errors, extras = [], [], []
    started, in_row = time.monotonic(), 0
    for done in range(count):
        if in_row >= STOP_AFTER_FAILURES or time.monotonic() - started > MAX_PROBE_SECONDS:
            errors.extend([errors[-1] if errors else "batas waktu uji tercapai"] * (count - done))
            break
        pacer.wait(address, interval)
        try:
            elapsed, extra = one()
            times.append(elapsed)
            extras.append(extra)
            in_row = 0
        except Exception as exc:  # pylint: disable=broad-except  # every failure is a failed sample
            errors.append(_reason(exc))
            in_row += 1
    return times, errors, extras


def _reason(exc):
    if isinstance(exc, urllib.error.URLError) and getattr(exc, "reason", None) is not None:
        exc = exc.reason
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (koneksi ditolak)"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timed out (waktu habis)"
    return (str(exc)[:200] or type(exc).__name__)


def _ssl_context(verify):
    ctx = ssl.create_default_context()
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


def probe_http(p, s, pacer, source):
    url = p["url"]
    expect_status = [int(c) for c in (p.get("expect_status") or [200])]
    expect_content = p.get("expect_content")
    verify = bool(p.get("tls_verify", True))
    handlers = [_NoRedirect, urllib.request.ProxyHandler({})]
    if url.lower().startswith("https://"):
        handlers.append(urllib.request.HTTPSHandler(context=_ssl_context(verify)))
    opener = urllib.request.build_opener(*handlers)
    codes = {}

    def one():
        start = time.monotonic()
        try:
            with opener.open(urllib.request.Request(url, headers={"User-Agent": "siak-maintenance-probe"}),
                             timeout=s["timeout"]) as resp:
                body = resp.read(MAX_BODY_BYTES)
                code = resp.status
        except urllib.error.HTTPError as exc:
            code, body = exc.code, b""
        elapsed = (time.monotonic() - start) * 1000.0
        codes[str(code)] = codes.get(str(code), 0) + 1
        if code not in expect_status:
            raise RuntimeError("HTTP %d" % code)
        if expect_content and str(expect_content).encode("utf-8") not in body:
            raise RuntimeError("isi jawaban tanpa '%s'" % str(expect_content)[:40])
        return elapsed, code

    address = probe_address(p)
    times, errors, _ = _series(s["count"], pacer, address, one, s["interval"])
    identities = probe_identity("http", url=url, source=p.get("from"))
    name = p["name"]
    records = judge_latency(name, identities[0][1], "http", summarise(times), errors, s["count"],
                            s["warn"], s["crit"], s["loss_warn"], s["loss_crit"],
                            extra={"status_codes": codes, "expect_status": expect_status,
                                   "expect_content": expect_content})
    if len(identities) > 1:
        records.append(_cert_record(p, s, pacer, address, identities[1][1]))
    return records


def _cert_record(p, s, pacer, address, item):
    """The days until the certificate of an https URL expires (read without verifying it)."""
    rest = p["url"].split("://", 1)[1].split("/", 1)[0]
    host, _, port = rest.rpartition(":") if rest.count(":") == 1 else (rest, "", "")
    host = host or rest
    pacer.wait(address, s["interval"])
    try:
        with socket.create_connection((host.strip("[]"), int(port or 443)), timeout=s["timeout"]) as sock:
            with _ssl_context(False).wrap_socket(sock, server_hostname=host.strip("[]")) as tls:
                der = tls.getpeercert(binary_form=True)
        not_after = cert_not_after(der)
    except Exception as exc:  # pylint: disable=broad-except  # the reason goes into the record
        reason = _reason(exc)
        return unknown("tls", item, "Sertifikat TLS %s tidak dapat dibaca: %s" % (p["name"], reason),
                       "The TLS certificate of %s could not be read: %s" % (p["name"], reason))
    days = int((not_after - datetime.now(timezone.utc)).total_seconds() // 86400)
    return judge_cert(p["name"], item, days, s["cert_warn"], s["cert_crit"], not_after)


def probe_tcp(p, s, pacer, source):
    host, port = p["host"], int(p["port"])

    def one():
        start = time.monotonic()
        with socket.create_connection((host, port), timeout=s["timeout"]):
            return (time.monotonic() - start) * 1000.0, None

    times, errors, _ = _series(s["count"], pacer, probe_address(p), one, s["interval"])
    [(category, item)] = probe_identity("tcp", host=host, port=port, source=p.get("from"))
    return judge_latency(p["name"], item, category, summarise(times), errors, s["count"],
                         s["warn"], s["crit"], s["loss_warn"], s["loss_crit"], what=("menerima koneksi", "accepted connections"))


def probe_dns(p, s, pacer, source):
    server = str(p["server"])
    names = [str(n) for n in (p.get("names") or [])]
    records = []
    for query in names[MAX_DNS_NAMES:]:
        [(category, item)] = probe_identity("dns", server=server, query=query, source=p.get("from"))
        records.append(unknown(category, item, "%s: nama %s tidak diuji (lebih dari %d nama per uji)" % (
            p["name"], query, MAX_DNS_NAMES), "%s: name %s not probed (more than %d names in one probe)" % (
            p["name"], query, MAX_DNS_NAMES)))
    names = names[:MAX_DNS_NAMES]
    for query in names:
        nx = []

        def one(query=query, nx=nx):
            qid = random.randint(0, 0xFFFF)
            packet = dns_query(query, qid)
            family = socket.AF_INET6 if ":" in server else socket.AF_INET
            with socket.socket(family, socket.SOCK_DGRAM) as sock:
                sock.settimeout(s["timeout"])
                start = time.monotonic()
                sock.sendto(packet, (server, int(p.get("port") or 53)))
                data = sock.recv(4096)
                elapsed = (time.monotonic() - start) * 1000.0
            rcode, answers = dns_answer(data, qid)
            if rcode != "NOERROR" or answers == 0:
                nx.append(rcode)
                raise RuntimeError("%s tidak dapat diresolusi (%s)" % (query, rcode if rcode != "NOERROR" else "tanpa alamat"))
            return elapsed, None

        times, errors, _ = _series(s["count"], pacer, server, one, s["interval"])
        [(category, item)] = probe_identity("dns", server=server, query=query, source=p.get("from"))
        if nx and not times:
            records.append(judge_unresolved(p["name"], item, query, server, sorted(set(nx)), s["count"], len(nx)))
            continue
        records += judge_latency("%s (%s)" % (p["name"], query), item, category, summarise(times), errors, s["count"],
                                 s["warn"], s["crit"], s["loss_warn"], s["loss_crit"],
                                 extra={"server": server, "rcodes": sorted(set(nx))}, what=("diresolusi", "resolved"))
    return records


def probe_ping(p, s, pacer, source, module):
    host = p["host"]
    item = ping_item(host)
    ping = module.get_bin_path("ping")
    if ping is None:
        return judge_ping(p["name"], item, None, 0, 0, 0, 0, stderr="perintah ping tidak tersedia di mesin ini",
                          source=p.get("from"))
    count, interval, timeout = s["count"], s["interval"], s["timeout"]
    pacer.reserve(probe_address(p), count, interval)
    # -n numeric; -c the count (no -w: with a deadline ping would keep sending to a silent
    # host until it ends); -i the pace (the cap); -W how long the last reply is awaited.
    argv = [ping, "-n", "-c", str(count), "-i", str(interval), "-W", str(int(min(max(1, timeout), 2))), host]
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=count * interval + timeout + 5,
                              env=dict(os.environ, LC_ALL="C"), check=False)
        out, err = proc.stdout, proc.stderr
    except subprocess.TimeoutExpired:
        out, err = "", "ping tidak selesai dalam batas waktu"
    return judge_ping(p["name"], item, parse_ping(out), s["warn"], s["crit"], s["loss_warn"], s["loss_crit"],
                      stderr=err, source=p.get("from"))


def probe_iperf3(p, s, pacer, source, module):
    [(category, item)] = probe_identity("iperf3", host=p["host"], source=p.get("from"))
    iperf = module.get_bin_path("iperf3")
    if iperf is None:
        return [unknown(category, item,
                        "iperf3 tidak terpasang di %s: throughput ke %s tidak diukur (tidak berlaku)" % (source, p["name"]),
                        "iperf3 is not installed on %s: throughput to %s not measured" % (source, p["name"]))]
    seconds = s["iperf_seconds"]
    pacer.reserve(probe_address(p), int(seconds / s["interval"]) + 1, s["interval"])
    argv = [iperf, "-c", str(p["host"]), "-t", str(seconds), "-J", "--connect-timeout", str(int(s["timeout"] * 1000))]
    if p.get("port"):
        argv += ["-p", str(int(p["port"]))]
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + s["timeout"] + 5, check=False)
        data = json.loads(proc.stdout or "{}")
    except (subprocess.TimeoutExpired, ValueError) as exc:
        data = {"error": _reason(exc)}
    return [judge_iperf(p["name"], item, data, s["warn_mbps"], s["crit_mbps"])]


def _settings(p, params):
    """One probe's settings: its own values, the module's, the defaults - then the hard caps."""
    kind = p.get("kind")
    th = dict(DEFAULT_THRESHOLDS, **{k: v for k, v in (params["thresholds"] or {}).items() if v is not None})
    settings = {
        "count": bound_count(p.get("count") or params["count"]),
        # A probe whose address other machines probe at the same time (``sharing`` k, set by
        # the role's siak_probe_groups) spaces its requests k times as far: slower only.
        "interval": bound_interval(params["interval"]) * bound_sharing(p.get("sharing")),
        "timeout": bound_timeout(params["timeout"]),
        "warn": float(p.get("warn_ms") if p.get("warn_ms") is not None else th.get("%s_warn_ms" % kind, 0)),
        "crit": float(p.get("crit_ms") if p.get("crit_ms") is not None else th.get("%s_crit_ms" % kind, 0)),
        "warn_mbps": float(p.get("warn_mbps") if p.get("warn_mbps") is not None else th["iperf3_warn_mbps"]),
        "crit_mbps": float(p.get("crit_mbps") if p.get("crit_mbps") is not None else th["iperf3_crit_mbps"]),
        "loss_warn": params["loss_warn"], "loss_crit": params["loss_crit"],
        "cert_warn": params["cert_warn_days"], "cert_crit": params["cert_crit_days"],
        "iperf_seconds": bound_iperf_seconds(params["iperf_seconds"]),
    }
    # A warning that could never show (warn_ms above crit_ms; for throughput and a
    # certificate's days left, where lower is worse, warn below crit): the probe is not run.
    named = {"warn_ms": settings["warn"], "crit_ms": settings["crit"], "loss_warn": settings["loss_warn"],
             "loss_crit": settings["loss_crit"], "warn_mbps": settings["warn_mbps"], "crit_mbps": settings["crit_mbps"],
             "cert_warn_days": settings["cert_warn"], "cert_crit_days": settings["cert_crit"]}
    pairs = {"http": ("%s_ms", "loss", "cert_%s_days"), "tcp": ("%s_ms", "loss"), "dns": ("%s_ms", "loss"),
             "ping": ("%s_ms", "loss"),
             "iperf3": ("%s_mbps",)}.get(kind, ())
    problems = threshold_problems(named, pairs, lower_is_worse=("%s_mbps", "cert_%s_days"))
    if problems:
        raise ValueError("; ".join(problems))
    return settings


def run_probe(p, params, pacer, module):
    """The records of one probe; a probe that cannot run is UNKNOWN naming the cause."""
    kind = p.get("kind")
    name = str(p.get("name", "-"))
    missing = [k for k in NEEDS.get(kind, ("kind",)) if not p.get(k)]
    if kind not in KINDS or missing:
        why = "jenis uji tidak dikenal: %s" % kind if kind not in KINDS else "tanpa %s" % ", ".join(missing)
        return [unknown(c, i, "Uji '%s' tidak dapat dijalankan: %s" % (name, why),
                        "The probe '%s' cannot run: %s" % (name, why))
                for c, i in probe_identity(kind, url=p.get("url"), host=p.get("host"), port=p.get("port"),
                                           name=name, server=p.get("server"), source=p.get("from"))]
    source = params["source"]
    try:
        s = _settings(p, params)
        if kind == "http":
            records = probe_http(p, s, pacer, source)
        elif kind == "tcp":
            records = probe_tcp(p, s, pacer, source)
        elif kind == "dns":
            records = probe_dns(p, s, pacer, source)
        elif kind == "ping":
            records = probe_ping(p, s, pacer, source, module)
        else:
            records = probe_iperf3(p, s, pacer, source, module)
    except Exception as exc:  # pylint: disable=broad-except  # one broken probe never hides the others
        reason = _reason(exc)
        records = [unknown(c, i, "Uji '%s' gagal: %s" % (name, reason), "The probe '%s' failed: %s" % (name, reason))
                   for c, i in probe_identity(kind, url=p.get("url"), host=p.get("host"), port=p.get("port"),
                                              name=name, server=p.get("server"), source=p.get("from"))]
    for rec in records:
        details = dict(rec.get("details") or {})
        details.update(probe=name, measured_from=source)
        rec["details"] = details
        if p.get("from"):
            rec["message"] += " (diukur dari %s)" % source
            if rec.get("message_en"):
                rec["message_en"] += " (measured from %s)" % source
    return records


def remove_stale_job_files(module, job_dir):
    """Remove the job files an interrupted earlier round left in job_dir; return their paths."""
    if not job_dir or module.check_mode or not os.path.isdir(job_dir):
        return []
    entries = []
    try:
        with os.scandir(job_dir) as listing:
            for entry in listing:
                try:
                    entries.append((entry.name, entry.stat(follow_symlinks=False).st_mtime,
                                    entry.is_file(follow_symlinks=False)))
                except FileNotFoundError:  # its own round removed it meanwhile
                    continue
    except OSError as exc:
        module.warn("cannot read the job folder %s: %s" % (job_dir, exc.strerror or exc))
        return []
    removed = []
    for name in stale_job_files(entries, time.time()):
        path = os.path.join(job_dir, name)
        try:
            os.unlink(path)
            removed.append(path)
        except OSError as exc:  # another process removed it first, or no permission: it changes no record
            if not isinstance(exc, FileNotFoundError):
                module.warn("cannot remove the job file %s: %s" % (path, exc.strerror or exc))
    return removed


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    stale_removed = remove_stale_job_files(module, params["job_dir"])
    caps = {"count_max": bound_count(10 ** 6), "interval_min_s": bound_interval(0),
            "timeout_max_s": bound_timeout(10 ** 6), "workers": bound_workers(params["workers"]),
            "interval_s": bound_interval(params["interval"]), "count": bound_count(params["count"])}
    pacer = Pacer(caps["interval_s"])
    probes = [p if isinstance(p, dict) else {} for p in params["probes"]]
    for note in bound_notes(params["count"], params["interval"], params["timeout"],
                            [(p.get("name", "-"), p["count"]) for p in probes if isinstance(p.get("count"), int)]):
        module.warn(note)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=caps["workers"]) as pool:
        futures = [pool.submit(run_probe, p, params, pacer, module) for p in probes]
        results = [{"name": str(p.get("name", "-")), "records": f.result()} for p, f in zip(probes, futures)]
    module.exit_json(changed=bool(stale_removed), probes=results, caps=caps, elapsed_s=round(time.monotonic() - started, 2),
                     stale_job_files_removed=stale_removed)


if __name__ == "__main__":
    main()
