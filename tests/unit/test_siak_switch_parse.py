"""Switch parsers and the common model (module_utils/siak_switch_parse.py), on the captured
output in tests/unit/fixtures/switch/ (origins: tests/unit/switch_fixtures.py)."""

import pytest

from ansible.module_utils.siak_result import UNKNOWN
from ansible.module_utils import siak_switch_judge as judge
from ansible.module_utils import siak_switch_parse as sw
from ansible.module_utils.siak_switch_platforms import CHECKS, HUAWEI_INTERFACE_COUNTERS, PARSER_TABLE

from .switch_fixtures import fixture, outputs_for


@pytest.mark.parametrize("text,mbps", [
    # as each platform's parser gives them from the captures in fixtures/switch
    ("100Mb/s", 100), ("1000Mb/s", 1000), ("10Gb/s", 10000), ("Auto-speed", None),   # Cisco IOS show interfaces
    ("a-1000", 1000), ("a-100", 100), ("10G", 10000), ("auto", None),                 # Cisco status table
    ("1000", 1000), ("10", 10),                                                        # Huawei display interface
    ("40Gbps-speed", 40000), ("1Gbps", 1000),                                          # Comware
    ("100FDx", 100), ("1000FDx", 1000), ("10HDx", 10), ("Auto", None),                 # ProCurve
    ("", None), (None, None)])
def test_a_ports_speed_in_mbps_whatever_the_vendor_writes(text, mbps):
    assert sw.speed_mbps(text) == mbps


def test_every_speed_the_captures_give_is_read_or_said_unknown():
    seen = {}
    for platform in ("cisco_ios", "huawei", "hp_comware", "hp_procurve"):
        for port in sw.collect(platform, outputs_for(platform), ["ports"])["ports"].values():
            seen[port.get("speed")] = sw.speed_mbps(port.get("speed"))
    assert {text: mbps for text, mbps in seen.items() if text and mbps is None} == {"Auto-speed": None}
    assert {100.0, 1000.0, 40000.0} <= set(seen.values())


# ----------------------------------------------------------------------------- converters
@pytest.mark.parametrize("text, seconds", [
    ("28 weeks, 1 day, 7 hours, 54 minutes", ((28 * 7 + 1) * 24 + 7) * 3600 + 54 * 60),
    ("161 days, 0 hour, 20 minutes", 161 * 86400 + 20 * 60),
    ("35 weeks,3 days,5 hours,55 minutes", ((35 * 7 + 3) * 24 + 5) * 3600 + 55 * 60),
    ("84 days", 84 * 86400),
    ("6w5d11h55m45s", (((6 * 7 + 5) * 24 + 11) * 60 + 55) * 60 + 45),
    ("3m12s", 192),
    ("1 year, 2 weeks, 0 days, 1 hour, 1 minute", 365 * 86400 + 14 * 86400 + 3660),
    ("2 days, 03:04:05", 2 * 86400 + 3 * 3600 + 4 * 60 + 5),
    ("", None), (None, None), ("soon", None),
])
def test_parse_uptime(text, seconds):
    assert sw.parse_uptime(text) == seconds


@pytest.mark.parametrize("text, value", [("1,234,567", 1234567), ("1 234 567", 1234567), ("0", 0),
                                         ("-", None), ("", None), ("67,00", 6700), (None, None), (5, 5)])
def test_to_int(text, value):
    assert sw.to_int(text) == value


@pytest.mark.parametrize("text, value", [("Full-duplex", "full"), ("a-full", "full"), ("FULL", "full"),
                                         ("100FDx", "full"), ("a-half", "half"), ("Half-duplex", "half"),
                                         ("10HDx", "half"), ("F", "full"), ("H", "half"), ("A", None),
                                         ("auto", None), ("unknown-duplex", None), ("", None)])
def test_to_duplex(text, value):
    assert sw.to_duplex(text) == value


def test_to_size():
    assert sw.to_size("64.0MiB") == 64 * 1024 * 1024
    assert sw.to_size("1196.0KiB") == int(1196.0 * 1024)
    assert sw.to_size("lots") is None


