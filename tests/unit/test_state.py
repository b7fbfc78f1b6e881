"""The state kept between rounds: checked before use, written atomically, only when handed on."""

import json
import os
import sys
from pathlib import Path

import pytest

from ansible.module_utils.siak_files import write_files
from ansible.module_utils.siak_state import state_problems

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "filter_plugins"))
import siak_state as F  # noqa: E402


HOST = {"time": 1764650000.5, "boot_time": 1764600000,
        "logs": {"source": "file", "path": "/var/log/syslog", "inode": 1234, "offset": 56789, "time": 1764650000.5}}
SWITCH = {"schema": 1, "platform": "cisco_ios", "uptime": {"ts": 1764650000.0, "uptime_s": 8640000},
          "counters": {"ts": 1764650000.0, "ports": {"GigabitEthernet0/1": {"in_packets": 1200, "in_errors": 0}}}}


def test_good_states_have_no_problem():
    assert state_problems("host", HOST) == [] and state_problems("host", {}) == []
    assert state_problems("host", {"logs": {"source": "journal", "cursor": "s=abc", "time": 1.0}}) == []
    assert state_problems("switch", SWITCH) == [] and state_problems("switch", {"schema": 1}) == []


@pytest.mark.parametrize("kind, state", [
    ("host", []),
    ("host", {"boot_time": "yesterday"}),
    ("host", {"boot_time": True}),
    ("host", {"logs": "syslog"}),
    ("host", {"logs": {"source": "file", "path": "/var/log/syslog", "inode": 1, "offset": -5}}),
    ("host", {"logs": {"source": "file", "path": 7, "inode": 1, "offset": 5}}),
    ("host", {"logs": {"source": "tape"}}),
    ("switch", {"schema": 99}),
    ("switch", dict(SWITCH, uptime={"ts": "now", "uptime_s": 1})),
    ("switch", dict(SWITCH, counters={"ts": 1.0, "ports": {"Gi0/1": {"in_errors": "3"}}})),
    ("switch", dict(SWITCH, counters={"ts": 1.0, "ports": ["Gi0/1"]})),
    ("switch", dict(SWITCH, counters={"ts": 1.0, "ports": {"Gi0/1": {"in_errors": 1.5}}})),
])
def test_valid_json_with_wrong_types_is_a_problem(kind, state):
    assert state_problems(kind, state)


def test_a_damaged_or_wrongly_typed_state_file_is_a_first_round_with_a_warning(capsys):
    assert F.siak_state_load(json.dumps(HOST), "host", "siak-app01") == HOST
    assert F.siak_state_load(json.dumps(SWITCH), "switch", "sw-core01") == SWITCH
    assert F.siak_state_load("", "host", "h") == {}
    for text in ("{truncated", "[1, 2]", json.dumps({"boot_time": "x"})):
        assert F.siak_state_load(text, "host", "siak-ws01") == {}
    assert F.siak_state_load(json.dumps({"schema": 1, "counters": {"ts": 1, "ports": {"p": {"in_errors": "x"}}}}),
                             "switch", "sw-kec01") == {}
    warnings = capsys.readouterr()
    assert "siak-ws01" in warnings.err + warnings.out and "sw-kec01" in warnings.err + warnings.out


def test_pending_states_come_from_the_targets_only():
    hostvars = {"a": {"siak_host_check_state_new": {"path": "/s/hosts/a.json", "state": HOST}, "x": 1},
                "sw": {"siak_switch_check_state_new": {"path": "/s/switches/sw.json", "state": SWITCH}},
                "other": {"siak_host_check_state_new": {"path": "/s/hosts/other.json", "state": HOST}},
                "broken": {"siak_host_check_state_new": {"path": "", "state": HOST}}}
    out = F.siak_pending_states(hostvars, ["a", "sw", "broken", "missing"])
    assert [e["path"] for e in out] == ["/s/hosts/a.json", "/s/switches/sw.json"]


def test_the_state_is_written_atomically_and_privately(tmp_path):
    path = tmp_path / "state" / "hosts" / "siak-app01.json"
    assert write_files([{"path": str(path), "state": HOST}]) == ([str(path)], [])
    assert json.loads(path.read_text()) == HOST
    assert oct(os.stat(path).st_mode & 0o777) == "0o640"
    assert oct(os.stat(path.parent).st_mode & 0o777) == "0o750"
    assert [p.name for p in path.parent.iterdir()] == ["siak-app01.json"]  # no temporary file left
