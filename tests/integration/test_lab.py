"""Integration tests of the lab itself (lab/siaklab.py) against the real namespaces.

Every test talks to the lab hosts over real SSH with the lab's key and known_hosts
(strict host key checking), as Ansible does. The last tests take the lab down and bring
it up again; the file leaves the lab UP for the tests that follow.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from lab import siaklab

from .helpers import ssh

pytestmark = [pytest.mark.lab, pytest.mark.skipif(os.geteuid() != 0, reason="the lab needs root")]

ROOT = Path(__file__).resolve().parents[2]


def http_status(address, path="/siak/health"):
    """Status code of GET http://address/path, or None when nothing answers."""
    conn = http.client.HTTPConnection(address, 80, timeout=2)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    except OSError:
        return None
    finally:
        conn.close()


def cli(*args):
    """Run the lab's command line; return the result."""
    argv = [sys.executable, "-m", "lab.siaklab", *args]
    return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)


def data_used_percent(lab, host):
    out = ssh(lab, host, "df --output=pcent /srv/data | tail -1").stdout
    return int(out.strip().rstrip("%"))


def lab_processes():
    """Live processes that belong to the lab (started from its state dir or lab/hosts)."""
    markers = (f"{siaklab.state_dir()}/hosts/", str(siaklab.TEMPLATES))
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and any(m in cmdline for m in markers):
            found.append((int(entry.name), cmdline))
    return found


# ---------------------------------------------------------------------------- hosts
def test_up_describes_the_lab(lab):
    assert Path(lab["inventory"]) == ROOT / "inventory" / "lab" / "hosts.yml"
    assert lab["hosts"] == {
        "siak-app01": "198.18.0.11", "siak-db01": "198.18.0.12", "siak-bak01": "198.18.0.13",
        "siak-ntp01": "198.18.0.14", "siak-ws01": "198.18.0.21", "siak-ws02": "198.18.0.22",
        "siak-ws03": "198.18.0.23",
    }
    assert isinstance(lab["switches"], list)


@pytest.mark.parametrize("host", [h.name for h in siaklab.HOSTS if h.managed])
def test_every_host_answers_ssh_with_its_own_hostname(lab, host):
    proc = ssh(lab, host, "hostname; ip -4 -o addr show dev eth0; ip route show default")
    lines = proc.stdout.splitlines()
    assert lines[0] == host
    assert f"{lab['hosts'][host]}/24" in lines[1]
    assert len(lines) == 2, "a lab host must have no default route"


def test_strict_host_key_checking_rejects_an_unknown_host(lab, tmp_path):
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    proc = ssh(lab, "siak-ws01", "true", known_hosts=empty, check=False)
    assert proc.returncode == 255
    assert "Host key verification failed" in proc.stderr


def test_inventory_has_the_groups_and_connection_vars(lab):
    inv = yaml.safe_load(Path(lab["inventory"]).read_text())
    top = inv["all"]
    assert top["vars"] == {"siak_lab_gateway": "198.18.0.1", "siak_lab_datacentre": "198.18.0.100"}
    servers = top["children"]["siak_hosts"]["children"]["servers"]["children"]
    assert set(servers) == {"app", "db", "backup", "timeserver"}
    assert list(servers["app"]["hosts"]) == ["siak-app01"]
    workstations = top["children"]["siak_hosts"]["children"]["workstations"]["hosts"]
    assert sorted(workstations) == ["siak-ws01", "siak-ws02", "siak-ws03"]
    app = servers["app"]["hosts"]["siak-app01"]
    assert app["ansible_host"] == "198.18.0.11"
    assert app["ansible_user"] == "root"
    assert app["ansible_python_interpreter"] == "/usr/bin/python3"
    assert "StrictHostKeyChecking=yes" in app["ansible_ssh_common_args"]
    assert "pusat-dc" not in Path(lab["inventory"]).read_text()
    assert "switches" in top["children"]


