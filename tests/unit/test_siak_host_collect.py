"""The collectors of the host checks (module_utils/siak_host_collect.py).

The Host's own reads, commands and probes run for real on this machine (network use
stays on loopback, 127.0.0.1); the collectors are fed captured output
(tests/unit/fixtures/host/) through a stand-in host.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from ansible.module_utils import siak_host_collect as C

FIXTURES = Path(__file__).parent / "fixtures" / "host"
NOW = 1714700000.0


def _read(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


class FakeHost:
    """A host that answers from captured output: ``files`` {path: fixture name or text},
    ``commands`` {tool: (rc, stdout fixture or text, stderr), or a list of them answered in turn};
    a tool is installed when listed."""

    def __init__(self, files=None, commands=None, systemd=False, stats=None, newest=None, probe=None, segments=None,
                 zone=(0, "UTC")):
        self.files = files or {}
        self.zone = zone
        self.commands = commands or {}
        self.systemd = systemd
        self.stats = stats or {}
        self.newest = newest or {}
        self.probed = probe
        self.segments = segments or {}
        self.ran = []

    @staticmethod
    def _text(value):
        return _read(value) if (FIXTURES / value).is_file() else value

    def which(self, name):
        return "/usr/bin/%s" % name if name in self.commands else None

    def run(self, argv, timeout=None):
        self.ran.append(argv)
        answer = self.commands[argv[0].rsplit("/", 1)[-1]]
        rc, out, err = answer.pop(0) if isinstance(answer, list) else answer
        return rc, self._text(out), err

    def read(self, path):
        if path not in self.files:  # as open() says of a file that is not there
            raise FileNotFoundError(2, "No such file or directory", path)
        return self._text(self.files[path])

    def exists(self, path):
        return path in self.files or path in self.newest

    def isfile(self, path):
        return path in self.files or path in self.stats

    def stat(self, path):
        return self.stats[path]

    def glob(self, pattern):
        return sorted(p for p in list(self.files) + list(self.stats) if Path(p).match(pattern))

    def now(self):
        return NOW

    def local_zone(self):
        return self.zone

    def cpu_count(self):
        return 4

    def systemd_running(self):
        return self.systemd

    def statvfs(self, path, timeout):
        return self.stats.get(path, (None, "no answer within %ss" % timeout))

    def processes(self):
        return [(1, "sshd", ["sshd: /usr/sbin/sshd -D"])]

    def newest_file(self, path):
        return self.newest[path]

    def read_segment(self, path, start, end, max_bytes):
        return self.segments[path]

    def probe(self, endpoints, budget):
        return self.probed(endpoints, budget)


PARAMS = {"disk_exclude": [], "disk_exclude_fstypes": [], "services": ["sshd"], "ports": [22], "command_timeout": 30,
          "logs_source": "auto", "logs_files": ["/var/log/syslog", "/var/log/messages"], "logs_first_hours": 24,
          "logs_max_bytes": 1 << 20, "backup_paths": ["/srv/backup"], "updates_probe_timeout": 5, "updates_cache_max_days": 7}


def test_disk_from_captured_mounts():
    statvfs = SimpleNamespace(f_frsize=4096, f_bsize=4096, f_blocks=16384, f_bfree=1311, f_bavail=1311, f_files=1000, f_ffree=990)
    host = FakeHost(files={"/proc/mounts": "proc-mounts.lab-bak01.txt"}, stats={"/srv/data": (statvfs, None)})
    root, data = C.collect_disk(host, PARAMS, {})
    assert (root["mountpoint"], root["error"]) == ("/", "no answer within 10s")
    assert (data["mountpoint"], data["device"], data["usage"]["used_pct"], data["usage"]["inodes_pct"]) == ("/srv/data", "/dev/labdata", 92.0, 1.0)
    assert C.collect_disk(host, dict(PARAMS, disk_exclude=["/srv/*"]), {})[0]["mountpoint"] == "/"


def test_disk_tells_the_mount_options_and_what_fstab_says_of_them():
    """Captured on the lab's siak-app01 with the disk-readonly fault staged."""
    statvfs = SimpleNamespace(f_frsize=4096, f_bsize=4096, f_blocks=16384, f_bfree=16384, f_bavail=16384, f_files=1000,
                              f_ffree=999)
    host = FakeHost(files={"/proc/mounts": "proc-mounts.lab-app01-readonly.txt", "/etc/fstab": "fstab.lab-app01.txt"},
                    stats={"/": (statvfs, None), "/srv/data": (statvfs, None)})
    root, data = C.collect_disk(host, PARAMS, {})
    assert (root["mountpoint"], "rw" in root["options"], root["fstab_options"]) == ("/", True, None)
    assert (data["mountpoint"], "ro" in data["options"]) == ("/srv/data", True)
    assert data["fstab_options"] == ["defaults", "size=64m", "mode=0755"]
    # No /etc/fstab at all (a container, a minimal image): nothing is listed, the check goes on.
    del host.files["/etc/fstab"]
    assert [fs["fstab_options"] for fs in C.collect_disk(host, PARAMS, {})] == [None, None]