@pytest.mark.parametrize("platform, short, long", [
    ("cisco_ios", "Gi1/0/1", "GigabitEthernet1/0/1"), ("cisco_ios", "Fa1/0/27", "FastEthernet1/0/27"),
    ("cisco_ios", "GigabitEthernet1/0/1", "GigabitEthernet1/0/1"),
    ("hp_comware", "GE1/0/2", "GigabitEthernet1/0/2"), ("hp_comware", "XGE1/0/49", "Ten-GigabitEthernet1/0/49"),
    ("huawei", "GigabitEthernet16/0/1(10G)", "GigabitEthernet16/0/1"), ("huawei", "XGE0/0/1", "XGigabitEthernet0/0/1"),
    ("hp_procurve", "24", "24"), ("mikrotik_routeros", "ether1", "ether1"),
])
def test_canonical_ifname(platform, short, long):
    assert sw.canonical_ifname(platform, short) == long


# ----------------------------------------------------------------------------- real captures
def test_cisco_show_version_real():
    device = sw.parse_command("cisco_ios", "show version", fixture("cisco_ios", "show version", "real"))["device"]
    assert device == {"model": "WS-C3850-48U", "serial": "FOC11111111", "version": "03.06.05E",
                      "hostname": "city-building-4-sw", "uptime_s": 17049240}


def test_cisco_show_interfaces_real_counters_and_ports():
    parsed = sw.parse_command("cisco_ios", "show interfaces", fixture("cisco_ios", "show interfaces", "real"))
    counters, ports = parsed["counters"], parsed["ports"]
    assert len(counters) == 56
    fa29 = counters["FastEthernet1/0/29"]
    assert (fa29["in_errors"], fa29["crc"]) == (28898, 14167)
    assert counters["FastEthernet1/0/2"]["in_packets"] == 86697408651  # 64-bit counter
    assert ports["FastEthernet1/0/27"]["duplex"] == "half"
    assert ports["FastEthernet1/0/1"] == {"admin_up": True, "oper_up": True, "err_disabled": None,
                                          "speed": "100Mb/s", "duplex": "full", "description": None}


def test_huawei_display_version_real():
    device = sw.parse_command("huawei", "display version", fixture("huawei", "display version", "real"))["device"]
    assert device == {"model": "NE40E-X2-M8A", "version": "8.180", "uptime_s": 161 * 86400 + 20 * 60}


def test_huawei_display_interface_brief_real():
    ports = sw.parse_command("huawei", "display interface brief",
                             fixture("huawei", "display interface brief", "real"))["ports"]
    assert ports["GigabitEthernet16/0/1"] == {"admin_up": True, "oper_up": True}
    assert ports["Aux0/0/1"] == {"admin_up": True, "oper_up": False}


def test_comware_display_version_real_declarative():
    device = sw.parse_command("hp_comware", "display version", fixture("hp_comware", "display version", "real"))["device"]
    assert device == {"model": "5130 48G PoE+ 4SFP+ 1-slot HI Switch JH326A",
                      "version": "7.1.070, Release 3507P18", "uptime_s": 21448500}


def test_comware_counters_real():
    counters = sw.parse_command("hp_comware", "display counters inbound interface",
                                fixture("hp_comware", "display counters inbound interface", "real"))["counters"]
    assert counters["GigabitEthernet1/0/2"] == {"in_packets": 975121, "in_errors": 30}
    assert counters["Ten-GigabitEthernet1/0/50"] == {"in_packets": 53840866263, "in_errors": 19}


def test_procurve_real():
    outputs = outputs_for("hp_procurve")
    model = sw.collect("hp_procurve", outputs, CHECKS)
    assert model["failures"] == []
    assert model["device"]["serial"] == "AB12CDE3FH" and model["device"]["uptime_s"] == 84 * 86400
    assert model["counters"]["1"] == {"name": "1", "packets": 869, "in_errors": 0, "out_discards": 0}
    assert model["counters"]["4"]["in_errors"] == 6700  # "67,00" as captured: separators dropped
    assert model["ports"]["5"]["admin_up"] is False
    assert model["ports"]["1"]["duplex"] == "full"
    records = judge.judge_resources(model)
    memory = [r for r in records if r["category"] == "memory"][0]
    assert memory["value"] == round(100.0 * (333451776 - 210899116) / 333451776, 1)


def test_mikrotik_system_resource_real():
    parsed = sw.parse_command("mikrotik_routeros", "/system resource print",
                              fixture("mikrotik_routeros", "system resource print", "real"))
    assert parsed["device"] == {"model": "hEX PoE lite", "version": "6.48.6 (long-term)", "uptime_s": 4103745}
    assert parsed["cpu"] == {"cpu_pct": 1.0}
    assert parsed["memory"]["mem_total"] == 64 * 1024 * 1024


