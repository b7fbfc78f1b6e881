"""Integration tests of SOP step 3 on the lab's hosts (role siak_host_check).

Each test stages a fault on a real lab host (namespaces, sshd, nginx, chronyd, the
listener), runs the role through ansible-runner as AWX would, and asserts the records.
The lab hosts share /etc, /usr and the kernel with the admin machine: memory, load and
boot time are machine-wide unless staged. The lab's repository is pusat-dc (lab/README.md).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from .helpers import output_of, run_playbook

pytestmark = [pytest.mark.lab, pytest.mark.skipif(os.geteuid() != 0, reason="the lab needs root")]

PLAYBOOK = "tests/integration/playbooks/host_check.yml"
HOSTS = ["siak-app01", "siak-db01", "siak-bak01", "siak-ntp01", "siak-ws01", "siak-ws02", "siak-ws03"]
CLOCK_SYNC_WAIT_S = 90


def check_round(tmp_path, limit=None, state_dir=None, extravars=None, cmdline=None, name="round"):
    """Run the role on the lab (or ``limit``); return ({host: records}, {host: duration}, seconds)."""
    out = tmp_path / name
    out.mkdir(parents=True, exist_ok=True)
    variables = {"siak_test_out": str(out), "siak_host_check_state_dir": str(state_dir or tmp_path / "state")}
    variables.update(extravars or {})
    started = time.monotonic()
    runner = _run(tmp_path / ("runner-" + name), variables, limit, cmdline)
    elapsed = time.monotonic() - started
    assert runner.status == "successful", output_of(runner)
    records, durations = {}, {}
    for path in sorted(out.glob("*.json")):
        data = json.loads(path.read_text())
        records[path.stem] = data["records"]
        durations[path.stem] = data["duration"]
    return records, durations, elapsed


def _run(private, variables, limit, cmdline):
    if cmdline is None:
        return run_playbook(PLAYBOOK, private, extravars=variables, limit=limit)
    # The helper has no cmdline argument: call ansible-runner the same way with it.
    import ansible_runner

    from .helpers import ROOT

    folder = private / "runner"
    folder.mkdir(parents=True, exist_ok=True)
    return ansible_runner.run(private_data_dir=str(folder), project_dir=str(ROOT), playbook=str(ROOT / PLAYBOOK),
                              inventory=str(ROOT / "inventory" / "lab" / "hosts.yml"), extravars=variables, limit=limit,
                              cmdline=cmdline, envvars={"ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")}, quiet=True, timeout=900)


def by_key(records):
    return {(r["category"], r["item"]): r for r in records}


def not_ok(records, ignore=()):
    return [(r["category"], r["item"], r["status"], r["message"]) for r in records
            if r["status"] != "OK" and r["category"] not in ignore]


def wait_for_clock_sync(tmp_path, hosts):
    """chronyd needs a few polls after the lab (re)starts: wait, bounded, until every clock is synchronised."""
    deadline = time.monotonic() + CLOCK_SYNC_WAIT_S
    attempt = 0
    while True:
        attempt += 1
        records, _d, _s = check_round(tmp_path, limit=",".join(hosts), extravars={"siak_host_check_checks": ["time"],
                                                                              "siak_host_check_save_state": False},
                                      name="clock-%d" % attempt)
        unsynced = [h for h in hosts if by_key(records[h])[("time", "sync")]["status"] != "OK"]
        if not unsynced or time.monotonic() > deadline:
            return unsynced
        time.sleep(5)


def test_healthy_lab_every_record_is_ok(lab, tmp_path):
    assert wait_for_clock_sync(tmp_path, HOSTS) == []
    records, durations, elapsed = check_round(tmp_path)
    assert sorted(records) == sorted(HOSTS)
    for host, recs in records.items():
        keys = by_key(recs)
        assert not_ok(recs) == [], host
        # One pass collected every kind of finding.
        for key in [("disk", "/srv/data"), ("inode", "/srv/data"), ("memory", "ram"), ("swap", "swap"), ("load", "load15"),
                    ("update", "reboot"),
                    ("uptime", "boot"), ("service", "sshd"), ("service", "chrony"), ("listen", "tcp/22"), ("time", "sync"),
                    ("time", "zone"), ("log", "/var/log/syslog")]:
            assert key in keys, (host, key)
        assert {r["step"] for r in recs} == {3} and {r["target"] for r in recs} == {host}
        # The lab's repository answers and nothing is pending.
        update = keys[("update", "packages")]
        assert update["status"] == "OK" and update["value"] == 0 and "(apt)" in update["message"]
        assert durations[host] < 10, (host, durations[host])
    assert by_key(records["siak-app01"])[("service", "nginx")]["status"] == "OK"
    assert by_key(records["siak-app01"])[("listen", "tcp/80")]["status"] == "OK"
    assert by_key(records["siak-db01"])[("service", "tnslsnr")]["details"]["source"] == "process:tnslsnr"
    assert by_key(records["siak-db01"])[("listen", "tcp/1521")]["status"] == "OK"
    assert by_key(records["siak-db01"])[("service", "ora_pmon_SIAK")]["status"] == "OK"
    assert by_key(records["siak-bak01"])[("backup", "/srv/backup")]["status"] == "OK"
    assert by_key(records["siak-ntp01"])[("listen", "udp/123")]["status"] == "OK"
    print("step 3 (hosts) for the whole lab: %.1f s wall, module %.2f-%.2f s per host"
          % (elapsed, min(durations.values()), max(durations.values())))


def test_a_server_in_two_groups_is_checked_for_what_each_group_runs(tmp_path):
    # One server that is both the application and the database server: in the groups app and db.
    import shutil

    import yaml

    from .helpers import ROOT

    inv = tmp_path / "inventory"
    inv.mkdir()
    hosts = yaml.safe_load((ROOT / "inventory" / "lab" / "hosts.yml").read_text())
    servers = hosts["all"]["children"]["siak_hosts"]["children"]["servers"]["children"]
    servers["db"]["hosts"]["siak-app01"] = {}
    (inv / "hosts.yml").write_text(yaml.safe_dump(hosts))
    shutil.copytree(ROOT / "inventory" / "lab" / "group_vars", inv / "group_vars")
    out = tmp_path / "out"
    out.mkdir()
    runner = run_playbook(PLAYBOOK, tmp_path, inventory=inv / "hosts.yml", limit="siak-app01",
                          extravars={"siak_test_out": str(out), "siak_host_check_state_dir": str(tmp_path / "state")})
    assert runner.status == "successful", output_of(runner)
    keys = by_key(json.loads((out / "siak-app01.json").read_text())["records"])
    # app's nginx and port 80 run there; db's listener and port 1521 do not: both are checked.
    assert keys[("service", "nginx")]["status"] == "OK" and keys[("listen", "tcp/80")]["status"] == "OK"
    assert keys[("service", "tnslsnr")]["status"] == "CRITICAL"
    assert keys[("listen", "tcp/1521")]["status"] == "CRITICAL"


def test_database_instance_down_behind_a_running_listener(stage, tmp_path):
    """The listener answers on 1521 while the instance behind it is down: SIAK cannot read or
    write a record, and a check of the listener and its port alone read it as healthy."""
    stage("siak-db01", "service-stop", service="oracle")
    records, _d, _s = check_round(tmp_path, limit="siak-db01")
    keys = by_key(records["siak-db01"])
    instance = keys[("service", "ora_pmon_SIAK")]
    assert instance["status"] == "CRITICAL" and instance["details"]["source"] == "process:ora_pmon_SIAK"
    assert keys[("service", "tnslsnr")]["status"] == "OK" and keys[("listen", "tcp/1521")]["status"] == "OK"
    assert keys[("service", "sshd")]["status"] == "OK"   # the common ones too, once


def test_data_disk_fill(stage, tmp_path):
    # Two hosts, two levels, one run (each host is checked on its own).
    cases = {"siak-app01": (92, "CRITICAL"), "siak-db01": (85, "WARNING")}
    for host, (percent, _status) in cases.items():
        stage(host, "disk-fill", percent=percent)
    records, _d, _s = check_round(tmp_path, limit=",".join(cases))
    for host, (percent, status) in cases.items():
        disk = by_key(records[host])[("disk", "/srv/data")]
        assert disk["status"] == status, (host, disk)
        assert abs(disk["value"] - percent) < 1.0, (host, disk)
        assert (disk["warn"], disk["crit"], disk["details"]["device"]) == (80, 90, "/dev/labdata"), (host, disk)


def test_data_filesystem_remounted_read_only(stage, tmp_path):
    """The kernel's errors=remount-ro after disk errors: space is fine, nothing can be written."""
    stage("siak-db01", "disk-readonly")
    records, _d, _s = check_round(tmp_path, limit="siak-db01")
    keys = by_key(records["siak-db01"])
    disk = keys[("disk", "/srv/data")]
    assert disk["status"] == "CRITICAL" and disk["value"] < 80
    assert "terpasang hanya-baca" in disk["message"] and "padahal /etc/fstab memasangnya baca-tulis" in disk["message"]
    assert disk["details"]["read_only"] is True and "defaults" in disk["details"]["fstab_options"]
    # The rest of the host is judged as usual; "/" (read-write) is not touched by it.
    assert keys[("disk", "/")]["status"] == "OK" and keys[("inode", "/srv/data")]["status"] == "OK"
    assert keys[("listen", "tcp/1521")]["status"] == "OK"


