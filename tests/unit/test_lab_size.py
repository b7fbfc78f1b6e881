"""The lab's size (``up --workstations N --switches M``), without building it: the office
table at every size, the switch table, the recorded size, the inventory of a large office,
and the command line refusing a bad number before it touches anything."""

from __future__ import annotations

import ipaddress
import json

import pytest

from lab import inventory, office, siaklab
from lab.switches import table


@pytest.fixture(autouse=True)
def _state(monkeypatch, tmp_path):
    monkeypatch.setenv("SIAKLAB_STATE", str(tmp_path / "state"))
    yield
    office.resize(office.DEFAULT_WORKSTATIONS)


@pytest.mark.parametrize("workstations", [1, 3, 46, office.MAX_WORKSTATIONS])
def test_office_table_at_every_size(workstations):
    rows = office.office_table(workstations)
    names = [r[0] for r in rows]
    addresses = [r[1] for r in rows]
    assert len(names) == len(set(names)) == 4 + workstations + 1
    assert len(addresses) == len(set(addresses))
    lab_net = ipaddress.ip_network("198.18.0.0/24")
    assert all(ipaddress.ip_address(a) in lab_net for a in addresses)
    assert office.GATEWAY not in addresses
    ws = [r for r in rows if "workstations" in r[2]]
    assert [r[0] for r in ws] == [f"siak-ws{n:02d}" for n in range(1, workstations + 1)]
    assert all(r[4] for r in ws)  # managed over SSH, like the real counters' PCs
    assert rows[-1][0] == "pusat-dc" and rows[-1][4] is False


def test_default_office_is_the_documented_one():
    assert [h.name for h in office.HOSTS] == ["siak-app01", "siak-db01", "siak-bak01", "siak-ntp01",
                                              "siak-ws01", "siak-ws02", "siak-ws03", "pusat-dc"]


@pytest.mark.parametrize("bad", [0, -1, office.MAX_WORKSTATIONS + 1, "3", 2.5, True, None])
def test_a_bad_number_of_workstations_is_refused(bad):
    with pytest.raises(office.LabError, match="workstations must be a whole number"):
        office.office_table(bad)


def test_resize_changes_the_one_list_every_module_sees():
    before = office.HOSTS
    office.resize(50)
    assert office.HOSTS is before and siaklab.HOSTS is before  # the same list object, changed in place
    assert len(office.HOSTS) == 55
    assert "siak-ws50" in office.HOSTS_BY_NAME and office.HOSTS_BY_NAME is siaklab.HOSTS_BY_NAME
    assert len({h.veth for h in office.HOSTS}) == 55 and all(len(h.veth) <= 15 for h in office.HOSTS)
    office.resize(2)
    assert "siak-ws03" not in office.HOSTS_BY_NAME and len(office.HOSTS) == 7


def test_recorded_size_reads_what_up_wrote_and_ignores_garbage(tmp_path):
    assert office.recorded_size() == {"workstations": 3, "switches": 5}  # nothing recorded: the default
    office.size_path().parent.mkdir(parents=True)
    office.size_path().write_text(json.dumps({"workstations": 46, "switches": 20}))
    assert office.recorded_size() == {"workstations": 46, "switches": 20}
    for garbage in ("{", "[]", '{"workstations": 0, "switches": "x"}', '{"workstations": 999}'):
        office.size_path().write_text(garbage)
        assert office.recorded_size() == {"workstations": 3, "switches": 5}, garbage


def test_switch_table_default_and_scaled():
    assert table.switch_table() == table.switch_table(count=len(table.SWITCHES))
    assert [e["port"] for e in table.switch_table()] == [17001, 17002, 17003, 17004, 17005]
    big = table.switch_table(count=20)
    assert len({e["name"] for e in big}) == 20 and len({e["port"] for e in big}) == 20
    assert [e["port"] for e in big] == list(range(17001, 17021))
    assert big[5]["name"] == "sw-lab06" and big[5]["platform"] == table.SWITCHES[0]["platform"]
    assert big[19]["platform"] == table.SWITCHES[19 % len(table.SWITCHES)]["platform"]
    assert table.uplinks(big[5]) == table.uplinks(table.SWITCHES[0])
    big[5]["ports"][0][1] = "changed"  # a copy: the template stays as it is
    assert table.SWITCHES[0]["ports"][0][1] != "changed"
    assert [e["port"] for e in table.switch_table(port_base=18001, count=7)] == list(range(18001, 18008))
    assert [e["name"] for e in table.switch_table(count=2)] == ["sw-core01", "sw-dist01"]


def test_inventory_of_a_large_office():
    office.resize(46)
    data = inventory.inventory_dict([])
    workstations = data["all"]["children"]["siak_hosts"]["children"]["workstations"]["hosts"]
    assert len(workstations) == 46
    assert workstations["siak-ws46"]["ansible_host"] == "198.18.0.66"


@pytest.mark.parametrize("argv, message", [
    (["up", "--workstations", "many"], "--workstations needs a whole number"),
    (["up", "--workstations", "500"], "workstations must be a whole number from 1 to 70"),
    (["up", "--switches", "0"], "switches must be a whole number from 1 to 40"),
    (["up", "--hosts", "5"], "up takes --workstations N and --switches M"),
])
def test_up_refuses_a_bad_size_before_touching_the_lab(argv, message, capsys):
    assert siaklab.main(argv) == 2
    assert message in capsys.readouterr().err
    assert [h.name for h in office.HOSTS][4:7] == ["siak-ws01", "siak-ws02", "siak-ws03"]
