"""Verify SOP step 4 on the lab: every probe measured, healthy services OK."""

import json
import os
from pathlib import Path


def _records():
    return json.loads((Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "records.json").read_text())


def test_every_probe_of_the_lab_answered(host):
    records = _records()
    assert {r["category"] for r in records} == {"http", "tcp", "link"}
    assert {r["target"] for r in records} >= {"siak-app01", "siak-db01", "pusat-dc", "gateway"}
    assert all(r["status"] == "OK" and r["step"] == 4 for r in records), records
    http = [r for r in records if r["category"] == "http"]
    assert all(r["unit"] == "ms" and 0 < r["value"] < r["warn"] for r in http)
    assert all(r["details"]["stats_ms"]["p50"] <= r["details"]["stats_ms"]["p95"] for r in http)
    # The lab's list measures the application from the service counter siak-ws01 too.
    assert {r["details"]["measured_from"] for r in records} == {"mesin admin", "siak-ws01"}
