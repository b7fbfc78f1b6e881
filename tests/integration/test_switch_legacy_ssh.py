"""An old switch's SSH (Cisco IOS 12.2, an HP ProCurve of the 2000s): the only key exchange it
offers is diffie-hellman-group1-sha1, its ciphers CBC, its host key RSA with SHA-1
signatures. District offices keep such switches for years; the switch check must log in to
them, still trusting only the key recorded in known_hosts.

The switches here are the lab's own simulator (FakeNOS, lab/switches/server.py) started
PRIVATELY with ``legacy_ssh`` (lab/switchlab.py LEGACY_SSH) on 127.0.0.1:27301-27305, state
under /tmp/siaklab-legacy-ssh-test: neither root nor the shared lab is needed.

Older still: a switch whose only host key is DSA, which paramiko 4 no longer speaks (a
real OpenSSH server of this machine's with a DSA key only, on 127.0.0.1:27400; root), and a
port that answers but not with SSH (the lab's nginx): each is one UNKNOWN record naming
what to do, never "no answer", and no password is sent.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import paramiko
import pytest

from ansible.module_utils.siak_result import validate
from lab import switchlab

from .helpers import MODULE_RUNNER, ROOT

PORT_BASE = 27301
STATE_DIR = Path(tempfile.gettempdir()) / "siaklab-legacy-ssh-test"
OLD = ("sw-core01", "sw-akses02")  # cisco_ios and hp_procurve


@pytest.fixture(scope="module")
def old_switches():
    switchlab.stop(STATE_DIR)
    shutil.rmtree(STATE_DIR, ignore_errors=True)
    switches = switchlab.start(STATE_DIR, port_base=PORT_BASE, legacy_ssh=OLD)
    yield {s["name"]: s for s in switches}
    switchlab.stop(STATE_DIR)
    shutil.rmtree(STATE_DIR, ignore_errors=True)


def _offer(sw, kex):
    """Key exchange with the switch, offering only ``kex``: the host key's type, or the error."""
    with socket.create_connection((sw["host"], sw["port"]), timeout=5) as sock:
        transport = paramiko.Transport(sock)
        transport.get_security_options().kex = kex
        try:
            transport.start_client(timeout=5)
            return transport.get_remote_server_key().get_name()
        except paramiko.SSHException as exc:
            return "refused: %s" % exc
        finally:
            transport.close()


@pytest.mark.parametrize("name", OLD)
def test_the_old_switch_offers_only_the_old_algorithms(old_switches, name):
    sw = old_switches[name]
    assert _offer(sw, ("curve25519-sha256@libssh.org", "diffie-hellman-group14-sha256")).startswith("refused")
    assert _offer(sw, ("diffie-hellman-group1-sha1",)) == "ssh-rsa"
    # The other switches are as before.
    assert _offer(old_switches["sw-dist01"], ("curve25519-sha256@libssh.org",)) == "ssh-ed25519"


@pytest.mark.parametrize("name", OLD)
def test_the_switch_check_logs_in_to_an_old_switch_and_reads_it(old_switches, name, tmp_path):
    sw = old_switches[name]
    args = {"platform": {"sw-core01": "cisco_ios", "sw-akses02": "hp_procurve"}[name], "host": sw["host"],
            "port": sw["port"], "username": sw["username"], "password": sw["password"], "uplinks": sw["uplinks"],
            "state": {}, "checks": ["device", "ports", "cpu"], "conn_timeout": 10, "command_timeout": 20,
            "known_hosts": sw["known_hosts"]}
    (tmp_path / "args.json").write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", MODULE_RUNNER, str(ROOT / "library" / "siak_switch_check.py"),
                           str(ROOT / "module_utils"), str(tmp_path / "args.json")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    records = json.loads(proc.stdout)["records"]
    assert all(validate(dict(r, step=3, target=name)) == [] for r in records)
    assert {r["category"] for r in records} >= {"device", "port", "cpu"}
    assert [r for r in records if r["status"] != "OK"] == [], records