def test_ansible_reaches_every_host_with_the_inventory(lab):
    proc = subprocess.run(
        ["ansible", "-i", lab["inventory"], "siak_hosts", "-m", "ansible.builtin.command", "-a", "hostname"],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for host in lab["hosts"]:
        assert f"{host} | CHANGED | rc=0 >>\n{host}" in proc.stdout


def test_host_layout_services_and_time(lab):
    out = ssh(lab, "siak-app01", "findmnt -n -o SOURCE,FSTYPE /srv/data; test -f /var/log/syslog && test -f /var/log/auth.log "
              "&& test -d /var/log/nginx && echo logs; service nginx status; service ssh status").stdout
    assert out.splitlines()[0].split() == ["/dev/labdata", "tmpfs"]
    assert "logs" in out and "nginx is running" in out and "sshd is running" in out
    assert http_status("198.18.0.11") == 200
    assert http_status("198.18.0.100") == 200
    assert "1521" in ssh(lab, "siak-db01", "ss -ltn 'sport = :1521'; pgrep -f tnslsnr").stdout
    assert ssh(lab, "siak-bak01", "ls /srv/backup").stdout.count(".dmp") >= 1
    # chronyd answers per host; clients follow the lab's time server once synchronised.
    assert "Stratum         : 8" in ssh(lab, "siak-ntp01", "chronyc tracking").stdout
    deadline = time.monotonic() + 40
    while True:
        tracking = ssh(lab, "siak-ws01", "chronyc -n tracking").stdout
        if "198.18.0.14" in tracking or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert "198.18.0.14" in tracking


# ---------------------------------------------------------------------------- faults
def test_disk_fill_is_seen_on_that_host_only(lab, stage):
    stage("siak-ws01", "disk-fill", percent=92)
    assert 92 <= data_used_percent(lab, "siak-ws01") <= 93
    assert data_used_percent(lab, "siak-ws02") < 10
    siaklab.fault("siak-ws01", "disk-clear")
    assert data_used_percent(lab, "siak-ws01") < 10


def test_service_stop_affects_one_host_and_reset_restarts_it(lab, stage):
    stage("siak-ws02", "service-stop", service="chrony")
    assert ssh(lab, "siak-ws02", "service chrony status", check=False).returncode != 0
    assert ssh(lab, "siak-ws03", "service chrony status", check=False).returncode == 0
    stage("siak-app01", "service-stop", service="nginx")
    assert http_status("198.18.0.11") is None
    assert http_status("198.18.0.100") == 200
    siaklab.reset("siak-app01")
    siaklab.reset("siak-ws02")
    assert http_status("198.18.0.11") == 200
    assert ssh(lab, "siak-ws02", "service chrony status", check=False).returncode == 0


def test_ssh_cannot_be_stopped_as_a_service(lab):
    with pytest.raises(siaklab.LabError, match="offline"):
        siaklab.fault("siak-ws01", "service-stop", service="ssh")


def test_offline_makes_the_host_unreachable_and_online_brings_it_back(lab, stage):
    stage("siak-ws03", "offline")
    t0 = time.monotonic()
    proc = ssh(lab, "siak-ws03", "true", connect_timeout=2, check=False)
    assert proc.returncode == 255
    assert time.monotonic() - t0 < 10
    assert ssh(lab, "siak-ws02", "hostname").stdout.strip() == "siak-ws02"
    siaklab.fault("siak-ws03", "online")
    assert ssh(lab, "siak-ws03", "hostname").stdout.strip() == "siak-ws03"


def test_staged_load_is_seen_only_in_that_host_and_can_be_restaged(lab, stage):
    stage("siak-db01", "load", load1=9.5, load5=8.25, load15=7)
    assert ssh(lab, "siak-db01", "cat /proc/loadavg").stdout.split()[:3] == ["9.50", "8.25", "7.00"]
    assert ssh(lab, "siak-app01", "cat /proc/loadavg").stdout.split()[:3] != ["9.50", "8.25", "7.00"]
    assert not Path("/proc/loadavg").read_text().startswith("9.50 8.25")
    stage("siak-db01", "load", load1=1, load5=2, load15=3)
    out = ssh(lab, "siak-db01", "cat /proc/loadavg; findmnt -n /proc/loadavg | wc -l").stdout.splitlines()
    assert out[0].split()[:3] == ["1.00", "2.00", "3.00"]
    assert out[1].strip() == "1", "staging again rewrites the file in place, no second mount"
    siaklab.fault("siak-db01", "load-clear")
    out = ssh(lab, "siak-db01", "cat /proc/loadavg; findmnt -n /proc/loadavg | wc -l").stdout.splitlines()
    assert out[0].split()[:3] == ["0.15", "0.10", "0.05"] and out[1].strip() == "1", "the quiet load of a healthy host"


def test_a_healthy_host_shows_a_quiet_load_whatever_this_machine_does(lab):
    """The hosts share this machine's kernel: its real load (a test suite, a benchmark) is
    not the simulated host's, so every managed host shows the quiet load unless a test stages one."""
    for name in lab["hosts"]:
        if name != "pusat-dc":
            assert ssh(lab, name, "cut -d' ' -f1-3 /proc/loadavg").stdout.split() == ["0.15", "0.10", "0.05"], name


def test_staged_memory_is_seen_only_in_that_host(lab, stage):
    stage("siak-ws01", "memory", used_percent=95)
    meminfo = dict(
        line.split(":", 1) for line in ssh(lab, "siak-ws01", "cat /proc/meminfo").stdout.splitlines()
    )
    total = int(meminfo["MemTotal"].split()[0])
    avail = int(meminfo["MemAvailable"].split()[0])
    assert 94 <= 100 * (total - avail) / total <= 96
    other = ssh(lab, "siak-ws02", "grep MemAvailable /proc/meminfo").stdout.split()[1]
    assert int(other) != avail


def test_log_append_adds_syslog_lines_and_reset_removes_them(lab, stage):
    before = ssh(lab, "siak-ws02", "wc -l < /var/log/syslog").stdout.strip()
    stage("siak-ws02", "log-append", lines=4)
    tail = ssh(lab, "siak-ws02", "tail -4 /var/log/syslog").stdout.splitlines()
    assert len(tail) == 4
    assert all(" siak-ws02 kernel: " in line and "error" in line for line in tail)
    assert ssh(lab, "siak-ws03", "grep -c 'EXT4-fs error' /var/log/syslog", check=False).stdout.strip() == "0"
    siaklab.reset("siak-ws02")
    assert ssh(lab, "siak-ws02", "wc -l < /var/log/syslog").stdout.strip() == before


def test_backup_age_moves_the_newest_backup_back(lab, stage):
    stage("siak-bak01", "backup-age", days=3)
    newest = float(ssh(lab, "siak-bak01", "stat -c %Y /srv/backup/*.dmp | sort -n | tail -1").stdout)
    assert abs((time.time() - newest) / 86400 - 3) < 0.1
    siaklab.reset("siak-bak01")
    newest = float(ssh(lab, "siak-bak01", "stat -c %Y /srv/backup/*.dmp | sort -n | tail -1").stdout)
    assert time.time() - newest < 3600


def test_unstageable_and_unknown_faults_are_refused_clearly(lab):
    proc = cli("fault", "siak-db01", "mdstat")
    assert proc.returncode != 0 and "md driver" in proc.stderr and "Traceback" not in proc.stderr
    proc = cli("fault", "siak-db01", "melt")
    assert proc.returncode != 0 and "unknown fault kind" in proc.stderr
    proc = cli("fault", "siak-zz99", "offline")
    assert proc.returncode != 0 and "unknown target" in proc.stderr


def test_cli_refuses_to_run_without_root(lab):
    # The checkout may sit in a folder only root can read (CI, mktemp -d): the unprivileged
    # user runs a copy of the command (the lab's modules, standard library only) from a
    # folder it can read.
    with tempfile.TemporaryDirectory(dir="/tmp") as readable:
        os.chmod(readable, 0o755)
        copy = Path(readable) / "lab"
        copy.mkdir(mode=0o755)
        for module in (ROOT / "lab").glob("*.py"):
            shutil.copy(module, copy)
        proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3",
                               str(copy / "siaklab.py"), "status"],
                              capture_output=True, text=True, cwd=readable, timeout=120, check=False)
    assert proc.returncode != 0
    assert "root" in proc.stderr and "scripts/setup.sh" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_preflight_names_a_missing_daemon_and_setup(monkeypatch):
    # Changes a constant, not a mock: a machine without sshd cannot be had here otherwise.
    monkeypatch.setattr(siaklab, "SSHD", "/nonexistent/sshd")
    with pytest.raises(siaklab.LabError, match=r"openssh-server.*scripts/setup\.sh"):
        siaklab.preflight()


