"""Records that are never silently green, rounds that never clash or lose state (issue: trust).

Every path is staged for real in the lab: a host without the interpreter it is told to
use, a maintenance account without sudo rights, temp folders mounted noexec or read-only,
a switch whose SSH port is closed, a switch command that answers an error, counters left
out of a switch's full output, a round interrupted by SIGINT and SIGTERM, a second round
while one runs. Only the crashing module is not real: no real module crashes on demand,
so a stand-in that raises is put first on the module path (``crash_library/``).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from .helpers import ROOT, load_round, output_of, run_playbook

pytestmark = [pytest.mark.lab, pytest.mark.skipif(os.geteuid() != 0, reason="the lab needs root")]

ANSIBLE_PLAYBOOK = str(Path(sys.executable).parent / "ansible-playbook")
EXIT_LOCKED = 75


def lab_inventory(tmp_path, host_vars=None, name="inventory"):
    """A copy of the lab's inventory with extra host_vars (the lab's group_vars as they are)."""
    inv = tmp_path / name
    (inv / "host_vars").mkdir(parents=True)
    shutil.copy(ROOT / "inventory" / "lab" / "hosts.yml", inv / "hosts.yml")
    (inv / "group_vars").symlink_to(ROOT / "inventory" / "lab" / "group_vars")
    for host, values in (host_vars or {}).items():
        (inv / "host_vars" / ("%s.yml" % host)).write_text(yaml.safe_dump(values))
    return inv / "hosts.yml"


def records_of(data, target, step=None):
    return {(r["category"], r["item"]): r for r in data["records"]
            if r["target"] == target and (step is None or r["step"] == step)}


def playbook(args, tmp_path, env=None, **popen):
    """ansible-playbook with the project's ansible.cfg (a subprocess, for exit codes and signals)."""
    full_env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_FORCE_COLOR="0",
                    PYTHONUNBUFFERED="1", **(env or {}))
    return subprocess.Popen([ANSIBLE_PLAYBOOK, *args], cwd=str(ROOT), env=full_env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **popen)


# ---------------------------------------------------------------------------- a bad office
@pytest.fixture(scope="module")
def bad_office(lab, tmp_path_factory):
    """One round over an office where little works the way it should."""
    from lab import siaklab

    tmp = tmp_path_factory.mktemp("bad-office")
    inventory = lab_inventory(tmp, {
        # The interpreter the inventory names is not on the host.
        "siak-ws01": {"ansible_python_interpreter": "/usr/bin/python3.99"},
        # A maintenance account that may log in but has no sudo rights.
        "siak-ws02": {"ansible_user": "siak-nosudo", "ansible_become": True},
        # One whose sudo runs only from a terminal (requiretty), with Ansible's pipelining.
        "siak-ntp01": {"ansible_user": "siak-tty", "ansible_become": True},
        # Temp folders read-only, and no pipelining (an office where sudo needs a tty).
        "siak-db01": {"ansible_pipelining": False},
        # The switch's SSH port is closed.
        "sw-akses02": {"siak_switch_port": 1},
        # sudo asks for the account's password (sudo's default) and the inventory gives none.
        "siak-app01": {"ansible_user": "siak-pw", "ansible_become": True},
    })
    siaklab.fault("siak-ws03", "tmp-noexec")
    siaklab.fault("siak-db01", "tmp-readonly")
    # A server whose root filesystem is full: no temporary folder a module can start in.
    siaklab.fault("siak-bak01", "tmp-full")
    siaklab.fault("siak-ws03", "log-append", lines=2,
                  text="kernel: error: NIK 6401021234567890 ditolak oleh layanan <b>x</b>")
    siaklab.fault("sw-core01", "counters-missing", port="GigabitEthernet0/3")
    siaklab.fault("sw-dist01", "counters-missing", port="GigabitEthernet0/0/3")
    siaklab.fault("sw-akses01", "command-error", command="display cpu-usage")
    reports, state = tmp / "reports", tmp / "state"
    try:
        runner = run_playbook("playbooks/maintenance.yml", tmp / "run", inventory=inventory,
                              extravars={"siak_report_dir": str(reports), "siak_state_dir": str(state),
                                         "siak_switch_check_first_sample_interval": 2,
                                         "siak_scope": "siak-app01,siak-ws01,siak-ws02,siak-ws03,siak-bak01,siak-db01,"
                                                       "siak-ntp01,switches"})
    finally:
        for target in ("siak-ws03", "siak-bak01", "siak-db01", "sw-core01", "sw-dist01", "sw-akses01"):
            siaklab.reset(target)
    assert runner.status == "successful", output_of(runner)
    return load_round(reports), reports


