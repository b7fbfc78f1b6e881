"""Switch checks against the lab's FakeNOS switches, every vendor (issue 4).

The module ``library/siak_switch_check.py`` runs as Ansible runs it (a subprocess with a
JSON argument file), against the real simulated switches on loopback; faults are staged
with the lab API. One test runs the whole role on every lab switch (one per platform) through
ansible-runner, in parallel, as a round does.

A test marked ``@every_platform`` runs its body on every platform's lab switch at once, one
thread each (most of a switch check is waiting: the switch's answers, the interval between
two counter samples), and names every platform it failed on.

Every test keeps its counter state in its own temporary folder (one per platform).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from ansible.module_utils.siak_result import validate
from ansible.module_utils.siak_switch_platforms import PLATFORMS as SWITCH_PLATFORMS

from lab.switches import table

from .helpers import MODULE_RUNNER, task_results

pytestmark = pytest.mark.lab

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "library" / "siak_switch_check.py"
PLATFORMS = list(SWITCH_PLATFORMS)  # every platform of the platform table has a lab switch


@pytest.fixture(scope="module")
def switches(lab):
    """Inventory variables of the lab's switches (group vars + host vars), by platform."""
    inventory = yaml.safe_load(Path(lab["inventory"]).read_text(encoding="utf-8"))
    group = inventory["all"]["children"]["switches"]
    hosts = group["hosts"] or {}
    by_platform = {}
    for name, hostvars in hosts.items():
        by_platform[hostvars["siak_switch_platform"]] = dict(group.get("vars") or {}, **hostvars,
                                                             inventory_hostname=name)
    missing = set(PLATFORMS) - set(by_platform)
    assert not missing, "the lab has no switch for %s" % sorted(missing)
    return by_platform


def run_module(sw, state_dir, **overrides):
    """Run siak_switch_check for one lab switch; return (result dict, seconds).

    Like the role (and its report), the state between runs is kept in
    ``state_dir/<switch>.json``: read before the run, written after it (not in check mode).
    """
    state_file = Path(state_dir) / ("%s.json" % sw["inventory_hostname"])
    args = {
        "platform": sw["siak_switch_platform"], "host": sw["ansible_host"], "port": int(sw["siak_switch_port"]),
        "username": sw["siak_switch_username"], "password": sw["siak_switch_password"],
        "uplinks": sw.get("siak_switch_uplinks", []),
        "state": json.loads(state_file.read_text(encoding="utf-8")) if state_file.exists() else {},
        "first_sample_interval": 1, "conn_timeout": 10,
        "command_timeout": 20, "known_hosts": sw["siak_switch_check_known_hosts"],
    }
    if sw.get("siak_switch_secret"):
        args["secret"] = sw["siak_switch_secret"]
    args.update(overrides)
    Path(state_dir).mkdir(parents=True, exist_ok=True)
    args_file = Path(state_dir).parent / ("args-%s-%d.json" % (sw["inventory_hostname"], time.monotonic_ns()))
    args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}), encoding="utf-8")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", MODULE_RUNNER, str(MODULE), str(ROOT / "module_utils"), str(args_file)],
                          capture_output=True, text=True, timeout=180, check=False)
    elapsed = time.monotonic() - started
    args_file.unlink()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    assert "Traceback" not in proc.stdout
    for rec in result["records"]:
        assert validate(dict(rec, step=3, target=sw["inventory_hostname"])) == [], rec
    if "state" in result and not args.get("_ansible_check_mode"):
        state_file.write_text(json.dumps(result["state"]), encoding="utf-8")
    return result, elapsed


def by(records, category):
    return {r["item"]: r for r in records if r["category"] == category}


@pytest.fixture
def state_dir(tmp_path):
    path = tmp_path / "state"
    return path