def test_nginx_stopped_on_the_application_server(stage, tmp_path):
    stage("siak-app01", "service-stop", service="nginx")
    records, _d, _s = check_round(tmp_path, limit="siak-app01")
    keys = by_key(records["siak-app01"])
    assert keys[("service", "nginx")]["status"] == "CRITICAL"
    assert keys[("service", "nginx")]["details"]["source"] == "sysv:nginx"
    assert keys[("listen", "tcp/80")]["status"] == "CRITICAL"
    assert keys[("service", "sshd")]["status"] == "OK"


def test_listener_stopped_on_the_database_server(stage, tmp_path):
    stage("siak-db01", "service-stop", service="tnslsnr")
    records, _d, _s = check_round(tmp_path, limit="siak-db01")
    keys = by_key(records["siak-db01"])
    assert keys[("service", "tnslsnr")]["status"] == "CRITICAL"
    assert keys[("listen", "tcp/1521")]["status"] == "CRITICAL"


def test_three_error_lines_in_the_syslog_since_the_previous_round(stage, tmp_path):
    state = tmp_path / "state"
    first, _d, _s = check_round(tmp_path, limit="siak-ws01", state_dir=state, name="first")
    assert by_key(first["siak-ws01"])[("log", "/var/log/syslog")]["status"] == "OK"
    stage("siak-ws01", "log-append", lines=3)
    second, _d, _s = check_round(tmp_path, limit="siak-ws01", state_dir=state, name="second")
    log = by_key(second["siak-ws01"])[("log", "/var/log/syslog")]
    assert (log["status"], log["value"]) == ("WARNING", 3)
    assert len(log["details"]["last_lines"]) == 3
    assert all("EXT4-fs error" in line and "siak-ws01" in line for line in log["details"]["last_lines"])
    # The round after that has nothing new to report.
    third, _d, _s = check_round(tmp_path, limit="siak-ws01", state_dir=state, name="third")
    assert by_key(third["siak-ws01"])[("log", "/var/log/syslog")]["status"] == "OK"


