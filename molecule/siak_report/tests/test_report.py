"""Verify the records: HTML, JSON, CSV and the history, written on the admin machine."""

import json
import os
from pathlib import Path

REPORTS = Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "reports"


def test_the_round_files_exist_for_the_operator_and_group_only(host):
    assert host.file(str(REPORTS)).mode == 0o750
    assert host.file(str(REPORTS / "molecule-report")).mode == 0o750
    for name in ("index.html", "results.json", "results.csv", "round.json"):
        f = host.file(str(REPORTS / "molecule-report" / name))
        assert f.is_file and f.mode == 0o640
    status = json.loads(host.file(str(REPORTS / "molecule-report" / "round.json")).content_string)
    assert status["complete"] is True and status["summary"]["status"] == "CRITICAL"


def test_the_json_carries_the_records_and_grades():
    data = json.loads((REPORTS / "molecule-report" / "results.json").read_text())
    assert data["format"] == "siak-maintenance-round/1"
    assert data["summary"]["status"] == "CRITICAL"
    assert data["grades"]["siak-app01"]["grade"] == "Kurang"  # a critical disk
    assert data["grades"]["siak-ws01"]["grade"] == "Baik"
    assert len(data["records"]) == 4


def test_the_html_is_the_signed_report(host):
    html = host.file(str(REPORTS / "molecule-report" / "index.html")).content_string
    assert "LAPORAN HASIL PEMELIHARAAN APLIKASI DAN JARINGAN SIAK" in html
    assert "Drs. Contoh Pejabat" in html and "NIP 197001012000031001" in html
    assert "Disk /srv/data terpakai 92 %" in html
    assert "Kritis" in html


def test_the_history_lists_the_round(host):
    history = json.loads(host.file(str(REPORTS / "history.json")).content_string)
    assert [h["id"] for h in history] == ["molecule-report"]
    assert "molecule-report/index.html" in host.file(str(REPORTS / "index.html")).content_string