def test_a_host_without_its_interpreter_is_not_checked_and_says_why(bad_office):
    data, _ = bad_office
    step2 = records_of(data, "siak-ws01", 2)
    assert step2[("reach", "ssh")]["status"] == "OK"
    modul = step2[("reach", "modul")]
    assert modul["status"] == "UNKNOWN" and "/usr/bin/python3.99: not found" in modul["message"]
    step3 = records_of(data, "siak-ws01", 3)
    assert [r["status"] for r in step3.values()] == ["UNKNOWN"]
    assert "python3.99" in next(iter(step3.values()))["message"]
    assert data["grades"]["siak-ws01"]["grade"] == "Kurang"


def test_a_failing_privilege_escalation_is_not_checked_and_says_why(bad_office):
    data, _ = bad_office
    modul = records_of(data, "siak-ws02", 2)[("reach", "modul")]
    assert modul["status"] == "UNKNOWN" and re.search(r"sudo|password", modul["message"], re.I)
    assert data["grades"]["siak-ws02"]["grade"] == "Kurang"


def test_a_sudo_that_needs_a_terminal_is_named_with_what_to_do(bad_office):
    data, reports = bad_office
    modul = records_of(data, "siak-ntp01", 2)[("reach", "modul")]
    assert modul["status"] == "UNKNOWN" and modul["message"].endswith("sudo: sorry, you must have a tty to run sudo"), modul
    page = (reports / data["round"]["id"] / "index.html").read_text()
    assert "hanya mau berjalan dari terminal (requiretty)" in page and "ansible_pipelining: false" in page


def test_a_sudo_that_asks_for_a_password_the_inventory_does_not_give_is_named(bad_office):
    data, reports = bad_office
    modul = records_of(data, "siak-app01", 2)[("reach", "modul")]
    assert modul["status"] == "UNKNOWN" and modul["message"].endswith("Missing sudo password"), modul
    assert "Missing sudo password" in next(iter(records_of(data, "siak-app01", 3).values()))["message"]
    page = (reports / data["round"]["id"] / "index.html").read_text()
    assert "sudo di perangkat meminta kata sandi" in page and "ansible_become_password" in page


def test_a_noexec_temp_folder_does_not_stop_the_checks(bad_office):
    # ansible-core runs modules through the interpreter (pipelined, or "python3 file"):
    # a noexec /tmp and ~/.ansible/tmp do not stop them, so the host is checked in full.
    data, _ = bad_office
    step3 = records_of(data, "siak-ws03", 3)
    assert {c for c, _ in step3} >= {"disk", "memory", "load", "uptime", "time", "log", "update"}


def test_a_temp_folder_it_cannot_write_is_named(bad_office):
    data, _ = bad_office
    step2 = records_of(data, "siak-db01", 2)
    assert step2[("reach", "ssh")]["status"] == "OK"  # the login worked
    modul = step2[("reach", "modul")]
    assert modul["status"] == "UNKNOWN" and "temporary directory" in modul["message"]
    step3 = records_of(data, "siak-db01", 3)
    assert step3 and all(r["status"] == "UNKNOWN" for r in step3.values())
    assert data["grades"]["siak-db01"]["grade"] == "Kurang"