@pytest.mark.parametrize("days,status", [(2, "WARNING"), (4, "CRITICAL")])
def test_old_backup(stage, tmp_path, days, status):
    stage("siak-bak01", "backup-age", days=days)
    records, _d, _s = check_round(tmp_path, limit="siak-bak01")
    backup = by_key(records["siak-bak01"])[("backup", "/srv/backup")]
    assert backup["status"] == status
    assert abs(backup["value"] - days * 24) < 1.0


def test_a_backup_cut_short_last_night(stage, tmp_path):
    """Last night's dump stopped after 100 KiB (the disk filled up): it is fresh and not
    empty, so it was OK; against the night before's 3 MiB it warns."""
    stage("siak-bak01", "backup-small", kb=100)
    records, _d, _s = check_round(tmp_path, limit="siak-bak01", extravars={"siak_host_check_checks": ["backups"]})
    backup = by_key(records["siak-bak01"])[("backup", "/srv/backup")]
    assert backup["status"] == "WARNING" and backup["value"] < 1.0   # fresh
    assert (backup["details"]["size_bytes"], backup["details"]["previous_size_bytes"]) == (100 << 10, 3 << 20)
    assert backup["details"]["previous"].startswith("/srv/backup/siak-db-")
    assert "Jauh lebih kecil dari cadangan sebelumnya" in backup["message"]


