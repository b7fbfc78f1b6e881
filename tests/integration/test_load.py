"""Load: a round over a large office (50 hosts, 20 switches) completes with no target
missing and no record lost.

The lab is resized for this module only and set back to the default office afterwards
(hosts and switches beyond it are removed; the default ones are kept running). Every
workstation is built like siak-ws01 and every added switch ``sw-labNN`` copies one of the
five default switches, so each must give the same records (step, category, item) as the
one it copies: a record missing on one of fifty hosts is a record lost.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from ansible.module_utils.siak_result import validate

from .helpers import load_round, output_of, run_playbook

pytestmark = [pytest.mark.lab, pytest.mark.load]

WORKSTATIONS = 46  # + 4 servers = 50 hosts
SWITCHES = 20


@pytest.fixture(scope="module")
def large_round(lab, tmp_path_factory):
    from lab import office, siaklab
    from lab.switches import table

    big = siaklab.up(quiet=True, workstations=WORKSTATIONS, switches=SWITCHES)
    try:
        report_dir = tmp_path_factory.mktemp("reports")
        # Steps 2 and 3 and the report: what grows with the office (step 4's probes are the
        # inventory's fixed list, tested in test_perf.py). A short first-round interval.
        extravars = {"siak_report_dir": str(report_dir), "siak_state_dir": str(tmp_path_factory.mktemp("state")),
                     "siak_switch_check_first_sample_interval": 1}
        runner = run_playbook("playbooks/maintenance.yml", tmp_path_factory.mktemp("run"), extravars=extravars,
                              cmdline="--tags step2,step3,report")
        data = load_round(report_dir)
    finally:
        siaklab.up(quiet=True, workstations=office.DEFAULT_WORKSTATIONS, switches=office.DEFAULT_SWITCHES)
    template_of = {e["name"]: table.SWITCHES[i % len(table.SWITCHES)]["name"]
                   for i, e in enumerate(table.switch_table(count=SWITCHES))}
    return {"lab": big, "runner": runner, "data": data, "template_of": template_of}


def _identities(records):
    by_target = defaultdict(set)
    for rec in records:
        by_target[rec["target"]].add((rec["step"], rec["category"], rec["item"]))
    return by_target


def test_the_large_round_finishes_and_every_record_honours_the_contract(large_round):
    runner, data = large_round["runner"], large_round["data"]
    assert runner.status == "successful", output_of(runner)
    assert data["records"] and [r for r in data["records"] if validate(r)] == []


def test_no_target_is_missing(large_round):
    lab, data = large_round["lab"], large_round["data"]
    assert len(lab["hosts"]) == 4 + WORKSTATIONS and len(lab["switches"]) == SWITCHES
    expected = set(lab["hosts"]) | {s["name"] for s in lab["switches"]}
    seen = _identities(data["records"])
    missing = {t for t in expected if not {s for s, _c, _i in seen.get(t, ())} >= {2, 3}}
    assert missing == set(), f"targets without step-2 and step-3 records: {sorted(missing)}"
    assert expected <= set(data["grades"]), sorted(expected - set(data["grades"]))


def test_no_record_is_lost(large_round):
    seen = _identities(large_round["data"]["records"])
    lost = {}
    for n in range(2, WORKSTATIONS + 1):
        name = f"siak-ws{n:02d}"
        if seen[name] != seen["siak-ws01"]:
            lost[name] = sorted(seen["siak-ws01"] ^ seen[name])
    for name, template in large_round["template_of"].items():
        if seen[name] != seen[template]:
            lost[name] = sorted(seen[template] ^ seen[name])
    assert lost == {}, lost


def test_the_copies_are_as_healthy_as_what_they_copy(large_round):
    data = large_round["data"]
    status = {(r["target"], r["step"], r["category"], r["item"]): r["status"] for r in data["records"]}
    differ = [key for key, value in status.items()
              if key[0].startswith("siak-ws") and status.get(("siak-ws01",) + key[1:]) != value
              and key[2] not in ("time",)]  # clock offset may differ by a few ms between hosts
    assert differ == [], differ[:10]
