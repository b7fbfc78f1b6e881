"""Rendered switch output parses with ntc-templates into exactly the simulated state.

Every platform and command of the switch command map (docs/DEVELOPING.md) is rendered
from a known state (fixed clock, staged faults) and parsed with the same ntc-templates
the checks use; commands without a template are compared with the shape of the real
captures in tests/unit/fixtures/switch/ (copies of shared/fixtures/device-output/).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ntc_templates.parse import parse_output

from ansible.module_utils.siak_switch_platforms import COMMAND_MAP, PARSER_TABLE, PLATFORMS
from lab.switches import common, model, renderers, table
from lab.switches import cisco_ios, hp_comware, huawei, mikrotik_routeros

T0 = 1_760_000_000.0
NOW = T0 + 250.0
# Real captures (copied byte for byte from shared/fixtures/device-output/, ntc-templates' test data).
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "switch"


def _state(platform: str) -> dict:
    """Default state of the table's switch of ``platform``, with faults staged at T0."""
    entry = next(e for e in table.switch_table() if e["platform"] == platform)
    state = model.default_state(entry, T0 - 100)
    ports = [p["name"] for p in state["ports"]]
    model.apply_fault(
        state,
        "port-errors",
        {"port": ports[2], "crc_rate": 3, "in_errors_rate": 2, "out_errors_rate": 1, "discards_rate": 4},
        T0,
    )
    model.apply_fault(state, "half-duplex", {"port": ports[3]}, T0)
    model.apply_fault(state, "port-down", {"port": ports[4]}, T0)
    model.apply_fault(state, "err-disable", {"port": ports[1]}, T0)
    model.apply_fault(state, "cpu", {"percent": 63}, T0)
    return state


def _ports(state: dict) -> dict:
    return {p["name"]: p for p in state["ports"]}


def _parse(platform: str, command: str, text: str) -> list[dict]:
    return parse_output(platform=PARSER_TABLE[platform]["ntc_platform"], command=command, data=text)


def test_the_lab_renders_every_mapped_command_and_nothing_else():
    """One renderer per platform of the platform table, with exactly its commands."""
    assert tuple(renderers.RENDERERS) == PLATFORMS
    assert renderers.PLATFORMS == PLATFORMS
    rendered = {(p, c) for p, m in renderers.RENDERERS.items() for c in m.COMMANDS}
    mapped = {(p, c) for p, checks in COMMAND_MAP.items() for commands in checks.values() for c in commands}
    assert rendered == mapped
    for platform, module in renderers.RENDERERS.items():
        # the outputs a counters-missing fault thins out are error-check commands
        assert module.COUNTER_OUTPUTS and set(module.COUNTER_OUTPUTS) <= set(COMMAND_MAP[platform]["errors"]), platform


def test_the_lab_has_a_switch_of_every_platform():
    assert {e["platform"] for e in table.SWITCHES} == set(PLATFORMS)


def test_table_has_realistic_ports():
    for entry in table.switch_table():
        ports = entry["ports"]
        assert 6 <= len(ports) <= 10, entry["name"]
        assert 1 <= len(table.uplinks(entry)) <= 2
        assert any(p[5] == "down" for p in ports), "a shut spare port"
        assert all(p[5] == "up" and p[6] == "up" for p in ports if p[7]), "uplinks are up"
    count = len(table.SWITCHES)
    assert [e["port"] for e in table.switch_table()] == list(range(17001, 17001 + count))
    assert [e["port"] for e in table.switch_table(27001)] == list(range(27001, 27001 + count))


# --- cisco_ios -------------------------------------------------------------------------


