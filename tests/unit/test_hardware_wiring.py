"""Step 2's hardware wiring and the checklist, end to end on this machine (no lab).

``playbooks/maintenance.yml --tags step2,report`` runs against an inventory of local hosts
(``ansible_connection: local``) with a stand-in siak_host_hardware (tests/unit/fake_hardware,
put first on the module path): two rounds into one report folder, so that the second
compares with the hardware the first kept in the state. A host whose SSH port refuses is
Rusak; a host whose hardware module fails stays reachable and gets one UNKNOWN record; a
host with the check switched off says "tidak diperiksa".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ..schemas import results_problems

ROOT = Path(__file__).resolve().parents[2]
FAKE = Path(__file__).resolve().parent / "fake_hardware"


def _inventory(tmp_path):
    local = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    inventory = {"all": {"children": {
        "siak_hosts": {"children": {
            "app": {"hosts": {"hw-app": dict(local, siak_assess_smartctl="fake-shrink",
                                             siak_asset_number="02.06.03.02.001",
                                             siak_asset_location="<script>alert(1)</script>Ruang server",
                                             siak_asset_year=2019)}},
            "workstations": {"hosts": {
                "hw-broken": dict(local, siak_assess_smartctl="fake-fail"),
                "hw-off": dict(local, siak_assess_check_hardware=False),
                "hw-down": {"ansible_host": "127.0.0.1", "ansible_port": 1, "ansible_user": "nobody"},
            }}}},
        "switches": {"hosts": {}}}}}
    path = tmp_path / "hosts.yml"
    path.write_text(yaml.safe_dump(inventory))
    return path


def _round(tmp_path, inventory):
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
               ANSIBLE_LIBRARY="%s:%s" % (FAKE, ROOT / "library"), ANSIBLE_NOCOLOR="1")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    run = subprocess.run(
        ["ansible-playbook", "-i", str(inventory), str(ROOT / "playbooks" / "maintenance.yml"), "--tags", "step2,report",
         "-e", json.dumps({"siak_report_dir": str(tmp_path / "reports"), "siak_state_dir": str(tmp_path / "state")})],
        cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    history = json.loads((tmp_path / "reports" / "history.json").read_text())
    folder = tmp_path / "reports" / history[0]["id"]
    return json.loads((folder / "results.json").read_text()), (folder / "ceklis-perangkat-keras.html").read_text()


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hw")
    inventory = _inventory(tmp)
    return _round(tmp, inventory), _round(tmp, inventory), tmp


def test_every_target_has_its_hardware_section_and_the_document_conforms(rounds):
    for data, page in rounds[:2]:
        assert results_problems(data) == []
        assert set(data["hardware"]) == {"hw-app", "hw-broken", "hw-off", "hw-down"}
        assert "CEKLIS PENILAIAN PERANGKAT KERAS" in page
        for target in data["hardware"]:
            assert target in page


def test_a_host_that_is_down_is_rusak_and_has_no_hardware_record(rounds):
    (data, page), _second, _tmp = rounds
    assert data["hardware"]["hw-down"]["grade"] == "Rusak" and data["hardware"]["hw-down"]["checked"] is False
    step2 = [r for r in data["records"] if r["target"] == "hw-down" and r["step"] == 2]
    assert [(r["category"], r["item"], r["status"]) for r in step2] == [("reach", "ssh", "UNKNOWN")]


def test_a_failing_hardware_module_is_one_unknown_and_the_host_stays_reachable(rounds):
    (data, _page), _second, _tmp = rounds
    step2 = {(r["category"], r["item"]): r for r in data["records"] if r["target"] == "hw-broken" and r["step"] == 2}
    assert step2[("reach", "ssh")]["status"] == step2[("reach", "modul")]["status"] == "OK"
    assert step2[("hw-system", "system")]["status"] == "UNKNOWN"
    assert "smartctl hung: stand-in failure" in step2[("hw-system", "system")]["message"]
    assert data["hardware"]["hw-broken"]["grade"] == "Kurang" and data["hardware"]["hw-broken"]["checked"] is True


def test_a_host_with_the_check_switched_off_says_so_and_is_not_baik(rounds):
    (data, page), _second, _tmp = rounds
    off = data["hardware"]["hw-off"]
    assert off["checked"] is False and off["grade"] == "Kurang" and "siak_assess_check_hardware" in off["note"]
    assert not [r for r in data["records"] if r["target"] == "hw-off" and r["category"].startswith("hw-")]
    assert "Tidak diperiksa" in page


def test_the_second_round_compares_with_the_hardware_the_first_kept(rounds):
    (first, _), (second, page), tmp = rounds
    app1, app2 = first["hardware"]["hw-app"], second["hardware"]["hw-app"]
    assert app1["grade"] == "Baik" and app1["previous_hardware"] is None
    assert app1["asset"] == {"number": "02.06.03.02.001", "location": "<script>alert(1)</script>Ruang server",
                             "year": "2019", "owner": ""}
    assert app1["not_applicable"][0]["category"] == "hw-ups"
    assert app2["previous_hardware"]["memory"]["total_bytes"] == 32 * 1024 ** 3
    assert app2["hardware"]["memory"]["total_bytes"] == 16 * 1024 ** 3 and app2["grade"] == "Kurang"
    assert json.loads((tmp / "state" / "hardware" / "hw-app.json").read_text())["hardware"]["memory"]["total_bytes"] \
        == 16 * 1024 ** 3
    # Beside each other on the checklist; the hostile asset text is text.
    assert "<td>16 GiB</td><td>32 GiB</td>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Ruang server" in page and "<script>alert" not in page
    assert "Tidak berlaku" in page and "UPS tidak dikonfigurasi" in page
