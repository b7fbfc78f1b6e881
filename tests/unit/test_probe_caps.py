"""Step 4 never load-tests anything: the caps of module_utils/siak_probe.py hold whatever the
module's arguments or the role's variables ask.

Both tests probe a TCP listener of their own on 127.0.0.1 (loopback only) and count and
time the connections it receives: the module by its own argument handling (run as Ansible
runs a module), the role through ansible-playbook on localhost.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ..integration.helpers import MODULE_RUNNER

ROOT = Path(__file__).resolve().parents[2]



@pytest.fixture
def listener(request):
    """A TCP listener on 127.0.0.1 that notes when each connection arrives; after ``limit``
    connections (the test's ``limit`` marker, default 200) it stops listening, so that later
    connections are refused."""
    marker = request.node.get_closest_marker("limit")
    limit = marker.args[0] if marker else 200
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.2)
    seen, stop = [], threading.Event()

    def accept():
        while not stop.is_set() and len(seen) < limit:
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            seen.append(time.monotonic())
            conn.close()
        server.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join(2)
    server.close()


def _gaps(times):
    return [b - a for a, b in zip(times, times[1:])]


def test_the_module_clamps_its_arguments(tmp_path, listener):
    port, seen = listener
    args = {"ANSIBLE_MODULE_ARGS": {
        # A probe's own "sharing" (set by the role for an address several machines probe)
        # can only space requests further: 0, a negative number or text change nothing.
        "probes": [{"name": "a", "kind": "tcp", "host": "127.0.0.1", "port": port, "count": 3, "sharing": 0},
                   {"name": "b", "kind": "tcp", "host": "127.0.0.1", "port": port, "count": 2, "sharing": "x"}],
        "count": 1000, "interval": 0.001, "timeout": 3600, "workers": 500}}
    (tmp_path / "args.json").write_text(json.dumps(args))
    proc = subprocess.run([sys.executable, "-c", MODULE_RUNNER, str(ROOT / "library" / "siak_probe.py"),
                           str(ROOT / "module_utils"), str(tmp_path / "args.json")],
                          capture_output=True, text=True, timeout=60, check=False)
    out = json.loads(proc.stdout)
    assert out["caps"] == {"count_max": 20, "interval_min_s": 0.5, "timeout_max_s": 10.0, "workers": 16,
                           "interval_s": 0.5, "count": 20}
    # Two probes of one address, in parallel: still at most 2 connections a second to it.
    assert len(seen) == 5 and min(_gaps(seen)) >= 0.45, _gaps(seen)
    assert [r["status"] for p in out["probes"] for r in p["records"]] == ["OK", "OK"]


def test_a_probe_shared_with_other_machines_goes_slower(tmp_path, listener):
    port, seen = listener
    args = {"ANSIBLE_MODULE_ARGS": {
        "probes": [{"name": "a", "kind": "tcp", "host": "127.0.0.1", "port": port, "count": 3, "sharing": 2}],
        "interval": 0.5}}
    (tmp_path / "args.json").write_text(json.dumps(args))
    proc = subprocess.run([sys.executable, "-c", MODULE_RUNNER, str(ROOT / "library" / "siak_probe.py"),
                           str(ROOT / "module_utils"), str(tmp_path / "args.json")],
                          capture_output=True, text=True, timeout=60, check=False)
    assert json.loads(proc.stdout)["probes"][0]["records"][0]["status"] == "OK", proc.stdout
    # Two machines probe this address: this one sends at most 1 a second.
    assert len(seen) == 3 and min(_gaps(seen)) >= 0.95, _gaps(seen)


def test_a_probe_whose_warning_could_never_show_is_not_run_and_says_why(tmp_path, listener):
    port, seen = listener
    args = {"ANSIBLE_MODULE_ARGS": {
        "probes": [{"name": "a", "kind": "tcp", "host": "127.0.0.1", "port": port, "count": 2,
                    "warn_ms": 500, "crit_ms": 100},
                   {"name": "b", "kind": "tcp", "host": "127.0.0.1", "port": port, "count": 2}],
        "interval": 0.5}}
    (tmp_path / "args.json").write_text(json.dumps(args))
    proc = subprocess.run([sys.executable, "-c", MODULE_RUNNER, str(ROOT / "library" / "siak_probe.py"),
                           str(ROOT / "module_utils"), str(tmp_path / "args.json")],
                          capture_output=True, text=True, timeout=60, check=False)
    probes = {p["name"]: p["records"] for p in json.loads(proc.stdout)["probes"]}
    (bad,) = probes["a"]
    assert bad["status"] == "UNKNOWN" and bad["message"] == (
        "Uji 'a' gagal: warn_ms (500) is above crit_ms (100): the warning threshold must not be above the critical one")
    # The other probe ran; the refused one sent nothing.
    assert [r["status"] for r in probes["b"]] == ["OK"] and len(seen) == 2


@pytest.mark.limit(4)
def test_no_role_variable_raises_the_caps(tmp_path, listener):
    """1000 samples asked, 500 by the probe, no pause, 64 workers: 20 samples at 2 a second.
    The listener accepts 4 connections, then refuses: the series stops after 3 refusals in
    a row, so the test takes seconds while the record still shows the clamped count."""
    port, seen = listener
    playbook = tmp_path / "caps.yml"
    playbook.write_text(
        "- name: Step 4 with greedy settings\n"
        "  hosts: localhost\n"
        "  gather_facts: false\n"
        "  roles:\n"
        "    - role: siak_perf\n"
        "  post_tasks:\n"
        "    - name: Keep the records\n"
        "      ansible.builtin.copy:\n"
        "        content: \"{{ siak_perf_records | to_json }}\"\n"
        "        dest: %s\n"
        "        mode: '0600'\n" % (tmp_path / "records.json"))
    extravars = {"siak_perf_count": 1000, "siak_perf_interval": 0, "siak_perf_workers": 64, "siak_perf_timeout": 999,
                 "siak_state_dir": str(tmp_path / "state"), "ansible_python_interpreter": sys.executable,
                 "siak_perf_probes": [{"name": "greedy", "kind": "tcp", "host": "127.0.0.1", "port": port,
                                       "count": 500, "target": "localhost"}]}
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_ROLES_PATH=str(ROOT / "roles"),
               ANSIBLE_NOCOLOR="1")
    proc = subprocess.run(["ansible-playbook", "-i", "localhost,", "-c", "local", str(playbook), "-e", json.dumps(extravars)],
                          cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:]
    [rec] = json.loads((tmp_path / "records.json").read_text())
    assert rec["details"]["samples"] == 20 and rec["details"]["ok"] == 4, rec
    assert len(seen) == 4 and min(_gaps(seen)) >= 0.45, _gaps(seen)


def test_a_dead_target_is_not_asked_twenty_times(tmp_path):
    """A closed loopback port refuses at once: the series stops after 3 refusals in a row."""
    with socket.socket() as probe_port:
        probe_port.bind(("127.0.0.1", 0))
        port = probe_port.getsockname()[1]  # bound but not listening: connections are refused
        args = {"ANSIBLE_MODULE_ARGS": {"probes": [{"name": "mati", "kind": "tcp", "host": "127.0.0.1", "port": port}]}}
        (tmp_path / "args.json").write_text(json.dumps(args))
        started = time.monotonic()
        proc = subprocess.run([sys.executable, "-c", MODULE_RUNNER, str(ROOT / "library" / "siak_probe.py"),
                               str(ROOT / "module_utils"), str(tmp_path / "args.json")],
                              capture_output=True, text=True, timeout=60, check=False)
        took = time.monotonic() - started
    [rec] = json.loads(proc.stdout)["probes"][0]["records"]
    assert rec["status"] == "CRITICAL" and "connection refused" in rec["message"]
    assert rec["details"]["samples"] == 20 and rec["details"]["ok"] == 0
    assert took < 5, took  # 3 attempts 0.5 s apart, not 20