# ---------------------------------------------------------------------------- hardware
def smart(lab, host, dev="/dev/sda", dev_type="sat"):
    """(exit status, JSON) of the host's `smartctl --json -a -d TYPE DEV`, as the hardware module runs it."""
    proc = ssh(lab, host, f"smartctl --json -a -d {dev_type} {dev}", check=False)
    return proc.returncode, json.loads(proc.stdout)


def test_the_office_hardware_is_seen_inside_each_host_only(lab):
    out = ssh(lab, "siak-app01", "command -v smartctl upsc; smartctl --scan-open; upsc ups@localhost ups.status; "
              "cat /sys/class/thermal/thermal_zone0/type /sys/class/thermal/thermal_zone0/temp; ls /sys/block").stdout
    assert out.splitlines() == ["/usr/local/sbin/smartctl", "/usr/local/sbin/upsc", "/dev/sda -d sat # /dev/sda [SAT], ATA device",
                                "OL", "x86_pkg_temp", "45000", "sda"]
    status, doc = smart(lab, "siak-app01")
    assert status == 0 and doc["smart_status"]["passed"] is True and doc["model_name"] == "WDC WD140EDFZ-11A0VA0"
    assert ssh(lab, "siak-db01", "smartctl --scan-open").stdout.startswith("/dev/sda -d sat")
    assert ssh(lab, "siak-bak01", "smartctl --scan-open").stdout.startswith("/dev/nvme0 -d nvme")
    status, doc = smart(lab, "siak-bak01", "/dev/nvme0n1", "nvme")
    assert status == 0 and doc["nvme_smart_health_information_log"]["critical_warning"] == 0
    # A workstation is a plain virtual machine: no smartctl, its own paravirtual disk, no sensor.
    ws = ssh(lab, "siak-ws01", "command -v smartctl upsc; ls /sys/block; ls /sys/class/thermal | wc -l", check=False).stdout
    assert "smartctl" not in ws and "vda" in ws.split() and ws.split()[-1] == "0"
    # The admin machine sees none of it.
    assert not Path("/usr/local/sbin/smartctl").exists() and not Path("/run/siaklab").exists()
    # A host's network: its veth eth0 and lo, neither with a `device` link (no physical NIC).
    net = ssh(lab, "siak-db01", "ls /sys/class/net; ls -d /sys/class/net/*/device 2>/dev/null | wc -l").stdout.split()
    assert net == ["eth0", "lo", "0"]


