"""The hardware assessment checklist on the lab: step-2 rounds with their report.

Every lab host and switch has hardware rows in results.json's ``hardware`` section and in
reports/<id>/ceklis-perangkat-keras.html; a host taken offline is Rusak with one row
saying why; a second round sees the first round's hardware as the previous one; staged
SMART, NVMe, disk, temperature, UPS, RAM and switch power/fan/heat faults are seen and
graded (software RAID cannot be staged here: no md driver; its judge is unit-tested).
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
    """Two step-2 rounds with their report into one folder and one state: the first on the
    healthy office, the second with the hardware faults of FAULTS staged and siak-ws03 offline."""
    from lab import siaklab

    report_dir = tmp_path_factory.mktemp("reports")
    state_dir = tmp_path_factory.mktemp("state")
    tmp = tmp_path_factory.mktemp("run")
    extravars = {"siak_report_dir": str(report_dir), "siak_state_dir": str(state_dir)}
    first = run_playbook("playbooks/maintenance.yml", tmp / "a", extravars=extravars, cmdline="--tags step2,report")
    first_round = load_round(report_dir)
    staged = [*FAULTS, "siak-ws03"]
    try:
        for target, faults in FAULTS.items():
            for kind, params in faults:
                siaklab.fault(target, kind, **params)
        siaklab.fault("siak-ws03", "offline")
        second = run_playbook("playbooks/maintenance.yml", tmp / "b", extravars=extravars, cmdline="--tags step2,report")
        second_round = load_round(report_dir)
    finally:
        for target in staged:
            siaklab.reset(target)
    return {"dir": report_dir, "state": state_dir, "first": (first, first_round), "second": (second, second_round)}


def test_the_rounds_finish_and_conform_to_the_schema(rounds):
    for key in ("first", "second"):
        runner, data = rounds[key]
        assert runner.status == "successful", output_of(runner)
        assert results_problems(data) == []


def test_every_host_and_switch_has_hardware_rows(rounds, lab):
    data = rounds["first"][1]
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
        # A host with no UPS configured: not applicable, never a WARNING; siak-app01 has one.
        if target == "siak-app01":
            assert "hw-ups" in categories
        else:
            assert "hw-ups" in {n["category"] for n in data["hardware"][target]["not_applicable"]}, target
            assert "hw-ups" not in categories


def test_a_healthy_office_is_all_ok_and_baik(rounds, lab):
    """Every healthy target is seen as OK: no hardware record other than OK, every grade Baik."""
    data = rounds["first"][1]
    for target in _targets(lab):
        bad = [(r["category"], r["item"], r["status"], r["message"]) for r in _hardware_records(data, target)
               if r["status"] != "OK"]
        assert bad == [], target
        assert data["hardware"][target]["grade"] == "Baik", (target, data["hardware"][target])
    app = {(r["category"], r["item"]) for r in _hardware_records(data, "siak-app01")}
    assert {("hw-disk", "sda"), ("hw-ups", "ups@localhost"), ("hw-temp", "thermal_zone0 x86_pkg_temp")} <= app
    assert ("hw-disk", "nvme0n1") in {(r["category"], r["item"]) for r in _hardware_records(data, "siak-bak01")}


# The faults of the third round: target -> [(kind, params)], and what each must be seen as.
FAULTS = {
    "siak-app01": [("smart-failing", {}), ("ups-on-battery", {})],
    "siak-db01": [("disk-removed", {})],
    "siak-bak01": [("smart-nvme-worn", {})],
    "siak-ntp01": [("temp-high", {"celsius": 97})],
    "siak-ws01": [("ram-shrink", {"total_mb": 1024})],
    "sw-core01": [("psu-fail", {})],
    "sw-dist01": [("fan-fail", {})],
    "sw-akses01": [("temp-high", {})],
}
EXPECTED = {  # (target, category, item) -> status
    ("siak-app01", "hw-disk", "sda"): "CRITICAL",
    ("siak-app01", "hw-ups", "ups@localhost"): "WARNING",
    ("siak-db01", "hw-disk", "sda"): "CRITICAL",
    ("siak-bak01", "hw-disk", "nvme0n1"): "CRITICAL",
    ("siak-ntp01", "hw-temp", "thermal_zone0 x86_pkg_temp"): "CRITICAL",
    ("siak-ws01", "hw-memory", "ram"): "WARNING",
    ("sw-core01", "hw-power", "PS 1A"): "CRITICAL",
    ("sw-dist01", "hw-fan", "FAN1"): "CRITICAL",
}
GRADES = {"siak-app01": "Rusak", "siak-db01": "Rusak", "siak-bak01": "Rusak", "siak-ntp01": "Rusak",
          "siak-ws01": "Kurang", "sw-core01": "Rusak", "sw-dist01": "Rusak", "sw-akses01": "Rusak"}


def test_staged_hardware_faults_are_seen_and_graded(rounds, lab):
    runner, data = rounds["second"]
    assert runner.status == "successful", output_of(runner)
    assert results_problems(data) == []
    got = {(r["target"], r["category"], r["item"]): r for r in data["records"]
           if r["step"] == 2 and r["category"].startswith(HW_ROW)}
    for key, status in EXPECTED.items():
        assert key in got, (key, sorted(k for k in got if k[0] == key[0]))
        assert got[key]["status"] == status, got[key]
    # The removed disk is named as gone since the previous round; the RAM as shrunk.
    gone = got[("siak-db01", "hw-disk", "sda")]
    assert gone["value"] == "missing" and gone["message"].endswith("ada pada ronde sebelumnya, sekarang tidak ditemukan.")
    assert "1,0 GiB" in got[("siak-ws01", "hw-memory", "ram")]["message"], got[("siak-ws01", "hw-memory", "ram")]
    # A failed supply is named with the switch's own words (a cable to check, not a part to replace).
    assert got[("sw-core01", "hw-power", "PS 1A")]["message"].endswith("switch menyebut: No Input Power")
    # The switch sensor above its own critical point.
    akses = [r for k, r in got.items() if k[0] == "sw-akses01" and k[1] == "hw-temp"]
    assert any(r["status"] == "CRITICAL" for r in akses), akses
    for target, grade in GRADES.items():
        assert data["hardware"][target]["grade"] == grade, (target, data["hardware"][target]["grade"])
    # The targets with no fault stay Baik (siak-ws03 is offline in this round).
    for target in _targets(lab) - set(FAULTS) - {"siak-ws03"}:
        assert data["hardware"][target]["grade"] == "Baik", target
    # Beside this round, the previous round's hardware: the disk that went away is there.
    previous = data["hardware"]["siak-db01"]["previous_hardware"]
    assert "sda" in {d["name"] for d in previous["disks"]}
    assert "sda" not in {d["name"] for d in data["hardware"]["siak-db01"]["hardware"]["disks"]}


def test_the_hardware_reading_never_makes_a_reachable_target_unreachable(rounds, lab):
    data = rounds["first"][1]
    reach = {(r["target"], r["item"]): r["status"] for r in data["records"] if r["step"] == 2 and r["category"] == "reach"}
    assert all(reach[(t, "ssh")] == "OK" for t in _targets(lab))
    assert not [r for r in data["records"] if r["step"] == 2 and r["category"] == "hw-system"
                and r["status"] == "UNKNOWN" and "Pemeriksaan gagal dijalankan" in r["message"]]


def test_an_offline_host_is_rusak_with_one_row_saying_why(rounds):
    data = rounds["second"][1]
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
    data = rounds["second"][1]
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