def test_cisco_show_interfaces_matches_state():
    state = _state("cisco_ios")
    rows = _parse("cisco_ios", "show interfaces", cisco_ios.show_interfaces(state, NOW))
    assert rows[0]["interface"] == "Vlan1"
    by_name = {r["interface"]: r for r in rows[1:]}
    assert list(by_name) == [p["name"] for p in state["ports"]]
    for name, port in _ports(state).items():
        row, c = by_name[name], model.counters(port, NOW)
        assert int(row["input_packets"]) == c["in_pkts"]
        assert int(row["output_packets"]) == c["out_pkts"]
        assert int(row["input_errors"]) == c["in_errors"]
        assert int(row["crc"]) == c["crc"]
        assert int(row["output_errors"]) == c["out_errors"]
        assert int(row["queue_drops"]) == c["in_discards"]
        assert int(row["queue_output_drops"]) == c["out_discards"]
        assert row["description"] == port["description"]
        status = model.port_status(port)
        assert (
            row["link_status"]
            == {"up": "up", "down": "down", "err-disabled": "down", "admin-down": "administratively down"}[status]
        )
        assert row["protocol_status"].startswith("up" if status == "up" else "down")
        if status == "up":
            assert row["duplex"] == f"{port['duplex'].capitalize()}-duplex"
            assert row["speed"] == f"{port['speed']}Mb/s"
    errored = by_name[state["ports"][2]["name"]]
    assert int(errored["crc"]) == int(state["ports"][2]["base"]["crc"]) + 3 * 250
    assert int(errored["input_errors"]) == int(state["ports"][2]["base"]["in_errors"]) + 5 * 250


def test_cisco_show_interfaces_status_matches_state():
    state = _state("cisco_ios")
    rows = _parse("cisco_ios", "show interfaces status", cisco_ios.show_interfaces_status(state, NOW))
    assert [r["port"] for r in rows] == [cisco_ios.short_name(p["name"]) for p in state["ports"]]
    words = {"up": "connected", "down": "notconnect", "admin-down": "disabled", "err-disabled": "err-disabled"}
    for row, port in zip(rows, state["ports"]):
        assert row["status"] == words[model.port_status(port)]
        assert row["name"] == port["description"]
        assert row["vlan_id"] == str(port["vlan"])
        if model.is_up(port):
            assert row["duplex"] == f"a-{port['duplex']}" and row["speed"] == f"a-{port['speed']}"
    assert rows[1]["status"] == "err-disabled"
    assert rows[3]["duplex"] == "a-half"


def test_cisco_show_version_uptime_and_identity():
    state = _state("cisco_ios")
    (row,) = _parse("cisco_ios", "show version", cisco_ios.show_version(state, NOW))
    parts = common.split_uptime(model.uptime(state, NOW))
    assert row["hostname"] == "sw-core01"
    assert int(row["uptime_weeks"]) == parts["weeks"]
    assert int(row["uptime_days"] or 0) == parts["days"]
    assert int(row["uptime_hours"] or 0) == parts["hours"]
    assert int(row["uptime_minutes"]) == parts["minutes"]
    assert row["hardware"] == [cisco_ios.MODEL] and row["version"] == "15.2(7)E8"


def test_cisco_show_processes_cpu():
    state = _state("cisco_ios")
    rows = _parse("cisco_ios", "show processes cpu", cisco_ios.show_processes_cpu(state, NOW))
    assert {r["cpu_usage_5_sec"] for r in rows} == {"63"}
    assert rows[0]["cpu_usage_1_min"] == "63" and rows[0]["cpu_usage_5_min"] == "63"


def test_cisco_reboot_shows_minutes_of_uptime():
    state = _state("cisco_ios")
    model.apply_fault(state, "reboot", {}, NOW)
    (row,) = _parse("cisco_ios", "show version", cisco_ios.show_version(state, NOW + 60))
    assert row["uptime"] == "4 minutes"


# --- huawei (ntc: huawei_vrp) ----------------------------------------------------------


def test_huawei_brief_matches_state():
    state = _state("huawei")
    rows = _parse("huawei", "display interface brief", huawei.display_interface_brief(state, NOW))
    assert [r["interface"] for r in rows] == [p["name"] for p in state["ports"]]
    for row, port in zip(rows, state["ports"]):
        c = model.counters(port, NOW)
        assert int(row["inerrors"]) == c["in_errors"]
        assert int(row["outerrors"]) == c["out_errors"]
        status = model.port_status(port)
        assert row["phy"] == {"up": "up", "down": "down", "err-disabled": "down", "admin-down": "*down"}[status]
        assert row["protocol"] == ("up" if status == "up" else "down")