def test_a_host_whose_disk_is_full_is_named_with_what_to_do(bad_office):
    data, reports = bad_office
    step2 = records_of(data, "siak-bak01", 2)
    assert step2[("reach", "ssh")]["status"] == "OK"
    modul = step2[("reach", "modul")]
    assert modul["status"] == "UNKNOWN" and "No usable temporary directory" in modul["message"], modul
    assert "deserialization" not in modul["message"]
    step3 = list(records_of(data, "siak-bak01", 3).values())
    assert [r["status"] for r in step3] == ["UNKNOWN"]
    assert step3[0]["message_en"].startswith("Not checked: in step 2 (assessment): SSH login succeeded"), step3[0]
    assert data["grades"]["siak-bak01"]["grade"] == "Kurang"
    # The first page names the cause and what to do: the disk, not the account or Python.
    page = (reports / data["round"]["id"] / "index.html").read_text()
    assert "disknya penuh atau hanya-baca" in page and "df -h" in page


def test_nik_numbers_are_masked_and_few_log_lines_are_kept(bad_office):
    data, reports = bad_office
    log = next(r for (c, _), r in records_of(data, "siak-ws03", 3).items() if c == "log")
    assert log["status"] != "OK" and log["value"] >= 2
    kept = log["details"]["last_lines"]
    assert 0 < len(kept) <= 5
    assert all("6401021234567890" not in line for line in kept) and "****************" in kept[-1]
    for path in (reports / data["round"]["id"]).iterdir():
        assert "6401021234567890" not in path.read_text(encoding="utf-8"), path.name


def test_a_switch_with_its_ssh_port_closed_is_rusak_with_the_reason(bad_office):
    data, _ = bad_office
    reach = records_of(data, "sw-akses02", 2)[("reach", "ssh")]
    assert reach["status"] == "UNKNOWN" and reach["message"]
    assert data["grades"]["sw-akses02"]["grade"] == "Rusak"
    assert all(r["status"] == "UNKNOWN" for r in records_of(data, "sw-akses02", 3).values())


def test_ports_without_counters_are_unknown_never_ok(bad_office):
    data, _ = bad_office
    errors = {item: r for (c, item), r in records_of(data, "sw-core01", 3).items() if c == "port-errors"}
    ports = {item for (c, item) in records_of(data, "sw-core01", 3) if c == "port"}
    assert ports <= set(errors)  # every listed port has an error verdict
    missing = errors["GigabitEthernet0/3"]
    assert missing["status"] == "UNKNOWN" and "Penghitung galat tidak tersedia" in missing["message"]
    assert data["grades"]["sw-core01"]["grade"] != "Baik"


def test_the_brief_error_columns_give_a_verdict_where_the_full_output_has_none(bad_office):
    # Huawei's "display interface brief" carries InErrors/OutErrors: the port is judged from them.
    data, _ = bad_office
    errors = {item: r for (c, item), r in records_of(data, "sw-dist01", 3).items() if c == "port-errors"}
    ports = {item for (c, item) in records_of(data, "sw-dist01", 3) if c == "port"}
    assert ports <= set(errors)
    assert errors["GigabitEthernet0/0/3"]["status"] == "OK"
    assert "jumlah paket tidak tersedia" in errors["GigabitEthernet0/0/3"]["message"]


def test_a_switch_command_that_answers_an_error_is_unknown_naming_it(bad_office):
    data, _ = bad_office
    cpu = [r for (c, _), r in records_of(data, "sw-akses01", 3).items() if c == "cpu"]
    assert cpu and all(r["status"] == "UNKNOWN" for r in cpu)
    assert any("display cpu-usage" in r["message"] for r in cpu)
    assert data["grades"]["sw-akses01"]["grade"] != "Baik"


def test_every_target_of_the_bad_office_has_a_cause_and_none_is_silently_baik(bad_office):
    data, _ = bad_office
    for target in ("siak-app01", "siak-ws01", "siak-ws02", "siak-db01", "sw-core01", "sw-akses01", "sw-akses02"):
        assert data["grades"][target]["grade"] != "Baik", target
        assert data["grades"][target]["reason"], target
    for rec in data["records"]:
        if rec["status"] == "UNKNOWN":
            assert rec["message"].strip(), rec