def every_platform(platforms=tuple(PLATFORMS)):
    """Make ``body(sw, state_dir, stage)`` a test run on each platform's lab switch at once.

    Each platform has its own switch, state folder and thread; faults are staged one at a
    time (the lab's lock counts its holders per process, not per thread). The test fails
    naming each platform it failed on, with that platform's traceback.
    """

    def decorate(body):
        def test(switches, tmp_path, stage):
            staging = threading.Lock()

            def stage_one(target, kind, **params):
                with staging:
                    stage(target, kind, **params)

            with ThreadPoolExecutor(len(platforms)) as pool:
                runs = {platform: pool.submit(body, switches[platform], tmp_path / platform / "state", stage_one)
                        for platform in platforms}
            failed = {platform: "".join(traceback.format_exception(run.exception()))
                      for platform, run in runs.items() if run.exception() is not None}
            if failed:
                pytest.fail("failed on %s\n\n%s" % (", ".join(failed), "\n".join(
                    "--- %s\n%s" % (platform, text[-3000:]) for platform, text in failed.items())), pytrace=False)

        test.__name__ = test.__qualname__ = body.__name__
        test.__doc__, test.__module__ = body.__doc__, body.__module__
        return test

    return decorate


def healthy_up_port(records):
    """An up port that is not an uplink (from a run's port records)."""
    for rec in records:
        if rec["category"] == "port" and rec["value"] == "up" and not rec["details"]["uplink"]:
            return rec["item"]
    raise AssertionError("no up access port")


# --------------------------------------------------------------------------------------
@every_platform()
def test_healthy_switch_gives_ok_for_every_port(sw, state_dir, stage):
    result, elapsed = run_module(sw, state_dir)
    records = result["records"]
    assert result["sampled_twice"] is True  # first round: two samples, 1 s apart
    assert not [r for r in records if r["status"] != "OK"], [r for r in records if r["status"] != "OK"]
    ports, errors = by(records, "port"), by(records, "port-errors")
    assert len(ports) >= 6 and len(errors) >= 6
    assert set(by(records, "device")) == {"version", "uptime"}
    assert by(records, "cpu")["utilization"]["value"] is not None
    uplinks = [r for r in ports.values() if r["details"]["uplink"]]
    assert len(uplinks) == len(sw["siak_switch_uplinks"]) and all(r["value"] == "up" for r in uplinks)
    assert [r for r in ports.values() if r["value"] == "admin-down"], "the lab has a shut spare port"
    for rec in errors.values():
        assert rec["details"]["interval_s"] >= 1 and rec["details"]["counters"]
    # The state file now holds this sample; the next run uses it instead of waiting.
    state = json.loads((state_dir / ("%s.json" % sw["inventory_hostname"])).read_text(encoding="utf-8"))
    assert set(state["counters"]["ports"]) == set(errors)
    again, elapsed_again = run_module(sw, state_dir, first_sample_interval=30)
    assert again["sampled_twice"] is False and elapsed_again < 20
    assert not [r for r in again["records"] if r["status"] != "OK"]
    print("%s: first round %.1f s (incl. 1 s between samples), next round %.1f s"
          % (sw["inventory_hostname"], elapsed, elapsed_again))


@every_platform()
def test_growing_error_counters_give_warning_or_critical(sw, state_dir, stage):
    first, _ = run_module(sw, state_dir, checks=["ports", "errors"])
    port = healthy_up_port(first["records"])
    stage(sw["inventory_hostname"], "port-errors", port=port, in_errors_rate=200)
    time.sleep(2)
    second, _ = run_module(sw, state_dir, checks=["errors"])
    errors = by(second["records"], "port-errors")
    bad = errors[port]
    assert bad["status"] == "CRITICAL", bad
    assert bad["value"] >= 0.1 and bad["details"]["deltas"]["in_errors"] > 0
    assert all(r["status"] == "OK" for name, r in errors.items() if name != port)
    # The same growth judged against looser thresholds is a WARNING.
    time.sleep(1)
    third, _ = run_module(sw, state_dir, checks=["errors"], error_pct_warn=0.01, error_pct_crit=99.0)
    assert by(third["records"], "port-errors")[port]["status"] == "WARNING"