def test_huawei_display_interface_matches_state():
    state = _state("huawei")
    text = huawei.display_interface(state, NOW)
    rows = _parse("huawei", "display interface", text)
    assert [r["interface"] for r in rows] == [p["name"] for p in state["ports"]]
    for row, port in zip(rows, state["ports"]):
        status = model.port_status(port)
        assert row["link_status"].startswith(
            {"up": "UP", "down": "DOWN", "admin-down": "Administratively DOWN", "err-disabled": "ERROR DOWN"}[status]
        )
        assert row["protocol_status"] == ("UP" if status == "up" else "DOWN")
        assert row["interface_description"] == port["description"]
        if status == "up":
            assert row["duplex"] == port["duplex"].upper() and int(row["speed"]) == port["speed"]
    # counters are not captured by the template: read them from each block
    blocks = text.split("\n\n" + state["ports"][1]["name"])  # sanity: blocks are separated
    assert len(blocks) == 2
    for port in state["ports"]:
        block = text[text.index(port["name"] + " current state") :]
        c = model.counters(port, NOW)
        assert re.search(rf"Input:  {c['in_pkts']} packets", block)
        assert re.search(rf"CRC:\s+{c['crc']},", block)
        assert re.search(rf"Discard:\s+{c['in_discards']},\s+Total Error:\s+{c['in_errors']}\n", block)


def test_huawei_display_version_uptime():
    state = _state("huawei")
    (row,) = _parse("huawei", "display version", huawei.display_version(state, NOW))
    parts = common.split_uptime(model.uptime(state, NOW))
    assert row["uptime"] == (
        f"{common.plural(parts['weeks'], 'week')}, {common.plural(parts['days'], 'day')}, "
        f"{common.plural(parts['hours'], 'hour')}, {common.plural(parts['minutes'], 'minute')}"
    )
    assert row["vrp_version"] == "5.170"


def test_huawei_version_has_the_captured_shape():
    captured = (FIXTURES / "huawei__display_version__real.txt").read_text()
    rendered = huawei.display_version(_state("huawei"), NOW)
    for text in (captured, rendered):
        lines = text.splitlines()
        assert lines[0].endswith("Versatile Routing Platform Software")
        assert re.match(r"VRP \(R\) software, Version \S+ \(.+\)$", lines[1])
        assert re.match(r"HUAWEI \S+ .*uptime is \d+ \w+", lines[3])


def test_huawei_cpu_usage_shape():
    text = huawei.display_cpu_usage(_state("huawei"), NOW)
    assert "CPU Usage            : 63% Max:" in text
    assert "CPU utilization for five seconds: 63%: one minute: 63%: five minutes: 63%" in text


# --- hp_comware ------------------------------------------------------------------------


