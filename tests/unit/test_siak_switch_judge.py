"""Judging the switch model into result records (module_utils/siak_switch_judge.py)."""

import pytest

from ansible.module_utils.siak_result import CRITICAL, OK, UNKNOWN, WARNING, validate
from ansible.module_utils import siak_switch_judge as sw
from ansible.module_utils.siak_switch_parse import collect
from ansible.module_utils.siak_switch_platforms import CHECKS, COMMAND_MAP

from .switch_fixtures import outputs_for, stamped


# ----------------------------------------------------------------------------- judging
def test_ports_judged_by_the_rules():
    model = collect("cisco_ios", outputs_for("cisco_ios"), ["ports"])
    records = {r["item"]: r for r in sw.judge_ports(model, "cisco_ios", uplinks=["Gi1/0/1", "Gi1/0/9"])}
    assert records["FastEthernet1/0/1"]["status"] == OK and records["FastEthernet1/0/1"]["value"] == "up"
    assert records["FastEthernet1/0/2"]["status"] == OK and records["FastEthernet1/0/2"]["value"] == "down"
    assert records["FastEthernet1/0/3"]["status"] == OK
    assert records["FastEthernet1/0/3"]["message"] == "Port dinonaktifkan oleh admin"
    assert records["FastEthernet1/0/4"]["status"] == CRITICAL  # err-disabled
    assert records["FastEthernet1/0/27"]["status"] == WARNING  # half duplex
    assert records["GigabitEthernet1/0/1"]["status"] == CRITICAL  # required uplink down
    assert records["Gi1/0/9"]["status"] == UNKNOWN  # uplink the switch does not have
    assert not [p for p in records if p.startswith("Vlan")]  # SVIs are not ports
    assert all(validate(r) == [] for r in stamped(records.values()))


@pytest.mark.parametrize("platform,uplink", [("cisco_ios", "Fa1/0/1"), ("hp_procurve", "1")])
def test_a_required_uplink_below_its_speed_warns(platform, uplink):
    """Real captures: Cisco's FastEthernet1/0/1 is up at 100Mb/s, ProCurve's port 1 at 100FDx;
    as a required uplink of a gigabit office either is a cable fault, not OK."""
    model = collect(platform, outputs_for(platform), ["ports"])
    records = {r["item"]: r for r in sw.judge_ports(model, platform, uplinks=[uplink], uplink_min_mbps=1000)}
    (rec,) = [r for r in records.values() if r["details"].get("uplink")]
    assert rec["status"] == WARNING and (rec["details"]["speed_mbps"], rec["details"]["expected_mbps"]) == (100, 1000)
    assert rec["message"].startswith("Uplink wajib hanya 100 Mb/s, kurang dari 1000 Mb/s yang diharapkan")
    assert validate(stamped([rec])[0]) == []
    for floor in (100, 0):
        records = {r["item"]: r for r in sw.judge_ports(model, platform, uplinks=[uplink], uplink_min_mbps=floor)}
        assert [r["status"] for r in records.values() if r["details"].get("uplink")] == [OK], floor
    # Not an uplink: its speed is not judged.
    records = sw.judge_ports(model, platform, uplink_min_mbps=1000)
    assert not [r for r in records if r["status"] == WARNING and "hanya" in r["message"]]


def test_half_duplex_can_be_expected():
    model = collect("cisco_ios", outputs_for("cisco_ios"), ["ports"])
    records = {r["item"]: r for r in sw.judge_ports(model, "cisco_ios", half_duplex_ok=["Fa1/0/27"])}
    assert records["FastEthernet1/0/27"]["status"] == OK


def test_admin_down_uplink_is_critical():
    model = {"ports": {"gigabitethernet1/0/1": {"name": "GigabitEthernet1/0/1", "admin_up": False, "oper_up": False}}}
    (rec,) = sw.judge_ports(model, "cisco_ios", uplinks=["Gi1/0/1"])
    assert rec["status"] == CRITICAL


def test_device_reboot_is_a_warning():
    model = collect("cisco_ios", outputs_for("cisco_ios"), ["device"])
    uptime = model["device"]["uptime_s"]
    ok = {r["item"]: r for r in sw.judge_device(model, {"ts": 0, "uptime_s": uptime - 3600})}
    assert ok["uptime"]["status"] == OK and ok["uptime"]["value"] == uptime
    assert ok["version"]["status"] == OK and "FOC11111111" in ok["version"]["message"]
    rebooted = {r["item"]: r for r in sw.judge_device(model, {"ts": 0, "uptime_s": uptime + 10})}
    assert rebooted["uptime"]["status"] == WARNING
    assert all(validate(r) == [] for r in stamped(rebooted.values()))


@pytest.mark.parametrize("uptime, previous, now, rebooted", [
    (1000, None, 0, False),
    (1000, {"ts": 0, "uptime_s": 2000}, 100, True),           # uptime went down
    (5000, {"ts": 0, "uptime_s": 4000}, 1000, False),         # grew as expected
    (30 * 86400, {"ts": 0, "uptime_s": 86400}, 90 * 86400, True),  # up 30 d, last round 90 d ago
    (84 * 86400, {"ts": 0, "uptime_s": 84 * 86400}, 3600, False),  # ProCurve: whole days
    (3000, {"ts": 0, "uptime_s": 1000}, 3050, False),         # 3000 s is whole minutes: 60 s slack
])
def test_rebooted_since(uptime, previous, now, rebooted):
    assert sw.rebooted_since(uptime, previous, now) is rebooted


def test_cpu_and_memory_thresholds():
    model = {"cpu": {"cpu_pct": 85.0}, "memory": {"mem_total": 100, "mem_free": 5}}
    records = {r["category"]: r for r in sw.judge_resources(model)}
    assert records["cpu"]["status"] == WARNING
    assert records["memory"]["status"] == CRITICAL and records["memory"]["value"] == 95.0


@pytest.mark.parametrize("platform", sorted(COMMAND_MAP))
def test_every_platform_reads_its_fixtures_without_failures(platform):
    model = collect(platform, outputs_for(platform), CHECKS)
    assert model["failures"] == []
    assert model["device"]["uptime_s"] > 0
    assert model["ports"] and model["counters"]
    assert model["cpu"]["cpu_pct"] is not None
    records = sw.judge_device(model) + sw.judge_ports(model, platform) + sw.judge_resources(model)
    assert all(validate(r) == [] for r in stamped(records))