@every_platform()
def test_a_first_round_compares_with_step_twos_sample_instead_of_waiting(sw, state_dir, stage):
    # Step 2's login (environment) also samples the error counters, and judges none of them.
    step2, _ = run_module(sw, state_dir, checks=["environment"], sample_counters=True)
    sample = step2["counter_sample"]
    assert sample and sample["ports"] and not by(step2["records"], "port-errors")
    assert step2["sampled_twice"] is False and step2["timing"]["waited_s"] == 0
    port = healthy_up_port(run_module(sw, state_dir, checks=["ports"])[0]["records"])
    assert port in sample["ports"], (port, sorted(sample["ports"]))
    stage(sw["inventory_hostname"], "port-errors", port=port, in_errors_rate=200)
    time.sleep(2.5)
    # Step 3 of a first round (no counters in the state): the sample is older than the
    # interval, so the counters now are compared with it at once, and the growth is seen.
    step3, _ = run_module(sw, state_dir, checks=["ports", "errors"], first_sample_interval=2, earlier_sample=sample)
    assert step3["sampled_twice"] is False and step3["timing"]["waited_s"] == 0
    errors = by(step3["records"], "port-errors")
    assert errors[port]["status"] == "CRITICAL" and errors[port]["details"]["interval_s"] >= 2, errors[port]
    # A sample younger than the interval: only the rest of it is waited before a second sample.
    fresh, _ = run_module(sw, state_dir, checks=["environment"], sample_counters=True)
    (state_dir / ("%s.json" % sw["inventory_hostname"])).unlink()
    # (6 s: the five platforms' checks run at once, so the sample may be a few seconds old when read.)
    waited, _ = run_module(sw, state_dir, checks=["errors"], first_sample_interval=6, earlier_sample=fresh["counter_sample"])
    assert waited["sampled_twice"] is True and 0 < waited["timing"]["waited_s"] < 6
    # A sample of the wrong shape is ignored: two samples of its own, the whole interval apart.
    (state_dir / ("%s.json" % sw["inventory_hostname"])).unlink()
    broken, _ = run_module(sw, state_dir, checks=["errors"], first_sample_interval=1, earlier_sample={"ts": "x", "ports": 1})
    assert broken["sampled_twice"] is True and broken["timing"]["waited_s"] > 0.5


@every_platform()
def test_counters_that_went_down_give_unknown_reset(sw, state_dir, stage):
    run_module(sw, state_dir, checks=["errors"])
    stage(sw["inventory_hostname"], "counters-reset")
    second, _ = run_module(sw, state_dir, checks=["errors"])
    errors = by(second["records"], "port-errors")
    went_down = [r for r in errors.values() if r["status"] == "UNKNOWN"]
    assert went_down, "no port saw its counters go down"
    assert all("direset" in r["message"] and r["details"]["reset_fields"] for r in went_down)
    assert not [r for r in errors.values() if r["status"] in ("WARNING", "CRITICAL")]


@every_platform()
def test_required_uplink_down_is_critical(sw, state_dir, stage):
    uplink = sw["siak_switch_uplinks"][0]
    stage(sw["inventory_hostname"], "port-down", port=uplink)
    result, _ = run_module(sw, state_dir, checks=["ports"])
    ports = by(result["records"], "port")
    uplinks = [r for r in ports.values() if r["details"]["uplink"]]
    down = [r for r in uplinks if r["value"] == "down"]
    assert len(down) == 1 and down[0]["status"] == "CRITICAL", uplinks
    assert [r for r in ports.values() if r["status"] == "CRITICAL"] == down


@every_platform()
def test_wrong_password_gives_one_unknown_record(sw, state_dir, stage):
    wrong = "salah-%d" % time.monotonic_ns()
    result, elapsed = run_module(sw, state_dir, password=wrong)
    assert [(r["category"], r["item"], r["status"], r["message"]) for r in result["records"]] == [
        ("switch", "ssh", "UNKNOWN", "Autentikasi gagal")]
    assert wrong not in json.dumps(result)
    assert elapsed < 30