# ---------------------------------------------------------------------------- a crash
def test_a_module_that_crashes_is_unknown_naming_its_error(lab, tmp_path):
    reports = tmp_path / "reports"
    env_library = "%s:%s" % (Path(__file__).parent / "crash_library", ROOT / "library")
    import ansible_runner

    private = tmp_path / "runner"
    private.mkdir()
    runner = ansible_runner.run(
        private_data_dir=str(private), project_dir=str(ROOT), playbook=str(ROOT / "playbooks" / "maintenance.yml"),
        inventory=str(ROOT / "inventory" / "lab" / "hosts.yml"), quiet=True, timeout=600,
        envvars={"ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_LIBRARY": env_library},
        extravars={"siak_scope": "siak-app01", "siak_report_dir": str(reports), "siak_state_dir": str(tmp_path / "state"),
                   "siak_perf_probes": []})
    assert runner.status == "successful", output_of(runner)
    data = load_round(reports)
    step3 = records_of(data, "siak-app01", 3)
    assert [r["status"] for r in step3.values()] == ["UNKNOWN"]
    # ansible-core 2.19 hands back the exception's text ("Module failed: division by zero");
    # the traceback itself only with display_traceback, which would flood the operator's screen.
    assert "Module failed: division by zero" in next(iter(step3.values()))["message"]
    assert data["grades"]["siak-app01"]["grade"] == "Kurang"
    assert not (tmp_path / "state" / "hosts").exists()  # nothing to keep from a check that did not run
    # The same round has no step-4 probe: step 4 says it measured nothing, never an empty, normal step.
    step4 = [r for r in data["records"] if r["step"] == 4]
    assert [(r["target"], r["status"]) for r in step4] == [("localhost", "UNKNOWN")]
    assert "siak_perf_probes" in step4[0]["message"]


# ---------------------------------------------------------------------------- one round at a time
def _small_round(reports, state, extra=None):
    ev = {"siak_scope": "siak-ws01", "siak_report_dir": str(reports), "siak_state_dir": str(state),
          "siak_perf_probes": []}
    ev.update(extra or {})
    return ["-i", str(ROOT / "inventory" / "lab" / "hosts.yml"), "playbooks/maintenance.yml", "-e", json.dumps(ev)]


def test_a_second_round_exits_at_once_with_its_own_status(lab, tmp_path):
    state = tmp_path / "state"
    state.mkdir()
    with open(state / "round.lock", "w", encoding="utf-8") as held:
        held.write(json.dumps({"pid": 4242, "playbook": "maintenance.yml", "since": "2026-12-01T08:00:00"}))
        held.flush()
        fcntl.flock(held, fcntl.LOCK_EX)
        started = time.monotonic()
        proc = playbook(_small_round(tmp_path / "reports", state), tmp_path)
        out, _ = proc.communicate(timeout=120)
        elapsed = time.monotonic() - started
    assert proc.returncode == EXIT_LOCKED, out
    assert "Putaran pemeliharaan lain sedang berjalan" in out and "4242" in out
    assert elapsed < 15
    assert not (tmp_path / "reports").exists()  # it touched nothing


def test_two_rounds_started_together_never_clash_and_ids_are_unique(lab, tmp_path):
    reports, state = tmp_path / "reports", tmp_path / "state"
    procs = [playbook(_small_round(reports, state), tmp_path) for _ in range(2)]
    outs = [p.communicate(timeout=300)[0] for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, EXIT_LOCKED], outs
    # Straight after, a third one in the same second as the second's end: a new, unique id.
    third = playbook(_small_round(reports, state), tmp_path)
    out, _ = third.communicate(timeout=300)
    assert third.returncode == 0, out
    history = json.loads((reports / "history.json").read_text())
    ids = [h["id"] for h in history]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert all(re.match(r"^\d{8}-\d{6}-[0-9a-f]{4}$", i) for i in ids)


