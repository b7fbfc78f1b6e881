"""A whole maintenance round against the lab: the flow, the contract, the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ansible.module_utils.siak_result import validate

from ..chromium import chromium
from ..schemas import results_problems, round_status_problems
from .helpers import ROOT, load_round, output_of, run_playbook

pytestmark = pytest.mark.lab


def _targets(lab):
    return set(lab["hosts"]) - {"pusat-dc"} | {s["name"] for s in lab["switches"]}


@pytest.fixture(scope="module")
def rounds(lab, tmp_path_factory):
    """Two rounds into one report folder: the first with staged faults, the second healthy."""
    from lab import siaklab

    report_dir = tmp_path_factory.mktemp("reports")
    tmp = tmp_path_factory.mktemp("run")
    # The rounds' own state (switch samples, log positions): the second round compares with the first only.
    state_dir = tmp_path_factory.mktemp("state")
    extravars = {"siak_report_dir": str(report_dir), "siak_state_dir": str(state_dir)}
    siaklab.fault("siak-ws03", "offline")
    siaklab.fault("siak-app01", "service-stop", service="nginx")
    try:
        first = run_playbook("playbooks/maintenance.yml", tmp / "a", extravars=extravars)
        first_round = load_round(report_dir)
    finally:
        siaklab.reset("siak-ws03")
        siaklab.reset("siak-app01")
    second = run_playbook("playbooks/maintenance.yml", tmp / "b", extravars=extravars)
    second_round = load_round(report_dir)
    return {"dir": report_dir, "state": state_dir, "runs": tmp, "first": (first, first_round),
            "second": (second, second_round)}


def test_the_round_finishes_despite_a_host_that_is_down(rounds):
    runner, _ = rounds["first"]
    assert runner.status == "successful", output_of(runner)


def test_every_record_honours_the_contract(rounds):
    for key in ("first", "second"):
        records = rounds[key][1]["records"]
        assert records
        assert [r for r in records if validate(r)] == []


def test_the_rounds_files_conform_to_their_schema(rounds):
    """results.json and round.json as docs/schema/results.schema.json describes them."""
    for key in ("first", "second"):
        data = rounds[key][1]
        assert results_problems(data) == []
        status = json.loads((rounds["dir"] / data["round"]["id"] / "round.json").read_text())
        assert status["complete"] is True and round_status_problems(status) == []
        assert status["summary"] == data["summary"] and status["round"] == data["round"]


def test_no_target_disappears_from_the_report(rounds, lab):
    for key in ("first", "second"):
        seen = {r["target"] for r in rounds[key][1]["records"]}
        assert _targets(lab) <= seen


def test_an_offline_host_is_unknown_with_the_reason_and_graded_rusak(rounds):
    data = rounds["first"][1]
    ws03 = [r for r in data["records"] if r["target"] == "siak-ws03"]
    step2 = [r for r in ws03 if r["step"] == 2]
    assert len(step2) == 1 and step2[0]["status"] == "UNKNOWN"
    assert (step2[0]["category"], step2[0]["item"]) == ("reach", "ssh")
    # The SSH client's own line (the link is down: no route, or a timeout), not Ansible's wrapping.
    assert step2[0]["message"].startswith("Target tidak dapat dihubungi: ssh: connect to host 198.18.0.23 port 22: ")
    step3 = [r for r in ws03 if r["step"] == 3]
    assert len(step3) == 1 and step3[0]["status"] == "UNKNOWN"
    assert (step3[0]["category"], step3[0]["item"]) == ("check", "langkah 3")  # step 3's identity (STEP_IDENTITY)
    assert step3[0]["message"].startswith("Tidak diperiksa: pada langkah 2 (penilaian): Target tidak dapat dihubungi: ")
    assert data["grades"]["siak-ws03"]["grade"] == "Rusak"


def test_a_stopped_web_server_fails_the_performance_test(rounds):
    data = rounds["first"][1]
    http = [r for r in data["records"] if r["step"] == 4 and r["category"] == "http" and r["target"] == "siak-app01"]
    # Measured from the admin machine and from the service counter siak-ws01 (the lab's probe list).
    assert sorted(r["details"]["measured_from"] for r in http) == ["mesin admin", "siak-ws01"]
    assert all(r["status"] == "CRITICAL" and "connection refused" in r["message"] for r in http), http
    healthy = [r for r in rounds["second"][1]["records"]
               if r["step"] == 4 and r["category"] == "http" and r["target"] == "siak-app01"]
    assert len(healthy) == 2
    assert all(r["status"] == "OK" and r["unit"] == "ms" and r["value"] > 0 for r in healthy), healthy


def test_healthy_targets_are_reached_and_graded(rounds, lab):
    data = rounds["second"][1]
    step2 = [r for r in data["records"] if r["step"] == 2]
    assert {r["target"] for r in step2 if r["status"] == "OK" and r["category"] == "reach"} == _targets(lab)
    # A host gives the same two records whether its module ran or not (REACH_LOGIN, REACH_MODULE).
    assert {r["target"] for r in step2 if (r["item"], r["status"]) == ("modul", "OK")} == set(lab["hosts"]) - {"pusat-dc"}
    assert all(data["grades"][t]["grade"] in ("Baik", "Cukup") for t in _targets(lab))
    probes = [r for r in data["records"] if r["step"] == 4]
    assert probes and all(r["status"] == "OK" for r in probes), probes


def test_the_second_round_compares_with_the_first_and_keeps_it(rounds):
    first, second = rounds["first"][1], rounds["second"][1]
    assert second["round"]["previous"] == first["round"]["id"]
    assert (rounds["dir"] / first["round"]["id"] / "index.html").exists()
    history = json.loads((rounds["dir"] / "history.json").read_text())
    assert [h["id"] for h in history] == [second["round"]["id"], first["round"]["id"]]
    csv_lines = (rounds["dir"] / second["round"]["id"] / "results.csv").read_text().splitlines()
    assert len(csv_lines) == len(second["records"]) + 1


def test_the_report_renders_in_a_real_browser(rounds, lab, tmp_path):
    data = rounds["first"][1]
    page = rounds["dir"] / data["round"]["id"] / "index.html"
    dom = chromium("--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = dom.stdout
    assert "LAPORAN HASIL PEMELIHARAAN APLIKASI DAN JARINGAN SIAK" in text
    assert "Ceklist Penilaian Aplikasi dan Jaringan SIAK" in text
    for target in _targets(lab):
        assert target in text
    assert "Rusak" in text and "Kritis" in text
    pdf = tmp_path / "laporan.pdf"
    printed = chromium("--no-pdf-header-footer", "--print-to-pdf=" + str(pdf), page.as_uri())
    assert printed.returncode == 0 and pdf.stat().st_size > 10_000
    history = chromium("--dump-dom", (rounds["dir"] / "index.html").as_uri())
    assert data["round"]["id"] in history.stdout


def test_no_secret_reaches_any_file_a_round_wrote(rounds):
    """The switches' password and the lab's SSH key are in the inventory the rounds used: they
    must appear in none of the files the rounds wrote (reports, JSON, CSV, history, state,
    ansible-runner's artifacts: events, stdout, the command line, the environment)."""
    inventory = yaml.safe_load((ROOT / "inventory" / "lab" / "hosts.yml").read_text(encoding="utf-8"))
    switches = inventory["all"]["children"]["switches"]["hosts"]
    passwords = {host["siak_switch_password"] for host in switches.values()}
    assert passwords and all(len(p) >= 12 for p in passwords)  # distinctive enough to search for
    key_body = "".join(Path("/var/lib/siaklab/id_ed25519").read_text().splitlines()[1:-1])
    secrets = passwords | {key_body[:40], key_body[-40:]}
    written = [p for folder in (rounds["dir"], rounds["state"], rounds["runs"]) for p in folder.rglob("*") if p.is_file()]
    assert len(written) > 20 and any("artifacts" in str(p) for p in written)
    for path in written:
        text = path.read_bytes().decode("utf-8", "replace")
        for secret in secrets:
            assert secret not in text, "a secret is in %s" % path