@every_platform()
def test_garbage_output_gives_unknown_naming_the_command(sw, state_dir, stage):
    stage(sw["inventory_hostname"], "garbage")
    result, _ = run_module(sw, state_dir)
    unknowns = [r for r in result["records"] if r["status"] == "UNKNOWN"]
    assert unknowns and all(r["item"] in r["message"] for r in unknowns)
    assert not [r for r in result["records"] if r["status"] == "OK"]
    assert "Traceback" not in json.dumps(result)


@every_platform()
def test_reboot_since_the_previous_round_is_a_warning(sw, state_dir, stage):
    run_module(sw, state_dir, checks=["device", "errors"])
    stage(sw["inventory_hostname"], "reboot")
    result, _ = run_module(sw, state_dir, checks=["device", "errors"])
    assert by(result["records"], "device")["uptime"]["status"] == "WARNING"
    errors = by(result["records"], "port-errors").values()
    assert not [r for r in errors if r["status"] in ("WARNING", "CRITICAL")]


@pytest.mark.parametrize("platform", ["cisco_ios"])
def test_err_disabled_and_half_duplex(platform, switches, state_dir, stage):
    sw = switches[platform]
    first, _ = run_module(sw, state_dir, checks=["ports"])
    ups = [r["item"] for r in first["records"] if r["category"] == "port" and r["value"] == "up"
           and not r["details"]["uplink"]]
    stage(sw["inventory_hostname"], "err-disable", port=ups[0])
    stage(sw["inventory_hostname"], "half-duplex", port=ups[1])
    result, _ = run_module(sw, state_dir, checks=["ports"])
    ports = by(result["records"], "port")
    assert ports[ups[0]]["status"] == "CRITICAL" and ports[ups[0]]["value"] == "err-disabled"
    assert ports[ups[1]]["status"] == "WARNING" and ports[ups[1]]["details"]["duplex"] == "half"


@every_platform(("cisco_ios", "huawei", "hp_comware", "hp_procurve"))
def test_a_required_uplink_fallen_back_to_100_mbps_warns(sw, state_dir, stage):
    """A copper gigabit uplink that negotiated 100 Mb/s (a cable with a broken pair): up, so it
    was OK; each platform's own output says the speed (MikroTik's port table does not). The
    lab's uplinks are fibre, which does not fall back: a copper port is made the uplink."""
    copper = healthy_up_port(run_module(sw, state_dir, checks=["ports"])[0]["records"])
    uplinks = list(sw["siak_switch_uplinks"]) + [copper]
    healthy = by(run_module(sw, state_dir, checks=["ports"], uplinks=uplinks)[0]["records"], "port")
    assert [r["status"] for r in healthy.values() if r["details"]["uplink"]] == ["OK"] * len(uplinks)
    stage(sw["inventory_hostname"], "slow-link", port=copper, speed=100)
    ports = by(run_module(sw, state_dir, checks=["ports"], uplinks=uplinks)[0]["records"], "port")
    (slow,) = [r for r in ports.values() if r["status"] != "OK"]
    assert slow["status"] == "WARNING" and slow["details"]["uplink"] and slow["details"]["speed_mbps"] == 100
    assert slow["message"].startswith("Uplink wajib hanya 100 Mb/s, kurang dari 1000 Mb/s")
    # An office whose uplinks are 100 Mb/s by design says so; an access port's speed is not judged.
    for overrides in ({"uplinks": uplinks, "uplink_min_mbps": 100}, {}):
        ports = by(run_module(sw, state_dir, checks=["ports"], **overrides)[0]["records"], "port")
        assert [r for r in ports.values() if r["status"] != "OK"] == [], overrides


