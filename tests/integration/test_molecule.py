"""Every role's molecule scenario (molecule/<scenario>/), run against the lab.

Each scenario: syntax, converge, idempotence (a second run changes nothing), verify
(testinfra). Base settings shared by all scenarios: .config/molecule/config.yml.

The scenarios run two at a time, the longest first (about half of a scenario's time is
waiting on the lab's hosts and switches): none stages a fault, and each keeps its records
and state in its own ephemeral folder. Each scenario is still its own test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted(p.parent.name for p in (ROOT / "molecule").glob("*/molecule.yml"))

pytestmark = pytest.mark.lab


def test_every_role_has_a_scenario():
    roles = sorted(p.name for p in (ROOT / "roles").iterdir() if (p / "tasks").is_dir())
    assert roles and sorted(set(roles) - set(SCENARIOS)) == []


# The scenarios that take longest (15 to 46 s each, alone, on the 2-core test machine) start
# first, so that the two workers finish about together.
LONGEST_FIRST = ["siak_host_check", "siak_schedule", "siak_assess", "siak_perf", "siak_switch_check"]


def _molecule_test(scenario):
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), NO_COLOR="1", ANSIBLE_NOCOLOR="1",
               PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    try:
        proc = subprocess.run([str(Path(sys.executable).parent / "molecule"), "test", "-s", scenario],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    except subprocess.TimeoutExpired as exc:
        return None, "molecule test -s %s ran over %d s" % (scenario, exc.timeout)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def molecule_runs(lab, request):
    """The selected scenarios' ``molecule test`` started at once on two workers: scenario -> future (rc, log)."""
    selected = {item.callspec.params["scenario"] for item in request.session.items
                if item.originalname == "test_molecule_scenario" and hasattr(item, "callspec")}
    order = [s for s in LONGEST_FIRST if s in selected] + sorted(selected - set(LONGEST_FIRST))
    with ThreadPoolExecutor(2) as pool:
        yield {scenario: pool.submit(_molecule_test, scenario) for scenario in order}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_molecule_scenario(molecule_runs, scenario):
    rc, log = molecule_runs[scenario].result()
    assert rc == 0, log[-8000:]
    for action in ("syntax", "converge", "idempotence", "verify"):
        assert "%s > %s: Executed: Successful" % (scenario, action) in log, log[-4000:]
    # A scenario with a prepare step prepares every time: run again in the same checkout, it
    # would otherwise skip it ("instances already prepared") and verify an earlier run's work.
    if (ROOT / "molecule" / scenario / "prepare.yml").is_file():
        assert "%s > prepare: Executed: Successful" % scenario in log and "already prepared" not in log, log[-4000:]
    summary = re.findall(r"=+ (\d+ passed[^=]*) in [\d.]+s", log)
    assert summary, "the verifier ran no test:\n" + log[-4000:]
    # A testinfra test skipped for want of a host proves nothing: it must fail the scenario.
    assert all("skipped" not in s and "failed" not in s for s in summary), summary
