"""Verify SOP step 3 (network) on the lab's switches, from the second round's records."""

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from lab.switches.table import SWITCHES as LAB_SWITCHES  # noqa: E402  pylint: disable=wrong-import-position

DATA = json.loads((Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "records.json").read_text())
SWITCHES = sorted(DATA["uplinks"])


def _of(switch, category=None):
    return [r for r in DATA["records"] if r["target"] == switch and (category is None or r["category"] == category)]


def test_every_lab_switch_was_checked():
    # the lab has one switch per platform of the platform table (tests/unit/test_switch_render.py)
    assert SWITCHES == sorted(entry["name"] for entry in LAB_SWITCHES)


@pytest.mark.parametrize("switch", SWITCHES)
def test_the_switch_answered_and_every_check_gave_records(switch):
    assert _of(switch, "switch") == []
    assert sorted(r["item"] for r in _of(switch, "device")) == ["uptime", "version"]
    assert len(_of(switch, "port")) >= 5
    assert len(_of(switch, "port-errors")) >= 5
    assert len(_of(switch, "cpu")) == 1
    assert {r["step"] for r in _of(switch)} == {3}


@pytest.mark.parametrize("switch", SWITCHES)
def test_every_record_of_the_healthy_lab_is_ok(switch):
    assert [r["message"] for r in _of(switch) if r["status"] != "OK"] == []


@pytest.mark.parametrize("switch", SWITCHES)
def test_error_rates_carry_thresholds_interval_and_raw_counters(switch):
    for rec in _of(switch, "port-errors"):
        assert rec["unit"] == "%" and rec["warn"] == 0.01 and rec["crit"] == 0.1
        assert rec["details"]["interval_s"] > 0 and rec["details"]["counters"]


@pytest.mark.parametrize("switch", SWITCHES)
def test_the_required_uplinks_are_reported_and_up(switch):
    uplinks = [r for r in _of(switch, "port") if (r.get("details") or {}).get("uplink")]
    assert len(uplinks) == len(DATA["uplinks"][switch]) and all(r["status"] == "OK" for r in uplinks)


def test_the_state_for_the_next_round_is_on_the_admin_machine(host):
    state = Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "switch-state"
    for switch in SWITCHES:
        assert host.file(str(state / (switch + ".json"))).is_file