# ----------------------------------------------------------------------------- format cases
def test_huawei_display_interface_counters_declarative():
    parsed = sw.parse_command("huawei", "display interface", fixture("huawei", "display interface", "fakenos"))
    assert parsed["counters"]["GigabitEthernet0/0/2"]["in_packets"] == 6460
    assert set(parsed["counters"]["GigabitEthernet0/0/0"]) == {"in_packets", "out_packets", "in_discards",
                                                               "out_discards", "in_errors", "out_errors", "crc"}
    assert parsed["ports"]["GigabitEthernet0/0/2"]["oper_up"] is True


def test_huawei_counters_read_input_and_output_paragraphs_apart():
    text = ("GigabitEthernet0/0/9 current state : UP\nLine protocol current state : UP\n"
            "Input:  1000 packets, 64000 bytes\n  Discard:  2,  Total Error:  7\n  CRC:  5,  Giants: 0\n"
            "Output:  900 packets, 1 bytes\n  Discard:  3,  Total Error:  1\n")
    counters = sw.parse_blocks(HUAWEI_INTERFACE_COUNTERS, text)[0]
    assert counters == {"key": "GigabitEthernet0/0/9", "in_packets": "1000", "out_packets": "900",
                        "in_discards": "2", "out_discards": "3", "in_errors": "7", "out_errors": "1", "crc": "5"}


def test_cpu_usage_declarative():
    assert sw.parse_command("huawei", "display cpu-usage",
                            fixture("huawei", "display cpu-usage", "format"))["cpu"] == {"cpu_pct": 12.0}
    assert sw.parse_command("hp_comware", "display cpu-usage",
                            fixture("hp_comware", "display cpu-usage", "format"))["cpu"] == {"cpu_pct": 10.0}


def test_mikrotik_print_stats_transposed_keeps_grouped_digits_together():
    counters = sw.parse_command("mikrotik_routeros", "/interface ethernet print stats",
                                fixture("mikrotik_routeros", "interface ethernet print stats", "format"))["counters"]
    assert counters["ether1"] == {"in_packets": 20451380, "out_packets": 15002911, "in_errors": 15, "crc": 12,
                                  "out_errors": 0, "in_discards": None, "out_discards": 0}
    assert counters["ether2"]["out_discards"] == 1
    assert counters["ether5"]["in_packets"] == 301


def test_mikrotik_print_stats_as_netmiko_returns_it():
    # netmiko strips the first line's indentation: columns are read from the colon.
    text = fixture("mikrotik_routeros", "interface ethernet print stats", "netmiko")
    assert text.startswith("name:")
    counters = sw.parse_command("mikrotik_routeros", "/interface ethernet print stats", text)["counters"]
    assert list(counters) == ["ether1", "ether2", "ether3", "ether4", "ether5", "sfp1"]
    ether2 = counters["ether2"]
    assert (ether2["in_packets"], ether2["out_packets"]) == (16839969040, 17605089372)
    assert (ether2["crc"], ether2["in_errors"]) == (3, 4)  # rx-error-events, not fcs + fragment + events
    assert counters["sfp1"]["in_packets"] == 0


# A CRS3xx switch-chip port lists no rx-packet/tx-packet: its frames are the unicast,
# broadcast and multicast counts, and driver-* counts only what reached the CPU (the
# counters MikroTik's manual lists for "print stats"; a CRS328 capture shows this set).
# ether9 is a CPU port that also lists rx-packet, which wins.
CRS_STATS = """                  name:      ether1  ether9
      driver-rx-packet:       2 000     500
      driver-tx-packet:       1 500     400
             rx-packet:                 600
             tx-packet:                 450
            rx-unicast:   1 000 000
          rx-broadcast:      20 000
          rx-multicast:       5 000
            tx-unicast:     800 000
          tx-broadcast:         100
          tx-multicast:         500
       rx-error-events:          10       0
          rx-fcs-error:           3       0
"""


def test_mikrotik_switch_chip_ports_count_their_frames_not_the_cpus():
    counters = sw.parse_command("mikrotik_routeros", "/interface ethernet print stats", CRS_STATS)["counters"]
    assert (counters["ether1"]["in_packets"], counters["ether1"]["out_packets"]) == (1_025_000, 800_600)
    assert (counters["ether1"]["in_errors"], counters["ether1"]["crc"]) == (10, 3)
    assert (counters["ether9"]["in_packets"], counters["ether9"]["out_packets"]) == (600, 450)
    # Only driver counters: they are the port's count where nothing else is.
    only_driver = "            name:  ether2\ndriver-rx-packet:     301\ndriver-tx-packet:     120\n"
    counters = sw.parse_command("mikrotik_routeros", "/interface ethernet print stats", only_driver)["counters"]
    assert (counters["ether2"]["in_packets"], counters["ether2"]["out_packets"]) == (301, 120)


