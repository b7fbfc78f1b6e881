"""The platform table and the read-only guard (module_utils/siak_switch_platforms.py), and
everything that lists platforms or commands agreeing with the table."""

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from ansible.module_utils import siak_switch_platforms as sw
from ansible.module_utils.siak_switch_parse import _CHECK_SECTIONS as CHECK_SECTIONS, CONVERTERS

from .switch_fixtures import FIXTURES, fixture_name
from ..source import load_source


# ----------------------------------------------------------------------------- tables
def test_every_command_is_a_show_display_or_print_command():
    for platform, checks in sw.COMMAND_MAP.items():
        for commands in checks.values():
            for command in commands:
                assert sw.SAFE_COMMAND.match(command), (platform, command)


def test_the_guard_refuses_configuration_commands():
    for bad in ("configure terminal", "reload", "system-view", "/system reboot", "clear counters",
                "show run | redirect flash:x", "display version; reboot"):
        assert not sw.SAFE_COMMAND.match(bad), bad


ALL_MAPPED = sorted({c for checks in sw.COMMAND_MAP.values() for commands in checks.values() for c in commands})

REFUSED = [
    "show version\n", "show version\nreload", "show version\r\nconfigure terminal",
    "display version\rreset saved-configuration", "show version\r", "\nshow version",
    "show\tversion", "show version\x00", "show version\x1b", "show version\x7f", "show\x0bversion",
    "show\u00a0version", "show version\u2028reload", "show version\u0085reload",
    "\uff53how version", "show vers\u0456on", "displ\u0430y version",
    "/system reset-configuration", "/system reboot", "/interface print\n/system reboot",
    "/interface print\r/system reboot", "/interface ethernet print file=x",
    "show run | include x", "display version; reboot", "show version && reload",
    "reload", "configure terminal", "system-view", "clear counters", "", " ", "show", "display ",
    "show  version", " show version", "show version ", "SHOW VERSION", "/interface/ethernet print;",
    None, b"show version",
]


@pytest.mark.parametrize("command", ALL_MAPPED)
def test_the_guard_lets_every_mapped_command_through(command):
    assert sw.assert_read_only(command) == command


@pytest.mark.parametrize("command", REFUSED, ids=ascii)
def test_the_guard_refuses_newlines_control_characters_lookalikes_and_other_commands(command):
    with pytest.raises(sw.UnsafeCommand, match="refusing to send"):
        sw.assert_read_only(command)
    if isinstance(command, str):
        assert not sw.SAFE_COMMAND.match(command) and not sw.SAFE_COMMAND.search(command)


@pytest.mark.parametrize("command, reason", [
    ("show version\n", "line break"), ("display version\rreset saved-configuration", "line break"),
    ("show\tversion", "control or non-ASCII"), ("\uff53how version", "control or non-ASCII"),
    ("show run | include x", "only show/display/print"),
])
def test_the_refusal_says_why_and_shows_the_command_escaped(command, reason):
    with pytest.raises(sw.UnsafeCommand) as caught:
        sw.assert_read_only(command)
    message = str(caught.value)
    assert reason in message and ascii(command) in message
    assert "\n" not in message and "\r" not in message and message.isascii()


def test_commands_for_refuses_a_bad_command_in_the_map(monkeypatch):
    monkeypatch.setitem(sw.COMMAND_MAP, "cisco_ios", dict(sw.COMMAND_MAP["cisco_ios"], device=["show version\nreload"]))
    with pytest.raises(sw.UnsafeCommand):
        sw.commands_for("cisco_ios", ["device"])


def test_every_mapped_command_has_a_parser_and_every_parser_a_command():
    for platform, checks in sw.COMMAND_MAP.items():
        mapped = {c for commands in checks.values() for c in commands}
        assert mapped == set(sw.PARSER_TABLE[platform]["parsers"]), platform


def test_commands_for_sends_each_command_once():
    assert sw.commands_for("hp_procurve", sw.CHECKS) == ["show system", "show interfaces brief", "show interfaces"]
    assert sw.commands_for("cisco_ios", ["device"]) == ["show version"]
    with pytest.raises(ValueError):
        sw.commands_for("juniper_junos", ["device"])



# ----------------------------------------------------------------------------- one list per concept
ROOT = Path(__file__).resolve().parents[2]
ROLE = ROOT / "roles" / "siak_switch_check"
ENTRY_KEYS = {"commands", "vendor", "ntc_platform", "ifname_abbrev", "ignore_ports", "parsers"}


def _load(path, name):
    return load_source(path, name)


def test_platforms_and_the_command_map_are_derived_from_the_table():
    assert sw.PLATFORMS == tuple(sw.PARSER_TABLE) == tuple(sw.COMMAND_MAP)
    for platform, entry in sw.PARSER_TABLE.items():
        assert set(entry) == ENTRY_KEYS, platform
        assert tuple(entry["commands"]) == sw.ALL_CHECKS, platform
        assert sw.COMMAND_MAP[platform] is entry["commands"]


def test_ntc_templates_are_the_platforms_own_and_exist():
    templates = Path(importlib.util.find_spec("ntc_templates").origin).parent / "templates"
    for platform, entry in sw.PARSER_TABLE.items():
        for command, readings in entry["parsers"].items():
            for reading in readings:
                parser = reading["parser"]
                if isinstance(parser, tuple):
                    assert parser[0] == sw.NTC
                    assert parser[1].startswith(entry["ntc_platform"] + "_"), (platform, command)
                    assert (templates / (parser[1] + ".textfsm")).is_file(), (platform, command)
                else:
                    assert parser["kind"] in ("fields", "blocks", "transposed", "rows"), (platform, command)