def test_memory_load_uptime_from_captured_proc():
    host = FakeHost(files={"/proc/meminfo": "proc-meminfo.debian12.txt", "/proc/loadavg": "proc-loadavg.txt",
                           "/proc/stat": "proc-stat.debian12.txt", "/proc/uptime": "proc-uptime.txt"})
    assert C.collect_memory(host, PARAMS, {})["basis"] == "MemAvailable"
    load = C.collect_load(host, PARAMS, {})
    assert len(load["loads"]) == 3 and load["cpus"] == 2
    uptime = C.collect_uptime(host, PARAMS, {"boot_time": 1000})
    assert uptime["previous_boot_time"] == 1000 and uptime["state"] == uptime["boot_time"] > 1000 and uptime["uptime"] > 0


def test_services_sysv_without_systemd_and_not_applicable():
    host = FakeHost(commands={"service": (1, "service-status-all.lab-app01.txt", "")})
    raw = C.collect_services(host, PARAMS, {})
    assert raw["systemd_units"] is None and raw["sysv_states"]["nginx"] == "running" and raw["processes"]
    assert host.ran == [["/usr/bin/service", "--status-all"]]
    host = FakeHost(commands={"systemctl": (0, "systemctl-list-units.rocky9.txt", ""), "service": (0, "", "")}, systemd=True)
    raw = C.collect_services(host, PARAMS, {})
    assert raw["systemd_units"]["nginx"]["active"] == "failed" and raw["sysv_states"] is None
    assert C.collect_services(host, dict(PARAMS, services=[]), {}) is C.NOT_APPLICABLE


def test_ports_from_proc_net_then_ss():
    host = FakeHost(files={"/proc/net/tcp": "proc-net-tcp.lab-app01.txt", "/proc/net/tcp6": "proc-net-tcp6.sshd.txt",
                           "/proc/net/udp": "proc-net-udp.lab-ntp01.txt", "/proc/net/udp6": "proc-net-udp6.lab-ntp01.txt"})
    raw = C.collect_ports(host, PARAMS, {})
    assert raw["source"] == "/proc/net" and 22 in raw["tcp"] and 80 in raw["tcp"] and 123 in raw["udp"]
    host = FakeHost(commands={"ss": (0, "ss-ltn.lab-app01.txt", "")})
    raw = C.collect_ports(host, PARAMS, {})
    assert raw["source"] == "ss" and 80 in raw["tcp"]
    assert C.collect_ports(host, dict(PARAMS, ports=[]), {}) is C.NOT_APPLICABLE


def test_time_first_source_that_answers_and_the_reasons():
    host = FakeHost(commands={"chronyc": (0, "chronyc-tracking.debian12-client.txt", "")})
    assert C.collect_time(host, PARAMS, {})["info"]["ref_name"] == "198.18.0.14"
    host = FakeHost(commands={"chronyc": (1, "", "506 Cannot talk to daemon"), "ntpq": (0, "ntpq-pn.centos7.txt", "")})
    assert C.collect_time(host, PARAMS, {})["info"]["source"] == "ntpd"
    host = FakeHost(commands={"chronyc": (1, "", "506 Cannot talk to daemon")})
    assert C.collect_time(host, PARAMS, {}) == {"info": None, "reasons": ["chronyc: 506 Cannot talk to daemon"],
                                                "zone": (0, "UTC")}
    assert C.collect_time(FakeHost(zone=(28800, "WITA")), PARAMS, {}) == {"info": None, "reasons": [], "zone": (28800, "WITA")}