# ---------------------------------------------------------------------------- interrupted rounds
def _interrupt_at_step4(args, tmp_path, sig):
    """Start a round, send ``sig`` once step 4 has started; return (exit code, output)."""
    proc = playbook(args, tmp_path, start_new_session=True)
    out = []
    deadline = time.monotonic() + 240
    for line in proc.stdout:
        out.append(line)
        if "Langkah 4" in line:
            time.sleep(1.0)
            if sig == signal.SIGINT:
                os.killpg(proc.pid, sig)  # Ctrl-C reaches the whole foreground process group
            else:
                os.kill(proc.pid, sig)  # a service manager or cron stops the main process
            break
        assert time.monotonic() < deadline, "".join(out)
    rest, _ = proc.communicate(timeout=120)
    return proc.returncode, "".join(out) + rest


def test_interrupted_rounds_are_marked_and_the_next_round_sees_everything_since_the_last_complete_one(lab, stage, tmp_path):
    reports, state = tmp_path / "reports", tmp_path / "state"
    slow_probe = {"siak_perf_probes": [{"name": "Aplikasi SIAK (uji)", "kind": "http", "target": "siak-app01",
                                        "url": "http://198.18.0.11/siak/health", "count": 12}]}
    # Only the interrupted rounds need a step 4 long enough to stop in (12 paced samples).
    first = playbook(_small_round(reports, state), tmp_path)
    out, _ = first.communicate(timeout=300)
    assert first.returncode == 0, out
    kept = (state / "hosts" / "siak-ws01.json").read_text()
    stage("siak-ws01", "log-append", lines=3, text="kernel: error: disk controller reset (seen between rounds)")
    for sig in (signal.SIGINT, signal.SIGTERM):
        code, out = _interrupt_at_step4(_small_round(reports, state, slow_probe), tmp_path, sig)
        assert code != 0, out
        assert (state / "hosts" / "siak-ws01.json").read_text() == kept  # no state moved past unreported lines
    history = json.loads((reports / "history.json").read_text())
    assert [h["complete"] for h in history] == [False, False, True]
    page = (reports / "index.html").read_text()
    assert page.count("Tidak selesai") == 2
    # The lock went with the interrupted processes; the next round runs and sees the lines.
    last = playbook(_small_round(reports, state), tmp_path)
    out, _ = last.communicate(timeout=300)
    assert last.returncode == 0, out
    data = load_round(reports)
    log = next(r for (c, _), r in records_of(data, "siak-ws01", 3).items() if c == "log")
    assert log["value"] >= 3 and any("disk controller reset" in line for line in log["details"]["last_lines"])
    assert data["round"]["previous"] == history[-1]["id"]  # compared with the last complete round


# ---------------------------------------------------------------------------- bad input stops the round
@pytest.mark.parametrize("case", ["inventory", "scope"])
def test_a_round_with_nothing_to_check_stops_with_a_clear_message(lab, tmp_path, case):
    reports = tmp_path / "reports"
    if case == "inventory":
        broken = tmp_path / "hosts.yml"
        broken.write_text("all:\n  children: [siak_hosts\n    hosts: {{ nope\n")
        args = ["-i", str(broken), "playbooks/maintenance.yml", "-e", "siak_report_dir=%s" % reports,
                "-e", "siak_state_dir=%s" % (tmp_path / "state")]
    else:
        args = _small_round(reports, tmp_path / "state", {"siak_scope": "tidak-ada-perangkat-ini"})
    proc = playbook(args, tmp_path)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode not in (0, EXIT_LOCKED), out
    assert "tidak cocok dengan perangkat mana pun" in out and "matches no host" in out
    assert not reports.exists() or not any(p.is_dir() for p in reports.iterdir())