def test_smart_faults_on_one_disk(lab, stage):
    stage("siak-db01", "smart-failing")
    status, doc = smart(lab, "siak-db01")
    assert status == 216 and doc["smart_status"]["passed"] is False
    rows = {a["id"]: a["raw"]["value"] for a in doc["ata_smart_attributes"]["table"]}
    assert (rows[5], rows[197]) == (1975, 8)
    assert smart(lab, "siak-app01")[0] == 0, "the other hosts keep healthy disks"
    stage("siak-db01", "disk-removed")
    assert ssh(lab, "siak-db01", "smartctl --scan-open; ls /sys/block").stdout == ""
    assert smart(lab, "siak-db01")[0] == 2
    siaklab.reset("siak-db01")
    stage("siak-db01", "smartctl-missing")
    out = ssh(lab, "siak-db01", "command -v smartctl; ls /sys/block", check=False).stdout
    assert out.split() == ["sda"], "the disk stays, smartctl is gone"
    siaklab.reset("siak-db01")
    assert smart(lab, "siak-db01")[0] == 0


def test_nvme_faults(lab, stage):
    stage("siak-bak01", "smart-nvme-worn")
    status, doc = smart(lab, "siak-bak01", "/dev/nvme0n1", "nvme")
    assert status == 0 and doc["nvme_smart_health_information_log"]["percentage_used"] == 100
    stage("siak-bak01", "smart-failing")
    status, doc = smart(lab, "siak-bak01", "/dev/nvme0n1", "nvme")
    assert status == 8 and doc["nvme_smart_health_information_log"]["critical_warning"] == 16


