"""Every role's molecule scenario (molecule/<scenario>/), run against the lab.

Each scenario: syntax, converge, idempotence (a second run changes nothing), verify
(testinfra). Base settings shared by all scenarios: .config/molecule/config.yml.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted(p.parent.name for p in (ROOT / "molecule").glob("*/molecule.yml"))

pytestmark = pytest.mark.lab


def test_every_role_has_a_scenario():
    roles = sorted(p.name for p in (ROOT / "roles").iterdir() if (p / "tasks").is_dir())
    assert roles and sorted(set(roles) - set(SCENARIOS)) == []


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_molecule_scenario(lab, scenario):
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), NO_COLOR="1", ANSIBLE_NOCOLOR="1",
               PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    proc = subprocess.run([str(Path(sys.executable).parent / "molecule"), "test", "-s", scenario],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-8000:]
    for action in ("syntax", "converge", "idempotence", "verify"):
        assert "%s > %s: Executed: Successful" % (scenario, action) in log, log[-4000:]
    summary = re.findall(r"=+ (\d+ passed[^=]*) in [\d.]+s", log)
    assert summary, "the verifier ran no test:\n" + log[-4000:]
    # A testinfra test skipped for want of a host proves nothing: it must fail the scenario.
    assert all("skipped" not in s and "failed" not in s for s in summary), summary