def test_a_report_that_cannot_be_written_in_full_leaves_the_round_not_complete(lab, tmp_path):
    # A document the report cannot write (here a folder stands where the hardware checklist
    # goes; on an office's machine, a full disk): the round stops naming it, and is not complete.
    reports = tmp_path / "reports"
    (reports / "uji-penuh" / "ceklis-perangkat-keras.html").mkdir(parents=True)
    proc = playbook(_small_round(reports, tmp_path / "state", {"siak_order_round_id": "uji-penuh"}), tmp_path)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode not in (0, EXIT_LOCKED), out
    assert "cannot write %s" % (reports / "uji-penuh" / "ceklis-perangkat-keras.html") in out
    assert (reports / "uji-penuh" / "results.json").is_file() and (reports / "uji-penuh" / "index.html").is_file()
    status = json.loads((reports / "uji-penuh" / "round.json").read_text())
    assert status["complete"] is False, status
    assert not (tmp_path / "state" / "hosts" / "siak-ws01.json").exists()   # no state past an incomplete round


def test_two_offices_sharing_a_report_folder_never_compare_or_remove_each_others_rounds(lab, tmp_path):
    reports, office_b = tmp_path / "reports", "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Uji"
    ran = []
    for office, extra in (("a", {}), ("b", {"siak_order_office": office_b}), ("a", {"siak_report_keep": 1})):
        proc = playbook(_small_round(reports, tmp_path / ("state-" + office), extra), tmp_path)
        out, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, out
        ran.append(load_round(reports)["round"])
    first_a, only_b, second_a = ran
    assert only_b["office"] == office_b and second_a["office"] == first_a["office"] != office_b
    assert only_b["previous"] is None                 # not office a's round
    assert second_a["previous"] == first_a["id"]      # office a's own, not the newer round of office b
    # Keeping one round of office a removed its first one, and never office b's.
    assert sorted(p.name for p in reports.iterdir() if p.is_dir()) == sorted([only_b["id"], second_a["id"]])
    # The history page lists both, each with its office.
    page = (reports / "index.html").read_text()
    assert '<span class="small">%s</span>' % office_b in page and '<span class="small">%s</span>' % first_a["office"] in page
    # Its trends: one group per office, the last round's office (a) first; each draws its own rounds.
    head_a, head_b = '<h3 class="office">%s</h3>' % first_a["office"], '<h3 class="office">%s</h3>' % office_b
    assert head_a in page and head_b in page and page.index(head_a) < page.index(head_b)


def test_a_host_that_logs_in_but_never_answers_does_not_hold_the_round(stage, tmp_path):
    # A hung host (a dying disk, an exhausted machine): its SSH login works, its module never
    # finishes. The lab's stuck fault binds a program that waits an hour over its python3.
    stage("siak-ws02", "stuck")
    reports = tmp_path / "reports"
    started = time.monotonic()
    proc = playbook(_small_round(reports, tmp_path / "state", {"siak_scope": "siak-ws01,siak-ws02",
                                                               "siak_assess_target_timeout": 5}), tmp_path)
    out, _ = proc.communicate(timeout=300)
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, out
    data = load_round(reports)
    step2 = [r for r in data["records"] if r["target"] == "siak-ws02" and r["step"] == 2]
    assert [(r["category"], r["item"], r["status"]) for r in step2] == [("reach", "langkah 2", "UNKNOWN")], step2
    assert step2[0]["message"] == "Target tidak menjawab dalam 5 detik; pemeriksaannya dihentikan"
    step3 = [r for r in data["records"] if r["target"] == "siak-ws02" and r["step"] == 3]
    assert len(step3) == 1 and step3[0]["message_en"].startswith("Not checked: in step 2 (assessment): The target did not")
    assert data["grades"]["siak-ws01"]["grade"] == "Baik"
    page = (reports / data["round"]["id"] / "index.html").read_text()
    assert "tidak menjawab pemeriksaan dalam batas waktu" in page
    # Bounded by the limit (communicate's 300 s above), not by the hour the host waits.
    print("a round with one hung host: %.1f s (step 2's limit 5 s)" % elapsed)