def _check(tmp_path, host, port, known_hosts, platform="cisco_ios"):
    args = {"platform": platform, "host": host, "port": port, "username": "siak", "password": "not-sent-anywhere",
            "state": {}, "checks": ["device"], "conn_timeout": 5, "command_timeout": 10, "known_hosts": str(known_hosts)}
    (tmp_path / "args.json").write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", MODULE_RUNNER, str(ROOT / "library" / "siak_switch_check.py"),
                           str(ROOT / "module_utils"), str(tmp_path / "args.json")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (record,) = json.loads(proc.stdout)["records"]
    assert (record["category"], record["item"], record["status"]) == ("switch", "ssh", "UNKNOWN")
    assert record["details"]["password_sent"] is False
    return record


@pytest.fixture()
def dsa_only_sshd(tmp_path):
    """This machine's OpenSSH server with a DSA host key only, on 127.0.0.1:27400."""
    if os.geteuid() != 0:
        pytest.skip("sshd needs root")
    key = tmp_path / "host_dsa"
    subprocess.run(["ssh-keygen", "-q", "-t", "dsa", "-N", "", "-f", str(key)], check=True, timeout=30)
    config = tmp_path / "sshd_config"
    config.write_text("Port 27400\nListenAddress 127.0.0.1\nHostKey %s\nHostKeyAlgorithms ssh-dss\nPidFile %s\n"
                      "UsePAM no\nPasswordAuthentication yes\n" % (key, tmp_path / "sshd.pid"))
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    subprocess.run(["/usr/sbin/sshd", "-f", str(config)], check=True, timeout=30)
    try:
        for _ in range(50):  # bounded: 5 s
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", 27400)) == 0:
                    break
            time.sleep(0.1)
        public = key.with_suffix(".pub").read_text().split()
        known_hosts = tmp_path / "known_hosts"
        known_hosts.write_text("[127.0.0.1]:27400 %s %s\n" % (public[0], public[1]))
        yield known_hosts
    finally:
        os.kill(int((tmp_path / "sshd.pid").read_text()), signal.SIGTERM)


def test_a_switch_whose_only_host_key_is_dsa_is_named_with_what_to_do(dsa_only_sshd, tmp_path):
    record = _check(tmp_path, "127.0.0.1", 27400, dsa_only_sshd)
    assert record["message_en"].startswith("The switch answers, but its SSH offers only algorithms that are not "
                                           "supported (no acceptable host key): give the switch an RSA host key")


@pytest.mark.lab
def test_a_port_that_answers_but_not_with_ssh_is_named(lab, tmp_path):
    (tmp_path / "known_hosts").write_text("")
    record = _check(tmp_path, lab["hosts"]["siak-app01"], 80, tmp_path / "known_hosts")  # nginx
    assert record["message"] == ("Port 80 menjawab, tetapi bukan dengan SSH (mungkin Telnet atau layanan lain): "
                                 "aktifkan SSH di switch atau perbaiki siak_switch_port")


def test_collecting_a_dsa_only_switchs_key_says_what_to_do(dsa_only_sshd, tmp_path):
    known_hosts = tmp_path / "collected_known_hosts"
    args = {"host": "127.0.0.1", "port": 27400, "known_hosts": str(known_hosts), "timeout": 5}
    (tmp_path / "args.json").write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", MODULE_RUNNER, str(ROOT / "library" / "siak_switch_hostkey.py"),
                           str(ROOT / "module_utils"), str(tmp_path / "args.json")],
                          capture_output=True, text=True, timeout=60, check=False)
    result = json.loads(proc.stdout)
    assert result["failed"] is True
    assert ("could not read the SSH host key of [127.0.0.1]:27400: The switch answers, but its SSH offers only "
            "algorithms that are not supported (no acceptable host key): give the switch an RSA host key") in result["msg"]
    assert not known_hosts.exists() or known_hosts.read_text() == ""
