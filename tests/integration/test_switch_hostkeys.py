"""Switch SSH host keys, end to end, against a PRIVATE switch lab.

The module ``siak_switch_check`` trusts only the known_hosts file it is given: the right
file gives the usual records; an empty one, another key for the switch, or no file give
one UNKNOWN record naming the cause, and the password is never sent. The switches' own
server logs every authentication attempt (``<state>/switches/auth.log``, user name and
method, never the password): the tests prove from it that no attempt was made.
``playbooks/switch_keys.yml`` (through ansible-runner) collects the keys without logging
in, changes nothing on a second run, and refuses a changed key. The lab's switches keep
their keys across stop/start.

These tests start their OWN switches (FakeNOS on 127.0.0.1:27201-27205, state under
/tmp/siaklab-hostkeys-test), never the shared lab's (17001-17005, /var/lib/siaklab), and
need neither root nor the namespaces: they are not marked ``lab``.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import paramiko
import pytest
import yaml

from ansible.module_utils.siak_hostkeys import fingerprints, known_hosts_line
from ansible.module_utils.siak_result import validate
from lab import siaklab, switchlab

from .helpers import MODULE_RUNNER, ROOT, output_of, run_playbook, task_results

PORT_BASE = 27201
STATE_DIR = Path(tempfile.gettempdir()) / "siaklab-hostkeys-test"


@pytest.fixture(scope="module")
def swlab():
    """Our own switches, with fresh keys; stopped (and checked gone) after the module."""
    switchlab.stop(STATE_DIR)  # a run killed before its teardown left them running
    shutil.rmtree(STATE_DIR, ignore_errors=True)
    switches = switchlab.start(STATE_DIR, port_base=PORT_BASE)
    yield {"dir": STATE_DIR, "list": switches, "by_name": {s["name"]: s for s in switches}}
    pid = switchlab.status(STATE_DIR)["pid"]
    switchlab.stop(STATE_DIR)
    assert switchlab.status(STATE_DIR)["running"] is False
    assert pid is None or not switchlab._alive(pid)  # pylint: disable=protected-access


@pytest.fixture(params=["sw-core01", "sw-dist01", "sw-akses01", "sw-akses02", "sw-kec01"])
def sw(request, swlab):
    return swlab["by_name"][request.param]


def auth_attempts(swlab, port=None):
    """Every authentication attempt the switches logged so far (optionally on one port)."""
    path = swlab["dir"] / "switches" / "auth.log"
    if not path.exists():
        return []
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [a for a in lines if port is None or a["port"] == port]


def served_key(sw):
    """(key_type, key_b64) the switch offers, read with a key exchange only."""
    with socket.create_connection((sw["host"], sw["port"]), timeout=5) as sock:
        transport = paramiko.Transport(sock)
        try:
            transport.start_client(timeout=5)
            key = transport.get_remote_server_key()
            return key.get_name(), key.get_base64()
        finally:
            transport.close()


def run_check(sw, tmp_path, known_hosts, **overrides):
    """Run siak_switch_check for one switch (checks: device); return the result dict."""
    args = {
        "platform": sw["platform"], "host": sw["host"], "port": sw["port"], "username": sw["username"],
        "password": sw["password"], "uplinks": sw["uplinks"], "state": {},
        "checks": ["device"], "conn_timeout": 10, "command_timeout": 20,
        "known_hosts": str(known_hosts),
    }
    args.update(overrides)
    args_file = tmp_path / ("args-%s-%d.json" % (sw["name"], time.monotonic_ns()))
    args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", MODULE_RUNNER, str(ROOT / "library" / "siak_switch_check.py"),
                           str(ROOT / "module_utils"), str(args_file)],
                          capture_output=True, text=True, timeout=120, check=False)
    args_file.unlink()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    for rec in result["records"]:
        assert validate(dict(rec, step=3, target=sw["name"])) == [], rec
    assert sw["password"] not in proc.stdout + proc.stderr
    return result


def only_record(result, password_sent=False):
    assert len(result["records"]) == 1, result["records"]
    rec = result["records"][0]
    assert (rec["category"], rec["item"], rec["status"]) == ("switch", "ssh", "UNKNOWN")
    if not password_sent:
        assert rec["details"]["password_sent"] is False
    return rec


# ---------------------------------------------------------------------------- the lab
def test_each_switch_serves_its_own_key_listed_in_the_labs_known_hosts(swlab):
    known = Path(swlab["list"][0]["known_hosts"])
    assert known == switchlab.known_hosts_path(swlab["dir"]) and oct(known.stat().st_mode & 0o777) == "0o644"
    lines = known.read_text(encoding="ascii").splitlines()
    assert len(lines) == 5
    for sw in swlab["list"]:
        key_type, key_b64 = served_key(sw)
        assert key_type == "ssh-ed25519"
        assert fingerprints(key_type, key_b64)["sha256"] == sw["host_key_fingerprint"]
        assert known_hosts_line(sw["host"], sw["port"], key_type, key_b64) in lines
    assert len({sw["host_key_fingerprint"] for sw in swlab["list"]}) == 5  # no shared built-in key
    listed = subprocess.run(["ssh-keygen", "-l", "-f", str(known)], check=True, capture_output=True,
                            text=True).stdout.split()
    assert {sw["host_key_fingerprint"] for sw in swlab["list"]} <= set(listed)


def test_the_lab_inventory_points_the_switches_at_that_file(swlab):
    inventory = siaklab._inventory_dict(swlab["list"])  # pylint: disable=protected-access
    group = inventory["all"]["children"]["switches"]
    assert group["vars"] == {"siak_switch_check_known_hosts": swlab["list"][0]["known_hosts"]}
    assert set(group["hosts"]) == set(swlab["by_name"])


def test_keys_stay_the_same_across_stop_and_start(swlab):
    before = {sw["name"]: sw["host_key_fingerprint"] for sw in swlab["list"]}
    known = Path(swlab["list"][0]["known_hosts"])
    text, mtime = known.read_text(), known.stat().st_mtime_ns
    warm = switchlab.start(swlab["dir"], port_base=PORT_BASE)  # running: nothing rewritten
    assert warm == swlab["list"] and known.stat().st_mtime_ns == mtime
    switchlab.stop(swlab["dir"])
    again = switchlab.start(swlab["dir"], port_base=PORT_BASE)
    assert {sw["name"]: sw["host_key_fingerprint"] for sw in again} == before
    assert known.read_text() == text and known.stat().st_mtime_ns == mtime
    for sw in again:
        assert fingerprints(*served_key(sw))["sha256"] == before[sw["name"]]


def test_a_simulator_that_does_not_say_which_keys_it_serves_is_restarted(swlab):
    """An older lab's simulator (FakeNOS's one built-in key) writes no serving.json."""
    pid = switchlab.status(swlab["dir"])["pid"]
    (swlab["dir"] / "switches" / "serving.json").unlink()
    again = switchlab.start(swlab["dir"], port_base=PORT_BASE)
    assert switchlab.status(swlab["dir"])["pid"] != pid
    assert again == swlab["list"]
    assert all(fingerprints(*served_key(sw))["sha256"] == sw["host_key_fingerprint"] for sw in again)


# ------------------------------------------------------------------- the switch check
def test_right_known_hosts_gives_the_usual_records_and_logs_in_once(sw, swlab, tmp_path):
    before = len(auth_attempts(swlab, sw["port"]))
    result = run_check(sw, tmp_path, sw["known_hosts"])
    assert {(r["category"], r["item"], r["status"]) for r in result["records"]} == {
        ("device", "version", "OK"), ("device", "uptime", "OK")}
    attempts = auth_attempts(swlab, sw["port"])[before:]
    assert [(a["method"], a["accepted"]) for a in attempts] == [("password", True)]  # the log does see logins


def test_empty_known_hosts_is_one_unknown_with_the_fingerprint_and_no_login(sw, swlab, tmp_path):
    empty = tmp_path / "switch_known_hosts"
    empty.write_text("")
    before = len(auth_attempts(swlab, sw["port"]))
    rec = only_record(run_check(sw, tmp_path, empty))
    assert rec["message"].startswith("Kunci host SSH switch belum dikenal (%s" % sw["host_key_fingerprint"])
    assert "jalankan playbooks/switch_keys.yml dan cocokkan sidik jarinya dengan konsol switch" in rec["message"]
    assert sw["host_key_fingerprint"] in rec["message_en"] and "not known" in rec["message_en"]
    assert rec["details"]["host_key"] == "unknown"
    assert rec["details"]["offered"]["sha256"] == sw["host_key_fingerprint"]
    assert rec["details"]["offered"]["md5"] in rec["message"]
    assert auth_attempts(swlab, sw["port"])[before:] == []  # the password was never sent


def test_another_key_for_the_switch_is_a_changed_key_and_no_login(sw, swlab, tmp_path):
    other = next(s for s in swlab["list"] if s["name"] != sw["name"])
    other_key = served_key(other)
    known = tmp_path / "switch_known_hosts"
    known.write_text(known_hosts_line(sw["host"], sw["port"], *other_key) + "\n")
    before = len(auth_attempts(swlab, sw["port"]))
    rec = only_record(run_check(sw, tmp_path, known))
    assert "BERUBAH" in rec["message"] and "CHANGED" in rec["message_en"]
    assert "kata sandi tidak dikirim" in rec["message"] and "password not sent" in rec["message_en"]
    assert sw["host_key_fingerprint"] in rec["message"] and other["host_key_fingerprint"] in rec["message"]
    assert "ssh-keygen -R '[127.0.0.1]:%d' -f %s" % (sw["port"], known) in rec["message"]
    assert rec["details"]["host_key"] == "changed"
    assert rec["details"]["recorded"]["sha256"] == other["host_key_fingerprint"]
    assert auth_attempts(swlab, sw["port"])[before:] == []  # the password was never sent


def test_missing_known_hosts_is_one_unknown_naming_the_file_and_no_connection(swlab, tmp_path):
    sw = swlab["by_name"]["sw-core01"]
    missing = tmp_path / "inventory" / "switch_known_hosts"
    before = len(auth_attempts(swlab))
    rec = only_record(run_check(sw, tmp_path, missing))
    assert str(missing) in rec["message"] and "tidak ada" in rec["message"]
    assert str(missing) in rec["message_en"]
    assert auth_attempts(swlab)[before:] == []


def test_wrong_password_with_the_right_key_is_still_authentication_failed(swlab, tmp_path):
    sw = swlab["by_name"]["sw-dist01"]
    wrong = "salah-%d" % time.monotonic_ns()
    before = len(auth_attempts(swlab, sw["port"]))
    rec = only_record(run_check(sw, tmp_path, sw["known_hosts"], password=wrong), password_sent=True)
    assert rec["message"] == "Autentikasi gagal"
    attempts = auth_attempts(swlab, sw["port"])[before:]
    assert attempts and all(a["accepted"] is False for a in attempts)
    assert wrong not in (swlab["dir"] / "switches" / "auth.log").read_text()


# --------------------------------------------------------------- collecting the keys
def write_inventory(swlab, folder):
    """An inventory of the private switches; the role's default known_hosts is beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    hosts = {
        sw["name"]: {
            "ansible_host": sw["host"], "ansible_connection": "local",
            "ansible_python_interpreter": "{{ ansible_playbook_python }}",
            "siak_switch_platform": sw["platform"], "siak_switch_port": sw["port"],
            "siak_switch_username": sw["username"], "siak_switch_password": sw["password"],
            "siak_switch_uplinks": sw["uplinks"],
        }
        for sw in swlab["list"]
    }
    path = folder / "hosts.yml"
    path.write_text(yaml.safe_dump({"all": {"children": {"switches": {"hosts": hosts}}}}), encoding="utf-8")
    return path