@pytest.mark.parametrize("tz,expected", [("Asia/Makassar", (28800, "WITA")), ("Asia/Jakarta", (25200, "WIB")),
                                         ("Etc/UTC", (0, "UTC")), ("Asia/Kolkata", (19800, "IST"))])
def test_the_hosts_local_zone_is_what_its_programs_stamp(tz, expected, monkeypatch):
    """Host.local_zone with the local time set to ``tz`` (TZ, as /etc/localtime sets it): the
    offset and the abbreviation the host's programs use now."""
    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        assert C.Host.local_zone() == expected
    finally:
        monkeypatch.undo()
        time.tzset()


def test_logs_text_file_since_the_saved_position():
    stat = SimpleNamespace(st_ino=11, st_size=800, st_mtime=NOW)
    lines = _read("syslog.debian12-rfc3339.txt").splitlines()
    host = FakeHost(stats={"/var/log/syslog": stat}, segments={"/var/log/syslog": (lines, 800, 0)})
    previous = {"logs": {"source": "file", "path": "/var/log/syslog", "inode": 11, "offset": 500, "time": NOW - 60}}
    raw = C.collect_logs(host, PARAMS, previous)
    assert raw["source"] == "/var/log/syslog" and raw["lines"] == lines and raw["notes"] == []
    assert raw["state"] == {"source": "file", "path": "/var/log/syslog", "inode": 11, "offset": 800, "time": NOW}
    assert C.collect_logs(FakeHost(), PARAMS, {}) == {"source": "syslog", "missing": "file", "files": PARAMS["logs_files"]}


def test_logs_journal_entries_and_cursor():
    host = FakeHost(commands={"journalctl": (0, "journal-err.json", "")}, systemd=True)
    raw = C.collect_logs(host, PARAMS, {"logs": {"source": "journal", "cursor": "s=old", "time": NOW - 60}})
    assert host.ran[0][-1] == "--after-cursor=s=old"
    assert len(raw["entries"]) == 3 and raw["state"]["source"] == "journal" and raw["state"]["cursor"] != "s=old"
    host = FakeHost(commands={"journalctl": (1, "", "Failed to open journal")}, systemd=True)
    assert C.collect_logs(host, PARAMS, {}) == {"source": "journal", "failed": "Failed to open journal"}
    assert C.collect_logs(FakeHost(), dict(PARAMS, logs_source="journal"), {}) == {"source": "journal", "missing": "journalctl"}


def test_backups_age_of_the_newest_file():
    newest = {"path": "/srv/backup/siak-db.dmp", "size": 4096, "mtime": NOW - 7200}
    host = FakeHost(newest={"/srv/backup": (newest, 3)})
    (loc,) = C.collect_backups(host, PARAMS, {})
    assert loc == {"path": "/srv/backup", "exists": True, "files": 3,
                   "newest": {"path": "/srv/backup/siak-db.dmp", "size": 4096, "age_seconds": 7200.0}}
    assert C.collect_backups(FakeHost(), PARAMS, {}) == [{"path": "/srv/backup", "exists": False}]
    assert C.collect_backups(host, dict(PARAMS, backup_paths=[]), {}) is C.NOT_APPLICABLE


def test_the_previous_backup_is_the_same_jobs(tmp_path):
    """The real newest_file on a folder like an office's: the dump job's .dmp files and the .log
    it writes after each (newer, but no backup), an older dump in a subfolder."""
    day = 86400
    files = {"siak-db-20261201.dmp": (3 << 10, 2 * day + 60), "siak-db-20261201.log": (300, 2 * day),
             "siak-db-20261202.dmp": (4 << 10, day + 60), "siak-db-20261202.log": (310, day),
             "lama/siak-db-20261101.dmp": (2 << 10, 32 * day)}
    for name, (size, age) in files.items():
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"x" * size)
        os.utime(path, (NOW - age, NOW - age))
    newest, count = C.newest_file(str(tmp_path))
    assert (newest["path"], count) == (str(tmp_path / "siak-db-20261202.dmp"), 5)
    assert (newest["previous"]["path"], newest["previous"]["size"]) == (str(tmp_path / "siak-db-20261201.dmp"), 3 << 10)
    # A folder of logs only: they are what there is.
    for name in list(files):
        if name.endswith(".dmp"):
            (tmp_path / name).unlink()
    newest, count = C.newest_file(str(tmp_path))
    assert (newest["path"], newest["previous"]["path"], count) == (
        str(tmp_path / "siak-db-20261202.log"), str(tmp_path / "siak-db-20261201.log"), 2)
    # One file named: no previous; an empty folder: nothing.
    assert C.newest_file(str(tmp_path / "siak-db-20261202.log"))[0]["previous"] is None
    (tmp_path / "kosong").mkdir()
    assert C.newest_file(str(tmp_path / "kosong")) == (None, 0)
    assert C.name_shape("/srv/backup/siak-db-20261202.dmp.gz") == "siak-db-#.dmp.gz"