def test_mikrotik_ports():
    ports = sw.parse_command("mikrotik_routeros", "/interface ethernet print",
                             fixture("mikrotik_routeros", "interface ethernet print", "format"))["ports"]
    assert ports["ether1"] == {"admin_up": True, "oper_up": True}
    assert ports["ether3"] == {"admin_up": True, "oper_up": False}
    assert ports["ether4"] == {"admin_up": False, "oper_up": False}


# RouterOS 7's layout, as MikroTik's manual prints it ("Ethernet" page): flags spelled out
# after "Flags:", a "Columns:" line; a router has no SWITCH column; a port's comment is a
# ";;;" line above it. ntc-templates 9.3's template finds no row in the first and stops at
# the comment in the second: the reading's fallback (MIKROTIK_ETHERNET) reads both.
ROUTEROS7_ROUTER_PORTS = """Flags: R - RUNNING
Columns: NAME, MTU, MAC-ADDRESS, ARP
#   NAME     MTU  MAC-ADDRESS        ARP
0 R ether1  1500  0C:15:54:66:00:00  enabled
1 R ether2  1500  0C:15:54:66:00:01  enabled
2   ether3  1500  0C:15:54:66:00:02  enabled
"""
ROUTEROS7_SWITCH_PORTS = """Flags: X - DISABLED; R - RUNNING; S - SLAVE
Columns: NAME, MTU, MAC-ADDRESS, ARP, SWITCH
 #    NAME            MTU  MAC-ADDRESS        ARP      SWITCH
 0 R  ether1         1500  D4:01:C3:75:18:94  enabled  switch1
;;; ke ruang pelayanan
 1 RS ether2         1500  D4:01:C3:75:18:95  enabled  switch1
 2  S ether3         1500  D4:01:C3:75:18:96  enabled  switch1
 3 X  SFP1           1500  D4:01:C3:75:18:97  enabled  switch1
"""


def _template_rows(text):
    try:
        return sw.parse_ntc("mikrotik_routeros_interface_ethernet_print", text)
    except Exception as exc:  # pylint: disable=broad-except
        return type(exc).__name__


@pytest.mark.parametrize("text, template, expected", [
    (ROUTEROS7_ROUTER_PORTS, [], {"ether1": (True, True), "ether2": (True, True), "ether3": (True, False)}),
    (ROUTEROS7_SWITCH_PORTS, "TextFSMError", {"ether1": (True, True), "ether2": (True, True),
                                              "ether3": (True, False), "SFP1": (False, False)}),
])
def test_mikrotik_ports_in_routeros_7s_layout(text, template, expected):
    assert _template_rows(text) == template
    ports = sw.parse_command("mikrotik_routeros", "/interface ethernet print", text)["ports"]
    assert {name: (p["admin_up"], p["oper_up"]) for name, p in ports.items()} == expected
    model = sw.collect("mikrotik_routeros", {"/interface ethernet print": text}, ["ports"])
    records = judge.judge_ports(model, "mikrotik_routeros", uplinks=["ether1"])
    assert model["failures"] == [] and {r["status"] for r in records} == {"OK"}


# ----------------------------------------------------------------------------- unreadable output
@pytest.mark.parametrize("platform, command", [
    (platform, command) for platform, table in PARSER_TABLE.items() for command in table["parsers"]])
@pytest.mark.parametrize("garbage", [
    "", "   \n", "%$#@! no such thing\nlorem ipsum dolor\n",
    "% Invalid input detected at '^' marker.\n", "Error: Unrecognized command found at '^' position.\n",
    "bad command name stats (line 1 column 25)\n"])
def test_garbage_raises_parse_error_naming_the_command(platform, command, garbage):
    with pytest.raises(sw.ParseError) as err:
        sw.parse_command(platform, command, garbage)
    assert err.value.command == command


def test_collect_reports_the_failing_command_and_keeps_the_rest():
    outputs = outputs_for("cisco_ios")
    outputs["show processes cpu"] = "garbage garbage\n"
    model = sw.collect("cisco_ios", outputs, CHECKS)
    assert [f[:2] for f in model["failures"]] == [("cpu", "show processes cpu")]
    assert model["device"]["model"] == "WS-C3850-48U"
    records = judge.failure_records(model)
    assert records[0]["status"] == UNKNOWN and records[0]["item"] == "show processes cpu"
    assert "show processes cpu" in records[0]["message"]