def test_a_time_zone_this_machine_does_not_know_stops_the_round_naming_it(lab, tmp_path):
    reports = tmp_path / "reports"
    proc = playbook(_small_round(reports, tmp_path / "state", {"siak_order_timezone": "Asia/Makasar"}), tmp_path)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode not in (0, EXIT_LOCKED), out
    assert "siak_order_timezone 'Asia/Makasar' is not a time zone this machine knows" in out
    assert not reports.exists() or not any(p.is_dir() for p in reports.iterdir())


def test_a_state_file_with_wrong_types_is_discarded_with_a_warning(lab, tmp_path):
    reports, state = tmp_path / "reports", tmp_path / "state"
    (state / "hosts").mkdir(parents=True)
    (state / "switches").mkdir()
    (state / "hosts" / "siak-ws01.json").write_text(json.dumps({"boot_time": "kemarin", "logs": ["syslog"]}))
    (state / "switches" / "sw-kec01.json").write_text(json.dumps({"schema": 1, "counters": {"ts": "x", "ports": 3}}))
    proc = playbook(_small_round(reports, state, {"siak_scope": "siak-ws01,sw-kec01",
                                                  "siak_switch_check_first_sample_interval": 1}), tmp_path)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out
    assert "siak-ws01" in out and "discarded" in out
    data = load_round(reports)
    assert data["grades"]["siak-ws01"]["grade"] == "Baik" and data["grades"]["sw-kec01"]["grade"] == "Baik"
    assert json.loads((state / "hosts" / "siak-ws01.json").read_text())["boot_time"] > 0  # a good state again


# ---------------------------------------------------------------------------- least privilege
def test_reports_and_state_are_for_the_operator_and_group_only(bad_office):
    data, reports = bad_office
    round_dir = reports / data["round"]["id"]
    for folder in (reports, round_dir):
        assert oct(folder.stat().st_mode & 0o777) == "0o750", folder
    for path in [*round_dir.iterdir(), reports / "history.json", reports / "index.html"]:
        assert oct(path.stat().st_mode & 0o777) == "0o640", path
    state = reports.parent / "state"
    for path in state.rglob("*"):
        assert path.stat().st_mode & 0o007 == 0, path


def _traversable_for_others(path):
    """The ancestors of ``path`` that others cannot enter (a checkout in a `mktemp -d` folder)."""
    return [p for p in [path, *path.parents] if not p.stat().st_mode & 0o001]