def _apt_host(probe, lists_age_days=1.0, apt=(0, "apt-get-s-dist-upgrade.debian12.txt", "")):
    return FakeHost(files={"/etc/apt/sources.list.d/debian.sources": "apt-sources.debian12.sources"},
                    stats={"/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4":
                           SimpleNamespace(st_mtime=NOW - lists_age_days * 86400)},
                    commands={"apt-get": apt}, probe=probe)


def test_updates_apt_from_captured_output_and_the_reasons():
    reachable = lambda endpoints, budget: ("%s:%d" % endpoints[0], [])  # noqa: E731
    raw = C.collect_updates(_apt_host(reachable), PARAMS, {})
    assert (raw["manager"], len(raw["packages"]), raw["cache_age_days"]) == ("apt", 120, 1.0)
    refused = lambda endpoints, budget: (None, ["%s:%d: refused" % e for e in endpoints])  # noqa: E731
    raw = C.collect_updates(_apt_host(refused), PARAMS, {})
    assert raw["reason"] == "unreachable" and raw["detail"].startswith("deb.debian.org:80: refused")
    assert C.collect_updates(_apt_host(reachable, 9.0), PARAMS, {})["reason"] == "stale-lists"
    raw = C.collect_updates(_apt_host(reachable, apt=(100, "", "E: broken\nmore")), PARAMS, {})
    assert (raw["reason"], raw["detail"]) == ("apt-failed", "E: broken")
    assert C.collect_updates(FakeHost(), PARAMS, {}) == {"manager": None, "reason": "no-manager"}


def test_updates_apt_tell_a_restart_the_installed_updates_wait_for():
    reachable = lambda endpoints, budget: ("%s:%d" % endpoints[0], [])  # noqa: E731
    host = _apt_host(reachable)
    assert C.collect_updates(host, PARAMS, {})["reboot"] is None
    # As Debian's hooks leave them (unattended-upgrades' kernel hook; the lab's reboot-required fault).
    host.files["/run/reboot-required"] = "*** System restart required ***\n"
    host.files["/run/reboot-required.pkgs"] = "linux-image-6.1.0-28-amd64\nlibc6\nlinux-image-6.1.0-28-amd64\n"
    host.stats["/run/reboot-required"] = SimpleNamespace(st_mtime=NOW - 2 * 86400 - 3600)
    assert C.collect_updates(host, PARAMS, {})["reboot"] == {
        "since": NOW - 2 * 86400 - 3600, "age_seconds": 2 * 86400 + 3600, "packages": ["libc6", "linux-image-6.1.0-28-amd64"]}
    # Told even when the updates themselves cannot be counted; a dnf host has no such flag.
    refused = _apt_host(lambda endpoints, budget: (None, ["refused"]))
    refused.files.update({"/run/reboot-required": "x\n"})
    refused.stats["/run/reboot-required"] = SimpleNamespace(st_mtime=NOW)
    raw = C.collect_updates(refused, PARAMS, {})
    assert raw["reason"] == "unreachable" and raw["reboot"] == {"since": NOW, "age_seconds": 0.0, "packages": []}


def test_updates_dnf_from_captured_output():
    host = FakeHost(files={"/etc/yum.repos.d/rocky.repo": "yum-repos.rocky9.repo"},
                    stats={"/var/cache/dnf/baseos/repodata/repomd.xml": SimpleNamespace(st_mtime=NOW - 3600)},
                    commands={"dnf": [(100, "dnf-check-update.rocky9.txt", ""), (0, "dnf-updateinfo-security.rocky9.txt", "")]},
                    probe=lambda endpoints, budget: ("x:443", []))
    raw = C.collect_updates(host, PARAMS, {})
    assert (raw["manager"], len(raw["packages"]), raw["security_count"]) == ("dnf", 8, 5)
    assert "reboot" not in raw


