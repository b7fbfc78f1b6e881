"""A Catalyst 2960-S / 2960-X, the access switch most district offices have: its `show
environment all` has one-line verdicts ("FAN is OK", "TEMPERATURE is OK"), one sensor
without a sensor word, one "Built-in" supply per stack member with only its Sys Pwr word
(the real 2960-S capture's table), and an RPS table that names no supply.

The switches are the lab's own simulator (FakeNOS, lab/switches/server.py) started
PRIVATELY with ``layouts={"sw-core01": "2960"}`` on 127.0.0.1:27311-27315, state under
/tmp/siaklab-2960-test: neither root nor the shared lab is needed. The switch check runs
as Ansible runs it (the module file, in a Python of its own).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from ansible.module_utils.siak_result import validate
from lab import switchlab

from .helpers import MODULE_RUNNER, ROOT

PORT_BASE = 27311
STATE_DIR = Path(tempfile.gettempdir()) / "siaklab-2960-test"
NAME = "sw-core01"


@pytest.fixture(scope="module")
def catalyst():
    switchlab.stop(STATE_DIR)
    shutil.rmtree(STATE_DIR, ignore_errors=True)
    switches = switchlab.start(STATE_DIR, port_base=PORT_BASE, layouts={NAME: "2960"})
    yield {s["name"]: s for s in switches}[NAME]
    switchlab.stop(STATE_DIR)
    shutil.rmtree(STATE_DIR, ignore_errors=True)


@pytest.fixture()
def staged():
    yield lambda kind, **params: switchlab.fault(STATE_DIR, NAME, kind, **params)
    switchlab.reset(STATE_DIR, NAME)


def _environment(sw, tmp_path):
    """(records, hardware, not_applicable) of the environment check, run as Ansible runs the module."""
    args = {"platform": "cisco_ios", "host": sw["host"], "port": sw["port"], "username": sw["username"],
            "password": sw["password"], "state": {}, "checks": ["environment"], "conn_timeout": 10,
            "command_timeout": 20, "known_hosts": sw["known_hosts"]}
    (tmp_path / "args.json").write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", MODULE_RUNNER, str(ROOT / "library" / "siak_switch_check.py"),
                           str(ROOT / "module_utils"), str(tmp_path / "args.json")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    assert all(validate(dict(r, step=2, target=NAME)) == [] for r in result["records"]), result["records"]
    return result["records"], result["hardware"], result["not_applicable"]


def _by_key(records):
    return {(r["category"], r["item"]): r for r in records}


def test_a_healthy_2960_is_read_whole(catalyst, tmp_path):
    records, hardware, not_applicable = _environment(catalyst, tmp_path)
    got = _by_key(records)
    # The built-in supply, the one-line fan and the sensor without a sensor word: nothing is
    # "not reported" (before, the supply table was not read and power was "not applicable").
    assert got[("hw-power", "PS 1")]["status"] == "OK"
    assert got[("hw-fan", "Fan")]["status"] == "OK"
    assert got[("hw-temp", "System")]["status"] == "OK" and got[("hw-temp", "System")]["value"] == 31.0
    assert not_applicable == []
    assert hardware["power"] == [{"name": "PS 1", "status": "ok"}]
    assert [r for r in records if r["status"] != "OK"] == []


def test_a_dead_built_in_supply_is_critical_with_the_switchs_word(catalyst, staged, tmp_path):
    staged("psu-fail", name="1")
    records, _hardware, _na = _environment(catalyst, tmp_path)
    supply = _by_key(records)[("hw-power", "PS 1")]
    assert supply["status"] == "CRITICAL"
    assert supply["message"] == "Catu daya rusak / tidak normal; switch menyebut: Bad"


def test_a_failed_fan_and_a_hot_switch_are_seen(catalyst, staged, tmp_path):
    staged("fan-fail", name="1")
    staged("temp-high", celsius=60)
    got = _by_key(_environment(catalyst, tmp_path)[0])
    assert got[("hw-fan", "Fan")]["status"] == "CRITICAL"
    assert got[("hw-temp", "System")]["status"] == "CRITICAL" and got[("hw-temp", "System")]["value"] == 60.0
