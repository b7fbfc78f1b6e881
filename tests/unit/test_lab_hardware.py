"""The lab's hardware (lab/hardware.py) and its stand-ins (lab/hosts/smartctl.py, upsc.py):
their answers for staged captures, smartctl's exit bitmask, the errors real tools print,
and the per-host tree the lab binds inside a host. No lab needed: the stand-ins run as
subprocesses against a staged folder in tmp_path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from lab import hardware
from lab.office import HOSTS_BY_NAME, LabError

ROOT = Path(__file__).resolve().parents[2]
SMARTCTL = ROOT / "lab" / "hosts" / "smartctl.py"
UPSC = ROOT / "lab" / "hosts" / "upsc.py"
CAPTURES = ROOT / "lab" / "hosts" / "hardware"


def run(script, args, env):
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, env={**os.environ, **env},
                          timeout=30, check=False)


@pytest.fixture
def smart_dir(tmp_path):
    folder = tmp_path / "smart"
    folder.mkdir()
    (folder / "sda.json").write_text((CAPTURES / hardware.SMART_CAPTURES["ata"]).read_text())
    (folder / "sdb.json").write_text((CAPTURES / hardware.SMART_CAPTURES["ata-failing"]).read_text())
    (folder / "nvme0n1.json").write_text((CAPTURES / hardware.SMART_CAPTURES["nvme"]).read_text())
    return {"SIAKLAB_SMART_DIR": str(folder)}


# ---------------------------------------------------------------------------- smartctl
def test_scan_open_json_lists_the_staged_devices_as_smartctl_does(smart_dir):
    proc = run(SMARTCTL, ["--scan-open", "--json"], smart_dir)
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert doc["smartctl"]["exit_status"] == 0
    assert doc["devices"] == [
        {"name": "/dev/nvme0", "info_name": "/dev/nvme0", "type": "nvme", "protocol": "NVMe"},
        {"name": "/dev/sda", "info_name": "/dev/sda [SAT]", "type": "sat", "protocol": "ATA"},
        {"name": "/dev/sdb", "info_name": "/dev/sdb [SAT]", "type": "sat", "protocol": "ATA"},
    ]


def test_scan_open_text_form(smart_dir):
    proc = run(SMARTCTL, ["--scan-open"], smart_dir)
    assert proc.stdout.splitlines() == [
        "/dev/nvme0 -d nvme # /dev/nvme0, NVMe device",
        "/dev/sda -d sat # /dev/sda [SAT], ATA device",
        "/dev/sdb -d sat # /dev/sdb [SAT], ATA device",
    ]


@pytest.mark.skipif(os.geteuid() != 0, reason="the stand-in answers like the real smartctl: root only")
def test_a_healthy_ata_disk_answers_its_capture_with_exit_0(smart_dir):
    proc = run(SMARTCTL, ["--json", "-a", "-d", "sat", "/dev/sda"], smart_dir)
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    capture = json.loads((CAPTURES / hardware.SMART_CAPTURES["ata"]).read_text())
    assert doc["device"] == {"name": "/dev/sda", "info_name": "/dev/sda [SAT]", "type": "sat", "protocol": "ATA"}
    assert doc["smartctl"]["argv"] == ["smartctl", "--json", "-a", "-d", "sat", "/dev/sda"]
    assert doc["smartctl"]["exit_status"] == 0
    for key in ("model_name", "serial_number", "user_capacity", "smart_status", "ata_smart_attributes", "temperature"):
        assert doc[key] == capture[key]


@pytest.mark.skipif(os.geteuid() != 0, reason="the stand-in answers like the real smartctl: root only")
def test_a_failing_ata_disk_exits_with_smartctls_bitmask(smart_dir):
    proc = run(SMARTCTL, ["--json", "-a", "/dev/sdb"], smart_dir)
    # 216 = 8 (SMART status failed) + 16 (prefail attribute failing now) + 64 (error log) + 128 (self-test log)
    assert proc.returncode == 216
    doc = json.loads(proc.stdout)
    assert doc["smart_status"] == {"passed": False}
    assert doc["device"]["type"] == "sat", "the capture's USB bridge type is not what a lab sda shows"
    rows = {a["id"]: a for a in doc["ata_smart_attributes"]["table"]}
    assert rows[5]["raw"]["value"] == 1975 and rows[5]["when_failed"] == "now"
    assert rows[197]["raw"]["value"] == 8


@pytest.mark.skipif(os.geteuid() != 0, reason="the stand-in answers like the real smartctl: root only")
def test_nvme_answers_for_the_namespace_and_the_controller(smart_dir):
    for dev in ("/dev/nvme0n1", "/dev/nvme0"):
        proc = run(SMARTCTL, ["--json", "-a", "-d", "nvme", dev], smart_dir)
        assert proc.returncode == 0
        doc = json.loads(proc.stdout)
        assert doc["nvme_smart_health_information_log"]["percentage_used"] == 75
        assert doc["device"]["type"] == "nvme"


@pytest.mark.parametrize("name, status", [("ata", 0), ("ata-failing", 216), ("nvme", 0), ("nvme-failing", 8)])
def test_the_implied_exit_status_agrees_with_what_smartctl_returned(name, status):
    sys.path.insert(0, str(SMARTCTL.parent))
    try:
        import smartctl  # pylint: disable=import-outside-toplevel,import-error
    finally:
        sys.path.remove(str(SMARTCTL.parent))
    data = json.loads((CAPTURES / hardware.SMART_CAPTURES[name]).read_text())
    assert data["smartctl"]["exit_status"] == status
    assert smartctl.implied_status(data) == status
    del data["smartctl"]["exit_status"]
    assert smartctl.exit_status(data) == status


def test_an_unknown_device_is_smartctls_open_error_with_exit_2(smart_dir):
    proc = run(SMARTCTL, ["-a", "/dev/sdz"], smart_dir)
    assert proc.returncode == 2
    assert "Smartctl open device: /dev/sdz failed: No such device" in proc.stdout
    proc = run(SMARTCTL, ["--json", "-a", "/dev/sdz"], smart_dir)
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    assert doc["smartctl"]["exit_status"] == 2
    assert doc["smartctl"]["messages"] == [{"string": "Smartctl open device: /dev/sdz failed: No such device", "severity": "error"}]


def test_without_root_the_open_is_refused_as_smartctl_does(smart_dir):
    if os.geteuid() != 0:
        proc = run(SMARTCTL, ["--json", "-a", "/dev/sda"], smart_dir)
    else:
        with tempfile.TemporaryDirectory(dir="/tmp") as readable:  # pytest's tmp_path is root's alone
            os.chmod(readable, 0o755)
            shutil.copy(Path(smart_dir["SIAKLAB_SMART_DIR"]) / "sda.json", readable)
            os.chmod(Path(readable) / "sda.json", 0o644)
            script = Path(shutil.copy(SMARTCTL, Path(readable) / "smartctl"))  # the checkout may be root's alone too
            os.chmod(script, 0o755)
            proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, str(script),
                                   "--json", "-a", "/dev/sda"], capture_output=True, text=True, timeout=30, check=False,
                                  cwd="/", env={**os.environ, "SIAKLAB_SMART_DIR": readable})
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["smartctl"]["messages"][0]["string"] == "Smartctl open device: /dev/sda failed: Permission denied"


@pytest.mark.skipif(os.geteuid() != 0, reason="the stand-in answers like the real smartctl: root only")
def test_text_form_tells_health_and_attributes(smart_dir):
    proc = run(SMARTCTL, ["-a", "/dev/sdb"], smart_dir)
    assert proc.returncode == 216
    assert "SMART overall-health self-assessment test result: FAILED!" in proc.stdout
    assert any(line.startswith("  5 Reallocated_Sector_Ct") and "now" in line and line.endswith("1975")
               for line in proc.stdout.splitlines())


def test_bad_options_are_refused_as_smartctl_does(smart_dir):
    assert run(SMARTCTL, ["-a", "-d", "floppy", "/dev/sda"], smart_dir).returncode == 1
    assert "UNRECOGNIZED OPTION" in run(SMARTCTL, ["--frobnicate", "/dev/sda"], smart_dir).stdout
    assert run(SMARTCTL, ["-a"], smart_dir).returncode == 1


def test_an_empty_scan(tmp_path):
    proc = run(SMARTCTL, ["--scan-open", "--json"], {"SIAKLAB_SMART_DIR": str(tmp_path / "none")})
    assert proc.returncode == 0 and json.loads(proc.stdout)["devices"] == []


# ---------------------------------------------------------------------------- upsc
@pytest.fixture
def ups_dir(tmp_path):
    folder = tmp_path / "ups" / "localhost"
    folder.mkdir(parents=True)
    (folder / "ups.txt").write_text(hardware.ups_listing(None))
    return {"SIAKLAB_UPS_DIR": str(tmp_path / "ups")}


def test_upsc_prints_the_captured_listing(ups_dir):
    proc = run(UPSC, ["ups@localhost"], ups_dir)
    assert proc.returncode == 0
    assert proc.stdout == (CAPTURES / hardware.UPS_CAPTURE).read_text()
    assert run(UPSC, ["ups"], ups_dir).stdout == proc.stdout, "no host is localhost"
    one = run(UPSC, ["ups@localhost", "ups.status"], ups_dir)
    assert (one.returncode, one.stdout) == (0, "OL\n")
    assert run(UPSC, ["-l"], ups_dir).stdout == "ups\n"
    assert run(UPSC, ["-L", "localhost"], ups_dir).stdout == "ups: CP900EPFCLCD\n"


@pytest.mark.parametrize("args, error", [
    (["nope@localhost"], "Error: Unknown UPS"),
    (["ups@localhost", "battery.nope"], "Error: Variable not supported by UPS"),
    (["ups@elsewhere"], "Error: Connection failure: Connection refused"),
])
def test_upsc_errors_are_nuts_own(ups_dir, args, error):
    proc = run(UPSC, args, ups_dir)
    assert proc.returncode == 1
    assert proc.stderr.strip() == error
    assert proc.stdout == ""


def test_upsc_refused_when_upsd_is_down(ups_dir):
    (Path(ups_dir["SIAKLAB_UPS_DIR"]) / "localhost" / "refused").write_text("")
    proc = run(UPSC, ["ups@localhost"], ups_dir)
    assert (proc.returncode, proc.stderr.strip()) == (1, "Error: Connection failure: Connection refused")


@pytest.mark.parametrize("kind, status, charge", [("ups-on-battery", "OB DISCHRG", "80"), ("ups-low-battery", "OB DISCHRG LB", "15")])
def test_ups_variants_change_only_the_state_lines(kind, status, charge):
    values = dict(line.split(": ", 1) for line in hardware.ups_listing(kind).splitlines())
    original = dict(line.split(": ", 1) for line in (CAPTURES / hardware.UPS_CAPTURE).read_text().splitlines())
    assert values["ups.status"] == status and values["battery.charge"] == charge
    changed = {k for k in original if original[k] != values[k]}
    assert changed == {"ups.status", "battery.charge", "battery.runtime", "input.voltage"}
    assert dict(line.split(": ", 1) for line in hardware.ups_listing(kind, 42).splitlines())["battery.charge"] == "42"


# ---------------------------------------------------------------------------- the per-host tree
def _tree(name, hf=None):
    return hardware.hardware_tree(HOSTS_BY_NAME[name], hf or {})


def test_the_default_office():
    app = _tree("siak-app01")
    assert json.loads(app["run/smart/sda.json"][0])["smart_status"] == {"passed": True}
    assert app["sbin/smartctl"][1] == 0o755 and app["sbin/upsc"][1] == 0o755
    assert app["run/ups/localhost/ups.txt"][0] == (CAPTURES / hardware.UPS_CAPTURE).read_text()
    assert app["block/sda/device/vendor"][0] == "ATA     \n"
    assert app["block/sda/device/model"][0] == "WDC WD140EDFZ-11\n"
    assert app["block/sda/size"][0] == f"{14000519643136 // 512}\n"
    assert app["thermal/thermal_zone0/temp"][0] == "45000\n"
    assert app["thermal/thermal_zone0/trip_point_1_type"][0] == "critical\n"
    assert app["hwmon/hwmon0/temp1_label"][0] == "Package id 0\n"
    bak = _tree("siak-bak01")
    assert [p for p in bak if p.startswith("run/smart/")] == ["run/smart/nvme0n1.json"]
    assert "sbin/upsc" not in bak and "run/ups" not in " ".join(bak)
    assert "run/smart/sda.json" in _tree("siak-db01")
    ntp = _tree("siak-ntp01")
    assert "sbin/smartctl" not in ntp and "thermal/thermal_zone0/temp" in ntp
    for ws in ("siak-ws01", "siak-ws02", "siak-ws03"):
        assert _tree(ws) == {}, "a workstation is a plain virtual machine"


def test_faults_change_the_tree():
    failing = _tree("siak-app01", {"smart-failing": ["sda"]})
    assert json.loads(failing["run/smart/sda.json"][0])["model_name"] == "Hitachi HDS721050DLE630"
    assert failing["block/sda/device/model"][0] == "Hitachi HDS72105\n"
    nvme_failing = _tree("siak-bak01", {"smart-failing": ["nvme0n1"]})
    assert json.loads(nvme_failing["run/smart/nvme0n1.json"][0])["nvme_smart_health_information_log"]["critical_warning"] == 16
    worn = json.loads(_tree("siak-bak01", {"smart-nvme-worn": {"nvme0n1": 103}})["run/smart/nvme0n1.json"][0])
    assert worn["nvme_smart_health_information_log"]["percentage_used"] == 103
    removed = _tree("siak-db01", {"disk-removed": ["sda"]})
    assert not [p for p in removed if "sda" in p]
    assert "sbin/smartctl" in removed, "the disk went, smartctl stays"
    missing = _tree("siak-db01", {"smartctl-missing": True})
    assert "sbin/smartctl" not in missing and "block/sda/size" in missing
    assert "ups.status: OB DISCHRG\n" in _tree("siak-app01", {"ups-on-battery": {"charge": 80}})["run/ups/localhost/ups.txt"][0]
    down = _tree("siak-app01", {"ups-down": {}})
    assert "run/ups/localhost/refused" in down and "run/ups/localhost/ups.txt" not in down
    assert _tree("siak-ntp01", {"temp-high": {"celsius": 97}})["thermal/thermal_zone0/temp"][0] == "97000\n"


def test_staging_validates_and_keeps_one_state_per_disk_and_ups():
    app = HOSTS_BY_NAME["siak-app01"]
    hf = {}
    hardware.stage_hardware(app, "smart-failing", {}, hf)
    assert hf == {"smart-failing": ["sda"]}
    hardware.stage_hardware(app, "disk-removed", {"device": "/dev/sda"}, hf)
    assert hf == {"disk-removed": ["sda"]}
    hardware.stage_hardware(app, "ups-on-battery", {}, hf)
    hardware.stage_hardware(app, "ups-low-battery", {"charge": "12"}, hf)
    assert hf["ups-low-battery"] == {"charge": 12.0} and "ups-on-battery" not in hf
    bak = HOSTS_BY_NAME["siak-bak01"]
    hf = {}
    hardware.stage_hardware(bak, "smart-nvme-worn", {"used_percent": "90"}, hf)
    assert hf == {"smart-nvme-worn": {"nvme0n1": 90}}
    with pytest.raises(LabError, match="no staged disk"):
        hardware.stage_hardware(HOSTS_BY_NAME["siak-ws01"], "smart-failing", {}, {})
    with pytest.raises(LabError, match="no disk 'sdb'"):
        hardware.stage_hardware(app, "disk-removed", {"device": "sdb"}, {})
    with pytest.raises(LabError, match="no NVMe disk"):
        hardware.stage_hardware(app, "smart-nvme-worn", {}, {})
    with pytest.raises(LabError, match="no UPS"):
        hardware.stage_hardware(bak, "ups-down", {}, {})
    with pytest.raises(LabError, match="no staged temperature sensor"):
        hardware.stage_hardware(HOSTS_BY_NAME["siak-ws02"], "temp-high", {}, {})
    with pytest.raises(LabError, match="between"):
        hardware.stage_hardware(app, "ups-on-battery", {"charge": "120"}, {})


def test_write_hardware_syncs_the_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("SIAKLAB_STATE", str(tmp_path))
    app = HOSTS_BY_NAME["siak-app01"]
    hardware.write_hardware(app, {})
    root = tmp_path / "hosts" / "siak-app01" / "hw"
    assert (root / "run" / "smart" / "sda.json").is_file()
    assert os.access(root / "sbin" / "smartctl", os.X_OK)
    hardware.write_hardware(app, {"disk-removed": ["sda"], "smartctl-missing": True})
    assert not (root / "run" / "smart" / "sda.json").exists()
    assert not (root / "block" / "sda").exists() and (root / "block").is_dir()
    assert not (root / "sbin" / "smartctl").exists() and (root / "sbin" / "upsc").exists()
    hardware.write_hardware(app, {})
    assert (root / "block" / "sda" / "device" / "model").read_text() == "WDC WD140EDFZ-11\n"


def test_boot_lines_bind_the_folders_inside_the_host_only():
    app = hardware.boot_lines(HOSTS_BY_NAME["siak-app01"])
    assert app[0].startswith("mkdir -p /run/siaklab && mount --bind ") and app[0].endswith("/hw/run /run/siaklab")
    assert any(line.endswith("/hw/block /sys/block; fi") for line in app)
    ws = hardware.boot_lines(HOSTS_BY_NAME["siak-ws01"])
    assert not any("/sys/block" in line for line in ws), "a workstation keeps the machine's own disks"
    assert any("/usr/local/sbin" in line for line in ws)


def test_captures_are_documented():
    readme = (CAPTURES / "README.md").read_text()
    files = sorted(p.name for p in CAPTURES.iterdir() if p.name != "README.md")
    assert files == sorted(set(hardware.SMART_CAPTURES.values()) | {hardware.UPS_CAPTURE})
    for name in files:
        assert f"`{name}`" in readme
