"""Verify SOP step 3 (hosts): the records of the second round tell the truth about each host."""

import json
import os
from pathlib import Path

EPHEMERAL = Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"])
RECORDS = json.loads((EPHEMERAL / "records.json").read_text())


def _mine(host):
    name = host.backend.get_hostname()
    return {(r["category"], r["item"]): r for r in RECORDS if r["target"] == name}


def test_one_pass_gave_every_kind_of_finding(host):
    mine = _mine(host)
    categories = {c for c, _ in mine}
    assert {"disk", "inode", "memory", "load", "uptime", "service", "listen", "time", "log", "update"} <= categories
    assert "host" not in categories  # the module ran: no "could not run" record
    assert {r["step"] for r in mine.values()} == {3}


def test_every_record_of_a_healthy_host_is_ok(host):
    assert [r["message"] for r in _mine(host).values() if r["status"] != "OK"] == []


def test_the_disk_record_matches_the_host(host):
    rec = _mine(host)[("disk", "/srv/data")]
    used = int(host.check_output("df --output=pcent /srv/data | tail -n 1").strip().rstrip("%"))
    assert abs(rec["value"] - used) <= 1


def test_the_services_the_records_call_running_are_running(host):
    for (category, item), rec in _mine(host).items():
        if category == "service" and rec["status"] == "OK":
            name = {"sshd": "ssh"}.get(item, item)
            if name in ("ssh", "nginx", "chrony"):
                assert host.service(name).is_running, item


def test_the_time_zone_record_is_the_hosts_own(host):
    rec = _mine(host)[("time", "zone")]
    # One command (each costs testinfra an Ansible run): the offset from UTC now ("+0800") and the zone's name.
    numeric, name = host.check_output("date '+%z %Z'").split()
    offset = (-1 if numeric[0] == "-" else 1) * (int(numeric[1:3]) * 3600 + int(numeric[3:5]) * 60)
    assert (rec["details"]["host_offset"], rec["details"]["host_zone"]) == (offset, name)


def test_the_listening_ports_are_really_open(host):
    checked = 0
    for (category, item), rec in _mine(host).items():
        if category == "listen" and item.startswith("tcp/") and rec["status"] == "OK":
            assert host.run("ss -ltnH 'sport = :%s'" % item[4:]).stdout.strip(), item
            checked += 1
    assert checked  # every lab host expects sshd on tcp/22


def test_the_state_for_the_next_round_is_kept_on_the_admin_machine_and_true(host):
    # The state for the next round lives on the admin machine, not on the target, and
    # says where this round stopped: the host's boot time and the end of its syslog.
    name = host.backend.get_hostname()
    saved = json.loads((EPHEMERAL / "host-state" / (name + ".json")).read_text())
    btime = int(host.check_output("awk '/^btime/ {print $2}' /proc/stat"))
    assert abs(saved["boot_time"] - btime) <= 2
    logs = saved["logs"]
    assert (logs["source"], logs["path"]) == ("file", "/var/log/syslog")
    syslog = host.file("/var/log/syslog")
    assert logs["inode"] == int(host.check_output("stat -c %i /var/log/syslog"))
    assert 0 <= logs["offset"] <= syslog.size
