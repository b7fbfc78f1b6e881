"""Real switch captures the lab's switches never print (tests/unit/fixtures/switch/captures/,
sources in its README), read through the platforms' parsers as a new office's switches
would be: each parses with no failure, and reads as its source's expected parse says."""

from pathlib import Path

import pytest
import yaml

from ansible.module_utils import siak_switch_parse as sw
from ansible.module_utils.siak_result import UNKNOWN
from ansible.module_utils.siak_switch_hw import judge_environment
from ansible.module_utils.siak_switch_judge import failure_records, judge_device, judge_resources
from ansible.module_utils.siak_switch_platforms import ALL_CHECKS, COMMAND_MAP, NTC, PARSER_TABLE

CAPTURES = Path(__file__).parent / "fixtures" / "switch" / "captures"
PLATFORM_OF = {entry["ntc_platform"]: platform for platform, entry in PARSER_TABLE.items()}
# Captures that must NOT read as healthy output (each has its own test below).
NOT_READABLE = {"huawei_vrp_display_device_card.raw", "napalm_ios_temp_cmd_fail_show_env_temperature_status.txt"}


def _command(platform, folder):
    for command in PARSER_TABLE[platform]["parsers"]:
        if command.lstrip("/").replace(" ", "_") == folder:
            return command
    return None


def _captures():
    out = []
    for path in sorted(CAPTURES.glob("*/*/*")):
        if path.suffix in (".yml", ".md"):
            continue
        platform = PLATFORM_OF[path.parent.parent.name]
        out.append(pytest.param(platform, _command(platform, path.parent.name), path, id=path.name))
    return out


def _read(path):
    return path.read_text(encoding="utf-8")


def _checks_of(platform, command):
    return [check for check in ALL_CHECKS if command in COMMAND_MAP[platform][check]]


def test_the_captures_cover_every_platform_and_name_their_source():
    captured = {path.parent.parent.name for path in CAPTURES.glob("*/*/*")}
    assert {PLATFORM_OF[name] for name in captured} == set(PARSER_TABLE)
    readme = _read(CAPTURES / "README.md")
    for path in CAPTURES.glob("*/*/*"):
        if path.suffix != ".yml" and path.name != "README.md":
            assert "`%s/%s/%s`" % (path.parent.parent.name, path.parent.name, path.name) in readme


@pytest.mark.parametrize("platform, command, path", [p for p in _captures() if p.values[2].name not in NOT_READABLE])
def test_a_real_capture_reads_with_no_failure(platform, command, path):
    assert command is not None, "the project sends no command that makes %s" % path.parent.name
    checks = _checks_of(platform, command)
    model = sw.collect(platform, {command: _read(path)}, checks)
    assert [f for f in model["failures"] if f[1] == command] == []
    read = [section for section in ("device", "ports", "counters", "cpu", "memory", "power", "fans", "sensors")
            if model[section]]
    assert read, "nothing read from %s" % path.name


def _expected_parses():
    out = []
    for param in _captures():
        platform, command, path = param.values
        expected = path.with_suffix(".yml")
        readings = PARSER_TABLE[platform]["parsers"].get(command) or []
        if expected.exists() and path.name not in NOT_READABLE and any(
                isinstance(r["parser"], tuple) and r["parser"][0] == NTC for r in readings):
            out.append(param)
    return out


@pytest.mark.parametrize("platform, command, path", _expected_parses())
def test_a_real_capture_reads_as_its_sources_expected_parse(platform, command, path, monkeypatch):
    """The model from the capture equals the model from the rows ntc-templates' maintainers
    expect of it (their .yml): the template the project pins reads the capture as they say,
    or, where it stops, the reading's fallback does."""
    actual = sw.parse_command(platform, command, _read(path))
    rows = yaml.safe_load(path.with_suffix(".yml").read_text(encoding="utf-8"))["parsed_sample"]
    monkeypatch.setattr(sw, "parse_ntc", lambda template, text: [{k.lower(): v for k, v in r.items()} for r in rows])
    expected = sw.parse_command(platform, command, _read(path))
    assert actual == expected


def test_routeros_7_16_resource_print_reads_through_the_fallback_where_the_template_stops():
    path = CAPTURES / "mikrotik_routeros" / "system_resource_print" / "mikrotik_routeros_system_resource_print_5.raw"
    text = _read(path)
    with pytest.raises(Exception):  # ntc-templates 9.3: "build-time: 2024-10-10 14:03:32" is an unknown line
        sw.parse_ntc("mikrotik_routeros_system_resource_print", text)
    model = sw.collect("mikrotik_routeros", {"/system resource print": text}, ["device", "cpu"])
    assert model["failures"] == []
    assert model["device"] == {"model": "hEX S", "version": "7.16.1 (stable)",
                               "uptime_s": (((7 * 7 + 5) * 24 + 6) * 60 + 42) * 60 + 45, "vendor": "MikroTik"}
    assert model["cpu"] == {"cpu_pct": 1.0}
    assert model["memory"] == {"mem_total": 256 * 1024 ** 2, "mem_free": int(178.4 * 1024 ** 2)}
    records = judge_device(model, None, 0) + judge_resources(model, 80, 90, 80, 90)
    assert {r["category"]: r["status"] for r in records} == {"device": "OK", "cpu": "OK", "memory": "OK"}
    memory = [r for r in records if r["category"] == "memory"][0]
    assert "30" in memory["message"]  # 77.6 of 256 MiB used


def test_a_fallback_is_read_only_when_the_template_fails_or_finds_nothing(monkeypatch):
    reading = PARSER_TABLE["mikrotik_routeros"]["parsers"]["/system resource print"][0]
    monkeypatch.setattr(sw, "parse_ntc", lambda template, text: [{"version": "from the template"}])
    assert sw.run_reading(reading, "version: 7.16.1\n") == [{"version": "from the template"}]
    monkeypatch.setattr(sw, "parse_ntc", lambda template, text: [])
    assert sw.run_reading(reading, "  version: 7.16.1 (stable)\n") == [{"version": "7.16.1 (stable)"}]
    assert sw.run_reading(reading, "nothing a RouterOS prints\n") == []


def test_a_reading_without_fallback_still_fails_on_what_its_template_refuses():
    with pytest.raises(sw.ParseError, match="does not parse"):
        sw.parse_command("cisco_ios", "show processes cpu", "CPU utilization for five seconds: lots\nwhat\n")


def test_huawei_card_form_of_display_device_is_unknown_power_and_fans_never_ok():
    path = CAPTURES / "huawei_vrp" / "display_device" / "huawei_vrp_display_device_card.raw"
    with pytest.raises(sw.ParseError, match="no rows of power or fans"):
        sw.parse_command("huawei", "display device", _read(path))
    model = sw.collect("huawei", {"display device": _read(path)}, ["environment"])
    records, _hardware, _not_applicable = judge_environment(model)
    display_device = [r for r in records if r["item"] == "display device"]
    assert sorted(r["category"] for r in display_device) == ["hw-fan", "hw-power"]
    assert all(r["status"] == UNKNOWN and "no rows of power or fans" in r["message"] for r in display_device)


def test_a_switch_that_refuses_a_command_is_named_with_its_whole_answer():
    path = CAPTURES / "cisco_ios" / "show_environment_temperature_status" / \
        "napalm_ios_temp_cmd_fail_show_env_temperature_status.txt"
    model = sw.collect("cisco_ios", {"show version": _read(path)}, ["device"])
    (record,) = failure_records(model)
    assert record["status"] == UNKNOWN
    assert "switch refused the command: % Invalid input detected at '^' marker." in record["message"]