def test_load_per_core(stage, tmp_path):
    # Three hosts, three loads, one run (the lab's load is staged per host).
    cases = {"siak-ws01": (0.5, "OK"), "siak-ws02": (3.4, "WARNING"), "siak-ws03": (7.0, "CRITICAL")}
    for host, (load15, _status) in cases.items():
        stage(host, "load", load1=load15, load5=load15, load15=load15)
    records, _d, _s = check_round(tmp_path, limit=",".join(cases))
    for host, (load15, status) in cases.items():
        load = by_key(records[host])[("load", "load15")]
        cpus = load["details"]["cpus"]
        per_core = round(load15 / cpus, 2)
        expected = "CRITICAL" if per_core >= 3.0 else "WARNING" if per_core >= 1.5 else "OK"
        assert cpus == os.cpu_count() and load["value"] == per_core, (host, load)
        assert load["status"] == expected, (host, load)
        if cpus == 2:  # the machine the thresholds of this test were chosen for
            assert load["status"] == status, (host, load)


def test_memory_pressure(stage, tmp_path):
    stage("siak-ws02", "memory", used_percent=95)
    records, _d, _s = check_round(tmp_path, limit="siak-ws02")
    memory = by_key(records["siak-ws02"])[("memory", "ram")]
    assert memory["status"] == "CRITICAL" and abs(memory["value"] - 95) < 0.5


def test_host_off_the_network_gives_one_unknown_record(stage, tmp_path):
    stage("siak-ws02", "offline")
    started = time.monotonic()
    records, _d, _s = check_round(tmp_path, limit="siak-ws02")
    assert time.monotonic() - started < 60
    assert len(records["siak-ws02"]) == 1
    (rec,) = records["siak-ws02"]
    assert (rec["status"], rec["category"], rec["item"], rec["step"]) == ("UNKNOWN", "host", "siak_host_check", 3)
    assert rec["message"].startswith("Target tidak dapat dihubungi") and len(rec["message"]) > 40


def test_chrony_stopped_gives_a_stopped_service_and_an_unknown_clock(stage, tmp_path):
    stage("siak-ws01", "clock-unsync")
    records, _d, _s = check_round(tmp_path, limit="siak-ws01")
    keys = by_key(records["siak-ws01"])
    assert keys[("service", "chrony")]["status"] == "CRITICAL"
    assert keys[("time", "sync")]["status"] == "UNKNOWN" and "chronyc" in keys[("time", "sync")]["message"]


def test_reboot_since_the_previous_round(lab, tmp_path):
    """The lab cannot reboot a host (boot time is the machine's): a saved earlier boot time stands for one."""
    state = tmp_path / "state"
    first, _d, _s = check_round(tmp_path, limit="siak-app01,siak-ws01", state_dir=state, name="first")
    for host in ("siak-app01", "siak-ws01"):
        assert by_key(first[host])[("uptime", "boot")]["details"]["rebooted"] is False
        saved = json.loads((state / ("%s.json" % host)).read_text())
        saved["boot_time"] -= 86400
        (state / ("%s.json" % host)).write_text(json.dumps(saved))
    second, _d, _s = check_round(tmp_path, limit="siak-app01,siak-ws01", state_dir=state, name="second")
    server = by_key(second["siak-app01"])[("uptime", "boot")]
    workstation = by_key(second["siak-ws01"])[("uptime", "boot")]
    assert (server["status"], server["details"]["rebooted"]) == ("WARNING", True)
    assert (workstation["status"], workstation["details"]["rebooted"]) == ("OK", True)  # group_vars: switched off at night


def test_check_mode_reports_the_same_and_saves_nothing(stage, tmp_path):
    stage("siak-app01", "disk-fill", percent=92)
    state = tmp_path / "state"
    records, _d, _s = check_round(tmp_path, limit="siak-app01", state_dir=state, cmdline="--check")
    assert by_key(records["siak-app01"])[("disk", "/srv/data")]["status"] == "CRITICAL"
    assert not Path(state).exists()