def test_no_answer_gives_unknown_with_the_timeout(switches, state_dir):
    """A loopback listener that accepts and never speaks SSH."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.5)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        result, elapsed = run_module(switches["cisco_ios"], state_dir, host="127.0.0.1", port=port, conn_timeout=3)
    finally:
        stop.set()
        thread.join(5)
        for conn in held:
            conn.close()
        listener.close()
    assert [(r["category"], r["status"], r["message"]) for r in result["records"]] == [
        ("switch", "UNKNOWN", "Tidak ada jawaban dalam 3 detik")]
    assert elapsed < 30


def test_role_on_every_lab_switch_in_parallel_with_ansible_runner(lab, tmp_path):
    """The role through ansible-runner, the way AWX runs the project: all switches at once."""
    import ansible_runner

    private = tmp_path / "runner"
    private.mkdir()
    playbook = tmp_path / "switches.yml"
    playbook.write_text(
        "- name: Switch checks\n  hosts: switches\n  gather_facts: false\n  tasks:\n"
        "    - name: Run the role\n      ansible.builtin.include_role:\n        name: siak_switch_check\n"
        "    - name: Show the records\n      ansible.builtin.debug:\n        var: siak_switch_check_records\n",
        encoding="utf-8")
    env = {"ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "PATH": os.environ["PATH"]}
    started = time.monotonic()
    run = ansible_runner.run(private_data_dir=str(private), project_dir=str(ROOT), playbook=str(playbook),
                             inventory=lab["inventory"], envvars=env, quiet=True,
                             extravars={"siak_switch_check_state_dir": str(tmp_path / "state"),
                                        "siak_switch_check_first_sample_interval": 2})
    elapsed = time.monotonic() - started
    assert run.rc == 0, run.stdout.read()
    records = {host: res["siak_switch_check_records"] for host, res in task_results(run, "Show the records").items()}
    assert sorted(records) == sorted(entry["name"] for entry in table.SWITCHES)
    for host, recs in records.items():
        assert recs and not [r for r in recs if r["category"] == "switch"], (host, recs)
        assert all(r["step"] == 3 and r["target"] == host for r in recs)
    print("role on %d switches in parallel (first round, 2 s between samples): %.1f s" % (len(records), elapsed))


def test_closed_port_gives_unknown_refused(switches, state_dir):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free once closed: nothing listens there
    result, elapsed = run_module(switches["huawei"], state_dir, host="127.0.0.1", port=port, conn_timeout=3)
    assert [(r["category"], r["status"], r["message"]) for r in result["records"]] == [
        ("switch", "UNKNOWN", "Koneksi SSH ditolak (port %d tertutup)" % port)]
    assert elapsed < 15


def test_device_only_for_step_2_and_the_module_writes_nothing(switches, state_dir):
    sw = switches["hp_comware"]
    result, elapsed = run_module(sw, state_dir, checks=["device"], _ansible_check_mode=True)
    assert {(r["category"], r["item"]) for r in result["records"]} == {("device", "version"), ("device", "uptime")}
    assert "uptime" in result["state"]  # handed back, never written by the module itself
    assert not list(Path(state_dir).iterdir())
    result, _ = run_module(sw, state_dir, checks=["device"])
    state = json.loads((state_dir / ("%s.json" % sw["inventory_hostname"])).read_text(encoding="utf-8"))
    assert "uptime" in state and "counters" not in state  # step 2 keeps step 3's samples intact
    full, _ = run_module(sw, state_dir)
    assert full["sampled_twice"] is True
    assert by(full["records"], "device")["uptime"]["status"] == "OK"


def test_the_lab_inventory_trusts_each_switchs_own_host_key(lab, switches, state_dir, tmp_path):
    """The lab inventory points the checks at the switches' known_hosts; an empty file is refused."""
    text = Path(switches["cisco_ios"]["siak_switch_check_known_hosts"]).read_text(encoding="ascii")
    for sw in lab["switches"]:
        assert "[%s]:%d ssh-ed25519 " % (sw["host"], sw["port"]) in text
    assert len({sw["host_key_fingerprint"] for sw in lab["switches"]}) == len(lab["switches"])
    empty = tmp_path / "empty_known_hosts"
    empty.write_text("", encoding="ascii")
    result, _ = run_module(switches["cisco_ios"], state_dir, known_hosts=str(empty))
    assert [(r["category"], r["item"], r["status"]) for r in result["records"]] == [("switch", "ssh", "UNKNOWN")]
    assert result["records"][0]["message"].startswith("Kunci host SSH switch belum dikenal (SHA256:")
