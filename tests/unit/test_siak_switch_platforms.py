"""The platform table and the read-only guard (module_utils/siak_switch_platforms.py)."""

import pytest

from ansible.module_utils import siak_switch_platforms as sw


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