def test_raid_only_with_the_md_driver():
    assert C.collect_raid(FakeHost(), PARAMS, {}) is C.NOT_APPLICABLE
    arrays = C.collect_raid(FakeHost(files={"/proc/mdstat": "mdstat.degraded.txt"}), PARAMS, {})
    assert [a["name"] for a in arrays] == ["md0"]


def test_repository_probe_reachable_and_refused_on_loopback():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    try:
        reachable, errors = C.probe_endpoints([("127.0.0.1", closed_port), ("127.0.0.1", port)], 3)
        assert reachable == "127.0.0.1:%d" % port
        assert len(errors) == 1 and "refused" in errors[0].lower()
        started = time.monotonic()
        reachable, errors = C.probe_endpoints([("127.0.0.1", closed_port)], 3)
        assert reachable is None and errors and time.monotonic() - started < 1
    finally:
        listener.close()


def test_run_kills_a_command_at_its_timeout():
    host = C.Host(lambda name, required=False, opt_dirs=None: None, timeout=0.5)
    started = time.monotonic()
    rc, _out, err = host.run(["/bin/sleep", "5"])
    assert rc is None and "timed out" in err
    assert time.monotonic() - started < 3
    rc, out, _err = host.run(["/bin/sh", "-c", "echo $LC_ALL"])
    assert (rc, out.strip()) == (0, "C")


def test_statvfs_with_deadline_and_newest_file(tmp_path):
    st, error = C.statvfs_with_deadline("/", 5)
    assert error is None and st.f_blocks > 0
    st, error = C.statvfs_with_deadline(str(tmp_path / "missing"), 5)
    assert st is None and "No such file" in error
    (tmp_path / "2024" / "05").mkdir(parents=True)
    old = tmp_path / "2024" / "db-old.dmp"
    new = tmp_path / "2024" / "05" / "db-new.dmp"
    old.write_bytes(b"x" * 10)
    new.write_bytes(b"y" * 20)
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    newest, count = C.newest_file(str(tmp_path))
    assert (newest["path"], newest["size"], count) == (str(new), 20, 2)
    assert C.newest_file(str(tmp_path), max_depth=0) == (None, 0)


def test_read_segment_keeps_complete_lines_and_bounds_bytes(tmp_path):
    log = tmp_path / "syslog"
    log.write_bytes(b"one\ntwo\nthree\npartial")
    lines, offset, skipped = C.read_segment(str(log), 0, log.stat().st_size, 1 << 20)
    assert (lines, offset, skipped) == (["one", "two", "three"], 14, 0)
    lines, offset, skipped = C.read_segment(str(log), 0, 14, 7)
    # only the newest 7 bytes ("\nthree\n"); the cut first line is dropped
    assert (lines, offset, skipped) == (["three"], 14, 7)


def test_plan_log_read_positions():
    prev = {"source": "file", "path": "/var/log/syslog", "inode": 11, "offset": 500, "time": 1000.0}
    plan = C.plan_log_read("/var/log/syslog", 11, 800, prev, 2000.0, 24)
    assert plan["segments"] == [("/var/log/syslog", 500, 800, None)] and plan["since"] == 1000.0
    plan = C.plan_log_read("/var/log/syslog", 12, 100, prev, 2000.0, 24, "/var/log/syslog.1", 11, 900, 1500.0)
    assert plan["segments"] == [("/var/log/syslog.1", 500, 900, None), ("/var/log/syslog", 0, 100, None)]
    plan = C.plan_log_read("/var/log/syslog", 11, 100, prev, 2000.0, 24)  # truncated in place
    assert plan["segments"] == [("/var/log/syslog", 0, 100, None)] and plan["notes"]
    plan = C.plan_log_read("/var/log/syslog", 11, 100, {}, 100000.0, 24, "/var/log/syslog.1", 9, 50, 90000.0)
    assert plan["segments"] == [("/var/log/syslog.1", 0, 50, 13600.0), ("/var/log/syslog", 0, 100, 13600.0)]
