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


def test_the_listening_ports_are_really_open(host):
    for (category, item), rec in _mine(host).items():
        if category == "listen" and item.startswith("tcp/"):
            assert host.socket("tcp://0.0.0.0:%s" % item[4:]).is_listening or \
                host.run("ss -ltnH 'sport = :%s'" % item[4:]).stdout.strip(), item


def test_the_check_left_nothing_on_the_host(host):
    # The state for the next round lives on the admin machine, not on the target.
    name = host.backend.get_hostname()
    assert (EPHEMERAL / "host-state" / (name + ".json")).is_file()
    assert not host.file("/var/lib/siak-maintenance").exists
