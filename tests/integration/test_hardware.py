"""The hardware assessment checklist on the lab (issue 9): a step-2 round with its report.

Every lab host and switch has hardware rows in results.json's ``hardware`` section and in
reports/<id>/ceklis-perangkat-keras.html; a host taken offline is Rusak with one row
saying why; a second round sees the first round's hardware as the previous one. (Staged
SMART, mdstat, UPS and temperature faults are left to the lab's own support for them.)
"""

from __future__ import annotations

import pytest

from ..chromium import chromium
from ..schemas import results_problems
from .helpers import load_round, output_of, run_playbook

pytestmark = pytest.mark.lab

HW_ROW = ("hw-", "raid")


def _targets(lab):
    return set(lab["hosts"]) - {"pusat-dc"} | {s["name"] for s in lab["switches"]}


def _hardware_records(data, target):
    return [r for r in data["records"]
            if r["target"] == target and r["step"] == 2 and r["category"].startswith(HW_ROW)]


@pytest.fixture(scope="module")
def rounds(lab, tmp_path_factory):
    """Two step-2 rounds with their report into one folder: the first with siak-ws03 offline."""
    from lab import siaklab

    report_dir = tmp_path_factory.mktemp("reports")
    state_dir = tmp_path_factory.mktemp("state")
    tmp = tmp_path_factory.mktemp("run")
    extravars = {"siak_report_dir": str(report_dir), "siak_state_dir": str(state_dir)}
    siaklab.fault("siak-ws03", "offline")
    try:
        first = run_playbook("playbooks/maintenance.yml", tmp / "a", extravars=extravars, cmdline="--tags step2,report")
        first_round = load_round(report_dir)
    finally:
        siaklab.reset("siak-ws03")
    second = run_playbook("playbooks/maintenance.yml", tmp / "b", extravars=extravars, cmdline="--tags step2,report")
    second_round = load_round(report_dir)
    return {"dir": report_dir, "state": state_dir, "first": (first, first_round), "second": (second, second_round)}


def test_the_rounds_finish_and_conform_to_the_schema(rounds):
    for key in ("first", "second"):
        runner, data = rounds[key]
        assert runner.status == "successful", output_of(runner)
        assert results_problems(data) == []


def test_every_host_and_switch_has_hardware_rows(rounds, lab):
    data = rounds["second"][1]
    assert set(data["hardware"]) == _targets(lab)
    for target in _targets(lab):
        info = data["hardware"][target]
        assert info["checked"] is True, (target, info)
        assert isinstance(info["hardware"], dict) and info["hardware"].get("system") is not None, (target, info)
        records = _hardware_records(data, target)
        assert records, target
        assert ("hw-system", "system") in {(r["category"], r["item"]) for r in records}, (target, records)
        # A check that does not apply is a "tidak berlaku" entry, never a record.
        assert not {(n["category"], n["item"]) for n in info["not_applicable"]} & {
            (r["category"], r["item"]) for r in records}
    for target in set(lab["hosts"]) - {"pusat-dc"}:
        categories = {r["category"] for r in _hardware_records(data, target)}
        assert {"hw-system", "hw-cpu", "hw-memory"} <= categories, (target, categories)
        # No UPS is configured in the lab: not applicable, never a WARNING.
        assert "hw-ups" in {n["category"] for n in data["hardware"][target]["not_applicable"]}, target
        assert "hw-ups" not in categories


def test_the_hardware_reading_never_makes_a_reachable_target_unreachable(rounds, lab):
    data = rounds["second"][1]
    reach = {(r["target"], r["item"]): r["status"] for r in data["records"] if r["step"] == 2 and r["category"] == "reach"}
    assert all(reach[(t, "ssh")] == "OK" for t in _targets(lab))
    assert not [r for r in data["records"] if r["step"] == 2 and r["category"] == "hw-system"
                and r["status"] == "UNKNOWN" and "Pemeriksaan gagal dijalankan" in r["message"]]


def test_an_offline_host_is_rusak_with_one_row_saying_why(rounds):
    data = rounds["first"][1]
    ws03 = data["hardware"]["siak-ws03"]
    assert ws03["grade"] == "Rusak" and ws03["checked"] is False and ws03["hardware"] is None
    assert "tidak dapat dihubungi" in ws03["reason"].lower()
    assert _hardware_records(data, "siak-ws03") == []
    # The step-2 records of an offline host stay the one reach/ssh record.
    step2 = [r for r in data["records"] if r["target"] == "siak-ws03" and r["step"] == 2]
    assert [(r["category"], r["item"]) for r in step2] == [("reach", "ssh")]


def test_the_second_round_has_the_first_rounds_hardware_beside_it(rounds):
    first, second = rounds["first"][1], rounds["second"][1]
    for target, info in second["hardware"].items():
        if target == "siak-ws03" or not first["hardware"][target]["checked"]:
            continue
        assert info["previous_hardware"] is not None, target
        assert info["previous_hardware"].get("system") == first["hardware"][target]["hardware"].get("system"), target
    assert (rounds["state"] / "hardware" / "siak-app01.json").is_file()


def test_the_checklist_document_lists_every_device_in_a_real_browser(rounds, lab, tmp_path):
    data = rounds["first"][1]
    folder = rounds["dir"] / data["round"]["id"]
    assert 'href="ceklis-perangkat-keras.html"' in (folder / "index.html").read_text()
    page = folder / "ceklis-perangkat-keras.html"
    dom = chromium("--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = dom.stdout
    assert "CEKLIS PENILAIAN PERANGKAT KERAS" in text
    for target in _targets(lab):
        assert target in text, target
    for word in ("Sistem", "Prosesor", "Memori (RAM)", "Tidak berlaku", "Rusak", "Nomor inventaris barang"):
        assert word in text, word
    pdf = tmp_path / "ceklis.pdf"
    printed = chromium("--no-pdf-header-footer", "--print-to-pdf=" + str(pdf), page.as_uri())
    assert printed.returncode == 0 and pdf.stat().st_size > 10_000
