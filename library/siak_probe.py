#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: siak_probe
short_description: Low-rate performance probes for SOP step 4 (uji unjuk kerja)
description:
  - Measures one service at a low, bounded rate and returns result records.
  - C(http) times GET requests to a URL; C(tcp) times TCP connects; C(ping) runs the
    system C(ping) and reports loss, round trip and jitter.
  - At most 20 samples per probe, at least 0.2 s apart, each with a timeout of at most
    10 s, whatever the options ask; it never load-tests a server.
version_added: "1.0.0"
options:
  kind:
    description: What to probe.
    type: str
    required: true
    choices: [http, tcp, ping]
  name:
    description: Human name of the probed service, used in the messages.
    type: str
    required: true
  url:
    description: URL for C(http).
    type: str
  host:
    description: Address or name for C(tcp) and C(ping).
    type: str
  port:
    description: TCP port for C(tcp).
    type: int
  count:
    description: Number of samples (1..20).
    type: int
    default: 5
  interval:
    description: Seconds between samples (at least 0.2).
    type: float
    default: 0.5
  timeout:
    description: Timeout of one sample in seconds (0.5..10).
    type: float
    default: 5
  expect_status:
    description: HTTP status codes that count as a good answer.
    type: list
    elements: int
    default: [200]
  warn_ms:
    description: Warning threshold on the median time (http, tcp) or average round trip (ping), ms.
    type: float
    required: true
  crit_ms:
    description: Critical threshold, ms.
    type: float
    required: true
  loss_warn:
    description: Warning threshold on failed samples / packet loss, percent.
    type: float
    default: 20
  loss_crit:
    description: Critical threshold on failed samples / packet loss, percent.
    type: float
    default: 40
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
author:
  - SIAK maintenance project
"""

EXAMPLES = r"""
- name: Time the SIAK application's home page
  siak_probe:
    kind: http
    name: Aplikasi SIAK
    url: http://198.18.0.11/siak/health
    warn_ms: 1000
    crit_ms: 3000
"""

RETURN = r"""
records:
  description: Result records (without step and target), see module_utils/siak_result.py.
  returned: always
  type: list
  elements: dict
rc:
  description: Exit status of the C(ping) command.
  returned: when O(kind=ping) and the C(ping) command exists
  type: int
  sample: 0
"""

import socket
import time
import urllib.error
import urllib.request

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.siak_probe import (
    bound_count, bound_interval, bound_timeout, judge_latency, judge_ping, parse_ping, ping_item, ping_unknown,
    probe_identity, summarise)

# The module's options; DOCUMENTATION describes the same (tests/unit/test_module_docs.py).
ARGUMENT_SPEC = dict(
    kind=dict(type="str", required=True, choices=["http", "tcp", "ping"]),
    name=dict(type="str", required=True),
    url=dict(type="str"),
    host=dict(type="str"),
    port=dict(type="int"),
    count=dict(type="int", default=5),
    interval=dict(type="float", default=0.5),
    timeout=dict(type="float", default=5),
    expect_status=dict(type="list", elements="int", default=[200]),
    warn_ms=dict(type="float", required=True),
    crit_ms=dict(type="float", required=True),
    loss_warn=dict(type="float", default=20),
    loss_crit=dict(type="float", default=40),
)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as the answer instead of following it elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _sample_loop(count, interval, one):
    """Run ``one()`` count times, interval apart; return (times_ms, errors)."""
    times, errors = [], []
    for i in range(count):
        if i:
            time.sleep(interval)
        try:
            times.append(one())
        except Exception as exc:  # pylint: disable=broad-except  # every failure is a failed sample
            errors.append(str(exc)[:200] or type(exc).__name__)
    return times, errors


def probe_http(url, count, interval, timeout, expect_status):
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))

    def one():
        start = time.monotonic()
        try:
            with opener.open(urllib.request.Request(url, headers={"User-Agent": "siak-maintenance-probe"}),
                             timeout=timeout) as resp:
                resp.read(65536)
                code = resp.status
        except urllib.error.HTTPError as exc:
            code = exc.code
        elapsed = (time.monotonic() - start) * 1000.0
        if code not in expect_status:
            raise RuntimeError("HTTP %d" % code)
        return elapsed

    return _sample_loop(count, interval, one)


def probe_tcp(host, port, count, interval, timeout):
    def one():
        start = time.monotonic()
        with socket.create_connection((host, port), timeout=timeout):
            return (time.monotonic() - start) * 1000.0

    return _sample_loop(count, interval, one)


def main():
    module = AnsibleModule(
        argument_spec=ARGUMENT_SPEC,
        required_if=[("kind", "http", ["url"]), ("kind", "tcp", ["host", "port"]), ("kind", "ping", ["host"])],
        supports_check_mode=True,
    )
    p = module.params
    count = bound_count(p["count"])
    interval = bound_interval(p["interval"])
    timeout = bound_timeout(p["timeout"])
    kind = p["kind"]

    if kind == "ping":
        ping = module.get_bin_path("ping")
        item = ping_item(p["host"])
        if ping is None:
            module.exit_json(changed=False, records=ping_unknown(item, "Perintah ping tidak tersedia di mesin ini",
                                                                 "The ping command is not available on this machine"))
        # -n numeric, -q summary only; -W per-reply timeout; -w bounds the whole run.
        deadline = int(count * interval + timeout) + 1
        argv = [ping, "-n", "-q", "-c", str(count), "-i", str(interval), "-W", str(int(max(1, timeout))),
                "-w", str(deadline), p["host"]]
        rc, out, err = module.run_command(argv, environ_update={"LC_ALL": "C"})
        records = judge_ping(p["name"], item, parse_ping(out), p["warn_ms"], p["crit_ms"],
                             p["loss_warn"], p["loss_crit"], stderr=err)
        module.exit_json(changed=False, records=records, rc=rc)

    if kind == "http":
        times, errors = probe_http(p["url"], count, interval, timeout, p["expect_status"])
    else:
        times, errors = probe_tcp(p["host"], p["port"], count, interval, timeout)
    [(category, item)] = probe_identity(kind, url=p["url"], host=p["host"], port=p["port"])
    records = judge_latency(p["name"], item, category, summarise(times), errors, count,
                            p["warn_ms"], p["crit_ms"], p["loss_warn"], p["loss_crit"])
    module.exit_json(changed=False, records=records)


if __name__ == "__main__":
    main()
