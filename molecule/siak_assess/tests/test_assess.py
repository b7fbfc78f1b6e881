"""Verify SOP step 2 on the lab: every target reached, graded from real records, nothing changed."""

import json
import os
from pathlib import Path


def _scratch(name):
    return json.loads((Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / name).read_text())


def test_every_lab_target_has_a_reach_record_that_is_ok():
    records = [r for r in _scratch("records.json") if r["step"] == 2 and r["category"] == "reach"]
    targets = {r["target"] for r in records}
    assert {"siak-app01", "siak-db01", "siak-ws01"} <= targets
    assert any(t.startswith("sw-") for t in targets)
    assert all(r["status"] == "OK" for r in records), records
    # A host: the login and a module that ran; a switch: its SSH port.
    for target in targets:
        items = sorted(r["item"] for r in records if r["target"] == target)
        assert items == (["ssh"] if target.startswith("sw-") else ["modul", "ssh"]), (target, items)


def test_the_assessment_changed_nothing_on_any_host():
    """Same listening ports, files (path, size, mtime, mode, owner) and packages before and after the role."""
    snapshots = _scratch("snapshots.json")
    assert {"siak-app01", "siak-db01", "siak-ws01"} <= set(snapshots)
    for host, snap in snapshots.items():
        before, after = snap["before"], snap["after"]
        assert [line.split(":")[0] for line in before] == ["ports", "files", "packages"], (host, before)
        assert ":0016" in before[0], (host, before[0])  # sshd's port 22 is listed: the fingerprint saw the host
        assert after == before, host