def test_a_round_runs_as_a_non_root_operator_with_the_production_inventory_shape(lab, tmp_path):
    """The production template's shape: sudo for the SIAK hosts only, nothing as root on the admin machine.

    The operator (the lab's account siak-operator) has no sudo rights at all: had any task
    on the admin machine asked for privilege escalation, the round would fail.
    """
    import pwd

    from lab.hostfiles import SUDO_PASSWORD

    operator = pwd.getpwnam("siak-operator")
    lab_inv = yaml.safe_load((ROOT / "inventory" / "lab" / "hosts.yml").read_text())
    lab_hosts = lab_inv["all"]["children"]["siak_hosts"]["children"]
    app = lab_hosts["servers"]["children"]["app"]["hosts"]["siak-app01"]
    ws = lab_hosts["workstations"]["hosts"]["siak-ws01"]
    sw = lab_inv["all"]["children"]["switches"]["hosts"]["sw-core01"]
    work = tmp_path / "operator"
    inv = work / "inventory" / "kantor"
    shutil.copytree(ROOT / "inventory" / "production" / "group_vars", inv / "group_vars")
    (inv / "hosts.yml").write_text(yaml.safe_dump({"all": {"children": {
        "siak_hosts": {"children": {
            "servers": {"children": {"app": {"hosts": {"siak-app01": {"ansible_host": app["ansible_host"]}}}}},
            "workstations": {"hosts": {"siak-ws01": {"ansible_host": ws["ansible_host"]}}}}},
        "switches": {"hosts": {"sw-core01": {"ansible_host": sw["ansible_host"], "siak_switch_port": sw["siak_switch_port"],
                                             "siak_switch_platform": sw["siak_switch_platform"],
                                             "siak_switch_uplinks": sw["siak_switch_uplinks"]}}}}}}))
    # What an office keeps beside its inventory: the vault (plain here), the keys it trusts.
    (inv / "group_vars" / "switches" / "vault.yml").write_text(yaml.safe_dump({
        "vault_siak_switch_username": sw["siak_switch_username"], "vault_siak_switch_password": sw["siak_switch_password"]}))
    shutil.copy(lab_inv["all"]["children"]["switches"]["vars"]["siak_switch_check_known_hosts"], inv / "switch_known_hosts")
    shutil.copy("/var/lib/siaklab/id_ed25519", work / "id_ed25519")
    shutil.copy("/var/lib/siaklab/known_hosts", work / "known_hosts")
    # siak-app01's sudo asks for the account's password (sudo's default): the template's way,
    # a vault file (plain here) and ansible_become_password.
    (inv / "host_vars").mkdir()
    (inv / "host_vars" / "siak-app01.yml").write_text(yaml.safe_dump({
        "ansible_user": "siak-pw", "ansible_become_password": "{{ vault_siak_become_password }}"}))
    (inv / "group_vars" / "siak_hosts" / "vault.yml").write_text(yaml.safe_dump({
        "vault_siak_become_password": SUDO_PASSWORD}))
    (inv / "group_vars" / "siak_hosts" / "lab.yml").write_text(yaml.safe_dump({
        "ansible_ssh_private_key_file": str(work / "id_ed25519"),
        "ansible_ssh_common_args": "-o UserKnownHostsFile=%s -o StrictHostKeyChecking=yes" % (work / "known_hosts")}))
    for path in [work, *work.rglob("*")]:
        os.chown(path, operator.pw_uid, operator.pw_gid, follow_symlinks=False)
    os.chmod(work / "id_ed25519", 0o600)
    tmp_path.chmod(0o755)
    # The checkout is root's here (an office's operator owns their own): let the operator
    # pass through (not list) its private parents, and through reports/ (0750 after a
    # round run by root), where the templates live.
    blocked = _traversable_for_others(ROOT) + _traversable_for_others(tmp_path)
    if (ROOT / "reports").is_dir() and not (ROOT / "reports").stat().st_mode & 0o001:
        blocked.append(ROOT / "reports")
    modes = {p: p.stat().st_mode & 0o7777 for p in blocked}
    extravars = {"siak_report_dir": str(work / "reports"), "siak_state_dir": str(work / "state"),
                 "siak_switch_check_first_sample_interval": 1,
                 "siak_perf_probes": [{"name": "Aplikasi SIAK", "kind": "http", "target": "siak-app01",
                                       "url": "http://%s/siak/health" % app["ansible_host"], "count": 2}]}
    try:
        for path in blocked:
            path.chmod(modes[path] | 0o001)
        proc = subprocess.run(
            [shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin"), "-u", "siak-operator", "--", ANSIBLE_PLAYBOOK, "-i", str(inv / "hosts.yml"),
             str(ROOT / "playbooks" / "maintenance.yml"), "-e", json.dumps(extravars)],
            cwd=str(work), capture_output=True, text=True, timeout=600, check=False,
            env={"PATH": "%s:/usr/bin:/bin" % Path(sys.executable).parent, "HOME": operator.pw_dir,
                 "USER": "siak-operator", "LANG": "C.UTF-8", "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")})
    finally:
        for path, mode in modes.items():
            path.chmod(mode)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    data = load_round(work / "reports")
    for target in ("siak-app01", "siak-ws01", "sw-core01"):
        assert all(r["status"] == "OK" for r in records_of(data, target, 2).values()), target
        step3 = records_of(data, target, 3)
        assert step3 and any(r["status"] != "UNKNOWN" for r in step3.values()), target
    # The report, the history and the state belong to the operator, none to root; the SSH
    # control sockets live under the operator's own home.
    for path in [*(work / "reports").rglob("*"), *(work / "state").rglob("*")]:
        assert path.stat().st_uid == operator.pw_uid, path
    assert (Path(operator.pw_dir) / ".ansible" / "cp").is_dir()