READ = "Host key | read the switch's SSH host key without logging in, and record it when new"
SHOW = "Host key | show the fingerprint to compare with the switch's console"


def test_switch_keys_playbook_adds_then_keeps_then_refuses_a_changed_key(swlab, tmp_path):
    inventory = write_inventory(swlab, tmp_path / "inventory")
    known = tmp_path / "inventory" / "switch_known_hosts"  # the role's default: beside the inventory
    fps = {sw["name"]: sw["host_key_fingerprint"] for sw in swlab["list"]}
    before = len(auth_attempts(swlab))

    # Check mode: reports what it would add, writes nothing.
    dry = run_playbook("playbooks/switch_keys.yml", tmp_path / "dry", inventory=inventory, cmdline="--check")
    assert dry.rc == 0, output_of(dry)
    assert {h: r["outcome"] for h, r in task_results(dry, READ).items()} == {n: "would-add" for n in fps}
    assert not known.exists()

    # First run: every key added, fingerprints printed.
    first = run_playbook("playbooks/switch_keys.yml", tmp_path / "first", inventory=inventory)
    assert first.rc == 0, output_of(first)
    results = task_results(first, READ)
    assert {h: (r["changed"], r["outcome"], r["fingerprint_sha256"]) for h, r in results.items()} == {
        n: (True, "added", fp) for n, fp in fps.items()}
    shown = task_results(first, SHOW)
    assert set(shown) == set(fps)
    for host, res in shown.items():
        assert fps[host] in res["msg"] and "Cocokkan sidik jari" in res["msg"] and "before trusting" in res["msg"]
    text = known.read_text(encoding="ascii")
    assert sorted(text.splitlines()) == sorted(
        known_hosts_line(sw["host"], sw["port"], *served_key(sw)) for sw in swlab["list"])
    assert oct(known.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in known.parent.iterdir() if p.name.startswith(".")] == []  # no temporary file left

    # The role then trusts that file (its default, next to the inventory): the checks log in.
    check = tmp_path / "check.yml"
    check.write_text(
        "- name: Switch checks\n  hosts: switches\n  gather_facts: false\n  tasks:\n"
        "    - name: Run the role\n      ansible.builtin.include_role:\n        name: siak_switch_check\n"
        "    - name: Show the records\n      ansible.builtin.debug:\n        var: siak_switch_check_records\n",
        encoding="utf-8")
    role = run_playbook(str(check), tmp_path / "role", inventory=inventory,
                        extravars={"siak_switch_check_checks": ["device"],
                                   "siak_switch_check_state_dir": str(tmp_path / "state")})
    assert role.rc == 0, output_of(role)
    records = {h: r["siak_switch_check_records"] for h, r in task_results(role, "Show the records").items()}
    assert set(records) == set(fps)
    for host, recs in records.items():
        assert recs and all(r["status"] == "OK" and r["category"] == "device" for r in recs), (host, recs)

    # Second run: nothing changes.
    mtime = known.stat().st_mtime_ns
    second = run_playbook("playbooks/switch_keys.yml", tmp_path / "second", inventory=inventory)
    assert second.rc == 0, output_of(second)
    assert {h: (r["changed"], r["outcome"]) for h, r in task_results(second, READ).items()} == {
        n: (False, "known") for n in fps}
    assert known.read_text(encoding="ascii") == text and known.stat().st_mtime_ns == mtime

    # A changed key (the file holds another switch's key for sw-core01): that switch fails,
    # the others are fine, and the file stays exactly as it was.
    core, dist = swlab["by_name"]["sw-core01"], swlab["by_name"]["sw-dist01"]
    forged = text.replace(known_hosts_line(core["host"], core["port"], *served_key(core)),
                          known_hosts_line(core["host"], core["port"], *served_key(dist)))
    assert forged != text
    known.write_text(forged, encoding="ascii")
    third = run_playbook("playbooks/switch_keys.yml", tmp_path / "third", inventory=inventory)
    assert third.rc != 0
    failed = task_results(third, READ, "runner_on_failed")
    assert set(failed) == {"sw-core01"}
    msg = failed["sw-core01"]["msg"]
    assert "BERUBAH" in msg and "CHANGED" in msg
    assert fps["sw-dist01"] in msg and fps["sw-core01"] in msg  # recorded and offered
    assert "ssh-keygen -R '[127.0.0.1]:%d' -f %s" % (core["port"], known) in msg
    assert set(task_results(third, READ)) == set(fps) - {"sw-core01"}
    assert known.read_text(encoding="ascii") == forged

    # Collecting keys never logged in to any switch.
    logins = [a for a in auth_attempts(swlab)[before:] if a["method"] == "password"]
    assert len(logins) == len(fps)  # only the role run's five logins
    assert all(a["accepted"] for a in logins)