def test_ups_faults(lab, stage):
    stage("siak-app01", "ups-on-battery")
    assert ssh(lab, "siak-app01", "upsc ups@localhost ups.status; upsc ups@localhost battery.charge").stdout == "OB DISCHRG\n80\n"
    stage("siak-app01", "ups-low-battery")
    assert ssh(lab, "siak-app01", "upsc ups@localhost ups.status; upsc ups@localhost battery.charge").stdout == "OB DISCHRG LB\n15\n"
    stage("siak-app01", "ups-down")
    proc = ssh(lab, "siak-app01", "upsc ups@localhost", check=False)
    assert proc.returncode == 1 and proc.stderr.strip() == "Error: Connection failure: Connection refused"
    with pytest.raises(siaklab.LabError, match="no UPS"):
        siaklab.fault("siak-db01", "ups-down")


def test_temperature_and_ram_faults(lab, stage):
    stage("siak-ntp01", "temp-high")
    assert ssh(lab, "siak-ntp01", "cat /sys/class/thermal/thermal_zone0/temp").stdout == "90000\n"
    stage("siak-ntp01", "temp-high", celsius=97)
    assert ssh(lab, "siak-ntp01", "cat /sys/class/thermal/thermal_zone0/temp").stdout == "97000\n"
    with pytest.raises(siaklab.LabError, match="no staged temperature sensor"):
        siaklab.fault("siak-ws01", "temp-high")
    real = int(ssh(lab, "siak-ws01", "grep MemTotal /proc/meminfo").stdout.split()[1])
    stage("siak-ws01", "ram-shrink", total_mb=2048)
    stage("siak-ws01", "memory", used_percent=50)
    meminfo = dict(line.split(":", 1) for line in ssh(lab, "siak-ws01", "cat /proc/meminfo").stdout.splitlines())
    assert int(meminfo["MemTotal"].split()[0]) == 2048 * 1024
    assert int(meminfo["MemAvailable"].split()[0]) == 1024 * 1024
    siaklab.fault("siak-ws01", "memory-clear")
    assert ssh(lab, "siak-ws01", "grep MemTotal /proc/meminfo").stdout.split()[1] == str(2048 * 1024), "ram-shrink stays"
    assert int(ssh(lab, "siak-ws02", "grep MemTotal /proc/meminfo").stdout.split()[1]) == real
    siaklab.reset("siak-ws01")
    assert int(ssh(lab, "siak-ws01", "grep MemTotal /proc/meminfo").stdout.split()[1]) == real


def test_hardware_faults_survive_up_and_a_rebuilt_host(lab, stage):
    stage("siak-db01", "smart-failing")
    stage("siak-db01", "ram-shrink", total_mb=1024)
    siaklab.up(quiet=True)
    assert smart(lab, "siak-db01")[0] == 216
    os.kill(siaklab.status()["hosts"]["siak-db01"]["pid1"], 9)
    siaklab.up(quiet=True)
    assert smart(lab, "siak-db01")[0] == 216
    assert ssh(lab, "siak-db01", "grep MemTotal /proc/meminfo").stdout.split()[1] == str(1024 * 1024)
    siaklab.reset("siak-db01")
    assert smart(lab, "siak-db01")[0] == 0