def test_comware_display_interface_matches_state():
    state = _state("hp_comware")
    text = hp_comware.display_interface(state, NOW)
    rows = _parse("hp_comware", "display interface", text)
    assert [r["interface"] for r in rows] == [p["name"] for p in state["ports"]]
    for row, port in zip(rows, state["ports"]):
        status = model.port_status(port)
        assert (
            row["line_status"]
            == {"up": "UP", "down": "DOWN", "err-disabled": "DOWN", "admin-down": "Administratively DOWN"}[status]
        )
        assert row["protocol_status"] == ("UP" if status == "up" else "DOWN")
        if status == "up":
            assert row["duplex"] == f"{port['duplex']}-duplex"
            assert row["speed"].startswith(str(port["speed"] // 1000 if port["speed"] >= 10000 else port["speed"]))
        c = model.counters(port, NOW)
        block = text[text.index(port["name"] + "\nCurrent state") :]
        assert f" Input:  {c['in_errors']} input errors" in block
        assert f"          {c['crc']} CRC," in block


def test_comware_brief_matches_state():
    state = _state("hp_comware")
    rows = _parse("hp_comware", "display interface brief", hp_comware.display_interface_brief(state, NOW))
    bridge = [r for r in rows if r["type"]]
    assert [r["interface"] for r in bridge] == [hp_comware.short_name(p["name"]) for p in state["ports"]]
    for row, port in zip(bridge, state["ports"]):
        status = model.port_status(port)
        assert row["link"] == {"up": "UP", "down": "DOWN", "err-disabled": "DOWN", "admin-down": "ADM"}[status]
        if status == "up":
            assert row["duplex"] == ("F(a)" if port["duplex"] == "full" else "H(a)")
        assert row["description"] == port["description"]


@pytest.mark.parametrize("direction", ["inbound", "outbound"])
def test_comware_counters_match_state(direction):
    state = _state("hp_comware")
    command = f"display counters {direction} interface"
    rows = _parse("hp_comware", command, hp_comware.COMMANDS[command](state, NOW))
    assert [r["interface"] for r in rows] == [hp_comware.short_name(p["name"]) for p in state["ports"]]
    side = "in" if direction == "inbound" else "out"
    for row, port in zip(rows, state["ports"]):
        c = model.counters(port, NOW)
        assert int(row["packets_total"]) == c[f"{side}_pkts"]
        assert int(row["packets_error"]) == c[f"{side}_errors"]
        assert int(row["packets_broadcast"]) == c[f"{side}_bcast"]


def test_comware_version_has_the_captured_shape():
    captured = (FIXTURES / "hp_comware__display_version__real.txt").read_text()
    state = _state("hp_comware")
    rendered = hp_comware.display_version(state, NOW)
    uptime_line = re.compile(
        r"^(?:HPE|H3C) .+ uptime is (\d+) weeks?, (\d+) days?, (\d+) hours?, (\d+) minutes?$", re.M
    )
    assert uptime_line.search(captured)
    found = uptime_line.search(rendered)
    parts = common.split_uptime(model.uptime(state, NOW))
    assert [int(x) for x in found.groups()] == [parts["weeks"], parts["days"], parts["hours"], parts["minutes"]]
    for text in (captured, rendered):
        assert text.startswith("HPE Comware Software, Version 7.1.070, Release ")
        assert re.search(r"^Slot 1:\nUptime is \d+ weeks?,\d+ days?,\d+ hours?,\d+ minutes?$", text, re.M)


def test_comware_cpu_usage_shape():
    text = hp_comware.display_cpu_usage(_state("hp_comware"), NOW)
    assert re.fullmatch(r"Slot 1 CPU 0 CPU usage:\n(\s+63% in last (5 seconds|1 minute|5 minutes)\n){3}", text)


# --- hp_procurve -----------------------------------------------------------------------


def test_procurve_show_interfaces_matches_state():
    state = _state("hp_procurve")
    rows = _parse("hp_procurve", "show interfaces", renderers.render(state, "show interfaces", NOW))
    assert [r["port"] for r in rows] == [p["name"] for p in state["ports"]]
    for row, port in zip(rows, state["ports"]):
        c = model.counters(port, NOW)
        assert int(row["total_frames"].replace(",", "")) == c["in_pkts"] + c["out_pkts"]
        assert int(row["total_bytes"].replace(",", "")) == c["in_bytes"] + c["out_bytes"]
        assert int(row["errors_rx"].replace(",", "")) == c["in_errors"]
        assert int(row["drops_tx"].replace(",", "")) == c["out_discards"]


def test_procurve_brief_matches_state():
    state = _state("hp_procurve")
    rows = _parse("hp_procurve", "show interfaces brief", renderers.render(state, "show interfaces brief", NOW))
    assert [r["port"] for r in rows] == [p["name"] for p in state["ports"]]
    for row, port in zip(rows, state["ports"]):
        assert row["enabled"] == ("Yes" if port["admin"] == "up" else "No")
        assert row["status"] == ("Up" if model.is_up(port) else "Down")
    assert rows[3]["mode"] == "100HDx"


def test_procurve_show_system():
    state = _state("hp_procurve")
    (row,) = _parse("hp_procurve", "show system", renderers.render(state, "show system", NOW))
    assert row["name"] == "sw-akses02" and row["cpu_util"] == "63"
    assert row["uptime"] == f"{model.uptime(state, NOW) // 86400} days"
    model.apply_fault(state, "reboot", {}, NOW)
    (row,) = _parse("hp_procurve", "show system", renderers.render(state, "show system", NOW + 1))
    assert row["uptime"] == "3 mins"


# --- mikrotik_routeros -----------------------------------------------------------------


def test_mikrotik_resource_print():
    state = _state("mikrotik_routeros")
    (row,) = _parse("mikrotik_routeros", "/system resource print", mikrotik_routeros.system_resource_print(state, NOW))
    parts = common.split_uptime(model.uptime(state, NOW))
    assert [
        int(row[k] or 0) for k in ("uptime_weeks", "uptime_days", "uptime_hours", "uptime_minutes", "uptime_seconds")
    ] == [
        parts["weeks"],
        parts["days"],
        parts["hours"],
        parts["minutes"],
        parts["seconds"],
    ]
    assert row["cpu_load"] == "63%" and row["board_name"] == "hEX S"


def test_mikrotik_resource_print_has_the_captured_shape():
    captured = (
        FIXTURES / "mikrotik_routeros__system_resource_print__real.txt"
    ).read_text()
    rendered = mikrotik_routeros.system_resource_print(_state("mikrotik_routeros"), NOW)
    keys = lambda text: [line.split(":")[0].strip() for line in text.splitlines() if line.strip()]  # noqa: E731
    assert set(keys(captured)) <= set(keys(rendered))


def test_mikrotik_ethernet_print_flags():
    state = _state("mikrotik_routeros")
    rows = _parse(
        "mikrotik_routeros", "/interface ethernet print", mikrotik_routeros.interface_ethernet_print(state, NOW)
    )
    assert [r["name"] for r in rows] == [p["name"] for p in state["ports"]]
    for row, port in zip(rows, state["ports"]):
        status = model.port_status(port)
        assert row["status"] == {"up": "R", "admin-down": "X"}.get(status, "")
        assert row["mac_address"].lower() == port["mac"]


def _parse_stats(text: str) -> dict:
    """The RouterOS column layout, parsed: {interface: {statistic: int}}."""
    lines = text.splitlines()
    names = lines[0].split(":", 1)[1].split()
    result = {name: {} for name in names}
    width = (len(lines[0]) - lines[0].index(":") - 1) // len(names)
    for line in lines[1:]:
        label, _, cells = line.partition(":")
        for index, name in enumerate(names):
            cell = cells[index * width : (index + 1) * width]
            result[name][label.strip()] = int(cell.replace(" ", ""))
    return result


# Which RouterOS statistic carries which lab counter.
MIKROTIK_STATS = {
    "driver-rx-packet": "in_pkts",
    "driver-tx-packet": "out_pkts",
    "rx-bytes": "in_bytes",
    "tx-bytes": "out_bytes",
    "rx-fcs-error": "crc",
    "rx-error-events": "in_errors",
    "tx-collision": "out_errors",
    "rx-drop": "in_discards",
    "tx-drop": "out_discards",
}


def test_mikrotik_print_stats_matches_state():
    state = _state("mikrotik_routeros")
    text = mikrotik_routeros.interface_ethernet_print_stats(state, NOW)
    assert re.match(r"^\s+name:\s+ether1\s+ether2", text)
    assert re.search(r"^\s+rx-fcs-error:(\s+[\d ]+)$", text, re.M)
    assert re.search(r"\d \d{3} \d{3}", text), "thousands grouped with spaces"
    stats = _parse_stats(text)
    assert list(stats) == [p["name"] for p in state["ports"]]
    for port in state["ports"]:
        c = model.counters(port, NOW)
        for field, key in MIKROTIK_STATS.items():
            assert stats[port["name"]][field] == c[key], (port["name"], field)
    assert stats[state["ports"][2]["name"]]["rx-fcs-error"] > 0


# --- model and faults ------------------------------------------------------------------


def test_counters_grow_with_time_and_errors_only_when_staged():
    entry = table.switch_table()[0]
    state = model.default_state(entry, T0)
    up = state["ports"][0]
    first, later = model.counters(up, T0 + 1), model.counters(up, T0 + 11)
    assert 1000 * 10 <= later["in_pkts"] - first["in_pkts"] <= 5000 * 10
    assert 1000 * 10 <= later["out_pkts"] - first["out_pkts"] <= 5000 * 10
    assert later["in_errors"] == first["in_errors"] and later["crc"] == first["crc"]
    shut = next(p for p in state["ports"] if p["admin"] == "down")
    assert model.counters(shut, T0 + 11) == model.counters(shut, T0)
    model.apply_fault(state, "port-errors", {"port": up["name"], "crc_rate": 2.5}, T0 + 11)
    after = model.counters(up, T0 + 21)
    assert after["crc"] - later["crc"] == 25
    assert after["in_errors"] - later["in_errors"] == 25


def test_counters_reset_and_reboot_and_reset():
    entry = table.switch_table()[1]
    state = model.default_state(entry, T0)
    before = [model.counters(p, T0 + 5)["in_pkts"] for p in state["ports"]]
    model.apply_fault(state, "counters-reset", {}, T0 + 5)
    after = [model.counters(p, T0 + 6)["in_pkts"] for p in state["ports"]]
    assert all(a < 60_000 for a in after) and sum(after) < sum(before)
    model.apply_fault(state, "reboot", {}, T0 + 10)
    assert model.uptime(state, T0 + 10) == 180
    model.apply_fault(state, "port-down", {"port": "GigabitEthernet0/0/9"}, T0 + 10)
    assert model.port_status(model.find_port(state, "GigabitEthernet0/0/9")) == "down"
    grown = model.counters(state["ports"][0], T0 + 20)["in_pkts"]
    healthy = model.reset_state(state, entry, T0 + 20)
    assert model.port_status(model.find_port(healthy, "GigabitEthernet0/0/9")) == "up"
    assert model.counters(healthy["ports"][0], T0 + 20)["in_pkts"] == grown, "counters carry on after reset"
    assert model.uptime(healthy, T0 + 20) == entry["uptime"]
    assert healthy["faults"] == [] and healthy["garbage"] == [] and healthy["cpu"] == entry["cpu"]


def test_garbage_is_unparseable():
    state = _state("hp_comware")
    model.apply_fault(state, "garbage", {"command": "display interface brief"}, NOW)
    assert common.wants_garbage(state, "display interface brief")
    assert not common.wants_garbage(state, "display version")
    text = common.garbage_text(seed=7)
    assert not set(text) & set("<>#[]")
    assert _unparseable("hp_comware", "display interface brief", text)
    assert not _unparseable("hp_comware", "display interface brief", hp_comware.display_interface_brief(state, NOW))


def _unparseable(platform: str, command: str, text: str) -> bool:
    """True when the template rejects the text or finds nothing in it."""
    try:
        return not _parse(platform, command, text)
    except Exception:  # noqa: BLE001 - TextFSM raises several error types
        return True


def test_fault_validation():
    state = model.default_state(table.switch_table()[0], T0)
    with pytest.raises(ValueError):
        model.apply_fault(state, "melt", {}, T0)
    with pytest.raises(ValueError):
        model.apply_fault(state, "port-down", {}, T0)
    with pytest.raises(KeyError):
        model.apply_fault(state, "port-down", {"port": "Gi9/9"}, T0)
    with pytest.raises(ValueError):
        model.apply_fault(state, "cpu", {"percent": 140}, T0)


def test_state_file_round_trip(tmp_path):
    state = _state("cisco_ios")
    path = tmp_path / "state" / "sw.json"
    model.save_state(path, state)
    assert model.load_state(path) == state
    assert [p.name for p in path.parent.iterdir()] == ["sw.json"], "no temp file left"


# --- hardware (the environment check of SOP step 2) ------------------------------------


def _environment(state: dict) -> dict:
    """The rendered environment commands read by the checks' own parsers (siak_switch_parse)."""
    from ansible.module_utils.siak_switch_parse import collect
    from ansible.module_utils.siak_switch_platforms import commands_for

    platform = state["platform"]
    outputs = {c: renderers.render(state, c, NOW) for c in commands_for(platform, ["environment"])}
    return collect(platform, outputs, ["environment"])


def _statuses(section: dict | None) -> list[str]:
    return [item["status"] for item in sorted((section or {}).values(), key=lambda i: i["name"])]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_rendered_hardware_parses_into_the_state(platform):
    entry = next(e for e in table.switch_table() if e["platform"] == platform)
    state = model.default_state(entry, T0)
    env = _environment(state)
    assert env["failures"] == []
    assert _statuses(env["power"]) == [p["status"] for p in state["power"]]
    assert _statuses(env["fans"]) == [f["status"] for f in state["fans"]]
    # ProCurve's show system temperature tells the chassis sensor only.
    sensors = state["sensors"][:1] if platform == "hp_procurve" else state["sensors"]
    assert sorted(s["celsius"] for s in env["sensors"].values()) == sorted(s["celsius"] for s in sensors)
    crits = sorted(s["crit"] for s in sensors if s["crit"] is not None)
    assert sorted(s["crit"] for s in env["sensors"].values() if s.get("crit") is not None) == crits
    assert env["device"]["serial"] and env["device"]["uptime_s"] > 0


@pytest.mark.parametrize("platform", PLATFORMS)
def test_hardware_faults_show_in_the_rendered_output(platform):
    entry = next(e for e in table.switch_table() if e["platform"] == platform)
    state = model.default_state(entry, T0)
    model.apply_fault(state, "psu-fail", {}, T0)
    if state["fans"]:
        model.apply_fault(state, "fan-fail", {"name": "2"}, T0)
    model.apply_fault(state, "temp-high", {"celsius": 99}, T0)
    env = _environment(state)
    assert env["failures"] == []
    assert _statuses(env["power"])[0] == "fail"
    if state["fans"]:
        assert _statuses(env["fans"]) == ["ok", "fail"]
    else:
        assert env["fans"] is None
        with pytest.raises(ValueError, match="no fans"):
            model.apply_fault(state, "fan-fail", {}, T0)
    assert max(s["celsius"] for s in env["sensors"].values()) == 99.0


def test_a_state_file_from_before_the_hardware_renders_the_healthy_default():
    entry = next(e for e in table.switch_table() if e["platform"] == "cisco_ios")
    state = model.default_state(entry, T0)
    for key in ("power", "fans", "sensors"):
        del state[key]
    env = _environment(state)
    assert _statuses(env["power"]) == ["ok", "absent"]
    model.apply_fault(state, "psu-fail", {"name": "1"}, T0)
    assert state["power"][0]["status"] == "fail"


def test_the_cisco_2960_layout_parses_with_built_in_supplies_and_a_sensor_without_a_word():
    """The renderer's optional Catalyst 2960 layout (state "layout": "2960"), read by the
    checks' parsers: a "Built-in" supply per member, not the RPS table; psu-fail is "Bad"."""
    entry = next(e for e in table.switch_table() if e["platform"] == "cisco_ios")
    state = dict(model.default_state(entry, T0), layout="2960")
    text = renderers.render(state, "show environment all", NOW)
    assert " 1  Built-in" in text and "RPS Name" in text
    env = _environment(state)
    assert env["failures"] == []
    assert {name: item["status"] for name, item in env["power"].items()} == {"ps 1": "ok"}
    assert [(s["name"], s["celsius"], s["crit"]) for s in env["sensors"].values()] == [("System", 31.0, 56.0)]
    assert _statuses(env["fans"]) == ["ok"]
    model.apply_fault(state, "psu-fail", {}, T0)
    model.apply_fault(state, "temp-high", {"celsius": 99}, T0)
    env = _environment(state)
    assert env["failures"] == []
    assert _statuses(env["power"]) == ["fail"]
    assert [(s["celsius"], s.get("state")) for s in env["sensors"].values()] == [(99.0, "critical")]
