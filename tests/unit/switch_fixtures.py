"""Captured switch output for the unit tests (tests/unit/fixtures/switch/).

Fixtures are named <platform>__<command>__<origin>.txt, the command with its leading '/'
dropped and spaces as '_':
  real     captured from real switches (copied byte for byte from ntc-templates'
           test data; tests/unit/fixtures/switch/README.md names each source);
  fakenos  FakeNOS 1.2.1's stock output (itself captured from real devices);
  format   written here in the vendor's real output format (no capture exists);
  derived  a real capture with other numbers;
  assembled  a real capture's piece put together with lines written in the vendor's
           format, where no capture of the whole output exists (the README says which
           lines are which).
A real capture of a command the platform does not send (cisco_ios `show environment power
all`, a 2960-S's supply table, and `show environment temperature`, a 3850 stack's
sensors: both printed the same inside `show environment all`) is named the same way and
read by its own tests only; outputs_for() leaves it out.
"""

from pathlib import Path

from ansible.module_utils.siak_switch_platforms import PARSER_TABLE

FIXTURES = Path(__file__).parent / "fixtures" / "switch"


def fixture_name(platform, command, origin):
    """The file name of one fixture."""
    return "%s__%s__%s.txt" % (platform, command.lstrip("/").replace(" ", "_"), origin)


def fixture(platform, command, origin):
    return (FIXTURES / fixture_name(platform, command, origin)).read_text(encoding="utf-8")


def outputs_for(platform):
    """Every fixture of a platform, as the outputs of one session (command -> text)."""
    commands = {fixture_name(platform, command, "")[:-len("__.txt")]: command
                for command in PARSER_TABLE[platform]["parsers"]}
    out = {}
    for path in sorted(FIXTURES.glob(platform + "__*.txt")):
        stem = path.name.rsplit("__", 1)[0]
        if stem in commands:
            out[commands[stem]] = path.read_text(encoding="utf-8")
    return out


def stamped(records):
    """Records as the siak_records filter would stamp them (for validate())."""
    return [dict(r, step=3, target="sw") for r in records]
