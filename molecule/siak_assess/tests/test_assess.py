"""Verify SOP step 2 on the lab: every target reached, graded from real records."""

import json
import os
from pathlib import Path


def _records():
    return json.loads((Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "records.json").read_text())


def test_every_lab_target_has_a_reach_record_that_is_ok():
    records = [r for r in _records() if r["step"] == 2 and r["category"] == "reach"]
    targets = {r["target"] for r in records}
    assert {"siak-app01", "siak-db01", "siak-ws01"} <= targets
    assert any(t.startswith("sw-") for t in targets)
    assert all(r["status"] == "OK" for r in records), records


def test_the_assessment_changed_nothing_on_the_host(host):
    # The role only looks: sshd still runs on the target it logged in to.
    assert host.process.filter(comm="sshd")