# ---------------------------------------------------------------------------- life cycle
def test_up_twice_is_quick_and_changes_nothing(lab):
    first = siaklab.up(quiet=True)
    before = siaklab.status()
    mtime = Path(lab["inventory"]).stat().st_mtime_ns
    t0 = time.monotonic()
    again = siaklab.up(quiet=True)
    elapsed = time.monotonic() - t0
    assert elapsed < 3, f"warm up took {elapsed:.1f} s"
    assert again == first
    assert Path(lab["inventory"]).stat().st_mtime_ns == mtime
    after = siaklab.status()
    assert {n: h["pid1"] for n, h in after["hosts"].items()} == {n: h["pid1"] for n, h in before["hosts"].items()}


def test_up_repairs_a_dead_daemon_and_a_dead_host(lab):
    # A killed nginx (not a staged stop) is restarted by up().
    ssh(lab, "siak-app01", "kill $(cat /run/nginx.pid)")
    deadline = time.monotonic() + 5
    while http_status("198.18.0.11") is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert http_status("198.18.0.11") is None
    siaklab.up(quiet=True)
    assert http_status("198.18.0.11") == 200
    # A host whose PID 1 died is rebuilt; the others keep running.
    pids = {n: h["pid1"] for n, h in siaklab.status()["hosts"].items()}
    os.kill(pids["siak-ws03"], 9)
    siaklab.up(quiet=True)
    now = {n: h["pid1"] for n, h in siaklab.status()["hosts"].items()}
    assert now["siak-ws03"] not in (None, pids["siak-ws03"])
    assert {n: p for n, p in now.items() if n != "siak-ws03"} == {n: p for n, p in pids.items() if n != "siak-ws03"}
    assert ssh(lab, "siak-ws03", "hostname").stdout.strip() == "siak-ws03"


def test_ansible_persistent_connections_survive_a_rebuilt_host(lab):
    def ansible_hostname():
        return subprocess.run(
            ["ansible", "-i", lab["inventory"], "siak-ws02", "-m", "ansible.builtin.command", "-a", "hostname"],
            capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
        )

    first = ansible_hostname()
    assert first.returncode == 0, first.stdout + first.stderr
    os.kill(siaklab.status()["hosts"]["siak-ws02"]["pid1"], 9)
    siaklab.up(quiet=True)
    t0 = time.monotonic()
    second = ansible_hostname()  # would ride the dead ControlPersist master if up() left it
    assert second.returncode == 0, second.stdout + second.stderr
    assert time.monotonic() - t0 < 15


def test_down_leaves_nothing_and_up_works_again(lab):
    t0 = time.monotonic()
    siaklab.down(quiet=True)
    down_s = time.monotonic() - t0
    netns = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    assert siaklab.NETNS_PREFIX not in netns
    assert not Path("/sys/class/net/siakbr0").exists()
    assert not [h.veth for h in siaklab.HOSTS if Path(f"/sys/class/net/{h.veth}").exists()]
    assert lab_processes() == []
    switches = siaklab.status()["switches"]
    if isinstance(switches, dict) and "running" in switches:
        assert not switches["running"], "down must stop the simulated switches too"
    t0 = time.monotonic()
    again = siaklab.up(quiet=True)  # leaves the lab UP for the tests that follow
    up_s = time.monotonic() - t0
    assert again["hosts"] == lab["hosts"]
    for host in ("siak-app01", "siak-ws03"):
        assert ssh(lab, host, "hostname").stdout.strip() == host
    assert http_status("198.18.0.11") == 200
    print(f"down {down_s:.1f} s, cold up {up_s:.1f} s")