def test_readings_fill_the_models_fields_with_known_converters():
    sections = {"ports": set(sw.PORT_FIELDS), "counters": set(sw.COUNTER_FIELDS),
                "device": {"model", "serial", "version", "hostname", "uptime_s"},
                "cpu": {"cpu_pct"}, "memory": {"mem_pct", "mem_total", "mem_free"},
                **{section: set(fields) for section, fields in sw.HW_FIELDS.items()}}
    for platform, entry in sw.PARSER_TABLE.items():
        for command, readings in entry["parsers"].items():
            for reading in readings:
                assert set(reading["fields"]) <= sections[reading["section"]], (platform, command)
                assert ("key" in reading) == (reading["section"] in ("ports", "counters", *sw.HW_FIELDS)), (platform, command)
                for spec in reading["fields"].values():
                    conv = "str" if isinstance(spec, str) else spec[1]
                    assert conv in CONVERTERS or conv in ("sum", "or_sum", "first_sum", "hwstate"), (platform, command, conv)


def test_every_mapped_command_has_a_captured_or_written_fixture():
    for platform, entry in sw.PARSER_TABLE.items():
        for command in entry["parsers"]:
            stem = fixture_name(platform, command, "")[:-len("__.txt")]
            assert list(FIXTURES.glob(stem + "__*.txt")), "no fixture for %s %r" % (platform, command)


def test_the_module_takes_and_documents_exactly_the_tables_platforms():
    module = _load(ROOT / "library" / "siak_switch_check.py", "switch_check_platforms")
    assert module.ARGUMENT_SPEC["platform"]["choices"] == list(sw.PLATFORMS)
    assert module.ARGUMENT_SPEC["checks"]["choices"] == list(sw.ALL_CHECKS)
    options = yaml.safe_load(module.DOCUMENTATION)["options"]
    assert options["platform"]["choices"] == list(sw.PLATFORMS)
    assert options["checks"]["choices"] == list(sw.ALL_CHECKS)


def test_the_environment_check_is_asked_for_only_by_step_2():
    """Step 3's default list (the module's and the role's) stays without environment."""
    module = _load(ROOT / "library" / "siak_switch_check.py", "switch_check_default_checks")
    assert module.ARGUMENT_SPEC["checks"]["default"] == list(sw.CHECKS)
    assert yaml.safe_load(module.DOCUMENTATION)["options"]["checks"]["default"] == list(sw.CHECKS)
    assert sw.ENVIRONMENT not in sw.CHECKS and sw.ALL_CHECKS == sw.CHECKS + (sw.ENVIRONMENT,)


def test_the_roles_argument_specs_name_the_checks():
    specs = yaml.safe_load((ROLE / "meta" / "argument_specs.yml").read_text(encoding="utf-8"))
    option = specs["argument_specs"]["main"]["options"]["siak_switch_check_checks"]
    assert option["choices"] == list(sw.CHECKS) and option["default"] == list(sw.CHECKS)
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text(encoding="utf-8"))
    assert defaults["siak_switch_check_checks"] == list(sw.CHECKS)


def test_the_roles_preflight_reads_the_platforms_from_the_table():
    lookup = _load(ROLE / "lookup_plugins" / "siak_switch_platforms.py", "lookup_siak_switch_platforms")
    assert lookup.LookupModule().run([]) == list(sw.PLATFORMS)
    with pytest.raises(Exception, match="takes no terms"):
        lookup.LookupModule().run(["x"])
    preflight = (ROLE / "tasks" / "preflight.yml").read_text(encoding="utf-8")
    assert "query('siak_switch_platforms')" in preflight
    assert not [p for p in sw.PLATFORMS if p in preflight]


def test_developing_md_lists_the_commands_of_the_table():
    """Column 2: the commands of step 3's checks; column 3: those of the environment check."""
    text = (ROOT / "docs" / "DEVELOPING.md").read_text(encoding="utf-8")
    section = text.split("\n## Switch commands", 1)[1].split("\n## ", 1)[0]
    rows, env = {}, {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[1].startswith("`"):
            continue
        name = cells[0].split()[0]
        ntc = re.search(r"\(ntc: (\w+)\)", cells[0])
        assert (ntc.group(1) if ntc else name) == sw.PARSER_TABLE[name]["ntc_platform"], name
        rows[name] = re.findall(r"`([^`]+)`", cells[1])
        env[name] = re.findall(r"`([^`]+)`", cells[2])
    assert rows == {p: sw.commands_for(p, sw.CHECKS) for p in sw.PLATFORMS}
    assert env == {p: sw.commands_for(p, [sw.ENVIRONMENT]) for p in sw.PLATFORMS}


def test_every_reading_is_read_by_a_check_that_sends_its_command():
    for platform, entry in sw.PARSER_TABLE.items():
        for command, readings in entry["parsers"].items():
            checks = [check for check, commands in entry["commands"].items() if command in commands]
            read = {section for check in checks for section in CHECK_SECTIONS[check]}
            for reading in readings:
                assert reading["section"] in read, (platform, command, reading["section"])