def test_a_host_left_in_utc_is_named_against_the_offices_time_zone(stage, tmp_path):
    """A server its installer left in UTC, in a WITA office: its clock may be synchronised, but
    its logs and the times SIAK records are 8 hours off the office's. The hosts in the office's
    zone (the lab's are in Asia/Makassar, as the inventory's siak_order_timezone) are OK."""
    stage("siak-db01", "timezone", zone="Etc/UTC")
    records, _d, _s = check_round(tmp_path, limit="siak-db01,siak-app01", extravars={"siak_host_check_checks": ["time"]})
    zone = by_key(records["siak-db01"])[("time", "zone")]
    assert (zone["status"], zone["details"]["host_offset"], zone["details"]["expected_offset"]) == ("WARNING", 0, 28800)
    assert "Zona waktu UTC (UTC+00:00), bukan zona kantor Asia/Makassar (UTC+08:00)" in zone["message"]
    assert "selisih 8 jam" in zone["message"]
    ok = by_key(records["siak-app01"])[("time", "zone")]
    assert (ok["status"], ok["details"]["host_zone"], ok["details"]["host_offset"]) == ("OK", "WITA", 28800)


def test_a_time_zone_the_admin_machine_does_not_know_is_named_and_the_rest_is_checked(lab, tmp_path):
    """siak_host_check_time_zone misspelt: the zone record is UNKNOWN naming the value (never
    OK), and the host's other checks still run."""
    records, _d, _s = check_round(tmp_path, limit="siak-app01", extravars={"siak_host_check_time_zone": "Asia/Makasar"})
    keys = by_key(records["siak-app01"])
    assert keys[("time", "zone")]["status"] == "UNKNOWN"
    assert "siak_host_check_time_zone 'Asia/Makasar'" in keys[("time", "zone")]["message"]
    assert keys[("disk", "/srv/data")]["status"] == "OK" and ("time", "sync") in keys


def test_installed_updates_waiting_for_a_restart(stage, tmp_path):
    """A kernel and libc installed but not running until the server restarts (Debian's
    /run/reboot-required); nothing is pending to install, and the other hosts wait for nothing."""
    stage("siak-app01", "reboot-required", packages="linux-image-6.1.0-28-amd64,libc6")
    records, _d, _s = check_round(tmp_path, limit="siak-app01,siak-db01")
    reboot = by_key(records["siak-app01"])[("update", "reboot")]
    assert reboot["status"] == "WARNING" and reboot["details"]["packages"] == ["libc6", "linux-image-6.1.0-28-amd64"]
    assert "menunggu nyala ulang" in reboot["message"]
    assert by_key(records["siak-app01"])[("update", "packages")]["status"] == "OK"
    assert by_key(records["siak-db01"])[("update", "reboot")]["status"] == "OK"


def test_pending_updates(stage, tmp_path):
    # One host with a plain update waiting, one with a security update, one run.
    cases = {"siak-ws01": False, "siak-ws02": True}
    for host, security in cases.items():
        stage(host, "updates-pending", package="chrony", security=security)
    records = check_round(tmp_path, limit=",".join(cases))[0]
    for host, security in cases.items():
        keys = by_key(records[host])
        assert keys[("update", "packages")]["status"] == "WARNING", host
        assert keys[("update", "packages")]["value"] == 1, host
        assert keys[("update", "security")]["status"] == ("CRITICAL" if security else "OK"), host
        assert keys[("update", "packages")]["details"]["packages"] == ["chrony"], host


def test_no_repository_reachable_is_unknown_within_seconds(stage, tmp_path):
    stage("pusat-dc", "service-stop", service="nginx")
    records, durations, _elapsed = check_round(tmp_path, limit="siak-ws02")
    update = by_key(records["siak-ws02"])[("update", "packages")]
    assert update["status"] == "UNKNOWN" and "tidak ada repositori yang dapat dihubungi" in update["message"]
    assert "198.18.0.100" in update["message"]
    assert durations["siak-ws02"] < 10
